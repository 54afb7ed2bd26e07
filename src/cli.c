/* The newskg command line, a thin layer over libnewskg. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"
#include "input.h"
#include "internal.h"
#include "newskg.h"
#include "rdf/backend.h"
#include "util.h"

static const char usage_text[] =
    "Usage: newskg COMMAND [OPTIONS] ...\n"
    "\n"
    "Commands:\n"
    "  extract INPUT... [-o OUT] [-f FORMAT] [--base IRI] [--date YYYY-MM-DD]\n"
    "          Build a knowledge graph of news articles.\n"
    "  explain INPUT... [--name NAME] [--all]\n"
    "          Show which names were joined into one entity, and why.\n"
    "  merge GRAPH... [-o OUT] [-f FORMAT] [--base IRI]\n"
    "          Merge graphs built from disjoint sets of articles into the\n"
    "          graph one extract of all of them writes.\n"
    "  extract --store PATH INPUT... [--base IRI] [--date D] [--text] [-j N]\n"
    "          Add articles to a persistent store (SQLite, librdf): new ones\n"
    "          are added, changed ones replaced, unchanged ones left alone.\n"
    "  query (GRAPH... | --store PATH) (QUERY | -q FILE.rq) [-r FORMAT]\n"
    "          Run SPARQL; results as table, csv, tsv, json or xml.\n"
    "  export -f dot|graphml (GRAPH... | --store PATH) [-o OUT]\n"
    "          Draw the graph for GraphViz or GraphML tools.\n"
    "\n"
    "INPUT is a UTF-8 text file, a folder (its *.txt and *.jsonl files,\n"
    "recursively, in sorted order), '-' for standard input, or a .jsonl file\n"
    "(one JSON object per line: \"id\", \"text\", optional \"date\" and\n"
    "\"source\").\n"
    "\n"
    "Options of extract:\n"
    "  -o, --output FILE    write to FILE (atomically: a temporary file "
    "renamed\n"
    "                       into place); default standard output\n"
    "  -f, --format NAME    turtle (default), ntriples, nquads (one named "
    "graph\n"
    "                       per article), rdfxml; none: write nothing, only\n"
    "                       count the triples (to time extraction alone)\n"
    "  -j, --jobs N         process articles in N threads (default 1; 0: one\n"
    "                       per processor); the output is the same\n"
    "      --shard          a part of a larger build, to be merged with\n"
    "                       `newskg merge`: events are merged across\n"
    "                       articles by the merge, over all the parts\n"
    "      --base IRI       base of minted IRIs (default\n"
    "                       http://example.org/newskg/); must end in / or #\n"
    "      --date DATE      article date (YYYY-MM-DD) for articles without "
    "one,\n"
    "                       to resolve \"Monday\", \"last week\"\n"
    "      --jsonl          read standard input and every file as JSON Lines\n"
    "      --text           also write each article's text (nif:isString)\n"
    "      --data DIR       knowledge data folder (default: $NEWSKG_DATA or\n"
    "                       the installed one)\n"
    "  -q, --quiet          no summary on standard error\n"
    "\n"
    "  -h, --help           this help;  -V, --version  the version\n"
    "\n"
    "Exit status: 0 all inputs processed; 1 some inputs could not be read or\n"
    "were invalid (each is reported; the others are in the output); 2 usage\n"
    "error; 3 fatal error (data files, output), no output written.\n"
    "Environment: SOURCE_DATE_EPOCH set: no timestamps in the output.\n";

static void usage(FILE *f) { fputs(usage_text, f); }

typedef struct extract_state {
  nkg_builder *builder;
  size_t failures;
  int fatal;
} extract_state;

void nkg_cli_report(const char *origin, size_t line, size_t column, int status,
                    const char *what) {
  fprintf(stderr, "newskg: %s", origin);
  if (line)
    fprintf(stderr, ":%zu", line);
  if (column)
    fprintf(stderr, ":%zu", column);
  fprintf(stderr, ": %s", nkg_strerror(status));
  if (what && *what)
    fprintf(stderr, ": %s", what);
  fputc('\n', stderr);
}

void nkg_cli_problem(void *user, const char *origin, size_t line, size_t column,
                     int status, const char *what) {
  (void)user;
  nkg_cli_report(origin, line, column, status, what);
}

void nkg_cli_refused(const nkg_article *a, int status, size_t offset) {
  char what[160];
  what[0] = '\0';
  if (status == NKG_ERR_UTF8 || status == NKG_ERR_BINARY ||
      status == NKG_ERR_TOO_LARGE)
    snprintf(what, sizeof what, "at byte %zu%s", offset,
             a->line ? " of the text" : "");
  else if (status == NKG_ERR_DUPLICATE)
    snprintf(what, sizeof what, "'%s' was read already; skipped", a->id);
  else if (status == NKG_ERR_ARG && a->date)
    snprintf(what, sizeof what, "bad date '%s' (want YYYY-MM-DD)", a->date);
  nkg_cli_report(a->origin, a->line, 0, status, what);
}

static int on_article(void *user, const nkg_article *a) {
  extract_state *st = user;
  size_t offset = 0;
  int rc = nkg_builder_add(st->builder, a->id, a->text, a->len, a->date,
                           a->source, &offset);
  if (!rc)
    return 0;
  if (rc == NKG_ERR_NOMEM || rc == NKG_ERR_RDF || rc == NKG_ERR_IO) {
    /* the output's failure is said once, when it is closed */
    if (!(rc == NKG_ERR_IO && nkg_builder_write_errno(st->builder)))
      nkg_cli_report(a->origin, a->line, 0, rc, a->id);
    st->fatal = 1;
    return rc;
  }
  st->failures++;
  nkg_cli_refused(a, rc, offset);
  return 0;
}

