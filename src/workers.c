/* Worker threads: documents go into a ring in input order, any idle worker
 * processes the oldest one not started, and the builder takes them back in
 * input order, so the output does not depend on the number of threads or
 * on scheduling. nkg_doc_process reads only the lexicon (read-only once
 * loaded) and its document; every stage keeps its per-call state (the
 * events stage its stemmer) on the stack of the call. A worker also maps
 * the document's own triples into the job's buffer, so that the builder's
 * thread, which commits every document, only merges and copies. With N
 * jobs there are N - 1 worker threads: the builder's thread is the N-th,
 * processing queued documents itself when it would wait for the oldest
 * (fewer threads than cores: no context switch per document, and no core
 * idle while the builder sleeps). The workers also write the output the
 * builder's thread queues (nkg_workers_write): between documents, and
 * whenever they would otherwise wait. */
#include "workers.h"

#include "graph.h"

#include <pthread.h>
#include <stdlib.h>

/* In flight at most: this many documents per worker, and this much text.
 * Enough to keep every worker busy while the builder commits. */
#define JOBS_PER_WORKER 4
#define MAX_BYTES_IN_FLIGHT ((size_t)64 << 20)
/* Buffers for a document's lines kept for the next documents (with their
 * memory, and the escaped IRIs they remember): a new one per document
 * cost some 70 allocations, and the escaping of every predicate again. */
#define SPARE_SINKS 16

/* A worker thread, and the jobs it processed that are done with. */
struct worker {
  nkg_workers *pool;
  int index;
  pthread_t thread;
  nkg_job *retired; /* to be freed when it looks for work */
};

struct nkg_workers {
  const nkg_lexicon *lex;
  pthread_mutex_t lock;
  pthread_cond_t work; /* a job was queued, or stop */
  pthread_cond_t done; /* a job was processed */
  nkg_job **ring;
  size_t cap;
  size_t head;    /* absolute index of the oldest job */
  size_t count;   /* jobs in the ring */
  size_t started; /* absolute index of the next job to start */
  size_t bytes;   /* text in the ring */
  int stop;
  nkg_rdf *spare[SPARE_SINKS]; /* see SPARE_SINKS */
  int nspare;
  int idle; /* workers waiting for work */
  nkg_rdf *out; /* whose queued lines the workers write, or NULL */
  struct worker *threads;
  int nthreads;
};

void nkg_job_free(nkg_job *job) {
  if (!job)
    return;
  nkg_doc_free(&job->doc);
  nkg_rdf_free(job->facts);
  free(job->text);
  free(job->doc_iri);
  free(job);
}

/* A job's buffer of lines goes back to the spares (or is freed), then the
 * job. */
static void job_done(nkg_workers *w, nkg_job *job) {
  nkg_rdf *facts = job->facts;
  job->facts = NULL;
  if (facts) {
    nkg_rdf_clear(facts);
    pthread_mutex_lock(&w->lock);
    if (w->nspare < SPARE_SINKS) {
      w->spare[w->nspare++] = facts;
      facts = NULL;
    }
    pthread_mutex_unlock(&w->lock);
    nkg_rdf_free(facts);
  }
  nkg_job_free(job);
}

static void free_list(nkg_workers *w, nkg_job *job) {
  while (job) {
    nkg_job *next = job->next;
    job_done(w, job);
    job = next;
  }
}

nkg_rdf *nkg_workers_spare_sink(nkg_workers *w) {
  pthread_mutex_lock(&w->lock);
  nkg_rdf *r = w->nspare ? w->spare[--w->nspare] : NULL;
  pthread_mutex_unlock(&w->lock);
  return r;
}

/* Processes a job outside the lock, on thread `worker` (-1: the caller's):
 * the document, then its own triples. */
static void run(nkg_workers *w, nkg_job *job, int worker) {
  job->worker = worker;
  int rc = nkg_doc_process(&job->doc, w->lex);
  if (!rc)
    rc = nkg_graph_prepare(&job->doc);
  int map_rc = 0;
  if (!rc && job->facts) {
    nkg_map_ctx ctx = *job->map;
    ctx.rdf = job->facts;
    /* a document's lines: 25 (N-Triples) to 32 (N-Quads) times its text
     * for the BBC corpus */
    map_rc = nkg_rdf_expect(job->facts, 32 * job->doc.len + 4096);
    if (!map_rc)
      map_rc = nkg_map_document(&ctx, &job->doc, job->doc_iri);
  }
  pthread_mutex_lock(&w->lock);
  job->rc = rc;
  job->map_rc = map_rc;
  job->done = 1;
}

/* Is there output to write? (Read without the sink's lock: a block
 * queued after this says no comes with a wake-up, see wake_writer.) */
static int output_ready(const nkg_workers *w) {
  return w->out && nkg_rdf_queued(w->out);
}

static void *work(void *arg) {
  struct worker *me = arg;
  nkg_workers *w = me->pool;
  pthread_mutex_lock(&w->lock);
  for (;;) {
    w->idle++;
    while (!w->stop && w->started == w->head + w->count && !output_ready(w))
      pthread_cond_wait(&w->work, &w->lock);
    w->idle--;
    if (w->stop)
      break;
    nkg_job *job = w->started < w->head + w->count
                       ? w->ring[w->started++ % w->cap]
                       : NULL;
    nkg_job *retired = me->retired;
    me->retired = NULL;
    pthread_mutex_unlock(&w->lock);
    free_list(w, retired);
    if (w->out) /* (set before any job) */
      nkg_rdf_write_queued(w->out);
    if (!job) {
      pthread_mutex_lock(&w->lock);
      continue;
    }
    run(w, job, me->index); /* returns locked */
    pthread_cond_broadcast(&w->done);
  }
  pthread_mutex_unlock(&w->lock);
  return NULL;
}

