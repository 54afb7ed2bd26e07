/* DOT and GraphML from one pass over the statements (see export.h for
 * what is drawn). */
#include "export.h"
#include "rdflib.h"

#include <stdlib.h>
#include <string.h>

#include "../util.h"
#include "backend.h"
#include "newskg.h"

enum kind { K_NONE, K_PLACE, K_ORG, K_PERSON, K_POST, K_EVENT, K_COUNT };

/* Type IRI, kind name, DOT shape and style, fill colour. A node with two of
 * these types is drawn as the later one (an event typed as a place, say). */
static const struct {
  const char *type, *name, *shape, *style, *color;
} kinds[K_COUNT] = {
    {NULL, NULL, NULL, NULL, NULL},
    {SCHEMA_NS "Place", "Place", "hexagon", "filled", "#d4edda"},
    {SCHEMA_NS "Organization", "Organization", "box", "filled", "#ffe5b4"},
    {SCHEMA_NS "Person", "Person", "ellipse", "filled", "#cfe2ff"},
    {ORG_NS "Post", "Post", "note", "filled", "#e9ecef"},
    {SEM_NS "Event", "Event", "box", "rounded,filled", "#f8d7da"},
};

/* Short edge labels; a property not listed is named by its local name. */
static const struct {
  const char *property, *label;
} edge_labels[] = {
    {ORG_NS "holds", "holds"},
    {ORG_NS "postIn", "in"},
    {ORG_NS "memberOf", "member of"},
    {SCHEMA_NS "parent", "child of"},
    {SCHEMA_NS "containedInPlace", "in"},
    {SCHEMA_NS "location", "located in"},
    {SCHEMA_NS "parentOrganization", "part of"},
    {SEM_NS "hasActor", "actor"},
    {SEM_NS "hasPlace", "place"},
    {NKG_NS "origin", "from"},
    {NKG_NS "destination", "to"},
    {NKG_NS "condition", "if"},
};

/* One direction of each pair of inverse properties is drawn. */
static const char *const inverses[] = {ORG_NS "heldBy", ORG_NS "hasMember",
                                       SCHEMA_NS "children",
                                       SCHEMA_NS "subOrganization"};

typedef struct node {
  char *iri;
  int kind;
  char *name;  /* schema:name */
  char *label; /* rdfs:label */
  size_t index;
} node;

typedef struct edge {
  char *s, *p, *o;
  size_t from, to;
  const char *label;
  char *own_label; /* for properties not in edge_labels */
} edge;

typedef struct walk {
  nkg_map *nodes; /* IRI -> node* */
  edge *edges;
  size_t nedges, capedges;
  node **order;
  size_t norder;
} walk;

static void free_node(void *v) {
  node *n = v;
  free(n->iri);
  free(n->name);
  free(n->label);
  free(n);
}

static node *node_for(walk *w, const char *iri) {
  node *n = nkg_map_get(w->nodes, iri, strlen(iri));
  if (n)
    return n;
  n = calloc(1, sizeof *n);
  if (!n)
    return NULL;
  n->iri = nkg_strdup(iri);
  if (!n->iri || nkg_map_put(w->nodes, iri, strlen(iri), n, NULL)) {
    free_node(n);
    return NULL;
  }
  return n;
}

static int keep_literal(char **slot, librdf_node *o) {
  if (*slot || !librdf_node_is_literal(o))
    return 0;
  size_t len = 0;
  const unsigned char *v =
      librdf_node_get_literal_value_as_counted_string(o, &len);
  *slot = nkg_strndup((const char *)v, len);
  return *slot ? 0 : NKG_ERR_NOMEM;
}

static int is_inverse(const char *p) {
  for (size_t i = 0; i < sizeof inverses / sizeof *inverses; i++)
    if (!strcmp(p, inverses[i]))
      return 1;
  return 0;
}

