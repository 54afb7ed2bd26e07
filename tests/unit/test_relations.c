/* Stage 4: posts, memberships and ties, one construction per test, on
 * sentences written for these tests. */
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

#define SCHEMA "http://schema.org/"
#define NKGNS "https://w3id.org/newskg/ns#"


/* The stages up to this one. */
static void run(nkg_doc *doc, const char *text) {
  memset(doc, 0, sizeof *doc);
  doc->text = text;
  doc->len = strlen(text);
  assert_int_equal(nkg_text_segment(doc, lex), 0);
  assert_int_equal(nkg_mentions_find(doc, lex), 0);
  assert_int_equal(nkg_coref_doc(doc, lex), 0);
  assert_int_equal(nkg_relations_find(doc, lex), 0);
}

/* The entity one of whose names is `name` (case-insensitive), or -1. */
static int32_t entity(const nkg_doc *doc, const char *name) {
  for (size_t i = 0; i < doc->nentities; i++) {
    const nkg_dentity *e = &doc->entities[i];
    if (!nkg_strcasecmp_ascii(e->name, name))
      return (int32_t)i;
    for (size_t n = 0; n < e->nnames; n++)
      if (!nkg_strcasecmp_ascii(e->names[n], name))
        return (int32_t)i;
  }
  return -1;
}

static int32_t must_entity(const nkg_doc *doc, const char *name) {
  int32_t e = entity(doc, name);
  if (e < 0)
    fail_msg("no entity named \"%s\"", name);
  return e;
}

static const char *org_name(const nkg_doc *doc, int32_t org) {
  return org >= 0 ? doc->entities[org].name : "-";
}

static void dump(const nkg_doc *doc) {
  for (size_t i = 0; i < doc->nposts; i++) {
    const nkg_post *p = &doc->posts[i];
    fprintf(stderr, "  post: %s | %s | %s | in %s | former %d | %s\n",
            doc->entities[p->person].name, p->role, p->title,
            org_name(doc, p->org), p->former,
            p->qualifier ? p->qualifier : "-");
  }
}

/* The post of `person` with `role`, or NULL. */
static const nkg_post *post(const nkg_doc *doc, const char *person,
                            const char *role) {
  int32_t e = entity(doc, person);
  for (size_t i = 0; e >= 0 && i < doc->nposts; i++)
    if (doc->posts[i].person == e && !strcmp(doc->posts[i].role, role))
      return &doc->posts[i];
  return NULL;
}

static const nkg_post *must_post(const nkg_doc *doc, const char *person,
                                 const char *role, const char *org) {
  const nkg_post *p = post(doc, person, role);
  if (!p) {
    dump(doc);
    fail_msg("no post \"%s\" for %s", role, person);
  }
  if (org)
    assert_int_equal(p->org, must_entity(doc, org));
  else
    assert_int_equal(p->org, -1);
  return p;
}

static int member(const nkg_doc *doc, const char *who, const char *group) {
  int32_t m = entity(doc, who), g = entity(doc, group);
  for (size_t i = 0; m >= 0 && g >= 0 && i < doc->nmembers; i++)
    if (doc->members[i].member == m && doc->members[i].group == g)
      return 1;
  return 0;
}

static int tie(const nkg_doc *doc, const char *s, const char *pred,
               const char *o) {
  int32_t a = entity(doc, s), b = entity(doc, o);
  for (size_t i = 0; a >= 0 && b >= 0 && i < doc->nties; i++)
    if (doc->ties[i].subject == a && doc->ties[i].object == b &&
        !strcmp(doc->ties[i].predicate, pred))
      return 1;
  return 0;
}

/* The evidence span of a post as text. */
static char *evidence(const nkg_doc *doc, const nkg_post *p) {
  return nkg_span_text(doc, p->tb, p->te);
}

/* ---- titles before the name ------------------------------------------- */

static void test_title_with_nationality(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Acting Spanish Prime Minister Elena Vidal opened the summit "
            "on Tuesday.");
  const nkg_post *p = must_post(&doc, "Elena Vidal", "prime minister", "Spain");
  assert_string_equal(p->qualifier, "acting");
  assert_string_equal(p->title, "Acting Spanish Prime Minister");
  assert_int_equal(p->former, 0);
  char *ev = evidence(&doc, p);
  assert_string_equal(ev, "Acting Spanish Prime Minister Elena Vidal");
  free(ev);
  nkg_doc_free(&doc);
}

static void test_title_with_organization(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Hamas spokesman Sami Rahal denied the report, while United "
            "Nations Secretary General Karl Brandt called for calm.");
  must_post(&doc, "Sami Rahal", "spokesman", "Hamas");
  must_post(&doc, "Karl Brandt", "secretary general", "United Nations");
  /* people belong to what they lead or speak for */
  assert_true(member(&doc, "Sami Rahal", "Hamas"));
  assert_true(member(&doc, "Karl Brandt", "United Nations"));
  nkg_doc_free(&doc);
}

