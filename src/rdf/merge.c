/* `newskg merge`: the union of graphs built from disjoint sets of
 * documents, made equal to the graph one build of all of them writes.
 *
 * Two streaming passes over the inputs (raptor parsers, one statement at a
 * time). The first collects what the fix-ups need: for each entity its
 * base type, its names (schema:name, schema:alternateName) and how often
 * each surface is mentioned (nif:anchorOf of the phrases that point at it
 * with itsrdf:taIdentRef, as a build counts mentions); the titles, roles,
 * organizations of posts; the participants of events; the documents each
 * build used. The second writes every statement but those the fix-ups
 * replace, and writes each statement that is not a document's own once
 * (entities, posts, ties and events are in every shard that mentions
 * them). Then the replaced statements are written by the code a build
 * uses (map.c), from the united values:
 *   - an entity's schema:name and rdfs:label (the batch rule of
 *     nkg_gentity_name over the united names and mention counts),
 *     schema:alternateName, nkg:matchKey, nkg:mergeEvidence;
 *   - the rdfs:label of posts and events (they show canonical names);
 *   - one prov:Activity for the whole build, named by all the documents
 *     (the IRI a build of all of them mints), started when the first shard
 *     started and ended when the last one ended.
 * Memory grows with the facts across documents (entities, posts, ties,
 * events and their provenance), not with the text: a document's own
 * statements are passed through as they are read. */
#include "merge.h"
#include "rdflib.h"

#include <stdlib.h>
#include <string.h>

#include "../graph.h"
#include "backend.h"
#include "map.h"

#define A RDF_NS "type"

/* ---- what the first pass collects -------------------------------------- */

typedef struct mentity {
  char *iri;
  char *key;
  uint8_t type;
  nkg_strset canonical; /* schema:name of each input */
  nkg_strset alternates;
  nkg_map *surfaces;      /* mention anchor -> count */
  int evidence;           /* 1: a name "listed in the gazetteer"; 2: another */
  const char *kind_class; /* the finer class of the kind that ranks first */
  int kind_rank;
} mentity;

/* The kind whose class this is, ranked (nkg_kind_rank); 0 if none. */
static int class_rank(const char *cls) {
  for (int k = 1; k < NKG_K_COUNT; k++) {
    const char *c = nkg_kind_class(k);
    if (c && !strcmp(c, cls))
      return nkg_kind_rank(k);
  }
  return 0;
}

typedef struct mpost {
  char *iri;
  char *role_iri, *org_iri;
  int former;
  nkg_strset titles;
} mpost;

typedef struct marg {
  char *entity;
  uint8_t role;
} marg;

typedef struct mevent {
  char *iri;
  nkg_strset classes; /* project class IRIs */
  char *cameo;        /* the smallest CAMEO code written for it */
  int negated, modality;
  marg *args;
  size_t nargs, capargs;
  char *time_iri, *condition_iri;
  nkg_strset triggers, docs, spans;
} mevent;

/* A sem:Time node: the event's own (EVENT "/time") or a day's
 * (BASE "time/" DATE), shared by the events of that day. */
typedef struct mtime {
  char *iri;
  nkg_strset labels;
  char *date;
} mtime;

typedef struct mention {
  char *iri;
  char *anchor, *entity;
} mention;

typedef struct merger {
  const nkg_lexicon *lex;
  const char *base;
  size_t base_len;
  char *entity_prefix, *post_prefix, *event_prefix, *role_prefix, *build_prefix,
      *doc_prefix, *time_prefix;
  nkg_map *gaz_by_key; /* gazetteer key -> nkg_gaz */
  nkg_map *entities;   /* IRI -> mentity */
  nkg_map *posts;      /* IRI -> mpost */
  nkg_map *events;     /* IRI -> mevent */
  nkg_map *times;      /* IRI -> mtime */
  nkg_map *roles;      /* role IRI -> prefLabel (string) */
  nkg_map *mentions;   /* phrase IRI -> mention, until both parts are seen */
  nkg_map *doc_input;  /* document IRI -> input index + 1 */
  nkg_strset documents;
  char *started, *ended;
  /* the second pass */
  nkg_map *written; /* statements across documents written so far */
  nkg_rdf *out;
  int named_graphs;
  char *merged_graph;
  char *graph; /* the graph statements go to now */
  /* both */
  size_t input; /* index of the input being read */
  int pass;
  int rc;
  char *err;
  size_t errlen;
} merger;

static int starts(const char *s, const char *prefix) {
  return !strncmp(s, prefix, strlen(prefix));
}

static void fail(merger *m, int rc, const char *what, const char *detail) {
  if (m->rc)
    return;
  m->rc = rc;
  if (m->err && m->errlen)
    snprintf(m->err, m->errlen, "%s%s%s", what, detail ? ": " : "",
             detail ? detail : "");
}

static void free_mentity(void *p) {
  mentity *e = p;
  free(e->iri);
  free(e->key);
  nkg_strset_free(&e->canonical);
  nkg_strset_free(&e->alternates);
  nkg_map_free(e->surfaces, NULL);
  free(e);
}

static void free_mpost(void *p) {
  mpost *x = p;
  free(x->iri);
  free(x->role_iri);
  free(x->org_iri);
  nkg_strset_free(&x->titles);
  free(x);
}

