/* Unit tests of the PostgreSQL driver (src/store/store_pg.c) against a real server: migrations
 * (also from two connections at once), binding and reading, constraint errors, transactions,
 * placeholder rewriting, and reconnecting after the server ends the session. Each test gets a
 * fresh database on the server named by KC_TEST_DB_URL_BASE (scripts/pg.sh start prints one);
 * without it every test is skipped. */
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

#include "store/store.h"

/* ---- assertions that print both values ------------------------------------------------- */

#define expect_i64(actual, expected)                                                               \
  do {                                                                                             \
    int64_t a_ = (int64_t)(actual), e_ = (int64_t)(expected);                                      \
    if (a_ != e_) {                                                                                \
      print_error("%s:%d: %s is %" PRId64 ", expected %" PRId64 "\n", __FILE__, __LINE__, #actual, \
                  a_, e_);                                                                         \
      fail();                                                                                      \
    }                                                                                              \
  } while (0)

#define expect_err(actual, expected)                                                               \
  do {                                                                                             \
    kc_err a_ = (actual), e_ = (expected);                                                         \
    if (a_ != e_) {                                                                                \
      print_error("%s:%d: %s returned %s, expected %s\n", __FILE__, __LINE__, #actual,             \
                  kc_err_code(a_), kc_err_code(e_));                                               \
      fail();                                                                                      \
    }                                                                                              \
  } while (0)

#define expect_str(actual, expected)                                                               \
  do {                                                                                             \
    const char *a_ = (actual), *e_ = (expected);                                                   \
    if (strcmp(a_, e_)) {                                                                          \
      print_error("%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual, a_, e_);  \
      fail();                                                                                      \
    }                                                                                              \
  } while (0)

/* ---- fixture: a fresh database per test ------------------------------------------------- */

static const char *base_url(void)
{
  const char *b = getenv("KC_TEST_DB_URL_BASE");
  return b && *b ? b : NULL;
}

typedef struct fx {
  char name[64];
  char url[512];
  kc_db *db;
  kc_conn *c;
} fx;

/* Runs one statement on the server's maintenance database (CREATE/DROP DATABASE cannot run
 * inside the database they name, nor in a transaction). */
static int admin_exec(const char *sql)
{
  char url[512], msg[256] = "";
  snprintf(url, sizeof url, "%s/postgres", base_url());
  kc_db *db = NULL;
  kc_conn *c = NULL;
  int rc = -1;
  if (kc_db_open(url, &db, msg, sizeof msg) != KC_OK) {
    print_error("kc_db_open %s: %s\n", url, msg);
    goto out;
  }
  if (kc_conn_open(db, &c) != KC_OK)
    goto out;
  if (kc_conn_exec(c, sql) != KC_OK) {
    print_error("%s: %s\n", sql, kc_conn_errmsg(c));
    goto out;
  }
  rc = 0;
out:
  kc_conn_close(c);
  kc_db_close(db);
  return rc;
}

static int setup(void **state)
{
  *state = NULL;
  if (!base_url())
    return 0; /* each test skips */
  fx *f = calloc(1, sizeof *f);
  static unsigned seq;
  snprintf(f->name, sizeof f->name, "kc_unit_%d_%u_%ld", (int)getpid(), ++seq,
           (long)time(NULL) % 100000);
  char sql[128];
  snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->name);
  if (admin_exec(sql)) {
    free(f);
    return -1;
  }
  snprintf(f->url, sizeof f->url, "%s/%s", base_url(), f->name);
  char msg[256] = "";
  if (kc_db_open(f->url, &f->db, msg, sizeof msg) != KC_OK) {
    print_error("kc_db_open %s: %s\n", f->url, msg);
    return -1;
  }
  if (kc_conn_open(f->db, &f->c) != KC_OK)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  if (!f)
    return 0;
  kc_conn_close(f->c);
  kc_db_close(f->db);
  char sql[128];
  snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->name);
  int rc = admin_exec(sql);
  free(f);
  return rc;
}

/* The test's fixture; skips the test when no server is configured. */
static fx *get(void **state)
{
  fx *f = *state;
  if (!f)
    skip();
  return f;
}

/* ---- helpers ---------------------------------------------------------------------------- */

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
  expect_err(kc_conn_exec(c, "CREATE TABLE kv (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
                             "PRIMARY KEY, k TEXT NOT NULL UNIQUE, n BIGINT, t TEXT)"),
             KC_OK);
}