static void test_title_with_attribute_words(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Visitors met Labour political adviser Tom Reed. Later the "
            "ailing Prime Minister Paul Dore spoke briefly.");
  const nkg_post *p =
      must_post(&doc, "Tom Reed", "political adviser", "Labour");
  assert_string_equal(p->title, "political adviser");
  /* "ailing" follows no organization: it is not part of the title */
  p = must_post(&doc, "Paul Dore", "prime minister", NULL);
  assert_string_equal(p->title, "Prime Minister");
  nkg_doc_free(&doc);
}

static void test_possessive_and_lower_case_body(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Germany's foreign ministry spokesman Jonas Keller said the "
            "talks were over.");
  const nkg_post *p =
      must_post(&doc, "Jonas Keller", "spokesman", "German Foreign Ministry");
  assert_string_equal(p->title, "spokesman");
  int32_t ministry = must_entity(&doc, "foreign ministry");
  assert_int_equal(doc.entities[ministry].type, NKG_ORG);
  assert_true(
      tie(&doc, "German Foreign Ministry", NKGNS "governmentOf", "Germany"));
  assert_true(member(&doc, "Jonas Keller", "German Foreign Ministry"));
  nkg_doc_free(&doc);
  /* the body holds the post whatever the office ("official" is not a
   * state office, so "French" alone would be a nationality) */
  run(&doc, "A French defence ministry official, Paul Dore, said no.");
  must_post(&doc, "Paul Dore", "official", "French Defence Ministry");
  assert_true(
      tie(&doc, "French Defence Ministry", NKGNS "governmentOf", "France"));
  nkg_doc_free(&doc);
}

static void test_nationality_of_an_occupation(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "British actor Tom Hardy and Russian Defence Minister Ivan "
            "Sokolov were both in Rome.");
  /* a nationality, not the organization of the post */
  must_post(&doc, "Tom Hardy", "actor", NULL);
  must_post(&doc, "Ivan Sokolov", "defence minister", "Russia");
  nkg_doc_free(&doc);
}

static void test_compound_office_is_split(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "UN Secretary General Karl Brandt met Deputy Prime Minister "
            "Anna Berg.");
  must_post(&doc, "Karl Brandt", "secretary general", "United Nations");
  const nkg_post *p = must_post(&doc, "Anna Berg", "prime minister", NULL);
  assert_string_equal(p->qualifier, "deputy");
  assert_string_equal(p->title, "Deputy Prime Minister");
  nkg_doc_free(&doc);
}

static void test_former_posts(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Former Defence Secretary John Hale criticised the plan, and "
            "ex-president Paul Dore agreed. Former member of the Knesset "
            "Dan Levi stayed away.");
  const nkg_post *p = must_post(&doc, "John Hale", "defence secretary", NULL);
  assert_int_equal(p->former, 1);
  assert_string_equal(p->title, "Defence Secretary");
  p = must_post(&doc, "Paul Dore", "president", NULL);
  assert_int_equal(p->former, 1);
  p = must_post(&doc, "Dan Levi", "member", "Knesset");
  assert_int_equal(p->former, 1);
  /* a former member no longer belongs */
  assert_false(member(&doc, "Dan Levi", "Knesset"));
  nkg_doc_free(&doc);
}

/* ---- appositions after the name --------------------------------------- */

static void test_apposition_plain(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Tomas Berg, minister without portfolio, resigned on Friday.");
  const nkg_post *p =
      must_post(&doc, "Tomas Berg", "minister without portfolio", NULL);
  char *ev = evidence(&doc, p);
  assert_string_equal(ev, "Tomas Berg, minister without portfolio");
  free(ev);
  nkg_doc_free(&doc);
}

static void test_apposition_x_of_y(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Nadia Saleh, head of the political bureau of the ruling "
            "Islamic Resistance Movement Hamas party, spoke to reporters.");
  const nkg_post *p =
      must_post(&doc, "Nadia Saleh", "head of the political bureau", "Hamas");
  assert_string_equal(p->title, "head of the political bureau");
  /* the full and the short name are one organization */
  assert_int_equal(must_entity(&doc, "Islamic Resistance Movement"),
                   must_entity(&doc, "Hamas"));
  nkg_doc_free(&doc);
}