static void free_mevent(void *p) {
  mevent *x = p;
  free(x->iri);
  free(x->cameo);
  nkg_strset_free(&x->classes);
  for (size_t i = 0; i < x->nargs; i++)
    free(x->args[i].entity);
  free(x->args);
  free(x->time_iri);
  free(x->condition_iri);
  nkg_strset_free(&x->triggers);
  nkg_strset_free(&x->docs);
  nkg_strset_free(&x->spans);
  free(x);
}

static void free_mtime(void *p) {
  mtime *x = p;
  free(x->iri);
  nkg_strset_free(&x->labels);
  free(x->date);
  free(x);
}

static void free_mention(void *p) {
  mention *x = p;
  if (!x)
    return;
  free(x->iri);
  free(x->anchor);
  free(x->entity);
  free(x);
}

/* The record for key in map, created zeroed (size bytes) with a copy of the
 * key in its first field if new. */
static void *record(merger *m, nkg_map *map, const char *key, size_t size) {
  void *r = nkg_map_get(map, key, strlen(key));
  if (r)
    return r;
  r = calloc(1, size);
  char *copy = nkg_strdup(key);
  if (!r || !copy || nkg_map_put(map, key, strlen(key), r, NULL)) {
    free(r);
    free(copy);
    fail(m, NKG_ERR_NOMEM, "out of memory", NULL);
    return NULL;
  }
  *(char **)r = copy;
  return r;
}

/* Entity key from its IRI: BASE "entity/" and the key percent-encoded. */
static char *key_of(const char *iri, size_t prefix_len) {
  nkg_buf b = {0};
  nkg_buf_add(&b, "", 0);
  for (const char *p = iri + prefix_len; *p; p++) {
    static const char hex[] = "0123456789ABCDEF";
    const char *h1, *h2;
    if (*p == '%' && p[1] && p[2] && (h1 = strchr(hex, p[1])) &&
        (h2 = strchr(hex, p[2]))) {
      nkg_buf_addc(&b, (char)(((h1 - hex) << 4) | (h2 - hex)));
      p += 2;
    } else {
      nkg_buf_addc(&b, *p);
    }
  }
  return nkg_buf_take(&b);
}

static mentity *entity(merger *m, const char *iri) {
  mentity *e = record(m, m->entities, iri, sizeof *e);
  if (e && !e->key) {
    e->key = key_of(iri, strlen(m->entity_prefix));
    e->surfaces = nkg_map_new();
    if (!e->key || !e->surfaces)
      fail(m, NKG_ERR_NOMEM, "out of memory", NULL);
  }
  return e;
}

static const char *const role_props[NKG_R_COUNT] = {
    NKG_NS "agent",       NKG_NS "patient", NKG_NS "recipient",
    NKG_NS "participant", NKG_NS "host",    NKG_NS "winner",
    SEM_NS "hasPlace",    NKG_NS "origin",  NKG_NS "destination"};

static const char *const modality_iris[] = {
    NKG_NS "Asserted", NKG_NS "Planned", NKG_NS "Conditional",
    NKG_NS "Hypothetical", NKG_NS "Reported"};

static void count_mention(merger *m, const char *phrase, mention *x) {
  if (!x->anchor || !x->entity)
    return;
  mentity *e = entity(m, x->entity);
  if (e) {
    size_t n = (size_t)(uintptr_t)nkg_map_get(e->surfaces, x->anchor,
                                              strlen(x->anchor));
    if (nkg_map_put(e->surfaces, x->anchor, strlen(x->anchor),
                    (void *)(uintptr_t)(n + 1), NULL))
      fail(m, NKG_ERR_NOMEM, "out of memory", NULL);
  }
  /* done with it: with inputs that keep a subject's statements together
   * (as newskg writes them) this map stays small */
  void *old = NULL;
  nkg_map_remove(m->mentions, phrase, strlen(phrase), &old);
  free_mention(old);
}

