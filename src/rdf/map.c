#include "map.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../ordered.h"

#define A RDF_NS "type"
#define CHECK(x)                                                               \
  do {                                                                         \
    int rc_ = (x);                                                             \
    if (rc_)                                                                   \
      return rc_;                                                              \
  } while (0)

static const char *const role_props[NKG_R_COUNT] = {
    NKG_NS "agent",       NKG_NS "patient", NKG_NS "recipient",
    NKG_NS "participant", NKG_NS "host",    NKG_NS "winner",
    SEM_NS "hasPlace",    NKG_NS "origin",  NKG_NS "destination"};

static const char *const modality_iris[] = {
    NKG_NS "Asserted", NKG_NS "Planned", NKG_NS "Conditional",
    NKG_NS "Hypothetical", NKG_NS "Reported"};

/* ---- IRIs ------------------------------------------------------------------
 */

char *nkg_iri_role(const char *base, const char *role) {
  char *slug = nkg_slug(role, strlen(role));
  nkg_buf b = {0};
  nkg_buf_adds(&b, base);
  nkg_buf_add(&b, "role/", 5);
  nkg_buf_adds(&b, slug && *slug ? slug : "role");
  free(slug);
  return nkg_buf_take(&b);
}

static void add_key_path(nkg_buf *b, const char *key) {
  const char *run = key, *p = key;
  for (; *p; p++) {
    char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '/')
      continue;
    /* "%XX" for the others; runs of kept bytes copied at once */
    char esc[3] = {'%', "0123456789ABCDEF"[(unsigned char)c >> 4],
                   "0123456789ABCDEF"[(unsigned char)c & 15]};
    nkg_buf_add(b, run, (size_t)(p - run));
    nkg_buf_add(b, esc, 3);
    run = p + 1;
  }
  nkg_buf_add(b, run, (size_t)(p - run));
}

char *nkg_iri_post(const char *base, const nkg_graph *g, const nkg_gpost *p) {
  nkg_buf b = {0};
  char *slug = nkg_slug(p->role, strlen(p->role));
  nkg_buf_adds(&b, base);
  nkg_buf_add(&b, "post/", 5);
  add_key_path(&b, g->entities[p->person].key);
  nkg_buf_add(&b, "/", 1);
  nkg_buf_adds(&b, slug && *slug ? slug : "role");
  if (p->org >= 0) {
    nkg_buf_adds(&b, "/in/");
    add_key_path(&b, g->entities[p->org].key);
  }
  if (p->former)
    nkg_buf_adds(&b, "/former");
  free(slug);
  return nkg_buf_take(&b);
}

/* The slugs of event classes, made once per class while the events of a
 * build are mapped. */
#define SLUG_CACHE 64
typedef struct slug_cache {
  const char *cls[SLUG_CACHE];
  char *slug[SLUG_CACHE];
  size_t n;
} slug_cache;

static void slugs_free(slug_cache *cache) {
  for (size_t i = 0; i < cache->n; i++)
    free(cache->slug[i]);
}

static char *event_iri(const char *base, const nkg_gevent *e,
                       slug_cache *cache) {
  const char *cls = e->trigger ? e->trigger->cls : "Event";
  const char *slug = NULL;
  char *made = NULL;
  for (size_t i = 0; cache && i < cache->n && !slug; i++)
    if (cache->cls[i] == cls ||
        (cache->cls[i][0] == cls[0] && !strcmp(cache->cls[i], cls)))
      slug = cache->slug[i];
  if (!slug) {
    slug = made = nkg_slug(cls, strlen(cls));
    if (made && cache && cache->n < SLUG_CACHE) {
      cache->cls[cache->n] = cls;
      cache->slug[cache->n++] = made;
      made = NULL;
    }
  }
  /* BASE "event/" SLUG "-" and 48 bits of the key's hash in 12 hex digits
   * (once per event: no printf) */
  uint64_t h = nkg_hash(e->key, strlen(e->key)) & 0xFFFFFFFFFFFFULL;
  char hex[13];
  hex[0] = '-';
  for (int i = 12; i >= 1; i--, h >>= 4)
    hex[i] = "0123456789abcdef"[h & 15];
  nkg_buf b = {0};
  int rc = nkg_buf_adds(&b, base) || nkg_buf_add(&b, "event/", 6) ||
           nkg_buf_adds(&b, slug ? slug : "event") ||
           nkg_buf_add(&b, hex, sizeof hex);
  free(made);
  if (rc) {
    nkg_buf_free(&b);
    return NULL;
  }
  return nkg_buf_take(&b);
}

char *nkg_iri_event(const char *base, const nkg_gevent *e) {
  return event_iri(base, e, NULL);
}

/* ---- document-level facts ------------------------------------------------ */

/* What the facts of one document share while they are mapped. They need
 * nothing from the build's graph (an entity's IRI is its key's, and the
 * global entity has the document entity's key), so a worker thread maps
 * them before the document is committed. */
/* A span written already, keyed by its character offsets (end >= 1, so
 * key 0 marks an empty slot). */
struct span_slot {
  uint64_t key;
  char *iri;
};

typedef struct doc_map {
  const nkg_map_ctx *ctx;
  const nkg_doc *doc;
  const char *doc_iri;
  size_t doc_len; /* strlen(doc_iri) */
  char *ctx_iri;  /* doc#char=0,N */
  size_t ctx_len;
  struct span_slot *done; /* the spans written: (begin, end) -> IRI */
  size_t done_mask;       /* slots - 1 (a power of two) */
  char *arena;            /* the IRIs of spans, quotations and entities */
  size_t base_len;        /* strlen(ctx->base) */
  size_t arena_used;
  char **entity_iris; /* per document entity, made on first use */
  size_t *entity_lens;
  int plain; /* the IRIs need no escaping (all derive from doc_iri) */
} doc_map;

/* A constant IRI and its length. */
#define K(iri) iri, sizeof iri - 1

static int d_iri(doc_map *dm, const char *s, size_t ls, const char *p,
                 size_t lp, const char *o, size_t lo) {
  return nkg_rdf_iri_known(dm->ctx->rdf, s, ls, p, lp, o, lo, dm->plain);
}

static int d_lit(doc_map *dm, const char *s, size_t ls, const char *p,
                 size_t lp, const char *lit, size_t n, const char *datatype) {
  return nkg_rdf_lit_known(dm->ctx->rdf, s, ls, p, lp, lit, n, datatype,
                           dm->plain);
}

