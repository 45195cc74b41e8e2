/* log.c: writes each record with one fprintf so lines from worker threads do not interleave. */
#include "base/log.h"
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static kc_log_level min_level = KC_LOG_INFO;

void kc_log_set_level(kc_log_level lvl)
{
  min_level = lvl;
}

void kc_log(kc_log_level lvl, const char *fmt, ...)
{
  static const char *const names[] = {"debug", "info", "warn", "error"};
  if (lvl < min_level)
    return;
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  /* Logs are read by people in Vietnam: print wall-clock time in UTC+7. */
  time_t t = time(NULL) + 7 * 3600;
  struct tm tm;
  gmtime_r(&t, &tm);
  fprintf(stderr, "%04d-%02d-%02dT%02d:%02d:%02d+07:00 %s %s\n", tm.tm_year + 1900, tm.tm_mon + 1,
          tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, names[lvl], msg);
}
