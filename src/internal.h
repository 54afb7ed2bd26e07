/* The internal model shared by the pipeline stages:
 *   text.c      read and segment (tokens, sentences, paragraphs)
 *   lexicon.c   the knowledge data files
 *   mentions.c  people, organizations and places
 *   coref.c     within one article: short and titled forms, aliases
 *   resolve.c   across articles: one key, one IRI per entity
 *   relations.c posts, memberships, ties
 *   events.c    events; quotes.c quotations
 *   rdf.c       mapping to RDF and writing (the only user of redland.h)
 *   builder.c   the pipeline that ties them together
 * Every span is a token range [tb, te) of one document, so that character
 * offsets (Unicode code points) come straight from the tokens. */
#ifndef NKG_INTERNAL_H
#define NKG_INTERNAL_H

#include <stdint.h>

#include "newskg.h"
#include "util.h"

/* ---- entity types and kinds ------------------------------------------- */
enum nkg_etype { NKG_NONE = 0, NKG_PER = 1, NKG_ORG = 2, NKG_LOC = 3 };

/* Finer kinds; the data files name them by the strings in nkg_kind_name. */
enum nkg_kind {
  NKG_K_NONE = 0,
  /* places */
  NKG_K_COUNTRY,
  NKG_K_CITY,
  NKG_K_REGION,
  NKG_K_TERRITORY,
  NKG_K_CONTINENT,
  NKG_K_STATE,
  /* organizations */
  NKG_K_GOVERNMENT,
  NKG_K_PARTY,
  NKG_K_MEDIA,
  NKG_K_NEWSAGENCY,
  NKG_K_INTERNATIONAL,
  NKG_K_LEGISLATURE,
  NKG_K_ARMEDGROUP,
  NKG_K_COMPANY,
  NKG_K_SPORT,
  NKG_K_COURT,
  NKG_K_EDUCATION,
  NKG_K_POLICE,
  NKG_K_OTHER,
  NKG_K_COUNT
};
const char *nkg_kind_name(int kind);
/* Kind for a data-file string (also accepts synonyms such as "province");
 * NKG_K_OTHER for unknown non-empty strings, NKG_K_NONE for "-". */
int nkg_kind_parse(const char *s, int *type);
const char *nkg_type_name(int type); /* "Person", "Organization", "Place" */

/* ---- the lexicon ----------------------------------------------------------
 */

/* A known entity from countries.tsv, places.tsv or organizations.tsv. */
typedef struct nkg_gaz {
  char *name;                    /* canonical name */
  char *key;                     /* entity key, e.g. "place/russia" */
  uint8_t type, kind;            /* nkg_etype, nkg_kind */
  uint8_t ambiguous;             /* matched only with a cue */
  char *iso2;                    /* countries: code; others: country code */
  const struct nkg_gaz *country; /* the country it belongs to, if any */
  char **aliases;                /* other names (acronyms, official names) */
  size_t naliases;
  char *capital;         /* countries */
  const char *adjective; /* countries: the first adjective listed, or NULL */
} nkg_gaz;

enum nkg_title_kind { NKG_T_OFFICE = 1, NKG_T_MODIFIER, NKG_T_HONORIFIC };
typedef struct nkg_title {
  char *title; /* as in the data file */
  uint8_t kind;
  char *cls;
} nkg_title;

enum nkg_stop_cat {
  NKG_S_FUNCTION = 1,
  NKG_S_ADVERB,
  NKG_S_WEEKDAY,
  NKG_S_MONTH,
  NKG_S_VERB,
  NKG_S_OTHER
};

typedef struct nkg_cue {
  uint8_t type; /* NKG_ORG / NKG_LOC, or 0 for an ORGPREFIX word */
  uint8_t kind;
  uint8_t prefix; /* ORGPREFIX: starts an organization name */
} nkg_cue;

typedef struct nkg_trigger {
  char *word;  /* as in the data file */
  char *cls;   /* project event class, e.g. "Invitation" */
  char *cameo; /* CAMEO code or NULL */
  uint8_t noun;
} nkg_trigger;

