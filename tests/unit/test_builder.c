#define _GNU_SOURCE /* sched_getcpu, pthread_getaffinity_np */
/* The public build API end to end (include/newskg.h), on the seed
 * articles in $NKG_SHARED/seeds: the same bytes whatever the number of
 * jobs, for every format; a build abandoned half-way, and one whose output
 * fails, free everything they hold (the CLI leaves a finished build to the
 * end of the process, so these are where nkg_builder_free meets the
 * sanitizers and valgrind). And the threads of a build start on another
 * processor than the one that starts them. */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "newskg.h"
#include "support.h"
#include "util.h"

/* Each seed article goes in this many times, under different ids: more
 * documents than the jobs have room for in flight. */
#define COPIES 4
#define MAX_SEEDS 8

typedef struct article {
  char *text;
  size_t len;
} article;

static article seeds[MAX_SEEDS];
static size_t nseeds;

static int by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

static int load_seeds(void **state) {
  const char *shared = getenv("NKG_SHARED");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/seeds", shared ? shared : "../shared");
  struct dirent **names;
  int n = scandir(dir, &names, NULL, by_name);
  for (int i = 0; i < n; i++) {
    size_t l = strlen(names[i]->d_name);
    if (nseeds < MAX_SEEDS && l > 4 &&
        !strcmp(names[i]->d_name + l - 4, ".txt")) {
      char path[8192];
      snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
      FILE *f = fopen(path, "rb");
      if (f) {
        article *a = &seeds[nseeds];
        fseek(f, 0, SEEK_END);
        a->len = (size_t)ftell(f);
        fseek(f, 0, SEEK_SET);
        a->text = malloc(a->len + 1);
        if (a->text && fread(a->text, 1, a->len, f) == a->len)
          nseeds++;
        else
          free(a->text);
        fclose(f);
      }
    }
    free(names[i]);
  }
  if (n >= 0)
    free(names);
  return nkg_test_setup(state);
}

static int free_seeds(void **state) {
  for (size_t i = 0; i < nseeds; i++)
    free(seeds[i].text);
  return nkg_test_teardown(state);
}

static nkg_options *options(const char *format, int jobs) {
  nkg_options *o = nkg_options_new();
  assert_non_null(o);
  assert_int_equal(nkg_options_set_format(o, format), 0);
  assert_int_equal(nkg_options_set_jobs(o, jobs), 0);
  return o;
}

/* Adds seed copy i, its id into id[64]; returns nkg_builder_add's status. */
static int add_seed(nkg_builder *b, size_t i, char *id) {
  snprintf(id, 64, "seed-%zu-copy-%zu", i % nseeds, i / nseeds);
  return nkg_builder_add(b, id, seeds[i % nseeds].text, seeds[i % nseeds].len,
                         "2006-05-01", NULL, NULL);
}

/* Adds the first `count` of the seed copies; returns the first error. */
static int add_seeds(nkg_builder *b, size_t count) {
  for (size_t i = 0; i < count; i++) {
    char id[64];
    int rc = add_seed(b, i, id);
    if (rc)
      return rc;
  }
  return 0;
}

/* A whole build of every copy of the seeds; stats in *stats. */
static void build(const char *format, int jobs, nkg_test_writer *w,
                  nkg_stats *stats) {
  nkg_test_writer_open(w);
  nkg_options *o = options(format, jobs);
  int rc;
  nkg_builder *b = nkg_builder_new(lex, o, w->f, &rc);
  assert_non_null(b);
  assert_int_equal(add_seeds(b, COPIES * nseeds), 0);
  assert_int_equal(nkg_builder_finish(b), 0);
  nkg_builder_stats(b, stats);
  nkg_builder_free(b);
  nkg_options_free(o);
  fclose(w->f);
}

static void test_same_output_any_jobs(void **state) {
  (void)state;
  if (!nseeds)
    skip();
  static const char *const formats[] = {"ntriples", "nquads", "turtle"};
  for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
    nkg_test_writer one;
    nkg_stats s1;
    build(formats[f], 1, &one, &s1);
    assert_int_equal(s1.documents, COPIES * nseeds);
    assert_true(s1.entities > 20);
    assert_true(s1.triples > 1000);
    assert_true(one.len > 100000);
    for (int jobs = 2; jobs <= 3; jobs++) {
      nkg_test_writer more;
      nkg_stats s;
      build(formats[f], jobs, &more, &s);
      assert_int_equal(s.documents, s1.documents);
      assert_int_equal(s.entities, s1.entities);
      assert_int_equal(s.triples, s1.triples);
      nkg_test_assert_same_text(&more, &one);
      free(more.text);
    }
    free(one.text);
  }
}

/* nkg_builder_flush: after it, the facts of every article added so far
 * are in the output (with one job and with two), and the whole output is
 * the same bytes as a build that never flushed. */
