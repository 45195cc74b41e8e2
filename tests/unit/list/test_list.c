/* Unit tests of declared lists (src/domain/core/list): filters combine and bind in order,
 * the page and its order, exact totals with and without the count query, capped counts, a
 * page tail (inner id query), filters chosen from a filter struct, and one SQL text per
 * combination of filters. On SQLite, and on
 * PostgreSQL as well when KC_TEST_DB_URL_BASE names a server (a fresh database per run). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "domain/core/list.h"
#include "expect.h"

typedef struct fx {
  char dir[256], path[320], url[512], name[64];
  bool pg;
  kc_db *db;
  kc_conn *conn;
  kc_arena arena;
  kc_ctx ctx;
} fx;

static const char *pg_base(void)
{
  const char *b = getenv("KC_TEST_DB_URL_BASE");
  return b && *b ? b : NULL;
}

static int pg_admin(const char *sql)
{
  char url[600], msg[256] = "";
  snprintf(url, sizeof url, "%s/postgres", pg_base());
  kc_db *db = NULL;
  kc_conn *c = NULL;
  int rc = -1;
  if (kc_db_open(url, &db, msg, sizeof msg) == KC_OK && kc_conn_open(db, &c) == KC_OK &&
      kc_conn_exec(c, sql) == KC_OK)
    rc = 0;
  kc_conn_close(c);
  kc_db_close(db);
  return rc;
}

/* 30 rows: id 1..30, unit (id % 3), kind 'a' for even ids else 'b', day 2017-06-(id). */
static int open_db(fx *f)
{
  char msg[256] = "";
  const char *url = f->path;
  if (f->pg) {
    static unsigned seq;
    snprintf(f->name, sizeof f->name, "kc_list_%d_%u_%ld", (int)getpid(), ++seq,
             (long)time(NULL) % 100000);
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->name);
    if (pg_admin(sql))
      return -1;
    snprintf(f->url, sizeof f->url, "%s/%s", pg_base(), f->name);
    url = f->url;
  } else {
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/kc-test-list-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->dir))
      return -1;
    snprintf(f->path, sizeof f->path, "%s/kc.db", f->dir);
    url = f->path;
  }
  if (kc_db_open(url, &f->db, msg, sizeof msg) != KC_OK) {
    print_error("kc_db_open %s: %s\n", url, msg);
    return -1;
  }
  if (kc_conn_open(f->db, &f->conn) != KC_OK ||
      kc_conn_exec(f->conn, "CREATE TABLE items (id BIGINT PRIMARY KEY, unit BIGINT NOT NULL, "
                            "kind TEXT NOT NULL, day TEXT NOT NULL)") != KC_OK)
    return -1;
  for (int i = 1; i <= 30; i++) {
    kc_stmt *s;
    if (kc_stmt_prepare(f->conn, "INSERT INTO items (id, unit, kind, day) VALUES (?, ?, ?, ?)",
                        &s) != KC_OK)
      return -1;
    char day[16];
    snprintf(day, sizeof day, "2017-06-%02d", i);
    kc_stmt_bind_vals(s, KC_I64(i), KC_I64(i % 3), KC_TXT(i % 2 ? "b" : "a"), KC_TXT(day));
    if (kc_stmt_run(s) != KC_OK)
      return -1;
  }
  kc_arena_init(&f->arena);
  f->ctx = (kc_ctx){.conn = f->conn, .arena = &f->arena, .now = 1496282400};
  return 0;
}

static int setup_sqlite(void **state)
{
  fx *f = calloc(1, sizeof *f);
  *state = f;
  return open_db(f);
}

static int setup_pg(void **state)
{
  *state = NULL;
  if (!pg_base())
    return 0; /* each test skips */
  fx *f = calloc(1, sizeof *f);
  f->pg = true;
  *state = f;
  return open_db(f);
}

static int teardown(void **state)
{
  fx *f = *state;
  if (!f)
    return 0;
  kc_arena_free(&f->arena);
  kc_conn_close(f->conn);
  kc_db_close(f->db);
  if (f->pg) {
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE %s", f->name);
    pg_admin(sql);
  } else {
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
      char p[400];
      snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
      unlink(p);
    }
    rmdir(f->dir);
  }
  free(f);
  return 0;
}

