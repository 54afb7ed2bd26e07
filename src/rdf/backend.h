/* The RDF backend: a sink of triples that writes them through raptor2's
 * serializers (world owned by librdf). IRIs and literals go in as C
 * strings; nothing outside src/rdf/ sees a redland type. */
#ifndef NKG_RDF_BACKEND_H
#define NKG_RDF_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/uio.h>

typedef struct nkg_rdf nkg_rdf;

/* Opens a sink writing `format` ("turtle", "ntriples", "nquads",
 * "rdfxml") to fh. On failure returns a negative status and a message in
 * err. */
int nkg_rdf_open(nkg_rdf **out, const char *format, FILE *fh, char *err,
                 size_t errlen);

/* The second kind of sink: statements are added to librdf models instead of
 * being written. Each time the graph changes (nkg_rdf_set_graph; NULL is
 * the default graph), `route` says which model (a librdf_model *) takes the
 * graph's statements, or NULL to drop them; a model that keeps contexts
 * gets the graph as the statements' context. Literals are cleaned as for
 * the writers, so a model holds exactly what a written file would. */
typedef void *(*nkg_rdf_route)(void *user, const char *graph_iri);
int nkg_rdf_open_model(nkg_rdf **out, nkg_rdf_route route, void *user);

/* A sink that keeps the lines in memory, of the kind of `like` (a
 * N-Triples, N-Quads or counting sink; for other kinds *out is NULL and 0
 * is returned): a worker thread writes a document's own triples into it,
 * and the committing thread hands them on in input order with
 * nkg_rdf_append. Touches nothing shared, so it may be used on any thread.
 */
int nkg_rdf_open_buffer(nkg_rdf **out, const nkg_rdf *like);
/* Empties a buffer sink (nkg_rdf_open_buffer) for another document: its
 * lines, count and errors go; its memory and what it remembers stay. */
void nkg_rdf_clear(nkg_rdf *rdf);
/* Room for about `bytes` of lines in a sink of lines (a buffer about to
 * take a document's, which would otherwise grow by doubling, copying its
 * lines each time). 0 or NKG_ERR_NOMEM; other sinks: 0. */
int nkg_rdf_expect(nkg_rdf *rdf, size_t bytes);
/* nkg_rdf_open_buffer, and for a Turtle sink a buffer of statements, which
 * nkg_rdf_append gives the Turtle writer (their IRIs checked and counted
 * then, as if they were added to `to` then). */
int nkg_rdf_open_statements(nkg_rdf **out, const nkg_rdf *like);
/* Does nkg_rdf_open_statements give `rdf` a buffer? */
int nkg_rdf_buffers_statements(const nkg_rdf *rdf);
/* N-Triples and N-Quads to a file: from now on the lines are queued, in
 * the order they come, for other threads to write (the builder with
 * several jobs, whose thread would otherwise wait for write(2) while it is
 * the one that commits every document). Those threads call
 * nkg_rdf_write_queued, which writes everything queued if no other thread
 * is writing; `wake(arg)`, if not NULL, is called (on the queueing
 * thread) when blocks become ready to be written, for threads that wait
 * for work. Past 32 MB queued, the queueing thread writes too.
 * nkg_rdf_finish writes what is left; the queue stays until nkg_rdf_free,
 * which must come after every other thread is done with the sink. Other
 * sinks: nothing happens. A write error is reported by the next call that
 * queues lines, or by nkg_rdf_finish (with errno set to the write's). */
int nkg_rdf_write_behind(nkg_rdf *rdf, void (*wake)(void *), void *arg);
/* Writes what is queued if it is 1 MB or more (fewer, larger writes cost
 * the file system less; to a pipe or terminal, anything), unless another
 * thread is writing. Returns 1 if it wrote. Any thread; a sink not written
 * behind: 0. */
int nkg_rdf_write_queued(nkg_rdf *rdf);
/* Is there that much to write, and no thread writing? (Lock-free.) */
int nkg_rdf_queued(const nkg_rdf *rdf);
/* May the sink use another thread at the end (Turtle: to make the text
 * of half the subjects)? Default no. */
void nkg_rdf_set_parallel(nkg_rdf *rdf, int parallel);
/* For a command about to write `format`: starts loading raptor and
 * librdf in the background if that format needs them (Turtle, RDF/XML). */
void nkg_rdf_preload(const char *format);
/* How much of a file nkg_rdf_write_file has sent to the disk: all zero
 * before its first write. */
typedef struct nkg_writeback {
  size_t unsynced; /* bytes written since write-back last began */
  int64_t dropped; /* the file's bytes from its first 64 MB (which stay
                      cached) to this offset are written and out of the
                      page cache; -1: the file does not allow it */
} nkg_writeback;

/* Writes the n pieces of iov to fh, in order, in as few write(2) calls as
 * it can (stdio's own buffer, flushed first, would split each piece in
 * two). Every 1 MB written to a file the kernel is asked to start writing
 * it back, so that the fsync of the output at the end waits for the last
 * blocks only; past the file's first 64 MB, what was written 8 to 10 MB
 * before (up to a 2 MB boundary) is waited for and dropped from the page
 * cache (see DROP_BEHIND). Returns 0, or -1 with errno set
 * (a failed write, or the disk's error for what was written before). */
