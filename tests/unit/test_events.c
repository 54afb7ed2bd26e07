/* Stage 5: events, their participants, time, negation and modality, on
 * sentences written for these tests; and time expressions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "support.h"
#include "timex.h"


/* Runs the whole per-document pipeline on text. */
static nkg_doc *run(const char *text, const char *date) {
  nkg_doc *doc = calloc(1, sizeof *doc);
  assert_non_null(doc);
  doc->id = nkg_strdup("t");
  doc->date = date ? nkg_strdup(date) : NULL;
  doc->text = text;
  doc->len = strlen(text);
  assert_int_equal(nkg_doc_process(doc, lex), 0);
  return doc;
}

static void done(nkg_doc *doc) {
  nkg_doc_free(doc);
  free(doc);
}

static size_t count_class(const nkg_doc *doc, const char *cls) {
  size_t n = 0;
  for (size_t i = 0; i < doc->nevents; i++)
    n += !strcmp(doc->events[i].trigger->cls, cls);
  return n;
}

/* The first event of the class, or fails. */
static const nkg_event *event_of(const nkg_doc *doc, const char *cls) {
  for (size_t i = 0; i < doc->nevents; i++)
    if (!strcmp(doc->events[i].trigger->cls, cls))
      return &doc->events[i];
  fail_msg("no %s event among %zu", cls, doc->nevents);
  return NULL;
}

/* Does the event have a participant whose name contains `name` in `role`
 * (role -1: any)? */
static int has(const nkg_doc *doc, const nkg_event *ev, const char *name,
               int role) {
  for (size_t i = 0; i < ev->nargs; i++) {
    const nkg_dentity *e = &doc->entities[ev->args[i].entity];
    if (strstr(e->name, name) && (role < 0 || ev->args[i].role == role))
      return 1;
  }
  return 0;
}

static void test_verb_with_object_place_and_time(void **state) {
  (void)state;
  /* 2008-03-13 was a Thursday */
  nkg_doc *doc = run("Chancellor Angela Merkel met Nicolas Sarkozy in Paris on "
                     "Tuesday to discuss the budget.",
                     "2008-03-13");
  const nkg_event *ev = event_of(doc, "Meeting");
  assert_true(has(doc, ev, "Merkel", NKG_R_PARTICIPANT));
  assert_true(has(doc, ev, "Sarkozy", NKG_R_PARTICIPANT));
  assert_true(has(doc, ev, "Paris", NKG_R_PLACE));
  assert_string_equal(ev->time_text, "Tuesday");
  assert_string_equal(ev->date, "2008-03-11");
  assert_int_equal(ev->modality, NKG_M_ASSERTED);
  assert_false(ev->negated);
  /* the evidence is the sentence, the trigger the verb */
  assert_int_equal(ev->tb, 0);
  char *t = nkg_span_text(doc, ev->ttb, ev->tte);
  assert_string_equal(t, "met");
  free(t);
  done(doc);
}

static void test_passive_and_by_agent(void **state) {
  (void)state;
  nkg_doc *doc =
      run("Hezbollah was invited to Tehran by Mahmoud Ahmadinejad.", NULL);
  const nkg_event *ev = event_of(doc, "Invitation");
  assert_true(has(doc, ev, "Hezbollah", NKG_R_RECIPIENT));
  assert_true(has(doc, ev, "Ahmadinejad", NKG_R_AGENT));
  assert_true(has(doc, ev, "Tehran", NKG_R_DESTINATION));
  assert_false(has(doc, ev, "Hezbollah", NKG_R_AGENT));
  done(doc);
}

static void test_nominal_from_and_support_verb(void **state) {
  (void)state;
  nkg_doc *doc = run("Fatah accepted an invitation from Vladimir Putin for "
                     "talks in Moscow.",
                     NULL);
  const nkg_event *ev = event_of(doc, "Invitation");
  assert_true(has(doc, ev, "Putin", NKG_R_AGENT));
  /* "accept": its subject is the one invited */
  assert_true(has(doc, ev, "Fatah", NKG_R_RECIPIENT));
  assert_true(has(doc, ev, "Moscow", NKG_R_PLACE));
  assert_int_equal(ev->modality, NKG_M_ASSERTED);
  done(doc);
}

