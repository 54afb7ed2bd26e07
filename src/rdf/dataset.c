/* Reading graphs and running SPARQL over them. Files go into a librdf
 * model on "hashes" storage with hash-type memory: indexed, unlike the
 * default "memory" storage (a list scanned on every add) and unlike
 * rasqal's own data loading (roqet -D), which scans every triple for each
 * partial match (design/style.md). The aligned table, CSV and TSV are
 * written here, and so are JSON and XML: rasqal's table prints uri<...>
 * and string("..."), its TSV ends without a newline, its JSON and XML
 * write unbound variables in forms the standards do not have. */
#include "dataset.h"
#include "rdflib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util.h"
#include "backend.h"
#include "newskg.h"
#include "store.h"

struct nkg_dataset {
  librdf_world *world;
  librdf_storage *storage; /* files: the in-memory storage */
  librdf_model *model;     /* files: owned; store: the store's */
  nkg_store *store;
};

static void *route_nowhere(void *user, const char *graph_iri) {
  (void)user;
  (void)graph_iri;
  return NULL;
}

/* Library messages are collected in an nkg_rdf that takes no statements:
 * the first error, with its line, ends up in err. */
static int open_errors(nkg_rdf **errs) {
  return nkg_rdf_open_model(errs, route_nowhere, NULL);
}

static const char *ends_with(const char *path, const char *suffix) {
  size_t n = strlen(path), k = strlen(suffix);
  return n >= k && !nkg_strcasecmp_ascii(path + n - k, suffix) ? path : NULL;
}

static const char *syntax_of(const char *path) {
  if (ends_with(path, ".nt"))
    return "ntriples";
  if (ends_with(path, ".nq"))
    return "nquads";
  if (ends_with(path, ".trig"))
    return "trig";
  if (ends_with(path, ".rdf") || ends_with(path, ".owl") ||
      ends_with(path, ".xml"))
    return "rdfxml";
  return "turtle";
}

static int quads(const char *syntax) {
  return !strcmp(syntax, "nquads") || !strcmp(syntax, "trig");
}

/* raptor term -> librdf node (a new node, or NULL). */
static librdf_node *node_of(librdf_world *w, raptor_term *t) {
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI:
    return librdf_new_node_from_uri_string(w,
                                           raptor_uri_as_string(t->value.uri));
  case RAPTOR_TERM_TYPE_BLANK:
    return librdf_new_node_from_blank_identifier(w, t->value.blank.string);
  case RAPTOR_TERM_TYPE_LITERAL: {
    librdf_uri *dt =
        t->value.literal.datatype
            ? librdf_new_uri(w, raptor_uri_as_string(t->value.literal.datatype))
            : NULL;
    librdf_node *n = librdf_new_node_from_typed_counted_literal(
        w, t->value.literal.string, t->value.literal.string_len,
        (const char *)t->value.literal.language, t->value.literal.language_len,
        dt);
    if (dt)
      librdf_free_uri(dt);
    return n;
  }
  default:
    return NULL;
  }
}

typedef struct quad_load {
  nkg_dataset *ds;
  int failed;
} quad_load;

static void on_quad(void *user, raptor_statement *rs) {
  quad_load *ql = user;
  if (ql->failed)
    return;
  librdf_world *w = ql->ds->world;
  librdf_node *s = node_of(w, rs->subject), *p = node_of(w, rs->predicate);
  librdf_node *o = node_of(w, rs->object);
  librdf_node *g = rs->graph ? node_of(w, rs->graph) : NULL;
  librdf_statement *st = NULL;
  if (s && p && o)
    st = librdf_new_statement_from_nodes(w, s, p, o); /* takes the nodes */
  else {
    if (s)
      librdf_free_node(s);
    if (p)
      librdf_free_node(p);
    if (o)
      librdf_free_node(o);
  }
  if (!st || (rs->graph && !g))
    ql->failed = 1;
  else
    ql->failed = g ? librdf_model_context_add_statement(ql->ds->model, g, st)
                   : librdf_model_add_statement(ql->ds->model, st);
  if (st)
    librdf_free_statement(st);
  if (g)
    librdf_free_node(g);
}

/* Quads are parsed with raptor itself: librdf 1.0.17's parsers drop the
 * graph of each quad. Returns non-zero on failure, as librdf does. */