static int d_uint(doc_map *dm, const char *s, size_t ls, const char *p,
                  size_t lp, unsigned long long v) {
  return nkg_rdf_uint_known(dm->ctx->rdf, s, ls, p, lp, v, dm->plain);
}

/* "B,E" into buf (room for 22 bytes): span_node runs for every mention,
 * and printf was a tenth of its cost. Returns the length. */
static size_t span_key(char *buf, uint32_t b, uint32_t e) {
  size_t n = nkg_put_decimal(buf, b);
  buf[n++] = ',';
  n += nkg_put_decimal(buf + n, e);
  buf[n] = '\0';
  return n;
}

/* The IRI of document entity i, or NULL if out of memory. */
static const char *entity_iri(doc_map *dm, int32_t i) {
  if (!dm->entity_iris[i]) {
    /* in the document's block: room was made for every entity */
    char *iri = dm->arena + dm->arena_used;
    dm->entity_lens[i] = nkg_iri_entity_into(iri, dm->ctx->base, dm->base_len,
                                             dm->doc->entities[i].key);
    dm->arena_used += dm->entity_lens[i] + 1;
    dm->entity_iris[i] = iri;
  }
  return dm->entity_iris[i];
}

static int span_node(doc_map *dm, uint32_t tb, uint32_t te, const char *cls,
                     size_t cls_len, const char **out) {
  const nkg_doc *doc = dm->doc;
  *out = NULL;
  if (te <= tb || te > doc->ntoks)
    return 0;
  const nkg_token *b = &doc->toks[tb], *e = &doc->toks[te - 1];
  char key[24];
  size_t keylen = span_key(key, b->cb, e->ce);
  uint64_t k = (uint64_t)b->cb << 32 | e->ce;
  size_t at = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 32) & dm->done_mask;
  while (dm->done[at].key && dm->done[at].key != k)
    at = (at + 1) & dm->done_mask;
  if (dm->done[at].key) {
    *out = dm->done[at].iri;
    return 0;
  }
  size_t len = dm->doc_len + 6 + keylen;
  char *iri = dm->arena + dm->arena_used;
  dm->arena_used += len + 1;
  memcpy(iri, dm->doc_iri, dm->doc_len);
  memcpy(iri + dm->doc_len, "#char=", 6);
  memcpy(iri + dm->doc_len + 6, key, keylen + 1);
  dm->done[at].key = k;
  dm->done[at].iri = iri;
  CHECK(d_iri(dm, iri, len, K(A), cls, cls_len));
  CHECK(d_iri(dm, iri, len, K(NIF_NS "referenceContext"), dm->ctx_iri,
              dm->ctx_len));
  CHECK(d_uint(dm, iri, len, K(NIF_NS "beginIndex"), b->cb));
  CHECK(d_uint(dm, iri, len, K(NIF_NS "endIndex"), e->ce));
  CHECK(d_lit(dm, iri, len, K(NIF_NS "anchorOf"), doc->text + b->b, e->e - b->b,
              NULL));
  *out = iri;
  return 0;
}

static int map_quote(doc_map *dm, const nkg_quote *q) {
  const nkg_doc *doc = dm->doc;
  if (q->te <= q->tb)
    return 0;
  const nkg_token *b = &doc->toks[q->tb], *e = &doc->toks[q->te - 1];
  /* DOC "/quote/B-E", in the block of span IRIs */
  char offsets[24];
  size_t on = span_key(offsets, b->cb, e->ce);
  *strchr(offsets, ',') = '-';
  struct {
    char *s;
    size_t len;
  } qi = {dm->arena + dm->arena_used, dm->doc_len + 7 + on};
  memcpy(qi.s, dm->doc_iri, dm->doc_len);
  memcpy(qi.s + dm->doc_len, "/quote/", 7);
  memcpy(qi.s + dm->doc_len + 7, offsets, on + 1);
  dm->arena_used += qi.len + 1;
  int rc = d_iri(dm, qi.s, qi.len, K(A), K(SCHEMA_NS "Quotation"));
  if (!rc)
    rc = d_lit(dm, qi.s, qi.len, K(SCHEMA_NS "text"), doc->text + b->b,
               e->e - b->b, NULL);
  if (!rc)
    rc = d_iri(dm, qi.s, qi.len, K(PROV_NS "wasDerivedFrom"), dm->doc_iri,
               dm->doc_len);
  const char *span = NULL;
  if (!rc)
    rc = span_node(dm, q->tb, q->te, K(NIF_NS "String"), &span);
  if (!rc && span)
    rc = d_iri(dm, qi.s, qi.len, K(NKG_NS "evidence"), span, strlen(span));
  const struct {
    int32_t who;
    const char *prop;
  } links[] = {{q->speaker, SCHEMA_NS "creator"},
               {q->channel, NKG_NS "channel"},
               {q->addressee, NKG_NS "addressee"}};
  for (size_t i = 0; !rc && i < 3; i++) {
    if (links[i].who < 0 || (size_t)links[i].who >= doc->nentities)
      continue;
    const char *ei = entity_iri(dm, links[i].who);
    rc = ei ? d_iri(dm, qi.s, qi.len, links[i].prop, strlen(links[i].prop), ei,
                    dm->entity_lens[links[i].who])
            : NKG_ERR_NOMEM;
  }
  if (!rc && q->speaker_mention >= 0 &&
      (size_t)q->speaker_mention < doc->nmentions) {
    const nkg_mention *m = &doc->mentions[q->speaker_mention];
    char *mi =
        nkg_iri_span(dm->doc_iri, doc->toks[m->tb].cb, doc->toks[m->te - 1].ce);
    rc =
        mi ? d_iri(dm, qi.s, qi.len, K(NKG_NS "speakerMention"), mi, strlen(mi))
           : NKG_ERR_NOMEM;
    free(mi);
  }
  return rc;
}

/* A first line that stands alone as a paragraph, short and without a full
 * stop, is the article's headline (as in the BBC corpus). */
static int has_headline(const nkg_doc *doc) {
  if (doc->nsents < 2 || doc->sents[1].para == doc->sents[0].para)
    return 0;
  const nkg_sentence *s = &doc->sents[0];
  if (s->te - s->tb > 30 || s->te == s->tb)
    return 0;
  char last = doc->text[doc->toks[s->te - 1].b];
  return last != '.' && last != '!' && last != '?' && last != '"';
}

