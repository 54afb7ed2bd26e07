/* `newskg extract --store PATH INPUT...`: adds articles to a persistent
 * store (src/rdf/store.h) instead of writing a file. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "input.h"
#include "newskg.h"
#include "rdf/store.h"

typedef struct store_state {
  nkg_store *store;
  size_t failures;
  int fatal;
} store_state;

static int on_article(void *user, const nkg_article *a) {
  store_state *st = user;
  size_t offset = 0;
  int rc = nkg_store_add(st->store, a->id, a->text, a->len, a->date, a->source,
                         &offset);
  if (!rc)
    return 0;
  if (rc == NKG_ERR_NOMEM) {
    nkg_cli_report(a->origin, a->line, 0, rc, a->id);
    st->fatal = 1;
    return rc;
  }
  st->failures++;
  nkg_cli_refused(a, rc, offset);
  return 0;
}

int nkg_cmd_extract_store(int argc, char **argv) {
  static const struct option longopts[] = {
      {"store", required_argument, 0, 'S'},
      {"base", required_argument, 0, 'b'},
      {"date", required_argument, 0, 'd'},
      {"data", required_argument, 0, 'D'},
      {"jsonl", no_argument, 0, 'J'},
      {"text", no_argument, 0, 'T'},
      {"quiet", no_argument, 0, 'q'},
      {"jobs", required_argument, 0, 'j'},
      {"output", required_argument, 0, 'o'},
      {"format", required_argument, 0, 'f'},
      {0, 0, 0, 0}};
  const char *path = NULL, *data = NULL, *base = NULL;
  int quiet = 0, jsonl = 0, text = 0, c, exit_code = NKG_EXIT_OK;
  nkg_options *opts = nkg_options_new();
  if (!opts)
    return NKG_EXIT_FATAL;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:f:qj:", longopts, NULL)) != -1) {
    switch (c) {
    case 'S':
      path = optarg;
      break;
    case 'b':
      base = optarg;
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
      text = 1;
      break;
    case 'q':
      quiet = 1;
      break;
    case 'j':
      if (nkg_cli_set_jobs(opts, optarg))
        exit_code = NKG_EXIT_USAGE;
      break;
    case 'o':
    case 'f':
      fprintf(stderr, "newskg extract: --store writes into the store; -o and "
                      "-f do not apply (newskg query --store PATH reads it "
                      "back)\n");
      exit_code = NKG_EXIT_USAGE;
      break;
    default:
      exit_code = NKG_EXIT_USAGE;
    }
  }
  if (exit_code == NKG_EXIT_OK && (!path || !*path || optind >= argc)) {
    fprintf(stderr, "newskg extract: --store PATH needs a PATH and at least "
                    "one INPUT\n");
    exit_code = NKG_EXIT_USAGE;
  }
  if (exit_code != NKG_EXIT_OK) {
    fprintf(stderr, "Try 'newskg --help'.\n");
    nkg_options_free(opts);
    return exit_code;
  }
  char err[1024] = "";
  nkg_lexicon *lex = NULL;
  nkg_store *store = NULL;
  int rc = nkg_lexicon_load(data, &lex, err, sizeof err);
  if (!rc)
    rc = nkg_store_open(&store, path, NKG_STORE_WRITE, err, sizeof err);
  if (rc) {
    fprintf(stderr, "newskg: %s\n", err);
    nkg_lexicon_free(lex);
    nkg_options_free(opts);
    return NKG_EXIT_FATAL;
  }
  /* the store keeps the base and the text setting it was made with */
  const char *stored_base = nkg_store_base(store);
  if (stored_base && base && strcmp(stored_base, base)) {
    fprintf(stderr, "newskg: %s: the store was made with --base %s\n", path,
            stored_base);
    rc = NKG_ERR_ARG;
  } else if (stored_base) {
    rc = nkg_options_set_base(opts, stored_base);
  }
  nkg_options_set_text(opts, text || nkg_store_text(store) == 1);
  store_state st = {store, 0, 0};
  nkg_input in = {on_article, nkg_cli_problem, &st, 0, jsonl, NULL};
  for (int i = optind; i < argc && !rc; i++)
    rc = nkg_input_read(&in, argv[i]);
  nkg_store_report report;
  memset(&report, 0, sizeof report);
  if (!rc) {
    rc = nkg_store_commit(store, lex, opts, &report, err, sizeof err);
    if (rc)
      fprintf(stderr, "newskg: %s\n", err);
  }
  size_t failures = st.failures + in.failures;
  if (!rc && !quiet) {
    fprintf(stderr, "newskg: %s: %zu added, %zu changed, %zu unchanged", path,
            report.added, report.changed, report.unchanged);
    if (report.recovered)
      fprintf(stderr, ", %zu from an interrupted add", report.recovered);
    if (report.remapped)
      fprintf(stderr, ", %zu mapped again (data files or options changed)",
              report.remapped);
    fprintf(stderr, "; %zu articles, %zu triples in the store", report.articles,
            report.triples);
    if (report.added_triples || report.removed_triples)
      fprintf(stderr, " (facts across articles: +%zu -%zu)",
              report.added_triples, report.removed_triples);
    fprintf(stderr, "%s\n", failures ? "; some inputs failed (see above)" : "");
  }
  nkg_store_free(store);
  nkg_lexicon_free(lex);
  nkg_options_free(opts);
  if (rc)
    return NKG_EXIT_FATAL;
  return failures ? NKG_EXIT_INPUT : NKG_EXIT_OK;
}