static int add_quads(nkg_dataset *ds, const char *syntax, FILE *fh,
                     librdf_uri *base) {
  raptor_world *rw = librdf_world_get_raptor(ds->world);
  raptor_parser *parser = raptor_new_parser(rw, syntax);
  raptor_uri *rbase = raptor_new_uri(rw, librdf_uri_as_string(base));
  quad_load ql = {ds, 0};
  int failed = !parser || !rbase;
  if (!failed) {
    raptor_parser_set_statement_handler(parser, &ql, on_quad);
    failed =
        raptor_parser_parse_file_stream(parser, fh, NULL, rbase) || ql.failed;
  }
  if (rbase)
    raptor_free_uri(rbase);
  if (parser)
    raptor_free_parser(parser);
  return failed;
}

static int load_one(nkg_dataset *ds, const char *path, char *err,
                    size_t errlen) {
  const char *syntax = syntax_of(path);
  int is_stdin = !strcmp(path, "-");
  FILE *fh = is_stdin ? stdin : fopen(path, "rb");
  if (!fh) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return NKG_ERR_IO;
  }
  nkg_rdf *errs = NULL;
  int rc = open_errors(&errs);
  librdf_parser *parser =
      rc ? NULL : librdf_new_parser(ds->world, syntax, NULL, NULL);
  /* relative IRIs resolve against the file, as rapper and rdflib do */
  librdf_uri *base =
      is_stdin ? librdf_new_uri(ds->world,
                                (const unsigned char *)"file:///dev/stdin")
               : librdf_new_uri_from_filename(ds->world, path);
  if (!rc && (!parser || !base)) {
    snprintf(err, errlen, "%s: cannot make a %s parser", path, syntax);
    rc = NKG_ERR_RDF;
  }
  if (!rc) {
    nkg_rdf_capture(errs);
    int failed = quads(syntax) ? add_quads(ds, syntax, fh, base)
                               : librdf_parser_parse_file_handle_into_model(
                                     parser, fh, 0, base, ds->model);
    if (failed || nkg_rdf_error(errs)) {
      snprintf(err, errlen, "%s: %s", path,
               nkg_rdf_error(errs) ? nkg_rdf_error(errs)
                                   : "not readable as RDF");
      rc = NKG_ERR_RDF;
    } else if (ferror(fh)) {
      snprintf(err, errlen, "%s: read error", path);
      rc = NKG_ERR_IO;
    }
  }
  if (base)
    librdf_free_uri(base);
  if (parser)
    librdf_free_parser(parser);
  nkg_rdf_free(errs);
  if (!is_stdin)
    fclose(fh);
  return rc;
}

int nkg_dataset_load(nkg_dataset **out, char *const *paths, size_t npaths,
                     char *err, size_t errlen) {
  *out = NULL;
  nkg_dataset *ds = calloc(1, sizeof *ds);
  if (!ds)
    return NKG_ERR_NOMEM;
  ds->world = nkg_rdf_world();
  int contexts = 0;
  for (size_t i = 0; i < npaths; i++)
    contexts |= quads(syntax_of(paths[i]));
  int rc = ds->world ? 0 : nkg_rdf_no_world(err, errlen);
  if (!rc) {
    ds->storage = librdf_new_storage(
        ds->world, "hashes", "newskg",
        contexts ? "hash-type='memory',contexts='yes'" : "hash-type='memory'");
    ds->model =
        ds->storage ? librdf_new_model(ds->world, ds->storage, NULL) : NULL;
    if (!ds->model) {
      snprintf(err, errlen, "cannot make an in-memory RDF store");
      rc = NKG_ERR_RDF;
    }
  }
  for (size_t i = 0; !rc && i < npaths; i++)
    rc = load_one(ds, paths[i], err, errlen);
  if (rc) {
    nkg_dataset_free(ds);
    return rc;
  }
  *out = ds;
  return 0;
}

int nkg_dataset_open_store(nkg_dataset **out, const char *path, char *err,
                           size_t errlen) {
  *out = NULL;
  nkg_dataset *ds = calloc(1, sizeof *ds);
  if (!ds)
    return NKG_ERR_NOMEM;
  ds->world = nkg_rdf_world();
  int rc = ds->world
               ? nkg_store_open(&ds->store, path, NKG_STORE_READ, err, errlen)
               : nkg_rdf_no_world(err, errlen);
  if (rc) {
    nkg_dataset_free(ds);
    return rc;
  }
  ds->model = nkg_store_model(ds->store);
  *out = ds;
  return 0;
}

