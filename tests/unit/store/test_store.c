/* Unit tests of src/store: opening, migrations, the statement cache, binding and reading,
 * constraint errors, transactions and WAL isolation between two connections. Each test gets
 * a fresh SQLite file in its own temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/crypto.h"
#include "expect.h"
#include "store/store.h"

/* ---- assertions that print both values ------------------------------------------------- */

/* ---- fixture: a fresh database file per test ------------------------------------------- */

typedef struct fx {
  char dir[256];
  char path[320];
  kc_db *db;
  kc_conn *c;
} fx;

static int setup(void **state)
{
  if (kc_crypto_init() != KC_OK)
    return -1;
  fx *f = calloc(1, sizeof *f);
  const char *tmp = getenv("TMPDIR");
  snprintf(f->dir, sizeof f->dir, "%s/kc-test-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(f->dir))
    return -1;
  snprintf(f->path, sizeof f->path, "%s/kc.db", f->dir);
  char msg[256] = "";
  if (kc_db_open(f->path, &f->db, msg, sizeof msg) != KC_OK) {
    print_error("kc_db_open %s: %s\n", f->path, msg);
    return -1;
  }
  if (kc_conn_open(f->db, &f->c) != KC_OK)
    return -1;
  *state = f;
  return 0;
}

static void remove_db_files(const char *path)
{
  static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
  char p[400];
  for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
    snprintf(p, sizeof p, "%s%s", path, suffix[i]);
    unlink(p);
  }
}

static int teardown(void **state)
{
  fx *f = *state;
  kc_conn_close(f->c);
  kc_db_close(f->db);
  remove_db_files(f->path);
  rmdir(f->dir);
  free(f);
  return 0;
}

/* Runs a one-value query (a literal) and returns its integer. */
static int64_t scalar(kc_conn *c, const char *sql)
{
  kc_stmt *s;
  bool row = false;
  expect_err(kc_stmt_prepare(c, sql, &s), KC_OK);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  int64_t v = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  return v;
}

static void make_table(kc_conn *c)
{
  expect_err(kc_conn_exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, n BIGINT, s TEXT, "
                             "u TEXT UNIQUE, req TEXT NOT NULL DEFAULT 'x')"),
             KC_OK);
}

static void insert_u(kc_conn *c, const char *u)
{
  kc_stmt *s;
  expect_err(kc_stmt_prepare(c, "INSERT INTO t (u) VALUES (?)", &s), KC_OK);
  kc_stmt_bind_text(s, 1, u, -1);
  expect_err(kc_stmt_run(s), KC_OK);
}

/* ---- open and migrate ------------------------------------------------------------------ */

static void test_open_errors(void **state)
{
  (void)state;
  kc_db *db = (kc_db *)0x1;
  char msg[256] = "";
  expect_err(kc_db_open("/nonexistent-dir/sub/kc.db", &db, msg, sizeof msg), KC_EIO);
  assert_null(db);
  if (!strstr(msg, "/nonexistent-dir/sub/kc.db")) {
    print_error("message \"%s\" does not name the path\n", msg);
    fail();
  }
  /* A PostgreSQL URL nobody answers: an error with a message, *out NULL (port 1 refuses at
   * once, whether or not the build has the PostgreSQL driver). */
  db = (kc_db *)0x1;
  msg[0] = 0;
  kc_err e = kc_db_open("postgres://127.0.0.1:1/kc?connect_timeout=2", &db, msg, sizeof msg);
  if (e == KC_OK || !*msg) {
    print_error("opening an unreachable PostgreSQL URL: %s, message \"%s\"\n", kc_err_code(e), msg);
    fail();
  }
  assert_null(db);
  kc_db_close(NULL); /* NULL-safe */
  kc_conn_close(NULL);
  kc_conn_rollback(NULL);
}

