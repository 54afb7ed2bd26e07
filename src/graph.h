/* The build's graph of facts across documents: entities, posts, ties and
 * events after resolution. It holds one record per distinct fact (memory
 * grows with distinct facts, not with text); document-level facts
 * (mentions, quotations, evidence spans) are written as each document is
 * committed and not kept. */
#ifndef NKG_GRAPH_H
#define NKG_GRAPH_H

#include "internal.h"

typedef struct nkg_strset {
  char **items;
  size_t n, cap;
  nkg_map *index;    /* built once the set grows past a few items */
  uint8_t borrowed;  /* the items are another's strings: not copied, not
                        freed (the graph's document IRIs) */
  uint8_t doc_spans; /* the items are evidence spans "N#B,E": characters B
                        to E of document N of the graph's documents (its
                        IRI "#char=B,E"), see nkg_graph_span_iri() */
} nkg_strset;
/* Adds a copy of s unless present (a scan while the set is small, a hash
 * index once it is not). Returns 0 or NKG_ERR_NOMEM. */
int nkg_strset_add(nkg_strset *set, const char *s);
/* Adds a copy of s unless it is the last item: for document lists, which
 * grow one document at a time. */
int nkg_strset_add_last(nkg_strset *set, const char *s);
void nkg_strset_free(nkg_strset *set);
/* Sorts the items (for deterministic output). */
void nkg_strset_sort(nkg_strset *set);

typedef struct nkg_gentity {
  char *key;
  uint8_t type, kind;
  const nkg_gaz *gaz;
  nkg_strset names;   /* every full surface name seen */
  size_t *name_count; /* mentions per name, parallel to names.items */
  size_t capcount;
  size_t mentions;
  nkg_strset docs; /* document IRIs (borrowed from the graph's documents) */
} nkg_gentity;

typedef struct nkg_gpost {
  char *key;
  int32_t person, org; /* gentities (org -1 when none) */
  char *role;          /* normalized */
  nkg_strset titles;   /* as written */
  nkg_strset qualifiers;
  uint8_t former;
  nkg_strset docs, spans;
} nkg_gpost;

/* A binary tie: membership, family, organizational. */
typedef struct nkg_gtie {
  char *key;
  int32_t subject, object;
  const char *predicate, *inverse;
  nkg_strset docs, spans;
} nkg_gtie;

typedef struct nkg_garg {
  int32_t entity;
  uint8_t role;
} nkg_garg;

typedef struct nkg_gevent {
  char *key;
  const nkg_trigger *trigger;
  nkg_garg *args;
  size_t nargs, capargs;
  nkg_strset times; /* labels as written */
  char date[11];
  nkg_strset triggers; /* trigger words as written */
  uint8_t negated, modality;
  char *label;
  char *condition_key; /* key of the event it depends on, or NULL */
  nkg_strset docs, spans;
} nkg_gevent;

typedef struct nkg_graph {
  nkg_map *entity_index; /* key -> index + 1 */
  nkg_gentity *entities;
  size_t nentities, capentities;
  nkg_map *post_index;
  nkg_gpost *posts;
  size_t nposts, capposts;
  nkg_map *tie_index;
  nkg_gtie *ties;
  size_t nties, capties;
  nkg_map *event_index;
  nkg_gevent *events;
  size_t nevents, capevents;
  nkg_strset documents; /* document IRIs, for prov:used; the provenance
                           sets of the records borrow them, and name them
                           by their place here */
} nkg_graph;

int nkg_graph_init(nkg_graph *g);
void nkg_graph_free(nkg_graph *g);

/* Merges one document's resolved facts into the graph. Sets
 * doc->entities[i].global. `doc_iri` is the document's IRI; `base` the base
 * IRI (for span IRIs). */
int nkg_graph_commit(nkg_graph *g, nkg_doc *doc, const char *doc_iri);

/* Works out beforehand what nkg_graph_commit needs from the document alone
 * (the merge key of each event), so that a worker thread does it and the
 * committing thread does less. Optional. Returns 0 or NKG_ERR_NOMEM. */
int nkg_graph_prepare(nkg_doc *doc);

/* Merges events that report one happening: same class, polarity and
 * modality group, and one event's participants, place and date all within
 * another's (most specific first, so the result does not depend on the
 * order of the documents). Run once, after the last document. */
int nkg_graph_merge_events(nkg_graph *g);

/* The order in which an entity's kind is chosen among its documents': the
 * kind number, but government, court and police (all written as
 * schema:GovernmentOrganization) rank alike. */
int nkg_kind_rank(int kind);

/* The canonical name of an entity: the gazetteer name, else the name with
 * the most mentions (ties: the longest, then the smallest in byte order),
 * so that it does not depend on the order of the documents. */
const char *nkg_gentity_name(const nkg_gentity *e);

/* A sentence saying why `other` was joined to the entity (new string). */
char *nkg_merge_reason(const nkg_gentity *e, const char *other);

/* Key of a document event for merging across documents. */
char *nkg_event_key(const nkg_doc *doc, const nkg_event *ev);

/* The IRI of the evidence span `item` of a set with doc_spans, into out
 * (cleared first). Returns 0 or NKG_ERR_NOMEM. */
int nkg_graph_span_iri(const nkg_graph *g, const char *item, nkg_buf *out);

/* IRIs. All return new strings (caller frees). */
char *nkg_iri_doc(const char *base, const char *id);
char *nkg_iri_span(const char *doc_iri, size_t cb, size_t ce);
char *nkg_iri_entity(const char *base, const char *key);
/* nkg_iri_entity into out, which has room for base_len + 8 + 3 *
 * strlen(key) bytes; returns the IRI's length. */
size_t nkg_iri_entity_into(char *out, const char *base, size_t base_len,
                           const char *key);

#endif