void nkg_dataset_free(nkg_dataset *ds) {
  if (!ds)
    return;
  if (ds->store)
    nkg_store_free(ds->store);
  else if (ds->model)
    librdf_free_model(ds->model);
  if (ds->storage)
    librdf_free_storage(ds->storage);
  free(ds);
}

void *nkg_dataset_model(nkg_dataset *ds) { return ds->model; }

long nkg_dataset_size(nkg_dataset *ds) {
  return (long)librdf_model_size(ds->model);
}

/* ---- result writers --------------------------------------------------------
 */

int nkg_query_format_ok(const char *f) {
  return f && (!strcmp(f, "table") || !strcmp(f, "csv") || !strcmp(f, "tsv") ||
               !strcmp(f, "json") || !strcmp(f, "xml") ||
               !strcmp(f, "turtle") || !strcmp(f, "ntriples"));
}

static int is_graph_format(const char *f) {
  return !strcmp(f, "turtle") || !strcmp(f, "ntriples");
}

/* An IRI as prefix:local when one of the output's prefixes fits and the
 * local part is a plain name; else <iri>. */
static void add_short_iri(nkg_buf *b, const char *iri) {
  const char *prefix, *ns;
  for (size_t i = 0; nkg_rdf_prefix_at(i, &prefix, &ns); i++) {
    size_t n = strlen(ns);
    if (strncmp(iri, ns, n))
      continue;
    const char *local = iri + n;
    int plain = *local != '\0';
    for (const char *p = local; *p && plain; p++)
      plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_' || *p == '-';
    if (plain) {
      nkg_buf_addf(b, "%s:%s", prefix, local);
      return;
    }
  }
  nkg_buf_addf(b, "<%s>", iri);
}

/* Table cells stay on one line: control characters are shown escaped. */
static void add_one_line(nkg_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n')
      nkg_buf_adds(b, "\\n");
    else if (c == '\r')
      nkg_buf_adds(b, "\\r");
    else if (c == '\t')
      nkg_buf_adds(b, "\\t");
    else if (c < 0x20 || c == 0x7f)
      nkg_buf_addf(b, "\\x%02X", c);
    else
      nkg_buf_addc(b, (char)c);
  }
}

static void add_table_cell(nkg_buf *b, librdf_node *node) {
  if (!node)
    return;
  if (librdf_node_is_resource(node)) {
    add_short_iri(
        b, (const char *)librdf_uri_as_string(librdf_node_get_uri(node)));
  } else if (librdf_node_is_blank(node)) {
    nkg_buf_addf(b, "_:%s", librdf_node_get_blank_identifier(node));
  } else {
    size_t n = 0;
    const unsigned char *v =
        librdf_node_get_literal_value_as_counted_string(node, &n);
    add_one_line(b, (const char *)v, n);
    const char *lang = librdf_node_get_literal_value_language(node);
    if (lang)
      nkg_buf_addf(b, "@%s", lang);
  }
}

/* RFC 4180 field: quoted when it holds a comma, quote, CR or LF. */
static void add_csv_field(nkg_buf *b, const char *s, size_t n) {
  int quote = 0;
  for (size_t i = 0; i < n && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    nkg_buf_add(b, s, n);
    return;
  }
  nkg_buf_addc(b, '"');
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"')
      nkg_buf_addc(b, '"');
    nkg_buf_addc(b, s[i]);
  }
  nkg_buf_addc(b, '"');
}

static void add_csv_cell(nkg_buf *b, librdf_node *node) {
  if (!node)
    return;
  if (librdf_node_is_resource(node)) {
    const char *iri =
        (const char *)librdf_uri_as_string(librdf_node_get_uri(node));
    add_csv_field(b, iri, strlen(iri));
  } else if (librdf_node_is_blank(node)) {
    nkg_buf_addf(b, "_:%s", librdf_node_get_blank_identifier(node));
  } else {
    size_t n = 0;
    const unsigned char *v =
        librdf_node_get_literal_value_as_counted_string(node, &n);
    add_csv_field(b, (const char *)v, n);
  }
}

