/* Time expressions (see timex.h). Each expression is read left to right
 * from its first word: a whole phrase of data/temporal.tsv ("yesterday",
 * "last week", "a few days ago"), or one built from the words of
 * data/calendar.tsv: weekday, month, unit ("days" = 1, "weeks" = 7), count
 * ("two" = 2; 0 for "few"), shift ("last" = -1, "next" = 1), daypart
 * ("morning") and ago, with numbers written in digits ("25th", "2006"). */
#include <stdlib.h>
#include <string.h>

#include "timex.h"

#define TX_MAX_PHRASE 4

typedef struct tx_word {
  int kind; /* nkg_txw_kind */
  int32_t value;
} tx_word;

int nkg_timex_word_kind(const char *entry, int32_t *value) {
  static const char *const names[] = {"day",     "week",  "month",   "year",
                                      "approx",  "vague", "weekday", "shift",
                                      "daypart", "count", "unit",    "ago"};
  const char *tab = strchr(entry, '\t');
  size_t n = tab ? (size_t)(tab - entry) : strlen(entry);
  if (n > 11)
    n = 11; /* kinds were read into 12 bytes */
  *value = tab ? (int32_t)strtol(tab + 1, NULL, 10) : 0;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strlen(names[i]) == n && !memcmp(names[i], entry, n))
      return NKG_TXW_DAY + (int)i;
  return NKG_TXW_OTHER;
}

/* The entry for folded text, split into kind and value: a whole phrase of
 * temporal.tsv (kinds day, week, month, year, approx, vague) or a word of
 * calendar.tsv (weekday, month, unit, count, shift, daypart, ago). *start:
 * may a time expression start so. */
static int lookup(const nkg_lexicon *lex, const char *folded, size_t len,
                  tx_word *w, int *start) {
  int s;
  w->kind = nkg_events_tx_word(lex, folded, len, start ? start : &s, &w->value);
  return w->kind != NKG_TXW_NONE;
}

/* The folded token (its first 63 bytes) as read here: "Jan." and "Tues."
 * are their words. A piece of the document's folded text, *len bytes (not
 * NUL-terminated). */
static const char *fold_tok(const nkg_doc *doc, uint32_t t, size_t *len) {
  size_t n;
  const char *f = nkg_span_piece(doc, t, t + 1, &n);
  if (n > 63)
    n = 63;
  if (n > 1 && f[n - 1] == '.')
    n--;
  *len = n;
  return f;
}

static int word_is(const nkg_lexicon *lex, const nkg_doc *doc, uint32_t t,
                   uint32_t te, int kind, tx_word *w) {
  if (t >= te || !(doc->toks[t].flags & NKG_TF_WORD))
    return 0;
  size_t n;
  const char *f = fold_tok(doc, t, &n);
  return lookup(lex, f, n, w, NULL) && w->kind == kind;
}

/* word_is for token u, with the word at t already looked up (k0, w0). */
static int kind_at(const nkg_lexicon *lex, const nkg_doc *doc, uint32_t u,
                   uint32_t te, int kind, uint32_t t, int k0, const tx_word *w0,
                   tx_word *w) {
  if (u != t)
    return word_is(lex, doc, u, te, kind, w);
  if (!k0 || w0->kind != kind)
    return 0;
  *w = *w0;
  return 1;
}

/* A number written in digits, with an optional ordinal suffix ("25th");
 * -1 if the token is not one. */
static int32_t number_at(const nkg_doc *doc, uint32_t t, uint32_t te,
                         int *ordinal) {
  if (t >= te || !(doc->toks[t].flags & NKG_TF_DIGIT))
    return -1;
  const nkg_token *k = &doc->toks[t];
  int32_t v = 0;
  uint32_t i = k->b;
  for (; i < k->e && doc->text[i] >= '0' && doc->text[i] <= '9'; i++) {
    if (v > 100000)
      return -1;
    v = v * 10 + (doc->text[i] - '0');
  }
  size_t rest = k->e - i;
  if (ordinal)
    *ordinal = rest == 2;
  if (rest == 0)
    return v;
  if (rest == 2) {
    char a = (char)(doc->text[i] | 0x20), b = (char)(doc->text[i + 1] | 0x20);
    if ((a == 's' && b == 't') || (a == 'n' && b == 'd') ||
        (a == 'r' && b == 'd') || (a == 't' && b == 'h'))
      return v;
  }
  return -1;
}