static void test_passive_support_after_noun(void **state) {
  (void)state;
  nkg_doc *doc = run("An invitation was extended to Hezbollah by the Iranian "
                     "President Mahmoud Ahmadinejad last week.",
                     NULL);
  const nkg_event *ev = event_of(doc, "Invitation");
  assert_true(has(doc, ev, "Hezbollah", NKG_R_RECIPIENT));
  assert_true(has(doc, ev, "Ahmadinejad", NKG_R_AGENT));
  assert_string_equal(ev->time_text, "last week");
  assert_string_equal(ev->date, ""); /* a week is no day */
  done(doc);
}

static void test_planned_visit_by_pronoun(void **state) {
  (void)state;
  nkg_doc *doc =
      run("John Kerry said he would visit Germany next week.", "2014-06-02");
  const nkg_event *ev = event_of(doc, "Visit");
  assert_true(has(doc, ev, "Kerry", NKG_R_AGENT));
  assert_true(has(doc, ev, "Germany", NKG_R_DESTINATION));
  assert_int_equal(ev->modality, NKG_M_PLANNED);
  done(doc);
}

static void test_it_resolves_to_country(void **state) {
  (void)state;
  nkg_doc *doc =
      run("Syria said it will withdraw its soldiers from Lebanon.", NULL);
  const nkg_event *ev = event_of(doc, "Withdrawal");
  assert_true(has(doc, ev, "Syria", NKG_R_AGENT));
  assert_true(has(doc, ev, "Lebanon", NKG_R_ORIGIN));
  assert_int_equal(ev->modality, NKG_M_PLANNED);
  done(doc);
}

static void test_negation_is_kept(void **state) {
  (void)state;
  nkg_doc *doc = run("Cyprus does not recognize Turkey.", NULL);
  const nkg_event *ev = event_of(doc, "Recognition");
  assert_true(ev->negated);
  assert_true(has(doc, ev, "Cyprus", NKG_R_AGENT));
  assert_true(has(doc, ev, "Turkey", NKG_R_PATIENT));
  done(doc);
  /* a refusal denies the event too, and a gerund after "of not" */
  doc = run("Greece refused to recognise Kosovo.", NULL);
  ev = event_of(doc, "Recognition");
  assert_true(ev->negated);
  assert_true(has(doc, ev, "Greece", NKG_R_AGENT));
  done(doc);
  doc = run("Hezbollah repeated its policy of not recognizing Israel.", NULL);
  ev = event_of(doc, "Recognition");
  assert_true(ev->negated);
  assert_true(has(doc, ev, "Israel", NKG_R_PATIENT));
  done(doc);
  /* and the same words without the negation are positive */
  doc = run("Cyprus recognized Turkey in 2010.", NULL);
  ev = event_of(doc, "Recognition");
  assert_false(ev->negated);
  done(doc);
}

static void test_negated_nominal_through_support_verb(void **state) {
  (void)state;
  nkg_doc *doc = run("Ariel Sharon said Israel will not conduct any "
                     "negotiations with Hezbollah.",
                     NULL);
  const nkg_event *ev = event_of(doc, "Negotiation");
  assert_true(ev->negated);
  assert_int_equal(ev->modality, NKG_M_PLANNED);
  assert_true(has(doc, ev, "Israel", NKG_R_AGENT));
  assert_true(has(doc, ev, "Hezbollah", NKG_R_PARTICIPANT));
  done(doc);
}

static void test_condition(void **state) {
  (void)state;
  nkg_doc *doc = run("Tony Blair said he will withdraw the troops from Iraq if "
                     "the Labour Party wins the election.",
                     NULL);
  const nkg_event *w = event_of(doc, "Withdrawal");
  const nkg_event *e = event_of(doc, "Election");
  assert_int_equal(w->modality, NKG_M_CONDITIONAL);
  assert_true(w->condition >= 0);
  assert_ptr_equal(&doc->events[w->condition], e);
  assert_true(has(doc, w, "Blair", NKG_R_AGENT));
  assert_true(has(doc, w, "Iraq", NKG_R_ORIGIN));
  /* the condition itself is not a fact */
  assert_int_equal(e->modality, NKG_M_HYPOTHETICAL);
  assert_true(has(doc, e, "Labour", NKG_R_WINNER));
  done(doc);
}

