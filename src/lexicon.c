/* The knowledge the extractor uses, read from the data folder at start:
 * one TAB-separated file per kind of knowledge (see data/README.md). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#ifndef NKG_DATA_DIR
#define NKG_DATA_DIR "/usr/local/share/newskg/data"
#endif

static const char *const kind_names[NKG_K_COUNT] = {
    "-",          "country",       "city",        "region",     "territory",
    "continent",  "state",         "government",  "party",      "media",
    "newsagency", "international", "legislature", "armedgroup", "company",
    "sport",      "court",         "education",   "police",     "other"};

const char *nkg_kind_name(int kind) {
  return kind >= 0 && kind < NKG_K_COUNT ? kind_names[kind] : "-";
}

const char *nkg_type_name(int type) {
  switch (type) {
  case NKG_PER:
    return "Person";
  case NKG_ORG:
    return "Organization";
  case NKG_LOC:
    return "Place";
  default:
    return "Thing";
  }
}

int nkg_kind_parse(const char *s, int *type) {
  static const struct {
    const char *word;
    int kind, type;
  } syn[] = {{"province", NKG_K_STATE, NKG_LOC},
             {"county", NKG_K_REGION, NKG_LOC},
             {"area", NKG_K_REGION, NKG_LOC},
             {"island", NKG_K_REGION, NKG_LOC},
             {"newspaper", NKG_K_MEDIA, NKG_ORG},
             {"broadcaster", NKG_K_MEDIA, NKG_ORG},
             {"agency", NKG_K_GOVERNMENT, NKG_ORG},
             {"militant", NKG_K_ARMEDGROUP, NKG_ORG},
             {"club", NKG_K_SPORT, NKG_ORG},
             {"university", NKG_K_EDUCATION, NKG_ORG}};
  if (type)
    *type = NKG_NONE;
  if (!s || !*s || !strcmp(s, "-"))
    return NKG_K_NONE;
  /* the names are lower case: the first two letters settle most */
  char first = nkg_ascii_fold[(unsigned char)s[0]],
       second = nkg_ascii_fold[(unsigned char)s[1]];
  for (int k = 1; k < NKG_K_COUNT; k++) {
    if (kind_names[k][0] == first && kind_names[k][1] == second &&
        (!strcmp(s, kind_names[k]) ||
         !nkg_strcasecmp_ascii(s, kind_names[k]))) {
      if (type)
        *type = k <= NKG_K_STATE ? NKG_LOC : NKG_ORG;
      return k;
    }
  }
  for (size_t i = 0; i < sizeof syn / sizeof *syn; i++) {
    if (syn[i].word[0] == first && syn[i].word[1] == second &&
        !nkg_strcasecmp_ascii(s, syn[i].word)) {
      if (type)
        *type = syn[i].type;
      return syn[i].kind;
    }
  }
  if (type)
    *type = NKG_ORG;
  return NKG_K_OTHER;
}

/* ---- reading TAB-separated files ---------------------------------------- */

/* A file is read whole (nkg_read_file) and split in place. */
typedef struct reader {
  char *path;
  char *text;     /* the file's bytes and a NUL */
  char *at, *end; /* the rest of the text */
  size_t lineno;
  char *fields[8];
  int nfields;
  int ambiguous; /* past a "# ambiguous" marker */
} reader;

static int reader_open(reader *r, const char *dir, const char *name, char *err,
                       size_t errlen) {
  memset(r, 0, sizeof *r);
  size_t n = strlen(dir) + strlen(name) + 2;
  r->path = malloc(n);
  if (!r->path)
    return NKG_ERR_NOMEM;
  snprintf(r->path, n, "%s/%s", dir, name);
  size_t len;
  int e = nkg_read_file(r->path, &r->text, &len);
  if (e) {
    if (err && e != ENOMEM)
      snprintf(err, errlen, "%s: %s", r->path, strerror(e));
    free(r->path);
    r->path = NULL;
    return e == ENOMEM ? NKG_ERR_NOMEM : NKG_ERR_DATA;
  }
  r->at = r->text;
  r->end = r->text + len;
  return 0;
}

static void reader_close(reader *r) {
  free(r->text);
  free(r->path);
}

/* Next record; returns 1, 0 at the end. Fields split on TAB. */
static int reader_next(reader *r) {
  char *line;
  while ((line = nkg_next_line(&r->at, r->end)) != NULL) {
    r->lineno++;
    if (!*line)
      continue;
    if (line[0] == '#') {
      if (!strncmp(line, "# ambiguous", 11))
        r->ambiguous = 1;
      continue;
    }
    /* fields split on TAB (the eighth takes the rest), spaces around them
     * trimmed */
    r->nfields = 0;
    for (char *p = line;;) {
      char *tab = r->nfields < 7 ? strchr(p, '\t') : NULL;
      char *end = tab ? tab : p + strlen(p);
      while (end > p && end[-1] == ' ')
        end--;
      *end = '\0';
      while (*p == ' ')
        p++;
      r->fields[r->nfields++] = p;
      if (!tab)
        break;
      p = tab + 1;
    }
    return 1;
  }
  return 0;
}

/* How many bytes c the rest of the file holds: with '\n', a bound of the
 * keys it adds, for nkg_map_reserve. */
static size_t reader_count(const reader *r, char c) {
  size_t n = 0;
  for (const char *p = r->at; (p = memchr(p, c, (size_t)(r->end - p))) != NULL;
       p++)
    n++;
  return n;
}

