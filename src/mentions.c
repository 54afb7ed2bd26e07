/* Stage 2: mentions of people, organizations and places.
 *
 * Within each sentence, runs of capitalized words ("chunks") are found
 * first. A chunk is then read left to right: known names (longest match in
 * the gazetteer), titles, nationality adjectives and non-name words are
 * peeled off, and what is left is typed by its evidence: a cue word
 * ("Movement", "Ministry", "the X channel"), a given name, a title or
 * honorific before it. Capitalization alone is not evidence: a lone unknown
 * capitalized word becomes a candidate (type NKG_NONE) that coref.c keeps
 * only if it is a short form of a name found elsewhere in the article. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The folded span [tb, te): a piece of the document's folded text, *n
 * bytes ("" when empty). */
static const char *span_at(const nkg_doc *doc, uint32_t tb, uint32_t te,
                           size_t *n) {
  if (te > tb)
    return nkg_span_piece(doc, tb, te, n);
  *n = 0;
  return "";
}

/* May a key of the map whose key starts are `starts` begin with token t
 * and go on past it? */
static int starts_key(const nkg_map *starts, const nkg_doc *doc, uint32_t t) {
  size_t n;
  const char *f = nkg_span_piece(doc, t, t + 1, &n);
  return nkg_map_get(starts, f, n) != NULL;
}

/* The value of the folded span [tb, te) in map, or if there is none and
 * the folded span is longer than 3 bytes and ends in 's', of the span
 * without that 's' (plurals: "Presidents", "Israelis"); NULL if neither. */
static void *span_get_plural(const nkg_map *map, const nkg_doc *doc,
                             uint32_t tb, uint32_t te) {
  size_t n;
  const char *f = span_at(doc, tb, te, &n);
  void *v = nkg_map_get(map, f, n);
  if (!v && n > 3 && f[n - 1] == 's')
    v = nkg_map_get(map, f, n - 1);
  return v;
}

/* Lower-case particles inside personal names: "Osama bin Laden", "Jeroen
 * van der Veer", "Luiz Inacio da Silva" (closed-class grammar words). */
