/* newskg's Turtle writer, byte for byte what raptor 2.0.15's "turtle"
 * serializer writes for our statements (IRIs and literals, no blank nodes,
 * no language tags) with the prefixes of nkg_rdf_prefix_at(). raptor keeps
 * every statement as nodes in AVL trees and makes a qname per IRI written:
 * with building its terms about 32,000 instructions a statement for the
 * BBC corpus. Here each distinct term is interned once, a statement is
 * three 32-bit term ids, sorted at the end by the terms' ranks (a
 * counting sort of the runs of one subject, then each subject's few
 * statements), and how an IRI is written is worked out once: about 1,650
 * instructions a statement.
 *
 * What raptor writes, and so this file:
 *  - "@prefix p: <ns> ." for rdf first, then each prefix of the table not
 *    declared already (same prefix or same namespace), then an empty line.
 *    The undeclared xml: namespace is in scope as well.
 *  - subjects in the order of their IRIs' bytes (memcmp, the shorter
 *    first), then "\n    " and the predicates in the same order, " ;\n    "
 *    between them, objects of one predicate joined by ", "; " .\n\n" after
 *    the last. Objects: IRIs before literals; literals by their bytes
 *    (strcmp), a plain one before a typed one, typed ones by datatype IRI.
 *    A statement given twice is written once.
 *  - an IRI is written p:local when it starts with a namespace of a prefix
 *    in scope, the rest is a non-empty XML 1.0 name (raptor_xml_name_check)
 *    and, for subjects and objects only (not predicates or datatypes), the
 *    rest starts with [A-Za-z0-9_] and has no '.'. Otherwise <iri>, with
 *    '\\' as "\\\\", space, controls and <>"{}|^` as \u00XX and UTF-8 raw.
 *    rdf:type as predicate is "a"; rdf:nil as subject or object is "( )".
 *  - a literal is cleaned as nkg_clean_literal() does, then written
 *    "..." (or """...""" when it holds a line feed) with only '"' and '\\'
 *    escaped; UTF-8 and tabs raw. A typed literal gets ^^datatype, except
 *    that raptor writes xsd:integer, xsd:decimal, xsd:double and
 *    xsd:boolean values bare (booleans as true/false) when strtol/strtod
 *    read the whole value (0/1/true/false for booleans).
 *
 * Memory: per statement 12 bytes (three term ids), not moved at the end:
 * 8 bytes per run of one subject for the runs' order, and one subject's
 * statements at a time gathered and sorted. Per distinct term 16 bytes
 * (offset, length, kind), 4 (hash) and 8-16 (the hash table, kept at most
 * half full, freed before the sort) and its bytes plus a NUL; at the
 * end 4 (rank) + 4 (order) + 2 (how the IRI is written) more, a 4-byte
 * counter per term for the counting sort, and while the terms are sorted
 * 24 bytes a term (sort_key).
 * For the BBC corpus x10 (5.3 million statements, 973,000 terms, 72 MB
 * of term bytes) the process peaks at 255 MB (64 MB of it extraction:
 * -f none), 326 MB with a second statement array for the sort and the
 * table kept. The text is written in 64 KB pieces. */
#include "turtle.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../ordered.h"
#include "backend.h"
#include "newskg.h"
#include "rdflib.h"
#include "util.h"

enum { KIND_IRI = 0, KIND_PLAIN = 1, KIND_TYPED = 2 /* + datatype's id */ };

typedef struct term {
  uint64_t off; /* the bytes, NUL-terminated, at t->bytes + off */
  uint32_t len;
  uint32_t kind;
} term;

typedef struct triple {
  uint32_t s, p, o; /* term ids; ranks once sorting starts */
} triple;

typedef struct prefix {
  const char *prefix, *ns;
  size_t prefix_len, ns_len;
  int declared;   /* written as @prefix (xml: is in scope without it) */
  int node_legal; /* raptor's Turtle check of the prefix itself */
} prefix;

#define MAX_PREFIXES 32
#define RECENT_SLOTS 256 /* a power of two */

struct nkg_turtle {
  char *bytes;
  size_t nbytes, cbytes;
  term *terms;
  uint32_t *hashes;
  size_t nterms, cterms, chashes;
  /* the hash table: a term's id + 1 (0 is empty) in the bits of the
   * index, above them the hash's bits: a probe reads the terms only when
   * these agree */
  uint32_t *slots;
  size_t nslots; /* a power of two, more than twice the terms */
  triple *triples;
  size_t ntriples, ctriples;
  uint32_t last_s; /* the last subject's id (statements come in runs) */
  int have_last_s;
  nkg_buf clean; /* a literal being cleaned */
  /* IRIs recently interned, by address: predicates, classes and
   * datatypes come again and again from the same constant strings */
  struct {
    const char *s;
    size_t len;
    uint32_t id;
  } recent[RECENT_SLOTS];
  prefix prefixes[MAX_PREFIXES];
  size_t nprefixes;
};

