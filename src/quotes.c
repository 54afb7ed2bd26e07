/* Stage 5: quotations. Three passes, each linear in the length of the
 * article (every backward or forward look is bounded by a constant):
 *
 *  1. Quote marks are paired into spans, one paragraph at a time, so that
 *     a quote never runs past its paragraph. A straight mark opens or
 *     closes by its shape (a space on its left and a word on its right
 *     opens), curly marks by their shape and then their form. A double
 *     quote that is never closed ends at the last sentence end before the
 *     next opening mark, or at the end of its paragraph (the news
 *     convention for a quote that goes on in the next paragraph). Single
 *     quotes count only outside double quotes and only when closed.
 *  2. Reporting clauses outside the spans ("X said", "said X", "X told Y",
 *     "the Russian leader added", "according to AFP") are found from the
 *     reporting words of data/speech.tsv, and their speaker resolved: a
 *     name, a pronoun (the most recent person speaker or person subject),
 *     a description (a post in doc->posts, an organization by its cue
 *     word). Each clause also records the channel and the addressee.
 *  3. Each span is attributed to the reporting clause right after it, else
 *     the one before it in its sentence; a quote that stands as a sentence
 *     of its own with no clause continues the speaker of the previous
 *     quote or report of its paragraph (or of the previous paragraph when
 *     it starts a paragraph). Short quotes (up to three words) with no
 *     reporting clause next to them, and quotes after "so-called", are
 *     scare quotes and dropped.
 * docs/quotations.md describes the choices and their measured precision. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Bounds of every look around a token (in tokens or mentions). */
#define NKG_Q_SUBJECT_SPAN 20 /* an apposition: "X, head of Y, said" */
#define NKG_Q_AFTER_VERB 10   /* "...," + speaker + verb after the closer */
#define NKG_Q_AFTER_SPAN 16   /* the whole reporting clause after it */
#define NKG_Q_BEFORE_SPAN 40  /* the clause before the opening mark */
#define NKG_Q_CHANNEL_SPAN 15 /* where a channel may follow the verb */
#define NKG_Q_MENTIONS 60     /* mentions looked back at for a referent */
#define NKG_Q_SHORT 3         /* words: a shorter quote needs a verb by it */

enum mark_family { MARK_NONE = 0, MARK_DOUBLE, MARK_SINGLE };
enum mark_dir { DIR_OPEN = 1, DIR_CLOSE };

/* Kinds of data/speech.tsv entries this stage uses. */
enum speech_kind {
  SK_NONE = 0,
  SK_SPEECH,  /* said, added, asked, wrote */
  SK_TELL,    /* told: the object is the addressee (or the channel) */
  SK_SOURCE,  /* according to X */
  SK_CHANNEL, /* interview: "in an interview with X" names the channel */
  SK_SCARE    /* so-called: the quoted words are a name, not a quote */
};

/* Per token: where it stands relative to the quote spans. */
enum { IN_NONE = 0, IN_CONTENT = 1, IN_MARK = 2 };

typedef struct span {
  uint32_t o;      /* opening mark */
  uint32_t c;      /* closing mark; for an unclosed quote, te */
  uint32_t tb, te; /* the quoted words */
  uint8_t unclosed;
} span;

typedef struct report {
  uint32_t v, ve; /* the reporting word(s) */
  int32_t speaker, speaker_mention, channel, addressee;
  uint8_t verb;  /* a verb (not "according to") */
  uint8_t found; /* the clause names a speaker, resolved or not */
} report;

typedef struct qctx {
  nkg_doc *doc;
  const nkg_lexicon *lex;
  uint8_t *in; /* IN_* per token */
  size_t max_words; /* longest entry of speech.tsv, in words */
  span *spans;
  size_t nspans, capspans;
  report *reports;
  size_t nreports, capreports;
  int32_t *post_first, *post_next; /* posts of each person */
  /* the most recent report whose speaker is a person */
  uint32_t person_v;
  int32_t person;
} qctx;

/* ---- tokens --------------------------------------------------------------
 */

static int32_t tok_cp(const nkg_doc *doc, uint32_t t) {
  const nkg_token *k = &doc->toks[t];
  int32_t cp = 0;
  if (!nkg_utf8_decode((const unsigned char *)doc->text + k->b, k->e - k->b,
                       &cp))
    return -1;
  return cp;
}

/* Is token t exactly the one ASCII character c? */
static int is_char(const nkg_doc *doc, uint32_t t, char c) {
  const nkg_token *k = &doc->toks[t];
  return k->e - k->b == 1 && doc->text[k->b] == c;
}

static int sentence_final(const nkg_doc *doc, uint32_t t) {
  return is_char(doc, t, '.') || is_char(doc, t, '!') || is_char(doc, t, '?');
}

static uint32_t para_of(const nkg_doc *doc, uint32_t t) {
  return doc->sents[doc->toks[t].sent].para;
}

static int is_word(const nkg_doc *doc, uint32_t t) {
  return (doc->toks[t].flags & NKG_TF_WORD) &&
         !(doc->toks[t].flags & NKG_TF_POSS);
}

static int lower_word(const nkg_doc *doc, uint32_t t) {
  return is_word(doc, t) &&
         !(doc->toks[t].flags & (NKG_TF_CAP | NKG_TF_UPPER | NKG_TF_DIGIT));
}

static int personal_pronoun(const nkg_doc *doc, uint32_t t) {
  return nkg_tok_is(doc, t, "he") || nkg_tok_is(doc, t, "she");
}

static int stop_category(const qctx *q, uint32_t t) {
  char buf[64];
  return nkg_lex_stop(q->lex, nkg_tok_fold(q->doc, t, buf, sizeof buf));
}

/* ---- data/speech.tsv ------------------------------------------------------
 */

