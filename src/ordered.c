/* Work in order on two threads (see ordered.h). */
#include "ordered.h"

#include <pthread.h>
#include <stdlib.h>

#include "newskg.h"
#include "util.h"

struct nkg_ordered {
  nkg_ordered_ops ops;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t cond; /* prepared, an item made or taken, or stop */
  int ready;           /* prepared: 1; failed: -1 */
  size_t n;
  size_t made;         /* items started (made or being made) */
  size_t taken;        /* items taken */
  unsigned char *done; /* [n]: item made */
  int stop;
  int rc; /* the first status that stopped the run */
};

/* With the lock: the next item to make; -1 when there is none left to
 * this thread, -2 when the helper is `ahead` of the taking and waits. */
static long next_item(nkg_ordered *o, int helper) {
  if (o->stop || o->ready <= 0 || o->made == o->n)
    return -1;
  if (helper && o->ops.ahead && o->made >= o->taken + o->ops.ahead)
    return -2;
  return (long)o->made++;
}

/* Without the lock: makes item i, then notes it done. */
static void make_item(nkg_ordered *o, size_t i, void *scratch) {
  int rc = o->ops.make(o->ops.user, i, scratch);
  pthread_mutex_lock(&o->lock);
  o->done[i] = 1;
  if (rc && !o->stop) {
    o->stop = 1;
    o->rc = rc;
  }
  pthread_cond_broadcast(&o->cond);
  pthread_mutex_unlock(&o->lock);
}

/* A thread's scratch (NULL if there is none to make); out of memory
 * stops the run. */
static void *scratch_new(nkg_ordered *o) {
  if (!o->ops.scratch_new)
    return NULL;
  void *scratch = o->ops.scratch_new(o->ops.user);
  if (!scratch) {
    pthread_mutex_lock(&o->lock);
    if (!o->stop) {
      o->stop = 1;
      o->rc = NKG_ERR_NOMEM;
    }
    pthread_cond_broadcast(&o->cond);
    pthread_mutex_unlock(&o->lock);
  }
  return scratch;
}

static void scratch_done(nkg_ordered *o, void *scratch) {
  if (scratch && o->ops.scratch_free)
    o->ops.scratch_free(o->ops.user, scratch);
}

static void *helper(void *arg) {
  nkg_ordered *o = arg;
  long n = o->ops.prepare ? o->ops.prepare(o->ops.user) : (long)o->ops.n;
  unsigned char *done = n >= 0 ? calloc((size_t)n + 1, 1) : NULL;
  if (n >= 0 && !done)
    n = NKG_ERR_NOMEM;
  void *scratch = n > 0 ? scratch_new(o) : NULL;
  pthread_mutex_lock(&o->lock);
  if (n < 0) {
    o->ready = -1;
    o->stop = 1;
    o->rc = (int)n;
  } else {
    o->ready = 1;
    o->n = (size_t)n;
    o->done = done;
  }
  pthread_cond_broadcast(&o->cond);
  for (long i; (i = next_item(o, 1)) != -1;) {
    if (i == -2) {
      pthread_cond_wait(&o->cond, &o->lock);
      continue;
    }
    pthread_mutex_unlock(&o->lock);
    make_item(o, (size_t)i, scratch);
    pthread_mutex_lock(&o->lock);
  }
  pthread_mutex_unlock(&o->lock);
  scratch_done(o, scratch);
  return NULL;
}

nkg_ordered *nkg_ordered_start(const nkg_ordered_ops *ops) {
  nkg_ordered *o = calloc(1, sizeof *o);
  if (!o)
    return NULL;
  o->ops = *ops;
  pthread_mutex_init(&o->lock, NULL);
  pthread_cond_init(&o->cond, NULL);
  if (nkg_thread_create_apart(&o->thread, helper, o)) {
    pthread_cond_destroy(&o->cond);
    pthread_mutex_destroy(&o->lock);
    free(o);
    return NULL;
  }
  return o;
}

int nkg_ordered_finish(nkg_ordered *o, int rc) {
  void *scratch = rc ? NULL : scratch_new(o);
  pthread_mutex_lock(&o->lock);
  if (rc)
    o->stop = 1;
  while (!o->ready)
    pthread_cond_wait(&o->cond, &o->lock);
  while (!o->stop && o->taken < o->n) {
    long i;
    if (o->done[o->taken]) {
      size_t k = o->taken;
      pthread_mutex_unlock(&o->lock);
      int trc = o->ops.take(o->ops.user, k);
      pthread_mutex_lock(&o->lock);
      o->taken++;
      if (trc && !o->stop) {
        o->stop = 1;
        o->rc = trc;
      }
      pthread_cond_broadcast(&o->cond); /* room for a helper ahead */
    } else if ((i = next_item(o, 0)) >= 0) {
      pthread_mutex_unlock(&o->lock);
      make_item(o, (size_t)i, scratch);
      pthread_mutex_lock(&o->lock);
    } else {
      pthread_cond_wait(&o->cond, &o->lock);
    }
  }
  if (!rc)
    rc = o->rc;
  o->stop = 1; /* a helper waiting ahead ends */
  pthread_cond_broadcast(&o->cond);
  pthread_mutex_unlock(&o->lock);
  pthread_join(o->thread, NULL);
  scratch_done(o, scratch);
  free(o->done);
  pthread_cond_destroy(&o->cond);
  pthread_mutex_destroy(&o->lock);
  free(o);
  return rc;
}
