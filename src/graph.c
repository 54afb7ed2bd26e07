/* Committing documents into the build's graph: document entities join
 * global entities by key, and posts, ties and events join the records with
 * the same key, each remembering every document that states it. */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

/* Past this many items a set keeps a hash index: one event reported in
 * every paragraph of a huge article gathers thousands of spans. */
#define STRSET_INDEX_AT 16

int nkg_strset_add(nkg_strset *set, const char *s) {
  size_t len = strlen(s);
  if (set->index) {
    if (nkg_map_get(set->index, s, len))
      return 0;
  } else {
    for (size_t i = 0; i < set->n; i++)
      if (set->items[i] == s || !strcmp(set->items[i], s))
        return 0;
  }
  char *c = set->borrowed ? (char *)s : nkg_strdup(s);
  if (!c || NKG_PUSH(set->items, set->n, set->cap, c)) {
    if (!set->borrowed)
      free(c);
    return NKG_ERR_NOMEM;
  }
  if (!set->index && set->n >= STRSET_INDEX_AT) {
    set->index = nkg_map_new();
    for (size_t i = 0; set->index && i < set->n; i++)
      if (nkg_map_put(set->index, set->items[i], strlen(set->items[i]),
                      (void *)1, NULL))
        return NKG_ERR_NOMEM;
    if (!set->index)
      return NKG_ERR_NOMEM;
  } else if (set->index && nkg_map_put(set->index, c, len, (void *)1, NULL)) {
    return NKG_ERR_NOMEM;
  }
  return 0;
}

int nkg_strset_add_last(nkg_strset *set, const char *s) {
  if (set->n &&
      (set->items[set->n - 1] == s || !strcmp(set->items[set->n - 1], s)))
    return 0;
  if (set->index)
    return nkg_strset_add(set, s);
  char *c = set->borrowed ? (char *)s : nkg_strdup(s);
  if (!c || NKG_PUSH(set->items, set->n, set->cap, c)) {
    if (!set->borrowed)
      free(c);
    return NKG_ERR_NOMEM;
  }
  return 0;
}

