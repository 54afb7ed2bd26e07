/* Stage 5: events. What happened, who took part in which role, where and
 * when, and whether the text states it as done, denies it, plans it or only
 * imagines it (docs/events.md).
 *
 * A trigger is a word (or phrase) of data/events.tsv, matched by its
 * Snowball stem, so "invite", "invited" and "invitation" all match; whether
 * a word is used as a verb or a noun comes from its neighbours. Each
 * sentence is then read shallowly, without a parser, with the cue words of
 * data/event_cues.tsv:
 *   - a verb trigger takes the subject of its clause (found leftwards,
 *     over appositions, parentheticals and prepositional phrases), its
 *     object, and the participants of the prepositional phrases after it;
 *   - a noun trigger takes its possessor ("Putin's visit"), the names and
 *     nationality adjectives before it ("Israeli withdrawal"), the phrases
 *     after it, and, through a support verb (data/event_support.tsv:
 *     "conducted a disengagement", "won the elections") or an adjunct
 *     ("said in an interview"), the subject of its clause;
 *   - the role a participant gets depends on the class and on where it
 *     stands (data/event_roles.tsv);
 *   - a word used in another sense than its class ("released the album",
 *     "attacked the plans") makes no event, or one of another class, by the
 *     "sense" lines of data/event_roles.tsv.
 * Modality comes from the verb group (will, would, could, "plan to", an
 * infinitive), negation from "not", "never", "no" and verbs like "refuse
 * to"; an event in an "if" clause is hypothetical and the event of the main
 * clause is conditional on it. Mentions of one happening in one article are
 * merged; an event with no participant, place or time is dropped (a generic
 * use of the word). Everything is linear in the sentence length, with
 * bounded look-around windows. */
#include <errno.h>
#include <libstemmer.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "graph.h"
#include "internal.h"
#include "timex.h"

/* ---- cue categories (data/event_cues.tsv) ------------------------------ */

enum ev_cat {
  C_DET,
  C_POSSDET,
  C_PREP,
  C_ADJUNCT,
  C_PURPOSE,
  C_COORD,
  C_SUB,
  C_REL,
  C_EMBED,
  C_AUX,
  C_BE,
  C_WILL,
  C_WOULD,
  C_MIGHT,
  C_NEG,
  C_IF,
  C_REPORTED,
  C_PLAN,
  C_HOPE,
  C_REFUSE,
  C_MANAGE,
  C_CONTROL,
  C_AGENTNOUN,
  C_CAPITAL,
  C_HYPONOUN,
  C_PLANADJ,
  C_HYPOADJ,
  C_ANOTHER,
  C_ADVERB,
  C_PARTICLE,
  C_HE,
  C_IT,
  C_THEY,
  C_WE,
  C_LIKEPREP,
  C_PARTICIPLE,
  C_COUNT
};

/* The category names of the data file (its vocabulary, not knowledge). */
static const char *const cat_names[C_COUNT] = {
    "det",      "possdet", "prep",    "adjunct", "purpose",   "coord",
    "sub",      "rel",     "embed",   "aux",     "be",        "will",
    "would",    "might",   "neg",     "if",      "reported",  "plan",
    "hope",     "refuse",  "manage",  "control", "agentnoun", "capital",
    "hyponoun", "planadj", "hypoadj", "another", "adverb",    "particle",
    "he",       "it",      "they",    "we",      "likeprep",  "participle"};

#define B(c) ((uint64_t)1 << (c))
/* categories matched through the stem (every inflection) */
#define STEM_CATS                                                              \
  (B(C_PLAN) | B(C_HOPE) | B(C_REFUSE) | B(C_MANAGE) | B(C_CONTROL) |          \
   B(C_AGENTNOUN))
#define CATENATIVE (B(C_PLAN) | B(C_HOPE) | B(C_REFUSE) | B(C_MANAGE))
#define MODALS (B(C_WILL) | B(C_WOULD) | B(C_MIGHT))

#define ROLE_NONE NKG_R_COUNT /* "none" in event_roles.tsv */
/* How far (in tokens) any look-around goes: every scan is bounded, so the
 * stage stays linear however long a sentence is. */
#define WINDOW 60
#define LEFT_LIMIT(c, t) ((t) > (c)->sb + WINDOW ? (t)-WINDOW : (c)->sb)
#define RIGHT_LIMIT(c, t) ((t) + WINDOW < (c)->se ? (t) + WINDOW : (c)->se)
#define ROLE_SUBJ (-1) /* support verb: the class's subj role */

/* A sense condition ("sense" lines of data/event_roles.tsv): where its
 * words are looked for around a trigger, and what the event is when one of
 * them is there. */
enum {
  SENSE_OBJECT,
  SENSE_NEXT,
  SENSE_AFTER,
  SENSE_PREV,
  SENSE_SENTENCE,
  SENSE_WORD
};
#define MAX_SENSES 64 /* one bit each in el->sense_words */
typedef struct ev_sense {
  int where;             /* SENSE_* */
  uint64_t bit;          /* its bit in the masks of el->sense_words */
  const nkg_trigger *to; /* the sense it shows; NULL: no event at all */
  struct ev_sense *next; /* the next condition of the same class or word */
} ev_sense;

typedef struct ev_support {
  const char *cls; /* NULL: every class */
  int role;        /* nkg_role, or ROLE_SUBJ */
  int light;
  struct ev_support *next;
} ev_support;

/* ---- read-only look-up tables ----------------------------------------------
 * The per-token facts of the stage in a few tables built once at load time:
 * one probe per word instead of a look-up per map, with a hash that is
 * extended a byte at a time, so that every prefix of a word is probed for
 * the cost of one hash. Keys are borrowed from the lexicon's maps, which
 * live as long as the tables. */

typedef struct ev_entry {
  const char *key; /* NULL: an empty slot */
  uint32_t len;
  uint32_t flags;
  uint64_t hash;
  uint64_t bits;
  int32_t value;
  const void *ptr[3];
} ev_entry;

/* flags of ev_entry, per table */
enum {
  WF_TXSTART = 1, /* words: a time expression may start with it */
  WF_SPEECH = 2,  /* words: a speech verb of speech.tsv */
  SF_TRIG = 1,    /* stems: starts a trigger (ptr: noun, verb trigger) */
  SF_SUP = 2,     /* stems: starts a support verb (ptr[2]: its list) */
  SF_START = 4,   /* stems: starts a phrase of several words */
  PF_SHORT = 1,   /* prefixes: the first 2-4 letters of a stem */
  PF_STEM = 2,    /* prefixes: a word that starts so may have the stem */
  PF_TAIL = 4,    /* prefixes: as PF_STEM, of a word that only goes on a
                     phrase (its stem is worked out when a phrase needs it) */
  TX_START = 1,   /* timex: a time expression may start so */
  TX_ENTRY = 2    /* timex: a whole expression (bits: its kind) */
};

#define EV_BLOOM_BITS 65536
typedef struct ev_table {
  ev_entry *slots;
  size_t mask, count;
  uint64_t lens; /* bit n: some key is n bytes long (n < 64) */
  int bytewise;  /* hashed with ev_hash (prefix by prefix), else ev_hash_fast */
  /* bit (hash >> 48) set for every key: most look-ups miss, and most of
   * those stop at this bit */
  uint64_t bloom[EV_BLOOM_BITS / 64];
} ev_table;

#define EV_HASH_SEED 0xCBF29CE484222325ULL
static inline uint64_t ev_hash_step(uint64_t h, unsigned char b) {
  return (h ^ b) * 0x100000001B3ULL;
}
static uint64_t ev_hash(const char *s, size_t n) {
  uint64_t h = EV_HASH_SEED;
  for (size_t i = 0; i < n; i++)
    h = ev_hash_step(h, (unsigned char)s[i]);
  return h;
}
/* The hash of the other tables and of the words of a document: eight bytes
 * a step. */
static inline uint64_t ev_hash_fast(const char *s, size_t n) {
  return nkg_hash_bytes(s, n);
}

static inline size_t ev_home(uint64_t h, size_t mask) {
  return (size_t)(h ^ (h >> 29)) & mask;
}

static inline const ev_entry *ev_find(const ev_table *t, const char *key,
                                      size_t len, uint64_t h) {
  size_t b = (size_t)(h >> 48);
  if (!((t->bloom[b / 64] >> (b % 64)) & 1))
    return NULL;
  for (size_t i = ev_home(h, t->mask);; i = (i + 1) & t->mask) {
    const ev_entry *e = &t->slots[i];
    if (!e->key)
      return NULL;
    if (e->hash == h && e->len == len && nkg_same_bytes(e->key, key, len))
      return e;
  }
}

static int ev_rehash(ev_table *t, size_t cap) {
  ev_entry *slots = calloc(cap, sizeof *slots);
  if (!slots)
    return NKG_ERR_NOMEM;
  for (size_t i = 0; t->slots && i <= t->mask; i++) {
    if (!t->slots[i].key)
      continue;
    size_t j = ev_home(t->slots[i].hash, cap - 1);
    while (slots[j].key)
      j = (j + 1) & (cap - 1);
    slots[j] = t->slots[i];
  }
  free(t->slots);
  t->slots = slots;
  t->mask = cap - 1;
  return 0;
}

static int ev_grow(ev_table *t) {
  return ev_rehash(t, t->slots ? (t->mask + 1) * 2 : 64);
}

/* Room for n keys (a bound of them) without growing on the way, and back
 * to the size the keys need once they are in (ev_fit): so a table has the
 * size ev_add grows it to. */
static int ev_reserve(ev_table *t, size_t n) {
  size_t cap = nkg_half_full_cap(n, 64);
  return !t->slots || cap > t->mask + 1 ? ev_rehash(t, cap) : 0;
}

static int ev_fit(ev_table *t) {
  size_t cap = nkg_half_full_cap(t->count, 64);
  return t->slots && cap < t->mask + 1 ? ev_rehash(t, cap) : 0;
}

/* The entry of key (borrowed), added empty if new; NULL when out of
 * memory. */
static ev_entry *ev_add(ev_table *t, const char *key, size_t len) {
  if ((!t->slots || (t->count + 1) * 2 > t->mask + 1) && ev_grow(t))
    return NULL;
  uint64_t h = t->bytewise ? ev_hash(key, len) : ev_hash_fast(key, len);
  size_t i = ev_home(h, t->mask);
  for (;; i = (i + 1) & t->mask) {
    ev_entry *e = &t->slots[i];
    if (!e->key)
      break;
    if (e->hash == h && e->len == len && !memcmp(e->key, key, len))
      return e;
  }
  ev_entry *e = &t->slots[i];
  e->key = key;
  e->len = (uint32_t)len;
  e->hash = h;
  t->count++;
  t->bloom[(h >> 48) / 64] |= (uint64_t)1 << ((h >> 48) % 64);
  if (len < 64)
    t->lens |= (uint64_t)1 << len;
  return e;
}

/* The facts of the words of the articles read so far (all but the words
 * of the memo below), shared by the threads that read articles at once:
 * most words of an article were met in an earlier one, and stemming is
 * the costly part of the stage. An entry never changes once published
 * (release/acquire on its key) but for its lazy stem, which is set once
 * (compare-and-swap; every thread works out the same one); entries are
 * only added, up to a bound, and all are freed with the lexicon; so the
 * rest of the lexicon stays read-only and the facts of a word are the
 * same whichever thread found them first. */
/* What a token takes over from its word, laid out as the start of ev_tok
 * (one copy per token). */
typedef struct ev_wfacts {
  uint64_t cats;
  const char *stem; /* NULL: worked out when needed (lazy_stem) */
  const struct ev_entry *sx;
  struct ev_cached *cached; /* the word's entry in el->cache, or NULL */
  uint8_t speech, trig, sup, txstart;
  uint8_t tx_known, tx_kind; /* see tx_view() */
} ev_wfacts;
#define EV_WFACTS_SIZE (offsetof(ev_wfacts, tx_kind) + 1)

/* An entry of the cache is its slot, one cache line: the words it holds
 * are the rarer ones, met too seldom to stay in the processor's caches,
 * and a look-up that finds its word reads that one line. */
#define EV_WORD_INLINE 24 /* a shorter word is kept in its slot */
typedef struct ev_cached {
  _Atomic uint64_t key; /* 0: empty; EV_CLAIMED: being filled; else
                           ev_cache_key() of its word */
  uint64_t cats;
  _Atomic(const char *) stem; /* FACT_LAZY: NULL until a phrase needs it */
  const struct ev_entry *sx;
  uint8_t speech, trig, sup, txstart, tx_known, tx_kind; /* as ev_wfacts */
  uint16_t len;
  union {
    char text[EV_WORD_INLINE]; /* len < EV_WORD_INLINE: the word and a NUL */
    const char *far;           /* else: the word, in a chunk */
  } word;
} ev_cached;
_Static_assert(sizeof(ev_cached) == 64, "a cache entry is one cache line");
#define EV_CLAIMED 1
/* the key of a word of hash h: never 0 nor EV_CLAIMED */
static inline uint64_t ev_cache_key(uint64_t h) { return h | 2; }
static inline const char *ev_cached_word(const ev_cached *e) {
  return e->len < EV_WORD_INLINE ? e->word.text : e->word.far;
}

/* Does tx_view() read the word (n bytes) whole: at most 63 bytes, and no
 * final dot? */
#define TX_WHOLE(w, n) ((n) <= 63 && !((n) > 1 && (w)[(n)-1] == '.'))

#define EV_CACHE_SLOTS 131072
#define EV_CACHE_MAX (EV_CACHE_SLOTS / 2)
#define EV_CACHE_PROBES 16
/* Long words, stems and lazy stems are carved from chunks, one thread at
 * a time in each: a chunk is taken from the idle ones (or made) by a
 * document that needs one and given back when it is done; all are freed
 * with the cache. */
#define EV_CHUNK_SIZE 65536
#define EV_IDLE_CHUNKS 8
typedef struct ev_chunk {
  struct ev_chunk *next; /* in ev_cache.chunks */
  size_t used;
  _Alignas(max_align_t) char data[EV_CHUNK_SIZE];
} ev_chunk;

typedef struct ev_cache {
  /* the slots (see cache_slots): room for one more, to start them on a
   * cache line */
  unsigned char slot_bytes[(EV_CACHE_SLOTS + 1) * sizeof(ev_cached)];
  atomic_size_t count;
  _Atomic(ev_chunk *) chunks; /* all of them */
  _Atomic(ev_chunk *) idle[EV_IDLE_CHUNKS];
} ev_cache;

/* The cache's 8 MB of slots, read at random, are a mapping of their own:
 * zero pages that come as they are touched (from the heap, which keeps a
 * top pad, calloc would clear them all at load), in 2 MB pages where the
 * kernel has them (a look-up then seldom misses the TLB). The mapping
 * starts on a 2 MB boundary: otherwise its ends are 4 KB pages, where the
 * first write after a read copies the shared zero page, and with several
 * threads each copy interrupts the other cores to flush their TLBs (3% of
 * the processor time of a build with two jobs). */
