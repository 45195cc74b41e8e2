/* store.c: the driver-independent half of the store: connections with their statement
 * caches, transactions, timing, and migrations. */
#include "base/log.h"
#include "base/mem.h"
#include "store/driver.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct kc_db {
  const kc_store_driver *drv;
  void *h;
};

/* Statements are cached by the address of their SQL text: domain code passes literals, so
 * the address identifies the statement without hashing the text on every call. */
typedef struct cache_slot {
  const char *sql;
  kc_stmt *stmt;
} cache_slot;

struct kc_stmt {
  kc_conn *conn;
  void *h;
};

struct kc_conn {
  kc_db *db;
  void *h;
  bool in_tx;
  uint64_t nanos;
  cache_slot *slots;
  size_t nslots, used;
};

static uint64_t mono_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

kc_err kc_db_open(const char *url, kc_db **out, char *msg, size_t cap)
{
  *out = NULL;
  const kc_store_driver *drv = &kc_store__sqlite;
  if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13)) {
#ifdef KC_HAVE_PG
    drv = &kc_store__pg;
#else
    snprintf(msg, cap, "PostgreSQL is not supported by this build yet (url %s)", url);
    return KC_EBADREQ;
#endif
  }
  void *h = NULL;
  kc_err e = drv->open(url, &h, msg, cap);
  if (e)
    return e;
  kc_db *db = kc_xcalloc(1, sizeof *db);
  db->drv = drv;
  db->h = h;
  *out = db;
  return KC_OK;
}

void kc_db_close(kc_db *db)
{
  if (!db)
    return;
  db->drv->close(db->h);
  free(db);
}

const char *kc_db_backend(const kc_db *db)
{
  return db->drv->name;
}

kc_err kc_conn_open(kc_db *db, kc_conn **out)
{
  *out = NULL;
  void *h = NULL;
  kc_err e = db->drv->conn_open(db->h, &h);
  if (e)
    return e;
  kc_conn *c = kc_xcalloc(1, sizeof *c);
  c->db = db;
  c->h = h;
  c->nslots = 64;
  c->slots = kc_xcalloc(c->nslots, sizeof *c->slots);
  *out = c;
  return KC_OK;
}

void kc_conn_close(kc_conn *c)
{
  if (!c)
    return;
  kc_conn_rollback(c);
  for (size_t i = 0; i < c->nslots; i++)
    if (c->slots[i].stmt) {
      c->db->drv->finalize(c->slots[i].stmt->h);
      free(c->slots[i].stmt);
    }
  free(c->slots);
  c->db->drv->conn_close(c->h);
  free(c);
}

const char *kc_conn_errmsg(kc_conn *c)
{
  return c->db->drv->errmsg(c->h);
}

uint64_t kc_conn_db_nanos(kc_conn *c)
{
  return c->nanos;
}

kc_err kc_conn_exec(kc_conn *c, const char *sql)
{
  uint64_t t0 = mono_ns();
  kc_err e = c->db->drv->exec(c->h, sql);
  c->nanos += mono_ns() - t0;
  if (e)
    kc_log_error("store: %s", kc_conn_errmsg(c));
  return e;
}

kc_err kc_conn_begin(kc_conn *c, bool write)
{
  if (c->in_tx)
    return KC_EINTERNAL;
  kc_err e = kc_conn_exec(c, write ? c->db->drv->begin_write : c->db->drv->begin_read);
  if (!e)
    c->in_tx = true;
  return e;
}

kc_err kc_conn_commit(kc_conn *c)
{
  if (!c->in_tx)
    return KC_EINTERNAL;
  kc_err e = kc_conn_exec(c, "COMMIT");
  if (e) {
    kc_conn_rollback(c);
    return e;
  }
  c->in_tx = false;
  return KC_OK;
}

void kc_conn_rollback(kc_conn *c)
{
  if (!c || !c->in_tx)
    return;
  c->in_tx = false;
  if (c->db->drv->exec(c->h, "ROLLBACK"))
    kc_log_error("store: rollback failed: %s", kc_conn_errmsg(c));
}

bool kc_conn_in_tx(const kc_conn *c)
{
  return c->in_tx;
}

