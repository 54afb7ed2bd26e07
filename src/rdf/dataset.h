/* A graph to read: RDF files loaded into an in-memory librdf model on
 * indexed "hashes" storage (hash-type memory), or a newskg store opened for
 * reading. SPARQL runs over it through librdf/rasqal; the exports walk its
 * statements. Nothing outside src/rdf/ sees a redland type. */
#ifndef NKG_RDF_DATASET_H
#define NKG_RDF_DATASET_H

#include <stddef.h>
#include <stdio.h>

typedef struct nkg_dataset nkg_dataset;

/* Loads the files into one in-memory model. The syntax comes from the
 * name: .ttl/.turtle Turtle, .nt N-Triples, .nq N-Quads (graphs kept as
 * contexts), .trig TriG, .rdf/.owl/.xml RDF/XML; anything else is read as
 * Turtle. "-" is Turtle on standard input. On failure returns a negative
 * status and a message naming the file (and line) in err. */
int nkg_dataset_load(nkg_dataset **out, char *const *paths, size_t npaths,
                     char *err, size_t errlen);

/* Opens the store at path for reading (a shared lock held until freed). */
int nkg_dataset_open_store(nkg_dataset **out, const char *path, char *err,
                           size_t errlen);

void nkg_dataset_free(nkg_dataset *ds);

/* The librdf_model * (for code under src/rdf/). */
void *nkg_dataset_model(nkg_dataset *ds);
/* Number of statements (-1 if the storage cannot say). */
long nkg_dataset_size(nkg_dataset *ds);

/* Is `format` a result format nkg_dataset_query writes? table, csv, tsv,
 * json, xml (SELECT and ASK); turtle, ntriples (CONSTRUCT, DESCRIBE). */
int nkg_query_format_ok(const char *format);

/* Runs a SPARQL query and writes its results to out:
 *   table  an aligned text table, IRIs shortened with the output's
 *          prefixes, literals as their text, then "(N rows)"
 *   csv    SPARQL 1.1 Query Results CSV (RFC 4180, CRLF line ends)
 *   tsv    SPARQL 1.1 Query Results TSV (terms in SPARQL syntax)
 *   json   SPARQL 1.1 Query Results JSON
 *   xml    SPARQL Query Results XML Format
 * ASK gives "true"/"false" in table, csv and tsv. A graph result
 * (CONSTRUCT, DESCRIBE) is written as Turtle, or N-Triples with
 * format "ntriples"; table/csv/tsv/json/xml are refused for it, and
 * turtle/ntriples for bindings. `origin` names the query in messages
 * (a file name, or "query"). Returns 0, NKG_ERR_ARG (a bad query or a
 * format that does not fit the result) or another negative status, with
 * a message in err. *rows gets the number of rows (or triples). */
int nkg_dataset_query(nkg_dataset *ds, const char *query, const char *origin,
                      const char *format, FILE *out, size_t *rows, char *err,
                      size_t errlen);

#endif
