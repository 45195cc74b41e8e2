/* Unit tests of src/report/procedure_csv.c: the procedure catalog through CSV and back, the
 * spreadsheets Excel writes, and the messages that point officials at the faulty cell. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "expect.h"
#include "report/procedure_csv.h"

/* Fails showing both documents when they differ. */
static void expect_json_equal(json_t *actual, json_t *expected, const char *file, int line)
{
  if (json_equal(actual, expected))
    return;
  char *a = json_dumps(actual, JSON_INDENT(1) | JSON_SORT_KEYS);
  char *e = json_dumps(expected, JSON_INDENT(1) | JSON_SORT_KEYS);
  print_error("%s:%d: JSON differs\n--- actual\n%s\n--- expected\n%s\n", file, line,
              a ? a : "(null)", e ? e : "(null)");
  free(a);
  free(e);
  fail();
}
#define EXPECT_JSON(a, e) expect_json_equal(a, e, __FILE__, __LINE__)

static json_t *parse_json(const char *text)
{
  json_error_t je;
  json_t *j = json_loads(text, 0, &je);
  if (!j) {
    print_error("bad JSON in the test: %s (line %d)\n", je.text, je.line);
    fail();
  }
  return j;
}

/* Imports `csv`, expecting success. */
static json_t *import_ok(const char *csv, size_t len)
{
  json_t *arr = NULL;
  char err[512];
  kc_err e = kc_procedures_from_csv(csv, len, &arr, err, sizeof err);
  if (e) {
    print_error("import failed (%s): %s\n", kc_err_code(e), err);
    fail();
  }
  assert_non_null(arr);
  return arr;
}

/* Imports `csv`, expecting failure with the exact message `want`. */
static void import_fails(const char *csv, kc_err want_err, const char *want)
{
  json_t *arr = (json_t *)1;
  char err[512];
  expect_err(kc_procedures_from_csv(csv, strlen(csv), &arr, err, sizeof err), want_err);
  assert_null(arr);
  assert_string_equal(err, want);
}

static void round_trip(json_t *records)
{
  char *csv = NULL;
  size_t len = 0;
  expect_err(kc_procedures_to_csv(records, &csv, &len), KC_OK);
  assert_int_equal(strlen(csv), len);
  json_t *back = import_ok(csv, len);
  EXPECT_JSON(back, records);
  json_decref(back);
  free(csv);
}

static const char header[] =
    "\xEF\xBB\xBFMã thủ tục (code),Tên thủ tục (name),Lĩnh vực (field),Cấp thực hiện (level),"
    "Mã đơn vị thực hiện (unit_code),Thời hạn (processing),Loại ngày (day_kind),"
    "Giờ nhận cuối ngày (cutoff_hour),Lệ phí (fee),Thành phần hồ sơ (components),"
    "Quy trình (steps),\"Yêu cầu, điều kiện (requirements)\",Kết quả (result),"
    "Căn cứ pháp lý (legal_basis),Nguồn (source),Công bố (published)\r\n";

/* ---- round trips ------------------------------------------------------------------------ */

/* Thirteen real procedures (tests/unit/report/procedures.json, built from the national
 * catalogue): long Vietnamese text with commas, quotes and semicolons, null codes, quarter
 * and half days, calendar days. */
static void test_round_trip_catalog(void **state)
{
  (void)state;
  const char *src = getenv("KC_SOURCE_DIR");
  assert_non_null(src);
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/unit/report/procedures.json", src);
  json_error_t je;
  json_t *records = json_load_file(path, 0, &je);
  if (!records) {
    print_error("%s: %s\n", path, je.text);
    fail();
  }
  assert_true(json_array_size(records) >= 10);
  char *csv = NULL;
  size_t len = 0;
  expect_err(kc_procedures_to_csv(records, &csv, &len), KC_OK);
  /* BOM, the header as documented, CRLF row ends */
  assert_memory_equal(csv, header, sizeof header - 1);
  /* the code stays text in Excel (="…"), the numbers stay numbers */
  expect_contains(csv, "\r\n\"=\"\"1.001193\"\"\",Thủ tục đăng ký khai sinh,Hộ tịch,commune,"
                       "HN-D01-P01,1,working,15,");
  expect_contains(csv, "\"Tiếp nhận, kiểm tra hồ sơ, lập phiếu hẹn | | 0,125\n");
  free(csv);
  round_trip(records);
  json_decref(records);
}

