/* Unit tests of src/extract, one per phrase family, with the traps: dates of cited documents,
 * deadlines that close a block, collective assignees, accountability sentences, layout noise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "extract/extract.h"

static const kc_extract_unit units[] = {
    {1, "HN", "UBND Thành phố Hà Nội", "city", ""},
    {2, "HN-S01", "Văn phòng UBND Thành phố", "department", "HN"},
    {3, "HN-S02", "Sở Nội vụ", "department", "HN"},
    {4, "HN-S03", "Sở Tư pháp", "department", "HN"},
    {5, "HN-S04", "Sở Kế hoạch và Đầu tư", "department", "HN"},
    {6, "HN-S12", "Sở Lao động - Thương binh và Xã hội", "department", "HN"},
    {7, "HN-S13", "Sở Văn hóa và Thể thao", "department", "HN"},
    {8, "HN-D01", "UBND quận Ba Đình", "district", "HN"},
};

#define HEADER "Hà Nội, ngày 20 tháng 3 năm 2017\n\n"

static kc_extract_registry *reg;

static int setup(void **state)
{
  (void)state;
  reg = kc_extract_registry_new(units, sizeof units / sizeof *units);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  kc_extract_registry_free(reg);
  return 0;
}

/* Runs the reader and returns its TSV without the text column (yours; free(3)). */
static char *triples(const char *text)
{
  kc_extract_result *res = NULL;
  assert_int_equal(kc_extract_run(text, strlen(text), reg, NULL, &res), KC_OK);
  char *tsv = kc_extract_format_result(res, KC_EXTRACT_TSV, NULL);
  kc_extract_result_free(res);
  /* cut each line after the third tab */
  char *o = tsv;
  for (const char *p = tsv; *p;) {
    int tabs = 0;
    while (*p && *p != '\n') {
      if (*p == '\t')
        tabs++;
      if (tabs < 3)
        *o++ = *p;
      p++;
    }
    if (*p == '\n')
      *o++ = *p++;
  }
  *o = '\0';
  return tsv;
}

static void expect(const char *text, const char *want)
{
  char *got = triples(text);
  if (strcmp(got, want))
    printf("input: %s\n", text);
  assert_string_equal(got, want);
  free(got);
}

static kc_extract_result *run(const char *text)
{
  kc_extract_result *res = NULL;
  assert_int_equal(kc_extract_run(text, strlen(text), reg, NULL, &res), KC_OK);
  return res;
}

static void test_deadlines(void **state)
{
  (void)state;
  expect(HEADER "Giao Sở Nội vụ rà soát, xong trước ngày 30/4/2017.", "Sở Nội vụ\t2017-04-30\t\n");
  expect(HEADER "Giao Sở Nội vụ hoàn thành trước 15/5.", "Sở Nội vụ\t2017-05-15\t\n");
  expect(HEADER "Giao Sở Nội vụ rà soát. Thời gian hoàn thành: 31/5/2017.",
         "Sở Nội vụ\t2017-05-31\t\n");
  expect(HEADER "Giao Sở Nội vụ trình phê duyệt trong Quý II/2017.", "Sở Nội vụ\t2017-06-30\t\n");
  expect(HEADER "Giao Sở Nội vụ báo cáo trong tháng 4/2017.", "Sở Nội vụ\t2017-04-30\t\n");
  expect(HEADER "Giao Sở Nội vụ hoàn thành trong 6 tháng đầu năm.", "Sở Nội vụ\t2017-06-30\t\n");
  expect(HEADER "Giao Sở Nội vụ thực hiện trong năm 2017.", "Sở Nội vụ\t2017-12-31\t\n");
  expect(HEADER "Giao Sở Nội vụ báo cáo trước ngày 30 tháng 4 năm 2017.",
         "Sở Nội vụ\t2017-04-30\t\n");
  expect(HEADER "Giao Sở Nội vụ báo cáo chậm nhất ngày 10/6.", "Sở Nội vụ\t2017-06-10\t\n");
  /* a year mentioned without a deadline word is not a deadline */
  expect(HEADER "Các Sở, ngành sửa đổi văn bản chưa hoàn thành theo kế hoạch năm 2016.",
         "Các sở, ban, ngành\t\t\n");
}