/* TSV terms are written as in SPARQL/Turtle. */
static void add_tsv_cell(nkg_buf *b, librdf_node *node) {
  if (!node)
    return;
  if (librdf_node_is_resource(node)) {
    nkg_buf_addf(b, "<%s>", librdf_uri_as_string(librdf_node_get_uri(node)));
    return;
  }
  if (librdf_node_is_blank(node)) {
    nkg_buf_addf(b, "_:%s", librdf_node_get_blank_identifier(node));
    return;
  }
  size_t n = 0;
  const char *v =
      (const char *)librdf_node_get_literal_value_as_counted_string(node, &n);
  nkg_buf_addc(b, '"');
  for (size_t i = 0; i < n; i++) {
    switch (v[i]) {
    case '\t':
      nkg_buf_adds(b, "\\t");
      break;
    case '\n':
      nkg_buf_adds(b, "\\n");
      break;
    case '\r':
      nkg_buf_adds(b, "\\r");
      break;
    case '"':
      nkg_buf_adds(b, "\\\"");
      break;
    case '\\':
      nkg_buf_adds(b, "\\\\");
      break;
    default:
      nkg_buf_addc(b, v[i]);
    }
  }
  nkg_buf_addc(b, '"');
  const char *lang = librdf_node_get_literal_value_language(node);
  librdf_uri *dt = librdf_node_get_literal_value_datatype_uri(node);
  if (lang)
    nkg_buf_addf(b, "@%s", lang);
  else if (dt)
    nkg_buf_addf(b, "^^<%s>", librdf_uri_as_string(dt));
}

/* Width of a cell in code points (what a terminal shows for most text). */
static size_t width_of(const char *s, size_t n) { return nkg_utf8_count(s, n); }

static int write_table(librdf_query_results *res, FILE *out, size_t *rows) {
  int ncols = librdf_query_results_get_bindings_count(res);
  if (ncols < 0)
    ncols = 0;
  size_t *width = calloc((size_t)ncols + 1, sizeof *width);
  /* the names are read first: rasqal forgets them after the last row */
  const char **names = calloc((size_t)ncols + 1, sizeof *names);
  nkg_buf cells = {0}; /* every cell, NUL-separated */
  size_t *starts = NULL, nstarts = 0, capstarts = 0;
  int rc = width && names ? 0 : NKG_ERR_NOMEM;
  for (int c = 0; !rc && c < ncols; c++) {
    const char *name = librdf_query_results_get_binding_name(res, c);
    names[c] = name ? name : "";
    width[c] = width_of(names[c], strlen(names[c]));
  }
  for (; !rc && !librdf_query_results_finished(res);
       librdf_query_results_next(res)) {
    for (int c = 0; c < ncols && !rc; c++) {
      librdf_node *v = librdf_query_results_get_binding_value(res, c);
      size_t at = cells.len;
      add_table_cell(&cells, v);
      if (v)
        librdf_free_node(v);
      size_t w = width_of(cells.s ? cells.s + at : "", cells.len - at);
      if (w > width[c])
        width[c] = w;
      if (NKG_PUSH(starts, nstarts, capstarts, at) ||
          nkg_buf_addc(&cells, '\0'))
        rc = NKG_ERR_NOMEM;
    }
    (*rows)++;
  }
  nkg_buf line = {0};
  for (int c = 0; !rc && c < ncols; c++) {
    const char *name = names[c];
    nkg_buf_adds(&line, name);
    if (c + 1 < ncols)
      for (size_t k = width_of(name, strlen(name)); k < width[c] + 2; k++)
        nkg_buf_addc(&line, ' ');
  }
  if (!rc && ncols) {
    fprintf(out, "%s\n", line.s);
    nkg_buf_clear(&line);
    for (int c = 0; c < ncols; c++) {
      for (size_t k = 0; k < width[c]; k++)
        nkg_buf_addc(&line, '-');
      if (c + 1 < ncols)
        nkg_buf_adds(&line, "  ");
    }
    fprintf(out, "%s\n", line.s);
  }
  for (size_t r = 0; !rc && ncols && r < *rows; r++) {
    nkg_buf_clear(&line);
    for (int c = 0; c < ncols; c++) {
      const char *cell = cells.s + starts[r * (size_t)ncols + (size_t)c];
      nkg_buf_adds(&line, cell);
      if (c + 1 < ncols)
        for (size_t k = width_of(cell, strlen(cell)); k < width[c] + 2; k++)
          nkg_buf_addc(&line, ' ');
    }
    /* no trailing blanks when the last cells are empty */
    while (line.len && line.s[line.len - 1] == ' ')
      line.s[--line.len] = '\0';
    fprintf(out, "%s\n", line.len ? line.s : "");
  }
  if (!rc)
    fprintf(out, "(%zu row%s)\n", *rows, *rows == 1 ? "" : "s");
  nkg_buf_free(&line);
  nkg_buf_free(&cells);
  free(starts);
  free(width);
  free(names);
  return rc;
}

