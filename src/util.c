#define _GNU_SOURCE /* sched_getaffinity */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "newskg.h"

int nkg_cpus_usable(void) {
#if defined(__linux__)
  cpu_set_t set;
  if (!sched_getaffinity(0, sizeof set, &set) && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
#endif
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > INT_MAX ? INT_MAX : (int)n;
}

#if defined(__linux__)
/* A thread started apart: its function, and the processors it may run on
 * once started. */
struct apart {
  void *(*fn)(void *);
  void *arg;
  cpu_set_t cpus;
};

static void *apart_start(void *p) {
  struct apart a = *(struct apart *)p;
  free(p);
  (void)pthread_setaffinity_np(pthread_self(), sizeof a.cpus, &a.cpus);
  return a.fn(a.arg);
}
#endif

int nkg_thread_create_apart(pthread_t *thread, void *(*fn)(void *), void *arg) {
#if defined(__linux__)
  return nkg_thread_create_avoiding(thread, fn, arg, sched_getcpu());
#else
  return nkg_thread_create_avoiding(thread, fn, arg, -1);
#endif
}

int nkg_thread_create_avoiding(pthread_t *thread, void *(*fn)(void *),
                               void *arg, int cpu) {
#if defined(__linux__)
  struct apart *a = malloc(sizeof *a);
  pthread_attr_t attr;
  if (a && cpu >= 0 && cpu < CPU_SETSIZE &&
      !pthread_getaffinity_np(pthread_self(), sizeof a->cpus, &a->cpus) &&
      CPU_ISSET(cpu, &a->cpus) && CPU_COUNT(&a->cpus) > 1 &&
      !pthread_attr_init(&attr)) {
    cpu_set_t others = a->cpus;
    CPU_CLR(cpu, &others);
    a->fn = fn;
    a->arg = arg;
    int rc = pthread_attr_setaffinity_np(&attr, sizeof others, &others);
    if (!rc)
      rc = pthread_create(thread, &attr, apart_start, a);
    pthread_attr_destroy(&attr);
    if (!rc)
      return 0;
  }
  free(a);
#else
  (void)cpu;
#endif
  return pthread_create(thread, NULL, fn, arg);
}

int nkg_grow(void **arr, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return 0;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need)
    ncap *= 2;
  void *p = realloc(*arr, ncap * size);
  if (!p)
    return NKG_ERR_NOMEM;
  *arr = p;
  *cap = ncap;
  return 0;
}

int nkg_buf_add(nkg_buf *buf, const char *s, size_t n) {
  if (buf->len + n < buf->cap) { /* room: no call to grow */
    if (n)
      memcpy(buf->s + buf->len, s, n);
    buf->len += n;
    buf->s[buf->len] = '\0';
    return 0;
  }
  /* 64 bytes at first: most buffers are names, keys and IRIs built in
   * small pieces, which would otherwise grow three times on the way */
  size_t need = buf->len + n + 1;
  if (nkg_grow((void **)&buf->s, &buf->cap, need < 64 ? 64 : need, 1))
    return NKG_ERR_NOMEM;
  if (n)
    memcpy(buf->s + buf->len, s, n);
  buf->len += n;
  buf->s[buf->len] = '\0';
  return 0;
}

int nkg_buf_adds(nkg_buf *buf, const char *s) {
  return nkg_buf_add(buf, s, strlen(s));
}

int nkg_buf_addc(nkg_buf *buf, char c) {
  if (buf->len + 1 < buf->cap) {
    buf->s[buf->len++] = c;
    buf->s[buf->len] = '\0';
    return 0;
  }
  return nkg_buf_add(buf, &c, 1);
}

