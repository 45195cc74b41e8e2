/* test_domain_change.c: what an update changes (domain/core/change.h): texts, integers, id
 * sets and whole records compared with the row an update loaded. */
#include "../expect.h"

#include "domain/core/change.h"

static void test_text_and_int(void **state)
{
  (void)state;
  json_t *row = json_pack("{ss so sI sb so}", "name", "Hà Nội", "signer", json_null(), "unit_id",
                          (json_int_t)7, "disabled", 0, "official_id", json_null());
  assert_false(kc_change_text(row, "name", NULL)); /* absent: unchanged */
  assert_false(kc_change_text(row, "name", "Hà Nội"));
  assert_true(kc_change_text(row, "name", "Hà Nam"));
  assert_false(kc_change_text(row, "signer", "")); /* "" is how a cleared text is kept */
  assert_true(kc_change_text(row, "signer", "A"));
  assert_false(kc_change_int(row, "unit_id", 0, 0));
  assert_false(kc_change_int(row, "unit_id", 7, 0));
  assert_true(kc_change_int(row, "unit_id", 8, 0));
  assert_false(kc_change_int(row, "disabled", -1, -1));
  assert_false(kc_change_int(row, "disabled", 0, -1)); /* a boolean as 0/1 */
  assert_true(kc_change_int(row, "disabled", 1, -1));
  assert_true(kc_change_int(row, "official_id", 3, 0)); /* null as 0 */
  json_decref(row);
}

static void test_ids_and_records(void **state)
{
  (void)state;
  kc_arena ar;
  kc_arena_init(&ar);
  json_t *have = json_pack("[iii]", 5, 3, 9);
  const int64_t same[] = {9, 5, 3, 5}, fewer[] = {3, 5}, other[] = {3, 5, 10};
  assert_false(kc_change_ids(&ar, have, same, 4)); /* order and repeats do not matter */
  assert_true(kc_change_ids(&ar, have, fewer, 2));
  assert_true(kc_change_ids(&ar, have, other, 3));
  assert_true(kc_change_ids(&ar, have, NULL, 0));
  json_t *none = json_array();
  assert_false(kc_change_ids(&ar, none, NULL, 0));
  json_t *a =
      json_pack("{sI si ss ss}", "id", (json_int_t)1, "version", 3, "updated_at", "x", "name", "A");
  json_t *b =
      json_pack("{sI si ss ss}", "id", (json_int_t)1, "version", 4, "updated_at", "y", "name", "A");
  assert_false(kc_change_record(a, b)); /* only the version and the update time moved */
  json_object_set_new(b, "name", json_string("B"));
  assert_true(kc_change_record(a, b));
  expect_i64(json_integer_value(json_object_get(a, "version")), 3); /* inputs untouched */
  json_decref(a);
  json_decref(b);
  json_decref(have);
  json_decref(none);
  kc_arena_free(&ar);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text_and_int),
      cmocka_unit_test(test_ids_and_records),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