static int map_document(doc_map *dm) {
  const nkg_doc *doc = dm->doc;
  const char *doc_iri = dm->doc_iri, *ctx_iri = dm->ctx_iri;
  size_t dl = dm->doc_len, cl = dm->ctx_len;
  CHECK(d_iri(dm, doc_iri, dl, K(A), K(SCHEMA_NS "NewsArticle")));
  CHECK(d_lit(dm, doc_iri, dl, K(SCHEMA_NS "identifier"), doc->id,
              strlen(doc->id), NULL));
  if (doc->date)
    CHECK(d_lit(dm, doc_iri, dl, K(SCHEMA_NS "datePublished"), doc->date,
                strlen(doc->date), XSD_NS "date"));
  if (doc->source)
    CHECK(d_lit(dm, doc_iri, dl, K(SCHEMA_NS "publisher"), doc->source,
                strlen(doc->source), NULL));
  if (has_headline(doc)) {
    const nkg_sentence *s = &doc->sents[0];
    CHECK(d_lit(dm, doc_iri, dl, K(SCHEMA_NS "headline"),
                doc->text + doc->toks[s->tb].b,
                doc->toks[s->te - 1].e - doc->toks[s->tb].b, NULL));
  }
  CHECK(d_iri(dm, ctx_iri, cl, K(A), K(NIF_NS "Context")));
  CHECK(d_uint(dm, ctx_iri, cl, K(NIF_NS "beginIndex"), 0));
  CHECK(d_uint(dm, ctx_iri, cl, K(NIF_NS "endIndex"), doc->ncp));
  CHECK(d_iri(dm, ctx_iri, cl, K(NIF_NS "sourceUrl"), doc_iri, dl));
  if (dm->ctx->include_text)
    CHECK(d_lit(dm, ctx_iri, cl, K(NIF_NS "isString"), doc->text, doc->len,
                NULL));
  /* mentions */
  for (size_t i = 0; i < doc->nmentions; i++) {
    const nkg_mention *m = &doc->mentions[i];
    const char *iri;
    CHECK(span_node(dm, m->tb, m->te, K(NIF_NS "Phrase"), &iri));
    if (!iri)
      continue;
    const char *ei = entity_iri(dm, m->entity);
    CHECK(ei ? d_iri(dm, iri, strlen(iri), K(ITSRDF_NS "taIdentRef"), ei,
                     dm->entity_lens[m->entity])
             : NKG_ERR_NOMEM);
  }
  /* evidence spans of the document's posts, ties and events */
  const char *span;
  for (size_t i = 0; i < doc->nposts; i++)
    CHECK(span_node(dm, doc->posts[i].tb, doc->posts[i].te, K(NIF_NS "String"),
                    &span));
  for (size_t i = 0; i < doc->nmembers; i++)
    CHECK(span_node(dm, doc->members[i].tb, doc->members[i].te,
                    K(NIF_NS "String"), &span));
  for (size_t i = 0; i < doc->nties; i++)
    CHECK(span_node(dm, doc->ties[i].tb, doc->ties[i].te, K(NIF_NS "String"),
                    &span));
  for (size_t i = 0; i < doc->nevents; i++)
    CHECK(span_node(dm, doc->events[i].tb, doc->events[i].te,
                    K(NIF_NS "String"), &span));
  for (size_t i = 0; i < doc->nquotes; i++)
    CHECK(map_quote(dm, &doc->quotes[i]));
  return 0;
}

int nkg_map_document(const nkg_map_ctx *ctx, const nkg_doc *doc,
                     const char *doc_iri) {
  nkg_rdf *r = ctx->rdf;
  if (ctx->named_graphs)
    CHECK(nkg_rdf_set_graph(r, doc_iri));
  doc_map dm;
  memset(&dm, 0, sizeof dm);
  dm.ctx = ctx;
  dm.doc = doc;
  dm.doc_iri = doc_iri;
  dm.doc_len = strlen(doc_iri);
  /* the base is in doc_iri, and the rest of every IRI here is plain */
  dm.plain = nkg_rdf_iri_plain(doc_iri, dm.doc_len);
  dm.ctx_iri = nkg_iri_span(doc_iri, 0, doc->ncp);
  dm.ctx_len = dm.ctx_iri ? strlen(dm.ctx_iri) : 0;
  /* at most one span per mention, post, membership, tie, event and
   * quotation: the table stays at most half full */
  size_t spans = doc->nmentions + doc->nposts + doc->nmembers + doc->nties +
                 doc->nevents + doc->nquotes;
  size_t slots = 16;
  while (slots < 2 * spans)
    slots *= 2;
  /* the table and the entity IRIs and lengths in one block */
  size_t nent = doc->nentities + 1;
  dm.done =
      calloc(1, slots * sizeof *dm.done +
                    nent * (sizeof *dm.entity_iris + sizeof *dm.entity_lens));
  dm.done_mask = slots - 1;
  if (dm.done) {
    dm.entity_iris = (char **)(dm.done + slots);
    dm.entity_lens = (size_t *)(dm.entity_iris + nent);
  }
  /* room for every span's IRI: the document's, "#char=" and two offsets */
  dm.base_len = strlen(ctx->base);
  size_t room = (spans ? spans : 1) * (dm.doc_len + 6 + 22) +
                doc->nquotes * (dm.doc_len + 7 + 22);
  for (size_t i = 0; i < doc->nentities; i++)
    room += dm.base_len + 8 + 3 * strlen(doc->entities[i].key);
  dm.arena = malloc(room);
  int rc =
      (dm.ctx_iri && dm.done && dm.arena && dm.entity_iris && dm.entity_lens)
          ? map_document(&dm)
          : NKG_ERR_NOMEM;
  free(dm.arena);
  free(dm.ctx_iri);
  free(dm.done);
  if (ctx->named_graphs && !rc)
    rc = nkg_rdf_set_graph(r, NULL);
  return rc;
}

/* ---- facts across documents ---------------------------------------------- */

static const char *finer_class(int type, int kind);

const char *nkg_kind_class(int kind) { return finer_class(NKG_NONE, kind); }

static const char *finer_class(int type, int kind) {
  switch (kind) {
  case NKG_K_COUNTRY:
    return SCHEMA_NS "Country";
  case NKG_K_CITY:
    return SCHEMA_NS "City";
  case NKG_K_STATE:
    return SCHEMA_NS "AdministrativeArea";
  case NKG_K_CONTINENT:
    return SCHEMA_NS "Continent";
  case NKG_K_TERRITORY:
    return NKG_NS "Territory";
  case NKG_K_REGION:
    return NKG_NS "Region";
  case NKG_K_GOVERNMENT:
  case NKG_K_POLICE:
  case NKG_K_COURT:
    return SCHEMA_NS "GovernmentOrganization";
  case NKG_K_LEGISLATURE:
    return NKG_NS "Legislature";
  case NKG_K_PARTY:
    return NKG_NS "PoliticalParty";
  case NKG_K_MEDIA:
    return SCHEMA_NS "NewsMediaOrganization";
  case NKG_K_NEWSAGENCY:
    return NKG_NS "NewsAgency";
  case NKG_K_INTERNATIONAL:
    return NKG_NS "InternationalOrganization";
  case NKG_K_ARMEDGROUP:
    return NKG_NS "ArmedGroup";
  case NKG_K_COMPANY:
    return NKG_NS "Company";
  case NKG_K_SPORT:
    return SCHEMA_NS "SportsOrganization";
  case NKG_K_EDUCATION:
    return SCHEMA_NS "EducationalOrganization";
  default:
    (void)type;
    return NULL;
  }
}

