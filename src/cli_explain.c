/* `newskg explain`: which names were joined into one entity, and why. Runs
 * the pipeline without writing RDF and prints, per entity with more than
 * one name (or per entity matching --name), its key, every full name with
 * its mention count and documents, the reason each name joined, and the
 * short forms that were resolved to it within an article. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "graph.h"
#include "input.h"
#include "internal.h"

typedef struct explain_state {
  const nkg_lexicon *lex;
  nkg_graph graph;
  nkg_strset *short_forms; /* per global entity, grows with graph */
  size_t nshort;
  size_t failures;
} explain_state;

static void on_problem(void *user, const char *origin, size_t line,
                       size_t column, int status, const char *what) {
  explain_state *st = user;
  st->failures++;
  nkg_cli_report(origin, line, column, status, what);
}

/* Remembers "Mashaal -> Khaled Mashaal (surname, in doc)" lines. */
static int note_short_forms(explain_state *st, const nkg_doc *doc) {
  size_t old = st->nshort; /* capacity; new slots start empty */
  if (nkg_grow((void **)&st->short_forms, &st->nshort, st->graph.nentities,
               sizeof *st->short_forms))
    return NKG_ERR_NOMEM;
  memset(st->short_forms + old, 0, (st->nshort - old) * sizeof *st->short_forms);
  for (size_t i = 0; i < doc->nmentions; i++) {
    const nkg_mention *m = &doc->mentions[i];
    const nkg_dentity *d = &doc->entities[m->entity];
    char *surface = nkg_span_text(doc, m->tb, m->te);
    if (!surface)
      return NKG_ERR_NOMEM;
    int full = 0;
    for (size_t n = 0; n < d->nnames && !full; n++)
      full = !strcmp(d->names[n], surface);
    int rc = 0;
    if (!full) {
      nkg_buf line = {0};
      nkg_buf_addf(&line, "\"%s\" -> \"%s\" in %s (%s)", surface, d->name,
                   doc->id,
                   m->how == NKG_H_TITLE     ? "titled short form"
                   : m->how == NKG_H_ACRONYM ? "acronym defined in brackets"
                   : m->how == NKG_H_PRONOUN
                       ? "pronoun; the one person named just before"
                   : m->how == NKG_H_DESCRIPTION
                       ? "description; the entity of that kind or post "
                         "named just before"
                       : "a word of a full name mentioned in the article");
      rc = nkg_strset_add(&st->short_forms[d->global], line.s);
      nkg_buf_free(&line);
    }
    free(surface);
    if (rc)
      return rc;
  }
  return 0;
}

static int on_article(void *user, const nkg_article *a) {
  explain_state *st = user;
  size_t bad = 0;
  int rc = nkg_text_validate(a->text, a->len, &bad);
  if (rc) {
    st->failures++;
    nkg_cli_refused(a, rc, bad);
    return 0;
  }
  nkg_doc doc;
  memset(&doc, 0, sizeof doc);
  doc.id = nkg_strdup(a->id);
  doc.date = a->date ? nkg_strdup(a->date) : NULL;
  doc.text = a->text;
  doc.len = a->len;
  rc = doc.id ? nkg_doc_process(&doc, st->lex) : NKG_ERR_NOMEM;
  if (!rc)
    rc = nkg_graph_commit(&st->graph, &doc, doc.id);
  if (!rc)
    rc = note_short_forms(st, &doc);
  nkg_doc_free(&doc);
  return rc;
}

static int name_matches(const nkg_gentity *e, const char *want) {
  char *w = nkg_fold(want, strlen(want));
  int hit = 0;
  for (size_t i = 0; w && i < e->names.n && !hit; i++) {
    char *f = nkg_fold(e->names.items[i], strlen(e->names.items[i]));
    hit = f && strstr(f, w) != NULL;
    free(f);
  }
  free(w);
  return hit;
}

static int cmp_entity_name(const void *a, const void *b) {
  const nkg_gentity *x = *(const nkg_gentity *const *)a;
  const nkg_gentity *y = *(const nkg_gentity *const *)b;
  int c = strcmp(nkg_gentity_name(x), nkg_gentity_name(y));
  return c ? c : strcmp(x->key, y->key);
}