/* Lines became ready to write: a worker that waits for work writes them. */
static void wake_writer(void *arg) {
  nkg_workers *w = arg;
  pthread_mutex_lock(&w->lock);
  if (w->idle)
    pthread_cond_signal(&w->work);
  pthread_mutex_unlock(&w->lock);
}

int nkg_workers_write(nkg_workers *w, nkg_rdf *out) {
  int rc = nkg_rdf_write_behind(out, wake_writer, w);
  if (!rc) {
    pthread_mutex_lock(&w->lock);
    w->out = out;
    pthread_mutex_unlock(&w->lock);
  }
  return rc;
}

nkg_workers *nkg_workers_new(const nkg_lexicon *lex, int threads) {
  if (threads < 1)
    return NULL;
  nkg_workers *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->lex = lex;
  w->cap = (size_t)threads * JOBS_PER_WORKER;
  w->ring = calloc(w->cap, sizeof *w->ring);
  w->threads = calloc((size_t)threads, sizeof *w->threads);
  if (!w->ring || !w->threads) {
    free(w->ring);
    free(w->threads);
    free(w);
    return NULL;
  }
  pthread_mutex_init(&w->lock, NULL);
  pthread_cond_init(&w->work, NULL);
  pthread_cond_init(&w->done, NULL);
  /* the builder's thread is the last worker: it processes queued jobs
   * while it waits for the oldest (see nkg_workers_pop) */
  for (int i = 0; i < threads - 1 || i == 0; i++) {
    w->threads[i].pool = w;
    w->threads[i].index = i;
    if (nkg_thread_create_apart(&w->threads[i].thread, work, &w->threads[i])) {
      nkg_workers_free(w);
      return NULL;
    }
    w->nthreads++;
  }
  return w;
}

int nkg_workers_full(const nkg_workers *w) {
  nkg_workers *m = (nkg_workers *)w; /* the lock is not part of the value */
  pthread_mutex_lock(&m->lock);
  int full = w->count == w->cap || w->bytes >= MAX_BYTES_IN_FLIGHT;
  pthread_mutex_unlock(&m->lock);
  return full;
}

void nkg_workers_push(nkg_workers *w, nkg_job *job) {
  pthread_mutex_lock(&w->lock);
  w->ring[(w->head + w->count) % w->cap] = job;
  w->count++;
  w->bytes += job->doc.len;
  pthread_cond_signal(&w->work);
  pthread_mutex_unlock(&w->lock);
}

nkg_job *nkg_workers_pop(nkg_workers *w, int wait) {
  nkg_job *job = NULL;
  pthread_mutex_lock(&w->lock);
  if (w->count) {
    nkg_job *oldest = w->ring[w->head % w->cap];
    while (wait && !oldest->done) {
      if (w->started < w->head + w->count) {
        /* rather than sleep, process the next job not started */
        nkg_job *next = w->ring[w->started++ % w->cap];
        pthread_mutex_unlock(&w->lock);
        run(w, next, -1); /* returns locked */
      } else if (output_ready(w)) {
        /* rather than sleep, write */
        pthread_mutex_unlock(&w->lock);
        nkg_rdf_write_queued(w->out);
        pthread_mutex_lock(&w->lock);
      } else {
        pthread_cond_wait(&w->done, &w->lock);
      }
    }
    if (oldest->done) {
      job = oldest;
      w->ring[w->head % w->cap] = NULL;
      w->head++;
      w->count--;
      w->bytes -= job->doc.len;
    }
  }
  pthread_mutex_unlock(&w->lock);
  return job;
}

void nkg_workers_retire(nkg_workers *w, nkg_job *job) {
  if (job->worker < 0) {
    job_done(w, job);
    return;
  }
  struct worker *by = &w->threads[job->worker];
  pthread_mutex_lock(&w->lock);
  job->next = by->retired;
  by->retired = job;
  pthread_mutex_unlock(&w->lock);
}

void nkg_workers_free(nkg_workers *w) {
  if (!w)
    return;
  pthread_mutex_lock(&w->lock);
  w->stop = 1;
  pthread_cond_broadcast(&w->work);
  pthread_mutex_unlock(&w->lock);
  for (int i = 0; i < w->nthreads; i++)
    pthread_join(w->threads[i].thread, NULL);
  /* jobs a worker had started are finished by now; the rest never ran */
  for (size_t i = 0; i < w->count; i++)
    nkg_job_free(w->ring[(w->head + i) % w->cap]);
  for (int i = 0; i < w->nthreads; i++)
    free_list(w, w->threads[i].retired);
  for (int i = 0; i < w->nspare; i++)
    nkg_rdf_free(w->spare[i]);
  pthread_cond_destroy(&w->work);
  pthread_cond_destroy(&w->done);
  pthread_mutex_destroy(&w->lock);
  free(w->ring);
  free(w->threads);
  free(w);
}