static void test_election_winner_and_date(void **state) {
  (void)state;
  nkg_doc *doc = run("Labour won the general election on 5 May 2005.", NULL);
  const nkg_event *ev = event_of(doc, "Election");
  assert_true(has(doc, ev, "Labour", NKG_R_WINNER));
  assert_string_equal(ev->time_text, "5 May 2005");
  assert_string_equal(ev->date, "2005-05-05");
  done(doc);
  /* a winner through "which" and a victory in the polls */
  doc = run("Fatah, which won a landslide victory in the polls last month, "
            "has a new leader.",
            NULL);
  ev = event_of(doc, "Election");
  assert_true(has(doc, ev, "Fatah", NKG_R_WINNER));
  assert_string_equal(ev->time_text, "last month");
  done(doc);
}

static void test_no_fabricated_participants(void **state) {
  (void)state;
  /* a generic use of an event word: no event at all */
  nkg_doc *doc = run("Meetings are often a waste of time.", NULL);
  assert_int_equal(count_class(doc, "Meeting"), 0);
  done(doc);
  /* the talks have no named participant: none is made up */
  doc = run("Officials said the talks in Geneva were useful.", NULL);
  const nkg_event *ev = event_of(doc, "Meeting");
  for (size_t i = 0; i < ev->nargs; i++)
    assert_int_equal(ev->args[i].role, NKG_R_PLACE);
  assert_true(has(doc, ev, "Geneva", NKG_R_PLACE));
  done(doc);
  /* someone who only welcomes a meeting does not take part in it */
  doc = run("Japan welcomed the meeting.", NULL);
  assert_int_equal(count_class(doc, "Meeting"), 0);
  done(doc);
  /* nor does someone who acts after it */
  doc = run("Japan left after a meeting in Geneva.", NULL);
  ev = event_of(doc, "Meeting");
  assert_false(has(doc, ev, "Japan", -1));
  assert_true(has(doc, ev, "Geneva", NKG_R_PLACE));
  done(doc);
  /* the subject of a reported clause is no object of the reporting verb */
  doc = run("Fatah confirmed Hezbollah made a bid.", NULL);
  ev = event_of(doc, "Statement");
  assert_true(has(doc, ev, "Fatah", NKG_R_AGENT));
  assert_false(has(doc, ev, "Hezbollah", -1));
  done(doc);
}

static void test_adjunct_and_capital(void **state) {
  (void)state;
  nkg_doc *doc = run("Nelson Mandela told a press conference in the Kenyan "
                     "capital that peace was near.",
                     NULL);
  const nkg_event *ev = event_of(doc, "PressConference");
  assert_true(has(doc, ev, "Mandela", NKG_R_PARTICIPANT));
  assert_true(has(doc, ev, "Kenya", NKG_R_PLACE));
  done(doc);
  doc = run("Angela Merkel, on a visit to Spain, praised the reforms.", NULL);
  ev = event_of(doc, "Visit");
  assert_true(has(doc, ev, "Merkel", NKG_R_AGENT));
  assert_true(has(doc, ev, "Spain", NKG_R_DESTINATION));
  done(doc);
}

static void test_investigation_patients(void **state) {
  (void)state;
  nkg_doc *doc = run("Peter Mandelson and Geoffrey Robinson are under "
                     "investigation for corruption.",
                     NULL);
  assert_true(doc->nevents >= 1);
  int found = 0;
  for (size_t i = 0; i < doc->nevents; i++) {
    const nkg_event *ev = &doc->events[i];
    if (strcmp(ev->trigger->cls, "Investigation"))
      continue;
    if (has(doc, ev, "Mandelson", NKG_R_PATIENT) &&
        has(doc, ev, "Robinson", NKG_R_PATIENT))
      found = 1;
    assert_false(has(doc, ev, "Mandelson", NKG_R_AGENT));
  }
  assert_true(found);
  done(doc);
}

static void test_we_in_a_quote_is_the_speaker(void **state) {
  (void)state;
  nkg_doc *doc = run("\"We will never negotiate with Hezbollah,\" Ehud Barak "
                     "said.",
                     NULL);
  const nkg_event *ev = event_of(doc, "Negotiation");
  assert_true(ev->negated);
  assert_true(has(doc, ev, "Barak", NKG_R_AGENT));
  assert_true(has(doc, ev, "Hezbollah", -1));
  done(doc);
}

