/* The store, the query path and the exports through their C interfaces:
 * validation and statuses, reports of an add, locks, error messages with
 * file and line, result and export formats. The integration tests
 * (test_store.sh, test_query.sh, test_export.sh) compare whole graphs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"
#include "support.h"
#include "rdf/dataset.h"
#include "rdf/export.h"
#include "rdf/store.h"

static char dir[64];

static int setup(void **state) {
  strcpy(dir, "/tmp/newskg-test_store.XXXXXX");
  if (!mkdtemp(dir))
    return -1;
  return nkg_test_setup(state);
}

static int teardown(void **state) {
  nkg_test_teardown(state);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static char *path_of(const char *name) {
  static char buf[4][128];
  static int next;
  char *p = buf[next++ % 4];
  snprintf(p, 128, "%s/%s", dir, name);
  return p;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* The whole of a FILE* written so far, as a new string. */
static char *contents(FILE *f) {
  long n = ftell(f);
  char *s = malloc((size_t)n + 1);
  assert_non_null(s);
  rewind(f);
  assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
  s[n] = '\0';
  return s;
}

static const char article1[] =
    "Russian Foreign Minister Sergei Lavrov met Ehud Olmert in Moscow.\n\n"
    "Lavrov said the talks were useful.\n";
static const char article2[] =
    "Ehud Olmert visited Paris on Monday.\n\nOlmert met French officials.\n";

static void test_read_missing_store(void **state) {
  (void)state;
  nkg_store *st = NULL;
  char err[512] = "";
  assert_int_equal(
      nkg_store_open(&st, path_of("none.db"), NKG_STORE_READ, err, sizeof err),
      NKG_ERR_IO);
  assert_null(st);
  assert_non_null(strstr(err, "none.db"));
  assert_non_null(strstr(err, "no such store"));
}

static void test_add_validates(void **state) {
  (void)state;
  nkg_store *st = NULL;
  char err[512] = "";
  assert_int_equal(
      nkg_store_open(&st, path_of("v.db"), NKG_STORE_WRITE, err, sizeof err),
      0);
  size_t at = 0;
  assert_int_equal(nkg_store_add(st, "a", "ok \xc3(", 5, NULL, NULL, &at),
                   NKG_ERR_UTF8);
  assert_int_equal(at, 3);
  assert_int_equal(nkg_store_add(st, "a", " \n\t ", 4, NULL, NULL, NULL),
                   NKG_ERR_EMPTY);
  assert_int_equal(nkg_store_add(st, "a", "text", 4, "2024-13-01", NULL, NULL),
                   NKG_ERR_ARG);
  assert_int_equal(nkg_store_add(st, "", "text", 4, NULL, NULL, NULL),
                   NKG_ERR_ARG);
  assert_int_equal(nkg_store_add(st, "a", "text", 4, NULL, NULL, NULL), 0);
  assert_int_equal(nkg_store_add(st, "a", "other", 5, NULL, NULL, NULL),
                   NKG_ERR_DUPLICATE);
  nkg_store_free(st);
  /* a reader cannot add */
  assert_int_equal(
      nkg_store_open(&st, path_of("v.db"), NKG_STORE_READ, err, sizeof err), 0);
  assert_int_equal(nkg_store_add(st, "b", "text", 4, NULL, NULL, NULL),
                   NKG_ERR_ARG);
  nkg_store_free(st);
  nkg_store_free(NULL);
}

static void commit(const char *name, const char *id1, const char *text1,
                   const char *id2, const char *text2, nkg_store_report *r) {
  nkg_store *st = NULL;
  nkg_options *opts = nkg_options_new();
  char err[512] = "";
  assert_int_equal(
      nkg_store_open(&st, path_of(name), NKG_STORE_WRITE, err, sizeof err), 0);
  if (id1)
    assert_int_equal(
        nkg_store_add(st, id1, text1, strlen(text1), NULL, NULL, NULL), 0);
  if (id2)
    assert_int_equal(
        nkg_store_add(st, id2, text2, strlen(text2), NULL, NULL, NULL), 0);
  assert_int_equal(nkg_store_commit(st, lex, opts, r, err, sizeof err), 0);
  nkg_store_free(st);
  nkg_options_free(opts);
}

