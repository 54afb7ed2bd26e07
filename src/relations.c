/* Stage 4: positions, memberships and ties (W3C ORG posts, org:memberOf,
 * family and organizational relations).
 *
 * The mention stage has already peeled titles and nationality adjectives
 * off the names, so this stage reads the tokens around each mention:
 *   posts        "Russian Foreign Minister Sergei Lavrov" (title before the
 *                name), "Tzachi Hanegbi, minister without portfolio" and
 *                "X, head of the political bureau of Hamas" (apposition
 *                after it), "the French president, Jacques Chirac," (title,
 *                comma, name), "South Africa's and Venezuela's Presidents,
 *                Thabo Mbeki and Hugo Chavez, respectively" (lists paired
 *                in order), "Former member of Knesset Omri Sharon" (X of Y);
 *   memberships  "the Quartet [Russia, the EU, US and UN]", "the quartet
 *                includes Russia, ...", "Poland, a member of Nato", and
 *                every person in the organization whose post they hold;
 *   ties         "Omri Sharon, son of Ariel Sharon", "Sharon's son Omri"
 *                (family.tsv), "the Saudi-based Al-Arabiya", "X, a
 *                subsidiary of Y", "Russia's state-owned firm Rosneft"
 *                (relations.tsv), and government bodies to their country.
 * Words come from the data files (titles.tsv, relations.tsv, family.tsv,
 * cues.tsv); only the output vocabulary below is fixed here.
 *
 * Every pattern starts at a mention, looks at a bounded window of tokens
 * and stays within its sentence, so the stage is linear in the text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SCHEMA "http://schema.org/"
#define NKGNS "https://w3id.org/newskg/ns#"

/* The ties this stage writes, by the names the data files use for them.
 * This is the graph profile's vocabulary (an output contract), not
 * knowledge about words. "child" reads "the subject is a child of the
 * object": schema:parent points from the child to the parent. */
typedef struct relation {
  const char *name, *predicate, *inverse;
} relation;

static const relation relations[] = {
    {"parentOrganization", SCHEMA "parentOrganization",
     SCHEMA "subOrganization"},
    {"subOrganization", SCHEMA "subOrganization", SCHEMA "parentOrganization"},
    {"basedIn", NKGNS "basedIn", NULL},
    {"ownedBy", NKGNS "ownedBy", NULL},
    {"governmentOf", NKGNS "governmentOf", NULL},
    {"child", SCHEMA "parent", SCHEMA "children"},
    {"parent", SCHEMA "children", SCHEMA "parent"},
    {"spouse", SCHEMA "spouse", SCHEMA "spouse"},
    {"sibling", SCHEMA "sibling", SCHEMA "sibling"},
    {"relative", SCHEMA "relatedTo", SCHEMA "relatedTo"}};

static const relation *relation_named(const char *name, size_t n) {
  for (size_t i = 0; i < sizeof relations / sizeof *relations; i++)
    if (strlen(relations[i].name) == n && !memcmp(relations[i].name, name, n))
      return &relations[i];
  return NULL;
}

/* ---- the stage's working state ---------------------------------------- */

typedef struct rctx {
  nkg_doc *doc;
  const nkg_lexicon *lex;
  int32_t *tokm; /* token -> index of the mention covering it, or -1 */
  nkg_map *seen; /* facts recorded so far (posts, ties, memberships) */
  uint8_t *done; /* per mention: already given a post by a list */
} rctx;

#define MAX_ITEMS 10
#define MAX_LIST 32
#define KEYCAP 256

/* ---- tokens ---------------------------------------------------------------
 */

static uint32_t tflags(const rctx *c, uint32_t t) {
  return c->doc->toks[t].flags;
}

static int is_char(const rctx *c, uint32_t t, char ch) {
  const nkg_token *k = &c->doc->toks[t];
  return k->e - k->b == 1 && c->doc->text[k->b] == ch;
}

static int is_word(const rctx *c, uint32_t t, const char *w) {
  return nkg_tok_is(c->doc, t, w);
}

static int is_lower(const rctx *c, uint32_t t) {
  uint32_t f = tflags(c, t);
  return (f & NKG_TF_WORD) &&
         !(f & (NKG_TF_CAP | NKG_TF_UPPER | NKG_TF_POSS | NKG_TF_DIGIT));
}

static int is_poss(const rctx *c, uint32_t t) {
  return (tflags(c, t) & NKG_TF_POSS) != 0;
}

static int is_det(const rctx *c, uint32_t t) {
  return is_word(c, t, "the") || is_word(c, t, "a") || is_word(c, t, "an");
}

/* The folded token t, *len bytes (not NUL-terminated): a piece of the
 * document's folded text. */
static const char *tok_fold(const rctx *c, uint32_t t, size_t *len) {
  return nkg_span_piece(c->doc, t, t + 1, len);
}

static const char *fold1(const rctx *c, uint32_t t, char *buf, size_t cap) {
  size_t n;
  const char *f = tok_fold(c, t, &n);
  if (n >= cap)
    n = cap - 1;
  memcpy(buf, f, n);
  buf[n] = '\0';
  return buf;
}

/* Folded tokens [b, e) joined by spaces (the possessive joins without one),
 * as the lexicon keys are. Returns 0 if it does not fit. */
static int span_key(const rctx *c, uint32_t b, uint32_t e, char *buf,
                    size_t cap) {
  size_t len = 0;
  if (e > b) {
    /* a piece of the document's folded text, if it fits */
    const char *f = nkg_span_piece(c->doc, b, e, &len);
    if (len + 1 <= cap) {
      memcpy(buf, f, len);
      buf[len] = '\0';
      return 1;
    }
    len = 0; /* what fits, token by token, as below */
  }
  buf[0] = '\0';
  for (uint32_t t = b; t < e; t++) {
    size_t n;
    const char *w = tok_fold(c, t, &n);
    int space = t > b && !is_poss(c, t);
    if (len + n + (size_t)space + 1 > cap)
      return 0;
    if (space)
      buf[len++] = ' ';
    memcpy(buf + len, w, n);
    len += n;
    buf[len] = '\0';
  }
  return 1;
}

static int32_t mention_at(const rctx *c, uint32_t t) {
  return t < c->doc->ntoks ? c->tokm[t] : -1;
}

static const nkg_mention *mention(const rctx *c, int32_t m) {
  return &c->doc->mentions[m];
}

static int entity_type(const rctx *c, int32_t entity) {
  return entity >= 0 ? c->doc->entities[entity].type : NKG_NONE;
}

/* The organization or place mention that ends exactly at token e. */
static int32_t orgloc_ending(const rctx *c, uint32_t e) {
  if (e == 0)
    return -1;
  int32_t m = mention_at(c, e - 1);
  if (m < 0 || mention(c, m)->te != e)
    return -1;
  int type = entity_type(c, mention(c, m)->entity);
  return type == NKG_ORG || type == NKG_LOC ? m : -1;
}

static int32_t orgloc_starting(const rctx *c, uint32_t b) {
  int32_t m = mention_at(c, b);
  if (m < 0 || mention(c, m)->tb != b)
    return -1;
  int type = entity_type(c, mention(c, m)->entity);
  return type == NKG_ORG || type == NKG_LOC ? m : -1;
}

static int32_t person_starting(const rctx *c, uint32_t b) {
  int32_t m = mention_at(c, b);
  if (m < 0 || mention(c, m)->tb != b ||
      entity_type(c, mention(c, m)->entity) != NKG_PER)
    return -1;
  return m;
}

/* The stopwords.tsv category of token t (0 if none). */
static int stop_category(const rctx *c, uint32_t t) {
  if (!(nkg_tok_words(c->doc, t) & NKG_W_STOP))
    return 0;
  size_t n;
  const char *w = tok_fold(c, t, &n);
  return (int)(intptr_t)nkg_map_get(c->lex->stop, w, n);
}

static int stopword(const rctx *c, uint32_t t) {
  return stop_category(c, t) != 0;
}

/* A function word, adverb or date word: never inside a title. (Other
 * stopwords are capitalized words that are not names on their own, such
 * as "Leaders" or "Officials", which titles may well be.) */
static int function_word(const rctx *c, uint32_t t) {
  int cat = stop_category(c, t);
  return cat == NKG_S_FUNCTION || cat == NKG_S_ADVERB || cat == NKG_S_WEEKDAY ||
         cat == NKG_S_MONTH;
}

static int speech_word(const rctx *c, uint32_t t) {
  if (!(nkg_tok_words(c->doc, t) & NKG_W_SPEECH))
    return 0;
  char w[64];
  fold1(c, t, w, sizeof w);
  return nkg_map_get(c->lex->speech, w, strlen(w)) != NULL;
}

/* A lower-case word that may describe an office or an organization
 * ("political", "foreign ministry"): not a function word or a verb of
 * speech. */
static int attribute_word(const rctx *c, uint32_t t) {
  return is_lower(c, t) && !stopword(c, t) && !speech_word(c, t) &&
         mention_at(c, t) < 0;
}

/* ---- lexicon look-ups -----------------------------------------------------
 */

/* relations.tsv value for the folded key: "kind\trelation". */
static const char *relcue(const rctx *c, const char *key) {
  return c->lex->relcues ? nkg_map_get(c->lex->relcues, key, strlen(key))
                         : NULL;
}

static int cue_is(const char *value, const char *kind) {
  size_t n = strlen(kind);
  return value && !strncmp(value, kind, n) &&
         (value[n] == '\t' || value[n] == '\0');
}

/* The relation named in a relations.tsv or family.tsv value's column
 * `col` (0-based, TAB separated). */