enum { F_UNIT, F_KIND, F_DAY_FROM, F_DAY_RANGE, F_EVEN, F_N };
/* What kc_list_from reads: a filter struct of the list. */
typedef struct item_filter {
  const char *kind;
  int64_t unit;
  bool even;
} item_filter;
static const kc_list_filter item_filters[F_N] = {
    [F_UNIT] = KC_LF_ID(item_filter, unit, " AND i.unit = ?"),
    [F_KIND] = KC_LF_TEXT(item_filter, kind, " AND i.kind = ?"),
    [F_DAY_FROM] = KC_LF(" AND i.day >= ?"),
    [F_DAY_RANGE] = KC_LF(" AND i.day >= ? AND i.day <= ?"),
    [F_EVEN] = KC_LF_FLAG(item_filter, even, " AND i.id % 2 = 0"),
};
static kc_list items_list = {
    .count_from = " FROM items i WHERE 1 = 1",
    .page_head = "SELECT i.id, i.day, ? FROM items i WHERE 1 = 1",
    .filters = item_filters,
    .nfilters = F_N,
    .order = " ORDER BY i.day DESC, i.id DESC",
};
static kc_list capped_list = {
    .count_from = " FROM items i WHERE 1 = 1",
    .page_head = "SELECT i.id, i.day, ? FROM items i WHERE 1 = 1",
    .filters = item_filters,
    .nfilters = F_N,
    .order = " ORDER BY i.day DESC, i.id DESC",
    .count_cap = 10,
};
/* The page picks ids in an inner query; the outer part reads the rows. */
static kc_list tail_list = {
    .count_from = " FROM items i WHERE 1 = 1",
    .page_head = "SELECT t.id, t.day, ? FROM (SELECT i.id FROM items i WHERE 1 = 1",
    .filters = item_filters,
    .nfilters = F_N,
    .order = " ORDER BY i.id",
    .page_tail = ") p JOIN items t ON t.id = p.id ORDER BY t.id",
};

typedef struct got {
  int64_t ids[64];
  int n;
  const char *head; /* the head value read back from every row */
} got;

static kc_err collect(kc_ctx *ctx, kc_stmt *s, void *arg)
{
  (void)ctx;
  got *g = arg;
  assert_true(g->n < 64);
  g->ids[g->n++] = kc_stmt_i64(s, 0);
  if (strcmp(kc_stmt_text(s, 2), "marker"))
    g->head = "wrong";
  return KC_OK;
}

static void run(fx *f, kc_list_query *q, got *g, int64_t *total)
{
  memset(g, 0, sizeof *g);
  kc_list_head(q, KC_TXT("marker"));
  expect_err(kc_list_run(&f->ctx, q, collect, NULL, g, total), KC_OK);
  assert_null(g->head);
}

/* The fixture, or the test skipped (PostgreSQL without KC_TEST_DB_URL_BASE). */
static fx *db(void **state)
{
  if (!*state)
    skip();
  return *state;
}

static void test_filters_page_order(void **state)
{
  fx *f = db(state);
  kc_list_query q;
  got g;
  int64_t total;
  /* No filter: every row, newest day first. */
  kc_list_query_init(&q, &items_list, 5, 0);
  run(f, &q, &g, &total);
  expect_i64(total, 30);
  expect_i64(g.n, 5);
  for (int i = 0; i < 5; i++)
    expect_i64(g.ids[i], 30 - i);
  /* The second page. */
  kc_list_query_init(&q, &items_list, 5, 5);
  run(f, &q, &g, &total);
  expect_i64(total, 30);
  expect_i64(g.ids[0], 25);
  /* Filters combine, and their values bind in the text's order: unit 1 ∧ kind b ∧ from the
   * 10th: 13, 19, 25 (odd ids ≡ 1 mod 3 from 10). */
  kc_list_query_init(&q, &items_list, 50, 0);
  kc_list_where(&q, F_UNIT, KC_I64(1));
  kc_list_where(&q, F_KIND, KC_TXT("b"));
  kc_list_where(&q, F_DAY_FROM, KC_TXT("2017-06-10"));
  run(f, &q, &g, &total);
  expect_i64(total, 3);
  expect_i64(g.n, 3);
  expect_i64(g.ids[0], 25);
  expect_i64(g.ids[1], 19);
  expect_i64(g.ids[2], 13);
  /* Two values in one filter, and one without values. */
  kc_list_query_init(&q, &items_list, 2, 0);
  kc_list_where(&q, F_DAY_RANGE, KC_TXT("2017-06-03"), KC_TXT("2017-06-12"));
  kc_list_flag(&q, F_EVEN);
  run(f, &q, &g, &total);
  expect_i64(g.n, 2);
  expect_i64(g.ids[0], 12);
  expect_i64(g.ids[1], 10);
  expect_i64(total, 5); /* 4 6 8 10 12: the page is full, so the count query said it */
  /* Nothing matches. */
  kc_list_query_init(&q, &items_list, 5, 0);
  kc_list_where(&q, F_KIND, KC_TXT("z"));
  run(f, &q, &g, &total);
  expect_i64(total, 0);
  expect_i64(g.n, 0);
  /* Past the end: the page is empty, the count still says how many there are. */
  kc_list_query_init(&q, &items_list, 5, 40);
  kc_list_where(&q, F_UNIT, KC_I64(0));
  run(f, &q, &g, &total);
  expect_i64(g.n, 0);
  expect_i64(total, 10);
}