static const char tricky_json[] =
    "[{\"code\":\"1.001193\",\"name\":\"Thủ tục đăng ký khai sinh\",\"field\":\"Hộ tịch\","
    "\"level\":\"commune\",\"unit_code\":\"HN-D01\",\"processing_days\":1,\"day_kind\":\"working\","
    "\"cutoff_hour\":15,\"fee\":\"Không\","
    "\"components\":[{\"name\":\"Tờ khai đăng ký khai sinh\",\"originals\":1,\"copies\":0,"
    "\"form\":\"Mẫu TK-01\"},{\"name\":\"Giấy chứng sinh, hoặc \\\"văn bản\\\" xác nhận; "
    "bản chính\",\"originals\":1,\"copies\":2,\"form\":null}],"
    "\"steps\":[{\"name\":\"Tiếp nhận\",\"unit_code\":null,\"days\":0.5},"
    "{\"name\":\"Thẩm định\",\"unit_code\":\"HN-S05\",\"days\":1},"
    "{\"name\":\"Trình ký, trả kết quả\",\"unit_code\":null,\"days\":1.5}],"
    "\"requirements\":\"- Cha hoặc mẹ đăng ký trong 60 ngày;\\n- Nộp \\\"bản chính\\\", "
    "không nộp bản sao\\n\\nGhi chú: xem mục 2\",\"result\":\"Giấy khai sinh\","
    "\"legal_basis\":\"Luật Hộ tịch 2014\",\"source\":\"\",\"published\":true},"
    "{\"code\":null,\"name\":\"Cấp giấy phép lao động (trường hợp \\\"gấp\\\")\","
    "\"field\":\"Lao động, việc làm\",\"level\":\"city\",\"unit_code\":null,"
    "\"processing_hours\":4,\"day_kind\":\"hours\",\"cutoff_hour\":null,\"fee\":\"400.000 đồng\","
    "\"components\":[],\"steps\":[{\"name\":\"Xử lý\",\"unit_code\":\"HN-S07\",\"days\":0.25}],"
    "\"requirements\":\"\",\"result\":\"\",\"legal_basis\":\"\",\"source\":\"dichvucong.gov.vn\","
    "\"published\":false},"
    "{\"code\":\"2.000815\",\"name\":\"Chứng thực bản sao\",\"field\":\"Chứng thực\","
    "\"level\":\"commune\",\"unit_code\":\"HN-D01-P01\",\"processing_days\":15,"
    "\"day_kind\":\"calendar\",\"cutoff_hour\":11.5,\"fee\":\"2.000 đồng/trang\","
    "\"components\":[{\"name\":\"Bản chính\",\"originals\":1,\"copies\":0,\"form\":null}],"
    "\"steps\":[],\"requirements\":\"\",\"result\":\"Bản sao\",\"legal_basis\":\"\","
    "\"source\":\"\",\"published\":true}]";

/* Quotes, commas, semicolons and line breaks in cells; half and quarter days; hours; nulls. */
static void test_round_trip_tricky(void **state)
{
  (void)state;
  json_t *records = parse_json(tricky_json);
  char *csv = NULL;
  size_t len = 0;
  expect_err(kc_procedures_to_csv(records, &csv, &len), KC_OK);
  expect_contains(csv, "\"Tờ khai đăng ký khai sinh | 1 | 0 | Mẫu TK-01\n"
                       "Giấy chứng sinh, hoặc \"\"văn bản\"\" xác nhận; bản chính | 1 | 2\"");
  expect_contains(csv, ",\"Tiếp nhận | | 0,5\nThẩm định | HN-S05 | 1\n"
                       "Trình ký, trả kết quả | | 1,5\",");
  expect_contains(csv, "\r\n,\"Cấp giấy phép lao động (trường hợp \"\"gấp\"\")\"");
  expect_contains(csv, ",4,hours,,400.000 đồng,,\"Xử lý | HN-S07 | 0,25\",");
  expect_contains(csv, ",15,calendar,\"11,5\",");
  expect_contains(csv, ",dichvucong.gov.vn,không\r\n");
  expect_contains(csv, ",Luật Hộ tịch 2014,,có\r\n");
  /* a cell Excel would run as a formula ("- Cha…" is read as minus Cha) gets an apostrophe */
  expect_contains(csv, ",\"'- Cha hoặc mẹ đăng ký trong 60 ngày;\n");
  free(csv);
  round_trip(records);
  json_decref(records);
}