static const relation *value_relation(const char *value, int col) {
  const char *p = value;
  for (int i = 0; p && i < col; i++) {
    p = strchr(p, '\t');
    if (p)
      p++;
  }
  if (!p)
    return NULL;
  size_t n = strcspn(p, "\t");
  return relation_named(p, n);
}

static const char *relcue_span(const rctx *c, uint32_t b, uint32_t e) {
  char key[KEYCAP];
  return span_key(c, b, e, key, sizeof key) ? relcue(c, key) : NULL;
}

/* A relations.tsv phrase of the given kind starting at b (at most four
 * tokens, within [b, hi)). Returns its length in tokens, 0 if none. */
static uint32_t relcue_starting(const rctx *c, uint32_t b, uint32_t hi,
                                const char *kind, const char **value) {
  /* walk the key starts from b (see nkg_lexicon.relcue_starts): one
   * look-up a token finds every phrase there */
  if (b >= hi || !(nkg_tok_words(c->doc, b) & NKG_W_RELCUE_START))
    return 0; /* no phrase starts with the word at b */
  const void *whole[5];
  uint32_t k = 0;
  while (k < 4 && b + k < hi) {
    size_t n;
    const char *f = nkg_span_piece(c->doc, b, b + k + 1, &n);
    const void *v =
        n + 1 <= KEYCAP ? nkg_map_get(c->lex->relcue_starts, f, n) : NULL;
    if (!v)
      break;
    whole[++k] = v == &nkg_key_start ? NULL : v;
  }
  for (uint32_t n = k; n >= 1; n--) {
    if (cue_is(whole[n], kind)) {
      if (value)
        *value = whole[n];
      return n;
    }
  }
  return 0;
}

/* Modifier kind of a folded word: 'f' former, 'q' qualifier, 'd' other. */
static char modifier_kind(const rctx *c, const char *key) {
  const char *v = relcue(c, key);
  if (cue_is(v, "former"))
    return 'f';
  if (cue_is(v, "qualifier"))
    return 'q';
  return 'd';
}

/* The title named by a folded phrase, trying its singular too
 * ("presidents", "spokesmen", "secretaries"). */
static const nkg_title *title_key(const rctx *c, const char *key, int *plural) {
  *plural = 0;
  size_t n = strlen(key); /* (nkg_lex_title, with the length kept) */
  const nkg_title *t = nkg_map_get(c->lex->titles, key, n);
  if (t)
    return t;
  if (n < 4 || n + 2 > KEYCAP)
    return NULL;
  char s[KEYCAP];
  memcpy(s, key, n + 1);
  if (!memcmp(s + n - 3, "men", 3)) {
    s[n - 2] = 'a'; /* spokesmen -> spokesman */
  } else if (!memcmp(s + n - 3, "ies", 3)) {
    s[n - 3] = 'y';
    s[n - 2] = '\0';
  } else if (s[n - 1] == 's' && s[n - 2] != 's') {
    s[n - 1] = '\0';
  } else {
    return NULL;
  }
  t = nkg_lex_title(c->lex, s);
  *plural = t != NULL;
  return t;
}

/* A country adjective at [b, e) (capitalized): "Russian", "South African". */
static const nkg_gaz *adjective_span(const rctx *c, uint32_t b, uint32_t e) {
  if (!(tflags(c, b) & (NKG_TF_CAP | NKG_TF_UPPER)))
    return NULL;
  for (uint32_t t = b; t < e; t++)
    if (mention_at(c, t) >= 0 || is_poss(c, t))
      return NULL;
  char key[KEYCAP];
  if (!span_key(c, b, e, key, sizeof key))
    return NULL;
  return nkg_lex_adjective(c->lex, key);
}

/* A known organization or place named exactly by [b, e) ("UN" in "UN
 * Secretary General", "Foreign Office" in "Foreign Office Minister"). */
static const nkg_gaz *gaz_span(const rctx *c, uint32_t b, uint32_t e) {
  const nkg_token *k = &c->doc->toks[b];
  if (e == b + 1 && (nkg_tok_words(c->doc, b) & NKG_W_ACRONYM)) {
    const nkg_gaz *g =
        nkg_map_get(c->lex->acronyms, c->doc->text + k->b, k->e - k->b);
    if (g)
      return g;
  }
  if (!(tflags(c, e - 1) & (NKG_TF_CAP | NKG_TF_UPPER)))
    return NULL;
  char key[KEYCAP];
  if (!span_key(c, b, e, key, sizeof key))
    return NULL;
  const nkg_gaz *g = nkg_lex_name(c->lex, key);
  return g && !g->ambiguous && g->type != NKG_PER ? g : NULL;
}

/* ---- recording facts -------------------------------------------------- */

/* True the first time a fact key is seen in this document. */
/* Keys built by byte copies, cut as snprintf cuts them (at most cap - 1
 * bytes, NUL-terminated): the same keys as the printf formats named at
 * each use, without the formatting machinery. */
typedef struct keybuf {
  char *s;
  size_t len, cap;
} keybuf;

static void key_bytes(keybuf *k, const char *s, size_t n) {
  if (n > k->cap - 1 - k->len)
    n = k->cap - 1 - k->len;
  memcpy(k->s + k->len, s, n);
  k->len += n;
  k->s[k->len] = '\0';
}

static void key_str(keybuf *k, const char *s) { key_bytes(k, s, strlen(s)); }

static void key_chr(keybuf *k, char ch) { key_bytes(k, &ch, 1); }

static void key_int(keybuf *k, long long v) { /* as %d and %u */
  char digits[24];
  size_t i = 0;
  if (v < 0)
    digits[i++] = '-';
  i += nkg_put_decimal(digits + i, v < 0 ? 0ULL - (unsigned long long)v
                                         : (unsigned long long)v);
  key_bytes(k, digits, i);
}

static int first_time(rctx *c, const char *key, int *rc) {
  if (nkg_map_get(c->seen, key, strlen(key)))
    return 0;
  if (nkg_map_put(c->seen, key, strlen(key), (void *)1, NULL)) {
    *rc = NKG_ERR_NOMEM;
    return 0;
  }
  return 1;
}

static int add_tie(rctx *c, int32_t s, int32_t o, const relation *r,
                   uint32_t tb, uint32_t te) {
  if (s < 0 || o < 0 || s == o || !r)
    return 0;
  char key[96]; /* "t%d|%s|%d": s, relation, o */
  keybuf kb = {key, 0, sizeof key};
  key_chr(&kb, 't');
  key_int(&kb, s);
  key_chr(&kb, '|');
  key_str(&kb, r->name);
  key_chr(&kb, '|');
  key_int(&kb, o);
  int rc = 0;
  if (!first_time(c, key, &rc))
    return rc;
  nkg_tie tie = {s, o, r->predicate, r->inverse, tb, te};
  return NKG_PUSH(c->doc->ties, c->doc->nties, c->doc->capties, tie)
             ? NKG_ERR_NOMEM
             : 0;
}

static int add_member(rctx *c, int32_t member, int32_t group, uint32_t tb,
                      uint32_t te) {
  if (member < 0 || group < 0 || member == group ||
      entity_type(c, group) != NKG_ORG)
    return 0;
  char key[64]; /* "m%d|%d": member, group */
  keybuf kb = {key, 0, sizeof key};
  key_chr(&kb, 'm');
  key_int(&kb, member);
  key_chr(&kb, '|');
  key_int(&kb, group);
  int rc = 0;
  if (!first_time(c, key, &rc))
    return rc;
  nkg_membership m = {member, group, tb, te};
  return NKG_PUSH(c->doc->members, c->doc->nmembers, c->doc->capmembers, m)
             ? NKG_ERR_NOMEM
             : 0;
}

static int add_entity_name(nkg_dentity *e, const char *name) {
  for (size_t i = 0; i < e->nnames; i++)
    if (!strcmp(e->names[i], name))
      return 0;
  char *copy = nkg_strdup(name);
  if (!copy || NKG_PUSH(e->names, e->nnames, e->capnames, copy)) {
    free(copy);
    return NKG_ERR_NOMEM;
  }
  return 0;
}

/* A document entity for an organization named by this stage (a lower-case
 * "foreign ministry" of a known country), found by its key or added. The
 * name is the one a capitalized mention would give ("Israeli Foreign
 * Ministry"), so that both meet across articles; `surface` is what the text
 * says. Returns its index or -1 (out of memory). */
static int32_t entity_named(rctx *c, const char *name, int type, int kind,
                            const char *surface) {
  nkg_doc *doc = c->doc;
  nkg_dentity e;
  memset(&e, 0, sizeof e);
  e.name = (char *)name;
  e.type = (uint8_t)type;
  char *key = nkg_entity_key(&e);
  if (!key)
    return -1;
  if (!doc->entity_keys && !(doc->entity_keys = nkg_map_new())) {
    free(key);
    return -1;
  }
  int32_t idx =
      (int32_t)(intptr_t)nkg_map_get(doc->entity_keys, key, strlen(key)) - 1;
  if (idx < 0) {
    e.name = nkg_strdup(name);
    e.key = key;
    e.kind = (uint8_t)kind;
    e.global = -1;
    key = NULL;
    if (!e.name || add_entity_name(&e, name) ||
        NKG_PUSH(doc->entities, doc->nentities, doc->capentities, e)) {
      free(e.name);
      free(e.key);
      for (size_t i = 0; i < e.nnames; i++)
        free(e.names[i]);
      free(e.names);
      return -1;
    }
    idx = (int32_t)doc->nentities - 1;
    if (nkg_map_put(doc->entity_keys, e.key, strlen(e.key),
                    (void *)(intptr_t)(idx + 1), NULL))
      return -1;
  }
  free(key);
  if (surface && add_entity_name(&doc->entities[idx], surface))
    return -1;
  return idx;
}

