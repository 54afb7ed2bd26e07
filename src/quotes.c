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
 *     name, a pronoun (the most recent person speaker or person subject,
 *     of the sex data/quotes.tsv tells), a description (a post in
 *     doc->posts, an organization by its cue word). Each clause also
 *     records the channel and the addressee.
 *  3. Each span is attributed to the reporting clause right after it, else
 *     the one before it in its sentence; a quote that stands as a sentence
 *     of its own with no clause continues the speaker of the previous
 *     quote or report of its paragraph (or of the previous paragraph when
 *     it starts a paragraph). Short quotes (up to three words) with no
 *     reporting clause next to them, and quotes after a "scare" word of
 *     data/quotes.tsv ("so-called"), are not quotations and are dropped.
 * docs/quotations.md describes the choices and their measured precision. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Bounds of every look around a token (in tokens or mentions). */
#define NKG_Q_SUBJECT_SPAN 30 /* an apposition: "X, who heads Y, said" */
#define NKG_Q_AFTER_VERB 10   /* "...," + speaker + verb after the closer */
#define NKG_Q_AFTER_SPAN 16   /* the whole reporting clause after it */
#define NKG_Q_BEFORE_SPAN 40  /* the clause before the opening mark */
#define NKG_Q_CHANNEL_SPAN 15 /* where a channel may follow the verb */
#define NKG_Q_MENTIONS 60     /* mentions looked back at for a referent */
#define NKG_Q_SHORT 3         /* words: a shorter quote needs a verb by it */
#define NKG_Q_POSTS 32        /* posts of one person looked at */
#define NKG_Q_SUBJECT_AT 8    /* a subject starts in its sentence's first */

enum mark_family { MARK_NONE = 0, MARK_DOUBLE, MARK_SINGLE };
enum mark_dir { DIR_OPEN = 1, DIR_CLOSE };

/* Kinds of data/speech.tsv entries this stage uses. */
enum speech_kind {
  SK_NONE = 0,
  SK_SPEECH, /* said, added, asked, wrote */
  SK_TELL,   /* told: the object is the addressee (or the channel) */
  SK_SOURCE, /* according to X */
  SK_CHANNEL /* interview: "in an interview with X" names the channel */
};

/* Per token: where it stands relative to the quote spans. */
enum { IN_NONE = 0, IN_CONTENT = 1, IN_MARK = 2 };

/* Per token: does a mention start there, end there? */
enum { BOUND_START = 1, BOUND_END = 2 };

/* What a noun phrase in the speaker's place is: none, something that may
 * not be a person ("the report", "Shell", "they"), or a person, named or
 * not ("he", "Mr Cole", "a spokesman"). */
enum { NP_NONE = 0, NP_OTHER, NP_PERSON };

/* A person's sex as the article shows it (bits; both: contradictory). */
enum { SEX_MALE = 1, SEX_FEMALE = 2 };

typedef struct span {
  uint32_t o;      /* opening mark */
  uint32_t c;      /* closing mark; for an unclosed quote, te */
  uint32_t tb, te; /* the quoted words */
  uint8_t unclosed;
} span;

typedef struct report {
  uint32_t v, ve; /* the reporting word(s) */
  int32_t speaker, speaker_mention, channel, addressee;
  uint8_t verb;       /* a verb (not "according to") */
  uint8_t found;      /* the clause names a speaker, resolved or not */
  uint8_t person;     /* that speaker is a person */
  int32_t last_found; /* the latest report up to this one that is found */
} report;

