/* Writing RDF through raptor2's serializers, with the raptor world that
 * librdf owns (so that store and query code share one world per process).
 * Traps handled here (see design/style.md): the logger is set before the
 * world opens and swallows messages after counting them; literals are
 * cleaned before raptor sees them; the base URI is NULL; one serializer per
 * output.
 * N-Triples and N-Quads, line formats with four escapes, are written here
 * directly, byte for byte as raptor 2.0.15 writes them: raptor's writer
 * builds interned terms and writes one byte at a time through function
 * pointers, about 20,000 instructions a triple, 60% of a whole build of
 * the BBC corpus (see bench/README.md). Format "none" writes nothing and
 * only counts: the cost of extraction alone. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* sync_file_range */
#endif
#include "backend.h"
#include "rdflib.h"

#if defined(__linux__)
#include <fcntl.h>
#include <unistd.h>
#endif

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "newskg.h"
#include "turtle.h"
#include "util.h"

/* Predicates remembered escaped by N-Triples sinks (a power of two). */
#define IRI_MEMO_SLOTS 32

enum nkg_sink {
  NKG_SINK_RAPTOR,
  NKG_SINK_LINES,
  NKG_SINK_NONE,
  NKG_SINK_TURTLE, /* newskg's own Turtle writer (turtle.c) */
  NKG_SINK_MODEL   /* statements added to librdf models (nkg_rdf_open_model) */
};

struct nkg_rdf {
  librdf_world *world;
  raptor_world *raptor;
  raptor_serializer *ser;
  raptor_term *graph;
  int sink;           /* enum nkg_sink */
  FILE *fh;           /* NKG_SINK_LINES: where the buffer goes */
  nkg_buf lines;      /* NKG_SINK_LINES: written past flush_at */
  size_t flush_at;    /* see LINES_WRITE_AT */
  int to_file;        /* fh is a regular file (see LINES_WRITE_AT) */
  nkg_turtle *turtle; /* NKG_SINK_TURTLE: the statements until the end */
  char *graph_iri;    /* NKG_SINK_LINES: the current graph, or NULL */
  nkg_buf graph_term; /* NKG_SINK_LINES: " <graph>", escaped once */
  int graph_bad;      /* NKG_SINK_LINES: the graph IRI is not UTF-8 */
  int buffer;         /* made by nkg_rdf_open_buffer */
  int parallel;       /* NKG_SINK_TURTLE: written on two threads */
  /* NKG_SINK_LINES: IRIs escaped lately, to copy when they come again
   * (a subject has several lines in a row, predicates are few) */
  struct iri_memo {
    nkg_buf raw, escaped;
  } subject_memo, predicate_memo[IRI_MEMO_SLOTS];
  nkg_rdf_route route; /* NKG_SINK_MODEL: which model takes a graph */
  void *route_user;
  librdf_model *model;  /* NKG_SINK_MODEL: for the current graph, or NULL */
  librdf_node *context; /* NKG_SINK_MODEL: the current graph as a node */
  nkg_writeback wb;     /* NKG_SINK_LINES to a file: nkg_rdf_write_file */
  struct out_queue *out; /* NKG_SINK_LINES: written behind, or NULL */
  size_t count;
  int errors;
  int write_errno; /* of the first failed write to the output, or 0 */
  char *first_error;
  raptor_uri *dt_nonneg, *dt_bool;
};

static const struct {
  const char *prefix, *ns;
} prefixes[] = {
    {"rdf", RDF_NS},         {"rdfs", RDFS_NS},     {"xsd", XSD_NS},
    {"owl", OWL_NS},         {"schema", SCHEMA_NS}, {"org", ORG_NS},
    {"sem", SEM_NS},         {"prov", PROV_NS},     {"skos", SKOS_NS},
    {"nif", NIF_NS},         {"itsrdf", ITSRDF_NS}, {"time", TIME_NS},
    {"dcterms", DCTERMS_NS}, {"nkg", NKG_NS}};

int nkg_rdf_prefix_at(size_t i, const char **prefix, const char **ns) {
  if (i >= sizeof prefixes / sizeof *prefixes)
    return 0;
  *prefix = prefixes[i].prefix;
  *ns = prefixes[i].ns;
  return 1;
}

/* Bytes an IRI holds as they are: printable ASCII but <>"{}|\^`. A table,
 * filled once: this loop runs over nearly every byte written. */
static unsigned char iri_plain[256];
static pthread_once_t iri_plain_once = PTHREAD_ONCE_INIT;

static void init_iri_plain(void) {
  for (int c = 0x21; c < 0x7f; c++)
    iri_plain[c] = !strchr("<>\"{}|\\^`", c);
}

static void note_error(nkg_rdf *rdf, const char *msg) {
  rdf->errors++;
  if (!rdf->first_error)
    rdf->first_error = nkg_strdup(msg ? msg : "RDF library error");
}

/* A write to the output failed, errno saying why (kept for
 * nkg_rdf_write_errno). */
static void note_write_failed(nkg_rdf *rdf) {
  if (!rdf->write_errno)
    rdf->write_errno = errno ? errno : EIO;
  note_error(rdf, "could not write the output");
}

/* Parse errors say where: "line 12, column 3: message". */
static void note_located(nkg_rdf *rdf, const char *text, int line, int column) {
  if (line <= 0) {
    note_error(rdf, text);
    return;
  }
  nkg_buf b = {0};
  nkg_buf_addf(&b, "line %d", line);
  if (column > 0)
    nkg_buf_addf(&b, ", column %d", column);
  nkg_buf_addf(&b, ": %s", text ? text : "error");
  note_error(rdf, b.s);
  nkg_buf_free(&b);
}

/* The lines are written when they pass this, to a regular file: the file
 * system's work per byte falls with the size of a write(2) up to about
 * 1 MB (in 64 KB writes, the system time of a one-job build of the BBC
 * corpus to N-Triples was 52 ms; in 1 MB writes, 30 ms). Nobody reads the
 * file before it is complete (the CLI renames it into place). To a pipe
 * or a terminal, whose reader may wait for each article's lines (a feed of
 * articles on standard input), they go past LINES_QUEUE_AT. */
#define LINES_WRITE_AT ((size_t)1 << 20)
/* Written behind, the lines are queued when they pass this (the queue
 * gathers blocks into larger writes: OUT_BATCH). */
#define LINES_QUEUE_AT ((size_t)1 << 16)

/* Is fh a regular file (see LINES_WRITE_AT)? */
static int regular_file(FILE *fh) {
  struct stat sb;
  int fd = fh ? fileno(fh) : -1;
  return fd >= 0 && !fstat(fd, &sb) && S_ISREG(sb.st_mode);
}

/* One librdf world per process: freeing a world tears down libxml2, and
 * raptor has no locks, so only the thread that writes uses it. Messages go
 * to the sink being written. */
static librdf_world *g_world;
static nkg_rdf *g_current;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static int on_librdf_log(void *user, librdf_log_message *message) {
  (void)user;
  librdf_log_level level = librdf_log_message_level(message);
  if (level >= LIBRDF_LOG_ERROR && g_current) {
    raptor_locator *at = librdf_log_message_locator(message);
    note_located(g_current, librdf_log_message_message(message),
                 at ? raptor_locator_line(at) : -1,
                 at ? raptor_locator_column(at) : -1);
  }
  return 1; /* handled: librdf prints nothing */
}