static const char *field(const reader *r, int i) {
  if (i >= r->nfields)
    return NULL;
  const char *f = r->fields[i];
  return (*f && strcmp(f, "-")) ? f : NULL;
}

static size_t count_tokens(const char *folded) {
  size_t n = 1;
  for (const char *p = folded; *p; p++)
    if (*p == ' ')
      n++;
  return n;
}

/* nkg_fold(s, strlen(s)) in small (256 bytes) when it fits, else a new
 * string in *heap (the caller frees it); NULL if folding failed. */
static const char *fold_small(const char *s, char *small, char **heap) {
  size_t n = strlen(s);
  *heap = NULL;
  if (n < 256) {
    const char *f = nkg_fold_to(s, n, small, 256);
    size_t len = strlen(f);
    /* "" may be a failure and 255 bytes a cut: those take the long way */
    if (len > 0 && len < 255)
      return f;
  }
  *heap = nkg_fold(s, n);
  return *heap;
}

/* *slot = value if it is empty (the slot of folded) */
static void fill_slot(void **slot, void *value, const char *folded,
                      size_t *maxtok) {
  if (*slot)
    return;
  *slot = value;
  if (maxtok) {
    size_t tokens = count_tokens(folded);
    if (tokens > *maxtok)
      *maxtok = tokens;
  }
}

/* Adds folded -> value (first one wins, so canonical names listed earlier
 * take precedence over aliases); folded NULL: folding failed. */
static int put_fold(nkg_map *map, const char *folded, void *value,
                    size_t *maxtok) {
  if (!folded)
    return NKG_ERR_NOMEM;
  if (!*folded)
    return 0;
  void **slot = nkg_map_slot(map, folded, strlen(folded));
  if (!slot)
    return NKG_ERR_NOMEM;
  fill_slot(slot, value, folded, maxtok);
  return 0;
}

/* Adds name -> value under its folded form (see put_fold). */
static int put_folded(nkg_map *map, const char *name, void *value,
                      size_t *maxtok) {
  char small[256], *heap;
  int rc = put_fold(map, fold_small(name, small, &heap), value, maxtok);
  free(heap);
  return rc;
}

static int is_acronym(const char *s) {
  /* Short names in capitals ("US", "UN", "U.S.", "PA") must match exactly:
   * "us" and "pa" are words. */
  size_t letters = 0;
  for (const char *p = s; *p; p++) {
    if (*p >= 'a' && *p <= 'z')
      return 0;
    if (*p >= 'A' && *p <= 'Z')
      letters++;
  }
  return letters >= 1 && letters <= 5;
}

/* name -> g; folded: its fold when the caller has it (else, or if folding
 * failed, NULL) */
static int add_name(nkg_lexicon *lex, const char *name, const char *folded,
                    nkg_gaz *g) {
  if (is_acronym(name)) {
    void **slot = nkg_map_slot(lex->acronyms, name, strlen(name));
    if (!slot)
      return NKG_ERR_NOMEM;
    if (!*slot)
      *slot = g;
    return 0;
  }
  if (folded)
    return put_fold(lex->names, folded, g, &lex->max_name_tokens);
  return put_folded(lex->names, name, g, &lex->max_name_tokens);
}

/* The items of a "|"-separated list, trimmed, in the arena (*out NULL for
 * none). */
static int split_list(nkg_lexicon *lex, const char *s, char ***out, size_t *n) {
  *out = NULL;
  *n = 0;
  if (!s)
    return 0;
  size_t bars = 1;
  for (const char *p = s; (p = strchr(p, '|')) != NULL; p++)
    bars++;
  char **items = NULL;
  const char *p = s;
  while (*p) {
    const char *bar = strchr(p, '|');
    size_t len = bar ? (size_t)(bar - p) : strlen(p);
    while (len && p[len - 1] == ' ')
      len--;
    while (len && *p == ' ') {
      p++;
      len--;
    }
    if (len) {
      if (!items &&
          !(items = nkg_arena_alloc(&lex->arena, bars * sizeof *items)))
        return NKG_ERR_NOMEM;
      if (!(items[*n] = nkg_arena_strndup(&lex->arena, p, len)))
        return NKG_ERR_NOMEM;
      ++*n;
    }
    if (!bar)
      break;
    p = bar + 1;
  }
  *out = items;
  return 0;
}

/* A new entry of the gazetteer; folded: nkg_fold of name (NULL if that
 * failed: its key is then "prefix/x"). */
static nkg_gaz *new_gaz(nkg_lexicon *lex, const char *name, const char *folded,
                        int type, int kind, const char *prefix) {
  nkg_gaz *g = nkg_arena_zero(&lex->arena, sizeof *g);
  if (!g || NKG_PUSH(lex->gaz, lex->ngaz, lex->capgaz, g))
    return NULL;
  if (!(g->name = nkg_arena_strdup(&lex->arena, name)))
    return NULL;
  /* "prefix/slug": the slug is never longer than the fold */
  size_t plen = strlen(prefix), flen = folded ? strlen(folded) : 0;
  char *key = nkg_arena_alloc(&lex->arena, plen + 1 + (flen ? flen : 1) + 1);
  if (!key)
    return NULL;
  memcpy(key, prefix, plen);
  key[plen] = '/';
  if (!folded || !nkg_slug_fold(key + plen + 1, folded))
    memcpy(key + plen + 1, "x", 2);
  g->key = key;
  g->type = (uint8_t)type;
  g->kind = (uint8_t)kind;
  return g;
}