static int kind_of(const char *value) {
  if (!value)
    return SK_NONE;
  /* the first field is the kind; more fields may follow */
  size_t n = strcspn(value, "\t");
  struct {
    const char *name;
    int kind;
  } kinds[] = {{"speech", SK_SPEECH},   {"ask", SK_SPEECH},
               {"write", SK_SPEECH},    {"addressee", SK_TELL},
               {"source", SK_SOURCE},   {"channel", SK_CHANNEL},
               {"scare", SK_SCARE}};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (strlen(kinds[i].name) == n && !strncmp(value, kinds[i].name, n))
      return kinds[i].kind;
  return SK_NONE;
}

/* The longest speech.tsv entry starting at token t and ending before
 * `end`: its kind, and its length in tokens through *len. */
static int speech_at(const qctx *q, uint32_t t, uint32_t end, uint32_t *len) {
  const nkg_doc *doc = q->doc;
  size_t max = q->max_words;
  if (max > end - t)
    max = end - t;
  for (size_t n = max; n >= 1; n--) {
    uint32_t e = t + (uint32_t)n;
    int ok = 1;
    for (uint32_t i = t; i < e && ok; i++)
      ok = (doc->toks[i].flags & NKG_TF_WORD) && q->in[i] == IN_NONE &&
           (i == t || !(doc->toks[i].flags & NKG_TF_SSTART));
    if (!ok)
      continue;
    char *f = nkg_span_fold(doc, t, e);
    if (!f)
      return -1;
    int kind = kind_of(nkg_map_get(q->lex->speech, f, strlen(f)));
    free(f);
    if (kind) {
      *len = (uint32_t)n;
      return kind;
    }
  }
  return SK_NONE;
}

static size_t longest_entry(const nkg_map *map) {
  size_t max = 1;
  for (size_t i = 0; i < nkg_map_slots(map); i++) {
    const char *key;
    void *value;
    if (!nkg_map_at(map, i, &key, &value))
      continue;
    size_t words = 1;
    for (const char *p = key; *p; p++)
      words += *p == ' ';
    if (words > max)
      max = words;
  }
  return max;
}

/* ---- mentions ------------------------------------------------------------
 */

static int etype(const qctx *q, const nkg_mention *m) {
  return m->entity >= 0 ? q->doc->entities[m->entity].type : NKG_NONE;
}

/* The mention that ends with token t, or -1. */
static int32_t mention_ending(const qctx *q, uint32_t t) {
  int32_t m = nkg_mention_at(q->doc, t);
  return m >= 0 && q->doc->mentions[m].te == t + 1 ? m : -1;
}

/* The mention that starts with token t, or -1. */
static int32_t mention_starting(const qctx *q, uint32_t t) {
  int32_t m = nkg_mention_at(q->doc, t);
  return m >= 0 && q->doc->mentions[m].tb == t ? m : -1;
}

/* Mentions that stand for another one (pronouns, descriptions: added by
 * coreference) are not evidence of their own here. */
static int referring(const nkg_mention *m) {
  return m->how == NKG_H_PRONOUN || m->how == NKG_H_DESCRIPTION;
}

/* Index of the last mention that starts before token t, or -1. */
static int32_t last_mention_before(const qctx *q, uint32_t t) {
  size_t lo = 0, hi = q->doc->nmentions;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (q->doc->mentions[mid].tb < t)
      lo = mid + 1;
    else
      hi = mid;
  }
  return (int32_t)lo - 1;
}

/* A news channel: a media organization or news agency by its kind, or a
 * name followed by a media cue ("the Al-Arabiya satellite channel"). */
static int is_media(const qctx *q, int32_t mi) {
  const nkg_mention *m = &q->doc->mentions[mi];
  if (etype(q, m) != NKG_ORG)
    return 0;
  int kind = q->doc->entities[m->entity].kind;
  if (kind == NKG_K_MEDIA || kind == NKG_K_NEWSAGENCY ||
      m->kind == NKG_K_MEDIA || m->kind == NKG_K_NEWSAGENCY)
    return 1;
  for (uint32_t t = m->te; t < q->doc->ntoks && t < m->te + 2; t++) {
    if (!lower_word(q->doc, t))
      break;
    char buf[64];
    const nkg_cue *c =
        nkg_lex_cue(q->lex, nkg_tok_fold(q->doc, t, buf, sizeof buf));
    if (c && !c->prefix &&
        (c->kind == NKG_K_MEDIA || c->kind == NKG_K_NEWSAGENCY))
      return 1;
  }
  return 0;
}

/* ---- pass 1: quote spans --------------------------------------------------
 */

static int mark_family(const nkg_doc *doc, uint32_t t) {
  const nkg_token *k = &doc->toks[t];
  if (!(k->flags & (NKG_TF_QUOTE | NKG_TF_POSS)))
    return MARK_NONE;
  int32_t cp = tok_cp(doc, t);
  if (k->flags & NKG_TF_POSS) {
    /* a bare apostrophe after a word closes a single quote: ‘peace’, */
    size_t n = k->e - k->b;
    return ((cp == '\'' && n == 1) || (cp == 0x2019 && n == 3)) ? MARK_SINGLE
                                                                : MARK_NONE;
  }
  if (cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0x201E ||
      cp == 0x00AB || cp == 0x00BB)
    return MARK_DOUBLE;
  return MARK_SINGLE;
}

/* Opens or closes? The shape decides first: a mark with a space on one
 * side and a word on the other; then the curly form; then whether a quote
 * is open. */