static void on_raptor_log(void *user, raptor_log_message *message) {
  (void)user;
  if (message->level >= RAPTOR_LOG_LEVEL_ERROR && g_current)
    note_located(g_current, message->text,
                 message->locator ? message->locator->line : -1,
                 message->locator ? message->locator->column : -1);
}

static void free_world(void) {
  if (g_world)
    librdf_free_world(g_world);
  g_world = NULL;
}

static void open_world(void) {
  g_world = librdf_new_world();
  if (!g_world)
    return;
  librdf_world_set_logger(g_world, NULL, on_librdf_log);
  librdf_world_open(g_world);
  raptor_world_set_log_handler(librdf_world_get_raptor(g_world), NULL,
                               on_raptor_log);
  atexit(free_world);
}

void *nkg_rdf_world(void) {
  if (nkg_rdflib_load())
    return NULL;
  pthread_once(&g_once, open_world);
  return g_world;
}

int nkg_rdf_no_world(char *err, size_t errlen) {
  if (!nkg_rdflib_error())
    return NKG_ERR_NOMEM;
  if (err && errlen)
    snprintf(err, errlen, "the RDF libraries could not be loaded");
  return NKG_ERR_RDF;
}

void nkg_rdf_capture(nkg_rdf *rdf) { g_current = rdf; }

void nkg_rdf_set_parallel(nkg_rdf *rdf, int parallel) {
  rdf->parallel = parallel;
}

void nkg_rdf_preload(const char *format) {
  if (format && (!strcmp(format, "turtle") || !strcmp(format, "rdfxml")))
    nkg_rdflib_load_behind();
}

int nkg_rdf_format_ok(const char *format) {
  return format && (!strcmp(format, "turtle") || !strcmp(format, "ntriples") ||
                    !strcmp(format, "nquads") || !strcmp(format, "rdfxml") ||
                    !strcmp(format, "none"));
}

/* A sink of no kind yet, on the process's world if `world` (sinks that
 * raptor or librdf write: the others never load them); NULL if out of
 * memory or the libraries could not be loaded. */
static nkg_rdf *new_sink(int world) {
  nkg_rdf *rdf = calloc(1, sizeof *rdf);
  if (!rdf)
    return NULL;
  if (!world)
    return rdf;
  rdf->world = nkg_rdf_world();
  if (!rdf->world) {
    free(rdf);
    return NULL;
  }
  rdf->raptor = librdf_world_get_raptor(rdf->world);
  return rdf;
}

int nkg_rdf_open(nkg_rdf **out, const char *format, FILE *fh, char *err,
                 size_t errlen) {
  *out = NULL;
  if (!nkg_rdf_format_ok(format)) {
    if (err)
      snprintf(err, errlen, "unknown output format '%s'",
               format ? format : "(null)");
    return NKG_ERR_ARG;
  }
  /* newskg writes these itself; raptor writes the others */
  int sink = !strcmp(format, "none")       ? NKG_SINK_NONE
             : !strcmp(format, "ntriples") ? NKG_SINK_LINES
             : !strcmp(format, "nquads")   ? NKG_SINK_LINES
             : !strcmp(format, "turtle")   ? NKG_SINK_TURTLE
                                           : NKG_SINK_RAPTOR;
  nkg_rdf *rdf = new_sink(sink == NKG_SINK_RAPTOR);
  if (!rdf) {
    if (!nkg_rdflib_error())
      return NKG_ERR_NOMEM;
    if (err)
      snprintf(err, errlen, "%s", nkg_rdflib_error());
    return NKG_ERR_RDF;
  }
  g_current = rdf;
  rdf->sink = sink;
  rdf->fh = fh;
  rdf->to_file = regular_file(fh);
  rdf->flush_at = rdf->to_file ? LINES_WRITE_AT : LINES_QUEUE_AT;
  if (sink == NKG_SINK_NONE || sink == NKG_SINK_LINES) {
    pthread_once(&iri_plain_once, init_iri_plain);
    *out = rdf;
    return 0;
  }
  if (sink == NKG_SINK_TURTLE) {
    if (!(rdf->turtle = nkg_turtle_new())) {
      nkg_rdf_free(rdf);
      return NKG_ERR_NOMEM;
    }
    *out = rdf;
    return 0;
  }
  const char *name = !strcmp(format, "rdfxml") ? "rdfxml-abbrev" : format;
  rdf->ser = raptor_new_serializer(rdf->raptor, name);
  if (!rdf->ser) {
    if (err)
      snprintf(err, errlen, "raptor has no '%s' serializer", name);
    nkg_rdf_free(rdf);
    return NKG_ERR_RDF;
  }
  for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
    raptor_uri *u =
        raptor_new_uri(rdf->raptor, (const unsigned char *)prefixes[i].ns);
    raptor_serializer_set_namespace(rdf->ser, u,
                                    (const unsigned char *)prefixes[i].prefix);
    raptor_free_uri(u);
  }
  rdf->dt_nonneg = raptor_new_uri(rdf->raptor, (const unsigned char *)XSD_NS
                                  "nonNegativeInteger");
  rdf->dt_bool =
      raptor_new_uri(rdf->raptor, (const unsigned char *)XSD_NS "boolean");
  if (raptor_serializer_start_to_file_handle(rdf->ser, NULL, fh)) {
    if (err)
      snprintf(err, errlen, "could not start the %s serializer", name);
    nkg_rdf_free(rdf);
    return NKG_ERR_RDF;
  }
  *out = rdf;
  return 0;
}

/* A buffer of sink kind `sink`: no FILE, what it is given stays in
 * rdf->lines. */
static int new_buffer(nkg_rdf **out, int sink) {
  nkg_rdf *rdf = calloc(1, sizeof *rdf);
  if (!rdf)
    return NKG_ERR_NOMEM;
  rdf->sink = sink;
  rdf->buffer = 1;
  *out = rdf;
  return 0;
}

int nkg_rdf_open_buffer(nkg_rdf **out, const nkg_rdf *like) {
  *out = NULL;
  if (like->sink != NKG_SINK_LINES && like->sink != NKG_SINK_NONE)
    return 0;
  return new_buffer(out, like->sink);
}

void nkg_rdf_clear(nkg_rdf *rdf) {
  rdf->lines.len = 0;
  rdf->count = 0;
  rdf->errors = 0;
  free(rdf->first_error);
  rdf->first_error = NULL;
}

int nkg_rdf_expect(nkg_rdf *rdf, size_t bytes) {
  if (rdf->sink != NKG_SINK_LINES || rdf->lines.cap >= bytes)
    return 0;
  return nkg_grow((void **)&rdf->lines.s, &rdf->lines.cap, bytes, 1);
}

/* A buffer of statements for a Turtle sink: each statement kept as a
 * record (its terms' bytes) in rdf->lines, for nkg_rdf_append to give the
 * Turtle writer in order, on its thread. rdf->turtle is NULL. */
int nkg_rdf_open_statements(nkg_rdf **out, const nkg_rdf *like) {
  if (like->sink != NKG_SINK_TURTLE)
    return nkg_rdf_open_buffer(out, like);
  *out = NULL;
  return new_buffer(out, NKG_SINK_TURTLE);
}

