/* test_fields.c: reading JSON bodies by field tables (http/fields.h): each type, required on
 * create and on update, null, limits (characters, not bytes), NFC, enum messages, and the
 * member named in the 400 answer. */
#include "../expect.h"

#include <stdlib.h>

#include "http/fields.h"

typedef struct {
  const char *name, *day, *kind, *raw;
  int64_t count, version, parent;
  int flag;
  const int64_t *ids;
  size_t nids;
} sample_in;

static const char *const kinds[] = {"city", "district", "commune", NULL};

static const kc_field sample[] = {
    KC_FIELD_STR(sample_in, name, KC_F_REQ_CREATE | KC_F_NOT_NULL, 5),
    KC_FIELD_DATE(sample_in, day, 0),
    KC_FIELD_ENUM(sample_in, kind, 0, kinds),
    KC_FIELD_STR(sample_in, raw, KC_F_RAW, 0),
    KC_FIELD_INT(sample_in, count, 0, 1, 100),
    {.name = "parent", .type = KC_FT_INT, .off = offsetof(sample_in, parent), .null_int = -1},
    KC_FIELD_BOOL(sample_in, flag, 0),
    KC_FIELD_IDS(sample_in, ids, nids, 0, 3),
    KC_FIELD_VERSION(sample_in),
};

typedef struct {
  kc_req r;
  sample_in in;
  json_t *err; /* the answer's "error" object after a failure */
  json_t *answer;
} fixture;

/* Reads the JSON text `body` into f->in; on failure parses the prepared answer. */
static bool run(fixture *f, const char *body, bool create)
{
  json_decref(f->answer);
  f->answer = NULL;
  f->err = NULL;
  free(f->r.resp_free);
  f->r.resp_free = NULL;
  memset(&f->in, 0, sizeof f->in);
  f->in.flag = -1;
  json_t *b = json_loads(body, JSON_ALLOW_NUL, NULL);
  assert_non_null(b);
  bool ok = kc_body_fields(&f->r, b, sample, KC_NFIELDS(sample), create, &f->in);
  json_decref(b);
  if (!ok) {
    expect_i64(f->r.status, 400);
    f->answer = json_loadb(f->r.resp, f->r.resp_len, 0, NULL);
    assert_non_null(f->answer);
    f->err = json_object_get(f->answer, "error");
    expect_str(json_string_value(json_object_get(f->err, "code")), "invalid_field");
  }
  return ok;
}

static const char *err_field(fixture *f)
{
  return json_string_value(json_object_get(f->err, "field"));
}

static const char *err_message(fixture *f)
{
  return json_string_value(json_object_get(f->err, "message"));
}

static int setup(void **state)
{
  fixture *f = calloc(1, sizeof *f);
  kc_arena_init(&f->r.arena);
  f->r.fd = -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fixture *f = *state;
  json_decref(f->answer);
  free(f->r.resp_free);
  kc_arena_free(&f->r.arena);
  free(f);
  return 0;
}

static void test_types(void **state)
{
  fixture *f = *state;
  assert_true(run(f,
                  "{\"name\":\"Hà\",\"day\":\"2024-02-29\",\"kind\":\"district\",\"count\":7,"
                  "\"flag\":true,\"ids\":[3,4],\"version\":2,\"unknown\":[1]}",
                  true));
  expect_str(f->in.name, "Hà");
  expect_str(f->in.day, "2024-02-29");
  expect_str(f->in.kind, "district");
  expect_i64(f->in.count, 7);
  expect_i64(f->in.flag, 1);
  expect_i64(f->in.nids, 2);
  expect_i64(f->in.ids[0], 3);
  expect_i64(f->in.ids[1], 4);
  expect_i64(f->in.version, 2);

  assert_false(run(f, "{\"name\":5}", true));
  expect_str(err_field(f), "name");
  expect_contains(err_message(f), "chuỗi");
  assert_false(run(f, "{\"name\":\"a\",\"day\":\"2023-02-29\"}", true));
  expect_str(err_field(f), "day");
  expect_contains(err_message(f), "YYYY-MM-DD");
  assert_false(run(f, "{\"name\":\"a\",\"day\":\"29/02/2024\"}", true));
  expect_str(err_field(f), "day");
  assert_false(run(f, "{\"name\":\"a\",\"count\":1.5}", true));
  expect_str(err_field(f), "count");
  assert_false(run(f, "{\"name\":\"a\",\"flag\":1}", true));
  expect_str(err_field(f), "flag");
  expect_contains(err_message(f), "true hoặc false");
  assert_false(run(f, "{\"name\":\"a\",\"ids\":[1,0]}", true));
  expect_str(err_field(f), "ids");
  assert_false(run(f, "{\"name\":\"a\",\"ids\":\"1\"}", true));
  expect_str(err_field(f), "ids");
  assert_false(run(f, "{\"name\":\"a\",\"version\":-1}", true));
  expect_str(err_field(f), "version");
  expect_contains(err_message(f), "không âm");
}

