/* Stage 1: validate the text, then split it into tokens, sentences and
 * paragraphs in one linear pass. Offsets are kept both in bytes (for
 * slicing) and in Unicode code points (for NIF). */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal.h"

int nkg_text_validate(const char *text, size_t len, size_t *bad) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0;
  while (i < len) {
    /* eight ASCII bytes with no NUL among them at a step */
    while (i + 8 <= len) {
      uint64_t v;
      memcpy(&v, s + i, 8);
      uint64_t zero = (v - 0x0101010101010101ULL) & ~v;
      if ((v | zero) & 0x8080808080808080ULL)
        break;
      i += 8;
    }
    if (i >= len)
      break;
    if (s[i] == 0) {
      if (bad)
        *bad = i;
      return NKG_ERR_BINARY;
    }
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    int32_t cp;
    int n = nkg_utf8_decode(s + i, len - i, &cp);
    if (!n) {
      if (bad)
        *bad = i;
      return NKG_ERR_UTF8;
    }
    i += (size_t)n;
  }
  return 0;
}

static int is_quote_cp(int32_t cp) {
  return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0x201E ||
         cp == 0x00AB || cp == 0x00BB || cp == 0x2018 || cp == 0x2019 ||
         cp == '\'' || cp == 0x201A || cp == 0x2039 || cp == 0x203A;
}

