/* Unit tests of src/base/strbuf.c: growth, NUL termination, detach/release ownership, printf
 * appends that do and do not fit the room there is. Run under ASan and valgrind with the rest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"

static void test_empty_costs_nothing(void **state)
{
  (void)state;
  kc_strbuf b = KC_STRBUF_INIT;
  assert_int_equal(b.alloc, 0);
  assert_string_equal(b.buf, "");
  kc_strbuf_add(&b, "x", 0);
  assert_int_equal(b.alloc, 0);
  kc_strbuf_release(&b); /* a no-op: nothing was allocated */
  size_t len = 99;
  char *p = kc_strbuf_detach(&b, &len);
  assert_int_equal(len, 0);
  assert_string_equal(p, "");
  free(p); /* detach always hands over memory the caller may free */
}

static void test_add_grows_and_terminates(void **state)
{
  (void)state;
  kc_strbuf b;
  kc_strbuf_init(&b, 0);
  for (int i = 0; i < 1000; i++)
    kc_strbuf_addstr(&b, "Hà Nội ");
  assert_int_equal(b.len, 1000 * strlen("Hà Nội "));
  assert_true(b.alloc > b.len);
  assert_int_equal(b.buf[b.len], 0);
  assert_memory_equal(b.buf + b.len - strlen("Hà Nội "), "Hà Nội ", strlen("Hà Nội "));
  kc_strbuf_setlen(&b, strlen("Hà"));
  assert_string_equal(b.buf, "Hà");
  kc_strbuf_addch(&b, '!');
  assert_string_equal(b.buf, "Hà!");
  kc_strbuf_reset(&b);
  assert_string_equal(b.buf, "");
  kc_strbuf_release(&b);
  assert_int_equal(b.alloc, 0);
}

static void test_binary_data(void **state)
{
  (void)state;
  kc_strbuf b = KC_STRBUF_INIT;
  kc_strbuf_add(&b, "a\0b", 3);
  assert_int_equal(b.len, 3);
  assert_memory_equal(b.buf, "a\0b", 4);
  size_t len;
  char *p = kc_strbuf_detach(&b, &len);
  assert_int_equal(len, 3);
  assert_int_equal(b.len, 0);
  assert_string_equal(b.buf, ""); /* reusable after detach */
  free(p);
}

static void test_addf(void **state)
{
  (void)state;
  kc_strbuf b;
  kc_strbuf_init(&b, 8);
  kc_strbuf_addf(&b, "%d", 42); /* fits the room reserved */
  kc_strbuf_addf(&b, "-%s-", "một chuỗi dài hơn chỗ còn trống trong bộ đệm");
  assert_string_equal(b.buf, "42-một chuỗi dài hơn chỗ còn trống trong bộ đệm-");
  assert_int_equal(b.len, strlen(b.buf));
  char big[5000];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = 0;
  kc_strbuf_addf(&b, "%s", big);
  assert_int_equal(b.len, strlen("42-một chuỗi dài hơn chỗ còn trống trong bộ đệm-") + 4999);
  assert_int_equal(b.buf[b.len], 0);
  kc_strbuf_release(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_empty_costs_nothing),
      cmocka_unit_test(test_add_grows_and_terminates),
      cmocka_unit_test(test_binary_data),
      cmocka_unit_test(test_addf),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
