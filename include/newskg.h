/*
 * newskg: news articles in, an RDF knowledge graph out.
 *
 * One public header. Every name carries the prefix `nkg_`; every type is
 * opaque. Functions that can fail return 0 (NKG_OK) or a negative status;
 * nkg_strerror() turns a status into a message. Every *_free(NULL) is a no-op.
 */
#ifndef NEWSKG_H
#define NEWSKG_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NKG_VERSION "0.1.0"

/* Status codes. 0 is success; every error is negative. */
enum nkg_status {
  NKG_OK = 0,
  NKG_ERR_NOMEM = -1,     /* out of memory */
  NKG_ERR_IO = -2,        /* a file could not be read or written */
  NKG_ERR_UTF8 = -3,      /* input is not valid UTF-8 */
  NKG_ERR_BINARY = -4,    /* input holds a NUL byte or other binary data */
  NKG_ERR_EMPTY = -5,     /* input holds no text */
  NKG_ERR_JSON = -6,      /* a JSON Lines record is malformed */
  NKG_ERR_TOO_LARGE = -7, /* an article exceeds the size limit */
  NKG_ERR_ARG = -8,       /* a bad argument (unknown format, bad IRI, ...) */
  NKG_ERR_DATA = -9,      /* a knowledge data file is missing or malformed */
  NKG_ERR_RDF = -10,      /* the RDF library reported an error */
  NKG_ERR_DUPLICATE = -11 /* two documents share one identifier */
};

/* A static, never-NULL English message for a status. */
const char *nkg_strerror(int status);

/* The knowledge the extractor reads at start (gazetteers, titles, event
 * words). Read-only once loaded; one lexicon may serve many builders and
 * threads. */
typedef struct nkg_lexicon nkg_lexicon;

/* Loads every data file from `data_dir` (NULL: the installed data folder,
 * or $NEWSKG_DATA). On success stores a new lexicon in *out, which the caller
 * frees with nkg_lexicon_free(). On failure returns a negative status and, if
 * `err` is not NULL, writes a message naming the file and line into it. */
int nkg_lexicon_load(const char *data_dir, nkg_lexicon **out, char *err,
                     size_t errlen);
void nkg_lexicon_free(nkg_lexicon *lexicon);

/* Options of one build. Create with nkg_options_new(); the caller owns it. */
typedef struct nkg_options nkg_options;
nkg_options *nkg_options_new(void);
void nkg_options_free(nkg_options *options);
/* Base IRI of every minted IRI (default "http://example.org/newskg/").
 * Must end in '/' or '#'. Returns NKG_ERR_ARG otherwise. The string is
 * copied. */
int nkg_options_set_base(nkg_options *options, const char *base_iri);
/* Output syntax: "turtle" (default), "ntriples", "nquads", "rdfxml".
 * Returns NKG_ERR_ARG for any other name. */
int nkg_options_set_format(nkg_options *options, const char *format);
/* Process documents in `jobs` worker threads (1 to NKG_MAX_JOBS; default
 * 1: on the calling thread). Documents are still committed, and the output
 * written, in input order on the calling thread, so the output is the same
 * byte for byte. With more than one job, nkg_builder_add returns at once
 * after validating the article, and an error in processing or writing an
 * earlier article (NKG_ERR_NOMEM, NKG_ERR_RDF, NKG_ERR_IO) is returned by
 * a later nkg_builder_add or by nkg_builder_finish; after it every call
 * returns it. Returns NKG_ERR_ARG if out of range. */
#define NKG_MAX_JOBS 256
int nkg_options_set_jobs(nkg_options *options, int jobs);
/* A shard of a larger build (default off): events reported by several
 * documents are not merged across documents here but by `newskg merge`,
 * which merges them over all the shards exactly as one build would. */
void nkg_options_set_shard(nkg_options *options, int shard);
/* Write each document's whole text as nif:isString (default off). */
void nkg_options_set_text(nkg_options *options, int include_text);
/* Default article date (YYYY-MM-DD) for documents that carry none, used to
 * resolve relative time expressions. NULL clears it. NKG_ERR_ARG if
 * malformed. */
int nkg_options_set_date(nkg_options *options, const char *date);

/* A build: documents go in one at a time, the graph comes out at the end
 * (N-Triples and N-Quads stream each document's facts as soon as they are
 * final). */
typedef struct nkg_builder nkg_builder;

/* Starts a build writing to `out` (not closed by the builder). The lexicon
 * and options must outlive the builder; options are read now. On failure
 * returns NULL and stores a status in *status. */
nkg_builder *nkg_builder_new(const nkg_lexicon *lexicon,
                             const nkg_options *options, FILE *out,
                             int *status);

/* Adds one article. `id` names it in the graph and in messages; `text` need
 * not be NUL-terminated; `date` and `source` may be NULL. The text is
 * validated first: on NKG_ERR_UTF8 / NKG_ERR_BINARY / NKG_ERR_EMPTY /
 * NKG_ERR_TOO_LARGE nothing of the article enters the graph and, if
 * `byte_offset` is not NULL, the offending byte offset is stored there. */
int nkg_builder_add(nkg_builder *builder, const char *id, const char *text,
                    size_t len, const char *date, const char *source,
                    size_t *byte_offset);

/* N-Triples and N-Quads: waits for the articles added so far and writes
 * their facts out now (a reader of the output may be waiting for them:
 * articles coming one by one on a pipe). The facts across documents still
 * come at the end. Other formats: nothing to write before the end. */
int nkg_builder_flush(nkg_builder *builder);

/* Writes everything still buffered and ends the output. Call once. After
 * it, failed or not, no thread of the build runs any more (the lexicon may
 * be freed before the builder). */
int nkg_builder_finish(nkg_builder *builder);

/* When a call returned NKG_ERR_IO because writing `out` failed: the errno
 * of that write (ENOSPC for a full disk, say); otherwise 0. */
int nkg_builder_write_errno(const nkg_builder *builder);

/* Number of documents, mentions, entities and triples so far. */
typedef struct nkg_stats {
  size_t documents;
  size_t mentions;
  size_t entities;
  size_t posts;
  size_t events;
  size_t quotations;
  size_t triples;
} nkg_stats;
void nkg_builder_stats(const nkg_builder *builder, nkg_stats *stats);

void nkg_builder_free(nkg_builder *builder);

#ifdef __cplusplus
}
#endif
#endif