/* The next article has not come yet (a feed on a pipe): the articles read
 * so far are finished and their facts written, for whoever reads the
 * output as it comes. A failure sticks in the build: the next article or
 * the end reports it. */
static void on_idle(void *user) {
  extract_state *st = user;
  (void)nkg_builder_flush(st->builder);
}

/* Output goes to a temporary file beside the target, renamed into place
 * only when everything was written. */
int nkg_output_open(nkg_output *o, const char *path) {
  memset(o, 0, sizeof *o);
  if (!path || !strcmp(path, "-")) {
    o->f = stdout;
    return 0;
  }
  struct stat sb;
  if (!stat(path, &sb) && !S_ISREG(sb.st_mode)) {
    /* /dev/null, a named pipe: renaming a file over it would replace the
     * device (as root) or fail */
    if (!(o->target = nkg_strdup(path)))
      return NKG_ERR_NOMEM;
    if ((o->f = fopen(path, "wb")) != NULL)
      return 0;
    fprintf(stderr, "newskg: %s: cannot open: %s\n", path, strerror(errno));
    free(o->target);
    o->target = NULL;
    return NKG_ERR_IO;
  }
  /* a link to a file: the file is replaced, not the link */
  char *real =
      !lstat(path, &sb) && S_ISLNK(sb.st_mode) ? realpath(path, NULL) : NULL;
  int rc = NKG_ERR_NOMEM, fd = -1;
  o->target = nkg_strdup(real ? real : path);
  free(real);
  nkg_buf tmp = {0};
  if (o->target)
    nkg_buf_addf(&tmp, "%s.tmp.XXXXXX", o->target);
  o->tmp = nkg_buf_take(&tmp);
  if (!o->target || !o->tmp)
    goto fail;
  rc = NKG_ERR_IO;
  fd = mkstemp(o->tmp);
  if (fd < 0) {
    fprintf(stderr, "newskg: %s: cannot create: %s\n", o->target,
            strerror(errno));
    goto fail;
  }
  /* mkstemp makes the file private (0600); the output is an ordinary file */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask))
    fprintf(stderr, "newskg: %s: %s\n", o->tmp, strerror(errno));
  o->f = fdopen(fd, "wb");
  if (o->f)
    return 0;
  close(fd);
  unlink(o->tmp);
fail: /* nothing is left for the caller to close */
  free(o->target);
  free(o->tmp);
  memset(o, 0, sizeof *o);
  return rc;
}