static void test_open_sqlite_url(void **state)
{
  fx *f = *state;
  char url[400];
  snprintf(url, sizeof url, "sqlite://%s", f->path);
  kc_db *db;
  char msg[256] = "";
  expect_err(kc_db_open(url, &db, msg, sizeof msg), KC_OK);
  assert_string_equal(kc_db_backend(db), "sqlite");
  kc_conn *c;
  expect_err(kc_conn_open(db, &c), KC_OK);
  /* Same file as the fixture's connection: a table made on one is seen by the other. */
  make_table(f->c);
  insert_u(f->c, "a");
  expect_i64(scalar(c, "SELECT COUNT(*) FROM t"), 1);
  expect_i64(scalar(c, "PRAGMA foreign_keys"), 1);
  kc_conn_close(c);
  kc_db_close(db);
}

static void test_migrate(void **state)
{
  fx *f = *state;
  int latest = kc_store_latest_version();
  assert_true(latest >= 1);
  int v = -1;
  expect_err(kc_store_schema_version(f->c, &v), KC_OK);
  expect_i64(v, 0);
  int from = -1, to = -1;
  expect_err(kc_store_migrate(f->c, &from, &to), KC_OK);
  expect_i64(from, 0);
  expect_i64(to, latest);
  expect_err(kc_store_schema_version(f->c, &v), KC_OK);
  expect_i64(v, latest);
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM schema_version"), latest);
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM schema_version WHERE version = 1 AND "
                          "name = 'foundation' AND applied_at > 0"),
             1);
  /* The foundation's tables exist and the audit chain starts at the all-zero hash. */
  static const char *const tables[] = {"units",          "officials", "official_terms",
                                       "accounts",       "sessions",  "api_tokens",
                                       "login_attempts", "audit_log", "audit_head"};
  for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
    kc_stmt *s;
    bool row = false;
    expect_err(kc_stmt_prepare(
                   f->c, "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name=?", &s),
               KC_OK);
    kc_stmt_bind_text(s, 1, tables[i], -1);
    expect_err(kc_stmt_step(s, &row), KC_OK);
    if (!row || kc_stmt_i64(s, 0) != 1) {
      print_error("table %s missing after migration\n", tables[i]);
      fail();
    }
    kc_stmt_reset(s);
  }
  kc_stmt *s;
  bool row = false;
  expect_err(kc_stmt_prepare(f->c, "SELECT last_id, last_hash FROM audit_head", &s), KC_OK);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  expect_i64(kc_stmt_i64(s, 0), 0);
  assert_string_equal(kc_stmt_text(s, 1),
                      "0000000000000000000000000000000000000000000000000000000000000000");
  kc_stmt_reset(s);
  /* @PK@ was expanded: ids are assigned automatically. */
  expect_err(kc_conn_exec(f->c, "INSERT INTO login_attempts (username, addr, at, ok) "
                                "VALUES ('a', '1.2.3.4', 1, 0)"),
             KC_OK);
  expect_i64(scalar(f->c, "SELECT id FROM login_attempts"), 1);

  /* A second migrate is a no-op. */
  from = to = -1;
  expect_err(kc_store_migrate(f->c, &from, &to), KC_OK);
  expect_i64(from, latest);
  expect_i64(to, latest);
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM schema_version"), latest);
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM login_attempts"), 1);
  assert_false(kc_conn_in_tx(f->c));
  expect_err(kc_store_migrate(f->c, NULL, NULL), KC_OK); /* from/to may be NULL */

  /* A new connection (as after a restart) sees the migrated schema. */
  kc_conn *c2;
  expect_err(kc_conn_open(f->db, &c2), KC_OK);
  expect_err(kc_store_schema_version(c2, &v), KC_OK);
  expect_i64(v, latest);
  expect_err(kc_store_migrate(c2, &from, &to), KC_OK);
  expect_i64(from, latest);
  expect_i64(to, latest);
  kc_conn_close(c2);
}

/* ---- statements ------------------------------------------------------------------------ */

