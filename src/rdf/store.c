/* The persistent store (see store.h for what it keeps and promises).
 *
 * librdf's sqlite storage indexes only (subject, predicate) and IRIs, so
 * every literal added would scan the literals table and every context
 * removal the triples table; the store adds indexes of its own to librdf's
 * tables when it is created. The extra tables are written through a second
 * SQLite connection, only while librdf's connection is idle (a write lock
 * held by one connection would make the other fail). */
#include "store.h"
#include "rdflib.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util.h"
#include "backend.h"
#include "map.h"

#define STORE_FORMAT "newskg-store 1"

/* What the store adds to librdf's schema. The context index serves context
 * removal and librdf's duplicate check on add (it gives three equalities
 * where librdf's own index gives one); the object indexes serve triple
 * patterns with a bound object (?x a schema:Person). */
static const char store_schema[] =
    "CREATE INDEX newskg_literal_text ON literals (text);"
    "CREATE INDEX newskg_triple_context ON triples (contextUri, subjectUri, "
    "predicateUri);"
    "CREATE INDEX newskg_triple_object ON triples (objectUri, predicateUri);"
    "CREATE INDEX newskg_triple_literal ON triples (objectLiteral);"
    "CREATE TABLE newskg_meta (key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE newskg_articles (id TEXT PRIMARY KEY, text BLOB NOT NULL, "
    "date TEXT, source TEXT, applied INTEGER NOT NULL);"
    "INSERT INTO newskg_meta VALUES ('format', '" STORE_FORMAT "');";

typedef struct article {
  char *id;
  char *text;
  size_t len;
  char *date, *source;
  int applied; /* stored: 1 applied, 0 pending */
} article;

struct nkg_store {
  char *path;
  int mode;
  int lock_fd;
  sqlite3 *db; /* the store's own tables */
  librdf_world *world;
  librdf_storage *storage;
  librdf_model *model;
  char *base;        /* from newskg_meta, or NULL */
  int text;          /* from newskg_meta, or -1 */
  char *fingerprint; /* from newskg_meta, or NULL */
  article *queue;    /* articles of the next commit */
  size_t nqueue, capqueue;
  nkg_map *queued; /* id -> 1 */
};

static void article_clear(article *a) {
  free(a->id);
  free(a->text);
  free(a->date);
  free(a->source);
  memset(a, 0, sizeof *a);
}

/* ---- SQLite helpers ---------------------------------------------------------
 */

static int sql_fail(nkg_store *st, const char *what, char *err, size_t errlen) {
  snprintf(err, errlen, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
  return NKG_ERR_IO;
}

static int sql_exec(nkg_store *st, const char *sql, char *err, size_t errlen) {
  char *msg = NULL;
  if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(err, errlen, "%s: %s", st->path, msg ? msg : "SQLite error");
    sqlite3_free(msg);
    return NKG_ERR_IO;
  }
  return 0;
}

static char *column_text(sqlite3_stmt *q, int col) {
  const unsigned char *v = sqlite3_column_text(q, col);
  return v ? nkg_strdup((const char *)v) : NULL;
}

static int meta_read(nkg_store *st, char *err, size_t errlen) {
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "SELECT key, value FROM newskg_meta", -1, &q,
                         NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: not a newskg store (no newskg_meta table)",
             st->path);
    return NKG_ERR_IO;
  }
  int format_ok = 0, rc = 0, step;
  while ((step = sqlite3_step(q)) == SQLITE_ROW) {
    const char *key = (const char *)sqlite3_column_text(q, 0);
    const char *value = (const char *)sqlite3_column_text(q, 1);
    if (!key || !value)
      continue;
    if (!strcmp(key, "format"))
      format_ok = !strcmp(value, STORE_FORMAT);
    else if (!strcmp(key, "base") && !st->base)
      st->base = nkg_strdup(value);
    else if (!strcmp(key, "text"))
      st->text = atoi(value) != 0;
    else if (!strcmp(key, "fingerprint") && !st->fingerprint)
      st->fingerprint = nkg_strdup(value);
  }
  if (step != SQLITE_DONE)
    rc = sql_fail(st, "cannot read newskg_meta", err, errlen);
  else if (!format_ok) {
    snprintf(err, errlen, "%s: not a store of this newskg (want format '%s')",
             st->path, STORE_FORMAT);
    rc = NKG_ERR_IO;
  }
  sqlite3_finalize(q);
  return rc;
}