int nkg_rdf_buffers_statements(const nkg_rdf *rdf) {
  return rdf->sink == NKG_SINK_LINES || rdf->sink == NKG_SINK_NONE ||
         rdf->sink == NKG_SINK_TURTLE;
}

/* A record: four 32-bit lengths (subject, predicate, object, datatype + 1
 * or 0 for none), whether the object is a literal, then the bytes of each
 * term and a NUL after the datatype. */
#define RECORD_HEAD (4 * sizeof(uint32_t) + 1)

static int record_statement(nkg_rdf *rdf, const char *s, size_t ls,
                            const char *p, size_t lp, const char *o,
                            size_t lo, int lit, const char *datatype) {
  size_t ld = datatype ? strlen(datatype) : 0;
  if (ls > UINT32_MAX || lp > UINT32_MAX || lo > UINT32_MAX ||
      ld >= UINT32_MAX)
    return NKG_ERR_NOMEM;
  nkg_buf *b = &rdf->lines;
  size_t need = RECORD_HEAD + ls + lp + lo + ld + 1;
  if (nkg_grow((void **)&b->s, &b->cap, b->len + need, 1))
    return NKG_ERR_NOMEM;
  char *w = b->s + b->len;
  uint32_t head[4] = {(uint32_t)ls, (uint32_t)lp, (uint32_t)lo,
                      datatype ? (uint32_t)ld + 1 : 0};
  memcpy(w, head, sizeof head);
  w[sizeof head] = (char)(lit != 0);
  w += RECORD_HEAD;
  memcpy(w, s, ls);
  memcpy(w + ls, p, lp);
  memcpy(w + ls + lp, o, lo);
  memcpy(w + ls + lp + lo, datatype ? datatype : "", ld + 1);
  b->len += need;
  return 0;
}

static int turtle_line(nkg_rdf *rdf, const char *s, size_t ls, const char *p,
                       size_t lp, const char *o, size_t lo, int lit,
                       const char *datatype);

/* The records of `from` to the Turtle sink `to`, in order. */
static int replay_statements(nkg_rdf *to, const nkg_buf *b) {
  int first = 0;
  for (size_t at = 0; at < b->len;) {
    uint32_t head[4];
    memcpy(head, b->s + at, sizeof head);
    int lit = b->s[at + sizeof head];
    const char *s = b->s + at + RECORD_HEAD, *p = s + head[0],
               *o = p + head[1], *dt = o + head[2];
    int rc = turtle_line(to, s, head[0], p, head[1], o, head[2], lit,
                         head[3] ? dt : NULL);
    if (rc && !first)
      first = rc;
    if (rc == NKG_ERR_NOMEM)
      return rc;
    at += RECORD_HEAD + head[0] + head[1] + head[2] +
          (head[3] ? head[3] : 1);
  }
  return first;
}

static int lines_flush(nkg_rdf *rdf);

/* Writes n bytes to the sink's file on this thread (a failure is the
 * sink's error). */
static int write_now(nkg_rdf *rdf, const char *s, size_t n) {
  if (!rdf->fh || !n)
    return 0;
  struct iovec iov = {(void *)s, n};
  if (nkg_rdf_write_file(rdf->fh, &rdf->wb, &iov, 1)) {
    note_write_failed(rdf);
    return NKG_ERR_IO;
  }
  return 0;
}

/* Every this many bytes written, the kernel is asked to start writing the
 * file back (asynchronously), so that the fsync of the output at the end,
 * serial, waits for the last blocks only (every 8 MB, it waited 6 ms at
 * the end of a build of the BBC corpus; every 1 MB, 3 ms). */
#define WRITEBACK_EVERY ((size_t)1 << 20)

/* What was written this far before the end of the file is, at the next
 * write-back, waited for (it was sent several MB earlier, so the wait is
 * seldom a wait) and dropped from the page cache. An output is read, if
 * ever, long after it is written, and it can be many times the size of
 * the text: kept in the page cache, it pushes out what the machine's other
 * programs had there, and each new page of it is memory the build touches
 * for the first time. On this virtual machine that memory can be slow to
 * touch: the 10-times corpus to Turtle (a 420 MB file) right after a
 * build to N-Quads (1.5 GB) took 4.1-4.4 s with 1.2-1.4 s of system time,
 * and 3.0-3.25 s with 0.2 s dropping behind; the N-Quads build itself
 * 2.8-3.5 s against 2.6-2.8 s. The pages dropped come back, still warm,
 * for the next ones. 8 MB of slack: at 2 MB, a two-job Turtle build,
 * which writes its 42 MB in a burst, sometimes waited for the disk. */
#define DROP_BEHIND ((int64_t)8 << 20)
/* An output's first 64 MB stay in the page cache: a small graph is often
 * queried right after it is built, and dropping costs each page a free
 * and an allocation more (2% of a build of the corpus once to N-Triples,
 * whose 116 MB would otherwise all go). */
#define KEEP_CACHED ((int64_t)64 << 20)

#if defined(__linux__)
/* Starts the write-back of the file's new pages; waits for and drops those
 * DROP_BEHIND before its end (wb->dropped < 0: not again for this file).
 * -1 with errno for the disk's error: after the wait, a later fsync would
 * no longer report it. */