static size_t slot_of(const kc_conn *c, const char *sql)
{
  uintptr_t x = (uintptr_t)sql;
  x ^= x >> 17;
  x *= 0x9E3779B97F4A7C15ull;
  return (size_t)(x >> 7) & (c->nslots - 1);
}

static void cache_grow(kc_conn *c)
{
  cache_slot *old = c->slots;
  size_t n = c->nslots;
  c->nslots *= 2;
  c->slots = kc_xcalloc(c->nslots, sizeof *c->slots);
  for (size_t i = 0; i < n; i++) {
    if (!old[i].sql)
      continue;
    size_t j = slot_of(c, old[i].sql);
    while (c->slots[j].sql)
      j = (j + 1) & (c->nslots - 1);
    c->slots[j] = old[i];
  }
  free(old);
}

kc_err kc_stmt_prepare(kc_conn *c, const char *sql, kc_stmt **out)
{
  size_t j = slot_of(c, sql);
  while (c->slots[j].sql && c->slots[j].sql != sql)
    j = (j + 1) & (c->nslots - 1);
  if (c->slots[j].sql) {
    kc_stmt *s = c->slots[j].stmt;
    c->db->drv->reset(s->h);
    *out = s;
    return KC_OK;
  }
  void *h = NULL;
  uint64_t t0 = mono_ns();
  kc_err e = c->db->drv->prepare(c->h, sql, &h);
  c->nanos += mono_ns() - t0;
  if (e) {
    kc_log_error("store: prepare failed: %s; SQL: %s", kc_conn_errmsg(c), sql);
    return e;
  }
  kc_stmt *s = kc_xcalloc(1, sizeof *s);
  s->conn = c;
  s->h = h;
  c->slots[j].sql = sql;
  c->slots[j].stmt = s;
  if (++c->used * 2 > c->nslots)
    cache_grow(c);
  *out = s;
  return KC_OK;
}

void kc_stmt_bind_i64(kc_stmt *s, int i, int64_t v)
{
  s->conn->db->drv->bind_i64(s->h, i, v);
}

void kc_stmt_bind_text(kc_stmt *s, int i, const char *v, long len)
{
  s->conn->db->drv->bind_text(s->h, i, v, len);
}

void kc_stmt_bind_null(kc_stmt *s, int i)
{
  s->conn->db->drv->bind_null(s->h, i);
}

void kc_stmt_bind_opt_i64(kc_stmt *s, int i, int64_t v, int64_t none)
{
  if (v == none)
    kc_stmt_bind_null(s, i);
  else
    kc_stmt_bind_i64(s, i, v);
}

void kc_stmt_bind_opt_text(kc_stmt *s, int i, const char *v)
{
  if (v)
    kc_stmt_bind_text(s, i, v, -1);
  else
    kc_stmt_bind_null(s, i);
}

int kc_stmt_params(kc_stmt *s)
{
  return s->conn->db->drv->params(s->h);
}

void kc_stmt_bind_array(kc_stmt *s, const kc_val *v, size_t n)
{
  assert((int)n == kc_stmt_params(s)); /* one value per placeholder, no more, no fewer */
  for (size_t k = 0; k < n; k++) {
    int i = (int)k + 1;
    switch (v[k].kind) {
    case KC_VAL_I64: kc_stmt_bind_i64(s, i, v[k].i); break;
    case KC_VAL_TEXT: kc_stmt_bind_text(s, i, v[k].s, -1); break;
    case KC_VAL_NULL: kc_stmt_bind_null(s, i); break;
    }
  }
}

kc_err kc_stmt_query_array(kc_conn *c, const char *sql, kc_stmt **out, const kc_val *v, size_t n)
{
  kc_err e = kc_stmt_prepare(c, sql, out);
  if (!e)
    kc_stmt_bind_array(*out, v, n);
  return e;
}

kc_err kc_stmt_step(kc_stmt *s, bool *row)
{
  uint64_t t0 = mono_ns();
  kc_err e = s->conn->db->drv->step(s->h, row);
  s->conn->nanos += mono_ns() - t0;
  if (e && e != KC_ECONFLICT)
    kc_log_error("store: step failed: %s", kc_conn_errmsg(s->conn));
  return e;
}