static void collect(merger *m, const char *s, const char *p, const char *o,
                    const char *lit) {
  if (starts(s, m->build_prefix)) {
    if (!strcmp(p, PROV_NS "used") && o) {
      intptr_t in = (intptr_t)nkg_map_get(m->doc_input, o, strlen(o));
      if (in && (size_t)in != m->input + 1) {
        fail(m, NKG_ERR_DUPLICATE, "a document is in two inputs", o);
        return;
      }
      if (!in && (nkg_map_put(m->doc_input, o, strlen(o),
                              (void *)(intptr_t)(m->input + 1), NULL) ||
                  nkg_strset_add_last(&m->documents, o)))
        fail(m, NKG_ERR_NOMEM, "out of memory", NULL);
    } else if (lit && (!strcmp(p, PROV_NS "startedAtTime") ||
                       !strcmp(p, PROV_NS "endedAtTime"))) {
      int first = !strcmp(p, PROV_NS "startedAtTime");
      char **slot = first ? &m->started : &m->ended;
      int cmp = *slot ? strcmp(lit, *slot) : 0;
      if (!*slot || (first ? cmp < 0 : cmp > 0)) {
        free(*slot);
        *slot = nkg_strdup(lit);
      }
    }
    return;
  }
  if (!strcmp(p, NIF_NS "anchorOf") && lit) {
    mention *x = record(m, m->mentions, s, sizeof *x);
    if (x && !x->anchor) {
      x->anchor = nkg_strdup(lit);
      count_mention(m, s, x);
    }
    return;
  }
  if (!strcmp(p, ITSRDF_NS "taIdentRef") && o) {
    mention *x = record(m, m->mentions, s, sizeof *x);
    if (x && !x->entity) {
      x->entity = nkg_strdup(o);
      count_mention(m, s, x);
    }
    return;
  }
  if (starts(s, m->entity_prefix)) {
    mentity *e = entity(m, s);
    if (!e)
      return;
    if (!strcmp(p, A) && o) {
      int rank = class_rank(o);
      if (!strcmp(o, SCHEMA_NS "Person"))
        e->type = NKG_PER;
      else if (!strcmp(o, SCHEMA_NS "Organization"))
        e->type = NKG_ORG;
      else if (!strcmp(o, SCHEMA_NS "Place"))
        e->type = NKG_LOC;
      else if (rank && (!e->kind_class || rank < e->kind_rank)) {
        e->kind_class = nkg_kind_class(rank);
        e->kind_rank = rank;
      }
    } else if (!strcmp(p, NKG_NS "mergeEvidence") && lit) {
      const char *tail = " in the gazetteer";
      size_t n = strlen(lit), t = strlen(tail);
      e->evidence |= n >= t && !strcmp(lit + n - t, tail) ? 1 : 2;
    } else if (!strcmp(p, SCHEMA_NS "name") && lit) {
      nkg_strset_add(&e->canonical, lit);
    } else if (!strcmp(p, SCHEMA_NS "alternateName") && lit) {
      nkg_strset_add(&e->alternates, lit);
    }
    return;
  }
  if (starts(s, m->post_prefix)) {
    mpost *x = record(m, m->posts, s, sizeof *x);
    if (!x)
      return;
    char **slot = !strcmp(p, ORG_NS "role")     ? &x->role_iri
                  : !strcmp(p, ORG_NS "postIn") ? &x->org_iri
                                                : NULL;
    if (slot && o && !*slot)
      *slot = nkg_strdup(o);
    else if (!strcmp(p, NKG_NS "former") && lit)
      x->former = !strcmp(lit, "true");
    else if (!strcmp(p, NKG_NS "titleAsWritten") && lit)
      nkg_strset_add(&x->titles, lit);
    return;
  }
  if (starts(s, m->role_prefix)) {
    /* a role's wording: the first in byte order, as a build chooses */
    const char *had = nkg_map_get(m->roles, s, strlen(s));
    if (!strcmp(p, SKOS_NS "prefLabel") && lit &&
        (!had || strcmp(lit, had) < 0)) {
      char *label = nkg_strdup(lit);
      void *old = NULL;
      if (!label || nkg_map_put(m->roles, s, strlen(s), label, &old)) {
        free(label);
        fail(m, NKG_ERR_NOMEM, "out of memory", NULL);
      }
      free(old);
    }
    return;
  }
  if (starts(s, m->time_prefix) || (starts(s, m->event_prefix) &&
                                    strchr(s + strlen(m->event_prefix), '/'))) {
    mtime *x = record(m, m->times, s, sizeof *x);
    if (x && !strcmp(p, RDFS_NS "label") && lit)
      nkg_strset_add(&x->labels, lit);
    else if (x && !strcmp(p, TIME_NS "inXSDDate") && lit && !x->date)
      x->date = nkg_strdup(lit);
    return;
  }
  if (starts(s, m->event_prefix)) {
    mevent *x = record(m, m->events, s, sizeof *x);
    if (!x)
      return;
    char **slot = !strcmp(p, SEM_NS "hasTime")     ? &x->time_iri
                  : !strcmp(p, NKG_NS "condition") ? &x->condition_iri
                                                   : NULL;
    nkg_strset *set = !strcmp(p, NKG_NS "trigger")           ? &x->triggers
                      : !strcmp(p, PROV_NS "wasDerivedFrom") ? &x->docs
                      : !strcmp(p, NKG_NS "evidence")        ? &x->spans
                                                             : NULL;
    if (slot && o) {
      if (!*slot)
        *slot = nkg_strdup(o);
    } else if (set) {
      nkg_strset_add(set, o ? o : lit);
    } else if (!strcmp(p, NKG_NS "cameoCode") && lit) {
      if (!x->cameo || strcmp(lit, x->cameo) < 0) {
        free(x->cameo);
        x->cameo = nkg_strdup(lit);
      }
    } else if (!strcmp(p, A) && o && starts(o, NKG_NS)) {
      nkg_strset_add(&x->classes, o);
    } else if (!strcmp(p, NKG_NS "negated") && lit) {
      x->negated = !strcmp(lit, "true");
    } else if (!strcmp(p, NKG_NS "modality") && o) {
      for (int i = 0; i < 5; i++)
        if (!strcmp(o, modality_iris[i]))
          x->modality = i;
    } else if (o) {
      for (int r = 0; r < NKG_R_COUNT; r++) {
        if (strcmp(p, role_props[r]))
          continue;
        marg a = {nkg_strdup(o), (uint8_t)r};
        if (!a.entity || NKG_PUSH(x->args, x->nargs, x->capargs, a)) {
          free(a.entity);
          fail(m, NKG_ERR_NOMEM, "out of memory", NULL);
        }
      }
    }
  }
}

/* ---- the second pass: everything but what is written again -------------- */