static void insert_k(kc_conn *c, const char *k, kc_err want)
{
  kc_stmt *s;
  expect_err(kc_stmt_prepare(c, "INSERT INTO kv (k) VALUES (?)", &s), KC_OK);
  kc_stmt_bind_text(s, 1, k, -1);
  expect_err(kc_stmt_run(s), want);
}

static int64_t count_kv(kc_conn *c)
{
  return scalar(c, "SELECT COUNT(*) FROM kv");
}

/* ---- tests ------------------------------------------------------------------------------ */

static void test_migrate(void **state)
{
  fx *f = get(state);
  expect_str(kc_db_backend(f->db), "postgres");
  int from = -1, to = -1;
  expect_err(kc_store_migrate(f->c, &from, &to), KC_OK);
  expect_i64(from, 0);
  expect_i64(to, kc_store_latest_version());
  /* Twice is a no-op. */
  expect_err(kc_store_migrate(f->c, &from, &to), KC_OK);
  expect_i64(from, kc_store_latest_version());
  expect_i64(to, kc_store_latest_version());
  /* The dialect macros were expanded: identity keys and bytewise ("C") ordering. */
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM audit_head"), 1);
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM information_schema.columns WHERE "
                          "table_name = 'units' AND column_name = 'id' AND is_identity = 'YES'"),
             1);
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM information_schema.columns WHERE "
                          "table_name = 'units' AND column_name = 'path' AND collation_name = 'C'"),
             1);
  /* This connection released its advisory lock afterwards (other tests' servers may hold
   * theirs on the same PostgreSQL server at this moment, so count only our own). */
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND "
                          "pid = pg_backend_pid()"),
             0);
}

typedef struct mig_arg {
  kc_db *db;
  kc_err e;
  int from, to;
} mig_arg;

static void *migrate_thread(void *p)
{
  mig_arg *a = p;
  kc_conn *c = NULL;
  a->e = kc_conn_open(a->db, &c);
  if (!a->e)
    a->e = kc_store_migrate(c, &a->from, &a->to);
  kc_conn_close(c);
  return NULL;
}

/* Several servers starting at once: one migrates, the others wait and find nothing to do. */
static void test_migrate_concurrently(void **state)
{
  fx *f = get(state);
  enum { N = 4 };
  mig_arg a[N];
  pthread_t t[N];
  for (int i = 0; i < N; i++) {
    a[i] = (mig_arg){.db = f->db, .from = -1, .to = -1};
    assert_int_equal(pthread_create(&t[i], NULL, migrate_thread, &a[i]), 0);
  }
  int fresh = 0;
  for (int i = 0; i < N; i++) {
    pthread_join(t[i], NULL);
    expect_err(a[i].e, KC_OK);
    expect_i64(a[i].to, kc_store_latest_version());
    fresh += a[i].from == 0;
  }
  expect_i64(fresh, 1);
  expect_i64(scalar(f->c, "SELECT COUNT(*) FROM schema_version"), kc_store_latest_version());
}

/* kc_stmt_bind_vals binds $1..$n in order from one list (the `?` rewritten), NULL for KC_NULL
 * and the KC_OPT_* values that are absent; kc_stmt_params counts the placeholders. */
static void test_bind_vals(void **state)
{
  fx *f = get(state);
  make_table(f->c);
  kc_stmt *s;
  static const char ins[] = "INSERT INTO kv (id, k, n, t) VALUES (?, ?, ?, ?)";
  const char *none = NULL;
  expect_err(kc_stmt_prepare(f->c, ins, &s), KC_OK);
  expect_i64(kc_stmt_params(s), 4);
  kc_stmt_bind_vals(s, KC_I64(1), KC_TXT("Hà Nội"), KC_OPT_I64(0, 0), KC_OPT_TXT(none));
  expect_err(kc_stmt_run(s), KC_OK);
  expect_err(kc_stmt_prepare(f->c, ins, &s), KC_OK);
  kc_stmt_bind_vals(s, KC_I64(2), KC_TXT("k2"), KC_OPT_I64(7, 0), KC_NULL);
  expect_err(kc_stmt_run(s), KC_OK);
  expect_err(kc_stmt_prepare(f->c, "SELECT id, k, n, t FROM kv WHERE id >= ? ORDER BY id", &s),
             KC_OK);
  expect_i64(kc_stmt_params(s), 1);
  kc_stmt_bind_vals(s, KC_I64(1));
  bool row;
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  assert_string_equal(kc_stmt_text(s, 1), "Hà Nội");
  assert_true(kc_stmt_is_null(s, 2));
  assert_true(kc_stmt_is_null(s, 3));
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  expect_i64(kc_stmt_i64(s, 2), 7);
  assert_true(kc_stmt_is_null(s, 3));
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_false(row);
  kc_stmt_reset(s);
}