static int write_back(int fd, nkg_writeback *wb) {
  /* a hint: fails harmlessly on pipes and devices */
  (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  if (wb->dropped < 0)
    return 0;
  off_t end = lseek(fd, 0, SEEK_CUR);
  if (end < 0) {
    wb->dropped = -1; /* a pipe */
    return 0;
  }
  /* on a 2 MB boundary: the page cache may hold a file in folios of up to
   * 2 MB, aligned in the file, and one that crosses the end of a range
   * stays */
  int64_t to = ((int64_t)end - DROP_BEHIND) & ~(((int64_t)2 << 20) - 1);
  if (wb->dropped < KEEP_CACHED)
    wb->dropped = KEEP_CACHED;
  if (to <= wb->dropped)
    return 0;
  if (sync_file_range(fd, (off_t)wb->dropped, (off_t)(to - wb->dropped),
                      SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                          SYNC_FILE_RANGE_WAIT_AFTER)) {
    if (errno == EINVAL || errno == ESPIPE || errno == ENOSYS ||
        errno == EOPNOTSUPP) {
      wb->dropped = -1; /* not a file that allows it */
      return 0;
    }
    return -1;
  }
  (void)posix_fadvise(fd, (off_t)wb->dropped, (off_t)(to - wb->dropped),
                      POSIX_FADV_DONTNEED);
  wb->dropped = to;
  return 0;
}
#endif

/* At most this many pieces per writev(2) (POSIX guarantees 16; Linux and
 * the BSDs take 1,024). */
#define WRITE_PIECES 64

/* Writes pieces through stdio: for streams without a file descriptor,
 * and after write(2) failed, so that the stream keeps the error for
 * ferror (the command line reports it as stdio's). */
static int write_stdio(FILE *fh, const struct iovec *iov, int n) {
  for (int i = 0; i < n; i++)
    if (fwrite(iov[i].iov_base, 1, iov[i].iov_len, fh) != iov[i].iov_len)
      return -1;
  return 0;
}

int nkg_rdf_write_file(FILE *fh, nkg_writeback *wb, const struct iovec *iov,
                       int n) {
  int fd = fileno(fh);
  if (fd < 0) /* a stream of memory (tests) */
    return write_stdio(fh, iov, n);
  if (fflush(fh))
    return -1;
  size_t total = 0;
  struct iovec part[WRITE_PIECES];
  while (n > 0) {
    int k = n < WRITE_PIECES ? n : WRITE_PIECES;
    memcpy(part, iov, (size_t)k * sizeof *part);
    iov += k;
    n -= k;
    struct iovec *at = part;
    while (k > 0) {
      ssize_t w = writev(fd, at, k);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return write_stdio(fh, at, k) || write_stdio(fh, iov, n) ? -1 : 0;
      total += (size_t)w;
      /* past the pieces written whole, into the one written in part */
      while (k > 0 && (size_t)w >= at->iov_len) {
        w -= (ssize_t)at->iov_len;
        at++;
        k--;
      }
      if (k > 0) {
        at->iov_base = (char *)at->iov_base + w;
        at->iov_len -= (size_t)w;
      }
    }
  }
#if defined(__linux__)
  wb->unsynced += total;
  if (wb->unsynced >= WRITEBACK_EVERY) {
    wb->unsynced = 0;
    if (write_back(fd, wb))
      return -1;
  }
#else
  (void)wb;
#endif
  return 0;
}

/* ---- writing behind the committing thread (nkg_rdf_write_behind) --------
 *
 * With several jobs, the builder's thread commits every document in order;
 * the write(2) of its lines (the copy into the page cache, and the file
 * system's work) was a third of that thread's time, while the other
 * threads waited for it. Blocks of lines go instead, in order and without
 * a copy, to a queue that the builder's other threads write out between
 * their documents (nkg_rdf_write_queued): one thread at a time, taking
 * every block queued, so the file is written in order. A thread of its
 * own for the writes cost a wake-up and two context switches per block,
 * on cores that the workers keep busy. */

/* At most this much is queued; beyond it the committing thread writes. */
#define OUT_MAX_PENDING ((size_t)32 << 20)

typedef struct out_block {
  struct out_block *next;
  char *s;
  size_t len;
} out_block;

typedef struct out_queue {
  pthread_mutex_t lock;
  pthread_cond_t written; /* a thread is done writing */
  out_block *head, *tail;
  size_t pending; /* bytes queued or being written */
  size_t queued;  /* bytes queued */
  size_t batch;   /* written when this much is queued: OUT_BATCH, or 1 */
  int writing;    /* a thread is writing blocks it took from the queue */
  int closed;     /* finished: nothing is queued or written any more */
  int failed;     /* a write failed: later blocks are dropped */
  int error;      /* its errno, for the thread that reports it */
  atomic_int ready; /* blocks are queued and no thread is writing */
  FILE *fh;
  nkg_writeback wb;
  void (*wake)(void *); /* told when blocks become ready (may be NULL) */
  void *wake_arg;
} out_queue;

/* The queue is written when it holds this much (or when it is drained),
 * in one writev(2), to a regular file (see LINES_WRITE_AT; to anything
 * else, as soon as it holds anything): the system time of a two-job build
 * of the BBC corpus to N-Triples went from 67 to 41 ms. */
#define OUT_BATCH ((size_t)1 << 20)

/* Under the lock: may a thread take what is queued, if that is at least
 * `least` bytes? */
static int out_takeable(const out_queue *o, size_t least) {
  return o->head && o->queued >= least && !o->writing && !o->closed;
}

/* Under the lock: keeps `ready` what the queue is; 1 if it is ready. */
static int out_ready(out_queue *o) {
  int ready = out_takeable(o, o->batch);
  atomic_store_explicit(&o->ready, ready, memory_order_release);
  return ready;
}

int nkg_rdf_write_behind(nkg_rdf *rdf, void (*wake)(void *), void *arg) {
  if (rdf->sink != NKG_SINK_LINES || !rdf->fh || rdf->out || rdf->buffer)
    return 0;
  out_queue *o = calloc(1, sizeof *o);
  if (!o)
    return NKG_ERR_NOMEM;
  o->fh = rdf->fh;
  o->wb = rdf->wb;
  o->wake = wake;
  o->wake_arg = arg;
  atomic_init(&o->ready, 0);
  pthread_mutex_init(&o->lock, NULL);
  pthread_cond_init(&o->written, NULL);
  o->batch = rdf->to_file ? OUT_BATCH : 1;
  rdf->out = o;
  rdf->flush_at = LINES_QUEUE_AT;
  return 0;
}

int nkg_rdf_queued(const nkg_rdf *rdf) {
  return rdf->out &&
         atomic_load_explicit(&rdf->out->ready, memory_order_acquire);
}

/* Writes what is queued, unless another thread is writing (or, unless
 * `all`, less than a batch is queued). */
static int write_queued(nkg_rdf *rdf, int all) {
  out_queue *o = rdf->out;
  if (!o || (!all && !atomic_load_explicit(&o->ready, memory_order_acquire)))
    return 0;
  pthread_mutex_lock(&o->lock);
  if (!(all ? out_takeable(o, 0) : out_ready(o))) {
    pthread_mutex_unlock(&o->lock);
    return 0;
  }
  out_block *list = o->head;
  o->head = o->tail = NULL;
  o->queued = 0;
  o->writing = 1;
  out_ready(o);
  int failed = o->failed, error = 0;
  pthread_mutex_unlock(&o->lock);
  size_t done = 0;
  while (list) {
    /* up to WRITE_PIECES blocks at a time, in one writev(2) */
    struct iovec iov[WRITE_PIECES];
    out_block *taken = list;
    int n = 0;
    for (; list && n < WRITE_PIECES; list = list->next, n++) {
      iov[n].iov_base = list->s;
      iov[n].iov_len = list->len;
      done += list->len;
    }
    if (!failed && nkg_rdf_write_file(o->fh, &o->wb, iov, n))
      failed = 1, error = errno;
    while (taken != list) {
      out_block *blk = taken;
      taken = blk->next;
      free(blk->s);
      free(blk);
    }
  }
  pthread_mutex_lock(&o->lock);
  if (failed && !o->failed)
    o->failed = 1, o->error = error;
  o->pending -= done;
  o->writing = 0;
  int more = out_ready(o);
  pthread_cond_broadcast(&o->written);
  pthread_mutex_unlock(&o->lock);
  if (more && o->wake)
    o->wake(o->wake_arg); /* what was queued meanwhile */
  return 1;
}

int nkg_rdf_write_queued(nkg_rdf *rdf) { return write_queued(rdf, 0); }

/* With the queue's lock: writes what is queued, or waits for the thread
 * that is writing, until at most `limit` bytes are queued or being
 * written (or, if `until_failed`, a write failed). */
static void drain(nkg_rdf *rdf, size_t limit, int until_failed) {
  out_queue *o = rdf->out;
  while (o->pending > limit && !(until_failed && o->failed)) {
    if (o->writing) {
      pthread_cond_wait(&o->written, &o->lock);
      continue;
    }
    pthread_mutex_unlock(&o->lock);
    write_queued(rdf, 1);
    pthread_mutex_lock(&o->lock);
  }
}

/* Queues the buffer's bytes, which the queue takes over (the buffer is
 * left empty). */
static int out_put(nkg_rdf *rdf, nkg_buf *b) {
  out_queue *o = rdf->out;
  if (o->closed) { /* (set by this thread) */
    int rc = write_now(rdf, b->s, b->len);
    nkg_buf_clear(b);
    return rc;
  }
  out_block *blk = malloc(sizeof *blk);
  if (!blk) {
    note_error(rdf, "out of memory");
    return NKG_ERR_NOMEM;
  }
  blk->next = NULL;
  blk->len = b->len;
  blk->s = nkg_buf_take(b);
  pthread_mutex_lock(&o->lock);
  int failed = o->failed;
  int became_ready = 0;
  if (!failed) {
    if (o->tail)
      o->tail->next = blk;
    else
      o->head = blk;
    o->tail = blk;
    o->pending += blk->len;
    o->queued += blk->len;
    int was = atomic_load_explicit(&o->ready, memory_order_relaxed);
    became_ready = out_ready(o) && !was;
  }
  int over = o->pending >= OUT_MAX_PENDING;
  int error = o->error;
  pthread_mutex_unlock(&o->lock);
  if (failed) {
    free(blk->s);
    free(blk);
    errno = error;
    note_write_failed(rdf);
    return NKG_ERR_IO;
  }
  if (became_ready && o->wake)
    o->wake(o->wake_arg);
  if (over) { /* the writers fall behind: this thread writes too */
    pthread_mutex_lock(&o->lock);
    drain(rdf, OUT_MAX_PENDING - 1, 1);
    pthread_mutex_unlock(&o->lock);
  }
  return 0;
}

/* Writes everything still queued (with any thread that is writing); a
 * failed write is the sink's error, with its errno. With `close`, closes
 * the queue too: later nkg_rdf_write_queued calls do nothing. The queue
 * itself stays until nkg_rdf_free, as other threads may still look at
 * it. */
static int out_drain(nkg_rdf *rdf, int close) {
  out_queue *o = rdf->out;
  if (!o)
    return 0;
  pthread_mutex_lock(&o->lock);
  drain(rdf, 0, 0); /* (after a failure the blocks are dropped) */
  if (close) {
    o->closed = 1;
    rdf->wb = o->wb;
  }
  int failed = o->failed, error = o->error;
  pthread_mutex_unlock(&o->lock);
  if (failed) {
    errno = error; /* as if this thread had written */
    note_write_failed(rdf);
    return NKG_ERR_IO;
  }
  return 0;
}

/* Frees the queue: no other thread uses it any more. */
static void out_free(nkg_rdf *rdf) {
  out_queue *o = rdf->out;
  if (!o)
    return;
  out_drain(rdf, 1);
  rdf->out = NULL;
  pthread_cond_destroy(&o->written);
  pthread_mutex_destroy(&o->lock);
  free(o);
}

/* Blocks of lines from this size are written without a copy. */
#define APPEND_DIRECT_AT ((size_t)4096)

int nkg_rdf_append(nkg_rdf *to, nkg_rdf *from) {
  to->count += from->count;
  from->count = 0;
  if (from->errors) {
    to->errors += from->errors;
    from->errors = 0;
    if (!to->first_error) {
      to->first_error = from->first_error;
      from->first_error = NULL;
    }
  }
  nkg_buf *l = &from->lines;
  if (l->len && to->sink == NKG_SINK_TURTLE && to->turtle && !from->turtle) {
    int rc = replay_statements(to, l);
    nkg_buf_clear(l);
    return rc;
  }
  if (!l->len || to->sink != NKG_SINK_LINES)
    return 0;
  int rc = 0;
  if (l->len < APPEND_DIRECT_AT) {
    rc = nkg_buf_add(&to->lines, l->s, l->len);
    if (!rc && to->lines.len >= to->flush_at)
      rc = lines_flush(to);
  } else {
    /* a document's block goes out as it is, after what is pending: no
     * copy on the committing thread */
    rc = lines_flush(to);
    if (!rc)
      rc = to->out ? out_put(to, l) : write_now(to, l->s, l->len);
  }
  nkg_buf_clear(l);
  return rc;
}

/* ---- statements into librdf models --------------------------------------- */

/* Asks the route which model takes the current graph, and makes the graph
 * a context node for models that keep contexts. */
static int model_route(nkg_rdf *rdf) {
  if (rdf->context)
    librdf_free_node(rdf->context);
  rdf->context = NULL;
  rdf->model = rdf->route(rdf->route_user, rdf->graph_iri);
  if (rdf->model && rdf->graph_iri &&
      librdf_model_supports_contexts(rdf->model)) {
    rdf->context = librdf_new_node_from_uri_string(
        rdf->world, (const unsigned char *)rdf->graph_iri);
    if (!rdf->context)
      return NKG_ERR_NOMEM;
  }
  return 0;
}

int nkg_rdf_open_model(nkg_rdf **out, nkg_rdf_route route, void *user) {
  *out = NULL;
  nkg_rdf *rdf = new_sink(1);
  if (!rdf)
    return nkg_rdflib_error() ? NKG_ERR_RDF : NKG_ERR_NOMEM;
  rdf->sink = NKG_SINK_MODEL;
  rdf->route = route;
  rdf->route_user = user;
  g_current = rdf;
  int rc = model_route(rdf);
  if (rc) {
    nkg_rdf_free(rdf);
    return rc;
  }
  *out = rdf;
  return 0;
}

/* The statement is built here and freed here: librdf_model_add() would
 * keep the nodes on success but leak them when the model refuses. */
static int model_add(nkg_rdf *rdf, const char *s, const char *p, const char *o,
                     size_t n, int lit, const char *datatype) {
  rdf->count++;
  if (!rdf->model)
    return 0; /* the route drops this graph */
  librdf_world *w = rdf->world;
  librdf_node *sn =
      librdf_new_node_from_uri_string(w, (const unsigned char *)s);
  librdf_node *pn =
      librdf_new_node_from_uri_string(w, (const unsigned char *)p);
  librdf_node *on = NULL;
  if (!lit) {
    on = librdf_new_node_from_uri_string(w, (const unsigned char *)o);
  } else {
    char *clean = nkg_clean_literal(o, n);
    librdf_uri *dt =
        datatype ? librdf_new_uri(w, (const unsigned char *)datatype) : NULL;
    if (clean && (dt || !datatype))
      on = librdf_new_node_from_typed_literal(w, (const unsigned char *)clean,
                                              NULL, dt);
    if (dt)
      librdf_free_uri(dt);
    free(clean);
  }
  librdf_statement *st = NULL;
  if (sn && pn && on)
    st = librdf_new_statement_from_nodes(w, sn, pn, on);
  else {
    if (sn)
      librdf_free_node(sn);
    if (pn)
      librdf_free_node(pn);
    if (on)
      librdf_free_node(on);
  }
  if (!st)
    return NKG_ERR_NOMEM;
  int refused =
      rdf->context
          ? librdf_model_context_add_statement(rdf->model, rdf->context, st)
          : librdf_model_add_statement(rdf->model, st);
  librdf_free_statement(st);
  if (refused) {
    note_error(rdf, "the RDF store refused a statement");
    return NKG_ERR_RDF;
  }
  return 0;
}

static int graph_term(nkg_rdf *rdf);

int nkg_rdf_set_graph(nkg_rdf *rdf, const char *graph_iri) {
  if (rdf->sink != NKG_SINK_RAPTOR) {
    char *copy = graph_iri ? nkg_strdup(graph_iri) : NULL;
    if (graph_iri && !copy)
      return NKG_ERR_NOMEM;
    free(rdf->graph_iri);
    rdf->graph_iri = copy;
    if (rdf->sink == NKG_SINK_LINES)
      return graph_term(rdf);
    return rdf->sink == NKG_SINK_MODEL ? model_route(rdf) : 0;
  }
  if (rdf->graph)
    raptor_free_term(rdf->graph);
  rdf->graph = NULL;
  if (graph_iri) {
    rdf->graph = raptor_new_term_from_uri_string(
        rdf->raptor, (const unsigned char *)graph_iri);
    if (!rdf->graph)
      return NKG_ERR_NOMEM;
  }
  return 0;
}

/* ---- N-Triples and N-Quads lines ---------------------------------------- */

/* \uXXXX or \UXXXXXXXX (upper-case hex digits, as raptor writes them). */
static char *put_hex(char *w, uint32_t v) {
  static const char hex[] = "0123456789ABCDEF";
  int digits = v < 0x10000 ? 4 : 8;
  *w++ = '\\';
  *w++ = digits == 4 ? 'u' : 'U';
  for (int i = digits - 1; i >= 0; i--, v >>= 4)
    w[i] = hex[v & 15];
  return w + digits;
}

/* The end of the run of bytes from s[i] that an IRI holds as they are (see
 * iri_plain). Nearly every byte written passes here: sixteen at a time
 * where SSE2 is there. */
static size_t iri_plain_run(const char *s, size_t i, size_t n) {
#if defined(__SSE2__)
  const __m128i above = _mm_set1_epi8(0x20), below = _mm_set1_epi8(0x7f);
  const __m128i lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'),
                quot = _mm_set1_epi8('"'), lb = _mm_set1_epi8('{'),
                bar = _mm_set1_epi8('|'), rb = _mm_set1_epi8('}'),
                bsl = _mm_set1_epi8('\\'), hat = _mm_set1_epi8('^'),
                tick = _mm_set1_epi8('`');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    /* signed compares: bytes from 0x80 are negative, so not above 0x20 */
    __m128i ok =
        _mm_and_si128(_mm_cmpgt_epi8(v, above), _mm_cmplt_epi8(v, below));
    __m128i bad = _mm_or_si128(
        _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, gt)),
            _mm_or_si128(_mm_cmpeq_epi8(v, quot), _mm_cmpeq_epi8(v, lb))),
        _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, bar), _mm_cmpeq_epi8(v, rb)),
            _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, bsl), _mm_cmpeq_epi8(v, hat)),
                _mm_cmpeq_epi8(v, tick))));
    unsigned mask = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(bad, ok));
    if (mask != 0xFFFF)
      return i + (size_t)__builtin_ctz(~mask);
  }