static int load_countries(nkg_lexicon *lex, const char *dir, char *err,
                          size_t errlen) {
  reader r;
  int rc = reader_open(&r, dir, "countries.tsv", err, errlen);
  if (rc)
    return rc;
  size_t lines = reader_count(&r, '\n') + 1, bars = reader_count(&r, '|');
  if (nkg_map_reserve(lex->countries, lines) ||
      nkg_map_reserve(lex->names, lines + bars) ||
      nkg_map_reserve(lex->adjectives, lines + bars)) {
    reader_close(&r);
    return NKG_ERR_NOMEM;
  }
  while (!rc && reader_next(&r)) {
    const char *name = field(&r, 0), *iso = field(&r, 1);
    if (!name || !iso) {
      if (err)
        snprintf(err, errlen, "%s:%zu: needs a name and an ISO code", r.path,
                 r.lineno);
      rc = NKG_ERR_DATA;
      break;
    }
    char small[256], *heap;
    const char *folded = fold_small(name, small, &heap);
    nkg_gaz *g = new_gaz(lex, name, folded, NKG_LOC, NKG_K_COUNTRY, "place");
    if (!g || !(g->iso2 = nkg_arena_strdup(&lex->arena, iso)) ||
        split_list(lex, field(&r, 4), &g->aliases, &g->naliases) ||
        (field(&r, 3) &&
         !(g->capital = nkg_arena_strdup(&lex->arena, field(&r, 3))))) {
      free(heap);
      rc = NKG_ERR_NOMEM;
      break;
    }
    g->country = g;
    rc = nkg_map_put(lex->countries, iso, strlen(iso), g, NULL);
    if (!rc)
      rc = add_name(lex, name, folded, g);
    free(heap);
    for (size_t i = 0; !rc && i < g->naliases; i++)
      rc = add_name(lex, g->aliases[i], NULL, g);
    char **adj = NULL;
    size_t nadj = 0;
    if (!rc)
      rc = split_list(lex, field(&r, 2), &adj, &nadj);
    for (size_t i = 0; !rc && i < nadj; i++)
      rc = put_folded(lex->adjectives, adj[i], g, NULL);
    if (nadj)
      g->adjective = adj[0];
  }
  reader_close(&r);
  return rc;
}

static int load_entities(nkg_lexicon *lex, const char *dir, const char *file,
                         int default_type, char *err, size_t errlen) {
  reader r;
  int rc = reader_open(&r, dir, file, err, errlen);
  if (rc)
    return rc;
  if (nkg_map_reserve(lex->names,
                      reader_count(&r, '\n') + 1 + reader_count(&r, '|'))) {
    reader_close(&r);
    return NKG_ERR_NOMEM;
  }
  /* places.tsv: name kind iso2 aliases; organizations.tsv: name kind
   * aliases iso2 */
  int is_org = default_type == NKG_ORG;
  /* the kind of the line before (the files list entries by kind) */
  const char *last_kind = NULL;
  int kind = NKG_K_NONE;
  while (!rc && reader_next(&r)) {
    const char *name = field(&r, 0);
    if (!name) {
      if (err)
        snprintf(err, errlen, "%s:%zu: needs a name", r.path, r.lineno);
      rc = NKG_ERR_DATA;
      break;
    }
    const char *kind_s = field(&r, 1);
    if (!last_kind || !kind_s || strcmp(kind_s, last_kind)) {
      int kind_type;
      kind = nkg_kind_parse(kind_s, &kind_type);
      last_kind = kind_s;
    }
    int type = is_org ? NKG_ORG : NKG_LOC;
    const char *aliases = field(&r, is_org ? 2 : 3);
    const char *iso = field(&r, is_org ? 3 : 2);
    /* A place already known as a country (a capital listed again) keeps
     * its first entry. */
    char small[256], *heap;
    const char *f = fold_small(name, small, &heap);
    /* (its slot in names, where it goes unless it is an acronym: one
     * probe) */
    int to_names = f && *f && !is_acronym(name);
    void **slot = to_names ? nkg_map_slot(lex->names, f, strlen(f)) : NULL;
    if (to_names && !slot) {
      free(heap);
      rc = NKG_ERR_NOMEM;
      break;
    }
    const nkg_gaz *old = slot ? *slot
                         : f  ? nkg_map_get(lex->names, f, strlen(f))
                              : NULL;
    if (old && old->type == type) {
      free(heap);
      continue;
    }
    nkg_gaz *g = new_gaz(lex, name, f, type, kind, is_org ? "org" : "place");
    if (!g || (iso && !(g->iso2 = nkg_arena_strdup(&lex->arena, iso)))) {
      free(heap);
      rc = NKG_ERR_NOMEM;
      break;
    }
    g->ambiguous = (uint8_t)r.ambiguous;
    if (iso)
      g->country = nkg_map_get(lex->countries, iso, strlen(iso));
    rc = split_list(lex, aliases, &g->aliases, &g->naliases);
    if (!rc && slot)
      fill_slot(slot, g, f, &lex->max_name_tokens);
    else if (!rc)
      rc = add_name(lex, name, f, g);
    free(heap);
    for (size_t i = 0; !rc && i < g->naliases; i++)
      rc = add_name(lex, g->aliases[i], NULL, g);
  }
  reader_close(&r);
  return rc;
}

