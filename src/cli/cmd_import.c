/* cmd_import.c: `kycuong import [--db URL] FILE`: loads a file written by `kycuong export`
 * (docs/export-format.md) into a new, empty database, in one transaction, with every id
 * kept, then checks the audit chain. Refuses a target that has data or another schema. */
#include "cli/cli.h"
#include "domain/org/audit.h"
#include "store/copy.h"
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROGRESS_ROWS 100000

typedef struct importer {
  kc_conn *conn;
  const char *path;
  FILE *in;
  char *line;
  size_t cap;
  long lineno;
  int version; /* schema version of the file */
  /* The table being written, and its position in the list (tables come in list order). */
  const kc_copy_table *t;
  int tindex;
  kc_copy_writer *w;
  int64_t trows, total;
  json_t *counts; /* rows per table, checked against the last line */
  kc_copy_value *vals;
  char (*nums)[24];
} importer;

static int fail(importer *im, const char *fmt, ...) KC_PRINTF(2, 3);
static int fail(importer *im, const char *fmt, ...)
{
  fprintf(stderr, "kycuong import: %s, dòng %ld: ", im->path, im->lineno);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return 1;
}

/* Reads the next line as a JSON object; NULL at the end of the file (*eof) or on error. */
static json_t *next_object(importer *im, bool *eof)
{
  *eof = false;
  ssize_t n = getline(&im->line, &im->cap, im->in);
  if (n < 0) {
    *eof = true;
    return NULL;
  }
  im->lineno++;
  json_error_t err;
  json_t *o = json_loadb(im->line, (size_t)n, 0, &err);
  if (!o || !json_is_object(o)) {
    fail(im, "không phải một đối tượng JSON%s%s", o ? "" : ": ", o ? "" : err.text);
    json_decref(o);
    return NULL;
  }
  return o;
}

static int finish_table(importer *im)
{
  if (!im->w)
    return 0;
  if (kc_copy_writer_finish(im->w))
    return fail(im, "lỗi ghi bảng %s: %s", im->t->name, kc_conn_errmsg(im->conn));
  fprintf(stderr, "  %s: %" PRId64 " dòng\n", im->t->name, im->trows);
  json_object_set_new(im->counts, im->t->name, json_integer(im->trows));
  kc_copy_writer_free(im->w);
  im->w = NULL;
  free(im->vals);
  free(im->nums);
  im->vals = NULL;
  im->nums = NULL;
  return 0;
}

static int start_table(importer *im, const char *name)
{
  int idx;
  const kc_copy_table *t = kc_copy_find(name, &idx);
  if (!t || t->since > im->version)
    return fail(im, "bảng không rõ '%s'", name);
  if (im->t && idx <= im->tindex)
    return fail(im, "bảng %s xuất hiện sai thứ tự (sau %s)", name, im->t->name);
  if (finish_table(im))
    return 1;
  im->t = t;
  im->tindex = idx;
  im->trows = 0;
  if (kc_copy_writer_open(im->conn, t, &im->w))
    return fail(im, "không ghi được bảng %s: %s", name, kc_conn_errmsg(im->conn));
  const char *const *cols;
  int ncols = kc_copy_writer_columns(im->w, &cols);
  im->vals = calloc((size_t)ncols + 1, sizeof *im->vals);
  im->nums = calloc((size_t)ncols + 1, sizeof *im->nums);
  if (!im->vals || !im->nums)
    return fail(im, "hết bộ nhớ");
  return 0;
}