kc_err kc_stmt_run(kc_stmt *s)
{
  bool row = true;
  kc_err e = KC_OK;
  while (row && !e)
    e = kc_stmt_step(s, &row);
  kc_stmt_reset(s);
  return e;
}

int kc_stmt_columns(kc_stmt *s)
{
  return s->conn->db->drv->columns(s->h);
}

bool kc_stmt_is_null(kc_stmt *s, int col)
{
  return s->conn->db->drv->is_null(s->h, col);
}

int64_t kc_stmt_i64(kc_stmt *s, int col)
{
  return s->conn->db->drv->col_i64(s->h, col);
}

const char *kc_stmt_text(kc_stmt *s, int col)
{
  const char *t = s->conn->db->drv->col_text(s->h, col);
  return t ? t : "";
}

int64_t kc_stmt_changes(kc_stmt *s)
{
  return s->conn->db->drv->changes(s->conn->h);
}

void kc_stmt_reset(kc_stmt *s)
{
  s->conn->db->drv->reset(s->h);
}

/* ---- run-time SQL, metadata, backup (the table copier and `kycuong backup`) ---- */

kc_err kc_stmt_prepare_dynamic(kc_conn *c, const char *sql, kc_stmt **out)
{
  *out = NULL;
  void *h = NULL;
  uint64_t t0 = mono_ns();
  kc_err e = c->db->drv->prepare(c->h, sql, &h);
  c->nanos += mono_ns() - t0;
  if (e) {
    kc_log_error("store: prepare failed: %s; SQL: %s", kc_conn_errmsg(c), sql);
    return e;
  }
  kc_stmt *s = kc_xcalloc(1, sizeof *s);
  s->conn = c;
  s->h = h;
  *out = s;
  return KC_OK;
}

void kc_stmt_free(kc_stmt *s)
{
  if (!s)
    return;
  s->conn->db->drv->finalize(s->h);
  free(s);
}

const char *kc_stmt_col_name(kc_stmt *s, int col)
{
  const char *n = s->conn->db->drv->col_name(s->h, col);
  return n ? n : "";
}

bool kc_stmt_col_is_int(kc_stmt *s, int col)
{
  return s->conn->db->drv->col_is_int(s->h, col);
}

const char *kc_conn_list_tables_sql(const kc_conn *c)
{
  return c->db->drv->list_tables;
}

kc_err kc_conn_reset_identity(kc_conn *c, const char *table, const char *column)
{
  const char *tpl = c->db->drv->reset_identity;
  if (!tpl)
    return KC_OK;
  /* Expands @T@ (table) and @C@ (column) in the driver's statement. */
  char sql[512];
  size_t n = 0;
  for (const char *p = tpl; *p;) {
    const char *rep = NULL;
    if (!strncmp(p, "@T@", 3))
      rep = table;
    else if (!strncmp(p, "@C@", 3))
      rep = column;
    size_t l = rep ? strlen(rep) : 1;
    if (n + l + 1 > sizeof sql)
      return KC_EINTERNAL;
    memcpy(sql + n, rep ? rep : p, l);
    n += l;
    p += rep ? 3 : 1;
  }
  sql[n] = 0;
  return kc_conn_exec(c, sql);
}

kc_err kc_db_backup(kc_db *db, const char *dest, kc_backup_progress progress, void *arg, char *msg,
                    size_t cap)
{
  if (!db->drv->backup) {
    snprintf(msg, cap, "the %s backend has no built-in backup", db->drv->name);
    return KC_EBADREQ;
  }
  return db->drv->backup(db->h, dest, progress, arg, msg, cap);
}

/* ---- migrations ---- */

typedef struct kc_migration {
  int version;
  const char *name;
  const char *sql;
} kc_migration;

/* Generated by CMake from schema/NNNN_name.sql (see cmake/embed_schema.cmake). */
extern const kc_migration kc_store__migrations[];
extern const int kc_store__migration_count;

int kc_store_latest_version(void)
{
  return kc_store__migration_count ? kc_store__migrations[kc_store__migration_count - 1].version
                                   : 0;
}

