/* Small containers shared by every stage: a growable byte buffer, a
 * string-keyed hash map, dynamic arrays, UTF-8 helpers. */
#ifndef NKG_UTIL_H
#define NKG_UTIL_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A growable, always NUL-terminated byte buffer. Zero-initialize to start. */
typedef struct nkg_buf {
  char *s;
  size_t len, cap;
} nkg_buf;

int nkg_buf_add(nkg_buf *buf, const char *s, size_t n);
int nkg_buf_adds(nkg_buf *buf, const char *s);
int nkg_buf_addc(nkg_buf *buf, char c);
int nkg_buf_addf(nkg_buf *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void nkg_buf_clear(nkg_buf *buf);
void nkg_buf_free(nkg_buf *buf);
/* Hands the string to the caller (who frees it) and resets the buffer. */
char *nkg_buf_take(nkg_buf *buf);

/* Grows `*arr` (element size `size`) so that it holds at least `need`
 * elements. Returns 0 or NKG_ERR_NOMEM. */
int nkg_grow(void **arr, size_t *cap, size_t need, size_t size);
#define NKG_PUSH(arr, n, cap, item)                                            \
  (nkg_grow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr))                   \
       ? -1                                                                    \
       : ((arr)[(n)++] = (item), 0))

char *nkg_strndup(const char *s, size_t n);
char *nkg_strdup(const char *s);

/* The whole file at path in *text (caller frees; a NUL after its *len
 * bytes), in one read: the data files are small, and reading them a line
 * at a time through stdio cost more than parsing them. Returns 0, or the
 * errno of opening the file (ENOMEM when out of memory). */
int nkg_read_file(const char *path, char **text, size_t *len);
/* The line at *at (before end) NUL-terminated in place without its line
 * break ("\n", "\r\n"), *at moved past it; NULL at the end. */
char *nkg_next_line(char **at, char *end);

/* Many small allocations that live and die together (the lexicon's names,
 * keys and records): carved from large blocks, all freed at once.
 * Zero-initialize to start. */
typedef struct nkg_arena {
  struct nkg_arena_block *blocks;
} nkg_arena;
/* n bytes aligned for any object (NULL when out of memory); _zero: cleared */
void *nkg_arena_alloc(nkg_arena *arena, size_t n);
void *nkg_arena_zero(nkg_arena *arena, size_t n);
char *nkg_arena_strndup(nkg_arena *arena, const char *s, size_t n);
char *nkg_arena_strdup(nkg_arena *arena, const char *s);
/* The blocks of `from` become `arena`'s, freed with it (after its own:
 * what `arena` allocates next comes from its own first block). */
void nkg_arena_adopt(nkg_arena *arena, nkg_arena *from);
void nkg_arena_free(nkg_arena *arena);

/* String-keyed hash map; keys are copied, values are borrowed pointers. */
typedef struct nkg_map nkg_map;
nkg_map *nkg_map_new(void);
/* Frees the map; calls free_value on every value if it is not NULL. */
void nkg_map_free(nkg_map *map, void (*free_value)(void *));
/* A map with room for n keys: a map filled to a size known beforehand is
 * not rehashed on the way (the same size as it would have grown to). */
nkg_map *nkg_map_new_for(size_t n);
/* Room for n more keys without a rehash on the way (when their number is
 * known, or a bound of it), and back to the size the keys need when the
 * bound was high: a map filled so has the size nkg_map_put grows it to.
 * Return 0 or NKG_ERR_NOMEM. */
int nkg_map_reserve(nkg_map *map, size_t n);
int nkg_map_fit(nkg_map *map);
/* The value for key, or NULL. */
void *nkg_map_get(const nkg_map *map, const char *key, size_t keylen);
/* The value slot of key, the key added with a NULL value if new: one probe
 * where a look-up and a put would take two. NULL when out of memory; the
 * slot is valid until the map gets another key. */
void **nkg_map_slot(nkg_map *map, const char *key, size_t keylen);
/* nkg_map_slot for a key nkg_map_next (or _at) handed out from a map which
 * outlives this one and removes none of its keys: a new key shares its
 * bytes (and its length is known), it is not copied. */
