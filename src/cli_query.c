/* `newskg query`: SPARQL over graph files or a store, through
 * librdf/rasqal, with results in the standard formats. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "newskg.h"
#include "rdf/dataset.h"
#include "util.h"

static const char query_usage[] =
    "Usage: newskg query GRAPH... QUERY [-r FORMAT] [-o OUT]\n"
    "       newskg query GRAPH... -q FILE.rq [-r FORMAT] [-o OUT]\n"
    "       newskg query --store PATH (QUERY | -q FILE.rq) [-r FORMAT]\n"
    "Run a SPARQL query (rasqal: SPARQL 1.0 and parts of 1.1; no property\n"
    "paths, see docs/query-store-export.md) over RDF files (.ttl, .nt, .nq,\n"
    ".trig, .rdf; - for Turtle on standard input) or a store.\n"
    "  -q, --query-file FILE  read the query from FILE (- standard input)\n"
    "  -r, --results FORMAT   table (default), csv, tsv, json, xml; for\n"
    "                         CONSTRUCT and DESCRIBE: turtle, ntriples\n"
    "      --store PATH       query the store made by extract --store\n"
    "  -o, --output FILE      write to FILE instead of standard output\n"
    "  -c, --count            print the number of rows and the time taken\n"
    "                         (loading, query) on standard error\n"
    "Exit status: 0 done; 1 a graph or the query could not be read or run;\n"
    "2 usage error; 3 the store could not be opened or the output written.\n";

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Reads a whole file ("-": standard input) into a new string. */
static char *read_all(const char *path) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f)
    return NULL;
  nkg_buf b = {0};
  char chunk[8192];
  size_t got;
  int ok = nkg_buf_add(&b, "", 0) == 0;
  while (ok && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
    ok = nkg_buf_add(&b, chunk, got) == 0;
  if (ferror(f))
    ok = 0;
  if (f != stdin)
    fclose(f);
  if (!ok || memchr(b.s, '\0', b.len)) {
    nkg_buf_free(&b);
    return NULL;
  }
  return nkg_buf_take(&b);
}

int nkg_cmd_query(int argc, char **argv) {
  static const struct option longopts[] = {
      {"query-file", required_argument, 0, 'q'},
      {"results", required_argument, 0, 'r'},
      {"store", required_argument, 0, 'S'},
      {"output", required_argument, 0, 'o'},
      {"count", no_argument, 0, 'c'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  const char *query_file = NULL, *format = "table", *store = NULL,
             *out_path = NULL;
  int count = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "q:r:o:ch", longopts, NULL)) != -1) {
    switch (c) {
    case 'q':
      query_file = optarg;
      break;
    case 'r':
      format = optarg;
      break;
    case 'S':
      store = optarg;
      break;
    case 'o':
      out_path = optarg;
      break;
    case 'c':
      count = 1;
      break;
    case 'h':
      fputs(query_usage, stdout);
      return NKG_EXIT_OK;
    default:
      fputs(query_usage, stderr);
      return NKG_EXIT_USAGE;
    }
  }
  char **graphs = argv + optind;
  int ngraphs = argc - optind;
  const char *query_text = NULL;
  if (!query_file) {
    if (ngraphs < 1) {
      fprintf(stderr, "newskg query: no QUERY (give it as the last "
                      "argument or with -q FILE.rq)\n");
      return NKG_EXIT_USAGE;
    }
    query_text = graphs[--ngraphs];
  }
  if (!nkg_query_format_ok(format)) {
    fprintf(stderr,
            "newskg query: unknown result format '%s' (table, csv, tsv, "
            "json, xml; turtle, ntriples for graphs)\n",
            format);
    return NKG_EXIT_USAGE;
  }
  if (store ? ngraphs > 0 : ngraphs == 0) {
    fprintf(stderr, store ? "newskg query: give graph files or --store, not "
                            "both\n"
                          : "newskg query: no GRAPH file (or --store PATH)\n");
    return NKG_EXIT_USAGE;
  }
  char *owned = NULL;
  if (query_file) {
    errno = 0;
    owned = read_all(query_file);
    if (!owned) {
      fprintf(stderr, "newskg: %s: cannot read the query: %s\n", query_file,
              errno ? strerror(errno) : "not a text file");
      return NKG_EXIT_INPUT;
    }
    query_text = owned;
  }
  char err[1024] = "";
  nkg_dataset *ds = NULL;
  double t0 = seconds();
  int rc =
      store ? nkg_dataset_open_store(&ds, store, err, sizeof err)
            : nkg_dataset_load(&ds, graphs, (size_t)ngraphs, err, sizeof err);
  if (rc) {
    fprintf(stderr, "newskg: %s\n", err);
    free(owned);
    return store ? NKG_EXIT_FATAL : NKG_EXIT_INPUT;
  }
  nkg_output out;
  if (nkg_output_open(&out, out_path)) {
    nkg_dataset_free(ds);
    free(owned);
    return NKG_EXIT_FATAL;
  }
  size_t rows = 0;
  double t1 = seconds();
  rc = nkg_dataset_query(ds, query_text, query_file ? query_file : "query",
                         format, out.f, &rows, err, sizeof err);
  if (rc)
    fprintf(stderr, "newskg: %s\n", err);
  int wrc = nkg_output_close(&out, rc == 0);
  if (!rc && !wrc && count)
    fprintf(stderr, "newskg: %zu %s; %s %.3f s, query %.3f s\n", rows,
            !strcmp(format, "turtle") || !strcmp(format, "ntriples") ? "triples"
                                                                     : "rows",
            store ? "opening the store" : "loading", t1 - t0, seconds() - t1);
  nkg_dataset_free(ds);
  free(owned);
  if (wrc)
    return NKG_EXIT_FATAL;
  return rc ? NKG_EXIT_INPUT : NKG_EXIT_OK;
}
