/* Merging shards: graphs that `newskg extract` wrote for disjoint sets of
 * documents, united into the graph one build of all the documents writes
 * (`newskg merge`). IRIs are deterministic, so most of a union is already
 * right; what spans documents and is chosen among several values is
 * written again by the same code a build uses (src/rdf/map.c): each
 * entity's canonical name and the names around it, the labels of posts
 * and events that show canonical names, and the one build activity. */
#ifndef NKG_RDF_MERGE_H
#define NKG_RDF_MERGE_H

#include <stdio.h>

#include "../internal.h"

typedef struct nkg_merge_stats {
  size_t inputs;
  size_t documents; /* documents the merged build used */
  size_t entities;
  size_t triples; /* written */
} nkg_merge_stats;

/* Reads every input twice (so not standard input): the syntax comes from
 * the name (.nt N-Triples, .nq N-Quads, .ttl Turtle, .rdf/.owl/.xml
 * RDF/XML, else guessed). Every input must have been written with `base`
 * and the data of `lex` (which knows the gazetteer entities). Writes
 * `format` ("turtle", "ntriples", "nquads", "rdfxml") to out; with N-Quads
 * a document's facts go to the document's graph and the rest to the
 * merged graph, as a build writes them. Returns 0, or a negative status
 * with a message in err: NKG_ERR_DUPLICATE if two inputs hold one
 * document, NKG_ERR_RDF for input that does not parse or is not a newskg
 * graph (blank nodes, language tags), NKG_ERR_IO. */
int nkg_merge(const nkg_lexicon *lex, const char *base, const char *format,
              char *const *paths, size_t npaths, FILE *out,
              nkg_merge_stats *stats, char *err, size_t errlen);

#endif