void **nkg_map_slot_shared(nkg_map *map, const char *key);
/* Sets key to value (replacing any old value, which is returned through
 * *old if old is not NULL). Returns 0 or NKG_ERR_NOMEM. */
int nkg_map_put(nkg_map *map, const char *key, size_t keylen, void *value,
                void **old);
/* Removes key (its value returned through *old if old is not NULL). The
 * keys of the map that nkg_map_at handed out may move. Returns 1 if it
 * was there, else 0. */
int nkg_map_remove(nkg_map *map, const char *key, size_t keylen, void **old);
size_t nkg_map_size(const nkg_map *map);
/* Iteration: i from 0 while nkg_map_at returns non-zero. Order is the hash
 * order, not stable across builds; sort what you write. */
int nkg_map_at(const nkg_map *map, size_t i, const char **key, void **value);
size_t nkg_map_slots(const nkg_map *map);
/* The same iteration without a call per empty slot (most of them), with
 * the key's length:
 * for (size_t i = 0; nkg_map_next(map, &i, &key, &len, &value); i++) */
int nkg_map_next(const nkg_map *map, size_t *i, const char **key,
                 size_t *keylen, void **value);

/* The processors this process may run on, at least 1: those of its
 * affinity (taskset, a container's cpuset) where the system tells them,
 * else those online. */
int nkg_cpus_usable(void);

/* pthread_create (0 or its error), the thread started on another
 * processor than the calling thread's where that one may run on several:
 * else the system may start it on this one, where it runs first, then the
 * two share it until one is moved, milliseconds later. Once started, the
 * thread may run where the calling thread may. */
int nkg_thread_create_apart(pthread_t *thread, void *(*fn)(void *), void *arg);
/* The same, started on another processor than `cpu` (-1: anywhere). */
int nkg_thread_create_avoiding(pthread_t *thread, void *(*fn)(void *),
                               void *arg, int cpu);

/* The capacity of an open-addressing table of n keys kept at most half
 * full (a miss probes on to the next empty slot): a power of two, at least
 * `least` (a power of two). */
static inline size_t nkg_half_full_cap(size_t n, size_t least) {
  size_t cap = least;
  while (cap < 2 * n)
    cap *= 2;
  return cap;
}

/* memcmp(a, b, n) == 0, inline and by words: the look-ups, which nearly
 * always compare a short key with its equal (the hashes matched), would
 * otherwise save and restore registers around a call. The last 0 to 7
 * bytes go without a loop, whose exit was a mispredicted branch: 8 or more
 * end with an overlapping word, 4 to 7 take two loads each, fewer are the
 * first, middle and last byte, which are all of them. */