/* One statement: types and names of nodes; candidate edges. */
static int take(walk *w, librdf_statement *st) {
  librdf_node *s = librdf_statement_get_subject(st);
  librdf_node *p = librdf_statement_get_predicate(st);
  librdf_node *o = librdf_statement_get_object(st);
  if (!librdf_node_is_resource(s) || !librdf_node_is_resource(p))
    return 0;
  const char *si = (const char *)librdf_uri_as_string(librdf_node_get_uri(s));
  const char *pi = (const char *)librdf_uri_as_string(librdf_node_get_uri(p));
  if (!strcmp(pi, RDF_NS "type")) {
    if (!librdf_node_is_resource(o))
      return 0;
    const char *t = (const char *)librdf_uri_as_string(librdf_node_get_uri(o));
    for (int k = 1; k < K_COUNT; k++) {
      if (strcmp(t, kinds[k].type))
        continue;
      node *n = node_for(w, si);
      if (!n)
        return NKG_ERR_NOMEM;
      if (k > n->kind)
        n->kind = k;
    }
    return 0;
  }
  if (!strcmp(pi, SCHEMA_NS "name") || !strcmp(pi, RDFS_NS "label")) {
    node *n = node_for(w, si);
    if (!n)
      return NKG_ERR_NOMEM;
    return keep_literal(!strcmp(pi, SCHEMA_NS "name") ? &n->name : &n->label,
                        o);
  }
  if (!librdf_node_is_resource(o) || is_inverse(pi))
    return 0;
  edge e = {0};
  e.s = nkg_strdup(si);
  e.p = nkg_strdup(pi);
  e.o = nkg_strdup((const char *)librdf_uri_as_string(librdf_node_get_uri(o)));
  if (!e.s || !e.p || !e.o || NKG_PUSH(w->edges, w->nedges, w->capedges, e)) {
    free(e.s);
    free(e.p);
    free(e.o);
    return NKG_ERR_NOMEM;
  }
  return 0;
}

static int cmp_node(const void *a, const void *b) {
  return strcmp((*(node *const *)a)->iri, (*(node *const *)b)->iri);
}

static int cmp_edge(const void *a, const void *b) {
  const edge *x = a, *y = b;
  if (x->from != y->from)
    return x->from < y->from ? -1 : 1;
  if (x->to != y->to)
    return x->to < y->to ? -1 : 1;
  return strcmp(x->p, y->p);
}

/* "memberOf" -> "member of" */
static char *local_words(const char *iri) {
  const char *l = iri + strlen(iri);
  while (l > iri && l[-1] != '#' && l[-1] != '/')
    l--;
  nkg_buf b = {0};
  nkg_buf_adds(&b, "");
  for (const char *c = l; *c; c++) {
    if (*c >= 'A' && *c <= 'Z') {
      if (c > l)
        nkg_buf_addc(&b, ' ');
      nkg_buf_addc(&b, (char)(*c - 'A' + 'a'));
    } else {
      nkg_buf_addc(&b, *c);
    }
  }
  return nkg_buf_take(&b);
}

static int pair_has(const edge *e, size_t from, size_t to, const char *p) {
  for (size_t i = from; i < to; i++)
    if (!strcmp(e[i].p, p))
      return 1;
  return 0;
}

/* Keeps edges between drawn nodes, drops what a more specific edge says,
 * and names the rest. */
static int settle_edges(walk *w) {
  size_t keep = 0;
  for (size_t i = 0; i < w->nedges; i++) {
    edge *e = &w->edges[i];
    node *a = nkg_map_get(w->nodes, e->s, strlen(e->s));
    node *b = nkg_map_get(w->nodes, e->o, strlen(e->o));
    if (a && b && a->kind && b->kind && a != b) {
      e->from = a->index;
      e->to = b->index;
      w->edges[keep++] = *e;
    } else {
      free(e->s);
      free(e->p);
      free(e->o);
    }
  }
  w->nedges = keep;
  if (keep > 1)
    qsort(w->edges, keep, sizeof *w->edges, cmp_edge);
  /* per pair of nodes (the edges are sorted by pair, then property) */
  size_t out = 0;
  for (size_t i = 0; i < w->nedges;) {
    size_t j = i;
    int specific = 0;
    while (j < w->nedges && w->edges[j].from == w->edges[i].from &&
           w->edges[j].to == w->edges[i].to) {
      specific |= strcmp(w->edges[j].p, SEM_NS "hasActor") &&
                  strcmp(w->edges[j].p, SEM_NS "hasPlace");
      j++;
    }
    int winner = pair_has(w->edges, i, j, NKG_NS "winner");
    for (size_t k = i; k < j; k++) {
      edge *e = &w->edges[k];
      int generic =
          !strcmp(e->p, SEM_NS "hasActor") || !strcmp(e->p, SEM_NS "hasPlace");
      int drop = (k > i && !strcmp(e->p, w->edges[k - 1].p)) ||
                 (generic && specific) ||
                 (winner && !strcmp(e->p, NKG_NS "agent"));
      if (drop) {
        free(e->s);
        free(e->o);
        e->s = e->o = NULL; /* p stays for the comparison above */
      }
    }
    for (size_t k = i; k < j; k++) {
      if (w->edges[k].s)
        w->edges[out++] = w->edges[k];
      else
        free(w->edges[k].p);
    }
    i = j;
  }
  w->nedges = out;
  for (size_t i = 0; i < w->nedges; i++) {
    edge *e = &w->edges[i];
    for (size_t k = 0; k < sizeof edge_labels / sizeof *edge_labels; k++)
      if (!strcmp(e->p, edge_labels[k].property))
        e->label = edge_labels[k].label;
    if (!e->label) {
      e->own_label = local_words(e->p);
      if (!e->own_label)
        return NKG_ERR_NOMEM;
      e->label = e->own_label;
    }
  }
  return 0;
}