static void test_adds_report_what_changed(void **state) {
  (void)state;
  nkg_store_report r;
  commit("r.db", "one", article1, NULL, NULL, &r);
  assert_int_equal(r.added, 1);
  assert_int_equal(r.articles, 1);
  assert_true(r.triples > 20);
  assert_true(r.added_triples > 0);
  assert_true(r.stats.entities >= 3); /* Lavrov, Olmert, Moscow, Russia */
  size_t first = r.triples;

  commit("r.db", "one", article1, "two", article2, &r);
  assert_int_equal(r.added, 1);
  assert_int_equal(r.unchanged, 1);
  assert_int_equal(r.changed, 0);
  assert_int_equal(r.articles, 2);
  assert_true(r.triples > first);
  size_t both = r.triples;

  /* nothing new: nothing written */
  commit("r.db", "two", article2, NULL, NULL, &r);
  assert_int_equal(r.unchanged, 1);
  assert_int_equal(r.added + r.changed + r.added_triples + r.removed_triples,
                   0);
  assert_int_equal(r.articles, 2);

  /* a changed text replaces the article's facts */
  commit("r.db", "two", "Ehud Olmert stayed at home.\n", NULL, NULL, &r);
  assert_int_equal(r.changed, 1);
  assert_true(r.triples < both);
}

static void test_base_and_locks(void **state) {
  (void)state;
  nkg_store_report r;
  commit("b.db", "one", article1, NULL, NULL, &r);
  nkg_store *st = NULL, *other = NULL;
  char err[512] = "";
  assert_int_equal(
      nkg_store_open(&st, path_of("b.db"), NKG_STORE_WRITE, err, sizeof err),
      0);
  assert_string_equal(nkg_store_base(st), "http://example.org/newskg/");
  assert_int_equal(nkg_store_text(st), 0);
  /* a reader is refused while the writer holds the store */
  assert_int_equal(
      nkg_store_open(&other, path_of("b.db"), NKG_STORE_READ, err, sizeof err),
      NKG_ERR_IO);
  assert_non_null(strstr(err, "being updated"));
  nkg_options *opts = nkg_options_new();
  assert_int_equal(nkg_options_set_base(opts, "http://other.example/"), 0);
  assert_int_equal(
      nkg_store_add(st, "two", article2, strlen(article2), NULL, NULL, NULL),
      0);
  assert_int_equal(nkg_store_commit(st, lex, opts, &r, err, sizeof err),
                   NKG_ERR_ARG);
  assert_non_null(strstr(err, "http://example.org/newskg/"));
  nkg_options_free(opts);
  nkg_store_free(st);
  /* readers share it; a writer is refused beside them */
  assert_int_equal(
      nkg_store_open(&st, path_of("b.db"), NKG_STORE_READ, err, sizeof err), 0);
  assert_int_equal(
      nkg_store_open(&other, path_of("b.db"), NKG_STORE_READ, err, sizeof err),
      0);
  nkg_store *writer = NULL;
  assert_int_equal(nkg_store_open(&writer, path_of("b.db"), NKG_STORE_WRITE,
                                  err, sizeof err),
                   NKG_ERR_IO);
  assert_non_null(strstr(err, "in use"));
  nkg_store_free(other);
  nkg_store_free(st);
}

static void test_not_a_store(void **state) {
  (void)state;
  write_file(path_of("junk.db"), "this is not SQLite\n");
  nkg_store *st = NULL;
  char err[512] = "";
  assert_int_equal(
      nkg_store_open(&st, path_of("junk.db"), NKG_STORE_READ, err, sizeof err),
      NKG_ERR_IO);
  assert_non_null(strstr(err, "junk.db"));
}

static const char small_ttl[] =
    "@prefix schema: <http://schema.org/> .\n"
    "@prefix org: <http://www.w3.org/ns/org#> .\n"
    "<http://x.example/p> a schema:Person ; schema:name \"Ann, \\\"A\\\"\" ;\n"
    "  org:memberOf <http://x.example/o> .\n"
    "<http://x.example/o> a schema:Organization ; schema:name \"Org\" ;\n"
    "  org:hasMember <http://x.example/p> .\n";

static void test_load_errors_name_file_and_line(void **state) {
  (void)state;
  write_file(path_of("bad.ttl"), "@prefix s: <http://schema.org/> .\n"
                                 "<a:x> s:name \"ok\" .\n"
                                 "<a:y> s:name \"broken .\n");
  char *paths[] = {path_of("bad.ttl")};
  nkg_dataset *ds = NULL;
  char err[512] = "";
  assert_int_equal(nkg_dataset_load(&ds, paths, 1, err, sizeof err),
                   NKG_ERR_RDF);
  assert_null(ds);
  assert_non_null(strstr(err, "bad.ttl: line 3"));
  char *missing[] = {path_of("none.ttl")};
  assert_int_equal(nkg_dataset_load(&ds, missing, 1, err, sizeof err),
                   NKG_ERR_IO);
  assert_non_null(strstr(err, "none.ttl"));
}

