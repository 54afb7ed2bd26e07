#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "newskg.h"
#include "util.h"

/* ---- JSON ------------------------------------------------------------------
 */

typedef struct json {
  const char *s;
  size_t n, i;
  const char *what;
} json;

static void ws(json *j) {
  while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
                         j->s[j->i] == '\r' || j->s[j->i] == '\n'))
    j->i++;
}

static int hex4(json *j, unsigned *out) {
  if (j->i + 4 > j->n)
    return -1;
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    char c = j->s[j->i++];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned)(c - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

/* The end of the run of string bytes from s[i] that stand for themselves
 * (not '"', '\\' or a control character): a whole article's text passes
 * here on the thread that commits, sixteen bytes at a time where SSE2 is
 * there. */
static size_t plain_run(const char *s, size_t i, size_t n) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'),
                control = _mm_set1_epi8(0x1f);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    /* unsigned v <= 0x1f: min(v, 0x1f) == v */
    __m128i stop = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
        _mm_cmpeq_epi8(_mm_min_epu8(v, control), v));
    unsigned mask = (unsigned)_mm_movemask_epi8(stop);
    if (mask)
      return i + (size_t)__builtin_ctz(mask);
  }
#endif
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\' || c < 0x20)
      break;
  }
  return i;
}

/* A string at j->i (on the opening quote); decoded into *out if out. */
static int jstring(json *j, nkg_buf *out) {
  if (j->i >= j->n || j->s[j->i] != '"') {
    j->what = "expected a string";
    return -1;
  }
  j->i++;
  while (j->i < j->n) {
    unsigned char c = (unsigned char)j->s[j->i];
    if (c == '"') {
      j->i++;
      return 0;
    }
    if (c < 0x20) {
      j->what = "control character in a string";
      return -1;
    }
    if (c != '\\') {
      size_t start = j->i;
      j->i = plain_run(j->s, j->i, j->n);
      if (out && nkg_buf_add(out, j->s + start, j->i - start))
        return -2;
      continue;
    }
    j->i++;
    if (j->i >= j->n)
      break;
    char e = j->s[j->i++];
    char ch = 0;
    switch (e) {
    case '"':
    case '\\':
    case '/':
      ch = e;
      break;
    case 'b':
      ch = '\b';
      break;
    case 'f':
      ch = '\f';
      break;
    case 'n':
      ch = '\n';
      break;
    case 'r':
      ch = '\r';
      break;
    case 't':
      ch = '\t';
      break;
    case 'u': {
      unsigned u;
      if (hex4(j, &u)) {
        j->what = "bad \\u escape";
        return -1;
      }
      if (u >= 0xD800 && u <= 0xDBFF) {
        unsigned lo;
        if (j->i + 2 <= j->n && j->s[j->i] == '\\' && j->s[j->i + 1] == 'u') {
          j->i += 2;
          if (hex4(j, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
            j->what = "bad surrogate pair";
            return -1;
          }
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        } else {
          j->what = "lone surrogate";
          return -1;
        }
      } else if (u >= 0xDC00 && u <= 0xDFFF) {
        j->what = "lone surrogate";
        return -1;
      }
      char enc[4];
      int k = nkg_utf8_encode((int32_t)u, enc);
      if (out && nkg_buf_add(out, enc, (size_t)k))
        return -2;
      continue;
    }
    default:
      j->i--;
      j->what = "bad escape";
      return -1;
    }
    if (out && nkg_buf_addc(out, ch))
      return -2;
  }
  j->what = "unterminated string";
  return -1;
}

static int jvalue(json *j, int depth);

static int jskip_container(json *j, char open, char close, int depth) {
  if (depth > 64) {
    j->what = "nesting too deep";
    return -1;
  }
  j->i++; /* open */
  ws(j);
  if (j->i < j->n && j->s[j->i] == close) {
    j->i++;
    return 0;
  }
  for (;;) {
    ws(j);
    if (open == '{') {
      int rc = jstring(j, NULL);
      if (rc)
        return rc;
      ws(j);
      if (j->i >= j->n || j->s[j->i] != ':') {
        j->what = "expected ':'";
        return -1;
      }
      j->i++;
      ws(j);
    }
    int rc = jvalue(j, depth + 1);
    if (rc)
      return rc;
    ws(j);
    if (j->i < j->n && j->s[j->i] == ',') {
      j->i++;
      continue;
    }
    if (j->i < j->n && j->s[j->i] == close) {
      j->i++;
      return 0;
    }
    j->what = open == '{' ? "expected ',' or '}'" : "expected ',' or ']'";
    return -1;
  }
}

static int jliteral(json *j, const char *word) {
  size_t l = strlen(word);
  if (j->i + l <= j->n && !memcmp(j->s + j->i, word, l)) {
    j->i += l;
    return 0;
  }
  j->what = "unexpected character";
  return -1;
}

static int jnumber(json *j) {
  size_t start = j->i;
  if (j->i < j->n && j->s[j->i] == '-')
    j->i++;
  while (j->i < j->n &&
         ((j->s[j->i] >= '0' && j->s[j->i] <= '9') || j->s[j->i] == '.' ||
          j->s[j->i] == 'e' || j->s[j->i] == 'E' || j->s[j->i] == '+' ||
          j->s[j->i] == '-'))
    j->i++;
  if (j->i == start || (j->i == start + 1 && j->s[start] == '-')) {
    j->what = "unexpected character";
    return -1;
  }
  return 0;
}

static int jvalue(json *j, int depth) {
  ws(j);
  if (j->i >= j->n) {
    j->what = "unexpected end of line";
    return -1;
  }
  switch (j->s[j->i]) {
  case '"':
    return jstring(j, NULL);
  case '{':
    return jskip_container(j, '{', '}', depth);
  case '[':
    return jskip_container(j, '[', ']', depth);
  case 't':
    return jliteral(j, "true");
  case 'f':
    return jliteral(j, "false");
  case 'n':
    return jliteral(j, "null");
  default:
    return jnumber(j);
  }
}

int nkg_jsonl_parse(const char *line, size_t len, char **id, char **text,
                    size_t *text_len, char **date, char **source,
                    size_t *column, const char **what) {
  json j = {line, len, 0, NULL};
  *id = *text = *date = *source = NULL;
  *text_len = 0;
  nkg_buf fields[4] = {{0}};
  int have[4] = {0};
  int rc = 0;
  ws(&j);
  if (j.i >= j.n || j.s[j.i] != '{') {
    j.what = "a record must be a JSON object";
    rc = -1;
    goto done;
  }
  j.i++;
  ws(&j);
  if (j.i < j.n && j.s[j.i] == '}') {
    j.i++;
  } else {
    for (;;) {
      ws(&j);
      nkg_buf key = {0};
      rc = jstring(&j, &key);
      if (rc) {
        nkg_buf_free(&key);
        goto done;
      }
      ws(&j);
      if (j.i >= j.n || j.s[j.i] != ':') {
        nkg_buf_free(&key);
        j.what = "expected ':'";
        rc = -1;
        goto done;
      }
      j.i++;
      ws(&j);
      static const char *const names[4] = {"id", "text", "date", "source"};
      int f = -1;
      for (int k = 0; k < 4; k++)
        if (key.s && !strcmp(key.s, names[k]))
          f = k;
      nkg_buf_free(&key);
      if (f >= 0 && j.i < j.n && j.s[j.i] == '"') {
        nkg_buf_clear(&fields[f]);
        /* the decoded text is no longer than the rest of the line: one
         * allocation, no copies as it grows */
        if (f == 1 &&
            nkg_grow((void **)&fields[f].s, &fields[f].cap, j.n - j.i + 1, 1)) {
          rc = -2;
          goto done;
        }
        nkg_buf_add(&fields[f], "", 0);
        rc = jstring(&j, &fields[f]);
        have[f] = 1;
      } else if (f == 0 && j.i < j.n &&
                 (j.s[j.i] == '-' || (j.s[j.i] >= '0' && j.s[j.i] <= '9'))) {
        size_t start = j.i;
        rc = jnumber(&j);
        nkg_buf_clear(&fields[0]);
        nkg_buf_add(&fields[0], j.s + start, j.i - start);
        have[0] = 1;
      } else if (f >= 0 && (f >= 2) && j.i < j.n && j.s[j.i] == 'n') {
        rc = jliteral(&j, "null");
      } else if (f >= 0) {
        j.what = f == 1   ? "\"text\" must be a string"
                 : f == 0 ? "\"id\" must be a string or a number"
                          : "\"date\"/\"source\" must be strings";
        rc = -1;
      } else {
        rc = jvalue(&j, 1);
      }
      if (rc)
        goto done;
      ws(&j);
      if (j.i < j.n && j.s[j.i] == ',') {
        j.i++;
        continue;
      }
      if (j.i < j.n && j.s[j.i] == '}') {
        j.i++;
        break;
      }
      j.what = "expected ',' or '}'";
      rc = -1;
      goto done;
    }
  }
  ws(&j);
  if (j.i < j.n) {
    j.what = "text after the record";
    rc = -1;
    goto done;
  }
  if (!have[0] || !fields[0].len) {
    j.what = "the record has no \"id\"";
    rc = -1;
    goto done;
  }
  if (!have[1]) {
    j.what = "the record has no \"text\"";
    rc = -1;
    goto done;
  }
done:
  if (rc) {
    for (int k = 0; k < 4; k++)
      nkg_buf_free(&fields[k]);
    *column = j.i + 1;
    *what = rc == -2 ? "out of memory" : j.what;
    return rc == -2 ? NKG_ERR_NOMEM : NKG_ERR_JSON;
  }
  *text_len = fields[1].len;
  *id = nkg_buf_take(&fields[0]);
  *text = nkg_buf_take(&fields[1]);
  *date = have[2] ? nkg_buf_take(&fields[2]) : NULL;
  *source = have[3] ? nkg_buf_take(&fields[3]) : NULL;
  nkg_buf_free(&fields[2]);
  nkg_buf_free(&fields[3]);
  return 0;
}

/* ---- files ------------------------------------------------------------------
 */

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && !strcmp(s + a - b, suffix);
}