static void test_round_trip_empty(void **state)
{
  (void)state;
  json_t *records = json_array();
  char *csv = NULL;
  size_t len = 0;
  expect_err(kc_procedures_to_csv(records, &csv, &len), KC_OK);
  assert_int_equal(len, sizeof header - 1);
  free(csv);
  round_trip(records);
  json_decref(records);
}

static void test_export_refuses_wrong_shape(void **state)
{
  (void)state;
  char *csv = (char *)"untouched";
  size_t len = 0;
  json_t *obj = json_object();
  expect_err(kc_procedures_to_csv(obj, &csv, &len), KC_EFIELD);
  json_t *arr = json_pack("[{s:s}, i]", "name", "x", 3);
  expect_err(kc_procedures_to_csv(arr, &csv, &len), KC_EFIELD);
  assert_string_equal(csv, "untouched");
  json_decref(obj);
  json_decref(arr);
}

/* ---- what Excel and people write -------------------------------------------------------- */

/* Excel in a Vietnamese locale: BOM, ';', CRLF between rows and LF inside cells, decimal commas
 * unquoted, columns in another order and some absent, Vietnamese words for kinds and flags,
 * stray spaces, empty rows in the middle and at the end. */
static void test_excel_semicolons(void **state)
{
  (void)state;
  static const char csv[] =
      "\xEF\xBB\xBFTên thủ tục (name);Mã thủ tục (code);Thời hạn (processing);"
      "Loại ngày (day_kind);Giờ nhận cuối ngày (cutoff_hour);Quy trình (steps);"
      "Thành phần hồ sơ (components);Yêu cầu, điều kiện (requirements);Công bố (published);;\r\n"
      "Thủ tục đăng ký kết hôn;1.000894;1,5;Ngày làm việc;15;\"Tiếp nhận | | 0,5\n"
      "Thẩm định|HN-S05|1.0\";\"Tờ khai | 1 | 0 | Mẫu TK-02\n\nGiấy tờ tùy thân | 1 | 0 |\";"
      "\"Hai bên nam, nữ; đủ tuổi\r\nkết hôn\";x;;\r\n"
      ";;;;;;;;;;\r\n"
      "  Chứng thực chữ ký ;;0;lịch;;;;;KHÔNG;;\r\n"
      "Trả lời trong ngày;2.000884;4;giờ;;;;;Có\r\n"
      ";;;;;;;;;;\r\n"
      "\r\n";
  json_t *got = import_ok(csv, sizeof csv - 1);
  json_t *want = parse_json(
      "[{\"name\":\"Thủ tục đăng ký kết hôn\",\"code\":\"1.000894\",\"processing_days\":1.5,"
      "\"day_kind\":\"working\",\"cutoff_hour\":15,"
      "\"steps\":[{\"name\":\"Tiếp nhận\",\"unit_code\":null,\"days\":0.5},"
      "{\"name\":\"Thẩm định\",\"unit_code\":\"HN-S05\",\"days\":1}],"
      "\"components\":[{\"name\":\"Tờ khai\",\"originals\":1,\"copies\":0,\"form\":\"Mẫu TK-02\"},"
      "{\"name\":\"Giấy tờ tùy thân\",\"originals\":1,\"copies\":0,\"form\":null}],"
      "\"requirements\":\"Hai bên nam, nữ; đủ tuổi\\nkết hôn\",\"published\":true},"
      "{\"name\":\"Chứng thực chữ ký\",\"code\":null,\"processing_days\":0,"
      "\"day_kind\":\"calendar\",\"cutoff_hour\":null,\"steps\":[],\"components\":[],"
      "\"requirements\":\"\",\"published\":false},"
      "{\"name\":\"Trả lời trong ngày\",\"code\":\"2.000884\",\"processing_hours\":4,"
      "\"day_kind\":\"hours\",\"cutoff_hour\":null,\"steps\":[],\"components\":[],"
      "\"requirements\":\"\",\"published\":true}]");
  EXPECT_JSON(got, want);
  json_decref(got);
  json_decref(want);
}

/* Bare keys and bare Vietnamese titles are matched too; an empty processing gives null. */
static void test_bare_headers(void **state)
{
  (void)state;
  static const char csv[] = "code,NAME,lĩnh vực,Thời hạn,published\n"
                            "1.001612,Đăng ký hộ kinh doanh,Thành lập và hoạt động,,true\n";
  json_t *got = import_ok(csv, sizeof csv - 1);
  json_t *want = parse_json("[{\"code\":\"1.001612\",\"name\":\"Đăng ký hộ kinh doanh\","
                            "\"field\":\"Thành lập và hoạt động\",\"processing_days\":null,"
                            "\"published\":true}]");
  EXPECT_JSON(got, want);
  json_decref(got);
  json_decref(want);
}

