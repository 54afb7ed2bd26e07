/* `newskg merge`: shards built separately (for instance by GNU parallel,
 * Hadoop Streaming or Spark, one `newskg extract` per part of a corpus)
 * merged into the graph one build of the whole corpus writes. See
 * src/rdf/merge.h for what the merge writes again. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "internal.h"
#include "rdf/merge.h"

static const char merge_usage[] =
    "Usage: newskg merge INPUT... [-o OUT] [-f FORMAT] [--base IRI]\n"
    "                    [--data DIR] [-q]\n"
    "Merge graphs written by `newskg extract` for disjoint sets of articles\n"
    "into the graph one extract of all the articles writes: the same\n"
    "triples (compare them as sets), one canonical schema:name per entity,\n"
    "one prov:Activity for the whole build.\n"
    "\n"
    "INPUT: a graph file (.nt, .nq, .ttl, .rdf; read twice, so not '-').\n"
    "Every input must come from the same --base and the same data files.\n"
    "  -o, --output FILE    write to FILE (atomically); default standard\n"
    "                       output\n"
    "  -f, --format NAME    turtle (default), ntriples, nquads, rdfxml\n"
    "      --base IRI       the base IRI the inputs were built with (default\n"
    "                       http://example.org/newskg/)\n"
    "      --data DIR       knowledge data folder (default: $NEWSKG_DATA or\n"
    "                       the installed one)\n"
    "  -q, --quiet          no summary on standard error\n"
    "Exit status: 0 merged; 2 usage error; 3 an input is missing, does not\n"
    "parse, is not a newskg graph or shares an article with another input;\n"
    "nothing written then.\n";

int nkg_cmd_merge(int argc, char **argv) {
  static const struct option longopts[] = {
      {"output", required_argument, 0, 'o'},
      {"format", required_argument, 0, 'f'},
      {"base", required_argument, 0, 'b'},
      {"data", required_argument, 0, 'D'},
      {"quiet", no_argument, 0, 'q'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  const char *out_path = NULL, *data = NULL, *format = "turtle";
  int quiet = 0, c, exit_code = NKG_EXIT_OK;
  nkg_options *opts = nkg_options_new();
  if (!opts)
    return NKG_EXIT_FATAL;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:f:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o':
      out_path = optarg;
      break;
    case 'f':
      format = optarg;
      if (!strcmp(format, "none") || nkg_options_set_format(opts, format)) {
        fprintf(stderr,
                "newskg: unknown format '%s' (turtle, ntriples, "
                "nquads, rdfxml)\n",
                optarg);
        exit_code = NKG_EXIT_USAGE;
      }
      break;
    case 'b':
      if (nkg_options_set_base(opts, optarg)) {
        fprintf(stderr,
                "newskg: bad base IRI '%s' (an absolute IRI ending "
                "in / or #)\n",
                optarg);
        exit_code = NKG_EXIT_USAGE;
      }
      break;
    case 'D':
      data = optarg;
      break;
    case 'q':
      quiet = 1;
      break;
    case 'h':
      fputs(merge_usage, stdout);
      nkg_options_free(opts);
      return NKG_EXIT_OK;
    default:
      exit_code = NKG_EXIT_USAGE;
    }
  }
  for (int i = optind; exit_code == NKG_EXIT_OK && i < argc; i++)
    if (!strcmp(argv[i], "-")) {
      fprintf(stderr, "newskg merge: inputs are read twice: give files, "
                      "not '-'\n");
      exit_code = NKG_EXIT_USAGE;
    }
  if (exit_code == NKG_EXIT_OK && optind >= argc) {
    fprintf(stderr, "newskg merge: no INPUT (graphs written by newskg "
                    "extract)\n");
    exit_code = NKG_EXIT_USAGE;
  }
  if (exit_code != NKG_EXIT_OK) {
    fprintf(stderr, "Try 'newskg merge --help'.\n");
    nkg_options_free(opts);
    return exit_code;
  }

  nkg_lexicon *lex = nkg_cli_lexicon(data);
  if (!lex) {
    nkg_options_free(opts);
    return NKG_EXIT_FATAL;
  }
  char err[512];
  nkg_output out;
  int rc = nkg_output_open(&out, out_path);
  if (!rc) {
    nkg_merge_stats stats;
    memset(&stats, 0, sizeof stats);
    rc = nkg_merge(lex, nkg_options_base(opts), format, argv + optind,
                   (size_t)(argc - optind), out.f, &stats, err, sizeof err);
    if (rc)
      fprintf(stderr, "newskg merge: %s\n", err[0] ? err : nkg_strerror(rc));
    int wrc = nkg_output_close(&out, rc == 0);
    if (!rc && !wrc && !quiet)
      fprintf(stderr,
              "newskg: merged %zu inputs: %zu documents, %zu entities, %zu "
              "triples\n",
              stats.inputs, stats.documents, stats.entities, stats.triples);
    if (!rc)
      rc = wrc;
  }
  nkg_lexicon_free(lex);
  nkg_options_free(opts);
  return rc ? NKG_EXIT_FATAL : NKG_EXIT_OK;
}