#endif
  while (i < n && iri_plain[(unsigned char)s[i]])
    i++;
  return i;
}

/* Writes <iri> at w, escaped as raptor's N-Triples writer does: what IRIs
 * may not hold as \u00XX (but a backslash as \\), non-ASCII as \u or \U.
 * Needs 6 bytes a byte plus 2. Returns the new end, or NULL for bad UTF-8
 * (or U+FFFE, U+FFFF). */
static char *put_iri(char *w, const char *s, size_t n) {
  *w++ = '<';
  for (size_t i = 0; i < n;) {
    size_t run = i;
    i = iri_plain_run(s, i, n);
    memcpy(w, s + run, i - run);
    w += i - run;
    if (i == n)
      break;
    unsigned char c = (unsigned char)s[i];
    if (c == '\\') { /* raptor escapes the backslash so, even here */
      *w++ = '\\';
      *w++ = '\\';
      i++;
    } else if (c < 0x80) {
      w = put_hex(w, c);
      i++;
    } else {
      int32_t cp;
      int k = nkg_utf8_decode((const unsigned char *)s + i, n - i, &cp);
      /* raptor cuts an IRI short at U+FFFE and U+FFFF: refused here */
      if (!k || cp == 0xFFFE || cp == 0xFFFF)
        return NULL;
      w = put_hex(w, (uint32_t)cp);
      i += (size_t)k;
    }
  }
  *w++ = '>';
  return w;
}