typedef struct qctx {
  nkg_doc *doc;
  const nkg_lexicon *lex;
  uint8_t *in;     /* IN_* per token */
  uint8_t *speech; /* per token: 0 unknown, else 1 + kind * 8 + length */
  uint8_t *bounds; /* per token: BOUND_* of the mentions */
  const nkg_quote_lex *ql;
  uint8_t *sex; /* per entity: SEX_* from honorifics before it */
  span *spans;
  size_t nspans, capspans;
  report *reports;
  size_t nreports, capreports;
  int32_t *post_first, *post_next; /* posts of each person */
  /* the most recent report that may have a person as its speaker: its
   * speaker (-1 when it names someone we cannot resolve, "a spokesman") */
  uint32_t person_v;
  int32_t person;
  int person_set;
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

/* (the three tests at once: one branch for the caller, whose answer
 * follows no pattern, instead of one a test) */
static int sentence_final(const nkg_doc *doc, uint32_t t) {
  const nkg_token *k = &doc->toks[t];
  char ch = doc->text[k->b]; /* (every token has a byte) */
  return (k->e - k->b == 1) & ((ch == '.') | (ch == '!') | (ch == '?'));
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

/* SEX_MALE or SEX_FEMALE for a word of quotes.tsv ("Mrs", "he"), else 0. */
static int sex_of_word(const qctx *q, uint32_t t) {
  char buf[64];
  nkg_tok_fold(q->doc, t, buf, sizeof buf);
  const char *kind = nkg_map_get(q->lex->quoting, buf, strlen(buf));
  if (!kind)
    return 0;
  return !strcmp(kind, "male")     ? SEX_MALE
         : !strcmp(kind, "female") ? SEX_FEMALE
                                   : 0;
}

/* Can the entity be what a pronoun of that sex refers to? */
static int sex_agrees(const qctx *q, int32_t entity, int sex) {
  if (!q->sex || entity < 0 || !sex)
    return 1;
  int known = q->sex[entity];
  return known == 0 || known == (SEX_MALE | SEX_FEMALE) || known == sex;
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
  } kinds[] = {{"speech", SK_SPEECH}, {"ask", SK_SPEECH},
               {"write", SK_SPEECH},  {"addressee", SK_TELL},
               {"source", SK_SOURCE}, {"channel", SK_CHANNEL}};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (strlen(kinds[i].name) == n && !strncmp(value, kinds[i].name, n))
      return kinds[i].kind;
  return SK_NONE;
}

/* speech.tsv as a trie over the bytes of its folded entries: the entry at
 * a token is found by walking the token's folded bytes (and the space
 * before each next word) once, longest entry last, instead of folding and
 * looking up every span at every token. */
typedef struct qnode {
  uint32_t child, sibling; /* 0: none (node 0 is the root) */
  uint32_t table;          /* 1 + the node's table of children, or 0 */
  unsigned char byte;
  uint8_t kind; /* SK_* of the entry ending here, SK_NONE if none */
} qnode;

/* Nodes with this many children or more get a table by byte. */
#define NKG_Q_TABLE_CHILDREN 2

struct nkg_quote_lex {
  qnode *nodes;
  size_t nnodes, capnodes;
  uint32_t first[256]; /* the root's child for each byte */
  uint32_t *tables;    /* 256 children per table, by byte */
  size_t ntables;
  /* bit b0 * 256 + b1: some entry starts with the bytes b0 b1, or (b1 0)
   * with a word of the one byte b0 */
  uint8_t pairs[65536 / 8];
  /* a Bloom filter of every path from the root (every prefix of an entry,
   * hashed by prefix_hash, two bits each): a token whose fold is not in it
   * starts no entry, without a walk */
  uint8_t prefixes[65536 / 8];
  size_t speech_words;  /* longest entry of speech.tsv, in words */
  size_t quoting_words; /* longest entry of quotes.tsv, in words */
};

/* The child of node for byte b, or 0. */
static inline uint32_t trie_step(const nkg_quote_lex *ql, uint32_t node,
                                 unsigned char b) {
  if (!node)
    return ql->first[b];
  const qnode *n = &ql->nodes[node];
  if (n->table)
    return ql->tables[(size_t)(n->table - 1) * 256 + b];
  uint32_t c = n->child;
  while (c && ql->nodes[c].byte != b)
    c = ql->nodes[c].sibling;
  return c;
}

/* FNV-1a, a byte at a step: the prefixes of an entry hash on the way */
#define PREFIX_HASH_START 0xCBF29CE484222325ULL
static inline uint64_t prefix_hash_step(uint64_t h, unsigned char b) {
  return (h ^ b) * 0x100000001B3ULL;
}

static inline void prefix_bits(uint64_t h, unsigned *b1, unsigned *b2) {
  h ^= h >> 29; /* FNV's low bits mix poorly: fold the high ones in */
  *b1 = (unsigned)(h >> 48) & 0xFFFF;
  *b2 = (unsigned)(h >> 16) & 0xFFFF;
}

static void prefix_note(nkg_quote_lex *ql, uint64_t h) {
  unsigned b1, b2;
  prefix_bits(h, &b1, &b2);
  ql->prefixes[b1 / 8] |= (uint8_t)(1u << (b1 % 8));
  ql->prefixes[b2 / 8] |= (uint8_t)(1u << (b2 % 8));
}

/* May the bytes [f, f + n) be a path from the root of the trie? */
static inline int prefix_maybe(const nkg_quote_lex *ql, const unsigned char *f,
                               size_t n) {
  uint64_t h = PREFIX_HASH_START;
  for (size_t i = 0; i < n; i++)
    h = prefix_hash_step(h, f[i]);
  unsigned b1, b2;
  prefix_bits(h, &b1, &b2);
  return (ql->prefixes[b1 / 8] >> (b1 % 8) & 1) &&
         (ql->prefixes[b2 / 8] >> (b2 % 8) & 1);
}

static int trie_add(nkg_quote_lex *ql, const char *key, int kind) {
  uint32_t node = 0;
  uint64_t h = PREFIX_HASH_START;
  for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
    h = prefix_hash_step(h, *p);
    prefix_note(ql, h);
    uint32_t next = trie_step(ql, node, *p);
    if (!next) {
      qnode n = {0, node ? ql->nodes[node].child : ql->first[*p], 0, *p,
                 SK_NONE};
      next = (uint32_t)ql->nnodes;
      if (NKG_PUSH(ql->nodes, ql->nnodes, ql->capnodes, n))
        return NKG_ERR_NOMEM;
      if (node)
        ql->nodes[node].child = next;
      else
        ql->first[*p] = next;
    }
    node = next;
  }
  ql->nodes[node].kind = (uint8_t)kind;
  return 0;
}

/* Tables for the nodes with many children (the words after "s", "a"...),
 * made once every entry is in. */
static int trie_tables(nkg_quote_lex *ql) {
  size_t n = 0;
  for (size_t i = 1; i < ql->nnodes; i++) {
    size_t children = 0;
    for (uint32_t c = ql->nodes[i].child; c; c = ql->nodes[c].sibling)
      children++;
    if (children >= NKG_Q_TABLE_CHILDREN)
      ql->nodes[i].table = (uint32_t)++n;
  }
  if (!n)
    return 0;
  ql->tables = calloc(n * 256, sizeof *ql->tables);
  if (!ql->tables)
    return NKG_ERR_NOMEM;
  ql->ntables = n;
  for (size_t i = 1; i < ql->nnodes; i++)
    if (ql->nodes[i].table)
      for (uint32_t c = ql->nodes[i].child; c; c = ql->nodes[c].sibling)
        ql->tables[(size_t)(ql->nodes[i].table - 1) * 256 + ql->nodes[c].byte] =
            c;
  return 0;
}