/* The IRI of entity i of g: from `iris` (made once by map_graph, as posts,
 * ties and events name an entity again and again) or made into *made,
 * which the caller frees. NULL if out of memory. */
static const char *graph_entity_iri(const nkg_map_ctx *ctx, const nkg_graph *g,
                                    char *const *iris, int32_t i, char **made) {
  if (iris)
    return iris[i];
  return *made = nkg_iri_entity(ctx->base, g->entities[i].key);
}

static int map_entity(const nkg_map_ctx *ctx, const nkg_gentity *e,
                      const char *iri) {
  nkg_rdf *r = ctx->rdf;
  static const char *const base_types[] = {
      NULL, SCHEMA_NS "Person", SCHEMA_NS "Organization", SCHEMA_NS "Place"};
  int rc = nkg_rdf_iri(r, iri, A, base_types[e->type]);
  const char *finer = finer_class(e->type, e->kind);
  if (!rc && finer)
    rc = nkg_rdf_iri(r, iri, A, finer);
  if (!rc)
    rc = nkg_map_entity_names(ctx, e, iri);
  if (!rc && e->gaz && e->gaz->country && e->gaz->country != e->gaz &&
      e->type == NKG_LOC) {
    char *ci = nkg_iri_entity(ctx->base, e->gaz->country->key);
    rc = ci ? nkg_rdf_iri(r, iri, SCHEMA_NS "containedInPlace", ci)
            : NKG_ERR_NOMEM;
    free(ci);
  }
  return rc;
}

int nkg_map_entity_names(const nkg_map_ctx *ctx, const nkg_gentity *e,
                         const char *iri) {
  nkg_rdf *r = ctx->rdf;
  const char *name = nkg_gentity_name(e);
  int rc = nkg_rdf_lit(r, iri, SCHEMA_NS "name", name, NULL);
  if (!rc)
    rc = nkg_rdf_lit(r, iri, RDFS_NS "label", name, NULL);
  for (size_t i = 0; !rc && i < e->names.n; i++)
    if (strcmp(e->names.items[i], name))
      rc = nkg_rdf_lit(r, iri, SCHEMA_NS "alternateName", e->names.items[i],
                       NULL);
  if (!rc && e->names.n > 1)
    rc = nkg_rdf_lit(r, iri, NKG_NS "matchKey", e->key, NULL);
  /* why each other name was joined to this entity */
  for (size_t i = 0; !rc && i < e->names.n; i++) {
    if (!strcmp(e->names.items[i], name))
      continue;
    char *why = nkg_merge_reason(e, e->names.items[i]);
    rc = why ? nkg_rdf_lit(r, iri, NKG_NS "mergeEvidence", why, NULL)
             : NKG_ERR_NOMEM;
    free(why);
  }
  return rc;
}

static int add_provenance(nkg_rdf *r, const nkg_graph *g, const char *iri,
                          const nkg_strset *docs, const nkg_strset *spans) {
  for (size_t i = 0; i < docs->n; i++)
    CHECK(nkg_rdf_iri(r, iri, PROV_NS "wasDerivedFrom", docs->items[i]));
  if (!spans->doc_spans) {
    for (size_t i = 0; i < spans->n; i++)
      CHECK(nkg_rdf_iri(r, iri, NKG_NS "evidence", spans->items[i]));
    return 0;
  }
  nkg_buf span = {0};
  int rc = 0;
  for (size_t i = 0; !rc && i < spans->n; i++) {
    rc = nkg_graph_span_iri(g, spans->items[i], &span);
    if (!rc)
      rc = nkg_rdf_iri(r, iri, NKG_NS "evidence", span.s);
  }
  nkg_buf_free(&span);
  return rc;
}

static int map_post(const nkg_map_ctx *ctx, const nkg_graph *g,
                    char *const *iris, const nkg_gpost *p) {
  nkg_rdf *r = ctx->rdf;
  char *iri = nkg_iri_post(ctx->base, g, p);
  char *role = nkg_iri_role(ctx->base, p->role);
  char *made_person = NULL, *made_org = NULL;
  const char *person = graph_entity_iri(ctx, g, iris, p->person, &made_person);
  const char *org =
      p->org >= 0 ? graph_entity_iri(ctx, g, iris, p->org, &made_org) : NULL;
  char *label = NULL;
  int rc = (iri && role && person) ? 0 : NKG_ERR_NOMEM;
  if (!rc)
    rc = nkg_rdf_iri(r, iri, A, ORG_NS "Post");
  if (!rc)
    rc = nkg_rdf_iri(r, iri, ORG_NS "heldBy", person);
  if (!rc)
    rc = nkg_rdf_iri(r, person, ORG_NS "holds", iri);
  if (!rc)
    rc = nkg_rdf_iri(r, iri, ORG_NS "role", role);
  if (!rc && org)
    rc = nkg_rdf_iri(r, iri, ORG_NS "postIn", org);
  for (size_t i = 0; !rc && i < p->titles.n; i++)
    rc = nkg_rdf_lit(r, iri, NKG_NS "titleAsWritten", p->titles.items[i], NULL);
  for (size_t i = 0; !rc && i < p->qualifiers.n; i++)
    rc = nkg_rdf_lit(r, iri, NKG_NS "qualifier", p->qualifiers.items[i], NULL);
  if (!rc) {
    label = nkg_post_label(
        p, p->org >= 0 ? nkg_gentity_name(&g->entities[p->org]) : NULL);
    rc = label ? nkg_rdf_lit(r, iri, RDFS_NS "label", label, NULL)
               : NKG_ERR_NOMEM;
  }
  if (!rc)
    rc = nkg_rdf_bool(r, iri, NKG_NS "former", p->former);
  if (!rc)
    rc = add_provenance(r, g, iri, &p->docs, &p->spans);
  free(label);
  free(iri);
  free(role);
  free(made_person);
  free(made_org);
  return rc;
}

