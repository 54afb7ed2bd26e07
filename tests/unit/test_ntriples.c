/* The N-Triples and N-Quads nkg_test_writer of src/rdf/backend.c writes what
 * raptor's own serializer writes, byte for byte: random literals full of
 * what needs escaping or cleaning (quotes, backslashes, line ends, control
 * and C1 characters, U+FFFE, non-BMP characters, broken UTF-8) and random
 * IRIs go through both. Format "none" writes nothing and counts. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#endif

#include <cmocka.h>
#include <redland.h>

#include "rdf/backend.h"
#include "support.h"

/* Pieces random strings are made of. */
static const char *const pieces[] = {
    "a", "Z", "0", " ", "\"", "\\", "\n", "\r", "\r\n", "\t", "\x01", "\x1f",
    "\x7f", "\x08", "\x0b", "\x0c", "<", ">", "{", "^", "`", "|", "#", "%20",
    "\xc2\x80", "\xc2\x9f", "\xc2\xa0", "\xc3\xa9", "\xe2\x80\x9c",
    "\xef\xbf\xbd", "\xf0\x9f\x98\x80",
    /* from here on only in literals: raptor cuts an IRI short at U+FFFE
     * and U+FFFF, and broken UTF-8 is no IRI */
    "\xef\xbf\xbe", "\xef\xbf\xbf", "\xff", "\x80", "\xc3", "\xe2\x80",
    "\xed\xa0\x80"};
#define NPIECES (sizeof pieces / sizeof *pieces)
#define NIRI_PIECES (NPIECES - 7)

static unsigned long long rng = 88172645463325252ULL;

static char *random_string(size_t npieces, size_t *len) {
  return nkg_test_random_text(pieces, npieces, 12, &rng, len);
}

/* The same statements through raptor's serializer `name`. */
static raptor_serializer *raptor_writer(const char *name, nkg_test_writer *w) {
  raptor_world *world = librdf_world_get_raptor(nkg_rdf_world());
  raptor_serializer *ser = raptor_new_serializer(world, name);
  assert_non_null(ser);
  assert_int_equal(raptor_serializer_start_to_file_handle(ser, NULL, w->f), 0);
  return ser;
}

static void compare(const char *format) {
  nkg_test_writer ours, theirs;
  nkg_test_writer_open(&ours);
  nkg_test_writer_open(&theirs);
  nkg_rdf *rdf;
  assert_int_equal(nkg_rdf_open(&rdf, format, ours.f, NULL, 0), 0);
  raptor_serializer *ser = raptor_writer(format, &theirs);
  int quads = !strcmp(format, "nquads");
  for (int i = 0; i < 3000; i++) {
    size_t n1, n2, n3;
    char *s1 = random_string(NIRI_PIECES, &n1);
    char *s2 = random_string(NIRI_PIECES, &n2);
    char *lit = random_string(NPIECES, &n3);
    nkg_buf subject = {0}, object = {0}, graph = {0};
    nkg_buf_addf(&subject, "http://example.org/%s", s1);
    nkg_buf_addf(&object, "http://example.org/o/%s#%d", s2, i);
    nkg_buf_addf(&graph, "http://example.org/g%d/%s", i % 3, s2);
    const char *g = quads && i % 2 ? graph.s : NULL;
    assert_int_equal(nkg_rdf_set_graph(rdf, g), 0);
    const char *dt = i % 3 == 0 ? XSD_NS "string" : NULL;
    assert_int_equal(
        nkg_rdf_lit_n(rdf, subject.s, RDFS_NS "label", lit, n3, dt), 0);
    nkg_test_raptor_add(ser, subject.s, RDFS_NS "label", NULL, lit, n3, dt, g);
    assert_int_equal(nkg_rdf_iri(rdf, subject.s, RDFS_NS "seeAlso", object.s),
                     0);
    nkg_test_raptor_add(ser, subject.s, RDFS_NS "seeAlso", object.s, NULL, 0,
                        NULL, g);
    assert_int_equal(nkg_rdf_uint(rdf, subject.s, RDF_NS "value",
                                  (unsigned long long)i * 7919),
                     0);
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)i * 7919);
    nkg_test_raptor_add(ser, subject.s, RDF_NS "value", NULL, num, strlen(num),
                        XSD_NS "nonNegativeInteger", g);
    assert_int_equal(nkg_rdf_bool(rdf, subject.s, RDF_NS "first", i & 1), 0);
    nkg_test_raptor_add(ser, subject.s, RDF_NS "first", NULL,
                        i & 1 ? "true" : "false", i & 1 ? 4 : 5,
                        XSD_NS "boolean", g);
    nkg_buf_free(&subject);
    nkg_buf_free(&object);
    nkg_buf_free(&graph);
    free(s1);
    free(s2);
    free(lit);
  }
  nkg_test_finish_same(rdf, ser, &ours, &theirs, 12000, 100000);
}