kc_err kc_store_schema_version(kc_conn *c, int *out)
{
  *out = 0;
  kc_stmt *s;
  kc_err e = kc_conn_exec(c, "CREATE TABLE IF NOT EXISTS schema_version ("
                             "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                             "applied_at BIGINT NOT NULL)");
  if (e)
    return e;
  static const char q[] = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
  e = kc_stmt_prepare(c, q, &s);
  if (e)
    return e;
  bool row;
  e = kc_stmt_step(s, &row);
  if (!e && row)
    *out = (int)kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  return e;
}

/* Replaces the dialect macros in a migration's text. */
static char *expand(const kc_store_driver *drv, const char *sql)
{
  static const struct {
    const char *macro;
    size_t off;
  } macros[] = {{"@PK@", offsetof(kc_store_driver, pk_type)},
                {"@CTEXT@", offsetof(kc_store_driver, ctext_type)}};
  size_t cap = strlen(sql) * 2 + 256, n = 0;
  char *out = kc_xmalloc(cap);
  for (const char *p = sql; *p;) {
    bool done = false;
    for (size_t m = 0; m < sizeof macros / sizeof *macros; m++) {
      size_t ml = strlen(macros[m].macro);
      if (!strncmp(p, macros[m].macro, ml)) {
        const char *rep = *(const char *const *)((const char *)drv + macros[m].off);
        size_t rl = strlen(rep);
        if (n + rl + 1 > cap)
          out = kc_xrealloc(out, cap = (n + rl + 1) * 2);
        memcpy(out + n, rep, rl);
        n += rl;
        p += ml;
        done = true;
        break;
      }
    }
    if (!done) {
      if (n + 2 > cap)
        out = kc_xrealloc(out, cap *= 2);
      out[n++] = *p++;
    }
  }
  out[n] = 0;
  return out;
}

static kc_err migrate_locked(kc_conn *c, int *from, int *to)
{
  int cur;
  kc_err e = kc_store_schema_version(c, &cur);
  if (e)
    return e;
  if (from)
    *from = cur;
  for (int i = 0; i < kc_store__migration_count; i++) {
    const kc_migration *m = &kc_store__migrations[i];
    if (m->version <= cur)
      continue;
    char *sql = expand(c->db->drv, m->sql);
    e = kc_conn_begin(c, true);
    if (!e)
      e = kc_conn_exec(c, sql);
    free(sql);
    if (!e) {
      kc_stmt *s;
      static const char ins[] =
          "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)";
      e = kc_stmt_prepare(c, ins, &s);
      if (!e) {
        kc_stmt_bind_i64(s, 1, m->version);
        kc_stmt_bind_text(s, 2, m->name, -1);
        kc_stmt_bind_i64(s, 3, (int64_t)time(NULL));
        e = kc_stmt_run(s);
      }
    }
    if (!e)
      e = kc_conn_commit(c);
    if (e) {
      kc_log_error("store: migration %04d_%s failed", m->version, m->name);
      kc_conn_rollback(c);
      return e;
    }
    cur = m->version;
  }
  if (to)
    *to = cur;
  return KC_OK;
}

kc_err kc_store_migrate(kc_conn *c, int *from, int *to)
{
  const kc_store_driver *drv = c->db->drv;
  kc_err e;
  if (drv->migrate_lock && (e = kc_conn_exec(c, drv->migrate_lock)))
    return e;
  e = migrate_locked(c, from, to);
  if (drv->migrate_unlock && kc_conn_exec(c, drv->migrate_unlock))
    kc_log_error("store: releasing the migration lock failed: %s", kc_conn_errmsg(c));
  return e;
}

kc_err kc_conn_try_singleton(kc_conn *c, bool *held)
{
  *held = true;
  const char *sql = c->db->drv->singleton_sql;
  if (!sql)
    return KC_OK;
  kc_stmt *s;
  bool row = false;
  kc_err e = kc_stmt_prepare(c, sql, &s);
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e)
    *held = row && kc_stmt_i64(s, 0) != 0;
  kc_stmt_reset(s);
  return e;
}

kc_err kc_store_analyze(kc_conn *c)
{
  return kc_conn_exec(c, "ANALYZE");
}