int nkg_buf_addf(nkg_buf *buf, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return NKG_ERR_ARG;
  if ((size_t)n < sizeof small)
    return nkg_buf_add(buf, small, (size_t)n);
  if (nkg_grow((void **)&buf->s, &buf->cap, buf->len + (size_t)n + 1, 1))
    return NKG_ERR_NOMEM;
  va_start(ap, fmt);
  vsnprintf(buf->s + buf->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  buf->len += (size_t)n;
  return 0;
}

void nkg_buf_clear(nkg_buf *buf) {
  buf->len = 0;
  if (buf->s)
    buf->s[0] = '\0';
}

void nkg_buf_free(nkg_buf *buf) {
  free(buf->s);
  buf->s = NULL;
  buf->len = buf->cap = 0;
}

char *nkg_buf_take(nkg_buf *buf) {
  char *s = buf->s ? buf->s : nkg_strdup("");
  buf->s = NULL;
  buf->len = buf->cap = 0;
  return s;
}

char *nkg_strndup(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (!p)
    return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *nkg_strdup(const char *s) { return nkg_strndup(s, strlen(s)); }

int nkg_read_file(const char *path, char **text, size_t *len) {
  *text = NULL;
  *len = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno ? errno : EIO;
  /* room for the file, a NUL and the read that finds its end */
  struct stat st;
  size_t cap =
      (fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size : 4096) + 2;
  char *buf = malloc(cap);
  size_t n = 0;
  while (buf) {
    if (n + 1 >= cap) {
      char *more = realloc(buf, cap *= 2);
      if (!more) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = more;
    }
    ssize_t got = read(fd, buf + n, cap - 1 - n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) /* (a read error ends the text, as it ends getline) */
      break;
    n += (size_t)got;
  }
  close(fd);
  if (!buf)
    return ENOMEM;
  buf[n] = '\0';
  *text = buf;
  *len = n;
  return 0;
}

char *nkg_next_line(char **at, char *end) {
  char *line = *at, *nl;
  if (line >= end)
    return NULL;
  nl = memchr(line, '\n', (size_t)(end - line));
  size_t n = (size_t)((nl ? nl : end) - line);
  *at = nl ? nl + 1 : end;
  while (n > 0 && line[n - 1] == '\r')
    n--;
  line[n] = '\0';
  return line;
}

struct nkg_arena_block {
  struct nkg_arena_block *next;
  size_t used, cap;
  _Alignas(max_align_t) char bytes[];
};

/* 64 KiB blocks: the lexicon's records and strings take a few hundred KiB
 * in tens of thousands of pieces; a large piece gets a block of its own */
#define ARENA_BLOCK 65536

#define ARENA_ALIGN(n)                                                         \
  (((n) + _Alignof(max_align_t) - 1) & ~(_Alignof(max_align_t) - 1))

void *nkg_arena_alloc(nkg_arena *arena, size_t n) {
  n = ARENA_ALIGN(n);
  struct nkg_arena_block *b = arena->blocks;
  if (b) {
    size_t at = ARENA_ALIGN(b->used); /* (strings are packed unaligned) */
    if (at <= b->cap && b->cap - at >= n) {
      b->used = at + n;
      return b->bytes + at;
    }
  }
  size_t cap = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
  struct nkg_arena_block *nb = malloc(sizeof *nb + cap);
  if (!nb)
    return NULL;
  nb->used = n;
  nb->cap = cap;
  if (b && cap == n) { /* a piece of its own: keep filling the current */
    nb->next = b->next;
    b->next = nb;
  } else {
    nb->next = b;
    arena->blocks = nb;
  }
  return nb->bytes;
}

void *nkg_arena_zero(nkg_arena *arena, size_t n) {
  void *p = nkg_arena_alloc(arena, n);
  if (p)
    memset(p, 0, n);
  return p;
}

char *nkg_arena_strndup(nkg_arena *arena, const char *s, size_t n) {
  /* strings need no alignment: packed one after the other */
  struct nkg_arena_block *b = arena->blocks;
  char *p;
  if (b && b->cap - b->used >= n + 1) {
    p = b->bytes + b->used;
    b->used += n + 1;
  } else if (!(p = nkg_arena_alloc(arena, n + 1))) {
    return NULL;
  }
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *nkg_arena_strdup(nkg_arena *arena, const char *s) {
  return nkg_arena_strndup(arena, s, strlen(s));
}

void nkg_arena_adopt(nkg_arena *arena, nkg_arena *from) {
  struct nkg_arena_block **tail = &arena->blocks;
  while (*tail)
    tail = &(*tail)->next;
  *tail = from->blocks;
  from->blocks = NULL;
}

void nkg_arena_free(nkg_arena *arena) {
  for (struct nkg_arena_block *b = arena->blocks, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  arena->blocks = NULL;
}

uint64_t nkg_hash(const void *data, size_t n) {
  const unsigned char *p = data;
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

/* The maps' own hash (nkg_hash, which names things in IRIs, stays as it
 * is): eight bytes a step instead of one, with a final mix so that the low
 * bits the table uses depend on every byte. Lookups are a sixth of the
 * instructions of a build; inlined into them, since a call each to hash
 * and to probe cost a quarter of a look-up. */
static inline __attribute__((always_inline)) uint64_t map_hash(const void *data,
                                                               size_t n) {
  return nkg_hash_bytes(data, n);
}

uint64_t nkg_word_hash(const void *data, size_t n) { return map_hash(data, n); }

/* Open addressing with linear probing; power-of-two capacity.
 *
 * A slot is 16 bytes, four to a cache line: the big lexicon maps are
 * probed for nearly every token and the probes were mostly cache misses.
 * The key pointer carries a 16-bit tag of the hash in its top bits (user
 * space addresses of x86-64 have 47 bits), so a probe compares the key's
 * bytes only on a tag match. The key's length and the low half of its
 * hash, which resizing and removal need, sit in front of its bytes. */
struct map_slot {
  uintptr_t key; /* tagged key pointer, 0 for an empty slot */
  void *value;
};

#if UINTPTR_MAX == UINT64_MAX && defined(__x86_64__)
enum { TAG_SHIFT = 48 };
#define MAP_TAG(h) ((uintptr_t)((h) >> TAG_SHIFT) << TAG_SHIFT)
#define MAP_KEY_BITS (((uintptr_t)1 << TAG_SHIFT) - 1)
#else /* no spare pointer bits assumed: every probe compares the key */
#define MAP_TAG(h) ((uintptr_t)0 * (h))
#define MAP_KEY_BITS (~(uintptr_t)0)
#endif

/* In front of each key's bytes (which end with a NUL). */
struct key_head {
  uint32_t len;
  uint32_t hash; /* the low half of map_hash: the home slot */
};

static inline const char *slot_key(const struct map_slot *s) {
  return (const char *)(s->key & MAP_KEY_BITS);
}

static inline struct key_head slot_head(const struct map_slot *s) {
  struct key_head h;
  memcpy(&h, slot_key(s) - sizeof h, sizeof h);
  return h;
}

/* The keys live in blocks owned by the map, one allocation per block
 * instead of one per key (allocating and freeing keys was a tenth of the
 * instructions of a build). A removed key's bytes stay until the map is
 * freed. */
struct key_block {
  struct key_block *next;
  size_t used, cap;
  char bytes[];
};

struct nkg_map {
  struct map_slot *slots;
  size_t cap, count;
  struct key_block *keys;
  size_t live, dead; /* key bytes in use, and of removed keys */
  /* bit n (n < 63) set if a key of n bytes was ever put, bit 63 for longer
   * ones: most look-ups are of words and phrases that are not there, and a
   * length no key has answers without hashing */
  uint64_t lengths;
};

static inline uint64_t length_bit(size_t n) {
  return (uint64_t)1 << (n < 63 ? n : 63);
}

/* A copy of key[0..n) with its head in front and a NUL behind in the key
 * blocks at *keys, which serve a map of `count` keys. */
static char *key_copy(struct key_block **keys, size_t count, const char *key,
                      size_t n, uint64_t hash) {
  size_t need = sizeof(struct key_head) + n + 1;
  struct key_block *b = *keys;
  if (!b || b->cap - b->used < need) {
    /* blocks grow with the map; a long key gets a block of its own */
    size_t cap = count * 16 < 4096 ? 256 : 4096;
    if (cap < need)
      cap = need;
    b = malloc(sizeof *b + cap);
    if (!b)
      return NULL;
    b->used = 0;
    b->cap = cap;
    if (*keys && need > 256) {
      /* keep filling the current block: put this one behind it */
      b->next = (*keys)->next;
      (*keys)->next = b;
    } else {
      b->next = *keys;
      *keys = b;
    }
  }
  struct key_head head = {(uint32_t)n, (uint32_t)hash};
  char *p = b->bytes + b->used;
  memcpy(p, &head, sizeof head);
  p += sizeof head;
  memcpy(p, key, n);
  p[n] = '\0';
  b->used += need;
  return p;
}

static void free_blocks(struct key_block *b) {
  for (struct key_block *next; b; b = next) {
    next = b->next;
    free(b);
  }
}

/* After removals: once most key bytes are of removed keys, the live keys
 * move to new blocks (a map that is filled and emptied as it goes stays
 * small). */
static void compact_keys(nkg_map *map) {
  if (!map->count) {
    free_blocks(map->keys);
    map->keys = NULL;
    map->live = map->dead = 0;
    return;
  }
  if (map->dead < 4096 || map->dead < map->live)
    return;
  struct key_block *fresh = NULL;
  size_t moved = 0;
  char **copies = malloc(map->count * sizeof *copies);
  if (!copies)
    return;
  for (size_t i = 0; i < map->cap; i++) {
    struct map_slot *s = &map->slots[i];
    if (!s->key)
      continue;
    struct key_head head = slot_head(s);
    copies[moved] =
        key_copy(&fresh, map->count, slot_key(s), head.len, head.hash);
    if (!copies[moved]) {
      free(copies);
      free_blocks(fresh);
      return; /* keep the old blocks */
    }
    moved++;
  }
  moved = 0;
  for (size_t i = 0; i < map->cap; i++)
    if (map->slots[i].key)
      map->slots[i].key =
          (map->slots[i].key & ~MAP_KEY_BITS) | (uintptr_t)copies[moved++];
  free(copies);
  free_blocks(map->keys);
  map->keys = fresh;
  map->dead = 0;
}

/* n empty slots. An empty slot is one with no key, and the value is
 * written with the key: only the keys are cleared, half the bytes calloc
 * would clear. */
static struct map_slot *new_slots(size_t n) {
  struct map_slot *slots = malloc(n * sizeof *slots);
  if (slots)
    for (size_t i = 0; i < n; i++)
      slots[i].key = 0;
  return slots;
}

/* The capacity of a map of n keys: at most half full, as nkg_map_put
 * keeps it (the stages mostly look up words that are not there). */
static size_t cap_for(size_t n) { return nkg_half_full_cap(n, 16); }

nkg_map *nkg_map_new_for(size_t n) {
  nkg_map *m = calloc(1, sizeof *m);
  if (!m)
    return NULL;
  m->cap = cap_for(n);
  m->slots = new_slots(m->cap);
  if (!m->slots) {
    free(m);
    return NULL;
  }
  return m;
}

nkg_map *nkg_map_new(void) { return nkg_map_new_for(0); }

void nkg_map_free(nkg_map *map, void (*free_value)(void *)) {
  if (!map)
    return;
  if (free_value)
    for (size_t i = 0; i < map->cap; i++)
      if (map->slots[i].key)
        free_value(map->slots[i].value);
  free_blocks(map->keys);
  free(map->slots);
  free(map);
}

static inline __attribute__((always_inline)) struct map_slot *
map_find(const nkg_map *map, const char *key, size_t keylen, uint64_t h) {
  size_t mask = map->cap - 1;
  uintptr_t tag = MAP_TAG(h);
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    struct map_slot *s = &map->slots[i];
    if (!s->key)
      return s;
    if ((s->key & ~MAP_KEY_BITS) == tag) {
      const char *k = slot_key(s);
      uint32_t len;
      memcpy(&len, k - sizeof(struct key_head), sizeof len);
      if (len == keylen && nkg_same_bytes(k, key, keylen))
        return s;
    }
  }
}

void *nkg_map_get(const nkg_map *map, const char *key, size_t keylen) {
  if (!(map->lengths & length_bit(keylen)))
    return NULL;
  struct map_slot *s = map_find(map, key, keylen, map_hash(key, keylen));
  return s->key ? s->value : NULL;
}

static int map_rehash(nkg_map *map, size_t ncap) {
  struct map_slot *ns = new_slots(ncap);
  if (!ns)
    return NKG_ERR_NOMEM;
  for (size_t i = 0; i < map->cap; i++) {
    struct map_slot *s = &map->slots[i];
    if (!s->key)
      continue;
    size_t j = slot_head(s).hash & (ncap - 1);
    while (ns[j].key)
      j = (j + 1) & (ncap - 1);
    ns[j] = *s;
  }
  free(map->slots);
  map->slots = ns;
  map->cap = ncap;
  return 0;
}

static int map_resize(nkg_map *map) { return map_rehash(map, map->cap * 2); }

int nkg_map_reserve(nkg_map *map, size_t n) {
  size_t cap = cap_for(map->count + n);
  return cap > map->cap ? map_rehash(map, cap) : 0;
}

int nkg_map_fit(nkg_map *map) {
  size_t cap = cap_for(map->count);
  return cap < map->cap ? map_rehash(map, cap) : 0;
}

/* nkg_map_slot; shared: key is a key of another map, used as it is */
static void **map_slot(nkg_map *map, const char *key, size_t keylen,
                       int shared) {
  if (keylen > UINT32_MAX)
    return NULL;
  uint64_t h = map_hash(key, keylen);
  struct map_slot *s = map_find(map, key, keylen, h);
  if (s->key)
    return &s->value;
  if ((map->count + 1) * 2 > map->cap) { /* a new key: grown first */
    if (map_resize(map))
      return NULL;
    s = map_find(map, key, keylen, h);
  }
  const char *copy =
      shared ? key : key_copy(&map->keys, map->count, key, keylen, h);
  if (!copy)
    return NULL;
  s->key = MAP_TAG(h) | (uintptr_t)copy;
  s->value = NULL;
  map->count++;
  map->live += keylen + 1 + sizeof(struct key_head);
  map->lengths |= length_bit(keylen);
  return &s->value;
}

void **nkg_map_slot(nkg_map *map, const char *key, size_t keylen) {
  return map_slot(map, key, keylen, 0);
}

int nkg_map_put(nkg_map *map, const char *key, size_t keylen, void *value,
                void **old) {
  void **slot = map_slot(map, key, keylen, 0);
  if (!slot)
    return NKG_ERR_NOMEM;
  if (old)
    *old = *slot; /* (NULL for a new key) */
  *slot = value;
  return 0;
}

void **nkg_map_slot_shared(nkg_map *map, const char *key) {
  struct key_head head;
  memcpy(&head, key - sizeof head, sizeof head);
  return map_slot(map, key, head.len, 1);
}

int nkg_map_remove(nkg_map *map, const char *key, size_t keylen, void **old) {
  if (old)
    *old = NULL;
  struct map_slot *s = map_find(map, key, keylen, map_hash(key, keylen));
  if (!s->key)
    return 0;
  if (old)
    *old = s->value;
  /* backward shift: move up every later entry of the probe run that may
   * sit in the hole, so lookups never stop early */
  size_t mask = map->cap - 1, hole = (size_t)(s - map->slots);
  for (size_t i = (hole + 1) & mask; map->slots[i].key; i = (i + 1) & mask) {
    size_t home = slot_head(&map->slots[i]).hash & mask;
    /* the entry at i may move to hole if its home is not in (hole, i] */
    if ((i > hole && (home <= hole || home > i)) ||
        (i < hole && home <= hole && home > i)) {
      map->slots[hole] = map->slots[i];
      hole = i;
    }
  }
  memset(&map->slots[hole], 0, sizeof map->slots[hole]);
  map->count--;
  map->live -= keylen + 1 + sizeof(struct key_head);
  map->dead += keylen + 1 + sizeof(struct key_head);
  compact_keys(map);
  return 1;
}

size_t nkg_map_size(const nkg_map *map) { return map->count; }
size_t nkg_map_slots(const nkg_map *map) { return map->cap; }

int nkg_map_next(const nkg_map *map, size_t *i, const char **key,
                 size_t *keylen, void **value) {
  for (size_t k = *i; k < map->cap; k++)
    if (map->slots[k].key) {
      *i = k;
      *key = slot_key(&map->slots[k]);
      *keylen = slot_head(&map->slots[k]).len;
      *value = map->slots[k].value;
      return 1;
    }
  *i = map->cap;
  return 0;
}

int nkg_map_at(const nkg_map *map, size_t i, const char **key, void **value) {
  if (i >= map->cap || !map->slots[i].key)
    return 0;
  *key = slot_key(&map->slots[i]);
  *value = map->slots[i].value;
  return 1;
}

int nkg_utf8_decode(const unsigned char *s, size_t n, int32_t *cp) {
  if (n == 0)
    return 0;
  unsigned c = s[0];
  if (c < 0x80) {
    *cp = (int32_t)c;
    return 1;
  }
  int len;
  int32_t v, min;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    v = c & 0x1F;
    min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    v = c & 0x0F;
    min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    v = c & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if ((size_t)len > n)
    return 0;
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return len;
}

int nkg_utf8_encode(int32_t cp, char *out) {
  return (int)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

size_t nkg_utf8_count(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80)
      c++;
  return c;
}

/* Each ASCII byte folded (A-Z lower case, '`' to '\''), 0 for the others
 * (and NUL, which a validated text does not hold). */
const char nkg_ascii_fold[256] = {
    0,   1,   2,   3,   4,   5,   6,   7,   8,   9,   10,  11,  12,  13,  14,
    15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25,  26,  27,  28,  29,
    30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  40,  41,  42,  43,  44,
    45,  46,  47,  48,  49,  50,  51,  52,  53,  54,  55,  56,  57,  58,  59,
    60,  61,  62,  63,  64,  97,  98,  99,  100, 101, 102, 103, 104, 105, 106,
    107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121,
    122, 91,  92,  93,  94,  95,  39,  97,  98,  99,  100, 101, 102, 103, 104,
    105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119,
    120, 121, 122, 123, 124, 125, 126, 127,
    /* 128 to 255: 0 */
};

/* Folds pure ASCII the way the general path below does: NFKC and mark
 * stripping leave ASCII unchanged and case folding maps only A-Z, so no
 * utf8proc call and no allocation but the result (folding through utf8proc
 * was 40% of a profile of the BBC corpus). `out` has room for n bytes.
 * Returns the number of bytes written, or SIZE_MAX at a byte that is not
 * ASCII (the caller then takes the general path). */
static inline __attribute__((always_inline)) size_t
fold_ascii(char *out, const char *s, size_t n) {
  size_t len = 0;
  int space = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      space = 1;
      continue;
    }
    if (space) {
      if (len)
        out[len++] = ' ';
      space = 0;
    }
    char f = nkg_ascii_fold[c];
    if (!f && c)
      return SIZE_MAX; /* not ASCII after all */
    out[len++] = f;
  }
  return len;
}

static int is_ascii(const char *s, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) { /* eight bytes a step */
    uint64_t v;
    memcpy(&v, s + i, 8);
    if (v & 0x8080808080808080ULL)
      return 0;
  }
  for (; i < n; i++)
    if ((unsigned char)s[i] >= 0x80)
      return 0;
  return 1;
}

const char *nkg_fold_to(const char *s, size_t n, char *buf, size_t cap) {
  size_t len;
  if (n < cap && (len = fold_ascii(buf, s, n)) != SIZE_MAX) {
    buf[len] = '\0';
    return buf;
  }
  char *f = nkg_fold(s, n);
  len = f ? strlen(f) : 0;
  if (len >= cap)
    len = cap - 1;
  if (len)
    memcpy(buf, f, len);
  buf[len] = '\0';
  free(f);
  return buf;
}

int nkg_fold_append(nkg_buf *buf, const char *s, size_t n) {
  if (is_ascii(s, n)) {
    if (nkg_grow((void **)&buf->s, &buf->cap, buf->len + n + 1, 1))
      return NKG_ERR_NOMEM;
    buf->len += fold_ascii(buf->s + buf->len, s, n);
    buf->s[buf->len] = '\0';
    return 0;
  }
  char *f = nkg_fold(s, n);
  int rc = f ? nkg_buf_adds(buf, f) : NKG_ERR_NOMEM;
  free(f);
  return rc;
}

char *nkg_fold(const char *s, size_t n) {
  if (is_ascii(s, n)) {
    char *out = malloc(n + 1);
    if (out)
      out[fold_ascii(out, s, n)] = '\0';
    return out;
  }
  utf8proc_uint8_t *mapped = NULL;
  utf8proc_ssize_t r =
      utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &mapped,
                   UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                       UTF8PROC_STRIPMARK | UTF8PROC_NULLTERM * 0);
  if (r < 0)
    return NULL;
  nkg_buf out = {0};
  int space = 0;
  for (utf8proc_ssize_t i = 0; i < r;) {
    int32_t cp;
    int len = nkg_utf8_decode(mapped + i, (size_t)(r - i), &cp);
    if (!len) {
      i++;
      continue;
    }
    i += len;
    if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x2032 ||
        cp == '`')
      cp = '\'';
    else if (cp == 0x201C || cp == 0x201D)
      cp = '"';
    else if (cp == 0x2010 || cp == 0x2011 || cp == 0x2012 || cp == 0x2013 ||
             cp == 0x2014)
      cp = '-';
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0) {
      space = 1;
      continue;
    }
    if (space && out.len)
      nkg_buf_addc(&out, ' ');
    space = 0;
    char enc[4];
    if (nkg_buf_add(&out, enc, (size_t)nkg_utf8_encode(cp, enc))) {
      free(mapped);
      nkg_buf_free(&out);
      return NULL;
    }
  }
  free(mapped);
  return nkg_buf_take(&out);
}