static void test_ntriples_as_raptor(void **state) {
  (void)state;
  compare("ntriples");
}

static void test_nquads_as_raptor(void **state) {
  (void)state;
  compare("nquads");
}

static void test_none_counts(void **state) {
  (void)state;
  nkg_test_writer w;
  nkg_rdf *rdf = nkg_test_sink("none", &w);
  assert_int_equal(nkg_rdf_iri(rdf, "http://x/s", "http://x/p", "http://x/o"),
                   0);
  assert_int_equal(nkg_rdf_lit(rdf, "http://x/s", "http://x/p", "o", NULL), 0);
  assert_int_equal(nkg_rdf_uint(rdf, "http://x/s", "http://x/p", 3), 0);
  assert_int_equal(nkg_rdf_finish(rdf), 0);
  assert_int_equal(nkg_rdf_count(rdf), 3);
  nkg_rdf_free(rdf);
  fclose(w.f);
  assert_int_equal(w.len, 0);
  free(w.text);
}

static void test_bad_utf8_iri_is_refused(void **state) {
  (void)state;
  nkg_test_writer w;
  nkg_rdf *rdf = nkg_test_sink("ntriples", &w);
  nkg_test_bad_iris_refused(rdf);
  nkg_rdf_free(rdf);
  fclose(w.f);
  assert_string_equal(w.text, "<http://x/s> <http://x/p> <http://x/o> .\n");
  free(w.text);
}

/* Lines written directly and documents' buffers appended (small ones are
 * copied, large ones handed on), as a build writes them. Returns the first
 * status that was not 0. */
static int write_block(nkg_rdf *rdf, int i) {
  char s[64];
  snprintf(s, sizeof s, "http://example.org/direct/%d", i);
  int rc = nkg_rdf_lit(rdf, s, RDFS_NS "label", "direct", NULL);
  nkg_rdf *doc;
  assert_int_equal(nkg_rdf_open_buffer(&doc, rdf), 0);
  assert_non_null(doc);
  int lines = i % 3 == 0 ? 2 : 40 + i % 400; /* under and over 4 KB */
  for (int k = 0; k < lines; k++) {
    snprintf(s, sizeof s, "http://example.org/doc/%d/%d", i, k);
    assert_int_equal(
        nkg_rdf_uint(doc, s, RDF_NS "value", (unsigned long long)i * 1000 + k),
        0);
  }
  if (!rc)
    rc = nkg_rdf_append(rdf, doc);
  nkg_rdf_free(doc);
  return rc;
}

static int write_mix(nkg_rdf *rdf, int blocks) {
  int first = 0;
  for (int i = 0; i < blocks; i++) {
    int rc = write_block(rdf, i);
    if (!first)
      first = rc;
  }
  return first;
}

/* A thread that writes what is queued until it is stopped, as the
 * builder's workers do, and counts what it did. */
typedef struct helper {
  nkg_rdf *rdf;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int stop, wakes, writes;
} helper;

static void helper_wake(void *arg) {
  helper *h = arg;
  pthread_mutex_lock(&h->lock);
  h->wakes++;
  pthread_cond_signal(&h->cond);
  pthread_mutex_unlock(&h->lock);
}

static void *helper_main(void *arg) {
  helper *h = arg;
  pthread_mutex_lock(&h->lock);
  while (!h->stop) {
    if (!nkg_rdf_queued(h->rdf)) {
      pthread_cond_wait(&h->cond, &h->lock);
      continue;
    }
    pthread_mutex_unlock(&h->lock);
    int wrote = nkg_rdf_write_queued(h->rdf);
    pthread_mutex_lock(&h->lock);
    h->writes += wrote;
  }
  pthread_mutex_unlock(&h->lock);
  return NULL;
}

static int helper_writes(helper *h) {
  pthread_mutex_lock(&h->lock);
  int n = h->writes;
  pthread_mutex_unlock(&h->lock);
  return n;
}

