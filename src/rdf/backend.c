/* Writing RDF through raptor2's serializers, with the raptor world that
 * librdf owns (so that store and query code share one world per process).
 * Traps handled here (see design/style.md): the logger is set before the
 * world opens and swallows messages after counting them; literals are
 * cleaned before raptor sees them; the base URI is NULL; one serializer per
 * output. */
#include "backend.h"

#include <pthread.h>
#include <redland.h>
#include <stdlib.h>
#include <string.h>

#include "newskg.h"
#include "util.h"

struct nkg_rdf {
  librdf_world *world;
  raptor_world *raptor;
  raptor_serializer *ser;
  raptor_term *graph;
  size_t count;
  int errors;
  char *first_error;
  raptor_uri *dt_nonneg, *dt_bool;
};

static const struct {
  const char *prefix, *ns;
} prefixes[] = {{"rdf", RDF_NS},       {"rdfs", RDFS_NS},
                {"xsd", XSD_NS},       {"owl", OWL_NS},
                {"schema", SCHEMA_NS}, {"org", ORG_NS},
                {"sem", SEM_NS},       {"prov", PROV_NS},
                {"skos", SKOS_NS},     {"nif", NIF_NS},
                {"itsrdf", ITSRDF_NS}, {"time", TIME_NS},
                {"dcterms", DCTERMS_NS}, {"nkg", NKG_NS}};

static void note_error(nkg_rdf *rdf, const char *msg) {
  rdf->errors++;
  if (!rdf->first_error)
    rdf->first_error = nkg_strdup(msg ? msg : "RDF library error");
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
  if (level >= LIBRDF_LOG_ERROR && g_current)
    note_error(g_current, librdf_log_message_message(message));
  return 1; /* handled: librdf prints nothing */
}

static void on_raptor_log(void *user, raptor_log_message *message) {
  (void)user;
  if (message->level >= RAPTOR_LOG_LEVEL_ERROR && g_current)
    note_error(g_current, message->text);
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
  pthread_once(&g_once, open_world);
  return g_world;
}

void nkg_rdf_capture(nkg_rdf *rdf) { g_current = rdf; }

int nkg_rdf_format_ok(const char *format) {
  return format && (!strcmp(format, "turtle") || !strcmp(format, "ntriples") ||
                    !strcmp(format, "nquads") || !strcmp(format, "rdfxml"));
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
  nkg_rdf *rdf = calloc(1, sizeof *rdf);
  if (!rdf)
    return NKG_ERR_NOMEM;
  rdf->world = nkg_rdf_world();
  if (!rdf->world) {
    free(rdf);
    return NKG_ERR_NOMEM;
  }
  rdf->raptor = librdf_world_get_raptor(rdf->world);
  g_current = rdf;
  const char *name = !strcmp(format, "rdfxml") ? "rdfxml-abbrev" : format;
  rdf->ser = raptor_new_serializer(rdf->raptor, name);
  if (!rdf->ser) {
    if (err)
      snprintf(err, errlen, "raptor has no '%s' serializer", name);
    nkg_rdf_free(rdf);
    return NKG_ERR_RDF;
  }
  for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
    raptor_uri *u = raptor_new_uri(rdf->raptor,
                                   (const unsigned char *)prefixes[i].ns);
    raptor_serializer_set_namespace(rdf->ser, u,
                                    (const unsigned char *)prefixes[i].prefix);
    raptor_free_uri(u);
  }
  rdf->dt_nonneg = raptor_new_uri(
      rdf->raptor, (const unsigned char *)XSD_NS "nonNegativeInteger");
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

int nkg_rdf_set_graph(nkg_rdf *rdf, const char *graph_iri) {
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

int nkg_rdf_iri(nkg_rdf *rdf, const char *s, const char *p, const char *o) {
  return emit(rdf, s, p,
              raptor_new_term_from_uri_string(rdf->raptor,
                                              (const unsigned char *)o));
}

static int emit_lit(nkg_rdf *rdf, const char *s, const char *p,
                    const char *lit, size_t n, raptor_uri *dt) {
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

int nkg_rdf_lit(nkg_rdf *rdf, const char *s, const char *p, const char *lit,
                const char *datatype) {
  return nkg_rdf_lit_n(rdf, s, p, lit, strlen(lit), datatype);
}

int nkg_rdf_uint(nkg_rdf *rdf, const char *s, const char *p,
                 unsigned long long v) {
  char num[32];
  int n = snprintf(num, sizeof num, "%llu", v);
  return emit_lit(rdf, s, p, num, (size_t)n, rdf->dt_nonneg);
}

int nkg_rdf_bool(nkg_rdf *rdf, const char *s, const char *p, int v) {
  const char *b = v ? "true" : "false";
  return emit_lit(rdf, s, p, b, strlen(b), rdf->dt_bool);
}

int nkg_rdf_finish(nkg_rdf *rdf) {
  if (raptor_serializer_serialize_end(rdf->ser))
    note_error(rdf, "the serializer could not finish");
  return rdf->errors ? NKG_ERR_RDF : 0;
}

size_t nkg_rdf_count(const nkg_rdf *rdf) { return rdf->count; }

const char *nkg_rdf_error(const nkg_rdf *rdf) { return rdf->first_error; }

void nkg_rdf_free(nkg_rdf *rdf) {
  if (!rdf)
    return;
  if (rdf->ser)
    raptor_free_serializer(rdf->ser);
  if (rdf->graph)
    raptor_free_term(rdf->graph);
  if (rdf->dt_nonneg)
    raptor_free_uri(rdf->dt_nonneg);
  if (rdf->dt_bool)
    raptor_free_uri(rdf->dt_bool);
  if (g_current == rdf)
    g_current = NULL;
  free(rdf->first_error);
  free(rdf);
}