static void test_prepare_cache(void **state)
{
  fx *f = *state;
  make_table(f->c);
  static const char q1[] = "SELECT COUNT(*) FROM t";
  static const char q2[] = "SELECT COUNT(*) FROM t WHERE u IS NOT NULL";
  kc_stmt *a, *b, *c;
  expect_err(kc_stmt_prepare(f->c, q1, &a), KC_OK);
  expect_err(kc_stmt_prepare(f->c, q1, &b), KC_OK);
  assert_ptr_equal(a, b);
  expect_err(kc_stmt_prepare(f->c, q2, &c), KC_OK);
  assert_ptr_not_equal(a, c);

  /* Enough distinct statements to grow the cache several times; each keeps its identity. */
  enum { N = 300 };
  static char sql[N][48];
  static kc_stmt *first[N];
  for (int i = 0; i < N; i++) {
    snprintf(sql[i], sizeof sql[i], "SELECT %d + ?", i);
    expect_err(kc_stmt_prepare(f->c, sql[i], &first[i]), KC_OK);
  }
  for (int i = 0; i < N; i++) {
    kc_stmt *s;
    expect_err(kc_stmt_prepare(f->c, sql[i], &s), KC_OK);
    if (s != first[i]) {
      print_error("statement %d (\"%s\") was %p, now %p\n", i, sql[i], (void *)first[i], (void *)s);
      fail();
    }
    bool row = false;
    kc_stmt_bind_i64(s, 1, 1000);
    expect_err(kc_stmt_step(s, &row), KC_OK);
    assert_true(row);
    expect_i64(kc_stmt_i64(s, 0), 1000 + i);
  }
  expect_err(kc_stmt_prepare(f->c, q1, &b), KC_OK);
  assert_ptr_equal(a, b);
}

static void test_prepare_resets(void **state)
{
  fx *f = *state;
  make_table(f->c);
  insert_u(f->c, "a");
  insert_u(f->c, "b");
  insert_u(f->c, "c");
  static const char q[] = "SELECT u, ? FROM t ORDER BY u";
  kc_stmt *s;
  bool row;
  expect_err(kc_stmt_prepare(f->c, q, &s), KC_OK);
  kc_stmt_bind_i64(s, 1, 7);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  assert_string_equal(kc_stmt_text(s, 0), "a");
  expect_i64(kc_stmt_i64(s, 1), 7);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_string_equal(kc_stmt_text(s, 0), "b");
  /* Preparing again, mid-iteration, restarts the statement with its bindings cleared. */
  expect_err(kc_stmt_prepare(f->c, q, &s), KC_OK);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  assert_string_equal(kc_stmt_text(s, 0), "a");
  assert_true(kc_stmt_is_null(s, 1));
  expect_err(kc_stmt_step(s, &row), KC_OK);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  assert_string_equal(kc_stmt_text(s, 0), "c");
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_false(row);
  kc_stmt_reset(s);
}

static void test_prepare_error(void **state)
{
  fx *f = *state;
  static const char bad[] = "SELEKT nothing FROM nowhere";
  kc_stmt *s = NULL;
  kc_err e = kc_stmt_prepare(f->c, bad, &s);
  if (e == KC_OK) {
    print_error("preparing \"%s\" succeeded\n", bad);
    fail();
  }
  assert_true(strlen(kc_conn_errmsg(f->c)) > 0);
  /* A failed statement is not cached: it fails again rather than returning a stale slot. */
  assert_int_not_equal(kc_stmt_prepare(f->c, bad, &s), KC_OK);
  static const char missing[] = "SELECT * FROM no_such_table";
  assert_int_not_equal(kc_stmt_prepare(f->c, missing, &s), KC_OK);
  /* Once the table exists the same text prepares. */
  expect_err(kc_conn_exec(f->c, "CREATE TABLE no_such_table (x INTEGER)"), KC_OK);
  expect_err(kc_stmt_prepare(f->c, missing, &s), KC_OK);
  assert_int_not_equal(kc_conn_exec(f->c, "CREATE TABLE broken ("), KC_OK);
}

/* kc_stmt_bind_vals binds ?1..?n in order from one list, NULL for KC_NULL and the KC_OPT_*
 * values that are absent; kc_stmt_params counts the placeholders it checks against. */
