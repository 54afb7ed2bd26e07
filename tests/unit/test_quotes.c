/* Stage 5: quotations, on sentences written for these tests. Each test runs
 * the whole pipeline on its text (nkg_doc_process), so speakers are
 * resolved through the real mentions, coreference and posts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "support.h"


static void process(nkg_doc *doc, const char *text) {
  memset(doc, 0, sizeof *doc);
  doc->text = text;
  doc->len = strlen(text);
  assert_int_equal(nkg_doc_process(doc, lex), 0);
}

/* The quoted words of quote i, as written. */
static void assert_text(const nkg_doc *doc, size_t i, const char *want) {
  assert_true(i < doc->nquotes);
  char *got = nkg_span_text(doc, doc->quotes[i].tb, doc->quotes[i].te);
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
}

static const char *entity_name(const nkg_doc *doc, int32_t e) {
  return e >= 0 && (size_t)e < doc->nentities ? doc->entities[e].name
                                              : "(none)";
}

static void assert_speaker(const nkg_doc *doc, size_t i, const char *want) {
  assert_true(i < doc->nquotes);
  assert_string_equal(entity_name(doc, doc->quotes[i].speaker), want);
}

static void assert_no_speaker(const nkg_doc *doc, size_t i) {
  assert_true(i < doc->nquotes);
  assert_int_equal(doc->quotes[i].speaker, -1);
  assert_int_equal(doc->quotes[i].speaker_mention, -1);
}

/* The speaker mention, when there is one, names the speaker. */
static void assert_mention_consistent(const nkg_doc *doc) {
  for (size_t i = 0; i < doc->nquotes; i++) {
    const nkg_quote *q = &doc->quotes[i];
    if (q->speaker_mention < 0)
      continue;
    assert_true((size_t)q->speaker_mention < doc->nmentions);
    assert_int_equal(doc->mentions[q->speaker_mention].entity, q->speaker);
  }
}

static void test_straight_quote_speaker_before(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "Maria Okafor said: \"The budget will balance next year.\"");
  assert_int_equal(doc.nquotes, 1);
  assert_text(&doc, 0, "The budget will balance next year.");
  assert_speaker(&doc, 0, "Maria Okafor");
  assert_true(doc.quotes[0].speaker_mention >= 0);
  assert_mention_consistent(&doc);
  nkg_doc_free(&doc);
}

static void test_curly_quote_speaker_after(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "\xe2\x80\x9cWe will rebuild the bridge,\xe2\x80\x9d said "
                "Peter Lindqvist.");
  assert_int_equal(doc.nquotes, 1);
  assert_text(&doc, 0, "We will rebuild the bridge");
  assert_speaker(&doc, 0, "Peter Lindqvist");
  assert_mention_consistent(&doc);
  nkg_doc_free(&doc);
}

static void test_quote_spanning_sentences(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "\"The talks failed. Nobody came to the table. We will try "
                "again in March,\" Maria Okafor said on Sunday.");
  assert_int_equal(doc.nquotes, 1);
  assert_text(&doc, 0,
              "The talks failed. Nobody came to the table. We will try "
              "again in March");
  assert_speaker(&doc, 0, "Maria Okafor");
  nkg_doc_free(&doc);
}

static void test_unclosed_quote_ends_with_paragraph(void **state) {
  (void)state;
  nkg_doc doc;
  /* the first quote is never closed: it must not swallow the next
   * paragraph, whose own quote keeps its own speaker */
  process(&doc, "Peter Lindqvist said: \"The plan is dead. Nobody wants it.\n"
                "The council met on Friday and voted on the budget. \"We "
                "agree with the result,\" said Maria Okafor.");
  assert_int_equal(doc.nquotes, 2);
  assert_text(&doc, 0, "The plan is dead. Nobody wants it.");
  assert_speaker(&doc, 0, "Peter Lindqvist");
  assert_text(&doc, 1, "We agree with the result");
  assert_speaker(&doc, 1, "Maria Okafor");
  nkg_doc_free(&doc);
}