static int particle(const nkg_doc *doc, uint32_t t) {
  /* the words: de del della da dos das du van von der den la le al el bin
   * ibn bint ter ten di dei des, compared as the token's bytes with ASCII
   * upper case lowered (as nkg_tok_is compares) */
  const nkg_token *k = &doc->toks[t];
  uint32_t n = k->e - k->b;
  if (n > 5 || n < 2)
    return 0; /* longer than every word above: most tokens */
  char w[5];
  for (uint32_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)doc->text[k->b + i];
    w[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
#define NKG_IS(lit) (n == sizeof lit - 1 && !memcmp(w, lit, sizeof lit - 1))
  switch (w[0]) {
  case 'a':
    return NKG_IS("al");
  case 'b':
    return NKG_IS("bin") || NKG_IS("bint");
  case 'd':
    return NKG_IS("de") || NKG_IS("del") || NKG_IS("della") || NKG_IS("da") ||
           NKG_IS("dos") || NKG_IS("das") || NKG_IS("du") || NKG_IS("der") ||
           NKG_IS("den") || NKG_IS("di") || NKG_IS("dei") || NKG_IS("des");
  case 'e':
    return NKG_IS("el");
  case 'i':
    return NKG_IS("ibn");
  case 'l':
    return NKG_IS("la") || NKG_IS("le");
  case 't':
    return NKG_IS("ter") || NKG_IS("ten");
  case 'v':
    return NKG_IS("van") || NKG_IS("von");
  default:
    return 0;
  }
#undef NKG_IS
}

/* Words that may stand inside a name between capitalized words: the
 * particles, and "of" and "&" of organizations ("Bank of England"). */
static int connector(const nkg_doc *doc, uint32_t t) {
  return particle(doc, t) || nkg_tok_is(doc, t, "of") ||
         nkg_tok_is(doc, t, "&");
}

/* capish for a word with '-' or an apostrophe inside (see below). */
static int capish_joined(const nkg_doc *doc, const nkg_token *k) {
  if (k->flags & (NKG_TF_CAP | NKG_TF_UPPER)) {
    /* "EU-based", "Low-cost", "Kremlin-backed": a compound whose last part
     * is a lower-case word describes, it does not name */
    for (uint32_t i = k->e; i-- > k->b + 1;) {
      if (doc->text[i] == '-')
        return !(doc->text[i + 1] >= 'a' && doc->text[i + 1] <= 'z');
    }
    return 1;
  }
  /* lower-case particle glued to a capitalized part: al-Qaeda, d'Estaing
   * (the particle is at most three bytes: no need to look further) */
  for (uint32_t i = k->b; i + 1 < k->e && i <= k->b + 3; i++) {
    char c = doc->text[i];
    if (c == '-' || c == '\'') {
      char d = doc->text[i + 1];
      return d >= 'A' && d <= 'Z' && i - k->b <= 3;
    }
  }
  return 0;
}

/* Capitalized for naming purposes: "Hamas", "EU", "al-Qaeda", "McCormack".
 * Inline: asked at nearly every token of every sentence. */
static inline int capish(const nkg_doc *doc, uint32_t t) {
  const nkg_token *k = &doc->toks[t];
  if ((k->flags & (NKG_TF_WORD | NKG_TF_POSS)) != NKG_TF_WORD)
    return 0;
  if (!(k->flags & NKG_TF_JOINED)) /* no '-' or '\'' inside: most words */
    return (k->flags & (NKG_TF_CAP | NKG_TF_UPPER)) &&
           !(k->e - k->b == 1 && doc->text[k->b] == 'I'); /* the pronoun */
  if (k->e - k->b == 1 && doc->text[k->b] == 'I')
    return 0; /* the pronoun "I", never part of a name */
  return capish_joined(doc, k);
}

/* True if token t ends a sentence-like unit for chunking purposes. */
static int is_word(const nkg_doc *doc, uint32_t t) {
  return (doc->toks[t].flags & NKG_TF_WORD) &&
         !(doc->toks[t].flags & NKG_TF_POSS);
}

static int push_mention(nkg_doc *doc, uint32_t tb, uint32_t te, int type,
                        int kind, int how, const nkg_gaz *gaz) {
  nkg_mention m = {tb, te, (uint8_t)type, (uint8_t)kind, (uint8_t)how, -1, gaz};
  return NKG_PUSH(doc->mentions, doc->nmentions, doc->capmentions, m)
             ? NKG_ERR_NOMEM
             : 0;
}

/* Longest gazetteer name starting at t within [t, end). Returns its length
 * in tokens (0 if none) and the entry. */
static uint32_t gaz_match(const nkg_doc *doc, const nkg_lexicon *lex,
                          uint32_t t, uint32_t end, const nkg_gaz **out) {
  *out = NULL;
  /* exact-case acronyms first: "US", "UN", "U.S." */
  const nkg_token *k = &doc->toks[t];
  if ((k->flags & (NKG_TF_UPPER | NKG_TF_ABBR | NKG_TF_CAP)) &&
      k->e - k->b <= 8) {
    /* the acronym folds as the token does: the word index knows if any
     * may be it (an abbreviation's token ends in its '.') */
    unsigned words = nkg_tok_words(doc, t);
    const nkg_gaz *g =
        words & NKG_W_ACRONYM
            ? nkg_map_get(lex->acronyms, doc->text + k->b, k->e - k->b)
            : NULL;
    if (!g && (k->flags & NKG_TF_ABBR) &&
        ((words & NKG_W_ACRONYM_DOT) || doc->text[k->e - 1] != '.'))
      g = nkg_map_get(lex->acronyms, doc->text + k->b, k->e - k->b - 1);
    if (g) {
      *out = g;
      return 1;
    }
  }
  uint32_t max = (uint32_t)lex->max_name_tokens;
  if (end - t < max)
    max = end - t;
  /* walk the key starts (see longest_at): the longest key ending on a
   * capitalized word */
  uint32_t best = 0;
  unsigned words = nkg_tok_words(doc, t);
  if (!(words & NKG_W_NAME_START))
    return 0;
  for (uint32_t n = 1; n <= max; n++) {
    size_t l;
    const char *f = nkg_span_piece(doc, t, t + n, &l);
    const void *v = nkg_map_get(lex->name_starts, f, l);
    if (!v)
      break;
    if (v != &nkg_key_start && capish(doc, t + n - 1)) {
      best = n;
      *out = v;
    }
    if (n == 1 && !(words & NKG_W_NAME_MORE))
      break; /* no longer key starts with this word */
  }
  return best;
}

/* The longest span [t, t + n), n <= max, that folds to a key of `map`,
 * or failing that to a key plus 's' (a plural), as span_get_plural tried
 * from the longest down. `starts` holds the map's key starts (see
 * nkg_lexicon.name_starts): every fold of a shorter span at t is a start
 * of such a key, so walking the starts from one token on finds the
 * candidates with one look-up a token. Returns the value, with n in *len. */
static void *longest_at(const nkg_map *map, const nkg_map *starts,
                        unsigned start_bit, unsigned plural_bit,
                        unsigned more_bit, const nkg_doc *doc, uint32_t t,
                        uint32_t max, uint32_t *len) {
  enum { WALK_MAX = 16 };
  *len = 0;
  if (max > WALK_MAX) {
    if (max > 1 && !starts_key(starts, doc, t))
      max = 1; /* only a plural of one word is left */
    for (uint32_t n = max; n >= 1; n--) {
      void *v = span_get_plural(map, doc, t, t + n);
      if (v) {
        *len = n;
        return v;
      }
    }
    return NULL;
  }
  void *whole[WALK_MAX + 1];
  uint32_t k = 0; /* [t, t + j) folds to a key start for every j <= k */
  unsigned words = nkg_tok_words(doc, t);
  if (!(words & (start_bit | plural_bit)))
    return NULL; /* no key starts with t's word, nor is it a plural */
  while (k < max && (k || (words & start_bit))) {
    size_t n;
    const char *f = nkg_span_piece(doc, t, t + k + 1, &n);
    void *v = nkg_map_get(starts, f, n);
    if (!v)
      break;
    whole[++k] = v == &nkg_key_start ? NULL : v;
    if (k == 1 && !(words & more_bit))
      break; /* no longer key starts with this word */
  }
  for (uint32_t n = k < max ? k + 1 : max; n >= 1; n--) {
    void *v = n <= k ? whole[n] : NULL;
    if (!v && (n > 1 || (words & plural_bit))) {
      size_t l;
      const char *f = nkg_span_piece(doc, t, t + n, &l);
      if (l > 3 && f[l - 1] == 's')
        v = nkg_map_get(map, f, l - 1);
    }
    if (v) {
      *len = n;
      return v;
    }
  }
  return NULL;
}

/* Longest title ("Prime Minister", "Secretary General") at t. */
static uint32_t title_match(const nkg_doc *doc, const nkg_lexicon *lex,
                            uint32_t t, uint32_t end, const nkg_title **out) {
  *out = NULL;
  uint32_t max = (uint32_t)lex->max_title_tokens;
  if (end - t < max)
    max = end - t;
  /* plural titles: "Presidents" */
  uint32_t n;
  *out = longest_at(lex->titles, lex->title_starts, NKG_W_TITLE_START,
                    NKG_W_TITLE_PLURAL, NKG_W_TITLE_MORE, doc, t, max, &n);
  return n;
}

static inline void *tok_get(const nkg_map *map, unsigned bit,
                            const nkg_doc *doc, uint32_t t) {
  if (!(nkg_tok_words(doc, t) & bit))
    return NULL;
  size_t n;
  const char *f = nkg_span_piece(doc, t, t + 1, &n);
  return nkg_map_get(map, f, n < 64 ? n : 63);
}

static const nkg_cue *cue_at(const nkg_doc *doc, const nkg_lexicon *lex,
                             uint32_t t) {
  return tok_get(lex->cues, NKG_W_CUE, doc, t);
}

static int stop_at(const nkg_doc *doc, const nkg_lexicon *lex, uint32_t t) {
  return (int)(intptr_t)tok_get(lex->stop, NKG_W_STOP, doc, t);
}

static int given_at(const nkg_doc *doc, const nkg_lexicon *lex, uint32_t t) {
  return (int)(intptr_t)tok_get(lex->given, NKG_W_GIVEN, doc, t);
}

/* A nationality adjective or noun at t ("Russian", "South African", "Sri
 * Lankans"): the country, with the number of tokens in *len. */
static const nkg_gaz *adjective_at(const nkg_doc *doc, const nkg_lexicon *lex,
                                   uint32_t t, uint32_t end, uint32_t *len) {
  uint32_t max = end - t < 3 ? end - t : 3;
  /* "Israelis", "Sri Lankans" */
  return longest_at(lex->adjectives, lex->adjective_starts, NKG_W_ADJ_START,
                    NKG_W_ADJ_PLURAL, NKG_W_ADJ_MORE, doc, t, max, len);
}

/* The lower-case cue right after a name ("the Al-Arabiya satellite
 * channel", "Kadima party"), looking past at most one other word. */
static const nkg_cue *cue_after(const nkg_doc *doc, const nkg_lexicon *lex,
                                uint32_t te, uint32_t send) {
  for (uint32_t t = te; t < send && t < te + 2; t++) {
    if (!is_word(doc, t) || capish(doc, t))
      return NULL;
    const nkg_cue *c = cue_at(doc, lex, t);
    if (c && !c->prefix)
      return c;
  }
  return NULL;
}

/* A lower-case cue right before: "his party Kadima", "the firm Yukos". */
static const nkg_cue *cue_before(const nkg_doc *doc, const nkg_lexicon *lex,
                                 uint32_t tb, uint32_t sb) {
  if (tb == sb || !is_word(doc, tb - 1) || capish(doc, tb - 1))
    return NULL;
  const nkg_cue *c = cue_at(doc, lex, tb - 1);
  return c && !c->prefix ? c : NULL;
}

static int speech_after(const nkg_doc *doc, const nkg_lexicon *lex, uint32_t te,
                        uint32_t send) {
  if (te >= send)
    return 0;
  const char *k = tok_get(lex->speech, NKG_W_SPEECH, doc, te);
  return k && !strncmp(k, "speech", 6);
}

/* Classifies an unknown run [a, b) of capitalized words. */
static int classify_run(nkg_doc *doc, const nkg_lexicon *lex, uint32_t a,
                        uint32_t b, uint32_t sb, uint32_t send, int titled,
                        uint32_t adj_start) {
  uint32_t n = b - a;
  const nkg_cue *last = cue_at(doc, lex, b - 1);
  const nkg_cue *first = cue_at(doc, lex, a);
  /* a cue word alone ("Committee", "Union") is a common noun */
  if (n == 1 && (last || first) && adj_start == UINT32_MAX)
    return 0;
  /* "Barbara Castle": a given name then a place word is a person */
  if (n == 2 && last && last->type == NKG_LOC && given_at(doc, lex, a) == 1)
    return push_mention(doc, a, b, NKG_PER, 0, NKG_H_GIVEN, NULL);
  /* "Palestinian Authority", "Russian Orthodox Church": the adjective
   * belongs to the organization's name. */
  if (last && !last->prefix && adj_start < a && n >= 1)
    a = adj_start, n = b - a;
  if (last && !last->prefix && n >= 2)
    return push_mention(doc, a, b, last->type, last->kind, NKG_H_CUE, NULL);
  if (first && first->prefix && n >= 3)
    return push_mention(doc, a, b, NKG_ORG, first->kind, NKG_H_CUE, NULL);
  int given = given_at(doc, lex, a);
  /* "Marquis Investment Research analyst Jo Bell": a name followed by a
   * lower-case office and a person is where that person works */
  if (given != 1 && b < send && is_word(doc, b) && !capish(doc, b)) {
    const nkg_title *tt;
    uint32_t tl = title_match(doc, lex, b, send, &tt);
    if (tl && tt->kind == NKG_T_OFFICE && b + tl < send && capish(doc, b + tl))
      return push_mention(doc, a, b, NKG_ORG, 0, NKG_H_CONTEXT, NULL);
  }
  /* a title before a name: "President Chavez" is a person even alone;
   * after "Star" or "Player" a lone capitalized word is more likely a
   * title of a work ("Star Wars") than a surname */
  if (titled && n <= 4 && (n >= 2 || titled == 2))
    return push_mention(doc, a, b, n >= 2 ? NKG_PER : NKG_NONE, 0, NKG_H_TITLE,
                        NULL);
  /* a lone capitalized word opening a sentence is too weak for a cue next
   * to it ("Butane gas") */
  int weak = n == 1 && (doc->toks[a].flags & NKG_TF_SSTART);
  const nkg_cue *after = weak ? NULL : cue_after(doc, lex, b, send);
  const nkg_cue *before = weak ? NULL : cue_before(doc, lex, a, sb);
  if (given == 1 && n >= 2 && n <= 4)
    return push_mention(doc, a, b, NKG_PER, 0, NKG_H_GIVEN, NULL);
  if (after && n <= 4)
    return push_mention(doc, a, b, after->type, after->kind, NKG_H_CUE, NULL);
  if (before && n <= 3)
    return push_mention(doc, a, b, before->type, before->kind, NKG_H_CUE, NULL);
  if (given == 2 && n >= 2 && n <= 3 && !(doc->toks[a].flags & NKG_TF_SSTART))
    return push_mention(doc, a, b, NKG_PER, 0, NKG_H_GIVEN, NULL);
  if (n >= 2 && n <= 3 && speech_after(doc, lex, b, send))
    return push_mention(doc, a, b, NKG_PER, 0, NKG_H_CONTEXT, NULL);
  /* A candidate: kept only if coreference finds it a full name. */
  if (n <= 2)
    return push_mention(doc, a, b, NKG_NONE, 0, NKG_H_CONTEXT, NULL);
  return 0;
}

/* 2 for titles that mark a lone surname as a person (honorifics, offices
 * of state, law, diplomacy, royalty, religion and parties: "Mr Abbas",
 * "President Chavez", "Judge Ito"), 1 for the others ("star", "coach"). */
static int title_strength(const nkg_title *tt) {
  static const char *const strong[] = {
      "head_of_state", "government", "legislature", "diplomacy",
      "judiciary",     "royalty",    "religion",    "party"};
  if (tt->kind == NKG_T_HONORIFIC)
    return 2;
  for (size_t i = 0; i < sizeof strong / sizeof *strong; i++)
    if (tt->cls && !strcmp(tt->cls, strong[i]))
      return 2;
  return 1;
}

/* Reads one chunk [cb, ce) of the sentence [sb, send). */
static int read_chunk(nkg_doc *doc, const nkg_lexicon *lex, uint32_t cb,
                      uint32_t ce, uint32_t sb, uint32_t send) {
  int titled = 0;
  /* title words just before the chunk in lower case: "minister without
   * portfolio Tzachi Hanegbi", "spokesman Sean McCormack" */
  if (cb > sb && is_word(doc, cb - 1) && !capish(doc, cb - 1)) {
    for (uint32_t k = 1; k <= 4 && cb >= sb + k; k++) {
      const nkg_title *tt;
      if (title_match(doc, lex, cb - k, cb, &tt) == k &&
          tt->kind != NKG_T_MODIFIER) {
        titled = title_strength(tt);
        break;
      }
    }
  }
  uint32_t p = cb;
  uint32_t run = UINT32_MAX; /* start of the current unknown run */
  uint32_t adj_start = UINT32_MAX;
  int rc = 0;
  while (p < ce && !rc) {
    const nkg_gaz *g;
    const nkg_title *tt;
    /* "Bank of England", "Ministry of Defence": a run that starts with an
     * organization prefix word runs to the end of the chunk. */
    if (run != UINT32_MAX) {
      const nkg_cue *rc0 = cue_at(doc, lex, run);
      if (rc0 && rc0->prefix) {
        p = ce;
        break;
      }
    }
    uint32_t gl = gaz_match(doc, lex, p, ce, &g);
    /* A name that is also a common word ("People", "Next") counts only
     * standing alone mid-sentence: not first in a sentence, not after other
     * capitalized words, not after an article. */
    if (gl == 1 && g->ambiguous &&
        ((doc->toks[p].flags & NKG_TF_SSTART) || p > cb ||
         (p + 1 < ce && capish(doc, p + 1)) || /* "Victoria Beckham" */
         (p > sb &&
          (nkg_tok_is(doc, p - 1, "the") || nkg_tok_is(doc, p - 1, "a") ||
           nkg_tok_is(doc, p - 1, "an")))))
      gl = 0;
    uint32_t tl = title_match(doc, lex, p, ce, &tt);
    /* "Mervyn King", "Stephen Bishop": a title word that ends a name
     * begun with a given name is the surname */
    if (tl && run != UINT32_MAX && p + tl == ce && given_at(doc, lex, run))
      tl = 0;
    int stop = (run == UINT32_MAX) ? stop_at(doc, lex, p) : 0;
    uint32_t adjl = 0;
    const nkg_gaz *adj = (run == UINT32_MAX && !gl)
                             ? adjective_at(doc, lex, p, ce, &adjl)
                             : NULL;
    if (adj && adjl >= tl)
      tl = 0; /* "Sri Lankans": a nationality, not the honorific Sri */
    else
      adj = NULL;
    /* a particle inside a run of names stays in it: "Jeroen van der Veer" */
    if (run != UINT32_MAX && particle(doc, p) && !gl) {
      p++;
      continue;
    }
    /* a known name ends any unknown run */
    if ((gl && gl >= tl) || (tl && tl > gl) || (stop && !gl) || adj ||
        connector(doc, p)) {
      if (run != UINT32_MAX) {
        rc = classify_run(doc, lex, run, p, sb, send, titled, adj_start);
        run = UINT32_MAX;
        titled = 0;
        adj_start = UINT32_MAX;
        if (rc)
          break;
      }
    }
    if (gl && gl >= tl) {
      /* "Israeli Defence Forces" style: a known place followed by more
       * capitalized words ending in an organization cue is one
       * organization ("Moscow State University"). */
      uint32_t end = gl;
      const nkg_cue *c = p + gl < ce ? cue_at(doc, lex, ce - 1) : NULL;
      if (c && !c->prefix && g->type == NKG_LOC && ce - p <= 5) {
        rc = push_mention(doc, p, ce, c->type, c->kind, NKG_H_CUE, NULL);
        p = ce;
        continue;
      }
      rc = push_mention(doc, p, p + end, g->type, g->kind, NKG_H_GAZ, g);
      p += end;
      titled = 0;
      adj_start = UINT32_MAX;
      continue;
    }
    if (tl && tl > gl) {
      if (tt->kind != NKG_T_MODIFIER)
        titled = title_strength(tt);
      p += tl;
      continue;
    }
    if (adj) {
      if (adj_start == UINT32_MAX)
        adj_start = p;
      p += adjl;
      continue;
    }
    if (stop || connector(doc, p)) {
      /* "Lord of the Rings", "President of Russia": what follows a title and
       * "of" is where the post is, not the holder's name */
      if (connector(doc, p))
        titled = 0;
      p++;
      continue;
    }
    if (run == UINT32_MAX)
      run = p;
    p++;
  }
  if (!rc && run != UINT32_MAX)
    rc = classify_run(doc, lex, run, p < ce ? p : ce, sb, send, titled,
                      adj_start);
  return rc;
}

int nkg_mentions_find(nkg_doc *doc, const nkg_lexicon *lex) {
  if (doc->ntoks && !doc->folds)
    return NKG_ERR_ARG; /* not segmented by nkg_text_segment */
  for (size_t s = 0; s < doc->nsents; s++) {
    uint32_t sb = doc->sents[s].tb, send = doc->sents[s].te;
    uint32_t t = sb;
    while (t < send) {
      if (!capish(doc, t)) {
        t++;
        continue;
      }
      uint32_t e = t + 1;
      for (;;) {
        if (e < send && capish(doc, e)) {
          e++;
          continue;
        }
        /* a connector followed by a capitalized word: "Bank of England";
         * particles may come in twos and threes: "van der Veer" */
        if (e + 1 < send && connector(doc, e) && capish(doc, e + 1)) {
          e += 2;
          continue;
        }
        if (e + 2 < send && particle(doc, e) && particle(doc, e + 1) &&
            capish(doc, e + 2)) {
          e += 3;
          continue;
        }
        if (e + 2 < send && nkg_tok_is(doc, e, "of") &&
            nkg_tok_is(doc, e + 1, "the") && capish(doc, e + 2)) {
          e += 3;
          continue;
        }
        break;
      }
      int rc = read_chunk(doc, lex, t, e, sb, send);
      if (rc)
        return rc;
      t = e;
    }
  }
  return 0;
}

int32_t nkg_mention_at(const nkg_doc *doc, uint32_t t) {
  /* mentions are in text order; binary search on tb */
  size_t lo = 0, hi = doc->nmentions;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (doc->mentions[mid].te <= t)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < doc->nmentions && doc->mentions[lo].tb <= t &&
      t < doc->mentions[lo].te)
    return (int32_t)lo;
  return -1;
}
