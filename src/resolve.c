/* Resolution across articles: every document entity gets a key that is a
 * pure function of its name and type, so that one real-world entity gets one
 * IRI whatever the order of the inputs, and an entity's IRI never changes
 * when more articles are added. Known entities use their gazetteer key;
 * people use a phonetic skeleton of their first and last names that joins
 * transliteration variants (Khaled Mashaal, Khalid Mashal, Khaled Meshaal:
 * "kld-msl"); other names use a slug. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Skeleton of one folded ASCII word: its consonants with spelling
 * equivalences, a letter for an initial vowel (a for a/o/u, e for e/i/y,
 * so that Ehud and Ihud meet but Ian and Ann do not) and the number of vowel
 * groups (so that Jack and Jake, Dean and Diane stay apart while Mashaal and
 * Meshaal, Khaled and Khalid meet). */
static size_t skeleton_word(const char *w, size_t n, char *out) {
  size_t len = 0; /* written to out: at most 2 n + 20 bytes */
  char prev = 0;
  int first = 1, groups = 0, in_vowels = 0;
  for (size_t i = 0; i < n; i++) {
    char c = w[i];
    if (!(c >= 'a' && c <= 'z'))
      continue;
    char next = i + 1 < n ? w[i + 1] : 0;
    /* spelling equivalences of transliterations */
    if (c == 'p' && next == 'h') {
      c = 'f';
      i++;
    } else if (c == 'c' && next == 'k') {
      c = 'k';
      i++;
    } else if (c == 'c' && next != 'h') {
      /* soft c before e, i, y sounds as s; hard c as k (Victor, Viktor) */
      c = (next == 'e' || next == 'i' || next == 'y') ? 's' : 'k';
    } else if (c == 'x') {
      /* Alexander, Aleksandr */
      if (prev != 'k')
        out[len++] = 'k';
      prev = 'k';
      first = 0;
      in_vowels = 0;
      c = 's';
    } else if (c == 'q') {
      c = 'k';
    } else if (c == 'w') {
      c = 'v';
    } else if (c == 'z') {
      c = 's';
    }
    if (vowel(c)) {
      if (first)
        out[len++] = (c == 'a' || c == 'o' || c == 'u') ? 'a' : 'e';
      first = 0;
      if (!in_vowels)
        groups++;
      in_vowels = 1;
      prev = '_';
      continue;
    }
    in_vowels = 0;
    /* h after a consonant only marks a sound (kh, sh, th, dh, gh); a final
     * h after a vowel is silent (Haniyeh, Haniya) */
    if (c == 'h' && prev && prev != '_')
      continue;
    if (c == 'h' && prev == '_' && i + 1 == n)
      continue;
    first = 0;
    if (c == prev)
      continue; /* doubled letters */
    out[len++] = c;
    prev = c;
  }
  /* the number in decimal, without printf */
  return len + nkg_put_decimal(out + len, (unsigned)groups);
}

char *nkg_name_skeleton(const char *name) {
  char *f = nkg_fold(name, strlen(name));
  if (!f)
    return NULL;
  /* words of the name, dropping initials ("George W. Bush") and
   * particles */
  const char *words[16];
  size_t lens[16], nw = 0;
  for (const char *p = f; *p && nw < 16;) {
    while (*p == ' ')
      p++;
    const char *b = p;
    while (*p && *p != ' ')
      p++;
    size_t l = (size_t)(p - b);
    /* the Arabic article: al-Mabrouk and Mabruk are one surname */
    if (l > 4 && (b[0] == 'a' || b[0] == 'e') && b[1] == 'l' && b[2] == '-') {
      b += 3;
      l -= 3;
    }
    size_t letters = 0;
    for (size_t i = 0; i < l; i++)
      if (b[i] >= 'a' && b[i] <= 'z')
        letters++;
    if (letters >= 2) {
      words[nw] = b;
      lens[nw++] = l;
    }
  }
  /* written in one allocation: an initial, then at most two words of
   * the name, each at most twice its length and a number */
  size_t fl = strlen(f), len = 0;
  char *out = malloc(2 * fl + 48);
  if (!out) {
    free(f);
    return NULL;
  }
  /* an initial before the surname tells people apart: "C Jones", "D Jones" */
  if (f[0] >= 'a' && f[0] <= 'z' && (f[1] == ' ' || f[1] == '.') && nw == 1) {
    out[len++] = f[0];
    out[len++] = '.';
  }
  if (nw == 0) {
    len += skeleton_word(f, fl, out + len);
  } else if (nw == 1) {
    len += skeleton_word(words[0], lens[0], out + len);
  } else {
    len += skeleton_word(words[0], lens[0], out + len);
    out[len++] = '-';
    len += skeleton_word(words[nw - 1], lens[nw - 1], out + len);
  }
  out[len] = '\0';
  free(f);
  return out;
}

char *nkg_entity_key(const nkg_dentity *e) {
  if (e->gaz)
    return nkg_strdup(e->gaz->key);
  char *body;
  const char *prefix;
  if (e->type == NKG_PER) {
    prefix = "person";
    /* a lone name ("Currie", "Kerry") is too little to join spelling
     * variants on: only the same spelling joins */
    body = strchr(e->name, ' ') ? nkg_name_skeleton(e->name)
                                : nkg_slug(e->name, strlen(e->name));
  } else {
    prefix = e->type == NKG_LOC ? "place" : "org";
    body = nkg_slug(e->name, strlen(e->name));
  }
  if (!body)
    return NULL;
  /* names with no Latin letters: a hash keeps them apart */
  int empty = 1;
  for (const char *p = body; *p; p++)
    if (*p != '-' && *p != '_')
      empty = 0;
  if (empty) {
    nkg_buf key = {0};
    char *f = nkg_fold(e->name, strlen(e->name));
    nkg_buf_addf(
        &key, "%s/h%016llx", prefix,
        (unsigned long long)nkg_hash(f ? f : e->name, strlen(f ? f : e->name)));
    free(f);
    free(body);
    return nkg_buf_take(&key);
  }
  /* "prefix/body" in one allocation */
  size_t lp = strlen(prefix), lb = strlen(body);
  char *out = malloc(lp + 1 + lb + 1);
  if (out) {
    memcpy(out, prefix, lp);
    out[lp] = '/';
    memcpy(out + lp + 1, body, lb + 1);
  }
  free(body);
  return out;
}

char *nkg_name_key(const nkg_lexicon *lex, int type, const char *name) {
  const nkg_gaz *g = nkg_map_get(lex->acronyms, name, strlen(name));
  if (!g) {
    char *f = nkg_fold(name, strlen(name));
    if (!f)
      return NULL;
    g = nkg_lex_name(lex, f);
    free(f);
  }
  if (g && (type == NKG_NONE || g->type == type))
    return nkg_strdup(g->key);
  nkg_dentity probe;
  memset(&probe, 0, sizeof probe);
  probe.name = (char *)name;
  probe.type = (uint8_t)(type == NKG_NONE ? NKG_ORG : type);
  return nkg_entity_key(&probe);
}