/* Capitals become known cities too ("Moscow"). */
static int add_capitals(nkg_lexicon *lex) {
  size_t n = lex->ngaz;
  for (size_t i = 0; i < n; i++) {
    nkg_gaz *c = lex->gaz[i];
    if (c->kind != NKG_K_COUNTRY || !c->capital)
      continue;
    char small[256], *heap;
    const char *f = fold_small(c->capital, small, &heap);
    int known = f && nkg_map_get(lex->names, f, strlen(f)) != NULL;
    nkg_gaz *g =
        known ? NULL
              : new_gaz(lex, c->capital, f, NKG_LOC, NKG_K_CITY, "place");
    int rc = known ? 0 : g ? 0 : NKG_ERR_NOMEM;
    if (g) {
      g->country = c;
      rc = add_name(lex, c->capital, f, g);
    }
    free(heap);
    if (rc)
      return rc;
  }
  return 0;
}

static int load_titles(nkg_lexicon *lex, const char *dir, char *err,
                       size_t errlen) {
  reader r;
  int rc = reader_open(&r, dir, "titles.tsv", err, errlen);
  if (rc)
    return rc;
  if (nkg_map_reserve(lex->titles, reader_count(&r, '\n') + 1)) {
    reader_close(&r);
    return NKG_ERR_NOMEM;
  }
  while (!rc && reader_next(&r)) {
    const char *title = field(&r, 0), *kind = field(&r, 1);
    if (!title || !kind) {
      if (err)
        snprintf(err, errlen, "%s:%zu: needs a title and a kind", r.path,
                 r.lineno);
      rc = NKG_ERR_DATA;
      break;
    }
    nkg_title *t = nkg_arena_zero(&lex->arena, sizeof *t);
    if (!t || !(t->title = nkg_arena_strdup(&lex->arena, title)) ||
        !(t->cls = nkg_arena_strdup(&lex->arena,
                                    field(&r, 2) ? field(&r, 2) : "generic"))) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    t->kind = !strcmp(kind, "modifier")    ? NKG_T_MODIFIER
              : !strcmp(kind, "honorific") ? NKG_T_HONORIFIC
                                           : NKG_T_OFFICE;
    rc = put_folded(lex->titles, title, t, &lex->max_title_tokens);
  }
  reader_close(&r);
  return rc;
}

static int load_words(nkg_lexicon *lex, const char *dir, const char *file,
                      nkg_map *map, int mode, char *err, size_t errlen) {
  /* mode 0: word list (value 1, 2 past "# ambiguous");
   * mode 1: stopwords (value category);
   * mode 2: word TAB string value (copied). */
  reader r;
  int rc = reader_open(&r, dir, file, err, errlen);
  if (rc)
    return rc;
  if (nkg_map_reserve(map, reader_count(&r, '\n') + 1)) {
    reader_close(&r);
    return NKG_ERR_NOMEM;
  }
  while (!rc && reader_next(&r)) {
    const char *w = field(&r, 0);
    if (!w)
      continue;
    void *value;
    if (mode == 0) {
      value = (void *)(intptr_t)(r.ambiguous ? 2 : 1);
    } else if (mode == 1) {
      static const char *const cats[] = {"",        "function", "adverb",
                                         "weekday", "month",    "verb"};
      int cat = NKG_S_OTHER;
      for (int i = 1; i <= 5; i++)
        if (field(&r, 1) && !strcmp(field(&r, 1), cats[i]))
          cat = i;
      value = (void *)(intptr_t)cat;
    } else {
      /* the other fields, joined by TABs */
      size_t len = 0;
      for (int i = 1; i < r.nfields; i++)
        len += strlen(r.fields[i]) + (i > 1);
      char *v = nkg_arena_alloc(&lex->arena, len + 1);
      if (!v) {
        rc = NKG_ERR_NOMEM;
        break;
      }
      char *e = v;
      for (int i = 1; i < r.nfields; i++) {
        if (i > 1)
          *e++ = '\t';
        size_t l = strlen(r.fields[i]);
        memcpy(e, r.fields[i], l);
        e += l;
      }
      *e = '\0';
      value = v;
    }
    rc = put_folded(map, w, value, NULL);
  }
  reader_close(&r);
  return rc;
}

static int load_cues(nkg_lexicon *lex, const char *dir, char *err,
                     size_t errlen) {
  reader r;
  int rc = reader_open(&r, dir, "cues.tsv", err, errlen);
  if (rc)
    return rc;
  if (nkg_map_reserve(lex->cues, reader_count(&r, '\n') + 1)) {
    reader_close(&r);
    return NKG_ERR_NOMEM;
  }
  while (!rc && reader_next(&r)) {
    const char *w = field(&r, 0), *type = field(&r, 1);
    if (!w || !type)
      continue;
    nkg_cue *c = nkg_arena_zero(&lex->arena, sizeof *c);
    if (!c) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    int t;
    c->kind = (uint8_t)nkg_kind_parse(field(&r, 2), &t);
    if (!strcmp(type, "LOC"))
      c->type = NKG_LOC;
    else if (!strcmp(type, "ORGPREFIX"))
      c->prefix = 1, c->type = NKG_ORG;
    else
      c->type = NKG_ORG;
    rc = put_folded(lex->cues, w, c, NULL);
  }
  reader_close(&r);
  return rc;
}

