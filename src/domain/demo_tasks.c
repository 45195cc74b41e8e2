/* demo_tasks.c: Plan 69 as demo data (see demo.h). The tasks come from a person's reading of
 * the plan (data/demo/kh-69-ubnd-2017-tasks.tsv); they are created through kc_task_create,
 * then moved through 2017 with kc_task_progress / kc_task_complete at simulated dates, so the
 * demo exercises the same rules and audit trail as real use. */
#include "base/clock.h"
#include "domain/demo.h"
#include "domain/directive.h"
#include "domain/task.h"
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define PLAN_ISSUED "2017-03-20"
#define PLAN_ASSIGNED "2017-03-21T09:00:00+07:00"
/* Items of the plan without a date or a period ("thường xuyên") are due by the end of the
 * "year of administrative discipline" the plan serves. */
#define PLAN_DEFAULT_DUE "2017-12-31"

static char *read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = n >= 0 ? kc_xmalloc((size_t)n + 1) : NULL;
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) {
    buf[n] = 0;
    *len = (size_t)n;
  }
  return buf;
}

static kc_err lookup_id(kc_ctx *ctx, const char *sql, const char *key, int64_t *id)
{
  kc_stmt *s;
  bool row = false;
  kc_err e = kc_stmt_prepare(ctx->conn, sql, &s);
  if (e)
    return e;
  kc_stmt_bind_text(s, 1, key, -1);
  if (!(e = kc_stmt_step(s, &row)) && row)
    *id = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  return e ? e : row ? KC_OK : KC_ENOTFOUND;
}

/* The plan's collective names and the standard groups they mean. */
static const struct {
  const char *phrase, *group;
} collective[] = {
    {"Các sở, ban, ngành", "departments"},
    {"UBND các quận, huyện, thị xã", "districts"},
    {"UBND các phường, xã, thị trấn", "communes"},
    {"Các cơ quan, đơn vị", "departments"},
};

static uint32_t rng_next(uint32_t *st)
{
  uint32_t x = *st;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *st = x;
}

static int64_t at(const char *iso)
{
  int64_t t = 0;
  if (kc_time_parse_iso(iso, &t))
    return 0;
  return t;
}

/* One simulated action on a task. */
typedef struct event {
  int64_t when, task_id;
  bool complete;
  char on[11];
} event;

static int by_time(const void *a, const void *b)
{
  const event *x = a, *y = b;
  if (x->when != y->when)
    return x->when < y->when ? -1 : 1;
  return x->task_id < y->task_id ? -1 : x->task_id > y->task_id;
}

/* Moves the plan's tasks through 2017: every task due before the real "now" is completed,
 * on time (most), late (some), or left open (a few); some get a progress report first. The
 * actions are applied in time order so the audit log's times never go backwards. */
static kc_err simulate(kc_ctx *ctx, int64_t directive_id, int64_t real_now, FILE *progress)
{
  static const char q[] = "SELECT id, due_date FROM tasks WHERE directive_id = ? AND is_group = 0 "
                          "AND due_date IS NOT NULL ORDER BY due_date, id";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  kc_stmt_bind_i64(s, 1, directive_id);
  event *ev = NULL;
  size_t n = 0, cap = 0;
  uint32_t rng = 6917;
  int64_t start = ctx->now;
  while (!(e = kc_stmt_step(s, &row)) && row) {
    int64_t id = kc_stmt_i64(s, 0);
    int64_t due_t = at(kc_stmt_text(s, 1));
    uint32_t r = rng_next(&rng) % 100;
    int64_t done_day = r < 78 ? due_t - (int64_t)(rng_next(&rng) % 6) * 86400
                              : due_t + (int64_t)(1 + rng_next(&rng) % 20) * 86400;
    if (due_t + 86400 > real_now || n + 2 > 1000000)
      continue; /* not due yet: stays in progress */
    if (n + 2 > cap)
      ev = kc_xrealloc(ev, (cap = cap ? cap * 2 : 512) * sizeof *ev);
    int64_t prog = due_t - 8 * 86400 + 10 * 3600;
    if (r < 30 && prog > start)
      ev[n++] = (event){.when = prog, .task_id = id};
    int64_t when = done_day + 15 * 3600;
    if (r < 92 && when > start && when < real_now) {
      ev[n] = (event){.when = when, .task_id = id, .complete = true};
      kc_time_format_date(done_day, ev[n].on, sizeof ev[n].on);
      n++;
    }
  }
  kc_stmt_reset(s);
  if (n)
    qsort(ev, n, sizeof *ev, by_time);
  for (size_t i = 0; !e && i < n; i++) {
    json_t *out = NULL;
    ctx->now = ev[i].when;
    if (!ev[i].complete) {
      e = kc_task_progress(ctx, ev[i].task_id, 50, "Đã triển khai, đang tổng hợp kết quả", &out);
    } else {
      const char *o = ev[i].on;
      const char *evid = kc_arena_printf(ctx->arena, "Báo cáo số %u/BC ngày %.2s/%.2s/%.4s",
                                         100 + rng_next(&rng) % 800, o + 8, o + 5, o);
      e = kc_task_complete(ctx, ev[i].task_id, o, evid, 0, &out);
    }
    json_decref(out);
    if (progress && (i + 1) % 500 == 0) {
      fprintf(progress, "\rdữ liệu mẫu nhiệm vụ: %zu/%zu", i + 1, n);
      fflush(progress);
    }
  }
  if (progress && n >= 500)
    fputc('\n', progress);
  free(ev);
  return e;
}