/* Commits (ok) or discards the output. Returns 0 or NKG_ERR_IO. */
int nkg_output_close(nkg_output *o, int ok) {
  int why = o->write_errno; /* why writing failed, when known */
  int rc = why ? NKG_ERR_IO : 0;
  errno = 0;
  if (o->f && o->f != stdout && !o->tmp) {
    /* written in place (a device, a pipe): nothing to sync or rename */
    if (fflush(o->f) || ferror(o->f))
      rc = NKG_ERR_IO;
    if (rc && !why)
      why = errno;
    if (fclose(o->f))
      rc = NKG_ERR_IO;
  } else if (o->f && o->f != stdout) {
    if (fflush(o->f) || ferror(o->f) || fsync(fileno(o->f)))
      ok = 0, rc = NKG_ERR_IO;
    if (rc && !why)
      why = errno;
    if (fclose(o->f))
      ok = 0, rc = NKG_ERR_IO;
    if (ok && rename(o->tmp, o->target)) {
      fprintf(stderr, "newskg: %s: %s\n", o->target, strerror(errno));
      rc = NKG_ERR_IO;
      ok = 0;
    }
    if (!ok)
      unlink(o->tmp);
  } else if (o->f == stdout && (fflush(stdout) || ferror(stdout) || why)) {
    fprintf(stderr, "newskg: standard output: write failed: %s\n",
            strerror(why     ? why
                     : errno ? errno
                             : EIO));
    rc = NKG_ERR_IO;
  }
  if (rc && o->target)
    fprintf(stderr, "newskg: %s: write failed%s%s\n", o->target,
            why ? ": " : "", why ? strerror(why) : "");
  free(o->target);
  free(o->tmp);
  memset(o, 0, sizeof *o);
  return rc;
}

int nkg_cli_set_jobs(nkg_options *opts, const char *arg) {
  char *end;
  long n = strtol(arg, &end, 10);
  if (n == 0 && end != arg && !*end) {
    int cpus = nkg_cpus_usable();
    n = cpus > NKG_MAX_JOBS ? NKG_MAX_JOBS : cpus;
  }
  if (end == arg || *end || n < 1 || n > NKG_MAX_JOBS ||
      nkg_options_set_jobs(opts, (int)n)) {
    fprintf(stderr, "newskg: bad --jobs '%s' (0 to %d)\n", arg, NKG_MAX_JOBS);
    return NKG_ERR_ARG;
  }
  return 0;
}

int nkg_cli_set_base(nkg_options *opts, const char *arg) {
  if (!nkg_options_set_base(opts, arg))
    return 0;
  fprintf(stderr,
          "newskg: bad base IRI '%s' (an absolute IRI ending in / or #)\n",
          arg);
  return NKG_ERR_ARG;
}

int nkg_cli_set_date(nkg_options *opts, const char *arg) {
  if (!nkg_options_set_date(opts, arg))
    return 0;
  fprintf(stderr, "newskg: bad date '%s' (YYYY-MM-DD)\n", arg);
  return NKG_ERR_ARG;
}

nkg_lexicon *nkg_cli_lexicon(const char *data_dir) {
  nkg_lexicon *lex = NULL;
  char err[512];
  if (nkg_lexicon_load(data_dir, &lex, err, sizeof err)) {
    fprintf(stderr, "newskg: %s\n", err);
    return NULL;
  }
  return lex;
}

/* The peak resident memory of this program so far, in MB (0 if unknown).
 * On Linux the high-water mark of its address space (VmHWM): getrusage's
 * ru_maxrss belongs to the process and carries over exec, so a program
 * started from a large one (vfork, then exec) would report that one's. */
static double peak_memory_mb(void) {
#if defined(__linux__)
  FILE *f = fopen("/proc/self/status", "r");
  if (f) {
    char line[256];
    unsigned long kb = 0;
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
      found = sscanf(line, "VmHWM: %lu kB", &kb) == 1;
    fclose(f);
    if (found)
      return (double)kb / 1024.0;
  }
#endif
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru))
    return 0;
