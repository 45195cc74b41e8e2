/* Unit tests of src/domain: officials (validation, search, order, scope), accounts and auth
 * (login, sessions, throttling, logout, API tokens, disabled accounts), each change checked
 * against the audit log. Password hashing costs ~30 ms, so few accounts are made. */
#include "fixture.h"

#include <stdlib.h>

#include "base/crypto.h"
#include "domain/org/account.h"
#include "domain/org/audit.h"
#include "domain/org/auth.h"
#include "domain/org/official.h"
#include "domain/org/unit.h"

#define PASSWORD "mat-khau-du-dai-2017"

/* ---- helpers --------------------------------------------------------------------------- */

static int64_t create_official(fx *f, int64_t unit_id, const char *name, const char *position)
{
  json_t *o = NULL;
  kc_official_in in = {.unit_id = unit_id, .full_name = name, .position = position};
  expect_call(f, kc_official_create(&f->ctx, &in, &o), KC_OK);
  int64_t id = fx_jint(o, "id");
  json_decref(o);
  return id;
}

/* Lists officials matching q (NULL: all) in the actor's scope; returns the items. */
static json_t *search(fx *f, const char *q, int64_t unit_id, int64_t limit, int64_t offset,
                      int64_t *total)
{
  json_t *items = NULL;
  *total = -1;
  kc_official_filter flt = {.q = q, .unit_id = unit_id, .limit = limit, .offset = offset};
  expect_call(f, kc_official_list(&f->ctx, &flt, &items, total), KC_OK);
  assert_non_null(items);
  return items;
}

/* Checks the full names of a list, in order. */
static void expect_names(json_t *items, const char *const *names, size_t n)
{
  if (json_array_size(items) != n) {
    char *d = json_dumps(items, JSON_COMPACT);
    print_error("%zu items, expected %zu: %s\n", json_array_size(items), n, d);
    free(d);
    fail();
  }
  for (size_t i = 0; i < n; i++) {
    const char *got = fx_jstr(json_array_get(items, i), "full_name");
    if (strcmp(got, names[i])) {
      print_error("item %zu is \"%s\", expected \"%s\"\n", i, got, names[i]);
      fail();
    }
  }
}

static int64_t create_account(fx *f, const char *username, const char *role, const char *code)
{
  const kc_actor *saved = f->ctx.actor;
  f->ctx.actor = &f->admin;
  json_t *a = NULL;
  kc_account_in in = {.username = username,
                      .password = PASSWORD,
                      .role = role,
                      .unit_id = fx_unit_id(f, code),
                      .disabled = -1};
  expect_call(f, kc_account_create(&f->ctx, &in, &a), KC_OK);
  int64_t id = fx_jint(a, "id");
  json_decref(a);
  f->ctx.actor = saved;
  return id;
}

static int64_t count_sql(fx *f, const char *sql, int64_t arg)
{
  kc_stmt *s;
  bool row = false;
  expect_err(kc_stmt_prepare(f->conn, sql, &s), KC_OK);
  kc_stmt_bind_i64(s, 1, arg);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  int64_t n = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  return n;
}

/* ---- officials: validation ------------------------------------------------------------- */

static void test_official_create(void **state)
{
  fx *f = *state;
  int64_t d01 = fx_unit_id(f, "HN-D01");
  json_t *o = NULL;
  kc_official_in in = {.unit_id = d01,
                       .full_name = "  Nguyễn Văn Đông ",
                       .position = "Chuyên viên",
                       .position_since = "2016-02-29",
                       .email = "dong.nv@hanoi.gov.vn",
                       .phone = "+84 (24) 3825-1234"};
  expect_call(f, kc_official_create(&f->ctx, &in, &o), KC_OK);
  int64_t id = fx_jint(o, "id");
  expect_i64(fx_jint(o, "unit_id"), d01);
  assert_string_equal(fx_jstr(o, "unit_name"), "UBND quận Ba Đình");
  assert_string_equal(fx_jstr(o, "full_name"), "Nguyễn Văn Đông");
  assert_string_equal(fx_jstr(o, "position"), "Chuyên viên");
  assert_string_equal(fx_jstr(o, "position_since"), "2016-02-29");
  assert_string_equal(fx_jstr(o, "email"), "dong.nv@hanoi.gov.vn");
  assert_string_equal(fx_jstr(o, "phone"), "+84 (24) 3825-1234");
  expect_i64(fx_jint(o, "version"), 1);
  assert_string_equal(fx_jstr(o, "created_at"), "2017-06-01T09:00:00+07:00");
  json_decref(o);
  expect_i64(fx_count_officials(f), 1);
  expect_i64(fx_count_audit(f), FX_UNITS + 1);
  fx_expect_last_audit(f, "create", "official", id);
  /* Optional fields left out or "" are stored as NULL. */
  expect_call(f,
              kc_official_create(
                  &f->ctx,
                  &(kc_official_in){
                      .unit_id = d01, .full_name = "Trần Thị Lan", .email = "", .position = ""},
                  &o),
              KC_OK);
  assert_true(json_is_null(json_object_get(o, "email")));
  assert_true(json_is_null(json_object_get(o, "position")));
  assert_true(json_is_null(json_object_get(o, "phone")));
  assert_true(json_is_null(json_object_get(o, "position_since")));
  json_decref(o);
  /* NFD input is stored NFC. */
  expect_call(f,
              kc_official_create(&f->ctx,
                                 &(kc_official_in){.unit_id = d01,
                                                   .full_name = "Tra\xcc\x82\xcc\x80n Thi\xcc\xa3"
                                                                " Ha\xcc\x80"},
                                 &o),
              KC_OK);
  assert_string_equal(fx_jstr(o, "full_name"), "Trần Thị Hà");
  int64_t nfd = fx_jint(o, "id");
  json_decref(o);
  expect_call(f, kc_official_get(&f->ctx, nfd, &o), KC_OK);
  assert_string_equal(fx_jstr(o, "full_name"), "Trần Thị Hà");
  json_decref(o);
  /* Exactly 200 bytes of name is allowed. */
  char name[201];
  memset(name, 'a', 200);
  name[200] = 0;
  expect_call(f,
              kc_official_create(&f->ctx, &(kc_official_in){.unit_id = d01, .full_name = name}, &o),
              KC_OK);
  json_decref(o);
  expect_i64(fx_count_officials(f), 4);
  expect_i64(fx_count_audit(f), FX_UNITS + 4);
  fx_expect_chain_ok(f, FX_UNITS + 4);
}