static int read_all(FILE *f, char **out, size_t *len) {
  nkg_buf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (nkg_buf_add(&b, chunk, n)) {
      nkg_buf_free(&b);
      return NKG_ERR_NOMEM;
    }
  if (ferror(f)) {
    nkg_buf_free(&b);
    return NKG_ERR_IO;
  }
  *len = b.len;
  *out = b.s ? nkg_buf_take(&b) : nkg_strdup("");
  return *out ? 0 : NKG_ERR_NOMEM;
}

static char *id_from_path(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  return nkg_strndup(base, n);
}

/* Is f a pipe, terminal or socket (where a reader waits for lines to
 * come), and does this libc let us see what stdio holds (would_wait)? */
static int live_input(FILE *f) {
#if defined(__GLIBC__)
  struct stat sb;
  int fd = fileno(f);
  return fd >= 0 && !fstat(fd, &sb) && !S_ISREG(sb.st_mode) &&
         !S_ISBLK(sb.st_mode);
#else
  (void)f;
  return 0;
#endif
}

/* Would reading the next line from live input f wait: nothing in stdio's
 * buffer and nothing to read yet? */
static int would_wait(FILE *f) {
#if defined(__GLIBC__)
  if (f->_IO_read_ptr < f->_IO_read_end)
    return 0;
  struct pollfd p = {fileno(f), POLLIN, 0};
  return poll(&p, 1, 0) == 0;
#else
  (void)f;
  return 0;
#endif
}

