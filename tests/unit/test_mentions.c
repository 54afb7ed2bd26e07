/* Stages 2 and 3: mentions of people, organizations and places, and
 * coreference within one article. Sentences are our own. */
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


static void run(nkg_doc *doc, const char *text) {
  memset(doc, 0, sizeof *doc);
  doc->id = nkg_strdup("t");
  doc->text = text;
  doc->len = strlen(text);
  assert_int_equal(nkg_text_segment(doc, lex), 0);
  assert_int_equal(nkg_mentions_find(doc, lex), 0);
  assert_int_equal(nkg_coref_doc(doc, lex), 0);
  assert_int_equal(nkg_coref_references(doc, lex), 0);
}

/* The entity whose name (or one of its names) is `name`, or -1. */
static int32_t entity_named(const nkg_doc *doc, const char *name) {
  for (size_t i = 0; i < doc->nentities; i++) {
    if (!strcmp(doc->entities[i].name, name))
      return (int32_t)i;
    for (size_t n = 0; n < doc->entities[i].nnames; n++)
      if (!strcmp(doc->entities[i].names[n], name))
        return (int32_t)i;
  }
  return -1;
}

/* The entity of the mention whose text is exactly `surface` (the k-th such
 * mention), or -1. */
static int32_t mention_entity(const nkg_doc *doc, const char *surface,
                              int k) {
  for (size_t i = 0; i < doc->nmentions; i++) {
    char *s = nkg_span_text(doc, doc->mentions[i].tb, doc->mentions[i].te);
    int hit = !strcmp(s, surface);
    free(s);
    if (hit && k-- == 0)
      return doc->mentions[i].entity;
  }
  return -1;
}

static void assert_entity(const nkg_doc *doc, const char *name, int type) {
  int32_t e = entity_named(doc, name);
  if (e < 0)
    fail_msg("no entity named '%s'", name);
  assert_int_equal(doc->entities[e].type, type);
}

static void assert_no_entity(const nkg_doc *doc, const char *name) {
  if (entity_named(doc, name) >= 0)
    fail_msg("'%s' should not be an entity", name);
}

static void test_titles_names_places_orgs(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Finance Minister Anna Kowalski met bankers from the Nordwind "
            "Energy Corporation in Warsaw on Tuesday.");
  assert_entity(&doc, "Anna Kowalski", NKG_PER);
  assert_entity(&doc, "Warsaw", NKG_LOC);
  assert_entity(&doc, "Nordwind Energy Corporation", NKG_ORG);
  assert_no_entity(&doc, "Tuesday");
  assert_no_entity(&doc, "Finance Minister");
  assert_no_entity(&doc, "Finance Minister Anna Kowalski");
  nkg_doc_free(&doc);
}

static void test_capitals_alone_are_not_names(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Meanwhile, the talks went on. However, On Monday in March "
            "nothing moved. Today We wait. If Speaking helps, Contacts "
            "matter.");
  assert_int_equal(doc.nentities, 0);
  nkg_doc_free(&doc);
}

static void test_known_names_and_acronyms(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Envoys of the EU, the UN and the United States met in "
            "Geneva. The European Union later said the US agreed.");
  assert_entity(&doc, "European Union", NKG_ORG);
  assert_int_equal(mention_entity(&doc, "EU", 0),
                   mention_entity(&doc, "European Union", 0));
  assert_int_equal(mention_entity(&doc, "US", 0),
                   mention_entity(&doc, "United States", 0));
  assert_entity(&doc, "Geneva", NKG_LOC);
  /* "us" the pronoun is never the country */
  nkg_doc_free(&doc);
  run(&doc, "They told us to wait.");
  assert_int_equal(doc.nentities, 0);
  nkg_doc_free(&doc);
}

static void test_short_forms_join_full_names(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Central bank governor Tomasz Lindqvist raised rates. "
            "Lindqvist said inflation was too high. Mr Lindqvist added "
            "that the bank would act again.");
  int32_t full = entity_named(&doc, "Tomasz Lindqvist");
  assert_true(full >= 0);
  assert_int_equal(mention_entity(&doc, "Lindqvist", 0), full);
  assert_int_equal(mention_entity(&doc, "Lindqvist", 1), full);
  assert_int_equal(doc.entities[full].nnames, 1);
  nkg_doc_free(&doc);
}

static void test_relatives_stay_apart(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Retired judge Ruth Delacroix and her son Marc Delacroix "
            "appeared in court. Marc Delacroix denied the charge.");
  int32_t ruth = entity_named(&doc, "Ruth Delacroix");
  int32_t marc = entity_named(&doc, "Marc Delacroix");
  assert_true(ruth >= 0 && marc >= 0);
  assert_true(ruth != marc);
  nkg_doc_free(&doc);
}

static void test_acronym_defined_in_brackets(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "The Baltic Freight Authority (BFA) cut its fees. A BFA "
            "official welcomed the move.");
  int32_t e = entity_named(&doc, "Baltic Freight Authority");
  assert_true(e >= 0);
  assert_int_equal(entity_named(&doc, "BFA"), e);
  assert_int_equal(mention_entity(&doc, "BFA", 1), e);
  nkg_doc_free(&doc);
}

static void test_also_known_as(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Rebel commander Pavel Drozdov, also known as Uncle Pasha, "
            "surrendered on Sunday.");
  int32_t e = entity_named(&doc, "Pavel Drozdov");
  assert_true(e >= 0);
  assert_int_equal(entity_named(&doc, "Uncle Pasha"), e);
  nkg_doc_free(&doc);
}

static void test_pronouns_with_a_clear_antecedent(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Novelist Greta Halvorsen won the prize on Friday. She said "
            "her publisher had doubted the book.");
  int32_t e = entity_named(&doc, "Greta Halvorsen");
  assert_true(e >= 0);
  assert_int_equal(mention_entity(&doc, "She", 0), e);
  assert_int_equal(mention_entity(&doc, "her", 0), e);
  nkg_doc_free(&doc);
  /* two people nearby: "he" is left unresolved */
  run(&doc, "Coach Dario Benetti argued with striker Paulo Arruda. He "
            "left early.");
  assert_int_equal(mention_entity(&doc, "He", 0), -1);
  nkg_doc_free(&doc);
}

static void test_descriptions(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Shares in Nordwind Energy Corporation fell. The company "
            "blamed the weather.");
  int32_t e = entity_named(&doc, "Nordwind Energy Corporation");
  assert_true(e >= 0);
  assert_int_equal(mention_entity(&doc, "The company", 0), e);
  nkg_doc_free(&doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_titles_names_places_orgs),
      cmocka_unit_test(test_capitals_alone_are_not_names),
      cmocka_unit_test(test_known_names_and_acronyms),
      cmocka_unit_test(test_short_forms_join_full_names),
      cmocka_unit_test(test_relatives_stay_apart),
      cmocka_unit_test(test_acronym_defined_in_brackets),
      cmocka_unit_test(test_also_known_as),
      cmocka_unit_test(test_pronouns_with_a_clear_antecedent),
      cmocka_unit_test(test_descriptions),
  };
  return cmocka_run_group_tests(tests, nkg_test_setup, nkg_test_teardown);
}