static void test_cited_documents(void **state)
{
  (void)state;
  expect(HEADER "Giao Sở Tư pháp thực hiện Nghị định số 20/2008/NĐ-CP ngày 14/02/2008 và "
                "Chỉ thị số 01/CT-UBND ngày 03/02/2017 của Chủ tịch UBND Thành phố.",
         "Sở Tư pháp\t\t\n");
  expect(HEADER "Giao Sở Tư pháp thực hiện Chỉ thị số 18/CT-UBND ngày 29-12-2016, xong trước "
                "ngày 30/6/2017.",
         "Sở Tư pháp\t2017-06-30\t\n");
}

static void test_block_deadline(void **state)
{
  (void)state;
  const char *text = HEADER "c) Giao Sở Tư pháp chủ trì cùng các Sở, ngành thực hiện:\n"
                            "- Kiểm soát việc công bố thủ tục hành chính.\n"
                            "- Công khai thủ tục hành chính.\n"
                            "Thời gian thực hiện: xong trước ngày 31/5/2017, báo cáo UBND "
                            "Thành phố.\n";
  expect(text, "Sở Tư pháp\t2017-05-31\t\nSở Tư pháp\t2017-05-31\t\n");
  kc_extract_result *res = run(text);
  assert_int_equal(res->count, 2);
  assert_true(res->tasks[0].inherited);
  assert_true(res->tasks[0].block_due);
  assert_string_equal(res->tasks[1].section, "c-2");
  assert_int_equal(res->tasks[0].nsupport, 1);
  assert_string_equal(res->tasks[0].support[0].group->id, "departments");
  kc_extract_result_free(res);
  /* items that have their own date keep it; the block's date then is a task of its own */
  expect(HEADER
         "d) Giao các giám đốc sở, ban, ngành thực hiện:\n- Rà soát, xong trước ngày 30/6/2017.\n"
         "Thời gian thực hiện việc chuyển đổi xong trước ngày 31/8/2017.\n",
         "Các sở, ban, ngành\t2017-06-30\t\nCác sở, ban, ngành\t2017-08-31\t\n");
}

static void test_inherited_heading(void **state)
{
  (void)state;
  expect(HEADER "3. Đổi mới lề lối làm việc\n"
                "Giao giám đốc, thủ trưởng các Sở, ban, ngành, Chủ tịch UBND các quận, huyện, "
                "thị xã:\na) Tổ chức tập huấn.\nb) Niêm yết nội quy (xong trước ngày 30/4/2017).\n",
         "Các sở, ban, ngành\t\t\nUBND các quận, huyện, thị xã\t\t\n"
         "Các sở, ban, ngành\t2017-04-30\t\nUBND các quận, huyện, thị xã\t2017-04-30\t\n");
  /* an item ending with ':' that is a task itself: its bullets are its content */
  expect(HEADER "1. Giao Sở Nội vụ:\na) Niêm yết 2 yêu cầu sau:\n- Khách đến, được chào hỏi.\n"
                "- Khách về, được hài lòng.\n",
         "Sở Nội vụ\t\t\n");
  /* aims are not tasks */
  expect(HEADER "I. MỤC ĐÍCH, YÊU CẦU\n1. Yêu cầu\na) Người đứng đầu cơ quan, đơn vị chỉ đạo "
                "triển khai.\nII. NỘI DUNG\n1. Giao Sở Nội vụ kiểm tra.\n",
         "Sở Nội vụ\t\t\n");
}

static void test_collective_names(void **state)
{
  (void)state;
  expect(HEADER "Các sở, ban, ngành rà soát quy chế.", "Các sở, ban, ngành\t\t\n");
  expect(HEADER "Yêu cầu UBND các quận, huyện, thị xã rà soát.",
         "UBND các quận, huyện, thị xã\t\t\n");
  expect(HEADER "Giao UBND các phường, xã, thị trấn niêm yết.",
         "UBND các phường, xã, thị trấn\t\t\n");
  expect(HEADER "Các cơ quan, đơn vị triển khai khảo sát.", "Các cơ quan, đơn vị\t\t\n");
  expect(HEADER "Giao Chủ tịch UBND cấp huyện, cấp xã tổ chức tiếp dân.",
         "UBND các quận, huyện, thị xã\t\t\nUBND các phường, xã, thị trấn\t\t\n");
  expect(HEADER "Giao thủ trưởng các đơn vị sự nghiệp công lập thực hiện.",
         "Các đơn vị sự nghiệp công lập\t\t\n");
  expect(HEADER "Giao Giám đốc các Sở: Nội vụ, Tư pháp theo dõi.",
         "Sở Nội vụ\t\t\nSở Tư pháp\t\t\n");
}