struct nkg_lexicon {
  char *dir;
  /* folded multi-word name -> nkg_gaz* (names, aliases, capitals) */
  nkg_map *names;
  /* exact-case short acronyms ("US", "UN"): surface -> nkg_gaz* */
  nkg_map *acronyms;
  nkg_map *adjectives; /* folded adjective -> country nkg_gaz* */
  nkg_map *countries;  /* iso2 -> country nkg_gaz* */
  nkg_map *titles;     /* folded title phrase -> nkg_title* */
  nkg_map *given;      /* folded given name -> (void*)1 or 2 (ambiguous) */
  nkg_map *stop;       /* folded word -> (void*)(intptr_t)category */
  nkg_map *cues;       /* folded word -> nkg_cue* */
  nkg_map *triggers;   /* stem or folded phrase -> nkg_trigger* */
  nkg_map *speech;     /* folded word/phrase -> kind string */
  nkg_map *quoting;    /* quotes.tsv: folded word -> "scare", "male"... */
  nkg_map *family;     /* folded word -> relation string */
  nkg_map *relcues;    /* relations.tsv: folded phrase -> "kind\trelation" */
  nkg_map *temporal;   /* folded expression -> "kind\toffset" string */
  nkg_map *abbrev;     /* folded abbreviation incl. its dot ("mr.") */
  size_t max_name_tokens, max_title_tokens, max_trigger_tokens;
  /* Every start of a key of names, titles, adjectives and relcues that ends
   * before a ' ' or a '\'' (and the whole key): a span that folds to a key
   * begins with a token whose fold is one of these (a possessive's fold
   * begins with '\''), so a token not among them begins no multi-token
   * key, and the look-ups of every length are skipped. The value of a
   * whole key is its value in its map, that of any other start
   * &nkg_key_start. */
  nkg_map *name_starts, *title_starts, *adjective_starts, *relcue_starts;
  /* The word index (see nkg_words): NULL if it could not be made. */
  struct nkg_words *words;
  /* events.c: trigger stems, roles, support verbs and cue words */
  struct nkg_event_lex *events;
  /* quotes.c: speech.tsv as a byte trie, the longest entries in words */
  struct nkg_quote_lex *quotes;
  /* everything the maps point to, freed with the lexicon */
  nkg_gaz **gaz;
  size_t ngaz, capgaz;
  nkg_arena arena;
};

/* The value of a key start that is not a whole key (see name_starts). */
extern const char nkg_key_start;

/* Looks up a folded key. */
const nkg_gaz *nkg_lex_name(const nkg_lexicon *lex, const char *folded);
const nkg_title *nkg_lex_title(const nkg_lexicon *lex, const char *folded);
int nkg_lex_stop(const nkg_lexicon *lex, const char *folded);
int nkg_lex_given(const nkg_lexicon *lex, const char *folded);
const nkg_cue *nkg_lex_cue(const nkg_lexicon *lex, const char *folded);
const nkg_gaz *nkg_lex_adjective(const nkg_lexicon *lex, const char *folded);

/* ---- one document ------------------------------------------------------- */

enum nkg_tok_flag {
  NKG_TF_WORD = 1 << 0,    /* letters or digits */
  NKG_TF_CAP = 1 << 1,     /* first letter upper case */
  NKG_TF_UPPER = 1 << 2,   /* two or more letters, all upper case */
  NKG_TF_DIGIT = 1 << 3,   /* starts with a digit */
  NKG_TF_PUNCT = 1 << 4,   /* punctuation */
  NKG_TF_QUOTE = 1 << 5,   /* a quotation mark (straight or curly) */
  NKG_TF_SSTART = 1 << 6,  /* first word of its sentence */
  NKG_TF_POSS = 1 << 7,    /* the possessive 's / ’s / bare ’ */
  NKG_TF_PSTART = 1 << 8,  /* first token of a paragraph */
  NKG_TF_ABBR = 1 << 9,    /* an abbreviation ending in '.' (Mr., U.S.) */
  NKG_TF_OPENQ = 1 << 10,  /* quote that opens (curly left, or by context) */
  NKG_TF_CLOSEQ = 1 << 11, /* quote that closes */
  NKG_TF_JOINED = 1 << 12  /* a word with an ASCII '-' or '\'' inside */
};