static void test_bind_vals(void **state)
{
  fx *f = *state;
  make_table(f->c);
  kc_stmt *s;
  static const char ins[] = "INSERT INTO t (id, n, s, u) VALUES (?, ?, ?, ?)";
  const char *none = NULL;
  expect_err(kc_stmt_prepare(f->c, ins, &s), KC_OK);
  expect_i64(kc_stmt_params(s), 4);
  kc_stmt_bind_vals(s, KC_I64(1), KC_OPT_I64(0, 0), KC_TXT("Hà Nội"), KC_OPT_TXT(none));
  expect_err(kc_stmt_run(s), KC_OK);
  expect_err(kc_stmt_prepare(f->c, ins, &s), KC_OK);
  kc_stmt_bind_vals(s, KC_I64(2), KC_OPT_I64(7, 0), KC_NULL, KC_OPT_TXT("u2"));
  expect_err(kc_stmt_run(s), KC_OK);
  expect_err(kc_stmt_prepare(f->c, "SELECT id, n, s, u FROM t WHERE id >= ? ORDER BY id", &s),
             KC_OK);
  expect_i64(kc_stmt_params(s), 1);
  kc_stmt_bind_vals(s, KC_I64(1));
  bool row;
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  assert_true(kc_stmt_is_null(s, 1));
  assert_string_equal(kc_stmt_text(s, 2), "Hà Nội");
  assert_true(kc_stmt_is_null(s, 3));
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  expect_i64(kc_stmt_i64(s, 1), 7);
  assert_true(kc_stmt_is_null(s, 2));
  assert_string_equal(kc_stmt_text(s, 3), "u2");
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_false(row);
  kc_stmt_reset(s);
}

static void test_bind_and_columns(void **state)
{
  fx *f = *state;
  make_table(f->c);
  static const char ins[] = "INSERT INTO t (id, n, s, u) VALUES (?, ?, ?, ?)";
  static const struct {
    int64_t id, n;
    const char *s;
    long len;
    const char *u;
    const char *want_s; /* NULL: stored NULL */
  } rows[] = {
      {1, INT64_MAX, "Hà Nội", -1, "u1", "Hà Nội"},
      {2, INT64_MIN, "abcdef", 3, "u2", "abc"},
      {3, 0, NULL, 0, NULL, NULL},
      {4, -1, "", -1, "u4", ""},
  };
  kc_stmt *s;
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    expect_err(kc_stmt_prepare(f->c, ins, &s), KC_OK);
    kc_stmt_bind_i64(s, 1, rows[i].id);
    kc_stmt_bind_i64(s, 2, rows[i].n);
    if (rows[i].s)
      kc_stmt_bind_text(s, 3, rows[i].s, rows[i].len);
    else
      kc_stmt_bind_null(s, 3);
    kc_stmt_bind_opt_text(s, 4, rows[i].u);
    expect_err(kc_stmt_run(s), KC_OK);
    expect_i64(kc_stmt_changes(s), 1);
  }
  /* Text binds are copies: changing the caller's buffer afterwards changes nothing. */
  char buf[16] = "copied";
  expect_err(kc_stmt_prepare(f->c, ins, &s), KC_OK);
  kc_stmt_bind_i64(s, 1, 5);
  kc_stmt_bind_i64(s, 2, 5);
  kc_stmt_bind_text(s, 3, buf, -1);
  kc_stmt_bind_opt_text(s, 4, "u5");
  bool row;
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_false(row);
  memcpy(buf, "changed", 8);
  kc_stmt_reset(s);

  static const char sel[] = "SELECT id, n, s, u FROM t ORDER BY id";
  expect_err(kc_stmt_prepare(f->c, sel, &s), KC_OK);
  expect_i64(kc_stmt_columns(s), 4);
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    expect_err(kc_stmt_step(s, &row), KC_OK);
    assert_true(row);
    expect_i64(kc_stmt_i64(s, 0), rows[i].id);
    expect_i64(kc_stmt_i64(s, 1), rows[i].n);
    assert_false(kc_stmt_is_null(s, 1));
    if (rows[i].want_s) {
      assert_false(kc_stmt_is_null(s, 2));
      assert_string_equal(kc_stmt_text(s, 2), rows[i].want_s);
    } else {
      assert_true(kc_stmt_is_null(s, 2));
      assert_string_equal(kc_stmt_text(s, 2), ""); /* NULL reads as "" */
    }
    assert_int_equal(kc_stmt_is_null(s, 3), rows[i].u == NULL);
    assert_string_equal(kc_stmt_text(s, 3), rows[i].u ? rows[i].u : "");
  }
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  assert_string_equal(kc_stmt_text(s, 2), "copied");
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_false(row); /* done */
  kc_stmt_reset(s);

  /* changes counts the rows of the last write on the connection. */
  expect_err(kc_stmt_prepare(f->c, "UPDATE t SET n = n WHERE id >= ?", &s), KC_OK);
  kc_stmt_bind_i64(s, 1, 3);
  expect_err(kc_stmt_run(s), KC_OK);
  expect_i64(kc_stmt_changes(s), 3);
  expect_err(kc_stmt_prepare(f->c, "DELETE FROM t WHERE id > ?", &s), KC_OK);
  kc_stmt_bind_i64(s, 1, 100);
  expect_err(kc_stmt_run(s), KC_OK);
  expect_i64(kc_stmt_changes(s), 0);
}