static int write_delimited(librdf_query_results *res, FILE *out, int csv,
                           size_t *rows) {
  int ncols = librdf_query_results_get_bindings_count(res);
  const char *eol = csv ? "\r\n" : "\n";
  char sep = csv ? ',' : '\t';
  nkg_buf line = {0};
  for (int c = 0; c < ncols; c++) {
    if (c)
      nkg_buf_addc(&line, sep);
    nkg_buf_addf(&line, "%s%s", csv ? "" : "?",
                 librdf_query_results_get_binding_name(res, c));
  }
  fprintf(out, "%s%s", line.len ? line.s : "", eol);
  for (; !librdf_query_results_finished(res); librdf_query_results_next(res)) {
    nkg_buf_clear(&line);
    for (int c = 0; c < ncols; c++) {
      if (c)
        nkg_buf_addc(&line, sep);
      librdf_node *v = librdf_query_results_get_binding_value(res, c);
      if (csv)
        add_csv_cell(&line, v);
      else
        add_tsv_cell(&line, v);
      if (v)
        librdf_free_node(v);
    }
    fprintf(out, "%s%s", line.len ? line.s : "", eol);
    (*rows)++;
  }
  nkg_buf_free(&line);
  return 0;
}

/* JSON string contents: quotes, backslashes and control characters
 * escaped; other text as it is (UTF-8). */
static void json_string(FILE *out, const char *s, size_t n) {
  fputc('"', out);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\')
      fprintf(out, "\\%c", c);
    else if (c == '\n')
      fputs("\\n", out);
    else if (c == '\r')
      fputs("\\r", out);
    else if (c == '\t')
      fputs("\\t", out);
    else if (c < 0x20 || c == 0x7f)
      fprintf(out, "\\u%04x", c);
    else
      fputc(c, out);
  }
  fputc('"', out);
}

/* XML character data; characters XML 1.0 does not allow become U+FFFD. */
static void xml_text(FILE *out, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '&')
      fputs("&amp;", out);
    else if (c == '<')
      fputs("&lt;", out);
    else if (c == '>')
      fputs("&gt;", out);
    else if (c == '"')
      fputs("&quot;", out);
    else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
      fputs("\xEF\xBF\xBD", out);
    else
      fputc(c, out);
  }
}

static void json_term(FILE *out, librdf_node *v) {
  size_t n = 0;
  if (librdf_node_is_resource(v)) {
    const unsigned char *iri =
        librdf_uri_as_counted_string(librdf_node_get_uri(v), &n);
    fputs("{ \"type\": \"uri\", \"value\": ", out);
    json_string(out, (const char *)iri, n);
  } else if (librdf_node_is_blank(v)) {
    const char *id = (const char *)librdf_node_get_blank_identifier(v);
    fputs("{ \"type\": \"bnode\", \"value\": ", out);
    json_string(out, id, strlen(id));
  } else {
    const unsigned char *text =
        librdf_node_get_literal_value_as_counted_string(v, &n);
    const char *lang = librdf_node_get_literal_value_language(v);
    librdf_uri *dt = librdf_node_get_literal_value_datatype_uri(v);
    fputs("{ \"type\": \"literal\", \"value\": ", out);
    json_string(out, (const char *)text, n);
    if (lang) {
      fputs(", \"xml:lang\": ", out);
      json_string(out, lang, strlen(lang));
    } else if (dt) {
      size_t dn = 0;
      const unsigned char *d = librdf_uri_as_counted_string(dt, &dn);
      fputs(", \"datatype\": ", out);
      json_string(out, (const char *)d, dn);
    }
  }
  fputs(" }", out);
}