char *nkg_post_label(const nkg_gpost *p, const char *org_name) {
  /* the title as first written (sorted for determinism), "of" the
   * organization */
  const char *shown = p->role;
  for (size_t i = 0; i < p->titles.n; i++)
    if (i == 0 || strcmp(p->titles.items[i], shown) < 0)
      shown = p->titles.items[i];
  nkg_buf label = {0};
  if (p->former)
    nkg_buf_add(&label, "former ", 7);
  nkg_buf_adds(&label, shown);
  if (org_name) {
    nkg_buf_add(&label, " of ", 4);
    nkg_buf_adds(&label, org_name);
  }
  return nkg_buf_take(&label);
}

static int map_tie(const nkg_map_ctx *ctx, const nkg_graph *g,
                   char *const *iris, const nkg_gtie *t) {
  char *made_s = NULL, *made_o = NULL;
  const char *s = graph_entity_iri(ctx, g, iris, t->subject, &made_s);
  const char *o = graph_entity_iri(ctx, g, iris, t->object, &made_o);
  int rc = (s && o) ? nkg_rdf_iri(ctx->rdf, s, t->predicate, o) : NKG_ERR_NOMEM;
  if (!rc && t->inverse)
    rc = nkg_rdf_iri(ctx->rdf, o, t->inverse, s);
  free(made_s);
  free(made_o);
  return rc;
}

static const char *role_word(int role) {
  switch (role) {
  case NKG_R_AGENT:
  case NKG_R_WINNER:
    return "by";
  case NKG_R_PATIENT:
    return "of";
  case NKG_R_RECIPIENT:
    return "to";
  case NKG_R_HOST:
    return "hosted by";
  case NKG_R_PLACE:
    return "in";
  case NKG_R_ORIGIN:
    return "from";
  case NKG_R_DESTINATION:
    return "to";
  default:
    return "with";
  }
}

char *nkg_event_label(const nkg_graph *g, const nkg_gevent *e) {
  /* participants, sorted by role then name for a stable label */
  const char *cls = e->trigger ? e->trigger->cls : NULL;
  nkg_buf label = {0};
  const char *few[16], **names = few;
  if (e->nargs > sizeof few / sizeof *few &&
      !(names = malloc(e->nargs * sizeof *names)))
    return NULL;
  if (e->negated)
    nkg_buf_adds(&label, "no ");
  nkg_buf_adds(&label, cls ? cls : "Event");
  for (int role = 0; role < NKG_R_COUNT; role++) {
    /* the names in this role, sorted (strcmp), each once */
    size_t n = 0;
    for (size_t i = 0; i < e->nargs; i++) {
      if (e->args[i].role != role)
        continue;
      const char *name = nkg_gentity_name(&g->entities[e->args[i].entity]);
      size_t j = n;
      int c = 1;
      while (j && (c = strcmp(names[j - 1], name)) > 0)
        j--;
      if (j && !c)
        continue;
      memmove(names + j + 1, names + j, (n - j) * sizeof *names);
      names[j] = name;
      n++;
    }
    for (size_t i = 0; i < n; i++) {
      if (i == 0) {
        nkg_buf_add(&label, " ", 1);
        nkg_buf_adds(&label, role_word(role));
        nkg_buf_add(&label, " ", 1);
      } else {
        nkg_buf_add(&label, ", ", 2);
      }
      nkg_buf_adds(&label, names[i]);
    }
  }
  if (names != few)
    free(names);
  while (label.len && label.s[label.len - 1] == ' ')
    label.s[--label.len] = '\0';
  if (e->modality != NKG_M_ASSERTED) {
    static const char *const mod_words[] = {"", "planned", "conditional",
                                            "hypothetical", "reported"};
    nkg_buf_add(&label, " (", 2);
    nkg_buf_adds(&label, mod_words[e->modality]);
    nkg_buf_add(&label, ")", 1);
  }
  return nkg_buf_take(&label);
}

/* The (property, entity) arcs of an event written so far. */
typedef struct event_arcs {
  struct {
    const char *property; /* one of the constant IRIs above */
    int32_t entity;
  } * arc;
  size_t n, cap;
} event_arcs;

static int arc_once(nkg_rdf *r, event_arcs *arcs, const char *event,
                    const char *property, int32_t entity, const char *iri) {
  for (size_t i = 0; i < arcs->n; i++)
    if (arcs->arc[i].property == property && arcs->arc[i].entity == entity)
      return 0;
  if (arcs->n == arcs->cap &&
      nkg_grow((void **)&arcs->arc, &arcs->cap, arcs->n + 1, sizeof *arcs->arc))
    return NKG_ERR_NOMEM;
  arcs->arc[arcs->n].property = property;
  arcs->arc[arcs->n++].entity = entity;
  return nkg_rdf_iri(r, event, property, iri);
}

/* The node of an event's time into b: its date's, which the events of
 * that day share, or its own (iri: the event's). */
static int time_node(nkg_buf *b, const char *base, const char *iri,
                     const nkg_gevent *e) {
  if (e->date[0])
    return nkg_buf_adds(b, base) || nkg_buf_add(b, "time/", 5) ||
           nkg_buf_adds(b, e->date);
  return nkg_buf_adds(b, iri) || nkg_buf_add(b, "/time", 5);
}

/* The statements about time nodes: each once, by the first event in order
 * that has it. Which ones each event writes is worked out ahead, so that
 * events may be mapped in any order (in chunks on two threads): event i's
 * flags start at at[i], one for its node's type, then one per label (its
 * times), then one for the date; 1 where that statement is the event's to
 * write. */
typedef struct time_firsts {
  unsigned char *first;
  size_t *at; /* nevents + 1 */
} time_firsts;

static void time_firsts_free(time_firsts *tf) {
  free(tf->first);
  free(tf->at);
}

/* Sets *first to 1 if the key "s\np\no" is new to seen. */
static int once(nkg_map *seen, nkg_buf *key, const nkg_buf *s, const char *p,
                const char *o, unsigned char *first) {
  key->len = 0;
  if (nkg_buf_add(key, s->s, s->len) || nkg_buf_addc(key, '\n') ||
      nkg_buf_adds(key, p) || nkg_buf_addc(key, '\n') || nkg_buf_adds(key, o))
    return NKG_ERR_NOMEM;
  void **slot = nkg_map_slot(seen, key->s, key->len);
  if (!slot)
    return NKG_ERR_NOMEM;
  *first = !*slot;
  *slot = (void *)1;
  return 0;
}