/* ---- titles ----------------------------------------------------------------
 */

/* An office as written: its tokens, the normalized role and what the words
 * inside it say (a modifier inside a compound office, an organization
 * inside "UN Secretary General"). */
typedef struct office {
  uint32_t hb, he;
  char role[128];
  char qual[64];
  int former, plural;
  const nkg_gaz *in;      /* organization or country named inside the title */
  const nkg_title *title; /* the office's entry in titles.tsv */
} office;

static void add_qual(char *qual, size_t cap, const char *word) {
  size_t n = strlen(qual), w = strlen(word);
  while (w && word[w - 1] == '-')
    w--;
  while (w && *word == '-')
    word++, w--;
  if (!w || n + w + 2 > cap)
    return;
  if (n)
    qual[n++] = ' ';
  memcpy(qual + n, word, w);
  qual[n + w] = '\0';
}

static void set_role(office *o, const char *title) {
  nkg_fold_to(title, strlen(title), o->role, sizeof o->role);
}

/* A hyphenated single token: "leader-in-exile", "ex-president",
 * "president-elect". Modifiers before the office say former/qualifier;
 * modifiers after it are qualifiers; other words stay in the role. */
static int hyphen_office(const rctx *c, uint32_t t, office *o) {
  char w[KEYCAP];
  fold1(c, t, w, sizeof w);
  if (!strchr(w, '-'))
    return 0;
  char *seg[8];
  size_t nseg = 0;
  for (char *p = w; nseg < 8;) {
    seg[nseg++] = p;
    char *d = strchr(p, '-');
    if (!d)
      break;
    *d = '\0';
    p = d + 1;
  }
  size_t at = nseg;
  const nkg_title *tt = NULL;
  for (size_t i = 0; i < nseg && at == nseg; i++) {
    int plural;
    tt = title_key(c, seg[i], &plural);
    if (tt && tt->kind == NKG_T_OFFICE) {
      at = i;
      o->plural = plural;
    } else {
      tt = NULL;
    }
  }
  if (!tt)
    return 0;
  char qual[64] = "";
  int former = 0;
  for (size_t i = 0; i < at; i++) {
    char k[72]; /* "%s-" */
    keybuf kb = {k, 0, sizeof k};
    key_str(&kb, seg[i]);
    key_chr(&kb, '-');
    char mk = modifier_kind(c, k);
    if (mk == 'd')
      mk = modifier_kind(c, seg[i]);
    if (mk == 'd')
      return 0; /* "anti-president": not a modifier */
    if (mk == 'f')
      former = 1;
    else
      add_qual(qual, sizeof qual, seg[i]);
  }
  int suffix_mods = at + 1 < nseg;
  for (size_t i = at + 1; i < nseg && suffix_mods; i++) {
    char k[72]; /* "-%s" */
    keybuf kb = {k, 0, sizeof k};
    key_chr(&kb, '-');
    key_str(&kb, seg[i]);
    suffix_mods = modifier_kind(c, k) == 'q';
  }
  if (suffix_mods || at + 1 == nseg) {
    for (size_t i = at + 1; i < nseg; i++)
      add_qual(qual, sizeof qual, seg[i]);
    set_role(o, tt->title);
  } else {
    /* "leader-in-exile": the whole compound is the role */
    nkg_buf r = {0};
    for (size_t i = at; i < nseg; i++) {
      if (i > at)
        nkg_buf_addc(&r, '-');
      nkg_buf_adds(&r, i == at ? tt->title : seg[i]);
    }
    if (!r.s)
      return 0;
    nkg_fold_to(r.s, r.len, o->role, sizeof o->role);
    nkg_buf_free(&r);
  }
  memcpy(o->qual, qual, sizeof qual);
  o->former = former;
  o->title = tt;
  o->hb = t;
  o->he = t + 1;
  return 1;
}

/* Is [b, e) an office? Compound offices listed whole ("Deputy Prime
 * Minister", "UN Secretary General") are split into the modifier or the
 * organization and the office proper, so that the role is shared. */
static int office_span(const rctx *c, uint32_t b, uint32_t e, office *o) {
  memset(o, 0, sizeof *o);
  for (uint32_t t = b; t < e; t++)
    if (!(tflags(c, t) & NKG_TF_WORD) || is_poss(c, t) || mention_at(c, t) >= 0)
      return 0;
  if (e == b + 1 && hyphen_office(c, b, o)) {
    /* only when the whole token is not itself a listed title */
    char key[KEYCAP];
    int plural;
    fold1(c, b, key, sizeof key);
    const nkg_title *tt = title_key(c, key, &plural);
    if (!tt)
      return 1;
    memset(o, 0, sizeof *o);
  }
  char key[KEYCAP];
  if (!span_key(c, b, e, key, sizeof key))
    return 0;
  int plural;
  const nkg_title *tt = title_key(c, key, &plural);
  if (!tt || tt->kind != NKG_T_OFFICE)
    return 0;
  o->hb = b;
  o->he = e;
  o->plural = plural;
  /* peel modifiers and names off the front while an office remains */
  uint32_t rb = b;
  for (uint32_t j = rb + 1; j < e; j++) {
    char rk[KEYCAP];
    int rp;
    if (!span_key(c, j, e, rk, sizeof rk))
      continue;
    const nkg_title *rt = title_key(c, rk, &rp);
    if (!rt || rt->kind != NKG_T_OFFICE)
      continue;
    char pk[KEYCAP];
    if (!span_key(c, rb, j, pk, sizeof pk))
      continue;
    char mk = modifier_kind(c, pk);
    const nkg_gaz *g = NULL;
    if (mk == 'd') {
      const nkg_gaz *adj = adjective_span(c, rb, j);
      g = adj ? adj : gaz_span(c, rb, j);
      if (!g)
        continue;
    }
    if (g)
      o->in = g;
    else if (mk == 'f')
      o->former = 1;
    else
      add_qual(o->qual, sizeof o->qual, pk);
    tt = rt;
    rb = j;
  }
  set_role(o, tt->title);
  o->title = tt;
  return 1;
}

/* Can a title end (or start) at token t? Not on punctuation or a function
 * word: most tokens next to a name are those, and this saves the look-ups
 * of every length. */
static int title_edge(const rctx *c, uint32_t t) {
  uint32_t f = tflags(c, t);
  if (!(f & NKG_TF_WORD) || (f & NKG_TF_POSS))
    return 0;
  return (f & (NKG_TF_CAP | NKG_TF_UPPER)) || !function_word(c, t);
}

/* The longest office ending at e and starting at or after lo. */
static int office_ending(const rctx *c, uint32_t e, uint32_t lo, office *o) {
  if (e <= lo || !title_edge(c, e - 1))
    return 0;
  uint32_t max = (uint32_t)c->lex->max_title_tokens;
  if (max < 1)
    max = 1;
  for (uint32_t k = max; k >= 1; k--)
    if (e >= lo + k && office_span(c, e - k, e, o))
      return 1;
  return 0;
}

static int office_starting(const rctx *c, uint32_t b, uint32_t hi, office *o) {
  if (b >= hi || !title_edge(c, b))
    return 0;
  uint32_t max = (uint32_t)c->lex->max_title_tokens;
  if (max < 1)
    max = 1;
  for (uint32_t k = max; k >= 1; k--)
    if (b + k <= hi && office_span(c, b, b + k, o))
      return 1;
  return 0;
}

/* The longest title modifier ("former", "acting", "newly appointed")
 * ending at e; its length in tokens and kind ('f', 'q', 'd'). */
static uint32_t modifier_ending(const rctx *c, uint32_t e, uint32_t lo,
                                char *kind) {
  for (uint32_t k = 3; k >= 1; k--) {
    if (e < lo + k)
      continue;
    int ok = 1;
    for (uint32_t t = e - k; t < e && ok; t++)
      ok = (tflags(c, t) & NKG_TF_WORD) && !is_poss(c, t) &&
           mention_at(c, t) < 0;
    char key[KEYCAP];
    int plural;
    if (!ok || !span_key(c, e - k, e, key, sizeof key))
      continue;
    const nkg_title *tt = title_key(c, key, &plural);
    if (tt && tt->kind == NKG_T_MODIFIER && !plural) {
      *kind = modifier_kind(c, key);
      return k;
    }
  }
  return 0;
}

static uint32_t modifier_starting(const rctx *c, uint32_t b, uint32_t hi,
                                  char *kind) {
  for (uint32_t k = 3; k >= 1; k--)
    if (b + k <= hi && modifier_ending(c, b + k, b, kind) == k)
      return k;
  return 0;
}

/* ---- title phrases ------------------------------------------------------- */

enum item_kind { IT_ATTR, IT_MOD, IT_ORG, IT_ADJ, IT_POSS };

/* One piece of a title phrase besides the office. */
typedef struct item {
  uint8_t kind;
  char mod; /* IT_MOD: 'f', 'q', 'd' */
  uint32_t b, e;
  int32_t mention;        /* IT_ORG, IT_POSS */
  const nkg_gaz *country; /* IT_ADJ */
} item;

