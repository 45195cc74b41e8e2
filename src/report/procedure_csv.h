/* procedure_csv.h: the catalog of administrative procedures as a CSV spreadsheet that officials
 * edit in Excel or LibreOffice and import back: one row per procedure, one column per member.
 *
 * Columns (the header is the Vietnamese title with the machine key in parentheses; import
 * matches the key in the last parentheses, or a bare key, ASCII case aside, or else a bare
 * Vietnamese title, case and tones aside; the title before the parentheses is free text):
 *   Mã thủ tục (code)            string, or null when the cell is empty (local procedures
 *                                have no national code); the column is required
 *   Tên thủ tục (name)           string, required in the column and in every row
 *   Lĩnh vực (field), Cấp thực hiện (level), Lệ phí (fee), Yêu cầu, điều kiện (requirements),
 *   Kết quả (result), Căn cứ pháp lý (legal_basis), Nguồn (source)
 *                                strings ("" when empty; level is not checked here)
 *   Mã đơn vị thực hiện (unit_code)  string, null when empty
 *   Thời hạn (processing)        a number ≥ 0: "processing_hours" when day_kind is "hours",
 *                                "processing_days" otherwise; null when empty
 *   Loại ngày (day_kind)         working | calendar | hours ("working" when empty; import also
 *                                takes "làm việc", "ngày lịch", "giờ", case and tones aside)
 *   Giờ nhận cuối ngày (cutoff_hour)  a number 0..24, null when empty
 *   Thành phần hồ sơ (components)  one document a line: "Tên giấy tờ | bản chính | bản sao | mẫu"
 *                                → {"name","originals","copies","form"}; form null when empty
 *                                (import also takes the line without the form part)
 *   Quy trình (steps)            one step a line: "Tên bước | mã đơn vị | số ngày"
 *                                → {"name","unit_code","days"}; unit_code null when empty
 *   Công bố (published)          "có" / "không"; import also takes true/false, 1/0, x, and an
 *                                empty cell as false
 * Numbers are written with a decimal comma ("1,5") as Vietnamese write them; import takes a
 * comma or a point, no thousands separator, no sign. Whole numbers become JSON integers.
 *
 * Limitation: inside a components or steps cell, '|' separates the parts and a line break
 * separates the items, so an item's name, form or unit code must hold neither. Export writes
 * such a value as it is; import then refuses the cell, naming the row, column and item.
 *
 * Excel itself may alter cells when it opens a CSV: a code such as "1.000890" can be taken as a
 * number (trailing zeros, or a Vietnamese locale's thousands point, lost), and text starting
 * with '=', '+', '-' or '@' as a formula. Officials should import the file with those columns
 * as Text (LibreOffice: "Format quoted field as text"). */
#ifndef KC_REPORT_PROCEDURE_CSV_H
#define KC_REPORT_PROCEDURE_CSV_H
#include "base/err.h"
#include <jansson.h>
#include <stddef.h>

/* Renders `arr`, a JSON array of procedure records (the shape kc_procedures_from_csv makes;
 * absent or null members give empty cells), as CSV: UTF-8 with a byte-order mark, comma
 * separated, CRLF between rows, line feeds inside cells, a header row first. The text goes into
 * a malloc'd buffer (*out, *len; NUL-terminated, the NUL not counted) that the caller frees.
 * Returns KC_EFIELD, with *out untouched, when `arr` is not an array or one of its elements is
 * not an object. Out of memory aborts. */
kc_err kc_procedures_to_csv(const json_t *arr, char **out, size_t *len) KC_WUR;

/* Parses the CSV `text` (`len` bytes: comma or semicolon separated, BOM, CRLF or LF, as
 * kc_csv_parse reads) into a new JSON array of procedure records, one per row; rows whose
 * cells are all empty are skipped. Members whose column is absent are absent from the records.
 * Text is trimmed of surrounding white space, its line ends made LF, and normalised to NFC.
 * On success *arr is yours (json_decref). On failure *arr is NULL and `err` (`cap` bytes; may
 * be NULL when `cap` is 0) holds a Vietnamese message naming the row as a spreadsheet numbers
 * it (the header is row 1), the line of the file when it differs, and the column as its header
 * reads: "Dòng 5, cột «Thời hạn (processing)»: «ba» không phải là số". Returns KC_EFIELD for
 * content that cannot be read (unknown or repeated columns, a missing code or name column, a
 * bad value, CSV that is not well formed) and KC_ETOOLARGE for a file over the reader's limits.
 * Out of memory aborts. */
kc_err kc_procedures_from_csv(const char *text, size_t len, json_t **arr, char *err,
                              size_t cap) KC_WUR;

#endif