static void test_hypothetical_is_not_asserted(void **state) {
  (void)state;
  nkg_doc *doc = run("Russia could invite Hezbollah to Moscow.", NULL);
  const nkg_event *ev = event_of(doc, "Invitation");
  assert_int_equal(ev->modality, NKG_M_HYPOTHETICAL);
  assert_true(has(doc, ev, "Russia", NKG_R_AGENT));
  assert_true(has(doc, ev, "Hezbollah", NKG_R_RECIPIENT));
  done(doc);
  doc = run("Fatah is not going to recognise Israel.", NULL);
  ev = event_of(doc, "Recognition");
  assert_true(ev->negated);
  assert_int_equal(ev->modality, NKG_M_PLANNED);
  assert_true(has(doc, ev, "Fatah", NKG_R_AGENT));
  done(doc);
  doc = run("Hezbollah is under pressure to recognize Israel.", NULL);
  ev = event_of(doc, "Recognition");
  assert_int_equal(ev->modality, NKG_M_HYPOTHETICAL);
  assert_false(ev->negated);
  done(doc);
}

static void test_one_happening_merges_within_article(void **state) {
  (void)state;
  nkg_doc *doc = run("Israel carried out a unilateral disengagement, in which "
                     "it withdrew its settlers from the Gaza Strip.",
                     NULL);
  assert_int_equal(count_class(doc, "Withdrawal"), 1);
  const nkg_event *ev = event_of(doc, "Withdrawal");
  assert_true(has(doc, ev, "Israel", NKG_R_AGENT));
  assert_true(has(doc, ev, "Gaza", NKG_R_ORIGIN));
  done(doc);
  /* places joined under one preposition, a nested "in" keeps its role */
  doc = run("Russia withdrew its soldiers from all the Abkhazia bases and two "
            "small posts in the northern Crimea last year.",
            NULL);
  ev = event_of(doc, "Withdrawal");
  assert_true(has(doc, ev, "Abkhazia", NKG_R_ORIGIN));
  assert_true(has(doc, ev, "Crimea", NKG_R_ORIGIN));
  assert_string_equal(ev->time_text, "last year");
  done(doc);
  /* "another" withdrawal, planned, is a different one */
  doc = run("Israel withdrew from Gaza. Ariel Sharon said Israel will carry "
            "out another withdrawal from the West Bank.",
            NULL);
  assert_int_equal(count_class(doc, "Withdrawal"), 2);
  done(doc);
}

/* ---- time expressions ---------------------------------------------------- */

static void date_of(const char *text, const char *doc_date, int future,
                    const char *want_text, const char *want_date) {
  nkg_doc doc;
  memset(&doc, 0, sizeof doc);
  doc.text = text;
  doc.len = strlen(text);
  assert_int_equal(nkg_text_segment(&doc, lex), 0);
  nkg_timex x[4];
  size_t n = nkg_timex_find(&doc, lex, 0, (uint32_t)doc.ntoks, x, 4);
  assert_int_equal(n, 1);
  char *t = nkg_span_text(&doc, x[0].tb, x[0].te);
  assert_string_equal(t, want_text);
  free(t);
  char d[11];
  nkg_timex_date(&x[0], doc_date, future, d);
  assert_string_equal(d, want_date);
  nkg_doc_free(&doc);
}

static void test_timex(void **state) {
  (void)state;
  /* 2006-02-14 was a Tuesday */
  date_of("It happened yesterday.", "2006-02-14", 0, "yesterday", "2006-02-13");
  date_of("They met on Monday.", "2006-02-14", 0, "Monday", "2006-02-13");
  date_of("They meet on Monday.", "2006-02-14", 1, "Monday", "2006-02-20");
  date_of("They met last Tuesday.", "2006-02-14", 0, "last Tuesday",
          "2006-02-07");
  date_of("They voted on January 25th.", "2006-02-14", 0, "January 25th",
          "2006-01-25");
  /* late December seen from early January is last year */
  date_of("They voted on December 28.", "2006-01-05", 0, "December 28",
          "2005-12-28");
  date_of("It ended three days ago.", "2006-02-14", 0, "three days ago",
          "2006-02-11");
  date_of("It ended a few days ago.", "2006-02-14", 0, "a few days ago", "");
  date_of("It was signed on 3 March 1999.", NULL, 0, "3 March 1999",
          "1999-03-03");
  /* no article date: a weekday stays words */
  date_of("They met on Friday.", NULL, 0, "Friday", "");
  /* no such day */
  date_of("They met on February 30.", "2006-02-14", 0, "February 30", "");
}

