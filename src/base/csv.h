/* csv.h: a small RFC 4180 reader for spreadsheets that officials save from Excel or
 * LibreOffice: comma or semicolon separated (Excel in a Vietnamese locale writes ';'), quoted
 * fields with "" escapes and line breaks inside, CRLF, LF or CR line ends, a UTF-8 BOM skipped.
 * The text must be UTF-8; every size is capped before anything is allocated. */
#ifndef KC_BASE_CSV_H
#define KC_BASE_CSV_H
#include "base/err.h"
#include "base/strbuf.h"
#include <stdbool.h>
#include <stddef.h>

/* Limits, each reported as KC_ETOOLARGE with the line where it was passed. */
#define KC_CSV_MAX_FIELDS 64          /* fields in one record */
#define KC_CSV_MAX_FIELD (100 * 1024) /* bytes in one field, after unquoting */
#define KC_CSV_MAX_ROWS 100000        /* records in a file, the header included */

/* One record, handed to the callback. Everything it points to belongs to the reader and is
 * valid only until the callback returns: copy what you keep. */
typedef struct kc_csv_row {
  size_t record;             /* 1-based number of the record: the row number a spreadsheet shows */
  size_t line;               /* 1-based line of the text where the record starts */
  size_t nfields;            /* at least 1: an empty line is one empty field */
  const char *const *fields; /* nfields strings, NUL-terminated, valid UTF-8 without NUL */
  const size_t *lens;        /* their lengths in bytes */
} kc_csv_row;

/* Called once per record, in order. Return KC_OK to go on; any other value stops the reader,
 * which returns that value unchanged (the callback reports its own message). */
typedef kc_err (*kc_csv_row_fn)(void *user, const kc_csv_row *row);

/* Where and why the text was refused. */
typedef struct kc_csv_error {
  size_t line;   /* 1-based line of the text (a quoted field may span several) */
  size_t record; /* 1-based record being read, as kc_csv_row.record */
  char msg[256]; /* Vietnamese, without the location: "dấu ngoặc kép không được đóng" */
} kc_csv_error;

/* The separator of `text` (`len` bytes, a BOM allowed): ';' when the first record that is not
 * an empty line has more semicolons than commas outside quotes, ',' otherwise. Counting rather
 * than "no comma at all" because a semicolon file's header may hold a comma inside a title
 * ("Yêu cầu, điều kiện (requirements)", which Excel writes unquoted when the separator is ';').
 * This function can't fail. */
char kc_csv_detect_sep(const char *text, size_t len);

/* Reads the CSV `text` (`len` bytes; `text` may be NULL when `len` is 0) and calls `fn` with
 * `user` for each record. `sep` is ',' or ';', or 0 to take kc_csv_detect_sep(). A line end
 * (CRLF, LF or CR) right before the end of the text does not start a record, so "a\r\n" is one
 * record and empty text is none; an empty line elsewhere is a record of one empty field.
 * Inside quotes, line ends are kept as they are in the text. A '"' inside an unquoted field is
 * taken literally, as Excel does; after a closing quote only the separator or a line end may
 * follow.
 * Returns KC_OK when every record was read; KC_EFIELD for text that is not CSV (invalid UTF-8,
 * a NUL byte, a UTF-16 file, an unclosed quote, text after a closing quote); KC_ETOOLARGE when
 * a limit above is passed; on those two `*err` (if not NULL) says where and why. Records before
 * the fault have been handed to `fn` already. Any other value is what `fn` returned (`*err` is
 * then untouched). Out of memory aborts. */
kc_err kc_csv_parse(const char *text, size_t len, char sep, kc_csv_row_fn fn, void *user,
                    kc_csv_error *err) KC_WUR;

/* ---- writing ---------------------------------------------------------------------------- */

/* How a field is written. A spreadsheet runs a cell that begins with '=', '+', '-' or '@' (and,
 * in some, a tab or CR) as a formula, so text a citizen or an official typed ("=HYPERLINK(...)")
 * could run in the reader's Excel (OWASP "CSV injection"): KC_CSV_TEXT prefixes such a cell with
 * an apostrophe. Excel also reads text that looks like a number or a date as one and changes
 * it: a procedure code "1.000890" becomes 1.00089, a phone "0912345678" loses its zero; such
 * text is written as the formula ="1.000890" (our own, over digits and punctuation only), which
 * Excel shows as the text unchanged. KC_CSV_NUMBER is for numbers and dates kycuong itself
 * formatted: written as they are, so a negative number stays a number. */
typedef enum { KC_CSV_TEXT, KC_CSV_NUMBER } kc_csv_cell;

/* Appends one field (n bytes of s) to b, quoted per RFC 4180 when it holds ',', ';', '"' or a
 * line end (either separator: the file may be read back with ';' detected), protected as
 * described above when `kind` is KC_CSV_TEXT. Can't fail. */
void kc_csv_put(kc_strbuf *b, const char *s, size_t n, kc_csv_cell kind);
/* Undoes the protection of kc_csv_put on a field read back (after unquoting): ="…" gives the
 * text inside, an apostrophe before a formula character is dropped. Anything else is left as
 * it is. Adjusts *s and *n in place; can't fail. */
void kc_csv_unprotect(const char **s, size_t *n);

#endif
