/* The pipeline: each document goes through the stages on its own
 * (nkg_doc_process, which reads only the lexicon and the document, so
 * documents may be processed in parallel), then is committed in input
 * order: merged into the build's graph and its own facts written. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph.h"
#include "internal.h"
#include "rdf/backend.h"
#include "rdf/map.h"
#include "workers.h"

const char *nkg_strerror(int status) {
  switch (status) {
  case NKG_OK:
    return "success";
  case NKG_ERR_NOMEM:
    return "out of memory";
  case NKG_ERR_IO:
    return "input/output error";
  case NKG_ERR_UTF8:
    return "invalid UTF-8";
  case NKG_ERR_BINARY:
    return "binary data (NUL byte)";
  case NKG_ERR_EMPTY:
    return "empty document";
  case NKG_ERR_JSON:
    return "malformed JSON record";
  case NKG_ERR_TOO_LARGE:
    return "document too large";
  case NKG_ERR_ARG:
    return "invalid argument";
  case NKG_ERR_DATA:
    return "knowledge data file missing or malformed";
  case NKG_ERR_RDF:
    return "RDF library error";
  case NKG_ERR_DUPLICATE:
    return "duplicate document identifier";
  default:
    return "unknown error";
  }
}

/* ---- options ------------------------------------------------------------ */

struct nkg_options {
  char *base;
  char *format;
  char *date;
  int include_text;
  int jobs;
  int shard; /* events are merged across documents by `newskg merge` */
};

nkg_options *nkg_options_new(void) {
  nkg_options *o = calloc(1, sizeof *o);
  if (!o)
    return NULL;
  o->base = nkg_strdup("http://example.org/newskg/");
  o->format = nkg_strdup("turtle");
  if (!o->base || !o->format) {
    nkg_options_free(o);
    return NULL;
  }
  return o;
}

void nkg_options_free(nkg_options *o) {
  if (!o)
    return;
  free(o->base);
  free(o->format);
  free(o->date);
  free(o);
}

int nkg_options_set_base(nkg_options *o, const char *base) {
  size_t n = base ? strlen(base) : 0;
  if (n < 3 || (base[n - 1] != '/' && base[n - 1] != '#') || !strchr(base, ':'))
    return NKG_ERR_ARG;
  for (const char *p = base; *p; p++)
    if ((unsigned char)*p <= ' ' || strchr("<>\"{}|\\^`", *p))
      return NKG_ERR_ARG;
  char *c = nkg_strdup(base);
  if (!c)
    return NKG_ERR_NOMEM;
  free(o->base);
  o->base = c;
  return 0;
}

int nkg_options_set_format(nkg_options *o, const char *format) {
  if (!nkg_rdf_format_ok(format))
    return NKG_ERR_ARG;
  char *c = nkg_strdup(format);
  if (!c)
    return NKG_ERR_NOMEM;
  free(o->format);
  o->format = c;
  return 0;
}

int nkg_options_set_jobs(nkg_options *o, int jobs) {
  if (jobs < 1 || jobs > NKG_MAX_JOBS)
    return NKG_ERR_ARG;
  o->jobs = jobs;
  return 0;
}

void nkg_options_set_shard(nkg_options *o, int shard) { o->shard = shard != 0; }

void nkg_options_set_text(nkg_options *o, int include_text) {
  o->include_text = include_text != 0;
}