static int add_row(importer *im, json_t *row)
{
  const char *const *cols;
  int ncols = kc_copy_writer_columns(im->w, &cols);
  if (!json_is_object(row))
    return fail(im, "\"row\" phải là một đối tượng");
  for (int i = 0; i < ncols; i++) {
    json_t *v = json_object_get(row, cols[i]);
    kc_copy_value *x = &im->vals[i];
    *x = (kc_copy_value){0};
    if (!v)
      return fail(im, "thiếu cột %s của bảng %s", cols[i], im->t->name);
    if (json_is_null(v)) {
      x->is_null = true;
    } else if (json_is_integer(v)) {
      snprintf(im->nums[i], sizeof im->nums[i], "%" JSON_INTEGER_FORMAT, json_integer_value(v));
      x->text = im->nums[i];
      x->is_int = true;
    } else if (json_is_boolean(v)) {
      x->text = json_is_true(v) ? "1" : "0";
      x->is_int = true;
    } else if (json_is_string(v)) {
      x->text = json_string_value(v);
    } else {
      return fail(im, "cột %s của bảng %s phải là chuỗi, số nguyên hoặc null", cols[i],
                  im->t->name);
    }
  }
  if (json_object_size(row) != (size_t)ncols) {
    const char *key;
    json_t *v;
    json_object_foreach(row, key, v)
    {
      bool known = false;
      for (int i = 0; i < ncols && !known; i++)
        known = !strcmp(cols[i], key);
      if (!known)
        return fail(im, "bảng %s không có cột %s", im->t->name, key);
    }
  }
  kc_err e = kc_copy_writer_add(im->w, im->vals);
  if (e == KC_ECONFLICT)
    return fail(im, "dữ liệu vi phạm ràng buộc của bảng %s (gần dòng này): %s", im->t->name,
                kc_conn_errmsg(im->conn));
  if (e)
    return fail(im, "lỗi ghi bảng %s: %s", im->t->name, kc_conn_errmsg(im->conn));
  im->trows++;
  if (im->trows % PROGRESS_ROWS == 0)
    fprintf(stderr, "  %s: %" PRId64 " dòng...\n", im->t->name, im->trows);
  return 0;
}

/* The last line: {"end":true,"rows":N,"tables":{...}} must match what was read. */
static int check_end(importer *im, json_t *o)
{
  json_t *tables = json_object_get(o, "tables");
  json_int_t rows = json_integer_value(json_object_get(o, "rows"));
  if (!json_is_true(json_object_get(o, "end")) || !json_is_object(tables))
    return fail(im, "dòng kết thúc không hợp lệ");
  if (rows != im->total)
    return fail(im, "dòng kết thúc ghi %" JSON_INTEGER_FORMAT " dòng dữ liệu nhưng tệp có %" PRId64,
                rows, im->total);
  const char *name;
  json_t *v;
  json_object_foreach(tables, name, v)
  {
    json_int_t got = json_integer_value(json_object_get(im->counts, name));
    if (got != json_integer_value(v))
      return fail(im, "số dòng của bảng %s không khớp dòng kết thúc", name);
  }
  return 0;
}

static int usage(void)
{
  fprintf(stderr, "Cách dùng: kycuong import [--db URL] TỆP   (TỆP do kycuong export tạo; - là đầu "
                  "vào chuẩn)\n");
  return 2;
}