typedef struct nkg_token {
  uint32_t b, e;   /* byte offsets in the text */
  uint32_t cb, ce; /* code point offsets */
  uint32_t sent;   /* sentence index */
  uint32_t flags;
} nkg_token;

typedef struct nkg_sentence {
  uint32_t tb, te; /* tokens */
  uint32_t para;
} nkg_sentence;

enum nkg_mention_how {
  NKG_H_GAZ = 1,    /* a known name */
  NKG_H_CUE,        /* a cue word (Party, Ministry, "the X channel") */
  NKG_H_GIVEN,      /* starts with a given name */
  NKG_H_TITLE,      /* follows a title or honorific */
  NKG_H_COREF,      /* a short form of a full name in the document */
  NKG_H_ACRONYM,    /* defined in the text: "Palestinian Authority (PA)" */
  NKG_H_CONTEXT,    /* other context (a speech verb, a list) */
  NKG_H_PRONOUN,    /* he, his, she, her: the person it clearly refers to */
  NKG_H_DESCRIPTION /* "the movement", "the Russian leader" */
};

typedef struct nkg_mention {
  uint32_t tb, te;    /* tokens */
  uint8_t type;       /* nkg_etype */
  uint8_t kind;       /* nkg_kind */
  uint8_t how;        /* nkg_mention_how */
  int32_t entity;     /* index into doc->entities */
  const nkg_gaz *gaz; /* known entity, or NULL */
} nkg_mention;

/* An entity as one document knows it (before resolution across documents). */
typedef struct nkg_dentity {
  char *name;   /* the fullest name in this document */
  uint8_t type; /* nkg_etype */
  uint8_t kind;
  const nkg_gaz *gaz;
  char **names; /* every full surface name seen (unique) */
  size_t nnames, capnames;
  char *key;      /* entity key, set by resolve.c */
  int32_t global; /* index in the build's registry, set at commit */
  uint32_t nmentions;
} nkg_dentity;

/* A post: "Russian Foreign Minister Sergei Lavrov". */
typedef struct nkg_post {
  int32_t person;  /* dentity */
  int32_t org;     /* dentity (organization or country) or -1 */
  char *title;     /* as written ("Foreign Minister") */
  char *role;      /* normalized for the shared org:Role ("foreign minister") */
  char *qualifier; /* "acting", "deputy"... or NULL */
  uint8_t former;
  uint32_t tb, te; /* evidence span */
} nkg_post;

typedef struct nkg_membership {
  int32_t member, group; /* dentities */
  uint32_t tb, te;
} nkg_membership;

/* Any other binary tie between two entities ("son of", "Saudi-based"). */
typedef struct nkg_tie {
  int32_t subject, object;
  const char *predicate; /* full IRI, static storage */
  const char *inverse;   /* full IRI or NULL */
  uint32_t tb, te;
} nkg_tie;

enum nkg_modality {
  NKG_M_ASSERTED = 0,
  NKG_M_PLANNED,
  NKG_M_CONDITIONAL,
  NKG_M_HYPOTHETICAL,
  NKG_M_REPORTED
};

enum nkg_role {
  NKG_R_AGENT = 0,
  NKG_R_PATIENT,
  NKG_R_RECIPIENT,
  NKG_R_PARTICIPANT,
  NKG_R_HOST,
  NKG_R_WINNER,
  NKG_R_PLACE,
  NKG_R_ORIGIN,
  NKG_R_DESTINATION,
  NKG_R_COUNT
};

typedef struct nkg_arg {
  int32_t entity; /* dentity */
  uint8_t role;   /* nkg_role */
} nkg_arg;