static int meta_write(nkg_store *st, const char *key, const char *value,
                      char *err, size_t errlen) {
  sqlite3_stmt *q = NULL;
  int rc = 0;
  if (sqlite3_prepare_v2(st->db,
                         "INSERT OR REPLACE INTO newskg_meta VALUES (?, ?)", -1,
                         &q, NULL) != SQLITE_OK ||
      sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_step(q) != SQLITE_DONE)
    rc = sql_fail(st, "cannot write newskg_meta", err, errlen);
  sqlite3_finalize(q);
  return rc;
}

/* ---- opening ----------------------------------------------------------------
 */

static int take_lock(nkg_store *st, char *err, size_t errlen) {
  nkg_buf name = {0};
  nkg_buf_addf(&name, "%s.lock", st->path);
  if (!name.s)
    return NKG_ERR_NOMEM;
  int writing = st->mode == NKG_STORE_WRITE;
  st->lock_fd = open(name.s, writing ? O_RDWR | O_CREAT : O_RDONLY, 0666);
  if (st->lock_fd < 0 && !writing && errno == ENOENT)
    st->lock_fd = open(name.s, O_RDWR | O_CREAT, 0666);
  if (st->lock_fd < 0) {
    int e = errno;
    nkg_buf_free(&name);
    /* a store on a read-only medium has no writer to wait for */
    if (!writing && (e == EROFS || e == EACCES))
      return 0;
    snprintf(err, errlen, "%s.lock: cannot open the lock file: %s", st->path,
             strerror(e));
    return NKG_ERR_IO;
  }
  nkg_buf_free(&name);
  if (flock(st->lock_fd, (writing ? LOCK_EX : LOCK_SH) | LOCK_NB)) {
    if (errno == EWOULDBLOCK)
      snprintf(err, errlen,
               writing ? "%s: the store is in use by another newskg process "
                         "(an add or a query); try again when it has finished"
                       : "%s: the store is being updated by another newskg "
                         "process (extract --store); try again when it has "
                         "finished",
               st->path);
    else
      snprintf(err, errlen, "%s.lock: cannot lock: %s", st->path,
               strerror(errno));
    return NKG_ERR_IO;
  }
  return 0;
}

/* Makes a new store beside `path` and renames it into place, so that a
 * store file is complete or absent. */