/* YYYY-MM-DD with a real month and day. */
int nkg_date_valid(const char *d) {
  if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
      return 0;
  int m = (d[5] - '0') * 10 + (d[6] - '0');
  int day = (d[8] - '0') * 10 + (d[9] - '0');
  return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

int nkg_options_set_date(nkg_options *o, const char *date) {
  if (date && !nkg_date_valid(date))
    return NKG_ERR_ARG;
  char *c = date ? nkg_strdup(date) : NULL;
  if (date && !c)
    return NKG_ERR_NOMEM;
  free(o->date);
  o->date = c;
  return 0;
}

/* ---- documents ---------------------------------------------------------- */

void nkg_doc_free(nkg_doc *doc) {
  if (!doc)
    return;
  free(doc->id);
  free(doc->date);
  free(doc->source);
  free(doc->toks);
  free(doc->sents);
  free(doc->mentions);
  for (size_t i = 0; i < doc->nentities; i++) {
    nkg_dentity *e = &doc->entities[i];
    free(e->name);
    free(e->key);
    for (size_t n = 0; n < e->nnames; n++)
      free(e->names[n]);
    free(e->names);
  }
  free(doc->entities);
  for (size_t i = 0; i < doc->nposts; i++) {
    free(doc->posts[i].title);
    free(doc->posts[i].role);
    free(doc->posts[i].qualifier);
  }
  free(doc->posts);
  free(doc->members);
  free(doc->ties);
  for (size_t i = 0; i < doc->nevents; i++) {
    nkg_event *e = &doc->events[i];
    free(e->args);
    free(e->time_text);
    free(e->label);
    free(e->key);
  }
  free(doc->events);
  free(doc->quotes);
  nkg_map_free(doc->entity_keys, NULL);
  free(doc->folds);
  free(doc->fold_at);
  free(doc->word_bits);
  memset(doc, 0, sizeof *doc);
}

int nkg_doc_process(nkg_doc *doc, const nkg_lexicon *lex) {
  int rc = nkg_text_segment(doc, lex);
  if (!rc)
    rc = nkg_mentions_find(doc, lex);
  if (!rc)
    rc = nkg_coref_doc(doc, lex);
  if (!rc)
    rc = nkg_relations_find(doc, lex);
  if (!rc)
    rc = nkg_coref_references(doc, lex);
  if (!rc)
    rc = nkg_events_find(doc, lex);
  if (!rc)
    rc = nkg_quotes_find(doc, lex);
  return rc;
}

/* ---- the builder ----------------------------------------------------------
 */

/* Articles are limited to what 32-bit offsets address, with room. */
#define NKG_MAX_ARTICLE ((size_t)1 << 30)

struct nkg_builder {
  const nkg_lexicon *lex;
  char *base;
  char *date;
  nkg_rdf *rdf;
  nkg_map_ctx ctx;
  nkg_graph graph;
  nkg_map *ids; /* document ids seen */
  nkg_stats stats;
  char started[40];
  int finished;
  nkg_workers *workers; /* --jobs > 1: documents processed in parallel */
  int error;            /* the first error of a document committed late */
  int shard;
};

static void now_iso(char *out, size_t n) {
  out[0] = '\0';
  if (getenv("SOURCE_DATE_EPOCH"))
    return; /* reproducible builds: no timestamps */
  time_t t = time(NULL);
  struct tm tm;
  if (gmtime_r(&t, &tm))
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

nkg_builder *nkg_builder_new(const nkg_lexicon *lex, const nkg_options *opts,
                             FILE *out, int *status) {
  int rc = 0;
  nkg_builder *b = calloc(1, sizeof *b);
  if (!b) {
    rc = NKG_ERR_NOMEM;
    goto fail;
  }
  b->lex = lex;
  b->base = nkg_strdup(opts->base);
  b->date = opts->date ? nkg_strdup(opts->date) : NULL;
  b->ids = nkg_map_new();
  if (!b->base || !b->ids || (opts->date && !b->date)) {
    rc = NKG_ERR_NOMEM;
    goto fail;
  }
  rc = nkg_graph_init(&b->graph);
  if (rc)
    goto fail;
  rc = nkg_rdf_open(&b->rdf, opts->format, out, NULL, 0);
  if (rc)
    goto fail;
  b->ctx.rdf = b->rdf;
  b->ctx.base = b->base;
  b->ctx.include_text = opts->include_text;
  b->ctx.named_graphs = !strcmp(opts->format, "nquads");
  b->ctx.parallel = opts->jobs > 1;
  nkg_rdf_set_parallel(b->rdf, opts->jobs > 1);
  b->shard = opts->shard;
  if (opts->jobs > 1 && !(b->workers = nkg_workers_new(lex, opts->jobs))) {
    rc = NKG_ERR_NOMEM;
    goto fail;
  }
  /* the committing thread does not wait for write(2): the workers write */
  if (b->workers && (rc = nkg_workers_write(b->workers, b->rdf)) != 0)
    goto fail;
  now_iso(b->started, sizeof b->started);
  *status = 0;
  return b;
fail:
  nkg_builder_free(b);
  *status = rc;
  return NULL;
}

static int only_space(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
          s[i] == '\f' || s[i] == '\v'))
      return 0;
  return 1;
}