static void add_prefix(nkg_turtle *t, const char *p, const char *ns,
                       int declared) {
  for (size_t i = 0; i < t->nprefixes; i++)
    if (!strcmp(t->prefixes[i].prefix, p) || !strcmp(t->prefixes[i].ns, ns))
      return; /* raptor ignores a second declaration of either */
  if (t->nprefixes == MAX_PREFIXES || !*ns)
    return;
  prefix *x = &t->prefixes[t->nprefixes++];
  x->prefix = p;
  x->ns = ns;
  x->prefix_len = strlen(p);
  x->ns_len = strlen(ns);
  x->declared = declared;
  unsigned char c = (unsigned char)p[0];
  x->node_legal =
      (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9')) &&
      !strchr(p, '.');
}

nkg_turtle *nkg_turtle_new(void) {
  nkg_turtle *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  /* raptor's serializer declares rdf: itself, before any other */
  add_prefix(t, "rdf", RDF_NS, 1);
  const char *p, *ns;
  for (size_t i = 0; nkg_rdf_prefix_at(i, &p, &ns); i++)
    add_prefix(t, p, ns, 1);
  /* in raptor's namespace stack from the start, never declared */
  add_prefix(t, "xml", "http://www.w3.org/XML/1998/namespace", 0);
  return t;
}

void nkg_turtle_free(nkg_turtle *t) {
  if (!t)
    return;
  free(t->bytes);
  free(t->terms);
  free(t->hashes);
  free(t->slots);
  free(t->triples);
  nkg_buf_free(&t->clean);
  free(t);
}

/* ---- interning ------------------------------------------------------------
 */

/* A word at a time (the terms are long: IRIs of 60 bytes, sentences):
 * xor, rotate and multiply per word, mixed at the end. */
static uint32_t hash_term(const char *s, size_t n, uint32_t kind) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)n << 32) ^ kind;
  int long_term = n >= 8;
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    h ^= w;
    h = ((h << 29) | (h >> 35)) * 0xBF58476D1CE4E5B9ull;
    s += 8;
    n -= 8;
  }
  uint64_t w = 0;
  if (long_term && n) /* the last 8 bytes, some hashed already: no call */
    memcpy(&w, s + n - 8, 8);
  else
    memcpy(&w, s, n);
  h = (h ^ w) * 0x94D049BB133111EBull;
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  return (uint32_t)(h >> 32);
}

/* The bits of a slot that hold the id + 1 (those of the index). */
static inline uint32_t id_bits(size_t nslots) {
  return nslots > UINT32_MAX ? UINT32_MAX : (uint32_t)(nslots - 1);
}

/* The table doubled (or built again, after nkg_turtle_write() freed it). */
static int grow_slots(nkg_turtle *t) {
  size_t n = nkg_half_full_cap(t->nterms + 1, t->nslots ? t->nslots * 2 : 1024);
  uint32_t *slots = calloc(n, sizeof *slots);
  if (!slots)
    return NKG_ERR_NOMEM;
  uint32_t idm = id_bits(n);
  for (size_t id = 0; id < t->nterms; id++) {
    uint32_t h = t->hashes[id];
    size_t i = h & (n - 1);
    while (slots[i])
      i = (i + 1) & (n - 1);
    slots[i] = (h & ~idm) | (uint32_t)(id + 1);
  }
  free(t->slots);
  t->slots = slots;
  t->nslots = n;
  return 0;
}

/* Is the IRI UTF-8 without U+FFFE and U+FFFF (raptor cuts an IRI short
 * there)? The same test as the N-Triples writer's. */
static int iri_ok(const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    uint64_t word;
    if (i + 8 <= n &&
        (memcpy(&word, s + i, 8), !(word & 0x8080808080808080ull))) {
      i += 8; /* ASCII */
      continue;
    }
    if (!((unsigned char)s[i] & 0x80)) {
      i++;
      continue;
    }
    int32_t cp;
    int k = nkg_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    if (!k || cp == 0xFFFE || cp == 0xFFFF)
      return 0;
    i += (size_t)k;
  }
  return 1;
}

/* The id of the term (s, n, kind), added if new; -1 if out of memory, -2
 * for an IRI that iri_ok() refuses (checked once, when first seen). */
static int64_t intern(nkg_turtle *t, const char *s, size_t n, uint32_t kind) {
  if (n > UINT32_MAX || t->nterms >= UINT32_MAX - 1)
    return -1;
  if (2 * (t->nterms + 1) > t->nslots && grow_slots(t))
    return -1;
  uint32_t h = hash_term(s, n, kind);
  size_t mask = t->nslots - 1, i = h & mask;
  uint32_t idm = id_bits(t->nslots);
  for (uint32_t v; (v = t->slots[i]); i = (i + 1) & mask) {
    if ((v ^ h) & ~idm)
      continue;
    uint32_t id = (v & idm) - 1;
    const term *e = &t->terms[id];
    if (e->len == n && e->kind == kind && !memcmp(t->bytes + e->off, s, n))
      return id;
  }
  if (kind == KIND_IRI && !iri_ok(s, n))
    return -2;
  if ((t->nterms == t->cterms && nkg_grow((void **)&t->terms, &t->cterms,
                                          t->nterms + 1, sizeof *t->terms)) ||
      (t->nterms == t->chashes && nkg_grow((void **)&t->hashes, &t->chashes,
                                           t->nterms + 1, sizeof *t->hashes)) ||
      nkg_grow((void **)&t->bytes, &t->cbytes, t->nbytes + n + 1, 1))
    return -1;
  term *e = &t->terms[t->nterms];
  e->off = t->nbytes;
  e->len = (uint32_t)n;
  e->kind = kind;
  memcpy(t->bytes + t->nbytes, s, n);
  t->bytes[t->nbytes + n] = '\0';
  t->nbytes += n + 1;
  t->hashes[t->nterms] = h;
  t->slots[i] = (h & ~idm) | (uint32_t)(t->nterms + 1);
  return (int64_t)t->nterms++;
}

/* intern() of an IRI, looked up first by its address: the same address
 * with the same bytes is the same term (the bytes are compared, as a
 * buffer may hold another IRI by now). */