static int mark_dir(const nkg_doc *doc, uint32_t t, uint32_t pb, uint32_t pe,
                    int open) {
  const nkg_token *k = &doc->toks[t];
  if (k->flags & NKG_TF_POSS)
    return DIR_CLOSE;
  int gl = t > pb && doc->toks[t - 1].e == k->b;
  int gr = t + 1 < pe && doc->toks[t + 1].b == k->e;
  if (gl && !gr)
    return DIR_CLOSE;
  if (!gl && gr)
    return DIR_OPEN;
  int32_t cp = tok_cp(doc, t);
  if (cp == 0x201C || cp == 0x2018 || cp == 0x201E || cp == 0x201A ||
      cp == 0x00AB || cp == 0x2039)
    return DIR_OPEN;
  if (cp == 0x201D || cp == 0x2019 || cp == 0x00BB || cp == 0x203A)
    return DIR_CLOSE;
  if (gl && gr) {
    /* glued on both sides: `said,"We` opens, `peace",` closes */
    int next_word = (doc->toks[t + 1].flags & NKG_TF_WORD) != 0;
    int prev_word = (doc->toks[t - 1].flags & NKG_TF_WORD) ||
                    sentence_final(doc, t - 1) || is_char(doc, t - 1, ',');
    if (prev_word && !next_word)
      return DIR_CLOSE;
    if (!prev_word && next_word)
      return DIR_OPEN;
  }
  return open ? DIR_CLOSE : DIR_OPEN;
}

static int add_span(qctx *q, uint32_t o, uint32_t c, uint32_t tb, uint32_t te,
                    int unclosed) {
  const nkg_doc *doc = q->doc;
  /* the comma before the closing mark belongs to the reporting clause */
  while (te > tb && (is_char(doc, te - 1, ',') || is_char(doc, te - 1, ';') ||
                     is_char(doc, te - 1, ':')))
    te--;
  int words = 0;
  for (uint32_t t = tb; t < te && !words; t++)
    words = is_word(doc, t);
  if (!words)
    return 0;
  span s = {o, c, tb, te, (uint8_t)(unclosed != 0)};
  return NKG_PUSH(q->spans, q->nspans, q->capspans, s) ? NKG_ERR_NOMEM : 0;
}

static int find_spans_in(qctx *q, uint32_t pb, uint32_t pe) {
  const nkg_doc *doc = q->doc;
  int64_t od = -1, os = -1; /* the open double and single marks */
  uint32_t sent_start = pb; /* the latest sentence start in the paragraph */
  int rc = 0;
  for (uint32_t t = pb; t < pe && !rc; t++) {
    if (t > pb && doc->toks[t].sent != doc->toks[t - 1].sent)
      sent_start = t;
    int fam = mark_family(doc, t);
    if (fam == MARK_NONE)
      continue;
    if (doc->toks[t].flags & NKG_TF_QUOTE)
      q->in[t] = IN_MARK;
    if (fam == MARK_DOUBLE) {
      int dir = mark_dir(doc, t, pb, pe, od >= 0);
      if (dir == DIR_CLOSE) {
        if (od >= 0)
          rc = add_span(q, (uint32_t)od, t, (uint32_t)od + 1, t, 0);
        od = -1;
        continue;
      }
      /* An opening mark while one is open: the first was never closed.
       * It ends where its last sentence ends, if it has one (right before
       * this mark when the mark follows a full stop: the segmenter may
       * have counted the mark into the sentence before). */
      uint32_t cut = t > pb && sentence_final(doc, t - 1) ? t : sent_start;
      if (od >= 0 && cut > (uint32_t)od + 1)
        rc = add_span(q, (uint32_t)od, cut, (uint32_t)od + 1, cut, 1);
      od = t;
      os = -1;
      continue;
    }
    if (od >= 0)
      continue; /* single marks inside a double quote are nested quotes */
    int dir = mark_dir(doc, t, pb, pe, os >= 0);
    if (dir == DIR_OPEN && (doc->toks[t].flags & NKG_TF_QUOTE))
      os = t;
    else if (dir == DIR_CLOSE && os >= 0) {
      q->in[t] = IN_MARK;
      rc = add_span(q, (uint32_t)os, t, (uint32_t)os + 1, t, 0);
      os = -1;
    }
  }
  if (!rc && od >= 0)
    rc = add_span(q, (uint32_t)od, pe, (uint32_t)od + 1, pe, 1);
  return rc;
}

static int find_spans(qctx *q) {
  const nkg_doc *doc = q->doc;
  uint32_t pb = 0;
  while (pb < doc->ntoks) {
    uint32_t pe = pb + 1;
    while (pe < doc->ntoks && !(doc->toks[pe].flags & NKG_TF_PSTART))
      pe++;
    int rc = find_spans_in(q, pb, pe);
    if (rc)
      return rc;
    pb = pe;
  }
  for (size_t i = 0; i < q->nspans; i++)
    for (uint32_t t = q->spans[i].tb; t < q->spans[i].te; t++)
      if (q->in[t] == IN_NONE)
        q->in[t] = IN_CONTENT;
  return 0;
}

/* ---- referents: pronouns and descriptions ---------------------------------
 */

/* "he" or "she" at p: the most recent person speaker, or the person who is
 * the subject (first person named outside quotes) of the most recent
 * sentence that names one, whichever came last. */
static int32_t resolve_pronoun(const qctx *q, uint32_t p) {
  const nkg_doc *doc = q->doc;
  int32_t best = -1;
  uint32_t best_pos = 0;
  if (q->person >= 0 && q->person_v < p) {
    best = q->person;
    best_pos = q->person_v;
  }
  uint32_t para = para_of(doc, p);
  int32_t found = -1;
  uint32_t found_sent = 0;
  int32_t i = last_mention_before(q, p);
  for (int n = 0; i >= 0 && n < NKG_Q_MENTIONS; i--, n++) {
    const nkg_mention *m = &doc->mentions[i];
    if (found >= 0 && doc->toks[m->tb].sent != found_sent)
      break;
    if (para_of(doc, m->tb) + 2 < para)
      break;
    if (q->in[m->tb] != IN_NONE || referring(m) || etype(q, m) != NKG_PER)
      continue;
    found = i;
    found_sent = doc->toks[m->tb].sent;
  }
  if (found >= 0 && (best < 0 || doc->mentions[found].tb > best_pos))
    best = doc->mentions[found].entity;
  return best;
}