static int create_store(nkg_store *st, char *err, size_t errlen) {
  nkg_buf tmp = {0};
  nkg_buf_addf(&tmp, "%s.new.%ld", st->path, (long)getpid());
  if (!tmp.s)
    return NKG_ERR_NOMEM;
  int rc = 0;
  /* librdf makes its tables when a model opens the storage */
  librdf_storage *s =
      librdf_new_storage(st->world, "sqlite", tmp.s, "new='yes'");
  librdf_model *m = s ? librdf_new_model(st->world, s, NULL) : NULL;
  if (m)
    librdf_free_model(m);
  if (!m) {
    snprintf(err, errlen,
             "%s: cannot create a librdf sqlite store (is package "
             "librdf-storage-sqlite installed?)",
             st->path);
    rc = NKG_ERR_IO;
  }
  if (s)
    librdf_free_storage(s);
  sqlite3 *db = NULL;
  if (!rc &&
      sqlite3_open_v2(tmp.s, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: cannot open: %s", tmp.s,
             db ? sqlite3_errmsg(db) : "out of memory");
    rc = NKG_ERR_IO;
  }
  char *msg = NULL;
  if (!rc && sqlite3_exec(db, store_schema, NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(err, errlen, "%s: cannot add the store's tables: %s", tmp.s,
             msg ? msg : "SQLite error");
    rc = NKG_ERR_IO;
  }
  sqlite3_free(msg);
  if (db && sqlite3_close(db) != SQLITE_OK && !rc) {
    snprintf(err, errlen, "%s: cannot close", tmp.s);
    rc = NKG_ERR_IO;
  }
  if (!rc && rename(tmp.s, st->path)) {
    snprintf(err, errlen, "%s: %s", st->path, strerror(errno));
    rc = NKG_ERR_IO;
  }
  if (rc)
    unlink(tmp.s);
  nkg_buf_free(&tmp);
  return rc;
}

int nkg_store_open(nkg_store **out, const char *path, int mode, char *err,
                   size_t errlen) {
  *out = NULL;
  nkg_store *st = calloc(1, sizeof *st);
  if (!st)
    return NKG_ERR_NOMEM;
  st->lock_fd = -1;
  st->text = -1;
  st->mode = mode;
  st->path = nkg_strdup(path);
  st->queued = nkg_map_new();
  st->world = nkg_rdf_world();
  int rc = !st->world                 ? nkg_rdf_no_world(err, errlen)
           : (st->path && st->queued) ? 0
                                      : NKG_ERR_NOMEM;
  if (!rc)
    rc = take_lock(st, err, errlen);
  struct stat sb;
  if (!rc && stat(path, &sb)) {
    if (errno != ENOENT || mode != NKG_STORE_WRITE) {
      snprintf(err, errlen,
               errno == ENOENT ? "%s: no such store (newskg extract --store "
                                 "PATH ARTICLES... makes one)"
                               : "%s: %s",
               path, strerror(errno));
      rc = NKG_ERR_IO;
    } else {
      rc = create_store(st, err, errlen);
    }
  }
  if (!rc) {
    /* readers open for writing too where they may: after a killed add the
     * first connection that reads rolls the hot journal back, which a
     * read-only connection cannot */
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE, NULL) !=
            SQLITE_OK &&
        mode == NKG_STORE_READ) {
      sqlite3_close(st->db);
      st->db = NULL;
      sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY, NULL);
    }
    if (!st->db || sqlite3_errcode(st->db) != SQLITE_OK) {
      snprintf(err, errlen, "%s: cannot open: %s", path,
               st->db ? sqlite3_errmsg(st->db) : "out of memory");
      rc = NKG_ERR_IO;
    } else {
      sqlite3_busy_timeout(st->db, 10000);
    }
  }
  if (!rc)
    rc = meta_read(st, err, errlen);
  if (!rc) {
    st->storage = librdf_new_storage(st->world, "sqlite", path, "new='no'");
    st->model =
        st->storage ? librdf_new_model(st->world, st->storage, NULL) : NULL;
    if (!st->model) {
      snprintf(err, errlen, "%s: librdf cannot open the sqlite store", path);
      rc = NKG_ERR_IO;
    }
  }
  if (rc) {
    nkg_store_free(st);
    return rc;
  }
  *out = st;
  return 0;
}

void nkg_store_free(nkg_store *st) {
  if (!st)
    return;
  if (st->model)
    librdf_free_model(st->model);
  if (st->storage)
    librdf_free_storage(st->storage);
  if (st->db)
    sqlite3_close(st->db);
  if (st->lock_fd >= 0)
    close(st->lock_fd); /* releases the flock */
  for (size_t i = 0; i < st->nqueue; i++)
    article_clear(&st->queue[i]);
  free(st->queue);
  nkg_map_free(st->queued, NULL);
  free(st->base);
  free(st->fingerprint);
  free(st->path);
  free(st);
}

void *nkg_store_model(nkg_store *st) { return st->model; }
const char *nkg_store_base(const nkg_store *st) { return st->base; }
int nkg_store_text(const nkg_store *st) { return st->text; }

/* ---- queueing
 * ----------------------------------------------------------------- */

int nkg_store_add(nkg_store *st, const char *id, const char *text, size_t len,
                  const char *date, const char *source, size_t *byte_offset) {
  if (!st || st->mode != NKG_STORE_WRITE || !id || !*id || (!text && len))
    return NKG_ERR_ARG;
  int rc = nkg_article_check(text, len, date, byte_offset);
  if (rc)
    return rc;
  if (nkg_map_get(st->queued, id, strlen(id)))
    return NKG_ERR_DUPLICATE;
  article a = {0};
  a.id = nkg_strdup(id);
  a.text = nkg_strndup(text ? text : "", len);
  a.len = len;
  a.date = date ? nkg_strdup(date) : NULL;
  a.source = source ? nkg_strdup(source) : NULL;
  if (!a.id || !a.text || (date && !a.date) || (source && !a.source) ||
      NKG_PUSH(st->queue, st->nqueue, st->capqueue, a)) {
    article_clear(&a);
    return NKG_ERR_NOMEM;
  }
  if (nkg_map_put(st->queued, id, strlen(id), (void *)1, NULL))
    return NKG_ERR_NOMEM;
  return 0;
}

/* ---- committing
 * --------------------------------------------------------------- */

static int same_str(const char *a, const char *b) {
  return (!a && !b) || (a && b && !strcmp(a, b));
}