static void test_unclosed_quote_before_next_opening(void **state) {
  (void)state;
  nkg_doc doc;
  /* a mark opens while one is open: the first quote ends with its last
   * full sentence */
  process(&doc, "Peter Lindqvist said \"the plan is dead and buried. Its "
                "backers had \"no idea what they were doing at all,\" he "
                "added.");
  assert_int_equal(doc.nquotes, 2);
  assert_text(&doc, 0, "the plan is dead and buried.");
  assert_speaker(&doc, 0, "Peter Lindqvist");
  assert_text(&doc, 1, "no idea what they were doing at all");
  assert_speaker(&doc, 1, "Peter Lindqvist");
  nkg_doc_free(&doc);
}

static void test_speaker_told_addressee(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "\"We will not resign over this,\" Maria Okafor told Peter "
                "Lindqvist.");
  assert_int_equal(doc.nquotes, 1);
  assert_speaker(&doc, 0, "Maria Okafor");
  assert_string_equal(entity_name(&doc, doc.quotes[0].addressee),
                      "Peter Lindqvist");
  assert_int_equal(doc.quotes[0].channel, -1);
  nkg_doc_free(&doc);
}

static void test_channels(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "\"The port reopens on Monday,\" Maria Okafor told the BBC.");
  assert_int_equal(doc.nquotes, 1);
  assert_speaker(&doc, 0, "Maria Okafor");
  assert_string_equal(entity_name(&doc, doc.quotes[0].channel), "BBC");
  assert_int_equal(doc.quotes[0].addressee, -1);
  nkg_doc_free(&doc);

  /* the owner of what was told is no addressee */
  process(&doc, "\"We won it fairly,\" Peter Lindqvist told his website. "
                "\"We lost it fairly,\" Maria Okafor told Toyota's staff "
                "magazine.");
  assert_int_equal(doc.nquotes, 2);
  assert_int_equal(doc.quotes[0].addressee, -1);
  assert_int_equal(doc.quotes[1].addressee, -1);
  assert_speaker(&doc, 1, "Maria Okafor");
  nkg_doc_free(&doc);

  process(&doc, "\"Prices will rise again this winter,\" Peter Lindqvist "
                "said in an interview with Reuters.");
  assert_int_equal(doc.nquotes, 1);
  assert_speaker(&doc, 0, "Peter Lindqvist");
  assert_string_equal(entity_name(&doc, doc.quotes[0].channel), "Reuters");
  nkg_doc_free(&doc);

  /* "according to" a news agency names the channel, not the speaker */
  process(&doc, "\"The deal is done and signed,\" Maria Okafor said, "
                "according to Reuters.");
  assert_int_equal(doc.nquotes, 1);
  assert_speaker(&doc, 0, "Maria Okafor");
  assert_string_equal(entity_name(&doc, doc.quotes[0].channel), "Reuters");
  nkg_doc_free(&doc);
}

static void test_added_and_pronouns(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc,
          "Maria Okafor said the vote would go ahead. \"Nothing will stop "
          "it now,\" she added.\n"
          "Peter Lindqvist criticised Maria Okafor on Friday. \"She has "
          "failed the city again and again,\" he said. \"It has to end.\"");
  assert_int_equal(doc.nquotes, 3);
  assert_speaker(&doc, 0, "Maria Okafor");
  /* the subject of the last sentence, not the person it names after */
  assert_speaker(&doc, 1, "Peter Lindqvist");
  /* a quote of its own continues the speaker before it */
  assert_text(&doc, 2, "It has to end.");
  assert_speaker(&doc, 2, "Peter Lindqvist");
  assert_mention_consistent(&doc);
  nkg_doc_free(&doc);
}

static void test_speaker_before_and_after(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "Peter Lindqvist spoke after the vote. He said on Monday, "
                "\"We lost, but we learned a great deal,\" he said.");
  assert_int_equal(doc.nquotes, 1);
  assert_speaker(&doc, 0, "Peter Lindqvist");
  nkg_doc_free(&doc);
}

static void test_quote_paragraph_continues_speaker(void **state) {
  (void)state;
  nkg_doc doc;
  /* a paragraph that is only a quote continues the speaker of the
   * reporting clause that ends the paragraph before it */
  process(&doc, "Maria Okafor said on Monday that the strike would go on.\n"
                "\"We have no other choice left to us.\"");
  assert_int_equal(doc.nquotes, 1);
  assert_speaker(&doc, 0, "Maria Okafor");
  assert_int_equal(doc.quotes[0].speaker_mention, -1);
  nkg_doc_free(&doc);
}