static void test_bind_and_columns(void **state)
{
  fx *f = get(state);
  make_table(f->c);
  kc_stmt *s;
  bool row;
  static const char ins[] = "INSERT INTO kv (k, n, t) VALUES (?, ?, ?) RETURNING id, n, t";
  static const struct {
    const char *k;
    int64_t n;
    const char *t;
  } rows[] = {{"max", INT64_MAX, "Nguyễn Thị Ánh"}, {"min", INT64_MIN, ""}, {"zero", 0, NULL}};
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    expect_err(kc_stmt_prepare(f->c, ins, &s), KC_OK);
    kc_stmt_bind_text(s, 1, rows[i].k, -1);
    kc_stmt_bind_i64(s, 2, rows[i].n);
    kc_stmt_bind_opt_text(s, 3, rows[i].t);
    expect_err(kc_stmt_step(s, &row), KC_OK);
    assert_true(row);
    expect_i64(kc_stmt_columns(s), 3);
    expect_i64(kc_stmt_i64(s, 0), (int64_t)i + 1);
    expect_i64(kc_stmt_i64(s, 1), rows[i].n);
    expect_i64(kc_stmt_is_null(s, 2), rows[i].t == NULL);
    expect_str(kc_stmt_text(s, 2), rows[i].t ? rows[i].t : "");
    expect_err(kc_stmt_step(s, &row), KC_OK);
    assert_false(row);
    expect_i64(kc_stmt_changes(s), 1);
    kc_stmt_reset(s);
  }
  /* A length-limited text binding; NULL integers; rows in order. */
  expect_err(kc_stmt_prepare(f->c, "UPDATE kv SET t = ?, n = ? WHERE k <> ?", &s), KC_OK);
  kc_stmt_bind_text(s, 1, "abcdef", 3);
  kc_stmt_bind_null(s, 2);
  kc_stmt_bind_text(s, 3, "max", -1);
  expect_err(kc_stmt_run(s), KC_OK);
  expect_i64(kc_stmt_changes(s), 2);
  expect_err(kc_stmt_prepare(f->c, "SELECT k, n, t FROM kv ORDER BY k", &s), KC_OK);
  const char *want[] = {"max", "min", "zero"};
  for (int i = 0; i < 3; i++) {
    expect_err(kc_stmt_step(s, &row), KC_OK);
    assert_true(row);
    expect_str(kc_stmt_text(s, 0), want[i]);
    expect_i64(kc_stmt_is_null(s, 1), i > 0);
    if (i > 0)
      expect_str(kc_stmt_text(s, 2), "abc");
  }
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_false(row);
  /* A SELECT leaves changes() at the last write's count, as SQLite does. */
  expect_i64(kc_stmt_changes(s), 2);
  kc_stmt_reset(s);
  /* The cache hands back the same statement, its bindings cleared (unbound is NULL). */
  kc_stmt *again;
  static const char q[] = "SELECT CAST(? AS BIGINT) IS NULL, COALESCE(?, 'none')";
  expect_err(kc_stmt_prepare(f->c, q, &s), KC_OK);
  kc_stmt_bind_i64(s, 1, 7);
  kc_stmt_bind_text(s, 2, "x", -1);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  expect_i64(kc_stmt_i64(s, 0), 0); /* booleans read as 0/1 */
  expect_str(kc_stmt_text(s, 1), "x");
  expect_err(kc_stmt_prepare(f->c, q, &again), KC_OK);
  assert_ptr_equal(again, s);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  expect_i64(kc_stmt_i64(s, 0), 1);
  expect_str(kc_stmt_text(s, 1), "none");
  kc_stmt_reset(s);
}