static int cmp_article(const void *x, const void *y) {
  return strcmp(((const article *)x)->id, ((const article *)y)->id);
}

static int load_articles(nkg_store *st, article **out, size_t *n, char *err,
                         size_t errlen) {
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "SELECT id, text, date, source, applied FROM "
                         "newskg_articles ORDER BY id",
                         -1, &q, NULL) != SQLITE_OK)
    return sql_fail(st, "cannot read the stored articles", err, errlen);
  int rc = 0, step;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    article a = {0};
    a.id = column_text(q, 0);
    a.len = (size_t)sqlite3_column_bytes(q, 1);
    const void *blob = sqlite3_column_blob(q, 1);
    a.text = nkg_strndup(blob ? blob : "", a.len);
    a.date = column_text(q, 2);
    a.source = column_text(q, 3);
    a.applied = sqlite3_column_int(q, 4);
    if (!a.id || !a.text || NKG_PUSH(*out, *n, cap, a)) {
      article_clear(&a);
      rc = NKG_ERR_NOMEM;
    }
  }
  if (!rc && step != SQLITE_DONE)
    rc = sql_fail(st, "cannot read the stored articles", err, errlen);
  sqlite3_finalize(q);
  return rc;
}

/* What the articles' own triples depend on besides the articles: the
 * newskg version, the base IRI, nif:isString, and every data file. When it
 * changes, every stored article is mapped again. */