static int time_firsts_make(const char *base, const nkg_graph *g,
                            time_firsts *tf) {
  tf->at = malloc((g->nevents + 1) * sizeof *tf->at);
  size_t total = 0;
  for (size_t i = 0; tf->at && i < g->nevents; i++) {
    const nkg_gevent *e = &g->events[i];
    tf->at[i] = total;
    if (e->times.n || e->date[0])
      total += e->times.n + 2;
  }
  if (tf->at)
    tf->at[g->nevents] = total;
  tf->first = calloc(total + 1, 1);
  nkg_map *seen = nkg_map_new();
  int rc = tf->at && tf->first && seen ? 0 : NKG_ERR_NOMEM;
  slug_cache slugs;
  slugs.n = 0;
  nkg_buf node = {0}, key = {0};
  for (size_t i = 0; !rc && i < g->nevents; i++) {
    const nkg_gevent *e = &g->events[i];
    if (!e->times.n && !e->date[0])
      continue;
    char *iri = e->date[0] ? NULL : event_iri(base, e, &slugs);
    node.len = 0;
    rc = (!e->date[0] && !iri) || time_node(&node, base, iri, e)
             ? NKG_ERR_NOMEM
             : 0;
    free(iri);
    unsigned char *first = tf->first + tf->at[i];
    if (!rc)
      rc = once(seen, &key, &node, A, SEM_NS "Time", &first[0]);
    for (size_t k = 0; !rc && k < e->times.n; k++)
      rc = once(seen, &key, &node, RDFS_NS "label", e->times.items[k],
                &first[1 + k]);
    if (!rc && e->date[0])
      rc = once(seen, &key, &node, TIME_NS "inXSDDate", e->date,
                &first[1 + e->times.n]);
  }
  nkg_buf_free(&node);
  nkg_buf_free(&key);
  nkg_map_free(seen, NULL);
  slugs_free(&slugs);
  if (rc) {
    time_firsts_free(tf);
    tf->first = NULL;
    tf->at = NULL;
  }
  return rc;
}

/* Event i of g (first: its flags in time_firsts). */
static int map_event(const nkg_map_ctx *ctx, const nkg_graph *g,
                     char *const *iris, slug_cache *slugs,
                     const unsigned char *first, const nkg_gevent *e) {
  nkg_rdf *r = ctx->rdf;
  char *iri = event_iri(ctx->base, e, slugs);
  if (!iri)
    return NKG_ERR_NOMEM;
  const char *cls = e->trigger ? e->trigger->cls : NULL;
  int rc = nkg_rdf_iri(r, iri, A, SEM_NS "Event");
  nkg_buf b = {0};
  if (!rc && cls) {
    nkg_buf_adds(&b, NKG_NS);
    nkg_buf_adds(&b, cls);
    rc = nkg_rdf_iri(r, iri, A, b.s);
    nkg_buf_clear(&b);
  }
  if (!rc && e->trigger && e->trigger->cameo)
    rc = nkg_rdf_lit(r, iri, NKG_NS "cameoCode", e->trigger->cameo, NULL);
  /* each (property, entity) once: one entity in two roles ("agent" and
   * "winner", or "patient" and "recipient") is one sem:hasActor */
  event_arcs arcs = {0};
  for (int role = 0; role < NKG_R_COUNT; role++) {
    for (size_t i = 0; !rc && i < e->nargs; i++) {
      if (e->args[i].role != role)
        continue;
      int32_t ent = e->args[i].entity;
      char *made = NULL;
      const char *ei = graph_entity_iri(ctx, g, iris, ent, &made);
      if (!ei) {
        rc = NKG_ERR_NOMEM;
        break;
      }
      rc = arc_once(r, &arcs, iri, role_props[role], ent, ei);
      if (!rc && role == NKG_R_WINNER)
        rc = arc_once(r, &arcs, iri, NKG_NS "agent", ent, ei);
      if (!rc && role != NKG_R_PLACE && role <= NKG_R_WINNER)
        rc = arc_once(r, &arcs, iri, SEM_NS "hasActor", ent, ei);
      if (!rc && (role == NKG_R_ORIGIN || role == NKG_R_DESTINATION))
        rc = arc_once(r, &arcs, iri, SEM_NS "hasPlace", ent, ei);
      free(made);
    }
  }
  free(arcs.arc);
  if (!rc) {
    char *label = e->label ? NULL : nkg_event_label(g, e);
    rc = e->label || label ? nkg_rdf_lit(r, iri, RDFS_NS "label",
                                         e->label ? e->label : label, NULL)
                           : NKG_ERR_NOMEM;
    free(label);
  }
  for (size_t i = 0; !rc && i < e->triggers.n; i++)
    rc = nkg_rdf_lit(r, iri, NKG_NS "trigger", e->triggers.items[i], NULL);
  if (!rc)
    rc = nkg_rdf_bool(r, iri, NKG_NS "negated", e->negated);
  if (!rc)
    rc = nkg_rdf_iri(r, iri, NKG_NS "modality", modality_iris[e->modality]);
  if (!rc && (e->times.n || e->date[0])) {
    rc = time_node(&b, ctx->base, iri, e) ? NKG_ERR_NOMEM : 0;
    if (!rc)
      rc = nkg_rdf_iri(r, iri, SEM_NS "hasTime", b.s);
    /* a date's node is shared by the events of that day: its statements
     * once */
    if (!rc && first[0])
      rc = nkg_rdf_iri(r, b.s, A, SEM_NS "Time");
    for (size_t i = 0; !rc && i < e->times.n; i++)
      if (first[1 + i])
        rc = nkg_rdf_lit(r, b.s, RDFS_NS "label", e->times.items[i], NULL);
    if (!rc && e->date[0] && first[1 + e->times.n])
      rc = nkg_rdf_lit(r, b.s, TIME_NS "inXSDDate", e->date, XSD_NS "date");
    nkg_buf_clear(&b);
  }
  if (!rc && e->condition_key) {
    nkg_gevent probe;
    memset(&probe, 0, sizeof probe);
    probe.key = e->condition_key;
    intptr_t ci = (intptr_t)nkg_map_get(g->event_index, e->condition_key,
                                        strlen(e->condition_key));
    if (ci)
      probe.trigger = g->events[ci - 1].trigger;
    char *ciri = ci ? event_iri(ctx->base, &probe, slugs) : NULL;
    if (ciri)
      rc = nkg_rdf_iri(r, iri, NKG_NS "condition", ciri);
    free(ciri);
  }
  if (!rc)
    rc = add_provenance(r, g, iri, &e->docs, &e->spans);
  nkg_buf_free(&b);
  free(iri);
  return rc;
}