static void xml_term(FILE *out, librdf_node *v) {
  size_t n = 0;
  if (librdf_node_is_resource(v)) {
    const unsigned char *iri =
        librdf_uri_as_counted_string(librdf_node_get_uri(v), &n);
    fputs("<uri>", out);
    xml_text(out, (const char *)iri, n);
    fputs("</uri>", out);
  } else if (librdf_node_is_blank(v)) {
    const char *id = (const char *)librdf_node_get_blank_identifier(v);
    fputs("<bnode>", out);
    xml_text(out, id, strlen(id));
    fputs("</bnode>", out);
  } else {
    const unsigned char *text =
        librdf_node_get_literal_value_as_counted_string(v, &n);
    const char *lang = librdf_node_get_literal_value_language(v);
    librdf_uri *dt = librdf_node_get_literal_value_datatype_uri(v);
    fputs("<literal", out);
    if (lang) {
      fputs(" xml:lang=\"", out);
      xml_text(out, lang, strlen(lang));
      fputc('"', out);
    } else if (dt) {
      size_t dn = 0;
      const unsigned char *d = librdf_uri_as_counted_string(dt, &dn);
      fputs(" datatype=\"", out);
      xml_text(out, (const char *)d, dn);
      fputc('"', out);
    }
    fputc('>', out);
    xml_text(out, (const char *)text, n);
    fputs("</literal>", out);
  }
}

/* SPARQL 1.1 Query Results JSON or the SPARQL Query Results XML Format,
 * written here: rasqal 0.9.33's writers put unbound variables in as
 * {"type": "unbound", "value": null} and <unbound/>, which the standards do
 * not have (an unbound variable is left out of its row). */
static int write_standard(librdf_query_results *res, FILE *out, int json,
                          size_t *rows) {
  if (librdf_query_results_is_boolean(res)) {
    int v = librdf_query_results_get_boolean(res) > 0;
    if (json)
      fprintf(out, "{\n  \"head\": {},\n  \"boolean\": %s\n}\n",
              v ? "true" : "false");
    else
      fprintf(out,
              "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
              "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
              "  <head/>\n  <boolean>%s</boolean>\n</sparql>\n",
              v ? "true" : "false");
    *rows = 1;
    return 0;
  }
  int ncols = librdf_query_results_get_bindings_count(res);
  const char **names =
      calloc((size_t)(ncols > 0 ? ncols : 0) + 1, sizeof *names);
  if (!names)
    return NKG_ERR_NOMEM;
  for (int c = 0; c < ncols; c++) {
    const char *name = librdf_query_results_get_binding_name(res, c);
    names[c] = name ? name : "";
  }
  if (json) {
    fputs("{\n  \"head\": { \"vars\": [", out);
    for (int c = 0; c < ncols; c++) {
      fputs(c ? ", " : " ", out);
      json_string(out, names[c], strlen(names[c]));
    }
    fputs(" ] },\n  \"results\": { \"bindings\": [", out);
  } else {
    fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
          "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
          "  <head>\n",
          out);
    for (int c = 0; c < ncols; c++) {
      fputs("    <variable name=\"", out);
      xml_text(out, names[c], strlen(names[c]));
      fputs("\"/>\n", out);
    }
    fputs("  </head>\n  <results>\n", out);
  }
  for (; !librdf_query_results_finished(res); librdf_query_results_next(res)) {
    fputs(json ? (*rows ? ",\n    {" : "\n    {") : "    <result>\n", out);
    int first = 1;
    for (int c = 0; c < ncols; c++) {
      librdf_node *v = librdf_query_results_get_binding_value(res, c);
      if (!v)
        continue;
      if (json) {
        fputs(first ? "\n      " : ",\n      ", out);
        json_string(out, names[c], strlen(names[c]));
        fputs(": ", out);
        json_term(out, v);
      } else {
        fputs("      <binding name=\"", out);
        xml_text(out, names[c], strlen(names[c]));
        fputs("\">", out);
        xml_term(out, v);
        fputs("</binding>\n", out);
      }
      first = 0;
      librdf_free_node(v);
    }
    fputs(json ? (first ? "}" : "\n    }") : "    </result>\n", out);
    (*rows)++;
  }
  fputs(json ? (*rows ? "\n  ] }\n}\n" : " ] }\n}\n")
             : "  </results>\n</sparql>\n",
        out);
  free(names);
  return 0;
}