static char *fingerprint(const nkg_lexicon *lex, const nkg_options *opts) {
  nkg_buf b = {0};
  nkg_buf_addf(&b, "newskg %s|%s|text=%d", NKG_VERSION, nkg_options_base(opts),
               nkg_options_text(opts));
  uint64_t h = nkg_hash(b.s, b.len);
  DIR *d = lex->dir ? opendir(lex->dir) : NULL;
  nkg_strset names = {0};
  for (struct dirent *e; d && (e = readdir(d));)
    if (e->d_name[0] != '.')
      nkg_strset_add(&names, e->d_name);
  if (d)
    closedir(d);
  nkg_strset_sort(&names);
  for (size_t i = 0; i < names.n; i++) {
    nkg_buf path = {0};
    nkg_buf_addf(&path, "%s/%s", lex->dir, names.items[i]);
    FILE *f = path.s ? fopen(path.s, "rb") : NULL;
    h ^= nkg_hash(names.items[i], strlen(names.items[i])) + (h << 6) + (h >> 2);
    char chunk[65536];
    size_t got;
    while (f && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
      h ^= nkg_hash(chunk, got) + (h << 6) + (h >> 2);
    if (f)
      fclose(f);
    nkg_buf_free(&path);
  }
  nkg_strset_free(&names);
  nkg_buf_clear(&b);
  nkg_buf_addf(&b, "%016llx", (unsigned long long)h);
  return nkg_buf_take(&b);
}

/* One article of the build and whether its own triples are (re)written. */
typedef struct planned {
  const article *a;
  int dirty;
} planned;

typedef struct commit_state {
  librdf_model *store_model;
  librdf_model *merged_model; /* the merged graph as built now */
  const char *merged_iri;
  nkg_map *dirty; /* doc IRI -> 1 */
} commit_state;

static void *route(void *user, const char *graph_iri) {
  commit_state *cs = user;
  if (!graph_iri)
    return NULL;
  if (!strcmp(graph_iri, cs->merged_iri))
    return cs->merged_model;
  return nkg_map_get(cs->dirty, graph_iri, strlen(graph_iri)) ? cs->store_model
                                                              : NULL;
}

/* An unambiguous key for a statement: each node with its kind and length. */
static void add_node_key(nkg_buf *b, librdf_node *n) {
  if (librdf_node_is_resource(n)) {
    size_t len = 0;
    const unsigned char *s =
        librdf_uri_as_counted_string(librdf_node_get_uri(n), &len);
    nkg_buf_addf(b, "U%zu:", len);
    nkg_buf_add(b, (const char *)s, len);
  } else if (librdf_node_is_blank(n)) {
    nkg_buf_addf(b, "B:%s", librdf_node_get_blank_identifier(n));
  } else {
    size_t len = 0;
    const unsigned char *s =
        librdf_node_get_literal_value_as_counted_string(n, &len);
    const char *lang = librdf_node_get_literal_value_language(n);
    librdf_uri *dt = librdf_node_get_literal_value_datatype_uri(n);
    nkg_buf_addf(b, "L%zu:", len);
    nkg_buf_add(b, (const char *)s, len);
    nkg_buf_addf(b, "@%s^%s", lang ? lang : "",
                 dt ? (const char *)librdf_uri_as_string(dt) : "");
  }
  nkg_buf_addc(b, '\x1f');
}

static void statement_key(nkg_buf *b, librdf_statement *s) {
  nkg_buf_clear(b);
  add_node_key(b, librdf_statement_get_subject(s));
  add_node_key(b, librdf_statement_get_predicate(s));
  add_node_key(b, librdf_statement_get_object(s));
}

/* Replaces the stored merged graph by the one just built, by difference:
 * an add usually changes few of its statements. */
static int replace_merged(nkg_store *st, commit_state *cs,
                          nkg_store_report *report, char *err, size_t errlen) {
  librdf_node *ctx = librdf_new_node_from_uri_string(
      st->world, (const unsigned char *)cs->merged_iri);
  nkg_map *fresh = nkg_map_new(), *kept = nkg_map_new();
  librdf_statement **stale = NULL;
  size_t nstale = 0, capstale = 0;
  nkg_buf key = {0};
  int rc = (ctx && fresh && kept) ? 0 : NKG_ERR_NOMEM;
  librdf_stream *s = rc ? NULL : librdf_model_as_stream(cs->merged_model);
  for (; s && !rc && !librdf_stream_end(s); librdf_stream_next(s)) {
    statement_key(&key, librdf_stream_get_object(s));
    rc = nkg_map_put(fresh, key.s, key.len, (void *)1, NULL);
  }
  if (s)
    librdf_free_stream(s);
  s = rc ? NULL : librdf_model_context_as_stream(st->model, ctx);
  for (; s && !rc && !librdf_stream_end(s); librdf_stream_next(s)) {
    librdf_statement *old = librdf_stream_get_object(s);
    statement_key(&key, old);
    if (nkg_map_get(fresh, key.s, key.len)) {
      rc = nkg_map_put(kept, key.s, key.len, (void *)1, NULL);
      continue;
    }
    librdf_statement *copy = librdf_new_statement_from_statement(old);
    if (!copy || NKG_PUSH(stale, nstale, capstale, copy)) {
      if (copy)
        librdf_free_statement(copy);
      rc = NKG_ERR_NOMEM;
    }
  }
  if (s)
    librdf_free_stream(s);
  /* removed after the stream is closed: librdf's sqlite storage defers
   * writes made while a stream is open */
  for (size_t i = 0; !rc && i < nstale; i++) {
    if (librdf_model_context_remove_statement(st->model, ctx, stale[i])) {
      snprintf(err, errlen, "%s: cannot remove a statement", st->path);
      rc = NKG_ERR_RDF;
    }
    report->removed_triples++;
  }
  s = rc ? NULL : librdf_model_as_stream(cs->merged_model);
  for (; s && !rc && !librdf_stream_end(s); librdf_stream_next(s)) {
    librdf_statement *add = librdf_stream_get_object(s);
    statement_key(&key, add);
    if (nkg_map_get(kept, key.s, key.len))
      continue;
    if (librdf_model_context_add_statement(st->model, ctx, add)) {
      snprintf(err, errlen, "%s: cannot add a statement", st->path);
      rc = NKG_ERR_RDF;
    }
    report->added_triples++;
  }
  if (s)
    librdf_free_stream(s);
  for (size_t i = 0; i < nstale; i++)
    librdf_free_statement(stale[i]);
  free(stale);
  nkg_buf_free(&key);
  nkg_map_free(fresh, NULL);
  nkg_map_free(kept, NULL);
  if (ctx)
    librdf_free_node(ctx);
  return rc;
}

static int write_pending(nkg_store *st, planned *plan, size_t n, char *err,
                         size_t errlen) {
  int rc = sql_exec(st, "BEGIN IMMEDIATE", err, errlen);
  sqlite3_stmt *q = NULL;
  if (!rc &&
      sqlite3_prepare_v2(st->db,
                         "INSERT OR REPLACE INTO newskg_articles (id, text, "
                         "date, source, applied) VALUES (?, ?, ?, ?, 0)",
                         -1, &q, NULL) != SQLITE_OK)
    rc = sql_fail(st, "cannot write the articles", err, errlen);
  for (size_t i = 0; !rc && i < n; i++) {
    const article *a = plan[i].a;
    if (!plan[i].dirty)
      continue;
    sqlite3_reset(q);
    if (sqlite3_bind_text(q, 1, a->id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(q, 2, a->text, (int)a->len, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(q, 3, a->date, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(q, 4, a->source, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_DONE)
      rc = sql_fail(st, "cannot write an article", err, errlen);
  }
  sqlite3_finalize(q);
  if (!rc)
    rc = sql_exec(st, "COMMIT", err, errlen);
  else
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

/* After the RDF commit: the pending articles are applied and the store
 * remembers what it was built with. */
static int write_applied(nkg_store *st, const nkg_options *opts,
                         const char *print, char *err, size_t errlen) {
  char text[2] = {nkg_options_text(opts) ? '1' : '0', '\0'};
  int rc = sql_exec(st, "BEGIN IMMEDIATE", err, errlen);
  if (!rc)
    rc =
        sql_exec(st, "UPDATE newskg_articles SET applied = 1 WHERE applied = 0",
                 err, errlen);
  if (!rc)
    rc = meta_write(st, "base", nkg_options_base(opts), err, errlen);
  if (!rc)
    rc = meta_write(st, "text", text, err, errlen);
  if (!rc)
    rc = meta_write(st, "fingerprint", print, err, errlen);
  if (!rc)
    rc = sql_exec(st, "COMMIT", err, errlen);
  else
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

/* Merges the stored articles (sorted) with the queue (sorted) into the
 * plan of the build, deciding which articles' own triples are written. */
static int make_plan(nkg_store *st, article *stored, size_t nstored, int remap,
                     planned **out, size_t *nout, nkg_store_report *report) {
  qsort(st->queue, st->nqueue, sizeof *st->queue, cmp_article);
  planned *plan = calloc(nstored + st->nqueue + 1, sizeof *plan);
  if (!plan)
    return NKG_ERR_NOMEM;
  size_t i = 0, j = 0, n = 0;
  while (i < nstored || j < st->nqueue) {
    int c = i == nstored      ? 1
            : j == st->nqueue ? -1
                              : strcmp(stored[i].id, st->queue[j].id);
    planned *p = &plan[n++];
    if (c < 0) { /* stored, not given again */
      p->a = &stored[i++];
      p->dirty = remap || !p->a->applied;
      report->recovered += !p->a->applied;
      report->remapped += remap && p->a->applied;
    } else if (c > 0) { /* new */
      p->a = &st->queue[j++];
      p->dirty = 1;
      report->added++;
    } else { /* given again: changed or not */
      const article *old = &stored[i++];
      p->a = &st->queue[j++];
      int same = old->len == p->a->len &&
                 !memcmp(old->text, p->a->text, old->len) &&
                 same_str(old->date, p->a->date) &&
                 same_str(old->source, p->a->source);
      p->dirty = !same || remap || !old->applied;
      if (!same)
        report->changed++;
      else if (!old->applied)
        report->recovered++;
      else if (remap)
        report->remapped++;
      else
        report->unchanged++;
    }
  }
  *out = plan;
  *nout = n;
  return 0;
}

static int build_into_store(nkg_store *st, const nkg_lexicon *lex,
                            const nkg_options *opts, planned *plan, size_t n,
                            nkg_store_report *report, char *err,
                            size_t errlen) {
  const char *base = nkg_options_base(opts);
  commit_state cs = {0};
  cs.store_model = st->model;
  char *merged_iri = nkg_iri_merged_graph(base);
  cs.merged_iri = merged_iri;
  cs.dirty = nkg_map_new();
  librdf_storage *mem =
      librdf_new_storage(st->world, "hashes", "merged", "hash-type='memory'");
  cs.merged_model = mem ? librdf_new_model(st->world, mem, NULL) : NULL;
  int rc = (merged_iri && cs.dirty && cs.merged_model) ? 0 : NKG_ERR_NOMEM;
  nkg_builder *b = NULL;
  /* the own triples of every article to be written go first */
  for (size_t i = 0; !rc && i < n; i++) {
    if (!plan[i].dirty)
      continue;
    char *doc = nkg_iri_doc(base, plan[i].a->id);
    librdf_node *ctx = doc ? librdf_new_node_from_uri_string(
                                 st->world, (const unsigned char *)doc)
                           : NULL;
    if (!ctx || nkg_map_put(cs.dirty, doc, strlen(doc), (void *)1, NULL))
      rc = NKG_ERR_NOMEM;
    else if (librdf_model_context_remove_statements(st->model, ctx)) {
      snprintf(err, errlen, "%s: cannot remove the old triples of '%s'",
               st->path, plan[i].a->id);
      rc = NKG_ERR_RDF;
    }
    if (ctx)
      librdf_free_node(ctx);
    free(doc);
  }
  nkg_rdf *sink = NULL;
  if (!rc)
    rc = nkg_rdf_open_model(&sink, route, &cs);
  if (!rc) {
    b = nkg_builder_new_sink(lex, opts, sink, &rc);
    sink = NULL; /* the builder owns it now */
  }
  for (size_t i = 0; !rc && i < n; i++) {
    const article *a = plan[i].a;
    rc = nkg_builder_add(b, a->id, a->text, a->len, a->date, a->source, NULL);
    if (rc)
      snprintf(err, errlen, "%s: article '%s': %s", st->path, a->id,
               nkg_strerror(rc));
  }
  if (!rc) {
    rc = nkg_builder_finish(b);
    if (rc)
      snprintf(err, errlen, "%s: %s", st->path, nkg_strerror(rc));
  }
  if (b)
    nkg_builder_stats(b, &report->stats);
  if (!rc)
    rc = replace_merged(st, &cs, report, err, errlen);
  nkg_builder_free(b);
  nkg_rdf_free(sink);
  if (cs.merged_model)
    librdf_free_model(cs.merged_model);
  if (mem)
    librdf_free_storage(mem);
  nkg_map_free(cs.dirty, NULL);
  free(merged_iri);
  return rc;
}

int nkg_store_commit(nkg_store *st, const nkg_lexicon *lex,
                     const nkg_options *opts, nkg_store_report *report,
                     char *err, size_t errlen) {
  memset(report, 0, sizeof *report);
  if (!st || st->mode != NKG_STORE_WRITE)
    return NKG_ERR_ARG;
  if (st->base && strcmp(st->base, nkg_options_base(opts))) {
    snprintf(err, errlen, "%s: the store's base IRI is %s, not %s", st->path,
             st->base, nkg_options_base(opts));
    return NKG_ERR_ARG;
  }
  article *stored = NULL;
  size_t nstored = 0, nplan = 0;
  planned *plan = NULL;
  char *print = fingerprint(lex, opts);
  int rc =
      print ? load_articles(st, &stored, &nstored, err, errlen) : NKG_ERR_NOMEM;
  int remap = nstored > 0 &&
              (!st->fingerprint || (print && strcmp(st->fingerprint, print)));
  if (!rc)
    rc = make_plan(st, stored, nstored, remap, &plan, &nplan, report);
  size_t ndirty = 0;
  for (size_t i = 0; !rc && i < nplan; i++)
    ndirty += plan[i].dirty;
  report->articles = nplan;
  if (rc || !ndirty)
    goto cleanup;
  rc = write_pending(st, plan, nplan, err, errlen);
  if (!rc && librdf_model_transaction_start(st->model)) {
    snprintf(err, errlen, "%s: cannot start a transaction", st->path);
    rc = NKG_ERR_IO;
  }
  if (!rc) {
    rc = build_into_store(st, lex, opts, plan, nplan, report, err, errlen);
    if (rc)
      librdf_model_transaction_rollback(st->model);
    else if (librdf_model_transaction_commit(st->model)) {
      snprintf(err, errlen, "%s: the transaction could not be committed",
               st->path);
      rc = NKG_ERR_IO;
    }
  }
  if (!rc)
    rc = write_applied(st, opts, print, err, errlen);
  if (!rc) {
    free(st->base);
    st->base = nkg_strdup(nkg_options_base(opts));
    st->text = nkg_options_text(opts);
    free(st->fingerprint);
    st->fingerprint = print;
    print = NULL;
  }
cleanup:
  if (!rc)
    report->triples = (size_t)librdf_model_size(st->model);
  for (size_t i = 0; i < st->nqueue; i++)
    article_clear(&st->queue[i]);
  st->nqueue = 0;
  nkg_map_free(st->queued, NULL);
  st->queued = nkg_map_new();
  for (size_t i = 0; i < nstored; i++)
    article_clear(&stored[i]);
  free(stored);
  free(plan);
  free(print);
  if (!rc && !st->queued)
    rc = NKG_ERR_NOMEM;
  return rc;
}
