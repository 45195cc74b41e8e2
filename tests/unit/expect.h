/* expect.h: the assertions every unit test shares, on top of cmocka. Each prints both values
 * (and the expression) before failing the test, which cmocka's assert_int_equal does not do
 * for 64-bit values or kc_err codes. */
#ifndef KC_TESTS_EXPECT_H
#define KC_TESTS_EXPECT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"

/* Two integers (ids, counts, instants) are equal. */
#define expect_i64(actual, expected)                                                               \
  do {                                                                                             \
    int64_t a_ = (int64_t)(actual), e_ = (int64_t)(expected);                                      \
    if (a_ != e_) {                                                                                \
      print_error("%s:%d: %s is %" PRId64 ", expected %" PRId64 "\n", __FILE__, __LINE__, #actual, \
                  a_, e_);                                                                         \
      fail();                                                                                      \
    }                                                                                              \
  } while (0)

/* A call returned the kc_err expected (both printed by name). */
#define expect_err(actual, expected)                                                               \
  do {                                                                                             \
    kc_err a_ = (actual), e_ = (expected);                                                         \
    if (a_ != e_) {                                                                                \
      print_error("%s:%d: %s returned %s, expected %s\n", __FILE__, __LINE__, #actual,             \
                  kc_err_code(a_), kc_err_code(e_));                                               \
      fail();                                                                                      \
    }                                                                                              \
  } while (0)

/* Two strings are equal. */
#define expect_str(actual, expected)                                                               \
  do {                                                                                             \
    const char *a_ = (actual), *e_ = (expected);                                                   \
    if (!a_ || strcmp(a_, e_)) {                                                                   \
      print_error("%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual,           \
                  a_ ? a_ : "(null)", e_);                                                         \
      fail();                                                                                      \
    }                                                                                              \
  } while (0)

/* A text holds (or does not hold) a piece. */
#define expect_contains(haystack, needle)                                                          \
  do {                                                                                             \
    const char *h_ = (haystack), *n_ = (needle);                                                   \
    if (!h_ || !strstr(h_, n_)) {                                                                  \
      print_error("%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,                   \
                  h_ ? h_ : "(null)", n_);                                                         \
      fail();                                                                                      \
    }                                                                                              \
  } while (0)

#define expect_lacks(haystack, needle)                                                             \
  do {                                                                                             \
    const char *h_ = (haystack), *n_ = (needle);                                                   \
    if (h_ && strstr(h_, n_)) {                                                                    \
      print_error("%s:%d: \"%s\" should not be in:\n%s\n", __FILE__, __LINE__, n_, h_);            \
      fail();                                                                                      \
    }                                                                                              \
  } while (0)

#endif