static int is_year(int32_t v) { return v >= 1900 && v <= 2099; }

/* ", 2006" or " 2006" after a day and month: returns tokens used. */
static uint32_t year_after(const nkg_doc *doc, uint32_t t, uint32_t te,
                           int32_t *year) {
  uint32_t u = t;
  if (u < te && doc->text[doc->toks[u].b] == ',' &&
      doc->toks[u].e - doc->toks[u].b == 1)
    u++;
  int ord = 0;
  int32_t y = number_at(doc, u, te, &ord);
  if (y >= 0 && !ord && is_year(y)) {
    *year = y;
    return u + 1 - t;
  }
  return 0;
}

uint32_t nkg_timex_read(const nkg_doc *doc, const nkg_lexicon *lex, uint32_t t,
                        uint32_t te, nkg_timex *x) {
  memset(x, 0, sizeof *x);
  x->tb = t;
  tx_word w, w2;
  const nkg_token *k = &doc->toks[t];
  if (!(k->flags & NKG_TF_WORD) || !lex->temporal)
    return 0;

  /* whole phrases: "last week", "earlier this month", "yesterday" */
  char phrase[160];
  size_t plen = 0;
  uint32_t best = 0;
  tx_word bw = {0, 0};
  /* the calendar word at t, read with the first phrase */
  tx_word w0 = {0, 0};
  int k0 = -1;
  for (uint32_t n = 0; n < TX_MAX_PHRASE && t + n < te; n++) {
    if (!(doc->toks[t + n].flags & NKG_TF_WORD))
      break;
    size_t l;
    const char *f = fold_tok(doc, t + n, &l);
    if (plen + l + 2 >= sizeof phrase)
      break;
    if (n)
      phrase[plen++] = ' ';
    memcpy(phrase + plen, f, l);
    plen += l;
    int start;
    int found = lookup(lex, phrase, plen, &w, &start);
    if (n == 0) {
      k0 = found;
      w0 = w;
    }
    /* no phrase of temporal.tsv goes on like this */
    if (!start)
      break;
    /* an exact day, or a stretch of time; one-word adverbs ("recently",
     * "earlier") say too little to be a time of their own */
    if (found && (w.kind == NKG_TXW_DAY ||
                  ((w.kind == NKG_TXW_WEEK || w.kind == NKG_TXW_MONTH ||
                    w.kind == NKG_TXW_YEAR || w.kind == NKG_TXW_APPROX ||
                    w.kind == NKG_TXW_VAGUE) &&
                   n > 0))) {
      best = n + 1;
      bw = w;
    }
  }
  if (best) {
    x->te = t + best;
    x->kind = bw.kind == NKG_TXW_DAY ? NKG_TX_DAY : NKG_TX_VAGUE;
    x->value = bw.value;
    return best;
  }

  if (k0 < 0) {
    size_t l0;
    const char *f = fold_tok(doc, t, &l0);
    k0 = lookup(lex, f, l0, &w0, NULL);
  }
  if (!k0 && !(k->flags & NKG_TF_DIGIT))
    return 0;
#define KIND0(want) (k0 && w0.kind == (want))

  /* [last|next|this] weekday [daypart] */
  uint32_t u = t;
  int8_t shift = 0;
  if (KIND0(NKG_TXW_SHIFT) &&
      word_is(lex, doc, u + 1, te, NKG_TXW_WEEKDAY, &w2)) {
    shift = (int8_t)(w0.value < 0 ? -1 : w0.value > 0 ? 1 : 0);
    u++;
  }
  if (kind_at(lex, doc, u, te, NKG_TXW_WEEKDAY, t, k0, &w0, &w) &&
      (doc->toks[u].flags & NKG_TF_CAP)) {
    x->kind = NKG_TX_WEEKDAY;
    x->value = w.value;
    x->shift = shift;
    u++;
    if (word_is(lex, doc, u, te, NKG_TXW_DAYPART, &w2))
      u++;
    x->te = u;
    return u - t;
  }

  /* month [day[,] [year]] | month year */
  int ord = 0;
  if (KIND0(NKG_TXW_MONTH) && (doc->toks[t].flags & NKG_TF_CAP)) {
    x->month = w0.value;
    int32_t d = number_at(doc, t + 1, te, &ord);
    if (d >= 1 && d <= 31) {
      x->kind = NKG_TX_DATE;
      x->day = d;
      x->te = t + 2 + year_after(doc, t + 2, te, &x->year);
      return x->te - t;
    }
    if (d >= 0 && !ord && is_year(d)) {
      x->kind = NKG_TX_VAGUE;
      x->te = t + 2;
      return 2;
    }
    /* a month on its own is a time only after a preposition ("in March"):
     * "May" and "March" are words too */
    if (t > 0 && (doc->toks[t - 1].flags & NKG_TF_WORD) &&
        (nkg_tok_is(doc, t - 1, "in") || nkg_tok_is(doc, t - 1, "since") ||
         nkg_tok_is(doc, t - 1, "until") || nkg_tok_is(doc, t - 1, "by") ||
         word_is(lex, doc, t - 1, te, NKG_TXW_SHIFT, &w2))) {
      x->kind = NKG_TX_VAGUE;
      x->te = t + 1;
      return 1;
    }
    return 0;
  }

  /* day [of] month [year] */
  int32_t d = number_at(doc, t, te, &ord);
  if (d >= 1 && d <= 31) {
    u = t + 1;
    if (u < te && nkg_tok_is(doc, u, "of"))
      u++;
    if (word_is(lex, doc, u, te, NKG_TXW_MONTH, &w) &&
        (doc->toks[u].flags & NKG_TF_CAP)) {
      x->kind = NKG_TX_DATE;
      x->day = d;
      x->month = w.value;
      x->te = u + 1 + year_after(doc, u + 1, te, &x->year);
      return x->te - t;
    }
  }

  /* count unit ago: "three days ago", "a week ago", "few days ago" */
  u = t;
  int32_t count = -1;
  int vague = 0;
  while (u < te && u < t + 3) {
    int32_t num = number_at(doc, u, te, &ord);
    if (num >= 0 && !ord) {
      count = num;
      u++;
    } else if (kind_at(lex, doc, u, te, NKG_TXW_COUNT, t, k0, &w0, &w)) {
      if (w.value <= 0)
        vague = 1;
      else if (count < 0)
        count = w.value;
      u++;
    } else {
      break;
    }
  }
  if (u > t && word_is(lex, doc, u, te, NKG_TXW_UNIT, &w) &&
      word_is(lex, doc, u + 1, te, NKG_TXW_AGO, &w2)) {
    x->te = u + 2;
    if (!vague && count > 0 && w.value == 1) {
      x->kind = NKG_TX_DAY;
      x->value = -count;
    } else {
      x->kind = NKG_TX_VAGUE;
    }
    return x->te - t;
  }

  /* a year after a preposition: "in 1967", "since 2001" */
  d = number_at(doc, t, te, &ord);
  if (d >= 0 && !ord && is_year(d) && t > 0 &&
      (nkg_tok_is(doc, t - 1, "in") || nkg_tok_is(doc, t - 1, "since") ||
       nkg_tok_is(doc, t - 1, "until"))) {
    x->kind = NKG_TX_VAGUE;
    x->year = d;
    x->te = t + 1;
    return 1;
  }
  return 0;
#undef KIND0
}