static int64_t intern_iri(nkg_turtle *t, const char *s, size_t n) {
  size_t slot = (((uintptr_t)s >> 3) ^ n) & (RECENT_SLOTS - 1);
  if (t->recent[slot].s == s && t->recent[slot].len == n &&
      !memcmp(t->bytes + t->terms[t->recent[slot].id].off, s, n))
    return t->recent[slot].id;
  int64_t id = intern(t, s, n, KIND_IRI);
  if (id >= 0) {
    t->recent[slot].s = s;
    t->recent[slot].len = n;
    t->recent[slot].id = (uint32_t)id;
  }
  return id;
}

/* -1 (out of memory) or -2 (a refused IRI) as a status */
static int id_status(int64_t id) {
  return id == -2 ? NKG_ERR_RDF : NKG_ERR_NOMEM;
}

int nkg_turtle_add(nkg_turtle *t, const char *s, size_t ls, const char *p,
                   size_t lp, const char *o, size_t n, int lit,
                   const char *datatype) {
  int64_t sid;
  const term *last = t->have_last_s ? &t->terms[t->last_s] : NULL;
  if (last && last->len == ls && !memcmp(t->bytes + last->off, s, ls))
    sid = t->last_s;
  else if ((sid = intern(t, s, ls, KIND_IRI)) < 0)
    return id_status(sid);
  t->last_s = (uint32_t)sid;
  t->have_last_s = 1;
  int64_t pid = intern_iri(t, p, lp), oid;
  if (pid < 0)
    return id_status(pid);
  if (!lit) {
    oid = intern_iri(t, o, n);
  } else {
    uint32_t kind = KIND_PLAIN;
    if (datatype) {
      int64_t did = intern_iri(t, datatype, strlen(datatype));
      if (did < 0)
        return id_status(did);
      if (did > UINT32_MAX - KIND_TYPED)
        return NKG_ERR_NOMEM;
      kind = KIND_TYPED + (uint32_t)did;
    }
    size_t clen;
    const char *text = nkg_clean_literal_in(o, n, &t->clean, &clen);
    if (!text)
      return NKG_ERR_NOMEM;
    /* raptor holds literals as C strings: a NUL would end one (cleaning
     * leaves none, as U+0000 becomes a space) */
    oid = intern(t, text, clen, kind);
  }
  if (oid < 0)
    return id_status(oid);
  if (t->ntriples == t->ctriples &&
      nkg_grow((void **)&t->triples, &t->ctriples, t->ntriples + 1,
               sizeof *t->triples))
    return NKG_ERR_NOMEM;
  t->triples[t->ntriples++] =
      (triple){(uint32_t)sid, (uint32_t)pid, (uint32_t)oid};
  return 0;
}

/* ---- ordering -------------------------------------------------------------
 */

/* A term being sorted: its bytes, length and id, side by side so that the
 * sort reads little other memory, and 8 of its bytes as a number. */
typedef struct sort_key {
  const unsigned char *s;
  uint32_t len, id;
  uint64_t chunk;
} sort_key;

/* Bytes d to d + 8 as a big-endian number, 0 past the end: terms hold no
 * NUL (IRIs are C strings, cleaned literals have none), so the numbers
 * compare as the bytes do, the shorter first. */
static inline uint64_t chunk_at(const sort_key *k, size_t d) {
  if (d >= k->len)
    return 0;
  size_t n = k->len - d;
  const unsigned char *p = k->s + d;
  uint64_t w = 0;
  if (n >= 8) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&w, p, 8);
    return __builtin_bswap64(w);
#else
    n = 8;
#endif
  }
  for (size_t i = 0; i < n; i++)
    w |= (uint64_t)p[i] << (56 - 8 * i);
  return w;
}

/* Among terms of equal bytes (literals only: IRIs are unique by their
 * bytes), plain before typed, typed ones by their datatype IRI's rank. */
static inline uint32_t tie_rank(const nkg_turtle *t, const uint32_t *dt_rank,
                                uint32_t id) {
  uint32_t kind = t->terms[id].kind;
  return kind == KIND_PLAIN || !dt_rank ? 0 : 1 + dt_rank[kind - KIND_TYPED];
}

/* a before b, both equal in their first d bytes (d may be past the end
 * of both, 8 bytes a step, when they are the same bytes)? */
static inline int key_less(const nkg_turtle *t, const uint32_t *dt_rank,
                           const sort_key *a, const sort_key *b, size_t d) {
  size_t m = a->len < b->len ? a->len : b->len;
  size_t n = m > d ? m - d : 0;
  int c = memcmp(a->s + d, b->s + d, n);
  if (c)
    return c < 0;
  if (a->len != b->len)
    return a->len < b->len;
  return tie_rank(t, dt_rank, a->id) < tie_rank(t, dt_rank, b->id);
}

static void insertion_sort_keys(const nkg_turtle *t, const uint32_t *dt_rank,
                                sort_key *a, size_t n, size_t d) {
  for (size_t i = 1; i < n; i++) {
    sort_key v = a[i];
    size_t j = i;
    for (; j && key_less(t, dt_rank, &v, &a[j - 1], d); j--)
      a[j] = a[j - 1];
    a[j] = v;
  }
}

static inline void swap_keys(sort_key *a, size_t i, size_t j) {
  sort_key x = a[i];
  a[i] = a[j];
  a[j] = x;
}

