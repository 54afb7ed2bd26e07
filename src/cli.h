/* Exit codes and subcommands of the newskg command line. */
#ifndef NKG_CLI_H
#define NKG_CLI_H

#include <stddef.h>
#include <stdio.h>

enum nkg_exit {
  NKG_EXIT_OK = 0,    /* every input processed */
  NKG_EXIT_INPUT = 1, /* some inputs failed; the others are in the output */
  NKG_EXIT_USAGE = 2, /* bad command line */
  NKG_EXIT_FATAL = 3  /* nothing written: data files, output, memory */
};

/* Output to a file goes to a temporary file beside the target, renamed into
 * place only when everything was written; NULL or "-" is standard output. */
typedef struct nkg_output {
  FILE *f;
  char *target, *tmp; /* tmp: NULL when written in place */
  int write_errno;    /* set by the caller: why writing failed, if known */
} nkg_output;
/* Opens o->f: standard output for NULL or "-"; for a regular file (or a
 * name not taken yet) a temporary file beside it, renamed over it when
 * everything was written; a device, FIFO or socket (/dev/null, a named
 * pipe) is written in place, never replaced. A symbolic link is followed.
 * Returns 0, or NKG_ERR_IO / NKG_ERR_NOMEM after a message; on failure
 * nothing is left to close or remove. */
int nkg_output_open(nkg_output *o, const char *path);
/* Commits (ok) or discards the output. Returns 0 or NKG_ERR_IO. */
int nkg_output_close(nkg_output *o, int ok);

/* Messages about inputs: "newskg: ORIGIN[:LINE[:COLUMN]]: status[: what]". */
void nkg_cli_report(const char *origin, size_t line, size_t column, int status,
                    const char *what);
/* The nkg_input problem callback (user unused): nkg_cli_report. */
void nkg_cli_problem(void *user, const char *origin, size_t line, size_t column,
                     int status, const char *what);
/* Reports an article a build or a store refused, saying why ("at byte N",
 * "'ID' was read already; skipped", "bad date ..."). */
struct nkg_article;
void nkg_cli_refused(const struct nkg_article *article, int status,
                     size_t offset);

/* --base IRI and --date YYYY-MM-DD into the options. Return 0, or
 * NKG_ERR_ARG after a message. */
struct nkg_options;
int nkg_cli_set_base(struct nkg_options *opts, const char *arg);
int nkg_cli_set_date(struct nkg_options *opts, const char *arg);

/* Loads the knowledge data (--data DIR or the default); NULL after a
 * message. The caller frees it with nkg_lexicon_free. */
struct nkg_lexicon;
struct nkg_lexicon *nkg_cli_lexicon(const char *data_dir);

/* --jobs N into the options (0: one per processor). Returns 0, or
 * NKG_ERR_ARG after a message. */
int nkg_cli_set_jobs(struct nkg_options *opts, const char *arg);

/* Subcommands other than extract, each in its own src/cli_<name>.c. */
int nkg_cmd_explain(int argc, char **argv);
int nkg_cmd_query(int argc, char **argv);
int nkg_cmd_export(int argc, char **argv);
int nkg_cmd_merge(int argc, char **argv);
/* extract with --store (cmd_extract hands over when it sees --store) */
int nkg_cmd_extract_store(int argc, char **argv);

#endif
