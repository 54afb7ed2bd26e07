/* The Turtle nkg_test_writer of src/rdf/turtle.c writes what raptor's own
 * "turtle" serializer writes, byte for byte: random statements over a few
 * subjects (so that predicates and objects group and repeat), with IRIs that
 * are and are not written as prefixed names (local names that start with a
 * digit, hold '.', start with '_' or a non-ASCII letter, a bare
 * namespace, the undeclared xml: namespace, rdf:type and rdf:nil),
 * literals full of what needs escaping or cleaning (quotes, backslashes,
 * line ends that make long strings, control characters, non-ASCII),
 * datatypes with and without bare forms, and repeated statements. Also:
 * the exact text of a small graph, a refused IRI, an illegal xsd:integer,
 * and a failing output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <redland.h>

#include "rdf/backend.h"
#include "support.h"

static const char *const lit_pieces[] = {"a",
                                         "Z",
                                         "0",
                                         " ",
                                         "\"",
                                         "\\",
                                         "\n",
                                         "\r",
                                         "\r\n",
                                         "\t",
                                         "\x01",
                                         "\x7f",
                                         "\x0b",
                                         "<",
                                         ">",
                                         "'",
                                         "\"\"\"",
                                         "\xc2\x80",
                                         "\xc3\xa9",
                                         "\xe2\x80\x9c",
                                         "\xef\xbf\xbe",
                                         "\xf0\x9f\x98\x80",
                                         "\xff",
                                         "\xc3",
                                         "5"};
#define NLIT (sizeof lit_pieces / sizeof *lit_pieces)

/* IRIs: local names that raptor does and does not write as qnames */
static const char *const iri_pool[] = {
    "http://example.org/newskg/doc/1",
    "http://example.org/newskg/doc/1#char=0,5",
    "http://example.org/newskg/doc/10",
    "http://example.org/newskg/doc/2",
    "http://example.org/newskg/doc/\xc3\xa9t\xc3\xa9",
    "http://example.org/newskg/a b<c>{d}|^`\\\"e",
    "http://example.org/newskg/del\x7f",
    NKG_NS "Person",
    NKG_NS "1st",
    NKG_NS "a.b",
    NKG_NS "_x",
    NKG_NS "-x",
    NKG_NS "x-y_z9",
    NKG_NS "\xc3\xa9t\xc3\xa9",
    NKG_NS "t\xc3\xa9",
    NKG_NS "a/b",
    NKG_NS "a:b",
    NKG_NS "a#b",
    NKG_NS,
    SCHEMA_NS "Person",
    RDF_NS "nil",
    RDF_NS "type",
    "http://www.w3.org/XML/1998/namespacelang",
    "http://www.w3.org/2006/time#inXSDDate",
};
#define NIRIS (sizeof iri_pool / sizeof *iri_pool)

static const char *const datatypes[] = {
    NULL,
    NULL,
    XSD_NS "string",
    XSD_NS "date",
    XSD_NS "nonNegativeInteger",
    NKG_NS "1dt",
    NKG_NS "d.t",
    "http://example.org/dt",
};
#define NDT (sizeof datatypes / sizeof *datatypes)

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;
static unsigned next(void) { return nkg_test_next(&rng); }

static char *random_literal(size_t *len) {
  return nkg_test_random_text(lit_pieces, NLIT, 6, &rng, len);
}

static raptor_world *world(void) {
  return librdf_world_get_raptor(nkg_rdf_world());
}

/* raptor's Turtle serializer with the prefixes newskg declares */
static raptor_serializer *raptor_turtle(nkg_test_writer *w) {
  raptor_serializer *ser = raptor_new_serializer(world(), "turtle");
  assert_non_null(ser);
  const char *prefix, *ns;
  for (size_t i = 0; nkg_rdf_prefix_at(i, &prefix, &ns); i++) {
    raptor_uri *u = raptor_new_uri(world(), (const unsigned char *)ns);
    raptor_serializer_set_namespace(ser, u, (const unsigned char *)prefix);
    raptor_free_uri(u);
  }
  assert_int_equal(raptor_serializer_start_to_file_handle(ser, NULL, w->f), 0);
  return ser;
}

static void raptor_add(raptor_serializer *ser, const char *s, const char *p,
                       const char *iri, const char *lit, size_t len,
                       const char *datatype) {
  nkg_test_raptor_add(ser, s, p, iri, lit, len, datatype, NULL);
}