static void test_choice_order_and_from(void **state)
{
  fx *f = db(state);
  kc_list_query q;
  got g;
  int64_t total;
  /* Chosen in any order, the values still bind in the text's: unit 1 ∧ from the 10th ∧ even
   * (10, 16, 22, 28). */
  kc_list_query_init(&q, &items_list, 50, 0);
  kc_list_flag(&q, F_EVEN);
  kc_list_where(&q, F_DAY_FROM, KC_TXT("2017-06-10"));
  kc_list_where(&q, F_UNIT, KC_I64(1));
  run(f, &q, &g, &total);
  expect_i64(total, 4);
  expect_i64(g.ids[0], 28);
  expect_i64(g.ids[3], 10);
  /* kc_list_from chooses what the struct sets: unit 2 ∧ kind b (5 11 17 23 29), and with the
   * day range chosen by hand, 11 and 17. Unset members (empty text, 0, false) choose nothing. */
  item_filter in = {.kind = "b", .unit = 2};
  kc_list_query_init(&q, &items_list, 50, 0);
  kc_list_from(&q, &in);
  run(f, &q, &g, &total);
  expect_i64(total, 5);
  expect_i64(g.ids[0], 29);
  kc_list_query_init(&q, &items_list, 50, 0);
  kc_list_where(&q, F_DAY_RANGE, KC_TXT("2017-06-06"), KC_TXT("2017-06-20"));
  kc_list_from(&q, &in);
  run(f, &q, &g, &total);
  expect_i64(total, 2);
  expect_i64(g.ids[0], 17);
  expect_i64(g.ids[1], 11);
  item_filter none = {.kind = ""};
  kc_list_query_init(&q, &items_list, 50, 0);
  kc_list_from(&q, &none);
  expect_i64(q.mask, 0);
  item_filter even = {.even = true};
  kc_list_query_init(&q, &items_list, 50, 0);
  kc_list_from(&q, &even);
  run(f, &q, &g, &total);
  expect_i64(total, 15);
}

static void test_count_matches(void **state)
{
  fx *f = db(state);
  /* Every combination of the unit and kind filters, at every page size: the total is the
   * number of matches whether it came from the page or from the count query. */
  for (int unit = -1; unit < 3; unit++)
    for (int kind = -1; kind < 2; kind++)
      for (int limit = 1; limit <= 12; limit += 11) {
        int64_t expected = 0;
        for (int id = 1; id <= 30; id++)
          expected += (unit < 0 || id % 3 == unit) && (kind < 0 || (id % 2 == 0) == (kind == 0));
        for (int64_t offset = 0; offset <= 12; offset += 4) {
          kc_list_query q;
          got g;
          int64_t total;
          kc_list_query_init(&q, &items_list, limit, offset);
          if (unit >= 0)
            kc_list_where(&q, F_UNIT, KC_I64(unit));
          if (kind >= 0)
            kc_list_where(&q, F_KIND, KC_TXT(kind ? "b" : "a"));
          run(f, &q, &g, &total);
          expect_i64(total, expected);
          int64_t shown = expected - offset < 0 ? 0 : expected - offset;
          expect_i64(g.n, shown < limit ? shown : limit);
        }
      }
}

static void test_capped_count(void **state)
{
  fx *f = db(state);
  kc_list_query q;
  got g;
  int64_t total;
  kc_list_query_init(&q, &capped_list, 5, 0);
  run(f, &q, &g, &total);
  expect_i64(total, 10); /* 30 rows, counted up to the cap */
  assert_true(q.capped);
  expect_i64(g.n, 5);
  /* Below the cap the count is exact. */
  kc_list_query_init(&q, &capped_list, 2, 0);
  kc_list_where(&q, F_UNIT, KC_I64(2));
  kc_list_where(&q, F_KIND, KC_TXT("a"));
  run(f, &q, &g, &total);
  expect_i64(total, 5); /* 2 8 14 20 26 */
  assert_false(q.capped);
  /* A page past the cap still shows its rows, and its own total is exact. */
  kc_list_query_init(&q, &capped_list, 50, 20);
  run(f, &q, &g, &total);
  expect_i64(g.n, 10);
  expect_i64(total, 30);
  assert_false(q.capped);
  assert_non_null(strstr(kc_list_text(&capped_list, false, 0), "LIMIT ?) c"));
}

static void test_page_tail(void **state)
{
  fx *f = db(state);
  kc_list_query q;
  got g;
  int64_t total;
  kc_list_query_init(&q, &tail_list, 3, 2);
  kc_list_where(&q, F_KIND, KC_TXT("a"));
  run(f, &q, &g, &total);
  expect_i64(g.n, 3);
  expect_i64(g.ids[0], 6);
  expect_i64(g.ids[1], 8);
  expect_i64(g.ids[2], 10);
  expect_i64(total, 15);
}

