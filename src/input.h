/* Reading articles: UTF-8 text files, folders of them (recursively, in
 * sorted order), standard input, and JSON Lines (one article per line:
 * "id", "text", optional "date" and "source"). Each article is handed to a
 * callback; each problem is reported with the file and position, and
 * reading goes on with the next article. */
#ifndef NKG_INPUT_H
#define NKG_INPUT_H

#include <stddef.h>

typedef struct nkg_article {
  const char *id;
  const char *text;
  size_t len;
  const char *date;   /* or NULL */
  const char *source; /* or NULL */
  const char *origin; /* file name, "-" for standard input */
  size_t line;        /* JSON Lines: 1-based line; else 0 */
} nkg_article;

/* Returns 0 to go on, a negative status to stop everything. Problems with
 * one article are reported by the callback itself and return 0. */
typedef int (*nkg_article_fn)(void *user, const nkg_article *article);
/* Called for each input problem (missing file, broken JSON line...). */
typedef void (*nkg_problem_fn)(void *user, const char *origin, size_t line,
                               size_t column, int status, const char *what);

typedef struct nkg_input {
  nkg_article_fn on_article;
  nkg_problem_fn on_problem;
  void *user;
  size_t failures; /* problems reported */
  int jsonl;       /* read every file and "-" as JSON Lines */
  /* JSON Lines from a pipe or terminal: called (unless NULL) when the next
   * line has not come yet and reading would wait for it, so that what was
   * read so far can be finished and written for whoever waits for it */
  void (*on_idle)(void *user);
} nkg_input;

/* Reads one INPUT argument (file, folder, "-", or .jsonl). Returns 0 or a
 * negative status from the callback. */
int nkg_input_read(nkg_input *in, const char *path);

/* Parses one JSON Lines record into its fields (new strings the caller
 * frees; NULL for absent ones). On error returns NKG_ERR_JSON and stores
 * the byte column (1-based) and a message. */
int nkg_jsonl_parse(const char *line, size_t len, char **id, char **text,
                    size_t *text_len, char **date, char **source,
                    size_t *column, const char **what);

#endif
