/* ical.c: see ical.h. */
#include "report/ical.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "report/table.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Writes one content line "NAME:value" (value escaped when text), folded at 75 octets:
 * a fold is CRLF + one space, and never falls inside a UTF-8 sequence. */
static void line(kc_strbuf *b, const char *name, const char *value, int text)
{
  kc_strbuf l = KC_STRBUF_INIT;
  kc_strbuf_add(&l, name, strlen(name));
  kc_strbuf_add(&l, ":", 1);
  for (const char *p = value; *p; p++) {
    if (text && (*p == '\\' || *p == ';' || *p == ',')) {
      kc_strbuf_add(&l, "\\", 1);
      kc_strbuf_add(&l, p, 1);
    } else if (text && *p == '\n') {
      kc_strbuf_add(&l, "\\n", 2);
    } else if (*p != '\r') {
      kc_strbuf_add(&l, p, 1);
    }
  }
  size_t col = 0;
  for (size_t i = 0; i < l.len;) {
    size_t n = 1;
    unsigned char c = (unsigned char)l.buf[i];
    if (c >= 0xF0)
      n = 4;
    else if (c >= 0xE0)
      n = 3;
    else if (c >= 0xC0)
      n = 2;
    if (col + n > 75) {
      kc_strbuf_add(b, "\r\n ", 3);
      col = 1;
    }
    kc_strbuf_add(b, l.buf + i, n);
    col += n;
    i += n;
  }
  kc_strbuf_add(b, "\r\n", 2);
  kc_strbuf_release(&l);
}

char *kc_ical_render(json_t *tasks, const char *name, int64_t now, const char *link, size_t *len)
{
  kc_strbuf b = KC_STRBUF_INIT;
  char stamp[32];
  time_t t = (time_t)now;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  line(&b, "BEGIN", "VCALENDAR", 0);
  line(&b, "VERSION", "2.0", 0);
  line(&b, "PRODID", "-//kycuong//Hạn nhiệm vụ//VI", 0);
  line(&b, "CALSCALE", "GREGORIAN", 0);
  line(&b, "METHOD", "PUBLISH", 0);
  line(&b, "X-WR-CALNAME", name, 1);
  line(&b, "X-WR-TIMEZONE", "Asia/Ho_Chi_Minh", 0);
  size_t i;
  json_t *task;
  json_array_foreach(tasks, i, task)
  {
    const char *due = json_string_value(json_object_get(task, "due_date"));
    if (!due || strlen(due) != 10)
      continue;
    char d[9], next[40], uid[64];
    snprintf(d, sizeof d, "%.4s%.2s%.2s", due, due + 5, due + 8);
    struct tm dt = {
        .tm_year = atoi(due) - 1900, .tm_mon = atoi(due + 5) - 1, .tm_mday = atoi(due + 8) + 1};
    timegm(&dt); /* normalises the day after */
    snprintf(next, sizeof next, "%04d%02d%02d", dt.tm_year + 1900, dt.tm_mon + 1, dt.tm_mday);
    long long id = (long long)json_integer_value(json_object_get(task, "id"));
    snprintf(uid, sizeof uid, "task-%lld@kycuong", id);
    const char *title = json_string_value(json_object_get(task, "title"));
    const char *unit = json_string_value(json_object_get(task, "lead_unit_name"));
    const char *status = json_string_value(json_object_get(task, "status"));
    char *summary = NULL, *desc = NULL;
    size_t sl = strlen(title ? title : "") + 32;
    summary = kc_xmalloc(sl);
    snprintf(summary, sl, "Hạn: %s", title ? title : "");
    size_t dl = sl + strlen(unit ? unit : "") + (link ? strlen(link) : 0) + 200;
    desc = kc_xmalloc(dl);
    char more[600] = "";
    if (link)
      snprintf(more, sizeof more, "\n%s/#/tasks/%lld", link, id);
    snprintf(desc, dl, "Đơn vị chủ trì: %s\nTrạng thái: %s%s", unit ? unit : "",
             kc_status_vi(status), more);
    line(&b, "BEGIN", "VEVENT", 0);
    line(&b, "UID", uid, 0);
    line(&b, "DTSTAMP", stamp, 0);
    line(&b, "DTSTART;VALUE=DATE", d, 0);
    line(&b, "DTEND;VALUE=DATE", next, 0);
    line(&b, "SUMMARY", summary, 1);
    line(&b, "DESCRIPTION", desc, 1);
    line(&b, "TRANSP", "TRANSPARENT", 0);
    line(&b, "END", "VEVENT", 0);
    free(summary);
    free(desc);
  }
  line(&b, "END", "VCALENDAR", 0);
  return kc_strbuf_detach(&b, len);
}