/* The end of the run of printable ASCII from s[i] but " and \ (which a
 * literal holds as they are). */
static size_t literal_plain_run(const char *s, size_t i, size_t n) {
#if defined(__SSE2__)
  const __m128i above = _mm_set1_epi8(0x1f), below = _mm_set1_epi8(0x7f);
  const __m128i quot = _mm_set1_epi8('"'), bsl = _mm_set1_epi8('\\');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    __m128i ok =
        _mm_and_si128(_mm_cmpgt_epi8(v, above), _mm_cmplt_epi8(v, below));
    __m128i bad = _mm_or_si128(_mm_cmpeq_epi8(v, quot), _mm_cmpeq_epi8(v, bsl));
    unsigned mask = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(bad, ok));
    if (mask != 0xFFFF)
      return i + (size_t)__builtin_ctz(~mask);
  }
#endif
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
      break;
  }
  return i;
}

/* Writes "literal" at w: the text cleaned as nkg_clean_literal() does
 * (control characters, C1 controls, U+FFFE/FFFF and invalid bytes to a
 * space; CR LF and a lone CR to LF), then escaped as raptor's N-Triples
 * writer does (\" \\ \t \n, non-ASCII as \u or \U). Needs 6 bytes a byte
 * plus 2. Returns the new end. */
static char *put_literal(char *w, const char *s, size_t n) {
  *w++ = '"';
  for (size_t i = 0; i < n;) {
    size_t run = i;
    i = literal_plain_run(s, i, n);
    memcpy(w, s + run, i - run);
    w += i - run;
    if (i == n)
      break;
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      *w++ = '\\';
      *w++ = (char)c;
      i++;
      continue;
    }
    if (c < 0x80) {
      if (c == '\n' || (c == '\r' && !(i + 1 < n && s[i + 1] == '\n'))) {
        *w++ = '\\';
        *w++ = 'n';
      } else if (c == '\t') {
        *w++ = '\\';
        *w++ = 't';
      } else if (c != '\r') {
        *w++ = ' ';
      }
      i++;
      continue;
    }
    int32_t cp;
    int k = nkg_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    if (!k) {
      *w++ = ' ';
      i++;
      continue;
    }
    if (cp < 0xA0 || cp == 0xFFFE || cp == 0xFFFF)
      *w++ = ' ';
    else
      w = put_hex(w, (uint32_t)cp);
    i += (size_t)k;
  }
  *w++ = '"';
  return w;
}

static int lines_flush(nkg_rdf *rdf) {
  if (rdf->lines.len && rdf->out) {
    int rc = out_put(rdf, &rdf->lines);
    /* the queue took the buffer: the next one is made the size the lines
     * reach, rather than grown to it by doubling from nothing */
    if (!rc)
      rc = nkg_rdf_expect(rdf, LINES_QUEUE_AT + LINES_QUEUE_AT / 4);
    return rc;
  }
  int rc = write_now(rdf, rdf->lines.s, rdf->lines.len);
  nkg_buf_clear(&rdf->lines);
  return rc;
}