const char *nkg_clean_literal_in(const char *s, size_t n, nkg_buf *scratch,
                                 size_t *len) {
  char *w = NULL; /* set once something changed */
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f) { /* the common case */
      if (w)
        *w++ = (char)c;
      i++;
      continue;
    }
    int32_t cp = c;
    int k = 1;
    if (c >= 0x80)
      k = nkg_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    const char *rep = NULL; /* replacement, "" to drop */
    if (!k) {
      rep = " ";
      k = 1;
    } else if (cp == '\r') {
      rep = i + 1 < n && s[i + 1] == '\n' ? "" : "\n";
    } else if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F ||
               (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFE || cp == 0xFFFF) {
      rep = " ";
    }
    if (rep && !w) { /* the text is never longer than s */
      if (nkg_grow((void **)&scratch->s, &scratch->cap, n + 1, 1))
        return NULL;
      memcpy(scratch->s, s, i);
      w = scratch->s + i;
    }
    if (rep) {
      if (*rep)
        *w++ = *rep;
    } else if (w) {
      memcpy(w, s + i, (size_t)k);
      w += k;
    }
    i += (size_t)k;
  }
  if (!w) {
    *len = n;
    return s;
  }
  *len = (size_t)(w - scratch->s);
  return scratch->s;
}

char *nkg_clean_literal(const char *s, size_t n) {
  if (!n)
    return nkg_strdup("");
  nkg_buf scratch = {0};
  size_t len;
  const char *clean = nkg_clean_literal_in(s, n, &scratch, &len);
  char *out = clean ? nkg_strndup(clean, len) : NULL;
  nkg_buf_free(&scratch);
  return out;
}

size_t nkg_slug_fold(char *out, const char *folded) {
  char *w = out;
  int dash = 0;
  for (const unsigned char *p = (const unsigned char *)folded; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
      if (dash && w > out)
        *w++ = '-';
      dash = 0;
      *w++ = (char)*p;
    } else if (*p == '\'') {
      /* "O'Brien" -> "obrien" */
    } else {
      dash = 1;
    }
  }
  *w = '\0';
  return (size_t)(w - out);
}

char *nkg_slug(const char *s, size_t n) {
  char *f = nkg_fold(s, n);
  if (f) /* the slug is never longer than the folded text: in place */
    nkg_slug_fold(f, f);
  return f;
}

int nkg_strcasecmp_ascii(const char *a, const char *b) {
  for (;; a++, b++) {
    int ca = (unsigned char)*a, cb = (unsigned char)*b;
    if (ca >= 'A' && ca <= 'Z')
      ca += 32;
    if (cb >= 'A' && cb <= 'Z')
      cb += 32;
    if (ca != cb || !ca)
      return ca - cb;
  }
}