int nkg_rdf_write_file(FILE *fh, nkg_writeback *wb, const struct iovec *iov,
                       int n);
/* The errno of the first write to the output that failed (the sink's
 * calls then returned NKG_ERR_IO), or 0. */
int nkg_rdf_write_errno(const nkg_rdf *rdf);
/* Moves everything `from` holds (lines, triple count, errors) to the end
 * of `to`, and empties it. */
int nkg_rdf_append(nkg_rdf *to, nkg_rdf *from);

/* The graph that following triples go to (N-Quads only; NULL: default). The
 * string is copied. */
int nkg_rdf_set_graph(nkg_rdf *rdf, const char *graph_iri);

/* Adds <s> <p> <o>. */
int nkg_rdf_iri(nkg_rdf *rdf, const char *s, const char *p, const char *o);
/* Adds <s> <p> "lit"^^<datatype> (datatype NULL: a plain string). The
 * literal is cleaned of characters raptor 2.0.15 would write raw. */
int nkg_rdf_lit(nkg_rdf *rdf, const char *s, const char *p, const char *lit,
                const char *datatype);
int nkg_rdf_lit_n(nkg_rdf *rdf, const char *s, const char *p, const char *lit,
                  size_t n, const char *datatype);
/* As nkg_rdf_iri and nkg_rdf_lit_n with the lengths of s, p (and o) known
 * (the strings are still NUL-terminated). With `plain` the caller knows
 * that these IRIs hold only bytes an IRI keeps as they are (see
 * nkg_rdf_iri_plain): N-Triples lines then copy them without a look. */
int nkg_rdf_iri_known(nkg_rdf *rdf, const char *s, size_t ls, const char *p,
                      size_t lp, const char *o, size_t lo, int plain);
int nkg_rdf_lit_known(nkg_rdf *rdf, const char *s, size_t ls, const char *p,
                      size_t lp, const char *lit, size_t n,
                      const char *datatype, int plain);
int nkg_rdf_uint_known(nkg_rdf *rdf, const char *s, size_t ls, const char *p,
                       size_t lp, unsigned long long v, int plain);
/* Does the IRI hold only printable ASCII but <>"{}|\^` (which N-Triples
 * writes as they are)? */
int nkg_rdf_iri_plain(const char *iri, size_t n);
/* Adds an xsd:nonNegativeInteger / xsd:boolean literal. */
int nkg_rdf_uint(nkg_rdf *rdf, const char *s, const char *p,
                 unsigned long long v);
int nkg_rdf_bool(nkg_rdf *rdf, const char *s, const char *p, int v);

/* Ends the output (Turtle and RDF/XML are written here). Returns 0 or a
 * negative status if any error was reported along the way. */
int nkg_rdf_finish(nkg_rdf *rdf);
/* N-Triples and N-Quads: writes every line made so far (queued ones too,
 * with any thread writing them), for a reader waiting for them. Other
 * sinks: nothing. 0, or NKG_ERR_IO (the sink's error noted). */
int nkg_rdf_flush(nkg_rdf *rdf);
size_t nkg_rdf_count(const nkg_rdf *rdf);
/* The first error message the libraries reported, or NULL. */
const char *nkg_rdf_error(const nkg_rdf *rdf);
void nkg_rdf_free(nkg_rdf *rdf);

/* The process's librdf world (a librdf_world *), created on first use (which
 * loads librdf, see rdflib.h) and freed at exit; NULL if librdf could not be
 * loaded or memory was short. */
void *nkg_rdf_world(void);
/* The status (and message in err) for nkg_rdf_world() returning NULL:
 * NKG_ERR_RDF if librdf could not be loaded, else NKG_ERR_NOMEM. */
int nkg_rdf_no_world(char *err, size_t errlen);
/* Routes library messages to this sink (the one being written). */
void nkg_rdf_capture(nkg_rdf *rdf);

/* The prefixes the output declares: the i-th in *prefix and *ns; 0 past
 * the last. */
int nkg_rdf_prefix_at(size_t i, const char **prefix, const char **ns);

/* Is the name a format the backend writes? */
int nkg_rdf_format_ok(const char *format);

/* ---- vocabulary ---------------------------------------------------------- */
#define NKG_NS "https://w3id.org/newskg/ns#"
#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define RDFS_NS "http://www.w3.org/2000/01/rdf-schema#"
#define XSD_NS "http://www.w3.org/2001/XMLSchema#"
#define SCHEMA_NS "http://schema.org/"
#define ORG_NS "http://www.w3.org/ns/org#"
#define SEM_NS "http://semanticweb.cs.vu.nl/2009/11/sem/"
#define PROV_NS "http://www.w3.org/ns/prov#"
#define SKOS_NS "http://www.w3.org/2004/02/skos/core#"
#define NIF_NS "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
#define ITSRDF_NS "http://www.w3.org/2005/11/its/rdf#"
#define TIME_NS "http://www.w3.org/2006/time#"
#define DCTERMS_NS "http://purl.org/dc/terms/"
#define OWL_NS "http://www.w3.org/2002/07/owl#"

#endif