static void test_apposition_hyphenated_title(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Omar Haddad, a leader-in-exile of the Palestinian Hamas "
            "movement, gave an interview. Maria Lind, the president-elect, "
            "was absent.");
  must_post(&doc, "Omar Haddad", "leader-in-exile", "Hamas");
  const nkg_post *p = must_post(&doc, "Maria Lind", "president", NULL);
  assert_string_equal(p->qualifier, "elect");
  nkg_doc_free(&doc);
}

static void test_apposition_possessive(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "We spoke to Peter Hale, Britain's foreign secretary, on "
            "Monday.");
  must_post(&doc, "Peter Hale", "foreign secretary", "United Kingdom");
  nkg_doc_free(&doc);
}

static void test_title_comma_name(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "The French president, Jacques Dubois, arrived late. After "
            "talks with the Italian president, Dan Levi said nothing.");
  must_post(&doc, "Jacques Dubois", "president", "France");
  /* no closing comma: the title belongs to someone else */
  assert_null(post(&doc, "Dan Levi", "president"));
  nkg_doc_free(&doc);
}

/* ---- coordination ------------------------------------------------------ */

static void test_respectively(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Brazil's and Chile's Presidents, Ana Souza and Pedro Rojas, "
            "respectively, signed the pact.");
  must_post(&doc, "Ana Souza", "president", "Brazil");
  must_post(&doc, "Pedro Rojas", "president", "Chile");
  nkg_doc_free(&doc);
}

static void test_plural_title_before_people(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Foreign Ministers Anna Berg and Lars Holm met in Oslo. The "
            "French and German leaders, Jacques Dubois and Karl Brandt, "
            "joined them.");
  must_post(&doc, "Anna Berg", "foreign minister", NULL);
  must_post(&doc, "Lars Holm", "foreign minister", NULL);
  must_post(&doc, "Jacques Dubois", "leader", "France");
  must_post(&doc, "Karl Brandt", "leader", "Germany");
  nkg_doc_free(&doc);
}

static void test_post_named_before_and_after(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Russian Foreign Minister Ivan Petrov arrived in Cairo. "
            "Petrov, the foreign minister, said little. Later Foreign "
            "Minister Petrov left.");
  int32_t person = must_entity(&doc, "Ivan Petrov");
  int32_t russia = must_entity(&doc, "Russia");
  size_t n = 0;
  for (size_t i = 0; i < doc.nposts; i++) {
    if (doc.posts[i].person != person)
      continue;
    n++;
    /* one role, one organization, whichever way it was written */
    assert_string_equal(doc.posts[i].role, "foreign minister");
    assert_int_equal(doc.posts[i].org, russia);
  }
  assert_int_equal(n, 3);
  nkg_doc_free(&doc);
}

/* ---- negative cases ----------------------------------------------------- */

static void test_title_without_person(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "The Prime Minister said the talks would continue. Tom Reed "
            "was not there. The president, however, was.");
  if (doc.nposts)
    dump(&doc);
  assert_int_equal(doc.nposts, 0);
  nkg_doc_free(&doc);
}

static void test_namesakes_stay_apart(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Omri Sharon, the son of former prime minister Ariel Sharon, "
            "was questioned. Ariel Sharon did not comment.");
  int32_t son = must_entity(&doc, "Omri Sharon");
  int32_t father = must_entity(&doc, "Ariel Sharon");
  assert_int_not_equal(son, father);
  assert_true(tie(&doc, "Omri Sharon", SCHEMA "parent", "Ariel Sharon"));
  assert_false(tie(&doc, "Ariel Sharon", SCHEMA "parent", "Omri Sharon"));
  const nkg_post *p = must_post(&doc, "Ariel Sharon", "prime minister", NULL);
  assert_int_equal(p->former, 1);
  assert_null(post(&doc, "Omri Sharon", "prime minister"));
  nkg_doc_free(&doc);
}

static void test_no_post_from_a_verb(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Champions Tom Reed and the team celebrated. Reporters said "
            "Lars Holm, who had led the party, was pleased.");
  if (doc.nposts)
    dump(&doc);
  assert_null(post(&doc, "Tom Reed", "champion"));
  assert_int_equal(doc.nposts, 0);
  nkg_doc_free(&doc);
}

static void test_title_of_the_next_name(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Without winger Tom Reed, coach Lars Holm picked a young side.");
  must_post(&doc, "Tom Reed", "winger", NULL);
  must_post(&doc, "Lars Holm", "coach", NULL);
  /* the title after the comma is Holm's, not an apposition of Reed */
  assert_null(post(&doc, "Tom Reed", "coach"));
  nkg_doc_free(&doc);
}

/* ---- family -----------------------------------------------------------------
 */

