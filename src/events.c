/* Stage 5: events (being written; see issue 4). */
#include "internal.h"

int nkg_events_find(nkg_doc *doc, const nkg_lexicon *lex) {
  (void)doc;
  (void)lex;
  return 0;
}
