/* vndate.h: dates and times written the way Vietnamese documents write them (Decree 30/2020,
 * docs/documents.md): "ngày 05 tháng 3 năm 2017", "ngày 05 tháng 02 năm 2017", "09 giờ 15 phút".
 * Input is the API's ISO 8601 ("YYYY-MM-DD" or a timestamp with its zone), shown in UTC+7. A
 * missing or unreadable value gives the dotted blanks a paper form leaves to be filled in. */
#ifndef KC_REPORT_VNDATE_H
#define KC_REPORT_VNDATE_H
#include <stdbool.h>
#include <stddef.h>

/* Large enough for every phrase below, blanks included. */
#define KC_VNDATE_MAX 96

/* The dotted blank written where a value is missing on a form. */
#define KC_VN_BLANK "…………"

/* A civil date and time in UTC+7. */
typedef struct kc_vndate {
  int year, month, day;
  int hour, minute;
  bool has_time; /* false for a bare "YYYY-MM-DD" */
} kc_vndate;

/* Reads "YYYY-MM-DD" (a civil date, taken as is) or an ISO 8601 timestamp with or without a
 * zone (kc_time_parse_iso; converted to UTC+7). Returns false, *out untouched, for NULL or
 * anything else. This function can't fail otherwise. */
bool kc_vndate_parse(const char *iso, kc_vndate *out);

/* Each writer below formats `iso` into `buf` (`cap` bytes, at least KC_VNDATE_MAX for a full
 * phrase; a shorter buffer gets the phrase cut at a character boundary, NUL-terminated when
 * cap > 0) and can't fail. Days below 10 and the months January and February take a leading
 * zero (Decree 30/2020), other months do not; hours and minutes take two digits. A NULL or
 * unreadable `iso` gives dotted blanks. */

/* "ngày 05 tháng 3 năm 2017" (blank: "ngày …… tháng …… năm ……"). */
void kc_vndate_long(const char *iso, char *buf, size_t cap);
/* "09 giờ 15 phút" (blank, also for a bare date: "…… giờ …… phút"). */
void kc_vndate_time(const char *iso, char *buf, size_t cap);
/* "09 giờ 15 phút, ngày 01 tháng 3 năm 2017"; a bare date leaves the time blank. */
void kc_vndate_datetime(const char *iso, char *buf, size_t cap);
/* "09 giờ 15 phút, ngày 01/03/2017" (tables); a bare date leaves the time blank. */
void kc_vndate_datetime_short(const char *iso, char *buf, size_t cap);
/* "01/03/2017" (blank: "……/……/……"). */
void kc_vndate_short(const char *iso, char *buf, size_t cap);

#endif
