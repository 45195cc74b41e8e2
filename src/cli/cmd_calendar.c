/* The calendar subcommand (see cmd_calendar.h). Thin: parse arguments, call kc_calendar, print. */
#include "cli/cmd_calendar.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"

#define EXIT_BAD_INPUT 2
#define EXIT_DATA 1

static const char usage_text[] =
    "Cách dùng:\n"
    "  kycuong calendar lunar YYYY-MM-DD          ngày âm lịch của một ngày dương lịch\n"
    "  kycuong calendar solar YYYY-MM-DD [--leap] ngày dương lịch của một ngày âm lịch\n"
    "  kycuong calendar days TỪ_NGÀY ĐẾN_NGÀY     loại từng ngày (work/off) và lý do\n"
    "  kycuong calendar add YYYY-MM-DD N          ngày làm việc thứ N sau ngày đã cho\n"
    "  kycuong calendar count TỪ_NGÀY ĐẾN_NGÀY    số ngày làm việc trong (TỪ, ĐẾN]\n"
    "  kycuong calendar month YYYY-MM             lịch tháng có ngày âm lịch và ngày nghỉ\n";

static int usage(const char *why)
{
  if (why)
    fprintf(stderr, "Lỗi: %s\n", why);
  fputs(usage_text, stderr);
  return EXIT_BAD_INPUT;
}

static int arg_date(const char *s, kc_cal_day *out)
{
  kc_cal_err e = kc_cal_parse_date(s, strlen(s), out);
  if (e == KC_CAL_ESYNTAX) {
    fprintf(stderr, "Lỗi: ngày không hợp lệ '%s' (cần dạng YYYY-MM-DD, ví dụ 2026-02-17)\n", s);
    return EXIT_BAD_INPUT;
  }
  if (e != KC_CAL_OK) {
    fprintf(stderr, "Lỗi: ngày '%s' nằm ngoài phạm vi hỗ trợ 1900-01-01..2199-12-31\n", s);
    return EXIT_BAD_INPUT;
  }
  return 0;
}

static int arg_int(const char *s, int *out)
{
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || errno || v < INT_MIN || v > INT_MAX) {
    fprintf(stderr, "Lỗi: '%s' không phải số nguyên\n", s);
    return EXIT_BAD_INPUT;
  }
  *out = (int)v;
  return 0;
}

static int load_calendar(const char *data_dir, kc_cal_calendar **cal)
{
  char dir[4096], err[512] = "";
  kc_cal_schedule s;
  kc_cal_schedule_init(&s);
  snprintf(dir, sizeof(dir), "%s/calendar", data_dir ? data_dir : "data");
  kc_cal_err e = kc_cal_schedule_load_dir(dir, &s, err, sizeof(err));
  if (e == KC_CAL_OK)
    e = kc_cal_calendar_build(&s, cal);
  kc_cal_schedule_free(&s);
  if (e != KC_CAL_OK) {
    fprintf(stderr, "Lỗi dữ liệu lịch: %s\n", err[0] ? err : kc_cal_strerror(e));
    return EXIT_DATA;
  }
  return 0;
}

static int cmd_lunar(int argc, char **argv)
{
  if (argc != 3)
    return usage("lệnh 'lunar' cần đúng một ngày");
  kc_cal_day d;
  kc_cal_lunar l;
  char buf[KC_CAL_DATE_LEN + 1];
  int rc = arg_date(argv[2], &d);
  if (rc)
    return rc;
  if (kc_cal_solar_to_lunar(d, &l) != KC_CAL_OK)
    return usage("ngày nằm ngoài phạm vi âm lịch hỗ trợ");
  printf("%s%s\n", kc_cal_lunar_format(&l, buf), l.leap ? " leap" : "");
  return 0;
}