/* NFC text comes back byte for byte, both tone placements kept; NFD text (macOS, some
 * converters) is stored as NFC. */
static void test_nfc(void **state)
{
  (void)state;
  /* "Hoà giải" and "Hòa giải" (NFC), then "Tên" with e + U+0302 (NFD) */
  static const char csv[] = "code,name,field,result\n"
                            "x1,Ho\xC3\xA0 gi\xE1\xBA\xA3i,H\xC3\xB2"
                            "a gi\xE1\xBA\xA3i,T\x65\xCC\x82n\n";
  json_t *got = import_ok(csv, sizeof csv - 1);
  json_t *rec = json_array_get(got, 0);
  assert_string_equal(json_string_value(json_object_get(rec, "name")),
                      "Ho\xC3\xA0 gi\xE1\xBA\xA3i");
  assert_string_equal(json_string_value(json_object_get(rec, "field")), "H\xC3\xB2"
                                                                        "a gi\xE1\xBA\xA3i");
  assert_string_equal(json_string_value(json_object_get(rec, "result")), "T\xC3\xAAn");
  /* and the export writes them unchanged */
  char *out = NULL;
  size_t len = 0;
  expect_err(kc_procedures_to_csv(got, &out, &len), KC_OK);
  expect_contains(out, "\r\nx1,Ho\xC3\xA0 gi\xE1\xBA\xA3i,H\xC3\xB2"
                       "a gi\xE1\xBA\xA3i,");
  expect_contains(out, ",T\xC3\xAAn,");
  free(out);
  json_decref(got);
}

/* ---- errors name the row and column ----------------------------------------------------- */

static void test_errors_values(void **state)
{
  (void)state;
  import_fails("\xEF\xBB\xBFMã thủ tục (code);Tên thủ tục (name);Thời hạn (processing)\r\n"
               "1;Một;2\r\n"
               "2;Hai;ba\r\n",
               KC_EFIELD, "Dòng 3, cột «Thời hạn (processing)»: «ba» không phải là số");
  import_fails("code,name,processing\n1,Một,-2\n", KC_EFIELD,
               "Dòng 2, cột «processing»: «-2» không phải là số");
  import_fails("code,name,processing\n1,Một,\"1,5,2\"\n", KC_EFIELD,
               "Dòng 2, cột «processing»: «1,5,2» không phải là số");
  import_fails("code,name\n1,Một\n2,\n", KC_EFIELD, "Dòng 3, cột «name»: thiếu tên thủ tục");
  import_fails("code,name,day_kind\n1,Một,tuần\n", KC_EFIELD,
               "Dòng 2, cột «day_kind»: «tuần» không phải loại ngày (working, calendar hoặc "
               "hours)");
  import_fails("code,name,Công bố (published)\n1,Một,chưa\n", KC_EFIELD,
               "Dòng 2, cột «Công bố (published)»: «chưa» phải là «có» hoặc «không»");
  import_fails("code,name,cutoff_hour\n1,Một,25\n", KC_EFIELD,
               "Dòng 2, cột «cutoff_hour»: «25» không phải giờ (số từ 0 đến 24)");
  import_fails("code,name,fee\n1,Một,\"a\x01\"\n", KC_EFIELD,
               "Dòng 2, cột «fee»: có ký tự điều khiển không được phép");
}