/* A multikey quicksort (Bentley and Sedgewick) of terms all equal in their
 * first d bytes, 8 bytes a step: the terms share long prefixes (the base
 * IRI, a document's IRI), which a comparison sort would read again at
 * every comparison. `chunked`: a[].chunk holds the bytes at d already. */
static void sort_keys(const nkg_turtle *t, const uint32_t *dt_rank, sort_key *a,
                      size_t n, size_t d, int chunked) {
  while (n > 12) {
    if (!chunked) {
      uint64_t first = a[0].chunk = chunk_at(&a[0], d), differ = 0;
      for (size_t i = 1; i < n; i++)
        differ |= (a[i].chunk = chunk_at(&a[i], d)) ^ first;
      if (!differ && first) { /* a shared prefix (a base IRI): on */
        d += 8;
        continue;
      }
    }
    uint64_t x = a[0].chunk, y = a[n / 2].chunk, z = a[n - 1].chunk;
    uint64_t pivot =
        x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    /* a[0, lt) < pivot, a[lt, i) = pivot, a[gt, n) > pivot */
    size_t lt = 0, i = 0, gt = n;
    while (i < gt) {
      uint64_t c = a[i].chunk;
      if (c < pivot)
        swap_keys(a, lt++, i++);
      else if (c > pivot)
        swap_keys(a, i, --gt);
      else
        i++;
    }
    sort_keys(t, dt_rank, a, lt, d, 1);
    sort_keys(t, dt_rank, a + gt, n - gt, d, 1);
    a += lt;
    n = gt - lt;
    if (!pivot) { /* the same bytes: literals that differ by datatype */
      insertion_sort_keys(t, dt_rank, a, n, d);
      return;
    }
    d += 8;
    chunked = 0;
  }
  insertion_sort_keys(t, dt_rank, a, n, d);
}

/* The literals sorted on a thread of their own (sort_terms with
 * `parallel`), before the IRIs' ranks are known: literals of the same
 * bytes are put in order afterwards (put_ties). */
typedef struct literal_sort {
  const nkg_turtle *t;
  sort_key *keys;
  size_t n;
} literal_sort;

static void *sort_literals(void *arg) {
  literal_sort *ls = arg;
  sort_keys(ls->t, NULL, ls->keys, ls->n, 0, 0);
  return NULL;
}

/* Runs of literals of the same bytes (sorted without the datatypes'
 * ranks) in their order: plain first, typed ones by datatype rank. */
static void put_ties(const nkg_turtle *t, const uint32_t *dt_rank,
                     sort_key *a, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && a[j].len == a[i].len && !memcmp(a[j].s, a[i].s, a[i].len))
      j++;
    if (j - i > 1)
      insertion_sort_keys(t, dt_rank, a + i, j - i, a[i].len);
    i = j;
  }
}

/* Term ids in raptor_term_compare() order into ids[0, nterms), and each
 * term's place in it into rank[]: IRIs (raptor's type 1) before literals
 * (type 2); IRIs by raptor_uri_compare (bytes, the shorter first);
 * literals by strcmp, then plain before typed, then datatype. With
 * `parallel` the literals are sorted on another thread meanwhile. */
static int sort_terms(const nkg_turtle *t, uint32_t *ids, uint32_t *rank,
                      int parallel) {
  size_t n = t->nterms, niri = 0;
  sort_key *keys = malloc((n ? n : 1) * sizeof *keys);
  if (!keys)
    return NKG_ERR_NOMEM;
  for (size_t i = 0; i < n; i++)
    niri += t->terms[i].kind == KIND_IRI;
  /* IRIs first (raptor's type 1), then literals: their ties need the
   * datatype IRIs' ranks */
  size_t at_iri = 0, at_lit = niri;
  for (size_t i = 0; i < n; i++) {
    const term *e = &t->terms[i];
    sort_key k = {(const unsigned char *)t->bytes + e->off, e->len, (uint32_t)i,
                  0};
    keys[e->kind == KIND_IRI ? at_iri++ : at_lit++] = k;
  }
  literal_sort ls = {t, keys + niri, n - niri};
  pthread_t thread;
  int threaded = parallel && n - niri > 4096 &&
                 !nkg_thread_create_apart(&thread, sort_literals, &ls);
  sort_keys(t, NULL, keys, niri, 0, 0);
  for (size_t i = 0; i < niri; i++)
    rank[keys[i].id] = (uint32_t)i;
  if (threaded) {
    pthread_join(thread, NULL);
    put_ties(t, rank, keys + niri, n - niri);
  } else {
    sort_keys(t, rank, keys + niri, n - niri, 0, 0);
  }
  for (size_t i = 0; i < n; i++) {
    ids[i] = keys[i].id;
    rank[keys[i].id] = (uint32_t)i;
  }
  free(keys);
  return 0;
}

/* The statements come in runs of one subject (a span's, a document's):
 * the runs' starts in the order of their subjects' ranks into *starts
 * (a stable counting sort of the runs, not of the statements), and where
 * subject k's runs are in it into count[k, k + 1]. */
static int sort_runs(const triple *a, size_t n, uint32_t *count, size_t nkeys,
                     size_t **starts) {
  memset(count, 0, (nkeys + 1) * sizeof *count);
  size_t nruns = 0;
  for (size_t i = 0; i < n; i++)
    if (!i || a[i].s != a[i - 1].s) {
      count[a[i].s + 1]++;
      nruns++;
    }
  for (size_t k = 1; k <= nkeys; k++)
    count[k] += count[k - 1];
  size_t *r = malloc((nruns ? nruns : 1) * sizeof *r);
  if (!r)
    return NKG_ERR_NOMEM;
  for (size_t i = 0; i < n; i++)
    if (!i || a[i].s != a[i - 1].s)
      r[count[a[i].s]++] = i;
  for (size_t k = nkeys; k; k--) /* back to the starts */
    count[k] = count[k - 1];
  count[0] = 0;
  *starts = r;
  return 0;
}