/* A title phrase next to a name: what a post needs. */
typedef struct phrase {
  office o;
  uint32_t pb, pe;  /* the phrase without the name (evidence) */
  uint32_t tb, te;  /* the title as written */
  uint32_t ab, ae;  /* attribute words in the role ("political") */
  int32_t org;      /* entity or -1 */
  uint32_t org_end; /* end of the item that named it (0: none) */
  int former;
  char qual[64];
  /* the organizations of a coordinated title ("South Africa's and
   * Venezuela's Presidents"), in text order */
  int32_t orgs[MAX_LIST];
  size_t norgs;
} phrase;

static int32_t item_entity(rctx *c, const item *it) {
  if (it->kind == IT_ADJ)
    return nkg_doc_entity_for_gaz(c->doc, it->country);
  if (it->kind == IT_ORG || it->kind == IT_POSS)
    return mention(c, it->mention)->entity;
  return -1;
}

static int org_bearing(const item *it) {
  return it->kind == IT_ORG || it->kind == IT_ADJ || it->kind == IT_POSS;
}

/* Does a nationality adjective name the country of this office ("Russian
 * Foreign Minister") rather than the person's nationality ("British
 * actor")? relations.tsv lists the title classes of the first kind. */
static int state_office(const rctx *c, const office *o) {
  return o->title && o->title->cls &&
         cue_is(relcue(c, o->title->cls), "stateclass");
}

/* Does a place named before or after the title ("England coach", "Moscow
 * mayor", "Russia's foreign minister") hold the post, or is it where the
 * person is from ("US television host")? */
static int place_office(const rctx *c, const office *o) {
  return state_office(c, o) || (o->title && o->title->cls &&
                                cue_is(relcue(c, o->title->cls), "placeclass"));
}

/* Can this item name the organization of the office? */
static int item_holds(const rctx *c, const item *it, const office *o) {
  if (it->kind == IT_ADJ)
    return state_office(c, o);
  if (it->kind != IT_ORG && it->kind != IT_POSS)
    return 0;
  const nkg_mention *m = mention(c, it->mention);
  /* an unknown capitalized word that opens the sentence and appears
   * nowhere else ("Prosecuting attorney X") is too weak to be the
   * organization */
  const nkg_dentity *d = &c->doc->entities[m->entity];
  if (m->te == m->tb + 1 && !d->gaz && d->nmentions <= 1 &&
      (tflags(c, m->tb) & NKG_TF_SSTART) && !(tflags(c, m->tb) & NKG_TF_UPPER))
    return 0;
  return entity_type(c, m->entity) != NKG_LOC || place_office(c, o);
}

/* An organization, place or nationality ending at e: "Hamas", "Israel's",
 * "Russian". */
static int org_item_ending(const rctx *c, uint32_t e, uint32_t lo, item *it) {
  memset(it, 0, sizeof *it);
  if (e <= lo)
    return 0;
  if (is_poss(c, e - 1)) {
    int32_t m = orgloc_ending(c, e - 1);
    if (m < 0 || mention(c, m)->tb < lo)
      return 0;
    it->kind = IT_POSS;
    it->mention = m;
    it->b = mention(c, m)->tb;
    it->e = e;
    return 1;
  }
  int32_t m = orgloc_ending(c, e);
  if (m >= 0 && mention(c, m)->tb >= lo) {
    it->kind = IT_ORG;
    it->mention = m;
    it->b = mention(c, m)->tb;
    it->e = e;
    return 1;
  }
  for (uint32_t k = 2; k >= 1; k--) {
    if (e < lo + k)
      continue;
    const nkg_gaz *g = adjective_span(c, e - k, e);
    if (g) {
      it->kind = IT_ADJ;
      it->country = g;
      it->b = e - k;
      it->e = e;
      return 1;
    }
  }
  return 0;
}

static int org_item_starting(const rctx *c, uint32_t b, uint32_t hi, item *it) {
  memset(it, 0, sizeof *it);
  int32_t m = orgloc_starting(c, b);
  if (m >= 0 && mention(c, m)->te <= hi) {
    uint32_t e = mention(c, m)->te;
    it->kind = IT_ORG;
    it->mention = m;
    it->b = b;
    it->e = e;
    if (e < hi && is_poss(c, e)) {
      it->kind = IT_POSS;
      it->e = e + 1;
    }
    return 1;
  }
  for (uint32_t k = 2; k >= 1; k--) {
    if (b + k > hi)
      continue;
    const nkg_gaz *g = adjective_span(c, b, b + k);
    if (g) {
      it->kind = IT_ADJ;
      it->country = g;
      it->b = b;
      it->e = b + k;
      return 1;
    }
  }
  return 0;
}

/* The organizations coordinated before a plural title, ending at e:
 * "South Africa's and Venezuela's", "the French and German". */
static size_t org_list_ending(rctx *c, uint32_t e, uint32_t lo, int32_t *orgs,
                              uint32_t *start) {
  item found[MAX_LIST];
  size_t n = 0;
  uint32_t q = e;
  while (n < MAX_LIST) {
    item it;
    if (!org_item_ending(c, q, lo, &it))
      break;
    found[n++] = it;
    q = it.b;
    *start = q;
    if (q > lo && is_word(c, q - 1, "and")) {
      q--;
      if (q > lo && is_char(c, q - 1, ','))
        q--;
    } else if (q > lo && is_char(c, q - 1, ',')) {
      q--;
    } else {
      break;
    }
  }
  for (size_t i = 0; i < n; i++)
    orgs[i] = item_entity(c, &found[n - 1 - i]);
  return n;
}

/* A lower-case government body named before an office: "Israel's foreign
 * ministry spokesman", "a German defence ministry official". Returns the
 * organization (tied to its country) or -1 if there is none; *rc gets an
 * error status. */
static int32_t government_body(rctx *c, uint32_t ab, uint32_t ae,
                               const item *anchor, int *rc) {
  const nkg_gaz *country = NULL;
  if (anchor->kind == IT_ADJ)
    country = anchor->country;
  else if (anchor->kind == IT_ORG || anchor->kind == IT_POSS)
    country = c->doc->entities[mention(c, anchor->mention)->entity].gaz;
  if (!country || country->kind != NKG_K_COUNTRY || !country->adjective ||
      ae <= ab)
    return -1;
  const nkg_gaz *ce_gaz = country;
  char w[64];
  const nkg_cue *cue = nkg_lex_cue(c->lex, fold1(c, ae - 1, w, sizeof w));
  if (!cue || cue->prefix || cue->type != NKG_ORG ||
      (cue->kind != NKG_K_GOVERNMENT && cue->kind != NKG_K_LEGISLATURE))
    return -1;
  /* "Israeli Foreign Ministry": what the capitalized name would be */
  nkg_buf name = {0};
  nkg_buf_adds(&name, ce_gaz->adjective);
  for (uint32_t t = ab; t < ae; t++) {
    const nkg_token *k = &c->doc->toks[t];
    nkg_buf_addc(&name, ' ');
    char first = c->doc->text[k->b];
    nkg_buf_addc(&name,
                 first >= 'a' && first <= 'z' ? (char)(first - 32) : first);
    nkg_buf_add(&name, c->doc->text + k->b + 1, k->e - k->b - 1);
  }
  char *surface = nkg_span_text(c->doc, ab, ae);
  int32_t e = (name.s && surface)
                  ? entity_named(c, name.s, NKG_ORG, cue->kind, surface)
                  : -1;
  free(surface);
  nkg_buf_free(&name);
  int32_t home = e >= 0 ? nkg_doc_entity_for_gaz(c->doc, country) : -1;
  if (home < 0) {
    *rc = NKG_ERR_NOMEM;
    return -1;
  }
  *rc = add_tie(c, e, home, relation_named("governmentOf", 12), ab, ae);
  return *rc ? -1 : e;
}

/* Finishes a phrase from the office and the items in front of it (items[0]
 * nearest the office). `anchored_attrs`: attribute words need an
 * organization, nationality or modifier just before them. Returns 0 if
 * nothing is left to make a post of. */
static int build_phrase(rctx *c, phrase *p, item *items, size_t n) {
  /* attribute words right before the office */
  size_t a = 0;
  while (a < n && items[a].kind == IT_ATTR)
    a++;
  size_t keep = n;
  if (a > 0 && a == n)
    keep = 0, a = 0; /* unanchored: "said party leader X" */
  /* past the attributes: modifiers and one organization */
  int orgs = 0;
  for (size_t i = a; i < keep; i++) {
    if (items[i].kind == IT_ATTR) {
      keep = i;
      break;
    }
    if (org_bearing(&items[i]) && ++orgs > 1) {
      keep = i;
      break;
    }
  }
  p->org = -1;
  p->org_end = 0;
  p->former = p->o.former;
  p->pb = p->o.hb;
  p->tb = p->o.hb;
  p->ab = p->ae = p->o.hb;
  if (a > 0) {
    p->ab = items[a - 1].b;
    p->tb = p->ab;
  }
  int in_title = 1;
  size_t quals[MAX_ITEMS], nq = 0;
  for (size_t i = 0; i < keep; i++) {
    const item *it = &items[i];
    p->pb = it->b;
    if (org_bearing(it) && p->org < 0 && item_holds(c, it, &p->o)) {
      p->org = item_entity(c, it);
      p->org_end = it->e;
      if (p->org < 0)
        return NKG_ERR_NOMEM;
    }
    if (it->kind == IT_MOD && it->mod == 'q') {
      quals[nq++] = i;
      if (in_title)
        p->tb = it->b; /* "Acting Israeli Prime Minister" */
    } else if (it->kind == IT_MOD) {
      p->former |= it->mod == 'f';
      in_title = 0;
    } else if (it->kind == IT_ATTR) {
      /* "ex-travel agent" */
      char w[64];
      char *dash = strchr(fold1(c, it->b, w, sizeof w), '-');
      if (dash) {
        dash[1] = '\0';
        p->former |= modifier_kind(c, w) == 'f';
      }
    } else if (it->kind != IT_ADJ) {
      in_title = 0;
    }
  }
  /* qualifiers in text order (items run right to left), then those inside
   * the office */
  p->qual[0] = '\0';
  for (size_t i = nq; i-- > 0;) {
    char key[KEYCAP];
    if (span_key(c, items[quals[i]].b, items[quals[i]].e, key, sizeof key))
      add_qual(p->qual, sizeof p->qual, key);
  }
  if (p->o.qual[0])
    add_qual(p->qual, sizeof p->qual, p->o.qual);
  if (p->o.in && p->org < 0) {
    p->org = nkg_doc_entity_for_gaz(c->doc, p->o.in);
    if (p->org < 0)
      return NKG_ERR_NOMEM;
  }
  /* "Israel's foreign ministry spokesman": the attributes name a body of
   * the country before them, which holds the post whatever its class */
  if (a > 0 && a < keep && org_bearing(&items[a]) &&
      (p->org < 0 || entity_type(c, p->org) == NKG_LOC)) {
    int rc = 0;
    int32_t body = government_body(c, p->ab, p->o.hb, &items[a], &rc);
    if (rc)
      return rc;
    if (body >= 0) {
      p->org = body;
      if (p->tb == p->ab)
        p->tb = p->o.hb;
      p->ab = p->ae = p->o.hb;
    }
  }
  if (p->ab < p->o.hb)
    p->ae = p->o.hb;
  p->te = p->o.he;
  return 1;
}

