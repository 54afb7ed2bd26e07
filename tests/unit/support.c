#include "support.h"

#include <stdio.h>

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
