/* store_sqlite.c: the SQLite backend. WAL journal so readers never block the writer,
 * foreign keys on, a busy timeout so concurrent writers queue instead of failing, and
 * BEGIN IMMEDIATE for write transactions (design.md §5). */
#include "base/mem.h"
#include "store/driver.h"
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct sq_db {
  char *path;
} sq_db;

#define BUSY_TIMEOUT_MS 10000

static kc_err translate(int rc)
{
  switch (rc & 0xff) {
  case SQLITE_OK:
  case SQLITE_ROW:
  case SQLITE_DONE: return KC_OK;
  case SQLITE_CONSTRAINT: return KC_ECONFLICT;
  case SQLITE_BUSY:
  case SQLITE_LOCKED: return KC_EBUSY;
  case SQLITE_NOMEM: return KC_EINTERNAL;
  case SQLITE_IOERR:
  case SQLITE_CANTOPEN:
  case SQLITE_FULL:
  case SQLITE_READONLY: return KC_EIO;
  default: return KC_EINTERNAL;
  }
}

/* Without this SQLite counts every allocation under one process-wide mutex: the only lock
 * the worker threads' connections share, which showed up as contention in the task-list
 * profile. Nothing reads the counters. It must precede SQLite's initialisation, hence once,
 * before the first open (a no-op if something initialised SQLite already). */
static void configure_sqlite(void)
{
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static kc_err sq_conn_open_raw(const char *path, sqlite3 **out, char *msg, size_t cap)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, configure_sqlite);
  sqlite3 *h = NULL;
  int rc = sqlite3_open_v2(path, &h,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                               SQLITE_OPEN_EXRESCODE,
                           NULL);
  if (rc != SQLITE_OK) {
    if (msg)
      snprintf(msg, cap, "cannot open SQLite database %s: %s", path,
               h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
    sqlite3_close(h);
    return KC_EIO;
  }
  sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
  /* synchronous=NORMAL is durable across process crashes in WAL mode; only a power loss
   * can drop the last transactions, which is the usual trade for a server. */
  rc = sqlite3_exec(h,
                    "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8000; "
                    "PRAGMA temp_store=MEMORY;",
                    NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    if (msg)
      snprintf(msg, cap, "cannot configure SQLite database %s: %s", path, sqlite3_errmsg(h));
    sqlite3_close(h);
    return translate(rc);
  }
  *out = h;
  return KC_OK;
}

static kc_err sq_open(const char *url, void **db, char *msg, size_t cap)
{
  const char *path = url;
  if (!strncmp(path, "sqlite://", 9))
    path += 9;
  /* Open once now so a bad path is reported at start-up, not on the first request. */
  sqlite3 *h;
  kc_err e = sq_conn_open_raw(path, &h, msg, cap);
  if (e)
    return e;
  sqlite3_close(h);
  sq_db *d = kc_xcalloc(1, sizeof *d);
  d->path = kc_xstrdup(path);
  *db = d;
  return KC_OK;
}

static void sq_close(void *db)
{
  sq_db *d = db;
  free(d->path);
  free(d);
}

static kc_err sq_conn_open(void *db, void **conn)
{
  sqlite3 *h;
  kc_err e = sq_conn_open_raw(((sq_db *)db)->path, &h, NULL, 0);
  if (!e)
    *conn = h;
  return e;
}

static void sq_conn_close(void *conn)
{
  /* SQLite's advice for long-lived connections: refresh planner statistics on close. */
  sqlite3_exec(conn, "PRAGMA optimize", NULL, NULL, NULL);
  sqlite3_close_v2(conn);
}

static const char *sq_errmsg(void *conn)
{
  return sqlite3_errmsg(conn);
}

static kc_err sq_exec(void *conn, const char *sql)
{
  return translate(sqlite3_exec(conn, sql, NULL, NULL, NULL));
}

static kc_err sq_prepare(void *conn, const char *sql, void **stmt)
{
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
  if (rc != SQLITE_OK)
    return translate(rc) ? translate(rc) : KC_EINTERNAL;
  *stmt = s;
  return KC_OK;
}

static void sq_finalize(void *stmt)
{
  sqlite3_finalize(stmt);
}

static void sq_reset(void *stmt)
{
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}

static void sq_bind_i64(void *stmt, int i, int64_t v)
{
  sqlite3_bind_int64(stmt, i, v);
}

static void sq_bind_text(void *stmt, int i, const char *v, long len)
{
  sqlite3_bind_text(stmt, i, v, (int)len, SQLITE_TRANSIENT);
}

static void sq_bind_null(void *stmt, int i)
{
  sqlite3_bind_null(stmt, i);
}

static int sq_params(void *stmt)
{
  return sqlite3_bind_parameter_count(stmt);
}

static kc_err sq_step(void *stmt, bool *row)
{
  int rc = sqlite3_step(stmt);
  *row = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return KC_OK;
  return translate(rc) ? translate(rc) : KC_EINTERNAL;
}

static int sq_columns(void *stmt)
{
  return sqlite3_column_count(stmt);
}

static bool sq_is_null(void *stmt, int col)
{
  return sqlite3_column_type(stmt, col) == SQLITE_NULL;
}

static int64_t sq_col_i64(void *stmt, int col)
{
  return sqlite3_column_int64(stmt, col);
}

static const char *sq_col_text(void *stmt, int col)
{
  return (const char *)sqlite3_column_text(stmt, col);
}