/* What the count row callback receives, and kc_list_json. */
static void read_count(kc_stmt *s, void *arg)
{
  *(int64_t *)arg = kc_stmt_i64(s, 1);
}

static kc_list sum_list = {
    .count_select = "SELECT COUNT(*), SUM(i.unit)",
    .count_from = " FROM items i WHERE 1 = 1",
    .page_head = "SELECT i.id FROM items i WHERE 1 = 1",
    .filters = item_filters,
    .nfilters = F_N,
    .order = " ORDER BY i.id",
};

static json_t *id_json(kc_ctx *ctx, kc_stmt *s, void *arg)
{
  (void)ctx;
  (void)arg;
  return json_integer(kc_stmt_i64(s, 0));
}

static void test_count_row_and_json(void **state)
{
  fx *f = db(state);
  kc_list_query q;
  int64_t total, sum = -1;
  kc_list_query_init(&q, &sum_list, 50, 0);
  kc_list_where(&q, F_UNIT, KC_I64(2));
  /* The page is not full, but the count still runs for its other columns. */
  expect_err(kc_list_run(&f->ctx, &q, NULL, read_count, &sum, &total), KC_OK);
  expect_i64(total, 10);
  expect_i64(sum, 20);
  json_t *items = NULL;
  kc_list_query_init(&q, &sum_list, 4, 0);
  kc_list_where(&q, F_KIND, KC_TXT("b"));
  expect_err(kc_list_json(&f->ctx, &q, id_json, NULL, &items, &total), KC_OK);
  expect_i64(json_array_size(items), 4);
  expect_i64(json_integer_value(json_array_get(items, 3)), 7);
  expect_i64(total, 15);
  json_decref(items);
}

static void test_text_once_per_mask(void **state)
{
  (void)state;
  static const kc_list_filter fl[] = {KC_LF(" AND a = ?"), KC_LF(" AND b = ?"),
                                      KC_LF(" AND c IS NULL")};
  static kc_list l = {.count_from = " FROM t WHERE 1 = 1",
                      .page_head = "SELECT x FROM t WHERE 1 = 1",
                      .filters = fl,
                      .nfilters = 3,
                      .order = " ORDER BY x"};
  const char *seen[2][8];
  for (int page = 0; page < 2; page++)
    for (uint32_t m = 0; m < 8; m++)
      seen[page][m] = kc_list_text(&l, page, m);
  for (int page = 0; page < 2; page++)
    for (uint32_t m = 0; m < 8; m++) {
      /* The same address every time: the statement cache keys on it. */
      assert_ptr_equal(kc_list_text(&l, page, m), seen[page][m]);
      for (int p2 = 0; p2 < 2; p2++)
        for (uint32_t m2 = 0; m2 < 8; m2++)
          if (p2 != page || m2 != m)
            assert_ptr_not_equal(seen[p2][m2], seen[page][m]);
    }
  expect_str(seen[0][0], "SELECT COUNT(*) FROM t WHERE 1 = 1");
  expect_str(seen[0][5], "SELECT COUNT(*) FROM t WHERE 1 = 1 AND a = ? AND c IS NULL");
  expect_str(seen[1][6], "SELECT x FROM t WHERE 1 = 1 AND b = ? AND c IS NULL ORDER BY x "
                         "LIMIT ? OFFSET ?");
  /* A list's texts are its own. */
  assert_ptr_not_equal(kc_list_text(&items_list, true, 0), kc_list_text(&capped_list, true, 0));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text_once_per_mask),
      cmocka_unit_test_setup_teardown(test_filters_page_order, setup_sqlite, teardown),
      cmocka_unit_test_setup_teardown(test_choice_order_and_from, setup_sqlite, teardown),
      cmocka_unit_test_setup_teardown(test_count_matches, setup_sqlite, teardown),
      cmocka_unit_test_setup_teardown(test_capped_count, setup_sqlite, teardown),
      cmocka_unit_test_setup_teardown(test_page_tail, setup_sqlite, teardown),
      cmocka_unit_test_setup_teardown(test_count_row_and_json, setup_sqlite, teardown),
      cmocka_unit_test_setup_teardown(test_filters_page_order, setup_pg, teardown),
      cmocka_unit_test_setup_teardown(test_choice_order_and_from, setup_pg, teardown),
      cmocka_unit_test_setup_teardown(test_count_matches, setup_pg, teardown),
      cmocka_unit_test_setup_teardown(test_capped_count, setup_pg, teardown),
      cmocka_unit_test_setup_teardown(test_page_tail, setup_pg, teardown),
      cmocka_unit_test_setup_teardown(test_count_row_and_json, setup_pg, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
