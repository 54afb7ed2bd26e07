/* Stage 3: coreference within one article. Mentions are grouped into
 * document entities: one per known entity, one per full name (spelling
 * variants with the same key join), and short forms ("Mashaal",
 * "Mr Abbas", "President Putin"), acronyms defined in the text
 * ("Palestinian Authority (PA)") and repeated names join the full name they
 * refer to. Candidates that join nothing are dropped. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int add_name(nkg_dentity *e, const char *name) {
  for (size_t i = 0; i < e->nnames; i++)
    if (!strcmp(e->names[i], name))
      return 0;
  char *copy = nkg_strdup(name);
  if (!copy || NKG_PUSH(e->names, e->nnames, e->capnames, copy)) {
    free(copy);
    return NKG_ERR_NOMEM;
  }
  return 0;
}

static int32_t entity_by_key(const nkg_doc *doc, const char *key) {
  if (!doc->entity_keys)
    return -1;
  return (int32_t)(intptr_t)nkg_map_get(doc->entity_keys, key, strlen(key)) -
         1;
}

static int32_t new_entity(nkg_doc *doc, const char *name, int type, int kind,
                          const nkg_gaz *gaz) {
  if (!doc->entity_keys && !(doc->entity_keys = nkg_map_new()))
    return -1;
  nkg_dentity e;
  memset(&e, 0, sizeof e);
  e.name = nkg_strdup(name);
  e.type = (uint8_t)type;
  e.kind = (uint8_t)kind;
  e.gaz = gaz;
  e.global = -1;
  if (e.name)
    e.key = nkg_entity_key(&e);
  if (!e.key ||
      NKG_PUSH(doc->entities, doc->nentities, doc->capentities, e)) {
    free(e.name);
    free(e.key);
    return -1;
  }
  int32_t idx = (int32_t)(doc->nentities - 1);
  if (nkg_map_put(doc->entity_keys, e.key, strlen(e.key),
                  (void *)(intptr_t)(idx + 1), NULL))
    return -1;
  return idx;
}

int32_t nkg_doc_entity_for_gaz(nkg_doc *doc, const nkg_gaz *gaz) {
  int32_t e = entity_by_key(doc, gaz->key);
  if (e >= 0)
    return e;
  return new_entity(doc, gaz->name, gaz->type, gaz->kind, gaz);
}

/* Number of name tokens in a mention (the possessive is never inside). */
static uint32_t mlen(const nkg_mention *m) { return m->te - m->tb; }

/* Where each surname of a person with a full name is mentioned:
 * folded word -> positions, in text order. */
typedef struct surname_hits {
  uint32_t *tb;
  int32_t *entity;
  size_t n, cap, capent;
} surname_hits;

static void free_hits(void *p) {
  surname_hits *h = p;
  if (!h)
    return;
  free(h->tb);
  free(h->entity);
  free(h);
}

static int index_surnames(const nkg_doc *doc, nkg_map *surnames) {
  for (size_t i = 0; i < doc->nmentions; i++) {
    const nkg_mention *m = &doc->mentions[i];
    if (m->entity < 0 || m->type != NKG_PER || mlen(m) < 2)
      continue;
    for (uint32_t t = m->tb + 1; t < m->te; t++) {
      char buf[96];
      nkg_tok_fold(doc, t, buf, sizeof buf);
      size_t l = strlen(buf);
      if (l < 2)
        continue; /* initials */
      surname_hits *h = nkg_map_get(surnames, buf, l);
      if (!h) {
        h = calloc(1, sizeof *h);
        if (!h || nkg_map_put(surnames, buf, l, h, NULL)) {
          free(h);
          return NKG_ERR_NOMEM;
        }
      }
      size_t n = h->n;
      if (nkg_grow((void **)&h->tb, &h->cap, n + 1, sizeof *h->tb) ||
          nkg_grow((void **)&h->entity, &h->capent, n + 1,
                   sizeof *h->entity))
        return NKG_ERR_NOMEM;
      h->tb[n] = m->tb;
      h->entity[n] = m->entity;
      h->n++;
    }
  }
  return 0;
}

/* The person a short form at token tb refers to: the nearest full-name
 * mention before it, else the first after it. */
static int32_t resolve_short(const nkg_map *surnames, const char *folded,
                             uint32_t tb) {
  const surname_hits *h = nkg_map_get(surnames, folded, strlen(folded));
  if (!h || !h->n)
    return -1;
  size_t lo = 0, hi = h->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (h->tb[mid] < tb)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo > 0 ? h->entity[lo - 1] : h->entity[0];
}