static int64_t sq_changes(void *conn)
{
  return sqlite3_changes64(conn);
}

static const char *sq_col_name(void *stmt, int col)
{
  return sqlite3_column_name(stmt, col);
}

static bool sq_col_is_int(void *stmt, int col)
{
  return sqlite3_column_type(stmt, col) == SQLITE_INTEGER;
}

/* Pages copied per sqlite3_backup_step: 4 MiB with 4 KiB pages, so progress moves often on
 * a big file while each step's overhead stays negligible. */
#define BACKUP_STEP_PAGES 1024

/* The online backup API copies page by page. Normally a write by another connection between
 * two steps restarts the copy from the beginning, so a busy server could keep a big backup
 * from ever finishing. Instead the source connection holds one read transaction across all
 * steps: in WAL mode that is a snapshot which writers never block nor disturb, so the copy
 * is consistent as of its start and never restarts, while the server keeps writing (only
 * checkpoints cannot pass the snapshot until the backup ends). */
static kc_err sq_backup(void *db, const char *dest, kc_backup_progress progress, void *arg,
                        char *msg, size_t cap)
{
  const char *src_path = ((sq_db *)db)->path;
  struct stat st;
  if (stat(dest, &st) == 0) {
    snprintf(msg, cap, "%s already exists", dest);
    return KC_EFIELD;
  }
  char part[PATH_MAX];
  if ((size_t)snprintf(part, sizeof part, "%s.part", dest) >= sizeof part) {
    snprintf(msg, cap, "path too long: %s", dest);
    return KC_EFIELD;
  }
  sqlite3 *src = NULL, *dst = NULL;
  sqlite3_backup *b = NULL;
  kc_err e = sq_conn_open_raw(src_path, &src, msg, cap);
  if (e)
    return e;
  unlink(part); /* what a killed earlier run left */
  int rc = sqlite3_open_v2(
      part, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK) {
    snprintf(msg, cap, "cannot create %s: %s", part,
             dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
    e = KC_EIO;
    goto out;
  }
  /* Open the snapshot: BEGIN is deferred, the first read takes it. */
  rc = sqlite3_exec(src, "BEGIN; SELECT COUNT(*) FROM sqlite_master;", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    snprintf(msg, cap, "cannot read %s: %s", src_path, sqlite3_errmsg(src));
    e = translate(rc) ? translate(rc) : KC_EINTERNAL;
    goto out;
  }
  b = sqlite3_backup_init(dst, "main", src, "main");
  if (!b) {
    snprintf(msg, cap, "cannot start the backup: %s", sqlite3_errmsg(dst));
    e = KC_EINTERNAL;
    goto out;
  }
  do {
    rc = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
    if (progress) {
      int total = sqlite3_backup_pagecount(b);
      progress(arg, total - sqlite3_backup_remaining(b), total);
    }
    /* The destination is private, so BUSY/LOCKED can only be transient: wait and retry. */
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      sqlite3_sleep(50);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  if (rc != SQLITE_DONE) {
    snprintf(msg, cap, "backup failed: %s", sqlite3_errstr(rc));
    e = translate(rc) ? translate(rc) : KC_EINTERNAL;
    goto out;
  }
  rc = sqlite3_backup_finish(b);
  b = NULL;
  if (rc != SQLITE_OK) {
    snprintf(msg, cap, "backup failed: %s", sqlite3_errmsg(dst));
    e = translate(rc) ? translate(rc) : KC_EINTERNAL;
    goto out;
  }
  /* The copy's pages were written by the destination's commit (synchronous=FULL by default
   * on this fresh connection), so it is on disk before the rename makes it visible. */
  rc = sqlite3_close(dst);
  dst = NULL;
  if (rc != SQLITE_OK) {
    snprintf(msg, cap, "cannot close %s: %s", part, sqlite3_errstr(rc));
    e = KC_EIO;
    goto out;
  }
  if (rename(part, dest)) {
    snprintf(msg, cap, "cannot rename %s to %s: %s", part, dest, strerror(errno));
    e = KC_EIO;
    goto out;
  }
  e = KC_OK;
out:
  if (b)
    sqlite3_backup_finish(b);
  sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
  sqlite3_close_v2(src);
  if (dst) {
    sqlite3_close_v2(dst);
  }
  if (e) {
    unlink(part);
    char side[PATH_MAX + 16];
    snprintf(side, sizeof side, "%s-journal", part);
    unlink(side);
  }
  return e;
}

const kc_store_driver kc_store__sqlite = {
    .name = "sqlite",
    .pk_type = "INTEGER PRIMARY KEY",
    .ctext_type = "TEXT", /* SQLite's default BINARY collation is memcmp */
    .begin_write = "BEGIN IMMEDIATE",
    .begin_read = "BEGIN",
    .open = sq_open,
    .close = sq_close,
    .conn_open = sq_conn_open,
    .conn_close = sq_conn_close,
    .errmsg = sq_errmsg,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .bind_i64 = sq_bind_i64,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .params = sq_params,
    .step = sq_step,
    .columns = sq_columns,
    .is_null = sq_is_null,
    .col_i64 = sq_col_i64,
    .col_text = sq_col_text,
    .changes = sq_changes,
    .col_name = sq_col_name,
    .col_is_int = sq_col_is_int,
    .list_tables = "SELECT name FROM sqlite_master WHERE type = 'table' "
                   "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    .reset_identity = NULL,
    .backup = sq_backup,
};