static inline uint64_t po_key(const triple *x) {
  return (uint64_t)x->p << 32 | x->o;
}

static int po_cmp(const void *a, const void *b) {
  uint64_t x = po_key(a), y = po_key(b);
  return (x > y) - (x < y);
}

/* One subject's statements by (p, o): a few, mostly. */
static void sort_po(triple *r, size_t m) {
  if (m > 32) {
    qsort(r, m, sizeof *r, po_cmp);
    return;
  }
  for (size_t i = 1; i < m; i++) {
    triple v = r[i];
    uint64_t key = po_key(&v);
    size_t j = i;
    for (; j && po_key(&r[j - 1]) > key; j--)
      r[j] = r[j - 1];
    r[j] = v;
  }
}

/* ---- writing --------------------------------------------------------------
 */

#define OUT_FLUSH (1u << 20)

/* How an IRI is written, worked out once per term (form[] below). */
enum {
  FORM_KNOWN = 1 << 15,
  FORM_NS = 0x1F,           /* prefix index + 1 when a qname is allowed */
  FORM_NODE_QNAME = 1 << 5, /* ... also as subject or object */
  FORM_TYPE = 1 << 6,       /* rdf:type */
  FORM_NIL = 1 << 7,        /* rdf:nil */
  FORM_PLAIN = 1 << 10,     /* <iri> needs no escapes */
  FORM_DT_SHIFT = 8,        /* as a datatype: one of the below */
  DT_INTEGER = 1,
  DT_DECIMAL = 2, /* or double */
  DT_BOOLEAN = 3
};

typedef struct writer {
  nkg_turtle *t;
  FILE *fh;
  uint16_t *form;
  nkg_buf out;
  int rc;
  const char *error;
  int stop; /* out of memory or a failed write: nothing more is written */
  nkg_writeback wb; /* see nkg_rdf_write_file */
  int write_errno;  /* of the failed write (errno is the thread's own, and
                       parts may be written on another thread) */
} writer;

static void fail(writer *w, int rc, const char *error) {
  if (!w->rc) {
    w->rc = rc;
    w->error = error;
  }
  if (rc != NKG_ERR_RDF)
    w->stop = 1;
}

static int flush(writer *w) {
  struct iovec iov = {w->out.s, w->out.len};
  if (w->out.len && nkg_rdf_write_file(w->fh, &w->wb, &iov, 1)) {
    w->out.len = 0;
    if (!w->write_errno)
      w->write_errno = errno;
    fail(w, NKG_ERR_IO, "could not write the output");
    return NKG_ERR_IO;
  }
  w->out.len = 0;
  return 0;
}

/* Room for n more bytes; NULL (and the error noted) if out of memory. */
static inline char *room(writer *w, size_t n) {
  if (w->out.len + n <= w->out.cap)
    return w->out.s + w->out.len;
  if (nkg_grow((void **)&w->out.s, &w->out.cap, w->out.len + n, 1)) {
    fail(w, NKG_ERR_NOMEM, "out of memory");
    return NULL;
  }
  return w->out.s + w->out.len;
}

static inline void put(writer *w, const char *s, size_t n) {
  char *p = room(w, n);
  if (p) {
    memcpy(p, s, n);
    w->out.len += n;
  }
}

/* Bytes raptor writes as they are in a Turtle IRI: all but '\\' (written
 * "\\\\"), space, controls and <>"{}|^` (written \u00XX). */
static unsigned char iri_raw[256];
static pthread_once_t iri_raw_once = PTHREAD_ONCE_INIT;

/* The end of the run of iri_raw bytes from i (four at a time: IRIs are
 * long). */
static inline size_t raw_run(const char *s, size_t i, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  while (i + 4 <= n && (iri_raw[u[i]] & iri_raw[u[i + 1]] & iri_raw[u[i + 2]] &
                        iri_raw[u[i + 3]]))
    i += 4;
  while (i < n && iri_raw[u[i]])
    i++;
  return i;
}

/* The end of the run from i without '"' or '\\' (eight bytes at a time:
 * a word has such a byte when a byte of it xor the byte is zero). */
static inline size_t literal_run(const char *s, size_t i, size_t n) {
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  for (uint64_t w; i + 8 <= n; i += 8) {
    memcpy(&w, s + i, 8);
    uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
    if (((q - ones) & ~q & highs) | ((b - ones) & ~b & highs))
      break;
  }
  while (i < n && s[i] != '"' && s[i] != '\\')
    i++;
  return i;
}