static void test_required(void **state)
{
  fixture *f = *state;
  /* name is required on create only, version on update only */
  assert_false(run(f, "{}", true));
  expect_str(err_field(f), "name");
  expect_str(err_message(f), "Thiếu trường name");
  assert_true(run(f, "{\"name\":\"a\"}", true));
  assert_false(run(f, "{\"name\":\"a\"}", false));
  expect_str(err_field(f), "version");
  assert_true(run(f, "{\"version\":3}", false));
  /* absent members leave the struct as preset: unchanged */
  assert_null(f->in.name);
  assert_null(f->in.day);
  assert_null(f->in.ids);
  expect_i64(f->in.flag, -1);
  expect_i64(f->in.count, 0);
}

static void test_null(void **state)
{
  fixture *f = *state;
  /* a member that cannot be cleared refuses null, on update too */
  assert_false(run(f, "{\"version\":1,\"name\":null}", false));
  expect_str(err_field(f), "name");
  expect_contains(err_message(f), "null");
  /* null clears the others: "" for texts and dates, null_int for integers; booleans and
   * arrays read it as absent */
  assert_true(run(f,
                  "{\"version\":1,\"day\":null,\"kind\":null,\"parent\":null,\"count\":null,"
                  "\"flag\":null,\"ids\":null}",
                  false));
  expect_str(f->in.day, "");
  expect_str(f->in.kind, "");
  expect_i64(f->in.parent, -1);
  expect_i64(f->in.count, 0);
  expect_i64(f->in.flag, -1);
  assert_null(f->in.ids);
  /* "" clears a date that may be cleared; [] is present and empty (clears the list) */
  assert_true(run(f, "{\"version\":1,\"day\":\"\",\"ids\":[]}", false));
  expect_str(f->in.day, "");
  assert_non_null(f->in.ids);
  expect_i64(f->in.nids, 0);
}

static void test_limits(void **state)
{
  fixture *f = *state;
  /* five characters of two bytes each fit a five-character limit */
  assert_true(run(f, "{\"name\":\"ĐĐĐĐĐ\"}", true));
  expect_str(f->in.name, "ĐĐĐĐĐ");
  assert_false(run(f, "{\"name\":\"ĐĐĐĐĐĐ\"}", true));
  expect_str(err_field(f), "name");
  expect_contains(err_message(f), "tối đa 5 ký tự");
  /* integer range */
  assert_false(run(f, "{\"name\":\"a\",\"count\":0}", true));
  expect_str(err_field(f), "count");
  expect_contains(err_message(f), "từ 1 đến 100");
  assert_false(run(f, "{\"name\":\"a\",\"count\":101}", true));
  assert_true(run(f, "{\"name\":\"a\",\"count\":100}", true));
  /* array size */
  assert_false(run(f, "{\"name\":\"a\",\"ids\":[1,2,3,4]}", true));
  expect_str(err_field(f), "ids");
  expect_contains(err_message(f), "tối đa 3");
  /* a NUL inside a string */
  assert_false(run(f, "{\"name\":\"a\\u0000b\"}", true));
  expect_str(err_field(f), "name");
}

static void test_nfc(void **state)
{
  fixture *f = *state;
  /* "ế" decomposed (e, U+0302, U+0301) comes out as U+1EBF and counts as one character */
  assert_true(run(f, "{\"name\":\"Huê\\u0301\",\"raw\":\"e\\u0302\\u0301\"}", true));
  expect_str(f->in.name, "Hu\xe1\xba\xbf");
  /* a raw member (passwords) is kept byte for byte */
  expect_str(f->in.raw, "e\xcc\x82\xcc\x81");
  assert_true(run(f,
                  "{\"name\":\"e\\u0302\\u0301e\\u0302\\u0301e\\u0302\\u0301e\\u0302\\u0301"
                  "e\\u0302\\u0301\"}",
                  true));
}