static int cmd_solar(int argc, char **argv)
{
  bool leap = false;
  const char *date = NULL;
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--leap") == 0)
      leap = true;
    else if (!date)
      date = argv[i];
    else
      return usage("lệnh 'solar' cần một ngày âm lịch và tùy chọn --leap");
  }
  if (!date)
    return usage("lệnh 'solar' cần một ngày âm lịch");
  int y, m, d;
  char tail;
  if (strlen(date) != KC_CAL_DATE_LEN || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      date[4] != '-' || date[7] != '-') {
    fprintf(stderr, "Lỗi: ngày âm lịch không hợp lệ '%s' (cần dạng YYYY-MM-DD)\n", date);
    return EXIT_BAD_INPUT;
  }
  kc_cal_lunar l = {y, m, d, leap};
  kc_cal_day out;
  kc_cal_err e = kc_cal_lunar_to_solar(&l, &out);
  if (e == KC_CAL_EINVAL) {
    if (leap && m >= 1 && m <= 12 && kc_cal_lunar_leap_month(y) != m)
      fprintf(stderr, "Lỗi: năm âm lịch %d không có tháng %d nhuận\n", y, m);
    else
      fprintf(stderr, "Lỗi: không có ngày âm lịch %s%s\n", date, leap ? " (nhuận)" : "");
    return EXIT_BAD_INPUT;
  }
  if (e != KC_CAL_OK) {
    fprintf(stderr, "Lỗi: ngày âm lịch %s nằm ngoài phạm vi hỗ trợ\n", date);
    return EXIT_BAD_INPUT;
  }
  char buf[KC_CAL_DATE_LEN + 1];
  printf("%s\n", kc_cal_format_date(out, buf));
  return 0;
}

static int two_dates(int argc, char **argv, kc_cal_day *a, kc_cal_day *b, const char *what)
{
  if (argc != 4) {
    char why[128];
    snprintf(why, sizeof(why), "lệnh '%s' cần hai ngày", what);
    return usage(why);
  }
  int rc = arg_date(argv[2], a);
  if (!rc)
    rc = arg_date(argv[3], b);
  return rc;
}

static int cmd_days(int argc, char **argv, const char *data_dir)
{
  kc_cal_day a, b;
  int rc = two_dates(argc, argv, &a, &b, "days");
  if (rc)
    return rc;
  if (b < a) {
    fprintf(stderr, "Lỗi: ngày kết thúc %s đứng trước ngày bắt đầu %s\n", argv[3], argv[2]);
    return EXIT_BAD_INPUT;
  }
  kc_cal_calendar *cal = NULL;
  rc = load_calendar(data_dir, &cal);
  if (rc)
    return rc;
  char buf[KC_CAL_DATE_LEN + 1];
  for (kc_cal_day d = a; d <= b; d++) {
    kc_cal_day_kind k;
    const char *why;
    if (kc_cal_day_kind_of(cal, d, &k, &why) != KC_CAL_OK)
      break;
    printf("%s\t%s\t%s\n", kc_cal_format_date(d, buf), k == KC_CAL_WORK ? "work" : "off", why);
  }
  kc_cal_calendar_free(cal);
  return 0;
}

static int cmd_add(int argc, char **argv, const char *data_dir)
{
  if (argc != 4)
    return usage("lệnh 'add' cần một ngày và một số N");
  kc_cal_day d, out;
  int n;
  int rc = arg_date(argv[2], &d);
  if (!rc)
    rc = arg_int(argv[3], &n);
  if (rc)
    return rc;
  kc_cal_calendar *cal = NULL;
  rc = load_calendar(data_dir, &cal);
  if (rc)
    return rc;
  kc_cal_err e = kc_cal_add_workdays(cal, d, n, &out);
  kc_cal_calendar_free(cal);
  if (e != KC_CAL_OK) {
    fprintf(stderr, "Lỗi: kết quả nằm ngoài phạm vi hỗ trợ 1900-01-01..2199-12-31\n");
    return EXIT_BAD_INPUT;
  }
  char buf[KC_CAL_DATE_LEN + 1];
  printf("%s\n", kc_cal_format_date(out, buf));
  return 0;
}

static int cmd_count(int argc, char **argv, const char *data_dir)
{
  kc_cal_day a, b;
  int rc = two_dates(argc, argv, &a, &b, "count");
  if (rc)
    return rc;
  kc_cal_calendar *cal = NULL;
  rc = load_calendar(data_dir, &cal);
  if (rc)
    return rc;
  int32_t n = 0;
  kc_cal_err e = kc_cal_count_workdays(cal, a, b, &n);
  kc_cal_calendar_free(cal);
  if (e != KC_CAL_OK)
    return usage("ngày nằm ngoài phạm vi hỗ trợ");
  printf("%d\n", (int)n);
  return 0;
}