static ev_cache *cache_new(void) {
#if defined(MAP_ANONYMOUS)
  /* on a 2 MB boundary, so that every part of it may be a 2 MB page */
  const size_t huge = (size_t)2 << 20;
  size_t size = (sizeof(ev_cache) + huge - 1) & ~(huge - 1);
  char *p = mmap(NULL, size + huge, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  char *at = (char *)(((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1));
  if (at > p)
    munmap(p, (size_t)(at - p));
  if (at + size < p + size + huge)
    munmap(at + size, (size_t)(p + size + huge - (at + size)));
#if defined(MADV_HUGEPAGE)
  (void)madvise(at, size, MADV_HUGEPAGE);
#endif
  return (ev_cache *)at;
#else
  return calloc(1, sizeof(ev_cache));
#endif
}

static void cache_free(ev_cache *ch) {
#if defined(MAP_ANONYMOUS)
  const size_t huge = (size_t)2 << 20;
  munmap(ch, (sizeof *ch + huge - 1) & ~(huge - 1));
#else
  free(ch);
#endif
}

static inline ev_cached *cache_slots(ev_cache *ch) {
  uintptr_t at = (uintptr_t)ch->slot_bytes;
  return (ev_cached *)((at + sizeof(ev_cached) - 1) &
                       ~(uintptr_t)(sizeof(ev_cached) - 1));
}

/* n bytes (n <= EV_CHUNK_SIZE) from the thread's chunk *cur, taking
 * another one when it is full; NULL when out of memory. */
static void *chunk_alloc(ev_cache *ch, ev_chunk **cur, size_t n) {
  n = (n + _Alignof(max_align_t) - 1) & ~(_Alignof(max_align_t) - 1);
  if (*cur && (*cur)->used + n <= EV_CHUNK_SIZE) {
    void *p = (*cur)->data + (*cur)->used;
    (*cur)->used += n;
    return p;
  }
  ev_chunk *k = NULL;
  for (size_t i = 0; !k && i < EV_IDLE_CHUNKS; i++) {
    k = atomic_exchange_explicit(&ch->idle[i], NULL, memory_order_acquire);
    if (k && k->used + n > EV_CHUNK_SIZE)
      k = NULL; /* (full: stays in chunks) */
  }
  if (!k) {
    if (!(k = malloc(sizeof *k)))
      return NULL;
    k->used = 0;
    k->next = atomic_load_explicit(&ch->chunks, memory_order_relaxed);
    while (!atomic_compare_exchange_weak_explicit(
        &ch->chunks, &k->next, k, memory_order_release, memory_order_relaxed))
      ;
  }
  *cur = k; /* (the chunk before stays in chunks) */
  void *p = k->data + k->used;
  k->used += n;
  return p;
}

/* Gives the thread's chunk back for another document. */
static void chunk_give(ev_cache *ch, ev_chunk *k) {
  for (size_t i = 0; k && i < EV_IDLE_CHUNKS; i++) {
    ev_chunk *none = NULL;
    if (atomic_compare_exchange_strong_explicit(
            &ch->idle[i], &none, k, memory_order_release, memory_order_relaxed))
      return;
  }
}

#define EV_IDLE_STEMMERS 8
struct nkg_event_lex {
  nkg_map *trig;         /* "n stems" / "v stems" -> const nkg_trigger* */
  nkg_map *starts;       /* first stem of a trigger or support phrase -> 1 */
  nkg_map *roles;        /* "Class\tslot\tTYPE" -> role + 1 */
  nkg_map *support;      /* stems -> ev_support* (a list) */
  nkg_map *cues;         /* folded word -> uint64_t* */
  nkg_map *cuestem;      /* stem -> uint64_t* */
  nkg_map *calendar;     /* calendar.tsv: folded word -> "kind\tvalue" */
  nkg_map *timex_starts; /* words a time expression may start with -> 1 */
  nkg_map *senses;       /* class or trigger word -> ev_sense* (a list) */
  nkg_map *sense_words;  /* folded word -> uint64_t* (bits of ev_sense) */
  int nsenses;
  /* the tables the documents are read with (built from the maps above) */
  ev_table words;         /* folded word -> cue categories, WF_* */
  ev_table stems;         /* stem -> STEM_CATS categories, SF_*, its triggers */
  ev_table prefixes;      /* PF_*: prefixes of the stems above */
  ev_table timex;         /* folded phrase -> TX_START, TX_ENTRY, kind, value */
  ev_table memo;          /* common word -> its facts (see memo_add) */
  ev_table role_table;    /* el->roles: value = role + 1 */
  ev_table phrases;       /* stems of a trigger of several words, and their
                             beginnings of two words or more: ptr[0] noun, ptr[1]
                             verb trigger (NULL for a beginning only) */
  struct ev_cache *cache; /* other words met so far: see ev_cache */
  /* bit of tx_pair_bit() set for the first two words of every phrase a
   * time expression may start with */
  uint64_t tx_pairs[EV_BLOOM_BITS / 64];
  /* stemmers not in use, for the next document that needs one (making
   * one costs more than the stemming of most documents) */
  _Atomic(struct sb_stemmer *) idle_stemmers[EV_IDLE_STEMMERS];
  int stem_any; /* some stem key is empty or long: stem every word */
  /* the entry of el->words of each one-byte token ("," "." "-") */
  const ev_entry *byte_words[256];
  size_t max_phrase;
  nkg_arena arena; /* what the maps and tables point to */
  /* while loading: word -> its stem (in arena), NULL once loaded */
  nkg_map *load_stems;
};

/* ---- loading ---------------------------------------------------------------
 */

/* A stemmer for one thread: an idle one, else a new one (NULL when out of
 * memory). The pool is the only part of the lexicon that changes while
 * documents are read: each slot is taken and given back whole. */
static struct sb_stemmer *stemmer_take(const nkg_event_lex *el) {
  nkg_event_lex *pool = (nkg_event_lex *)el;
  for (size_t i = 0; i < EV_IDLE_STEMMERS; i++) {
    struct sb_stemmer *st = atomic_exchange_explicit(
        &pool->idle_stemmers[i], NULL, memory_order_acquire);
    if (st)
      return st;
  }
  return sb_stemmer_new("english", NULL);
}

static void stemmer_give(const nkg_event_lex *el, struct sb_stemmer *st) {
  nkg_event_lex *pool = (nkg_event_lex *)el;
  for (size_t i = 0; st && i < EV_IDLE_STEMMERS; i++) {
    struct sb_stemmer *none = NULL;
    if (atomic_compare_exchange_strong_explicit(&pool->idle_stemmers[i], &none,
                                                st, memory_order_release,
                                                memory_order_relaxed))
      return;
  }
  if (st)
    sb_stemmer_delete(st);
}

/* The stem of the word s[0..n) (*len bytes), worked out once while loading:
 * the words come back in many phrases and in the memo (a third of the
 * stemming of the load was of words stemmed before). NULL when out of
 * memory. */
static const char *load_stem(nkg_event_lex *el, struct sb_stemmer *st,
                             const char *s, size_t n, size_t *len) {
  void **slot = nkg_map_slot(el->load_stems, s, n);
  if (slot && !*slot) {
    const sb_symbol *r = sb_stemmer_stem(st, (const sb_symbol *)s, (int)n);
    *slot = r ? nkg_arena_strndup(&el->arena, (const char *)r,
                                  (size_t)sb_stemmer_length(st))
              : NULL;
  }
  if (!slot || !*slot)
    return NULL;
  *len = strlen(*slot);
  return *slot;
}

/* Stems of the words of a folded phrase, space separated, into out. */
static int stem_phrase(nkg_event_lex *el, struct sb_stemmer *st, const char *s,
                       nkg_buf *out) {
  nkg_buf_clear(out);
  if (nkg_buf_add(out, "", 0))
    return NKG_ERR_NOMEM;
  while (*s) {
    while (*s == ' ')
      s++;
    const char *e = s;
    while (*e && *e != ' ')
      e++;
    if (e == s)
      break;
    size_t len;
    const char *stem = load_stem(el, st, s, (size_t)(e - s), &len);
    if (!stem || (out->len && nkg_buf_addc(out, ' ')) ||
        nkg_buf_add(out, stem, len))
      return NKG_ERR_NOMEM;
    s = e;
  }
  return 0;
}

static size_t count_words(const char *s) {
  size_t n = *s ? 1 : 0;
  for (; *s; s++)
    n += *s == ' ';
  return n;
}

/* A data file, read whole (nkg_read_file) and split in place. */
typedef struct tsv {
  char *text, *at, *end;
  size_t lineno;
  char *field[6];
  int n;
} tsv;

static int tsv_open(tsv *r, const char *dir, const char *name, char *err,
                    size_t errlen) {
  memset(r, 0, sizeof *r);
  nkg_buf path = {0};
  if (nkg_buf_addf(&path, "%s/%s", dir, name))
    return NKG_ERR_NOMEM;
  size_t len;
  int e = nkg_read_file(path.s, &r->text, &len);
  if (e && e != ENOMEM && err)
    snprintf(err, errlen, "%s: cannot open", path.s);
  nkg_buf_free(&path);
  if (e)
    return e == ENOMEM ? NKG_ERR_NOMEM : NKG_ERR_DATA;
  r->at = r->text;
  r->end = r->text + len;
  return 0;
}

static int tsv_next(tsv *r) {
  char *line;
  while ((line = nkg_next_line(&r->at, r->end)) != NULL) {
    r->lineno++;
    if (!*line || line[0] == '#')
      continue;
    r->n = 0;
    char *p = line;
    while (r->n < 6) {
      char *tab = strchr(p, '\t');
      if (tab)
        *tab = '\0';
      while (*p == ' ')
        p++;
      size_t l = strlen(p);
      while (l && p[l - 1] == ' ')
        p[--l] = '\0';
      r->field[r->n++] = p;
      if (!tab)
        break;
      p = tab + 1;
    }
    return 1;
  }
  return 0;
}

static void tsv_close(tsv *r) { free(r->text); }

static int bad_line(const tsv *r, const char *file, char *err, size_t errlen,
                    const char *what) {
  if (err)
    snprintf(err, errlen, "%s:%zu: %s", file, r->lineno, what);
  return NKG_ERR_DATA;
}

static int parse_role(const char *s) {
  static const char *const names[] = {
      "agent",  "patient", "recipient", "participant", "host",
      "winner", "place",   "origin",    "destination", "none"};
  for (int i = 0; i <= NKG_R_COUNT; i++)
    if (!strcmp(s, names[i]))
      return i;
  return -2;
}

static int load_triggers(nkg_event_lex *el, const nkg_lexicon *lex,
                         struct sb_stemmer *st, const char *dir, char *err,
                         size_t errlen) {
  tsv r;
  int rc = tsv_open(&r, dir, "events.tsv", err, errlen);
  nkg_buf stems = {0}, key = {0};
  while (!rc && tsv_next(&r)) {
    if (r.n < 3)
      continue; /* lexicon.c reports malformed lines */
    char *f = nkg_fold(r.field[0], strlen(r.field[0]));
    if (!f) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    const nkg_trigger *t = nkg_map_get(lex->triggers, f, strlen(f));
    rc = t ? stem_phrase(el, st, f, &stems) : 0;
    free(f);
    if (!t || rc)
      continue;
    const char *pos = r.field[1];
    int noun = !strcmp(pos, "noun"), verb = !strcmp(pos, "verb");
    for (int p = 0; !rc && p < 2; p++) {
      if ((p == 0 && verb) || (p == 1 && noun))
        continue;
      nkg_buf_clear(&key);
      if (nkg_buf_addc(&key, p == 0 ? 'n' : 'v') || nkg_buf_addc(&key, ' ') ||
          nkg_buf_add(&key, stems.s, stems.len))
        rc = NKG_ERR_NOMEM;
      if (!rc && !nkg_map_get(el->trig, key.s, key.len))
        rc = nkg_map_put(el->trig, key.s, key.len, (void *)t, NULL);
    }
    size_t words = count_words(stems.s);
    if (!rc && words > 1) {
      const char *sp = strchr(stems.s, ' ');
      rc = nkg_map_put(el->starts, stems.s, (size_t)(sp - stems.s), (void *)1,
                       NULL);
      if (words > el->max_phrase)
        el->max_phrase = words;
    }
  }
  nkg_buf_free(&stems);
  nkg_buf_free(&key);
  tsv_close(&r);
  return rc;
}

/* A "sense" line of event_roles.tsv: "shoot,shot	sense	object:film
 * footage	none" (see the file's header). */
static int load_sense(nkg_event_lex *el, const nkg_lexicon *lex, const tsv *r,
                      char *err, size_t errlen) {
  static const char *const wheres[] = {
      "object:", "next:", "after:", "prev:", "sentence:", "word:"};
  const char *spec = r->field[2];
  int where = -1;
  for (int i = 0; i < 6 && where < 0; i++)
    if (!strncmp(spec, wheres[i], strlen(wheres[i]))) {
      where = i;
      spec += strlen(wheres[i]);
    }
  const nkg_trigger *to = NULL;
  if (strcmp(r->field[3], "none")) {
    to = nkg_map_get(lex->triggers, r->field[3], strlen(r->field[3]));
    if (!to)
      return bad_line(r, "event_roles.tsv", err, errlen,
                      "a sense line ends with none or a trigger of events.tsv");
  }
  if (where < 0)
    return bad_line(r, "event_roles.tsv", err, errlen,
                    "a sense line needs object:, next:, after:, prev:, "
                    "sentence: or word: and its words");
  if (el->nsenses >= MAX_SENSES)
    return bad_line(r, "event_roles.tsv", err, errlen, "too many sense lines");
  uint64_t bit = (uint64_t)1 << el->nsenses++;
  int rc = 0;
  /* its words */
  for (const char *w = spec; !rc && *w;) {
    size_t n = strcspn(w, " ");
    if (n) {
      char *f = nkg_fold(w, n);
      if (!f)
        return NKG_ERR_NOMEM;
      uint64_t *bits = nkg_map_get(el->sense_words, f, strlen(f));
      if (!bits) {
        bits = nkg_arena_zero(&el->arena, sizeof *bits);
        rc = bits ? nkg_map_put(el->sense_words, f, strlen(f), bits, NULL)
                  : NKG_ERR_NOMEM;
      }
      if (!rc)
        *bits |= bit;
      free(f);
    }
    w += n;
    while (*w == ' ')
      w++;
  }
  /* the classes and trigger words it applies to */
  for (const char *k = r->field[0]; !rc && *k;) {
    size_t n = strcspn(k, ",");
    /* a lower-case key is a trigger word: one the lexicon lacks would
     * never apply */
    if (n && *k >= 'a' && *k <= 'z' && !nkg_map_get(lex->triggers, k, n))
      return bad_line(r, "event_roles.tsv", err, errlen,
                      "a sense line names a word events.tsv does not list");
    if (n) {
      ev_sense *s = nkg_arena_zero(&el->arena, sizeof *s);
      if (!s) {
        rc = NKG_ERR_NOMEM;
        break;
      }
      s->where = where;
      s->bit = bit;
      s->to = to;
      /* in file order: a trigger's own lines are read before its class's
       * anyway (sense_of) */
      ev_sense **tail = NULL;
      ev_sense *head = nkg_map_get(el->senses, k, n);
      for (tail = &head; *tail; tail = &(*tail)->next)
        ;
      *tail = s;
      rc = nkg_map_put(el->senses, k, n, head, NULL);
    }
    k += n;
    while (*k == ',')
      k++;
  }
  return rc;
}

static int load_roles(nkg_event_lex *el, const nkg_lexicon *lex,
                      const char *dir, char *err, size_t errlen) {
  tsv r;
  int rc = tsv_open(&r, dir, "event_roles.tsv", err, errlen);
  nkg_buf key = {0};
  while (!rc && tsv_next(&r)) {
    if (r.n >= 4 && !strcmp(r.field[1], "sense")) {
      rc = load_sense(el, lex, &r, err, errlen);
      continue;
    }
    int role = r.n >= 4 ? parse_role(r.field[3]) : -2;
    if (role < 0) {
      rc = bad_line(&r, "event_roles.tsv", err, errlen,
                    "needs class, slot, type and a known role");
      break;
    }
    nkg_buf_clear(&key);
    if (nkg_buf_adds(&key, r.field[0]) || nkg_buf_addc(&key, '\t') ||
        nkg_buf_adds(&key, r.field[1]) || nkg_buf_addc(&key, '\t') ||
        nkg_buf_adds(&key, r.field[2]))
      rc = NKG_ERR_NOMEM;
    if (!rc)
      rc = nkg_map_put(el->roles, key.s, key.len, (void *)(intptr_t)(role + 1),
                       NULL);
  }
  nkg_buf_free(&key);
  tsv_close(&r);
  return rc;
}

static int load_support(nkg_event_lex *el, struct sb_stemmer *st,
                        const char *dir, char *err, size_t errlen) {
  tsv r;
  int rc = tsv_open(&r, dir, "event_support.tsv", err, errlen);
  nkg_buf stems = {0};
  while (!rc && tsv_next(&r)) {
    int role = r.n >= 4 ? (strcmp(r.field[2], "-") ? parse_role(r.field[2])
                                                   : ROLE_SUBJ)
                        : -2;
    if (role == -2) {
      rc = bad_line(&r, "event_support.tsv", err, errlen,
                    "needs verb, class, role and light");
      break;
    }
    int every = !strcmp(r.field[1], "*");
    ev_support *s = nkg_arena_zero(&el->arena, sizeof *s);
    char *cls = every ? NULL : nkg_arena_strdup(&el->arena, r.field[1]);
    char *f = nkg_fold(r.field[0], strlen(r.field[0]));
    if (!s || (!every && !cls) || !f)
      rc = NKG_ERR_NOMEM;
    if (!rc)
      rc = stem_phrase(el, st, f, &stems);
    free(f);
    if (rc)
      break;
    s->cls = cls;
    s->role = role;
    s->light = !strcmp(r.field[3], "yes");
    s->next = nkg_map_get(el->support, stems.s, stems.len);
    rc = nkg_map_put(el->support, stems.s, stems.len, s, NULL);
    const char *sp = strchr(stems.s, ' ');
    if (!rc && sp) {
      rc = nkg_map_put(el->starts, stems.s, (size_t)(sp - stems.s), (void *)1,
                       NULL);
      if (count_words(stems.s) > el->max_phrase)
        el->max_phrase = count_words(stems.s);
    }
  }
  nkg_buf_free(&stems);
  tsv_close(&r);
  return rc;
}

static int add_cue(nkg_event_lex *el, nkg_map *map, const char *key, size_t len,
                   int cat) {
  uint64_t *bits = nkg_map_get(map, key, len);
  if (!bits) {
    bits = nkg_arena_zero(&el->arena, sizeof *bits);
    int rc = bits ? nkg_map_put(map, key, len, bits, NULL) : NKG_ERR_NOMEM;
    if (rc)
      return rc;
  }
  *bits |= B(cat);
  return 0;
}

static int load_cues(nkg_event_lex *el, struct sb_stemmer *st, const char *dir,
                     char *err, size_t errlen) {
  tsv r;
  int rc = tsv_open(&r, dir, "event_cues.tsv", err, errlen);
  nkg_buf stems = {0};
  while (!rc && tsv_next(&r)) {
    int cat = -1;
    for (int i = 0; r.n >= 2 && i < C_COUNT; i++)
      if (r.field[1][0] == cat_names[i][0] && !strcmp(r.field[1], cat_names[i]))
        cat = i;
    if (cat < 0) {
      rc = bad_line(&r, "event_cues.tsv", err, errlen,
                    "needs a word and a known category");
      break;
    }
    char *f = nkg_fold(r.field[0], strlen(r.field[0]));
    if (!f) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    if (B(cat) & STEM_CATS) {
      rc = stem_phrase(el, st, f, &stems);
      if (!rc)
        rc = add_cue(el, el->cuestem, stems.s, stems.len, cat);
    } else {
      rc = add_cue(el, el->cues, f, strlen(f), cat);
    }
    free(f);
  }
  nkg_buf_free(&stems);
  tsv_close(&r);
  return rc;
}

static int load_calendar(nkg_event_lex *el, const char *dir, char *err,
                         size_t errlen) {
  tsv r;
  int rc = tsv_open(&r, dir, "calendar.tsv", err, errlen);
  while (!rc && tsv_next(&r)) {
    if (r.n < 3) {
      rc = bad_line(&r, "calendar.tsv", err, errlen,
                    "needs a word, a kind and a value");
      break;
    }
    char *f = nkg_fold(r.field[0], strlen(r.field[0]));
    if (!f) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    if (!nkg_map_get(el->calendar, f, strlen(f))) {
      /* "kind\tvalue" */
      size_t kl = strlen(r.field[1]), vl = strlen(r.field[2]);
      char *value = nkg_arena_alloc(&el->arena, kl + 1 + vl + 1);
      if (value) {
        memcpy(value, r.field[1], kl);
        value[kl] = '\t';
        memcpy(value + kl + 1, r.field[2], vl + 1);
      }
      rc = value ? nkg_map_put(el->calendar, f, strlen(f), value, NULL)
                 : NKG_ERR_NOMEM;
    }
    free(f);
  }
  tsv_close(&r);
  return rc;
}

int nkg_events_timex_start(const nkg_lexicon *lex, const char *folded) {
  if (!lex->events)
    return 0;
  size_t n = strlen(folded);
  const ev_entry *e =
      ev_find(&lex->events->timex, folded, n, ev_hash_fast(folded, n));
  return e && (e->flags & TX_START);
}

/* The word prefixes of the phrases of temporal.tsv and every calendar
 * word: a time expression starts with one of them (or a number), so most
 * words are passed over with one look-up, and a phrase is read only as
 * long as some phrase goes on that way. */
static int index_timex_starts(nkg_event_lex *el, const nkg_lexicon *lex) {
  const nkg_map *maps[] = {lex->temporal, el->calendar};
  int rc = 0;
  for (size_t m = 0; m < 2 && !rc; m++) {
    if (!maps[m])
      continue;
    const char *key;
    void *value;
    for (size_t i = 0; !rc && i < nkg_map_slots(maps[m]); i++) {
      if (!nkg_map_at(maps[m], i, &key, &value))
        continue;
      /* every word prefix: "in", "in the", "in the coming" */
      for (const char *sp = key; !rc && sp;) {
        sp = strchr(sp + 1, ' ');
        size_t n = sp ? (size_t)(sp - key) : strlen(key);
        rc = nkg_map_put(el->timex_starts, key, n, (void *)1, NULL);
      }
    }
  }
  return rc;
}

/* How much of a stem a word must start with to have that stem. The English
 * Snowball stemmer drops a leading apostrophe and otherwise only removes or
 * rewrites the end of a word, and what it writes there is an "e" (hoping ->
 * hope, -ation -> ate, -enci -> ence), an "i" for a "y" (happy -> happi) or
 * "le" (-biliti -> ble, which may lose its "e" again; only where a vowel
 * and a consonant come before the "b"). So a word starts with its stem less
 * those letters; but for dying, lying, tying and skies (stem_exception). */
static size_t stem_key_len(const char *s, size_t n) {
  if (n >= 5 && !memcmp(s + n - 3, "ble", 3))
    return n - 2;
  if (n >= 4 && !memcmp(s + n - 2, "bl", 2))
    return n - 1;
  if (n >= 1 && (s[n - 1] == 'e' || s[n - 1] == 'i'))
    return n - 1;
  return n;
}

/* The words the stemmer changes otherwise (its list of exceptions). */
static int stem_exception(const char *s, size_t n) {
  return n == 5 && (!memcmp(s, "dying", 5) || !memcmp(s, "lying", 5) ||
                    !memcmp(s, "tying", 5) || !memcmp(s, "skies", 5));
}

/* The prefixes of the words of a stem phrase: PF_SHORT for the first four
 * letters, and if the phrase is looked up (used),
 * PF_STEM for stem_key_len of its first word, PF_TAIL for the others. */
static int add_prefix_entries(nkg_event_lex *el, const char *stems, int used) {
  uint32_t flag = PF_STEM;
  for (const char *p = stems; *p;) {
    while (*p == ' ')
      p++;
    size_t n = 0;
    while (p[n] && p[n] != ' ')
      n++;
    if (n) {
      ev_entry *e = ev_add(&el->prefixes, p, n < 4 ? n : 4);
      if (!e)
        return NKG_ERR_NOMEM;
      e->flags |= PF_SHORT;
      size_t k = stem_key_len(p, n);
      if (!used) {
        /* only PF_SHORT */
      } else if (k == 0 || k >= 64) {
        el->stem_any = 1;
      } else {
        if (!(e = ev_add(&el->prefixes, p, k)))
          return NKG_ERR_NOMEM;
        e->flags |= flag;
      }
      flag = PF_TAIL;
    }
    p += n;
  }
  return 0;
}

static int build_word_tables(nkg_event_lex *el, const nkg_lexicon *lex) {
  const char *key;
  void *value;
  ev_entry *e;
  if (ev_reserve(&el->words, nkg_map_size(el->cues) +
                                 nkg_map_size(el->timex_starts) +
                                 (lex->speech ? nkg_map_size(lex->speech) : 0)))
    return NKG_ERR_NOMEM;
  for (size_t i = 0; i < nkg_map_slots(el->cues); i++)
    if (nkg_map_at(el->cues, i, &key, &value)) {
      if (!(e = ev_add(&el->words, key, strlen(key))))
        return NKG_ERR_NOMEM;
      e->bits |= *(const uint64_t *)value;
    }
  for (size_t i = 0; i < nkg_map_slots(el->timex_starts); i++)
    if (nkg_map_at(el->timex_starts, i, &key, &value)) {
      if (!(e = ev_add(&el->words, key, strlen(key))))
        return NKG_ERR_NOMEM;
      e->flags |= WF_TXSTART;
    }
  for (size_t i = 0; lex->speech && i < nkg_map_slots(lex->speech); i++)
    if (nkg_map_at(lex->speech, i, &key, &value) && value &&
        !strncmp(value, "speech", 6)) {
      if (!(e = ev_add(&el->words, key, strlen(key))))
        return NKG_ERR_NOMEM;
      e->flags |= WF_SPEECH;
    }
  if (ev_fit(&el->words)) /* (before pointers into it are taken) */
    return NKG_ERR_NOMEM;
  for (int b = 0; b < 256; b++) {
    char k = (char)b;
    el->byte_words[b] = ev_find(&el->words, &k, 1, ev_hash_fast(&k, 1));
  }
  return 0;
}

static int build_stem_tables(nkg_event_lex *el) {
  const char *key;
  void *value;
  ev_entry *e;
  /* (about a prefix table entry a stem) */
  size_t stems = nkg_map_size(el->cuestem) + nkg_map_size(el->trig) +
                 nkg_map_size(el->starts) + nkg_map_size(el->support);
  if (ev_reserve(&el->stems, stems) || ev_reserve(&el->prefixes, stems))
    return NKG_ERR_NOMEM;
  for (size_t i = 0; i < nkg_map_slots(el->cuestem); i++)
    if (nkg_map_at(el->cuestem, i, &key, &value)) {
      if (!(e = ev_add(&el->stems, key, strlen(key))))
        return NKG_ERR_NOMEM;
      e->bits |= *(const uint64_t *)value & STEM_CATS;
    }
  for (size_t i = 0; i < nkg_map_slots(el->trig); i++)
    if (nkg_map_at(el->trig, i, &key, &value)) {
      if (!(e = ev_add(&el->stems, key + 2, strlen(key + 2))))
        return NKG_ERR_NOMEM;
      e->flags |= SF_TRIG;
      e->ptr[key[0] == 'n' ? 0 : 1] = value;
    }
  for (size_t i = 0; i < nkg_map_slots(el->starts); i++)
    if (nkg_map_at(el->starts, i, &key, &value)) {
      if (!(e = ev_add(&el->stems, key, strlen(key))))
        return NKG_ERR_NOMEM;
      e->flags |= SF_TRIG | SF_SUP | SF_START;
    }
  for (size_t i = 0; i < nkg_map_slots(el->support); i++)
    if (nkg_map_at(el->support, i, &key, &value)) {
      if (!(e = ev_add(&el->stems, key, strlen(key))))
        return NKG_ERR_NOMEM;
      e->flags |= SF_SUP;
      e->ptr[2] = value;
    }
  const nkg_map *maps[] = {el->trig, el->starts, el->support, el->cuestem};
  for (size_t m = 0; m < sizeof maps / sizeof *maps; m++)
    for (size_t i = 0; i < nkg_map_slots(maps[m]); i++)
      /* (a stem of several words is never a cue: a word has one) */
      if (nkg_map_at(maps[m], i, &key, &value) &&
          add_prefix_entries(el, maps[m] == el->trig ? key + 2 : key,
                             !(maps[m] == el->cuestem && strchr(key, ' '))))
        return NKG_ERR_NOMEM;
  return ev_fit(&el->stems) || ev_fit(&el->prefixes) ? NKG_ERR_NOMEM : 0;
}

/* el->role_table and el->phrases, looked up by hash and length (no key
 * string to measure). */
static int build_lookup_tables(nkg_event_lex *el) {
  const char *key;
  void *value;
  if (ev_reserve(&el->role_table, nkg_map_size(el->roles)))
    return NKG_ERR_NOMEM;
  for (size_t i = 0; i < nkg_map_slots(el->roles); i++)
    if (nkg_map_at(el->roles, i, &key, &value)) {
      ev_entry *e = ev_add(&el->role_table, key, strlen(key));
      if (!e)
        return NKG_ERR_NOMEM;
      e->value = (int32_t)(intptr_t)value;
    }
  for (size_t i = 0; i < nkg_map_slots(el->trig); i++)
    if (nkg_map_at(el->trig, i, &key, &value)) {
      const char *stems = key + 2;
      size_t n = strlen(stems);
      if (!strchr(stems, ' '))
        continue;
      ev_entry *e = ev_add(&el->phrases, stems, n);
      if (!e)
        return NKG_ERR_NOMEM;
      e->ptr[key[0] == 'n' ? 0 : 1] = value;
      for (const char *sp = strchr(stems, ' '); sp; sp = strchr(sp + 1, ' '))
        if (!ev_add(&el->phrases, stems, (size_t)(sp - stems)))
          return NKG_ERR_NOMEM;
    }
  return ev_fit(&el->role_table);
}

/* Which prefixes of a folded word the tables know (PF_*; PF_SHORT for
 * the first 2-4 letters only). short_or_none: a word of more than 3 bytes
 * whose first 2-4 letters start no stem is not stemmed whatever else
 * starts it, so only PF_SHORT is worked out for it. */
static uint32_t prefix_flags(const ev_table *t, const char *s, size_t n,
                             int short_or_none) {
  uint64_t h = EV_HASH_SEED;
  uint32_t found = 0;
  for (size_t l = 1; l <= n && l < 64 && (t->lens >> l); l++) {
    if (l == 5 && short_or_none && !(found & PF_SHORT))
      return found;
    h = ev_hash_step(h, (unsigned char)s[l - 1]);
    if (!((t->lens >> l) & 1))
      continue;
    const ev_entry *e = ev_find(t, s, l, h);
    if (!e)
      continue;
    found |= l >= 2 && l <= 4 ? e->flags : e->flags & ~(uint32_t)PF_SHORT;
    if ((found & PF_STEM) && ((found & PF_SHORT) || l >= 4))
      break;
  }
  return found;
}

/* What a plain word (NKG_TF_WORD, no digit) tells the stage. */
typedef struct ev_facts {
  uint64_t cats;
  const ev_entry *sx; /* its stem's entry in el->stems */
  uint8_t speech, txstart, trig, sup;
  uint8_t tx_kind;    /* the kind of its entry in el->timex (as tx_view()
                         reads a word of at most 63 bytes, no final dot) */
  uint8_t stem;       /* FACT_* */
  const char *stem_s; /* FACT_STEM: the stem (stem_len bytes) */
  size_t stem_len;
} ev_facts;

enum {
  FACT_FOLD, /* the stem is the fold */
  FACT_NONE, /* a stem the knowledge lacks: "" */
  FACT_LAZY, /* only goes on a phrase: stemmed when one needs it */
  FACT_STEM  /* stem_s */
};

/* The facts of a plain word; *st is made when the word needs stemming (the
 * stem in out lives until its next use). with_words: look the word up in
 * el->words (not needed for a word that el->memo lacks). */
static int plain_word_facts(const nkg_event_lex *el, struct sb_stemmer **st,
                            const char *f, size_t len, uint64_t h,
                            int with_words, ev_facts *out) {
  memset(out, 0, sizeof *out);
  out->stem = FACT_FOLD;
  const ev_entry *tx = ev_find(&el->timex, f, len, h);
  out->tx_kind =
      tx && (tx->flags & TX_ENTRY) ? (uint8_t)tx->bits : NKG_TXW_NONE;
  const ev_entry *we = with_words ? ev_find(&el->words, f, len, h) : NULL;
  if (we) {
    out->cats = we->bits;
    out->txstart = (we->flags & WF_TXSTART) != 0;
    out->speech = (we->flags & WF_SPEECH) != 0;
  }
  const ev_entry *sx = NULL;
  if (len <= 2) {
    /* the stemmer leaves words of one or two letters as they are */
    sx = ev_find(&el->stems, f, len, h);
  } else {
    /* stemming is the costly part: only words whose stem the knowledge
     * may use (stem_key_len); a word that starts like no such stem gets
     * none, which no look-up finds, as its real one */
    uint32_t pf = prefix_flags(&el->prefixes, f, len, 1);
    if (el->stem_any || stem_exception(f, len))
      pf |= PF_STEM;
    if (f[0] == '\'' && !(pf & PF_STEM)) {
      /* the stemmer drops one leading apostrophe */
      if (f[1] == '\'')
        pf |= PF_STEM;
      else
        pf |= prefix_flags(&el->prefixes, f + 1, len - 1, 0) &
              (PF_STEM | PF_TAIL);
    }
    /* a word is stemmed when its first 2-4 letters (all of a shorter one)
     * start some stem; else its stem is its fold */
    int short_pass = len <= 3 || (pf & PF_SHORT);
    if (short_pass && !(pf & (PF_STEM | PF_TAIL))) {
      out->stem = FACT_NONE;
    } else if (short_pass && !(pf & PF_STEM)) {
      out->stem = FACT_LAZY;
    } else if (short_pass) {
      if (!*st && !(*st = stemmer_take(el)))
        return NKG_ERR_NOMEM;
      const sb_symbol *r = sb_stemmer_stem(*st, (const sb_symbol *)f, (int)len);
      if (!r)
        return NKG_ERR_NOMEM;
      out->stem = FACT_STEM;
      out->stem_s = (const char *)r;
      out->stem_len = (size_t)sb_stemmer_length(*st);
      sx = ev_find(&el->stems, out->stem_s, out->stem_len,
                   ev_hash_fast(out->stem_s, out->stem_len));
    }
  }
  if (sx) {
    out->sx = sx;
    out->cats |= sx->bits;
    out->trig = (sx->flags & SF_TRIG) != 0;
    out->sup = (sx->flags & SF_SUP) != 0;
  }
  return 0;
}

static ev_cached *cache_find(ev_cache *ch, const char *f, size_t len,
                             uint64_t h) {
  ev_cached *slots = cache_slots(ch);
  uint64_t key = ev_cache_key(h);
  size_t mask = EV_CACHE_SLOTS - 1, i = ev_home(h, mask);
  for (int p = 0; p < EV_CACHE_PROBES; p++, i = (i + 1) & mask) {
    ev_cached *e = &slots[i];
    uint64_t k = atomic_load_explicit(&e->key, memory_order_acquire);
    if (!k)
      return NULL;
    /* (a slot being filled is passed over) */
    if (k == key && e->len == len && nkg_same_bytes(ev_cached_word(e), f, len))
      return e;
  }
  return NULL;
}

/* Where the stem of a worked-out word is: its fold, none (""), not worked
 * out yet (NULL), or, for FACT_STEM, `copy` (a copy of fa->stem_s). */
static inline const char *fact_stem(const ev_facts *fa, const char *fold,
                                    const char *copy) {
  return fa->stem == FACT_FOLD   ? fold
         : fa->stem == FACT_NONE ? ""
         : fa->stem == FACT_LAZY ? NULL
                                 : copy;
}

/* What a token takes over from a worked-out word (f, len bytes), its stem
 * at `stem` (fact_stem). */
static inline ev_wfacts taken_facts(const ev_facts *fa, const char *f,
                                    size_t len, const char *stem) {
  return (ev_wfacts){.cats = fa->cats,
                     .stem = stem,
                     .sx = fa->sx,
                     .speech = fa->speech,
                     .trig = fa->trig,
                     .sup = fa->sup,
                     .txstart = fa->txstart,
                     .tx_known = TX_WHOLE(f, len),
                     .tx_kind = fa->tx_kind};
}

/* Adds the facts of a word and returns its entry (NULL when there is no
 * room: the cache is optional): worked out (fa), or those of a word of
 * the memo (wf, its stem kept as it is). */
static ev_cached *cache_put(ev_cache *ch, ev_chunk **chunk, const char *f,
                            size_t len, uint64_t h, const ev_facts *fa,
                            const ev_wfacts *wf) {
  if (atomic_load_explicit(&ch->count, memory_order_relaxed) >= EV_CACHE_MAX)
    return NULL;
  /* the bytes that go to a chunk: a long word, then the stem */
  size_t far = len < EV_WORD_INLINE ? 0 : len + 1;
  size_t sl = !wf && fa->stem == FACT_STEM ? fa->stem_len + 1 : 0;
  char *bytes = NULL;
  if (far + sl &&
      (far + sl > EV_CHUNK_SIZE || !(bytes = chunk_alloc(ch, chunk, far + sl))))
    return NULL;
  if (far) {
    memcpy(bytes, f, len);
    bytes[len] = '\0';
  }
  if (sl) {
    memcpy(bytes + far, fa->stem_s, sl - 1);
    bytes[far + sl - 1] = '\0';
  }
  ev_cached *slots = cache_slots(ch);
  uint64_t key = ev_cache_key(h);
  size_t mask = EV_CACHE_SLOTS - 1, i = ev_home(h, mask);
  for (int p = 0; p < EV_CACHE_PROBES; p++, i = (i + 1) & mask) {
    ev_cached *e = &slots[i];
    uint64_t old = 0;
    if (atomic_compare_exchange_strong_explicit(&e->key, &old, EV_CLAIMED,
                                                memory_order_acquire,
                                                memory_order_acquire)) {
      e->len = (uint16_t)len;
      if (far) {
        e->word.far = bytes;
      } else {
        memcpy(e->word.text, f, len);
        e->word.text[len] = '\0';
      }
      ev_wfacts w =
          wf ? *wf
             : taken_facts(fa, f, len,
                           fact_stem(fa, ev_cached_word(e), bytes + far));
      e->cats = w.cats;
      e->sx = w.sx;
      e->speech = w.speech;
      e->trig = w.trig;
      e->sup = w.sup;
      e->txstart = w.txstart;
      e->tx_known = w.tx_known;
      e->tx_kind = w.tx_kind;
      atomic_store_explicit(&e->stem, w.stem, memory_order_relaxed);
      atomic_store_explicit(&e->key, key, memory_order_release);
      atomic_fetch_add_explicit(&ch->count, 1, memory_order_relaxed);
      return e;
    }
    if (old == key && e->len == len &&
        nkg_same_bytes(ev_cached_word(e), f, len)) {
      /* another thread was first: the same facts; the bytes were the
       * last thing carved from the thread's own chunk and go back */
      if (bytes)
        (*chunk)->used = (size_t)(bytes - (*chunk)->data);
      return e;
    }
  }
  if (bytes)
    (*chunk)->used = (size_t)(bytes - (*chunk)->data);
  return NULL;
}

/* memo entries: ptr[0] = the ev_wfacts of the word (the stem of a word
 * that only goes on a phrase worked out here, once) */

static int memo_add(nkg_event_lex *el, struct sb_stemmer **st, const char *w) {
  size_t n = strlen(w);
  uint64_t h = ev_hash_fast(w, n);
  if (ev_find(&el->memo, w, n, h))
    return 0;
  ev_facts fa;
  int rc = plain_word_facts(el, st, w, n, h, 1, &fa);
  const char *stem = NULL;
  if (!rc && fa.stem == FACT_LAZY) {
    size_t len;
    if (!*st && !(*st = stemmer_take(el)))
      return NKG_ERR_NOMEM;
    stem = load_stem(el, *st, w, n, &len);
    rc = stem ? 0 : NKG_ERR_NOMEM;
  } else if (!rc && fa.stem == FACT_STEM) {
    stem = nkg_arena_strndup(&el->arena, fa.stem_s, fa.stem_len);
    rc = stem ? 0 : NKG_ERR_NOMEM;
  }
  ev_wfacts *wf = rc ? NULL : nkg_arena_zero(&el->arena, sizeof *wf);
  if (!rc && !wf)
    return NKG_ERR_NOMEM;
  ev_entry *e = rc ? NULL : ev_add(&el->memo, w, n);
  if (!e)
    return rc ? rc : NKG_ERR_NOMEM;
  wf->cats = fa.cats;
  wf->stem = fa.stem == FACT_FOLD ? w : fa.stem == FACT_NONE ? "" : stem;
  wf->sx = fa.sx;
  wf->speech = fa.speech;
  wf->trig = fa.trig;
  wf->sup = fa.sup;
  wf->txstart = fa.txstart;
  wf->tx_known = TX_WHOLE(w, n);
  wf->tx_kind = fa.tx_kind;
  e->ptr[0] = wf;
  return 0;
}

/* The facts of the words the knowledge lists (every word of el->words,
 * stop words, calendar words...), worked out once here: they are the most
 * common words of any article. */
static int build_memo(nkg_event_lex *el, const nkg_lexicon *lex,
                      struct sb_stemmer **st) {
  const nkg_map *maps[] = {lex->stop,     el->calendar, lex->temporal,
                           lex->quoting,  lex->family,  lex->relcues,
                           lex->triggers, lex->cues,    lex->speech};
  size_t bound = el->words.count;
  for (size_t m = 0; m < sizeof maps / sizeof *maps; m++)
    bound += maps[m] ? nkg_map_size(maps[m]) : 0;
  int rc = ev_reserve(&el->memo, bound);
  for (size_t i = 0; el->words.slots && !rc && i <= el->words.mask; i++)
    if (el->words.slots[i].key) {
      /* (keys of el->words are NUL-terminated map keys) */
      rc = memo_add(el, st, el->words.slots[i].key);
    }
  const char *key;
  void *value;
  for (size_t m = 0; m < sizeof maps / sizeof *maps && !rc; m++)
    for (size_t i = 0; maps[m] && !rc && i < nkg_map_slots(maps[m]); i++)
      if (nkg_map_at(maps[m], i, &key, &value))
        rc = memo_add(el, st, key);
  return rc ? rc : ev_fit(&el->memo);
}

/* temporal.tsv before calendar.tsv, as nkg_timex_read looks them up */
static size_t tx_pair_bit(uint64_t first, uint64_t second) {
  return (size_t)(((first * 0x9E3779B97F4A7C15ULL) ^ second) >> 48);
}

static int build_timex_table(nkg_event_lex *el, const nkg_lexicon *lex) {
  const char *key;
  void *value;
  ev_entry *e;
  /* (every key of temporal.tsv and calendar.tsv starts itself) */
  if (ev_reserve(&el->timex, nkg_map_size(el->timex_starts)))
    return NKG_ERR_NOMEM;
  for (size_t i = 0; i < nkg_map_slots(el->timex_starts); i++)
    if (nkg_map_at(el->timex_starts, i, &key, &value)) {
      if (!(e = ev_add(&el->timex, key, strlen(key))))
        return NKG_ERR_NOMEM;
      e->flags |= TX_START;
      const char *sp = strchr(key, ' ');
      if (sp) {
        const char *end = strchr(sp + 1, ' ');
        size_t n2 = end ? (size_t)(end - sp - 1) : strlen(sp + 1);
        size_t b = tx_pair_bit(ev_hash_fast(key, (size_t)(sp - key)),
                               ev_hash_fast(sp + 1, n2));
        el->tx_pairs[b / 64] |= (uint64_t)1 << (b % 64);
      }
    }
  const nkg_map *maps[] = {lex->temporal, el->calendar};
  for (size_t m = 0; m < 2; m++)
    for (size_t i = 0; maps[m] && i < nkg_map_slots(maps[m]); i++)
      if (nkg_map_at(maps[m], i, &key, &value)) {
        if (!(e = ev_add(&el->timex, key, strlen(key))))
          return NKG_ERR_NOMEM;
        if (e->flags & TX_ENTRY)
          continue;
        e->flags |= TX_ENTRY;
        e->bits = (uint64_t)nkg_timex_word_kind(value, &e->value);
      }
  return ev_fit(&el->timex);
}

int nkg_events_tx_word(const nkg_lexicon *lex, const char *key, size_t len,
                       int *start, int32_t *value) {
  *value = 0;
  if (!lex->events) {
    *start = 0;
    const char *v = lex->temporal ? nkg_map_get(lex->temporal, key, len) : NULL;
    return v ? nkg_timex_word_kind(v, value) : 0;
  }
  const ev_entry *e =
      ev_find(&lex->events->timex, key, len, ev_hash_fast(key, len));
  *start = e && (e->flags & TX_START);
  if (!e || !(e->flags & TX_ENTRY))
    return 0;
  *value = e->value;
  return (int)e->bits;
}

int nkg_events_load(nkg_lexicon *lex, const char *dir, char *err,
                    size_t errlen) {
  nkg_event_lex *el = calloc(1, sizeof *el);
  if (!el)
    return NKG_ERR_NOMEM;
  lex->events = el;
  el->trig = nkg_map_new();
  el->starts = nkg_map_new();
  el->roles = nkg_map_new();
  el->support = nkg_map_new();
  el->cues = nkg_map_new();
  el->cuestem = nkg_map_new();
  el->calendar = nkg_map_new();
  el->timex_starts = nkg_map_new();
  el->senses = nkg_map_new();
  el->sense_words = nkg_map_new();
  el->load_stems = nkg_map_new();
  struct sb_stemmer *st = sb_stemmer_new("english", NULL);
  int rc = (el->trig && el->starts && el->roles && el->support && el->cues &&
            el->cuestem && el->calendar && el->timex_starts && el->senses &&
            el->sense_words && el->load_stems && st)
               ? 0
               : NKG_ERR_NOMEM;
  el->max_phrase = 1;
  el->prefixes.bytewise = 1;
  /* (a lexicon without it works, slower) */
  el->cache = cache_new();
  if (!rc)
    rc = load_triggers(el, lex, st, dir, err, errlen);
  if (!rc)
    rc = load_roles(el, lex, dir, err, errlen);
  if (!rc)
    rc = load_support(el, st, dir, err, errlen);
  if (!rc)
    rc = load_cues(el, st, dir, err, errlen);
  if (!rc)
    rc = load_calendar(el, dir, err, errlen);
  if (!rc)
    rc = index_timex_starts(el, lex);
  if (!rc)
    rc = build_word_tables(el, lex);
  if (!rc)
    rc = build_stem_tables(el);
  if (!rc)
    rc = build_lookup_tables(el);
  if (!rc)
    rc = build_timex_table(el, lex);
  if (!rc)
    rc = build_memo(el, lex, &st);
  nkg_map_free(el->load_stems, NULL);
  el->load_stems = NULL;
  stemmer_give(el, st);
  return rc;
}

void nkg_events_unload(nkg_lexicon *lex) {
  nkg_event_lex *el = lex ? lex->events : NULL;
  if (!el)
    return;
  nkg_map *maps[] = {el->trig,   el->starts,     el->roles,    el->support,
                     el->cues,   el->cuestem,    el->calendar, el->timex_starts,
                     el->senses, el->sense_words};
  for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
    nkg_map_free(maps[i], NULL);
  free(el->words.slots);
  free(el->stems.slots);
  free(el->prefixes.slots);
  free(el->timex.slots);
  free(el->memo.slots);
  free(el->phrases.slots);
  free(el->role_table.slots);
  for (size_t i = 0; i < EV_IDLE_STEMMERS; i++) {
    struct sb_stemmer *st =
        atomic_load_explicit(&el->idle_stemmers[i], memory_order_relaxed);
    if (st)
      sb_stemmer_delete(st);
  }
  if (el->cache) {
    /* (long words and the stems of the entries live in the chunks) */
    ev_chunk *k =
        atomic_load_explicit(&el->cache->chunks, memory_order_relaxed);
    while (k) {
      ev_chunk *next = k->next;
      free(k);
      k = next;
    }
    cache_free(el->cache);
  }
  nkg_arena_free(&el->arena);
  free(el);
  lex->events = NULL;
}

/* ---- one document
 * ------------------------------------------------------------ */

enum { POS_EITHER = 0, POS_NOUN, POS_VERB };

typedef struct ev_tok {
  /* as ev_wfacts */
  uint64_t cats;
  const char *stem;          /* NULL: not worked out yet (lazy_stem) */
  const ev_entry *sx;        /* the stem's entry in el->stems, or NULL */
  ev_cached *cached;         /* the word's entry in el->cache, or NULL */
  uint8_t speech;            /* a speech verb of speech.tsv */
  uint8_t trig;              /* its stem starts a trigger */
  uint8_t sup;               /* its stem starts a support verb */
  uint8_t txstart;           /* a time expression may start here */
  uint8_t tx_known, tx_kind; /* see tx_view() */
  /* the token's own */
  const char *fold; /* NUL-terminated: a piece of ev_ctx.folds */
  uint64_t tx_hash; /* see tx_view() */
  uint32_t flen;    /* strlen(fold) */
  int32_t mention;  /* mention covering the token, or -1 */
  int32_t gov;      /* mentions: governing preposition; -2 not known */
  const nkg_trigger *trigger; /* trigger starting here */
  uint8_t trig_len;
  uint8_t pos;   /* of the trigger: POS_NOUN / POS_VERB */
  uint8_t verb;  /* reads as a verb */
  uint8_t quote; /* inside quotation marks */
  uint8_t time;  /* part of a time expression */
  uint8_t lower; /* see lower() */
  uint32_t np;   /* np_start() of the token + 1, 0 when not computed */
} ev_tok;
_Static_assert(offsetof(ev_tok, cats) == offsetof(ev_wfacts, cats) &&
                   offsetof(ev_tok, stem) == offsetof(ev_wfacts, stem) &&
                   offsetof(ev_tok, sx) == offsetof(ev_wfacts, sx) &&
                   offsetof(ev_tok, cached) == offsetof(ev_wfacts, cached) &&
                   offsetof(ev_tok, speech) == offsetof(ev_wfacts, speech) &&
                   offsetof(ev_tok, trig) == offsetof(ev_wfacts, trig) &&
                   offsetof(ev_tok, sup) == offsetof(ev_wfacts, sup) &&
                   offsetof(ev_tok, txstart) == offsetof(ev_wfacts, txstart) &&
                   offsetof(ev_tok, tx_known) ==
                       offsetof(ev_wfacts, tx_known) &&
                   offsetof(ev_tok, tx_kind) == offsetof(ev_wfacts, tx_kind),
               "ev_tok starts as ev_wfacts");

/* What the stage learns about an event beyond nkg_event. */
typedef struct ev_meta {
  uint32_t sent;
  uint8_t another; /* "another withdrawal": never the same as an earlier one */
  uint8_t in_if;   /* stated inside an "if" clause */
  uint8_t dropped;
} ev_meta;

typedef struct ev_ctx {
  nkg_doc *doc;
  const nkg_lexicon *lex;
  const nkg_event_lex *el;
  struct sb_stemmer *stemmer; /* made when a word needs one */
  /* the folds of the tokens as strings: a copy of doc->folds with a NUL
   * for each separator, then the folds that have none (before a
   * possessive) or are cut */
  char *folds;
  struct ev_chunk *chunk; /* the thread's, for new entries of el->cache */
  char **owned;           /* stems of words the cache has no room for */
  size_t nowned, capowned;
  ev_tok *tok;
  ev_meta *meta;
  size_t capmeta;
  uint32_t sb, se;      /* the sentence being read */
  uint64_t sent_senses; /* sense bits of its words (when sent_known) */
  int sent_known;
  int rc;
} ev_ctx;

#define MAX_ENTS 8
typedef struct ev_ents {
  int32_t e[MAX_ENTS];
  int n;
} ev_ents;

static void ents_add(ev_ents *s, int32_t e) {
  if (e < 0)
    return;
  for (int i = 0; i < s->n; i++)
    if (s->e[i] == e)
      return;
  if (s->n < MAX_ENTS)
    s->e[s->n++] = e;
}

/* "a" sep "b" into key (cap bytes); returns its length, 0 if too long.
 * (Look-up keys are built in hot loops: no printf.) */
static size_t join2(char *key, size_t cap, const char *a, char sep,
                    const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la + lb + 2 > cap)
    return 0;
  memcpy(key, a, la);
  key[la] = sep;
  memcpy(key + la + 1, b, lb + 1);
  return la + 1 + lb;
}

/* "a\tb\tc" into key (160 bytes), cut to 159 bytes as snprintf would;
 * returns its length. */
static size_t join3_tab(char key[160], const char *a, const char *b,
                        const char *c) {
  const char *parts[5] = {a, "\t", b, "\t", c};
  size_t n = 0;
  for (int i = 0; i < 5 && n < 159; i++) {
    size_t l = strlen(parts[i]);
    if (l > 159 - n)
      l = 159 - n;
    memcpy(key + n, parts[i], l);
    n += l;
  }
  key[n] = '\0';
  return n;
}

/* "cls|entity" into key (cap bytes); 0 if it does not fit. */
static size_t class_entity_key(char *key, size_t cap, const char *cls,
                               int entity) {
  char digits[12];
  size_t nd = 0;
  unsigned u = entity < 0 ? 0u - (unsigned)entity : (unsigned)entity;
  do {
    digits[nd++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (entity < 0)
    digits[nd++] = '-';
  size_t lc = strlen(cls);
  if (lc + 1 + nd >= cap)
    return 0;
  memcpy(key, cls, lc);
  key[lc] = '|';
  for (size_t i = 0; i < nd; i++)
    key[lc + 1 + i] = digits[nd - 1 - i];
  key[lc + 1 + nd] = '\0';
  return lc + 1 + nd;
}

static const char *FOLD(const ev_ctx *c, uint32_t t) { return c->tok[t].fold; }
static size_t FOLD_LEN(const ev_ctx *c, uint32_t t) { return c->tok[t].flen; }
static const char *lazy_stem(ev_ctx *c, uint32_t t);
static const char *STEM(const ev_ctx *c, uint32_t t) {
  const char *s = c->tok[t].stem;
  /* (the stem is worked out once, and the context is the caller's) */
  return s ? s : lazy_stem((ev_ctx *)c, t);
}
static int has(const ev_ctx *c, uint32_t t, int cat) {
  return (int)((c->tok[t].cats >> cat) & 1);
}
static uint32_t flags(const ev_ctx *c, uint32_t t) {
  return c->doc->toks[t].flags;
}
static int word(const ev_ctx *c, uint32_t t) {
  return (flags(c, t) & NKG_TF_WORD) && !(flags(c, t) & NKG_TF_POSS);
}
static int punct(const ev_ctx *c, uint32_t t, char ch) {
  const nkg_token *k = &c->doc->toks[t];
  return (k->flags & NKG_TF_PUNCT) && k->e - k->b == 1 &&
         c->doc->text[k->b] == ch;
}
/* A lower-case word, or a capitalized one that only starts the sentence. */
static int lower(const ev_ctx *c, uint32_t t) { return c->tok[t].lower; }
/* (the length first: w is a constant, the compare one of its bytes) */
static inline int is_fold(const ev_ctx *c, uint32_t t, const char *w) {
  size_t n = strlen(w);
  return FOLD_LEN(c, t) == n && !memcmp(FOLD(c, t), w, n);
}
static int adverb(const ev_ctx *c, uint32_t t) {
  if (has(c, t, C_ADVERB))
    return 1;
  const char *f = FOLD(c, t);
  size_t n = FOLD_LEN(c, t);
  return lower(c, t) && n > 4 && f[n - 2] == 'l' && f[n - 1] == 'y' &&
         !c->tok[t].cats;
}
/* A word that opens a clause here ("while", not "a while"). */
static int opener(const ev_ctx *c, uint32_t t) {
  if (!has(c, t, C_SUB) || has(c, t, C_PREP) || c->tok[t].time)
    return 0;
  return !(t > c->sb && has(c, t - 1, C_DET));
}

static int speech_at(const ev_ctx *c, uint32_t t) { return c->tok[t].speech; }
static const nkg_mention *mention(const ev_ctx *c, uint32_t t) {
  int32_t m = c->tok[t].mention;
  return m >= 0 ? &c->doc->mentions[m] : NULL;
}
static int32_t mention_entity(const ev_ctx *c, uint32_t t) {
  const nkg_mention *m = mention(c, t);
  return m ? m->entity : -1;
}
static int etype(const ev_ctx *c, int32_t e) {
  return c->doc->entities[e].type;
}

/* ---- reading the tokens ---------------------------------------------------
 */

#define FOLD_CAP 96 /* a token is read as its first 95 folded bytes */

/* A stem of the document's own, freed with it. */
static const char *own_stem(ev_ctx *c, const char *s, size_t n) {
  char *copy = nkg_strndup(s, n);
  if (!copy || NKG_PUSH(c->owned, c->nowned, c->capowned, copy)) {
    free(copy);
    c->rc = NKG_ERR_NOMEM;
    return "";
  }
  return copy;
}

/* The stem of a word that only goes on a phrase, when a phrase needs it:
 * worked out once per word while the cache has room for it. */
static const char *lazy_stem(ev_ctx *c, uint32_t t) {
  ev_tok *k = &c->tok[t];
  ev_cached *e = k->cached;
  const char *s =
      e ? atomic_load_explicit(&e->stem, memory_order_acquire) : NULL;
  if (s)
    return k->stem = s;
  if (!c->stemmer && !(c->stemmer = stemmer_take(c->el))) {
    c->rc = NKG_ERR_NOMEM;
    return "";
  }
  const sb_symbol *r =
      sb_stemmer_stem(c->stemmer, (const sb_symbol *)k->fold, (int)k->flen);
  if (!r) {
    c->rc = NKG_ERR_NOMEM;
    return "";
  }
  size_t n = (size_t)sb_stemmer_length(c->stemmer);
  if (!e)
    return k->stem = own_stem(c, (const char *)r, n);
  /* (an entry of el->cache: its stem goes with it, into the chunk) */
  char *copy;
  if (n + 1 > EV_CHUNK_SIZE ||
      !(copy = chunk_alloc(c->el->cache, &c->chunk, n + 1)))
    return k->stem = own_stem(c, (const char *)r, n);
  memcpy(copy, r, n);
  copy[n] = '\0';
  const char *old = NULL;
  if (!atomic_compare_exchange_strong_explicit(
          &e->stem, &old, copy, memory_order_acq_rel, memory_order_acquire)) {
    /* another thread was first, with the same stem; the copy was the last
     * thing carved from the chunk */
    c->chunk->used = (size_t)(copy - c->chunk->data);
    return k->stem = old;
  }
  return k->stem = copy;
}

/* The facts of a plain word (NKG_TF_WORD, no digit) into k: from the
 * cache, else the memo (and cached: the cache's one line a word is the
 * cheaper look-up), else worked out (and cached). */
static int word_facts(ev_ctx *c, ev_tok *k, uint64_t h) {
  const nkg_event_lex *el = c->el;
  const char *f = k->fold;
  size_t len = k->flen;
  ev_cached *e = el->cache ? cache_find(el->cache, f, len, h) : NULL;
  if (!e) {
    const ev_entry *memo = ev_find(&el->memo, f, len, h);
    if (memo) {
      if (el->cache)
        e = cache_put(el->cache, &c->chunk, f, len, h, NULL, memo->ptr[0]);
      if (!e) {
        memcpy(k, memo->ptr[0], EV_WFACTS_SIZE);
        return 0;
      }
    }
  }
  if (!e) {
    /* every word of el->words is in the memo */
    ev_facts fa;
    int rc = plain_word_facts(el, &c->stemmer, f, len, h, 0, &fa);
    if (rc)
      return rc;
    if (el->cache)
      e = cache_put(el->cache, &c->chunk, f, len, h, &fa, NULL);
    if (!e) {
      /* no room: the facts are the document's own */
      const char *copy =
          fa.stem == FACT_STEM ? own_stem(c, fa.stem_s, fa.stem_len) : NULL;
      ev_wfacts w = taken_facts(&fa, f, len, fact_stem(&fa, f, copy));
      memcpy(k, &w, EV_WFACTS_SIZE);
      return c->rc;
    }
  }
  k->cats = e->cats;
  k->stem = atomic_load_explicit(&e->stem, memory_order_acquire);
  k->sx = e->sx;
  k->cached = e;
  k->speech = e->speech;
  k->trig = e->trig;
  k->sup = e->sup;
  k->txstart = e->txstart;
  k->tx_known = e->tx_known;
  k->tx_kind = e->tx_kind;
  return 0;
}

static int prepare_tokens(ev_ctx *c) {
  nkg_doc *doc = c->doc;
  const nkg_event_lex *el = c->el;
  size_t n = doc->ntoks;
  if (!doc->folds)
    return NKG_ERR_ARG; /* not segmented by nkg_text_segment */
  int rc;
  /* the folds with their NULs (doc->folds ends with one), then room for
   * every token's fold again */
  size_t size = doc->fold_at[n];
  c->folds = malloc(2 * size + n + 1);
  c->tok = malloc((n ? n : 1) * sizeof *c->tok);
  if (!c->folds || !c->tok)
    return NKG_ERR_NOMEM;
  memcpy(c->folds, doc->folds, size);
  char *tail = c->folds + size;
  /* the mention at or after the token: m, covering tokens [mb, me) */
  size_t m = 0;
  uint32_t mb = doc->nmentions ? doc->mentions[0].tb : UINT32_MAX;
  uint32_t me = doc->nmentions ? doc->mentions[0].te : UINT32_MAX;
  int in_quote = 0;
  for (uint32_t t = 0; t < n; t++) {
    ev_tok *k = &c->tok[t];
    const nkg_token *tk = &doc->toks[t];
    uint32_t tf = tk->flags;
    if (t >= me) {
      while (m < doc->nmentions && doc->mentions[m].te <= t)
        m++;
      mb = m < doc->nmentions ? doc->mentions[m].tb : UINT32_MAX;
      me = m < doc->nmentions ? doc->mentions[m].te : UINT32_MAX;
    }
    if (tf & NKG_TF_PSTART)
      in_quote = 0;
    if (tf & NKG_TF_OPENQ)
      in_quote = 1;
    else if (tf & NKG_TF_CLOSEQ)
      in_quote = 0;
    size_t len;
    const char *f = nkg_span_piece(doc, t, t + 1, &len);
    char *fold = c->folds + (f - doc->folds);
    /* a fold with no separator after it (before a possessive) and a long
     * one, cut, get a copy of their own */
    int cut = len > FOLD_CAP - 1;
    if (cut)
      len = FOLD_CAP - 1;
    if (cut || (fold[len] != ' ' && fold[len] != '\0')) {
      memcpy(tail, fold, len);
      fold = tail;
      tail += len + 1;
    }
    fold[len] = '\0';
    k->fold = fold;
    k->flen = (uint32_t)len;
    k->mention = t >= mb ? (int32_t)m : -1;
    k->gov = -2;
    k->trigger = NULL;
    k->trig_len = k->pos = k->verb = k->time = 0;
    k->np = 0;
    k->quote = (uint8_t)in_quote;
    /* a lower-case word, or a capitalized one that only starts the
     * sentence */
    k->lower = (uint8_t)(((tf & (NKG_TF_WORD | NKG_TF_POSS)) == NKG_TF_WORD) &
                         (k->mention < 0) &
                         (!(tf & (NKG_TF_CAP | NKG_TF_UPPER)) |
                          ((tf & NKG_TF_SSTART) != 0)));
    if ((tf & NKG_TF_WORD) && !(tf & NKG_TF_DIGIT)) {
      uint64_t h = ev_hash_fast(fold, len);
      k->tx_hash = h;
      if ((rc = word_facts(c, k, h)) != 0)
        return rc;
      /* names are no triggers: "Visit Britain", "Associated Press" */
      k->trig = k->trig && k->mention < 0;
    } else {
      const ev_entry *we =
          len == 1 ? el->byte_words[(unsigned char)fold[0]]
                   : ev_find(&el->words, fold, len, ev_hash_fast(fold, len));
      k->cats = we ? we->bits : 0;
      k->stem = fold;
      k->sx = NULL;
      k->cached = NULL;
      k->speech = (tf & NKG_TF_WORD) && we && (we->flags & WF_SPEECH);
      k->trig = k->sup = 0;
      k->txstart = (tf & NKG_TF_DIGIT) || (we && (we->flags & WF_TXSTART));
      k->tx_known = k->tx_kind = 0;
    }
  }
  return 0;
}

/* ---- triggers ------------------------------------------------------------ */

/* Does s (n bytes) end with suffix, with more than one byte before it?
 * (Inline: suffixes are constants.) */
static inline int ends_n(const char *s, size_t n, const char *suffix) {
  size_t m = strlen(suffix);
  return n > m + 1 && !memcmp(s + n - m, suffix, m);
}

static inline int ends_with(const char *s, const char *suffix) {
  return ends_n(s, strlen(s), suffix);
}

/* The previous word token of the sentence, or UINT32_MAX. */
static uint32_t prev_word(const ev_ctx *c, uint32_t t) {
  while (t > c->sb) {
    t--;
    if (flags(c, t) & NKG_TF_WORD)
      return t;
    if (!punct(c, t, '-'))
      return UINT32_MAX;
  }
  return UINT32_MAX;
}

/* Noun or verb, from the word's form and its left neighbour. */
static int guess_pos(const ev_ctx *c, uint32_t t) {
  const char *f = FOLD(c, t);
  size_t n = FOLD_LEN(c, t);
  if (ends_n(f, n, "tion") || ends_n(f, n, "sion") || ends_n(f, n, "ment") ||
      ends_n(f, n, "ance") || ends_n(f, n, "ence") || ends_n(f, n, "ship") ||
      ends_n(f, n, "ness") || ends_n(f, n, "ure") || ends_n(f, n, "ery") ||
      ends_n(f, n, "ism") || ends_n(f, n, "ity") || ends_n(f, n, "ist") ||
      ends_n(f, n, "als"))
    return POS_NOUN;
  if (ends_n(f, n, "al") && n > 6)
    return POS_NOUN; /* withdrawal, approval, arrival */
  uint32_t p = prev_word(c, t);
  if (p != UINT32_MAX && (flags(c, p) & NKG_TF_POSS))
    return POS_NOUN;
  int inflected =
      ends_n(f, n, "s") || ends_n(f, n, "ed") || ends_n(f, n, "ing");
  if (p != UINT32_MAX) {
    uint64_t k = c->tok[p].cats;
    if (k & (B(C_DET) | B(C_POSSDET)))
      return POS_NOUN;
    if (is_fold(c, p, "to"))
      return inflected ? POS_NOUN : POS_VERB;
    if (k & (B(C_AUX) | MODALS | B(C_NEG) | B(C_HE) | B(C_IT) | B(C_THEY) |
             B(C_WE) | B(C_REL)))
      return POS_VERB;
    if (k & B(C_PREP))
      return ends_n(f, n, "ing") ? POS_VERB : POS_NOUN;
  }
  if (ends_n(f, n, "ed"))
    return POS_VERB;
  if (p != UINT32_MAX && lower(c, p) && !c->tok[p].cats &&
      !ends_n(f, n, "ing") && !c->tok[p].verb &&
      !ends_n(FOLD(c, p), FOLD_LEN(c, p), "ly"))
    return POS_NOUN; /* "legislative elections", "press conference" */
  return POS_EITHER;
}

/* A phrase listed for both uses ("hold talks", "press conference"): a
 * verb after a name, a pronoun or a modal, or when it ends in a
 * preposition or particle ("pull out", "flew to"); else a noun. */
static int phrase_pos(const ev_ctx *c, uint32_t t, uint32_t len) {
  int g = guess_pos(c, t);
  if (g != POS_EITHER)
    return g;
  uint32_t p = prev_word(c, t);
  uint32_t last = t + len - 1;
  if ((p != UINT32_MAX && c->tok[p].mention >= 0) ||
      ends_n(FOLD(c, t), FOLD_LEN(c, t), "ed") ||
      (c->tok[last].cats & (B(C_PREP) | B(C_PARTICLE))))
    return POS_VERB;
  for (uint32_t u = t + 1; u < last; u++)
    if (has(c, u, C_DET))
      return POS_VERB; /* "extend an invitation" */
  return POS_NOUN;
}

/* The trigger of the token's stem for the use (POS_NOUN / POS_VERB). */
static const nkg_trigger *trig_of(const ev_ctx *c, uint32_t t, int pos) {
  const ev_entry *sx = c->tok[t].sx;
  return sx ? sx->ptr[pos == POS_NOUN ? 0 : 1] : NULL;
}

/* Does the token's stem start a phrase of several words? */
static int starts_phrase(const ev_ctx *c, uint32_t t) {
  return c->tok[t].sx && (c->tok[t].sx->flags & SF_START);
}

static const ev_support *support_at(const ev_ctx *c, uint32_t t, uint32_t *len);

/* Does the word end like a doer ("-er", "-ers", "-or", "-ors") where the
 * listed trigger does not? */
static int agent_noun_form(const char *word, const char *listed) {
  static const char *const suffixes[] = {"ers", "ors", "er", "or"};
  for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
    if (ends_with(word, suffixes[i]))
      return !ends_with(listed, suffixes[i]);
  return 0;
}

/* Is the word at t a support verb of exactly this class? */
static int class_support(const ev_ctx *c, uint32_t t, const char *cls) {
  uint32_t len;
  for (const ev_support *s = support_at(c, t, &len); s; s = s->next)
    if (s->cls && !strcmp(s->cls, cls))
      return 1;
  return 0;
}

/* Marks the triggers of the sentence. */
static void find_triggers(ev_ctx *c) {
  for (uint32_t t = c->sb; t < c->se; t++) {
    if (!c->tok[t].trig || !lower(c, t) ||
        (c->tok[t].cats & (B(C_DET) | B(C_AUX) | MODALS)))
      continue;
    /* phrases first: "press conference", "pull out" */
    if (c->el->max_phrase > 1 && starts_phrase(c, t)) {
      /* "n stems" then "v stems", as the keys of el->trig (no longer
       * than 255 bytes) */
      char key[256];
      const char *stem = STEM(c, t);
      size_t klen = strlen(stem) + 2;
      const nkg_trigger *best = NULL, *bn = NULL, *bv = NULL;
      uint32_t blen = 0;
      if (klen < sizeof key) {
        key[1] = ' ';
        memcpy(key + 2, stem, klen - 2);
      }
      for (uint32_t n = 2;
           klen < sizeof key && n <= c->el->max_phrase && t + n <= c->se; n++) {
        if (!word(c, t + n - 1) || c->tok[t + n - 1].mention >= 0)
          break;
        const char *next = STEM(c, t + n - 1);
        size_t nl = strlen(next);
        if (klen + 1 + nl >= sizeof key)
          break;
        key[klen] = ' ';
        memcpy(key + klen + 1, next, nl);
        klen += 1 + nl;
        /* "n stems" and "v stems" of el->trig, in one look-up; none
         * when no phrase starts so */
        const ev_entry *pe = ev_find(&c->el->phrases, key + 2, klen - 2,
                                     ev_hash_fast(key + 2, klen - 2));
        if (!pe)
          break;
        const nkg_trigger *tn = pe->ptr[0], *tv = pe->ptr[1];
        if (tn || tv) {
          best = tn ? tn : tv;
          bn = tn;
          bv = tv;
          blen = n;
        }
      }
      if (best) {
        c->tok[t].trigger = best;
        c->tok[t].trig_len = (uint8_t)blen;
        c->tok[t].pos = (uint8_t)(!bv   ? POS_NOUN
                                  : !bn ? POS_VERB
                                        : phrase_pos(c, t, blen));
        t += blen - 1;
        continue;
      }
    }
    int pos = guess_pos(c, t);
    const char *f = FOLD(c, t);
    size_t fn = FOLD_LEN(c, t);
    /* "the invited guests": a participle used as an adjective */
    if (pos == POS_NOUN && ends_n(f, fn, "ed"))
      continue;
    /* "according": an -ing form is a noun trigger only when listed as one
     * ("meeting", "bombing"), never through the stem of another noun
     * ("accord") */
    int ing = ends_n(f, fn, "ing");
    const nkg_trigger *tr = NULL;
    int got = pos;
    if (pos == POS_NOUN || pos == POS_VERB) {
      tr = trig_of(c, t, pos);
    } else {
      tr = trig_of(c, t, POS_VERB);
      got = POS_VERB;
      if (!tr) {
        tr = trig_of(c, t, POS_NOUN);
        got = POS_NOUN;
      }
    }
    /* a verb listed as a support of its own class ("win" the elections)
     * makes the event only through the noun it governs: "Chelsea won" is
     * no election */
    if (tr && got == POS_VERB && class_support(c, t, tr->cls))
      tr = NULL;
    if (tr && got == POS_NOUN && ing && !ends_with(tr->word, "ing"))
      tr = NULL;
    /* "supporters", "his attacker": the people, not the event (a listed
     * word such as "murder" or "suicide bomber" stays) */
    if (tr && got == POS_NOUN && agent_noun_form(f, tr->word))
      tr = NULL;
    if (tr) {
      c->tok[t].trigger = tr;
      c->tok[t].trig_len = 1;
      c->tok[t].pos = (uint8_t)got;
    }
  }
}

static const ev_support *support_of(const ev_ctx *c, uint32_t t, uint32_t *len);

static inline const ev_support *support_at(const ev_ctx *c, uint32_t t,
                                           uint32_t *len) {
  *len = 0;
  return c->tok[t].sup && lower(c, t) ? support_of(c, t, len) : NULL;
}

/* support_at of a lower-case word whose stem starts a support verb */
static const ev_support *support_of(const ev_ctx *c, uint32_t t,
                                    uint32_t *len) {
  if (t + 1 < c->se && lower(c, t + 1) && starts_phrase(c, t)) {
    char key[256];
    size_t n = join2(key, sizeof key, STEM(c, t), ' ', STEM(c, t + 1));
    /* (every key of el->support is one of el->stems, its list in ptr[2]) */
    const ev_entry *se =
        n ? ev_find(&c->el->stems, key, n, ev_hash_fast(key, n)) : NULL;
    const ev_support *s = se ? se->ptr[2] : NULL;
    if (s) {
      *len = 2;
      return s;
    }
  }
  const ev_support *s = c->tok[t].sx ? c->tok[t].sx->ptr[2] : NULL;
  if (s)
    *len = 1;
  return s;
}

/* Which tokens read as verbs. Run after find_triggers. */
static void mark_verbs(ev_ctx *c) {
  for (uint32_t t = c->sb; t < c->se; t++) {
    ev_tok *k = &c->tok[t];
    k->verb = 0;
    if (!lower(c, t))
      continue;
    uint32_t p = prev_word(c, t);
    int after_det =
        p != UINT32_MAX && (c->tok[p].cats & (B(C_DET) | B(C_POSSDET)));
    uint32_t sl;
    if (k->cats & (B(C_AUX) | MODALS))
      k->verb = 1;
    else if (k->trigger)
      k->verb = k->pos == POS_VERB;
    else if (after_det)
      k->verb = 0;
    else if (speech_at(c, t) || support_at(c, t, &sl) ||
             (k->cats & B(C_PARTICIPLE)))
      k->verb = 1;
    else if ((k->cats & (CATENATIVE | B(C_CONTROL))) && t + 1 < c->se &&
             is_fold(c, t + 1, "to"))
      k->verb = 1;
    else if (ends_n(FOLD(c, t), FOLD_LEN(c, t), "ed") && FOLD_LEN(c, t) > 4 &&
             !(k->cats & (B(C_PREP) | B(C_ADVERB))))
      k->verb = 1;
  }
  /* a trigger read as a noun after a verb-like cue stays a noun */
}

/* ---- noun phrases
 * ------------------------------------------------------------ */

static const uint64_t NOT_NP = B(C_PREP) | B(C_SUB) | B(C_COORD) | B(C_AUX) |
                               B(C_WILL) | B(C_WOULD) | B(C_MIGHT) | B(C_IF) |
                               B(C_PARTICLE) | B(C_REL);

static int subject_pronoun(const ev_ctx *c, uint32_t t) {
  return (c->tok[t].cats & (B(C_HE) | B(C_IT) | B(C_THEY) | B(C_WE))) &&
         !(c->tok[t].cats & B(C_POSSDET));
}

/* May token t stand inside a noun phrase? */
static int np_token(const ev_ctx *c, uint32_t t) {
  uint32_t f = flags(c, t);
  if (f & NKG_TF_POSS)
    return 1;
  if (!(f & NKG_TF_WORD))
    return 0;
  if (c->tok[t].mention >= 0)
    return 1;
  if (c->tok[t].verb || c->tok[t].time || subject_pronoun(c, t))
    return 0;
  uint64_t k = c->tok[t].cats;
  if ((k & NOT_NP) && !(k & (B(C_DET) | B(C_POSSDET))))
    return 0;
  if (is_fold(c, t, "that") || is_fold(c, t, "not") || has(c, t, C_ADVERB))
    return 0;
  return 1;
}

/* Start of a title phrase that covers preposition p and ends before limit
 * ("minister without portfolio"), or UINT32_MAX. */
static uint32_t title_over(const ev_ctx *c, uint32_t p, uint32_t limit) {
  size_t max = c->lex->max_title_tokens;
  for (uint32_t s = p > c->sb + 3 ? p - 3 : c->sb; s < p; s++) {
    for (uint32_t e = p + 2; e <= limit && e <= s + max; e++) {
      char *f = nkg_span_fold(c->doc, s, e);
      int hit = f && nkg_lex_title(c->lex, f) != NULL;
      free(f);
      if (hit)
        return s;
    }
  }
  return UINT32_MAX;
}

static uint32_t np_start_scan(const ev_ctx *c, uint32_t t);

/* First token of the noun phrase that ends with token t (cached: the
 * sentence's tokens are read many times). */
static uint32_t np_start(const ev_ctx *c, uint32_t t) {
  ev_tok *k = (ev_tok *)&c->tok[t];
  if (!k->np)
    k->np = np_start_scan(c, t) + 1;
  return k->np - 1;
}

static uint32_t np_start_scan(const ev_ctx *c, uint32_t t) {
  uint32_t s = t;
  if (subject_pronoun(c, t))
    return t;
  int person = mention(c, t) && mention(c, t)->type == NKG_PER;
  while (s > c->sb && t - s < 10) {
    uint32_t p = s - 1;
    if (!np_token(c, p)) {
      /* "minister without portfolio Tzachi Hanegbi" */
      if (person && has(c, p, C_PREP) && lower(c, p + 1)) {
        uint32_t ts = title_over(c, p, t);
        if (ts != UINT32_MAX) {
          s = ts;
          continue;
        }
      }
      break;
    }
    if (c->tok[s].cats & (B(C_DET) | B(C_POSSDET))) {
      /* a determiner is the left edge, but "all the", "both the" */
      if (!(has(c, p, C_DET) && is_fold(c, s, "the")))
        break;
    }
    s = p;
  }
  return s;
}

/* The preposition governing a mention, or -1. A person named after a title
 * belongs to the preposition only when no other name stands between
 * ("member of Knesset Omri Sharon" is not "of Omri Sharon"). */
static int32_t mention_gov(ev_ctx *c, uint32_t t) {
  int32_t mi = c->tok[t].mention;
  if (mi < 0)
    return -1;
  const nkg_mention *m = &c->doc->mentions[mi];
  ev_tok *k = &c->tok[m->tb];
  if (k->gov != -2)
    return k->gov;
  uint32_t s = np_start(c, m->te - 1);
  int32_t gov = -1;
  if (s > c->sb && has(c, s - 1, C_PREP)) {
    gov = (int32_t)(s - 1);
    for (uint32_t u = s; u < m->tb; u++)
      if (c->tok[u].mention >= 0 && c->tok[u].mention != mi)
        gov = -1;
  }
  k->gov = gov;
  return gov;
}

/* ---- pronouns
 * ------------------------------------------------------------------ */

static uint32_t find_subject(ev_ctx *c, uint32_t g0, ev_ents *out, int depth);

static int locative_gov(const ev_ctx *c, int32_t gov) {
  if (gov < 0)
    return 0;
  const char *f = FOLD(c, (uint32_t)gov);
  return !strcmp(f, "in") || !strcmp(f, "to") || !strcmp(f, "from") ||
         !strcmp(f, "at") || !strcmp(f, "into");
}

/* it, its, they, them, their: the latest organization or country of this
 * sentence or the one before that is not a place in a locative phrase. */
static int32_t resolve_group(ev_ctx *c, uint32_t t) {
  uint32_t s = c->doc->toks[t].sent;
  uint32_t from = c->doc->sents[s > 0 ? s - 1 : 0].tb;
  if (s > 0 && c->doc->sents[s - 1].para != c->doc->sents[s].para)
    from = c->doc->sents[s].tb;
  uint32_t save_sb = c->sb;
  if (t > from + WINDOW)
    from = t - WINDOW;
  for (uint32_t u = t; u-- > from;) {
    const nkg_mention *m = mention(c, u);
    if (!m || m->entity < 0 || m->how == NKG_H_PRONOUN)
      continue;
    const nkg_dentity *d = &c->doc->entities[m->entity];
    int ok =
        d->type == NKG_ORG || (d->type == NKG_LOC && d->kind == NKG_K_COUNTRY);
    if (!ok)
      continue;
    c->sb = c->doc->sents[c->doc->toks[u].sent].tb;
    int32_t gov = mention_gov(c, u);
    c->sb = save_sb;
    if (locative_gov(c, gov))
      continue;
    /* a name that only modifies a place noun ("Gaza Strip settlements") */
    return m->entity;
  }
  return -1;
}

/* he, she, him, her when coreference left it open: "X said he ..." is X. */
static int32_t resolve_person(ev_ctx *c, uint32_t t) {
  int32_t e = mention_entity(c, t);
  if (e >= 0)
    return e;
  for (uint32_t u = t; u-- > LEFT_LIMIT(c, t);) {
    if (speech_at(c, u) && c->tok[u].verb && !c->tok[u].quote) {
      ev_ents s = {{0}, 0};
      find_subject(c, u, &s, 1);
      for (int i = 0; i < s.n; i++)
        if (etype(c, s.e[i]) == NKG_PER)
          return s.e[i];
      return -1;
    }
  }
  return -1;
}

/* we, I, our inside a quotation: the speaker, when a speech verb outside
 * the marks in the same sentence names one. */
static int32_t resolve_speaker(ev_ctx *c, uint32_t t) {
  if (!c->tok[t].quote)
    return -1;
  for (uint32_t u = LEFT_LIMIT(c, t); u < RIGHT_LIMIT(c, t); u++) {
    if (c->tok[u].quote || !speech_at(c, u) || !c->tok[u].verb)
      continue;
    ev_ents s = {{0}, 0};
    find_subject(c, u, &s, 1);
    if (s.n == 1)
      return s.e[0];
    /* '"...," said Mashal' */
    uint32_t v = u + 1;
    if (v < c->se && mention(c, v) && mention(c, v)->entity >= 0)
      return mention(c, v)->entity;
    return -1;
  }
  return -1;
}

static int32_t resolve_pronoun(ev_ctx *c, uint32_t t) {
  if (has(c, t, C_HE))
    return resolve_person(c, t);
  if (has(c, t, C_IT) || has(c, t, C_THEY))
    return resolve_group(c, t);
  if (has(c, t, C_WE))
    return resolve_speaker(c, t);
  return -1;
}

/* ---- what a noun phrase names -----------------------------------------------
 */

enum { NP_SUBJECT, NP_OBJECT, NP_PP };

/* The entities the noun phrase [s, e) stands for. */
static void np_entities(ev_ctx *c, uint32_t s, uint32_t e, int mode,
                        ev_ents *out) {
  if (e <= s)
    return;
  uint32_t head = e - 1;
  const nkg_mention *m = mention(c, head);
  if (m) {
    ents_add(out, m->entity);
    return;
  }
  if (subject_pronoun(c, head) ||
      ((c->tok[head].cats & (B(C_HE) | B(C_IT) | B(C_THEY))) && s == head)) {
    ents_add(out, resolve_pronoun(c, head));
    return;
  }
  /* "the Palestinians", "the Russians" */
  if ((flags(c, head) & NKG_TF_CAP) && head > s &&
      is_fold(c, head - 1, "the")) {
    const nkg_gaz *g = nkg_lex_adjective(c->lex, FOLD(c, head));
    if (g) {
      ents_add(out, nkg_doc_entity_for_gaz(c->doc, g));
      return;
    }
  }
  int agent = has(c, head, C_AGENTNOUN);
  int capital = has(c, head, C_CAPITAL);
  /* "the Al-Arabiya satellite channel", "the Hamas movement": a name before
   * the word that says what kind of organization it is */
  const nkg_cue *cue =
      lower(c, head) ? nkg_lex_cue(c->lex, FOLD(c, head)) : NULL;
  if (cue && cue->type == NKG_ORG && !cue->prefix)
    agent = 1;
  if (!agent && !capital && mode != NP_PP)
    return;
  for (uint32_t u = s; u < head; u++) {
    const nkg_mention *mm = mention(c, u);
    if (mm) {
      if (agent || (mode == NP_PP && mm->type == NKG_LOC))
        ents_add(out, mm->entity);
      u = mm->te - 1;
      continue;
    }
    const nkg_gaz *g = nkg_lex_adjective(c->lex, FOLD(c, u));
    if (g && (agent || capital))
      ents_add(out, nkg_doc_entity_for_gaz(c->doc, g));
    if (agent && mode == NP_SUBJECT && has(c, u, C_POSSDET) &&
        !(c->tok[u].cats & B(C_HE)))
      ents_add(out, resolve_group(c, u));
  }
}

/* Entities of noun phrases joined to the one starting at s by "and" or a
 * comma, leftwards ("A, B and C"); appositions and prepositional phrases
 * in between are passed over. */
static void coord_left(ev_ctx *c, uint32_t s, ev_ents *out) {
  uint32_t k = s;
  int sep = 0;
  while (k > LEFT_LIMIT(c, s)) {
    uint32_t p = k - 1;
    if (punct(c, p, ',') || has(c, p, C_COORD) ||
        is_fold(c, p, "respectively")) {
      sep |= !is_fold(c, p, "respectively");
      k = p;
      continue;
    }
    if (!sep || !np_token(c, p))
      return;
    uint32_t st = np_start(c, p);
    int32_t gov =
        mention(c, p)
            ? mention_gov(c, p)
            : (st > c->sb && has(c, st - 1, C_PREP) ? (int32_t)(st - 1) : -1);
    if (gov >= 0) {
      /* a phrase inside an apposition: "son of X" */
      k = (uint32_t)gov;
      continue;
    }
    ev_ents e = {{0}, 0};
    np_entities(c, st, p + 1, NP_SUBJECT, &e);
    for (int i = 0; i < e.n; i++)
      ents_add(out, e.e[i]);
    sep = 0;
    k = st;
  }
}

/* End (exclusive) of the noun phrase starting at s. */
static uint32_t np_end(const ev_ctx *c, uint32_t s) {
  uint32_t e = s;
  if (e < c->se && subject_pronoun(c, e))
    return e + 1;
  while (e < c->se && e < s + 10 && np_token(c, e) &&
         !(e > s && (c->tok[e].cats & (B(C_DET) | B(C_POSSDET))) &&
           !(flags(c, e - 1) & NKG_TF_POSS) &&
           !(has(c, e - 1, C_DET) && is_fold(c, e, "the"))))
    e++;
  /* the object pronouns of the data: him, her, them, it */
  if (e == s && e < c->se &&
      (c->tok[e].cats & (B(C_HE) | B(C_IT) | B(C_THEY) | B(C_WE))))
    e++;
  return e;
}

/* Entities of the noun phrases from s rightwards joined by "and" or
 * commas: "A, B and C". Returns the end of the last phrase. */
static uint32_t np_list_right(ev_ctx *c, uint32_t s, int mode, ev_ents *out) {
  uint32_t e = np_end(c, s);
  if (e == s)
    return s;
  np_entities(c, s, e, mode, out);
  while (e < s + WINDOW) {
    uint32_t k = e;
    int sep = 0;
    while (k < c->se && (punct(c, k, ',') || has(c, k, C_COORD))) {
      sep = 1;
      k++;
    }
    if (!sep || k >= c->se || !np_token(c, k) || c->tok[k].verb)
      return e;
    uint32_t e2 = np_end(c, k);
    ev_ents more = {{0}, 0};
    np_entities(c, k, e2, mode, &more);
    if (!more.n)
      return e;
    for (int i = 0; i < more.n; i++)
      ents_add(out, more.e[i]);
    e = e2;
  }
  return e;
}

/* ---- subjects
 * ------------------------------------------------------------------ */

/* First token of the verb group that ends with the verb at v: auxiliaries,
 * modals, negation, adverbs, "to" and verbs like "plan to". */
static uint32_t group_start(const ev_ctx *c, uint32_t v) {
  uint32_t g = v;
  while (g > c->sb) {
    uint32_t p = g - 1;
    uint64_t k = c->tok[p].cats;
    if ((k & (B(C_AUX) | MODALS | B(C_NEG))) || adverb(c, p) ||
        is_fold(c, p, "to") ||
        ((k & CATENATIVE) && c->tok[p].verb && g < c->se &&
         is_fold(c, g, "to")))
      g = p;
    else
      break;
  }
  return g;
}

/* The nearest verb left of t in the sentence, not past a clause opener. */
static uint32_t verb_before(const ev_ctx *c, uint32_t t) {
  for (uint32_t u = t; u-- > LEFT_LIMIT(c, t);) {
    if (c->tok[u].verb)
      return u;
    if (c->tok[u].quote != c->tok[t].quote || opener(c, u))
      return UINT32_MAX;
  }
  return UINT32_MAX;
}

/* The subject of the clause whose verb group starts at g0: entities into
 * out. Returns the token where the subject starts, or UINT32_MAX. */
static uint32_t find_subject(ev_ctx *c, uint32_t g0, ev_ents *out, int depth) {
  if (depth > 4)
    return UINT32_MAX;
  uint32_t v = g0;
  /* the group itself */
  uint32_t gs = group_start(c, g0);
  int infinitive = 0;
  for (uint32_t u = gs; u <= v && u < c->se; u++)
    if (is_fold(c, u, "to"))
      infinitive = 1;
  int gerund = ends_n(FOLD(c, v), FOLD_LEN(c, v), "ing");
  for (uint32_t u = gs; u < v; u++)
    if (c->tok[u].cats & (B(C_AUX) | MODALS))
      gerund = 0;
  int after_comma = 0;
  uint32_t t = gs;
  int steps = 0;
  while (t > c->sb && steps++ < 40) {
    uint32_t p = t - 1;
    if (c->tok[p].quote != c->tok[g0].quote && (flags(c, p) & NKG_TF_QUOTE))
      return UINT32_MAX;
    if (!(flags(c, p) & NKG_TF_WORD) || (flags(c, p) & NKG_TF_POSS)) {
      if (punct(c, p, ',')) {
        after_comma = 1;
        t = p;
        continue;
      }
      if (punct(c, p, '-') || punct(c, p, ')') || punct(c, p, '('))
        t = p;
      else
        return UINT32_MAX;
      continue;
    }
    if (adverb(c, p)) {
      t = p;
      continue;
    }
    const nkg_mention *m = mention(c, p);
    if (m || np_token(c, p)) {
      uint32_t st = np_start(c, p);
      int32_t gov =
          m ? mention_gov(c, p)
            : (st > c->sb && has(c, st - 1, C_PREP) ? (int32_t)(st - 1) : -1);
      if (m && gov >= 0 && (uint32_t)gov < st)
        st = (uint32_t)gov + 1;
      if (gov >= 0) {
        t = (uint32_t)gov; /* a prepositional phrase: pass over it */
        continue;
      }
      /* the possessor of a phrase ("Hamas's stance") is not its head */
      ev_ents e = {{0}, 0};
      np_entities(c, st, p + 1, NP_SUBJECT, &e);
      if (e.n) {
        for (int i = 0; i < e.n; i++)
          ents_add(out, e.e[i]);
        coord_left(c, st, out);
        return st;
      }
      /* "Russia was right to back": a predicate before an infinitive */
      if (infinitive && st > c->sb && has(c, st - 1, C_AUX) && st == p) {
        t = st - 1;
        continue;
      }
      /* an apposition after a comma: "X, head of Y, said" */
      if (st > c->sb && punct(c, st - 1, ',')) {
        t = st;
        continue;
      }
      if (after_comma && st > c->sb) {
        t = st;
        continue;
      }
      return UINT32_MAX; /* a subject that names no entity */
    }
    /* which, who, that: the phrase before it */
    if (has(c, p, C_REL) && p + 1 == gs) {
      uint32_t a = p;
      while (a > c->sb && punct(c, a - 1, ','))
        a--;
      if (a > c->sb && np_token(c, a - 1)) {
        uint32_t st = np_start(c, a - 1);
        np_entities(c, st, a, NP_SUBJECT, out);
        return out->n ? st : UINT32_MAX;
      }
      return UINT32_MAX;
    }
    if (subject_pronoun(c, p)) {
      ents_add(out, resolve_pronoun(c, p));
      return out->n ? p : UINT32_MAX;
    }
    /* "X stopped the talks and conducted ...": the earlier verb's subject */
    if ((has(c, p, C_COORD) || is_fold(c, p, "but")) && p + 1 == gs) {
      uint32_t pv = verb_before(c, p);
      return pv == UINT32_MAX ? UINT32_MAX
                              : find_subject(c, pv, out, depth + 1);
    }
    /* an infinitive or a gerund after a preposition takes the subject of
     * the verb it depends on ("Hamas has faced ... since winning") */
    if ((infinitive || gerund) &&
        (c->tok[p].verb || has(c, p, C_PREP) || has(c, p, C_SUB))) {
      if (gerund && is_fold(c, p, "of") && p > c->sb) {
        /* "Hamas's stance of not recognizing": the possessor */
        uint32_t st = np_start(c, p - 1);
        for (uint32_t u = st; u + 1 < p; u++)
          if ((flags(c, u + 1) & NKG_TF_POSS) && mention(c, u)) {
            ents_add(out, mention(c, u)->entity);
            return u;
          }
      }
      uint32_t pv = c->tok[p].verb ? p : verb_before(c, p);
      if (pv == UINT32_MAX)
        return UINT32_MAX;
      return find_subject(c, pv, out, depth + 1);
    }
    return UINT32_MAX;
  }
  return UINT32_MAX;
}

/* ---- building events
 * ----------------------------------------------------------- */

static int role_for(const ev_ctx *c, const nkg_trigger *tr, const char *slot,
                    int type) {
  static const char *const types[] = {"*", "PER", "ORG", "LOC"};
  const char *cls[2] = {tr->cls, "*"};
  const char *ty[2] = {types[type >= 1 && type <= 3 ? type : 0], "*"};
  /* (the lengths of the constants known: asked for every argument) */
  size_t lcls[2] = {strlen(tr->cls), 1};
  size_t lty[2] = {type >= 1 && type <= 3 ? 3 : 1, 1};
  char key[160];
  size_t ls = strlen(slot);
  for (int i = 0; i < 2; i++) {
    /* "class\tslot\t" once, then each type after it */
    size_t lc = lcls[i], base = lc + 1 + ls + 1;
    if (base + 3 <= 159) {
      memcpy(key, cls[i], lc);
      key[lc] = '\t';
      memcpy(key + lc + 1, slot, ls);
      key[base - 1] = '\t';
    }
    for (int j = 0; j < 2; j++) {
      size_t n;
      if (base + 3 <= 159) {
        size_t lt = lty[j];
        memcpy(key + base, ty[j], lt);
        n = base + lt;
      } else {
        n = join3_tab(key, cls[i], slot, ty[j]); /* cut as it cuts */
      }
      const ev_entry *e =
          ev_find(&c->el->role_table, key, n, ev_hash_fast(key, n));
      if (e)
        return e->value - 1;
    }
  }
  return ROLE_NONE;
}

static void add_arg(ev_ctx *c, nkg_event *ev, int32_t e, int role) {
  if (e < 0 || role < 0 || role >= NKG_R_COUNT || c->rc)
    return;
  for (size_t i = 0; i < ev->nargs; i++)
    if (ev->args[i].entity == e && ev->args[i].role == role)
      return;
  nkg_arg a = {e, (uint8_t)role};
  if (NKG_PUSH(ev->args, ev->nargs, ev->capargs, a))
    c->rc = NKG_ERR_NOMEM;
}

static void add_slot(ev_ctx *c, nkg_event *ev, const ev_ents *ents,
                     const char *slot) {
  for (int i = 0; i < ents->n; i++) {
    int32_t e = ents->e[i];
    add_arg(c, ev, e, role_for(c, ev->trigger, slot, etype(c, e)));
  }
}

/* Is token t a clause boundary for the phrases after a trigger? */
static int pp_boundary(const ev_ctx *c, uint32_t t) {
  uint32_t f = flags(c, t);
  if (f & NKG_TF_QUOTE)
    return 1;
  if (punct(c, t, ';') || punct(c, t, ':') || punct(c, t, '(') ||
      punct(c, t, '.') || punct(c, t, '?') || punct(c, t, '!'))
    return 1;
  if (opener(c, t) && !is_fold(c, t, "that"))
    return 1;
  if (is_fold(c, t, "that") && !(t + 1 < c->se && c->tok[t + 1].trigger))
    return 1;
  return 0;
}

/* Does a new clause start at t: a subject and its verb, before any
 * preposition ("..., Hamas and all the Arabs will be ready")? */
static int new_clause(const ev_ctx *c, uint32_t t) {
  for (uint32_t u = t; u < c->se && u < t + 12; u++) {
    if (c->tok[u].verb)
      return u > t;
    if (has(c, u, C_PREP) || pp_boundary(c, u) || punct(c, u, ','))
      return 0;
  }
  return 0;
}

/* End (the closing comma) of an apposition that starts at t: a common noun
 * and its "of" phrase between commas ("X, head of the Green Front, in"), or
 * UINT32_MAX. */
static uint32_t apposition_end(const ev_ctx *c, uint32_t t) {
  uint32_t u = t;
  while (u < c->se && u < t + 3 && lower(c, u) && np_token(c, u) &&
         !is_fold(c, u, "of"))
    u++;
  if (u == t || u >= c->se || !is_fold(c, u, "of"))
    return UINT32_MAX;
  for (; u < c->se && u < t + 14; u++) {
    if (punct(c, u, ','))
      return u;
    if (pp_boundary(c, u) || c->tok[u].verb)
      return UINT32_MAX;
  }
  return UINT32_MAX;
}

/* The prepositional phrases after a trigger (from token s): each entity in
 * them takes the role of its preposition. A nested event noun ("for talks
 * in Moscow") passes on only its place. */
static void scan_pps(ev_ctx *c, nkg_event *ev, uint32_t s, uint32_t self) {
  const char *slot = NULL;
  int outer = 0; /* within from/to: "of", "in" keep the outer role */
  int nested = 0;
  int hits = 0; /* entities found under the current preposition */
  for (uint32_t t = s; t < c->se && t < s + 30; t++) {
    if (pp_boundary(c, t))
      return;
    if (punct(c, t, ',')) {
      if (t + 1 >= c->se || c->tok[t + 1].verb || subject_pronoun(c, t + 1) ||
          pp_boundary(c, t + 1) || new_clause(c, t + 1))
        return;
      uint32_t a = apposition_end(c, t + 1);
      if (a != UINT32_MAX) {
        t = a; /* ", head of the Green Front," */
        continue;
      }
      /* "from Gaza, the West Bank and Lebanon" goes on; "from the occupied
       * lands, Hamas ..." does not */
      if (!hits)
        slot = NULL;
      continue;
    }
    if (!(flags(c, t) & NKG_TF_WORD))
      continue;
    if (c->tok[t].verb && t != self) {
      if (c->tok[t].cats & (B(C_AUX) | MODALS))
        return;
      /* "land occupied in 1967": a participle ends the phrase */
      return;
    }
    if (c->tok[t].trigger && t != self && c->tok[t].pos == POS_NOUN) {
      nested = 1;
      slot = NULL;
      outer = 0;
      continue;
    }
    if (has(c, t, C_EMBED) && t > s && has(c, t - 1, C_PREP))
      return; /* "in which": another clause */
    if (has(c, t, C_PREP) && !has(c, t, C_DET)) {
      const char *f = FOLD(c, t);
      int keep =
          outer && (!strcmp(f, "of") || !strcmp(f, "in") || !strcmp(f, "at"));
      if (!keep && !strcmp(f, "of") && t != s) {
        /* "an inquiry into the impact of climate change": this "of"
         * belongs to the noun before it, not to the event */
        slot = NULL;
        continue;
      }
      if (!keep) {
        slot = f;
        hits = 0;
        outer = !strcmp(f, "from") || !strcmp(f, "to");
      }
      continue;
    }
    if (has(c, t, C_COORD))
      continue;
    if (!slot)
      continue;
    if (!np_token(c, t))
      continue;
    uint32_t e = np_end(c, t);
    if (e == t)
      continue;
    ev_ents ents = {{0}, 0};
    np_entities(c, t, e, NP_PP, &ents);
    for (int i = 0; i < ents.n; i++) {
      int32_t en = ents.e[i];
      int type = etype(c, en);
      if (nested &&
          !(type == NKG_LOC && (!strcmp(slot, "in") || !strcmp(slot, "at"))))
        continue;
      if (nested)
        add_arg(c, ev, en, NKG_R_PLACE);
      else
        add_arg(c, ev, en, role_for(c, ev->trigger, slot, type));
      hits++;
    }
    t = e - 1;
    /* a preposition governs one phrase and those joined to it: "at a time
     * Israel never approved it" is not "at Israel" */
    if (e < c->se && !punct(c, e, ',') && !has(c, e, C_COORD) &&
        !has(c, e, C_PREP))
      slot = NULL;
  }
}

/* Negation and modality of the verb group [g, v]. */
static void group_modality(const ev_ctx *c, uint32_t g, uint32_t v,
                           int *negated, int *modality) {
  int to = 0;
  for (uint32_t u = g; u <= v; u++) {
    uint64_t k = c->tok[u].cats;
    if (k & B(C_NEG))
      *negated = !*negated;
    if (k & B(C_WILL))
      *modality = NKG_M_PLANNED;
    if (k & B(C_WOULD)) {
      /* "said he would invite": a reported plan */
      int reported = 0;
      for (uint32_t w = LEFT_LIMIT(c, g); w < g; w++)
        reported |= speech_at(c, w);
      if (*modality == NKG_M_ASSERTED)
        *modality = reported ? NKG_M_PLANNED : NKG_M_HYPOTHETICAL;
    }
    if (k & B(C_MIGHT))
      *modality = NKG_M_HYPOTHETICAL;
    if (is_fold(c, u, "to")) {
      to = 1;
      int cat = 0;
      if (u > c->sb) {
        uint32_t p = u - 1;
        uint64_t pk = c->tok[p].cats;
        if (pk & B(C_PLAN))
          cat = NKG_M_PLANNED;
        else if (pk & B(C_HOPE))
          cat = NKG_M_HYPOTHETICAL;
        else if (pk & B(C_MANAGE))
          cat = -1;
        else if (pk & B(C_REFUSE))
          cat = -2;
      }
      if (cat == -1) {
        /* asserted */
      } else if (cat == -2) {
        *negated = 1;
      } else if (cat) {
        if (*modality == NKG_M_ASSERTED || *modality == NKG_M_PLANNED)
          *modality = cat;
      } else if (*modality == NKG_M_ASSERTED) {
        *modality = NKG_M_HYPOTHETICAL; /* an infinitive is not a fact */
      }
    }
  }
  (void)to;
}

static nkg_event *new_event(ev_ctx *c, const nkg_trigger *tr, uint32_t t,
                            uint32_t len) {
  nkg_doc *doc = c->doc;
  nkg_event ev;
  memset(&ev, 0, sizeof ev);
  ev.trigger = tr;
  ev.ttb = t;
  ev.tte = t + len;
  ev.tb = c->sb;
  ev.te = c->se;
  ev.condition = -1;
  if (NKG_PUSH(doc->events, doc->nevents, doc->capevents, ev) ||
      nkg_grow((void **)&c->meta, &c->capmeta, doc->nevents, sizeof *c->meta)) {
    c->rc = NKG_ERR_NOMEM;
    return NULL;
  }
  memset(&c->meta[doc->nevents - 1], 0, sizeof *c->meta);
  c->meta[doc->nevents - 1].sent = doc->toks[t].sent;
  return &doc->events[doc->nevents - 1];
}

/* "in which they met": the event inside an earlier phrase of the sentence
 * takes that clause's subject and the places named in that phrase. */
static void embedded(ev_ctx *c, nkg_event *ev, uint32_t gs) {
  if (gs < c->sb + 2)
    return;
  uint32_t p = gs - 1;
  while (p > c->sb && subject_pronoun(c, p))
    p--;
  if (!has(c, p, C_EMBED))
    return;
  uint32_t q = p;
  if (p > c->sb && has(c, p - 1, C_PREP))
    q = p - 1;
  else if (!is_fold(c, p, "where"))
    return;
  uint32_t v = verb_before(c, q);
  if (v == UINT32_MAX)
    return;
  ev_ents subj = {{0}, 0};
  find_subject(c, v, &subj, 1);
  add_slot(c, ev, &subj, "nsubj");
  for (uint32_t u = v + 1; u < q; u++) {
    const nkg_mention *m = mention(c, u);
    if (!m || m->entity < 0)
      continue;
    if (m->type == NKG_LOC)
      add_arg(c, ev, m->entity, NKG_R_PLACE);
    else
      add_arg(c, ev, m->entity, role_for(c, ev->trigger, "nsubj", m->type));
    u = m->te - 1;
  }
}

/* The subject of the main clause after an opening phrase ("On a visit to
 * Spain, Putin said", "Launching the plan, Mr Blair said"): the first name
 * after the first comma, if no preposition governs it. */
static void clause_subject_after(ev_ctx *c, uint32_t from, ev_ents *out) {
  for (uint32_t u = from; u + 1 < RIGHT_LIMIT(c, from); u++) {
    if (pp_boundary(c, u))
      return;
    if (!punct(c, u, ','))
      continue;
    if (mention(c, u + 1) && mention_gov(c, u + 1) < 0) {
      const nkg_mention *m = mention(c, u + 1);
      /* the whole name, and the phrase it heads */
      uint32_t e = np_end(c, u + 1);
      np_entities(c, u + 1, e > m->te ? e : m->te, NP_SUBJECT, out);
    }
    return;
  }
}

static void verb_event(ev_ctx *c, uint32_t v) {
  const nkg_trigger *tr = c->tok[v].trigger;
  uint32_t vend = v + c->tok[v].trig_len;
  nkg_event *ev = new_event(c, tr, v, c->tok[v].trig_len);
  if (!ev)
    return;
  size_t idx = (size_t)(ev - c->doc->events);
  uint32_t gs = group_start(c, v);
  int negated = 0, modality = NKG_M_ASSERTED;
  group_modality(c, gs, v, &negated, &modality);
  /* passive: "was extended", "were invited" */
  int passive = 0;
  for (uint32_t u = gs; u < v; u++)
    if (has(c, u, C_BE))
      passive = 1;
  const char *f = FOLD(c, v);
  size_t fn = FOLD_LEN(c, v);
  if (passive &&
      !(ends_n(f, fn, "ed") || ends_n(f, fn, "en") || has(c, v, C_PARTICIPLE)))
    passive = 0;
  /* a gerund given as an example: "steps such as recognizing" */
  if (ends_n(f, fn, "ing") && gs > c->sb + 1 &&
      (has(c, gs - 1, C_LIKEPREP) ||
       (is_fold(c, gs - 1, "as") && has(c, gs - 2, C_LIKEPREP))))
    if (modality == NKG_M_ASSERTED)
      modality = NKG_M_HYPOTHETICAL;
  /* the subject of an infinitive after "urged X to": X */
  ev_ents subj = {{0}, 0};
  find_subject(c, v, &subj, 0);
  if (!subj.n && gs == c->sb && ends_n(f, fn, "ing"))
    clause_subject_after(c, v, &subj); /* "Launching the plan, Mr Blair" */
  ev = &c->doc->events[idx];
  add_slot(c, ev, &subj, passive ? "pass" : "subj");
  embedded(c, ev, gs);
  ev = &c->doc->events[idx];
  /* object and phrases */
  uint32_t o = vend;
  while (o < c->se && (adverb(c, o) || has(c, o, C_PARTICLE)))
    o++;
  if (!passive && o < c->se && np_token(c, o) && !has(c, o, C_PREP)) {
    ev_ents obj = {{0}, 0};
    uint32_t oe = np_list_right(c, o, NP_OBJECT, &obj);
    /* "confirmed Blackburn made a bid": the subject of a clause, not an
     * object */
    uint32_t after = oe;
    while (after < c->se && adverb(c, after))
      after++;
    ev = &c->doc->events[idx];
    if (!(after < c->se && c->tok[after].verb))
      add_slot(c, ev, &obj, "obj");
    o = oe > o ? oe : o;
  }
  scan_pps(c, &c->doc->events[idx], o, v);
  ev = &c->doc->events[idx];
  ev->negated = (uint8_t)negated;
  ev->modality = (uint8_t)modality;
}

/* The support verb of a noun trigger whose phrase starts at s: the verb it
 * is the object of, through at most a few words of noun and prepositional
 * phrases ("won a majority of seats in the elections"). */
static uint32_t support_before(const ev_ctx *c, uint32_t s,
                               const ev_support **sup) {
  *sup = NULL;
  uint32_t t = s;
  for (int steps = 0; t > c->sb && steps < 9; steps++) {
    uint32_t p = t - 1;
    if (!(flags(c, p) & NKG_TF_WORD))
      return UINT32_MAX;
    if (has(c, p, C_PARTICLE) && p > c->sb) {
      uint32_t len;
      const ev_support *su = support_at(c, p - 1, &len);
      if (su && len == 2) {
        *sup = su;
        return p - 1;
      }
      t = p;
      continue;
    }
    if (c->tok[p].verb) {
      uint32_t len;
      *sup = support_at(c, p, &len);
      return p;
    }
    if (np_token(c, p) || is_fold(c, p, "of") || is_fold(c, p, "in"))
      t = p;
    else
      return UINT32_MAX;
  }
  return UINT32_MAX;
}

/* The support verb's entry for this class. */
static const ev_support *support_for(const ev_support *s, const char *cls) {
  const ev_support *any = NULL;
  for (; s; s = s->next) {
    if (s->cls && !strcmp(s->cls, cls))
      return s;
    if (!s->cls && !any)
      any = s;
  }
  return any;
}

static void noun_event(ev_ctx *c, uint32_t n) {
  const nkg_trigger *tr = c->tok[n].trigger;
  uint32_t nend = n + c->tok[n].trig_len;
  nkg_event *ev = new_event(c, tr, n, c->tok[n].trig_len);
  if (!ev)
    return;
  size_t idx = (size_t)(ev - c->doc->events);
  int negated = 0, modality = NKG_M_ASSERTED;
  uint32_t s = np_start(c, n);
  /* inside the phrase: possessor, names and nationalities, cue words */
  for (uint32_t u = s; u < n; u++) {
    uint64_t k = c->tok[u].cats;
    if (k & B(C_NEG))
      negated = 1;
    if (k & B(C_PLANADJ))
      modality = NKG_M_PLANNED;
    if ((k & B(C_HYPOADJ)) && modality == NKG_M_ASSERTED)
      modality = NKG_M_HYPOTHETICAL;
    if (k & B(C_ANOTHER))
      c->meta[idx].another = 1;
    const nkg_mention *m = mention(c, u);
    ev = &c->doc->events[idx];
    if (m && m->entity >= 0) {
      int poss = m->te < n && (flags(c, m->te) & NKG_TF_POSS);
      if (m->how == NKG_H_PRONOUN)
        poss = 1; /* his, her */
      add_arg(c, ev, m->entity,
              role_for(c, tr, poss ? "poss" : "mod", m->type));
      u = m->te - 1;
      continue;
    }
    /* "Israeli withdrawal", "Palestinian elections" */
    const nkg_gaz *g =
        word(c, u) ? nkg_lex_adjective(c->lex, FOLD(c, u)) : NULL;
    if (g) {
      int32_t e = nkg_doc_entity_for_gaz(c->doc, g);
      ev = &c->doc->events[idx];
      add_arg(c, ev, e, role_for(c, tr, "mod", NKG_LOC));
    }
    if ((k & (B(C_IT) | B(C_THEY))) && (k & B(C_POSSDET))) {
      int32_t e = resolve_group(c, u);
      ev = &c->doc->events[idx];
      add_arg(c, ev, e, role_for(c, tr, "poss", e >= 0 ? etype(c, e) : 0));
    }
  }
  /* what governs the phrase: a support verb, an adjunct, "the possibility
   * of", "for" */
  const ev_support *sup = NULL;
  uint32_t sv = support_before(c, s, &sup);
  const ev_support *use = sup ? support_for(sup, tr->cls) : NULL;
  int nsubj_done = 0;
  if (use) {
    ev_ents subj = {{0}, 0};
    uint32_t gs = group_start(c, sv);
    find_subject(c, sv, &subj, 0);
    ev = &c->doc->events[idx];
    int passive = 0;
    for (uint32_t u = gs; u < sv; u++)
      passive |= has(c, u, C_BE);
    if (passive)
      add_slot(c, ev, &subj, "pass"); /* "we are sent an invitation" */
    else if (use->role == ROLE_SUBJ)
      add_slot(c, ev, &subj, "subj"); /* "launched an attack": as "attacked" */
    else
      for (int i = 0; i < subj.n; i++)
        add_arg(c, ev, subj.e[i], use->role);
    if (use->light)
      group_modality(c, gs, sv, &negated, &modality);
    embedded(c, ev, gs);
    nsubj_done = 1;
  } else if (sv != UINT32_MAX) {
    /* the object of another verb keeps that verb's modality */
    int neg2 = 0, mod2 = NKG_M_ASSERTED;
    group_modality(c, group_start(c, sv), sv, &neg2, &mod2);
    if (modality == NKG_M_ASSERTED)
      modality = mod2;
  }
  /* walk up "the eye of the storm of corruption" to its preposition */
  uint32_t head = s;
  for (int level = 0; !nsubj_done && level < 4 && head > c->sb; level++) {
    uint32_t p = head - 1;
    if (!has(c, p, C_PREP))
      break;
    if (is_fold(c, p, "of") && p > c->sb && np_token(c, p - 1)) {
      if (has(c, p - 1, C_HYPONOUN) && modality == NKG_M_ASSERTED)
        modality = NKG_M_HYPOTHETICAL;
      head = np_start(c, p - 1);
      continue;
    }
    if (has(c, p, C_ADJUNCT) || has(c, p, C_PURPOSE)) {
      if (has(c, p, C_PURPOSE) && modality == NKG_M_ASSERTED)
        modality = NKG_M_HYPOTHETICAL;
      ev_ents subj = {{0}, 0};
      uint32_t v = verb_before(c, p);
      if (v != UINT32_MAX) {
        find_subject(c, v, &subj, 0);
      } else {
        /* "Putin, on a visit to Spain, said": the name before the comma;
         * "On a visit to Spain, Putin said": the name after it */
        uint32_t q = p;
        while (q > c->sb && punct(c, q - 1, ','))
          q--;
        if (q > c->sb && mention(c, q - 1))
          ents_add(&subj, mention(c, q - 1)->entity);
        else
          clause_subject_after(c, nend, &subj);
      }
      ev = &c->doc->events[idx];
      /* "X called for an inquiry": X wants it, X is not its patient */
      add_slot(c, ev, &subj, has(c, p, C_PURPOSE) ? "psubj" : "nsubj");
    }
    break;
  }
  /* a passive support verb after it: "an invitation was extended to X" */
  uint32_t after = nend;
  uint32_t q = nend;
  while (q < c->se &&
         (has(c, q, C_BE) || has(c, q, C_AUX) || has(c, q, C_NEG) ||
          adverb(c, q) || (c->tok[q].cats & MODALS)))
    q++;
  uint32_t slen = 0;
  const ev_support *psup =
      q > nend && q < c->se ? support_at(c, q, &slen) : NULL;
  if (psup && support_for(psup, tr->cls)) {
    const ev_support *pu = support_for(psup, tr->cls);
    if (pu->light)
      group_modality(c, nend, q, &negated, &modality);
    /* "by X" is the support verb's subject */
    uint32_t r = q + slen;
    if (r + 1 < c->se && is_fold(c, r, "by")) {
      ev_ents by = {{0}, 0};
      np_list_right(c, r + 1, NP_PP, &by);
      ev = &c->doc->events[idx];
      if (pu->role == ROLE_SUBJ)
        add_slot(c, ev, &by, "subj");
      else
        for (int i = 0; i < by.n; i++)
          add_arg(c, ev, by.e[i], pu->role);
      r = np_end(c, r + 1);
    }
    after = r;
  }
  scan_pps(c, &c->doc->events[idx], after, n);
  ev = &c->doc->events[idx];
  ev->negated = (uint8_t)negated;
  ev->modality = (uint8_t)modality;
}

/* ---- senses --------------------------------------------------------------
 * "released the album", "footage was shot", "attacked the plans", "a
 * clash" in a sentence about a match: the word in another sense than its
 * class (event_roles.tsv "sense" lines). Read once per event, after it is
 * made: the words of the conditions are looked up only around triggers. */

/* The sense bits of token t's word; a listed noun also matches its plural
 * ("plans", "matches", "policies"). */
static uint64_t sense_bits(const ev_ctx *c, uint32_t t) {
  if (!(flags(c, t) & NKG_TF_WORD))
    return 0;
  const char *f = FOLD(c, t);
  size_t n = FOLD_LEN(c, t);
  const nkg_map *m = c->el->sense_words;
  const uint64_t *b = nkg_map_get(m, f, n);
  uint64_t bits = b ? *b : 0;
  if (n > 3 && f[n - 1] == 's') {
    if ((b = nkg_map_get(m, f, n - 1)))
      bits |= *b;
    if (f[n - 2] == 'e' && (b = nkg_map_get(m, f, n - 2)))
      bits |= *b;
    char y[64];
    if (n < sizeof y && ends_n(f, n, "ies")) {
      memcpy(y, f, n - 3);
      y[n - 3] = 'y';
      if ((b = nkg_map_get(m, y, n - 2)))
        bits |= *b;
    }
  }
  return bits;
}

static uint64_t span_senses(const ev_ctx *c, uint32_t b, uint32_t e) {
  uint64_t bits = 0;
  for (uint32_t u = b; u < e && u < c->se; u++)
    bits |= sense_bits(c, u);
  return bits;
}

/* The words of what the trigger at [t, end) acts on or is said of: the
 * object of a verb; with none, the subject of a passive or of a
 * participle ("the single, which was released", "footage was shot"); the
 * words before a noun ("Sega's launch title", "her latest release") and
 * its "of"/"on"/"against" phrase ("an attack on the plans"). */
static uint64_t object_senses(const ev_ctx *c, uint32_t t, uint32_t end,
                              int pos) {
  if (pos == POS_VERB) {
    uint32_t o = end;
    while (o < c->se && (adverb(c, o) || has(c, o, C_PARTICLE)))
      o++;
    if (o < c->se && np_token(c, o) && !has(c, o, C_PREP))
      return span_senses(c, o, np_end(c, o));
    /* "unveiled plans to cut", where "plans" reads as a verb */
    if (o < c->se && lower(c, o) && c->tok[o].verb && !has(c, o, C_PREP))
      return sense_bits(c, o);
    uint32_t p = group_start(c, t);
    while (p > c->sb && punct(c, p - 1, ','))
      p--;
    if (p > c->sb && has(c, p - 1, C_REL))
      for (p--; p > c->sb && punct(c, p - 1, ',');)
        p--;
    return p > c->sb && np_token(c, p - 1)
               ? span_senses(c, np_start(c, p - 1), p)
               : 0;
  }
  uint64_t bits = t > c->sb ? span_senses(c, np_start(c, t), t) : 0;
  if (end + 1 < c->se && (is_fold(c, end, "of") || is_fold(c, end, "on") ||
                          is_fold(c, end, "against")))
    bits |= span_senses(c, end + 1, np_end(c, end + 1));
  return bits;
}

/* Does the condition hold for the trigger at [t, end)? */
static int sense_holds(ev_ctx *c, const ev_sense *s, uint32_t t, uint32_t end,
                       int pos) {
  switch (s->where) {
  case SENSE_OBJECT:
    return (object_senses(c, t, end, pos) & s->bit) != 0;
  case SENSE_NEXT: {
    /* the noun a noun trigger modifies: "attack helicopters", "election
     * phone-in shows" (one of the next two words) */
    if (pos != POS_NOUN)
      return 0;
    uint64_t bits = 0;
    for (uint32_t u = end, words = 0; u < c->se && words < 2; u++)
      if (flags(c, u) & NKG_TF_WORD) {
        bits |= sense_bits(c, u);
        words++;
      } else if (!punct(c, u, '-')) {
        break;
      }
    return (bits & s->bit) != 0;
  }
  case SENSE_AFTER: /* "voted on", "vote to": the word right after it */
    return end < c->se && (sense_bits(c, end) & s->bit);
  case SENSE_PREV: {
    uint32_t p = prev_word(c, t);
    return p != UINT32_MAX && (sense_bits(c, p) & s->bit);
  }
  case SENSE_SENTENCE:
    if (!c->sent_known) {
      c->sent_senses = span_senses(c, c->sb, c->se);
      c->sent_known = 1;
    }
    return (c->sent_senses & s->bit) != 0;
  default: { /* SENSE_WORD: the trigger as written ("sales") */
    const uint64_t *b =
        nkg_map_get(c->el->sense_words, FOLD(c, t), FOLD_LEN(c, t));
    return b && (*b & s->bit);
  }
  }
}

/* The first condition of the word as written ("=back": not "backed"),
 * then of the trigger's word, then of its class, that holds decides: no
 * event (dropped) or the event of another class. */
static void check_sense(ev_ctx *c, size_t idx, uint32_t t) {
  if (!c->el->nsenses)
    return;
  nkg_event *ev = &c->doc->events[idx];
  const nkg_trigger *tr = ev->trigger;
  char written[64];
  const char *f = FOLD(c, t);
  size_t fl = FOLD_LEN(c, t);
  written[0] = '=';
  if (fl + 2 > sizeof written)
    fl = 0;
  memcpy(written + 1, f, fl);
  written[fl + 1] = '\0';
  const char *keys[3] = {written, tr->word, tr->cls};
  uint32_t end = t + c->tok[t].trig_len;
  for (int k = 0; k < 3; k++)
    for (const ev_sense *s =
             nkg_map_get(c->el->senses, keys[k], strlen(keys[k]));
         s; s = s->next)
      if (sense_holds(c, s, t, end, c->tok[t].pos)) {
        if (s->to)
          c->doc->events[idx].trigger = s->to;
        else
          c->meta[idx].dropped = 1;
        return;
      }
}

/* ---- one sentence ----------------------------------------------------------
 */

/* [if, end) of the conditional clause that starts at token i. */
static uint32_t if_clause_end(const ev_ctx *c, uint32_t i) {
  int initial = i <= c->sb + WINDOW;
  for (uint32_t u = c->sb; u < i && initial; u++)
    if ((flags(c, u) & NKG_TF_WORD) && !c->tok[u].quote == !c->tok[i].quote)
      initial = 0;
  uint32_t limit = RIGHT_LIMIT(c, i);
  if (!initial) {
    for (uint32_t u = i + 1; u < limit; u++)
      if (punct(c, u, ',') || punct(c, u, ';') || (flags(c, u) & NKG_TF_QUOTE))
        return u;
    return c->se;
  }
  /* "If A, B and C, X will ...": to the last comma before the first modal */
  uint32_t modal = c->se, last_comma = UINT32_MAX, first_comma = UINT32_MAX;
  for (uint32_t u = i + 1; u < limit; u++) {
    if (c->tok[u].cats & MODALS) {
      modal = u;
      break;
    }
    if (punct(c, u, ',')) {
      last_comma = u;
      if (first_comma == UINT32_MAX)
        first_comma = u;
    }
  }
  if (modal < c->se && last_comma != UINT32_MAX)
    return last_comma;
  return first_comma != UINT32_MAX ? first_comma : c->se;
}

static int is_future(int modality) {
  return modality == NKG_M_PLANNED || modality == NKG_M_CONDITIONAL;
}

/* The kind (nkg_txw_kind) of the entry of the word of token t as
 * nkg_timex_read reads it (its first 63 bytes, without a final dot); its
 * hash into *hash. */
static inline int tx_view(ev_ctx *c, uint32_t t, uint64_t *hash) {
  ev_tok *w = &c->tok[t];
  if (!w->tx_known) {
    size_t n = w->flen > 63 ? 63 : w->flen;
    if (n > 1 && w->fold[n - 1] == '.')
      n--;
    w->tx_hash = ev_hash_fast(w->fold, n);
    const ev_entry *e = ev_find(&c->el->timex, w->fold, n, w->tx_hash);
    w->tx_kind = e && (e->flags & TX_ENTRY) ? (uint8_t)e->bits : NKG_TXW_NONE;
    w->tx_known = 1;
  }
  *hash = w->tx_hash;
  return w->tx_kind;
}

/* Is there a word of this kind among tokens [from, to] of the sentence? */
static int tx_kind_within(ev_ctx *c, uint32_t from, uint32_t to, int kind) {
  uint64_t h;
  for (uint32_t u = from; u <= to && u < c->se; u++)
    if ((flags(c, u) & NKG_TF_WORD) && tx_view(c, u, &h) == kind)
      return 1;
  return 0;
}

/* May nkg_timex_read find an expression at t? Its ways, in short: a phrase
 * of two words or more (tx_pairs), a word with an entry of its own, a count
 * before "... ago", a number before a month ("25 March") or "ago", or a
 * year after "in", "since" or "until". */
static int timex_may_start(ev_ctx *c, uint32_t t) {
  uint32_t f = flags(c, t);
  if (!(f & NKG_TF_WORD))
    return 0;
  uint64_t first, second;
  int kind = tx_view(c, t, &first);
  if (t + 1 < c->se && (flags(c, t + 1) & NKG_TF_WORD)) {
    tx_view(c, t + 1, &second);
    size_t b = tx_pair_bit(first, second);
    if ((c->el->tx_pairs[b / 64] >> (b % 64)) & 1)
      return 1;
  }
  if (!(f & NKG_TF_DIGIT)) {
    if (kind == NKG_TXW_NONE)
      return 0;
    if (kind != NKG_TXW_COUNT)
      return 1;
    return tx_kind_within(c, t + 1, t + 4, NKG_TXW_AGO);
  }
  if (kind != NKG_TXW_NONE)
    return 1;
  return tx_kind_within(c, t + 1, t + 4, NKG_TXW_AGO) ||
         tx_kind_within(c, t + 1, t + 2, NKG_TXW_MONTH) ||
         (t > 0 && (nkg_tok_is(c->doc, t - 1, "in") ||
                    nkg_tok_is(c->doc, t - 1, "since") ||
                    nkg_tok_is(c->doc, t - 1, "until")));
}

static void read_sentence(ev_ctx *c, size_t s) {
  c->sb = c->doc->sents[s].tb;
  c->se = c->doc->sents[s].te;
  nkg_timex tx[8];
  size_t ntx = 0;
  for (uint32_t t = c->sb; t < c->se && ntx < 8; t++) {
    if (!c->tok[t].txstart || !timex_may_start(c, t))
      continue;
    uint32_t len = nkg_timex_read(c->doc, c->lex, t, c->se, &tx[ntx]);
    if (len) {
      ntx++;
      t += len - 1;
    }
  }
  for (size_t x = 0; x < ntx; x++)
    for (uint32_t u = tx[x].tb; u < tx[x].te; u++)
      c->tok[u].time = 1;
  find_triggers(c);
  mark_verbs(c);
  size_t first = c->doc->nevents;
  c->sent_known = 0;
  for (uint32_t t = c->sb; t < c->se && !c->rc; t++) {
    if (!c->tok[t].trigger)
      continue;
    if (c->tok[t].pos == POS_VERB)
      verb_event(c, t);
    else
      noun_event(c, t);
    if (!c->rc)
      check_sense(c, c->doc->nevents - 1, t);
    t += c->tok[t].trig_len - 1;
  }
  if (c->rc || c->doc->nevents == first)
    return;
  nkg_event *evs = c->doc->events;
  size_t last = c->doc->nevents;
  /* "reportedly", "allegedly" */
  int reported = 0;
  for (uint32_t u = c->sb; u < c->se; u++)
    reported |= has(c, u, C_REPORTED);
  for (size_t i = first; reported && i < last; i++)
    if (evs[i].modality == NKG_M_ASSERTED)
      evs[i].modality = NKG_M_REPORTED;
  /* conditions (events are in text order: lo follows the "if") */
  size_t lo = first;
  for (uint32_t u = c->sb; u < c->se; u++) {
    if (!has(c, u, C_IF))
      continue;
    uint32_t end = if_clause_end(c, u);
    int32_t cond = -1;
    while (lo < last && evs[lo].ttb + WINDOW < u)
      lo++;
    for (size_t i = lo; i < last && evs[i].ttb < end; i++)
      if (evs[i].ttb > u) {
        c->meta[i].in_if = 1;
        evs[i].modality = NKG_M_HYPOTHETICAL;
        if (cond < 0)
          cond = (int32_t)i;
      }
    /* the events the condition bears on: planned or imagined ones of the
     * same quotation ("will withdraw ... if"); what is stated as done
     * ("has suspended sales ... if it renews them") stays done */
    for (size_t i = lo; cond >= 0 && i < last && evs[i].ttb < end + WINDOW; i++)
      if (!c->meta[i].in_if && evs[i].condition < 0 &&
          c->tok[evs[i].ttb].quote == c->tok[u].quote &&
          evs[i].modality != NKG_M_ASSERTED &&
          evs[i].modality != NKG_M_REPORTED) {
        evs[i].modality = NKG_M_CONDITIONAL;
        evs[i].condition = cond;
      }
    u = end > u ? end - 1 : u;
  }
  /* time: each expression goes to the nearest trigger of its clause */
  for (size_t x = 0; x < ntx; x++) {
    size_t best = SIZE_MAX;
    uint32_t bestd = UINT32_MAX;
    for (size_t i = first; i < last; i++) {
      uint32_t a = evs[i].ttb, d;
      if (evs[i].time_text)
        continue;
      /* a time mostly follows its verb: "met X on Tuesday to discuss" */
      d = a < tx[x].tb ? tx[x].tb - a : (a - tx[x].te) * 3 + 3;
      if (d > 25 || d >= bestd)
        continue;
      /* not across a clause opener or a quotation mark */
      uint32_t from = a < tx[x].tb ? a : tx[x].te;
      uint32_t to = a < tx[x].tb ? tx[x].tb : a;
      int blocked = 0;
      uint32_t slen;
      for (uint32_t u = from + 1; u < to && !blocked; u++)
        blocked = (flags(c, u) & NKG_TF_QUOTE) || punct(c, u, ';') ||
                  (opener(c, u) && u != from + 1) || speech_at(c, u) ||
                  (c->tok[u].verb && !(c->tok[u].cats & (B(C_AUX) | MODALS)) &&
                   !support_at(c, u, &slen));
      if (!blocked) {
        bestd = d;
        best = i;
      }
    }
    if (best == SIZE_MAX || bestd > 25)
      continue;
    char *txt = nkg_span_text(c->doc, tx[x].tb, tx[x].te);
    if (!txt) {
      c->rc = NKG_ERR_NOMEM;
      return;
    }
    evs[best].time_text = txt;
    nkg_timex_date(&tx[x], c->doc->date, is_future(evs[best].modality),
                   evs[best].date);
  }
}

/* ---- the document
 * -------------------------------------------------------------- */

static int actor(int role) {
  return role != NKG_R_PLACE && role != NKG_R_ORIGIN &&
         role != NKG_R_DESTINATION;
}

/* "X plans to meet Y, after an invitation was extended to X": Y invited X.
 * The role of an event left empty is filled by the one other participant
 * of a related event (event_roles.tsv "@Class") in the same sentence that
 * shares a participant with it. */
static void counterparts(ev_ctx *c) {
  nkg_doc *doc = c->doc;
  /* the events of a sentence are consecutive; look at near ones only */
  for (size_t i = 0; i < doc->nevents && !c->rc; i++) {
    size_t from = i > 16 ? i - 16 : 0;
    for (size_t j = from; j < doc->nevents && j <= i + 16; j++) {
      nkg_event *a = &doc->events[i], *b = &doc->events[j];
      if (i == j || c->meta[i].sent != c->meta[j].sent || c->meta[j].dropped)
        continue;
      char slot[80]; /* "@Class", cut to 79 bytes */
      size_t sl = strlen(b->trigger->cls);
      if (sl > sizeof slot - 2)
        sl = sizeof slot - 2;
      slot[0] = '@';
      memcpy(slot + 1, b->trigger->cls, sl);
      slot[sl + 1] = '\0';
      int role = role_for(c, a->trigger, slot, 0);
      if (role == ROLE_NONE)
        continue;
      int filled = 0, shared = 0;
      for (size_t x = 0; x < a->nargs; x++)
        filled |= a->args[x].role == role;
      int32_t other = -1, others = 0;
      for (size_t y = 0; y < b->nargs; y++) {
        if (!actor(b->args[y].role))
          continue;
        int in_a = 0;
        for (size_t x = 0; x < a->nargs; x++)
          in_a |= a->args[x].entity == b->args[y].entity;
        if (in_a) {
          shared = 1;
        } else if (b->args[y].entity != other) {
          other = b->args[y].entity;
          others++;
        }
      }
      if (!filled && shared && others == 1)
        add_arg(c, a, other, role);
    }
  }
}

static int has_arg(const nkg_event *e, int32_t entity, int role) {
  for (size_t i = 0; i < e->nargs; i++)
    if (e->args[i].entity == entity && (role < 0 || e->args[i].role == role))
      return 1;
  return 0;
}

static int modality_merges(int a, int b) {
  int fa = a == NKG_M_ASSERTED || a == NKG_M_PLANNED || a == NKG_M_REPORTED;
  int fb = b == NKG_M_ASSERTED || b == NKG_M_PLANNED || b == NKG_M_REPORTED;
  return a == b || (fa && fb);
}

/* Do two events of one article report one happening? Same class and
 * polarity, agreeing modality and date, a shared participant, and no role
 * that both fill with different entities. */
static int same_happening(const nkg_event *a, const nkg_event *b) {
  if (strcmp(a->trigger->cls, b->trigger->cls) || a->negated != b->negated ||
      !modality_merges(a->modality, b->modality))
    return 0;
  if (a->date[0] && b->date[0] && strcmp(a->date, b->date))
    return 0;
  if (a->condition >= 0 || b->condition >= 0)
    return 0;
  int shared = 0;
  for (size_t i = 0; i < b->nargs; i++)
    if (actor(b->args[i].role) && has_arg(a, b->args[i].entity, -1))
      shared = 1;
  if (!shared)
    return 0;
  static const int exclusive[] = {NKG_R_AGENT, NKG_R_RECIPIENT, NKG_R_WINNER};
  for (size_t r = 0; r < sizeof exclusive / sizeof *exclusive; r++) {
    int ra = 0, rb = 0, common = 0;
    for (size_t i = 0; i < a->nargs; i++)
      ra |= a->args[i].role == exclusive[r];
    for (size_t i = 0; i < b->nargs; i++)
      if (b->args[i].role == exclusive[r]) {
        rb = 1;
        common |= has_arg(a, b->args[i].entity, exclusive[r]);
      }
    if (ra && rb && !common)
      return 0;
  }
  return 1;
}

/* The latest events of one class with one participant: the candidates a
 * later mention of the same happening is merged into. */
#define MERGE_CANDIDATES 8
typedef struct ev_cands {
  size_t idx[MERGE_CANDIDATES];
  size_t n;
} ev_cands;

static int index_event(nkg_map *by, const nkg_event *e, size_t i) {
  for (size_t x = 0; x < e->nargs; x++) {
    if (!actor(e->args[x].role))
      continue;
    char key[160];
    size_t n = class_entity_key(key, sizeof key, e->trigger->cls,
                                (int)e->args[x].entity);
    if (!n)
      continue;
    ev_cands *l = nkg_map_get(by, key, (size_t)n);
    if (!l) {
      l = calloc(1, sizeof *l);
      if (!l || nkg_map_put(by, key, (size_t)n, l, NULL)) {
        free(l);
        return NKG_ERR_NOMEM;
      }
    }
    int known = 0;
    for (size_t k = 0; k < l->n && k < MERGE_CANDIDATES; k++)
      known |= l->idx[k] == i;
    if (!known)
      l->idx[l->n++ % MERGE_CANDIDATES] = i;
  }
  return 0;
}

/* Mentions of one happening in one article become one event: each event is
 * compared with the latest few of its class that share a participant (so
 * the work stays linear), and merged into the earliest that matches. */
static void merge_within(ev_ctx *c) {
  nkg_doc *doc = c->doc;
  nkg_map *by = nkg_map_new();
  int32_t *into = malloc((doc->nevents ? doc->nevents : 1) * sizeof *into);
  if (!by || !into) {
    c->rc = NKG_ERR_NOMEM;
    goto cleanup;
  }
  for (size_t j = 0; j < doc->nevents && !c->rc; j++) {
    into[j] = -1;
    nkg_event *b = &doc->events[j];
    if (c->meta[j].dropped)
      continue; /* another sense of the word (check_sense) */
    size_t best = SIZE_MAX;
    if (!c->meta[j].another && !c->meta[j].in_if) {
      for (size_t x = 0; x < b->nargs; x++) {
        char key[160];
        size_t n = class_entity_key(key, sizeof key, b->trigger->cls,
                                    (int)b->args[x].entity);
        const ev_cands *l = n ? nkg_map_get(by, key, n) : NULL;
        for (size_t k = 0; l && k < l->n && k < MERGE_CANDIDATES; k++) {
          size_t i = l->idx[k];
          if (i < best && !c->meta[i].dropped && !c->meta[i].in_if &&
              same_happening(&doc->events[i], b))
            best = i;
        }
      }
    }
    if (best == SIZE_MAX) {
      if (!c->meta[j].in_if && index_event(by, b, j))
        c->rc = NKG_ERR_NOMEM;
      continue;
    }
    nkg_event *a = &doc->events[best];
    for (size_t x = 0; x < b->nargs; x++)
      add_arg(c, a, b->args[x].entity, b->args[x].role);
    if (!a->time_text && b->time_text) {
      a->time_text = b->time_text;
      b->time_text = NULL;
      memcpy(a->date, b->date, sizeof a->date);
    } else if (!a->date[0] && b->date[0]) {
      memcpy(a->date, b->date, sizeof a->date);
    }
    /* stated as done once, it is done */
    if (b->modality == NKG_M_ASSERTED)
      a->modality = NKG_M_ASSERTED;
    c->meta[j].dropped = 1;
    into[j] = (int32_t)best;
    if (index_event(by, a, best))
      c->rc = NKG_ERR_NOMEM;
  }
  /* a condition merged away points to the event it became */
  for (size_t k = 0; !c->rc && k < doc->nevents; k++) {
    int32_t cnd = doc->events[k].condition;
    if (cnd >= 0 && into[cnd] >= 0)
      doc->events[k].condition = into[cnd];
  }
cleanup:
  nkg_map_free(by, free);
  free(into);
}

/* "Chelsea's victory", "a clash with Wasps", "Paramount released": a
 * participant of a kind the class excludes (event_roles.tsv "exclude")
 * shows the word is used in another sense. */
static int excluded(const ev_ctx *c, const nkg_event *e) {
  for (size_t i = 0; i < e->nargs; i++) {
    const nkg_dentity *d = &c->doc->entities[e->args[i].entity];
    if (d->kind == NKG_K_NONE)
      continue;
    char key[160];
    size_t n =
        join3_tab(key, e->trigger->cls, "exclude", nkg_kind_name(d->kind));
    if (nkg_map_get(c->el->roles, key, n))
      return 1;
  }
  return 0;
}

/* Drops merged events and generic ones (no participant, place or time),
 * keeping the condition indices right. */
static void compact(ev_ctx *c) {
  nkg_doc *doc = c->doc;
  size_t n = doc->nevents;
  int32_t *map = malloc((n ? n : 1) * sizeof *map);
  if (!map) {
    c->rc = NKG_ERR_NOMEM;
    return;
  }
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    nkg_event *e = &doc->events[i];
    int keep =
        !c->meta[i].dropped && (e->nargs || e->time_text) && !excluded(c, e);
    if (!keep) {
      free(e->args);
      free(e->time_text);
      free(e->label);
      free(e->key);
      map[i] = -1;
      continue;
    }
    map[i] = (int32_t)w;
    doc->events[w++] = *e;
  }
  doc->nevents = w;
  for (size_t i = 0; i < w; i++)
    if (doc->events[i].condition >= 0)
      doc->events[i].condition = map[doc->events[i].condition];
  free(map);
}

/* An event with no actor ("a meeting in Cape Town on Tuesday") cannot be
 * told apart from another one of its class in another article: its key
 * names its article and its place there, so that it stays its own node. */
static int key_actorless(ev_ctx *c) {
  nkg_doc *doc = c->doc;
  for (size_t i = 0; i < doc->nevents; i++) {
    nkg_event *e = &doc->events[i];
    int actors = 0;
    for (size_t a = 0; a < e->nargs; a++)
      actors += actor(e->args[a].role);
    if (actors || e->key)
      continue;
    char *base = nkg_event_key(doc, e);
    nkg_buf key = {0};
    if (!base || nkg_buf_addf(&key, "%s|in=%s@%u", base, doc->id ? doc->id : "",
                              (unsigned)doc->toks[e->ttb].cb)) {
      free(base);
      nkg_buf_free(&key);
      return NKG_ERR_NOMEM;
    }
    free(base);
    e->key = nkg_buf_take(&key);
  }
  return 0;
}

int nkg_events_find(nkg_doc *doc, const nkg_lexicon *lex) {
  if (!lex->events || !doc->ntoks)
    return 0;
  ev_ctx c;
  memset(&c, 0, sizeof c);
  c.doc = doc;
  c.lex = lex;
  c.el = lex->events;
  c.rc = prepare_tokens(&c);
  for (size_t s = 0; s < doc->nsents && !c.rc; s++)
    read_sentence(&c, s);
  if (!c.rc)
    counterparts(&c);
  if (!c.rc)
    merge_within(&c);
  if (!c.rc)
    compact(&c);
  if (!c.rc)
    c.rc = key_actorless(&c);
  if (c.stemmer)
    stemmer_give(c.el, c.stemmer);
  if (c.chunk)
    chunk_give(c.el->cache, c.chunk);
  for (size_t i = 0; i < c.nowned; i++)
    free(c.owned[i]);
  free(c.owned);
  free(c.folds);
  free(c.tok);
  free(c.meta);
  return c.rc;
}