static int read_jsonl(nkg_input *in, FILE *f, const char *origin) {
  char *line = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t n;
  int rc = 0;
  int live = in->on_idle && live_input(f);
  while (!rc) {
    if (live && would_wait(f))
      in->on_idle(in->user);
    if ((n = getline(&line, &cap, f)) < 0)
      break;
    lineno++;
    size_t len = (size_t)n;
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      len--;
    size_t k = 0;
    while (k < len && (line[k] == ' ' || line[k] == '\t'))
      k++;
    if (k == len)
      continue; /* blank lines are allowed */
    char *id, *text, *date, *source;
    size_t tlen, col;
    const char *what;
    int prc = nkg_jsonl_parse(line, len, &id, &text, &tlen, &date, &source,
                              &col, &what);
    if (prc == NKG_ERR_NOMEM) {
      rc = prc;
      break;
    }
    if (prc) {
      in->failures++;
      in->on_problem(in->user, origin, lineno, col, prc, what);
      continue;
    }
    nkg_article a = {id, text, tlen, date, source, origin, lineno};
    rc = in->on_article(in->user, &a);
    free(id);
    free(text);
    free(date);
    free(source);
  }
  if (!rc && ferror(f)) {
    in->failures++;
    in->on_problem(in->user, origin, lineno, 0, NKG_ERR_IO, strerror(errno));
  }
  free(line);
  return rc;
}