static void helper_start(helper *h, nkg_rdf *rdf) {
  memset(h, 0, sizeof *h);
  h->rdf = rdf;
  pthread_mutex_init(&h->lock, NULL);
  pthread_cond_init(&h->cond, NULL);
  assert_int_equal(nkg_rdf_write_behind(rdf, helper_wake, h), 0);
  assert_int_equal(pthread_create(&h->thread, NULL, helper_main, h), 0);
}

static void helper_stop(helper *h) {
  pthread_mutex_lock(&h->lock);
  h->stop = 1;
  pthread_cond_signal(&h->cond);
  pthread_mutex_unlock(&h->lock);
  pthread_join(h->thread, NULL);
  pthread_cond_destroy(&h->cond);
  pthread_mutex_destroy(&h->lock);
}

/* Written behind, by another thread or (past 32 MB queued, and at the
 * end) by the queueing one, the same bytes come out. */
static void test_written_behind(void **state) {
  (void)state;
  for (int with_helper = 1; with_helper >= 0; with_helper--) {
    int blocks = with_helper ? 600 : 3000; /* 3000: over 32 MB queued */
    nkg_test_writer plain, behind;
    nkg_test_writer_open(&plain);
    nkg_test_writer_open(&behind);
    nkg_rdf *a, *b;
    assert_int_equal(nkg_rdf_open(&a, "ntriples", plain.f, NULL, 0), 0);
    assert_int_equal(nkg_rdf_open(&b, "ntriples", behind.f, NULL, 0), 0);
    helper h;
    if (with_helper)
      helper_start(&h, b);
    else
      assert_int_equal(nkg_rdf_write_behind(b, NULL, NULL), 0);
    assert_int_equal(write_mix(a, blocks), 0);
    assert_int_equal(write_mix(b, blocks), 0);
    if (with_helper) /* it writes some, whatever the scheduling (10 s) */
      for (int i = 0; i < 10000 && helper_writes(&h) == 0; i++)
        usleep(1000);
    assert_int_equal(nkg_rdf_finish(a), 0);
    assert_int_equal(nkg_rdf_finish(b), 0);
    assert_int_equal(nkg_rdf_write_queued(b), 0); /* finished: nothing */
    if (with_helper) {
      helper_stop(&h);
      assert_true(h.wakes > 0);
      assert_true(h.writes > 0);
    }
    assert_int_equal(nkg_rdf_count(a), nkg_rdf_count(b));
    nkg_rdf_free(a);
    nkg_rdf_free(b);
    fclose(plain.f);
    fclose(behind.f);
    assert_true(plain.len > (with_helper ? 1000000u : 33554432u));
    nkg_test_assert_same_text(&behind, &plain);
    free(plain.text);
    free(behind.text);
  }
}

/* A write that fails in another thread is the sink's error, with its
 * errno; a sink freed without finishing writes what was queued. */
static void test_write_behind_error(void **state) {
  (void)state;
  FILE *f = fopen("/dev/full", "w");
  if (!f)
    skip();
  nkg_rdf *rdf;
  assert_int_equal(nkg_rdf_open(&rdf, "ntriples", f, NULL, 0), 0);
  helper h;
  helper_start(&h, rdf);
  (void)write_mix(rdf, 50); /* fails now or at the end */
  errno = 0;
  assert_int_not_equal(nkg_rdf_finish(rdf), 0);
  assert_int_equal(errno, ENOSPC);
  assert_string_equal(nkg_rdf_error(rdf), "could not write the output");
  helper_stop(&h);
  nkg_rdf_free(rdf);
  fclose(f);

  nkg_test_writer w;
  rdf = nkg_test_sink("ntriples", &w);
  assert_int_equal(nkg_rdf_write_behind(rdf, NULL, NULL), 0);
  assert_int_equal(write_mix(rdf, 20), 0);
  nkg_rdf_free(rdf); /* what was queued is still written */
  fclose(w.f);
  assert_true(w.len > 10000);
  free(w.text);
}

/* A pipe's far end, read to the end on a thread of its own. */
typedef struct {
  int fd;
  nkg_test_writer got;
} pipe_reader;

static void *read_pipe(void *arg) {
  pipe_reader *r = arg;
  char buf[65536];
  ssize_t n;
  while ((n = read(r->fd, buf, sizeof buf)) > 0)
    fwrite(buf, 1, (size_t)n, r->got.f);
  return NULL;
}

