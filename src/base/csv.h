/* csv.h: a small RFC 4180 reader for spreadsheets that officials save from Excel or
 * LibreOffice: comma or semicolon separated (Excel in a Vietnamese locale writes ';'), quoted
 * fields with "" escapes and line breaks inside, CRLF, LF or CR line ends, a UTF-8 BOM skipped.
 * The text must be UTF-8; every size is capped before anything is allocated. */
#ifndef KC_BASE_CSV_H
#define KC_BASE_CSV_H
#include "base/err.h"
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

#endif
