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
  int parallel;     /* nkg_map_graph may map the events on a thread of their
                       own (a build with --jobs; sinks that buffer) */
} nkg_map_ctx;

/* A document's own facts (document, context, mentions, quotations,
 * evidence spans). They depend on the document alone (not on the build's
 * graph), so a worker thread may map them into a buffer sink
 * (nkg_rdf_open_buffer) before the document is committed. */
int nkg_map_document(const nkg_map_ctx *ctx, const nkg_doc *doc,
                     const char *doc_iri);

/* Everything that spans documents (entities, posts, roles, ties, events)
 * and the build activity; called once at the end, after
 * nkg_graph_merge_events if `merge_events` (which the entities, posts and
 * ties do not need: with ctx->parallel it runs meanwhile on a thread of
 * its own). `started` and `ended` are xsd:dateTime strings or NULL
 * (omitted). With named graphs these go to the graph
 * nkg_iri_merged_graph() names. */
int nkg_map_graph(const nkg_map_ctx *ctx, nkg_graph *graph, int merge_events,
                  const char *started, const char *ended);

/* Parts of nkg_map_graph that `newskg merge` writes again for the union of
 * several builds (src/rdf/merge.c), so that a merge says what one build of
 * all the documents says: an entity's schema:name, rdfs:label,
 * schema:alternateName, nkg:matchKey and nkg:mergeEvidence (to the entity
 * IRI `iri`); the build activity over `documents` (prov:used, IRI from
 * their sorted list); the labels of a post (org_name: the canonical name
 * of its organization, or NULL) and of an event. Labels are new strings. */
int nkg_map_entity_names(const nkg_map_ctx *ctx, const nkg_gentity *e,
                         const char *iri);
int nkg_map_build(const nkg_map_ctx *ctx, const nkg_strset *documents,
                  const char *started, const char *ended);
char *nkg_post_label(const nkg_gpost *p, const char *org_name);
/* The class an entity of this kind gets beside its base type (e.g.
 * schema:Country), or NULL. */
const char *nkg_kind_class(int kind);
/* Every event of g, as nkg_map_graph writes them. */
int nkg_map_events(const nkg_map_ctx *ctx, const nkg_graph *g);
char *nkg_event_label(const nkg_graph *g, const nkg_gevent *e);

/* The named graph of the facts across documents: BASE "graph/merged". */
char *nkg_iri_merged_graph(const char *base);

/* IRIs of the global facts. New strings. */
char *nkg_iri_post(const char *base, const nkg_graph *g, const nkg_gpost *p);
char *nkg_iri_role(const char *base, const char *role);
char *nkg_iri_event(const char *base, const nkg_gevent *e);

#endif