size_t nkg_timex_find(const nkg_doc *doc, const nkg_lexicon *lex, uint32_t tb,
                      uint32_t te, nkg_timex *out, size_t cap) {
  size_t n = 0;
  if (!lex || !lex->temporal)
    return 0;
  for (uint32_t t = tb; t < te && n < cap;) {
    uint32_t len = 0;
    int start = 0;
    if (!(doc->toks[t].flags & NKG_TF_DIGIT)) {
      size_t l;
      const char *f = fold_tok(doc, t, &l);
      tx_word w;
      lookup(lex, f, l, &w, &start);
    }
    if ((doc->toks[t].flags & NKG_TF_DIGIT) || start)
      len = nkg_timex_read(doc, lex, t, te, &out[n]);
    if (len) {
      n++;
      t += len;
    } else {
      t++;
    }
  }
  return n;
}

/* ---- dates -----------------------------------------------------------------
 */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long days_from_civil(long y, long m, long d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp + (mp < 10 ? 3 : -9);
  *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(long y, long m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return dm[m - 1];
}

static void put_date(long z, char out[11]) {
  long y, m, d;
  civil_from_days(z, &y, &m, &d);
  if (y < 1 || y > 9999) {
    out[0] = '\0';
    return;
  }
  /* fixed width: four, two and two digits */
  out[0] = (char)('0' + y / 1000 % 10);
  out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10);
  out[3] = (char)('0' + y % 10);
  out[4] = '-';
  out[5] = (char)('0' + m / 10);
  out[6] = (char)('0' + m % 10);
  out[7] = '-';
  out[8] = (char)('0' + d / 10);
  out[9] = (char)('0' + d % 10);
  out[10] = '\0';
}

