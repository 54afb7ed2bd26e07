/* Time expressions: "Monday", "on January 25th", "last week", "few days
 * ago", "25 March 2005", found in a token range and resolved to a calendar
 * date when the article's date allows it. The words (weekdays, months,
 * relative phrases, units) come from data/temporal.tsv and
 * data/calendar.tsv. */
#ifndef NKG_TIMEX_H
#define NKG_TIMEX_H

#include "internal.h"

enum nkg_timex_kind {
  NKG_TX_WEEKDAY = 1, /* "Monday", "last Friday": value = 1..7 (Monday 1) */
  NKG_TX_DAY,         /* "yesterday", "3 days ago": value = offset in days */
  NKG_TX_DATE,        /* "January 25th", "25 March 2005": month, day, year */
  NKG_TX_VAGUE        /* "last week", "few days ago", "in 1967", "March" */
};

typedef struct nkg_timex {
  uint32_t tb, te; /* tokens, the expression as written */
  uint8_t kind;    /* nkg_timex_kind */
  int8_t shift;    /* weekdays: -1 "last", +1 "next", 0 plain */
  int32_t value;
  int32_t year, month, day; /* NKG_TX_DATE; year 0 when not written */
} nkg_timex;

/* events.c: may a time expression start with these folded words (one
 * word, or several space separated)? */
int nkg_events_timex_start(const nkg_lexicon *lex, const char *folded);

/* The kinds of the entries of temporal.tsv and calendar.tsv ("kind\tvalue"). */
enum nkg_txw_kind {
  NKG_TXW_NONE = 0, /* no entry */
  NKG_TXW_OTHER,    /* a kind not below */
  NKG_TXW_DAY,
  NKG_TXW_WEEK,
  NKG_TXW_MONTH,
  NKG_TXW_YEAR,
  NKG_TXW_APPROX,
  NKG_TXW_VAGUE,
  NKG_TXW_WEEKDAY,
  NKG_TXW_SHIFT,
  NKG_TXW_DAYPART,
  NKG_TXW_COUNT,
  NKG_TXW_UNIT,
  NKG_TXW_AGO
};
/* timex.c: the kind of an entry "kind\tvalue", its value into *value. */
int nkg_timex_word_kind(const char *entry, int32_t *value);
/* events.c: the kind of the entry of the folded phrase key[0, len) (temporal
 * before calendar; NKG_TXW_NONE if none) with its value, and in *start
 * whether a time expression may start with the phrase. */
int nkg_events_tx_word(const nkg_lexicon *lex, const char *key, size_t len,
                       int *start, int32_t *value);

/* Finds the time expressions in tokens [tb, te) in text order; writes at
 * most cap of them to out and returns how many were found (at most cap). */
size_t nkg_timex_find(const nkg_doc *doc, const nkg_lexicon *lex, uint32_t tb,
                      uint32_t te, nkg_timex *out, size_t cap);

/* Reads the expression that starts at token t (ending before te) into x;
 * returns its length in tokens, 0 if none starts there. */
uint32_t nkg_timex_read(const nkg_doc *doc, const nkg_lexicon *lex, uint32_t t,
                        uint32_t te, nkg_timex *x);

/* The calendar date of x as YYYY-MM-DD in out (11 bytes), given the
 * article's date (YYYY-MM-DD or NULL). A weekday is the latest such day up
 * to the article's date, or the next one after it when `future` (a planned
 * event). Returns 1 when a day-precise date was found, else 0 (out = ""). */
int nkg_timex_date(const nkg_timex *x, const char *doc_date, int future,
                   char out[11]);

#endif