/* Merges a processed document into the graph and writes its own facts:
 * mapped here, or handed on from the worker that mapped them into `facts`
 * (with the status `map_rc` of that mapping). */
static int commit(nkg_builder *b, nkg_doc *doc, const char *doc_iri,
                  nkg_rdf *facts, int map_rc) {
  int rc = nkg_graph_commit(&b->graph, doc, doc_iri);
  if (!rc) {
    nkg_rdf_capture(b->rdf);
    if (facts) {
      rc = nkg_rdf_append(b->rdf, facts);
      if (!rc)
        rc = map_rc;
    } else {
      rc = nkg_map_document(&b->ctx, doc, doc_iri);
    }
  }
  if (!rc) {
    b->stats.documents++;
    b->stats.mentions += doc->nmentions;
    b->stats.quotations += doc->nquotes;
  }
  return rc;
}

/* Commits the oldest queued document, waiting for it if `wait`. Returns 1
 * if one was committed. The first error sticks in b->error: the graph
 * misses a document, so the build is over. */
static int commit_next(nkg_builder *b, int wait) {
  nkg_job *job = b->error ? NULL : nkg_workers_pop(b->workers, wait);
  if (!job)
    return 0;
  b->error = job->rc
                 ? job->rc
                 : commit(b, &job->doc, job->doc_iri, job->facts, job->map_rc);
  nkg_workers_retire(b->workers, job);
  return !b->error;
}

int nkg_article_check(const char *text, size_t len, const char *date,
                      size_t *byte_offset) {
  if (date && !nkg_date_valid(date))
    return NKG_ERR_ARG;
  if (len > NKG_MAX_ARTICLE) {
    if (byte_offset)
      *byte_offset = NKG_MAX_ARTICLE;
    return NKG_ERR_TOO_LARGE;
  }
  size_t bad = 0;
  int rc = nkg_text_validate(text, len, &bad);
  if (rc) {
    if (byte_offset)
      *byte_offset = bad;
    return rc;
  }
  return only_space(text, len) ? NKG_ERR_EMPTY : 0;
}

int nkg_builder_add(nkg_builder *b, const char *id, const char *text,
                    size_t len, const char *date, const char *source,
                    size_t *byte_offset) {
  if (!b || !id || !*id || (!text && len) || b->finished)
    return NKG_ERR_ARG;
  if (b->error)
    return b->error;
  int rc = nkg_article_check(text, len, date, byte_offset);
  if (rc)
    return rc;
  if (nkg_map_get(b->ids, id, strlen(id)))
    return NKG_ERR_DUPLICATE;
  if (nkg_map_put(b->ids, id, strlen(id), (void *)1, NULL))
    return NKG_ERR_NOMEM;

  nkg_doc doc;
  memset(&doc, 0, sizeof doc);
  doc.id = nkg_strdup(id);
  doc.date = date ? nkg_strdup(date) : (b->date ? nkg_strdup(b->date) : NULL);
  doc.source = source ? nkg_strdup(source) : NULL;
  doc.text = text;
  doc.len = len;
  char *doc_iri = nkg_iri_doc(b->base, id);
  rc = (doc.id && doc_iri) ? 0 : NKG_ERR_NOMEM;
  if (!rc && b->workers) {
    /* the caller's text lives only during this call: the job keeps a copy */
    nkg_job *job = calloc(1, sizeof *job);
    char *copy = len ? nkg_strndup(text, len) : NULL;
    if (!job || (len && !copy)) {
      free(job);
      free(copy);
      free(doc_iri);
      nkg_doc_free(&doc);
      return NKG_ERR_NOMEM;
    }
    doc.text = copy;
    job->doc = doc;
    job->text = copy;
    job->doc_iri = doc_iri;
    /* the worker maps the document's own triples where the sink allows */
    if (!(job->facts = nkg_workers_spare_sink(b->workers)) &&
        nkg_rdf_open_buffer(&job->facts, b->rdf)) {
      nkg_job_free(job);
      return NKG_ERR_NOMEM;
    }
    job->map = &b->ctx;
    while (nkg_workers_full(b->workers) && commit_next(b, 1))
      ;
    if (b->error) {
      nkg_job_free(job);
      return b->error;
    }
    nkg_workers_push(b->workers, job);
    while (commit_next(b, 0))
      ;
    return b->error;
  }
  if (!rc)
    rc = nkg_doc_process(&doc, b->lex);
  if (!rc)
    rc = commit(b, &doc, doc_iri, NULL, 0);
  free(doc_iri);
  nkg_doc_free(&doc);
  return rc;
}