static int load_triggers(nkg_lexicon *lex, const char *dir, char *err,
                         size_t errlen) {
  reader r;
  int rc = reader_open(&r, dir, "events.tsv", err, errlen);
  if (rc)
    return rc;
  if (nkg_map_reserve(lex->triggers, reader_count(&r, '\n') + 1)) {
    reader_close(&r);
    return NKG_ERR_NOMEM;
  }
  while (!rc && reader_next(&r)) {
    const char *w = field(&r, 0), *cls = field(&r, 2);
    if (!w || !cls) {
      if (err)
        snprintf(err, errlen, "%s:%zu: needs a word and a class", r.path,
                 r.lineno);
      rc = NKG_ERR_DATA;
      break;
    }
    nkg_trigger *t = nkg_arena_zero(&lex->arena, sizeof *t);
    if (!t || !(t->word = nkg_arena_strdup(&lex->arena, w)) ||
        !(t->cls = nkg_arena_strdup(&lex->arena, cls)) ||
        (field(&r, 3) &&
         !(t->cameo = nkg_arena_strdup(&lex->arena, field(&r, 3))))) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    t->noun = field(&r, 1) && !strcmp(field(&r, 1), "noun");
    rc = put_folded(lex->triggers, w, t, &lex->max_trigger_tokens);
  }
  reader_close(&r);
  return rc;
}

const char nkg_key_start = 0;

/* The words of the index while it is made: each word by its hash (the
 * index keeps no keys, so none are copied), with the union of its bits.
 * Two words are one here only if all 64 bits of their hashes are equal;
 * the index, a filter, merges far more (see make_words). The hashes and
 * the bits in two arrays of one block: ten bytes a slot, not sixteen (the
 * pages of the set are a good part of its cost). */
typedef struct word_set {
  uint64_t *hash;
  uint16_t *bits; /* 0: an empty slot */
  size_t mask, count;
} word_set;

static int word_set_init(word_set *set, size_t n) {
  size_t cap = nkg_half_full_cap(n, 64);
  set->count = 0;
  set->mask = cap - 1;
  set->hash = calloc(cap, sizeof *set->hash + sizeof *set->bits);
  set->bits = set->hash ? (uint16_t *)(set->hash + cap) : NULL;
  return set->hash ? 0 : NKG_ERR_NOMEM;
}

/* set[word] |= bit */
static void or_bits(word_set *set, const char *word, size_t n, unsigned bit,
                    int *rc) {
  if ((set->count + 1) * 2 > set->mask + 1) {
    word_set big;
    if ((*rc = word_set_init(&big, 2 * (set->count + 1))) != 0)
      return;
    for (size_t i = 0; i <= set->mask; i++) {
      if (!set->bits[i])
        continue;
      size_t j = set->hash[i] & big.mask;
      while (big.bits[j])
        j = (j + 1) & big.mask;
      big.hash[j] = set->hash[i];
      big.bits[j] = set->bits[i];
    }
    big.count = set->count;
    free(set->hash);
    *set = big;
  }
  uint64_t h = nkg_word_hash(word, n);
  size_t i = h & set->mask;
  while (set->bits[i] && set->hash[i] != h)
    i = (i + 1) & set->mask;
  if (!set->bits[i]) {
    set->hash[i] = h;
    set->count++;
  }
  set->bits[i] |= (uint16_t)bit;
}

/* The key starts of `map` (see nkg_lexicon.name_starts) into a new map,
 * and the index bits of those of one word into `words`: start_bit for
 * each, more_bit (if not 0) for those a longer key goes on from with ' '
 * or '\'' (what index_words and a pass over the starts map for more_bit
 * would set, in one pass over the keys). */
static nkg_map *index_starts(const nkg_map *map, word_set *words,
                             unsigned start_bit, unsigned more_bit, int *rc) {
  if (*rc)
    return NULL;
  /* about half as many starts as keys again (fitted at the end) */
  nkg_map *starts = nkg_map_new_for(nkg_map_size(map) * 3 / 2);
  const char *key;
  size_t n;
  void *value;
  if (!starts) {
    *rc = NKG_ERR_NOMEM;
    return NULL;
  }
  for (size_t i = 0; !*rc && nkg_map_next(map, &i, &key, &n, &value); i++) {
    int spaced = 0; /* a space before k: no more starts of one word */
    for (size_t k = 0; !*rc && k < n; k++)
      if (key[k] == ' ' || key[k] == '\'') {
        void **slot = nkg_map_slot(starts, key, k);
        if (!slot)
          *rc = NKG_ERR_NOMEM;
        else if (!*slot)
          *slot = (void *)&nkg_key_start;
        if (!*rc && !spaced && k <= NKG_WORD_MAX)
          or_bits(words, key, k, start_bit | more_bit, rc);
        spaced |= key[k] == ' ';
      }
    if (*rc)
      break;
    if (!spaced && n <= NKG_WORD_MAX)
      or_bits(words, key, n, start_bit, rc);
    /* a whole key: its value, also if it starts another (the key of map,
     * which lives as long) */
    void **slot = *rc ? NULL : nkg_map_slot_shared(starts, key);
    if (slot)
      *slot = value;
    else
      *rc = NKG_ERR_NOMEM;
  }
  if (!*rc)
    *rc = nkg_map_fit(starts);
  return starts;
}

/* Sets `bit` for every key of `map` without a space of at most
 * NKG_WORD_MAX bytes (with plural: for every such key plus 's') in the
 * set `words`, which is made into the word index. */