typedef struct nkg_event {
  const nkg_trigger *trigger;
  uint32_t ttb, tte; /* trigger tokens */
  uint32_t tb, te;   /* evidence span (usually the sentence) */
  nkg_arg *args;
  size_t nargs, capargs;
  char *time_text; /* as written, or NULL */
  char date[11];   /* YYYY-MM-DD or "" */
  uint8_t negated;
  uint8_t modality;  /* nkg_modality */
  int32_t condition; /* event index or -1 */
  char *label;       /* short readable summary */
  char *key;         /* for merging across documents, set by resolve.c */
} nkg_event;

typedef struct nkg_quote {
  uint32_t tb, te; /* the quoted words (inside the marks) */
  int32_t speaker; /* dentity or -1 */
  int32_t channel; /* dentity or -1 */
  int32_t addressee;
  int32_t speaker_mention; /* mention index or -1 */
} nkg_quote;

typedef struct nkg_doc {
  char *id;
  char *date; /* YYYY-MM-DD or NULL */
  char *source;
  const char *text; /* borrowed, valid while the document is processed */
  size_t len;       /* bytes */
  size_t ncp;       /* code points */
  nkg_token *toks;
  size_t ntoks, captoks;
  nkg_sentence *sents;
  size_t nsents, capsents;
  nkg_mention *mentions;
  size_t nmentions, capmentions;
  nkg_dentity *entities;
  size_t nentities, capentities;
  nkg_post *posts;
  size_t nposts, capposts;
  nkg_membership *members;
  size_t nmembers, capmembers;
  nkg_tie *ties;
  size_t nties, capties;
  nkg_event *events;
  size_t nevents, capevents;
  nkg_quote *quotes;
  size_t nquotes, capquotes;
  nkg_map *entity_keys; /* entity key -> index + 1 */
  /* Every token folded once by nkg_text_segment (the stages fold the same
   * tokens many times over): folds is the folded text of the document, the
   * tokens joined as nkg_span_fold joins them (a space, none before a
   * possessive); token t starts at folds + fold_at[t]; fold_at[ntoks] is
   * one past the end of folds. The stages after segmentation need it (a
   * document without it is refused with NKG_ERR_ARG). */
  char *folds;
  uint32_t *fold_at;
  /* nkg_tok_words of each token, 0 until asked (nkg_text_segment makes the
   * array); NULL without folds or a word index. */
  uint16_t *word_bits;
  const struct nkg_words *words; /* the lexicon's word index, borrowed */
} nkg_doc;

/* The word index: every key without a space of at most NKG_WORD_MAX bytes
 * of the maps the stages probe with one token's fold -> its NKG_W_* bits,
 * so one probe a token says which of those maps may have the word and
 * the others are not probed (see nkg_tok_words). It is a filter, kept
 * small to stay in cache: a slot holds the high 48 bits of the word's
 * nkg_word_hash and the bits, no key; a word that shares its slot's hash
 * bits only costs the look-ups the bits let through. */
typedef struct nkg_words {
  uint32_t *slots; /* NKG_WORD_TAG(hash) | bits, 0 if empty */
  size_t mask;
} nkg_words;
/* The top 17 bits of a word's hash, over the 15 NKG_W_* bits of its slot
 * (the low bits of the hash choose the slot). */
#define NKG_WORD_TAG_BITS 0xFFFF8000u
#define NKG_WORD_TAG(h) ((uint32_t)((h) >> 32) & NKG_WORD_TAG_BITS)
/* Bits of the word index: the token's fold is a key of the map (for the
 * _PLURAL bits: the fold less its final 's' is). */
