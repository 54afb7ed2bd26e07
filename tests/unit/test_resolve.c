/* Resolution across articles: a labelled set of name pairs (same entity /
 * different entities: transliteration variants, acronyms and look-alikes),
 * with the matcher's precision and recall asserted and printed. */
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


typedef struct pair {
  int type;
  const char *a, *b;
  int same;
} pair;

static const pair pairs[] = {
    /* transliteration variants of one person */
    {NKG_PER, "Khaled Mashaal", "Khalid Mashal", 1},
    {NKG_PER, "Khaled Mashaal", "Khaled Meshaal", 1},
    {NKG_PER, "Khalid Mashal", "Khaled Meshaal", 1},
    {NKG_PER, "Ehud Olmert", "Ihud Olmert", 1},
    {NKG_PER, "Mohammed ElBaradei", "Mohamed ElBaradei", 1},
    {NKG_PER, "Muhammad Yunus", "Mohammad Yunus", 1},
    {NKG_PER, "Osama bin Laden", "Usama bin Laden", 1},
    {NKG_PER, "Mahmoud Abbas", "Mahmud Abbas", 1},
    {NKG_PER, "Vladimir Putin", "Wladimir Putin", 1},
    {NKG_PER, "Sergei Lavrov", "Sergey Lavrov", 1},
    {NKG_PER, "Mikhail Gorbachev", "Mikhail Gorbachov", 1},
    {NKG_PER, "Boris Yeltsin", "Boris Eltsin", 1},
    {NKG_PER, "Yasser Arafat", "Yasir Arafat", 1},
    {NKG_PER, "Hosni Mubarak", "Husni Mubarak", 1},
    {NKG_PER, "Saddam Hussein", "Saddam Husayn", 1},
    {NKG_PER, "Nouri al-Maliki", "Nuri al-Maliki", 1},
    {NKG_PER, "Recep Erdogan", "Recep Erdo\xc4\x9f" "an", 1},
    {NKG_PER, "Gerhard Schroeder", "Gerhard Schr\xc3\xb6" "der", 1},
    {NKG_PER, "Abu Musab al-Zarqawi", "Abu Musab al-Zarkawi", 1},
    {NKG_PER, "Tzachi Hanegbi", "Tsachi Hanegbi", 1},
    {NKG_PER, "Hamid Karzai", "Hamed Karzai", 1},
    {NKG_PER, "Pervez Musharraf", "Parvez Musharraf", 1},
    {NKG_PER, "Kofi Annan", "Kofi Anan", 1},
    {NKG_PER, "Aleksandr Lukashenko", "Alexander Lukashenko", 1},
    {NKG_PER, "Mikheil Saakashvili", "Mikhail Saakashvili", 1},
    {NKG_PER, "Viktor Yushchenko", "Victor Yushchenko", 1},
    {NKG_PER, "Yulia Tymoshenko", "Yulia Timoshenko", 1},
    {NKG_PER, "Hugo Chavez", "Hugo Ch\xc3\xa1vez", 1},
    {NKG_PER, "George W. Bush", "George Bush", 1},
    {NKG_PER, "Muammar Gaddafi", "Muammar Qaddafi", 1},
    {NKG_PER, "Ismail Haniyeh", "Ismail Haniya", 1},
    {NKG_PER, "Moqtada al-Sadr", "Muqtada al-Sadr", 1},
    {NKG_PER, "Youssef al-Mabrouk", "Yusuf Mabruk", 1},
    /* known organizations and places under acronyms and full names */
    {NKG_ORG, "EU", "European Union", 1},
    {NKG_ORG, "UN", "United Nations", 1},
    {NKG_LOC, "US", "United States", 1},
    {NKG_LOC, "UK", "Britain", 1},
    {NKG_ORG, "Nato", "North Atlantic Treaty Organization", 1},
    {NKG_ORG, "Hamas", "Islamic Resistance Movement", 1},
    {NKG_ORG, "Al-Arabiya", "Al Arabiya", 1},
    {NKG_ORG, "BBC", "British Broadcasting Corporation", 1},
    {NKG_ORG, "AFP", "Agence France-Presse", 1},
    {NKG_LOC, "Russia", "Russian Federation", 1},
    /* look-alikes: different people */
    {NKG_PER, "Ariel Sharon", "Omri Sharon", 0},
    {NKG_PER, "Azmat Begg", "Moazzam Begg", 0},
    {NKG_PER, "George Bush", "Laura Bush", 0},
    {NKG_PER, "Tony Blair", "Cherie Blair", 0},
    {NKG_PER, "Hillary Clinton", "Bill Clinton", 0},
    {NKG_PER, "Raul Castro", "Fidel Castro", 0},
    {NKG_PER, "Benazir Bhutto", "Zulfikar Bhutto", 0},
    {NKG_PER, "Ehud Barak", "Ehud Olmert", 0},
    {NKG_PER, "Mark Regev", "Mark Reeves", 0},
    {NKG_PER, "Kim Jong-il", "Kim Jong-un", 0},
    {NKG_PER, "Mohammed Ali", "Mohammed Atta", 0},
    {NKG_PER, "Serena Williams", "Venus Williams", 0},
    {NKG_PER, "Andy Murray", "Jamie Murray", 0},
    {NKG_PER, "Peter Mandelson", "Peter Mandela", 0},
    {NKG_PER, "Khaled Mashaal", "Khalid Sheikh Mohammed", 0},
    {NKG_PER, "Mahmoud Abbas", "Mahmoud Ahmadinejad", 0},
    {NKG_PER, "Thabo Mbeki", "Govan Mbeki", 0},
    {NKG_PER, "Hosni Mubarak", "Gamal Mubarak", 0},
    {NKG_PER, "Bashar al-Assad", "Hafez al-Assad", 0},
    {NKG_PER, "Robert Mugabe", "Grace Mugabe", 0},
    {NKG_PER, "Ian Smith", "Ann Smith", 0},
    {NKG_PER, "Dean Smith", "Diane Smith", 0},
    {NKG_PER, "Ali Khan", "Ola Khan", 0},
    {NKG_PER, "Jack Straw", "Jake Straw", 0},
    {NKG_PER, "C Jones", "D Jones", 0},
    {NKG_PER, "Currie", "Kerry", 0},
    /* look-alike places and organizations */
    {NKG_LOC, "Austria", "Australia", 0},
    {NKG_LOC, "Niger", "Nigeria", 0},
    {NKG_LOC, "Iran", "Iraq", 0},
    {NKG_LOC, "Slovakia", "Slovenia", 0},
    {NKG_LOC, "Sudan", "South Sudan", 0},
    {NKG_ORG, "Fatah", "Hamas", 0},
    {NKG_ORG, "Labour", "Likud", 0},
};