static inline int nkg_same_bytes(const char *a, const char *b, size_t n) {
  if (n >= 8) {
    uint64_t x, y;
    for (; n > 8; a += 8, b += 8, n -= 8) {
      memcpy(&x, a, 8);
      memcpy(&y, b, 8);
      if (x != y)
        return 0;
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return x == y;
  }
  if (n >= 4) {
    uint32_t x0, y0, x1, y1;
    memcpy(&x0, a, 4);
    memcpy(&y0, b, 4);
    memcpy(&x1, a + n - 4, 4);
    memcpy(&y1, b + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  return !n ||
         ((a[0] ^ b[0]) | (a[n / 2] ^ b[n / 2]) | (a[n - 1] ^ b[n - 1])) == 0;
}

/* The hash of the maps and tables of words: eight bytes a step, with a
 * final mix so that the low bits a table uses depend on every byte (nkg_hash,
 * which names things in IRIs, is another). Inline: the look-ups of the
 * stages hash millions of short keys. */
static inline uint64_t nkg_hash_bytes(const void *data, size_t n) {
  const unsigned char *p = data;
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t v;
    memcpy(&v, p, 8);
    h = (h ^ v) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
  }
  /* the last 0 to 7 bytes in at most two loads (they may overlap) */
  uint64_t v = 0;
  if (n >= 4) {
    uint32_t a, b;
    memcpy(&a, p, 4);
    memcpy(&b, p + n - 4, 4);
    v = (uint64_t)a << 32 | b;
  } else if (n) {
    v = (uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 | p[n - 1];
  }
  h = (h ^ v) * 0x94D049BB133111EBULL;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 32;
  return h;
}

/* The hash of the maps (not stable across builds). */
uint64_t nkg_word_hash(const void *data, size_t n);

/* 64-bit FNV-1a. */
uint64_t nkg_hash(const void *data, size_t n);

/* Decodes one UTF-8 code point at s[0..n). Returns its length (1-4) and
 * stores the code point, or returns 0 for an invalid sequence. */
int nkg_utf8_decode(const unsigned char *s, size_t n, int32_t *cp);
/* Encodes cp; returns the number of bytes written (at most 4). */
int nkg_utf8_encode(int32_t cp, char *out);

/* Each ASCII byte as nkg_fold folds it when not white space (A-Z lower
 * case, '`' to '\''); 0 for the bytes 128 to 255 and for NUL. */
extern const char nkg_ascii_fold[256];

/* Folds s[0..n) for matching: NFKC, lower case, accents stripped, curly
 * apostrophes and quotes to straight ones, dashes to '-', white space runs
 * to one space. Returns a new string (caller frees) or NULL. */
char *nkg_fold(const char *s, size_t n);
/* nkg_fold into buf (cap bytes, NUL-terminated, cut at cap - 1 bytes);
 * returns buf ("" if folding failed). No allocation for ASCII text. */
const char *nkg_fold_to(const char *s, size_t n, char *buf, size_t cap);
/* Appends nkg_fold(s, n) to buf. Returns 0 or NKG_ERR_NOMEM. */
int nkg_fold_append(nkg_buf *buf, const char *s, size_t n);

/* Copies s[0..n) replacing control characters (which raptor 2.0.15 writes
 * raw) and invalid bytes with spaces; folds CR LF runs. Caller frees. */
char *nkg_clean_literal(const char *s, size_t n);
/* The same cleaning without a copy when nothing changes (most literals):
 * returns s itself, or the cleaned text in scratch (not NUL-terminated);
 * its length in *len. NULL if out of memory. */
const char *nkg_clean_literal_in(const char *s, size_t n, nkg_buf *scratch,
                                 size_t *len);

/* Writes v in decimal at w (up to 20 bytes, no NUL); returns the length.
 * Inline, two digits a step: every span, offset and count in the output
 * goes through it. */
static inline size_t nkg_put_decimal(char *w, unsigned long long v) {
  static const char pairs[] = "00010203040506070809101112131415161718192021222"
                              "32425262728293031323334353637383940414243444546"
                              "47484950515253545556575859606162636465666768697"
                              "07172737475767778798081828384858687888990919293"
                              "949596979899";
  char tmp[20];
  size_t k = sizeof tmp;
  while (v >= 100) {
    unsigned r = (unsigned)(v % 100);
    v /= 100;
    tmp[--k] = pairs[2 * r + 1];
    tmp[--k] = pairs[2 * r];
  }
  if (v >= 10) {
    tmp[--k] = pairs[2 * v + 1];
    tmp[--k] = pairs[2 * v];
  } else {
    tmp[--k] = (char)('0' + v);
  }
  memcpy(w, tmp + k, sizeof tmp - k);
  return sizeof tmp - k;
}

/* Lower-case ASCII slug for IRIs: letters and digits kept (accents
 * stripped), everything else folded to single '-'. Caller frees. */
char *nkg_slug(const char *s, size_t n);
/* The slug of a text nkg_fold made, into out (room for strlen(folded) + 1
 * bytes; out may be folded itself); returns its length. */
size_t nkg_slug_fold(char *out, const char *folded);

/* Number of code points in s[0..n) (s is valid UTF-8). */
size_t nkg_utf8_count(const char *s, size_t n);

int nkg_strcasecmp_ascii(const char *a, const char *b);

#endif
