/* Loading raptor2, librdf and rasqal on first use (see rdflib.h). */
#define NKG_RDFLIB_NO_MACROS
#include "rdflib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#ifndef NKG_LIBRDF_SONAME
#define NKG_LIBRDF_SONAME "librdf.so.0"
#endif

struct nkg_rdflib nkg_rdflib;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int failed;
static char error[512];

/* One function from the libraries loaded (librdf brings raptor2 and
 * rasqal with it): the POSIX way from dlsym's void * to a function
 * pointer, by its bytes. */
static int find(void *lib, const char *name, void *slot, size_t size) {
  void *p = dlsym(lib, name);
  if (!p) {
    snprintf(error, sizeof error, "%s: no function %s", NKG_LIBRDF_SONAME,
             name);
    return -1;
  }
  memcpy(slot, &p, size);
  return 0;
}

static void load_all(void) {
  /* RTLD_GLOBAL: raptor's and librdf's own modules (librdf's storages)
   * find their symbols */
  void *lib = dlopen(NKG_LIBRDF_SONAME, RTLD_NOW | RTLD_GLOBAL);
  if (!lib) {
    const char *why = dlerror();
    snprintf(error, sizeof error, "cannot load %s: %s", NKG_LIBRDF_SONAME,
             why ? why : "unknown error");
    failed = 1;
    return;
  }
#define NKG_RDFLIB_FIND(name)                                                  \
  if (!failed && find(lib, #name, &nkg_rdflib.name, sizeof nkg_rdflib.name))   \
    failed = 1;
  NKG_RDFLIB_FUNCTIONS(NKG_RDFLIB_FIND)
#undef NKG_RDFLIB_FIND
  /* the library stays loaded for the life of the process */
}

/* A missing library is the installation's problem, not one command's:
 * said once, on standard error, whoever asked. */
static void load(void) {
  load_all();
  if (failed)
    fprintf(stderr, "newskg: %s\n", error);
}

int nkg_rdflib_load(void) {
  pthread_once(&once, load);
  return failed ? -1 : 0;
}

const char *nkg_rdflib_error(void) { return failed ? error : NULL; }

static void *load_thread(void *arg) {
  (void)arg;
  nkg_rdflib_load();
  return NULL;
}

void nkg_rdflib_load_behind(void) {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr))
    return;
  pthread_t thread;
  if (!pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED))
    (void)pthread_create(&thread, &attr, load_thread, NULL);
  pthread_attr_destroy(&attr);
}