static int replaced(const merger *m, const char *s, const char *p,
                    const char *o) {
  if (starts(s, m->build_prefix))
    return 1;
  if (starts(s, m->entity_prefix))
    return (!strcmp(p, A) && o && class_rank(o)) ||
           !strcmp(p, SCHEMA_NS "name") || !strcmp(p, RDFS_NS "label") ||
           !strcmp(p, SCHEMA_NS "alternateName") ||
           !strcmp(p, NKG_NS "matchKey") || !strcmp(p, NKG_NS "mergeEvidence");
  if (starts(s, m->post_prefix))
    return !strcmp(p, RDFS_NS "label");
  if (starts(s, m->role_prefix))
    return !strcmp(p, SKOS_NS "prefLabel");
  /* events and their times: merged again and written anew */
  return starts(s, m->event_prefix) || starts(s, m->time_prefix);
}

/* The graph of a statement read without one: a document's own statements
 * go to the document's graph (its IRI: the subject up to '#' or
 * "/quote/"), the rest to the merged graph. */
static char *graph_of(const merger *m, const char *s) {
  if (!starts(s, m->doc_prefix))
    return nkg_strdup(m->merged_graph);
  size_t n = strcspn(s, "#");
  const char *q = strstr(s, "/quote/");
  if (q && (size_t)(q - s) < n)
    n = (size_t)(q - s);
  return nkg_strndup(s, n);
}

static int set_graph(merger *m, const char *g) {
  if (!m->named_graphs || (m->graph && !strcmp(m->graph, g)))
    return 0;
  free(m->graph);
  m->graph = nkg_strdup(g);
  if (!m->graph)
    return NKG_ERR_NOMEM;
  return nkg_rdf_set_graph(m->out, g);
}

static void pass_through(merger *m, const char *s, const char *p, const char *o,
                         const char *lit, const char *dt, const char *g) {
  if (replaced(m, s, p, o))
    return;
  if (!starts(s, m->doc_prefix)) {
    /* a fact across documents: in every shard that states it */
    nkg_buf key = {0};
    nkg_buf_addf(&key, "%s\n%s\n%c%s\n%s\n%s", s, p, o ? '<' : '"', o ? o : lit,
                 dt ? dt : "", g ? g : "");
    int seen = key.s && nkg_map_get(m->written, key.s, key.len);
    int rc = key.s ? 0 : NKG_ERR_NOMEM;
    if (!rc && !seen)
      rc = nkg_map_put(m->written, key.s, key.len, (void *)1, NULL);
    nkg_buf_free(&key);
    if (rc) {
      fail(m, rc, "out of memory", NULL);
      return;
    }
    if (seen)
      return;
  }
  int rc = 0;
  if (m->named_graphs) {
    char *inferred = g ? NULL : graph_of(m, s);
    rc = (g || inferred) ? set_graph(m, g ? g : inferred) : NKG_ERR_NOMEM;
    free(inferred);
  }
  if (!rc)
    rc = o ? nkg_rdf_iri(m->out, s, p, o) : nkg_rdf_lit(m->out, s, p, lit, dt);
  if (rc)
    fail(m, rc, "could not write the merged graph", nkg_rdf_error(m->out));
}

static void on_statement(void *user, raptor_statement *st) {
  merger *m = user;
  if (m->rc)
    return;
  const raptor_term *ts = st->subject, *tp = st->predicate, *to = st->object;
  if (ts->type != RAPTOR_TERM_TYPE_URI || tp->type != RAPTOR_TERM_TYPE_URI ||
      to->type == RAPTOR_TERM_TYPE_BLANK ||
      (st->graph && st->graph->type != RAPTOR_TERM_TYPE_URI) ||
      (to->type == RAPTOR_TERM_TYPE_LITERAL && to->value.literal.language)) {
    fail(m, NKG_ERR_RDF,
         "not a graph newskg writes (a blank node or a language tag)", NULL);
    return;
  }
  const char *s = (const char *)raptor_uri_as_string(ts->value.uri);
  const char *p = (const char *)raptor_uri_as_string(tp->value.uri);
  const char *o = NULL, *lit = NULL, *dt = NULL, *g = NULL;
  if (to->type == RAPTOR_TERM_TYPE_URI) {
    o = (const char *)raptor_uri_as_string(to->value.uri);
  } else {
    lit = (const char *)to->value.literal.string;
    if (to->value.literal.datatype)
      dt = (const char *)raptor_uri_as_string(to->value.literal.datatype);
  }
  if (st->graph)
    g = (const char *)raptor_uri_as_string(st->graph->value.uri);
  if (m->pass == 1)
    collect(m, s, p, o, lit);
  else
    pass_through(m, s, p, o, lit, dt, g);
}

static const char *syntax_of(const char *path) {
  const char *dot = strrchr(path, '.');
  if (!dot)
    return "guess";
  if (!strcmp(dot, ".nt"))
    return "ntriples";
  if (!strcmp(dot, ".nq"))
    return "nquads";
  if (!strcmp(dot, ".ttl") || !strcmp(dot, ".turtle"))
    return "turtle";
  if (!strcmp(dot, ".rdf") || !strcmp(dot, ".owl") || !strcmp(dot, ".xml"))
    return "rdfxml";
  return "guess";
}