static void test_constraint_conflicts(void **state)
{
  fx *f = *state;
  make_table(f->c);
  insert_u(f->c, "dup");
  kc_stmt *s;
  expect_err(kc_stmt_prepare(f->c, "INSERT INTO t (u) VALUES (?)", &s), KC_OK);
  kc_stmt_bind_text(s, 1, "dup", -1);
  expect_err(kc_stmt_run(s), KC_ECONFLICT);
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM t"), 1);
  /* The statement is usable again after the conflict. */
  insert_u(f->c, "other");
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM t"), 2);
  /* UNIQUE through step, NOT NULL, and a primary key clash are conflicts too. */
  bool row = true;
  expect_err(kc_stmt_prepare(f->c, "INSERT INTO t (u) VALUES (?) RETURNING id", &s), KC_OK);
  kc_stmt_bind_text(s, 1, "other", -1);
  expect_err(kc_stmt_step(s, &row), KC_ECONFLICT);
  assert_false(row);
  kc_stmt_reset(s);
  expect_err(kc_stmt_prepare(f->c, "INSERT INTO t (u, req) VALUES ('z', ?)", &s), KC_OK);
  kc_stmt_bind_null(s, 1);
  expect_err(kc_stmt_run(s), KC_ECONFLICT);
  expect_err(kc_stmt_prepare(f->c, "INSERT INTO t (id) VALUES (?)", &s), KC_OK);
  kc_stmt_bind_i64(s, 1, 1);
  expect_err(kc_stmt_run(s), KC_ECONFLICT);
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM t"), 2);

  /* Foreign keys and CHECK constraints of the real schema are enforced. */
  expect_err(kc_store_migrate(f->c, NULL, NULL), KC_OK);
  expect_err(kc_stmt_prepare(f->c,
                             "INSERT INTO units (code, name, name_fold, name_sort, kind, "
                             "parent_id, path, depth, created_at, updated_at) "
                             "VALUES ('X', 'X', 'x', 'x', ?, ?, '/1/', 0, 0, 0)",
                             &s),
             KC_OK);
  kc_stmt_bind_text(s, 1, "district", -1);
  kc_stmt_bind_i64(s, 2, 999); /* no such parent */
  expect_err(kc_stmt_run(s), KC_ECONFLICT);
  expect_err(kc_stmt_prepare(f->c,
                             "INSERT INTO units (code, name, name_fold, name_sort, kind, "
                             "parent_id, path, depth, created_at, updated_at) "
                             "VALUES ('X', 'X', 'x', 'x', ?, ?, '/1/', 0, 0, 0)",
                             &s),
             KC_OK);
  kc_stmt_bind_text(s, 1, "province", -1); /* not a kind */
  kc_stmt_bind_null(s, 2);
  expect_err(kc_stmt_run(s), KC_ECONFLICT);
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM units"), 0);
}