static void index_words(word_set *words, const nkg_map *map, unsigned bit,
                        int plural, int *rc) {
  const char *key;
  size_t n;
  void *value;
  char buf[NKG_WORD_MAX + 1];
  for (size_t i = 0; !*rc && map && nkg_map_next(map, &i, &key, &n, &value);
       i++) {
    if (n + (size_t)plural > NKG_WORD_MAX || memchr(key, ' ', n))
      continue;
    if (plural) {
      memcpy(buf, key, n);
      buf[n++] = 's';
    }
    or_bits(words, plural ? buf : key, n, bit, rc);
  }
}

/* The folds of the keys of acronyms into `words` (see NKG_W_ACRONYM). */
static void index_acronyms(word_set *words, const nkg_map *acronyms, int *rc) {
  const char *key;
  void *value;
  for (size_t i = 0; !*rc && i < nkg_map_slots(acronyms); i++) {
    if (!nkg_map_at(acronyms, i, &key, &value))
      continue;
    char small[256], *heap;
    const char *f = fold_small(key, small, &heap);
    size_t n = f ? strlen(f) : 0;
    char buf[NKG_WORD_MAX + 1];
    if (!f)
      *rc = NKG_ERR_NOMEM;
    else if (n + 1 <= NKG_WORD_MAX && !memchr(f, ' ', n)) {
      memcpy(buf, f, n);
      buf[n] = '.';
      or_bits(words, buf, n, NKG_W_ACRONYM, rc);
      if (!*rc)
        or_bits(words, buf, n + 1, NKG_W_ACRONYM_DOT, rc);
    } else {
      /* too long for the index: tokens that long are all NKG_W_ALL */
    }
    free(heap);
  }
}

/* The word index (see nkg_words) of the lexicon's single-word maps, the
 * words of the starts maps already in `set` (index_starts), which is
 * freed. */
static nkg_words *make_words(const nkg_lexicon *lex, word_set *words, int *rc) {
  word_set set = *words;
  index_words(&set, lex->titles, NKG_W_TITLE_PLURAL, 1, rc);
  index_words(&set, lex->adjectives, NKG_W_ADJ_PLURAL, 1, rc);
  index_words(&set, lex->cues, NKG_W_CUE, 0, rc);
  index_words(&set, lex->stop, NKG_W_STOP, 0, rc);
  index_words(&set, lex->given, NKG_W_GIVEN, 0, rc);
  index_words(&set, lex->speech, NKG_W_SPEECH, 0, rc);
  index_acronyms(&set, lex->acronyms, rc);
  nkg_words *w = *rc ? NULL : calloc(1, sizeof *w);
  size_t cap = nkg_half_full_cap(set.count, 64);
  if (w && !(w->slots = calloc(cap, sizeof *w->slots))) {
    free(w);
    w = NULL;
  }
  if (!w) {
    *rc = *rc ? *rc : NKG_ERR_NOMEM;
    free(set.hash);
    return NULL;
  }
  w->mask = cap - 1;
  for (size_t i = 0; i <= set.mask; i++) {
    if (!set.bits[i])
      continue;
    uint32_t tag = NKG_WORD_TAG(set.hash[i]);
    size_t j = set.hash[i] & w->mask;
    /* two words with the same tag share one slot: the union of their
     * bits (a filter may say yes too often, never no wrongly) */
    while (w->slots[j] && (w->slots[j] & NKG_WORD_TAG_BITS) != tag)
      j = (j + 1) & w->mask;
    w->slots[j] |= tag | set.bits[i];
  }
  free(set.hash);
  return w;
}

static void free_words(nkg_words *w) {
  if (w)
    free(w->slots);
  free(w);
}

/* The maps of each part of the lexicon (see nkg_lexicon_load): the names'
 * and the lists'. */
#define NAME_MAPS(x)                                                           \
  { &(x)->names, &(x)->acronyms, &(x)->adjectives, &(x)->countries }
#define LIST_MAPS(x)                                                           \
  {                                                                            \
    &(x)->titles, &(x)->given, &(x)->stop, &(x)->cues, &(x)->triggers,         \
        &(x)->speech, &(x)->quoting, &(x)->family, &(x)->relcues,              \
        &(x)->temporal, &(x)->abbrev                                           \
  }
#define NMAPS(a) (sizeof(a) / sizeof *(a))

/* A new empty map in each place; rc NKG_ERR_NOMEM if one could not be. */
static void new_maps(nkg_map **const *maps, size_t n, int *rc) {
  for (size_t i = 0; i < n; i++)
    if (!(*maps[i] = nkg_map_new()))
      *rc = NKG_ERR_NOMEM;
}

/* Each map gets the size its keys need (the bounds reserved while loading
 * were of lines). */
static int fit_maps(nkg_map **const *maps, size_t n) {
  int rc = 0;
  for (size_t i = 0; !rc && i < n; i++)
    rc = nkg_map_fit(*maps[i]);
  return rc;
}

/* The names: countries, organizations and places, and the capitals. */
static int load_names(nkg_lexicon *lex, const char *dir, char *err,
                      size_t errlen) {
  int rc = load_countries(lex, dir, err, errlen);
  if (!rc)
    rc = load_entities(lex, dir, "organizations.tsv", NKG_ORG, err, errlen);
  if (!rc)
    rc = load_entities(lex, dir, "places.tsv", NKG_LOC, err, errlen);
  if (!rc)
    rc = add_capitals(lex);
  nkg_map **const maps[] = NAME_MAPS(lex);
  return rc ? rc : fit_maps(maps, NMAPS(maps));
}