static void test_unit_names(void **state)
{
  (void)state;
  expect(HEADER "Giao Sở Văn hóa - Thể thao chủ trì xây dựng chương trình.",
         "Sở Văn hóa và Thể thao\t\t\n");
  expect(HEADER "Sở nội vụ có trách nhiệm tổng hợp.", "Sở Nội vụ\t\t\n");
  expect(HEADER "Giao Văn phòng Ủy ban nhân dân thành phố theo dõi.",
         "Văn phòng UBND Thành phố\t\t\n");
  expect(HEADER "Giao Sở KH&ĐT tổng hợp.", "Sở Kế hoạch và Đầu tư\t\t\n");
  expect(HEADER "Sở LĐ-TB&XH tham mưu UBND Thành phố.",
         "Sở Lao động - Thương binh và Xã hội\t\t\n");
  expect(HEADER "Giao Giám đốc Sở Nội vụ thành lập đoàn kiểm tra.", "Sở Nội vụ\t\t\n");
  expect(HEADER "UBND Thành phố yêu cầu UBND quận Ba Đình khẩn trương triển khai.",
         "UBND quận Ba Đình\t\t\n");
}

static void test_support_and_unresolved(void **state)
{
  (void)state;
  kc_extract_result *res = run(HEADER "Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ và UBND các "
                                      "quận, huyện, thị xã rà soát thủ tục.");
  assert_int_equal(res->count, 1);
  assert_string_equal(res->tasks[0].lead.name, "Sở Tư pháp");
  assert_int_equal(res->tasks[0].nsupport, 2);
  assert_string_equal(res->tasks[0].support[0].name, "Sở Nội vụ");
  assert_string_equal(res->tasks[0].support[1].group->id, "districts");
  kc_extract_result_free(res);

  res = run(HEADER "Giao Công an Thành phố chủ trì kiểm tra.");
  assert_int_equal(res->count, 1);
  assert_int_equal(res->tasks[0].lead.kind, KC_EXTRACT_REF_UNRESOLVED);
  assert_string_equal(res->tasks[0].lead.name, "Công an Thành phố");
  assert_true(res->tasks[0].confidence < 0.6);
  kc_extract_result_free(res);
}

static void test_recurrences(void **state)
{
  (void)state;
  expect(HEADER "Giao Sở Nội vụ định kỳ ngày 25 hằng tháng báo cáo.", "Sở Nội vụ\t\tmonthly:25\n");
  expect(HEADER "Giao Sở Nội vụ báo cáo vào ngày 20 của tháng cuối quý.",
         "Sở Nội vụ\t\tquarterly:20\n");
  expect(HEADER "Giao Sở Nội vụ báo cáo trước ngày 31 tháng 12 hằng năm.",
         "Sở Nội vụ\t\tyearly:12-31\n");
  expect(HEADER "Giao Sở Nội vụ họp giao ban vào thứ Sáu hàng tuần.", "Sở Nội vụ\t\tweekly:FRI\n");
  expect(HEADER "Giao Sở Nội vụ hàng tháng (định kỳ trước ngày 25 hàng tháng), hàng quý "
                "(định kỳ trước ngày 25 của tháng cuối quý) tổng hợp.",
         "Sở Nội vụ\t\tmonthly:25\nSở Nội vụ\t\tquarterly:25\n");
  kc_extract_result *res = run(HEADER "Giao Sở Nội vụ kiểm tra hằng quý. Sở Tư pháp định kỳ 6 "
                                      "tháng báo cáo.");
  assert_int_equal(res->count, 2);
  assert_string_equal(res->tasks[0].recurrence, "quarterly");
  assert_string_equal(res->tasks[1].recurrence, "semiannual");
  kc_extract_result_free(res);
  /* day-less recurrences stay out of the TSV */
  expect(HEADER "Giao Sở Nội vụ kiểm tra hằng năm.", "Sở Nội vụ\t\t\n");
  /* after a time phrase, the subject still counts */
  expect(HEADER "Định kỳ ngày 20 hằng tháng, các sở, ban, ngành báo cáo về Sở Nội vụ.",
         "Các sở, ban, ngành\t\tmonthly:20\n");
}