void nkg_strset_free(nkg_strset *set) {
  for (size_t i = 0; !set->borrowed && i < set->n; i++)
    free(set->items[i]);
  free(set->items);
  nkg_map_free(set->index, NULL);
  memset(set, 0, sizeof *set);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void nkg_strset_sort(nkg_strset *set) {
  if (set->n > 1)
    qsort(set->items, set->n, sizeof *set->items, cmp_str);
}

/* ---- IRIs ------------------------------------------------------------------
 */

/* Bytes an IRI path keeps as they are (RFC 3986 unreserved); 2 also for
 * '/', which entity keys keep. */
static const unsigned char unreserved[256] = {
    ['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1, ['/'] = 2, ['0'] = 1, ['1'] = 1,
    ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
    ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,
    ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1,
    ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1,
    ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1,
    ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1};

/* prefix1 prefix2 then s percent-encoded but its unreserved bytes (and '/'
 * if keep_slash), as a new string. IRIs are made for every mention: one
 * allocation, no formatting. */
static size_t iri_encoded_into(char *out, const char *prefix1, size_t n1,
                               const char *prefix2, size_t n2, const char *s,
                               int keep_slash) {
  static const char hex[] = "0123456789ABCDEF";
  memcpy(out, prefix1, n1);
  memcpy(out + n1, prefix2, n2);
  char *w = out + n1 + n2;
  unsigned keep = keep_slash ? 3 : 1;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (unreserved[*p] & keep) {
      *w++ = (char)*p;
    } else {
      *w++ = '%';
      *w++ = hex[*p >> 4];
      *w++ = hex[*p & 15];
    }
  }
  *w = '\0';
  return (size_t)(w - out);
}

static char *iri_encoded(const char *prefix1, const char *prefix2,
                         const char *s, int keep_slash) {
  size_t n1 = strlen(prefix1), n2 = strlen(prefix2), ns = strlen(s);
  char *out = malloc(n1 + n2 + 3 * ns + 1);
  if (out)
    iri_encoded_into(out, prefix1, n1, prefix2, n2, s, keep_slash);
  return out;
}

size_t nkg_iri_entity_into(char *out, const char *base, size_t base_len,
                           const char *key) {
  return iri_encoded_into(out, base, base_len, "entity/", 7, key, 1);
}

char *nkg_iri_doc(const char *base, const char *id) {
  return iri_encoded(base, "doc/", id, 0);
}

char *nkg_iri_span(const char *doc_iri, size_t cb, size_t ce) {
  size_t n = strlen(doc_iri);
  char *out = malloc(n + sizeof "#char=," + 40);
  if (!out)
    return NULL;
  memcpy(out, doc_iri, n);
  memcpy(out + n, "#char=", 6);
  n += 6;
  n += nkg_put_decimal(out + n, cb);
  out[n++] = ',';
  n += nkg_put_decimal(out + n, ce);
  out[n] = '\0';
  return out;
}

char *nkg_iri_entity(const char *base, const char *key) {
  return iri_encoded(base, "entity/", key, 1);
}

/* ---- the graph ---------------------------------------------------------- */

int nkg_graph_init(nkg_graph *g) {
  memset(g, 0, sizeof *g);
  g->entity_index = nkg_map_new();
  g->post_index = nkg_map_new();
  g->tie_index = nkg_map_new();
  g->event_index = nkg_map_new();
  if (!g->entity_index || !g->post_index || !g->tie_index || !g->event_index) {
    nkg_graph_free(g);
    return NKG_ERR_NOMEM;
  }
  return 0;
}

static void free_event(nkg_gevent *e) {
  free(e->key);
  free(e->args);
  free(e->label);
  free(e->condition_key);
  nkg_strset_free(&e->times);
  nkg_strset_free(&e->triggers);
  nkg_strset_free(&e->docs);
  nkg_strset_free(&e->spans);
}

void nkg_graph_free(nkg_graph *g) {
  if (!g)
    return;
  for (size_t i = 0; i < g->nentities; i++) {
    nkg_gentity *e = &g->entities[i];
    free(e->key);
    nkg_strset_free(&e->names);
    nkg_strset_free(&e->docs);
    free(e->name_count);
  }
  free(g->entities);
  for (size_t i = 0; i < g->nposts; i++) {
    nkg_gpost *p = &g->posts[i];
    free(p->key);
    free(p->role);
    nkg_strset_free(&p->titles);
    nkg_strset_free(&p->qualifiers);
    nkg_strset_free(&p->docs);
    nkg_strset_free(&p->spans);
  }
  free(g->posts);
  for (size_t i = 0; i < g->nties; i++) {
    free(g->ties[i].key);
    nkg_strset_free(&g->ties[i].docs);
    nkg_strset_free(&g->ties[i].spans);
  }
  free(g->ties);
  for (size_t i = 0; i < g->nevents; i++)
    free_event(&g->events[i]);
  free(g->events);
  nkg_strset_free(&g->documents);
  nkg_map_free(g->entity_index, NULL);
  nkg_map_free(g->post_index, NULL);
  nkg_map_free(g->tie_index, NULL);
  nkg_map_free(g->event_index, NULL);
  memset(g, 0, sizeof *g);
}

int nkg_kind_rank(int kind) {
  return kind == NKG_K_COURT || kind == NKG_K_POLICE ? NKG_K_GOVERNMENT : kind;
}

const char *nkg_gentity_name(const nkg_gentity *e) {
  if (e->gaz)
    return e->gaz->name;
  const char *best = NULL;
  size_t best_count = 0;
  for (size_t i = 0; i < e->names.n; i++) {
    const char *n = e->names.items[i];
    size_t c = e->name_count[i];
    if (!best || c > best_count ||
        (c == best_count &&
         (strlen(n) > strlen(best) ||
          (strlen(n) == strlen(best) && strcmp(n, best) < 0)))) {
      best = n;
      best_count = c;
    }
  }
  return best ? best : e->key;
}

/* Writes v (any int) in decimal at w, as "%d" does; returns the length. */
static size_t put_int(char *w, int v) {
  size_t n = 0;
  if (v < 0)
    w[n++] = '-';
  return n + nkg_put_decimal(w + n, v < 0 ? (size_t)0 - (size_t)(unsigned)v
                                          : (size_t)v);
}

/* The document being committed: its IRI as the graph holds it, its place
 * in g->documents. */
typedef struct committing {
  const char *iri;
  size_t index;
} committing;

/* Finds or adds the record with `key` in an index over an array. */
static int32_t find_or_add(nkg_map *index, void **arr, size_t *n, size_t *cap,
                           size_t size, const char *key, int *added) {
  *added = 0;
  size_t len = strlen(key);
  intptr_t v = (intptr_t)nkg_map_get(index, key, len);
  if (v)
    return (int32_t)(v - 1);
  if (nkg_grow(arr, cap, *n + 1, size))
    return -1;
  memset((char *)*arr + *n * size, 0, size);
  if (nkg_map_put(index, key, len, (void *)(intptr_t)(*n + 1), NULL))
    return -1;
  *added = 1;
  return (int32_t)(*n)++;
}

static int commit_entity(nkg_graph *g, nkg_dentity *d, const committing *c) {
  int added;
  int32_t i = find_or_add(g->entity_index, (void **)&g->entities, &g->nentities,
                          &g->capentities, sizeof *g->entities, d->key, &added);
  if (i < 0)
    return NKG_ERR_NOMEM;
  nkg_gentity *e = &g->entities[i];
  if (added) {
    e->key = nkg_strdup(d->key);
    e->type = d->type;
    e->kind = d->kind;
    e->gaz = d->gaz;
    if (!e->key)
      return NKG_ERR_NOMEM;
  }
  /* The gazetteer entry and the kind do not depend on the order of the
   * documents: the entry if any document knows it, the kind that ranks
   * first (nkg_kind_rank), so that `newskg merge` chooses alike. */
  if (!e->gaz && d->gaz)
    e->gaz = d->gaz;
  if (d->kind &&
      (!e->kind || nkg_kind_rank(d->kind) < nkg_kind_rank(e->kind) ||
       (nkg_kind_rank(d->kind) == nkg_kind_rank(e->kind) && d->kind < e->kind)))
    e->kind = d->kind;
  for (size_t n = 0; n < d->nnames; n++) {
    size_t before = e->names.n;
    if (nkg_strset_add(&e->names, d->names[n]))
      return NKG_ERR_NOMEM;
    if (e->names.n > before) {
      if (nkg_grow((void **)&e->name_count, &e->capcount, e->names.n,
                   sizeof *e->name_count))
        return NKG_ERR_NOMEM;
      e->name_count[e->names.n - 1] = 0;
    }
  }
  e->mentions += d->nmentions;
  e->docs.borrowed = 1;
  if (nkg_strset_add_last(&e->docs, c->iri))
    return NKG_ERR_NOMEM;
  d->global = i;
  return 0;
}

/* The document, and the span of tokens [tb, te) as evidence. Every record
 * names the document by the graph's copy of its IRI and the span by the
 * document's place ("N#B,E"), so that a build of many documents keeps no
 * copy of their IRIs per fact. */
static int add_provenance(nkg_strset *docs, nkg_strset *spans,
                          const nkg_doc *doc, const committing *c, uint32_t tb,
                          uint32_t te) {
  docs->borrowed = 1;
  spans->doc_spans = 1;
  if (nkg_strset_add_last(docs, c->iri))
    return NKG_ERR_NOMEM;
  if (te <= tb || te > doc->ntoks)
    return 0;
  char item[80];
  size_t n = nkg_put_decimal(item, c->index);
  item[n++] = '#';
  n += nkg_put_decimal(item + n, doc->toks[tb].cb);
  item[n++] = ',';
  n += nkg_put_decimal(item + n, doc->toks[te - 1].ce);
  item[n] = '\0';
  return nkg_strset_add(spans, item);
}

int nkg_graph_span_iri(const nkg_graph *g, const char *item, nkg_buf *out) {
  size_t index = 0;
  const char *p = item;
  for (; *p >= '0' && *p <= '9'; p++)
    index = index * 10 + (size_t)(*p - '0');
  nkg_buf_clear(out);
  if (*p != '#' || index >= g->documents.n)
    return NKG_ERR_ARG;
  if (nkg_buf_adds(out, g->documents.items[index]) ||
      nkg_buf_add(out, "#char=", 6) || nkg_buf_adds(out, p + 1))
    return NKG_ERR_NOMEM;
  return 0;
}

static int commit_posts(nkg_graph *g, const nkg_doc *doc, const committing *c) {
  for (size_t i = 0; i < doc->nposts; i++) {
    const nkg_post *p = &doc->posts[i];
    if (p->person < 0 || !p->role)
      continue;
    const nkg_dentity *person = &doc->entities[p->person];
    const nkg_dentity *org = p->org >= 0 ? &doc->entities[p->org] : NULL;
    /* keyed by the role's slug, as its IRI is: "director-general" and
     * "director general" are one post */
    char *slug = nkg_slug(p->role, strlen(p->role));
    if (!slug)
      return NKG_ERR_NOMEM;
    nkg_buf key = {0};
    char former[24];
    size_t nf = put_int(former + 1, p->former) + 1;
    former[0] = '|';
    nkg_buf_adds(&key, person->key);
    nkg_buf_add(&key, "|", 1);
    nkg_buf_adds(&key, slug);
    nkg_buf_add(&key, "|", 1);
    nkg_buf_adds(&key, org ? org->key : "-");
    nkg_buf_add(&key, former, nf);
    free(slug);
    int added;
    int32_t k = find_or_add(g->post_index, (void **)&g->posts, &g->nposts,
                            &g->capposts, sizeof *g->posts, key.s, &added);
    if (k < 0) {
      nkg_buf_free(&key);
      return NKG_ERR_NOMEM;
    }
    nkg_gpost *gp = &g->posts[k];
    if (added) {
      gp->key = nkg_buf_take(&key);
      gp->person = person->global;
      gp->org = org ? org->global : -1;
      gp->role = nkg_strdup(p->role);
      gp->former = p->former;
    } else {
      nkg_buf_free(&key);
      /* the role's wording: the first in byte order, whatever the order of
       * the documents */
      if (strcmp(p->role, gp->role) < 0) {
        char *r = nkg_strdup(p->role);
        if (!r)
          return NKG_ERR_NOMEM;
        free(gp->role);
        gp->role = r;
      }
    }
    if ((p->title && nkg_strset_add(&gp->titles, p->title)) ||
        (p->qualifier && nkg_strset_add(&gp->qualifiers, p->qualifier)) ||
        add_provenance(&gp->docs, &gp->spans, doc, c, p->tb, p->te))
      return NKG_ERR_NOMEM;
  }
  return 0;
}

static int commit_tie(nkg_graph *g, const nkg_doc *doc, const committing *c,
                      int32_t s, int32_t o, const char *pred,
                      const char *inverse, uint32_t tb, uint32_t te) {
  if (s < 0 || o < 0 || s == o)
    return 0;
  const nkg_dentity *ds = &doc->entities[s], *dobj = &doc->entities[o];
  if (ds->global == dobj->global)
    return 0;
  nkg_buf key = {0};
  nkg_buf_adds(&key, ds->key);
  nkg_buf_add(&key, "|", 1);
  nkg_buf_adds(&key, pred);
  nkg_buf_add(&key, "|", 1);
  nkg_buf_adds(&key, dobj->key);
  int added;
  int32_t k = find_or_add(g->tie_index, (void **)&g->ties, &g->nties,
                          &g->capties, sizeof *g->ties, key.s, &added);
  if (k < 0) {
    nkg_buf_free(&key);
    return NKG_ERR_NOMEM;
  }
  nkg_gtie *t = &g->ties[k];
  if (added) {
    t->key = nkg_buf_take(&key);
    t->subject = ds->global;
    t->object = dobj->global;
    t->predicate = pred;
    t->inverse = inverse;
  } else {
    nkg_buf_free(&key);
  }
  return add_provenance(&t->docs, &t->spans, doc, c, tb, te);
}

#define ORG_MEMBER_OF "http://www.w3.org/ns/org#memberOf"
#define ORG_HAS_MEMBER "http://www.w3.org/ns/org#hasMember"

static int commit_ties(nkg_graph *g, const nkg_doc *doc, const committing *c) {
  for (size_t i = 0; i < doc->nmembers; i++) {
    const nkg_membership *m = &doc->members[i];
    int rc = commit_tie(g, doc, c, m->member, m->group, ORG_MEMBER_OF,
                        ORG_HAS_MEMBER, m->tb, m->te);
    if (rc)
      return rc;
  }
  for (size_t i = 0; i < doc->nties; i++) {
    const nkg_tie *t = &doc->ties[i];
    int rc = commit_tie(g, doc, c, t->subject, t->object, t->predicate,
                        t->inverse, t->tb, t->te);
    if (rc)
      return rc;
  }
  return 0;
}

static int cmp_arg(const void *a, const void *b) {
  const nkg_garg *x = a, *y = b;
  if (x->role != y->role)
    return x->role - y->role;
  return x->entity - y->entity;
}

/* A participant "ROLE=KEY" of an event key, inside one buffer. */
typedef struct key_part {
  size_t off, len;
} key_part;

char *nkg_event_key(const nkg_doc *doc, const nkg_event *ev) {
  /* class + the keys of its participants by role + its date: the same
   * happening reported by two articles gets the same key. The parts are
   * "%d=%s" (role, entity key), sorted by their bytes, each once. */
  nkg_buf parts = {0};
  key_part few[16], *part = few;
  if (ev->nargs > sizeof few / sizeof *few &&
      !(part = malloc(ev->nargs * sizeof *part)))
    return NULL;
  size_t nparts = 0;
  int rc = 0;
  for (size_t i = 0; !rc && i < ev->nargs; i++) {
    const nkg_arg *a = &ev->args[i];
    if (a->entity < 0)
      continue;
    int role = a->role;
    /* a winner is an agent for matching purposes */
    if (role == NKG_R_WINNER)
      role = NKG_R_AGENT;
    char num[24];
    size_t n = put_int(num, role);
    num[n++] = '=';
    part[nparts].off = parts.len;
    rc = nkg_buf_add(&parts, num, n) ||
         nkg_buf_adds(&parts, doc->entities[a->entity].key);
    part[nparts].len = parts.len - part[nparts].off;
    nparts++;
  }
  nkg_buf key = {0};
  if (!rc) {
    /* by their bytes (as strcmp: keys hold no NUL); an insertion sort,
     * as the parts are few */
    for (size_t i = 1; i < nparts; i++) {
      key_part v = part[i];
      size_t j = i;
      for (; j; j--) {
        const key_part *u = &part[j - 1];
        size_t n = u->len < v.len ? u->len : v.len;
        int c = memcmp(parts.s + u->off, parts.s + v.off, n);
        if (c < 0 || (!c && u->len <= v.len))
          break;
        part[j] = *u;
      }
      part[j] = v;
    }
    const char *cls = ev->trigger ? ev->trigger->cls : "Event";
    char num[64];
    size_t n = 0;
    num[n++] = '|';
    n += put_int(num + n, ev->negated);
    num[n++] = '|';
    n += put_int(num + n, ev->modality);
    rc = nkg_buf_adds(&key, cls) || nkg_buf_add(&key, num, n);
    for (size_t i = 0; !rc && i < nparts; i++) {
      if (i && part[i].len == part[i - 1].len &&
          !memcmp(parts.s + part[i].off, parts.s + part[i - 1].off,
                  part[i].len))
        continue; /* each participant once */
      rc = nkg_buf_add(&key, "|", 1) ||
           nkg_buf_add(&key, parts.s + part[i].off, part[i].len);
    }
    if (!rc && ev->date[0])
      rc = nkg_buf_add(&key, "|@", 2) || nkg_buf_adds(&key, ev->date);
  }
  if (part != few)
    free(part);
  nkg_buf_free(&parts);
  if (rc || !key.s) {
    nkg_buf_free(&key);
    return NULL;
  }
  return nkg_buf_take(&key);
}

/* One trigger speaks for a merged event (its CAMEO code): one with a code
 * before one without, the smallest code, then the first by word, so that
 * the choice does not depend on the order of documents, and `newskg
 * merge` makes the same choice from the codes the shards wrote. */
static const nkg_trigger *pick_trigger(const nkg_trigger *a,
                                       const nkg_trigger *b) {
  if (!a || !b)
    return a ? a : b;
  if (!a->cameo != !b->cameo)
    return a->cameo ? a : b;
  int c = a->cameo ? strcmp(b->cameo, a->cameo) : 0;
  if (c)
    return c < 0 ? b : a;
  return strcmp(b->word, a->word) < 0 ? b : a;
}

static int commit_events(nkg_graph *g, const nkg_doc *doc,
                         const committing *c) {
  for (size_t i = 0; i < doc->nevents; i++) {
    const nkg_event *ev = &doc->events[i];
    char *key = ev->key ? nkg_strdup(ev->key) : nkg_event_key(doc, ev);
    if (!key)
      return NKG_ERR_NOMEM;
    int added;
    int32_t k = find_or_add(g->event_index, (void **)&g->events, &g->nevents,
                            &g->capevents, sizeof *g->events, key, &added);
    if (k < 0) {
      free(key);
      return NKG_ERR_NOMEM;
    }
    nkg_gevent *ge = &g->events[k];
    if (added) {
      ge->key = key;
      ge->trigger = ev->trigger;
      ge->negated = ev->negated;
      ge->modality = ev->modality;
      memcpy(ge->date, ev->date, sizeof ge->date);
      ge->label = ev->label ? nkg_strdup(ev->label) : NULL;
      if (ev->condition >= 0 && (size_t)ev->condition < doc->nevents) {
        const nkg_event *cond = &doc->events[ev->condition];
        ge->condition_key =
            cond->key ? nkg_strdup(cond->key) : nkg_event_key(doc, cond);
      }
    } else {
      free(key);
      ge->trigger = pick_trigger(ge->trigger, ev->trigger);
      /* likewise the label: the first in byte order */
      if (ev->label && (!ge->label || strcmp(ev->label, ge->label) < 0)) {
        char *l = nkg_strdup(ev->label);
        if (!l)
          return NKG_ERR_NOMEM;
        free(ge->label);
        ge->label = l;
      }
    }
    for (size_t a = 0; a < ev->nargs; a++) {
      if (ev->args[a].entity < 0)
        continue;
      nkg_garg ga = {doc->entities[ev->args[a].entity].global,
                     ev->args[a].role};
      int dup = 0;
      for (size_t x = 0; x < ge->nargs; x++)
        if (!cmp_arg(&ge->args[x], &ga))
          dup = 1;
      if (!dup && NKG_PUSH(ge->args, ge->nargs, ge->capargs, ga))
        return NKG_ERR_NOMEM;
    }
    if (ev->time_text && nkg_strset_add(&ge->times, ev->time_text))
      return NKG_ERR_NOMEM;
    if (!ge->date[0] && ev->date[0])
      memcpy(ge->date, ev->date, sizeof ge->date);
    char *tw = nkg_span_text(doc, ev->ttb, ev->tte);
    if (!tw || nkg_strset_add(&ge->triggers, tw)) {
      free(tw);
      return NKG_ERR_NOMEM;
    }
    free(tw);
    if (add_provenance(&ge->docs, &ge->spans, doc, c, ev->tb, ev->te))
      return NKG_ERR_NOMEM;
  }
  return 0;
}

int nkg_graph_prepare(nkg_doc *doc) {
  /* commit_events keys an event by ev->key if set, else by this */
  for (size_t i = 0; i < doc->nevents; i++) {
    nkg_event *ev = &doc->events[i];
    if (!ev->key && !(ev->key = nkg_event_key(doc, ev)))
      return NKG_ERR_NOMEM;
  }
  return 0;
}

int nkg_graph_commit(nkg_graph *g, nkg_doc *doc, const char *doc_iri) {
  int rc = nkg_strset_add_last(&g->documents, doc_iri);
  committing c = {NULL, g->documents.n - 1};
  if (!rc)
    c.iri = g->documents.items[c.index];
  for (size_t i = 0; !rc && i < doc->nentities; i++)
    rc = commit_entity(g, &doc->entities[i], &c);
  /* count the mentions under each full name, for the canonical name (the
   * text has no NUL, so a name is the surface if it has its bytes) */
  for (size_t m = 0; !rc && m < doc->nmentions; m++) {
    const nkg_mention *mm = &doc->mentions[m];
    nkg_gentity *e = &g->entities[doc->entities[mm->entity].global];
    const char *surface = "";
    size_t len = 0;
    if (mm->te > mm->tb) {
      surface = doc->text + doc->toks[mm->tb].b;
      len = doc->toks[mm->te - 1].e - doc->toks[mm->tb].b;
    }
    char first = len ? surface[0] : '\0'; /* a quick no for most names */
    for (size_t n = 0; n < e->names.n; n++) {
      const char *name = e->names.items[n];
      if (name[0] == first && !strncmp(name, surface, len) && !name[len])
        e->name_count[n]++;
    }
  }
  if (!rc)
    rc = commit_posts(g, doc, &c);
  if (!rc)
    rc = commit_ties(g, doc, &c);
  if (!rc)
    rc = commit_events(g, doc, &c);
  return rc;
}

/* ---- one event reported by several articles ------------------------------ */

/* Modalities that can describe one real happening: what is asserted and
 * what is reported; a plan or a condition stays its own event. */
static int modality_group(int m) {
  return m == NKG_M_ASSERTED || m == NKG_M_REPORTED ? 0 : m;
}

static int actor_role(int role) {
  return role != NKG_R_PLACE && role != NKG_R_ORIGIN &&
         role != NKG_R_DESTINATION;
}

static int norm_role(int role) {
  return role == NKG_R_WINNER ? NKG_R_AGENT : role;
}

static size_t actor_count(const nkg_gevent *e) {
  size_t n = 0;
  for (size_t i = 0; i < e->nargs; i++)
    n += actor_role(e->args[i].role);
  return n;
}

/* Speech acts are each their own act: two articles that say "Brown
 * warned" report two warnings as often as one. */
static int speech_act(const nkg_gevent *e) {
  static const char *const classes[] = {"Statement", "Criticism", "Support",
                                        "Warning", "Appeal"};
  if (!e->trigger)
    return 0;
  for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
    if (!strcmp(e->trigger->cls, classes[i]))
      return 1;
  return 0;
}

/* May e join another event? It must say enough to be recognized: an
 * actor, and at least two facts among actors, places, times and dates
 * ("Hamas won ... on January 25th" does; "Hamas won" does not). */
static int mergeable(const nkg_gevent *e) {
  if (speech_act(e) || actor_count(e) == 0)
    return 0;
  size_t facts = e->nargs + e->times.n + (e->date[0] ? 1 : 0);
  return facts >= 2;
}

/* Does the representative r cover everything event e says? Every actor of e
 * is in r in the same role; a place of e is a place of r (or r has none);
 * their dates, when both have one, are the same. */
static int subsumes(const nkg_gevent *r, const nkg_gevent *e) {
  if (r->date[0] && e->date[0] && strcmp(r->date, e->date))
    return 0;
  int r_has_place = 0;
  for (size_t j = 0; j < r->nargs; j++)
    r_has_place |= !actor_role(r->args[j].role);
  for (size_t i = 0; i < e->nargs; i++) {
    const nkg_garg *a = &e->args[i];
    int found = 0;
    for (size_t j = 0; j < r->nargs && !found; j++)
      found = r->args[j].entity == a->entity &&
              norm_role(r->args[j].role) == norm_role(a->role);
    if (!found && (actor_role(a->role) || r_has_place))
      return 0;
  }
  return 1;
}

static int merge_into(nkg_gevent *r, nkg_gevent *e) {
  r->trigger = pick_trigger(r->trigger, e->trigger);
  for (size_t i = 0; i < e->nargs; i++) {
    int dup = 0;
    for (size_t j = 0; j < r->nargs && !dup; j++)
      dup = !cmp_arg(&r->args[j], &e->args[i]);
    if (!dup && NKG_PUSH(r->args, r->nargs, r->capargs, e->args[i]))
      return NKG_ERR_NOMEM;
  }
  const struct {
    nkg_strset *to, *from;
  } sets[] = {{&r->times, &e->times},
              {&r->triggers, &e->triggers},
              {&r->docs, &e->docs},
              {&r->spans, &e->spans}};
  for (size_t s = 0; s < sizeof sets / sizeof *sets; s++)
    for (size_t i = 0; i < sets[s].from->n; i++)
      if (nkg_strset_add(sets[s].to, sets[s].from->items[i]))
        return NKG_ERR_NOMEM;
  if (!r->date[0] && e->date[0])
    memcpy(r->date, e->date, sizeof r->date);
  return 0;
}

/* What orders an event for merging, worked out once per event. */
typedef struct event_order {
  const char *cls;
  const char *key;
  size_t actors, nargs;
  size_t index;
  int negated, group;
} event_order;

/* Most specific first: class, polarity, modality group, then more actors
 * first, then key (so the result does not depend on input order). */
static int cmp_event_order(const void *a, const void *b) {
  const event_order *x = a, *y = b;
  int c = x->cls == y->cls ? 0 : strcmp(x->cls, y->cls);
  if (c)
    return c;
  if (x->negated != y->negated)
    return x->negated - y->negated;
  if (x->group != y->group)
    return x->group - y->group;
  if (x->actors != y->actors)
    return x->actors > y->actors ? -1 : 1;
  if (x->nargs != y->nargs)
    return x->nargs > y->nargs ? -1 : 1;
  return strcmp(x->key, y->key);
}

int nkg_graph_merge_events(nkg_graph *g) {
  size_t n = g->nevents;
  if (n < 2)
    return 0;
  event_order *order = malloc(n * sizeof *order);
  int32_t *rep = malloc(n * sizeof *rep);
  /* representatives indexed by participant: entity -> list of reps */
  nkg_map *by_entity = nkg_map_new();
  int rc = (order && rep && by_entity) ? 0 : NKG_ERR_NOMEM;
  for (size_t i = 0; !rc && i < n; i++) {
    const nkg_gevent *e = &g->events[i];
    order[i] = (event_order){e->trigger ? e->trigger->cls : "",
                             e->key,
                             actor_count(e),
                             e->nargs,
                             i,
                             e->negated,
                             modality_group(e->modality)};
    rep[i] = -1;
  }
  if (!rc)
    qsort(order, n, sizeof *order, cmp_event_order);
  typedef struct replist {
    size_t *items;
    size_t n, cap;
  } replist;
  replist **lists = NULL;
  size_t nlists = 0, caplists = 0;
  for (size_t k = 0; !rc && k < n; k++) {
    size_t i = order[k].index;
    nkg_gevent *e = &g->events[i];
    int32_t found = -1;
    if (mergeable(e)) {
      /* candidates: representatives that share the first actor */
      for (size_t a = 0; a < e->nargs && found < 0; a++) {
        if (!actor_role(e->args[a].role))
          continue;
        const char *key = g->entities[e->args[a].entity].key;
        replist *l = nkg_map_get(by_entity, key, strlen(key));
        for (size_t c = 0; l && c < l->n && found < 0; c++) {
          nkg_gevent *r = &g->events[l->items[c]];
          if (r->trigger == e->trigger ||
              (r->trigger && e->trigger &&
               !strcmp(r->trigger->cls, e->trigger->cls)))
            if (r->negated == e->negated &&
                modality_group(r->modality) == modality_group(e->modality) &&
                subsumes(r, e))
              found = (int32_t)l->items[c];
        }
        break;
      }
    }
    if (found >= 0) {
      rep[i] = found;
      rc = merge_into(&g->events[found], e);
      continue;
    }
    /* a new representative: index it under each of its actors */
    for (size_t a = 0; !rc && a < e->nargs; a++) {
      if (!actor_role(e->args[a].role))
        continue;
      const char *key = g->entities[e->args[a].entity].key;
      replist *l = nkg_map_get(by_entity, key, strlen(key));
      if (!l) {
        l = calloc(1, sizeof *l);
        if (!l || NKG_PUSH(lists, nlists, caplists, l) ||
            nkg_map_put(by_entity, key, strlen(key), l, NULL)) {
          rc = NKG_ERR_NOMEM;
          break;
        }
      }
      if (!l->n || l->items[l->n - 1] != i)
        if (NKG_PUSH(l->items, l->n, l->cap, i))
          rc = NKG_ERR_NOMEM;
    }
  }
  for (size_t i = 0; i < nlists; i++) {
    free(lists[i]->items);
    free(lists[i]);
  }
  free(lists);
  nkg_map_free(by_entity, NULL);
  if (!rc) {
    /* conditions that pointed at a merged event point at its
     * representative */
    for (size_t i = 0; i < n; i++) {
      nkg_gevent *e = &g->events[i];
      if (!e->condition_key)
        continue;
      intptr_t c = (intptr_t)nkg_map_get(g->event_index, e->condition_key,
                                         strlen(e->condition_key));
      if (c && rep[c - 1] >= 0) {
        char *k = nkg_strdup(g->events[rep[c - 1]].key);
        if (k) {
          free(e->condition_key);
          e->condition_key = k;
        }
      }
    }
    /* compact and re-index */
    size_t w = 0;
    nkg_map *index = nkg_map_new();
    if (!index)
      rc = NKG_ERR_NOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
      if (rep[i] >= 0) {
        free_event(&g->events[i]);
        continue;
      }
      g->events[w] = g->events[i];
      rc = nkg_map_put(index, g->events[w].key, strlen(g->events[w].key),
                       (void *)(intptr_t)(w + 1), NULL);
      w++;
    }
    if (!rc) {
      g->nevents = w;
      nkg_map_free(g->event_index, NULL);
      g->event_index = index;
    } else {
      nkg_map_free(index, NULL);
    }
  }
  free(order);
  free(rep);
  return rc;
}

char *nkg_merge_reason(const nkg_gentity *e, const char *other) {
  nkg_buf b = {0};
  const char *name = nkg_gentity_name(e);
  if (e->gaz)
    nkg_buf_addf(&b, "\"%s\" is listed as a name of %s in the gazetteer", other,
                 name);
  else if (e->type == NKG_PER)
    nkg_buf_addf(&b,
                 "\"%s\" and \"%s\" share the phonetic key %s (first and "
                 "last name; consonants with c/k/q, w/v, z/s, x/ks, ph/f and "
                 "accents folded, doubled letters and h after a consonant "
                 "ignored; the class of an initial vowel and the number of "
                 "vowel groups kept)",
                 other, name, e->key);
  else
    nkg_buf_addf(&b,
                 "\"%s\" and \"%s\" share the key %s (case, accents "
                 "and punctuation ignored)",
                 other, name, e->key);
  return nkg_buf_take(&b);
}