static void test_official_create_invalid(void **state)
{
  fx *f = *state;
  int64_t d01 = fx_unit_id(f, "HN-D01");
  static char long_name[202];
  memset(long_name, 'a', 201);
  long_name[201] = 0;
  static char long_vn[202];
  /* 67 × "Đô" is 201 bytes but only 134 characters: the cap is in bytes. */
  long_vn[0] = 0;
  for (int i = 0; i < 67; i++)
    strcat(long_vn, "ễ");
  assert_int_equal(strlen(long_vn), 201);
  const struct {
    kc_official_in in;
    const char *field;
  } cases[] = {
      {{.unit_id = d01, .full_name = "Lê Văn A", .email = "not-an-email"}, "email"},
      {{.unit_id = d01, .full_name = "Lê Văn A", .email = "@hanoi.gov.vn"}, "email"},
      {{.unit_id = d01, .full_name = "Lê Văn A", .email = "a b@hanoi.gov.vn"}, "email"},
      {{.unit_id = d01, .full_name = "Lê Văn A", .email = "a@localhost"}, "email"},
      {{.unit_id = d01, .full_name = "Lê Văn A", .position_since = "2017-02-29"}, "position_since"},
      {{.unit_id = d01, .full_name = "Lê Văn A", .position_since = "01/06/2017"}, "position_since"},
      {{.unit_id = d01, .full_name = "Lê Văn A", .position_since = "2017-06-01T00:00"},
       "position_since"},
      {{.unit_id = d01, .full_name = long_name}, "full_name"},
      {{.unit_id = d01, .full_name = long_vn}, "full_name"},
      {{.unit_id = d01, .full_name = "Lê\x01Văn A"}, "full_name"},
      {{.unit_id = d01, .full_name = "Lê Văn\x1b[31m A"}, "full_name"},
      {{.unit_id = d01, .full_name = "Lê Văn A", .position = "Chuyên\x7fviên"}, "position"},
      {{.unit_id = d01, .full_name = "L\xc3\x28 Văn A"}, "full_name"},
      {{.unit_id = d01, .full_name = "Lê Văn A\xe1\xba"}, "full_name"},
      {{.unit_id = d01, .full_name = "Lê Văn A", .email = "a@b.vn\xff"}, "email"},
      {{.unit_id = d01, .full_name = NULL}, "full_name"},
      {{.unit_id = d01, .full_name = " \t\n"}, "full_name"},
      {{.unit_id = d01, .full_name = "Lê Văn A", .phone = "090-ABC"}, "phone"},
      {{.unit_id = 0, .full_name = "Lê Văn A"}, "unit_id"},
      {{.unit_id = 9999, .full_name = "Lê Văn A"}, "unit_id"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    json_t *o = NULL;
    fx_clear(f);
    kc_err rc = kc_official_create(&f->ctx, &cases[i].in, &o);
    if (rc != KC_EFIELD || !f->ctx.err_field || strcmp(f->ctx.err_field, cases[i].field)) {
      print_error("case %zu: %s field %s (\"%s\"), expected invalid_field %s\n", i, kc_err_code(rc),
                  f->ctx.err_field ? f->ctx.err_field : "(none)",
                  f->ctx.err_message ? f->ctx.err_message : "", cases[i].field);
      fail();
    }
    assert_non_null(f->ctx.err_message);
    assert_null(o);
    /* Nothing written: no official, no search term, no audit record, no open transaction. */
    expect_i64(fx_count_officials(f), 0);
    expect_i64(count_sql(f, "SELECT COUNT(*) + ? FROM official_terms", 0), 0);
    expect_i64(fx_count_audit(f), FX_UNITS);
    assert_false(kc_conn_in_tx(f->conn));
  }
}

/* ---- officials: search and order ------------------------------------------------------- */

static void test_official_search(void **state)
{
  fx *f = *state;
  int64_t d01 = fx_unit_id(f, "HN-D01");
  int64_t dong = create_official(f, d01, "Nguyễn Văn Đông", "Chuyên viên");
  create_official(f, d01, "Nguyễn Thị Dung", "Kế toán");
  create_official(f, d01, "Trần Thị Lan", "Trưởng phòng");
  /* NFD on the way in; found by its folded form. */
  create_official(f, d01,
                  "Pha\xcc\xa3m Minh \xc4\x90u\xcc\x9b\xcc\x81"
                  "c",
                  NULL);
  int64_t total;
  static const struct {
    const char *q;
    int64_t total;
    const char *first;
  } cases[] = {
      {"nguyen van dong", 1, "Nguyễn Văn Đông"},
      {"dong", 1, "Nguyễn Văn Đông"}, /* đ folds to d */
      {"Đông", 1, "Nguyễn Văn Đông"},
      {"ĐÔNG", 1, "Nguyễn Văn Đông"},
      {"NGUYỄN", 2, "Nguyễn Thị Dung"}, /* Dung sorts before Đông */
      {"nguyen", 2, "Nguyễn Thị Dung"},
      {"Nguye\xcc\x82\xcc\x83n", 2, "Nguyễn Thị Dung"}, /* an NFD query */
      {"ng", 2, "Nguyễn Thị Dung"},                     /* word prefixes */
      {"  nguyễn   đông  ", 1, "Nguyễn Văn Đông"},
      {"dong nguyen", 1, "Nguyễn Văn Đông"}, /* word order does not matter */
      {"d", 3, "Nguyễn Thị Dung"},           /* Dung, Đông, Đức */
      {"duc", 1, "Phạm Minh Đức"},
      {"chuyen vien", 1, "Nguyễn Văn Đông"}, /* the position is searched too */
      {"truong", 1, "Trần Thị Lan"},
      {"van dong chuyen vien nguyen", 1, "Nguyễn Văn Đông"}, /* >4 words: longest kept */
      {"ong", 0, NULL},                                      /* not a word start */
      {"nguyen lan", 0, NULL},                               /* every word must match */
      {"xyz", 0, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    json_t *l = search(f, cases[i].q, 0, 10, 0, &total);
    if (total != cases[i].total || (int64_t)json_array_size(l) != cases[i].total ||
        (cases[i].first && strcmp(fx_jstr(json_array_get(l, 0), "full_name"), cases[i].first))) {
      char *d = json_dumps(l, JSON_COMPACT);
      print_error("search \"%s\": total %" PRId64 " %s; expected %" PRId64 " first \"%s\"\n",
                  cases[i].q, total, d, cases[i].total, cases[i].first ? cases[i].first : "");
      free(d);
      json_decref(l);
      fail();
    }
    json_decref(l);
  }
  json_t *l = search(f, "nguyen van dong", 0, 10, 0, &total);
  expect_i64(fx_jint(json_array_get(l, 0), "id"), dong);
  json_decref(l);
  /* The NFD name was stored NFC. */
  l = search(f, "pham", 0, 10, 0, &total);
  assert_string_equal(fx_jstr(json_array_get(l, 0), "full_name"), "Phạm Minh Đức");
  json_decref(l);
  /* An empty or blank query lists everyone. */
  l = search(f, "", 0, 10, 0, &total);
  expect_i64(total, 4);
  json_decref(l);
  l = search(f, "   ", 0, 10, 0, &total);
  expect_i64(total, 4);
  json_decref(l);
}

static void test_official_list_order(void **state)
{
  fx *f = *state;
  int64_t d01 = fx_unit_id(f, "HN-D01"), d02 = fx_unit_id(f, "HN-D02");
  /* Created out of order, in two districts. */
  create_official(f, d01, "Nguyễn Văn Đông", NULL);
  create_official(f, d02, "Phạm Thị Ánh", NULL);
  create_official(f, d01, "Lê Văn Bình", NULL);
  create_official(f, d02, "Trần Thị An", NULL);
  create_official(f, d01, "Hoàng Văn Dũng", NULL);
  create_official(f, d02, "Vũ Thị Anh", NULL);
  /* Given name first, in Vietnamese order: An < Anh < Ánh < Bình < Dũng < Đông. */
  static const char *const order[] = {"Trần Thị An", "Vũ Thị Anh",     "Phạm Thị Ánh",
                                      "Lê Văn Bình", "Hoàng Văn Dũng", "Nguyễn Văn Đông"};
  int64_t total;
  json_t *l = search(f, NULL, 0, 100, 0, &total);
  expect_i64(total, 6);
  expect_names(l, order, 6);
  json_decref(l);
  /* Paging keeps the order and the total. */
  l = search(f, NULL, 0, 2, 2, &total);
  expect_i64(total, 6);
  expect_names(l, order + 2, 2);
  json_decref(l);
  l = search(f, NULL, 0, 4, 4, &total);
  expect_names(l, order + 4, 2);
  json_decref(l);
  l = search(f, NULL, 0, 4, 6, &total);
  expect_i64(total, 6);
  expect_names(l, NULL, 0);
  json_decref(l);
  /* Narrowed to one unit's subtree. */
  static const char *const in_d01[] = {"Lê Văn Bình", "Hoàng Văn Dũng", "Nguyễn Văn Đông"};
  l = search(f, NULL, d01, 100, 0, &total);
  expect_i64(total, 3);
  expect_names(l, in_d01, 3);
  json_decref(l);
  l = search(f, NULL, fx_unit_id(f, "HN"), 100, 0, &total);
  expect_i64(total, 6);
  json_decref(l);
  l = search(f, NULL, fx_unit_id(f, "HN-D03"), 100, 0, &total);
  expect_i64(total, 0);
  json_decref(l);
  json_t *items = NULL;
  expect_call(f,
              kc_official_list(&f->ctx, &(kc_official_filter){.unit_id = 9999, .limit = 10}, &items,
                               &total),
              KC_EFIELD);
  expect_field(f, "unit_id");
  assert_null(items);
}

/* ---- officials: scope and updates ------------------------------------------------------ */

static void test_official_scope(void **state)
{
  fx *f = *state;
  int64_t d01 = fx_unit_id(f, "HN-D01"), d02 = fx_unit_id(f, "HN-D02");
  int64_t in02 = create_official(f, d02, "Trần Văn Hoàn", NULL);
  kc_actor head, officer;
  fx_actor(f, &head, KC_ROLE_UNIT_HEAD, "HN-D01", 0, "truongdv");
  fx_actor(f, &officer, KC_ROLE_OFFICER, "HN-D01", 0, "canbo");

  /* A unit head creates in their own district... */
  f->ctx.actor = &head;
  int64_t mine = create_official(f, d01, "Lê Thị Ba", NULL);
  fx_expect_last_audit(f, "create", "official", mine);
  int64_t audit = fx_count_audit(f);
  /* ...not in another one, and nothing is written. */
  json_t *o = NULL;
  expect_call(f,
              kc_official_create(
                  &f->ctx, &(kc_official_in){.unit_id = d02, .full_name = "Lê Văn Ngoài"}, &o),
              KC_EFORBIDDEN);
  expect_field(f, "unit_id");
  assert_null(o);
  expect_call(f,
              kc_official_create(
                  &f->ctx,
                  &(kc_official_in){.unit_id = fx_unit_id(f, "HN"), .full_name = "Lê Văn Trên"},
                  &o),
              KC_EFORBIDDEN); /* nor in the city above */
  expect_i64(fx_count_officials(f), 2);
  expect_i64(fx_count_audit(f), audit);
  /* They see their district's officials only. */
  int64_t total;
  json_t *l = search(f, NULL, 0, 10, 0, &total);
  expect_i64(total, 1);
  assert_string_equal(fx_jstr(json_array_get(l, 0), "full_name"), "Lê Thị Ba");
  json_decref(l);
  l = search(f, NULL, d02, 10, 0, &total); /* asking for another district shows nothing */
  expect_i64(total, 0);
  json_decref(l);
  l = search(f, NULL, fx_unit_id(f, "HN"), 10, 0, &total); /* the city: just their part */
  expect_i64(total, 1);
  json_decref(l);
  l = search(f, "hoan", 0, 10, 0, &total);
  expect_i64(total, 0);
  json_decref(l);
  expect_call(f, kc_official_get(&f->ctx, in02, &o), KC_ENOTFOUND);
  expect_call(f, kc_official_get(&f->ctx, mine, &o), KC_OK);
  json_decref(o);
  /* They cannot edit another district's official, nor move their own out of scope. */
  expect_call(
      f, kc_official_update(&f->ctx, in02, &(kc_official_in){.position = "x", .version = 1}, &o),
      KC_ENOTFOUND);
  expect_call(
      f, kc_official_update(&f->ctx, mine, &(kc_official_in){.unit_id = d02, .version = 1}, &o),
      KC_EFORBIDDEN);
  expect_field(f, "unit_id");
  expect_i64(fx_count_audit(f), audit);

  /* An officer cannot create at all, even in their own unit. */
  f->ctx.actor = &officer;
  expect_call(
      f,
      kc_official_create(&f->ctx, &(kc_official_in){.unit_id = d01, .full_name = "Lê Văn Mới"}, &o),
      KC_EFORBIDDEN);
  expect_call(
      f, kc_official_update(&f->ctx, mine, &(kc_official_in){.position = "x", .version = 1}, &o),
      KC_EFORBIDDEN);
  /* But may read within scope. */
  expect_call(f, kc_official_get(&f->ctx, mine, &o), KC_OK);
  json_decref(o);
  expect_i64(fx_count_officials(f), 2);
  expect_i64(fx_count_audit(f), audit);
  f->ctx.actor = &f->admin;
  fx_expect_chain_ok(f, audit);
}

static void test_official_update(void **state)
{
  fx *f = *state;
  int64_t d01 = fx_unit_id(f, "HN-D01"), d02 = fx_unit_id(f, "HN-D02");
  json_t *o = NULL;
  expect_call(f,
              kc_official_create(&f->ctx,
                                 &(kc_official_in){.unit_id = d01,
                                                   .full_name = "Nguyễn Văn Đông",
                                                   .position = "Chuyên viên",
                                                   .email = "dong@hanoi.gov.vn"},
                                 &o),
              KC_OK);
  int64_t id = fx_jint(o, "id");
  json_decref(o);
  f->ctx.now = FX_NOW + 86400;
  expect_call(
      f,
      kc_official_update(
          &f->ctx, id,
          &(kc_official_in){.position = "Trưởng phòng", .email = "", .unit_id = d02, .version = 1},
          &o),
      KC_OK);
  assert_string_equal(fx_jstr(o, "full_name"), "Nguyễn Văn Đông"); /* NULL: unchanged */
  assert_string_equal(fx_jstr(o, "position"), "Trưởng phòng");
  assert_true(json_is_null(json_object_get(o, "email"))); /* "": cleared */
  expect_i64(fx_jint(o, "unit_id"), d02);
  assert_string_equal(fx_jstr(o, "unit_name"), "UBND quận Hoàn Kiếm");
  expect_i64(fx_jint(o, "version"), 2);
  assert_string_equal(fx_jstr(o, "updated_at"), "2017-06-02T09:00:00+07:00");
  json_decref(o);
  expect_i64(fx_count_audit(f), FX_UNITS + 2);
  fx_expect_last_audit(f, "update", "official", id);
  /* Search terms follow the new position; the unit path follows the new unit. */
  int64_t total;
  json_t *l = search(f, "chuyen", 0, 10, 0, &total);
  expect_i64(total, 0);
  json_decref(l);
  l = search(f, "truong phong", 0, 10, 0, &total);
  expect_i64(total, 1);
  json_decref(l);
  l = search(f, NULL, d02, 10, 0, &total);
  expect_i64(total, 1);
  json_decref(l);
  /* A stale version is refused and changes nothing. */
  o = NULL;
  expect_call(
      f,
      kc_official_update(&f->ctx, id, &(kc_official_in){.position = "Văn thư", .version = 1}, &o),
      KC_ECONFLICT);
  expect_field(f, "version");
  assert_null(o);
  expect_call(f, kc_official_get(&f->ctx, id, &o), KC_OK);
  assert_string_equal(fx_jstr(o, "position"), "Trưởng phòng");
  expect_i64(fx_jint(o, "version"), 2);
  json_decref(o);
  /* Invalid fields and unknown ids. */
  expect_call(f,
              kc_official_update(
                  &f->ctx, id, &(kc_official_in){.position_since = "2017-13-01", .version = 2}, &o),
              KC_EFIELD);
  expect_field(f, "position_since");
  expect_call(
      f, kc_official_update(&f->ctx, 9999, &(kc_official_in){.position = "x", .version = 1}, &o),
      KC_ENOTFOUND);
  expect_i64(fx_count_audit(f), FX_UNITS + 2);
  fx_expect_chain_ok(f, FX_UNITS + 2);
}

/* Regression test for a bug found while writing these tests (now fixed): (src/domain/official.c:290
 * check_fields with create=false, used at :352 and :376): on update full_name is optional,
 * kc_text_field lets "" through, and `in.full_name ? in.full_name : ...` stores it: an official's
 * name can be blanked by an update. Expected KC_EFIELD naming "full_name", record unchanged. */
static void test_official_update_empty_name(void **state)
{
  fx *f = *state;
  int64_t id = create_official(f, fx_unit_id(f, "HN-D01"), "Nguyễn Văn Đông", NULL);
  json_t *o = NULL;
  fx_clear(f);
  kc_err rc =
      kc_official_update(&f->ctx, id, &(kc_official_in){.full_name = "  ", .version = 1}, &o);
  json_decref(o);
  expect_call(f, kc_official_get(&f->ctx, id, &o), KC_OK);
  const char *name = fx_jstr(o, "full_name");
  if (rc != KC_EFIELD || strcmp(name, "Nguyễn Văn Đông")) {
    print_error("update full_name \"  \": %s, stored \"%s\"; expected invalid_field and the "
                "name unchanged\n",
                kc_err_code(rc), name);
    json_decref(o);
    fail();
  }
  json_decref(o);
}

/* ---- accounts -------------------------------------------------------------------------- */

static void test_account_create(void **state)
{
  fx *f = *state;
  int64_t d01 = fx_unit_id(f, "HN-D01");
  int64_t off = create_official(f, d01, "Nguyễn Văn Đông", NULL);
  json_t *a = NULL;
  kc_account_in in = {.username = "dong.nv",
                      .password = PASSWORD,
                      .role = "officer",
                      .unit_id = d01,
                      .official_id = off,
                      .disabled = -1};
  int64_t accounts = fx_count_accounts(f), audit = fx_count_audit(f);
  expect_call(f, kc_account_create(&f->ctx, &in, &a), KC_OK);
  int64_t id = fx_jint(a, "id");
  assert_string_equal(fx_jstr(a, "username"), "dong.nv");
  assert_string_equal(fx_jstr(a, "role"), "officer");
  expect_i64(fx_jint(a, "unit_id"), d01);
  assert_string_equal(fx_jstr(a, "unit_name"), "UBND quận Ba Đình");
  expect_i64(fx_jint(a, "official_id"), off);
  assert_true(json_is_false(json_object_get(a, "disabled")));
  expect_i64(fx_jint(a, "version"), 1);
  assert_null(json_object_get(a, "pw_hash"));
  assert_null(json_object_get(a, "password"));
  json_decref(a);
  expect_i64(fx_count_accounts(f), accounts + 1);
  expect_i64(fx_count_audit(f), audit + 1);
  fx_expect_last_audit(f, "create", "account", id);
  /* The password is stored as an argon2id hash and appears nowhere in the audit log. */
  expect_i64(count_sql(f,
                       "SELECT COUNT(*) FROM accounts WHERE id = ? AND pw_hash LIKE "
                       "'$argon2id$%'",
                       id),
             1);
  expect_i64(count_sql(f,
                       "SELECT COUNT(*) + ? FROM audit_log WHERE after_json LIKE '%argon%' "
                       "OR after_json LIKE '%mat-khau%'",
                       0),
             0);
  json_t *me = NULL;
  kc_actor self = {.account_id = id, .username = "dong.nv", .role = KC_ROLE_OFFICER};
  f->ctx.actor = &self;
  expect_call(f, kc_account_me(&f->ctx, &me), KC_OK);
  assert_string_equal(fx_jstr(me, "display_name"), "Nguyễn Văn Đông");
  json_decref(me);
  f->ctx.actor = &f->admin;

  /* A duplicate username: a conflict on "username", nothing written. */
  a = NULL;
  in.official_id = 0;
  in.role = "desk";
  expect_call(f, kc_account_create(&f->ctx, &in, &a), KC_ECONFLICT);
  expect_field(f, "username");
  assert_null(a);
  expect_i64(fx_count_accounts(f), accounts + 1);
  expect_i64(fx_count_audit(f), audit + 1);
  assert_false(kc_conn_in_tx(f->conn));

  /* Refusals before any hashing: weak password, bad username, role, unit, official. */
  const struct {
    kc_account_in in;
    const char *field;
  } bad[] = {
      {{.username = "lan.tt", .password = "short", .role = "officer", .unit_id = d01}, "password"},
      {{.username = "lan.tt", .password = "123456789", .role = "officer", .unit_id = d01},
       "password"},
      {{.username = "lan.tt", .password = NULL, .role = "officer", .unit_id = d01}, "password"},
      {{.username = "ab", .password = PASSWORD, .role = "officer", .unit_id = d01}, "username"},
      {{.username = "Lan.TT", .password = PASSWORD, .role = "officer", .unit_id = d01}, "username"},
      {{.username = "lan tt", .password = PASSWORD, .role = "officer", .unit_id = d01}, "username"},
      {{.username = "lân", .password = PASSWORD, .role = "officer", .unit_id = d01}, "username"},
      {{.username = NULL, .password = PASSWORD, .role = "officer", .unit_id = d01}, "username"},
      {{.username = "lan.tt", .password = PASSWORD, .role = "king", .unit_id = d01}, "role"},
      {{.username = "lan.tt", .password = PASSWORD, .role = NULL, .unit_id = d01}, "role"},
      {{.username = "lan.tt", .password = PASSWORD, .role = "officer", .unit_id = 0}, "unit_id"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    a = NULL;
    fx_clear(f);
    kc_err rc = kc_account_create(&f->ctx, &bad[i].in, &a);
    if (rc != KC_EFIELD || !f->ctx.err_field || strcmp(f->ctx.err_field, bad[i].field)) {
      print_error("case %zu: %s field %s, expected invalid_field %s\n", i, kc_err_code(rc),
                  f->ctx.err_field ? f->ctx.err_field : "(none)", bad[i].field);
      fail();
    }
    assert_null(a);
  }
  expect_i64(fx_count_accounts(f), accounts + 1);
  expect_i64(fx_count_audit(f), audit + 1);

  /* Only the admin manages accounts. */
  kc_actor head;
  fx_actor(f, &head, KC_ROLE_UNIT_HEAD, "HN-D01", 0, "truongdv");
  f->ctx.actor = &head;
  expect_call(f,
              kc_account_create(&f->ctx,
                                &(kc_account_in){.username = "lan.tt",
                                                 .password = PASSWORD,
                                                 .role = "officer",
                                                 .unit_id = d01},
                                &a),
              KC_EFORBIDDEN);
  json_t *items = NULL;
  int64_t total;
  expect_call(f, kc_account_list(&f->ctx, NULL, 10, 0, &items, &total), KC_EFORBIDDEN);
  f->ctx.actor = &f->admin;
  expect_call(f, kc_account_list(&f->ctx, "dong", 10, 0, &items, &total), KC_OK);
  expect_i64(total, 1);
  json_decref(items);
  fx_expect_chain_ok(f, audit + 1);
}

/* Regression test for a bug found while writing these tests (now fixed):
 * (src/domain/account.c:236-241, kc_account_update): account.h says a non-NULL username in
 * kc_account_in changes it on update (NULL: unchanged), and check_fields validates it, but the
 * UPDATE statement never sets username: the call succeeds, bumps the version, writes an audit
 * record, and the username stays the same. */
/* A username never changes (audit records name the actor by it): the update is refused,
 * names the field, and writes nothing. */
static void test_account_update_username_refused(void **state)
{
  fx *f = *state;
  int64_t id = create_account(f, "old.name", "officer", "HN-D01");
  int64_t audit = fx_count_audit(f);
  json_t *a = NULL;
  fx_clear(f);
  kc_err rc = kc_account_update(
      &f->ctx, id, &(kc_account_in){.username = "new.name", .disabled = -1, .version = 1}, &a);
  expect_i64(rc, KC_EFIELD);
  assert_non_null(f->ctx.err_field);
  assert_string_equal(f->ctx.err_field, "username");
  assert_null(a);
  expect_i64(fx_count_audit(f), audit);
  json_t *got = NULL;
  expect_call(f, kc_account_get(&f->ctx, id, &got), KC_OK);
  assert_string_equal(json_string_value(json_object_get(got, "username")), "old.name");
  expect_i64(json_integer_value(json_object_get(got, "version")), 1);
  json_decref(got);
}

/* ---- auth ------------------------------------------------------------------------------ */

static void test_login_session_logout(void **state)
{
  fx *f = *state;
  int64_t id = create_account(f, "truongdv", "unit_head", "HN-D01");
  int64_t audit = fx_count_audit(f);
  kc_login_out out;
  expect_call(f, kc_auth_login(&f->ctx, "truongdv", PASSWORD, "10.0.0.5", 12, &out), KC_OK);
  expect_i64(strlen(out.token), KC_TOKEN_CHARS - 1);
  expect_i64(strlen(out.csrf), KC_TOKEN_CHARS - 1);
  assert_string_not_equal(out.token, out.csrf);
  expect_i64(out.expires_at, FX_NOW + 12 * 3600);
  assert_non_null(out.account);
  assert_string_equal(fx_jstr(out.account, "username"), "truongdv");
  assert_string_equal(fx_jstr(out.account, "role"), "unit_head");
  assert_string_equal(fx_jstr(out.account, "display_name"), "truongdv");
  json_decref(out.account);
  expect_i64(fx_count_audit(f), audit + 1);
  /* Only the token's hash is stored. */
  char th[KC_SHA256_HEX];
  kc_crypto_sha256_hex(out.token, strlen(out.token), th);
  kc_stmt *s;
  bool row;
  expect_err(kc_stmt_prepare(f->conn, "SELECT id FROM sessions WHERE token_hash = ?", &s), KC_OK);
  kc_stmt_bind_text(s, 1, th, -1);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  int64_t sid = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  fx_expect_last_audit(f, "login", "session", sid);
  expect_i64(count_sql(f,
                       "SELECT COUNT(*) + ? FROM sessions WHERE token_hash LIKE '%-%' OR "
                       "token_hash LIKE '%\\_%' ESCAPE '\\'",
                       0),
             0);

  /* The session resolves to the account, its unit's path and the CSRF token. */
  kc_actor a;
  const char *csrf = NULL;
  expect_call(f, kc_auth_session(&f->ctx, out.token, &a, &csrf), KC_OK);
  expect_i64(a.account_id, id);
  assert_string_equal(a.username, "truongdv");
  expect_i64(a.role, KC_ROLE_UNIT_HEAD);
  expect_i64(a.unit_id, fx_unit_id(f, "HN-D01"));
  assert_string_equal(a.unit_path, fx_unit_path(f, a.unit_id));
  expect_i64(a.session_id, sid);
  expect_i64(a.official_id, 0);
  assert_string_equal(csrf, out.csrf);
  /* Unknown, malformed and expired tokens do not. */
  kc_actor b;
  char wrong[KC_TOKEN_CHARS];
  memcpy(wrong, out.token, sizeof wrong);
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  expect_call(f, kc_auth_session(&f->ctx, wrong, &b, &csrf), KC_EAUTH);
  expect_call(f, kc_auth_session(&f->ctx, "short", &b, &csrf), KC_EAUTH);
  expect_call(f, kc_auth_session(&f->ctx, NULL, &b, &csrf), KC_EAUTH);
  expect_call(f, kc_auth_session(&f->ctx, out.csrf, &b, &csrf), KC_EAUTH);
  f->ctx.now = out.expires_at - 1;
  expect_call(f, kc_auth_session(&f->ctx, out.token, &b, &csrf), KC_OK);
  f->ctx.now = out.expires_at;
  expect_call(f, kc_auth_session(&f->ctx, out.token, &b, &csrf), KC_EAUTH);
  f->ctx.now = FX_NOW + 60;

  /* Logout revokes the session and is audited. */
  f->ctx.actor = &a;
  expect_call(f, kc_auth_logout(&f->ctx), KC_OK);
  expect_i64(fx_count_audit(f), audit + 2);
  fx_expect_last_audit(f, "logout", "session", sid);
  expect_call(f, kc_auth_session(&f->ctx, out.token, &b, &csrf), KC_EAUTH);
  /* An actor without a session (API token, system) cannot log out. */
  kc_actor api = a;
  api.session_id = 0;
  f->ctx.actor = &api;
  expect_call(f, kc_auth_logout(&f->ctx), KC_EBADREQ);
  f->ctx.actor = NULL;
  expect_call(f, kc_auth_logout(&f->ctx), KC_EBADREQ);
  f->ctx.actor = &f->admin;
  expect_i64(fx_count_audit(f), audit + 2);
  fx_expect_chain_ok(f, audit + 2);
}

static void test_login_wrong_and_throttle(void **state)
{
  fx *f = *state;
  create_account(f, "canbo", "officer", "HN-D01");
  int64_t audit = fx_count_audit(f);
  kc_login_out out;
  /* Wrong password and unknown user: the same code and message. */
  expect_call(f, kc_auth_login(&f->ctx, "canbo", "sai-mat-khau-roi", "10.0.0.5", 12, &out),
              KC_EAUTH);
  const char *msg1 = f->ctx.err_message;
  assert_null(out.account);
  assert_string_equal(out.token, "");
  f->ctx.now += 10;
  expect_call(f, kc_auth_login(&f->ctx, "khongco", PASSWORD, "10.0.0.5", 12, &out), KC_EAUTH);
  assert_string_equal(f->ctx.err_message, msg1);
  expect_call(f, kc_auth_login(&f->ctx, "canbo", NULL, "10.0.0.5", 12, &out), KC_EAUTH);
  /* Failed attempts are recorded (committed) but create no session and no audit record. */
  expect_i64(count_sql(f, "SELECT COUNT(*) + ? FROM login_attempts WHERE ok = 0", 0), 2);
  expect_i64(count_sql(f, "SELECT COUNT(*) + ? FROM sessions", 0), 0);
  expect_i64(fx_count_audit(f), audit);
  assert_false(kc_conn_in_tx(f->conn));

  /* Five failures for "canbo" inside 15 minutes... */
  int64_t first = FX_NOW;
  for (int i = 1; i < 5; i++) {
    f->ctx.now = first + 10 * i;
    expect_call(f, kc_auth_login(&f->ctx, "canbo", "sai-mat-khau-roi", "10.0.0.5", 12, &out),
                KC_EAUTH);
  }
  /* ...refuse the next attempt, even with the right password, until the first ages out. */
  f->ctx.now = first + 50;
  expect_call(f, kc_auth_login(&f->ctx, "canbo", PASSWORD, "10.0.0.5", 12, &out), KC_ETHROTTLE);
  expect_i64(f->ctx.retry_after, KC_LOGIN_WINDOW - 50);
  assert_null(out.account);
  f->ctx.now = first + KC_LOGIN_WINDOW - 1;
  expect_call(f, kc_auth_login(&f->ctx, "canbo", PASSWORD, "10.0.0.9", 12, &out), KC_ETHROTTLE);
  expect_i64(f->ctx.retry_after, 1);
  expect_i64(count_sql(f, "SELECT COUNT(*) + ? FROM sessions", 0), 0);
  /* Another user from the same address is not held back by canbo's failures. */
  create_account(f, "motcua", "desk", "HN-D01");
  audit = fx_count_audit(f);
  expect_call(f, kc_auth_login(&f->ctx, "motcua", PASSWORD, "10.0.0.5", 12, &out), KC_OK);
  json_decref(out.account);
  expect_i64(fx_count_audit(f), audit + 1);
  /* Past the window (the last failure at first + 40), the right password works again. */
  f->ctx.now = first + 40 + KC_LOGIN_WINDOW + 1;
  expect_call(f, kc_auth_login(&f->ctx, "canbo", PASSWORD, "10.0.0.5", 12, &out), KC_OK);
  assert_non_null(out.account);
  json_decref(out.account);
  expect_i64(fx_count_audit(f), audit + 2);
  fx_expect_last_audit(f, "login", "session", 2);
  f->ctx.actor = &f->admin;
  fx_expect_chain_ok(f, audit + 2);
}

static void test_api_tokens(void **state)
{
  fx *f = *state;
  int64_t id = create_account(f, "tichhop", "supervisor", "HN-S02");
  int64_t other_id = create_account(f, "khac", "officer", "HN-D01");
  kc_actor me = {.account_id = id, .username = "tichhop", .role = KC_ROLE_SUPERVISOR};
  kc_actor other = {.account_id = other_id, .username = "khac", .role = KC_ROLE_OFFICER};
  int64_t audit = fx_count_audit(f);
  f->ctx.actor = &me;
  json_t *t = NULL;
  expect_call(f, kc_token_create(&f->ctx, " Máy chủ báo cáo ", &t), KC_OK);
  int64_t tid = fx_jint(t, "id");
  assert_string_equal(fx_jstr(t, "name"), "Máy chủ báo cáo");
  const char *tok = fx_jstr(t, "token");
  expect_i64(strlen(tok), KC_TOKEN_CHARS - 1);
  assert_null(json_object_get(t, "account_id"));
  char token[KC_TOKEN_CHARS];
  snprintf(token, sizeof token, "%s", tok);
  json_decref(t);
  expect_i64(fx_count_audit(f), audit + 1);
  fx_expect_last_audit(f, "create", "api_token", tid);
  /* The token itself is stored nowhere: only its hash, and not in the audit log. */
  kc_stmt *s;
  bool row;
  expect_err(kc_stmt_prepare(f->conn,
                             "SELECT (SELECT COUNT(*) FROM audit_log WHERE instr(after_json, ?1) "
                             "> 0) + (SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?1)",
                             &s),
             KC_OK);
  kc_stmt_bind_text(s, 1, token, -1);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  expect_i64(kc_stmt_i64(s, 0), 0);
  kc_stmt_reset(s);
  char th[KC_SHA256_HEX];
  kc_crypto_sha256_hex(token, strlen(token), th);
  expect_err(kc_stmt_prepare(f->conn, "SELECT id FROM api_tokens WHERE token_hash = ?", &s), KC_OK);
  kc_stmt_bind_text(s, 1, th, -1);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  expect_i64(kc_stmt_i64(s, 0), tid);
  kc_stmt_reset(s);

  /* It resolves to the account, without a session. */
  kc_actor a;
  expect_call(f, kc_auth_bearer(&f->ctx, token, &a), KC_OK);
  expect_i64(a.account_id, id);
  assert_string_equal(a.username, "tichhop");
  expect_i64(a.role, KC_ROLE_SUPERVISOR);
  expect_i64(a.session_id, 0);
  assert_string_equal(a.unit_path, fx_unit_path(f, fx_unit_id(f, "HN-S02")));
  /* Not as a session cookie. */
  const char *csrf;
  expect_call(f, kc_auth_session(&f->ctx, token, &a, &csrf), KC_EAUTH);
  json_t *items = NULL;
  int64_t total = -1;
  expect_call(f, kc_token_list(&f->ctx, &items, &total), KC_OK);
  expect_i64(total, 1);
  assert_true(json_is_false(json_object_get(json_array_get(items, 0), "revoked")));
  json_decref(items);
  expect_call(f, kc_token_create(&f->ctx, "", &t), KC_EFIELD);
  expect_field(f, "name");

  /* Another account can neither see nor revoke it. */
  f->ctx.actor = &other;
  expect_call(f, kc_token_list(&f->ctx, &items, &total), KC_OK);
  expect_i64(total, 0);
  json_decref(items);
  expect_call(f, kc_token_revoke(&f->ctx, tid), KC_ENOTFOUND);
  expect_i64(fx_count_audit(f), audit + 1);

  /* Revoked by its owner: audited, and it stops resolving. */
  f->ctx.actor = &me;
  expect_call(f, kc_token_revoke(&f->ctx, tid), KC_OK);
  expect_i64(fx_count_audit(f), audit + 2);
  fx_expect_last_audit(f, "revoke", "api_token", tid);
  expect_call(f, kc_auth_bearer(&f->ctx, token, &a), KC_EAUTH);
  expect_call(f, kc_token_list(&f->ctx, &items, &total), KC_OK);
  assert_true(json_is_true(json_object_get(json_array_get(items, 0), "revoked")));
  json_decref(items);
  expect_call(f, kc_token_revoke(&f->ctx, tid), KC_ENOTFOUND); /* only once */
  expect_i64(fx_count_audit(f), audit + 2);
  f->ctx.actor = NULL;
  expect_call(f, kc_token_create(&f->ctx, "x", &t), KC_EAUTH);
  f->ctx.actor = &f->admin;
  fx_expect_chain_ok(f, audit + 2);
}

/* Also a regression test for a fixed bug: src/domain/account.c:154/169 (check_refs returns its
 * uninitialised `e` when neither unit_id nor official_id is given, i.e. on every disable / password
 * / role update): fails with a garbage code (shown as "internal") in the Debug/ASan build; passes
 * by luck in RelWithDebInfo. test_password_change_ends_sessions hits the same path. */
static void test_disabled_account(void **state)
{
  fx *f = *state;
  int64_t id = create_account(f, "canbo", "officer", "HN-D01");
  kc_login_out out;
  expect_call(f, kc_auth_login(&f->ctx, "canbo", PASSWORD, "10.0.0.5", 12, &out), KC_OK);
  json_decref(out.account);
  kc_actor a;
  const char *csrf;
  expect_call(f, kc_auth_session(&f->ctx, out.token, &a, &csrf), KC_OK);
  f->ctx.actor = &a;
  json_t *t = NULL;
  expect_call(f, kc_token_create(&f->ctx, "script", &t), KC_OK);
  char token[KC_TOKEN_CHARS];
  snprintf(token, sizeof token, "%s", fx_jstr(t, "token"));
  json_decref(t);
  kc_actor b;
  expect_call(f, kc_auth_bearer(&f->ctx, token, &b), KC_OK);
  int64_t audit = fx_count_audit(f);

  /* The admin disables the account: its session and its API token stop resolving. */
  f->ctx.actor = &f->admin;
  json_t *acc = NULL;
  expect_call(f,
              kc_account_update(&f->ctx, id, &(kc_account_in){.disabled = 1, .version = 1}, &acc),
              KC_OK);
  assert_true(json_is_true(json_object_get(acc, "disabled")));
  expect_i64(fx_jint(acc, "version"), 2);
  assert_string_equal(fx_jstr(acc, "role"), "officer"); /* NULL fields unchanged */
  json_decref(acc);
  expect_i64(fx_count_audit(f), audit + 1);
  fx_expect_last_audit(f, "update", "account", id);
  expect_call(f, kc_auth_session(&f->ctx, out.token, &b, &csrf), KC_EAUTH);
  expect_call(f, kc_auth_bearer(&f->ctx, token, &b), KC_EAUTH);
  expect_i64(count_sql(f,
                       "SELECT COUNT(*) FROM sessions WHERE account_id = ? AND revoked_at "
                       "IS NULL",
                       id),
             0);
  /* Nor can it log in again, even with the right password. */
  expect_call(f, kc_auth_login(&f->ctx, "canbo", PASSWORD, "10.0.0.5", 12, &out), KC_EAUTH);
  /* A stale version is refused. */
  expect_call(f,
              kc_account_update(&f->ctx, id, &(kc_account_in){.disabled = 0, .version = 1}, &acc),
              KC_ECONFLICT);
  expect_field(f, "version");
  fx_expect_chain_ok(f, audit + 1);
}

static void test_password_change_ends_sessions(void **state)
{
  fx *f = *state;
  int64_t id = create_account(f, "canbo", "officer", "HN-D01");
  kc_login_out out;
  expect_call(f, kc_auth_login(&f->ctx, "canbo", PASSWORD, "10.0.0.5", 12, &out), KC_OK);
  json_decref(out.account);
  json_t *acc = NULL;
  int64_t audit = fx_count_audit(f);
  expect_call(f,
              kc_account_update(
                  &f->ctx, id,
                  &(kc_account_in){.password = "mat-khau-moi-2017", .disabled = -1, .version = 1},
                  &acc),
              KC_OK);
  assert_null(json_object_get(acc, "password_changed"));
  json_decref(acc);
  expect_i64(fx_count_audit(f), audit + 1);
  expect_i64(count_sql(f,
                       "SELECT COUNT(*) + ? FROM audit_log WHERE after_json LIKE "
                       "'%\"password_changed\":true%'",
                       0),
             1);
  kc_actor a;
  const char *csrf;
  expect_call(f, kc_auth_session(&f->ctx, out.token, &a, &csrf), KC_EAUTH);
  expect_call(f, kc_auth_login(&f->ctx, "canbo", PASSWORD, "10.0.0.5", 12, &out), KC_EAUTH);
  expect_call(f, kc_auth_login(&f->ctx, "canbo", "mat-khau-moi-2017", "10.0.0.5", 12, &out), KC_OK);
  json_decref(out.account);
}

static void test_session_follows_unit_move(void **state)
{
  fx *f = *state;
  int64_t d01 = fx_unit_id(f, "HN-D01"), d02 = fx_unit_id(f, "HN-D02");
  json_t *u = NULL;
  expect_call(f,
              kc_unit_create(&f->ctx,
                             &(kc_unit_in){.code = "HN-D01-P1",
                                           .name = "Phòng Nội vụ",
                                           .kind = "division",
                                           .parent_id = d01},
                             &u),
              KC_OK);
  int64_t div = fx_jint(u, "id");
  json_decref(u);
  create_account(f, "truongphong", "unit_head", "HN-D01-P1");
  kc_login_out out;
  expect_call(f, kc_auth_login(&f->ctx, "truongphong", PASSWORD, "10.0.0.5", 12, &out), KC_OK);
  json_decref(out.account);
  expect_call(f, kc_unit_move(&f->ctx, div, &(kc_unit_in){.parent_id = d02, .version = 1}, &u),
              KC_OK);
  json_decref(u);
  /* The session's actor acts in the unit's new place. */
  kc_actor a;
  const char *csrf;
  expect_call(f, kc_auth_session(&f->ctx, out.token, &a, &csrf), KC_OK);
  char want[64];
  snprintf(want, sizeof want, "/1/%" PRId64 "/%" PRId64 "/", d02, div);
  assert_string_equal(a.unit_path, want);
}

#define FX(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
      FX(test_official_create),
      FX(test_official_create_invalid),
      FX(test_official_search),
      FX(test_official_list_order),
      FX(test_official_scope),
      FX(test_official_update),
      FX(test_official_update_empty_name),
      FX(test_account_create),
      FX(test_account_update_username_refused),
      FX(test_login_session_logout),
      FX(test_login_wrong_and_throttle),
      FX(test_api_tokens),
      FX(test_disabled_account),
      FX(test_password_change_ends_sessions),
      FX(test_session_follows_unit_move),
  };
  return cmocka_run_group_tests_name("domain_people", tests, NULL, NULL);
}
