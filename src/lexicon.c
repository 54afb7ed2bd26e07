/* The knowledge the extractor uses, read from the data folder at start:
 * one TAB-separated file per kind of knowledge (see data/README.md). */
#include <errno.h>
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
    "-",          "country",   "city",      "region",        "territory",
    "continent",  "state",     "government", "party",        "media",
    "newsagency", "international", "legislature", "armedgroup", "company",
    "sport",      "court",     "education", "police",        "other"};

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
  for (int k = 1; k < NKG_K_COUNT; k++) {
    if (!nkg_strcasecmp_ascii(s, kind_names[k])) {
      if (type)
        *type = k <= NKG_K_STATE ? NKG_LOC : NKG_ORG;
      return k;
    }
  }
  for (size_t i = 0; i < sizeof syn / sizeof *syn; i++) {
    if (!nkg_strcasecmp_ascii(s, syn[i].word)) {
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

typedef struct reader {
  FILE *f;
  char *path;
  char *line;
  size_t cap;
  size_t lineno;
  char *fields[8];
  int nfields;
  int ambiguous; /* past a "# ambiguous" marker */
} reader;

static int reader_open(reader *r, const char *dir, const char *name,
                       char *err, size_t errlen) {
  memset(r, 0, sizeof *r);
  size_t n = strlen(dir) + strlen(name) + 2;
  r->path = malloc(n);
  if (!r->path)
    return NKG_ERR_NOMEM;
  snprintf(r->path, n, "%s/%s", dir, name);
  r->f = fopen(r->path, "r");
  if (!r->f) {
    if (err)
      snprintf(err, errlen, "%s: %s", r->path, strerror(errno));
    free(r->path);
    r->path = NULL;
    return NKG_ERR_DATA;
  }
  return 0;
}

static void reader_close(reader *r) {
  if (r->f)
    fclose(r->f);
  free(r->line);
  free(r->path);
}

/* Next record; returns 1, 0 at the end. Fields split on TAB. */
static int reader_next(reader *r) {
  for (;;) {
    ssize_t n = getline(&r->line, &r->cap, r->f);
    if (n < 0)
      return 0;
    r->lineno++;
    while (n > 0 && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r'))
      r->line[--n] = '\0';
    if (n == 0)
      continue;
    if (r->line[0] == '#') {
      if (strstr(r->line, "# ambiguous") == r->line)
        r->ambiguous = 1;
      continue;
    }
    r->nfields = 0;
    char *p = r->line;
    while (r->nfields < 8) {
      r->fields[r->nfields++] = p;
      char *tab = strchr(p, '\t');
      if (!tab)
        break;
      *tab = '\0';
      p = tab + 1;
    }
    /* trim spaces around fields */
    for (int i = 0; i < r->nfields; i++) {
      char *f = r->fields[i];
      while (*f == ' ')
        f++;
      size_t l = strlen(f);
      while (l && f[l - 1] == ' ')
        f[--l] = '\0';
      r->fields[i] = f;
    }
    return 1;
  }
}

static const char *field(const reader *r, int i) {
  if (i >= r->nfields)
    return NULL;
  const char *f = r->fields[i];
  return (*f && strcmp(f, "-")) ? f : NULL;
}

static int own(nkg_lexicon *lex, void *p) {
  if (!p)
    return NKG_ERR_NOMEM;
  if (NKG_PUSH(lex->owned, lex->nowned, lex->capowned, p)) {
    free(p);
    return NKG_ERR_NOMEM;
  }
  return 0;
}

static size_t count_tokens(const char *folded) {
  size_t n = 1;
  for (const char *p = folded; *p; p++)
    if (*p == ' ')
      n++;
  return n;
}

/* Adds name -> value under its folded form (first one wins, so canonical
 * names listed earlier take precedence over aliases). */
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

static int put_folded(nkg_map *map, const char *name, void *value,
                      size_t *maxtok) {
  char small[256], *heap;
  const char *f = fold_small(name, small, &heap);
  if (!f)
    return NKG_ERR_NOMEM;
  int rc = 0;
  size_t len = strlen(f);
  if (*f && !nkg_map_get(map, f, len)) {
    rc = nkg_map_put(map, f, len, value, NULL);
    size_t tokens = count_tokens(f);
    if (maxtok && tokens > *maxtok)
      *maxtok = tokens;
  }
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

static int add_name(nkg_lexicon *lex, const char *name, nkg_gaz *g) {
  if (is_acronym(name)) {
    if (!nkg_map_get(lex->acronyms, name, strlen(name)))
      return nkg_map_put(lex->acronyms, name, strlen(name), g, NULL);
    return 0;
  }
  return put_folded(lex->names, name, g, &lex->max_name_tokens);
}

static int split_list(nkg_lexicon *lex, const char *s, char ***out,
                      size_t *n) {
  *out = NULL;
  *n = 0;
  if (!s)
    return 0;
  size_t cap = 0;
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
      char *item = nkg_strndup(p, len);
      if (own(lex, item) || NKG_PUSH(*out, *n, cap, item))
        return NKG_ERR_NOMEM;
    }
    if (!bar)
      break;
    p = bar + 1;
  }
  if (*out && own(lex, *out))
    return NKG_ERR_NOMEM;
  return 0;
}

static nkg_gaz *new_gaz(nkg_lexicon *lex, const char *name, int type,
                        int kind, const char *prefix) {
  nkg_gaz *g = calloc(1, sizeof *g);
  if (!g || NKG_PUSH(lex->gaz, lex->ngaz, lex->capgaz, g)) {
    free(g);
    return NULL;
  }
  g->name = nkg_strdup(name);
  char *slug = nkg_slug(name, strlen(name));
  nkg_buf key = {0};
  /* "prefix/slug" by copies: printf was half the cost of an entry */
  if (nkg_buf_adds(&key, prefix) || nkg_buf_addc(&key, '/') ||
      nkg_buf_adds(&key, slug && *slug ? slug : "x")) {
    free(slug);
    nkg_buf_free(&key);
    return NULL;
  }
  free(slug);
  g->key = nkg_buf_take(&key);
  g->type = (uint8_t)type;
  g->kind = (uint8_t)kind;
  if (own(lex, g->name) || own(lex, g->key))
    return NULL;
  return g;
}

static int load_countries(nkg_lexicon *lex, const char *dir, char *err,
                          size_t errlen) {
  reader r;
  int rc = reader_open(&r, dir, "countries.tsv", err, errlen);
  if (rc)
    return rc;
  while (!rc && reader_next(&r)) {
    const char *name = field(&r, 0), *iso = field(&r, 1);
    if (!name || !iso) {
      if (err)
        snprintf(err, errlen, "%s:%zu: needs a name and an ISO code", r.path,
                 r.lineno);
      rc = NKG_ERR_DATA;
      break;
    }
    nkg_gaz *g = new_gaz(lex, name, NKG_LOC, NKG_K_COUNTRY, "place");
    if (!g) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    g->iso2 = nkg_strdup(iso);
    g->country = g;
    if (own(lex, g->iso2) ||
        split_list(lex, field(&r, 4), &g->aliases, &g->naliases)) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    if (field(&r, 3) && own(lex, g->capital = nkg_strdup(field(&r, 3)))) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    rc = nkg_map_put(lex->countries, iso, strlen(iso), g, NULL);
    if (!rc)
      rc = add_name(lex, name, g);
    for (size_t i = 0; !rc && i < g->naliases; i++)
      rc = add_name(lex, g->aliases[i], g);
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
  /* places.tsv: name kind iso2 aliases; organizations.tsv: name kind
   * aliases iso2 */
  int is_org = default_type == NKG_ORG;
  while (!rc && reader_next(&r)) {
    const char *name = field(&r, 0);
    if (!name) {
      if (err)
        snprintf(err, errlen, "%s:%zu: needs a name", r.path, r.lineno);
      rc = NKG_ERR_DATA;
      break;
    }
    int type;
    int kind = nkg_kind_parse(field(&r, 1), &type);
    if (type == NKG_NONE)
      type = default_type;
    if (is_org)
      type = NKG_ORG;
    else
      type = NKG_LOC;
    const char *aliases = field(&r, is_org ? 2 : 3);
    const char *iso = field(&r, is_org ? 3 : 2);
    /* A place already known as a country (a capital listed again) keeps
     * its first entry. */
    char small[256], *heap;
    const char *f = fold_small(name, small, &heap);
    const nkg_gaz *old = f ? nkg_map_get(lex->names, f, strlen(f)) : NULL;
    free(heap);
    if (old && old->type == type)
      continue;
    nkg_gaz *g =
        new_gaz(lex, name, type, kind, is_org ? "org" : "place");
    if (!g) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    g->ambiguous = (uint8_t)r.ambiguous;
    if (iso) {
      g->iso2 = nkg_strdup(iso);
      if (own(lex, g->iso2)) {
        rc = NKG_ERR_NOMEM;
        break;
      }
      g->country = nkg_map_get(lex->countries, iso, strlen(iso));
    }
    rc = split_list(lex, aliases, &g->aliases, &g->naliases);
    if (!rc)
      rc = add_name(lex, name, g);
    for (size_t i = 0; !rc && i < g->naliases; i++)
      rc = add_name(lex, g->aliases[i], g);
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
    char *f = nkg_fold(c->capital, strlen(c->capital));
    int known = f && nkg_map_get(lex->names, f, strlen(f)) != NULL;
    free(f);
    if (known)
      continue;
    nkg_gaz *g = new_gaz(lex, c->capital, NKG_LOC, NKG_K_CITY, "place");
    if (!g)
      return NKG_ERR_NOMEM;
    g->country = c;
    int rc = add_name(lex, c->capital, g);
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
  while (!rc && reader_next(&r)) {
    const char *title = field(&r, 0), *kind = field(&r, 1);
    if (!title || !kind) {
      if (err)
        snprintf(err, errlen, "%s:%zu: needs a title and a kind", r.path,
                 r.lineno);
      rc = NKG_ERR_DATA;
      break;
    }
    nkg_title *t = calloc(1, sizeof *t);
    if (own(lex, t)) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    t->title = nkg_strdup(title);
    t->cls = nkg_strdup(field(&r, 2) ? field(&r, 2) : "generic");
    if (own(lex, t->title) || own(lex, t->cls)) {
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
  while (!rc && reader_next(&r)) {
    const char *w = field(&r, 0);
    if (!w)
      continue;
    void *value;
    if (mode == 0) {
      value = (void *)(intptr_t)(r.ambiguous ? 2 : 1);
    } else if (mode == 1) {
      static const char *const cats[] = {"",      "function", "adverb",
                                         "weekday", "month",  "verb"};
      int cat = NKG_S_OTHER;
      for (int i = 1; i <= 5; i++)
        if (field(&r, 1) && !strcmp(field(&r, 1), cats[i]))
          cat = i;
      value = (void *)(intptr_t)cat;
    } else {
      nkg_buf v = {0};
      for (int i = 1; i < r.nfields; i++) {
        if (i > 1)
          nkg_buf_addc(&v, '\t');
        nkg_buf_adds(&v, r.fields[i]);
      }
      value = nkg_buf_take(&v);
      if (own(lex, value)) {
        rc = NKG_ERR_NOMEM;
        break;
      }
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
  while (!rc && reader_next(&r)) {
    const char *w = field(&r, 0), *type = field(&r, 1);
    if (!w || !type)
      continue;
    nkg_cue *c = calloc(1, sizeof *c);
    if (own(lex, c)) {
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
  while (!rc && reader_next(&r)) {
    const char *w = field(&r, 0), *cls = field(&r, 2);
    if (!w || !cls) {
      if (err)
        snprintf(err, errlen, "%s:%zu: needs a word and a class", r.path,
                 r.lineno);
      rc = NKG_ERR_DATA;
      break;
    }
    nkg_trigger *t = calloc(1, sizeof *t);
    if (own(lex, t)) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    t->word = nkg_strdup(w);
    t->cls = nkg_strdup(cls);
    t->cameo = field(&r, 3) ? nkg_strdup(field(&r, 3)) : NULL;
    t->noun = field(&r, 1) && !strcmp(field(&r, 1), "noun");
    if (own(lex, t->word) || own(lex, t->cls) ||
        (t->cameo && own(lex, t->cameo))) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    rc = put_folded(lex->triggers, w, t, &lex->max_trigger_tokens);
  }
  reader_close(&r);
  return rc;
}

const char nkg_key_start = 0;

/* The key starts of `map` (see nkg_lexicon.name_starts) into a new map. */
static nkg_map *index_starts(const nkg_map *map, int *rc) {
  if (*rc)
    return NULL;
  nkg_map *starts = nkg_map_new();
  if (!starts) {
    *rc = NKG_ERR_NOMEM;
    return NULL;
  }
  const char *key;
  void *value;
  for (size_t i = 0; !*rc && i < nkg_map_slots(map); i++) {
    if (!nkg_map_at(map, i, &key, &value))
      continue;
    size_t n = strlen(key);
    for (size_t k = 0; !*rc && k < n; k++)
      if ((key[k] == ' ' || key[k] == '\'') && !nkg_map_get(starts, key, k))
        *rc = nkg_map_put(starts, key, k, (void *)&nkg_key_start, NULL);
    if (!*rc) /* a whole key: its value, also if it starts another */
      *rc = nkg_map_put(starts, key, n, value, NULL);
  }
  return starts;
}

/* Sets `bit` for every key of `map` without a space of at most
 * NKG_WORD_MAX bytes (with plural: for every such key plus 's') in the
 * map `words`, which is made into the word index. */
static void index_words(nkg_map *words, const nkg_map *map, unsigned bit,
                        int plural, int *rc) {
  const char *key;
  void *value;
  char buf[NKG_WORD_MAX + 1];
  for (size_t i = 0; !*rc && map && i < nkg_map_slots(map); i++) {
    if (!nkg_map_at(map, i, &key, &value))
      continue;
    size_t n = strlen(key);
    if (n + (size_t)plural > NKG_WORD_MAX || memchr(key, ' ', n))
      continue;
    memcpy(buf, key, n);
    if (plural)
      buf[n++] = 's';
    uintptr_t old = (uintptr_t)nkg_map_get(words, buf, n);
    *rc = nkg_map_put(words, buf, n, (void *)(old | bit), NULL);
  }
}

/* Sets `bit` for every first word W (no space, at most NKG_WORD_MAX
 * bytes) of a key of `starts` that goes on with ' ' or '\'' after W. */
static void index_more(nkg_map *words, const nkg_map *starts, unsigned bit,
                       int *rc) {
  const char *key;
  void *value;
  for (size_t i = 0; !*rc && i < nkg_map_slots(starts); i++) {
    if (!nkg_map_at(starts, i, &key, &value))
      continue;
    for (size_t k = 0; !*rc && key[k] && k <= NKG_WORD_MAX; k++) {
      if (key[k] == ' ' || key[k] == '\'') {
        uintptr_t old = (uintptr_t)nkg_map_get(words, key, k);
        *rc = nkg_map_put(words, key, k, (void *)(old | bit), NULL);
      }
      if (key[k] == ' ')
        break;
    }
  }
}

/* The folds of the keys of acronyms into `words` (see NKG_W_ACRONYM). */
static void index_acronyms(nkg_map *words, const nkg_map *acronyms, int *rc) {
  const char *key;
  void *value;
  for (size_t i = 0; !*rc && i < nkg_map_slots(acronyms); i++) {
    if (!nkg_map_at(acronyms, i, &key, &value))
      continue;
    char *f = nkg_fold(key, strlen(key));
    size_t n = f ? strlen(f) : 0;
    char buf[NKG_WORD_MAX + 1];
    if (!f)
      *rc = NKG_ERR_NOMEM;
    else if (n + 1 <= NKG_WORD_MAX && !memchr(f, ' ', n)) {
      memcpy(buf, f, n);
      buf[n] = '.';
      uintptr_t old = (uintptr_t)nkg_map_get(words, buf, n);
      *rc = nkg_map_put(words, buf, n, (void *)(old | NKG_W_ACRONYM), NULL);
      old = (uintptr_t)nkg_map_get(words, buf, n + 1);
      if (!*rc)
        *rc = nkg_map_put(words, buf, n + 1, (void *)(old | NKG_W_ACRONYM_DOT),
                          NULL);
    } else {
      /* too long for the index: tokens that long are all NKG_W_ALL */
    }
    free(f);
  }
}

/* The word index (see nkg_words) of the lexicon's single-word maps. */
static nkg_words *make_words(const nkg_lexicon *lex, int *rc) {
  if (*rc)
    return NULL;
  nkg_map *m = nkg_map_new();
  if (!m) {
    *rc = NKG_ERR_NOMEM;
    return NULL;
  }
  index_words(m, lex->name_starts, NKG_W_NAME_START, 0, rc);
  index_words(m, lex->title_starts, NKG_W_TITLE_START, 0, rc);
  index_words(m, lex->titles, NKG_W_TITLE_PLURAL, 1, rc);
  index_words(m, lex->adjective_starts, NKG_W_ADJ_START, 0, rc);
  index_words(m, lex->adjectives, NKG_W_ADJ_PLURAL, 1, rc);
  index_words(m, lex->relcue_starts, NKG_W_RELCUE_START, 0, rc);
  index_words(m, lex->cues, NKG_W_CUE, 0, rc);
  index_words(m, lex->stop, NKG_W_STOP, 0, rc);
  index_words(m, lex->given, NKG_W_GIVEN, 0, rc);
  index_words(m, lex->speech, NKG_W_SPEECH, 0, rc);
  index_acronyms(m, lex->acronyms, rc);
  index_more(m, lex->name_starts, NKG_W_NAME_MORE, rc);
  index_more(m, lex->title_starts, NKG_W_TITLE_MORE, rc);
  index_more(m, lex->adjective_starts, NKG_W_ADJ_MORE, rc);
  nkg_words *w = *rc ? NULL : calloc(1, sizeof *w);
  size_t cap = 64;
  while (cap < 2 * nkg_map_size(m)) /* at most half full */
    cap *= 2;
  if (w && !(w->slots = calloc(cap, sizeof *w->slots))) {
    free(w);
    w = NULL;
  }
  if (!w) {
    *rc = *rc ? *rc : NKG_ERR_NOMEM;
    nkg_map_free(m, NULL);
    return NULL;
  }
  w->mask = cap - 1;
  const char *key;
  void *value;
  for (size_t i = 0; i < nkg_map_slots(m); i++) {
    if (!nkg_map_at(m, i, &key, &value))
      continue;
    uint64_t h = nkg_word_hash(key, strlen(key));
    uint32_t tag = NKG_WORD_TAG(h);
    size_t j = h & w->mask;
    /* two words with the same tag share one slot: the union of their
     * bits (a filter may say yes too often, never no wrongly) */
    while (w->slots[j] && (w->slots[j] & NKG_WORD_TAG_BITS) != tag)
      j = (j + 1) & w->mask;
    w->slots[j] |= tag | (uint32_t)(uintptr_t)value;
  }
  nkg_map_free(m, NULL);
  return w;
}

static void free_words(nkg_words *w) {
  if (w)
    free(w->slots);
  free(w);
}

static nkg_map *must_map(int *rc) {
  nkg_map *m = nkg_map_new();
  if (!m)
    *rc = NKG_ERR_NOMEM;
  return m;
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
  nkg_lexicon *lex = calloc(1, sizeof *lex);
  if (!lex)
    return NKG_ERR_NOMEM;
  int rc = 0;
  lex->dir = nkg_strdup(data_dir);
  lex->names = must_map(&rc);
  lex->acronyms = must_map(&rc);
  lex->adjectives = must_map(&rc);
  lex->countries = must_map(&rc);
  lex->titles = must_map(&rc);
  lex->given = must_map(&rc);
  lex->stop = must_map(&rc);
  lex->cues = must_map(&rc);
  lex->triggers = must_map(&rc);
  lex->speech = must_map(&rc);
  lex->quoting = must_map(&rc);
  lex->family = must_map(&rc);
  lex->relcues = must_map(&rc);
  lex->temporal = must_map(&rc);
  lex->abbrev = must_map(&rc);
  if (!rc)
    rc = load_countries(lex, data_dir, err, errlen);
  if (!rc)
    rc = load_entities(lex, data_dir, "organizations.tsv", NKG_ORG, err,
                       errlen);
  if (!rc)
    rc = load_entities(lex, data_dir, "places.tsv", NKG_LOC, err, errlen);
  if (!rc)
    rc = add_capitals(lex);
  if (!rc)
    rc = load_titles(lex, data_dir, err, errlen);
  if (!rc)
    rc = load_words(lex, data_dir, "given_names.txt", lex->given, 0, err,
                    errlen);
  if (!rc)
    rc = load_words(lex, data_dir, "stopwords.tsv", lex->stop, 1, err,
                    errlen);
  if (!rc)
    rc = load_cues(lex, data_dir, err, errlen);
  if (!rc)
    rc = load_triggers(lex, data_dir, err, errlen);
  if (!rc)
    rc = load_words(lex, data_dir, "speech.tsv", lex->speech, 2, err, errlen);
  if (!rc)
    rc = load_words(lex, data_dir, "quotes.tsv", lex->quoting, 2, err, errlen);
  if (!rc)
    rc = load_words(lex, data_dir, "family.tsv", lex->family, 2, err, errlen);
  if (!rc)
    rc = load_words(lex, data_dir, "relations.tsv", lex->relcues, 2, err,
                    errlen);
  if (!rc)
    rc = load_words(lex, data_dir, "temporal.tsv", lex->temporal, 2, err,
                    errlen);
  if (!rc)
    rc = load_words(lex, data_dir, "abbreviations.txt", lex->abbrev, 0, err,
                    errlen);
  lex->name_starts = index_starts(lex->names, &rc);
  lex->title_starts = index_starts(lex->titles, &rc);
  lex->adjective_starts = index_starts(lex->adjectives, &rc);
  lex->relcue_starts = index_starts(lex->relcues, &rc);
  lex->words = make_words(lex, &rc);
  if (!rc)
    rc = nkg_events_load(lex, data_dir, err, errlen);
  if (!rc)
    rc = nkg_quotes_load(lex);
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
  for (size_t i = 0; i < lex->ngaz; i++)
    free(lex->gaz[i]);
  free(lex->gaz);
  for (size_t i = 0; i < lex->nowned; i++)
    free(lex->owned[i]);
  free(lex->owned);
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
