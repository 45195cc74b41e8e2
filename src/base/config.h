/* config.h: settings of a kycuong process. Sources, later ones winning: built-in defaults,
 * the config file (`--config PATH` or KYCUONG_CONFIG), KYCUONG_* environment variables,
 * command-line flags. Built once at start-up, read-only afterwards. */
#ifndef KC_BASE_CONFIG_H
#define KC_BASE_CONFIG_H
#include "base/err.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct kc_config {
  char db[1024];       /* SQLite path (or, later, a postgres:// URL) */
  char listen[128];    /* ADDR:PORT */
  char web_dir[1024];  /* static UI files */
  char data_dir[1024]; /* shipped reference data */
  /* Where uploaded files will be kept (nothing uploads yet). With several servers it must be
   * one shared directory (NFS or similar) mounted at this path on every server, since any
   * server may receive a download of a file another one stored (docs/deploy.md). */
  char files_dir[1024];
  int threads; /* HTTP worker threads; 0 = one per core */
  int max_connections;
  int conn_timeout;  /* seconds of inactivity before a connection is closed */
  int session_hours; /* lifetime of a login session */
  bool fixed_now;
  int64_t now; /* when fixed_now */
  char now_text[64];
  bool access_log;
  /* prodding (đôn đốc): the scheduler and its channels */
  int tick_interval;  /* seconds between scheduler passes in `serve`; 0 = none */
  int overdue_every;  /* working days between overdue notices */
  int escalate_after; /* working days overdue before escalating above the lead unit */
  int public_lookups; /* public dossier lookups per client address per minute (0: no limit) */
  int due_soon_days;  /* an open task is "due soon" within this many working days of its due
                         date (KC_DUE_SOON_DAYS_DEFAULT) */
  char smtp_url[512]; /* smtp://host:port or smtps://…; empty = no e-mail */
  char smtp_from[256];
  char smtp_user[128], smtp_password[128];
  char sms_url[512];         /* an HTTP gateway taking POST {"to","text"}; empty = no SMS */
  char public_url[256];      /* how users reach the UI, for links in messages */
  char trusted_proxies[512]; /* comma-separated IPv4 addresses whose X-Real-IP is believed */
} kc_config;

#define KC_DUE_SOON_DAYS_DEFAULT 3

/* Fills c with built-in defaults (paths relative to the source tree the binary was built from). */
void kc_config_defaults(kc_config *c);
/* Applies one `key = value` setting. Unknown keys and bad values return KC_EFIELD with a
 * message in err (cap bytes). Keys: db, listen, web_dir, data_dir, files_dir, threads,
 * max_connections, conn_timeout, session_hours, now, access_log, tick_interval,
 * overdue_every, escalate_after, due_soon_days, smtp_url, smtp_from, smtp_user, smtp_password,
 * sms_url, public_url. */
kc_err kc_config_set(kc_config *c, const char *key, const char *value, char *err, int cap) KC_WUR;
/* Reads a config file of `key = value` lines (# comments). On error err names the line. */
kc_err kc_config_load_file(kc_config *c, const char *path, char *err, int cap) KC_WUR;
/* Applies KYCUONG_DB, KYCUONG_LISTEN, KYCUONG_WEB_DIR, KYCUONG_DATA_DIR, KYCUONG_FILES_DIR,
 * KYCUONG_THREADS, KYCUONG_MAX_CONNECTIONS, KYCUONG_CONN_TIMEOUT, KYCUONG_SESSION_HOURS,
 * KYCUONG_NOW, KYCUONG_ACCESS_LOG and the same upper-cased for every other key. */
kc_err kc_config_load_env(kc_config *c, char *err, int cap) KC_WUR;

#endif