static void test_flush(void **state) {
  (void)state;
  if (!nseeds)
    skip();
  nkg_test_writer whole;
  nkg_stats s1;
  build("nquads", 1, &whole, &s1);
  for (int jobs = 1; jobs <= 2; jobs++) {
    FILE *f = tmpfile();
    assert_non_null(f);
    nkg_options *o = options("nquads", jobs);
    int rc;
    nkg_builder *b = nkg_builder_new(lex, o, f, &rc);
    assert_non_null(b);
    for (size_t i = 0; i < COPIES * nseeds; i++) {
      char id[64];
      assert_int_equal(add_seed(b, i, id), 0);
      assert_int_equal(nkg_builder_flush(b), 0);
      /* this article's own statements are in the file now */
      nkg_test_writer got = nkg_test_read_back(f);
      char doc[96];
      snprintf(doc, sizeof doc, "/doc/%s> <", id);
      assert_non_null(strstr(got.text, doc));
      free(got.text);
    }
    assert_int_equal(nkg_builder_finish(b), 0);
    assert_int_equal(nkg_builder_flush(b), NKG_ERR_ARG); /* finished */
    nkg_builder_free(b);
    nkg_options_free(o);
    nkg_test_writer got = nkg_test_read_back(f);
    fclose(f);
    nkg_test_assert_same_text(&got, &whole);
    free(got.text);
  }
  free(whole.text);
}

/* Freed without nkg_builder_finish, with documents still in flight. */
static void test_abandoned_build(void **state) {
  (void)state;
  if (!nseeds)
    skip();
  static const char *const formats[] = {"ntriples", "turtle"};
  for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
    for (int jobs = 1; jobs <= 2; jobs++) {
      nkg_test_writer w;
      nkg_test_writer_open(&w);
      nkg_options *o = options(formats[f], jobs);
      int rc;
      nkg_builder *b = nkg_builder_new(lex, o, w.f, &rc);
      assert_non_null(b);
      assert_int_equal(add_seeds(b, 2 * nseeds), 0);
      nkg_builder_free(b);
      nkg_options_free(o);
      fclose(w.f);
      free(w.text);
    }
  }
}

/* An output that cannot be written: the error comes from a later add or
 * from finish, and sticks. */
static void test_failed_output(void **state) {
  (void)state;
  FILE *full = fopen("/dev/full", "w");
  if (!full || !nseeds) {
    if (full)
      fclose(full);
    skip();
  }
  for (int jobs = 1; jobs <= 2; jobs++) {
    nkg_options *o = options("ntriples", jobs);
    int rc;
    nkg_builder *b = nkg_builder_new(lex, o, full, &rc);
    assert_non_null(b);
    rc = add_seeds(b, COPIES * nseeds);
    int frc = nkg_builder_finish(b);
    if (!rc)
      rc = frc;
    else
      assert_int_equal(frc, rc); /* the error sticks */
    if (!(rc == NKG_ERR_RDF || rc == NKG_ERR_IO))
      fail_msg("jobs %d: status %d", jobs, rc);
    assert_int_equal(nkg_builder_finish(b), NKG_ERR_ARG); /* once */
    nkg_builder_free(b);
    nkg_options_free(o);
    clearerr(full);
  }
  fclose(full);
}

/* Where a thread started apart ran first, and where it may run then. */
typedef struct started {
  int cpu;
  cpu_set_t cpus;
  atomic_int noted;
} started;

static void *note_start(void *arg) {
  started *st = arg;
  st->cpu = sched_getcpu();
  (void)pthread_getaffinity_np(pthread_self(), sizeof st->cpus, &st->cpus);
  atomic_store(&st->noted, 1);
  return NULL;
}

/* nkg_thread_create_apart: the thread starts on another processor than
 * its creator's (started plainly, half of the workers of a build started
 * on the creator's on the benchmark's machine, which then shared it for
 * milliseconds), then may run wherever the creator may. Here the
 * processor avoided is each of them in turn. */
static void test_threads_start_apart(void **state) {
  (void)state;
  cpu_set_t mine;
  assert_int_equal(pthread_getaffinity_np(pthread_self(), sizeof mine, &mine),
                   0);
  if (CPU_COUNT(&mine) < 2)
    skip(); /* one processor: nowhere apart to start */
  for (int round = 0; round < 10; round++)
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
      if (!CPU_ISSET(cpu, &mine))
        continue;
      started st;
      memset(&st, 0, sizeof st);
      st.cpu = -1;
      atomic_init(&st.noted, 0);
      pthread_t t;
      assert_int_equal(nkg_thread_create_avoiding(&t, note_start, &st, cpu), 0);
      /* busy meanwhile, as a build's threads are */
      while (!atomic_load(&st.noted))
        ;
      assert_int_equal(pthread_join(t, NULL), 0);
      assert_true(st.cpu >= 0);
      assert_int_not_equal(st.cpu, cpu);
      assert_true(CPU_EQUAL(&st.cpus, &mine));
    }
  /* the creator's own processor, as it is when it calls */
  started st;
  memset(&st, 0, sizeof st);
  atomic_init(&st.noted, 0);
  pthread_t t;
  assert_int_equal(nkg_thread_create_apart(&t, note_start, &st), 0);
  assert_int_equal(pthread_join(t, NULL), 0);
  assert_true(atomic_load(&st.noted) && CPU_EQUAL(&st.cpus, &mine));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_output_any_jobs),
      cmocka_unit_test(test_flush),
      cmocka_unit_test(test_abandoned_build),
      cmocka_unit_test(test_failed_output),
      cmocka_unit_test(test_threads_start_apart),
  };
  return cmocka_run_group_tests(tests, load_seeds, free_seeds);
}