/* The titles and the lists of words. */
static int load_lists(nkg_lexicon *lex, const char *dir, char *err,
                      size_t errlen) {
  int rc = load_titles(lex, dir, err, errlen);
  if (!rc)
    rc = load_words(lex, dir, "given_names.txt", lex->given, 0, err, errlen);
  if (!rc)
    rc = load_words(lex, dir, "stopwords.tsv", lex->stop, 1, err, errlen);
  if (!rc)
    rc = load_cues(lex, dir, err, errlen);
  if (!rc)
    rc = load_triggers(lex, dir, err, errlen);
  if (!rc)
    rc = load_words(lex, dir, "speech.tsv", lex->speech, 2, err, errlen);
  if (!rc)
    rc = load_words(lex, dir, "quotes.tsv", lex->quoting, 2, err, errlen);
  if (!rc)
    rc = load_words(lex, dir, "family.tsv", lex->family, 2, err, errlen);
  if (!rc)
    rc = load_words(lex, dir, "relations.tsv", lex->relcues, 2, err, errlen);
  if (!rc)
    rc = load_words(lex, dir, "temporal.tsv", lex->temporal, 2, err, errlen);
  if (!rc)
    rc = load_words(lex, dir, "abbreviations.txt", lex->abbrev, 0, err, errlen);
  nkg_map **const maps[] = LIST_MAPS(lex);
  return rc ? rc : fit_maps(maps, NMAPS(maps));
}

/* The lists' maps of `from` shared by `lex` (which has none), `from`
 * read, not changed: the other thread may be making the tables of them. */
static void share_lists(nkg_lexicon *lex, const nkg_lexicon *from) {
  nkg_map **const to[] = LIST_MAPS(lex);
  nkg_map *const *const of[] = LIST_MAPS(from);
  for (size_t i = 0; i < NMAPS(to); i++)
    *to[i] = *of[i];
  lex->max_title_tokens = from->max_title_tokens;
  lex->max_trigger_tokens = from->max_trigger_tokens;
}

/* The lists' maps are no longer `part`'s (they are the lexicon's). */
static void forget_lists(nkg_lexicon *part) {
  nkg_map **const maps[] = LIST_MAPS(part);
  for (size_t i = 0; i < NMAPS(maps); i++)
    *maps[i] = NULL;
}

/* The key starts of the names and the adjectives, and their words in
 * `words` (which is made then), for the word index. */
static int index_names(nkg_lexicon *lex, word_set *words) {
  /* room for the words of the names and the given names (the set grows
   * if need be) */
  int rc = word_set_init(words, nkg_map_size(lex->names) * 3 / 2 + 8192);
  lex->name_starts =
      index_starts(lex->names, words, NKG_W_NAME_START, NKG_W_NAME_MORE, &rc);
  lex->adjective_starts = index_starts(lex->adjectives, words, NKG_W_ADJ_START,
                                       NKG_W_ADJ_MORE, &rc);
  return rc;
}

/* The key starts of the lists, then the word index of everything (see
 * nkg_words) from `words`, which is freed. */
static int index_lists(nkg_lexicon *lex, word_set *words) {
  int rc = 0;
  lex->title_starts = index_starts(lex->titles, words, NKG_W_TITLE_START,
                                   NKG_W_TITLE_MORE, &rc);
  lex->relcue_starts =
      index_starts(lex->relcues, words, NKG_W_RELCUE_START, 0, &rc);
  if (rc)
    free(words->hash);
  else
    lex->words = make_words(lex, words, &rc);
  return rc;
}

/* The lexicon is loaded in two parts: the names and their key starts,
 * then the key starts of the lists and the word index of everything, on
 * the calling thread; the lists, then the tables of the events and
 * quotations (made of the lists alone), into a lexicon of their own
 * (`part`, with its own arena) whose pieces the first then takes over.
 * Where the process may run on more than one processor, a second thread,
 * started on another processor (nkg_thread_create_apart), takes the lists
 * and the tables, each unless the calling thread has taken it first (a
 * thread can take a few milliseconds to start on a processor that was
 * idle; a virtual one especially): then loading takes about 2.8 ms
 * instead of 4.5 (the benchmark's machine), and never much more than on
 * one thread. The second thread is joined before the load returns (a
 * thread left to the lexicon's free would hang it in a process forked
 * meanwhile). */
enum { PART_FREE, PART_TAKEN, PART_DONE };

typedef struct lexicon_loader {
  nkg_lexicon *part;
  const char *dir;
  atomic_int lists, tables; /* PART_* */
  int lists_rc, tables_rc;  /* written by the thread that took the part */
  char err[512];
} lexicon_loader;

static int take_part(atomic_int *state) {
  int expected = PART_FREE;
  return atomic_compare_exchange_strong(state, &expected, PART_TAKEN);
}

/* Waits for a part the other thread took (at most that part's time: the
 * thread is running, as it took it). */
static void wait_part(atomic_int *state) {
  while (atomic_load_explicit(state, memory_order_acquire) != PART_DONE)
    sched_yield();
}

static void part_done(atomic_int *state) {
  atomic_store_explicit(state, PART_DONE, memory_order_release);
}

static void run_lists(lexicon_loader *l) {
  l->lists_rc = load_lists(l->part, l->dir, l->err, sizeof l->err);
  part_done(&l->lists);
}

