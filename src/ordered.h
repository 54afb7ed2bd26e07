/* Work in order on two threads: items 0 .. n-1 are made, each on its own,
 * by a helper thread and by the calling thread, whichever is free, and the
 * calling thread takes them in order as they are done. The end of a build
 * maps its events so (src/rdf/map.c), and the Turtle writer makes the
 * text of its subjects so (src/rdf/turtle.c). */
#ifndef NKG_ORDERED_H
#define NKG_ORDERED_H

#include <stddef.h>

typedef struct nkg_ordered_ops {
  void *user;
  /* On the helper thread, before any item (NULL: none): the number of
   * items, or a negative status (then nothing is made). */
  long (*prepare)(void *user);
  size_t n; /* the number of items when there is no prepare */
  /* The helper makes at most this many items past those taken (0: no
   * limit), so that little is held at once. */
  size_t ahead;
  /* A thread's own state for make (NULL: none); NULL from it is out of
   * memory. */
  void *(*scratch_new)(void *user);
  void (*scratch_free)(void *user, void *scratch);
  /* Makes item i, on either thread: 0, or a status that stops the run. */
  int (*make)(void *user, size_t i, void *scratch);
  /* Takes item i, on the calling thread, in order: 0, or a status that
   * stops the run. */
  int (*take)(void *user, size_t i);
} nkg_ordered_ops;

typedef struct nkg_ordered nkg_ordered;

/* Starts the helper thread, which prepares and then makes items. NULL if
 * it could not (out of memory, no thread): nothing was run, and the
 * caller does the work alone, its own way. `ops` is copied. */
nkg_ordered *nkg_ordered_start(const nkg_ordered_ops *ops);

/* The calling thread joins the run: makes the items nobody took and takes
 * every item in order. With `rc` non-zero the run stops at once. Then the
 * helper is joined and `o` freed. Returns rc, or else the first status of
 * prepare, make or take (items after it are neither made nor taken). */
int nkg_ordered_finish(nkg_ordered *o, int rc);

#endif