/* The length of an honorific ("Sir", "Mr") starting at t, or 0. */
static uint32_t honorific_at(const rctx *c, uint32_t t, uint32_t hi) {
  for (uint32_t k = 2; k >= 1; k--) {
    char key[KEYCAP];
    int plural;
    const nkg_title *tt = NULL;
    if (t + k <= hi && span_key(c, t, t + k, key, sizeof key))
      tt = title_key(c, key, &plural);
    if (tt && tt->kind == NKG_T_HONORIFIC && !plural)
      return k;
  }
  return 0;
}

/* A title phrase that ends right before token e ("Acting Israeli Prime
 * Minister", "Hamas political leader", "Israel's foreign ministry
 * spokesman", "Former member of Knesset"). */
static int parse_before(rctx *c, uint32_t e, uint32_t lo, phrase *p) {
  memset(p, 0, sizeof *p);
  p->org = -1;
  /* an honorific between title and name: "manager Sir Alex Ferguson" */
  for (uint32_t k = 2; k >= 1; k--) {
    if (e >= lo + k && honorific_at(c, e - k, e) == k) {
      e -= k;
      break;
    }
  }
  int32_t inside = -1; /* "member of Knesset": the organization */
  if (!office_ending(c, e, lo, &p->o)) {
    int32_t m = orgloc_ending(c, e);
    if (m < 0)
      return 0;
    uint32_t j = mention(c, m)->tb;
    if (j > lo && is_word(c, j - 1, "the"))
      j--;
    if (j <= lo || !is_word(c, j - 1, "of") ||
        !office_ending(c, j - 1, lo, &p->o))
      return 0;
    inside = mention(c, m)->entity;
  }
  item items[MAX_ITEMS];
  size_t n = 0;
  uint32_t q = p->o.hb;
  while (q > lo && n < MAX_ITEMS) {
    item *it = &items[n];
    memset(it, 0, sizeof *it);
    char mk;
    uint32_t k;
    if (org_item_ending(c, q, lo, it)) {
      q = it->b;
      n++;
      continue;
    }
    if ((k = modifier_ending(c, q, lo, &mk))) {
      it->kind = IT_MOD;
      it->mod = mk;
      it->b = q - k;
      it->e = q;
      q -= k;
      n++;
      continue;
    }
    if (attribute_word(c, q - 1)) {
      it->kind = IT_ATTR;
      it->b = q - 1;
      it->e = q;
      q--;
      n++;
      continue;
    }
    break;
  }
  int rc = build_phrase(c, p, items, n);
  if (rc <= 0)
    return rc;
  if (inside >= 0)
    p->org = inside;
  p->pe = e;
  /* coordinated organizations before a plural title */
  if (p->o.plural && p->org_end) {
    uint32_t start = p->pb;
    p->norgs = org_list_ending(c, p->org_end, lo, p->orgs, &start);
    if (p->norgs > 1 && start < p->pb)
      p->pb = start;
  }
  return 1;
}

/* Extends an office after it: "head of the political bureau of the ruling
 * ... Hamas party", "leader-in-exile of the Palestinian Hamas party",
 * "spokesman for the State Department". */
static uint32_t parse_of(rctx *c, phrase *p, uint32_t hi) {
  uint32_t end = p->o.he;
  for (int round = 0; round < 3; round++) {
    uint32_t q = end;
    if (q >= hi ||
        !(is_word(c, q, "of") || is_word(c, q, "for") || is_word(c, q, "at")))
      break;
    int of = is_word(c, q, "of");
    q++;
    if (q < hi && is_word(c, q, "the"))
      q++;
    /* a lower-case unit followed by "of" belongs to the title */
    uint32_t w = 0;
    while (q + w < hi && w < 3 && attribute_word(c, q + w))
      w++;
    if (of && w > 0 && q + w < hi && is_word(c, q + w, "of")) {
      end = q + w;
      p->o.he = end;
      p->te = end;
      continue;
    }
    /* "of the ruling Islamic Resistance Movement Hamas party" */
    uint32_t r = q, skipped = 0;
    while (r < hi && skipped < 3 && orgloc_starting(c, r) < 0) {
      item it;
      char mk;
      uint32_t k;
      if (attribute_word(c, r)) {
        r++;
      } else if ((k = modifier_starting(c, r, hi, &mk))) {
        r += k;
      } else if (org_item_starting(c, r, hi, &it) && it.kind == IT_ADJ) {
        r = it.e;
      } else {
        break;
      }
      skipped++;
    }
    int32_t m = r < hi ? orgloc_starting(c, r) : -1;
    /* "chief executive of US firm Open Source Labs": a place that
     * describes the organization that follows */
    if (m >= 0 && entity_type(c, mention(c, m)->entity) == NKG_LOC &&
        mention(c, m)->te < hi && attribute_word(c, mention(c, m)->te)) {
      uint32_t t = mention(c, m)->te;
      for (int k = 0; k < 3 && t < hi && attribute_word(c, t); k++)
        t++;
      m = t < hi ? orgloc_starting(c, t) : -1;
      if (m >= 0 && entity_type(c, mention(c, m)->entity) != NKG_ORG)
        m = -1;
    }
    if (m < 0)
      break;
    int32_t ent = mention(c, m)->entity;
    if (p->org < 0 || entity_type(c, p->org) == NKG_LOC ||
        entity_type(c, ent) == NKG_ORG)
      p->org = ent;
    end = mention(c, m)->te;
    /* the same organization again, and its cue word: "Islamic Resistance
     * Movement Hamas party" */
    for (;;) {
      int32_t m2 = end < hi ? orgloc_starting(c, end) : -1;
      if (m2 >= 0 && mention(c, m2)->entity == ent) {
        end = mention(c, m2)->te;
        continue;
      }
      char cw[64];
      const nkg_cue *cue =
          end < hi && is_lower(c, end)
              ? nkg_lex_cue(c->lex, fold1(c, end, cw, sizeof cw))
              : NULL;
      if (cue && !cue->prefix)
        end++;
      break;
    }
    break;
  }
  return end;
}

/* A title phrase after a name and a comma: "X, minister without
 * portfolio", "X, a leader-in-exile of the Palestinian Hamas party", "X,
 * Russia's foreign minister". */
static int parse_after(rctx *c, uint32_t s, uint32_t hi, phrase *p) {
  memset(p, 0, sizeof *p);
  p->org = -1;
  uint32_t q = s;
  if (q >= hi || !is_char(c, q, ','))
    return 0;
  q++;
  if (q < hi && is_det(c, q))
    q++;
  item fwd[MAX_ITEMS];
  size_t n = 0;
  int found = 0;
  while (q < hi && n < MAX_ITEMS) {
    if (office_starting(c, q, hi, &p->o)) {
      found = 1;
      break;
    }
    item *it = &fwd[n];
    char mk;
    uint32_t k;
    if (org_item_starting(c, q, hi, it)) {
      q = it->e;
      n++;
      continue;
    }
    memset(it, 0, sizeof *it);
    if ((k = modifier_starting(c, q, hi, &mk))) {
      it->kind = IT_MOD;
      it->mod = mk;
      it->b = q;
      it->e = q + k;
      q += k;
      n++;
      continue;
    }
    if (attribute_word(c, q)) {
      it->kind = IT_ATTR;
      it->b = q;
      it->e = q + 1;
      q++;
      n++;
      continue;
    }
    break;
  }
  if (!found)
    return 0;
  /* items nearest the office first, as build_phrase reads them */
  item items[MAX_ITEMS];
  for (size_t i = 0; i < n; i++)
    items[i] = fwd[n - 1 - i];
  /* unanchored attributes after a comma are dropped, not fatal:
   * "X, the ailing prime minister" */
  size_t a = 0;
  while (a < n && items[a].kind == IT_ATTR)
    a++;
  if (a > 0 && a == n) {
    n = 0;
  }
  int rc = build_phrase(c, p, items, n);
  if (rc <= 0)
    return rc;
  p->pe = parse_of(c, p, hi);
  p->pb = s;
  /* "Scotland pair A and B, Wales scrum-half C": a title followed by a
   * name is that name's, not an apposition of the name before it */
  uint32_t t = p->pe;
  if (t < hi && honorific_at(c, t, hi))
    t += honorific_at(c, t, hi);
  if (t < hi && (tflags(c, t) & (NKG_TF_CAP | NKG_TF_UPPER)) &&
      (tflags(c, t) & NKG_TF_WORD) && orgloc_starting(c, t) < 0)
    return 0;
  return 1;
}

