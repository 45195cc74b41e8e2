/* cmd_backup.c: `kycuong backup [--db PATH] --out FILE`: a consistent copy of a SQLite
 * database, taken while the server keeps running (SQLite's online backup API, store.h
 * kc_db_backup). PostgreSQL has its own tools; docs/deploy.md says which. */
#include "cli/cli.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct progress {
  bool tty;
  int last_pct;
} progress;

/* On a terminal one line rewritten in place; in a log a line every 10 %. */
static void on_progress(void *arg, int64_t done, int64_t total)
{
  progress *p = arg;
  int pct = total > 0 ? (int)(done * 100 / total) : 100;
  if (p->tty) {
    fprintf(stderr, "\rsao lưu: %3d%% (%" PRId64 "/%" PRId64 " trang)", pct, done, total);
    if (pct == 100)
      fputc('\n', stderr);
  } else if (pct / 10 != p->last_pct / 10 || (p->last_pct < 0 && pct == 100)) {
    fprintf(stderr, "sao lưu: %d%% (%" PRId64 "/%" PRId64 " trang)\n", pct, done, total);
  }
  p->last_pct = pct;
}

int kc_cmd_backup(kc_cli *cli)
{
  const char *out = NULL;
  for (int i = 1; i < cli->argc; i++) {
    if (!strcmp(cli->argv[i], "--out") && i + 1 < cli->argc)
      out = cli->argv[++i];
    else
      out = NULL, i = cli->argc;
  }
  if (!out || cli->argc != 3) {
    fprintf(stderr, "Cách dùng: kycuong backup [--db PATH] --out TỆP\n");
    return 2;
  }
  kc_db *db;
  kc_conn *conn;
  /* Not migrated: the copy is of the database as the running server has it. */
  if (kc_cli_open_existing(cli, "backup", &db, &conn, NULL))
    return 1;
  kc_conn_close(conn);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  progress p = {.tty = isatty(STDERR_FILENO), .last_pct = -1};
  char msg[1200];
  kc_err e = kc_db_backup(db, out, on_progress, &p, msg, sizeof msg);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  int rc = 0;
  if (e == KC_EBADREQ) {
    fprintf(stderr,
            "kycuong backup: chỉ dùng cho SQLite. Với PostgreSQL hãy dùng pg_dump "
            "(vd. pg_dump -Fc -f kycuong.dump URL) hoặc pg_basebackup; xem docs/deploy.md\n");
    rc = 1;
  } else if (e == KC_EFIELD) {
    fprintf(stderr, "kycuong backup: %s đã tồn tại; không ghi đè (chọn một tên tệp mới)\n", out);
    rc = 1;
  } else if (e) {
    fprintf(stderr, "kycuong backup: sao lưu thất bại: %s\n", msg);
    rc = 1;
  } else {
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("Đã sao lưu %s vào %s trong %.1f giây.\n", cli->cfg.db, out, s);
  }
  kc_db_close(db);
  return rc;
}