static void test_layout_noise(void **state)
{
  (void)state;
  expect(HEADER "**Giao** Sở Nội vụ rà soát các văn bản của\n\n12\n\nThành phố, *xong trước "
                "ngày 30/4/2017*.",
         "Sở Nội vụ\t2017-04-30\t\n");
  expect(HEADER "• Giao Sở Nội vụ rà soát, hoàn thành trước ngày\n30/4/2017.",
         "Sở Nội vụ\t2017-04-30\t\n");
  kc_extract_result *res = run(HEADER "Giao Sở Nội vụ cải cách hành chí-\nnh.\r\n");
  assert_non_null(strstr(res->text, "hành chính."));
  kc_extract_result_free(res);
}

static void test_not_tasks(void **state)
{
  (void)state;
  expect(HEADER "Thủ trưởng các sở, ban, ngành phải chịu trách nhiệm trước Chủ tịch UBND Thành "
                "phố nếu để xảy ra vi phạm.",
         "");
  expect(HEADER "Thực hiện tốt các nhiệm vụ được giao.", "");
  expect(HEADER "Giao Sở Nội vụ kiểm tra.\n\nNơi nhận:\n- Các sở, ban, ngành Thành phố;\n",
         "Sở Nội vụ\t\t\n");
}

static void test_document_year_and_errors(void **state)
{
  (void)state;
  kc_extract_result *res = run("Số: 69/KH-UBND\nHà Nội, ngày 20 tháng 3 năm 2017\n");
  assert_true(res->has_issued);
  assert_int_equal(res->year, 2017);
  char date[KC_CAL_DATE_LEN + 1];
  assert_string_equal(kc_cal_format_date(res->issued, date), "2017-03-20");
  kc_extract_result_free(res);
  res = NULL;
  assert_int_equal(kc_extract_run("Giao S\xff", 7, reg, NULL, &res), KC_EFIELD);
  assert_null(res);
  char *json = NULL;
  res = run(HEADER "Giao Sở Nội vụ \"kiểm tra\", xong trước ngày 30/4/2017.");
  json = kc_extract_format_result(res, KC_EXTRACT_JSON, NULL);
  assert_non_null(strstr(json, "\"due_date\":\"2017-04-30\""));
  assert_non_null(strstr(json, "\\\"kiểm tra\\\""));
  free(json);
  kc_extract_result_free(res);
}

static void test_registry_file(void **state)
{
  (void)state;
  const char *data = getenv("KC_DATA_DIR");
  assert_non_null(data);
  char path[1024], err[256];
  snprintf(path, sizeof path, "%s/hanoi-units-2017.tsv", data);
  kc_extract_registry *r = NULL;
  assert_int_equal(kc_extract_registry_load_tsv(path, &r, err, sizeof err), KC_OK);
  assert_int_equal(kc_extract_registry_count(r), 52);
  assert_string_equal(kc_extract_registry_unit(r, 0)->code, "HN");
  kc_extract_registry_free(r);
  assert_int_equal(kc_extract_registry_load_tsv("/nonexistent.tsv", &r, err, sizeof err), KC_EIO);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_deadlines),
      cmocka_unit_test(test_cited_documents),
      cmocka_unit_test(test_block_deadline),
      cmocka_unit_test(test_inherited_heading),
      cmocka_unit_test(test_collective_names),
      cmocka_unit_test(test_unit_names),
      cmocka_unit_test(test_support_and_unresolved),
      cmocka_unit_test(test_recurrences),
      cmocka_unit_test(test_layout_noise),
      cmocka_unit_test(test_not_tasks),
      cmocka_unit_test(test_document_year_and_errors),
      cmocka_unit_test(test_registry_file),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