/* ---- transactions ---------------------------------------------------------------------- */

static void test_transactions(void **state)
{
  fx *f = *state;
  make_table(f->c);
  assert_false(kc_conn_in_tx(f->c));
  expect_err(kc_conn_commit(f->c), KC_EINTERNAL); /* nothing to commit */
  kc_conn_rollback(f->c);                         /* no-op outside a transaction */

  /* begin / rollback leaves nothing. */
  expect_err(kc_conn_begin(f->c, true), KC_OK);
  assert_true(kc_conn_in_tx(f->c));
  expect_err(kc_conn_begin(f->c, true), KC_EINTERNAL); /* no nesting */
  expect_err(kc_conn_begin(f->c, false), KC_EINTERNAL);
  assert_true(kc_conn_in_tx(f->c));
  insert_u(f->c, "rolled back");
  insert_u(f->c, "rolled back 2");
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM t"), 2); /* visible inside */
  kc_conn_rollback(f->c);
  assert_false(kc_conn_in_tx(f->c));
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM t"), 0);

  /* begin / commit persists, also for a new connection. */
  expect_err(kc_conn_begin(f->c, true), KC_OK);
  insert_u(f->c, "kept");
  expect_err(kc_conn_commit(f->c), KC_OK);
  assert_false(kc_conn_in_tx(f->c));
  kc_conn *c2;
  expect_err(kc_conn_open(f->db, &c2), KC_OK);
  expect_i64(scalar(c2, "SELECT COUNT(*) FROM t WHERE u = 'kept'"), 1);

  /* A read transaction. */
  expect_err(kc_conn_begin(c2, false), KC_OK);
  assert_true(kc_conn_in_tx(c2));
  expect_i64(scalar(c2, "SELECT COUNT(*) FROM t"), 1);
  expect_err(kc_conn_commit(c2), KC_OK);
  assert_false(kc_conn_in_tx(c2));

  /* Closing a connection inside a transaction rolls it back. */
  expect_err(kc_conn_begin(c2, true), KC_OK);
  insert_u(c2, "lost on close");
  kc_conn_close(c2);
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM t"), 1);

  /* A failed statement inside a transaction does not end it. */
  expect_err(kc_conn_begin(f->c, true), KC_OK);
  insert_u(f->c, "first");
  kc_stmt *s;
  expect_err(kc_stmt_prepare(f->c, "INSERT INTO t (u) VALUES (?)", &s), KC_OK);
  kc_stmt_bind_text(s, 1, "first", -1);
  expect_err(kc_stmt_run(s), KC_ECONFLICT);
  assert_true(kc_conn_in_tx(f->c));
  expect_err(kc_conn_commit(f->c), KC_OK);
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM t"), 2);
}

static void test_wal_isolation(void **state)
{
  fx *f = *state;
  make_table(f->c);
  insert_u(f->c, "before");
  kc_conn *b;
  expect_err(kc_conn_open(f->db, &b), KC_OK);
  kc_stmt *s;
  bool row;
  expect_err(kc_stmt_prepare(b, "PRAGMA journal_mode", &s), KC_OK);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_string_equal(kc_stmt_text(s, 0), "wal");
  kc_stmt_reset(s);

  expect_err(kc_conn_begin(f->c, true), KC_OK);
  insert_u(f->c, "uncommitted");
  /* The writer does not block readers, and they do not see its changes. */
  expect_i64(scalar(b, "SELECT COUNT(*) FROM t"), 1);
  /* A reader's transaction keeps its snapshot across the writer's commit. */
  expect_err(kc_conn_begin(b, false), KC_OK);
  expect_i64(scalar(b, "SELECT COUNT(*) FROM t"), 1);
  expect_err(kc_conn_commit(f->c), KC_OK);
  expect_i64(scalar(b, "SELECT COUNT(*) FROM t"), 1);
  expect_err(kc_conn_commit(b), KC_OK);
  /* After its snapshot ends, the reader sees the committed row. */
  expect_i64(scalar(b, "SELECT COUNT(*) FROM t"), 2);
  expect_i64(scalar(b, "SELECT COUNT(*) FROM t WHERE u = 'uncommitted'"), 1);
  kc_conn_close(b);
}