static void test_doers_and_possessors(void **state) {
  (void)state;
  /* "supporters" are people, not a Support event */
  nkg_doc *doc = run("The supporters of Labour gathered in Leeds.", NULL);
  assert_int_equal(count_class(doc, "Support"), 0);
  done(doc);
  /* whose arrest: the one arrested */
  doc = run("John Smith said his arrest in Paris was unfair.", NULL);
  const nkg_event *ev = event_of(doc, "Arrest");
  assert_true(has(doc, ev, "Smith", NKG_R_PATIENT));
  assert_false(has(doc, ev, "Smith", NKG_R_AGENT));
  done(doc);
}

static void test_no_events_without_knowledge_words(void **state) {
  (void)state;
  nkg_doc *doc = run("The weather in Paris was mild and the trains ran on "
                     "time.",
                     NULL);
  assert_int_equal(doc->nevents, 0);
  done(doc);
}

/* The sense conditions of event_roles.tsv: each pair is the same word in
 * the sense of its class and in another one. */
static void test_sense_release_of_people_not_products(void **state) {
  (void)state;
  nkg_doc *doc = run("Kenya released Peter Odhiambo on Friday.", NULL);
  assert_int_equal(count_class(doc, "Release"), 1);
  done(doc);
  /* a record, a game: a product, not a person freed */
  doc = run("Her third album was released in Nairobi on Friday.", NULL);
  assert_int_equal(count_class(doc, "Release"), 0);
  done(doc);
  doc = run("The new game will be released in Canada next month.", NULL);
  assert_int_equal(count_class(doc, "Release"), 0);
  done(doc);
  /* figures made public: a statement */
  doc = run("Kenya released figures on Friday showing tea exports fell.", NULL);
  assert_int_equal(count_class(doc, "Release"), 0);
  assert_int_equal(count_class(doc, "Statement"), 1);
  done(doc);
}

static void test_sense_shooting_a_film_is_no_attack(void **state) {
  (void)state;
  nkg_doc *doc = run("Peter Odhiambo was shot in Lagos on Sunday.", NULL);
  assert_int_equal(count_class(doc, "Attack"), 1);
  done(doc);
  doc = run("Most of the footage was shot in Lagos last spring.", NULL);
  assert_int_equal(count_class(doc, "Attack"), 0);
  done(doc);
}

static void test_sense_attacking_a_plan_is_criticism(void **state) {
  (void)state;
  nkg_doc *doc = run("Rebels attacked a convoy near Goma on Monday.", NULL);
  assert_int_equal(count_class(doc, "Attack"), 1);
  done(doc);
  doc = run("Senator Mary Holt attacked the budget plans on Monday.", NULL);
  assert_int_equal(count_class(doc, "Attack"), 0);
  const nkg_event *ev = event_of(doc, "Criticism");
  assert_true(has(doc, ev, "Holt", NKG_R_AGENT));
  assert_string_equal(ev->trigger->cameo, "111");
  done(doc);
}

static void test_sense_sport_is_no_war_or_election(void **state) {
  (void)state;
  nkg_doc *doc = run("Troops clashed with rebels in Goma on Monday.", NULL);
  assert_int_equal(count_class(doc, "Attack"), 1);
  done(doc);
  doc = run("Peru face Chile in a cup clash in Lima on Monday, and their "
            "striker says a victory in Lima is likely.",
            NULL);
  assert_int_equal(count_class(doc, "Attack"), 0);
  assert_int_equal(count_class(doc, "Election"), 0);
  done(doc);
  /* an award is voted on, and is no election */
  doc = run("Listeners voted Anna Berg the best new singer at the awards in "
            "Oslo on Friday.",
            NULL);
  assert_int_equal(count_class(doc, "Election"), 0);
  done(doc);
}

