/* config.c: defaults, config file and environment. */
#include "base/config.h"
#include "base/clock.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef KC_SOURCE_DIR
#define KC_SOURCE_DIR "."
#endif

static void copy(char *dst, size_t cap, const char *src)
{
  snprintf(dst, cap, "%s", src);
}

void kc_config_defaults(kc_config *c)
{
  memset(c, 0, sizeof *c);
  copy(c->db, sizeof c->db, "var/kycuong.db");
  copy(c->listen, sizeof c->listen, "127.0.0.1:8080");
  copy(c->web_dir, sizeof c->web_dir, KC_SOURCE_DIR "/web");
  copy(c->data_dir, sizeof c->data_dir, KC_SOURCE_DIR "/data");
  copy(c->files_dir, sizeof c->files_dir, "var/files");
  c->threads = 0;
  c->max_connections = 1024;
  c->conn_timeout = 30;
  c->session_hours = 12;
  c->access_log = true;
  c->tick_interval = 300;
  c->overdue_every = 3;
  c->escalate_after = 5;
  c->public_lookups = 60;
  c->due_soon_days = KC_DUE_SOON_DAYS_DEFAULT;
  copy(c->smtp_from, sizeof c->smtp_from, "kycuong@localhost");
  copy(c->public_url, sizeof c->public_url, "http://127.0.0.1:8080");
}

static bool parse_int(const char *v, int lo, int hi, int *out)
{
  char *end;
  errno = 0;
  long x = strtol(v, &end, 10);
  if (errno || end == v || *end || x < lo || x > hi)
    return false;
  *out = (int)x;
  return true;
}

/* Copies v into a fixed field; false when it does not fit (nothing is copied then). */
static bool set_str(char *dst, size_t cap, const char *v, bool nonempty)
{
  if (strlen(v) >= cap || (nonempty && !*v))
    return false;
  copy(dst, cap, v);
  return true;
}

kc_err kc_config_set(kc_config *c, const char *key, const char *v, char *err, int cap)
{
  bool ok;
  if (!strcmp(key, "db"))
    ok = set_str(c->db, sizeof c->db, v, true);
  else if (!strcmp(key, "listen"))
    ok = strchr(v, ':') && set_str(c->listen, sizeof c->listen, v, true);
  else if (!strcmp(key, "web_dir"))
    ok = set_str(c->web_dir, sizeof c->web_dir, v, true);
  else if (!strcmp(key, "data_dir"))
    ok = set_str(c->data_dir, sizeof c->data_dir, v, true);
  else if (!strcmp(key, "files_dir"))
    ok = set_str(c->files_dir, sizeof c->files_dir, v, true);
  else if (!strcmp(key, "threads"))
    ok = parse_int(v, 0, 256, &c->threads);
  else if (!strcmp(key, "max_connections"))
    ok = parse_int(v, 1, 100000, &c->max_connections);
  else if (!strcmp(key, "conn_timeout"))
    ok = parse_int(v, 1, 3600, &c->conn_timeout);
  else if (!strcmp(key, "session_hours"))
    ok = parse_int(v, 1, 24 * 30, &c->session_hours);
  else if (!strcmp(key, "tick_interval"))
    ok = parse_int(v, 0, 86400, &c->tick_interval);
  else if (!strcmp(key, "overdue_every"))
    ok = parse_int(v, 1, 60, &c->overdue_every);
  else if (!strcmp(key, "escalate_after"))
    ok = parse_int(v, 0, 120, &c->escalate_after);
  else if (!strcmp(key, "public_lookups"))
    ok = parse_int(v, 0, 1000000, &c->public_lookups);
  else if (!strcmp(key, "due_soon_days"))
    ok = parse_int(v, 0, 60, &c->due_soon_days);
  else if (!strcmp(key, "smtp_url"))
    ok = (!*v || !strncmp(v, "smtp://", 7) || !strncmp(v, "smtps://", 8)) &&
         set_str(c->smtp_url, sizeof c->smtp_url, v, false);
  else if (!strcmp(key, "smtp_from"))
    ok = strchr(v, '@') && set_str(c->smtp_from, sizeof c->smtp_from, v, true);
  else if (!strcmp(key, "smtp_user"))
    ok = set_str(c->smtp_user, sizeof c->smtp_user, v, false);
  else if (!strcmp(key, "smtp_password"))
    ok = set_str(c->smtp_password, sizeof c->smtp_password, v, false);
  else if (!strcmp(key, "sms_url"))
    ok = (!*v || !strncmp(v, "http://", 7) || !strncmp(v, "https://", 8)) &&
         set_str(c->sms_url, sizeof c->sms_url, v, false);
  else if (!strcmp(key, "trusted_proxies"))
    ok = strspn(v, "0123456789., ") == strlen(v) &&
         set_str(c->trusted_proxies, sizeof c->trusted_proxies, v, false);
  else if (!strcmp(key, "public_url"))
    ok = set_str(c->public_url, sizeof c->public_url, v, true);
  else if (!strcmp(key, "access_log")) {
    ok = !strcmp(v, "on") || !strcmp(v, "off");
    if (ok)
      c->access_log = !strcmp(v, "on");
  } else if (!strcmp(key, "now")) {
    int64_t t;
    ok = kc_time_parse_iso(v, &t) == KC_OK && strlen(v) < sizeof c->now_text;
    if (ok) {
      c->fixed_now = true;
      c->now = t;
      copy(c->now_text, sizeof c->now_text, v);
    }
  } else {
    snprintf(err, (size_t)cap, "unknown setting '%s'", key);
    return KC_EFIELD;
  }
  if (!ok) {
    snprintf(err, (size_t)cap, "bad value for %s: '%s'", key, v);
    return KC_EFIELD;
  }
  return KC_OK;
}

