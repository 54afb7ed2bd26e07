/* Mapping the extracted facts to RDF, exactly as
 * design/graph-profile.md says: documents and NIF contexts, mentions,
 * entities, W3C ORG posts and ties, SEM events, quotations, the build's
 * PROV activity. */
#ifndef NKG_RDF_MAP_H
#define NKG_RDF_MAP_H

#include "../graph.h"
#include "backend.h"

typedef struct nkg_map_ctx {
  nkg_rdf *rdf;
  const char *base;
  int include_text;
  int named_graphs; /* N-Quads: one graph per document */
} nkg_map_ctx;

/* A document's own facts (document, context, mentions, quotations,
 * evidence spans); called when the document is committed. */
int nkg_map_document(const nkg_map_ctx *ctx, const nkg_doc *doc,
                     const nkg_graph *graph, const char *doc_iri);

/* Everything that spans documents (entities, posts, roles, ties, events)
 * and the build activity; called once at the end. `started` and `ended`
 * are xsd:dateTime strings or NULL (omitted). */
int nkg_map_graph(const nkg_map_ctx *ctx, const nkg_graph *graph,
                  const char *started, const char *ended);

/* IRIs of the global facts. New strings. */
char *nkg_iri_post(const char *base, const nkg_graph *g, const nkg_gpost *p);
char *nkg_iri_role(const char *base, const char *role);
char *nkg_iri_event(const char *base, const nkg_gevent *e);

#endif