static int post_org_matches(const qctx *q, const nkg_post *post,
                            const nkg_gaz *country, int32_t org) {
  if (!country && org < 0)
    return 1;
  if (post->org < 0)
    return 0;
  if (post->org == org)
    return 1;
  const nkg_gaz *g = q->doc->entities[post->org].gaz;
  const nkg_gaz *want = country;
  if (!want && org >= 0)
    want = q->doc->entities[org].gaz;
  return g && want && (g == want || g->country == want);
}

/* Does the role contain the word as a whole word? */
static int role_has(const char *role, const char *word) {
  size_t n = strlen(word);
  if (!role || !n)
    return 0;
  for (const char *p = strstr(role, word); p; p = strstr(p + 1, word)) {
    int start = p == role || p[-1] == ' ' || p[-1] == '-';
    int end = p[n] == '\0' || p[n] == ' ' || p[n] == '-';
    if (start && end)
      return 1;
  }
  return 0;
}

/* A person described by a title ("the minister", "the Russian leader"):
 * the most recently named person holding a matching post. A generic head
 * ("leader", "official") matches any post in the country or organization
 * the description names. */
static int32_t person_by_post(const qctx *q, uint32_t before,
                              const nkg_title *title, const char *head,
                              const nkg_gaz *country, int32_t org) {
  if (!q->post_first)
    return -1;
  const nkg_doc *doc = q->doc;
  int generic = title && (!strcmp(title->cls, "generic") ||
                          !strcmp(title->cls, "party") ||
                          !strcmp(title->cls, "head_of_state"));
  int constrained = country || org >= 0;
  int32_t i = last_mention_before(q, before);
  for (int n = 0; i >= 0 && n < NKG_Q_MENTIONS; i--, n++) {
    const nkg_mention *m = &doc->mentions[i];
    if (referring(m) || etype(q, m) != NKG_PER)
      continue;
    for (int32_t p = q->post_first[m->entity]; p >= 0; p = q->post_next[p]) {
      const nkg_post *post = &doc->posts[p];
      if (!post_org_matches(q, post, country, org))
        continue;
      if (role_has(post->role, head) || (generic && constrained))
        return m->entity;
    }
  }
  return -1;
}

/* An organization described by its cue word ("the company", "the
 * movement"): the most recently named organization of that kind. */
static int32_t org_by_kind(const qctx *q, uint32_t before, int kind,
                           const nkg_gaz *country) {
  const nkg_doc *doc = q->doc;
  int32_t i = last_mention_before(q, before);
  for (int n = 0; i >= 0 && n < NKG_Q_MENTIONS; i--, n++) {
    const nkg_mention *m = &doc->mentions[i];
    if (referring(m) || etype(q, m) != NKG_ORG || q->in[m->tb] != IN_NONE)
      continue;
    const nkg_dentity *e = &doc->entities[m->entity];
    if (kind != NKG_K_NONE && kind != NKG_K_OTHER && e->kind != kind &&
        e->kind != NKG_K_NONE)
      continue;
    if (country && !(e->gaz && e->gaz->country == country))
      continue;
    return m->entity;
  }
  return -1;
}

/* The referent of the definite description [d0, head] ("the Russian
 * leader", "Israel's foreign ministry spokesman"); possessor is the mention
 * before the possessive, or -1. */
static int32_t resolve_description(const qctx *q, uint32_t d0, uint32_t head,
                                   int32_t possessor) {
  const nkg_doc *doc = q->doc;
  const nkg_gaz *country = NULL;
  int32_t org = -1;
  if (possessor >= 0) {
    org = doc->mentions[possessor].entity;
    const nkg_gaz *g = doc->entities[org].gaz;
    if (g && g->kind == NKG_K_COUNTRY)
      country = g;
  }
  for (uint32_t t = d0; t < head; t++) {
    char buf[64];
    const nkg_gaz *adj =
        nkg_lex_adjective(q->lex, nkg_tok_fold(doc, t, buf, sizeof buf));
    if (adj)
      country = adj;
    int32_t m = mention_starting(q, t);
    if (m >= 0 && etype(q, &doc->mentions[m]) != NKG_PER) {
      org = doc->mentions[m].entity;
      const nkg_gaz *g = doc->entities[org].gaz;
      if (!country && g && g->kind == NKG_K_COUNTRY)
        country = g;
    }
  }
  char head_word[64];
  nkg_tok_fold(doc, head, head_word, sizeof head_word);
  /* the longest title that ends with the head: "foreign minister" */
  const nkg_title *title = NULL;
  for (uint32_t s = d0; s <= head && !title; s++) {
    if (head + 1 - s > q->lex->max_title_tokens)
      continue;
    char *f = nkg_span_fold(doc, s, head + 1);
    if (!f)
      return -1;
    title = nkg_lex_title(q->lex, f);
    free(f);
  }
  int32_t e = -1;
  if (title && title->kind == NKG_T_OFFICE)
    e = person_by_post(q, d0, title, head_word, country, org);
  if (e < 0 && !title) {
    const nkg_cue *c = nkg_lex_cue(q->lex, head_word);
    if (c && !c->prefix && c->type == NKG_ORG)
      e = org_by_kind(q, d0, c->kind, country);
  }
  if (e < 0) {
    /* coreference may have resolved the description already */
    int32_t m = mention_ending(q, head);
    if (m >= 0 && doc->mentions[m].how == NKG_H_DESCRIPTION)
      e = doc->mentions[m].entity;
  }
  return e;
}

/* ---- pass 2: reporting clauses ---------------------------------------------
 */

static int is_determiner(const nkg_doc *doc, uint32_t t) {
  return nkg_tok_is(doc, t, "the") || nkg_tok_is(doc, t, "a") ||
         nkg_tok_is(doc, t, "an") || nkg_tok_is(doc, t, "his") ||
         nkg_tok_is(doc, t, "her") || nkg_tok_is(doc, t, "its") ||
         nkg_tok_is(doc, t, "their") || nkg_tok_is(doc, t, "one");
}