static int read_input(merger *m, const char *path) {
  librdf_world *lw = nkg_rdf_world(); /* loads librdf: a statement of its own */
  if (!lw) {
    fail(m, NKG_ERR_RDF,
         nkg_rdflib_error() ? nkg_rdflib_error() : "no RDF library", path);
    return m->rc;
  }
  raptor_world *world = librdf_world_get_raptor(lw);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fail(m, NKG_ERR_IO, "cannot read", path);
    return m->rc;
  }
  raptor_parser *parser = raptor_new_parser(world, syntax_of(path));
  unsigned char *uri_string = raptor_uri_filename_to_uri_string(path);
  raptor_uri *uri = uri_string ? raptor_new_uri(world, uri_string) : NULL;
  if (!parser || !uri) {
    fail(m, NKG_ERR_NOMEM, "out of memory", NULL);
  } else {
    raptor_parser_set_statement_handler(parser, m, on_statement);
    /* the file's own URI is the base: newskg writes no relative IRIs */
    if (raptor_parser_parse_file_stream(parser, f, path, uri) && !m->rc)
      fail(m, NKG_ERR_RDF, "cannot parse", path);
  }
  if (!m->rc && nkg_rdf_error(m->out))
    fail(m, NKG_ERR_RDF, path, nkg_rdf_error(m->out));
  if (uri)
    raptor_free_uri(uri);
  raptor_free_memory(uri_string);
  if (parser)
    raptor_free_parser(parser);
  fclose(f);
  return m->rc;
}

/* ---- the statements written again ------------------------------------- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The keys of a map, sorted (borrowed from the map). */
static const char **sorted_keys(const nkg_map *map, size_t *n) {
  const char **keys = malloc((nkg_map_size(map) + 1) * sizeof *keys);
  *n = 0;
  if (!keys)
    return NULL;
  for (size_t i = 0; i < nkg_map_slots(map); i++) {
    const char *k;
    void *v;
    if (nkg_map_at(map, i, &k, &v) && v)
      keys[(*n)++] = k;
  }
  qsort(keys, *n, sizeof *keys, cmp_str);
  return keys;
}

/* The entity as one build of all the documents has it: its names are the
 * union of each shard's names, that is of their alternate names and of
 * their canonical names where those are names seen in the text (always,
 * but for a gazetteer entity, whose canonical name is the gazetteer's);
 * each name counts the mentions written exactly so. */
static int build_entity(merger *m, const mentity *x, nkg_gentity *e) {
  memset(e, 0, sizeof *e);
  e->key = x->key;
  e->type = x->type;
  /* a gazetteer entity if a shard's build said so (the reason it gave for
   * a name); with no reasons given, if every shard named it after the
   * gazetteer (then names and counts come out alike either way) */
  const nkg_gaz *gaz = nkg_map_get(m->gaz_by_key, x->key, strlen(x->key));
  if (gaz && !(x->evidence & 1)) {
    for (size_t i = 0; gaz && i < x->canonical.n; i++)
      if ((x->evidence & 2) || strcmp(x->canonical.items[i], gaz->name))
        gaz = NULL;
  }
  e->gaz = gaz;
  int rc = 0;
  for (size_t i = 0; !rc && i < x->alternates.n; i++)
    rc = nkg_strset_add(&e->names, x->alternates.items[i]);
  for (size_t i = 0; !rc && i < x->canonical.n; i++) {
    const char *c = x->canonical.items[i];
    if (!gaz || nkg_map_get(x->surfaces, c, strlen(c)))
      rc = nkg_strset_add(&e->names, c);
  }
  nkg_strset_sort(&e->names);
  if (!rc && e->names.n) {
    e->name_count = calloc(e->names.n, sizeof *e->name_count);
    e->capcount = e->names.n;
    if (!e->name_count)
      rc = NKG_ERR_NOMEM;
  }
  for (size_t i = 0; !rc && i < e->names.n; i++) {
    const char *n = e->names.items[i];
    e->name_count[i] =
        (size_t)(uintptr_t)nkg_map_get(x->surfaces, n, strlen(n));
  }
  return rc;
}

static void free_built(nkg_gentity *e) {
  nkg_strset_free(&e->names);
  free(e->name_count);
}

static int write_entities(merger *m, const nkg_map_ctx *ctx) {
  size_t n;
  const char **iris = sorted_keys(m->entities, &n);
  int rc = iris ? 0 : NKG_ERR_NOMEM;
  for (size_t i = 0; !rc && i < n; i++) {
    const mentity *x = nkg_map_get(m->entities, iris[i], strlen(iris[i]));
    if (!x->canonical.n)
      continue; /* only pointed at: no names to write */
    nkg_gentity e;
    rc = build_entity(m, x, &e);
    if (!rc && x->kind_class)
      rc = nkg_rdf_iri(m->out, x->iri, A, x->kind_class);
    if (!rc)
      rc = nkg_map_entity_names(ctx, &e, x->iri);
    free_built(&e);
  }
  free(iris);
  return rc;
}

/* The canonical name a build of everything gives the entity at iri. */
static char *canonical_name(merger *m, const char *iri) {
  const mentity *x = iri ? nkg_map_get(m->entities, iri, strlen(iri)) : NULL;
  if (!x)
    return NULL;
  nkg_gentity e;
  char *name = NULL;
  if (!build_entity(m, x, &e))
    name = nkg_strdup(nkg_gentity_name(&e));
  free_built(&e);
  return name;
}

