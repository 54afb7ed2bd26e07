/* The persistent store: one SQLite file in librdf's "sqlite" storage
 * (package librdf-storage-sqlite), so Redland's own tools open it too
 * (`rdfproc -s sqlite PATH ...`). Articles are added incrementally:
 *
 *   - each article's own triples live in a context (named graph) = the
 *     article's IRI, so re-adding a changed article replaces them;
 *   - the facts across articles (entities and their names, posts, ties,
 *     events, the build) live in the context BASE "graph/merged";
 *   - beside librdf's tables the file keeps each article's exact text, date
 *     and source (table newskg_articles), and the options and data files it
 *     was built with (table newskg_meta).
 *
 * An add runs the pipeline over every stored article plus the new ones, in
 * identifier order, exactly as a batch build would; it writes the own
 * triples of new and changed articles only, and replaces the merged graph
 * by difference. So the store always holds what a batch build of its
 * articles writes (with N-Quads: the same quads), and adding an unchanged
 * article changes nothing.
 *
 * Crash safety: the RDF changes of one add are one SQLite transaction. The
 * texts are written first and marked pending, and marked applied after the
 * RDF commit; a pending article (an add killed in between) is applied again
 * by the next add. Readers see the old or the new graph, never a part.
 *
 * Concurrency: a lock file PATH.lock (flock): one writer, or any number of
 * readers; whoever comes second is refused with a clear message. */
#ifndef NKG_RDF_STORE_H
#define NKG_RDF_STORE_H

#include <stddef.h>

#include "../internal.h"

typedef struct nkg_store nkg_store;

enum nkg_store_mode { NKG_STORE_READ = 0, NKG_STORE_WRITE = 1 };

/* Opens the store at `path`. NKG_STORE_WRITE creates it if it does not
 * exist (atomically: built beside and renamed into place). On failure
 * returns NKG_ERR_IO (missing, locked, not a newskg store) or another
 * negative status, with a message naming the file in err. */
int nkg_store_open(nkg_store **out, const char *path, int mode, char *err,
                   size_t errlen);
void nkg_store_free(nkg_store *store);

/* The librdf_model over the store (for queries), owned by the store. */
void *nkg_store_model(nkg_store *store);

/* The base IRI the store was built with, or NULL for a new store. */
const char *nkg_store_base(const nkg_store *store);
/* Whether the store keeps nif:isString (1), not (0), or is new (-1). */
int nkg_store_text(const nkg_store *store);

/* Queues one article for the next nkg_store_commit. Validates it as
 * nkg_builder_add does (same statuses; byte_offset as there); an id given
 * twice in one add is NKG_ERR_DUPLICATE. `date` NULL: none. */
int nkg_store_add(nkg_store *store, const char *id, const char *text,
                  size_t len, const char *date, const char *source,
                  size_t *byte_offset);

typedef struct nkg_store_report {
  size_t added;     /* articles new to the store */
  size_t changed;   /* stored articles whose text, date or source changed */
  size_t unchanged; /* queued articles the store already held as they are */
  size_t recovered; /* pending articles of an interrupted add, applied now */
  size_t remapped;  /* stored articles mapped again: data or options changed */
  size_t articles;  /* articles in the store afterwards */
  size_t removed_triples, added_triples; /* in the merged graph */
  size_t triples;  /* statements in the store afterwards */
  nkg_stats stats; /* of the build over every stored article */
} nkg_store_report;

/* Applies the queued articles: one build over every stored article and the
 * queued ones, written as described above. `options` must carry the
 * store's base IRI (nkg_store_base) when the store is not new; its text
 * setting decides nif:isString for the whole store (all articles are
 * mapped again when it changes). Returns 0 or a negative status with a
 * message in err. */
int nkg_store_commit(nkg_store *store, const nkg_lexicon *lexicon,
                     const nkg_options *options, nkg_store_report *report,
                     char *err, size_t errlen);

#endif