static uint16_t new_iri_form(writer *w, uint32_t id) {
  const nkg_turtle *t = w->t;
  const term *e = &t->terms[id];
  const char *s = t->bytes + e->off;
  uint16_t f = FORM_KNOWN;
  for (size_t k = 0; k < t->nprefixes; k++) {
    const prefix *x = &t->prefixes[k];
    if (x->ns_len >= e->len || s[x->ns_len - 1] != x->ns[x->ns_len - 1] ||
        memcmp(s, x->ns, x->ns_len))
      continue; /* (the last byte first: a quick no for most IRIs) */
    const char *local = s + x->ns_len;
    size_t n = e->len - x->ns_len;
    if (!raptor_xml_name_check((const unsigned char *)local, n, 10))
      continue;
    f |= (uint16_t)(k + 1);
    /* raptor_turtle_is_legal_turtle_qname(), for subjects and objects */
    unsigned char c = (unsigned char)local[0];
    if (x->node_legal &&
        (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') ||
         c == '_') &&
        !memchr(local, '.', n))
      f |= FORM_NODE_QNAME;
    break;
  }
  static const struct {
    const char *iri;
    uint16_t flag;
  } special[] = {{RDF_NS "type", FORM_TYPE},
                 {RDF_NS "nil", FORM_NIL},
                 {XSD_NS "integer", DT_INTEGER << FORM_DT_SHIFT},
                 {XSD_NS "decimal", DT_DECIMAL << FORM_DT_SHIFT},
                 {XSD_NS "double", DT_DECIMAL << FORM_DT_SHIFT},
                 {XSD_NS "boolean", DT_BOOLEAN << FORM_DT_SHIFT}};
  static const char w3[] = "http://www.w3.org/"; /* RDF_NS and XSD_NS */
  for (size_t i = 0; e->len > sizeof w3 && !memcmp(s, w3, sizeof w3 - 1) &&
                     i < sizeof special / sizeof *special;
       i++)
    if (strlen(special[i].iri) == e->len && !memcmp(special[i].iri, s, e->len))
      f |= special[i].flag;
  if (raw_run(s, 0, e->len) == e->len)
    f |= FORM_PLAIN;
  w->form[id] = f;
  return f;
}

static inline uint16_t iri_form(writer *w, uint32_t id) {
  return w->form[id] ? w->form[id] : new_iri_form(w, id);
}

static void init_iri_raw(void) {
  for (int c = 0x21; c < 0x100; c++)
    iri_raw[c] = !strchr("<>\"{}|^`\\", c);
}

/* <iri> escaped as raptor_string_escaped_write() does for Turtle URIs. */
static void put_full_iri(writer *w, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  char *p = room(w, 6 * n + 2);
  if (!p)
    return;
  char *start = p;
  *p++ = '<';
  for (size_t i = 0; i < n;) {
    size_t run = i;
    i = raw_run(s, i, n); /* UTF-8 (checked when added) and DEL raw */
    memcpy(p, s + run, i - run);
    p += i - run;
    if (i == n)
      break;
    unsigned char c = (unsigned char)s[i++];
    if (c == '\\') {
      *p++ = '\\';
      *p++ = '\\';
    } else {
      memcpy(p, "\\u00", 4);
      p[4] = hex[c >> 4];
      p[5] = hex[c & 15];
      p += 6;
    }
  }
  *p++ = '>';
  w->out.len += (size_t)(p - start);
}

/* An IRI as subject or object (node) or as predicate or datatype. */
static void put_iri(writer *w, uint32_t id, int node) {
  uint16_t f = iri_form(w, id);
  if (node && (f & FORM_NIL)) {
    put(w, "( )", 3);
    return;
  }
  const term *e = &w->t->terms[id];
  const char *s = w->t->bytes + e->off;
  if ((f & FORM_NS) && (!node || (f & FORM_NODE_QNAME))) {
    const prefix *x = &w->t->prefixes[(f & FORM_NS) - 1];
    size_t n = e->len - x->ns_len;
    char *p = room(w, x->prefix_len + 1 + n);
    if (!p)
      return;
    memcpy(p, x->prefix, x->prefix_len);
    p[x->prefix_len] = ':';
    memcpy(p + x->prefix_len + 1, s + x->ns_len, n);
    w->out.len += x->prefix_len + 1 + n;
    return;
  }
  if (f & FORM_PLAIN) {
    char *p = room(w, e->len + 2);
    if (p) {
      p[0] = '<';
      memcpy(p + 1, s, e->len);
      p[e->len + 1] = '>';
      w->out.len += e->len + 2;
    }
    return;
  }
  put_full_iri(w, s, e->len);
}

/* The bare forms raptor_turtle_writer_literal() writes; 0 if none. */
static int put_bare_literal(writer *w, const char *s, int dt) {
  char *end = (char *)s;
  if (dt == DT_INTEGER) {
    (void)strtol(s, &end, 10);
    if (end != s && !*end) {
      put(w, s, strlen(s));
      return 1;
    }
    fail(w, NKG_ERR_RDF, "Illegal value for xsd:integer literal.");
  } else if (dt == DT_DECIMAL) {
    (void)strtod(s, &end);
    if (end != s && !*end) {
      put(w, s, strlen(s));
      return 1;
    }
    fail(w, NKG_ERR_RDF,
         "Illegal value for xsd:double or xsd:decimal literal.");
  } else if (dt == DT_BOOLEAN) {
    if (!strcmp(s, "0") || !strcmp(s, "false")) {
      put(w, "false", 5);
      return 1;
    }
    if (!strcmp(s, "1") || !strcmp(s, "true")) {
      put(w, "true", 4);
      return 1;
    }
    fail(w, NKG_ERR_RDF, "Illegal value for xsd:boolean literal.");
  }
  return 0;
}