/* A preposition ("for", "of"): a function word that is no determiner. */
static int preposition(const qctx *q, uint32_t t) {
  return lower_word(q->doc, t) && stop_category(q, t) == NKG_S_FUNCTION &&
         !is_determiner(q->doc, t) && !personal_pronoun(q->doc, t);
}

/* The referent of the noun phrase whose head noun is token k, read back
 * to its determiner or possessor: "the Russian leader", "Israel's
 * spokesman"; of, the mention after "of"/"for" ("the head of the BBC"), or
 * -1. An indefinite phrase ("a spokesman") refers to no one we know. */
static int32_t description_ending(const qctx *q, uint32_t k, uint32_t lo,
                                  int32_t of) {
  const nkg_doc *doc = q->doc;
  for (uint32_t j = k; j > lo && k - j < 6;) {
    j--;
    if (q->in[j] != IN_NONE)
      break;
    if (doc->toks[j].flags & NKG_TF_POSS) {
      int32_t pm = j > 0 ? mention_ending(q, j - 1) : -1;
      return pm >= 0 ? resolve_description(q, j + 1, k, pm) : -1;
    }
    if (is_determiner(doc, j))
      return nkg_tok_is(doc, j, "the") ? resolve_description(q, j + 1, k, of)
                                       : -1;
    if (!is_word(doc, j))
      break;
  }
  return -1;
}

/* The speaker the noun phrase ending at token k names. Returns 1 if there
 * is such a phrase (even one that names nobody we can resolve: "a
 * spokesman", "officials"), else 0. */
static int np_ending_at(const qctx *q, uint32_t k, uint32_t lo, int appos,
                        int32_t *speaker, int32_t *mention) {
  const nkg_doc *doc = q->doc;
  *speaker = -1;
  *mention = -1;
  if (q->in[k] != IN_NONE)
    return 0;
  if (personal_pronoun(doc, k)) {
    *speaker = resolve_pronoun(q, k);
    int32_t m = nkg_mention_at(doc, k);
    if (m >= 0 && *speaker >= 0 && doc->mentions[m].entity == *speaker)
      *mention = m;
    return 1;
  }
  int32_t m = mention_ending(q, k);
  if (m >= 0 && !referring(&doc->mentions[m])) {
    uint32_t mb = doc->mentions[m].tb;
    /* "Smith and Jones said": more than one speaker */
    if (mb > lo && nkg_tok_is(doc, mb - 1, "and"))
      return 1;
    /* "a spokesman for Dell said": the name is inside the phrase, whose
     * head is the noun before the preposition */
    if (mb >= lo + 2 && preposition(q, mb - 1) && lower_word(doc, mb - 2) &&
        q->in[mb - 2] == IN_NONE) {
      *speaker = description_ending(q, mb - 2, lo, m);
      return 1;
    }
    int type = etype(q, &doc->mentions[m]);
    /* a place does not speak; "Israel said" is an attribution to no one */
    if (type == NKG_PER || type == NKG_ORG) {
      *speaker = doc->mentions[m].entity;
      *mention = m;
    }
    return 1;
  }
  if (appos && (is_char(doc, k, ',') || is_char(doc, k, ')'))) {
    /* "Mark Regev, a spokesman, said": the name before the apposition;
     * "the minister, Mr Cole, said": the apposition itself */
    char open = is_char(doc, k, ')') ? '(' : ',';
    for (uint32_t j = k; j > lo && k - j < NKG_Q_SUBJECT_SPAN;) {
      j--;
      if (q->in[j] != IN_NONE || sentence_final(doc, j))
        return 0;
      if (!is_char(doc, j, open))
        continue;
      if (j == 0 || j - 1 < lo)
        return 0;
      int32_t inner = mention_starting(q, j + 1);
      if (inner >= 0 && doc->mentions[inner].te == k &&
          etype(q, &doc->mentions[inner]) == NKG_PER) {
        *speaker = doc->mentions[inner].entity;
        *mention = inner;
        return 1;
      }
      return np_ending_at(q, j - 1, lo, 0, speaker, mention);
    }
    return 0;
  }
  if (!is_word(doc, k))
    return 0;
  int sc = stop_category(q, k);
  if (nkg_tok_is(doc, k, "they") || nkg_tok_is(doc, k, "it") ||
      nkg_tok_is(doc, k, "we") || nkg_tok_is(doc, k, "i"))
    return 1;
  /* a function word or an adverb does not end a noun phrase */
  if (sc == NKG_S_FUNCTION || sc == NKG_S_ADVERB)
    return 0;
  if (!lower_word(doc, k)) /* "Officials said", a name we do not know */
    return sc != NKG_S_WEEKDAY && sc != NKG_S_MONTH;
  *speaker = description_ending(q, k, lo, -1);
  return 1; /* "officials said" */
}

/* The speaker named right after the verb: "said Mashal", "said Israel's
 * spokesman Mark Regev", "said the minister". */
static int np_after(const qctx *q, uint32_t a, int32_t *speaker,
                    int32_t *mention) {
  const nkg_doc *doc = q->doc;
  *speaker = -1;
  *mention = -1;
  if (a >= doc->ntoks || q->in[a] != IN_NONE || !is_word(doc, a) ||
      para_of(doc, a) != para_of(doc, a - 1))
    return 0;
  if (personal_pronoun(doc, a)) {
    *speaker = resolve_pronoun(q, a);
    return 1;
  }
  int32_t org = -1;
  uint32_t end = a;
  for (uint32_t t = a; t < doc->ntoks && t < a + 8; t++) {
    if (q->in[t] != IN_NONE || sentence_final(doc, t) ||
        is_char(doc, t, ',') || para_of(doc, t) != para_of(doc, a))
      break;
    end = t + 1;
    int32_t m = mention_starting(q, t);
    if (m < 0 || referring(&doc->mentions[m]))
      continue;
    const nkg_mention *mm = &doc->mentions[m];
    int possessed = mm->te < doc->ntoks &&
                    (doc->toks[mm->te].flags & NKG_TF_POSS);
    if (etype(q, mm) == NKG_PER && !possessed) {
      *speaker = mm->entity;
      *mention = m;
      return 1;
    }
    if (etype(q, mm) == NKG_ORG && !possessed && org < 0)
      org = m;
    t = mm->te - 1;
  }
  if (org >= 0) {
    *speaker = doc->mentions[org].entity;
    *mention = org;
    return 1;
  }
  if (nkg_tok_is(doc, a, "the")) {
    /* the longest title or cue word after "the" is the head */
    for (uint32_t h = end; h-- > a + 1;) {
      char buf[64];
      nkg_tok_fold(doc, h, buf, sizeof buf);
      const nkg_cue *c = nkg_lex_cue(q->lex, buf);
      if (nkg_lex_title(q->lex, buf) || (c && !c->prefix)) {
        *speaker = resolve_description(q, a + 1, h, -1);
        return 1;
      }
    }
    return 1;
  }
  if (is_determiner(doc, a))
    return 1; /* "said a spokesman" */
  return 0;
}