/* (the lists are done) */
static void run_tables(lexicon_loader *l) {
  if (!l->lists_rc) {
    l->tables_rc = nkg_events_load(l->part, l->dir, l->err, sizeof l->err);
    if (!l->tables_rc)
      l->tables_rc = nkg_quotes_load(l->part);
  }
  part_done(&l->tables);
}

static void *loader_thread(void *arg) {
  lexicon_loader *l = arg;
  if (take_part(&l->lists)) {
    run_lists(l);
    if (take_part(&l->tables))
      run_tables(l);
  }
  return NULL;
}

int nkg_lexicon_load(const char *data_dir, nkg_lexicon **out, char *err,
                     size_t errlen) {
  *out = NULL;
  if (err && errlen)
    err[0] = '\0';
  if (!data_dir)
    data_dir = getenv("NEWSKG_DATA");
  if (!data_dir)
    data_dir = NKG_DATA_DIR;
  int rc = 0;
  nkg_lexicon *lex = calloc(1, sizeof *lex);
  if (!lex)
    return NKG_ERR_NOMEM;
  nkg_map **const names[] = NAME_MAPS(lex);
  new_maps(names, NMAPS(names), &rc);
  lexicon_loader *l = calloc(1, sizeof *l);
  if (!(lex->dir = nkg_strdup(data_dir)) || !l ||
      !(l->part = calloc(1, sizeof *l->part)))
    rc = NKG_ERR_NOMEM;
  if (!rc) {
    l->dir = lex->dir;
    atomic_init(&l->lists, PART_FREE);
    atomic_init(&l->tables, PART_FREE);
    nkg_map **const lists[] = LIST_MAPS(l->part);
    new_maps(lists, NMAPS(lists), &rc);
  }
  if (!rc) {
    pthread_t thread;
    int threaded = nkg_cpus_usable() > 1 &&
                   !nkg_thread_create_apart(&thread, loader_thread, l);
    rc = load_names(lex, data_dir, err, errlen);
    word_set words = {0};
    if (!rc)
      rc = index_names(lex, &words);
    if (take_part(&l->lists))
      run_lists(l);
    else
      wait_part(&l->lists);
    int taken = !rc && !l->lists_rc;
    if (taken) {
      /* the lists' maps, shared with the part until the tables are made
       * (which read them) */
      share_lists(lex, l->part);
      rc = index_lists(lex, &words);
    } else {
      free(words.hash);
    }
    if (take_part(&l->tables))
      run_tables(l);
    else
      wait_part(&l->tables);
    if (threaded) /* (it ends at once if it took nothing) */
      pthread_join(thread, NULL);
    /* the first error in the order of the files */
    int lrc = l->lists_rc ? l->lists_rc : l->tables_rc;
    if (!rc && lrc) {
      rc = lrc;
      if (err && errlen)
        snprintf(err, errlen, "%s", l->err);
    }
    if (taken) /* the lists are the lexicon's now */
      forget_lists(l->part);
    lex->events = l->part->events;
    lex->quotes = l->part->quotes;
    l->part->events = NULL;
    l->part->quotes = NULL;
    nkg_arena_adopt(&lex->arena, &l->part->arena);
  }
  if (l) {
    nkg_lexicon_free(l->part);
    free(l);
  }
  if (rc) {
    if (err && errlen && !err[0])
      snprintf(err, errlen, "%s: %s", data_dir, nkg_strerror(rc));
    nkg_lexicon_free(lex);
    return rc;
  }
  *out = lex;
  return 0;
}

void nkg_lexicon_free(nkg_lexicon *lex) {
  if (!lex)
    return;
  nkg_events_unload(lex);
  nkg_quotes_unload(lex);
  nkg_map *maps[] = {
      lex->names,        lex->acronyms,     lex->adjectives,
      lex->countries,    lex->titles,       lex->given,
      lex->stop,         lex->cues,         lex->triggers,
      lex->speech,       lex->family,       lex->relcues,
      lex->temporal,     lex->abbrev,       lex->quoting,
      lex->name_starts,  lex->title_starts, lex->adjective_starts,
      lex->relcue_starts};
  for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
    nkg_map_free(maps[i], NULL);
  free_words(lex->words);
  free(lex->gaz);
  nkg_arena_free(&lex->arena);
  free(lex->dir);
  free(lex);
}

const nkg_gaz *nkg_lex_name(const nkg_lexicon *lex, const char *folded) {
  return nkg_map_get(lex->names, folded, strlen(folded));
}
const nkg_title *nkg_lex_title(const nkg_lexicon *lex, const char *folded) {
  return nkg_map_get(lex->titles, folded, strlen(folded));
}
int nkg_lex_stop(const nkg_lexicon *lex, const char *folded) {
  return (int)(intptr_t)nkg_map_get(lex->stop, folded, strlen(folded));
}
int nkg_lex_given(const nkg_lexicon *lex, const char *folded) {
  return (int)(intptr_t)nkg_map_get(lex->given, folded, strlen(folded));
}
const nkg_cue *nkg_lex_cue(const nkg_lexicon *lex, const char *folded) {
  return nkg_map_get(lex->cues, folded, strlen(folded));
}
const nkg_gaz *nkg_lex_adjective(const nkg_lexicon *lex, const char *folded) {
  return nkg_map_get(lex->adjectives, folded, strlen(folded));
}