static void test_turtle_as_raptor(void **state) {
  (void)state;
  nkg_test_writer ours, theirs;
  nkg_test_writer_open(&ours);
  nkg_test_writer_open(&theirs);
  nkg_rdf *rdf;
  assert_int_equal(nkg_rdf_open(&rdf, "turtle", ours.f, NULL, 0), 0);
  raptor_serializer *ser = raptor_turtle(&theirs);
  size_t count = 0;
  for (int i = 0; i < 4000; i++) {
    const char *s = iri_pool[next() % NIRIS];
    const char *p = iri_pool[next() % NIRIS];
    unsigned what = next() % 5;
    if (what == 0) {
      const char *o = iri_pool[next() % NIRIS];
      assert_int_equal(nkg_rdf_iri(rdf, s, p, o), 0);
      raptor_add(ser, s, p, o, NULL, 0, NULL);
    } else if (what == 1) {
      unsigned long long v = next() % 30;
      assert_int_equal(nkg_rdf_uint(rdf, s, p, v), 0);
      char num[32];
      snprintf(num, sizeof num, "%llu", v);
      raptor_add(ser, s, p, NULL, num, strlen(num),
                 XSD_NS "nonNegativeInteger");
    } else if (what == 2) {
      int v = (int)(next() & 1);
      assert_int_equal(nkg_rdf_bool(rdf, s, p, v), 0);
      raptor_add(ser, s, p, NULL, v ? "true" : "false", v ? 4 : 5,
                 XSD_NS "boolean");
    } else {
      size_t n;
      char *lit = random_literal(&n);
      const char *dt = datatypes[next() % NDT];
      assert_int_equal(nkg_rdf_lit_n(rdf, s, p, lit, n, dt), 0);
      raptor_add(ser, s, p, NULL, lit, n, dt);
      free(lit);
    }
    count++;
  }
  nkg_test_finish_same(rdf, ser, &ours, &theirs, count, 10000);
}

/* The layout, spelled out. */
static void test_turtle_text(void **state) {
  (void)state;
  nkg_test_writer w;
  nkg_rdf *rdf = nkg_test_sink("turtle", &w);
  const char *d = "http://example.org/newskg/doc/1";
  const char *e = "http://example.org/newskg/doc/1#char=0,4";
  assert_int_equal(nkg_rdf_iri(rdf, e, RDF_NS "type", NIF_NS "Phrase"), 0);
  assert_int_equal(nkg_rdf_lit(rdf, e, NIF_NS "anchorOf", "Tab\there", NULL),
                   0);
  assert_int_equal(nkg_rdf_uint(rdf, e, NIF_NS "endIndex", 4), 0);
  assert_int_equal(nkg_rdf_uint(rdf, e, NIF_NS "beginIndex", 0), 0);
  assert_int_equal(nkg_rdf_iri(rdf, e, RDF_NS "type", NIF_NS "String"), 0);
  assert_int_equal(nkg_rdf_iri(rdf, e, RDF_NS "type", NIF_NS "Phrase"), 0);
  assert_int_equal(
      nkg_rdf_lit(rdf, d, SCHEMA_NS "text", "Say \"hi\"\r\nC:\\ \x01", NULL),
      0);
  assert_int_equal(nkg_rdf_bool(rdf, d, NKG_NS "negated", 0), 0);
  assert_int_equal(nkg_rdf_iri(rdf, d, NKG_NS "next", NKG_NS "2nd"), 0);
  assert_int_equal(
      nkg_rdf_lit(rdf, d, TIME_NS "inXSDDate", "2005-01-02", XSD_NS "date"), 0);
  assert_int_equal(nkg_rdf_finish(rdf), 0);
  assert_int_equal(nkg_rdf_count(rdf), 10);
  nkg_rdf_free(rdf);
  fclose(w.f);
  const char *prefixes =
      "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
      "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
      "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
      "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
      "@prefix schema: <http://schema.org/> .\n"
      "@prefix org: <http://www.w3.org/ns/org#> .\n"
      "@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .\n"
      "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
      "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
      "@prefix nif: "
      "<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .\n"
      "@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .\n"
      "@prefix time: <http://www.w3.org/2006/time#> .\n"
      "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
      "@prefix nkg: <https://w3id.org/newskg/ns#> .\n"
      "\n";
  const char *body = "<http://example.org/newskg/doc/1>\n"
                     "    schema:text \"\"\"Say \\\"hi\\\"\nC:\\\\  \"\"\" ;\n"
                     "    time:inXSDDate \"2005-01-02\"^^xsd:date ;\n"
                     "    nkg:negated false ;\n"
                     "    nkg:next <https://w3id.org/newskg/ns#2nd> .\n"
                     "\n"
                     "<http://example.org/newskg/doc/1#char=0,4>\n"
                     "    nif:anchorOf \"Tab\there\" ;\n"
                     "    nif:beginIndex \"0\"^^xsd:nonNegativeInteger ;\n"
                     "    nif:endIndex \"4\"^^xsd:nonNegativeInteger ;\n"
                     "    a nif:Phrase, nif:String .\n"
                     "\n";
  size_t np = strlen(prefixes);
  assert_true(w.len > np);
  assert_memory_equal(w.text, prefixes, np);
  assert_string_equal(w.text + np, body);
  free(w.text);
}