enum {
  NKG_W_NAME_START = 1 << 0,  /* name_starts */
  NKG_W_TITLE_START = 1 << 1, /* title_starts (so also titles) */
  NKG_W_TITLE_PLURAL = 1 << 2,
  NKG_W_ADJ_START = 1 << 3, /* adjective_starts (so also adjectives) */
  NKG_W_ADJ_PLURAL = 1 << 4,
  NKG_W_RELCUE_START = 1 << 5, /* relcue_starts */
  NKG_W_CUE = 1 << 6,
  NKG_W_STOP = 1 << 7,
  NKG_W_GIVEN = 1 << 8,
  NKG_W_SPEECH = 1 << 9,
  /* the fold of a key of acronyms (which are keyed by the text as
   * written); _DOT: that fold plus '.' (an abbreviation's token) */
  NKG_W_ACRONYM = 1 << 10,
  NKG_W_ACRONYM_DOT = 1 << 11,
  /* a longer key of the starts map begins with the fold then ' ' or '\''
   * (a span of two tokens from here may be a start) */
  NKG_W_NAME_MORE = 1 << 12,
  NKG_W_TITLE_MORE = 1 << 13,
  NKG_W_ADJ_MORE = 1 << 14,
  NKG_W_ALL = (1 << 15) - 1,
  NKG_W_KNOWN = 1 << 15 /* in word_bits: computed */
};
/* Longest key the word index holds: a token whose fold is longer is
 * answered NKG_W_ALL (the stages cut single-word keys at 63 bytes). */
enum { NKG_WORD_MAX = 62 };

void nkg_doc_free(nkg_doc *doc);

/* ---- stages -------------------------------------------------------------- */

/* text.c: validates UTF-8 (NKG_ERR_UTF8 / NKG_ERR_BINARY with *bad set to the
 * byte offset). */
int nkg_text_validate(const char *text, size_t len, size_t *bad);
/* text.c: tokens, sentences and paragraphs of doc->text, and its folded
 * text (doc->folds), which every later stage reads. */
int nkg_text_segment(nkg_doc *doc, const nkg_lexicon *lex);

/* Folded text of tokens [tb, te) joined by single spaces (a new string). */
char *nkg_span_fold(const nkg_doc *doc, uint32_t tb, uint32_t te);
/* The folded span [tb, te) (te > tb) as nkg_span_fold has it, without
 * allocating or copying: the *len bytes at the returned pointer, which are
 * NOT NUL-terminated (a piece of doc->folds; for look-ups by length).
 * Inline: the stages look spans up at nearly every token. */
static inline const char *nkg_span_piece(const nkg_doc *doc, uint32_t tb,
                                         uint32_t te, size_t *len) {
  uint32_t end = doc->fold_at[te];
  if (te >= doc->ntoks || !(doc->toks[te].flags & NKG_TF_POSS))
    end--; /* the space before token te (or the sentinel's) */
  *len = end - doc->fold_at[tb];
  return doc->folds + doc->fold_at[tb];
}
/* text.c: the NKG_W_* bits of token t's fold, looked up in the word index
 * on first asking; NKG_W_ALL for a document without the index. */
unsigned nkg_tok_words_find(const nkg_doc *doc, uint32_t t);
static inline unsigned nkg_tok_words(const nkg_doc *doc, uint32_t t) {
  if (!doc->word_bits)
    return NKG_W_ALL;
  unsigned w = doc->word_bits[t];
  return w ? w : nkg_tok_words_find(doc, t);
}
/* Text of tokens [tb, te) as written, from the first byte of tb to the last
 * of te-1 (a new string). */
char *nkg_span_text(const nkg_doc *doc, uint32_t tb, uint32_t te);
/* Folded single token into buf (at most cap bytes, NUL-terminated). */
const char *nkg_tok_fold(const nkg_doc *doc, uint32_t t, char *buf, size_t cap);
/* True if token t is exactly the ASCII word w (case-insensitive). Inline:
 * the stages call it millions of times on a corpus, nearly always with a
 * mismatch in the first byte. */
static inline int nkg_tok_is(const nkg_doc *doc, uint32_t t, const char *w) {
  const nkg_token *k = &doc->toks[t];
  const unsigned char *p = (const unsigned char *)doc->text + k->b;
  size_t n = k->e - k->b;
  /* a word given as a literal has a known length: compare that first */
  if (__builtin_constant_p(__builtin_strlen(w)) && __builtin_strlen(w) != n)
    return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned a = p[i], b = (unsigned char)w[i];
    if (!b)
      return 0;
    if (a >= 'A' && a <= 'Z')
      a += 32;
    if (b >= 'A' && b <= 'Z')
      b += 32;
    if (a != b)
      return 0;
  }
  return w[n] == '\0';
}