int kc_cmd_import(kc_cli *cli)
{
  if (cli->argc != 2 || (cli->argv[1][0] == '-' && cli->argv[1][1]))
    return usage();
  importer im = {.path = cli->argv[1], .counts = json_object()};
  int rc = 1;
  kc_db *db = NULL;
  im.in = strcmp(im.path, "-") ? fopen(im.path, "r") : stdin;
  if (!im.in) {
    fprintf(stderr, "kycuong import: không mở được %s: %s\n", im.path, strerror(errno));
    json_decref(im.counts);
    return 1;
  }
  /* The header first, before the target is touched. */
  bool eof;
  json_t *head = next_object(&im, &eof);
  if (!head) {
    if (eof)
      fprintf(stderr, "kycuong import: %s trống\n", im.path);
    goto out;
  }
  const char *format = json_string_value(json_object_get(head, "format"));
  bool ours = format && !strcmp(format, "kycuong-export");
  json_int_t fver = json_integer_value(json_object_get(head, "version"));
  im.version = (int)json_integer_value(json_object_get(head, "schema_version"));
  json_decref(head);
  if (!ours) {
    fail(&im, "không phải tệp do kycuong export tạo");
    goto out;
  }
  if (fver != 1) {
    fprintf(stderr,
            "kycuong import: %s có định dạng phiên bản %" JSON_INTEGER_FORMAT
            "; chương trình này chỉ đọc phiên bản 1\n",
            im.path, fver);
    goto out;
  }
  if (im.version != kc_store_latest_version()) {
    fprintf(stderr,
            "kycuong import: %s được xuất ở phiên bản lược đồ %d, chương trình này dùng phiên "
            "bản %d; hãy nhập bằng kycuong cùng phiên bản với lúc xuất\n",
            im.path, im.version, kc_store_latest_version());
    goto out;
  }
  if (kc_cli_open_db(cli, &db, &im.conn))
    goto out;
  int target = 0;
  char msg[600];
  if (kc_store_schema_version(im.conn, &target) || target != im.version) {
    fprintf(stderr, "kycuong import: %s ở phiên bản lược đồ %d, tệp ở phiên bản %d\n", cli->cfg.db,
            target, im.version);
    goto out;
  }
  if (kc_copy_check(im.conn, im.version, msg, sizeof msg)) {
    fprintf(stderr, "kycuong import: lỗi nội bộ, danh sách bảng không khớp lược đồ: %s\n", msg);
    goto out;
  }
  const kc_copy_table *busy;
  if (kc_copy_first_nonempty(im.conn, im.version, &busy)) {
    fprintf(stderr, "kycuong import: không đọc được %s: %s\n", cli->cfg.db,
            kc_conn_errmsg(im.conn));
    goto out;
  }
  if (busy) {
    fprintf(stderr,
            "kycuong import: cơ sở dữ liệu đích %s không trống (bảng %s đã có dữ liệu); "
            "chỉ nhập vào cơ sở dữ liệu mới tạo, chưa chạy kycuong init\n",
            cli->cfg.db, busy->name);
    goto out;
  }
  /* One transaction: a failure anywhere leaves the target as empty as it was. */
  if (kc_conn_begin(im.conn, true)) {
    fprintf(stderr, "kycuong import: %s\n", kc_conn_errmsg(im.conn));
    goto out;
  }
  bool ended = false;
  for (;;) {
    json_t *o = next_object(&im, &eof);
    if (!o) {
      if (eof && !ended)
        fail(&im, "tệp bị cắt cụt (thiếu dòng kết thúc)");
      if (!eof || !ended)
        goto out;
      break;
    }
    int bad = 0;
    if (ended) {
      bad = fail(&im, "có dữ liệu sau dòng kết thúc");
    } else if (json_object_get(o, "end")) {
      bad = finish_table(&im) || check_end(&im, o);
      ended = true;
    } else {
      const char *table = json_string_value(json_object_get(o, "table"));
      if (!table)
        bad = fail(&im, "thiếu \"table\"");
      else if ((!im.t || strcmp(table, im.t->name)) && start_table(&im, table))
        bad = 1;
      else
        bad = add_row(&im, json_object_get(o, "row"));
      if (!bad)
        im.total++;
    }
    json_decref(o);
    if (bad)
      goto out;
  }
  if (kc_conn_commit(im.conn)) {
    fprintf(stderr, "kycuong import: lỗi khi ghi cam kết: %s\n", kc_conn_errmsg(im.conn));
    goto out;
  }
  fprintf(stderr, "Đã nhập %" PRId64 " dòng vào %s.\n", im.total, cli->cfg.db);
  /* Fresh planner statistics for the new table sizes. */
  if (kc_store_analyze(im.conn))
    fprintf(stderr, "kycuong import: ANALYZE: %s\n", kc_conn_errmsg(im.conn));
  int64_t checked, bad_id;
  char why[512] = "";
  kc_err e = kc_audit_verify(im.conn, &checked, &bad_id, why, sizeof why,
                             isatty(STDERR_FILENO) ? stderr : NULL);
  if (e == KC_OK) {
    printf("Đã nhập %s vào %s: %" PRId64 " dòng; nhật ký thay đổi nguyên vẹn (%" PRId64
           " bản ghi).\n",
           im.path, cli->cfg.db, im.total, checked);
    rc = 0;
  } else if (e == KC_ECONFLICT) {
    printf("Đã nhập %s vào %s, nhưng nhật ký thay đổi không khớp ở bản ghi %" PRId64 " (%s).\n",
           im.path, cli->cfg.db, bad_id, why);
  } else {
    fprintf(stderr, "kycuong import: không kiểm tra được nhật ký: %s\n", kc_conn_errmsg(im.conn));
  }
out:
  if (im.conn)
    kc_conn_rollback(im.conn); /* nothing is kept unless committed */
  kc_copy_writer_free(im.w);
  free(im.vals);
  free(im.nums);
  free(im.line);
  json_decref(im.counts);
  if (im.in && im.in != stdin)
    fclose(im.in);
  kc_conn_close(im.conn);
  kc_db_close(db);
  return rc;
}
