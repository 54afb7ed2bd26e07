/* Worker threads that run nkg_doc_process on documents in parallel while
 * the builder commits them, in input order, on its own thread. The queue
 * is bounded (documents and bytes of text in flight), so memory stays
 * bounded however long the input. */
#ifndef NKG_WORKERS_H
#define NKG_WORKERS_H

#include "internal.h"
#include "rdf/map.h"

/* One document on its way through a worker. The builder fills doc, text
 * (a copy of the article, owned by the job: doc.text points into it),
 * doc_iri, and, when the document's own triples are to be mapped by the
 * worker, facts (a buffer sink, see nkg_rdf_open_buffer) and map (the
 * mapping's settings; its rdf is not used); the worker sets rc, and
 * map_rc if it mapped. */
typedef struct nkg_job {
  nkg_doc doc;
  char *text;
  char *doc_iri;
  nkg_rdf *facts;
  const nkg_map_ctx *map;
  int rc;               /* of nkg_doc_process */
  int map_rc;           /* of nkg_map_document into facts */
  int done;             /* guarded by the pool's lock */
  int worker;           /* which thread processed it: -1 the caller's */
  struct nkg_job *next; /* in the pool's list of retired jobs */
} nkg_job;

/* Frees everything a job owns, and the job. NULL-safe. */
void nkg_job_free(nkg_job *job);

typedef struct nkg_workers nkg_workers;

/* Starts `threads` - 1 workers (at least one) reading `lex` (which must
 * outlive the pool); the caller's thread is the last one, processing jobs
 * in nkg_workers_pop with wait. NULL if a thread or memory could not be had. */
nkg_workers *nkg_workers_new(const nkg_lexicon *lex, int threads);

/* From now on `out` (a sink of the caller's, which must outlive the
 * pool) is written behind (nkg_rdf_write_behind): the workers write what
 * the caller queues between documents and when they would wait, and so
 * does the caller while it waits in nkg_workers_pop. Sinks that are not
 * N-Triples or N-Quads to a file are left as they are. */
int nkg_workers_write(nkg_workers *w, nkg_rdf *out);

/* True if the queue holds as much as it may: pop the oldest job first. */
int nkg_workers_full(const nkg_workers *w);

/* Queues a job (the pool owns it until nkg_workers_pop returns it). Call
 * only when not full. */
void nkg_workers_push(nkg_workers *w, nkg_job *job);

/* The oldest job once processed, removed from the queue; with wait = 0
 * NULL if it is not processed yet (with wait, the caller processes jobs
 * not yet started while it waits); NULL if the queue is empty. The caller
 * owns the job. */
nkg_job *nkg_workers_pop(nkg_workers *w, int wait);

/* Hands a job the caller is done with back to the pool: the thread that
 * processed it frees it (a worker between documents; the caller's thread
 * here), since memory goes back fastest to the thread that allocated it,
 * and freeing into another thread's heap contends for its lock. */
void nkg_workers_retire(nkg_workers *w, nkg_job *job);

/* A buffer sink a finished job gave back (its lines gone, its memory
 * kept), to take a new job's lines; NULL if there is none. */
nkg_rdf *nkg_workers_spare_sink(nkg_workers *w);

/* Stops the workers, frees the jobs still queued. NULL-safe. */
void nkg_workers_free(nkg_workers *w);

#endif