static void test_enum(void **state)
{
  fixture *f = *state;
  assert_false(run(f, "{\"name\":\"a\",\"kind\":\"thôn\"}", true));
  expect_str(err_field(f), "kind");
  expect_str(err_message(f), "Trường kind phải là một trong các giá trị: city, district, commune");
  assert_false(run(f, "{\"name\":\"a\",\"kind\":3}", true));
  expect_str(err_field(f), "kind");
}

/* A nested member, a member with its own message, and a null read as absent. */
typedef struct {
  const char *who, *when;
  int64_t n;
} nested_in;

static const kc_field nested[] = {
    {.name = "person.name",
     .type = KC_FT_STR,
     .flags = KC_F_NULL_ABSENT,
     .off = offsetof(nested_in, who)},
    {.name = "when",
     .type = KC_FT_STR,
     .flags = KC_F_NULL_ABSENT,
     .off = offsetof(nested_in, when),
     .msg = "Thời điểm không hợp lệ"},
    {.name = "n",
     .type = KC_FT_INT,
     .flags = KC_F_REQ,
     .off = offsetof(nested_in, n),
     .min = INT64_MIN,
     .max = INT64_MAX,
     .msg = "Thiếu số n"},
};

static bool run_nested(fixture *f, const char *body, nested_in *in)
{
  free(f->r.resp_free);
  f->r.resp_free = NULL;
  json_decref(f->answer);
  f->answer = NULL;
  memset(in, 0, sizeof *in);
  json_t *b = json_loads(body, 0, NULL);
  assert_non_null(b);
  bool ok = kc_body_fields(&f->r, b, nested, KC_NFIELDS(nested), true, in);
  json_decref(b);
  if (!ok) {
    f->answer = json_loadb(f->r.resp, f->r.resp_len, 0, NULL);
    f->err = json_object_get(f->answer, "error");
  }
  return ok;
}

static void test_nested_and_messages(void **state)
{
  fixture *f = *state;
  nested_in in;
  assert_true(run_nested(f, "{\"person\":{\"name\":\"An\"},\"when\":null,\"n\":-5}", &in));
  expect_str(in.who, "An");
  assert_null(in.when); /* null read as absent, not as "" */
  expect_i64(in.n, -5);
  /* a member of something that is not an object is absent */
  assert_true(run_nested(f, "{\"person\":\"An\",\"n\":1}", &in));
  assert_null(in.who);
  assert_false(run_nested(f, "{\"person\":{\"name\":3},\"n\":1}", &in));
  expect_str(err_field(f), "person.name");
  /* the member's own message, for a wrong type and for a missing member alike */
  assert_false(run_nested(f, "{\"when\":5,\"n\":1}", &in));
  expect_str(err_field(f), "when");
  expect_str(err_message(f), "Thời điểm không hợp lệ");
  assert_false(run_nested(f, "{}", &in));
  expect_str(err_field(f), "n");
  expect_str(err_message(f), "Thiếu số n");
}

static void test_prefix(void **state)
{
  fixture *f = *state;
  memset(&f->in, 0, sizeof f->in);
  json_t *b = json_loads("{\"name\":\"a\",\"count\":0}", 0, NULL);
  assert_false(kc_body_fields_in(&f->r, b, sample, KC_NFIELDS(sample), true, &f->in, "tasks[2]."));
  json_decref(b);
  f->answer = json_loadb(f->r.resp, f->r.resp_len, 0, NULL);
  f->err = json_object_get(f->answer, "error");
  expect_str(err_field(f), "tasks[2].count");
  expect_contains(err_message(f), "tasks[2].count");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_types, setup, teardown),
      cmocka_unit_test_setup_teardown(test_required, setup, teardown),
      cmocka_unit_test_setup_teardown(test_null, setup, teardown),
      cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
      cmocka_unit_test_setup_teardown(test_nfc, setup, teardown),
      cmocka_unit_test_setup_teardown(test_enum, setup, teardown),
      cmocka_unit_test_setup_teardown(test_nested_and_messages, setup, teardown),
      cmocka_unit_test_setup_teardown(test_prefix, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