static void put_literal(writer *w, uint32_t id) {
  const term *e = &w->t->terms[id];
  const char *s = w->t->bytes + e->off;
  size_t n = e->len;
  uint32_t dt = e->kind >= KIND_TYPED ? e->kind - KIND_TYPED : UINT32_MAX;
  if (dt != UINT32_MAX &&
      put_bare_literal(w, s, (iri_form(w, dt) >> FORM_DT_SHIFT) & 3))
    return;
  int long_form = memchr(s, '\n', n) != NULL;
  char *p = room(w, 2 * n + 6);
  if (!p)
    return;
  char *start = p;
  if (long_form) {
    memcpy(p, "\"\"\"", 3);
    p += 3;
  } else {
    *p++ = '"';
  }
  for (size_t i = 0; i < n;) {
    size_t run = i;
    i = literal_run(s, i, n);
    memcpy(p, s + run, i - run);
    p += i - run;
    if (i == n)
      break;
    *p++ = '\\';
    *p++ = s[i++];
  }
  if (long_form) {
    memcpy(p, "\"\"\"", 3);
    p += 3;
  } else {
    *p++ = '"';
  }
  w->out.len += (size_t)(p - start);
  if (dt != UINT32_MAX) {
    put(w, "^^", 2);
    put_iri(w, dt, 0);
  }
}

static void put_object(writer *w, uint32_t id) {
  if (w->t->terms[id].kind == KIND_IRI)
    put_iri(w, id, 1);
  else
    put_literal(w, id);
}

/* The subjects of ranks lo to hi - 1 with their statements (a[] sorted
 * into runs by sort_runs), " .\n\n" between two subjects (and before the
 * first if *nwritten), *nwritten counting them. `group`: scratch. */
static void put_subjects(writer *w, const triple *a, size_t n,
                         const uint32_t *count, const size_t *starts,
                         const uint32_t *order, size_t lo, size_t hi,
                         nkg_buf *group, size_t *nwritten) {
  for (size_t k = lo; k < hi && !w->stop; k++) {
    /* subject k's statements, gathered from its runs and sorted */
    size_t m = 0;
    for (size_t r = count[k]; r < count[k + 1]; r++)
      for (size_t i = starts[r]; i < n && a[i].s == k; i++) {
        if (nkg_grow((void **)&group->s, &group->cap,
                     (m + 1) * sizeof(triple), 1)) {
          fail(w, NKG_ERR_NOMEM, "out of memory");
          return;
        }
        ((triple *)group->s)[m++] = a[i];
      }
    if (!m)
      continue;
    triple *g = (triple *)group->s;
    sort_po(g, m);
    if ((*nwritten)++)
      put(w, " .\n\n", 4);
    put_iri(w, order[k], 1);
    put(w, "\n    ", 5);
    for (size_t i = 0; i < m; i++) {
      const triple *x = &g[i];
      if (i && x->p == g[i - 1].p) {
        if (x->o == g[i - 1].o)
          continue; /* the same statement again */
        put(w, ", ", 2);
      } else {
        if (i)
          put(w, " ;\n    ", 7);
        uint32_t p = order[x->p];
        if (iri_form(w, p) & FORM_TYPE)
          put(w, "a", 1);
        else
          put_iri(w, p, 0);
        put(w, " ", 1);
      }
      put_object(w, order[x->o]);
      if (w->fh && w->out.len >= OUT_FLUSH)
        flush(w);
    }
  }
}

/* ---- the subjects on two threads (nkg_turtle_write with `parallel`) -----
 *
 * The subjects are cut into parts of about PART_STATEMENTS statements.
 * A thread of its own and the calling thread format parts, each into a
 * text of its own, and the calling thread writes the texts in order as
 * they are done (src/ordered.c). The other thread stays at most
 * PARTS_AHEAD parts ahead of the writing, so that little of the document
 * is ever held as text. Each thread works out IRI forms in an array of
 * its own. */
#define PART_STATEMENTS 16384
#define PARTS_AHEAD 8

typedef struct part {
  size_t lo, hi; /* subjects */
  nkg_buf text;
  size_t nwritten; /* subjects in it */
  int rc;
  const char *error;
} part;

typedef struct parts {
  writer *w; /* the calling thread's: the parts are written with it */
  size_t *nwritten;
  const triple *a;
  size_t n;
  const uint32_t *count, *order;
  const size_t *starts;
  part *part;
  size_t nparts;
} parts;

/* What a thread formats with: its IRI forms, and scratch for a subject's
 * statements. */
typedef struct part_scratch {
  uint16_t *form;
  nkg_buf group;
} part_scratch;

static void *part_scratch_new(void *user) {
  parts *ps = user;
  part_scratch *x = calloc(1, sizeof *x);
  if (x && !(x->form = calloc(ps->w->t->nterms + 1, sizeof *x->form))) {
    free(x);
    x = NULL;
  }
  return x;
}

static void part_scratch_free(void *user, void *scratch) {
  (void)user;
  part_scratch *x = scratch;
  free(x->form);
  nkg_buf_free(&x->group);
  free(x);
}

/* Formats part i; out of memory stops the run. */
static int format_part(void *user, size_t i, void *scratch) {
  parts *ps = user;
  part_scratch *sc = scratch;
  part *x = &ps->part[i];
  writer w = {.t = ps->w->t, .form = sc->form};
  put_subjects(&w, ps->a, ps->n, ps->count, ps->starts, ps->order, x->lo,
               x->hi, &sc->group, &x->nwritten);
  x->text = w.out;
  x->rc = w.rc;
  x->error = w.error;
  return w.stop ? NKG_ERR_NOMEM : 0;
}

/* Writes part i after what is written; a failed write stops the run. */
static int write_part(void *user, size_t i) {
  parts *ps = user;
  writer *w = ps->w;
  part *x = &ps->part[i];
  if (x->rc)
    fail(w, x->rc, x->error); /* the first, in the document's order */
  if (x->nwritten && *ps->nwritten)
    put(w, " .\n\n", 4);
  *ps->nwritten += x->nwritten;
  flush(w);
  if (x->text.len && !w->stop) {
    nkg_buf mine = w->out;
    w->out = x->text; /* written as it is */
    flush(w);
    x->text = w->out;
    w->out = mine;
  }
  nkg_buf_free(&x->text);
  return w->stop ? w->rc : 0;
}