static void test_scare_quotes_are_not_quotations(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "The so-called \"peace dividend for the region\" never came. "
                "Critics called the plan a \"disaster\". The port is now "
                "a 'ghost town' at night.");
  assert_int_equal(doc.nquotes, 0);
  nkg_doc_free(&doc);
}

static void test_short_quote_with_verb_is_a_quotation(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "\"Never,\" said Maria Okafor.");
  assert_int_equal(doc.nquotes, 1);
  assert_text(&doc, 0, "Never");
  assert_speaker(&doc, 0, "Maria Okafor");
  nkg_doc_free(&doc);
}

static void test_unknown_speaker_gets_no_creator(void **state) {
  (void)state;
  nkg_doc doc;
  /* a named person earlier must not be taken for an anonymous one */
  process(&doc, "Maria Okafor arrived on Monday. \"Nobody knows what will "
                "happen next,\" a spokesman said. \"The market is falling "
                "fast and hard,\" officials said.\n"
                "Peter Lindqvist left early. The crowd chanted \"we want "
                "our jobs back now\" for an hour.");
  assert_int_equal(doc.nquotes, 3);
  assert_no_speaker(&doc, 0);
  assert_no_speaker(&doc, 1);
  assert_text(&doc, 2, "we want our jobs back now");
  assert_no_speaker(&doc, 2);
  nkg_doc_free(&doc);
}

static void test_nested_single_quotes(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "\"They call it 'the long road home' around here,\" said "
                "Maria Okafor.");
  assert_int_equal(doc.nquotes, 1);
  assert_text(&doc, 0, "They call it 'the long road home' around here");
  nkg_doc_free(&doc);
}

static void test_description_through_posts(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "Russian President Ivan Petrov met the delegation in the "
                "capital. Peter Lindqvist also attended.\n"
                "\"We want peace in the whole region,\" the Russian leader "
                "said.");
  assert_int_equal(doc.nquotes, 1);
  assert_speaker(&doc, 0, "Ivan Petrov");
  nkg_doc_free(&doc);
}

static void test_participle_clause(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "Peter Lindqvist tried to stay calm, adding: \"There is "
                "time enough for that later.\"");
  assert_int_equal(doc.nquotes, 1);
  assert_speaker(&doc, 0, "Peter Lindqvist");
  nkg_doc_free(&doc);
}

static void test_no_quotes_no_marks(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "Maria Okafor said the bridge would open in May.");
  assert_int_equal(doc.nquotes, 0);
  nkg_doc_free(&doc);
  /* marks with nothing inside */
  process(&doc, "They said \"\" twice, then \" ,\" once.");
  assert_int_equal(doc.nquotes, 0);
  nkg_doc_free(&doc);
}

static void test_speaker_phrases_with_prepositions(void **state) {
  (void)state;
  nkg_doc doc;
  /* an unnamed spokesman for a firm is not the firm; a named person of an
   * organization is that person */
  process(&doc, "\"Sales were weak in the spring,\" a spokesman for Toyota "
                "said. \"We expect better results soon,\" Eric Lund of the "
                "World Bank said.");
  assert_int_equal(doc.nquotes, 2);
  assert_no_speaker(&doc, 0);
  assert_speaker(&doc, 1, "Eric Lund");
  assert_mention_consistent(&doc);
  nkg_doc_free(&doc);
}

static void test_appositions(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "Sarah Brennan, 41, from Leeds, said: \"The queue was "
                "longer than ever.\"\n"
                "\"We are checking every flight today,\" Peter Lindqvist, a "
                "Toyota spokesman told reporters.\n"
                "\"Demand is holding up well,\" said Toyota chief economist, "
                "Maria Okafor.\n"
                "But the head of the World Bank, Sir Tomas Reyko, said the "
                "rules were \"a step in quite the wrong direction\".");
  assert_int_equal(doc.nquotes, 4);
  assert_speaker(&doc, 0, "Sarah Brennan");
  assert_speaker(&doc, 1, "Peter Lindqvist");
  assert_speaker(&doc, 2, "Maria Okafor");
  assert_speaker(&doc, 3, "Tomas Reyko");
  assert_mention_consistent(&doc);
  nkg_doc_free(&doc);
}