static char *trim(char *s)
{
  while (isspace((unsigned char)*s))
    s++;
  char *e = s + strlen(s);
  while (e > s && isspace((unsigned char)e[-1]))
    *--e = 0;
  return s;
}

kc_err kc_config_load_file(kc_config *c, const char *path, char *err, int cap)
{
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, (size_t)cap, "cannot open config file %s: %s", path, strerror(errno));
    return KC_EIO;
  }
  char line[2048];
  int lineno = 0;
  kc_err rc = KC_OK;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    char *s = trim(line);
    if (!*s || *s == '#')
      continue;
    char *eq = strchr(s, '=');
    if (!eq) {
      snprintf(err, (size_t)cap, "%s:%d: expected key = value", path, lineno);
      rc = KC_EFIELD;
      break;
    }
    *eq = 0;
    char msg[512];
    if (kc_config_set(c, trim(s), trim(eq + 1), msg, sizeof msg) != KC_OK) {
      snprintf(err, (size_t)cap, "%s:%d: %s", path, lineno, msg);
      rc = KC_EFIELD;
      break;
    }
  }
  fclose(f);
  return rc;
}

kc_err kc_config_load_env(kc_config *c, char *err, int cap)
{
  static const char *const keys[] = {"db",
                                     "listen",
                                     "web_dir",
                                     "data_dir",
                                     "files_dir",
                                     "threads",
                                     "max_connections",
                                     "conn_timeout",
                                     "session_hours",
                                     "now",
                                     "access_log",
                                     "tick_interval",
                                     "overdue_every",
                                     "escalate_after",
                                     "public_lookups",
                                     "due_soon_days",
                                     "smtp_url",
                                     "smtp_from",
                                     "smtp_user",
                                     "smtp_password",
                                     "sms_url",
                                     "public_url",
                                     "trusted_proxies"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
    char name[64] = "KYCUONG_";
    for (size_t j = 0; keys[i][j] && j < 50; j++) {
      name[8 + j] = (char)toupper((unsigned char)keys[i][j]);
      name[9 + j] = 0;
    }
    const char *v = getenv(name);
    if (!v || !*v)
      continue;
    char msg[512];
    if (kc_config_set(c, keys[i], v, msg, sizeof msg) != KC_OK) {
      snprintf(err, (size_t)cap, "%s: %s", name, msg);
      return KC_EFIELD;
    }
  }
  return KC_OK;
}