/* The channel named around a reporting clause: a media organization just
 * after the verb ("told the BBC", "wrote in the Guardian"), or after a
 * channel word ("in an interview with the Independent"). */
static int32_t find_channel(const qctx *q, uint32_t a, uint32_t end,
                            uint32_t verb_end) {
  const nkg_doc *doc = q->doc;
  uint32_t cue = UINT32_MAX; /* the latest channel word */
  for (uint32_t t = a; t < end; t++) {
    if (q->in[t] != IN_NONE)
      continue;
    uint32_t len = 1;
    if (lower_word(doc, t) && speech_at(q, t, end, &len) == SK_CHANNEL) {
      cue = t + len - 1;
      t += len - 1;
      continue;
    }
    int32_t m = mention_starting(q, t);
    if (m < 0)
      continue;
    int near_verb = t >= verb_end && t < verb_end + 4;
    int near_cue = cue != UINT32_MAX && t > cue && t - cue <= 4;
    uint32_t te = doc->mentions[m].te;
    /* "said Sky's Jane Doe", "said BBC reporter Jane Doe": the speaker's
     * employer, not the channel */
    int affiliation = te < end && (doc->toks[te].flags & NKG_TF_POSS);
    for (uint32_t u = te; u < end && u < te + 3 && !affiliation; u++) {
      int32_t pm = mention_starting(q, u);
      affiliation = pm >= 0 && etype(q, &doc->mentions[pm]) == NKG_PER;
    }
    if ((near_verb || near_cue) && !affiliation && is_media(q, m))
      return doc->mentions[m].entity;
    t = te - 1;
  }
  return -1;
}

/* Where the clause of a reporting word ends: at a quote, the end of the
 * sentence or paragraph, or after `max` tokens. */
static uint32_t clause_end(const qctx *q, uint32_t a, uint32_t max) {
  const nkg_doc *doc = q->doc;
  uint32_t t = a;
  while (t < doc->ntoks && t < a + max && q->in[t] == IN_NONE &&
         !sentence_final(doc, t) && !is_char(doc, t, ';') &&
         (t == a || !(doc->toks[t].flags & NKG_TF_PSTART)))
    t++;
  return t;
}

/* The subject of the sentence that holds token v, for a participle
 * clause ("Smith left early, saying ..."): a person named near the start
 * of the sentence ("Hamas leader Mashal"), else an organization or a
 * pronoun that opens it. */
static int sentence_subject(const qctx *q, uint32_t v, int32_t *speaker,
                            int32_t *mention) {
  const nkg_doc *doc = q->doc;
  uint32_t sb = doc->sents[doc->toks[v].sent].tb;
  while (sb < v && !is_word(doc, sb))
    sb++;
  if (sb >= v || q->in[sb] != IN_NONE)
    return 0;
  if (personal_pronoun(doc, sb)) {
    *speaker = resolve_pronoun(q, sb);
    return 1;
  }
  int32_t first = -1;
  for (uint32_t t = sb; t < v && t < sb + 8; t++) {
    if (q->in[t] != IN_NONE || is_char(doc, t, ','))
      break;
    int32_t m = mention_starting(q, t);
    if (m < 0 || referring(&doc->mentions[m]))
      continue;
    if (etype(q, &doc->mentions[m]) == NKG_PER) {
      *speaker = doc->mentions[m].entity;
      *mention = m;
      return 1;
    }
    if (first < 0 && t == sb)
      first = m;
    t = doc->mentions[m].te - 1;
  }
  if (first >= 0 && etype(q, &doc->mentions[first]) == NKG_ORG) {
    *speaker = doc->mentions[first].entity;
    *mention = first;
    return 1;
  }
  return 0;
}

/* Is token t a present participle ("saying", "adding")? */
static int participle(const nkg_doc *doc, uint32_t t) {
  const nkg_token *k = &doc->toks[t];
  return k->e - k->b > 4 && !strncmp(doc->text + k->e - 3, "ing", 3);
}