#if defined(__APPLE__)
  return (double)ru.ru_maxrss / 1e6; /* bytes there */
#else
  return (double)ru.ru_maxrss / 1024.0; /* KB */
#endif
}

/* The build a finished extract leaves to the end of the process (see
 * there); volatile, so that the store is not left out as never read. */
static nkg_builder *volatile left_to_exit;

static int cmd_extract(int argc, char **argv) {
  /* into a persistent store: src/cli_store.c */
  for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
    if (!strcmp(argv[i], "--store") || !strncmp(argv[i], "--store=", 8))
      return nkg_cmd_extract_store(argc, argv);
  static const struct option longopts[] = {
      {"output", required_argument, 0, 'o'},
      {"format", required_argument, 0, 'f'},
      {"base", required_argument, 0, 'b'},
      {"date", required_argument, 0, 'd'},
      {"data", required_argument, 0, 'D'},
      {"jsonl", no_argument, 0, 'J'},
      {"text", no_argument, 0, 'T'},
      {"jobs", required_argument, 0, 'j'},
      {"shard", no_argument, 0, 'S'},
      {"quiet", no_argument, 0, 'q'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  const char *out_path = NULL, *data = NULL;
  int quiet = 0, jsonl = 0;
  nkg_options *opts = nkg_options_new();
  if (!opts)
    return NKG_EXIT_FATAL;
  int c, exit_code = NKG_EXIT_OK;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:f:j:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o':
      out_path = optarg;
      break;
    case 'f':
      if (nkg_options_set_format(opts, optarg)) {
        fprintf(stderr,
                "newskg: unknown format '%s' (turtle, ntriples, "
                "nquads, rdfxml, none)\n",
                optarg);
        exit_code = NKG_EXIT_USAGE;
      }
      break;
    case 'b':
      if (nkg_cli_set_base(opts, optarg))
        exit_code = NKG_EXIT_USAGE;
      break;
    case 'd':
      if (nkg_cli_set_date(opts, optarg))
        exit_code = NKG_EXIT_USAGE;
      break;
    case 'D':
      data = optarg;
      break;
    case 'J':
      jsonl = 1;
      break;
    case 'T':
      nkg_options_set_text(opts, 1);
      break;
    case 'S':
      nkg_options_set_shard(opts, 1);
      break;
    case 'j': {
      if (nkg_cli_set_jobs(opts, optarg))
        exit_code = NKG_EXIT_USAGE;
      break;
    }
    case 'q':
      quiet = 1;
      break;
    case 'h':
      usage(stdout);
      nkg_options_free(opts);
      return NKG_EXIT_OK;
    default:
      exit_code = NKG_EXIT_USAGE;
    }
  }
  if (exit_code == NKG_EXIT_OK && optind >= argc) {
    fprintf(stderr, "newskg extract: no INPUT (a file, a folder, - or a "
                    ".jsonl file)\n");
    exit_code = NKG_EXIT_USAGE;
  }
  if (exit_code != NKG_EXIT_OK) {
    if (exit_code == NKG_EXIT_USAGE)
      fprintf(stderr, "Try 'newskg --help'.\n");
    nkg_options_free(opts);
    return exit_code;
  }

  /* the libraries a Turtle or RDF/XML output needs load meanwhile */
  nkg_rdf_preload(nkg_options_format(opts));
  nkg_lexicon *lex = nkg_cli_lexicon(data);
  if (!lex) {
    nkg_options_free(opts);
    return NKG_EXIT_FATAL;
  }
  nkg_output out;
  int rc = nkg_output_open(&out, out_path);
  if (rc) {
    nkg_lexicon_free(lex);
    nkg_options_free(opts);
    return NKG_EXIT_FATAL;
  }
  extract_state st = {0};
  st.builder = nkg_builder_new(lex, opts, out.f, &rc);
  if (!st.builder) {
    fprintf(stderr, "newskg: %s\n", nkg_strerror(rc));
    nkg_output_close(&out, 0);
    nkg_lexicon_free(lex);
    nkg_options_free(opts);
    return NKG_EXIT_FATAL;
  }
  nkg_input in = {on_article, nkg_cli_problem, &st, 0, jsonl, on_idle};
  for (int i = optind; i < argc && !rc; i++)
    rc = nkg_input_read(&in, argv[i]);
  if (!rc)
    rc = nkg_builder_finish(st.builder);
  /* a failed write is said with its reason when the output is closed */
  out.write_errno = rc == NKG_ERR_IO ? nkg_builder_write_errno(st.builder) : 0;
  if (rc && !out.write_errno)
    fprintf(stderr, "newskg: %s\n", nkg_strerror(rc));
  nkg_stats stats;
  nkg_builder_stats(st.builder, &stats);
  if (rc) {
    /* a failed build (input or output): its threads are stopped and what
     * it holds freed now, before the output is discarded and the lexicon
     * its workers read is freed */
    nkg_builder_free(st.builder);
    st.builder = NULL;
  }
  int wrc = nkg_output_close(&out, rc == 0);
  size_t failures = st.failures + in.failures;
  if (!quiet && !rc && !wrc)
    fprintf(stderr,
            "newskg: %zu documents, %zu mentions, %zu entities, %zu posts, "
            "%zu events, %zu quotations, %zu triples; peak memory %.1f MB%s\n",
            stats.documents, stats.mentions, stats.entities, stats.posts,
            stats.events, stats.quotations, stats.triples, peak_memory_mb(),
            failures ? "; some inputs failed (see above)" : "");
  /* The build (its graph; for Turtle, every statement) goes back to the
   * system with the process, at once: freed block by block it took 4% of
   * a build of the BBC corpus with two jobs. It stays reachable from here,
   * which leak checkers count as in use; the unit tests check that
   * nkg_builder_free frees it all. */
  left_to_exit = st.builder;
  nkg_lexicon_free(lex);
  nkg_options_free(opts);
  if (rc || wrc)
    return NKG_EXIT_FATAL;
  return failures ? NKG_EXIT_INPUT : NKG_EXIT_OK;
}

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
} commands[] = {{"extract", cmd_extract},
                {"explain", nkg_cmd_explain},
                {"query", nkg_cmd_query},
                {"export", nkg_cmd_export},
                {"merge", nkg_cmd_merge}};