kc_err kc_demo_plan69(kc_ctx *ctx, const char *data_dir, int64_t real_now, FILE *progress)
{
  kc_err e = kc_unit_group_seed(ctx);
  if (e)
    return e;
  size_t len = 0;
  char *path = kc_arena_printf(ctx->arena, "%s/demo/kh-69-ubnd-2017.txt", data_dir);
  char *text = read_file(path, &len);
  if (!text)
    return kc_ctx_fail(ctx, KC_EIO, NULL, "Không đọc được %s: %s", path, strerror(errno));
  int64_t city = 0;
  static const char qc[] = "SELECT id FROM units WHERE code = ?";
  if ((e = lookup_id(ctx, qc, "HN", &city))) {
    free(text);
    return kc_ctx_fail(ctx, KC_EFIELD, NULL, "Thiếu đơn vị HN (UBND Thành phố Hà Nội)");
  }
  ctx->now = at(PLAN_ASSIGNED);
  kc_directive_in d = {
      .number = "69/KH-UBND",
      .kind = "plan",
      .issued_on = PLAN_ISSUED,
      .issuer_unit_id = city,
      .signer = "Nguyễn Đức Chung",
      .title = "Kế hoạch về việc siết chặt kỷ luật, kỷ cương hành chính; đổi mới lề lối, phong "
               "cách làm việc, tạo sự chuyển biến mạnh mẽ, tích cực trong thi hành công vụ của "
               "cán bộ, công chức, viên chức thành phố Hà Nội",
      .text = text};
  json_t *dj = NULL;
  e = kc_directive_create(ctx, &d, &dj);
  free(text);
  if (e)
    return e;
  int64_t directive_id = json_integer_value(json_object_get(dj, "id"));
  json_decref(dj);

  path = kc_arena_printf(ctx->arena, "%s/demo/kh-69-ubnd-2017-tasks.tsv", data_dir);
  FILE *f = fopen(path, "r");
  if (!f)
    return kc_ctx_fail(ctx, KC_EIO, NULL, "Không đọc được %s: %s", path, strerror(errno));
  char line[4096];
  int lineno = 0, created = 0;
  while (!e && fgets(line, sizeof line, f)) {
    lineno++;
    line[strcspn(line, "\r\n")] = 0;
    if (!*line || *line == '#')
      continue;
    char *col[4] = {line, NULL, NULL, NULL};
    for (int k = 1; k < 4 && col[k - 1]; k++) {
      char *tab = strchr(col[k - 1], '\t');
      if (tab) {
        *tab = 0;
        col[k] = tab + 1;
      }
    }
    if (!col[3])
      continue;
    kc_task_in in = {.directive_id = directive_id};
    for (size_t k = 0; k < sizeof collective / sizeof *collective; k++)
      if (!strcmp(col[0], collective[k].phrase)) {
        static const char qg[] = "SELECT id FROM unit_groups WHERE code = ?";
        if (lookup_id(ctx, qg, collective[k].group, &in.group_id))
          in.group_id = -1; /* a group with no units in this registry */
      }
    if (!in.group_id) {
      static const char qu[] = "SELECT id FROM units WHERE name = ?";
      if (lookup_id(ctx, qu, col[0], &in.lead_unit_id))
        continue; /* a body outside the registry */
    }
    if (in.group_id < 0)
      continue;
    /* "II.6.a-3 Định kỳ …": the section, then the title */
    const char *title = col[3];
    char section[32] = "";
    const char *sp = strchr(title, ' ');
    if (sp && sp - title < (long)sizeof section && strchr("IV", *title)) {
      memcpy(section, title, (size_t)(sp - title));
      section[sp - title] = 0;
      title = sp + 1;
    }
    in.title = title;
    in.section = *section ? section : NULL;
    in.recurrence = *col[2] ? col[2] : NULL;
    in.due_date = in.recurrence ? NULL : *col[1] ? col[1] : PLAN_DEFAULT_DUE;
    json_t *tj = NULL;
    e = kc_task_create(ctx, &in, &tj);
    json_decref(tj);
    if (e)
      e = kc_ctx_fail(ctx, e, ctx->err_field, "%s:%d: %s", path, lineno,
                      ctx->err_message ? ctx->err_message : kc_err_message(e));
    created++;
  }
  fclose(f);
  if (!e)
    e = simulate(ctx, directive_id, real_now, progress);
  return e;
}
