/* Stage 4: posts, memberships and ties (being written; see issue 3). */
#include "internal.h"

int nkg_relations_find(nkg_doc *doc, const nkg_lexicon *lex) {
  (void)doc;
  (void)lex;
  return 0;
}