int nkg_coref_doc(nkg_doc *doc, const nkg_lexicon *lex) {
  (void)lex;
  /* Pass 1: known entities and full names. */
  for (size_t i = 0; i < doc->nmentions; i++) {
    nkg_mention *m = &doc->mentions[i];
    if (m->type == NKG_NONE)
      continue;
    if (m->type == NKG_PER && mlen(m) < 2)
      continue;
    char *surface = nkg_span_text(doc, m->tb, m->te);
    if (!surface)
      return NKG_ERR_NOMEM;
    int32_t e;
    if (m->gaz) {
      e = nkg_doc_entity_for_gaz(doc, m->gaz);
    } else {
      nkg_dentity probe;
      memset(&probe, 0, sizeof probe);
      probe.name = surface;
      probe.type = m->type;
      char *key = nkg_entity_key(&probe);
      if (!key) {
        free(surface);
        return NKG_ERR_NOMEM;
      }
      e = entity_by_key(doc, key);
      free(key);
      if (e < 0)
        e = new_entity(doc, surface, m->type, m->kind, NULL);
    }
    if (e < 0 || add_name(&doc->entities[e], surface)) {
      free(surface);
      return NKG_ERR_NOMEM;
    }
    /* the fullest spelling names the entity in this document */
    nkg_dentity *d = &doc->entities[e];
    if (!d->gaz && strlen(surface) > strlen(d->name)) {
      free(d->name);
      d->name = surface;
    } else {
      free(surface);
    }
    m->entity = e;
  }

  /* Pass 2: acronyms defined in brackets right after a name:
   * "Palestinian Authority (PA)". */
  for (size_t i = 0; i < doc->nmentions; i++) {
    nkg_mention *m = &doc->mentions[i];
    if (m->entity < 0 || doc->entities[m->entity].type == NKG_PER)
      continue;
    uint32_t t = m->te;
    if (t + 2 >= doc->ntoks || doc->text[doc->toks[t].b] != '(' ||
        doc->text[doc->toks[t + 2].b] != ')' ||
        !(doc->toks[t + 1].flags & NKG_TF_UPPER))
      continue;
    int32_t am = nkg_mention_at(doc, t + 1);
    if (am >= 0 && doc->mentions[am].entity >= 0)
      continue; /* already a known name of something */
    char *acr = nkg_span_text(doc, t + 1, t + 2);
    if (!acr || add_name(&doc->entities[m->entity], acr)) {
      free(acr);
      return NKG_ERR_NOMEM;
    }
    free(acr);
    if (am >= 0) {
      doc->mentions[am].entity = m->entity;
      doc->mentions[am].type = doc->entities[m->entity].type;
      doc->mentions[am].how = NKG_H_ACRONYM;
    } else {
      nkg_mention nm = {t + 1, t + 2, doc->entities[m->entity].type,
                        doc->entities[m->entity].kind, NKG_H_ACRONYM,
                        m->entity, NULL};
      /* keep text order: insert after i */
      if (NKG_PUSH(doc->mentions, doc->nmentions, doc->capmentions, nm))
        return NKG_ERR_NOMEM;
      memmove(&doc->mentions[i + 2], &doc->mentions[i + 1],
              (doc->nmentions - i - 2) * sizeof *doc->mentions);
      doc->mentions[i + 1] = nm;
    }
  }

  /* Pass 3: short forms and candidates. */
  nkg_map *fullnames = nkg_map_new(), *surnames = nkg_map_new();
  int rc = (fullnames && surnames) ? index_surnames(doc, surnames)
                                   : NKG_ERR_NOMEM;
  for (size_t k = 0; !rc && k < doc->nentities; k++) {
    nkg_dentity *d = &doc->entities[k];
    for (size_t n = 0; !rc && n < d->nnames; n++) {
      char *f = nkg_fold(d->names[n], strlen(d->names[n]));
      if (!f)
        rc = NKG_ERR_NOMEM;
      else if (!nkg_map_get(fullnames, f, strlen(f)))
        rc = nkg_map_put(fullnames, f, strlen(f), (void *)(intptr_t)(k + 1),
                         NULL);
      free(f);
    }
  }
  for (size_t i = 0; !rc && i < doc->nmentions; i++) {
    nkg_mention *m = &doc->mentions[i];
    if (m->entity >= 0)
      continue;
    char *folded = nkg_span_fold(doc, m->tb, m->te);
    if (!folded) {
      rc = NKG_ERR_NOMEM;
      break;
    }
    /* the whole text is a name already known in this document */
    int32_t e =
        (int32_t)(intptr_t)nkg_map_get(fullnames, folded, strlen(folded)) - 1;
    /* a surname: "Mashaal", "Mr Abbas" */
    if (e < 0 && mlen(m) == 1)
      e = resolve_short(surnames, folded, m->tb);
    if (e < 0 && (m->type == NKG_PER || m->how == NKG_H_TITLE)) {
      /* a titled single name with no full form: "President Chavez" */
      char *surface = nkg_span_text(doc, m->tb, m->te);
      if (!surface) {
        free(folded);
        rc = NKG_ERR_NOMEM;
        break;
      }
      nkg_dentity probe;
      memset(&probe, 0, sizeof probe);
      probe.name = surface;
      probe.type = NKG_PER;
      char *key = nkg_entity_key(&probe);
      e = key ? entity_by_key(doc, key) : -1;
      free(key);
      if (e < 0)
        e = new_entity(doc, surface, NKG_PER, 0, NULL);
      if (e >= 0 && add_name(&doc->entities[e], surface))
        e = -1;
      if (e >= 0 && !nkg_map_get(fullnames, folded, strlen(folded)))
        nkg_map_put(fullnames, folded, strlen(folded),
                    (void *)(intptr_t)(e + 1), NULL);
      free(surface);
    }
    free(folded);
    if (e >= 0) {
      m->entity = e;
      m->type = doc->entities[e].type;
      if (m->how == NKG_H_CONTEXT)
        m->how = NKG_H_COREF;
    }
  }
  nkg_map_free(fullnames, NULL);
  nkg_map_free(surnames, free_hits);
  if (rc)
    return rc;

  /* Drop what joined nothing; count mentions. */
  size_t w = 0;
  for (size_t i = 0; i < doc->nmentions; i++) {
    if (doc->mentions[i].entity < 0)
      continue;
    doc->mentions[w++] = doc->mentions[i];
  }
  doc->nmentions = w;
  for (size_t i = 0; i < doc->nmentions; i++)
    doc->entities[doc->mentions[i].entity].nmentions++;
  return 0;
}
