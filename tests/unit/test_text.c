/* Stage 1: validation and segmentation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "support.h"


static void segment(nkg_doc *doc, const char *text) {
  memset(doc, 0, sizeof *doc);
  doc->text = text;
  doc->len = strlen(text);
  assert_int_equal(nkg_text_segment(doc, lex), 0);
}

static char *tok(const nkg_doc *doc, size_t i) {
  return nkg_span_text(doc, (uint32_t)i, (uint32_t)i + 1);
}

static void assert_tok(const nkg_doc *doc, size_t i, const char *want) {
  char *t = tok(doc, i);
  assert_string_equal(t, want);
  free(t);
}

static void test_validate(void **state) {
  (void)state;
  size_t bad = 99;
  assert_int_equal(nkg_text_validate("caf\xc3\xa9", 5, &bad), 0);
  assert_int_equal(nkg_text_validate("ab\xc3(", 4, &bad), NKG_ERR_UTF8);
  assert_int_equal(bad, 2);
  assert_int_equal(nkg_text_validate("ab\0cd", 5, &bad), NKG_ERR_BINARY);
  assert_int_equal(bad, 2);
  /* overlong encoding and a surrogate are invalid */
  assert_int_equal(nkg_text_validate("\xc0\xaf", 2, &bad), NKG_ERR_UTF8);
  assert_int_equal(nkg_text_validate("x\xed\xa0\x80", 4, &bad), NKG_ERR_UTF8);
  assert_int_equal(bad, 1);
}

static void test_abbreviations_do_not_end_sentences(void **state) {
  (void)state;
  nkg_doc doc;
  segment(&doc, "Mr. Grant met Dr. Oduya in the U.S. capital on Jan. 4. "
                "They talked for an hour. Then they left.");
  assert_int_equal(doc.nsents, 3);
  nkg_doc_free(&doc);
}

static void test_lines_are_sentences_and_paragraphs(void **state) {
  (void)state;
  nkg_doc doc;
  segment(&doc, "Headline without a stop\n\nFirst paragraph here. Second "
                "sentence.\nAnother paragraph");
  assert_int_equal(doc.nsents, 4);
  assert_int_equal(doc.sents[0].para, 0);
  assert_true(doc.sents[1].para > doc.sents[0].para);
  assert_int_equal(doc.sents[1].para, doc.sents[2].para);
  assert_true(doc.sents[3].para > doc.sents[2].para);
  nkg_doc_free(&doc);
}

static void test_tokens_quotes_possessives_hyphens(void **state) {
  (void)state;
  nkg_doc doc;
  /* curly quotes, the possessive ’s, a hyphenated name */
  segment(&doc, "\xe2\x80\x9cWe agree,\xe2\x80\x9d said Nadia\xe2\x80\x99s "
                "aide to Al-Jazira's reporter.");
  assert_tok(&doc, 0, "\xe2\x80\x9c");
  assert_true(doc.toks[0].flags & NKG_TF_OPENQ);
  assert_tok(&doc, 1, "We");
  assert_true(doc.toks[1].flags & NKG_TF_SSTART);
  assert_tok(&doc, 3, ",");
  assert_tok(&doc, 4, "\xe2\x80\x9d");
  assert_true(doc.toks[4].flags & NKG_TF_CLOSEQ);
  assert_tok(&doc, 6, "Nadia");
  assert_tok(&doc, 7, "\xe2\x80\x99s");
  assert_true(doc.toks[7].flags & NKG_TF_POSS);
  assert_tok(&doc, 10, "Al-Jazira");
  assert_tok(&doc, 11, "'s");
  assert_true(doc.toks[11].flags & NKG_TF_POSS);
  nkg_doc_free(&doc);
}

static void test_code_point_offsets(void **state) {
  (void)state;
  nkg_doc doc;
  /* "Zoë Ávila met Łukasz." : multi-byte letters count once */
  segment(&doc, "Zo\xc3\xab \xc3\x81vila met \xc5\x81ukasz.");
  assert_int_equal(doc.toks[0].cb, 0);
  assert_int_equal(doc.toks[0].ce, 3);
  assert_int_equal(doc.toks[1].cb, 4);
  assert_int_equal(doc.toks[1].ce, 9);
  assert_true(doc.toks[1].flags & NKG_TF_CAP);
  assert_int_equal(doc.toks[3].cb, 14);
  assert_int_equal(doc.toks[3].ce, 20);
  assert_int_equal(doc.ncp, 21);
  nkg_doc_free(&doc);
}

static void test_numbers_and_acronyms(void **state) {
  (void)state;
  nkg_doc doc;
  segment(&doc, "The UN paid $1,250.50 to 3.5m people.");
  assert_tok(&doc, 1, "UN");
  assert_true(doc.toks[1].flags & NKG_TF_UPPER);
  assert_tok(&doc, 4, "1,250.50");
  assert_tok(&doc, 6, "3.5m");
  nkg_doc_free(&doc);
}

static void test_empty_and_space_only(void **state) {
  (void)state;
  nkg_doc doc;
  segment(&doc, "   \n\n  ");
  assert_int_equal(doc.ntoks, 0);
  assert_int_equal(doc.nsents, 0);
  nkg_doc_free(&doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validate),
      cmocka_unit_test(test_abbreviations_do_not_end_sentences),
      cmocka_unit_test(test_lines_are_sentences_and_paragraphs),
      cmocka_unit_test(test_tokens_quotes_possessives_hyphens),
      cmocka_unit_test(test_code_point_offsets),
      cmocka_unit_test(test_numbers_and_acronyms),
      cmocka_unit_test(test_empty_and_space_only),
  };
  return cmocka_run_group_tests(tests, nkg_test_setup, nkg_test_teardown);
}