static void verb_report(qctx *q, report *r, int kind) {
  const nkg_doc *doc = q->doc;
  uint32_t v = r->v;
  /* skip adverbs and auxiliaries: "has also said", "who later said" */
  uint32_t p = v;
  for (int n = 0; n < 3 && p > 0; n++) {
    uint32_t k = p - 1;
    if (q->in[k] != IN_NONE || !lower_word(doc, k) ||
        personal_pronoun(doc, k) || is_determiner(doc, k) ||
        nkg_tok_is(doc, k, "they") || nkg_tok_is(doc, k, "it") ||
        nkg_tok_is(doc, k, "we") || nkg_tok_is(doc, k, "i"))
      break;
    int sc = stop_category(q, k);
    if (sc != NKG_S_ADVERB && sc != NKG_S_FUNCTION)
      break;
    p = k;
  }
  uint32_t lo = v > NKG_Q_SUBJECT_SPAN ? v - NKG_Q_SUBJECT_SPAN : 0;
  int subject_slot = p > 0 && p > lo && para_of(doc, p - 1) == para_of(doc, v) &&
                     q->in[p - 1] == IN_NONE && !sentence_final(doc, p - 1);
  if (subject_slot && !(doc->toks[v].flags & NKG_TF_SSTART))
    r->found = (uint8_t)np_ending_at(q, p - 1, lo, 1, &r->speaker,
                                     &r->speaker_mention);
  /* "...," said X: the speaker follows the verb when nothing precedes it
   * but the quote (and its comma) */
  uint32_t b = v;
  if (b > 0 && is_char(doc, b - 1, ','))
    b--;
  int after_quote = b > 0 && q->in[b - 1] == IN_MARK;
  if (!r->found && (after_quote || (doc->toks[v].flags & NKG_TF_SSTART)))
    r->found =
        (uint8_t)np_after(q, r->ve, &r->speaker, &r->speaker_mention);
  /* "..., says Helmut Brandt, director of ...": only a name counts here */
  if (!r->found && b < v && np_after(q, r->ve, &r->speaker,
                                     &r->speaker_mention)) {
    r->found = r->speaker_mention >= 0;
    if (!r->found)
      r->speaker = -1;
  }
  if (!r->found && !after_quote && b < v && participle(doc, v))
    r->found = (uint8_t)sentence_subject(q, v, &r->speaker,
                                         &r->speaker_mention);
  uint32_t end = clause_end(q, r->ve, NKG_Q_CHANNEL_SPAN);
  uint32_t start = v > NKG_Q_CHANNEL_SPAN ? v - NKG_Q_CHANNEL_SPAN : 0;
  while (start < v && (q->in[start] != IN_NONE ||
                       para_of(doc, start) != para_of(doc, v)))
    start++;
  r->channel = find_channel(q, start, end, r->ve);
  if (kind == SK_TELL) {
    /* "told the Saudi-based X channel", "told Y": the object */
    for (uint32_t t = r->ve; t < end && t < r->ve + 4; t++) {
      int32_t m = mention_starting(q, t);
      if (m < 0)
        continue;
      int type = etype(q, &doc->mentions[m]);
      if ((type == NKG_PER || type == NKG_ORG) &&
          doc->mentions[m].entity != r->channel && !is_media(q, m))
        r->addressee = doc->mentions[m].entity;
      break;
    }
  }
}

/* "according to X": a person or organization as the speaker, a news
 * medium as the channel. */
static void source_report(qctx *q, report *r) {
  const nkg_doc *doc = q->doc;
  uint32_t end = clause_end(q, r->ve, 4);
  for (uint32_t t = r->ve; t < end; t++) {
    int32_t m = mention_starting(q, t);
    if (m < 0 || referring(&doc->mentions[m]))
      continue;
    int type = etype(q, &doc->mentions[m]);
    if (is_media(q, m))
      r->channel = doc->mentions[m].entity;
    else if (type == NKG_PER || type == NKG_ORG) {
      r->speaker = doc->mentions[m].entity;
      r->speaker_mention = m;
      r->found = 1;
    }
    break;
  }
}

static int find_reports(qctx *q) {
  const nkg_doc *doc = q->doc;
  for (uint32_t t = 0; t < doc->ntoks; t++) {
    const nkg_token *k = &doc->toks[t];
    if (q->in[t] != IN_NONE || !is_word(doc, t) ||
        ((k->flags & (NKG_TF_CAP | NKG_TF_UPPER)) &&
         !(k->flags & NKG_TF_SSTART)))
      continue;
    uint32_t len = 1;
    int kind = speech_at(q, t, (uint32_t)doc->ntoks, &len);
    if (kind < 0)
      return NKG_ERR_NOMEM;
    if (kind != SK_SPEECH && kind != SK_TELL && kind != SK_SOURCE)
      continue;
    report r = {t, t + len, -1, -1, -1, -1, kind != SK_SOURCE, 0};
    if (kind == SK_SOURCE)
      source_report(q, &r);
    else
      verb_report(q, &r, kind);
    if (r.speaker >= 0 && doc->entities[r.speaker].type == NKG_PER) {
      q->person = r.speaker;
      q->person_v = t;
    }
    if (NKG_PUSH(q->reports, q->nreports, q->capreports, r))
      return NKG_ERR_NOMEM;
    t += len - 1;
  }
  return 0;
}

/* ---- pass 3: attribution ---------------------------------------------------
 */