static int write_posts(merger *m) {
  size_t n;
  const char **iris = sorted_keys(m->posts, &n);
  int rc = iris ? 0 : NKG_ERR_NOMEM;
  for (size_t i = 0; !rc && i < n; i++) {
    const mpost *x = nkg_map_get(m->posts, iris[i], strlen(iris[i]));
    const char *role =
        x->role_iri ? nkg_map_get(m->roles, x->role_iri, strlen(x->role_iri))
                    : NULL;
    if (!role)
      continue; /* not a post newskg wrote */
    nkg_gpost p;
    memset(&p, 0, sizeof p);
    p.role = (char *)role;
    p.former = (uint8_t)x->former;
    p.titles = x->titles;
    char *org = canonical_name(m, x->org_iri);
    char *label = nkg_post_label(&p, org);
    rc = label ? nkg_rdf_lit(m->out, x->iri, RDFS_NS "label", label, NULL)
               : NKG_ERR_NOMEM;
    free(label);
    free(org);
  }
  free(iris);
  return rc;
}

/* Each role's one prefLabel (the parts' are replaced). */
static int write_roles(merger *m) {
  size_t n;
  const char **iris = sorted_keys(m->roles, &n);
  int rc = iris ? 0 : NKG_ERR_NOMEM;
  for (size_t i = 0; !rc && i < n; i++)
    rc = nkg_rdf_lit(m->out, iris[i], SKOS_NS "prefLabel",
                     nkg_map_get(m->roles, iris[i], strlen(iris[i])), NULL);
  free(iris);
  return rc;
}

static int key_matches(const nkg_buf *key, unsigned long long want) {
  return key->s && (nkg_hash(key->s, key->len) & 0xFFFFFFFFFFFFULL) == want;
}

/* An event with no actor has its article and the offset of its trigger in
 * its key (events.c, key_actorless: BASE "|in=" ID "@" OFFSET): the
 * offset is found in the event's evidence span. */
static int actorless_key(const merger *m, const mevent *x, nkg_buf *key,
                         unsigned long long want) {
  if (x->docs.n != 1 || !starts(x->docs.items[0], m->doc_prefix))
    return 0;
  char *id = key_of(x->docs.items[0], strlen(m->doc_prefix));
  size_t base_len = key->len;
  int found = 0;
  for (size_t i = 0; id && !found && i < x->spans.n; i++) {
    const char *at = strstr(x->spans.items[i], "#char=");
    unsigned long b, e;
    if (!at || sscanf(at, "#char=%lu,%lu", &b, &e) != 2)
      continue;
    for (unsigned long cb = b; !found && cb < e; cb++) {
      key->len = base_len;
      key->s[base_len] = '\0';
      nkg_buf_addf(key, "|in=%s@%lu", id, cb);
      found = key_matches(key, want);
    }
  }
  free(id);
  if (!found && key->s) {
    key->len = base_len;
    key->s[base_len] = '\0';
  }
  return found;
}

/* The key a build gave the event (nkg_event_key: class, polarity,
 * modality, the keys of its participants by role, its date), checked
 * against the hash its IRI carries. A shard wrote the participants and
 * date of the merged event, which may hold places and a date taken from
 * events it absorbed (nkg_graph_merge_events): without them when with them
 * the hash does not match. NULL if no candidate matches. */
static char *event_key(const merger *m, const mevent *x, const nkg_graph *g,
                       const nkg_gevent *e, const char *iri) {
  const char *dash = strrchr(iri, '-');
  unsigned long long want = dash ? strtoull(dash + 1, NULL, 16) : 0;
  for (int variant = 0; variant < 4; variant++) {
    int no_places = variant & 1, no_date = variant & 2;
    nkg_strset parts = {0};
    for (size_t i = 0; i < e->nargs; i++) {
      int role = e->args[i].role;
      if (no_places && role != NKG_R_AGENT && role != NKG_R_PATIENT &&
          role != NKG_R_RECIPIENT && role != NKG_R_PARTICIPANT &&
          role != NKG_R_HOST && role != NKG_R_WINNER)
        continue;
      if (role == NKG_R_WINNER)
        role = NKG_R_AGENT;
      nkg_buf b = {0};
      nkg_buf_addf(&b, "%d=%s", role, g->entities[e->args[i].entity].key);
      nkg_strset_add(&parts, b.s);
      nkg_buf_free(&b);
    }
    nkg_strset_sort(&parts);
    nkg_buf key = {0};
    nkg_buf_addf(&key, "%s|%d|%d", e->trigger ? e->trigger->cls : "Event",
                 e->negated, e->modality);
    for (size_t i = 0; i < parts.n; i++)
      nkg_buf_addf(&key, "|%s", parts.items[i]);
    if (e->date[0] && !no_date)
      nkg_buf_addf(&key, "|@%s", e->date);
    nkg_strset_free(&parts);
    if (key_matches(&key, want) || actorless_key(m, x, &key, want))
      return nkg_buf_take(&key);
    nkg_buf_free(&key);
  }
  return NULL;
}

static int copy_set(nkg_strset *to, const nkg_strset *from) {
  for (size_t i = 0; i < from->n; i++)
    if (nkg_strset_add(to, from->items[i]))
      return NKG_ERR_NOMEM;
  return 0;
}