#ifdef __GLIBC__
/* The lexicon's tables and the shared word cache are read at random, a
 * few bytes per look-up: in 4 KB pages that is a page fault for every page
 * first touched (some 5,000 in a build of the BBC corpus) and a TLB miss
 * for most look-ups. The heap grows by 64 MB at a time, only reserved, and
 * that reserve is asked for in 2 MB pages (the kernel may refuse). */
static void heap_in_huge_pages(void) {
#ifdef MADV_HUGEPAGE
  const uintptr_t huge = (uintptr_t)2 << 20;
  mallopt(M_TOP_PAD, 64 << 20);
  char *block = malloc(1 << 20); /* grows the heap by the pad */
  uintptr_t lo = ((uintptr_t)block + huge - 1) & ~(huge - 1);
  uintptr_t hi = (uintptr_t)sbrk(0) & ~(huge - 1);
  if (block && hi > lo)
    madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
  free(block);
#endif
}
#endif

int main(int argc, char **argv) {
#ifdef __GLIBC__
  /* Every article allocates and frees its own working memory. glibc would
   * give the top of the heap back to the kernel after each one, and serve
   * blocks over 128 KB by mmap, so the next article faults the same pages
   * in again (zeroed): measured 5% of an extraction. Keep them. */
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  heap_in_huge_pages();
#endif
  if (argc < 2) {
    usage(stderr);
    return NKG_EXIT_USAGE;
  }
  if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
      !strcmp(argv[1], "help")) {
    usage(stdout);
    return NKG_EXIT_OK;
  }
  if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
    printf("newskg %s\n", NKG_VERSION);
    return NKG_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (!strcmp(argv[1], commands[i].name))
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "newskg: unknown command '%s'\nTry 'newskg --help'.\n",
          argv[1]);
  return NKG_EXIT_USAGE;
}