/* ---- posts ------------------------------------------------------------- */

static int add_post(rctx *c, int32_t person, const phrase *p, int32_t org,
                    uint32_t tb, uint32_t te) {
  nkg_doc *doc = c->doc;
  if (person < 0 || entity_type(c, person) != NKG_PER || org == person)
    return 0;
  /* the role: attribute words, the office, a unit ("of the political
   * bureau") */
  nkg_buf role = {0};
  if (p->ae > p->ab) {
    char *a = nkg_span_fold(doc, p->ab, p->ae);
    if (!a)
      return NKG_ERR_NOMEM;
    nkg_buf_adds(&role, a);
    nkg_buf_addc(&role, ' ');
    free(a);
  }
  nkg_buf_adds(&role, p->o.role);
  uint32_t head_end = p->o.hb + 1;
  while (head_end < p->o.he && head_end < doc->ntoks &&
         !is_word(c, head_end, "of"))
    head_end++;
  if (head_end < p->te) {
    /* "head of the political bureau": the unit as written */
    char *u = nkg_span_fold(doc, head_end, p->te);
    if (!u) {
      nkg_buf_free(&role);
      return NKG_ERR_NOMEM;
    }
    char k[KEYCAP];
    int plural;
    span_key(c, p->o.hb, p->te, k, sizeof k);
    if (!title_key(c, k, &plural)) {
      nkg_buf_addc(&role, ' ');
      nkg_buf_adds(&role, u);
    }
    free(u);
  }
  if (!role.s) {
    nkg_buf_free(&role);
    return NKG_ERR_NOMEM;
  }
  char key[KEYCAP + 64]; /* "p%d|%s|%d|%d|%u|%u" */
  keybuf kb = {key, 0, sizeof key};
  key_chr(&kb, 'p');
  key_int(&kb, person);
  key_chr(&kb, '|');
  key_bytes(&kb, role.s, role.len);
  key_chr(&kb, '|');
  key_int(&kb, org);
  key_chr(&kb, '|');
  key_int(&kb, p->former);
  key_chr(&kb, '|');
  key_int(&kb, tb);
  key_chr(&kb, '|');
  key_int(&kb, te);
  int rc = 0;
  if (!first_time(c, key, &rc)) {
    nkg_buf_free(&role);
    return rc;
  }
  nkg_post post;
  memset(&post, 0, sizeof post);
  post.person = person;
  post.org = org;
  post.role = nkg_buf_take(&role);
  post.title = nkg_span_text(doc, p->tb, p->te);
  post.qualifier = p->qual[0] ? nkg_strdup(p->qual) : NULL;
  post.former = (uint8_t)p->former;
  post.tb = tb;
  post.te = te;
  if (!post.role || !post.title || (p->qual[0] && !post.qualifier) ||
      NKG_PUSH(doc->posts, doc->nposts, doc->capposts, post)) {
    free(post.role);
    free(post.title);
    free(post.qualifier);
    return NKG_ERR_NOMEM;
  }
  return 0;
}

/* People coordinated from mention m: "Thabo Mbeki and Hugo Chavez". */
static size_t person_list(const rctx *c, int32_t m, uint32_t hi, int32_t *out) {
  size_t n = 0;
  out[n++] = m;
  uint32_t t = mention(c, m)->te;
  while (n < MAX_LIST && t < hi) {
    uint32_t q = t;
    if (is_char(c, q, ','))
      q++;
    if (q < hi && is_word(c, q, "and"))
      q++;
    if (q == t || q >= hi)
      break;
    int32_t next = person_starting(c, q);
    if (next < 0)
      break;
    out[n++] = next;
    t = mention(c, next)->te;
  }
  return n;
}

/* Does an apposition that started with a comma close after token t? */
static int closes(const rctx *c, uint32_t t, uint32_t hi) {
  return t >= hi || is_char(c, t, ',') || is_char(c, t, '.') ||
         is_char(c, t, ';') || is_char(c, t, ')') || is_char(c, t, ':');
}

static int find_posts(rctx *c) {
  nkg_doc *doc = c->doc;
  for (size_t i = 0; i < doc->nmentions; i++) {
    const nkg_mention *m = &doc->mentions[i];
    if (c->done[i] || m->entity < 0 || entity_type(c, m->entity) != NKG_PER)
      continue;
    const nkg_sentence *s = &doc->sents[doc->toks[m->tb].sent];
    uint32_t lo = s->tb, hi = s->te;
    int32_t list[MAX_LIST];
    size_t n = person_list(c, (int32_t)i, hi, list);
    phrase p;
    int got = parse_before(c, m->tb, lo, &p);
    if (got < 0)
      return got;
    if (!got && m->tb > lo && is_char(c, m->tb - 1, ',')) {
      /* "the French president, Jacques Chirac," */
      got = parse_before(c, m->tb - 1, lo, &p);
      if (got < 0)
        return got;
      /* the apposition closes after the people (or the first one) */
      if (got && n > 1 && !closes(c, mention(c, list[n - 1])->te, hi))
        n = 1;
      if (got && n == 1 && !closes(c, m->te, hi))
        got = 0;
    }
    if (got && p.o.plural && n == 1)
      got = 0; /* "Champions League": a plural title names people */
    if (got) {
      size_t count = (p.o.plural && n > 1) ? n : 1;
      for (size_t k = 0; k < count; k++) {
        int32_t org = p.org;
        if (count > 1 && p.norgs == count)
          org = p.orgs[k];
        else if (count > 1 && p.norgs > 1)
          org = -1; /* the organizations do not pair with the people */
        const nkg_mention *pm = mention(c, list[k]);
        uint32_t tb = p.pb < pm->tb ? p.pb : pm->tb;
        int rc = add_post(c, pm->entity, &p, org, tb, pm->te);
        if (rc)
          return rc;
        c->done[list[k]] = 1;
      }
    }
    if (n == 1) {
      int rc = parse_after(c, m->te, hi, &p);
      if (rc < 0)
        return rc;
      if (rc) {
        rc = add_post(c, m->entity, &p, p.org, m->tb, p.pe);
        if (rc)
          return rc;
      }
    }
  }
  return 0;
}

/* "President Putin" after "Russian President Vladimir Putin": a post the
 * article states twice names its organization once; every post of a
 * person with the same role and no organization takes it. Then people
 * belong to the organizations whose posts they hold. */

/* "%d|%s|%d" of person, role and former into k (a new buffer), by byte
 * copies (a missing role as glibc prints it). Nonzero when out of memory. */
static int post_key(nkg_buf *k, const nkg_post *p) {
  char num[64];
  keybuf a = {num, 0, sizeof num};
  key_int(&a, p->person);
  key_chr(&a, '|');
  if (nkg_buf_add(k, num, a.len) ||
      nkg_buf_adds(k, p->role ? p->role : "(null)"))
    return NKG_ERR_NOMEM;
  a.len = 0;
  key_chr(&a, '|');
  key_int(&a, p->former);
  return nkg_buf_add(k, num, a.len);
}

static int complete_posts(rctx *c) {
  nkg_doc *doc = c->doc;
  nkg_map *known = nkg_map_new();
  if (!known)
    return NKG_ERR_NOMEM;
  int rc = 0;
  for (size_t i = 0; !rc && i < doc->nposts; i++) {
    const nkg_post *p = &doc->posts[i];
    if (p->org < 0)
      continue;
    nkg_buf k = {0};
    if (post_key(&k, p))
      rc = NKG_ERR_NOMEM;
    else if (!nkg_map_get(known, k.s, k.len))
      rc = nkg_map_put(known, k.s, k.len, (void *)(intptr_t)(p->org + 1), NULL);
    nkg_buf_free(&k);
  }
  for (size_t i = 0; !rc && i < doc->nposts; i++) {
    nkg_post *p = &doc->posts[i];
    if (p->org >= 0)
      continue;
    nkg_buf k = {0};
    if (post_key(&k, p)) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    intptr_t v = (intptr_t)nkg_map_get(known, k.s, k.len);
    if (v)
      p->org = (int32_t)(v - 1);
    nkg_buf_free(&k);
  }
  nkg_map_free(known, NULL);
  for (size_t i = 0; !rc && i < doc->nposts; i++) {
    const nkg_post *p = &doc->posts[i];
    if (p->org >= 0 && !p->former && entity_type(c, p->org) == NKG_ORG)
      rc = add_member(c, p->person, p->org, p->tb, p->te);
  }
  return rc;
}

/* ---- family ------------------------------------------------------------ */

/* The family word or phrase at t ("son", "eldest son", "former wife"), as
 * the relation of the person it describes to the other one (family.tsv
 * names more kinds than schema.org has terms: those are schema:relatedTo).
 * *len gets its length in tokens. */
static const relation *family_at(const rctx *c, uint32_t t, uint32_t hi,
                                 uint32_t *len) {
  if (!c->lex->family)
    return NULL;
  for (uint32_t n = 2; n >= 1; n--) {
    char key[KEYCAP];
    if (t + n > hi || !is_lower(c, t + n - 1) ||
        !span_key(c, t, t + n, key, sizeof key))
      continue;
    const char *v = nkg_map_get(c->lex->family, key, strlen(key));
    if (!v)
      continue;
    *len = n;
    const relation *r = value_relation(v, 0);
    return r ? r : relation_named("relative", 8);
  }
  return NULL;
}