/* One event as the graph of a build holds it before events are merged
 * across documents. */
static int build_event(merger *m, nkg_graph *g, nkg_map *entity_index,
                       const mevent *x, nkg_trigger *trigger, nkg_gevent *e) {
  if (x->classes.n) {
    trigger->word = (char *)"";
    trigger->cls = (char *)x->classes.items[0] + strlen(NKG_NS);
    trigger->cameo = x->cameo;
    e->trigger = trigger;
  }
  e->negated = (uint8_t)x->negated;
  e->modality = (uint8_t)x->modality;
  const mtime *t = x->time_iri
                       ? nkg_map_get(m->times, x->time_iri, strlen(x->time_iri))
                       : NULL;
  if (t && t->date && strlen(t->date) < sizeof e->date)
    memcpy(e->date, t->date, strlen(t->date) + 1);
  int rc = t ? copy_set(&e->times, &t->labels) : 0;
  if (!rc)
    rc = copy_set(&e->triggers, &x->triggers);
  if (!rc)
    rc = copy_set(&e->docs, &x->docs);
  if (!rc)
    rc = copy_set(&e->spans, &x->spans);
  /* the participants as the build had them: a winner is also written as
   * an agent, an origin or destination also as a place */
  for (size_t a = 0; !rc && a < x->nargs; a++) {
    const marg *arg = &x->args[a];
    int shadow = 0;
    for (size_t b = 0; b < x->nargs; b++)
      if (!strcmp(x->args[b].entity, arg->entity) &&
          ((arg->role == NKG_R_AGENT && x->args[b].role == NKG_R_WINNER) ||
           (arg->role == NKG_R_PLACE &&
            (x->args[b].role == NKG_R_ORIGIN ||
             x->args[b].role == NKG_R_DESTINATION))))
        shadow = 1;
    intptr_t ent =
        (intptr_t)nkg_map_get(entity_index, arg->entity, strlen(arg->entity));
    if (shadow || !ent)
      continue;
    nkg_garg ga = {(int32_t)(ent - 1), arg->role};
    int dup = 0;
    for (size_t k = 0; k < e->nargs; k++)
      dup |= e->args[k].entity == ga.entity && e->args[k].role == ga.role;
    if (!dup && NKG_PUSH(e->args, e->nargs, e->capargs, ga))
      rc = NKG_ERR_NOMEM;
  }
  if (!rc) {
    e->key = event_key(m, x, g, e, x->iri);
    if (!e->key)
      e->key = nkg_strdup(x->iri); /* not written by this version */
    if (!e->key)
      rc = NKG_ERR_NOMEM;
  }
  return rc;
}

/* The events of all the inputs merged across documents again, as one
 * build merges them, and written by the build's own code. */
static int write_events(merger *m, const nkg_map_ctx *ctx) {
  nkg_graph g;
  int rc = nkg_graph_init(&g);
  if (rc)
    return rc;
  nkg_map *entity_index = nkg_map_new();
  size_t nent, nev;
  const char **ents = sorted_keys(m->entities, &nent);
  const char **evs = sorted_keys(m->events, &nev);
  nkg_trigger *triggers = calloc(nev + 1, sizeof *triggers);
  if (!entity_index || !ents || !evs || !triggers)
    rc = NKG_ERR_NOMEM;
  if (!rc && nent)
    rc = nkg_grow((void **)&g.entities, &g.capentities, nent,
                  sizeof *g.entities);
  for (size_t i = 0; !rc && i < nent; i++) {
    const mentity *x = nkg_map_get(m->entities, ents[i], strlen(ents[i]));
    nkg_gentity *e = &g.entities[g.nentities];
    rc = build_entity(m, x, e);
    if (!rc && !(e->key = nkg_strdup(x->key)))
      rc = NKG_ERR_NOMEM;
    g.nentities++;
    if (!rc)
      rc = nkg_map_put(entity_index, ents[i], strlen(ents[i]),
                       (void *)(intptr_t)g.nentities, NULL);
  }
  if (!rc && nev)
    rc = nkg_grow((void **)&g.events, &g.capevents, nev, sizeof *g.events);
  for (size_t i = 0; !rc && i < nev; i++) {
    const mevent *x = nkg_map_get(m->events, evs[i], strlen(evs[i]));
    nkg_gevent *e = &g.events[g.nevents++];
    memset(e, 0, sizeof *e);
    rc = build_event(m, &g, entity_index, x, &triggers[i], e);
    if (!rc)
      rc = nkg_map_put(g.event_index, e->key, strlen(e->key),
                       (void *)(intptr_t)g.nevents, NULL);
  }
  /* conditions point at the key of the event they name */
  for (size_t i = 0; !rc && i < nev; i++) {
    const mevent *x = nkg_map_get(m->events, evs[i], strlen(evs[i]));
    const mevent *c =
        x->condition_iri
            ? nkg_map_get(m->events, x->condition_iri, strlen(x->condition_iri))
            : NULL;
    for (size_t k = 0; c && k < nev; k++)
      if (!strcmp(evs[k], c->iri) &&
          !(g.events[i].condition_key = nkg_strdup(g.events[k].key)))
        rc = NKG_ERR_NOMEM;
  }
  if (!rc)
    rc = nkg_graph_merge_events(&g);
  if (!rc)
    rc = nkg_map_events(ctx, &g);
  nkg_graph_free(&g);
  nkg_map_free(entity_index, NULL);
  free(ents);
  free(evs);
  free(triggers);
  return rc;
}