static void test_turtle_empty(void **state) {
  (void)state;
  nkg_test_writer w;
  nkg_rdf *rdf = nkg_test_sink("turtle", &w);
  assert_int_equal(nkg_rdf_finish(rdf), 0);
  nkg_rdf_free(rdf);
  fclose(w.f);
  assert_true(w.len > 6);
  assert_memory_equal(w.text + w.len - 6, "#> .\n\n", 6);
  free(w.text);
}

static void test_turtle_bad_utf8_iri_is_refused(void **state) {
  (void)state;
  nkg_test_writer w;
  nkg_rdf *rdf = nkg_test_sink("turtle", &w);
  /* a predicate that is not UTF-8 too */
  assert_int_equal(nkg_rdf_lit(rdf, "http://x/s", "http://x/p\xc3", "o", NULL),
                   NKG_ERR_RDF);
  nkg_test_bad_iris_refused(rdf);
  assert_non_null(nkg_rdf_error(rdf));
  nkg_rdf_free(rdf);
  fclose(w.f);
  const char *tail = "\n<http://x/s>\n    <http://x/p> <http://x/o> .\n\n";
  assert_true(w.len > strlen(tail));
  assert_string_equal(w.text + w.len - strlen(tail), tail);
  free(w.text);
}

/* raptor writes xsd:integer bare only when strtol reads all of it; else it
 * reports an error and writes the literal quoted. */
static void test_turtle_illegal_integer(void **state) {
  (void)state;
  nkg_test_writer w;
  nkg_rdf *rdf = nkg_test_sink("turtle", &w);
  assert_int_equal(
      nkg_rdf_lit(rdf, "http://x/s", "http://x/p", "12", XSD_NS "integer"), 0);
  assert_int_equal(
      nkg_rdf_lit(rdf, "http://x/s", "http://x/p", "1x", XSD_NS "integer"), 0);
  assert_int_equal(nkg_rdf_finish(rdf), NKG_ERR_RDF);
  assert_string_equal(nkg_rdf_error(rdf),
                      "Illegal value for xsd:integer literal.");
  nkg_rdf_free(rdf);
  fclose(w.f);
  const char *tail =
      "\n<http://x/s>\n    <http://x/p> 12, \"1x\"^^xsd:integer .\n\n";
  assert_string_equal(w.text + w.len - strlen(tail), tail);
  free(w.text);
}

/* A failed write is an error of the sink (the CLI then keeps its temporary
 * file from replacing the target). */
static void test_turtle_write_error(void **state) {
  (void)state;
  /* written on one thread, and on two (60,000 statements: several parts) */
  for (int parallel = 0; parallel <= 1; parallel++) {
    FILE *f = fopen("/dev/full", "w");
    if (!f)
      skip();
    nkg_rdf *rdf;
    assert_int_equal(nkg_rdf_open(&rdf, "turtle", f, NULL, 0), 0);
    nkg_rdf_set_parallel(rdf, parallel);
    char s[64];
    for (int i = 0; i < (parallel ? 60000 : 5000); i++) {
      snprintf(s, sizeof s, "http://example.org/s%d", i);
      assert_int_equal(nkg_rdf_lit(rdf, s, RDFS_NS "label", "some text", NULL),
                       0);
    }
    assert_int_not_equal(nkg_rdf_finish(rdf), 0);
    assert_string_equal(nkg_rdf_error(rdf), "could not write the output");
    nkg_rdf_free(rdf);
    fclose(f);
  }
}

/* Many statements (more than three parts of the subjects) into a Turtle
 * sink, written on two threads if `parallel`; returns the status of the
 * finish and the first error. */
static int many_statements(int parallel, nkg_test_writer *w,
                           const char **error) {
  nkg_rdf *rdf = nkg_test_sink("turtle", w);
  nkg_rdf_set_parallel(rdf, parallel);
  char s[96], o[96];
  for (int i = 0; i < 24000; i++) {
    /* a subject with a few statements, now and then one with many */
    snprintf(s, sizeof s, "http://example.org/newskg/s/%d", (i * 7919) % 24000);
    int m = i % 97 == 0 ? 40 : 3;
    for (int k = 0; k < m; k++) {
      snprintf(o, sizeof o, "label %d of %d", k, i);
      assert_int_equal(nkg_rdf_lit(rdf, s, RDFS_NS "label", o, NULL), 0);
    }
    snprintf(o, sizeof o, "http://example.org/newskg/o/%d", i % 500);
    assert_int_equal(nkg_rdf_iri(rdf, s, SCHEMA_NS "about", o), 0);
    /* literals of the same bytes, told apart by their datatypes */
    snprintf(o, sizeof o, "%d", i % 64);
    for (size_t d = 0; i % 16 == 0 && d < NDT; d++)
      assert_int_equal(
          nkg_rdf_lit(rdf, s, RDF_NS "value", o, datatypes[(d + i) % NDT]),
          0);
  }
  /* two bad values, in the document's order: the boolean first */
  assert_int_equal(nkg_rdf_lit(rdf, "http://example.org/newskg/s/0a",
                               NKG_NS "negated", "maybe", XSD_NS "boolean"),
                   0);
  assert_int_equal(nkg_rdf_lit(rdf, "http://example.org/newskg/s/9a",
                               NKG_NS "count", "1x", XSD_NS "integer"),
                   0);
  int rc = nkg_rdf_finish(rdf);
  *error = nkg_rdf_error(rdf) ? strdup(nkg_rdf_error(rdf)) : NULL;
  nkg_rdf_free(rdf);
  fclose(w->f);
  return rc;
}