/* Pads a UTF-8 (NFC) string to `width` columns on the left; one code point = one column,
 * which holds for the Vietnamese headings used here. */
static void print_padded(const char *s, int width)
{
  int cols = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    cols += (*p & 0xc0) != 0x80;
  for (int i = cols; i < width; i++)
    putchar(' ');
  fputs(s, stdout);
}

#define CELL 11

static int cmd_month(int argc, char **argv, const char *data_dir)
{
  if (argc != 3)
    return usage("lệnh 'month' cần một tháng dạng YYYY-MM");
  const char *s = argv[2];
  int y, m;
  char tail;
  if (strlen(s) != 7 || s[4] != '-' || sscanf(s, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 ||
      m > 12) {
    fprintf(stderr, "Lỗi: tháng không hợp lệ '%s' (cần dạng YYYY-MM, ví dụ 2026-02)\n", s);
    return EXIT_BAD_INPUT;
  }
  if (y < KC_CAL_MIN_YEAR || y > KC_CAL_MAX_YEAR) {
    fprintf(stderr, "Lỗi: tháng '%s' nằm ngoài phạm vi hỗ trợ 1900..2199\n", s);
    return EXIT_BAD_INPUT;
  }
  kc_cal_calendar *cal = NULL;
  int rc = load_calendar(data_dir, &cal);
  if (rc)
    return rc;
  static const char *const heads[7] = {"Thứ Hai", "Thứ Ba",  "Thứ Tư",  "Thứ Năm",
                                       "Thứ Sáu", "Thứ Bảy", "Chủ nhật"};
  kc_cal_day first = kc_cal_from_ymd(y, m, 1);
  int ndays = kc_cal_days_in_month(y, m);
  printf("Tháng %d năm %d\n", m, y);
  for (int i = 0; i < 7; i++)
    print_padded(heads[i], CELL);
  putchar('\n');
  int col = kc_cal_weekday(first) - 1;
  for (int i = 0; i < col; i++)
    printf("%*s", CELL, "");
  for (int i = 0; i < ndays; i++) {
    kc_cal_day d = first + i;
    kc_cal_lunar l;
    char lun[16] = "";
    if (kc_cal_solar_to_lunar(d, &l) == KC_CAL_OK)
      snprintf(lun, sizeof(lun), "%d/%d%s", l.day, l.month, l.leap ? "n" : "");
    bool off = !kc_cal_is_workday(cal, d);
    /* day number, '*' when off, lunar day/month: 11 columns */
    printf("%4d%c%6s", i + 1, off ? '*' : ' ', lun);
    if (++col == 7 || i + 1 == ndays) {
      putchar('\n');
      col = 0;
    }
  }
  printf("(* ngày nghỉ; sau mỗi ngày là ngày/tháng âm lịch, n = tháng nhuận)\n");
  for (int i = 0; i < ndays; i++) {
    kc_cal_day_kind k;
    const char *why;
    if (kc_cal_day_kind_of(cal, first + i, &k, &why) != KC_CAL_OK)
      continue;
    if (why[0] && strcmp(why, "weekend") != 0)
      printf("%02d/%02d: %s (%s)\n", i + 1, m, why, k == KC_CAL_WORK ? "làm việc" : "nghỉ");
  }
  kc_cal_calendar_free(cal);
  return 0;
}

int kc_cli_calendar(int argc, char **argv, const char *data_dir)
{
  if (argc < 2)
    return usage("thiếu lệnh con");
  const char *sub = argv[1];
  int rc;
  if (strcmp(sub, "lunar") == 0)
    rc = cmd_lunar(argc, argv);
  else if (strcmp(sub, "solar") == 0)
    rc = cmd_solar(argc, argv);
  else if (strcmp(sub, "days") == 0)
    rc = cmd_days(argc, argv, data_dir);
  else if (strcmp(sub, "add") == 0)
    rc = cmd_add(argc, argv, data_dir);
  else if (strcmp(sub, "count") == 0)
    rc = cmd_count(argc, argv, data_dir);
  else if (strcmp(sub, "month") == 0)
    rc = cmd_month(argc, argv, data_dir);
  else {
    fprintf(stderr, "Lỗi: lệnh con không hợp lệ '%s'\n", sub);
    fputs(usage_text, stderr);
    rc = EXIT_BAD_INPUT;
  }
  fflush(stdout);
  return rc;
}