/* " <graph>" of the current graph, escaped once for all its lines. */
static int graph_term(nkg_rdf *rdf) {
  nkg_buf *t = &rdf->graph_term;
  t->len = 0;
  rdf->graph_bad = 0;
  if (!rdf->graph_iri)
    return 0;
  size_t n = strlen(rdf->graph_iri);
  if (nkg_grow((void **)&t->s, &t->cap, 6 * n + 4, 1))
    return NKG_ERR_NOMEM;
  t->s[0] = ' ';
  char *w = put_iri(t->s + 1, rdf->graph_iri, n);
  if (!w)
    rdf->graph_bad = 1;
  else
    t->len = (size_t)(w - t->s);
  return 0;
}

/* put_iri through a memo: the escaped form of the same IRI is copied. The
 * memo is checked by content, so it holds whatever s points to. */
static char *put_iri_memo(struct iri_memo *m, char *w, const char *s,
                          size_t n) {
  if (m->raw.len == n && m->raw.s && !memcmp(m->raw.s, s, n)) {
    memcpy(w, m->escaped.s, m->escaped.len);
    return w + m->escaped.len;
  }
  char *end = put_iri(w, s, n);
  if (!end)
    return NULL;
  nkg_buf_clear(&m->raw);
  nkg_buf_clear(&m->escaped);
  if (nkg_buf_add(&m->raw, s, n) ||
      nkg_buf_add(&m->escaped, w, (size_t)(end - w)))
    nkg_buf_clear(&m->raw); /* no memo, no harm */
  return end;
}

static void free_memo(struct iri_memo *m) {
  nkg_buf_free(&m->raw);
  nkg_buf_free(&m->escaped);
}

/* A statement for the Turtle writer (see line()), or for a buffer of
 * statements (nkg_rdf_open_statements), counted when it is replayed. */
static inline int turtle_line(nkg_rdf *rdf, const char *s, size_t ls,
                              const char *p, size_t lp, const char *o,
                              size_t lo, int lit, const char *datatype) {
  if (!rdf->turtle)
    return record_statement(rdf, s, ls, p, lp, o, lo, lit, datatype);
  int rc = nkg_turtle_add(rdf->turtle, s, ls, p, lp, o, lo, lit, datatype);
  if (rc == NKG_ERR_RDF)
    note_error(rdf, "an IRI that is not valid UTF-8");
  rdf->count += !rc;
  return rc;
}

/* One line: s and p are IRIs; o an IRI, or if `lit` a literal of lo
 * bytes with an optional datatype IRI. With `plain`, the IRIs need no
 * escaping (nkg_rdf_iri_known). */
static int line(nkg_rdf *rdf, const char *s, size_t ls, const char *p,
                size_t lp, const char *o, size_t lo, int lit,
                const char *datatype, int plain) {
  if (rdf->sink == NKG_SINK_MODEL)
    return model_add(rdf, s, p, o, lo, lit, datatype);
  if (rdf->sink == NKG_SINK_NONE) {
    rdf->count++;
    return 0;
  }
  if (rdf->sink == NKG_SINK_TURTLE)
    return turtle_line(rdf, s, ls, p, lp, o, lo, lit, datatype);
  size_t lg = rdf->graph_term.len;
  size_t ld = datatype ? strlen(datatype) : 0;
  nkg_buf *b = &rdf->lines;
  size_t need =
      plain ? ls + lp + (lit ? 6 * lo : lo) + 8 : 6 * (ls + lp + lo) + 8;
  if (nkg_grow((void **)&b->s, &b->cap, b->len + need + lg + ld + 32, 1))
    return NKG_ERR_NOMEM;
  char *w = b->s + b->len;
  if (plain) {
    *w++ = '<';
    memcpy(w, s, ls);
    w += ls;
    memcpy(w, "> <", 3);
    memcpy(w + 3, p, lp);
    w += lp + 3;
    *w++ = '>';
    *w++ = ' ';
    if (lit) {
      w = put_literal(w, o, lo);
    } else {
      *w++ = '<';
      memcpy(w, o, lo);
      w += lo;
      *w++ = '>';
    }
  } else {
    w = put_iri_memo(&rdf->subject_memo, w, s, ls);
    if (w) {
      *w++ = ' ';
      /* predicates are constants: their address picks the slot */
      w = put_iri_memo(
          &rdf->predicate_memo[((uintptr_t)p >> 3) & (IRI_MEMO_SLOTS - 1)], w,
          p, lp);
    }
    if (w) {
      *w++ = ' ';
      w = lit ? put_literal(w, o, lo) : put_iri(w, o, lo);
    }
  }
  if (w && datatype) {
    memcpy(w, "^^<", 3);
    memcpy(w + 3, datatype, ld);
    w[3 + ld] = '>';
    w += ld + 4;
  }
  if (w && rdf->graph_bad)
    w = NULL;
  if (w && lg) {
    memcpy(w, rdf->graph_term.s, lg);
    w += lg;
  }
  if (!w) {
    /* an IRI that is not UTF-8 (or holds U+FFFE, U+FFFF): the line is
     * dropped */
    b->s[b->len] = '\0';
    note_error(rdf, "an IRI that is not valid UTF-8");
    return NKG_ERR_RDF;
  }
  memcpy(w, " .\n", 4);
  b->len = (size_t)(w + 3 - b->s);
  rdf->count++;
  return b->len >= rdf->flush_at && rdf->fh ? lines_flush(rdf) : 0;
}

int nkg_rdf_iri_plain(const char *iri, size_t n) {
  pthread_once(&iri_plain_once, init_iri_plain);
  return iri_plain_run(iri, 0, n) == n;
}

static int emit(nkg_rdf *rdf, const char *s, const char *p, raptor_term *o) {
  raptor_term *st =
      raptor_new_term_from_uri_string(rdf->raptor, (const unsigned char *)s);
  raptor_term *pt =
      raptor_new_term_from_uri_string(rdf->raptor, (const unsigned char *)p);
  int rc = 0;
  if (!st || !pt || !o) {
    rc = NKG_ERR_NOMEM;
  } else {
    raptor_statement stmt;
    raptor_statement_init(&stmt, rdf->raptor);
    stmt.subject = st;
    stmt.predicate = pt;
    stmt.object = o;
    stmt.graph = rdf->graph;
    if (raptor_serializer_serialize_statement(rdf->ser, &stmt)) {
      note_error(rdf, "raptor refused a statement");
      rc = NKG_ERR_RDF;
    } else {
      rdf->count++;
    }
  }
  if (st)
    raptor_free_term(st);
  if (pt)
    raptor_free_term(pt);
  if (o)
    raptor_free_term(o);
  return rc;
}

/* The counting sink ("none") only counts: checked first, before the
 * lengths are taken and line() is entered (a statement is added for every
 * fact extracted). */
#define COUNT_ONLY(rdf)                                                        \
  do {                                                                         \
    if ((rdf)->sink == NKG_SINK_NONE) {                                        \
      (rdf)->count++;                                                          \
      return 0;                                                                \
    }                                                                          \
  } while (0)