static const char *shown_name(const node *n) {
  if (n->name)
    return n->name;
  if (n->label)
    return n->label;
  const char *l = n->iri + strlen(n->iri);
  while (l > n->iri && l[-1] != '#' && l[-1] != '/')
    l--;
  return l;
}

/* ---- DOT --------------------------------------------------------------------
 */

/* A DOT string: quotes and backslashes escaped, control characters as
 * spaces, long labels wrapped at a space after `wrap` code points. */
static void dot_string(FILE *out, const char *s, size_t wrap) {
  fputc('"', out);
  size_t col = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      fputc('\\', out);
      fputc(*p, out);
    } else if (*p == ' ' && wrap && col >= wrap) {
      fputs("\\n", out);
      col = 0;
      continue;
    } else if (*p < 0x20 || *p == 0x7f) {
      fputc(' ', out);
    } else {
      fputc(*p, out);
    }
    if ((*p & 0xC0) != 0x80)
      col++;
  }
  fputc('"', out);
}

static void write_dot(const walk *w, FILE *out) {
  fputs("digraph newskg {\n"
        "  graph [rankdir=LR, overlap=false, splines=true, "
        "fontname=\"Helvetica\"];\n"
        "  node [fontname=\"Helvetica\", fontsize=11, style=filled];\n"
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n",
        out);
  for (size_t i = 0; i < w->norder; i++) {
    const node *n = w->order[i];
    fprintf(out, "  n%zu [label=", n->index);
    dot_string(out, shown_name(n), 28);
    fprintf(out, ", shape=%s, style=\"%s\", fillcolor=\"%s\", tooltip=",
            kinds[n->kind].shape, kinds[n->kind].style, kinds[n->kind].color);
    dot_string(out, n->iri, 0);
    fputs("];\n", out);
  }
  for (size_t i = 0; i < w->nedges; i++) {
    const edge *e = &w->edges[i];
    fprintf(out, "  n%zu -> n%zu [label=", e->from, e->to);
    dot_string(out, e->label, 0);
    fputs("];\n", out);
  }
  /* a legend of the shapes and colours, apart from the graph */
  fputs("  subgraph cluster_legend {\n"
        "    label=\"legend\"; fontsize=10; color=\"#bbbbbb\";\n",
        out);
  for (int k = 1; k < K_COUNT; k++)
    fprintf(out,
            "    legend_%d [label=\"%s\", shape=%s, style=\"%s\", "
            "fillcolor=\"%s\", fontsize=9];\n",
            k, kinds[k].name, kinds[k].shape, kinds[k].style, kinds[k].color);
  fputs("  }\n}\n", out);
}

/* ---- GraphML
 * ------------------------------------------------------------------ */

/* XML character data: markup escaped; characters XML 1.0 does not allow
 * become spaces. */
static void xml_text(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '&':
      fputs("&amp;", out);
      break;
    case '<':
      fputs("&lt;", out);
      break;
    case '>':
      fputs("&gt;", out);
      break;
    case '"':
      fputs("&quot;", out);
      break;
    default:
      if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
        fputc(' ', out);
      else
        fputc(*p, out);
    }
  }
}

static void xml_data(FILE *out, const char *key, const char *value) {
  fprintf(out, "      <data key=\"%s\">", key);
  xml_text(out, value);
  fputs("</data>\n", out);
}