static int write_graph(nkg_dataset *ds, librdf_query_results *res,
                       const char *format, FILE *out, size_t *rows, char *err,
                       size_t errlen) {
  librdf_stream *stream = librdf_query_results_as_stream(res);
  librdf_storage *storage =
      librdf_new_storage(ds->world, "hashes", "result", "hash-type='memory'");
  librdf_model *model =
      storage ? librdf_new_model(ds->world, storage, NULL) : NULL;
  librdf_serializer *ser = librdf_new_serializer(ds->world, format, NULL, NULL);
  int rc = 0;
  if (!model || !ser) {
    snprintf(err, errlen, "cannot make a %s writer", format);
    rc = NKG_ERR_RDF;
  }
  if (!rc && stream && librdf_model_add_statements(model, stream)) {
    snprintf(err, errlen, "the query result could not be collected");
    rc = NKG_ERR_RDF;
  }
  const char *prefix, *ns;
  for (size_t i = 0; !rc && nkg_rdf_prefix_at(i, &prefix, &ns); i++) {
    librdf_uri *u = librdf_new_uri(ds->world, (const unsigned char *)ns);
    if (u) {
      librdf_serializer_set_namespace(ser, u, prefix);
      librdf_free_uri(u);
    }
  }
  if (!rc) {
    *rows = (size_t)librdf_model_size(model);
    if (librdf_serializer_serialize_model_to_file_handle(ser, out, NULL,
                                                         model)) {
      snprintf(err, errlen, "the query result could not be written");
      rc = NKG_ERR_RDF;
    }
  }
  if (ser)
    librdf_free_serializer(ser);
  if (model)
    librdf_free_model(model);
  if (storage)
    librdf_free_storage(storage);
  if (stream)
    librdf_free_stream(stream);
  return rc;
}

int nkg_dataset_query(nkg_dataset *ds, const char *query, const char *origin,
                      const char *format, FILE *out, size_t *rows, char *err,
                      size_t errlen) {
  *rows = 0;
  if (!nkg_query_format_ok(format)) {
    snprintf(err, errlen, "unknown result format '%s'", format);
    return NKG_ERR_ARG;
  }
  nkg_rdf *errs = NULL;
  int rc = open_errors(&errs);
  if (rc)
    return rc;
  nkg_rdf_capture(errs);
  librdf_query *q = librdf_new_query(ds->world, "sparql", NULL,
                                     (const unsigned char *)query, NULL);
  librdf_query_results *res = q && !nkg_rdf_error(errs)
                                  ? librdf_model_query_execute(ds->model, q)
                                  : NULL;
  if (!res || nkg_rdf_error(errs)) {
    snprintf(err, errlen, "%s: %s", origin,
             nkg_rdf_error(errs) ? nkg_rdf_error(errs)
                                 : "the query could not be run");
    rc = NKG_ERR_ARG;
    goto cleanup;
  }
  int graph = librdf_query_results_is_graph(res);
  if (graph != is_graph_format(format)) {
    snprintf(err, errlen,
             graph ? "%s: the query gives a graph: use -r turtle or "
                     "-r ntriples"
                   : "%s: the query gives a table: use -r table, csv, tsv, "
                     "json or xml",
             origin);
    rc = NKG_ERR_ARG;
    goto cleanup;
  }
  if (graph) {
    rc = write_graph(ds, res, format, out, rows, err, errlen);
  } else if (librdf_query_results_is_boolean(res) &&
             (!strcmp(format, "table") || !strcmp(format, "csv") ||
              !strcmp(format, "tsv"))) {
    int v = librdf_query_results_get_boolean(res);
    fprintf(out, "%s\n", v > 0 ? "true" : "false");
    *rows = 1;
  } else if (!strcmp(format, "table")) {
    rc = write_table(res, out, rows);
  } else if (!strcmp(format, "csv") || !strcmp(format, "tsv")) {
    rc = write_delimited(res, out, !strcmp(format, "csv"), rows);
  } else {
    rc = write_standard(res, out, !strcmp(format, "json"), rows);
  }
  if (!rc && nkg_rdf_error(errs)) {
    snprintf(err, errlen, "%s: %s", origin, nkg_rdf_error(errs));
    rc = NKG_ERR_RDF;
  }
cleanup:
  if (res)
    librdf_free_query_results(res);
  if (q)
    librdf_free_query(q);
  nkg_rdf_free(errs);
  return rc;
}