/* A stream into a pipe whose far end r reads on its own thread. */
static FILE *pipe_open(pipe_reader *r, pthread_t *reader) {
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  r->fd = fds[0];
  nkg_test_writer_open(&r->got);
  assert_int_equal(pthread_create(reader, NULL, read_pipe, r), 0);
  FILE *f = fdopen(fds[1], "w");
  assert_non_null(f);
  return f;
}

/* Closes f, and r once it has read everything (r->got holds it). */
static void pipe_close(FILE *f, pipe_reader *r, pthread_t reader) {
  fclose(f);
  pthread_join(reader, NULL);
  close(r->fd);
  fclose(r->got.f);
}

/* nkg_rdf_write_file: many pieces (more than one writev takes) through a
 * pipe smaller than they are, after bytes left in stdio's buffer, come
 * out whole and in order; to a stream without a descriptor through
 * stdio; a failed write returns -1 with errno, and leaves the stream's
 * error for ferror. */
static void test_write_file(void **state) {
  (void)state;
  enum { PIECES = 300 };
  static char data[PIECES][700];
  struct iovec iov[PIECES];
  nkg_test_writer want;
  nkg_test_writer_open(&want);
  fputs("before\n", want.f);
  for (int i = 0; i < PIECES; i++) {
    size_t len = 1 + (size_t)(i * 37) % sizeof data[i]; /* 1 to 700 bytes */
    for (size_t j = 0; j < len; j++)
      data[i][j] = (char)('a' + (i + j) % 26);
    iov[i].iov_base = data[i];
    iov[i].iov_len = len;
    fwrite(data[i], 1, len, want.f);
  }
  fflush(want.f);

  pipe_reader r;
  pthread_t reader;
  FILE *f = pipe_open(&r, &reader);
  fputs("before\n", f); /* still in stdio's buffer */
  nkg_writeback wb = {0};
  assert_int_equal(nkg_rdf_write_file(f, &wb, iov, PIECES), 0);
  pipe_close(f, &r, reader);
  nkg_test_assert_same_text(&r.got, &want);
  free(r.got.text);

  nkg_test_writer mem;
  nkg_test_writer_open(&mem);
  fputs("before\n", mem.f);
  assert_int_equal(nkg_rdf_write_file(mem.f, &wb, iov, PIECES), 0);
  fclose(mem.f);
  nkg_test_assert_same_text(&mem, &want);
  free(mem.text);
  fclose(want.f);
  free(want.text);

  FILE *full = fopen("/dev/full", "w");
  if (!full)
    skip();
  errno = 0;
  assert_int_equal(nkg_rdf_write_file(full, &wb, iov, PIECES), -1);
  assert_int_equal(errno, ENOSPC);
  assert_true(ferror(full));
  fclose(full);
}

/* Writes `total` bytes to f in pieces of 64 KB through nkg_rdf_write_file,
 * piece k all bytes k % 251. */
static void write_pattern(FILE *f, nkg_writeback *wb, size_t total) {
  static char piece[65536];
  for (size_t at = 0; at < total; at += sizeof piece) {
    memset(piece, (int)(at / sizeof piece % 251), sizeof piece);
    struct iovec iov = {piece, sizeof piece};
    assert_int_equal(nkg_rdf_write_file(f, wb, &iov, 1), 0);
  }
}

/* Does the piece of write_pattern at offset `at` hold those n bytes? */
static int pattern_at(const char *s, size_t at, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != (char)((at + i) / 65536 % 251))
      return 0;
  return 1;
}

#if defined(__linux__)
/* What nkg_rdf_write_file wrote to a file past its first 64 MB and 8 to 10
 * MB before its end is out of the page cache, and the file reads back
 * whole; a pipe, which allows neither, is written as before. */