static void test_inverted_and_shared_subjects(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "The real cure is lower costs, says Sarah Brennan, head of a "
                "research group. \"Labour is simply too dear for small firms "
                "here,\" she says.\n"
                "Peter Lindqvist doubted the plan would work, but added: "
                "\"I am all for trying it once.\"\n"
                "Officials said Maria Okafor had signed it, but her lawyer, "
                "Tomas Reyko, told reporters it was a forgery and added: "
                "\"She never saw the paper at all.\"");
  assert_int_equal(doc.nquotes, 3);
  assert_speaker(&doc, 0, "Sarah Brennan");
  assert_speaker(&doc, 1, "Peter Lindqvist");
  assert_speaker(&doc, 2, "Tomas Reyko");
  nkg_doc_free(&doc);
}

static void test_clause_after_a_full_stop_is_not_attribution(void **state) {
  (void)state;
  nkg_doc doc;
  /* the quote ends its sentence: the next sentence's verb is not its
   * attribution, the colon before it is */
  process(&doc, "Maria Okafor argued: \"The rules have not been tested.\" "
                "Peter Lindqvist confirmed the vote would be held.");
  assert_int_equal(doc.nquotes, 1);
  assert_speaker(&doc, 0, "Maria Okafor");
  nkg_doc_free(&doc);
}

static void test_pronoun_after_unnamed_speaker(void **state) {
  (void)state;
  nkg_doc doc;
  /* "he" after a spokesman we cannot name is not the person named before */
  process(&doc, "Peter Lindqvist said the raid was a success. A spokesman "
                "for the United Nations said: \"We were never told.\" He "
                "said: \"Nobody asked us for our opinion either.\"");
  assert_int_equal(doc.nquotes, 2);
  assert_no_speaker(&doc, 0);
  assert_no_speaker(&doc, 1);
  nkg_doc_free(&doc);
}

static void test_participle_is_no_report_of_its_own(void **state) {
  (void)state;
  nkg_doc doc;
  /* "writing it off" reports nothing: "he" is still the person who urged */
  process(&doc, "Maria Okafor urged the board to give the firm more time "
                "before writing it off. \"It is far too early to judge,\" "
                "she said.");
  assert_int_equal(doc.nquotes, 1);
  assert_speaker(&doc, 0, "Maria Okafor");
  nkg_doc_free(&doc);
}

static void test_addressee_in_a_letter(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "Maria Okafor wrote in a letter to Peter Lindqvist: \"The "
                "contract ends in June.\"");
  assert_int_equal(doc.nquotes, 1);
  assert_speaker(&doc, 0, "Maria Okafor");
  assert_string_equal(entity_name(&doc, doc.quotes[0].addressee),
                      "Peter Lindqvist");
  nkg_doc_free(&doc);
}

static void test_unknown_names_and_long_appositions(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc,
          "Toyota announced a new engine on Monday.\n"
          "\"Sales will double by next spring,\" Xu Wenqiang of the bank "
          "predicted in a note.\n"
          "\"Prices are far too high,\" the Harbour Times newspaper said.\n"
          "Peter Lindqvist, who chairs the committee and has sat on it for "
          "more than ten years now, told the BBC: \"That is right as a "
          "general rule.\"");
  assert_int_equal(doc.nquotes, 3);
  /* someone we cannot name, not the firm of the paragraph before */
  assert_no_speaker(&doc, 0);
  /* the paper named in the description */
  assert_string_equal(entity_name(&doc, doc.quotes[1].speaker),
                      "Harbour Times");
  /* "told" never puts its speaker after it: the BBC is the channel */
  assert_speaker(&doc, 2, "Peter Lindqvist");
  assert_string_equal(entity_name(&doc, doc.quotes[2].channel), "BBC");
  assert_mention_consistent(&doc);
  nkg_doc_free(&doc);
}

static void test_pronoun_skips_people_named_late_in_a_sentence(void **state) {
  (void)state;
  nkg_doc doc;
  /* the person named at the end of the sentence before is no subject */
  process(&doc, "Peter Lindqvist spoke to reporters on Monday.\n"
                "He confirmed the row but could shed no light on "
                "reports that food was thrown at club boss Tomas Reyko. \"I "
                "saw people pushing and shouting,\" he said.");
  assert_int_equal(doc.nquotes, 1);
  assert_speaker(&doc, 0, "Peter Lindqvist");
  nkg_doc_free(&doc);
}