static void trie_pairs(nkg_quote_lex *ql) {
  for (unsigned b0 = 0; b0 < 256; b0++) {
    uint32_t c = ql->first[b0];
    if (!c)
      continue;
    if (ql->nodes[c].kind || ql->nodes[c].child)
      ql->pairs[b0 * 256 / 8] |= 1;
    for (uint32_t d = ql->nodes[c].child; d; d = ql->nodes[d].sibling) {
      unsigned bit = b0 * 256 + ql->nodes[d].byte;
      ql->pairs[bit / 8] |= (uint8_t)(1u << (bit % 8));
    }
  }
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

static void quote_lex_free(nkg_quote_lex *ql) {
  if (ql) {
    free(ql->nodes);
    free(ql->tables);
  }
  free(ql);
}

static nkg_quote_lex *quote_lex_new(const nkg_lexicon *lex) {
  nkg_quote_lex *ql = calloc(1, sizeof *ql);
  qnode root = {0, 0, 0, 0, SK_NONE};
  if (!ql || NKG_PUSH(ql->nodes, ql->nnodes, ql->capnodes, root)) {
    quote_lex_free(ql);
    return NULL;
  }
  ql->speech_words = longest_entry(lex->speech);
  ql->quoting_words = longest_entry(lex->quoting);
  for (size_t i = 0; i < nkg_map_slots(lex->speech); i++) {
    const char *key;
    void *value;
    if (!nkg_map_at(lex->speech, i, &key, &value))
      continue;
    int kind = kind_of(value);
    if (kind && trie_add(ql, key, kind)) {
      quote_lex_free(ql);
      return NULL;
    }
  }
  if (trie_tables(ql)) {
    quote_lex_free(ql);
    return NULL;
  }
  trie_pairs(ql);
  return ql;
}

int nkg_quotes_load(nkg_lexicon *lex) {
  lex->quotes = quote_lex_new(lex);
  return lex->quotes ? 0 : NKG_ERR_NOMEM;
}

void nkg_quotes_unload(nkg_lexicon *lex) {
  if (!lex)
    return;
  quote_lex_free(lex->quotes);
  lex->quotes = NULL;
}

/* The longest speech.tsv entry starting at token t and ending before
 * `end`: its kind, and its length in tokens through *len. Its words are
 * words outside quotes within one sentence; the folded span is the words
 * joined by spaces, a possessive joined without. */
static int speech_walk(const qctx *q, uint32_t t, uint32_t end, uint32_t *len) {
  const nkg_token *toks = q->doc->toks;
  const nkg_quote_lex *ql = q->ql;
  uint32_t last =
      end - t > ql->speech_words ? t + (uint32_t)ql->speech_words : end;
  int kind = SK_NONE;
  uint32_t node = 0;
  for (uint32_t i = t; i < last; i++) {
    uint32_t flags = toks[i].flags;
    if (!(flags & NKG_TF_WORD) || q->in[i] != IN_NONE)
      break;
    if (i > t &&
        ((flags & NKG_TF_SSTART) ||
         (!(flags & NKG_TF_POSS) && !(node = trie_step(ql, node, ' ')))))
      break;
    size_t n;
    const unsigned char *f =
        (const unsigned char *)nkg_span_piece(q->doc, i, i + 1, &n);
    for (const unsigned char *e = f + n; f < e; f++)
      if (!(node = trie_step(ql, node, *f)))
        return kind;
    if (ql->nodes[node].kind) {
      kind = ql->nodes[node].kind;
      *len = i + 1 - t;
    }
  }
  return kind;
}

/* speech_walk, remembered per token for the whole document (the clauses
 * look at the tokens around a verb again): 1 + kind * 8 + length, or
 * SPEECH_UNKNOWN for a length the byte cannot hold. */
#define SPEECH_UNKNOWN 0xFF
static uint8_t speech_remember(const qctx *q, uint32_t t) {
  const nkg_quote_lex *ql = q->ql;
  if (ql->speech_words >= 8)
    return q->speech[t] = SPEECH_UNKNOWN;
  /* most words start no entry: their first two bytes tell */
  size_t flen;
  const unsigned char *f =
      (const unsigned char *)nkg_span_piece(q->doc, t, t + 1, &flen);
  if (flen) {
    unsigned bit = f[0] * 256u + (flen > 1 ? f[1] : 0);
    if (!(ql->pairs[bit / 8] & (1u << (bit % 8))) || !prefix_maybe(ql, f, flen))
      return q->speech[t] = 1;
  }
  uint32_t n = 0;
  int kind = speech_walk(q, t, (uint32_t)q->doc->ntoks, &n);
  return q->speech[t] = (uint8_t)(1 + kind * 8 + n);
}

/* speech_walk by the memo: the entry found up to the end of the document
 * is the answer for any end it does not pass. */
static inline int speech_at(const qctx *q, uint32_t t, uint32_t end,
                            uint32_t *len) {
  uint8_t known = q->speech[t];
  if (!known)
    known = speech_remember(q, t);
  if (known == 1)
    return SK_NONE;
  int kind = (known - 1) / 8;
  uint32_t n = (uint32_t)(known - 1) % 8;
  if (known == SPEECH_UNKNOWN || (kind && n > end - t))
    return speech_walk(q, t, end, len);
  if (kind)
    *len = n;
  return kind;
}

/* ---- mentions ------------------------------------------------------------
 */

static int etype(const qctx *q, const nkg_mention *m) {
  return m->entity >= 0 ? q->doc->entities[m->entity].type : NKG_NONE;
}

/* The mention that ends with token t, or -1. */
static int32_t mention_ending(const qctx *q, uint32_t t) {
  if (!(q->bounds[t] & BOUND_END))
    return -1; /* the clauses ask of every token; few end a mention */
  int32_t m = nkg_mention_at(q->doc, t);
  return m >= 0 && q->doc->mentions[m].te == t + 1 ? m : -1;
}

/* The mention that starts with token t, or -1. */
static int32_t mention_starting(const qctx *q, uint32_t t) {
  if (!(q->bounds[t] & BOUND_START))
    return -1;
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
  int rc = 0;
  for (uint32_t t = pb; t < pe && !rc; t++) {
    if (!(doc->toks[t].flags & (NKG_TF_QUOTE | NKG_TF_POSS)))
      continue;
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
      uint32_t cut = t;
      if (od >= 0 && !(t > pb && sentence_final(doc, t - 1)))
        while (cut > pb && doc->toks[cut].sent == doc->toks[cut - 1].sent)
          cut--; /* the latest sentence start in the paragraph */
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
 * sentence that names one, whichever came last. When the most recent
 * speaker is someone we could not resolve ("a spokesman said"), the
 * pronoun is probably that person: no one. */
static int32_t resolve_pronoun(const qctx *q, uint32_t p) {
  const nkg_doc *doc = q->doc;
  int32_t best = -1;
  uint32_t best_pos = 0;
  int have = 0;
  int sex = sex_of_word(q, p);
  if (q->person_set && q->person_v < p && sex_agrees(q, q->person, sex)) {
    best = q->person;
    best_pos = q->person_v;
    have = 1;
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
    if (q->in[m->tb] != IN_NONE || referring(m) || etype(q, m) != NKG_PER ||
        !sex_agrees(q, m->entity, sex))
      continue;
    /* a subject stands near the start of its sentence ("Meanwhile, UN
     * Secretary General Kofi Annan urged"), not after the verb ("..., shed
     * no light on reports about United boss Alex Ferguson") */
    if (m->tb - doc->sents[doc->toks[m->tb].sent].tb >= NKG_Q_SUBJECT_AT)
      continue;
    found = i;
    found_sent = doc->toks[m->tb].sent;
  }
  if (found >= 0 && (!have || doc->mentions[found].tb > best_pos))
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
    /* a person's posts are few; the bound keeps a pathological article
     * linear */
    int k = 0;
    for (int32_t p = q->post_first[m->entity]; p >= 0 && k < NKG_Q_POSTS;
         p = q->post_next[p], k++) {
      const nkg_post *post = &doc->posts[p];
      if (!post_org_matches(q, post, country, org))
        continue;
      if (role_has(post->role, head) || (generic && constrained))
        return m->entity;
    }
  }
  return -1;
}

/* Does the organization's name hold every lower-case word of the
 * description [d0, head) ("the assembly government": "assembly")? */
static int name_has_modifiers(const qctx *q, const nkg_dentity *e, uint32_t d0,
                              uint32_t head) {
  const nkg_doc *doc = q->doc;
  char *name = NULL;
  int ok = 1;
  for (uint32_t t = d0; t < head && ok; t++) {
    char buf[64];
    if (!lower_word(doc, t) ||
        nkg_lex_adjective(q->lex, nkg_tok_fold(doc, t, buf, sizeof buf)))
      continue;
    if (!name && !(name = nkg_fold(e->name, strlen(e->name))))
      return 0;
    ok = role_has(name, buf);
  }
  free(name);
  return ok;
}

/* An organization described by its cue word ("the company", "the
 * movement"): the most recently named organization of that kind whose
 * name holds the description's other words. */
static int32_t org_by_kind(const qctx *q, uint32_t d0, uint32_t head, int kind,
                           const nkg_gaz *country) {
  const nkg_doc *doc = q->doc;
  int32_t i = last_mention_before(q, d0);
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
    if (!name_has_modifiers(q, e, d0, head))
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
  /* the longest title that ends with the head: "foreign minister" */
  const nkg_title *title = NULL;
  uint32_t title_start = head + 1;
  for (uint32_t s = d0; s <= head && !title; s++) {
    if (head + 1 - s > q->lex->max_title_tokens)
      continue;
    char *f = nkg_span_fold(doc, s, head + 1);
    if (!f)
      return -1;
    title = nkg_lex_title(q->lex, f);
    free(f);
    if (title)
      title_start = s;
  }
  for (uint32_t t = d0; t < head && t < title_start; t++) {
    char buf[64];
    const nkg_gaz *adj =
        nkg_lex_adjective(q->lex, nkg_tok_fold(doc, t, buf, sizeof buf));
    int32_t m = nkg_mention_at(doc, t);
    if (adj)
      country = adj;
    else if (m >= 0 && etype(q, &doc->mentions[m]) != NKG_PER) {
      org = doc->mentions[m].entity;
      const nkg_gaz *g = doc->entities[org].gaz;
      if (!country && g && g->kind == NKG_K_COUNTRY)
        country = g;
    } else if (m < 0 && (doc->toks[t].flags & (NKG_TF_CAP | NKG_TF_UPPER)))
      return -1; /* "the China Daily newspaper": a name we do not know */
  }
  char head_word[64];
  nkg_tok_fold(doc, head, head_word, sizeof head_word);
  int32_t e = -1;
  if (title && title->kind == NKG_T_OFFICE)
    e = person_by_post(q, d0, title, head_word, country, org);
  if (e < 0 && !title) {
    const nkg_cue *c = nkg_lex_cue(q->lex, head_word);
    /* "the China Daily newspaper": the organization named in it */
    if (c && !c->prefix && c->type == NKG_ORG && org >= 0 && possessor < 0 &&
        doc->entities[org].type == NKG_ORG)
      e = org;
    else if (c && !c->prefix && c->type == NKG_ORG)
      e = org_by_kind(q, d0, head, c->kind, country);
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

/* Is the noun at t a person's title ("spokesman", "officials")? */
static int person_noun(const qctx *q, uint32_t t) {
  char buf[64];
  nkg_tok_fold(q->doc, t, buf, sizeof buf);
  const nkg_title *title = nkg_lex_title(q->lex, buf);
  size_t n = strlen(buf);
  if (!title && n > 3 && buf[n - 1] == 's') {
    buf[n - 1] = '\0';
    title = nkg_lex_title(q->lex, buf);
  }
  return title && title->kind == NKG_T_OFFICE;
}

/* The referent of the noun phrase whose head noun is token k, read back
 * to its determiner or possessor: "the Russian leader", "Israel's
 * spokesman"; of, the mention after "of"/"for" ("the head of the BBC"), or
 * -1. An indefinite phrase ("a spokesman") refers to no one we know. */
static int32_t description_ending(const qctx *q, uint32_t k, uint32_t lo,
                                  int32_t of, int32_t *mention) {
  const nkg_doc *doc = q->doc;
  for (uint32_t j = k; j > lo && k - j < 6;) {
    j--;
    if (q->in[j] != IN_NONE)
      break;
    if (doc->toks[j].flags & NKG_TF_POSS) {
      int32_t pm = j > 0 ? mention_ending(q, j - 1) : -1;
      return pm >= 0 ? resolve_description(q, j + 1, k, pm) : -1;
    }
    if (!is_determiner(doc, j)) {
      if (!is_word(doc, j))
        break;
      continue;
    }
    /* "Eva Lind, a company spokeswoman told ...": an apposition whose
     * closing comma is missing */
    if (j >= lo + 2 && is_char(doc, j - 1, ',')) {
      int32_t pm = mention_ending(q, j - 2);
      if (pm >= 0 && !referring(&doc->mentions[pm]) &&
          etype(q, &doc->mentions[pm]) == NKG_PER) {
        *mention = pm;
        return doc->mentions[pm].entity;
      }
    }
    return nkg_tok_is(doc, j, "the") ? resolve_description(q, j + 1, k, of)
                                     : -1;
  }
  return -1;
}

/* "Eric Lund of the UN said", "a spokesman for Dell said": the phrase
 * that starts at ob is the object of a preposition; the speaker is the
 * head before the preposition. NP_NONE when no preposition precedes. */
static int prepositional_head(const qctx *q, uint32_t ob, uint32_t lo,
                              int32_t object, int32_t *speaker,
                              int32_t *mention) {
  const nkg_doc *doc = q->doc;
  if (ob > lo && nkg_tok_is(doc, ob - 1, "the"))
    ob--;
  if (ob < lo + 2 || !preposition(q, ob - 1) || q->in[ob - 2] != IN_NONE)
    return NP_NONE;
  uint32_t h = ob - 2;
  int32_t hm = mention_ending(q, h);
  if (hm >= 0 && !referring(&doc->mentions[hm]) &&
      etype(q, &doc->mentions[hm]) == NKG_PER) {
    *speaker = doc->mentions[hm].entity;
    *mention = hm;
    return NP_PERSON;
  }
  if (hm >= 0 && !referring(&doc->mentions[hm])) {
    int type = etype(q, &doc->mentions[hm]);
    if (type == NKG_ORG) {
      *speaker = doc->mentions[hm].entity;
      *mention = hm;
    }
    return NP_OTHER;
  }
  if (!lower_word(doc, h)) /* "Xu Lin of the bank": a name we do not know */
    return is_word(doc, h) && !stop_category(q, h) ? NP_PERSON : NP_NONE;
  *speaker = description_ending(q, h, lo, object, mention);
  return person_noun(q, h) ? NP_PERSON : NP_OTHER;
}

/* The speaker the noun phrase ending at token k names, if it names one we
 * know. Returns NP_NONE when no noun phrase ends there, else what the
 * phrase is (even one that names nobody we can resolve: "a spokesman",
 * "officials"). */
static int np_ending_at(const qctx *q, uint32_t k, uint32_t lo, int appos,
                        int32_t *speaker, int32_t *mention) {
  const nkg_doc *doc = q->doc;
  *speaker = -1;
  *mention = -1;
  if (q->in[k] != IN_NONE)
    return NP_NONE;
  if (personal_pronoun(doc, k)) {
    *speaker = resolve_pronoun(q, k);
    int32_t m = nkg_mention_at(doc, k);
    if (m >= 0 && *speaker >= 0 && doc->mentions[m].entity == *speaker)
      *mention = m;
    return NP_PERSON;
  }
  int32_t m = mention_ending(q, k);
  if (m >= 0 && !referring(&doc->mentions[m])) {
    uint32_t mb = doc->mentions[m].tb;
    /* "Smith and Jones said": more than one speaker */
    if (mb > lo && nkg_tok_is(doc, mb - 1, "and"))
      return NP_OTHER;
    /* "a spokesman for Dell said": the name is inside the phrase */
    int pp = prepositional_head(q, mb, lo, m, speaker, mention);
    if (pp)
      return pp;
    int type = etype(q, &doc->mentions[m]);
    /* a place does not speak; "Israel said" is an attribution to no one */
    if (type == NKG_PER || type == NKG_ORG) {
      *speaker = doc->mentions[m].entity;
      *mention = m;
    }
    return type == NKG_PER ? NP_PERSON : NP_OTHER;
  }
  if (appos && (is_char(doc, k, ',') || is_char(doc, k, ')'))) {
    /* "Mark Regev, a spokesman, said": the name before the apposition;
     * "the minister, Mr Cole, said": the apposition itself */
    char open = is_char(doc, k, ')') ? '(' : ',';
    uint32_t first = UINT32_MAX; /* the comma nearest the verb */
    uint32_t named = UINT32_MAX; /* the nearest comma after a name */
    for (uint32_t j = k; j > lo && k - j < NKG_Q_SUBJECT_SPAN;) {
      j--;
      if (q->in[j] != IN_NONE || sentence_final(doc, j) || j <= lo)
        break;
      if (!is_char(doc, j, open))
        continue;
      if (first == UINT32_MAX) {
        first = j;
        /* the apposition is a name, titles before it allowed: ", Sir
         * Alan Moss, said" */
        int32_t inner = mention_ending(q, k - 1);
        if (inner >= 0 && doc->mentions[inner].tb > j &&
            doc->mentions[inner].tb <= j + 4 &&
            !referring(&doc->mentions[inner]) &&
            etype(q, &doc->mentions[inner]) == NKG_PER) {
          *speaker = doc->mentions[inner].entity;
          *mention = inner;
          return NP_PERSON;
        }
      }
      /* "Stephen Dorn, 26, from Leeds, said", "Ann Lee, of Acme Ltd, one
       * of its founders, said": the person before the appositions */
      int32_t pm = mention_ending(q, j - 1);
      if ((pm >= 0 && etype(q, &doc->mentions[pm]) == NKG_PER) ||
          personal_pronoun(doc, j - 1))
        return np_ending_at(q, j - 1, lo, 0, speaker, mention);
      if (pm >= 0 && named == UINT32_MAX)
        named = j;
    }
    if (named != UINT32_MAX)
      return np_ending_at(q, named - 1, lo, 0, speaker, mention);
    if (first == UINT32_MAX || first - 1 < lo)
      return NP_NONE;
    return np_ending_at(q, first - 1, lo, 0, speaker, mention);
  }
  if (!is_word(doc, k))
    return NP_NONE;
  int sc = stop_category(q, k);
  if (nkg_tok_is(doc, k, "they") || nkg_tok_is(doc, k, "it") ||
      nkg_tok_is(doc, k, "we") || nkg_tok_is(doc, k, "i"))
    return NP_OTHER;
  /* a function word or an adverb does not end a noun phrase */
  if (sc == NKG_S_FUNCTION || sc == NKG_S_ADVERB)
    return NP_NONE;
  if (!lower_word(doc, k)) {
    /* "Officials said"; a name we do not know may be a person's */
    if (sc == NKG_S_WEEKDAY || sc == NKG_S_MONTH)
      return NP_NONE;
    return sc ? NP_OTHER : NP_PERSON;
  }
  /* "Xu Lin of the bank said": the description is inside the phrase */
  uint32_t db = k;
  while (db > lo && k - db < 5 && lower_word(doc, db - 1) &&
         !is_determiner(doc, db - 1) && !preposition(q, db - 1))
    db--;
  if (db > lo && nkg_tok_is(doc, db - 1, "the")) {
    int pp = prepositional_head(q, db - 1, lo, -1, speaker, mention);
    if (pp)
      return pp;
  }
  *speaker = description_ending(q, k, lo, -1, mention);
  return person_noun(q, k) ? NP_PERSON : NP_OTHER; /* "officials said" */
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
    return NP_NONE;
  if (personal_pronoun(doc, a)) {
    *speaker = resolve_pronoun(q, a);
    return NP_PERSON;
  }
  int32_t org = -1;
  uint32_t end = a;
  for (uint32_t t = a; t < doc->ntoks && t < a + 8; t++) {
    if (t > a && is_char(doc, t, ',') && t + 1 < doc->ntoks) {
      /* "said EEF chief economist, Steve Radley" */
      int32_t m = mention_starting(q, t + 1);
      if (m >= 0 && !referring(&doc->mentions[m]) &&
          etype(q, &doc->mentions[m]) == NKG_PER &&
          para_of(doc, t + 1) == para_of(doc, a)) {
        *speaker = doc->mentions[m].entity;
        *mention = m;
        return NP_PERSON;
      }
    }
    if (q->in[t] != IN_NONE || sentence_final(doc, t) || is_char(doc, t, ',') ||
        para_of(doc, t) != para_of(doc, a))
      break;
    end = t + 1;
    int32_t m = mention_starting(q, t);
    if (m < 0 || referring(&doc->mentions[m]))
      continue;
    const nkg_mention *mm = &doc->mentions[m];
    int possessed =
        mm->te < doc->ntoks && (doc->toks[mm->te].flags & NKG_TF_POSS);
    if (etype(q, mm) == NKG_PER && !possessed) {
      *speaker = mm->entity;
      *mention = m;
      return NP_PERSON;
    }
    if (etype(q, mm) == NKG_ORG && !possessed && org < 0)
      org = m;
    t = mm->te - 1;
  }
  if (org >= 0) {
    *speaker = doc->mentions[org].entity;
    *mention = org;
    return NP_OTHER;
  }
  if (nkg_tok_is(doc, a, "the")) {
    /* the longest title or cue word after "the" is the head */
    for (uint32_t h = end; h-- > a + 1;) {
      char buf[64];
      nkg_tok_fold(doc, h, buf, sizeof buf);
      const nkg_cue *c = nkg_lex_cue(q->lex, buf);
      if (nkg_lex_title(q->lex, buf) || (c && !c->prefix)) {
        *speaker = resolve_description(q, a + 1, h, -1);
        return person_noun(q, h) ? NP_PERSON : NP_OTHER;
      }
    }
    return NP_OTHER;
  }
  if (is_determiner(doc, a)) {
    /* "said a spokesman", "said one official" */
    for (uint32_t h = a + 1; h < end; h++)
      if (person_noun(q, h))
        return NP_PERSON;
    return NP_OTHER;
  }
  if (!lower_word(doc, a) && !stop_category(q, a))
    return NP_PERSON; /* "said Apurva Shah": a name we do not know */
  return NP_NONE;
}

/* The channel and the addressee named around a reporting clause: a news
 * medium just after the verb ("told the BBC", "wrote in the Guardian"), or
 * after a channel phrase ("in an interview with the Independent"); the
 * person or organization told ("told Mr Cole", "in a letter to the
 * council"). tell: the verb takes the addressee as its object. */
static void clause_objects(const qctx *q, uint32_t a, uint32_t end,
                           uint32_t verb_end, int tell, int32_t *channel,
                           int32_t *addressee) {
  const nkg_doc *doc = q->doc;
  uint32_t cue = UINT32_MAX; /* the latest channel or addressee phrase */
  int cue_kind = SK_NONE, object_seen = 0;
  *channel = *addressee = -1;
  for (uint32_t t = a; t < end && (*channel < 0 || *addressee < 0); t++) {
    if (q->in[t] != IN_NONE)
      continue;
    uint32_t len = 1;
    int kind = lower_word(doc, t) ? speech_at(q, t, end, &len) : SK_NONE;
    if (kind == SK_CHANNEL || (kind == SK_TELL && preposition(q, t))) {
      cue = t + len - 1;
      cue_kind = kind;
      t += len - 1;
      continue;
    }
    int32_t m = mention_starting(q, t);
    if (m < 0)
      continue;
    uint32_t te = doc->mentions[m].te;
    int near_verb = t >= verb_end && t < verb_end + 4;
    int near_cue = cue != UINT32_MAX && t > cue && t - cue <= 4;
    /* "said Sky's Jane Doe", "said BBC reporter Jane Doe": the speaker's
     * employer, not a channel (but "told BBC1's Breakfast programme") */
    int affiliation = 0;
    for (uint32_t u = te; u < end && u < te + 4 && !affiliation; u++) {
      int32_t pm = mention_starting(q, u);
      affiliation = pm >= 0 && etype(q, &doc->mentions[pm]) == NKG_PER;
    }
    int type = etype(q, &doc->mentions[m]);
    int media = !affiliation && is_media(q, m);
    /* "told Uefa's magazine", "told his website": the owner of what was
     * told is no addressee */
    int owner = (te < end && (doc->toks[te].flags & NKG_TF_POSS)) ||
                (doc->mentions[m].how == NKG_H_PRONOUN &&
                 is_determiner(doc, t) && te < end && is_word(doc, te));
    if (owner && !media && !affiliation && te + 1 < end) {
      /* the thing owned is a medium: "Uefa's Champions magazine" */
      for (uint32_t u = te + 1; u < end && u < te + 4 && !media; u++) {
        char buf[64];
        const nkg_cue *c =
            lower_word(doc, u)
                ? nkg_lex_cue(q->lex, nkg_tok_fold(doc, u, buf, sizeof buf))
                : NULL;
        media = c && !c->prefix &&
                (c->kind == NKG_K_MEDIA || c->kind == NKG_K_NEWSAGENCY) &&
                type == NKG_ORG;
      }
    }
    int object = near_verb && tell && !object_seen && !owner;
    if (near_verb)
      object_seen = 1;
    if (media && (near_verb || near_cue) && *channel < 0)
      *channel = doc->mentions[m].entity;
    else if (!media && !affiliation && (type == NKG_PER || type == NKG_ORG) &&
             (object || (near_cue && cue_kind == SK_TELL)) && *addressee < 0)
      *addressee = doc->mentions[m].entity;
    t = te - 1;
  }
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
    return NP_NONE;
  if (personal_pronoun(doc, sb)) {
    *speaker = resolve_pronoun(q, sb);
    return NP_PERSON;
  }
  int32_t first = -1;
  for (uint32_t t = sb; t < v && t < sb + NKG_Q_SUBJECT_AT; t++) {
    if (q->in[t] != IN_NONE || is_char(doc, t, ','))
      break;
    int32_t m = mention_starting(q, t);
    if (m < 0 || referring(&doc->mentions[m]))
      continue;
    if (etype(q, &doc->mentions[m]) == NKG_PER) {
      *speaker = doc->mentions[m].entity;
      *mention = m;
      return NP_PERSON;
    }
    if (first < 0 && t == sb)
      first = m;
    t = doc->mentions[m].te - 1;
  }
  /* "Shell, ..., adding": an organization, but not "Labour's minister" */
  if (first >= 0 && etype(q, &doc->mentions[first]) == NKG_ORG &&
      !(doc->mentions[first].te < doc->ntoks &&
        (doc->toks[doc->mentions[first].te].flags & NKG_TF_POSS))) {
    *speaker = doc->mentions[first].entity;
    *mention = first;
    return NP_OTHER;
  }
  return NP_NONE;
}

/* Is token t a present participle ("saying", "adding")? */
static int participle(const nkg_doc *doc, uint32_t t) {
  const nkg_token *k = &doc->toks[t];
  return k->e - k->b > 4 && !strncmp(doc->text + k->e - 3, "ing", 3);
}

static void verb_report(qctx *q, report *r, int kind) {
  const nkg_doc *doc = q->doc;
  uint32_t v = r->v;
  /* skip adverbs and auxiliaries: "has also said", "who later said";
   * "... and said", "..., but added": the verb shares its subject with
   * the sentence's first verb */
  uint32_t p = v;
  int shared = 0;
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
    if (nkg_tok_is(doc, k, "and") || nkg_tok_is(doc, k, "but")) {
      shared = 1;
      break;
    }
  }
  uint32_t lo = v > NKG_Q_SUBJECT_SPAN ? v - NKG_Q_SUBJECT_SPAN : 0;
  int subject_slot = p > 0 && p > lo &&
                     para_of(doc, p - 1) == para_of(doc, v) &&
                     q->in[p - 1] == IN_NONE && !sentence_final(doc, p - 1);
  uint32_t b = v;
  if (b > 0 && is_char(doc, b - 1, ','))
    b--;
  int after_quote = b > 0 && q->in[b - 1] == IN_MARK;
  int np = NP_NONE;
  if (shared) {
    /* "X's lawyer, Ann Lee, told the BBC ... and added": the speaker of
     * the sentence's latest report, else the subject of the sentence */
    int32_t f = q->nreports ? q->reports[q->nreports - 1].last_found : -1;
    if (f >= 0 && doc->toks[q->reports[f].v].sent == doc->toks[v].sent) {
      r->speaker = q->reports[f].speaker;
      np = q->reports[f].person ? NP_PERSON : NP_OTHER;
    } else {
      np = sentence_subject(q, v, &r->speaker, &r->speaker_mention);
    }
  } else if (participle(doc, v)) {
    /* "Smith left, saying ...": the subject of the sentence; a participle
     * anywhere else ("before writing it off") reports nothing */
    if (b < v && !after_quote)
      np = sentence_subject(q, v, &r->speaker, &r->speaker_mention);
  } else {
    if (subject_slot && !(doc->toks[v].flags & NKG_TF_SSTART))
      np = np_ending_at(q, p - 1, lo, 1, &r->speaker, &r->speaker_mention);
    /* "...," said X: the speaker follows the verb when nothing precedes
     * it but the quote (and its comma); never after "told", whose object
     * follows it */
    if (!np && kind != SK_TELL &&
        (after_quote || (doc->toks[v].flags & NKG_TF_SSTART)))
      np = np_after(q, r->ve, &r->speaker, &r->speaker_mention);
    /* "..., says Helmut Brandt, director of ...": only a person's name */
    if (!np && kind != SK_TELL && b < v) {
      np = np_after(q, r->ve, &r->speaker, &r->speaker_mention);
      if (np != NP_PERSON || r->speaker_mention < 0) {
        np = NP_NONE;
        r->speaker = r->speaker_mention = -1;
      }
    }
  }
  r->found = np != NP_NONE;
  r->person = np == NP_PERSON;
  uint32_t end = clause_end(q, r->ve, NKG_Q_CHANNEL_SPAN);
  uint32_t start = v > NKG_Q_CHANNEL_SPAN ? v - NKG_Q_CHANNEL_SPAN : 0;
  while (start < v &&
         (q->in[start] != IN_NONE || para_of(doc, start) != para_of(doc, v)))
    start++;
  clause_objects(q, start, end, r->ve, kind == SK_TELL, &r->channel,
                 &r->addressee);
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
      r->person = type == NKG_PER;
    }
    break;
  }
}

static int find_reports(qctx *q) {
  const nkg_doc *doc = q->doc;
  for (uint32_t t = 0; t < doc->ntoks; t++) {
    /* a word outside quotes, capitalized only at a sentence start: tested
     * at once, one branch instead of one a test (the answers follow no
     * pattern the processor could predict) */
    uint32_t f = doc->toks[t].flags;
    if ((q->in[t] != IN_NONE) |
        ((f & (NKG_TF_WORD | NKG_TF_POSS)) != NKG_TF_WORD) |
        (((f & (NKG_TF_CAP | NKG_TF_UPPER)) != 0) & !(f & NKG_TF_SSTART)))
      continue;
    uint32_t len = 1;
    int kind = speech_at(q, t, (uint32_t)doc->ntoks, &len);
    /* "in a letter to", "in an interview with": a phrase that opens with
     * a preposition is a cue for the clause's addressee or channel; one
     * that opens with a verb ("speaking on", "writes in") is a verb */
    int pp = (kind == SK_CHANNEL || kind == SK_TELL) && preposition(q, t);
    if (kind == SK_CHANNEL && !pp)
      kind = SK_SPEECH;
    if ((kind != SK_SPEECH && kind != SK_TELL && kind != SK_SOURCE) ||
        (kind == SK_TELL && pp))
      continue;
    report r = {t, t + len, -1, -1, -1, -1, kind != SK_SOURCE, 0, 0, -1};
    if (kind == SK_SOURCE)
      source_report(q, &r);
    else
      verb_report(q, &r, kind);
    if (r.found && r.person) {
      q->person = r.speaker;
      q->person_v = t;
      q->person_set = 1;
    }
    if (r.found)
      r.last_found = (int32_t)q->nreports;
    else if (q->nreports)
      r.last_found = q->reports[q->nreports - 1].last_found;
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
  for (uint32_t n = 1; n <= q->ql->quoting_words && n <= o; n++) {
    if (!is_word(q->doc, o - n) || q->in[o - n] != IN_NONE)
      return 0;
    char *f = nkg_span_fold(q->doc, o - n, o);
    const char *kind = f ? nkg_map_get(q->lex->quoting, f, strlen(f)) : NULL;
    int hit = kind && !strcmp(kind, "scare");
    free(f);
    if (hit)
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
  uint32_t last_para = UINT32_MAX, last_end = 0;
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
    /* "...," he said / "...?" he asked: a clause after the closing mark
     * belongs to the quote unless the quote ended its sentence ("... ."
     * Mr Cole confirmed ...: a new sentence) */
    int ended =
        s->c > s->o + 1 &&
        (is_char(doc, s->c - 1, '.') ||
         ((is_char(doc, s->c - 1, '?') || is_char(doc, s->c - 1, '!')) &&
          s->c + 1 < doc->ntoks && !lower_word(doc, s->c + 1)));
    /* a comma at the end of the quote announces its attribution */
    int comma = (s->c > s->o + 1 && is_char(doc, s->c - 1, ',')) ||
                (s->c + 1 < doc->ntoks && is_char(doc, s->c + 1, ','));
    if (!s->unclosed && !ended && s->c + 1 < doc->ntoks &&
        para_of(doc, s->c + 1) == para) {
      /* the verb comes later after a name with appositions: "...," Ann
       * Lee, of Acme Ltd, one of its founders, told the BBC */
      uint32_t n = s->c + 1 + (uint32_t)is_char(doc, s->c + 1, ',');
      int32_t nm = n < doc->ntoks ? mention_starting(q, n) : -1;
      int named = nm >= 0 && etype(q, &doc->mentions[nm]) == NKG_PER;
      uint32_t reach = named ? NKG_Q_SUBJECT_SPAN + 2 : NKG_Q_AFTER_SPAN;
      uint32_t end = clause_end(q, s->c + 1, reach);
      uint32_t verb_hi = s->c + 1 + (named ? reach : NKG_Q_AFTER_VERB);
      if (attribute(q, s->c + 1, end, verb_hi, 1, &a, &at))
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
    if (!a.found && !comma && sentence_initial(q, s->o)) {
      /* a quote of its own continues the previous speaker: of the
       * quote before it in its paragraph or of a later report */
      size_t k = report_from(q, s->o);
      int32_t f = k > 0 ? q->reports[k - 1].last_found : -1;
      if (last.found && (f < 0 || q->reports[f].v < last_end)) {
        a = last;
      } else if (f >= 0) {
        const report *r = &q->reports[f];
        uint32_t rp = para_of(doc, r->v);
        if (rp == para ||
            (rp + 1 == para && (doc->toks[s->o].flags & NKG_TF_PSTART)))
          from_report(&a, r);
      }
      if (a.found)
        a.speaker_mention = -1; /* the mention is in another clause */
    }
    if (words <= NKG_Q_SHORT && !adjacent)
      continue; /* a scare quote or a quoted term */
    nkg_quote qt = {s->tb,     s->te,       a.speaker,
                    a.channel, a.addressee, a.speaker_mention};
    if (NKG_PUSH(doc->quotes, doc->nquotes, doc->capquotes, qt))
      return NKG_ERR_NOMEM;
    if (a.found) {
      last = a;
      last_end = s->te;
    }
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

/* Each person's sex from the honorifics before their names ("Mrs Lund"). */
static int find_sexes(qctx *q) {
  const nkg_doc *doc = q->doc;
  if (!doc->nentities)
    return 0;
  q->sex = calloc(doc->nentities, 1);
  if (!q->sex)
    return NKG_ERR_NOMEM;
  for (size_t i = 0; i < doc->nmentions; i++) {
    const nkg_mention *m = &doc->mentions[i];
    if (referring(m) || etype(q, m) != NKG_PER)
      continue;
    int sex = sex_of_word(q, m->tb);
    if (!sex && m->tb > 0 && !(doc->toks[m->tb].flags & NKG_TF_PSTART))
      sex = sex_of_word(q, m->tb - 1);
    if (sex && !personal_pronoun(doc, m->tb))
      q->sex[m->entity] |= (uint8_t)sex;
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
  q.ql = lex->quotes; /* built by nkg_lexicon_load */
  /* the lexicon's speech verbs, the document's folded text */
  int rc = q.ql && doc->folds ? 0 : NKG_ERR_ARG;
  /* three bytes per token in one block: in, speech, bounds */
  if (!rc && !(q.in = calloc(doc->ntoks, 3)))
    rc = NKG_ERR_NOMEM;
  if (!rc) {
    q.speech = q.in + doc->ntoks;
    q.bounds = q.speech + doc->ntoks;
    for (size_t i = 0; i < doc->nmentions; i++) {
      const nkg_mention *m = &doc->mentions[i];
      if (m->tb >= m->te)
        continue;
      if (m->tb < doc->ntoks)
        q.bounds[m->tb] |= BOUND_START;
      if (m->te <= doc->ntoks)
        q.bounds[m->te - 1] |= BOUND_END;
    }
  }
  if (!rc)
    rc = index_posts(&q);
  if (!rc)
    rc = find_sexes(&q);
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
  free(q.sex);
  return rc;
}