static void test_drop_behind(void **state) {
  (void)state;
  enum { MB = 1 << 20, TOTAL = 80 * MB, KEPT = 64 * MB };
  /* in the working directory: /tmp may be a tmpfs, whose pages stay */
  char name[] = "drop-behind-XXXXXX";
  int fd = mkstemp(name);
  assert_true(fd >= 0);
  unlink(name); /* (gone whatever the test's end) */
  FILE *f = fdopen(fd, "w+");
  assert_non_null(f);
  nkg_writeback wb = {0};
  write_pattern(f, &wb, TOTAL);
  struct statfs fs;
  assert_int_equal(fstatfs(fd, &fs), 0);
  if (fs.f_type == TMPFS_MAGIC || wb.dropped < 0) {
    /* a tmpfs keeps its pages; some file systems refuse sync_file_range */
    print_message("drop-behind not checked: the working directory's file "
                  "system keeps its pages\n");
  } else {
    /* dropped up to 8 MB before the end (a 2 MB boundary) at the last
     * 1 MB step */
    assert_true(wb.dropped >= TOTAL - 10 * MB);
    size_t len = (size_t)wb.dropped - KEPT;
    size_t pages = len / (size_t)sysconf(_SC_PAGESIZE);
    void *map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, KEPT);
    assert_true(map != MAP_FAILED);
    unsigned char *in = malloc(pages);
    assert_non_null(in);
    assert_int_equal(mincore(map, len, in), 0);
    size_t resident = 0;
    for (size_t i = 0; i < pages; i++)
      resident += in[i] & 1;
    assert_int_equal(resident, 0);
    free(in);
    munmap(map, len);
  }
  assert_int_equal(fflush(f), 0);
  static char back[65536];
  size_t at = 0;
  ssize_t n;
  while ((n = pread(fd, back, sizeof back, (off_t)at)) > 0) {
    if (!pattern_at(back, at, (size_t)n))
      fail_msg("the bytes from %zu differ", at);
    at += (size_t)n;
  }
  assert_int_equal(at, TOTAL);
  assert_int_equal(fclose(f), 0);

  pipe_reader pr;
  pthread_t reader;
  FILE *p = pipe_open(&pr, &reader);
  nkg_writeback pwb = {0};
  write_pattern(p, &pwb, 3 * MB);
  assert_true(pwb.dropped < 0); /* found out at the first 1 MB */
  pipe_close(p, &pr, reader);
  assert_int_equal(pr.got.len, 3 * MB);
  assert_true(pattern_at(pr.got.text, 0, pr.got.len));
  free(pr.got.text);
}
#endif

/* Written behind to a regular file, the queue is written in batches of
 * 1 MB (nothing is ready before); to a pipe, whose reader may be waiting
 * for each article's lines, as soon as anything is queued. */
static void test_write_behind_batches(void **state) {
  (void)state;
  for (int to_pipe = 0; to_pipe <= 1; to_pipe++) {
    pipe_reader r;
    pthread_t reader;
    FILE *f = to_pipe ? pipe_open(&r, &reader) : tmpfile();
    assert_non_null(f);
    nkg_test_writer plain;
    nkg_test_writer_open(&plain);
    nkg_rdf *a, *b;
    assert_int_equal(nkg_rdf_open(&a, "ntriples", plain.f, NULL, 0), 0);
    assert_int_equal(nkg_rdf_open(&b, "ntriples", f, NULL, 0), 0);
    assert_int_equal(nkg_rdf_write_behind(b, NULL, NULL), 0);
    /* blocks until the queue is ready to write: how much was made by then */
    int blocks = 0;
    while (!nkg_rdf_queued(b) && blocks < 5000) {
      assert_int_equal(write_block(a, blocks), 0);
      assert_int_equal(write_block(b, blocks), 0);
      blocks++;
    }
    assert_true(nkg_rdf_queued(b));
    assert_int_equal(nkg_rdf_finish(a), 0);
    fflush(plain.f);
    if (to_pipe)
      assert_true(plain.len < 200000);
    else
      assert_true(plain.len >= 1000000);
    assert_int_equal(nkg_rdf_finish(b), 0);
    nkg_rdf_free(a);
    nkg_rdf_free(b);
    fclose(plain.f);
    nkg_test_writer got;
    if (to_pipe) {
      pipe_close(f, &r, reader);
      got = r.got;
    } else {
      got = nkg_test_read_back(f);
      fclose(f);
    }
    nkg_test_assert_same_text(&got, &plain);
    free(got.text);
    free(plain.text);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ntriples_as_raptor),
      cmocka_unit_test(test_nquads_as_raptor),
      cmocka_unit_test(test_none_counts),
      cmocka_unit_test(test_bad_utf8_iri_is_refused),
      cmocka_unit_test(test_written_behind),
      cmocka_unit_test(test_write_behind_error),
      cmocka_unit_test(test_write_file),
#if defined(__linux__)
      cmocka_unit_test(test_drop_behind),
#endif
      cmocka_unit_test(test_write_behind_batches),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