static void test_errors(void **state)
{
  fx *f = get(state);
  make_table(f->c);
  insert_k(f->c, "a", KC_OK);
  /* unique (23505), not null (23502), check (23514), foreign key (23503) */
  insert_k(f->c, "a", KC_ECONFLICT);
  if (!strstr(kc_conn_errmsg(f->c), "duplicate key")) {
    print_error("errmsg: %s\n", kc_conn_errmsg(f->c));
    fail();
  }
  kc_stmt *s;
  expect_err(kc_stmt_prepare(f->c, "INSERT INTO kv (k) VALUES (?)", &s), KC_OK);
  kc_stmt_bind_null(s, 1);
  expect_err(kc_stmt_run(s), KC_ECONFLICT);
  expect_err(kc_conn_exec(f->c, "CREATE TABLE c (x INTEGER CHECK (x > 0), "
                                "kv_id BIGINT REFERENCES kv(id))"),
             KC_OK);
  expect_err(kc_conn_exec(f->c, "INSERT INTO c (x) VALUES (0)"), KC_ECONFLICT);
  expect_err(kc_conn_exec(f->c, "INSERT INTO c (x, kv_id) VALUES (1, 999)"), KC_ECONFLICT);
  /* A bad statement fails at prepare, with the server's message; other errors are internal. */
  expect_err(kc_stmt_prepare(f->c, "SELEC 1", &s), KC_EINTERNAL);
  if (!strstr(kc_conn_errmsg(f->c), "syntax error")) {
    print_error("errmsg: %s\n", kc_conn_errmsg(f->c));
    fail();
  }
  expect_err(kc_stmt_prepare(f->c, "SELECT 1 / (? - 1)", &s), KC_OK);
  kc_stmt_bind_i64(s, 1, 1);
  bool row;
  expect_err(kc_stmt_step(s, &row), KC_EINTERNAL);
  kc_stmt_reset(s);
  /* The connection is still usable. */
  expect_i64(count_kv(f->c), 1);
}

static void test_transactions(void **state)
{
  fx *f = get(state);
  make_table(f->c);
  kc_conn *c2 = NULL;
  expect_err(kc_conn_open(f->db, &c2), KC_OK);

  expect_err(kc_conn_begin(f->c, true), KC_OK);
  assert_true(kc_conn_in_tx(f->c));
  expect_err(kc_conn_begin(f->c, true), KC_EINTERNAL); /* no nesting */
  insert_k(f->c, "a", KC_OK);
  expect_i64(count_kv(f->c), 1);
  expect_i64(count_kv(c2), 0); /* not visible before commit */
  kc_conn_rollback(f->c);
  assert_false(kc_conn_in_tx(f->c));
  expect_i64(count_kv(f->c), 0);

  expect_err(kc_conn_begin(f->c, true), KC_OK);
  insert_k(f->c, "b", KC_OK);
  expect_err(kc_conn_commit(f->c), KC_OK);
  expect_i64(count_kv(c2), 1);

  /* A failed statement aborts the transaction; rollback makes the connection usable. */
  expect_err(kc_conn_begin(f->c, true), KC_OK);
  insert_k(f->c, "b", KC_ECONFLICT);
  insert_k(f->c, "c", KC_EINTERNAL); /* 25P02: current transaction is aborted */
  kc_conn_rollback(f->c);
  insert_k(f->c, "c", KC_OK);

  /* A read transaction sees one snapshot and may not write. */
  expect_err(kc_conn_begin(c2, false), KC_OK);
  expect_i64(count_kv(c2), 2);
  insert_k(f->c, "d", KC_OK);
  expect_i64(count_kv(c2), 2);
  expect_err(kc_conn_commit(c2), KC_OK);
  expect_i64(count_kv(c2), 3);
  expect_err(kc_conn_begin(c2, false), KC_OK);
  insert_k(c2, "e", KC_EINTERNAL);
  kc_conn_rollback(c2);

  /* A versioned update that finds another writer's newer row changes nothing: changes() is
   * 0, which the domain turns into a 409. */
  expect_err(kc_conn_begin(f->c, true), KC_OK);
  kc_stmt *s;
  expect_err(kc_stmt_prepare(f->c, "UPDATE kv SET n = COALESCE(n, 0) + 1 WHERE k = ?", &s), KC_OK);
  kc_stmt_bind_text(s, 1, "b", -1);
  expect_err(kc_stmt_run(s), KC_OK);
  expect_err(kc_conn_commit(f->c), KC_OK);
  expect_err(kc_stmt_prepare(c2, "UPDATE kv SET n = 5 WHERE k = ? AND n = ?", &s), KC_OK);
  kc_stmt_bind_text(s, 1, "b", -1);
  kc_stmt_bind_i64(s, 2, 0);
  expect_err(kc_stmt_run(s), KC_OK);
  expect_i64(kc_stmt_changes(s), 0);
  kc_conn_close(c2);
}

