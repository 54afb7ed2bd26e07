/* Stage 5: quotations (being written; see issue 4). */
#include "internal.h"

int nkg_quotes_find(nkg_doc *doc, const nkg_lexicon *lex) {
  (void)doc;
  (void)lex;
  return 0;
}