int nkg_rdf_iri(nkg_rdf *rdf, const char *s, const char *p, const char *o) {
  COUNT_ONLY(rdf);
  if (rdf->sink != NKG_SINK_RAPTOR)
    return line(rdf, s, strlen(s), p, strlen(p), o, strlen(o), 0, NULL, 0);
  return emit(
      rdf, s, p,
      raptor_new_term_from_uri_string(rdf->raptor, (const unsigned char *)o));
}

static int emit_lit(nkg_rdf *rdf, const char *s, const char *p, const char *lit,
                    size_t n, raptor_uri *dt) {
  char *clean = nkg_clean_literal(lit, n);
  if (!clean)
    return NKG_ERR_NOMEM;
  raptor_term *o = raptor_new_term_from_literal(
      rdf->raptor, (const unsigned char *)clean, dt, NULL);
  free(clean);
  return emit(rdf, s, p, o);
}

int nkg_rdf_lit_n(nkg_rdf *rdf, const char *s, const char *p, const char *lit,
                  size_t n, const char *datatype) {
  COUNT_ONLY(rdf);
  if (rdf->sink != NKG_SINK_RAPTOR)
    return line(rdf, s, strlen(s), p, strlen(p), lit, n, 1, datatype, 0);
  raptor_uri *dt = NULL;
  if (datatype) {
    dt = raptor_new_uri(rdf->raptor, (const unsigned char *)datatype);
    if (!dt)
      return NKG_ERR_NOMEM;
  }
  int rc = emit_lit(rdf, s, p, lit, n, dt);
  if (dt)
    raptor_free_uri(dt);
  return rc;
}

int nkg_rdf_iri_known(nkg_rdf *rdf, const char *s, size_t ls, const char *p,
                      size_t lp, const char *o, size_t lo, int plain) {
  COUNT_ONLY(rdf);
  if (rdf->sink == NKG_SINK_TURTLE) /* the common case: no detour */
    return turtle_line(rdf, s, ls, p, lp, o, lo, 0, NULL);
  if (rdf->sink == NKG_SINK_RAPTOR)
    return nkg_rdf_iri(rdf, s, p, o);
  return line(rdf, s, ls, p, lp, o, lo, 0, NULL, plain);
}

int nkg_rdf_lit_known(nkg_rdf *rdf, const char *s, size_t ls, const char *p,
                      size_t lp, const char *lit, size_t n,
                      const char *datatype, int plain) {
  COUNT_ONLY(rdf);
  if (rdf->sink == NKG_SINK_TURTLE)
    return turtle_line(rdf, s, ls, p, lp, lit, n, 1, datatype);
  if (rdf->sink == NKG_SINK_RAPTOR)
    return nkg_rdf_lit_n(rdf, s, p, lit, n, datatype);
  return line(rdf, s, ls, p, lp, lit, n, 1, datatype, plain);
}

int nkg_rdf_lit(nkg_rdf *rdf, const char *s, const char *p, const char *lit,
                const char *datatype) {
  return nkg_rdf_lit_n(rdf, s, p, lit, strlen(lit), datatype);
}

int nkg_rdf_uint(nkg_rdf *rdf, const char *s, const char *p,
                 unsigned long long v) {
  char num[24];
  size_t n = nkg_put_decimal(num, v);
  if (rdf->sink == NKG_SINK_NONE) {
    rdf->count++;
    return 0;
  }
  if (rdf->sink != NKG_SINK_RAPTOR)
    return line(rdf, s, strlen(s), p, strlen(p), num, n, 1,
                XSD_NS "nonNegativeInteger", 0);
  return emit_lit(rdf, s, p, num, n, rdf->dt_nonneg);
}

int nkg_rdf_uint_known(nkg_rdf *rdf, const char *s, size_t ls, const char *p,
                       size_t lp, unsigned long long v, int plain) {
  if (rdf->sink == NKG_SINK_RAPTOR)
    return nkg_rdf_uint(rdf, s, p, v);
  if (rdf->sink == NKG_SINK_NONE) {
    rdf->count++;
    return 0;
  }
  char num[24];
  return line(rdf, s, ls, p, lp, num, nkg_put_decimal(num, v), 1,
              XSD_NS "nonNegativeInteger", plain);
}

int nkg_rdf_bool(nkg_rdf *rdf, const char *s, const char *p, int v) {
  COUNT_ONLY(rdf);
  const char *b = v ? "true" : "false";
  if (rdf->sink != NKG_SINK_RAPTOR)
    return line(rdf, s, strlen(s), p, strlen(p), b, strlen(b), 1,
                XSD_NS "boolean", 0);
  return emit_lit(rdf, s, p, b, strlen(b), rdf->dt_bool);
}

int nkg_rdf_flush(nkg_rdf *rdf) {
  if (rdf->sink != NKG_SINK_LINES || !rdf->fh)
    return 0;
  int rc = lines_flush(rdf);
  if (!rc)
    rc = out_drain(rdf, 0);
  if (!rc && fflush(rdf->fh)) {
    note_write_failed(rdf);
    rc = NKG_ERR_IO;
  }
  return rc;
}

int nkg_rdf_finish(nkg_rdf *rdf) {
  const char *msg = NULL;
  if (rdf->sink == NKG_SINK_LINES) {
    lines_flush(rdf);
    out_drain(rdf, 1); /* notes a failed write */
  } else if (rdf->sink == NKG_SINK_TURTLE && rdf->turtle) {
    int rc = nkg_turtle_write(rdf->turtle, rdf->fh, rdf->parallel, &msg);
    if (rc == NKG_ERR_IO)
      note_write_failed(rdf);
    else if (rc)
      note_error(rdf, msg);
  } else if (rdf->ser && raptor_serializer_serialize_end(rdf->ser)) {
    note_error(rdf, "the serializer could not finish");
  }
  if (rdf->write_errno)
    return NKG_ERR_IO;
  return rdf->errors ? NKG_ERR_RDF : 0;
}

int nkg_rdf_write_errno(const nkg_rdf *rdf) { return rdf->write_errno; }

size_t nkg_rdf_count(const nkg_rdf *rdf) { return rdf->count; }

const char *nkg_rdf_error(const nkg_rdf *rdf) { return rdf->first_error; }

void nkg_rdf_free(nkg_rdf *rdf) {
  if (!rdf)
    return;
  out_free(rdf); /* a build that ended early: what was queued is written */
  if (rdf->ser)
    raptor_free_serializer(rdf->ser);
  if (rdf->graph)
    raptor_free_term(rdf->graph);
  if (rdf->dt_nonneg)
    raptor_free_uri(rdf->dt_nonneg);
  if (rdf->dt_bool)
    raptor_free_uri(rdf->dt_bool);
  /* a buffer sink is never the current one, and may be freed on another
   * thread than the writing one */
  if (!rdf->buffer && g_current == rdf)
    g_current = NULL;
  nkg_buf_free(&rdf->lines);
  nkg_turtle_free(rdf->turtle);
  nkg_buf_free(&rdf->graph_term);
  free_memo(&rdf->subject_memo);
  for (size_t i = 0; i < IRI_MEMO_SLOTS; i++)
    free_memo(&rdf->predicate_memo[i]);
  free(rdf->graph_iri);
  if (rdf->context)
    librdf_free_node(rdf->context);
  free(rdf->first_error);
  free(rdf);
}