static int prefixes(merger *m) {
  const char *parts[] = {"entity/", "post/", "event/", "role/",
                         "build/",  "doc/",  "time/"};
  char **slots[] = {&m->entity_prefix, &m->post_prefix,  &m->event_prefix,
                    &m->role_prefix,   &m->build_prefix, &m->doc_prefix,
                    &m->time_prefix};
  for (size_t i = 0; i < 7; i++) {
    nkg_buf b = {0};
    nkg_buf_adds(&b, m->base);
    nkg_buf_adds(&b, parts[i]);
    if (!(*slots[i] = nkg_buf_take(&b)))
      return NKG_ERR_NOMEM;
  }
  m->merged_graph = nkg_iri_merged_graph(m->base);
  return m->merged_graph ? 0 : NKG_ERR_NOMEM;
}

int nkg_merge(const nkg_lexicon *lex, const char *base, const char *format,
              char *const *paths, size_t npaths, FILE *out,
              nkg_merge_stats *stats, char *err, size_t errlen) {
  merger m;
  memset(&m, 0, sizeof m);
  m.lex = lex;
  m.base = base;
  m.err = err;
  m.errlen = errlen;
  if (err && errlen)
    err[0] = '\0';
  m.gaz_by_key = nkg_map_new();
  m.entities = nkg_map_new();
  m.posts = nkg_map_new();
  m.events = nkg_map_new();
  m.times = nkg_map_new();
  m.roles = nkg_map_new();
  m.mentions = nkg_map_new();
  m.doc_input = nkg_map_new();
  m.written = nkg_map_new();
  int rc = (m.gaz_by_key && m.entities && m.posts && m.events && m.times &&
            m.roles && m.mentions && m.doc_input && m.written)
               ? prefixes(&m)
               : NKG_ERR_NOMEM;
  for (size_t i = 0; !rc && i < lex->ngaz; i++)
    if (!nkg_map_get(m.gaz_by_key, lex->gaz[i]->key, strlen(lex->gaz[i]->key)))
      rc = nkg_map_put(m.gaz_by_key, lex->gaz[i]->key, strlen(lex->gaz[i]->key),
                       lex->gaz[i], NULL);
  if (rc)
    fail(&m, rc, "out of memory", NULL);
  if (!m.rc) {
    char msg[256];
    rc = nkg_rdf_open(&m.out, format, out, msg, sizeof msg);
    if (rc)
      fail(&m, rc, msg, NULL);
  }
  m.named_graphs = format && !strcmp(format, "nquads");
  for (m.pass = 1; m.pass <= 2 && !m.rc; m.pass++) {
    for (m.input = 0; m.input < npaths && !m.rc; m.input++) {
      nkg_rdf_capture(m.out);
      read_input(&m, paths[m.input]);
    }
  }
  nkg_map_ctx ctx = {m.out, base, 0, m.named_graphs, 0};
  if (!m.rc && (rc = set_graph(&m, m.merged_graph)))
    fail(&m, rc, "out of memory", NULL);
  if (!m.rc && (rc = write_entities(&m, &ctx)))
    fail(&m, rc, "could not write the entities", nkg_rdf_error(m.out));
  if (!m.rc && (rc = write_posts(&m)))
    fail(&m, rc, "could not write the posts", nkg_rdf_error(m.out));
  if (!m.rc && (rc = write_roles(&m)))
    fail(&m, rc, "could not write the roles", nkg_rdf_error(m.out));
  if (!m.rc && (rc = write_events(&m, &ctx)))
    fail(&m, rc, "could not write the events", nkg_rdf_error(m.out));
  if (!m.rc && (rc = nkg_map_build(&ctx, &m.documents, m.started, m.ended)))
    fail(&m, rc, "could not write the build", nkg_rdf_error(m.out));
  if (m.out) {
    nkg_rdf_capture(m.out);
    if ((rc = nkg_rdf_finish(m.out)))
      fail(&m, rc, "could not write the merged graph", nkg_rdf_error(m.out));
  }
  if (stats) {
    stats->inputs = npaths;
    stats->documents = m.documents.n;
    stats->entities = nkg_map_size(m.entities);
    stats->triples = m.out ? nkg_rdf_count(m.out) : 0;
  }
  nkg_rdf_free(m.out);
  nkg_map_free(m.gaz_by_key, NULL);
  nkg_map_free(m.entities, free_mentity);
  nkg_map_free(m.posts, free_mpost);
  nkg_map_free(m.events, free_mevent);
  nkg_map_free(m.times, free_mtime);
  nkg_map_free(m.roles, free);
  nkg_map_free(m.mentions, free_mention);
  nkg_map_free(m.doc_input, NULL);
  nkg_map_free(m.written, NULL);
  nkg_strset_free(&m.documents);
  free(m.started);
  free(m.ended);
  free(m.entity_prefix);
  free(m.post_prefix);
  free(m.event_prefix);
  free(m.role_prefix);
  free(m.build_prefix);
  free(m.doc_prefix);
  free(m.time_prefix);
  free(m.merged_graph);
  free(m.graph);
  return m.rc;
}