static void test_sense_modifier_and_adverb(void **state) {
  (void)state;
  /* "launch title", "attack helicopters": the noun modified is meant */
  nkg_doc *doc = run("Sony's launch title sold well in Japan last week.", NULL);
  assert_int_equal(count_class(doc, "Launch"), 0);
  done(doc);
  doc = run("Sony's launch in Japan last week went well.", NULL);
  assert_int_equal(count_class(doc, "Launch"), 1);
  done(doc);
  doc = run("Peru bought the attack helicopters from Russia in May.", NULL);
  assert_int_equal(count_class(doc, "Attack"), 0);
  done(doc);
  /* "back" the adverb; "backed" the verb */
  doc = run("Mr Hale was back in Lima on Friday.", NULL);
  assert_int_equal(count_class(doc, "Support"), 0);
  done(doc);
  doc = run("The plan is backed by Chile and Peru.", NULL);
  assert_int_equal(count_class(doc, "Support"), 1);
  done(doc);
  /* an opinion poll is no election */
  doc = run("A poll of voters in Lima found Mr Hale ahead.", NULL);
  assert_int_equal(count_class(doc, "Election"), 0);
  done(doc);
}

static void test_sense_votes_and_illness(void **state) {
  (void)state;
  /* a vote on a question elects no one */
  nkg_doc *doc = run("Peruvians voted in Lima on Sunday.", NULL);
  assert_int_equal(count_class(doc, "Election"), 1);
  done(doc);
  doc = run("The Peruvian parliament voted on the budget on Friday.", NULL);
  assert_int_equal(count_class(doc, "Election"), 0);
  done(doc);
  /* a heart attack is an illness */
  doc = run("Rebels in Goma launched an attack on Friday.", NULL);
  assert_int_equal(count_class(doc, "Attack"), 1);
  done(doc);
  doc = run("Mr Hale had a heart attack in Lima on Friday.", NULL);
  assert_int_equal(count_class(doc, "Attack"), 0);
  done(doc);
}

static void test_sense_succession_and_announced_plans(void **state) {
  (void)state;
  /* taking over a firm, and taking over from someone */
  nkg_doc *doc = run("Sony took over Aiwa in Lima in May.", NULL);
  assert_int_equal(count_class(doc, "Acquisition"), 1);
  done(doc);
  doc = run("Anna Berg took over from Mr Hale in Lima in May.", NULL);
  assert_int_equal(count_class(doc, "Acquisition"), 0);
  done(doc);
  /* a product is launched; plans are announced */
  doc = run("Sony unveiled a new phone in Lima on Friday.", NULL);
  assert_int_equal(count_class(doc, "Launch"), 1);
  done(doc);
  doc = run("Peru unveiled plans to cut taxes on Friday.", NULL);
  assert_int_equal(count_class(doc, "Launch"), 0);
  assert_int_equal(count_class(doc, "Statement"), 1);
  done(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_verb_with_object_place_and_time),
      cmocka_unit_test(test_passive_and_by_agent),
      cmocka_unit_test(test_nominal_from_and_support_verb),
      cmocka_unit_test(test_passive_support_after_noun),
      cmocka_unit_test(test_planned_visit_by_pronoun),
      cmocka_unit_test(test_it_resolves_to_country),
      cmocka_unit_test(test_negation_is_kept),
      cmocka_unit_test(test_negated_nominal_through_support_verb),
      cmocka_unit_test(test_condition),
      cmocka_unit_test(test_election_winner_and_date),
      cmocka_unit_test(test_no_fabricated_participants),
      cmocka_unit_test(test_adjunct_and_capital),
      cmocka_unit_test(test_investigation_patients),
      cmocka_unit_test(test_we_in_a_quote_is_the_speaker),
      cmocka_unit_test(test_hypothetical_is_not_asserted),
      cmocka_unit_test(test_one_happening_merges_within_article),
      cmocka_unit_test(test_timex),
      cmocka_unit_test(test_doers_and_possessors),
      cmocka_unit_test(test_no_events_without_knowledge_words),
      cmocka_unit_test(test_sense_release_of_people_not_products),
      cmocka_unit_test(test_sense_shooting_a_film_is_no_attack),
      cmocka_unit_test(test_sense_attacking_a_plan_is_criticism),
      cmocka_unit_test(test_sense_sport_is_no_war_or_election),
      cmocka_unit_test(test_sense_modifier_and_adverb),
      cmocka_unit_test(test_sense_votes_and_illness),
      cmocka_unit_test(test_sense_succession_and_announced_plans),
  };
  return cmocka_run_group_tests(tests, nkg_test_setup, nkg_test_teardown);
}