/* Cuts the subjects into parts; 0 parts if out of memory. */
static void cut_parts(parts *ps, size_t nterms) {
  uint32_t *per = calloc(nterms ? nterms : 1, sizeof *per);
  if (!per)
    return;
  for (size_t i = 0; i < ps->n; i++)
    per[ps->a[i].s]++;
  size_t cap = ps->n / PART_STATEMENTS + 2;
  ps->part = calloc(cap, sizeof *ps->part);
  size_t lo = 0, sum = 0;
  for (size_t k = 0; ps->part && k < nterms; k++) {
    sum += per[k];
    if (sum >= PART_STATEMENTS || k + 1 == nterms) {
      ps->part[ps->nparts].lo = lo;
      ps->part[ps->nparts++].hi = k + 1;
      lo = k + 1;
      sum = 0;
    }
  }
  free(per);
}

/* The subjects on this thread and another; what w wrote so far stays
 * first. Returns 0, or -1 if there was no other thread (nothing written
 * then). */
static int put_subjects_parallel(writer *w, const triple *a, size_t n,
                                 const uint32_t *count, const size_t *starts,
                                 const uint32_t *order, size_t *nwritten) {
  parts ps = {.w = w, .nwritten = nwritten, .a = a, .n = n, .count = count,
              .order = order, .starts = starts};
  cut_parts(&ps, w->t->nterms);
  nkg_ordered *run = NULL;
  if (ps.nparts >= 2) {
    nkg_ordered_ops ops = {.user = &ps,
                           .n = ps.nparts,
                           .ahead = PARTS_AHEAD,
                           .scratch_new = part_scratch_new,
                           .scratch_free = part_scratch_free,
                           .make = format_part,
                           .take = write_part};
    run = nkg_ordered_start(&ops);
  }
  if (!run) {
    free(ps.part);
    return -1;
  }
  int rc = nkg_ordered_finish(run, 0);
  if (rc && !w->rc)
    fail(w, rc, "out of memory");
  for (size_t i = 0; i < ps.nparts; i++)
    nkg_buf_free(&ps.part[i].text);
  free(ps.part);
  return 0;
}

int nkg_turtle_write(nkg_turtle *t, FILE *fh, int parallel,
                     const char **error) {
  writer w = {.t = t, .fh = fh};
  size_t *starts = NULL;
  nkg_buf group = {0};
  pthread_once(&iri_raw_once, init_iri_raw);
  /* raptor_xml_name_check() decides which IRIs are written p:local */
  if (nkg_rdflib_load()) {
    *error = nkg_rdflib_error();
    return NKG_ERR_RDF;
  }
  size_t nterms = t->nterms, n = t->ntriples;
  /* before the sort's arrays: the hash table goes (intern() builds it
   * again if need be) and the statements' spare room */
  free(t->slots);
  t->slots = NULL;
  t->nslots = 0;
  if (n && n < t->ctriples) {
    triple *fit = realloc(t->triples, n * sizeof *t->triples);
    if (fit) {
      t->triples = fit;
      t->ctriples = n;
    }
  }
  uint32_t *order = malloc((nterms ? nterms : 1) * sizeof *order);
  uint32_t *rank = malloc((nterms ? nterms : 1) * sizeof *rank);
  uint32_t *count = malloc((nterms + 1) * sizeof *count);
  w.form = calloc(nterms ? nterms : 1, sizeof *w.form);
  if (!order || !rank || !count || !w.form) {
    fail(&w, NKG_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < t->nprefixes; i++) {
    const prefix *x = &t->prefixes[i];
    if (!x->declared)
      continue;
    put(&w, "@prefix ", 8);
    put(&w, x->prefix, x->prefix_len);
    put(&w, ": ", 2);
    put_full_iri(&w, x->ns, x->ns_len);
    put(&w, " .\n", 3);
  }
  put(&w, "\n", 1);

  /* terms in raptor's order; triples as ranks, sorted by (s, p, o) */
  if (sort_terms(t, order, rank, parallel)) {
    fail(&w, NKG_ERR_NOMEM, "out of memory");
    goto done;
  }
  triple *a = t->triples;
  for (size_t i = 0; i < n; i++)
    a[i] = (triple){rank[a[i].s], rank[a[i].p], rank[a[i].o]};
  if (sort_runs(a, n, count, nterms, &starts)) {
    fail(&w, NKG_ERR_NOMEM, "out of memory");
    goto done;
  }
  size_t nwritten = 0;
  if (!parallel ||
      put_subjects_parallel(&w, a, n, count, starts, order, &nwritten))
    put_subjects(&w, a, n, count, starts, order, 0, nterms, &group,
                 &nwritten);
  if (nwritten)
    put(&w, " .\n\n", 4);
  /* the statements are now ranks: the writer is spent */
  t->ntriples = 0;
  t->have_last_s = 0;
done:
  if (!w.stop)
    flush(&w);
  free(order);
  free(rank);
  free(count);
  free(starts);
  nkg_buf_free(&group);
  free(w.form);
  nkg_buf_free(&w.out);
  *error = w.error;
  if (w.rc == NKG_ERR_IO && w.write_errno)
    errno = w.write_errno; /* as if this thread had written */
  return w.rc;
}
