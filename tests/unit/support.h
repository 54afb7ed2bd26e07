/* What every unit test program shares: the lexicon, loaded once per program
 * (from $NEWSKG_DATA) in the group setup. */
#ifndef NKG_TEST_SUPPORT_H
#define NKG_TEST_SUPPORT_H

#include "internal.h"

/* The lexicon, valid between nkg_test_setup and nkg_test_teardown. */
extern nkg_lexicon *lex;

/* cmocka group setup and teardown: load and free the lexicon. */
int nkg_test_setup(void **state);
int nkg_test_teardown(void **state);

#endif
