/* What every unit test program shares: the lexicon, loaded once per program
 * (from $NEWSKG_DATA) in the group setup. */
#ifndef NKG_TEST_SUPPORT_H
#define NKG_TEST_SUPPORT_H

#include <stdio.h>

#include <redland.h>

#include "internal.h"
#include "rdf/backend.h"

/* The lexicon, valid between nkg_test_setup and nkg_test_teardown. */
extern nkg_lexicon *lex;

/* cmocka group setup and teardown: load and free the lexicon. */
int nkg_test_setup(void **state);
int nkg_test_teardown(void **state);

/* Random text for the writers' tests: xorshift steps of *rng, and a
 * string of up to maxpieces - 1 pieces drawn from pieces[0..npieces). */
unsigned nkg_test_next(unsigned long long *rng);
char *nkg_test_random_text(const char *const *pieces, size_t npieces,
                           size_t maxpieces, unsigned long long *rng,
                           size_t *len);

/* Output into memory (open_memstream): text and len are valid after
 * fclose(f); the caller frees text. */
typedef struct nkg_test_writer {
  char *text;
  size_t len;
  FILE *f;
} nkg_test_writer;
void nkg_test_writer_open(nkg_test_writer *w);
/* Opens w, and a sink of `format` writing into it. */
nkg_rdf *nkg_test_sink(const char *format, nkg_test_writer *w);
/* What a writer does with IRIs it cannot write, asserted: it refuses one
 * that is not UTF-8 and one holding U+FFFF, writes the next statement,
 * <http://x/s> <http://x/p> <http://x/o>, and reports the error again at
 * the end (nkg_rdf_finish is called here), having written one statement. */
void nkg_test_bad_iris_refused(nkg_rdf *rdf);

/* One statement through raptor's serializer, as the backend is given it:
 * an IRI object, or a literal of len bytes (cleaned as newskg cleans
 * literals) with an optional datatype; graph may be NULL. */
void nkg_test_raptor_add(raptor_serializer *ser, const char *s, const char *p,
                         const char *iri, const char *lit, size_t len,
                         const char *datatype, const char *graph);

/* Ends both writers (ours wrote count statements through rdf, raptor's
 * through ser), then asserts ours wrote more than min_len bytes and both
 * wrote the same; frees all of it. */
void nkg_test_finish_same(nkg_rdf *rdf, raptor_serializer *ser,
                          nkg_test_writer *ours, nkg_test_writer *theirs,
                          size_t count, size_t min_len);

/* Asserts two outputs are the same bytes, printing where they part. */
void nkg_test_assert_same_text(const nkg_test_writer *ours,
                               const nkg_test_writer *theirs);
/* What f holds from its start to where it is now (f is left there): a
 * writer's text, NUL-terminated, that the caller frees (its f is NULL). */
nkg_test_writer nkg_test_read_back(FILE *f);

#endif