/* mentions.c */
int nkg_mentions_find(nkg_doc *doc, const nkg_lexicon *lex);
/* coref.c: groups mentions into doc->entities. */
int nkg_coref_doc(nkg_doc *doc, const nkg_lexicon *lex);
/* coref.c, after relations: pronouns and definite descriptions ("the
 * movement", "the Russian leader"), which need the document's posts. Adds
 * mentions (how NKG_H_PRONOUN / NKG_H_DESCRIPTION) in text order. */
int nkg_coref_references(nkg_doc *doc, const nkg_lexicon *lex);
/* Adds (or finds) a document entity for a known gazetteer entry that has no
 * mention (e.g. Qatar from "the Qatari capital"). Returns its index or -1. */
int32_t nkg_doc_entity_for_gaz(nkg_doc *doc, const nkg_gaz *gaz);
/* Index of the mention covering token t, or -1. */
int32_t nkg_mention_at(const nkg_doc *doc, uint32_t t);

/* relations.c, events.c, quotes.c */
int nkg_relations_find(nkg_doc *doc, const nkg_lexicon *lex);
int nkg_events_find(nkg_doc *doc, const nkg_lexicon *lex);
/* events.c: reads events.tsv (by stem), event_roles.tsv,
 * event_support.tsv and event_cues.tsv into lex->events, after the rest of
 * the lexicon; nkg_events_unload frees it (NULL-safe). */
typedef struct nkg_event_lex nkg_event_lex;
int nkg_events_load(nkg_lexicon *lex, const char *dir, char *err,
                    size_t errlen);
void nkg_events_unload(nkg_lexicon *lex);
int nkg_quotes_find(nkg_doc *doc, const nkg_lexicon *lex);
/* quotes.c: indexes lex->speech and lex->quoting into lex->quotes once
 * they are loaded; nkg_quotes_unload frees it (NULL-safe). */
typedef struct nkg_quote_lex nkg_quote_lex;
int nkg_quotes_load(nkg_lexicon *lex);
void nkg_quotes_unload(nkg_lexicon *lex);

/* builder.c: a build that hands its statements to `sink` (an nkg_rdf from
 * nkg_rdf_open_model, which the builder takes over, also on failure), one
 * named graph per document and one for the facts across documents. */
struct nkg_rdf;
nkg_builder *nkg_builder_new_sink(const nkg_lexicon *lex,
                                  const nkg_options *opts, struct nkg_rdf *sink,
                                  int *status);
/* builder.c: the checks nkg_builder_add makes of an article before it
 * enters a build (date, size, UTF-8, not only white space), with its
 * statuses; byte_offset as there. */
int nkg_article_check(const char *text, size_t len, const char *date,
                      size_t *byte_offset);
/* builder.c: the base IRI of the options, their output format; whether
 * they write nif:isString. */
const char *nkg_options_base(const nkg_options *options);
const char *nkg_options_format(const nkg_options *options);
int nkg_options_text(const nkg_options *options);
/* builder.c: every stage on one document (reads only lex and doc). */
int nkg_doc_process(nkg_doc *doc, const nkg_lexicon *lex);
/* YYYY-MM-DD with a real month and day? */
int nkg_date_valid(const char *date);

/* resolve.c: the entity key of a document entity ("person/khld-mshl"). */
char *nkg_entity_key(const nkg_dentity *e);
/* The key a name of the given type (NKG_NONE: any) would get: a known
 * name's gazetteer key, else as nkg_entity_key. Two names denote one entity
 * exactly when their keys are equal. New string. */
char *nkg_name_key(const nkg_lexicon *lex, int type, const char *name);
/* Phonetic skeleton of a name used for transliteration variants. */
char *nkg_name_skeleton(const char *name);

#endif