static void test_family(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Peter Dalton's wife, Ruth Dalton, attended. Lars Holm, father "
            "of the striker Anna Holm, watched. Karl Brandt is the younger "
            "brother of Paul Brandt.");
  assert_true(tie(&doc, "Ruth Dalton", SCHEMA "spouse", "Peter Dalton"));
  /* the father: the daughter's parent */
  assert_true(tie(&doc, "Lars Holm", SCHEMA "children", "Anna Holm"));
  assert_true(tie(&doc, "Karl Brandt", SCHEMA "sibling", "Paul Brandt"));
  nkg_doc_free(&doc);
}

/* ---- groups
 * ------------------------------------------------------------------- */

static void test_bracketed_group(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Envoys of the Middle East Quartet [Russia, the EU, US and UN] "
            "met in Vienna. Later the European Union and the United States "
            "said more.");
  const char *members[] = {"Russia", "European Union", "United States",
                           "United Nations"};
  for (size_t i = 0; i < 4; i++)
    assert_true(member(&doc, members[i], "Quartet"));
  assert_int_equal(doc.nmembers, 4);
  /* written as acronym or in full: one entity */
  assert_int_equal(must_entity(&doc, "EU"),
                   must_entity(&doc, "European Union"));
  assert_int_equal(must_entity(&doc, "US"), must_entity(&doc, "United States"));
  nkg_doc_free(&doc);
}

static void test_running_list_group(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Diplomats say the quartet comprises Russia, the United States, "
            "the European Union and the United Nations.");
  const char *members[] = {"Russia", "European Union", "United States",
                           "United Nations"};
  for (size_t i = 0; i < 4; i++)
    assert_true(member(&doc, members[i], "Quartet"));
  nkg_doc_free(&doc);
}

static void test_member_of(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Poland, a member of Nato, objected. France and Germany are "
            "members of the European Union.");
  assert_true(member(&doc, "Poland", "NATO"));
  assert_true(member(&doc, "France", "European Union"));
  assert_true(member(&doc, "Germany", "European Union"));
  nkg_doc_free(&doc);
}

/* ---- organizations --------------------------------------------------------
 */

static void test_organization_ties(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "Viewers of the Qatar-based Al-Jazeera network complained. "
            "Russia's state-owned gas firm Gazprom raised prices. Opel, a "
            "subsidiary of General Motors, cut jobs.");
  assert_true(tie(&doc, "Al-Jazeera", NKGNS "basedIn", "Qatar"));
  assert_true(tie(&doc, "Gazprom", NKGNS "ownedBy", "Russia"));
  assert_true(tie(&doc, "Opel", SCHEMA "parentOrganization", "General Motors"));
  nkg_doc_free(&doc);
}

static void test_defined_acronym(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "The Northern Water Council (NWC) raised charges. NWC chairman "
            "Brian Kells defended the rise.");
  must_post(&doc, "Brian Kells", "chairman", "Northern Water Council");
  assert_int_equal(must_entity(&doc, "NWC"),
                   must_entity(&doc, "Northern Water Council"));
  nkg_doc_free(&doc);
}

static void test_government_body_belongs_to_country(void **state) {
  (void)state;
  nkg_doc doc;
  run(&doc, "A State Department official declined to comment.");
  assert_true(
      tie(&doc, "State Department", NKGNS "governmentOf", "United States"));
  nkg_doc_free(&doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_title_with_nationality),
      cmocka_unit_test(test_title_with_organization),
      cmocka_unit_test(test_title_with_attribute_words),
      cmocka_unit_test(test_possessive_and_lower_case_body),
      cmocka_unit_test(test_nationality_of_an_occupation),
      cmocka_unit_test(test_compound_office_is_split),
      cmocka_unit_test(test_former_posts),
      cmocka_unit_test(test_apposition_plain),
      cmocka_unit_test(test_apposition_x_of_y),
      cmocka_unit_test(test_apposition_hyphenated_title),
      cmocka_unit_test(test_apposition_possessive),
      cmocka_unit_test(test_title_comma_name),
      cmocka_unit_test(test_respectively),
      cmocka_unit_test(test_plural_title_before_people),
      cmocka_unit_test(test_post_named_before_and_after),
      cmocka_unit_test(test_title_without_person),
      cmocka_unit_test(test_namesakes_stay_apart),
      cmocka_unit_test(test_no_post_from_a_verb),
      cmocka_unit_test(test_title_of_the_next_name),
      cmocka_unit_test(test_family),
      cmocka_unit_test(test_bracketed_group),
      cmocka_unit_test(test_running_list_group),
      cmocka_unit_test(test_member_of),
      cmocka_unit_test(test_organization_ties),
      cmocka_unit_test(test_defined_acronym),
      cmocka_unit_test(test_government_body_belongs_to_country),
  };
  return cmocka_run_group_tests(tests, nkg_test_setup, nkg_test_teardown);
}
