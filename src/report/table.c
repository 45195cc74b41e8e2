/* table.c: see table.h. libxlsxwriter 1.1.4 (Debian 12) writes only to files, so the
 * workbook goes through a private temporary file that is read back and removed. */
#include "report/table.h"
#include "base/csv.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

const char *kc_status_vi(const char *s)
{
  static const struct {
    const char *code, *vi;
  } names[] = {
      {"in_progress", "Đang thực hiện, trong hạn"},
      {"in_progress_overdue", "Quá hạn, chưa hoàn thành"},
      {"done_on_time", "Hoàn thành đúng hạn"},
      {"done_late", "Hoàn thành quá hạn"},
      {"cancelled", "Đã hủy"},
  };
  for (size_t i = 0; s && i < sizeof names / sizeof *names; i++)
    if (!strcmp(s, names[i].code))
      return names[i].vi;
  return s ? s : "";
}

/* The text of one cell, formatted for people; arena-free: writes into buf. */
static const char *cell_text(json_t *rec, const kc_column *c, char *buf, size_t cap)
{
  json_t *v = json_object_get(rec, c->key);
  if (!v || json_is_null(v))
    return "";
  switch (c->kind) {
  case KC_COL_DATE: {
    const char *d = json_string_value(v);
    if (d && strlen(d) >= 10) {
      snprintf(buf, cap, "%.2s/%.2s/%.4s", d + 8, d + 5, d);
      return buf;
    }
    return d ? d : "";
  }
  case KC_COL_DECIMAL:
  case KC_COL_RATE:
    snprintf(buf, cap, c->kind == KC_COL_RATE ? "%.1f%%" : "%.1f",
             json_number_value(v) * (c->kind == KC_COL_RATE ? 100.0 : 1.0));
    for (char *p = buf; *p; p++)
      if (*p == '.')
        *p = ','; /* Vietnamese decimal comma */
    return buf;
  case KC_COL_STATUS: return kc_status_vi(json_string_value(v));
  case KC_COL_INT: snprintf(buf, cap, "%lld", (long long)json_integer_value(v)); return buf;
  default:
    if (json_is_string(v))
      return json_string_value(v);
    if (json_is_integer(v)) {
      snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
      return buf;
    }
    if (json_is_boolean(v))
      return json_is_true(v) ? "Có" : "Không";
    return "";
  }
}

/* How a cell is protected in CSV: text as typed by people is neutralised and kept as text;
 * what kycuong formatted itself (numbers, dates, rates) is written as it is. */
static kc_csv_cell cell_kind(json_t *rec, const kc_column *c)
{
  if (c->kind == KC_COL_TEXT)
    return json_is_string(json_object_get(rec, c->key)) ? KC_CSV_TEXT : KC_CSV_NUMBER;
  return c->kind == KC_COL_STATUS ? KC_CSV_TEXT : KC_CSV_NUMBER;
}

void kc_table_csv(json_t *items, const kc_column *cols, size_t ncols, char **out, size_t *len)
{
  kc_strbuf b = KC_STRBUF_INIT;
  kc_strbuf_addstr(&b, "\xEF\xBB\xBF"); /* BOM: Excel reads the file as UTF-8 */
  for (size_t c = 0; c < ncols; c++) {
    if (c)
      kc_strbuf_addch(&b, ',');
    kc_csv_put(&b, cols[c].header, strlen(cols[c].header), KC_CSV_TEXT);
  }
  kc_strbuf_addstr(&b, "\r\n");
  size_t i;
  json_t *rec;
  json_array_foreach(items, i, rec)
  {
    for (size_t c = 0; c < ncols; c++) {
      char tmp[64];
      if (c)
        kc_strbuf_addch(&b, ',');
      const char *t = cell_text(rec, &cols[c], tmp, sizeof tmp);
      kc_csv_put(&b, t, strlen(t), cell_kind(rec, &cols[c]));
    }
    kc_strbuf_addstr(&b, "\r\n");
  }
  *out = kc_strbuf_detach(&b, len);
}

