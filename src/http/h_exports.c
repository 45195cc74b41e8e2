/* h_exports.c: lists as spreadsheets (CSV, XLSX) and the iCalendar feeds of deadlines. */
#include "domain/org/ical_token.h"
#include "domain/org/official.h"
#include "domain/tasks/task.h"
#include "http/handlers.h"
#include "http/list.h"
#include "report/ical.h"
#include "report/table.h"
#include <stdlib.h>
#include <string.h>

#define EXPORT_MAX_ROWS 100000

static const kc_column task_cols[] = {
    {"id", "Mã", KC_COL_INT, 8},
    {"section", "Mục", KC_COL_TEXT, 10},
    {"title", "Nhiệm vụ", KC_COL_TEXT, 60},
    {"lead_unit_name", "Đơn vị chủ trì", KC_COL_TEXT, 32},
    {"owner_unit_name", "Đơn vị giao", KC_COL_TEXT, 28},
    {"due_date", "Hạn hoàn thành", KC_COL_DATE, 14},
    {"recurrence", "Định kỳ", KC_COL_TEXT, 14},
    {"progress", "Tiến độ (%)", KC_COL_INT, 10},
    {"completed_on", "Ngày hoàn thành", KC_COL_DATE, 14},
    {"completion_evidence", "Văn bản báo cáo", KC_COL_TEXT, 30},
    {"status", "Tình trạng", KC_COL_STATUS, 24},
};

static const kc_column stats_cols[] = {
    {"rank", "Xếp hạng", KC_COL_INT, 9},
    {"unit_name", "Đơn vị", KC_COL_TEXT, 36},
    {"assigned", "Được giao", KC_COL_INT, 11},
    {"done_on_time", "Hoàn thành đúng hạn", KC_COL_INT, 13},
    {"done_late", "Hoàn thành quá hạn", KC_COL_INT, 13},
    {"open_in_time", "Đang thực hiện trong hạn", KC_COL_INT, 13},
    {"open_overdue", "Quá hạn chưa hoàn thành", KC_COL_INT, 13},
    {"on_time_rate", "Tỷ lệ đúng hạn", KC_COL_RATE, 12},
};

static const kc_column official_cols[] = {
    {"full_name", "Họ và tên", KC_COL_TEXT, 28},
    {"position", "Chức vụ", KC_COL_TEXT, 26},
    {"position_since", "Giữ chức vụ từ", KC_COL_DATE, 14},
    {"unit_name", "Đơn vị", KC_COL_TEXT, 34},
    {"email", "Email", KC_COL_TEXT, 28},
    {"phone", "Điện thoại", KC_COL_TEXT, 14},
};

void kc_h_send_table(kc_req *r, json_t *items, const kc_column *cols, size_t ncols,
                     const char *title, const char *file)
{
  bool bad = false;
  const char *fmt = kc_req_query(r, "format", &bad);
  if (bad) {
    json_decref(items);
    return;
  }
  if (!fmt || !*fmt)
    fmt = "csv";
  char *data = NULL;
  size_t len = 0;
  if (!strcmp(fmt, "csv")) {
    kc_table_csv(items, cols, ncols, &data, &len);
    r->content_type = "text/csv; charset=utf-8";
  } else if (!strcmp(fmt, "xlsx")) {
    if (kc_table_xlsx(items, cols, ncols, title, &data, &len)) {
      json_decref(items);
      kc_req_fail_msg(r, KC_EIO, NULL, "Không tạo được tệp Excel");
      return;
    }
    r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  } else {
    json_decref(items);
    kc_req_fail_msg(r, KC_EFIELD, "format", "Định dạng xuất phải là csv hoặc xlsx");
    return;
  }
  json_decref(items);
  r->status = 200;
  r->resp = kc_arena_strndup(&r->arena, data, len);
  r->resp_len = len;
  free(data);
  kc_req_add_header(r, "Content-Disposition",
                    kc_arena_printf(&r->arena, "attachment; filename=\"%s.%s\"", file, fmt));
}

