/* cmd_export.c: `kycuong export [--db URL] [--out FILE]`: every table of a kycuong database,
 * as one consistent snapshot, in the JSON Lines format of docs/export-format.md. The source
 * is neither migrated nor written to, so a running server's database can be exported. */
#include "base/clock.h"
#include "cli/cli.h"
#include "store/copy.h"
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Tables with at least this many rows report progress every this many rows. */
#define PROGRESS_ROWS 100000

int kc_cli_open_existing(kc_cli *cli, const char *cmd, kc_db **db, kc_conn **conn, int *version)
{
  *db = NULL;
  *conn = NULL;
  const char *url = cli->cfg.db;
  bool pg = !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13);
  struct stat st;
  /* Opening a SQLite path that does not exist would create an empty database. */
  if (!pg && stat(!strncmp(url, "sqlite://", 9) ? url + 9 : url, &st)) {
    fprintf(stderr, "kycuong %s: không mở được %s: %s\n", cmd, url, strerror(errno));
    return 1;
  }
  char msg[1200];
  if (kc_db_open(url, db, msg, sizeof msg)) {
    fprintf(stderr, "kycuong %s: %s\n", cmd, msg);
    return 1;
  }
  if (kc_conn_open(*db, conn)) {
    fprintf(stderr, "kycuong %s: không kết nối được tới %s\n", cmd, url);
    kc_db_close(*db);
    *db = NULL;
    return 1;
  }
  if (!version)
    return 0;
  if (kc_store_schema_version(*conn, version)) {
    fprintf(stderr, "kycuong %s: không đọc được phiên bản lược đồ của %s: %s\n", cmd, url,
            kc_conn_errmsg(*conn));
  } else if (*version == 0) {
    fprintf(stderr, "kycuong %s: %s chưa có lược đồ kycuong (cơ sở dữ liệu trống)\n", cmd, url);
  } else if (*version > kc_store_latest_version()) {
    fprintf(stderr,
            "kycuong %s: %s ở phiên bản lược đồ %d, mới hơn chương trình này (%d); "
            "hãy dùng kycuong mới hơn\n",
            cmd, url, *version, kc_store_latest_version());
  } else {
    return 0;
  }
  kc_conn_close(*conn);
  kc_db_close(*db);
  *conn = NULL;
  *db = NULL;
  return 1;
}

typedef struct exporter {
  FILE *out;
  const kc_copy_table *t;
  int64_t rows, total;
  bool bad_utf8;
} exporter;