static int is_apostrophe(int32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

static int is_dash(int32_t cp) {
  return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

/* The classes below answer ASCII without utf8proc (a tenth of the
 * instructions of a build went to utf8proc_category): the same answers,
 * since in ASCII only A-Z and a-z are letters, 0-9 digits, the space
 * separators only ' ' and there are no marks. */
static int is_letter(int32_t cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  utf8proc_category_t c = utf8proc_category(cp);
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static int is_mark(int32_t cp) {
  if (cp < 0x80)
    return 0;
  utf8proc_category_t c = utf8proc_category(cp);
  return c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME;
}

static int is_digit(int32_t cp) {
  if (cp < 0x80)
    return cp >= '0' && cp <= '9';
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_ND;
}

static int is_space_beyond_ascii(int32_t cp) {
  return cp == 0xA0 || cp == 0x2028 || cp == 0x2029 ||
         utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

/* Inline: asked at every token start; ASCII answers without a call. */
static inline int is_space(int32_t cp) {
  if (cp < 0x80)
    return cp == ' ' || (cp >= '\t' && cp <= '\r');
  return is_space_beyond_ascii(cp);
}

static int is_upper(int32_t cp) {
  if (cp < 0x80)
    return cp >= 'A' && cp <= 'Z';
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU ||
         utf8proc_category(cp) == UTF8PROC_CATEGORY_LT;
}

/* A cursor over the text that counts code points as it goes. */
typedef struct cursor {
  const unsigned char *s;
  size_t len, i, cp;
} cursor;

static inline int32_t peek(const cursor *c, size_t *n) {
  if (c->s[c->i] < 0x80) { /* the caller checked c->i < c->len */
    *n = 1;
    return c->s[c->i];
  }
  int32_t cp = 0xFFFD;
  int k = nkg_utf8_decode(c->s + c->i, c->len - c->i, &cp);
  *n = k ? (size_t)k : 1;
  return cp;
}

static int32_t peek_at(const cursor *c, size_t at) {
  if (at >= c->len)
    return -1;
  if (c->s[at] < 0x80)
    return c->s[at];
  int32_t cp = 0xFFFD;
  nkg_utf8_decode(c->s + at, c->len - at, &cp);
  return cp;
}

static void advance(cursor *c, size_t n) {
  c->i += n;
  c->cp++;
}

char *nkg_span_text(const nkg_doc *doc, uint32_t tb, uint32_t te) {
  if (te <= tb)
    return nkg_strdup("");
  return nkg_strndup(doc->text + doc->toks[tb].b,
                     doc->toks[te - 1].e - doc->toks[tb].b);
}

/* 1 if a space separates the folds of tokens t - 1 and t (0 < t <=
 * ntoks): always but before a possessive; the sentinel fold_at[ntoks]
 * counts one. */
static inline uint32_t fold_sep(const nkg_doc *doc, uint32_t t) {
  return t >= doc->ntoks || !(doc->toks[t].flags & NKG_TF_POSS);
}

/* End of the folded span [tb, te) (te > tb) in doc->folds. */
static inline uint32_t fold_end(const nkg_doc *doc, uint32_t te) {
  return doc->fold_at[te] - fold_sep(doc, te);
}

const char *nkg_tok_fold(const nkg_doc *doc, uint32_t t, char *buf,
                         size_t cap) {
  const char *f = doc->folds + doc->fold_at[t];
  size_t n = fold_end(doc, t + 1) - doc->fold_at[t];
  if (n >= cap)
    n = cap - 1;
  memcpy(buf, f, n);
  buf[n] = '\0';
  return buf;
}

char *nkg_span_fold(const nkg_doc *doc, uint32_t tb, uint32_t te) {
  /* one allocation and one copy of a piece of the folded text */
  size_t n = 0;
  const char *f = te > tb ? nkg_span_piece(doc, tb, te, &n) : "";
  char *out = malloc(n + 1);
  if (out) {
    memcpy(out, f, n);
    out[n] = '\0';
  }
  return out;
}

static int push_token(nkg_doc *doc, size_t b, size_t e, size_t cb, size_t ce,
                      uint32_t flags) {
  nkg_token t = {(uint32_t)b,  (uint32_t)e, (uint32_t)cb,
                 (uint32_t)ce, 0,           flags};
  if (doc->ntoks < doc->captoks) { /* room: no call to grow */
    doc->toks[doc->ntoks++] = t;
    return 0;
  }
  return NKG_PUSH(doc->toks, doc->ntoks, doc->captoks, t) ? NKG_ERR_NOMEM : 0;
}

/* Is the word token (with its trailing '.') a known abbreviation? */
static int known_abbrev(const nkg_lexicon *lex, const char *s, size_t n) {
  if (!lex || !lex->abbrev || n > 30)
    return 0;
  char low[32];
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    low[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
  return nkg_map_get(lex->abbrev, low, n) != NULL;
}

/* ASCII letters and digits for the counting loop of scan_word: each adds
 * to one accumulator the letter count (bits 0-20), the upper-case count
 * (bits 21-41) and the digit count (bits 42-55), and holds its fold (as
 * nkg_ascii_fold) in bits 56-63; 0 ends the run. */
#define WC_FOLD(f) ((uint64_t)(unsigned char)(f) << 56)
#define WC_L(f) (1ULL | WC_FOLD(f))
#define WC_U(f) (1ULL | 1ULL << 21 | WC_FOLD(f))
#define WC_D(f) (1ULL << 42 | WC_FOLD(f))
static const uint64_t word_class[256] = {
    0,         0,         0,         0,         0,         0,         0,
    0,         0,         0,         0,         0,         0,         0,
    0,         0,         0,         0,         0,         0,         0,
    0,         0,         0,         0,         0,         0,         0,
    0,         0,         0,         0,         0,         0,         0,
    0,         0,         0,         0,         0,         0,         0,
    0,         0,         0,         0,         0,         0,         WC_D('0'),
    WC_D('1'), WC_D('2'), WC_D('3'), WC_D('4'), WC_D('5'), WC_D('6'), WC_D('7'),
    WC_D('8'), WC_D('9'), 0,         0,         0,         0,         0,
    0,         0,         WC_U('a'), WC_U('b'), WC_U('c'), WC_U('d'), WC_U('e'),
    WC_U('f'), WC_U('g'), WC_U('h'), WC_U('i'), WC_U('j'), WC_U('k'), WC_U('l'),
    WC_U('m'), WC_U('n'), WC_U('o'), WC_U('p'), WC_U('q'), WC_U('r'), WC_U('s'),
    WC_U('t'), WC_U('u'), WC_U('v'), WC_U('w'), WC_U('x'), WC_U('y'), WC_U('z'),
    0,         0,         0,         0,         0,         0,         WC_L('a'),
    WC_L('b'), WC_L('c'), WC_L('d'), WC_L('e'), WC_L('f'), WC_L('g'), WC_L('h'),
    WC_L('i'), WC_L('j'), WC_L('k'), WC_L('l'), WC_L('m'), WC_L('n'), WC_L('o'),
    WC_L('p'), WC_L('q'), WC_L('r'), WC_L('s'), WC_L('t'), WC_L('u'), WC_L('v'),
    WC_L('w'), WC_L('x'), WC_L('y'), WC_L('z'), 0,         0,         0,
    0,         0,
    /* 128 to 255: 0 */
};
#undef WC_L
#undef WC_U
#undef WC_D
#undef WC_FOLD

#if defined(__SSE2__)
/* The number of bits set in x < 2^16, without a call (no POPCNT in the
 * baseline instruction set). */
static inline unsigned bits16(unsigned x) {
  x -= (x >> 1) & 0x5555u;
  x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
  x = (x + (x >> 4)) & 0x0F0Fu;
  return (x + (x >> 8)) & 0x1Fu;
}

/* 0xFF for each byte of v from lo to lo + n - 1 (n < 128), else 0: moved
 * to the bottom of the signed range, the bytes in range are the n least */
static inline __m128i in_range16(__m128i v, unsigned char lo, int n) {
  __m128i shifted = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - lo)));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8((char)(-128 + n)));
}
#endif

/* Word characters: letters, marks, digits; inside a word also an apostrophe
 * (O'Brien, don't) or a hyphen (Al-Arabiya, leader-in-exile) between word
 * characters, and '.' or ',' between digits (3.5, 1,000). */
/* The ASCII letters and digits read in the fast loop are written folded to
 * fold[k] for the word's byte k; *pure stays 1 if those were all of it
 * (then fold holds the word's fold), else becomes 0. fold has room for the
 * rest of the text. */
static uint32_t scan_word(cursor *c, const nkg_lexicon *lex, char *fold,
                          int *pure) {
  size_t start = c->i;
  *pure = 1;
  uint32_t flags = NKG_TF_WORD;
  int letters = 0, uppers = 0, first = 1, seg = 0;
  for (;;) {
    size_t n;
    /* ASCII letters and digits, most of every word, without the general
     * tests below (the same answers), the cursor in locals */
    const unsigned char *s = c->s;
    size_t i = c->i, len = c->len;
    if (first && i < len) {
      unsigned b = s[i];
      if ((b | 32) - 'a' < 26u) {
        if (b <= 'Z')
          flags |= NKG_TF_CAP;
        first = 0;
      } else if (b - '0' < 10u) {
        flags |= NKG_TF_DIGIT;
        first = 0;
      }
    }
    int before = letters;
    int ended = 0; /* the run of letters and digits was read to its end */
#if defined(__SSE2__)
    /* sixteen bytes a step while the text has them: a word ends within
     * the first step nearly always, so the step's branch is predicted
     * where a byte loop mispredicts its exit at every word */
    while (!ended && i + 16 <= len) {
      __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
      __m128i up = in_range16(v, 'A', 26), low = in_range16(v, 'a', 26);
      unsigned word = (unsigned)_mm_movemask_epi8(
          _mm_or_si128(_mm_or_si128(up, low), in_range16(v, '0', 10)));
      /* folded as nkg_ascii_fold folds letters and digits; the bytes
       * after the word are written over by the next tokens' folds */
      _mm_storeu_si128((__m128i *)(fold + (i - start)),
                       _mm_add_epi8(v, _mm_and_si128(up, _mm_set1_epi8(32))));
      unsigned n16 = word == 0xFFFF ? 16 : (unsigned)__builtin_ctz(~word);
      unsigned in_word = (1u << n16) - 1;
      unsigned um = (unsigned)_mm_movemask_epi8(up) & in_word;
      unsigned digits = in_word & ~(um | (unsigned)_mm_movemask_epi8(low));
      /* (most words: no digit, at most one capital) */
      letters += (int)(n16 - (digits ? bits16(digits) : 0));
      uppers += (int)(um & (um - 1) ? bits16(um) : um != 0);
      i += n16;
      ended = n16 < 16;
    }
#endif
    if (!ended) {
      size_t run = i;
      uint64_t acc = 0;
      for (; i < len; i++) {
        uint64_t k = word_class[s[i]];
        if (!k)
          break;
        acc += k;
        fold[i - start] = (char)(k >> 56);
      }
      if (i - run < ((size_t)1 << 21)) { /* the counts fit their bits */
        letters += (int)(acc & 0x1FFFFF);
        uppers += (int)(acc >> 21 & 0x1FFFFF);
      } else {
        for (; run < i; run++) {
          unsigned b = s[run];
          if ((b | 32) - 'a' < 26u) {
            letters++;
            uppers += b <= 'Z';
          }
        }
      }
    }
    seg += letters - before;
    c->cp += i - c->i; /* one code point a byte */
    c->i = i;
    if (c->i >= c->len)
      break;
    {
      /* an ASCII byte other than a letter or digit ends the word unless
       * it may join (below: apostrophe, hyphen, '.' and ',' only): the
       * commonest end, a space or punctuation, without the general tests */
      unsigned b = s[i];
      if (b < 0x80 && b != '\'' && b != '-' && b != '.' && b != ',')
        break;
    }
    int32_t cp = peek(c, &n);
    if (is_letter(cp) || is_mark(cp) || is_digit(cp)) {
      if (first && is_digit(cp))
        flags |= NKG_TF_DIGIT;
      if (first && is_upper(cp))
        flags |= NKG_TF_CAP;
      if (is_letter(cp)) {
        letters++;
        seg++;
        if (is_upper(cp))
          uppers++;
      }
      first = 0;
      *pure = 0; /* more than the fast loop read: the caller folds */
      advance(c, n);
      continue;
    }
    int32_t next = peek_at(c, c->i + n);
    int next_word = next >= 0 && (is_letter(next) || is_digit(next));
    if ((is_apostrophe(cp) || is_dash(cp)) && next_word) {
      /* The possessive 's is its own token. */
      if (is_apostrophe(cp) && (next == 's' || next == 'S')) {
        int32_t after = peek_at(c, c->i + n + 1);
        if (after < 0 || !(is_letter(after) || is_digit(after)))
          break;
      }
      if (cp == '-' || cp == '\'')
        flags |= NKG_TF_JOINED;
      *pure = 0; /* more than the fast loop read: the caller folds */
      advance(c, n);
      continue;
    }
    if ((cp == '.' || cp == ',') && (flags & NKG_TF_DIGIT) && next >= 0 &&
        is_digit(next)) {
      *pure = 0; /* more than the fast loop read: the caller folds */
      advance(c, n);
      continue;
    }
    /* U.S., U.N., e.g.: single letters joined by dots. */
    if (cp == '.' && seg == 1 && c->i - start <= 4 && next >= 0 &&
        is_letter(next) && peek_at(c, c->i + n + 1) == '.') {
      *pure = 0;
      advance(c, n);
      seg = 0;
      continue;
    }
    break;
  }
  size_t wlen = c->i - start;
  if (uppers >= 2 && uppers == letters)
    flags |= NKG_TF_UPPER;
  /* Trailing '.' of an abbreviation belongs to the word. */
  if (c->i < c->len && c->s[c->i] == '.') {
    int initials = 0;
    for (size_t k = start; k < c->i; k++)
      if (c->s[k] == '.')
        initials = 1;
    /* "MS." in capitals is an acronym ending a sentence, not "Ms." */
    int caps = uppers >= 2 && uppers == letters;
    if (initials ||
        (!caps && known_abbrev(lex, (const char *)c->s + start, wlen + 1)) ||
        (wlen == 1 && (flags & NKG_TF_CAP))) {
      *pure = 0;
      advance(c, 1);
      flags |= NKG_TF_ABBR;
    }
  }
  return flags;
}

/* scan_word for the commonest word, at c->i: fewer than sixteen ASCII
 * letters and digits, then an ASCII byte that cannot join (no apostrophe,
 * hyphen or '.', no ',' after a number), with sixteen bytes of text from
 * its start. Folds it into fold, sets *flags, advances the cursor and
 * returns 1; else 0, the cursor where it was. */
static inline int scan_plain_word(cursor *c, char *fold, uint32_t *flags) {
#if defined(__SSE2__)
  size_t i = c->i;
  if (i + 16 > c->len)
    return 0;
  __m128i v = _mm_loadu_si128((const __m128i *)(c->s + i));
  __m128i up = in_range16(v, 'A', 26);
  unsigned um = (unsigned)_mm_movemask_epi8(up);
  unsigned lm = (unsigned)_mm_movemask_epi8(in_range16(v, 'a', 26));
  unsigned dm = (unsigned)_mm_movemask_epi8(in_range16(v, '0', 10));
  unsigned word = um | lm | dm;
  if (word == 0xFFFF)
    return 0;
  unsigned n = (unsigned)__builtin_ctz(~word);
  unsigned b = c->s[i + n];
  if (b >= 0x80 || b == '\'' || b == '-' || b == '.' || (b == ',' && (dm & 1)))
    return 0;
  unsigned in_word = (1u << n) - 1;
  um &= in_word;
  lm &= in_word;
  _mm_storeu_si128((__m128i *)fold,
                   _mm_add_epi8(v, _mm_and_si128(up, _mm_set1_epi8(32))));
  /* the first byte is a letter or a digit; upper case throughout: two
   * capitals or more and no small letter */
  *flags = NKG_TF_WORD | (um & 1 ? NKG_TF_CAP : 0) |
           (dm & 1 ? NKG_TF_DIGIT : 0) |
           ((um & (um - 1)) && !lm ? NKG_TF_UPPER : 0);
  c->i += n;
  c->cp += n;
  return 1;
#else
  (void)c;
  (void)fold;
  (void)flags;
  return 0;
#endif
}

static int sentence_end_word(const nkg_doc *doc, size_t t) {
  /* A sentence may end after . ! ? and closing quotes or brackets. */
  const nkg_token *k = &doc->toks[t];
  char ch = doc->text[k->b];
  /* (the tests at once: one branch for the caller instead of one a test,
   * whose answers follow no pattern) */
  return ((k->flags & NKG_TF_PUNCT) != 0) & (k->e - k->b == 1) &
         ((ch == '.') | (ch == '!') | (ch == '?'));
}

/* Is there a space among the n bytes at s? Inline, without a call: asked
 * of every token looked up in the word index. */
static inline int has_space(const char *s, size_t n) {
  const uint64_t ones = 0x0101010101010101ULL, spaces = 0x20 * ones;
  uint64_t v;
  for (; n >= 8; s += 8, n -= 8) {
    memcpy(&v, s, 8);
    v ^= spaces; /* a space is a zero byte */
    if ((v - ones) & ~v & 0x80 * ones)
      return 1;
  }
  if (n >= 4) { /* the last 4 to 7 bytes in two loads (they may overlap) */
    uint32_t a, b;
    memcpy(&a, s, 4);
    memcpy(&b, s + n - 4, 4);
    v = ((uint64_t)a << 32 | b) ^ spaces;
    return ((v - ones) & ~v & 0x80 * ones) != 0;
  }
  /* 0 to 3 bytes: the first, middle and last are all of them */
  return n && ((s[0] == ' ') | (s[n / 2] == ' ') | (s[n - 1] == ' '));
}

unsigned nkg_tok_words_find(const nkg_doc *doc, uint32_t t) {
  size_t n;
  const char *f = nkg_span_piece(doc, t, t + 1, &n);
  unsigned w = NKG_W_ALL; /* not in the index: every map may have it */
  if (n <= NKG_WORD_MAX && !has_space(f, n)) {
    const nkg_words *words = doc->words;
    uint64_t h = nkg_hash_bytes(f, n); /* nkg_word_hash, inline */
    uint32_t tag = NKG_WORD_TAG(h);
    w = 0;
    for (size_t i = h & words->mask; words->slots[i]; i = (i + 1) & words->mask)
      if ((words->slots[i] & NKG_WORD_TAG_BITS) == tag) {
        w = (unsigned)(words->slots[i] & NKG_W_ALL);
        break;
      }
  }
  doc->word_bits[t] = (uint16_t)(w | NKG_W_KNOWN);
  return w | NKG_W_KNOWN;
}

int nkg_text_segment(nkg_doc *doc, const nkg_lexicon *lex) {
  cursor c = {(const unsigned char *)doc->text, doc->len, 0, 0};
  int newlines = 2; /* start of text counts as a paragraph start */
  size_t para = 0;
  int quote_open = 0; /* straight double quotes seen open in this paragraph */
  uint32_t pending = NKG_TF_PSTART;
  /* room for the tokens and sentences of ordinary prose at once (about six
   * bytes a token, twenty-odd tokens a sentence) rather than by doubling */
  if (nkg_grow((void **)&doc->toks, &doc->captoks, doc->len / 4 + 16,
               sizeof *doc->toks) ||
      nkg_grow((void **)&doc->sents, &doc->capsents, doc->len / 96 + 8,
               sizeof *doc->sents))
    return NKG_ERR_NOMEM;
  /* The folded text (doc->folds, see internal.h) made on the way: a
   * word's ASCII letters and digits are folded as they are read. Room for
   * the text twice over: an ASCII token folds to as many bytes plus a
   * space, so only tokens that fold longer need the check before each
   * token. */
  nkg_buf folds = {0};
  uint32_t *fold_at = NULL;
  size_t cap_at = 0;
  if (nkg_grow((void **)&folds.s, &folds.cap, 2 * doc->len + 16, 1) ||
      nkg_grow((void **)&fold_at, &cap_at, doc->captoks + 1, sizeof *fold_at)) {
    free(folds.s);
    return NKG_ERR_NOMEM;
  }
  /* the buffer in locals, synced with `folds` around the calls that take
   * its address (the loop keeps them in registers) */
  char *fs = folds.s;
  size_t flen = 0, fcap = folds.cap;
  while (c.i < c.len) {
    if (c.s[c.i] == ' ') { /* the commonest character, alone */
      advance(&c, 1);
      continue;
    }
    size_t n;
    int32_t cp = peek(&c, &n);
    if (is_space(cp)) {
      if (cp == '\n') {
        newlines++;
        /* One line break ends a sentence; a blank line, or a break after a
         * line of text, starts a paragraph (news text puts one paragraph
         * on a line). */
        pending |= NKG_TF_PSTART;
        quote_open = 0;
      }
      advance(&c, n);
      continue;
    }
    size_t b = c.i, cb = c.cp;
    uint32_t flags;
    /* room for the rest of the text folded as ASCII, a space and the NUL */
    if (flen + (c.len - c.i) + 2 > fcap) {
      folds.len = flen;
      if (nkg_grow((void **)&folds.s, &folds.cap, flen + (c.len - c.i) + 2, 1))
        goto nomem;
      fs = folds.s, fcap = folds.cap;
    }
    int pure = 0;
    /* a word never is a possessive: the space before it is known */
    size_t at = flen + (doc->ntoks > 0);
    if (is_letter(cp) || is_digit(cp) || is_mark(cp)) {
      if (cp < 0x80 && scan_plain_word(&c, fs + at, &flags))
        pure = 1;
      else
        flags = scan_word(&c, lex, fs + at, &pure);
    } else {
      advance(&c, n);
      flags = NKG_TF_PUNCT;
      if (is_apostrophe(cp) && c.i < c.len &&
          (c.s[c.i] == 's' || c.s[c.i] == 'S') &&
          (c.i + 1 >= c.len || !(is_letter(peek_at(&c, c.i + 1)) ||
                                 is_digit(peek_at(&c, c.i + 1)))) &&
          doc->ntoks && (doc->toks[doc->ntoks - 1].flags & NKG_TF_WORD) &&
          doc->toks[doc->ntoks - 1].e == b) {
        advance(&c, 1);
        flags = NKG_TF_POSS | NKG_TF_WORD;
      } else if (is_quote_cp(cp)) {
        int32_t prev = b ? (int32_t)c.s[b - 1] : ' ';
        int glued_left = doc->ntoks && doc->toks[doc->ntoks - 1].e == b;
        if (is_apostrophe(cp) && glued_left && prev != ' ' &&
            (doc->toks[doc->ntoks - 1].flags & NKG_TF_WORD) &&
            (c.i >= c.len || !is_letter(peek_at(&c, c.i)))) {
          /* bare possessive: "the players’ union" */
          flags = NKG_TF_POSS | NKG_TF_WORD;
        } else {
          flags |= NKG_TF_QUOTE;
          if (cp == 0x201C || cp == 0x2018 || cp == 0x00AB || cp == 0x201E)
            flags |= NKG_TF_OPENQ;
          else if (cp == 0x201D || cp == 0x00BB || cp == 0x2019)
            flags |= NKG_TF_CLOSEQ;
          else if (cp == '"') {
            /* Straight quotes: opening if not glued to a word on the left
             * or if none is open in this paragraph. */
            int left_word = glued_left && b && !(is_space((int32_t)c.s[b - 1]));
            if (!quote_open && !left_word) {
              flags |= NKG_TF_OPENQ;
              quote_open = 1;
            } else {
              flags |= NKG_TF_CLOSEQ;
              quote_open = 0;
            }
          }
        }
      }
    }
    flags |= pending;
    pending = 0;
    uint32_t t = (uint32_t)doc->ntoks;
    if (push_token(doc, b, c.i, cb, c.cp, flags) ||
        (doc->ntoks + 1 > cap_at &&
         nkg_grow((void **)&fold_at, &cap_at, doc->ntoks + 1, sizeof *fold_at)))
      goto nomem;
    /* the token's fold, after a space but before a possessive */
    if (t > 0 && !(flags & NKG_TF_POSS))
      fs[flen++] = ' ';
    fold_at[t] = (uint32_t)flen;
    size_t tn = c.i - b;
    if (pure) {
      flen += tn;
    } else {
      const unsigned char *p = c.s + b;
      char *w = fs + flen;
      size_t i = 0;
      for (; i < tn; i++) {
        char f = nkg_ascii_fold[p[i]];
        if (!f)
          break; /* not ASCII */
        w[i] = f;
      }
      if (i == tn) {
        flen += tn;
      } else {
        folds.len = flen;
        if (nkg_fold_append(&folds, (const char *)p, tn))
          goto nomem;
        fs = folds.s, flen = folds.len, fcap = folds.cap;
      }
    }
    (void)newlines;
    newlines = 0;
  }
  folds.len = flen;
  folds.s[folds.len] = '\0';
  fold_at[doc->ntoks] = (uint32_t)folds.len + 1;
  free(doc->fold_at);
  doc->fold_at = fold_at;
  free(doc->folds);
  doc->folds = nkg_buf_take(&folds);

  /* Sentences: split after . ! ? (plus closing quotes and brackets) when the
   * next token starts a new sentence, and at every line break. */
  size_t sb = 0;
  for (size_t t = 0; t < doc->ntoks; t++) {
    int end = 0;
    size_t last = t;
    if (t + 1 < doc->ntoks && (doc->toks[t + 1].flags & NKG_TF_PSTART))
      end = 1;
    else if (sentence_end_word(doc, t)) {
      /* absorb closing quotes/brackets */
      while (last + 1 < doc->ntoks &&
             !(doc->toks[last + 1].flags & NKG_TF_PSTART) &&
             ((doc->toks[last + 1].flags & NKG_TF_CLOSEQ) ||
              ((doc->toks[last + 1].flags & NKG_TF_QUOTE) &&
               !(doc->toks[last + 1].flags & NKG_TF_OPENQ)) ||
              doc->text[doc->toks[last + 1].b] == ')'))
        last++;
      if (last + 1 >= doc->ntoks)
        end = 1;
      else {
        const nkg_token *nx = &doc->toks[last + 1];
        int32_t ncp = 0;
        nkg_utf8_decode((const unsigned char *)doc->text + nx->b,
                        doc->len - nx->b, &ncp);
        /* A new sentence starts with a capital, a digit or a quote. */
        end = (nx->flags & (NKG_TF_CAP | NKG_TF_DIGIT | NKG_TF_QUOTE)) ||
              (nx->flags & NKG_TF_PSTART) || is_upper(ncp);
      }
    } else if (t + 1 >= doc->ntoks)
      end = 1;
    if (!end)
      continue;
    if (last + 1 >= doc->ntoks)
      last = doc->ntoks - 1;
    nkg_sentence s = {(uint32_t)sb, (uint32_t)(last + 1), (uint32_t)para};
    if (NKG_PUSH(doc->sents, doc->nsents, doc->capsents, s))
      return NKG_ERR_NOMEM;
    sb = last + 1;
    t = last;
    if (sb < doc->ntoks && (doc->toks[sb].flags & NKG_TF_PSTART))
      para++;
  }
  for (size_t s = 0; s < doc->nsents; s++) {
    int first = 1;
    for (uint32_t t = doc->sents[s].tb; t < doc->sents[s].te; t++) {
      doc->toks[t].sent = (uint32_t)s;
      if (first && (doc->toks[t].flags & NKG_TF_WORD)) {
        doc->toks[t].flags |= NKG_TF_SSTART;
        first = 0;
      } else if (first && !(doc->toks[t].flags & NKG_TF_QUOTE) &&
                 doc->text[doc->toks[t].b] != '(' &&
                 doc->text[doc->toks[t].b] != '[' &&
                 doc->text[doc->toks[t].b] != '-') {
        first = 0;
      }
    }
  }
  doc->ncp = c.cp;
  free(doc->word_bits);
  doc->word_bits = NULL;
  doc->words = lex ? lex->words : NULL;
  if (doc->words) {
    doc->word_bits = calloc(doc->ntoks + 1, sizeof *doc->word_bits);
    if (!doc->word_bits)
      return NKG_ERR_NOMEM;
  }
  return 0;
nomem:
  free(fold_at);
  nkg_buf_free(&folds);
  return NKG_ERR_NOMEM;
}
