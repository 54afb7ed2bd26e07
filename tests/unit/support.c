#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rdf/backend.h"

nkg_lexicon *lex;

int nkg_test_setup(void **state) {
  (void)state;
  char err[256];
  int rc = nkg_lexicon_load(NULL, &lex, err, sizeof err);
  if (rc)
    fprintf(stderr, "lexicon: %s\n", err);
  return rc;
}

int nkg_test_teardown(void **state) {
  (void)state;
  nkg_lexicon_free(lex);
  lex = NULL;
  return 0;
}

unsigned nkg_test_next(unsigned long long *rng) {
  *rng ^= *rng << 13;
  *rng ^= *rng >> 7;
  *rng ^= *rng << 17;
  return (unsigned)(*rng >> 32);
}

char *nkg_test_random_text(const char *const *pieces, size_t npieces,
                           size_t maxpieces, unsigned long long *rng,
                           size_t *len) {
  nkg_buf b = {0};
  nkg_buf_add(&b, "", 0);
  size_t n = nkg_test_next(rng) % maxpieces;
  for (size_t i = 0; i < n; i++)
    nkg_buf_adds(&b, pieces[nkg_test_next(rng) % npieces]);
  *len = b.len;
  return nkg_buf_take(&b);
}

void nkg_test_writer_open(nkg_test_writer *w) {
  memset(w, 0, sizeof *w);
  w->f = open_memstream(&w->text, &w->len);
  assert_non_null(w->f);
}

nkg_rdf *nkg_test_sink(const char *format, nkg_test_writer *w) {
  nkg_test_writer_open(w);
  nkg_rdf *rdf;
  assert_int_equal(nkg_rdf_open(&rdf, format, w->f, NULL, 0), 0);
  return rdf;
}

void nkg_test_bad_iris_refused(nkg_rdf *rdf) {
  assert_int_equal(
      nkg_rdf_iri(rdf, "http://x/\xff", "http://x/p", "http://x/o"),
      NKG_ERR_RDF);
  assert_int_equal(
      nkg_rdf_iri(rdf, "http://x/s", "http://x/p", "http://x/\xef\xbf\xbf"),
      NKG_ERR_RDF);
  assert_int_equal(nkg_rdf_iri(rdf, "http://x/s", "http://x/p", "http://x/o"),
                   0);
  assert_int_equal(nkg_rdf_finish(rdf), NKG_ERR_RDF); /* the error stays */
  assert_int_equal(nkg_rdf_count(rdf), 1);
}

void nkg_test_raptor_add(raptor_serializer *ser, const char *s, const char *p,
                         const char *iri, const char *lit, size_t len,
                         const char *datatype, const char *graph) {
  raptor_world *world = librdf_world_get_raptor(nkg_rdf_world());
  raptor_statement st;
  raptor_statement_init(&st, world);
  st.subject = raptor_new_term_from_uri_string(world, (const unsigned char *)s);
  st.predicate =
      raptor_new_term_from_uri_string(world, (const unsigned char *)p);
  if (iri) {
    st.object =
        raptor_new_term_from_uri_string(world, (const unsigned char *)iri);
  } else {
    char *clean = nkg_clean_literal(lit, len);
    raptor_uri *dt =
        datatype ? raptor_new_uri(world, (const unsigned char *)datatype)
                 : NULL;
    st.object = raptor_new_term_from_literal(
        world, (const unsigned char *)clean, dt, NULL);
    if (dt)
      raptor_free_uri(dt);
    free(clean);
  }
  st.graph =
      graph
          ? raptor_new_term_from_uri_string(world, (const unsigned char *)graph)
          : NULL;
  assert_int_equal(raptor_serializer_serialize_statement(ser, &st), 0);
  raptor_statement_clear(&st);
}

void nkg_test_assert_same_text(const nkg_test_writer *ours,
                               const nkg_test_writer *theirs) {
  size_t at = 0;
  while (at < ours->len && at < theirs->len &&
         ours->text[at] == theirs->text[at])
    at++;
  if (at < ours->len || at < theirs->len) {
    size_t from = at > 60 ? at - 60 : 0;
    print_message("first difference at byte %zu:\nours:   %.*s\nraptor: %.*s\n",
                  at, (int)(ours->len - from < 140 ? ours->len - from : 140),
                  ours->text + from,
                  (int)(theirs->len - from < 140 ? theirs->len - from : 140),
                  theirs->text + from);
  }
  assert_int_equal(ours->len, theirs->len);
  assert_memory_equal(ours->text, theirs->text, ours->len);
}

void nkg_test_finish_same(nkg_rdf *rdf, raptor_serializer *ser,
                          nkg_test_writer *ours, nkg_test_writer *theirs,
                          size_t count, size_t min_len) {
  assert_int_equal(nkg_rdf_finish(rdf), 0);
  assert_int_equal(nkg_rdf_count(rdf), count);
  nkg_rdf_free(rdf);
  assert_int_equal(raptor_serializer_serialize_end(ser), 0);
  raptor_free_serializer(ser);
  fclose(ours->f);
  fclose(theirs->f);
  assert_true(ours->len > min_len);
  nkg_test_assert_same_text(ours, theirs);
  free(ours->text);
  free(theirs->text);
}

nkg_test_writer nkg_test_read_back(FILE *f) {
  nkg_test_writer w = {0};
  long len = ftell(f);
  assert_true(len >= 0);
  w.text = malloc((size_t)len + 1);
  assert_non_null(w.text);
  rewind(f);
  w.len = fread(w.text, 1, (size_t)len, f);
  assert_int_equal(w.len, (size_t)len);
  w.text[w.len] = '\0';
  return w;
}