/* Commits every document in flight, in order (waiting for them). */
static void commit_all(nkg_builder *b) {
  while (b->workers && commit_next(b, 1))
    ;
}

int nkg_builder_flush(nkg_builder *b) {
  if (!b || b->finished)
    return NKG_ERR_ARG;
  commit_all(b);
  if (b->error)
    return b->error;
  int rc = nkg_rdf_flush(b->rdf);
  if (rc)
    b->error = rc;
  return rc;
}

int nkg_builder_finish(nkg_builder *b) {
  if (!b || b->finished)
    return NKG_ERR_ARG;
  b->finished = 1;
  commit_all(b);
  if (b->error) {
    /* no thread of the build is left, failed or not: the caller may free
     * the lexicon before the build */
    nkg_workers_free(b->workers);
    b->workers = NULL;
    return b->error;
  }
  char ended[40];
  now_iso(ended, sizeof ended);
  nkg_rdf_capture(b->rdf);
  int rc = nkg_map_graph(&b->ctx, &b->graph, !b->shard,
                         b->started[0] ? b->started : NULL,
                         ended[0] ? ended : NULL);
  int frc = nkg_rdf_finish(b->rdf);
  /* the workers wrote along until here: no thread of the build is left */
  nkg_workers_free(b->workers);
  b->workers = NULL;
  b->stats.entities = b->graph.nentities;
  b->stats.posts = b->graph.nposts;
  b->stats.events = b->graph.nevents;
  b->stats.triples = nkg_rdf_count(b->rdf);
  return rc ? rc : frc;
}

int nkg_builder_write_errno(const nkg_builder *b) {
  return b->rdf ? nkg_rdf_write_errno(b->rdf) : 0;
}

void nkg_builder_stats(const nkg_builder *b, nkg_stats *stats) {
  *stats = b->stats;
  stats->entities = b->graph.nentities;
  stats->posts = b->graph.nposts;
  stats->events = b->graph.nevents;
  stats->triples = b->rdf ? nkg_rdf_count(b->rdf) : 0;
}

/* A build whose statements go to `sink` (a model sink, see
 * nkg_rdf_open_model) with one named graph per document. The builder is
 * made as for the counting format "none" and then given the sink, so that
 * everything else about a build stays as nkg_builder_new sets it. */
nkg_builder *nkg_builder_new_sink(const nkg_lexicon *lex,
                                  const nkg_options *opts, nkg_rdf *sink,
                                  int *status) {
  nkg_options counting = *opts;
  char none[] = "none";
  counting.format = none;
  nkg_builder *b = nkg_builder_new(lex, &counting, NULL, status);
  if (!b) {
    nkg_rdf_free(sink);
    return NULL;
  }
  nkg_rdf_free(b->rdf);
  b->rdf = sink;
  b->ctx.rdf = sink;
  b->ctx.named_graphs = 1;
  return b;
}

const char *nkg_options_base(const nkg_options *o) { return o->base; }

const char *nkg_options_format(const nkg_options *o) { return o->format; }

int nkg_options_text(const nkg_options *o) { return o->include_text; }

void nkg_builder_free(nkg_builder *b) {
  if (!b)
    return;
  nkg_workers_free(b->workers);
  nkg_rdf_free(b->rdf);
  nkg_graph_free(&b->graph);
  nkg_map_free(b->ids, NULL);
  free(b->base);
  free(b->date);
  free(b);
}
