/* Unit tests: output format of `kycuong calendar` (kc_cli_calendar with captured stdout). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cmd_calendar.h"

static char out_buf[65536], err_buf[8192];

/* Runs the command with stdout and stderr sent to temporary files, then reads them back. */
static int run(const char *a1, const char *a2, const char *a3, const char *a4)
{
  char *argv[6] = {"calendar", (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL};
  int argc = 1;
  while (argc < 5 && argv[argc])
    argc++;
  const char *data = getenv("KC_DATA_DIR");
  fflush(stdout);
  fflush(stderr);
  FILE *o = tmpfile(), *e = tmpfile();
  int so = dup(1), se = dup(2);
  dup2(fileno(o), 1);
  dup2(fileno(e), 2);
  int rc = kc_cli_calendar(argc, argv, data ? data : "data");
  fflush(stdout);
  fflush(stderr);
  dup2(so, 1);
  dup2(se, 2);
  close(so);
  close(se);
  rewind(o);
  rewind(e);
  size_t n = fread(out_buf, 1, sizeof(out_buf) - 1, o);
  out_buf[n] = '\0';
  n = fread(err_buf, 1, sizeof(err_buf) - 1, e);
  err_buf[n] = '\0';
  fclose(o);
  fclose(e);
  return rc;
}

static void test_lunar_solar(void **state)
{
  (void)state;
  assert_int_equal(run("lunar", "2026-02-17", NULL, NULL), 0);
  assert_string_equal(out_buf, "2026-01-01\n");
  assert_int_equal(run("lunar", "2023-03-22", NULL, NULL), 0);
  assert_string_equal(out_buf, "2023-02-01 leap\n");
  assert_int_equal(run("solar", "2023-02-01", "--leap", NULL), 0);
  assert_string_equal(out_buf, "2023-03-22\n");
  assert_int_equal(run("solar", "2023-02-01", NULL, NULL), 0);
  assert_string_equal(out_buf, "2023-02-20\n");
  assert_int_equal(run("solar", "1985-01-01", NULL, NULL), 0);
  assert_string_equal(out_buf, "1985-01-21\n");
}

static void test_days_add_count(void **state)
{
  (void)state;
  assert_int_equal(run("days", "2019-05-03", "2019-05-05", NULL), 0);
  assert_string_equal(out_buf, "2019-05-03\twork\t\n"
                               "2019-05-04\twork\tswapped-workday\n"
                               "2019-05-05\toff\tweekend\n");
  assert_int_equal(run("days", "2030-04-30", "2030-04-30", NULL), 0);
  assert_string_equal(out_buf, "2030-04-30\toff\tholiday:Ngày Chiến thắng\n");
  assert_int_equal(run("add", "2026-02-13", "1", NULL), 0);
  assert_string_equal(out_buf, "2026-02-23\n");
  assert_int_equal(run("count", "2026-02-13", "2026-02-23", NULL), 0);
  assert_string_equal(out_buf, "1\n");
}

static void test_month(void **state)
{
  (void)state;
  assert_int_equal(run("month", "2026-02", NULL, NULL), 0);
  assert_non_null(strstr(out_buf, "Tháng 2 năm 2026\n"));
  assert_non_null(strstr(out_buf, "Thứ Hai"));
  assert_non_null(strstr(out_buf, "Chủ nhật\n"));
  assert_non_null(strstr(out_buf, "  17*   1/1")); /* Tết: off, lunar 1/1 */
  assert_non_null(strstr(out_buf, "17/02: official:Tết Nguyên đán (nghỉ)"));
}

static void test_bad_input(void **state)
{
  (void)state;
  assert_int_equal(run("lunar", "2026-02-30", NULL, NULL), 2);
  assert_string_equal(out_buf, "");
  assert_non_null(strstr(err_buf, "ngày không hợp lệ '2026-02-30'"));
  assert_int_equal(run("lunar", "1899-12-31", NULL, NULL), 2);
  assert_non_null(strstr(err_buf, "ngoài phạm vi"));
  assert_int_equal(run("solar", "2024-02-01", "--leap", NULL), 2);
  assert_non_null(strstr(err_buf, "không có tháng 2 nhuận"));
  assert_int_equal(run("add", "2026-02-13", "x", NULL), 2);
  assert_non_null(strstr(err_buf, "không phải số nguyên"));
  assert_int_equal(run("days", "2026-02-13", "2026-02-01", NULL), 2);
  assert_int_equal(run("month", "2026-13", NULL, NULL), 2);
  assert_int_equal(run("fly", NULL, NULL, NULL), 2);
  assert_non_null(strstr(err_buf, "Cách dùng"));
  assert_int_equal(run(NULL, NULL, NULL, NULL), 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lunar_solar),
      cmocka_unit_test(test_days_add_count),
      cmocka_unit_test(test_month),
      cmocka_unit_test(test_bad_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