/* Written on two threads, the same bytes and the same first error (a
 * failed write: test_turtle_write_error). */
static void test_turtle_parallel(void **state) {
  (void)state;
  nkg_test_writer one, two;
  const char *e1, *e2;
  int rc1 = many_statements(0, &one, &e1);
  int rc2 = many_statements(1, &two, &e2);
  assert_int_equal(rc1, NKG_ERR_RDF);
  assert_int_equal(rc2, rc1);
  assert_non_null(e1);
  assert_string_equal(e1, "Illegal value for xsd:boolean literal.");
  assert_string_equal(e2, e1);
  assert_true(one.len > 4000000);
  nkg_test_assert_same_text(&two, &one);
  free((char *)e1);
  free((char *)e2);
  free(one.text);
  free(two.text);
}

/* Statements kept in a buffer (nkg_rdf_open_statements) and appended
 * give what adding them directly gives: bytes, count and error. */
static void test_turtle_statements_buffer(void **state) {
  (void)state;
  nkg_test_writer direct, buffered;
  nkg_rdf *a = nkg_test_sink("turtle", &direct);
  nkg_rdf *b = nkg_test_sink("turtle", &buffered);
  nkg_rdf *buf;
  assert_int_equal(nkg_rdf_open_statements(&buf, b), 0);
  assert_non_null(buf);
  for (int i = 0; i < 300; i++) {
    char s[64], o[64];
    snprintf(s, sizeof s, "http://example.org/newskg/e/%d", i % 40);
    snprintf(o, sizeof o, "name \"%d\"\n", i);
    nkg_rdf *sinks[] = {a, buf};
    for (int k = 0; k < 2; k++) {
      nkg_rdf *r = sinks[k];
      assert_int_equal(nkg_rdf_lit(r, s, RDFS_NS "label", o, NULL), 0);
      assert_int_equal(nkg_rdf_iri(r, s, RDF_NS "type", SCHEMA_NS "Person"),
                       0);
      assert_int_equal(nkg_rdf_uint(r, s, NKG_NS "mentions", (unsigned)i), 0);
      assert_int_equal(nkg_rdf_bool(r, s, NKG_NS "negated", i & 1), 0);
      assert_int_equal(nkg_rdf_lit(r, s, TIME_NS "inXSDDate", "2005-01-02",
                                   XSD_NS "date"),
                       0);
    }
  }
  /* refused when it reaches the writer: by the direct add, by the append */
  assert_int_equal(nkg_rdf_iri(a, "http://x/s\xff", RDFS_NS "seeAlso",
                               "http://x/o"),
                   NKG_ERR_RDF);
  assert_int_equal(nkg_rdf_iri(buf, "http://x/s\xff", RDFS_NS "seeAlso",
                               "http://x/o"),
                   0);
  assert_int_equal(nkg_rdf_append(b, buf), NKG_ERR_RDF);
  nkg_rdf_free(buf);
  assert_int_equal(nkg_rdf_count(b), nkg_rdf_count(a));
  assert_int_equal(nkg_rdf_count(a), 1500);
  assert_string_equal(nkg_rdf_error(b), nkg_rdf_error(a));
  assert_int_equal(nkg_rdf_finish(a), NKG_ERR_RDF);
  assert_int_equal(nkg_rdf_finish(b), NKG_ERR_RDF);
  nkg_rdf_free(a);
  nkg_rdf_free(b);
  fclose(direct.f);
  fclose(buffered.f);
  nkg_test_assert_same_text(&buffered, &direct);
  free(direct.text);
  free(buffered.text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_turtle_as_raptor),
      cmocka_unit_test(test_turtle_text),
      cmocka_unit_test(test_turtle_empty),
      cmocka_unit_test(test_turtle_bad_utf8_iri_is_refused),
      cmocka_unit_test(test_turtle_illegal_integer),
      cmocka_unit_test(test_turtle_write_error),
      cmocka_unit_test(test_turtle_parallel),
      cmocka_unit_test(test_turtle_statements_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
