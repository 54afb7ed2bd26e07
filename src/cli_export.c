/* `newskg export`: the graph for graph tools, as GraphViz DOT or GraphML
 * (what is drawn: src/rdf/export.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "newskg.h"
#include "rdf/dataset.h"
#include "rdf/export.h"

static const char export_usage[] =
    "Usage: newskg export -f dot|graphml (GRAPH... | --store PATH) [-o OUT]\n"
    "Draw the people, organizations, places, events and posts of a graph,\n"
    "labelled with their names, for GraphViz (dot -Tsvg OUT.dot) or tools\n"
    "that read GraphML (Gephi, yEd, Cytoscape, networkx).\n"
    "  -f, --format FORMAT  dot or graphml (required)\n"
    "      --store PATH     export the store made by extract --store\n"
    "  -o, --output FILE    write to FILE instead of standard output\n"
    "  -q, --quiet          no summary on standard error\n"
    "Exit status: 0 done; 1 a graph could not be read; 2 usage error;\n"
    "3 the store could not be opened or the output written.\n";

int nkg_cmd_export(int argc, char **argv) {
  static const struct option longopts[] = {
      {"format", required_argument, 0, 'f'},
      {"store", required_argument, 0, 'S'},
      {"output", required_argument, 0, 'o'},
      {"quiet", no_argument, 0, 'q'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  const char *format = NULL, *store = NULL, *out_path = NULL;
  int quiet = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "f:o:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      format = optarg;
      break;
    case 'S':
      store = optarg;
      break;
    case 'o':
      out_path = optarg;
      break;
    case 'q':
      quiet = 1;
      break;
    case 'h':
      fputs(export_usage, stdout);
      return NKG_EXIT_OK;
    default:
      fputs(export_usage, stderr);
      return NKG_EXIT_USAGE;
    }
  }
  if (!nkg_export_format_ok(format)) {
    fprintf(stderr,
            format ? "newskg export: unknown format '%s' (dot, "
                     "graphml)\n"
                   : "newskg export: which format? -f dot or -f "
                     "graphml\n",
            format);
    return NKG_EXIT_USAGE;
  }
  int ngraphs = argc - optind;
  if (store ? ngraphs > 0 : ngraphs == 0) {
    fprintf(stderr, store ? "newskg export: give graph files or --store, not "
                            "both\n"
                          : "newskg export: no GRAPH file (or --store PATH)\n");
    return NKG_EXIT_USAGE;
  }
  char err[1024] = "";
  nkg_dataset *ds = NULL;
  int rc = store ? nkg_dataset_open_store(&ds, store, err, sizeof err)
                 : nkg_dataset_load(&ds, argv + optind, (size_t)ngraphs, err,
                                    sizeof err);
  if (rc) {
    fprintf(stderr, "newskg: %s\n", err);
    return store ? NKG_EXIT_FATAL : NKG_EXIT_INPUT;
  }
  nkg_output out;
  if (nkg_output_open(&out, out_path)) {
    nkg_dataset_free(ds);
    return NKG_EXIT_FATAL;
  }
  size_t nodes = 0, edges = 0;
  rc = nkg_export(ds, format, out.f, &nodes, &edges, err, sizeof err);
  if (rc)
    fprintf(stderr, "newskg: %s\n", err);
  int wrc = nkg_output_close(&out, rc == 0);
  if (!rc && !wrc && !quiet)
    fprintf(stderr, "newskg: %zu nodes, %zu edges\n", nodes, edges);
  nkg_dataset_free(ds);
  if (rc || wrc)
    return NKG_EXIT_FATAL;
  return NKG_EXIT_OK;
}