static int read_text_file(nkg_input *in, const char *path, FILE *f) {
  char *text;
  size_t len;
  int rc = read_all(f, &text, &len);
  if (rc == NKG_ERR_NOMEM)
    return rc;
  if (rc) {
    in->failures++;
    in->on_problem(in->user, path, 0, 0, rc, strerror(errno));
    return 0;
  }
  char *id = !strcmp(path, "-") ? nkg_strdup("stdin") : id_from_path(path);
  if (!id) {
    free(text);
    return NKG_ERR_NOMEM;
  }
  nkg_article a = {id, text, len, NULL, NULL, path, 0};
  rc = in->on_article(in->user, &a);
  free(id);
  free(text);
  return rc;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_path(nkg_input *in, const char *path, int from_dir);

static int read_dir(nkg_input *in, const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    in->failures++;
    in->on_problem(in->user, path, 0, 0, NKG_ERR_IO, strerror(errno));
    return 0;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  int rc = 0;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    nkg_buf full = {0};
    nkg_buf_addf(&full, "%s%s%s", path, ends_with(path, "/") ? "" : "/",
                 e->d_name);
    char *s = nkg_buf_take(&full);
    if (!s || NKG_PUSH(names, n, cap, s)) {
      free(s);
      rc = NKG_ERR_NOMEM;
      break;
    }
  }
  closedir(d);
  if (n > 1)
    qsort(names, n, sizeof *names, cmp_names);
  for (size_t i = 0; !rc && i < n; i++)
    rc = read_path(in, names[i], 1);
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return rc;
}

static int read_path(nkg_input *in, const char *path, int from_dir) {
  if (!strcmp(path, "-"))
    return in->jsonl ? read_jsonl(in, stdin, "-")
                     : read_text_file(in, "-", stdin);
  struct stat st;
  if (stat(path, &st)) {
    in->failures++;
    in->on_problem(in->user, path, 0, 0, NKG_ERR_IO, strerror(errno));
    return 0;
  }
  if (S_ISDIR(st.st_mode))
    return read_dir(in, path);
  /* inside folders only *.txt articles (and *.jsonl collections) */
  int jsonl = in->jsonl || ends_with(path, ".jsonl");
  if (from_dir && !jsonl && !ends_with(path, ".txt"))
    return 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    in->failures++;
    in->on_problem(in->user, path, 0, 0, NKG_ERR_IO, strerror(errno));
    return 0;
  }
  int rc = jsonl ? read_jsonl(in, f, path) : read_text_file(in, path, f);
  fclose(f);
  return rc;
}

int nkg_input_read(nkg_input *in, const char *path) {
  return read_path(in, path, 0);
}