static kc_err write_row(void *arg, int ncols, const char *const *names, const kc_copy_value *vals)
{
  exporter *x = arg;
  json_t *row = json_object();
  for (int i = 0; i < ncols; i++) {
    json_t *v;
    if (vals[i].is_null)
      v = json_null();
    else if (vals[i].is_int)
      v = json_integer(strtoll(vals[i].text, NULL, 10));
    else
      v = json_string(vals[i].text);
    if (!v) { /* json_string refuses text that is not UTF-8 */
      x->bad_utf8 = true;
      json_decref(row);
      return KC_EFIELD;
    }
    json_object_set_new(row, names[i], v);
  }
  json_t *line = json_pack("{s:s, s:o}", "table", x->t->name, "row", row);
  int rc = json_dumpf(line, x->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(line);
  if (rc || fputc('\n', x->out) == EOF)
    return KC_EIO;
  x->rows++;
  if (x->total >= PROGRESS_ROWS && x->rows % PROGRESS_ROWS == 0)
    fprintf(stderr, "  %s: %" PRId64 "/%" PRId64 " dòng\n", x->t->name, x->rows, x->total);
  return KC_OK;
}

static int usage(void)
{
  fprintf(stderr, "Cách dùng: kycuong export [--db URL] [--out FILE]\n");
  return 2;
}

int kc_cmd_export(kc_cli *cli)
{
  const char *out_path = NULL;
  for (int i = 1; i < cli->argc; i++) {
    if (!strcmp(cli->argv[i], "--out") && i + 1 < cli->argc)
      out_path = cli->argv[++i];
    else
      return usage();
  }
  char part[4200] = "";
  struct stat st;
  if (out_path && !stat(out_path, &st)) {
    fprintf(stderr, "kycuong export: %s đã tồn tại; không ghi đè\n", out_path);
    return 1;
  }
  kc_db *db;
  kc_conn *conn;
  int version;
  if (kc_cli_open_existing(cli, "export", &db, &conn, &version))
    return 1;
  int rc = 1;
  FILE *out = stdout;
  json_t *counts = json_object();
  char msg[600];
  /* One read transaction: every table from the same snapshot, while a server keeps writing
   * (SQLite WAL snapshot; PostgreSQL REPEATABLE READ). */
  if (kc_conn_begin(conn, false)) {
    fprintf(stderr, "kycuong export: không đọc được %s: %s\n", cli->cfg.db, kc_conn_errmsg(conn));
    goto out;
  }
  if (kc_copy_check(conn, version, msg, sizeof msg)) {
    fprintf(stderr, "kycuong export: lỗi nội bộ, danh sách bảng không khớp lược đồ: %s\n", msg);
    goto out;
  }
  if (out_path) {
    snprintf(part, sizeof part, "%s.part", out_path);
    out = fopen(part, "w");
    if (!out) {
      fprintf(stderr, "kycuong export: không tạo được %s: %s\n", part, strerror(errno));
      out = stdout;
      part[0] = 0;
      goto out;
    }
  }
  kc_clock clk = {.fixed = cli->cfg.fixed_now, .fixed_at = cli->cfg.now};
  char when[64];
  kc_time_format_iso(kc_clock_now(&clk), when, sizeof when);
  json_t *tables = json_array();
  for (int i = 0; i < kc_copy_table_count; i++)
    if (kc_copy_tables[i].since <= version)
      json_array_append_new(tables, json_string(kc_copy_tables[i].name));
  json_t *head = json_pack("{s:s, s:i, s:i, s:s, s:s, s:s, s:o}", "format", "kycuong-export",
                           "version", 1, "schema_version", version, "exported_at", when, "backend",
                           kc_db_backend(db), "kycuong", KC_VERSION, "tables", tables);
  int hr = json_dumpf(head, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(head);
  if (hr || fputc('\n', out) == EOF)
    goto io;
  int64_t all = 0;
  for (int i = 0; i < kc_copy_table_count; i++) {
    const kc_copy_table *t = &kc_copy_tables[i];
    if (t->since > version)
      continue;
    exporter x = {.out = out, .t = t};
    kc_err e = kc_copy_count(conn, t, &x.total);
    if (!e)
      e = kc_copy_read(conn, t, write_row, &x);
    if (x.bad_utf8) {
      fprintf(stderr,
              "kycuong export: bảng %s có văn bản không phải UTF-8 (sau dòng %" PRId64
              "); dữ liệu hỏng?\n",
              t->name, x.rows);
      goto out;
    }
    if (e == KC_EIO)
      goto io;
    if (e) {
      fprintf(stderr, "kycuong export: lỗi đọc bảng %s: %s\n", t->name, kc_conn_errmsg(conn));
      goto out;
    }
    fprintf(stderr, "  %s: %" PRId64 " dòng\n", t->name, x.rows);
    json_object_set_new(counts, t->name, json_integer(x.rows));
    all += x.rows;
  }
  /* The last line says the file is complete: import refuses a file cut short. */
  json_t *end = json_pack("{s:b, s:I, s:O}", "end", 1, "rows", (json_int_t)all, "tables", counts);
  hr = json_dumpf(end, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(end);
  if (hr || fputc('\n', out) == EOF || fflush(out))
    goto io;
  if (part[0]) {
    if (fsync(fileno(out))) {
      goto io;
    }
    fclose(out);
    out = stdout;
    if (rename(part, out_path)) {
      fprintf(stderr, "kycuong export: không đổi tên %s: %s\n", part, strerror(errno));
      goto out;
    }
    part[0] = 0;
  }
  fprintf(stderr, "Đã xuất %" PRId64 " dòng của %s (phiên bản lược đồ %d)%s%s.\n", all, cli->cfg.db,
          version, out_path ? " vào " : "", out_path ? out_path : "");
  rc = 0;
  goto out;
io:
  fprintf(stderr, "kycuong export: lỗi ghi %s: %s\n", part[0] ? part : "đầu ra chuẩn",
          strerror(errno));
out:
  if (out != stdout)
    fclose(out);
  if (part[0])
    unlink(part);
  json_decref(counts);
  kc_conn_rollback(conn); /* ends the read transaction */
  kc_conn_close(conn);
  kc_db_close(db);
  return rc;
}