static void test_pairs(void **state) {
  (void)state;
  size_t tp = 0, fp = 0, fn = 0, tn = 0;
  size_t n = sizeof pairs / sizeof *pairs;
  for (size_t i = 0; i < n; i++) {
    char *ka = nkg_name_key(lex, pairs[i].type, pairs[i].a);
    char *kb = nkg_name_key(lex, pairs[i].type, pairs[i].b);
    assert_non_null(ka);
    assert_non_null(kb);
    int same = !strcmp(ka, kb);
    if (same && pairs[i].same)
      tp++;
    else if (same)
      fp++, printf("  joined, but different: %s / %s (%s)\n", pairs[i].a,
                   pairs[i].b, ka);
    else if (pairs[i].same)
      fn++, printf("  kept apart, but same: %s (%s) / %s (%s)\n", pairs[i].a,
                   ka, pairs[i].b, kb);
    else
      tn++;
    free(ka);
    free(kb);
  }
  double precision = tp + fp ? (double)tp / (double)(tp + fp) : 1.0;
  double recall = tp + fn ? (double)tp / (double)(tp + fn) : 1.0;
  printf("name pairs: %zu (%zu same, %zu different); precision %.3f, "
         "recall %.3f\n",
         n, tp + fn, fp + tn, precision, recall);
  assert_true(n >= 60);
  assert_true(precision >= 0.95);
  assert_true(recall >= 0.90);
}

static void test_skeleton_is_order_free_and_stable(void **state) {
  (void)state;
  char *a = nkg_name_skeleton("Khaled Mashaal");
  char *b = nkg_name_skeleton("KHALED  MASHAAL");
  assert_string_equal(a, b);
  assert_string_equal(a, "kld2-msl2");
  free(a);
  free(b);
  /* a name in a non-Latin script still gets a usable key */
  nkg_dentity e;
  memset(&e, 0, sizeof e);
  e.name = "\xd0\x9f\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd"; /* Cyrillic Putin */
  e.type = NKG_PER;
  char *k = nkg_entity_key(&e);
  assert_non_null(k);
  assert_true(strlen(k) > strlen("person/"));
  free(k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pairs),
      cmocka_unit_test(test_skeleton_is_order_free_and_stable),
  };
  return cmocka_run_group_tests(tests, nkg_test_setup, nkg_test_teardown);
}