kc_err kc_table_xlsx(json_t *items, const kc_column *cols, size_t ncols, const char *title,
                     char **out, size_t *len)
{
  char path[] = "/tmp/kycuong-xlsx-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    return KC_EIO;
  close(fd);
  lxw_workbook *wb = workbook_new(path);
  if (!wb) {
    unlink(path);
    return KC_EIO;
  }
  lxw_worksheet *ws = workbook_add_worksheet(wb, "Danh sách");
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_font_name(bold, "Times New Roman");
  format_set_font_size(bold, 13);
  lxw_format *head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_font_name(head, "Times New Roman");
  format_set_bg_color(head, 0xE8E8E8);
  format_set_border(head, LXW_BORDER_THIN);
  format_set_text_wrap(head);
  lxw_format *cell = workbook_add_format(wb);
  format_set_font_name(cell, "Times New Roman");
  format_set_border(cell, LXW_BORDER_THIN);
  format_set_text_wrap(cell);
  format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
  lxw_format *num = workbook_add_format(wb);
  format_set_font_name(num, "Times New Roman");
  format_set_border(num, LXW_BORDER_THIN);
  format_set_align(num, LXW_ALIGN_VERTICAL_TOP);
  lxw_format *date = workbook_add_format(wb);
  format_set_font_name(date, "Times New Roman");
  format_set_border(date, LXW_BORDER_THIN);
  format_set_num_format(date, "dd/mm/yyyy");
  format_set_align(date, LXW_ALIGN_VERTICAL_TOP);
  lxw_format *pct = workbook_add_format(wb);
  format_set_font_name(pct, "Times New Roman");
  format_set_border(pct, LXW_BORDER_THIN);
  format_set_num_format(pct, "0.0%");
  format_set_align(pct, LXW_ALIGN_VERTICAL_TOP);
  lxw_format *dec = workbook_add_format(wb);
  format_set_font_name(dec, "Times New Roman");
  format_set_border(dec, LXW_BORDER_THIN);
  format_set_num_format(dec, "0.0");
  format_set_align(dec, LXW_ALIGN_VERTICAL_TOP);

  worksheet_write_string(ws, 0, 0, title, bold);
  for (size_t c = 0; c < ncols; c++) {
    worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width ? cols[c].width : 16, NULL);
    worksheet_write_string(ws, 2, (lxw_col_t)c, cols[c].header, head);
  }
  worksheet_freeze_panes(ws, 3, 0);
  size_t i;
  json_t *rec;
  json_array_foreach(items, i, rec)
  {
    lxw_row_t r = (lxw_row_t)(i + 3);
    for (size_t c = 0; c < ncols; c++) {
      json_t *v = json_object_get(rec, cols[c].key);
      lxw_col_t col = (lxw_col_t)c;
      if (!v || json_is_null(v)) {
        worksheet_write_blank(ws, r, col, cell);
        continue;
      }
      const char *d;
      switch (cols[c].kind) {
      case KC_COL_INT:
        worksheet_write_number(ws, r, col, (double)json_integer_value(v), num);
        break;
      case KC_COL_RATE: worksheet_write_number(ws, r, col, json_number_value(v), pct); break;
      case KC_COL_DECIMAL: worksheet_write_number(ws, r, col, json_number_value(v), dec); break;
      case KC_COL_DATE:
        d = json_string_value(v);
        if (d && strlen(d) >= 10) {
          lxw_datetime dt = {.year = atoi(d), .month = atoi(d + 5), .day = atoi(d + 8)};
          worksheet_write_datetime(ws, r, col, &dt, date);
        } else {
          worksheet_write_blank(ws, r, col, cell);
        }
        break;
      default: {
        char tmp[64];
        worksheet_write_string(ws, r, col, cell_text(rec, &cols[c], tmp, sizeof tmp), cell);
      }
      }
    }
  }
  lxw_error err = workbook_close(wb);
  kc_err rc = KC_OK;
  FILE *f = err == LXW_NO_ERROR ? fopen(path, "rb") : NULL;
  if (!f) {
    rc = KC_EIO;
  } else {
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *out = kc_xmalloc(n > 0 ? (size_t)n : 1);
    if (n <= 0 || fread(*out, 1, (size_t)n, f) != (size_t)n) {
      free(*out);
      *out = NULL;
      rc = KC_EIO;
    } else {
      *len = (size_t)n;
    }
    fclose(f);
  }
  unlink(path);
  return rc;
}