static void test_errors_lists(void **state)
{
  (void)state;
  /* a multi-line cell in row 2 moves row 3 to line 5 of the file */
  import_fails("code,name,Thành phần hồ sơ (components)\n"
               "1,Một,\"A | 1 | 0\nB | 1 | 0\nC | 1 | 0\"\n"
               "2,Hai,\"Tờ khai | 1 | 0\nGiấy tờ tùy thân | một | 0\"\n",
               KC_EFIELD,
               "Dòng 3 (dòng 5 của tệp), cột «Thành phần hồ sơ (components)»: giấy tờ 2: số bản "
               "chính «một» không phải là số nguyên");
  import_fails("code,name,components\n1,Một,\"Tờ khai | 1\"\n", KC_EFIELD,
               "Dòng 2, cột «components»: giấy tờ 1 «Tờ khai | 1» phải có dạng «Tên giấy tờ | "
               "số bản chính | số bản sao | mẫu», có 2 phần");
  import_fails("code,name,components\n1,Một,\"A | B | 1 | 0 | Mẫu\"\n", KC_EFIELD,
               "Dòng 2, cột «components»: giấy tờ 1 «A | B | 1 | 0 | Mẫu» phải có dạng «Tên "
               "giấy tờ | số bản chính | số bản sao | mẫu», có 5 phần");
  import_fails("code,name,components\n1,Một,| 1 | 0\n", KC_EFIELD,
               "Dòng 2, cột «components»: giấy tờ 1 thiếu tên giấy tờ");
  import_fails("code,name,components\n1,Một,A | 1 | 0.5\n", KC_EFIELD,
               "Dòng 2, cột «components»: giấy tờ 1: số bản sao «0.5» không phải là số nguyên");
  import_fails("code,name,steps\n1,Một,\"Tiếp nhận | | 0,5\nThẩm định | 1\"\n", KC_EFIELD,
               "Dòng 2, cột «steps»: bước 2 «Thẩm định | 1» phải có 3 phần «Tên bước | mã đơn vị "
               "| số ngày», có 2 phần");
  import_fails("code,name,steps\n1,Một,Tiếp nhận | | nửa\n", KC_EFIELD,
               "Dòng 2, cột «steps»: bước 1: số ngày «nửa» không phải là số");
}

static void test_errors_header(void **state)
{
  (void)state;
  import_fails("Mã thủ tục (code),Tên thủ tục (name),Ghi chú,Người sửa (editor)\n", KC_EFIELD,
               "Dòng 1: các cột «Ghi chú», «Người sửa (editor)» không có trong danh mục (tên cột "
               "phải kết thúc bằng mã trong ngoặc, ví dụ «Tên thủ tục (name)»)");
  import_fails("Mã thủ tục (code),Lĩnh vực (field)\n1,x\n", KC_EFIELD,
               "Dòng 1: thiếu cột «Tên thủ tục (name)»");
  import_fails("name,field\n1,x\n", KC_EFIELD, "Dòng 1: thiếu cột «Mã thủ tục (code)»");
  import_fails("code,name,Lĩnh vực (field),field\n", KC_EFIELD,
               "Dòng 1, cột «field»: cột này lặp lại cột «Lĩnh vực (field)»");
  /* an untitled column may be there, empty; data in it is refused */
  import_fails("code,name,,\n1,Một,,\n2,Hai,,x\n", KC_EFIELD,
               "Dòng 3, cột D: có dữ liệu nhưng cột không có tiêu đề");
  import_fails("code,name\n1,Một,x\n", KC_EFIELD,
               "Dòng 2, cột C: có dữ liệu nhưng cột không có tiêu đề");
  import_fails("", KC_EFIELD, "Dòng 1: tệp trống, thiếu dòng tiêu đề");
  import_fails("\xEF\xBB\xBF\r\n;;\r\n", KC_EFIELD, "Dòng 1: tệp trống, thiếu dòng tiêu đề");
}

static void test_errors_csv(void **state)
{
  (void)state;
  import_fails("code,name\n1,Một\n2,\"Hai\n", KC_EFIELD,
               "Dòng 3: dấu ngoặc kép mở ở dòng này không được đóng (đến hết tệp)");
  import_fails("code,name\n1,\"A\nB\"\n2,H\xE0 N\xF4i\n", KC_EFIELD,
               "Dòng 3 (dòng 4 của tệp): không phải UTF-8 hợp lệ (có thể tệp được lưu theo bảng "
               "mã Windows-1258 hoặc TCVN3); hãy lưu lại dưới dạng «CSV UTF-8»");
  /* no room for a message: still an error */
  json_t *arr = NULL;
  expect_err(kc_procedures_from_csv("x", 1, &arr, NULL, 0), KC_EFIELD);
  assert_null(arr);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip_catalog),
      cmocka_unit_test(test_round_trip_tricky),
      cmocka_unit_test(test_round_trip_empty),
      cmocka_unit_test(test_export_refuses_wrong_shape),
      cmocka_unit_test(test_excel_semicolons),
      cmocka_unit_test(test_bare_headers),
      cmocka_unit_test(test_nfc),
      cmocka_unit_test(test_errors_values),
      cmocka_unit_test(test_errors_lists),
      cmocka_unit_test(test_errors_header),
      cmocka_unit_test(test_errors_csv),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