/* `?` inside string literals, quoted identifiers and comments is not a placeholder. */
static void test_placeholders(void **state)
{
  fx *f = get(state);
  kc_stmt *s;
  bool row;
  static const char q[] = "SELECT '?' || ?, 'it''s ?' || ?, E'\\'?' AS \"col?\", "
                          "? /* nested /* ? */ ? */ -- trailing ?\n"
                          ", 'a\\' || ?";
  expect_err(kc_stmt_prepare(f->c, q, &s), KC_OK);
  kc_stmt_bind_text(s, 1, "x", -1);
  kc_stmt_bind_text(s, 2, "y", -1);
  kc_stmt_bind_i64(s, 3, 42);
  kc_stmt_bind_text(s, 4, "z", -1);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  expect_i64(kc_stmt_columns(s), 5);
  expect_str(kc_stmt_text(s, 0), "?x");
  expect_str(kc_stmt_text(s, 1), "it's ?y");
  expect_str(kc_stmt_text(s, 2), "'?");
  expect_str(kc_stmt_text(s, 3), "42");
  expect_str(kc_stmt_text(s, 4), "a\\z"); /* a standard string: the backslash is literal */
  kc_stmt_reset(s);
  /* The LIKE ... ESCAPE '\' the domain uses. */
  make_table(f->c);
  insert_k(f->c, "50%_off", KC_OK);
  insert_k(f->c, "50 off", KC_OK);
  expect_err(kc_stmt_prepare(f->c, "SELECT COUNT(*) FROM kv WHERE k LIKE ? ESCAPE '\\'", &s),
             KC_OK);
  kc_stmt_bind_text(s, 1, "50\\%\\_%", -1);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  expect_i64(kc_stmt_i64(s, 0), 1);
  kc_stmt_reset(s);
}

static int64_t backend_pid(kc_conn *c)
{
  return scalar(c, "SELECT pg_backend_pid()");
}

static void terminate(kc_conn *killer, int64_t pid)
{
  kc_stmt *s;
  bool row;
  expect_err(kc_stmt_prepare(killer, "SELECT pg_terminate_backend(?, 5000)", &s), KC_OK);
  kc_stmt_bind_i64(s, 1, pid);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  expect_i64(kc_stmt_i64(s, 0), 1);
  kc_stmt_reset(s);
}

static void test_reconnect(void **state)
{
  fx *f = get(state);
  make_table(f->c);
  insert_k(f->c, "a", KC_OK);
  kc_conn *c2 = NULL;
  expect_err(kc_conn_open(f->db, &c2), KC_OK);

  /* Outside a transaction: reconnected and retried, the caller sees nothing but a new pid;
   * statements prepared before are prepared again on the new session. */
  int64_t pid = backend_pid(f->c);
  terminate(c2, pid);
  expect_i64(count_kv(f->c), 1);
  int64_t pid2 = backend_pid(f->c);
  if (pid2 == pid) {
    print_error("still on backend %" PRId64 "\n", pid);
    fail();
  }
  insert_k(f->c, "b", KC_OK);

  /* Inside a transaction the work is gone: KC_EBUSY until the caller rolls back. */
  expect_err(kc_conn_begin(f->c, true), KC_OK);
  insert_k(f->c, "c", KC_OK);
  terminate(c2, backend_pid(f->c));
  insert_k(f->c, "d", KC_EBUSY);
  insert_k(f->c, "e", KC_EBUSY);
  expect_err(kc_conn_commit(f->c), KC_EBUSY);
  assert_false(kc_conn_in_tx(f->c));
  expect_i64(count_kv(f->c), 2);

  /* The session ending itself: retried once, then KC_EBUSY; the next statement reconnects. */
  kc_stmt *s;
  bool row;
  expect_err(kc_stmt_prepare(f->c, "SELECT pg_terminate_backend(pg_backend_pid())", &s), KC_OK);
  expect_err(kc_stmt_step(s, &row), KC_EBUSY);
  kc_stmt_reset(s);
  expect_i64(count_kv(f->c), 2);
  kc_conn_close(c2);
}

int main(void)
{
  if (!base_url())
    fprintf(stderr, "store_pg: KC_TEST_DB_URL_BASE is not set, so every test is skipped "
                    "(export KC_TEST_DB_URL_BASE=$(scripts/pg.sh start) to run them)\n");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_migrate, setup, teardown),
      cmocka_unit_test_setup_teardown(test_migrate_concurrently, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bind_and_columns, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bind_vals, setup, teardown),
      cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_placeholders, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reconnect, setup, teardown),
  };
  return cmocka_run_group_tests_name("store_pg", tests, NULL, NULL);
}