static void test_quote_continues_the_latest_speaker(void **state) {
  (void)state;
  nkg_doc doc;
  /* a report after the previous quote changes who speaks next */
  process(&doc, "Maria Okafor said the campaign had been \"a long, hard and "
                "very bitter fight\". A spokesman for the party said the "
                "seat was safe. \"This election is a choice about the "
                "future.\"");
  assert_int_equal(doc.nquotes, 2);
  assert_speaker(&doc, 0, "Maria Okafor");
  assert_no_speaker(&doc, 1);
  nkg_doc_free(&doc);
}

static void test_pronoun_agrees_in_sex(void **state) {
  (void)state;
  nkg_doc doc;
  process(&doc, "Mr Peter Lindqvist met Maria Okafor on Monday. Ms Okafor "
                "left early. \"We agreed on nothing at all,\" he said. "
                "\"It was a wasted day for everyone,\" she said.");
  assert_int_equal(doc.nquotes, 2);
  assert_speaker(&doc, 0, "Peter Lindqvist");
  assert_speaker(&doc, 1, "Maria Okafor");
  nkg_doc_free(&doc);
}

/* Many marks that never close, in one paragraph: every quote stays in its
 * paragraph and the stage does not rescan the text per mark. */
static void test_many_unclosed_marks(void **state) {
  (void)state;
  nkg_buf text = {0};
  for (int i = 0; i < 20000; i++)
    nkg_buf_adds(&text, "Peter Lindqvist said \"this goes on and on. ");
  nkg_buf_adds(&text, "\nMaria Okafor said: \"The end is near.\"");
  nkg_doc doc;
  process(&doc, text.s);
  assert_int_equal(doc.nquotes, 20001);
  uint32_t para0 = doc.sents[doc.toks[doc.quotes[0].tb].sent].para;
  for (size_t i = 0; i + 1 < doc.nquotes; i++)
    assert_int_equal(doc.sents[doc.toks[doc.quotes[i].te - 1].sent].para,
                     para0);
  assert_speaker(&doc, doc.nquotes - 1, "Maria Okafor");
  nkg_doc_free(&doc);
  nkg_buf_free(&text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_straight_quote_speaker_before),
      cmocka_unit_test(test_curly_quote_speaker_after),
      cmocka_unit_test(test_quote_spanning_sentences),
      cmocka_unit_test(test_unclosed_quote_ends_with_paragraph),
      cmocka_unit_test(test_unclosed_quote_before_next_opening),
      cmocka_unit_test(test_speaker_told_addressee),
      cmocka_unit_test(test_channels),
      cmocka_unit_test(test_added_and_pronouns),
      cmocka_unit_test(test_speaker_before_and_after),
      cmocka_unit_test(test_quote_paragraph_continues_speaker),
      cmocka_unit_test(test_scare_quotes_are_not_quotations),
      cmocka_unit_test(test_short_quote_with_verb_is_a_quotation),
      cmocka_unit_test(test_unknown_speaker_gets_no_creator),
      cmocka_unit_test(test_nested_single_quotes),
      cmocka_unit_test(test_description_through_posts),
      cmocka_unit_test(test_participle_clause),
      cmocka_unit_test(test_no_quotes_no_marks),
      cmocka_unit_test(test_speaker_phrases_with_prepositions),
      cmocka_unit_test(test_appositions),
      cmocka_unit_test(test_inverted_and_shared_subjects),
      cmocka_unit_test(test_clause_after_a_full_stop_is_not_attribution),
      cmocka_unit_test(test_pronoun_after_unnamed_speaker),
      cmocka_unit_test(test_participle_is_no_report_of_its_own),
      cmocka_unit_test(test_addressee_in_a_letter),
      cmocka_unit_test(test_unknown_names_and_long_appositions),
      cmocka_unit_test(test_pronoun_skips_people_named_late_in_a_sentence),
      cmocka_unit_test(test_quote_continues_the_latest_speaker),
      cmocka_unit_test(test_pronoun_agrees_in_sex),
      cmocka_unit_test(test_many_unclosed_marks),
  };
  return cmocka_run_group_tests(tests, nkg_test_setup, nkg_test_teardown);
}