/* Skips descriptive words before a family word: "younger", "late". A word
 * that makes it a business tie ("producing partner") returns hi. */
static uint32_t skip_descriptive(const rctx *c, uint32_t t, uint32_t hi) {
  uint32_t len;
  for (int k = 0;
       k < 2 && t < hi && attribute_word(c, t) && !family_at(c, t, hi, &len);
       k++) {
    char w[64];
    if (cue_is(relcue(c, fold1(c, t, w, sizeof w)), "nonkin"))
      return hi;
    t++;
  }
  return t;
}

/* The person a family word points to: "son of [the ailing Prime Minister]
 * Ariel Sharon". */
static int32_t person_after_of(const rctx *c, uint32_t t, uint32_t hi) {
  if (t >= hi || !is_word(c, t, "of"))
    return -1;
  for (uint32_t q = t + 1; q < hi && q <= t + 7; q++) {
    int32_t m = person_starting(c, q);
    if (m >= 0)
      return m;
    int32_t om = mention_at(c, q);
    if (om >= 0) {
      q = mention(c, om)->te - 1; /* "the Hamas leader X" */
      continue;
    }
    if (!(tflags(c, q) & NKG_TF_WORD) || is_poss(c, q) || speech_word(c, q))
      return -1;
  }
  return -1;
}

static int find_family(rctx *c) {
  nkg_doc *doc = c->doc;
  for (size_t i = 0; i < doc->nmentions; i++) {
    const nkg_mention *m = &doc->mentions[i];
    if (m->entity < 0 || entity_type(c, m->entity) != NKG_PER)
      continue;
    const nkg_sentence *s = &doc->sents[doc->toks[m->tb].sent];
    uint32_t hi = s->te;
    uint32_t q = m->te;
    /* "X, son of Y", "X is the son of Y", "X, the eldest son of Y" */
    if (q < hi && !is_poss(c, q)) {
      uint32_t r = q;
      if (r < hi && is_char(c, r, ','))
        r++;
      if (r < hi && (is_word(c, r, "is") || is_word(c, r, "was")))
        r++;
      if (r < hi && is_det(c, r))
        r++;
      r = skip_descriptive(c, r, hi);
      uint32_t len = 0;
      const relation *rel = r < hi ? family_at(c, r, hi, &len) : NULL;
      int32_t other = rel ? person_after_of(c, r + len, hi) : -1;
      if (other >= 0) {
        int rc = add_tie(c, m->entity, mention(c, other)->entity, rel, m->tb,
                         mention(c, other)->te);
        if (rc)
          return rc;
      }
    }
    /* "Y's son X", "Y's son, X," and "X, Y's son" */
    if (q + 1 < hi && is_poss(c, q)) {
      uint32_t r = skip_descriptive(c, q + 1, hi);
      uint32_t len = 0;
      const relation *rel = r < hi ? family_at(c, r, hi, &len) : NULL;
      if (!rel)
        continue;
      r += len;
      uint32_t after = r;
      if (r < hi && is_char(c, r, ','))
        r++;
      int32_t other = r < hi ? person_starting(c, r) : -1;
      if (other >= 0) {
        int rc = add_tie(c, mention(c, other)->entity, m->entity, rel, m->tb,
                         mention(c, other)->te);
        if (rc)
          return rc;
      } else if (m->tb >= 2 && is_char(c, m->tb - 1, ',') &&
                 (after >= hi || closes(c, after, hi))) {
        int32_t before = mention_at(c, m->tb - 2);
        if (before >= 0 &&
            entity_type(c, mention(c, before)->entity) == NKG_PER) {
          int rc = add_tie(c, mention(c, before)->entity, m->entity, rel,
                           mention(c, before)->tb, after);
          if (rc)
            return rc;
        }
      }
    }
  }
  return 0;
}

/* ---- groups and their members ----------------------------------------- */

/* Organizations and places listed from b: "Russia, the EU, US and UN".
 * Returns the count and the end of the list. */
static size_t orgloc_list(const rctx *c, uint32_t b, uint32_t hi, int32_t *out,
                          uint32_t *end) {
  size_t n = 0;
  uint32_t t = b;
  *end = b;
  while (n < MAX_LIST && t < hi) {
    uint32_t q = t;
    if (n > 0) {
      if (is_char(c, q, ',') || is_char(c, q, ';'))
        q++;
      if (q < hi && (is_word(c, q, "and") || is_char(c, q, '&')))
        q++;
      if (q == t)
        break;
    }
    if (q < hi && is_word(c, q, "the"))
      q++;
    int32_t m = q < hi ? orgloc_starting(c, q) : -1;
    if (m < 0)
      break;
    /* a region or a city is not a member: "countries of Eastern Europe" */
    const nkg_dentity *d = &c->doc->entities[mention(c, m)->entity];
    if (d->type == NKG_LOC && d->kind != NKG_K_COUNTRY)
      break;
    out[n++] = mention(c, m)->entity;
    t = mention(c, m)->te;
    *end = t;
  }
  return n;
}

/* "the quartet" in lower case: a known group the article names by a common
 * word. */
static int32_t lower_group_ending(rctx *c, uint32_t e, uint32_t lo,
                                  uint32_t *start) {
  for (uint32_t k = 3; k >= 1; k--) {
    if (e < lo + k + 1 || !is_word(c, e - k - 1, "the"))
      continue;
    int ok = 1;
    for (uint32_t t = e - k; t < e && ok; t++)
      ok = (tflags(c, t) & NKG_TF_WORD) && mention_at(c, t) < 0;
    char key[KEYCAP];
    if (!ok || !span_key(c, e - k, e, key, sizeof key))
      continue;
    const nkg_gaz *g = nkg_lex_name(c->lex, key);
    if (g && g->type == NKG_ORG && !g->ambiguous) {
      *start = e - k - 1;
      return nkg_doc_entity_for_gaz(c->doc, g);
    }
  }
  return -1;
}

static int find_groups(rctx *c) {
  nkg_doc *doc = c->doc;
  int32_t members[MAX_LIST];
  uint32_t read_to = 0;
  for (size_t i = 0; i < doc->nmentions; i++) {
    const nkg_mention *m = &doc->mentions[i];
    int type = entity_type(c, m->entity);
    if (type != NKG_ORG && type != NKG_LOC)
      continue;
    const nkg_sentence *s = &doc->sents[doc->toks[m->tb].sent];
    uint32_t lo = s->tb, hi = s->te;
    if (m->tb < read_to)
      continue; /* inside a list already read */
    uint32_t lb = m->tb;
    if (lb > lo && is_word(c, lb - 1, "the"))
      lb--;
    uint32_t end;
    size_t n = orgloc_list(c, lb, hi, members, &end);
    if (n >= 2)
      read_to = end;
    /* "the Quartet [Russia, the EU, US and UN]" */
    if (n >= 2 && lb >= lo + 2 &&
        (is_char(c, lb - 1, '[') || is_char(c, lb - 1, '(')) && end < hi &&
        (is_char(c, end, ']') || is_char(c, end, ')'))) {
      int32_t gm = orgloc_ending(c, lb - 1);
      if (gm >= 0 && entity_type(c, mention(c, gm)->entity) == NKG_ORG) {
        for (size_t k = 0; k < n; k++) {
          int rc = add_member(c, members[k], mention(c, gm)->entity,
                              mention(c, gm)->tb, end + 1);
          if (rc)
            return rc;
        }
        continue;
      }
    }
    /* "The quartet includes Russia, the United States, ..." */
    if (n >= 2) {
      for (uint32_t k = 1; k <= 4 && lb >= lo + k; k++) {
        const char *v = relcue_span(c, lb - k, lb);
        if (!cue_is(v, "members"))
          continue;
        uint32_t ge = lb - k;
        if (ge >= lo + 2 && is_word(c, ge - 1, "which") &&
            is_char(c, ge - 2, ','))
          ge -= 2;
        int32_t gm = orgloc_ending(c, ge);
        int32_t group = -1;
        uint32_t gb = ge;
        if (gm >= 0 && entity_type(c, mention(c, gm)->entity) == NKG_ORG) {
          group = mention(c, gm)->entity;
          gb = mention(c, gm)->tb;
        } else if (gm < 0) {
          group = lower_group_ending(c, ge, lo, &gb);
        }
        for (size_t j = 0; group >= 0 && j < n; j++) {
          int rc = add_member(c, members[j], group, gb, end);
          if (rc)
            return rc;
        }
        break;
      }
    }
    /* "Poland and Hungary joined Nato", "Russia, a member of the Quartet" */
    if (n >= 1) {
      uint32_t q = end;
      if (q < hi && is_char(c, q, ','))
        q++;
      for (int k = 0; k < 2 && q < hi &&
                      (is_word(c, q, "is") || is_word(c, q, "are") ||
                       is_word(c, q, "was") || is_word(c, q, "were") ||
                       is_word(c, q, "also") || is_word(c, q, "both"));
           k++)
        q++;
      uint32_t k = q < hi && is_lower(c, q)
                       ? relcue_starting(c, q, hi, "memberof", NULL)
                       : 0;
      if (k) {
        q += k;
        if (q < hi && is_word(c, q, "the"))
          q++;
        int32_t gm = q < hi ? orgloc_starting(c, q) : -1;
        if (gm >= 0) {
          for (size_t j = 0; j < n; j++) {
            int rc = add_member(c, members[j], mention(c, gm)->entity, lb,
                                mention(c, gm)->te);
            if (rc)
              return rc;
          }
        }
      }
    }
  }
  return 0;
}