typedef struct waiter {
  kc_conn *c;
  kc_err begin_rc;
  int64_t waited_ms;
  int64_t seen;
} waiter;

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *second_writer(void *arg)
{
  waiter *w = arg;
  int64_t t0 = now_ms();
  w->begin_rc = kc_conn_begin(w->c, true);
  w->waited_ms = now_ms() - t0;
  if (w->begin_rc == KC_OK) {
    kc_stmt *s;
    bool row = false;
    if (kc_stmt_prepare(w->c, "SELECT COUNT(*) FROM t WHERE u = 'first writer'", &s) == KC_OK &&
        kc_stmt_step(s, &row) == KC_OK && row)
      w->seen = kc_stmt_i64(s, 0);
    kc_stmt_reset(s);
    if (kc_conn_commit(w->c) != KC_OK)
      w->begin_rc = KC_EINTERNAL;
  }
  return NULL;
}

static void test_write_lock_blocks_second_writer(void **state)
{
  fx *f = *state;
  make_table(f->c);
  waiter w = {.seen = -1};
  expect_err(kc_conn_open(f->db, &w.c), KC_OK);
  expect_err(kc_conn_begin(f->c, true), KC_OK);
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, second_writer, &w), 0);
  /* Hold the write lock for 300 ms, then commit; the second BEGIN IMMEDIATE queues on the
   * busy timeout meanwhile and then sees the first writer's row. */
  usleep(300 * 1000);
  insert_u(f->c, "first writer");
  expect_err(kc_conn_commit(f->c), KC_OK);
  assert_int_equal(pthread_join(th, NULL), 0);
  expect_err(w.begin_rc, KC_OK);
  if (w.waited_ms < 200) {
    print_error("second BEGIN IMMEDIATE returned after %" PRId64 " ms; expected it to wait "
                "for the first writer (~300 ms)\n",
                w.waited_ms);
    fail();
  }
  expect_i64(w.seen, 1);
  kc_conn_close(w.c);
}

static void test_db_nanos(void **state)
{
  fx *f = *state;
  kc_conn *c;
  expect_err(kc_conn_open(f->db, &c), KC_OK);
  expect_i64(kc_conn_db_nanos(c), 0);
  make_table(c);
  uint64_t t1 = kc_conn_db_nanos(c);
  assert_true(t1 > 0);
  insert_u(c, "a");
  uint64_t t2 = kc_conn_db_nanos(c);
  if (t2 <= t1) {
    print_error("db nanos did not grow: %" PRIu64 " then %" PRIu64 "\n", t1, t2);
    fail();
  }
  (void)scalar(c, "SELECT COUNT(*) FROM t");
  uint64_t t3 = kc_conn_db_nanos(c);
  if (t3 <= t2) {
    print_error("db nanos did not grow: %" PRIu64 " then %" PRIu64 "\n", t2, t3);
    fail();
  }
  /* Time is per connection. */
  uint64_t other = kc_conn_db_nanos(f->c);
  (void)scalar(c, "SELECT COUNT(*) FROM t");
  expect_i64(kc_conn_db_nanos(f->c), other);
  kc_conn_close(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_open_errors),
      cmocka_unit_test_setup_teardown(test_open_sqlite_url, setup, teardown),
      cmocka_unit_test_setup_teardown(test_migrate, setup, teardown),
      cmocka_unit_test_setup_teardown(test_prepare_cache, setup, teardown),
      cmocka_unit_test_setup_teardown(test_prepare_resets, setup, teardown),
      cmocka_unit_test_setup_teardown(test_prepare_error, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bind_and_columns, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bind_vals, setup, teardown),
      cmocka_unit_test_setup_teardown(test_constraint_conflicts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wal_isolation, setup, teardown),
      cmocka_unit_test_setup_teardown(test_write_lock_blocks_second_writer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_db_nanos, setup, teardown),
  };
  return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