static void write_graphml(const walk *w, FILE *out) {
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
        "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
        "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
        "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
        "  <key id=\"label\" for=\"node\" attr.name=\"label\" "
        "attr.type=\"string\"/>\n"
        "  <key id=\"type\" for=\"node\" attr.name=\"type\" "
        "attr.type=\"string\"/>\n"
        "  <key id=\"iri\" for=\"node\" attr.name=\"iri\" "
        "attr.type=\"string\"/>\n"
        "  <key id=\"color\" for=\"node\" attr.name=\"color\" "
        "attr.type=\"string\"/>\n"
        "  <key id=\"shape\" for=\"node\" attr.name=\"shape\" "
        "attr.type=\"string\"/>\n"
        "  <key id=\"elabel\" for=\"edge\" attr.name=\"label\" "
        "attr.type=\"string\"/>\n"
        "  <key id=\"property\" for=\"edge\" attr.name=\"property\" "
        "attr.type=\"string\"/>\n"
        "  <graph id=\"newskg\" edgedefault=\"directed\">\n",
        out);
  for (size_t i = 0; i < w->norder; i++) {
    const node *n = w->order[i];
    fprintf(out, "    <node id=\"n%zu\">\n", n->index);
    xml_data(out, "label", shown_name(n));
    xml_data(out, "type", kinds[n->kind].name);
    xml_data(out, "iri", n->iri);
    xml_data(out, "color", kinds[n->kind].color);
    xml_data(out, "shape", kinds[n->kind].shape);
    fputs("    </node>\n", out);
  }
  for (size_t i = 0; i < w->nedges; i++) {
    const edge *e = &w->edges[i];
    fprintf(out, "    <edge id=\"e%zu\" source=\"n%zu\" target=\"n%zu\">\n", i,
            e->from, e->to);
    xml_data(out, "elabel", e->label);
    xml_data(out, "property", e->p);
    fputs("    </edge>\n", out);
  }
  fputs("  </graph>\n</graphml>\n", out);
}

/* ---- the export
 * ------------------------------------------------------------------ */

int nkg_export_format_ok(const char *format) {
  return format && (!strcmp(format, "dot") || !strcmp(format, "graphml"));
}

int nkg_export(nkg_dataset *ds, const char *format, FILE *out, size_t *nodes,
               size_t *edges, char *err, size_t errlen) {
  *nodes = *edges = 0;
  if (!nkg_export_format_ok(format)) {
    snprintf(err, errlen, "unknown export format '%s' (dot, graphml)",
             format ? format : "(null)");
    return NKG_ERR_ARG;
  }
  walk w = {0};
  w.nodes = nkg_map_new();
  int rc = w.nodes ? 0 : NKG_ERR_NOMEM;
  librdf_stream *s =
      rc ? NULL : librdf_model_as_stream((librdf_model *)nkg_dataset_model(ds));
  if (!rc && !s) {
    snprintf(err, errlen, "the graph cannot be read");
    rc = NKG_ERR_RDF;
  }
  for (; s && !rc && !librdf_stream_end(s); librdf_stream_next(s))
    rc = take(&w, librdf_stream_get_object(s));
  if (s)
    librdf_free_stream(s);
  /* the drawn nodes, in IRI order */
  const char *key;
  void *value;
  size_t caporder = 0;
  for (size_t i = 0; !rc && i < nkg_map_slots(w.nodes); i++) {
    if (!nkg_map_at(w.nodes, i, &key, &value))
      continue;
    node *n = value;
    if (n->kind && NKG_PUSH(w.order, w.norder, caporder, n))
      rc = NKG_ERR_NOMEM;
  }
  if (!rc && w.norder > 1)
    qsort(w.order, w.norder, sizeof *w.order, cmp_node);
  for (size_t i = 0; !rc && i < w.norder; i++)
    w.order[i]->index = i;
  if (!rc)
    rc = settle_edges(&w);
  if (rc == NKG_ERR_NOMEM)
    snprintf(err, errlen, "out of memory");
  if (!rc) {
    if (!strcmp(format, "dot"))
      write_dot(&w, out);
    else
      write_graphml(&w, out);
    *nodes = w.norder;
    *edges = w.nedges;
  }
  for (size_t i = 0; i < w.nedges; i++) {
    free(w.edges[i].s);
    free(w.edges[i].p);
    free(w.edges[i].o);
    free(w.edges[i].own_label);
  }
  free(w.edges);
  free(w.order);
  nkg_map_free(w.nodes, free_node);
  return rc;
}