/* The list's filters (h_tasks.c) without paging. */
static const kc_qparam task_params[] = {
    KC_QP_STR(kc_task_filter, status, KC_QP_EMPTY_NULL),
    KC_QP_STR(kc_task_filter, q, 0),
    KC_QP_STR(kc_task_filter, due_from, 0),
    KC_QP_STR(kc_task_filter, due_to, 0),
    KC_QP_ID(kc_task_filter, directive_id),
    KC_QP_ID(kc_task_filter, lead_unit_id),
    KC_QP_ID(kc_task_filter, parent_id),
    KC_QP_BOOL(kc_task_filter, mine),
};

void kc_h_tasks_export(kc_req *r)
{
  kc_task_filter f = {.limit = EXPORT_MAX_ROWS};
  KC_REQ_EXPORT(r, task_params, f, kc_task_list, task_cols, "DANH SÁCH NHIỆM VỤ", "nhiem-vu");
}

void kc_h_stats_tasks_export(kc_req *r)
{
  json_t *out = NULL;
  const char *from, *to;
  if (!kc_h_stats_tasks_query(r, &from, &to, &out))
    return;
  json_t *units = json_incref(json_object_get(out, "units"));
  const char *title =
      kc_arena_printf(&r->arena, "KẾT QUẢ THỰC HIỆN NHIỆM VỤ TỪ %.2s/%.2s/%.4s ĐẾN %.2s/%.2s/%.4s",
                      from + 8, from + 5, from, to + 8, to + 5, to);
  json_decref(out);
  kc_h_send_table(r, units, stats_cols, sizeof stats_cols / sizeof *stats_cols, title,
                  "thong-ke-nhiem-vu");
}

void kc_h_officials_export(kc_req *r)
{
  kc_official_filter f = {.limit = EXPORT_MAX_ROWS};
  static const kc_qparam params[] = {KC_QP_STR(kc_official_filter, q, 0),
                                     KC_QP_ID(kc_official_filter, unit_id)};
  KC_REQ_EXPORT(r, params, f, kc_official_list, official_cols,
                "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC", "can-bo");
}

void kc_h_ical_tokens_list(kc_req *r)
{
  json_t *items = NULL;
  kc_err e = kc_ical_token_list(&r->ctx, &items);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, (int64_t)json_array_size(items));
}

typedef struct {
  const char *scope;
} ical_in;

static const char *const ical_scopes[] = {"user", "unit", NULL};
static const kc_field ical_fields[] = {KC_FIELD_ENUM(ical_in, scope, KC_F_REQ, ical_scopes)};

void kc_h_ical_tokens_create(kc_req *r)
{
  json_t *out = NULL;
  ical_in in = {0};
  if (kc_req_fields(r, ical_fields, KC_NFIELDS(ical_fields), true, &in)) {
    kc_err e = kc_ical_token_create(&r->ctx, in.scope, &out);
    if (e) {
      kc_req_fail(r, e);
    } else {
      const char *path = json_string_value(json_object_get(out, "path"));
      json_object_set_new(
          out, "url", json_string(kc_arena_printf(&r->arena, "%s%s", r->cfg->public_url, path)));
      kc_req_json(r, 201, out);
    }
  }
}

void kc_h_ical_tokens_delete(kc_req *r)
{
  kc_err e = kc_ical_token_revoke(&r->ctx, r->id);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_empty(r, 204);
}

void kc_h_public_ical(kc_req *r)
{
  bool bad = false;
  const char *token = kc_req_query(r, "token", &bad);
  if (bad)
    return;
  json_t *tasks = NULL;
  const char *name = NULL;
  kc_err e = kc_ical_feed(&r->ctx, token, &tasks, &name);
  if (e) {
    kc_req_fail(r, e);
    return;
  }
  size_t len;
  char *cal = kc_ical_render(tasks, name, r->ctx.now, r->cfg->public_url, &len);
  json_decref(tasks);
  r->status = 200;
  r->content_type = "text/calendar; charset=utf-8";
  r->resp = kc_arena_strndup(&r->arena, cal, len);
  r->resp_len = len;
  free(cal);
}