static int map_events(const nkg_map_ctx *ctx, const nkg_graph *g,
                      char *const *iris) {
  slug_cache slugs;
  slugs.n = 0;
  time_firsts tf;
  int rc = time_firsts_make(ctx->base, g, &tf);
  for (size_t i = 0; !rc && i < g->nevents; i++)
    rc = map_event(ctx, g, iris, &slugs, tf.first + tf.at[i], &g->events[i]);
  time_firsts_free(&tf);
  slugs_free(&slugs);
  return rc;
}

int nkg_map_events(const nkg_map_ctx *ctx, const nkg_graph *g) {
  return map_events(ctx, g, NULL);
}

/* Each org:Role once, however many posts share it, with one prefLabel: of
 * the wordings of its posts ("director general", "director-general" share
 * an IRI), the first in byte order, as `newskg merge` chooses. */
static int map_roles(const nkg_map_ctx *ctx, const nkg_graph *g) {
  nkg_map *first = nkg_map_new(); /* role IRI -> index into iris */
  char **iris = calloc(g->nposts ? g->nposts : 1, sizeof *iris);
  const char **wording = calloc(g->nposts ? g->nposts : 1, sizeof *wording);
  size_t n = 0;
  int rc = first && iris && wording ? 0 : NKG_ERR_NOMEM;
  for (size_t i = 0; !rc && i < g->nposts; i++) {
    const char *role = g->posts[i].role;
    char *iri = nkg_iri_role(ctx->base, role);
    if (!iri) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    void *at = nkg_map_get(first, iri, strlen(iri));
    if (at) {
      size_t k = (size_t)(intptr_t)at - 1;
      if (strcmp(role, wording[k]) < 0)
        wording[k] = role;
      free(iri);
      continue;
    }
    rc = nkg_map_put(first, iri, strlen(iri), (void *)(intptr_t)(n + 1), NULL);
    iris[n] = iri;
    wording[n++] = role;
  }
  for (size_t i = 0; !rc && i < n; i++) {
    rc = nkg_rdf_iri(ctx->rdf, iris[i], A, ORG_NS "Role");
    if (!rc)
      rc =
          nkg_rdf_lit(ctx->rdf, iris[i], SKOS_NS "prefLabel", wording[i], NULL);
  }
  for (size_t i = 0; i < n; i++)
    free(iris[i]);
  free(iris);
  free(wording);
  nkg_map_free(first, NULL);
  return rc;
}

/* ---- the events of a build with threads ---------------------------------
 *
 * After the last document the workers are idle: the events, half of the
 * work here, are merged and mapped meanwhile on a thread of their own
 * (which also makes the build's statements, written last), while the
 * calling thread makes the entity IRIs and maps the entities, posts and
 * ties, which do not need the events. Then both map the events that are
 * left, a chunk at a time, each chunk into a buffer of its own, and the
 * calling thread appends the buffers in order as they are done (the
 * workers write them out meanwhile): src/ordered.c. */
#define EVENTS_PER_CHUNK 64

typedef struct events_run {
  nkg_map_ctx ctx; /* rdf: where the chunks go, in order */
  nkg_graph *g;
  int merge;         /* nkg_graph_merge_events first */
  const char *graph; /* the buffers' named graph, or NULL */
  const char *started, *ended; /* of the build (nkg_map_build) */
  time_firsts tf;
  nkg_rdf **bufs; /* [nchunks]: a chunk's statements, made, until taken */
  size_t nchunks;
  nkg_rdf *build; /* the build's statements, made meanwhile */
  /* the entity IRIs, which the calling thread makes while the events are
   * merged: the chunks wait for them */
  pthread_mutex_t lock;
  pthread_cond_t made;
  int have_iris;
  char *const *iris;
} events_run;

/* A buffer for statements made on the events' thread. */
static int events_buffer(events_run *run, nkg_rdf **buf, size_t expect) {
  int rc = nkg_rdf_open_statements(buf, run->ctx.rdf);
  if (!rc && run->graph)
    rc = nkg_rdf_set_graph(*buf, run->graph);
  if (!rc)
    rc = nkg_rdf_expect(*buf, expect);
  return rc;
}

/* On the events' thread: merged, the time statements chosen, the build's
 * statements made, the chunks counted; then it waits for the IRIs. */
static long events_prepare(void *user) {
  events_run *run = user;
  int rc = run->merge ? nkg_graph_merge_events(run->g) : 0;
  if (!rc)
    rc = time_firsts_make(run->ctx.base, run->g, &run->tf);
  if (!rc) /* a line per document (about 100 bytes) */
    rc = events_buffer(run, &run->build, 128 * run->g->documents.n + 4096);
  if (!rc) {
    nkg_map_ctx ctx = run->ctx;
    ctx.rdf = run->build;
    rc = nkg_map_build(&ctx, &run->g->documents, run->started, run->ended);
  }
  size_t n = (run->g->nevents + EVENTS_PER_CHUNK - 1) / EVENTS_PER_CHUNK;
  if (!rc && !(run->bufs = calloc(n + 1, sizeof *run->bufs)))
    rc = NKG_ERR_NOMEM;
  run->nchunks = rc ? 0 : n;
  pthread_mutex_lock(&run->lock);
  while (!run->have_iris)
    pthread_cond_wait(&run->made, &run->lock);
  pthread_mutex_unlock(&run->lock);
  return rc ? rc : (long)n;
}

/* On the calling thread: the IRIs for the chunks (NULL: each is made where
 * it is used). */
static void events_give_iris(events_run *run, char *const *iris) {
  pthread_mutex_lock(&run->lock);
  run->iris = iris;
  run->have_iris = 1;
  pthread_cond_signal(&run->made);
  pthread_mutex_unlock(&run->lock);
}

/* A thread's slug cache. */
static void *events_scratch_new(void *user) {
  (void)user;
  return calloc(1, sizeof(slug_cache));
}

static void events_scratch_free(void *user, void *scratch) {
  (void)user;
  slugs_free(scratch);
  free(scratch);
}

/* Chunk c into a buffer of its own. */
static int events_make(void *user, size_t c, void *scratch) {
  events_run *run = user;
  nkg_rdf *buf = NULL;
  /* an event's lines: about 1.5 KB (N-Triples, BBC corpus) */
  int rc = events_buffer(run, &buf, EVENTS_PER_CHUNK * 2048);
  nkg_map_ctx ctx = run->ctx;
  ctx.rdf = buf;
  const nkg_graph *g = run->g;
  size_t end = (c + 1) * EVENTS_PER_CHUNK;
  if (end > g->nevents)
    end = g->nevents;
  for (size_t i = c * EVENTS_PER_CHUNK; !rc && i < end; i++)
    rc = map_event(&ctx, g, run->iris, scratch, run->tf.first + run->tf.at[i],
                   &g->events[i]);
  run->bufs[c] = buf;
  return rc;
}