/* First report at or after token t. */
static size_t report_from(const qctx *q, uint32_t t) {
  size_t lo = 0, hi = q->nreports;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (q->reports[mid].v < t)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Does the quote open a sentence (nothing of its sentence before it)? */
static int sentence_initial(const qctx *q, uint32_t o) {
  const nkg_doc *doc = q->doc;
  if (o == 0 || (doc->toks[o].flags & NKG_TF_PSTART))
    return 1;
  if (sentence_final(doc, o - 1))
    return 1;
  return q->in[o - 1] == IN_MARK && o >= 2 && sentence_final(doc, o - 2);
}

/* A scare quote marker right before the opening mark ("so-called"). */
static int after_scare_word(const qctx *q, uint32_t o) {
  for (uint32_t n = 1; n <= q->max_words && n <= o; n++) {
    uint32_t len = 0;
    if (lower_word(q->doc, o - n) &&
        speech_at(q, o - n, o, &len) == SK_SCARE && o - n + len == o)
      return 1;
  }
  return 0;
}

typedef struct attribution {
  int32_t speaker, speaker_mention, channel, addressee;
  int found;
} attribution;

static void from_report(attribution *a, const report *r) {
  a->speaker = r->speaker;
  a->speaker_mention = r->speaker_mention;
  a->channel = r->channel;
  a->addressee = r->addressee;
  a->found = 1;
}

/* The reports in [lo, hi) that name the speaker (a verb first, then
 * "according to") and the channel. first: take the first, else the last. */
static int attribute(const qctx *q, uint32_t lo, uint32_t hi, uint32_t verb_hi,
                     int first, attribution *a, uint32_t *verb_at) {
  const report *verb = NULL, *source = NULL;
  int32_t channel = -1;
  for (size_t i = report_from(q, lo); i < q->nreports && q->reports[i].v < hi;
       i++) {
    const report *r = &q->reports[i];
    if (r->channel >= 0 && (channel < 0 || !first))
      channel = r->channel;
    if (!r->found)
      continue;
    if (r->verb && r->v < verb_hi && (!verb || !first))
      verb = r;
    else if (!r->verb && (!source || !first))
      source = r;
  }
  const report *main = verb ? verb : source;
  if (!main)
    return 0;
  from_report(a, main);
  if (a->channel < 0)
    a->channel = channel;
  if (a->speaker == a->channel)
    a->channel = -1;
  *verb_at = main->v;
  return 1;
}

static int attribute_spans(qctx *q) {
  nkg_doc *doc = q->doc;
  attribution last = {-1, -1, -1, -1, 0}; /* the previous quote */
  uint32_t last_para = UINT32_MAX;
  for (size_t i = 0; i < q->nspans; i++) {
    const span *s = &q->spans[i];
    uint32_t para = para_of(doc, s->o);
    if (para != last_para)
      last.found = 0;
    last_para = para;
    if (after_scare_word(q, s->o))
      continue;
    int words = 0;
    for (uint32_t t = s->tb; t < s->te; t++)
      words += is_word(doc, t);
    attribution a = {-1, -1, -1, -1, 0};
    int adjacent = 0;
    uint32_t at = 0;
    if (!s->unclosed && s->c + 1 < doc->ntoks &&
        para_of(doc, s->c + 1) == para) {
      uint32_t end = clause_end(q, s->c + 1, NKG_Q_AFTER_SPAN);
      if (attribute(q, s->c + 1, end, s->c + 1 + NKG_Q_AFTER_VERB, 1, &a,
                    &at))
        adjacent = at <= s->c + 4;
    }
    if (!a.found && s->o > 0) {
      uint32_t lo = s->o;
      while (lo > 0 && s->o - lo < NKG_Q_BEFORE_SPAN &&
             q->in[lo - 1] == IN_NONE && !sentence_final(doc, lo - 1) &&
             para_of(doc, lo - 1) == para)
        lo--;
      if (attribute(q, lo, s->o, s->o, 0, &a, &at)) {
        uint32_t k = report_from(q, at);
        adjacent = q->reports[k].ve + 2 >= s->o;
      }
    }
    if (!a.found && s->o >= 2 && is_char(doc, s->o - 1, ':') &&
        q->in[s->o - 2] == IN_NONE) {
      /* "Brentford boss Martin Allen: "...": a name and a colon */
      int32_t m = mention_ending(q, s->o - 2);
      if (m >= 0 && !referring(&doc->mentions[m]) &&
          etype(q, &doc->mentions[m]) == NKG_PER) {
        a.speaker = doc->mentions[m].entity;
        a.speaker_mention = m;
        a.found = adjacent = 1;
      }
    }
    if (!a.found && sentence_initial(q, s->o)) {
      /* a quote of its own continues the previous speaker */
      if (last.found) {
        a = last;
      } else {
        size_t k = report_from(q, s->o);
        while (k > 0 && !q->reports[k - 1].found)
          k--;
        if (k > 0) {
          const report *r = &q->reports[k - 1];
          uint32_t rp = para_of(doc, r->v);
          if (rp == para ||
              (rp + 1 == para && (doc->toks[s->o].flags & NKG_TF_PSTART)))
            from_report(&a, r);
        }
      }
      if (a.found)
        a.speaker_mention = -1; /* the mention is in another clause */
    }
    if (words <= NKG_Q_SHORT && !adjacent)
      continue; /* a scare quote or a quoted term */
    nkg_quote qt = {s->tb, s->te, a.speaker, a.channel, a.addressee,
                    a.speaker_mention};
    if (NKG_PUSH(doc->quotes, doc->nquotes, doc->capquotes, qt))
      return NKG_ERR_NOMEM;
    if (a.found)
      last = a;
  }
  return 0;
}

/* ---- the stage -------------------------------------------------------------
 */

static int index_posts(qctx *q) {
  const nkg_doc *doc = q->doc;
  if (!doc->nposts || !doc->nentities)
    return 0;
  q->post_first = malloc(doc->nentities * sizeof *q->post_first);
  q->post_next = malloc(doc->nposts * sizeof *q->post_next);
  if (!q->post_first || !q->post_next)
    return NKG_ERR_NOMEM;
  for (size_t e = 0; e < doc->nentities; e++)
    q->post_first[e] = -1;
  for (size_t p = doc->nposts; p-- > 0;) {
    int32_t person = doc->posts[p].person;
    q->post_next[p] = -1;
    if (person < 0 || (size_t)person >= doc->nentities)
      continue;
    q->post_next[p] = q->post_first[person];
    q->post_first[person] = (int32_t)p;
  }
  return 0;
}

int nkg_quotes_find(nkg_doc *doc, const nkg_lexicon *lex) {
  if (!doc || !lex)
    return NKG_ERR_ARG;
  if (!doc->ntoks || !doc->nsents)
    return 0;
  qctx q;
  memset(&q, 0, sizeof q);
  q.doc = doc;
  q.lex = lex;
  q.person = -1;
  q.max_words = longest_entry(lex->speech);
  q.in = calloc(doc->ntoks, 1);
  int rc = q.in ? 0 : NKG_ERR_NOMEM;
  if (!rc)
    rc = index_posts(&q);
  if (!rc)
    rc = find_spans(&q);
  if (!rc)
    rc = find_reports(&q);
  if (!rc)
    rc = attribute_spans(&q);
  free(q.in);
  free(q.spans);
  free(q.reports);
  free(q.post_first);
  free(q.post_next);
  return rc;
}