int nkg_timex_date(const nkg_timex *x, const char *doc_date, int future,
                   char out[11]) {
  out[0] = '\0';
  long y = 0, m = 0, d = 0;
  int have_doc = doc_date && nkg_date_valid(doc_date);
  if (have_doc) {
    y = strtol(doc_date, NULL, 10);
    m = strtol(doc_date + 5, NULL, 10);
    d = strtol(doc_date + 8, NULL, 10);
    if (d > days_in_month(y, m))
      have_doc = 0;
  }
  long today = have_doc ? days_from_civil(y, m, d) : 0;
  switch (x->kind) {
  case NKG_TX_DAY:
    if (!have_doc)
      return 0;
    put_date(today + x->value, out);
    break;
  case NKG_TX_WEEKDAY: {
    if (!have_doc || x->value < 1 || x->value > 7)
      return 0;
    /* 1970-01-01 was a Thursday (4) */
    long wd = ((today % 7) + 7 + 3) % 7 + 1;
    long back = (wd - x->value + 7) % 7;  /* to the latest, today included */
    long ahead = (x->value - wd + 7) % 7; /* to the next, today included */
    long z;
    if (x->shift < 0)
      z = today - (back ? back : 7);
    else if (x->shift > 0)
      z = today + (ahead ? ahead : 7);
    else
      z = future ? today + ahead : today - back;
    put_date(z, out);
    break;
  }
  case NKG_TX_DATE: {
    if (x->month < 1 || x->month > 12 || x->day < 1)
      return 0;
    long yy = x->year;
    if (!yy) {
      if (!have_doc)
        return 0;
      /* the year of the article, or the one before (after) it when the day
       * would be well after (before) the article for a past (planned)
       * event */
      yy = y;
      if (x->day <= days_in_month(yy, x->month)) {
        long z = days_from_civil(yy, x->month, x->day);
        if (!future && z > today + 7)
          yy--;
        else if (future && z < today - 7)
          yy++;
      }
    }
    if (x->day > days_in_month(yy, x->month))
      return 0;
    put_date(days_from_civil(yy, x->month, x->day), out);
    break;
  }
  default:
    return 0;
  }
  return out[0] != '\0';
}