/* Chunk c appended where the events go. */
static int events_take(void *user, size_t c) {
  events_run *run = user;
  int rc = nkg_rdf_append(run->ctx.rdf, run->bufs[c]);
  nkg_rdf_free(run->bufs[c]);
  run->bufs[c] = NULL;
  return rc;
}

/* Every entity's IRI, made once (NULL if out of memory: then each is made
 * where it is used). */
static char **entity_iris(const nkg_map_ctx *ctx, const nkg_graph *g) {
  char **iris = calloc(g->nentities + 1, sizeof *iris);
  for (size_t i = 0; iris && i < g->nentities; i++)
    if (!(iris[i] = nkg_iri_entity(ctx->base, g->entities[i].key))) {
      for (size_t j = 0; j < i; j++)
        free(iris[j]);
      free(iris);
      iris = NULL;
    }
  return iris;
}

/* `graph`: the named graph the facts go to, or NULL. */
static int map_graph(const nkg_map_ctx *ctx, nkg_graph *g, int merge,
                     const char *graph, const char *started,
                     const char *ended) {
  events_run run = {.ctx = *ctx, .g = g, .merge = merge, .graph = graph,
                    .started = started, .ended = ended};
  pthread_mutex_init(&run.lock, NULL);
  pthread_cond_init(&run.made, NULL);
  nkg_ordered *events = NULL;
  if (ctx->parallel && g->nevents && nkg_rdf_buffers_statements(ctx->rdf)) {
    nkg_ordered_ops ops = {.user = &run,
                           .prepare = events_prepare,
                           .scratch_new = events_scratch_new,
                           .scratch_free = events_scratch_free,
                           .make = events_make,
                           .take = events_take};
    events = nkg_ordered_start(&ops);
  }
  char **iris = entity_iris(ctx, g);
  events_give_iris(&run, iris);
  int rc = !events && merge ? nkg_graph_merge_events(g) : 0;
  for (size_t i = 0; !rc && i < g->nentities; i++) {
    char *made = NULL;
    const char *iri = graph_entity_iri(ctx, g, iris, (int32_t)i, &made);
    rc = iri ? map_entity(ctx, &g->entities[i], iri) : NKG_ERR_NOMEM;
    free(made);
  }
  if (!rc)
    rc = map_roles(ctx, g);
  for (size_t i = 0; !rc && i < g->nposts; i++)
    rc = map_post(ctx, g, iris, &g->posts[i]);
  for (size_t i = 0; !rc && i < g->nties; i++)
    rc = map_tie(ctx, g, iris, &g->ties[i]);
  if (events) {
    rc = nkg_ordered_finish(events, rc);
    for (size_t i = 0; i < run.nchunks; i++)
      nkg_rdf_free(run.bufs[i]); /* (those not appended, on failure) */
    free(run.bufs);
    time_firsts_free(&run.tf);
  } else if (!rc) {
    rc = map_events(ctx, g, iris);
  }
  for (size_t i = 0; iris && i < g->nentities; i++)
    free(iris[i]);
  free(iris);
  if (run.build) {
    if (!rc)
      rc = nkg_rdf_append(ctx->rdf, run.build);
    nkg_rdf_free(run.build);
  } else if (!rc) {
    rc = nkg_map_build(ctx, &g->documents, started, ended);
  }
  pthread_cond_destroy(&run.made);
  pthread_mutex_destroy(&run.lock);
  return rc;
}

int nkg_map_build(const nkg_map_ctx *ctx, const nkg_strset *documents,
                  const char *started, const char *ended) {
  nkg_rdf *r = ctx->rdf;
  /* the build: named by the documents it used, so the same input gives the
   * same IRI */
  nkg_strset docs = {0};
  for (size_t i = 0; i < documents->n; i++)
    CHECK(nkg_strset_add_last(&docs, documents->items[i]));
  nkg_strset_sort(&docs);
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < docs.n; i++)
    h ^= nkg_hash(docs.items[i], strlen(docs.items[i])) + (h << 6) + (h >> 2);
  nkg_buf b = {0};
  nkg_buf_addf(&b, "%sbuild/%016llx", ctx->base, (unsigned long long)h);
  int rc = nkg_rdf_iri(r, b.s, A, PROV_NS "Activity");
  if (!rc)
    rc = nkg_rdf_iri(r, b.s, A, NKG_NS "Build");
  if (!rc)
    rc = nkg_rdf_lit(r, b.s, RDFS_NS "label", "newskg " NKG_VERSION, NULL);
  if (!rc)
    rc = nkg_rdf_lit(r, b.s, NKG_NS "toolVersion", NKG_VERSION, NULL);
  for (size_t i = 0; !rc && i < docs.n; i++)
    rc = nkg_rdf_iri(r, b.s, PROV_NS "used", docs.items[i]);
  if (!rc && started)
    rc = nkg_rdf_lit(r, b.s, PROV_NS "startedAtTime", started,
                     XSD_NS "dateTime");
  if (!rc && ended)
    rc = nkg_rdf_lit(r, b.s, PROV_NS "endedAtTime", ended, XSD_NS "dateTime");
  nkg_buf_free(&b);
  nkg_strset_free(&docs);
  return rc;
}

char *nkg_iri_merged_graph(const char *base) {
  nkg_buf b = {0};
  nkg_buf_addf(&b, "%sgraph/merged", base);
  return nkg_buf_take(&b);
}

int nkg_map_graph(const nkg_map_ctx *ctx, nkg_graph *g, int merge_events,
                  const char *started, const char *ended) {
  if (!ctx->named_graphs)
    return map_graph(ctx, g, merge_events, NULL, started, ended);
  /* with named graphs, what spans documents has a graph of its own: each
   * fact names the documents it comes from with prov:wasDerivedFrom */
  char *graph = nkg_iri_merged_graph(ctx->base);
  int rc = graph ? nkg_rdf_set_graph(ctx->rdf, graph) : NKG_ERR_NOMEM;
  if (!rc)
    rc = map_graph(ctx, g, merge_events, graph, started, ended);
  free(graph);
  int grc = nkg_rdf_set_graph(ctx->rdf, NULL);
  return rc ? rc : grc;
}
