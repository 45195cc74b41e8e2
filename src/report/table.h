/* table.h: any list of the API as a spreadsheet: CSV (UTF-8 with a byte-order mark, so that
 * Excel opens Vietnamese correctly) or XLSX (libxlsxwriter), with Vietnamese headers, dates as
 * dd/mm/yyyy and rates as percentages. The rows are the JSON records the domain returns. */
#ifndef KC_REPORT_TABLE_H
#define KC_REPORT_TABLE_H
#include "base/err.h"
#include <jansson.h>
#include <stddef.h>

typedef enum {
  KC_COL_TEXT,    /* a string (or a number shown as is) */
  KC_COL_INT,     /* an integer */
  KC_COL_DATE,    /* "YYYY-MM-DD" shown as a date */
  KC_COL_RATE,    /* a fraction 0..1 shown as a percentage; null → empty */
  KC_COL_DECIMAL, /* a number shown with one decimal, "2,5"; null → empty */
  KC_COL_STATUS,  /* a task status shown in Vietnamese */
} kc_col_kind;

typedef struct kc_column {
  const char *key;    /* member of each record */
  const char *header; /* Vietnamese column title */
  kc_col_kind kind;
  int width; /* XLSX column width in characters */
} kc_column;

/* The Vietnamese name of a task status ("in_progress_overdue" → "Quá hạn, chưa hoàn thành"). */
const char *kc_status_vi(const char *status);

/* Renders items (a JSON array of objects) as CSV into a malloc'd buffer (*out, *len); the
 * caller frees it. Fields are quoted per RFC 4180. Can fail only on out of memory (abort). */
void kc_table_csv(json_t *items, const kc_column *cols, size_t ncols, char **out, size_t *len);
/* Renders items as an XLSX workbook with one sheet titled `title` (a row above the header)
 * into a malloc'd buffer. KC_EIO when the temporary file cannot be written. */
kc_err kc_table_xlsx(json_t *items, const kc_column *cols, size_t ncols, const char *title,
                     char **out, size_t *len) KC_WUR;

#endif