/* ---- ties between organizations and places ------------------------------ */

/* The place or country named by the first part of "Saudi-based",
 * "London-based", "New York-based" (the part before it may be the token
 * before). */
static int32_t place_of_prefix(rctx *c, uint32_t t, const char *prefix,
                               size_t plen) {
  char key[KEYCAP];
  if (plen + 1 > sizeof key)
    return -1;
  memcpy(key, prefix, plen);
  key[plen] = '\0';
  const nkg_gaz *g = nkg_lex_adjective(c->lex, key);
  if (!g)
    g = nkg_lex_name(c->lex, key);
  if (!g) {
    const nkg_token *k = &c->doc->toks[t];
    g = nkg_map_get(c->lex->acronyms, c->doc->text + k->b, plen);
  }
  if (!g && t > 0 && (tflags(c, t - 1) & NKG_TF_CAP)) {
    char w[64];
    fold1(c, t - 1, w, sizeof w);
    char two[KEYCAP + 72];
    snprintf(two, sizeof two, "%s %s", w, key);
    g = nkg_lex_name(c->lex, two);
  }
  if (!g || g->type == NKG_PER || (g->ambiguous && g->type == NKG_ORG))
    return -1;
  return nkg_doc_entity_for_gaz(c->doc, g);
}

/* The organization a hyphenated place word describes: "the Saudi-based
 * Al-Arabiya channel" (after it) or "Al-Arabiya, a Saudi-based channel"
 * (before it). */
static int32_t org_described(const rctx *c, uint32_t t, uint32_t lo,
                             uint32_t hi, uint32_t *tb, uint32_t *te) {
  for (uint32_t q = t + 1; q < hi && q <= t + 4; q++) {
    int32_t m = orgloc_starting(c, q);
    if (m >= 0) {
      if (entity_type(c, mention(c, m)->entity) != NKG_ORG)
        return -1;
      *tb = t;
      *te = mention(c, m)->te;
      return mention(c, m)->entity;
    }
    if (!attribute_word(c, q))
      break;
  }
  uint32_t q = t;
  if (q > lo && is_det(c, q - 1))
    q--;
  if (q > lo && is_char(c, q - 1, ',')) {
    int32_t m = orgloc_ending(c, q - 1);
    if (m >= 0 && entity_type(c, mention(c, m)->entity) == NKG_ORG) {
      *tb = mention(c, m)->tb;
      *te = t + 1;
      return mention(c, m)->entity;
    }
  }
  return -1;
}

static int find_org_ties(rctx *c) {
  nkg_doc *doc = c->doc;
  /* "Saudi-based", "state-owned": hyphenated words */
  for (uint32_t t = 0; t < doc->ntoks; t++) {
    const nkg_token *k = &doc->toks[t];
    /* (a word with an ASCII '-' inside is NKG_TF_JOINED: few are, and the
     * test of that one flag first is a branch the processor predicts) */
    if ((k->flags & (NKG_TF_WORD | NKG_TF_JOINED)) !=
            (NKG_TF_WORD | NKG_TF_JOINED) ||
        !(k->flags & (NKG_TF_CAP | NKG_TF_UPPER)) || k->e - k->b < 4 ||
        !memchr(doc->text + k->b + 1, '-', k->e - k->b - 1))
      continue;
    const char *dash = doc->text + k->e - 1;
    while (*dash != '-')
      dash--;
    char suffix[64];
    nkg_fold_to(dash, (size_t)(doc->text + k->e - dash), suffix, sizeof suffix);
    const char *v = relcue(c, suffix);
    if (!cue_is(v, "suffix"))
      continue;
    char prefix[KEYCAP];
    nkg_fold_to(doc->text + k->b, (size_t)(dash - doc->text) - k->b, prefix,
                sizeof prefix);
    const nkg_sentence *s = &doc->sents[k->sent];
    uint32_t tb, te;
    int32_t org = org_described(c, t, s->tb, s->te, &tb, &te);
    if (org < 0)
      continue;
    int32_t place = place_of_prefix(c, t, prefix, strlen(prefix));
    if (place < 0)
      continue;
    int rc = add_tie(c, org, place, value_relation(v, 1), tb, te);
    if (rc)
      return rc;
  }
  for (size_t i = 0; i < doc->nmentions; i++) {
    const nkg_mention *m = &doc->mentions[i];
    int type = entity_type(c, m->entity);
    if (type != NKG_ORG && type != NKG_LOC)
      continue;
    const nkg_sentence *s = &doc->sents[doc->toks[m->tb].sent];
    uint32_t hi = s->te;
    /* "X's state-owned oil firm Y": the possessor and the organization */
    if (m->te + 1 < hi && is_poss(c, m->te)) {
      uint32_t q = m->te + 1;
      int state = 0, noun = 0;
      for (int w = 0; w < 4 && q < hi && is_lower(c, q); w++, q++) {
        char key[64];
        const char *v = relcue(c, fold1(c, q, key, sizeof key));
        if (cue_is(v, "state"))
          state = 1;
        noun = cue_is(v, "orgnoun");
      }
      int32_t om = noun && q < hi ? orgloc_starting(c, q) : -1;
      if (om >= 0 && entity_type(c, mention(c, om)->entity) == NKG_ORG) {
        int32_t org = mention(c, om)->entity;
        const relation *r = type == NKG_ORG
                                ? relation_named("parentOrganization", 18)
                            : state ? relation_named("ownedBy", 7)
                                    : relation_named("basedIn", 7);
        int rc = add_tie(c, org, m->entity, r, m->tb, mention(c, om)->te);
        if (rc)
          return rc;
      }
    }
    if (type != NKG_ORG)
      continue;
    /* "X, a subsidiary of Y", "X is based in Y", "X, which owns Y" */
    uint32_t q = m->te;
    if (q < hi && is_char(c, q, ','))
      q++;
    for (int k = 0; k < 2 && q < hi &&
                    (is_word(c, q, "is") || is_word(c, q, "was") ||
                     is_word(c, q, "now") || is_word(c, q, "itself"));
         k++)
      q++;
    const char *v = NULL;
    uint32_t k =
        q < hi && is_lower(c, q) ? relcue_starting(c, q, hi, "orgof", &v) : 0;
    if (!k)
      continue;
    q += k;
    if (q < hi && is_word(c, q, "the"))
      q++;
    int32_t om = q < hi ? orgloc_starting(c, q) : -1;
    if (om < 0)
      continue;
    const relation *r = value_relation(v, 1);
    int otype = entity_type(c, mention(c, om)->entity);
    int place_tie = r && !strcmp(r->name, "basedIn");
    if (!r || place_tie != (otype == NKG_LOC))
      continue; /* based in a place; part of an organization */
    int rc = add_tie(c, m->entity, mention(c, om)->entity, r, m->tb,
                     mention(c, om)->te);
    if (rc)
      return rc;
  }
  return 0;
}

/* Ministries, departments and parliaments belong to their country's
 * government ("State Department" -> United States), as the organization
 * list records. */
static int government_ties(rctx *c) {
  nkg_doc *doc = c->doc;
  const relation *gov = relation_named("governmentOf", 12);
  size_t n = doc->nmentions;
  for (size_t i = 0; i < n; i++) {
    const nkg_mention *m = &doc->mentions[i];
    const nkg_gaz *g = doc->entities[m->entity].gaz;
    if (!g || g->type != NKG_ORG || !g->country ||
        (g->kind != NKG_K_GOVERNMENT && g->kind != NKG_K_LEGISLATURE))
      continue;
    uint32_t tb = m->tb, te = m->te;
    int32_t org = m->entity;
    int32_t country = nkg_doc_entity_for_gaz(doc, g->country);
    if (country < 0)
      return NKG_ERR_NOMEM;
    int rc = add_tie(c, org, country, gov, tb, te);
    if (rc)
      return rc;
  }
  return 0;
}

/* ---- the stage ------------------------------------------------------------
 */

int nkg_relations_find(nkg_doc *doc, const nkg_lexicon *lex) {
  if (!doc || !lex)
    return NKG_ERR_ARG;
  if (!doc->ntoks || !doc->nmentions)
    return 0;
  if (!doc->folds)
    return NKG_ERR_ARG; /* not segmented by nkg_text_segment */
  rctx c = {doc, lex, NULL, NULL, NULL};
  int rc = NKG_ERR_NOMEM;
  c.tokm = malloc(doc->ntoks * sizeof *c.tokm);
  c.done = calloc(doc->nmentions, 1);
  c.seen = nkg_map_new();
  if (!c.tokm || !c.done || !c.seen)
    goto cleanup;
  for (size_t t = 0; t < doc->ntoks; t++)
    c.tokm[t] = -1;
  for (size_t i = 0; i < doc->nmentions; i++)
    for (uint32_t t = doc->mentions[i].tb; t < doc->mentions[i].te; t++)
      c.tokm[t] = (int32_t)i;
  rc = find_posts(&c);
  if (!rc)
    rc = complete_posts(&c);
  if (!rc)
    rc = find_family(&c);
  if (!rc)
    rc = find_groups(&c);
  if (!rc)
    rc = find_org_ties(&c);
  if (!rc)
    rc = government_ties(&c);
cleanup:
  free(c.tokm);
  free(c.done);
  nkg_map_free(c.seen, NULL);
  return rc;
}
