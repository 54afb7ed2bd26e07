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
  return (int32_t)(intptr_t)nkg_map_get(doc->entity_keys, key, strlen(key)) - 1;
}

/* key: the entity's key if the caller made it already (the entity takes
 * it; making one is most of the cost of a new entity), else NULL. */
static int32_t new_entity(nkg_doc *doc, const char *name, int type, int kind,
                          const nkg_gaz *gaz, char *key) {
  if (!doc->entity_keys && !(doc->entity_keys = nkg_map_new())) {
    free(key);
    return -1;
  }
  nkg_dentity e;
  memset(&e, 0, sizeof e);
  e.name = nkg_strdup(name);
  e.type = (uint8_t)type;
  e.kind = (uint8_t)kind;
  e.gaz = gaz;
  e.global = -1;
  e.key = key;
  if (e.name && !e.key)
    e.key = nkg_entity_key(&e);
  if (!e.name || !e.key ||
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
  return new_entity(doc, gaz->name, gaz->type, gaz->kind, gaz, NULL);
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
          nkg_grow((void **)&h->entity, &h->capent, n + 1, sizeof *h->entity))
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

/* "Mahmoud Abbas, also known as Abu Mazen", "Abu Mazen (aka ...)": is
 * mention i an alias stated for the mention just before it? Returns that
 * mention's index or -1. */
static int32_t alias_of(const nkg_doc *doc, size_t i) {
  if (i == 0)
    return -1;
  const nkg_mention *a = &doc->mentions[i - 1], *b = &doc->mentions[i];
  uint32_t t = a->te;
  if (t < b->tb &&
      (doc->text[doc->toks[t].b] == ',' || doc->text[doc->toks[t].b] == '('))
    t++;
  if (t < b->tb && nkg_tok_is(doc, t, "also"))
    t++;
  if (t + 1 < b->tb && nkg_tok_is(doc, t, "known") &&
      nkg_tok_is(doc, t + 1, "as"))
    t += 2;
  else if (t < b->tb &&
           (nkg_tok_is(doc, t, "aka") || nkg_tok_is(doc, t, "a.k.a.")))
    t++;
  else
    return -1;
  return t == b->tb ? (int32_t)(i - 1) : -1;
}

/* News names a person in full once and by surname afterwards: an unknown
 * two- or three-word name whose last word also stands alone as a name
 * elsewhere in the article ("Khaled Mashaal ... Mashaal added") is a
 * person. */
static int promote_full_names(nkg_doc *doc) {
  nkg_map *singles = nkg_map_new();
  if (!singles)
    return NKG_ERR_NOMEM;
  int rc = 0;
  for (size_t i = 0; !rc && i < doc->nmentions; i++) {
    const nkg_mention *m = &doc->mentions[i];
    if (mlen(m) != 1 || m->gaz || (m->type != NKG_NONE && m->type != NKG_PER))
      continue;
    char buf[96];
    nkg_tok_fold(doc, m->tb, buf, sizeof buf);
    rc = nkg_map_put(singles, buf, strlen(buf), (void *)1, NULL);
  }
  for (size_t i = 0; !rc && i < doc->nmentions; i++) {
    nkg_mention *m = &doc->mentions[i];
    if (m->type != NKG_NONE || mlen(m) < 2 || mlen(m) > 3)
      continue;
    char buf[96];
    nkg_tok_fold(doc, m->te - 1, buf, sizeof buf);
    if (nkg_map_get(singles, buf, strlen(buf))) {
      m->type = NKG_PER;
      m->how = NKG_H_CONTEXT;
    }
  }
  nkg_map_free(singles, NULL);
  return rc;
}

/* Acronyms defined in the text, "Palestinian Authority (PA)": acronym ->
 * index + 1 of the mention it is defined after. */
static int index_acronyms(const nkg_doc *doc, nkg_map *defined) {
  for (size_t i = 0; i < doc->nmentions; i++) {
    const nkg_mention *m = &doc->mentions[i];
    uint32_t t = m->te;
    if (m->type == NKG_PER || t + 2 >= doc->ntoks ||
        doc->text[doc->toks[t].b] != '(' ||
        doc->text[doc->toks[t + 2].b] != ')' ||
        !(doc->toks[t + 1].flags & NKG_TF_UPPER))
      continue;
    const nkg_token *k = &doc->toks[t + 1];
    if (!nkg_map_get(defined, doc->text + k->b, k->e - k->b) &&
        nkg_map_put(defined, doc->text + k->b, k->e - k->b,
                    (void *)(intptr_t)(i + 1), NULL))
      return NKG_ERR_NOMEM;
  }
  return 0;
}

/* The mention an acronym mention i was defined after, if that comes
 * first: later uses of "PA" are the Palestinian Authority. */
static int32_t acronym_of(const nkg_doc *doc, const nkg_map *defined,
                          size_t i) {
  const nkg_mention *m = &doc->mentions[i];
  if (m->gaz || mlen(m) != 1 || !(doc->toks[m->tb].flags & NKG_TF_UPPER))
    return -1;
  const nkg_token *k = &doc->toks[m->tb];
  intptr_t d = (intptr_t)nkg_map_get(defined, doc->text + k->b, k->e - k->b);
  return d > 0 && (size_t)(d - 1) < i ? (int32_t)(d - 1) : -1;
}

int nkg_coref_doc(nkg_doc *doc, const nkg_lexicon *lex) {
  (void)lex;
  if (doc->ntoks && !doc->folds)
    return NKG_ERR_ARG; /* not segmented by nkg_text_segment */
  int prc = promote_full_names(doc);
  if (prc)
    return prc;
  nkg_map *defined = nkg_map_new();
  if (!defined || index_acronyms(doc, defined)) {
    nkg_map_free(defined, NULL);
    return NKG_ERR_NOMEM;
  }
  /* Pass 1: known entities and full names. */
  for (size_t i = 0; i < doc->nmentions; i++) {
    nkg_mention *m = &doc->mentions[i];
    if (m->type == NKG_NONE)
      continue;
    if (m->type == NKG_PER && mlen(m) < 2)
      continue;
    char *surface = nkg_span_text(doc, m->tb, m->te);
    if (!surface) {
      nkg_map_free(defined, NULL);
      return NKG_ERR_NOMEM;
    }
    int32_t e;
    int32_t alias = alias_of(doc, i);
    int32_t acronym = acronym_of(doc, defined, i);
    if (acronym >= 0 && doc->mentions[acronym].entity >= 0) {
      e = doc->mentions[acronym].entity;
      alias = acronym; /* keeps the entity's name */
    } else if (alias >= 0 && doc->mentions[alias].entity >= 0) {
      e = doc->mentions[alias].entity;
    } else if (m->gaz) {
      e = nkg_doc_entity_for_gaz(doc, m->gaz);
    } else {
      nkg_dentity probe;
      memset(&probe, 0, sizeof probe);
      probe.name = surface;
      probe.type = m->type;
      char *key = nkg_entity_key(&probe);
      if (!key) {
        free(surface);
        nkg_map_free(defined, NULL);
        return NKG_ERR_NOMEM;
      }
      e = entity_by_key(doc, key);
      if (e < 0) /* (the key of this name and type: the entity takes it) */
        e = new_entity(doc, surface, m->type, m->kind, NULL, key);
      else
        free(key);
    }
    if (e < 0 || add_name(&doc->entities[e], surface)) {
      free(surface);
      nkg_map_free(defined, NULL);
      return NKG_ERR_NOMEM;
    }
    /* the fullest spelling names the entity in this document */
    nkg_dentity *d = &doc->entities[e];
    if (alias < 0 && !d->gaz && strlen(surface) > strlen(d->name)) {
      free(d->name);
      d->name = surface;
    } else {
      free(surface);
    }
    m->entity = e;
  }
  nkg_map_free(defined, NULL);

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
      nkg_mention nm = {t + 1,
                        t + 2,
                        doc->entities[m->entity].type,
                        doc->entities[m->entity].kind,
                        NKG_H_ACRONYM,
                        m->entity,
                        NULL};
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
  int rc =
      (fullnames && surnames) ? index_surnames(doc, surnames) : NKG_ERR_NOMEM;
  for (size_t k = 0; !rc && k < doc->nentities; k++) {
    nkg_dentity *d = &doc->entities[k];
    for (size_t n = 0; !rc && n < d->nnames; n++) {
      /* folded on the stack when it surely fits (nkg_fold_to cuts a
       * longer fold), else on the heap */
      char buf[256], *heap = NULL;
      size_t len = strlen(d->names[n]);
      const char *f = nkg_fold_to(d->names[n], len, buf, sizeof buf);
      size_t fl = strlen(f);
      if (fl >= sizeof buf - 1) {
        f = heap = nkg_fold(d->names[n], len);
        fl = heap ? strlen(heap) : 0;
      }
      if (!f)
        rc = NKG_ERR_NOMEM;
      else if (!nkg_map_get(fullnames, f, fl))
        rc = nkg_map_put(fullnames, f, fl, (void *)(intptr_t)(k + 1), NULL);
      free(heap);
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
    int32_t alias = alias_of(doc, i);
    if (e < 0 && alias >= 0 && doc->mentions[alias].entity >= 0) {
      e = doc->mentions[alias].entity;
      char *surface = nkg_span_text(doc, m->tb, m->te);
      if (!surface || add_name(&doc->entities[e], surface)) {
        free(surface);
        free(folded);
        rc = NKG_ERR_NOMEM;
        break;
      }
      free(surface);
    }
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
      if (e < 0) /* (the key of this name and type: the entity takes it) */
        e = new_entity(doc, surface, NKG_PER, 0, NULL, key);
      else
        free(key);
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

/* ---- pronouns and definite descriptions ------------------------------- */

/* Personal pronouns are grammar, not knowledge: they stay here. */
/* A set of first letters for lowered(). */
#define LETTER(c) (1u << ((c) - 'a'))

/* Token t's bytes with ASCII upper case lowered, as nkg_tok_is compares
 * them, into w (room for cap bytes), and its length; 0 when its first
 * letter (lowered) is not in the set `firsts` or its length is over cap:
 * the callers ask of nearly every token, and few pass. */
static inline uint32_t lowered(const nkg_doc *doc, uint32_t t, uint32_t firsts,
                               char *w, uint32_t cap) {
  const nkg_token *k = &doc->toks[t];
  const unsigned char *p = (const unsigned char *)doc->text + k->b;
  uint32_t n = k->e - k->b;
  unsigned c0 = p[0] | 32;
  if (n > cap || c0 < 'a' || c0 > 'z' || !(firsts & LETTER(c0)))
    return 0;
  for (uint32_t i = 0; i < n; i++)
    w[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
  return n;
}

#define NKG_IS(lit) (n == sizeof lit - 1 && !memcmp(w, lit, sizeof lit - 1))

static inline int person_pronoun(const nkg_doc *doc, uint32_t t) {
  /* he him his himself she hers herself her */
  char w[7];
  uint32_t n = lowered(doc, t, LETTER('h') | LETTER('s'), w, sizeof w);
  return NKG_IS("he") || NKG_IS("him") || NKG_IS("his") || NKG_IS("himself") ||
         NKG_IS("she") || NKG_IS("hers") || NKG_IS("herself") || NKG_IS("her");
}

static int determiner(const nkg_doc *doc, uint32_t t) {
  /* the his her its their */
  char w[5];
  uint32_t n =
      lowered(doc, t, LETTER('t') | LETTER('h') | LETTER('i'), w, sizeof w);
  return NKG_IS("the") || NKG_IS("his") || NKG_IS("her") || NKG_IS("its") ||
         NKG_IS("their");
}
#undef NKG_IS
#undef LETTER

/* Index of the first mention that starts at or after token t. */
static size_t first_mention_from(const nkg_doc *doc, uint32_t t) {
  size_t lo = 0, hi = doc->nmentions;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (doc->mentions[mid].tb < t)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The one person mentioned in [from, t), or -1 if none or several. */
static int32_t sole_person(const nkg_doc *doc, uint32_t from, uint32_t t) {
  int32_t found = -1;
  for (size_t i = first_mention_from(doc, t); i-- > 0;) {
    const nkg_mention *m = &doc->mentions[i];
    if (m->tb < from)
      break;
    if (m->type != NKG_PER || m->how == NKG_H_PRONOUN)
      continue;
    if (found >= 0 && found != m->entity)
      return -1;
    found = m->entity;
  }
  return found;
}

static int32_t resolve_pronoun(const nkg_doc *doc, uint32_t t) {
  uint32_t s = doc->toks[t].sent;
  /* the one person of this and the previous sentence; failing that, of the
   * three sentences before, within the paragraph */
  uint32_t from = doc->sents[s > 0 ? s - 1 : 0].tb;
  int32_t e = sole_person(doc, from, t);
  if (e >= 0)
    return e;
  int32_t any = -1;
  for (size_t i = first_mention_from(doc, t); i-- > 0;) {
    if (doc->mentions[i].tb < from)
      break;
    if (doc->mentions[i].type == NKG_PER)
      any = 1;
  }
  if (any >= 0)
    return -1; /* several people nearby: not clear */
  uint32_t para = doc->sents[s].para;
  uint32_t back = s >= 3 ? s - 3 : 0;
  while (back < s && doc->sents[back].para != para)
    back++;
  return sole_person(doc, doc->sents[back].tb, t);
}

static int kinds_agree(int cue_kind, int kind) {
  if (cue_kind == NKG_K_NONE || cue_kind == NKG_K_OTHER || kind == NKG_K_NONE ||
      kind == NKG_K_OTHER || cue_kind == kind)
    return 1;
  int political = (cue_kind == NKG_K_PARTY || cue_kind == NKG_K_ARMEDGROUP);
  if (political)
    return kind == NKG_K_PARTY || kind == NKG_K_ARMEDGROUP;
  int media = (cue_kind == NKG_K_MEDIA || cue_kind == NKG_K_NEWSAGENCY);
  if (media)
    return kind == NKG_K_MEDIA || kind == NKG_K_NEWSAGENCY;
  int state = (cue_kind == NKG_K_GOVERNMENT || cue_kind == NKG_K_LEGISLATURE);
  if (state)
    return kind == NKG_K_GOVERNMENT || kind == NKG_K_LEGISLATURE;
  return 0;
}

/* "the movement", "the new ruling party", "his firm": the most recent
 * organization of an agreeing kind within five sentences. */
static int32_t resolve_org_description(const nkg_doc *doc, uint32_t t,
                                       int cue_kind, const nkg_gaz *country) {
  uint32_t s = doc->toks[t].sent;
  uint32_t from = doc->sents[s >= 5 ? s - 5 : 0].tb;
  for (size_t i = first_mention_from(doc, t); i-- > 0;) {
    const nkg_mention *m = &doc->mentions[i];
    if (m->tb < from)
      break;
    const nkg_dentity *d = &doc->entities[m->entity];
    if (d->type != NKG_ORG || !kinds_agree(cue_kind, d->kind))
      continue;
    if (country && d->gaz && d->gaz->country && d->gaz->country != country)
      continue;
    return m->entity;
  }
  return -1;
}

/* "the Russian leader", "the president": a person whose post (stated in
 * this article before the description) matches. */
static int32_t resolve_title_description(const nkg_doc *doc, uint32_t t,
                                         const char *head,
                                         const nkg_gaz *country) {
  int32_t found = -1;
  uint32_t found_at = 0;
  for (size_t i = 0; i < doc->nposts; i++) {
    const nkg_post *p = &doc->posts[i];
    if (p->person < 0 || p->tb >= t || p->former)
      continue;
    if (country) {
      if (p->org < 0 || doc->entities[p->org].gaz != country)
        continue;
    } else if (!p->role || !strstr(p->role, head)) {
      continue;
    }
    if (found < 0 || p->tb >= found_at) {
      found = p->person;
      found_at = p->tb;
    }
  }
  return found;
}

static int cmp_mention_pos(const void *a, const void *b) {
  const nkg_mention *x = a, *y = b;
  if (x->tb != y->tb)
    return x->tb < y->tb ? -1 : 1;
  return (int)x->te - (int)y->te;
}

/* The added mentions merged into the n mentions of m (room for n + nadded)
 * from the back, when both are in strict position order with no position
 * in both: then the order is the one qsort gives by cmp_mention_pos, the
 * same whatever the sort. Returns 0, changing nothing, otherwise. */
static int merge_mentions(nkg_mention *m, size_t n, const nkg_mention *added,
                          size_t nadded) {
  for (size_t i = 1; i < n; i++)
    if (cmp_mention_pos(&m[i - 1], &m[i]) >= 0)
      return 0;
  for (size_t i = 1; i < nadded; i++)
    if (cmp_mention_pos(&added[i - 1], &added[i]) >= 0)
      return 0;
  /* equal positions: check before moving anything */
  for (size_t i = 0, j = 0; i < n && j < nadded;) {
    int c = cmp_mention_pos(&m[i], &added[j]);
    if (!c)
      return 0;
    if (c < 0)
      i++;
    else
      j++;
  }
  size_t i = n, j = nadded, w = n + nadded;
  while (j > 0) {
    if (i > 0 && cmp_mention_pos(&m[i - 1], &added[j - 1]) > 0)
      m[--w] = m[--i];
    else
      m[--w] = added[--j];
  }
  return 1;
}

int nkg_coref_references(nkg_doc *doc, const nkg_lexicon *lex) {
  if (doc->ntoks && !doc->folds)
    return NKG_ERR_ARG; /* not segmented by nkg_text_segment */
  nkg_mention *added = NULL;
  size_t nadded = 0, capadded = 0;
  int rc = 0;
  /* the tokens inside a mention, marked once: the loop below asks at
   * nearly every determiner and pronoun and the words after them (the
   * mentions do not change until the end) */
  uint8_t *named = calloc(doc->ntoks + 1, 1);
  if (!named)
    return NKG_ERR_NOMEM;
  int ordered = 1; /* in text order without overlaps, as usual */
  for (size_t i = 0; i + 1 < doc->nmentions && ordered; i++)
    ordered = doc->mentions[i].te <= doc->mentions[i + 1].tb;
  if (ordered) {
    for (size_t i = 0; i < doc->nmentions; i++)
      for (uint32_t t = doc->mentions[i].tb;
           t < doc->mentions[i].te && t < doc->ntoks; t++)
        named[t] = 1;
  } else { /* whatever nkg_mention_at answers */
    for (uint32_t t = 0; t < doc->ntoks; t++)
      named[t] = nkg_mention_at(doc, t) >= 0;
  }
  for (uint32_t t = 0; t < doc->ntoks && !rc; t++) {
    /* only determiners and pronouns start a reference: those tests first,
     * the search for a mention after them; every one of those words has
     * 2 to 5 or 7 bytes and starts with h, i, s or t: tested at once, one
     * branch instead of one a test (the answers follow no pattern the
     * processor could predict) */
    const nkg_token *tok = &doc->toks[t];
    uint32_t len = tok->e - tok->b;
    unsigned c0 = ((unsigned char)doc->text[tok->b] | 32) - 'h';
    uint32_t lengths = 1u << 2 | 1u << 3 | 1u << 4 | 1u << 5 | 1u << 7;
    uint32_t initials =
        1u << 0 | 1u << ('i' - 'h') | 1u << ('s' - 'h') | 1u << ('t' - 'h');
    uint32_t may = ((tok->flags & NKG_TF_WORD) != 0) & (len < 8) & (c0 < 32) &
                   (lengths >> (len & 7)) & (initials >> (c0 & 31));
    if (!(may & 1))
      continue;
    int det = determiner(doc, t);
    if ((!det && !person_pronoun(doc, t)) || named[t])
      continue;
    int described = 0;
    if (!det)
      goto pronoun;
    /* "the quartet": a known international group written in lower case */
    if (nkg_tok_is(doc, t, "the") && t + 1 < doc->ntoks &&
        (doc->toks[t + 1].flags & NKG_TF_WORD) &&
        !(doc->toks[t + 1].flags & (NKG_TF_CAP | NKG_TF_UPPER)) &&
        !named[t + 1]) {
      char word[64];
      const nkg_gaz *g = NULL;
      /* a name is a key of its own in name_starts */
      if (nkg_tok_words(doc, t + 1) & NKG_W_NAME_START) {
        nkg_tok_fold(doc, t + 1, word, sizeof word);
        g = nkg_lex_name(lex, word);
      }
      if (g && !g->ambiguous && g->kind == NKG_K_INTERNATIONAL) {
        int32_t e = nkg_doc_entity_for_gaz(doc, g);
        nkg_mention m = {t, t + 2, g->type, g->kind, NKG_H_DESCRIPTION, e, g};
        if (e < 0 || NKG_PUSH(added, nadded, capadded, m))
          rc = NKG_ERR_NOMEM;
        t++;
        continue;
      }
    }
    /* up to three modifiers, then the head word */
    const nkg_gaz *country = NULL;
    for (uint32_t h = t + 1; h < doc->ntoks && h <= t + 4; h++) {
      const nkg_token *k = &doc->toks[h];
      if (!(k->flags & NKG_TF_WORD) || (k->flags & NKG_TF_POSS) ||
          k->sent != doc->toks[t].sent || named[h])
        break;
      char head[64];
      /* the fold cut at 63 bytes, as nkg_tok_fold cuts it, hn bytes
       * (copied to head when a string is needed) */
      size_t hn;
      const char *hf = nkg_span_piece(doc, h, h + 1, &hn);
      if (hn >= sizeof head)
        hn = sizeof head - 1;
      unsigned words = nkg_tok_words(doc, h);
      const nkg_gaz *adj =
          words & NKG_W_ADJ_START ? nkg_map_get(lex->adjectives, hf, hn) : NULL;
      if (adj) {
        country = adj;
        continue;
      }
      if (k->flags & NKG_TF_CAP)
        break;
      /* "the leader of ..." names a post, not a reference */
      if (h + 1 < doc->ntoks && nkg_tok_is(doc, h + 1, "of"))
        break;
      const nkg_cue *cue =
          words & NKG_W_CUE ? nkg_map_get(lex->cues, hf, hn) : NULL;
      const nkg_title *title =
          words & NKG_W_TITLE_START ? nkg_map_get(lex->titles, hf, hn) : NULL;
      int32_t e = -1;
      if (cue && cue->type == NKG_ORG && !cue->prefix) {
        e = resolve_org_description(doc, t, cue->kind, country);
      } else if (title && title->kind == NKG_T_OFFICE &&
                 nkg_tok_is(doc, t, "the")) {
        if (hf != head) {
          memcpy(head, hf, hn);
          head[hn] = '\0';
        }
        e = resolve_title_description(doc, t, head, country);
      } else {
        continue; /* a modifier: "new", "ruling" */
      }
      if (e >= 0) {
        nkg_mention m = {t,
                         h + 1,
                         doc->entities[e].type,
                         doc->entities[e].kind,
                         NKG_H_DESCRIPTION,
                         e,
                         NULL};
        if (NKG_PUSH(added, nadded, capadded, m))
          rc = NKG_ERR_NOMEM;
        t = h;
        described = 1;
      }
      break;
    }
  pronoun:
    if (!described && person_pronoun(doc, t)) {
      int32_t e = resolve_pronoun(doc, t);
      if (e >= 0) {
        nkg_mention m = {t, t + 1, NKG_PER, 0, NKG_H_PRONOUN, e, NULL};
        if (NKG_PUSH(added, nadded, capadded, m))
          rc = NKG_ERR_NOMEM;
      }
    }
  }
  if (!rc && nadded) {
    size_t total = doc->nmentions + nadded;
    if (nkg_grow((void **)&doc->mentions, &doc->capmentions, total,
                 sizeof *doc->mentions)) {
      rc = NKG_ERR_NOMEM;
    } else {
      if (!merge_mentions(doc->mentions, doc->nmentions, added, nadded)) {
        memcpy(doc->mentions + doc->nmentions, added, nadded * sizeof *added);
        qsort(doc->mentions, total, sizeof *doc->mentions, cmp_mention_pos);
      }
      doc->nmentions = total;
      for (size_t i = 0; i < nadded; i++)
        doc->entities[added[i].entity].nmentions++;
    }
  }
  free(named);
  free(added);
  return rc;
}