static void print_entity(const explain_state *st, const nkg_gentity *e,
                         size_t index) {
  const char *name = nkg_gentity_name(e);
  printf("%s  [%s, key %s]\n", name, nkg_type_name(e->type), e->key);
  for (size_t i = 0; i < e->names.n; i++)
    printf("  name  %-32s %zu mention%s\n", e->names.items[i],
           e->name_count[i], e->name_count[i] == 1 ? "" : "s");
  for (size_t i = 0; i < e->names.n; i++) {
    if (!strcmp(e->names.items[i], name))
      continue;
    char *why = nkg_merge_reason(e, e->names.items[i]);
    if (why)
      printf("  why   %s\n", why);
    free(why);
  }
  if (index < st->nshort)
    for (size_t i = 0; i < st->short_forms[index].n; i++)
      printf("  short %s\n", st->short_forms[index].items[i]);
  printf("  documents:");
  for (size_t i = 0; i < e->docs.n; i++)
    printf(" %s", e->docs.items[i]);
  printf("\n\n");
}

int nkg_cmd_explain(int argc, char **argv) {
  static const struct option longopts[] = {
      {"name", required_argument, 0, 'n'},
      {"all", no_argument, 0, 'a'},
      {"data", required_argument, 0, 'D'},
      {"jsonl", no_argument, 0, 'J'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  const char *want = NULL, *data = NULL;
  int all = 0, jsonl = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "n:ah", longopts, NULL)) != -1) {
    switch (c) {
    case 'n':
      want = optarg;
      break;
    case 'a':
      all = 1;
      break;
    case 'D':
      data = optarg;
      break;
    case 'J':
      jsonl = 1;
      break;
    case 'h':
      printf("Usage: newskg explain INPUT... [--name NAME] [--all] "
             "[--data DIR] [--jsonl]\n"
             "Shows which names were joined into one entity and why: by "
             "default every entity\nknown under more than one name; --name "
             "those whose names contain NAME;\n--all every entity.\n");
      return NKG_EXIT_OK;
    default:
      return NKG_EXIT_USAGE;
    }
  }
  if (optind >= argc) {
    fprintf(stderr, "newskg explain: no INPUT\nTry 'newskg explain "
                    "--help'.\n");
    return NKG_EXIT_USAGE;
  }
  nkg_lexicon *lex = nkg_cli_lexicon(data);
  if (!lex)
    return NKG_EXIT_FATAL;
  explain_state st;
  memset(&st, 0, sizeof st);
  st.lex = lex;
  int rc = nkg_graph_init(&st.graph);
  nkg_input in = {on_article, on_problem, &st, 0, jsonl, NULL};
  for (int i = optind; !rc && i < argc; i++)
    rc = nkg_input_read(&in, argv[i]);
  if (!rc) {
    size_t n = st.graph.nentities, shown = 0;
    const nkg_gentity **order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
      rc = NKG_ERR_NOMEM;
    for (size_t i = 0; !rc && i < n; i++)
      order[i] = &st.graph.entities[i];
    if (!rc)
      qsort(order, n, sizeof *order, cmp_entity_name);
    for (size_t i = 0; !rc && i < n; i++) {
      const nkg_gentity *e = order[i];
      size_t index = (size_t)(e - st.graph.entities);
      if (want ? name_matches(e, want) : (all || e->names.n > 1)) {
        print_entity(&st, e, index);
        shown++;
      }
    }
    if (!rc && want && !shown)
      fprintf(stderr, "newskg explain: no entity named like '%s'\n", want);
    free(order);
  }
  if (rc)
    fprintf(stderr, "newskg: %s\n", nkg_strerror(rc));
  for (size_t i = 0; i < st.nshort; i++)
    nkg_strset_free(&st.short_forms[i]);
  free(st.short_forms);
  nkg_graph_free(&st.graph);
  nkg_lexicon_free(lex);
  if (rc)
    return NKG_EXIT_FATAL;
  return (st.failures || in.failures) ? NKG_EXIT_INPUT : NKG_EXIT_OK;
}