static void test_query_formats(void **state) {
  (void)state;
  write_file(path_of("small.ttl"), small_ttl);
  char *paths[] = {path_of("small.ttl")};
  nkg_dataset *ds = NULL;
  char err[512] = "";
  assert_int_equal(nkg_dataset_load(&ds, paths, 1, err, sizeof err), 0);
  assert_int_equal(nkg_dataset_size(ds), 6);
  const char *q = "PREFIX schema: <http://schema.org/> SELECT ?p ?n ?x "
                  "WHERE { ?p a schema:Person ; schema:name ?n }";
  struct {
    const char *format, *want;
  } cases[] = {
      {"csv", "p,n,x\r\nhttp://x.example/p,\"Ann, \"\"A\"\"\",\r\n"},
      {"tsv", "?p\t?n\t?x\n<http://x.example/p>\t\"Ann, \\\"A\\\"\"\t\n"},
      {"json",
       "\"n\": { \"type\": \"literal\", \"value\": \"Ann, \\\"A\\\"\" }"},
      {"xml", "<binding name=\"n\"><literal>Ann, &quot;A&quot;</literal>"},
      {"table", "p                     n         x\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    FILE *f = tmpfile();
    size_t rows = 0;
    assert_int_equal(nkg_dataset_query(ds, q, "query", cases[i].format, f,
                                       &rows, err, sizeof err),
                     0);
    assert_int_equal(rows, 1);
    char *s = contents(f);
    if (!strstr(s, cases[i].want))
      fail_msg("%s: %s", cases[i].format, s);
    /* an unbound variable is left out, never written as "unbound" */
    assert_null(strstr(s, "unbound"));
    free(s);
    fclose(f);
  }
  FILE *f = tmpfile();
  size_t rows = 0;
  assert_int_equal(nkg_dataset_query(ds, "ASK { ?s ?p ?o }", "query", "json", f,
                                     &rows, err, sizeof err),
                   0);
  char *s = contents(f);
  assert_non_null(strstr(s, "\"boolean\": true"));
  free(s);
  fclose(f);
  f = tmpfile();
  assert_int_equal(
      nkg_dataset_query(ds, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "q.rq",
                        "csv", f, &rows, err, sizeof err),
      NKG_ERR_ARG);
  assert_non_null(strstr(err, "q.rq"));
  assert_int_equal(nkg_dataset_query(ds, "SELECT ?x WHERE {", "q.rq", "csv", f,
                                     &rows, err, sizeof err),
                   NKG_ERR_ARG);
  assert_non_null(strstr(err, "q.rq: line 1"));
  assert_int_equal(
      nkg_dataset_query(ds, "ASK {}", "q", "yaml", f, &rows, err, sizeof err),
      NKG_ERR_ARG);
  fclose(f);
  nkg_dataset_free(ds);
  nkg_dataset_free(NULL);
}

static void test_export_draws_one_direction(void **state) {
  (void)state;
  write_file(path_of("small.ttl"), small_ttl);
  char *paths[] = {path_of("small.ttl")};
  nkg_dataset *ds = NULL;
  char err[512] = "";
  assert_int_equal(nkg_dataset_load(&ds, paths, 1, err, sizeof err), 0);
  FILE *f = tmpfile();
  size_t nodes = 0, edges = 0;
  assert_int_equal(nkg_export(ds, "dot", f, &nodes, &edges, err, sizeof err),
                   0);
  assert_int_equal(nodes, 2);
  assert_int_equal(edges, 1); /* memberOf, not also hasMember */
  char *s = contents(f);
  assert_non_null(strstr(s, "label=\"Ann, \\\"A\\\"\""));
  assert_non_null(strstr(s, "label=\"member of\""));
  free(s);
  fclose(f);
  f = tmpfile();
  assert_int_equal(
      nkg_export(ds, "graphml", f, &nodes, &edges, err, sizeof err), 0);
  s = contents(f);
  assert_non_null(strstr(s, "<data key=\"label\">Ann, &quot;A&quot;</data>"));
  assert_non_null(strstr(s, "<data key=\"type\">Organization</data>"));
  free(s);
  fclose(f);
  assert_int_equal(
      nkg_export(ds, "png", stdout, &nodes, &edges, err, sizeof err),
      NKG_ERR_ARG);
  nkg_dataset_free(ds);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_read_missing_store),
      cmocka_unit_test(test_add_validates),
      cmocka_unit_test(test_adds_report_what_changed),
      cmocka_unit_test(test_base_and_locks),
      cmocka_unit_test(test_not_a_store),
      cmocka_unit_test(test_load_errors_name_file_and_line),
      cmocka_unit_test(test_query_formats),
      cmocka_unit_test(test_export_draws_one_direction),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
