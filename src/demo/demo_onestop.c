/* demo_onestop.c: the one-stop shop of the demo (see demo.h). The procedures of
 * data/onestop/procedures.json (a research format) are turned into catalog records and created
 * through kc_procedure_create; then the Ba Đình desk receives dossiers on every working day
 * from March to December 2017, and about 25 more over the last two weeks before the real date,
 * each moved through its life with kc_dossier_act at simulated instants taken in time order
 * from a queue, so the demo exercises the same rules, counters and audit trail as real use. */
#include "base/clock.h"
#include "demo/demo.h"
#include "demo/timeline.h"
#include "domain/core/workcal.h"
#include "domain/onestop/dossier.h"
#include "domain/onestop/procedure.h"
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- deterministic randomness ---- */

/* Knuth's 64-bit LCG; only the high bits are used, the low ones being poor. */
static uint32_t lcg(uint64_t *st)
{
  *st = *st * 6364136223846793005u + 1442695040888963407u;
  return (uint32_t)(*st >> 33);
}

static int rnd(uint64_t *st, int n)
{
  return n > 0 ? (int)(lcg(st) % (uint32_t)n) : 0;
}

/* ---- lookups ---- */

static kc_err unit_by_code(kc_ctx *ctx, const char *code, int64_t *id)
{
  kc_stmt *s;
  bool row = false;
  kc_err e = kc_stmt_query(ctx->conn, "SELECT id FROM units WHERE code = ?", &s, KC_TXT(code));
  if (e)
    return kc_ctx_code(ctx, e);
  *id = 0;
  e = kc_stmt_step(s, &row);
  if (!e && row)
    *id = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

/* The department whose name appears in a hint ("Sở Tư pháp (2017); …"); the longest name
 * wins. 0 when none does. */
static kc_err unit_in_hint(kc_ctx *ctx, const char *hint, int64_t *id)
{
  static const char q[] = "SELECT id, name FROM units WHERE kind = 'department' ORDER BY id";
  kc_stmt *s;
  bool row;
  size_t best = 0;
  *id = 0;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return kc_ctx_code(ctx, e);
  while (hint && !(e = kc_stmt_step(s, &row)) && row) {
    const char *name = kc_stmt_text(s, 1);
    size_t len = strlen(name);
    if (len > best && strstr(hint, name)) {
      best = len;
      *id = kc_stmt_i64(s, 0);
    }
  }
  kc_stmt_reset(s);
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

/* The first official of a unit (0 when it has none), to be named on hand-offs. */
static kc_err first_official(kc_ctx *ctx, int64_t unit_id, int64_t *id)
{
  kc_stmt *s;
  bool row = false;
  kc_err e = kc_stmt_query(ctx->conn, "SELECT MIN(id) FROM officials WHERE unit_id = ?", &s,
                           KC_I64(unit_id));
  if (e)
    return kc_ctx_code(ctx, e);
  *id = 0;
  e = kc_stmt_step(s, &row);
  if (!e && row && !kc_stmt_is_null(s, 0))
    *id = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

/* A demo account as a request would carry it. Strings are owned by ctx->arena. */
static kc_err load_actor(kc_ctx *ctx, const char *username, kc_actor *a)
{
  static const char q[] = "SELECT a.id, a.role, a.unit_id, u.path, COALESCE(a.official_id, 0) "
                          "FROM accounts a JOIN units u ON u.id = a.unit_id WHERE a.username = ?";
  kc_stmt *s;
  bool row = false;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(username));
  if (e)
    return kc_ctx_code(ctx, e);
  int role = -1;
  e = kc_stmt_step(s, &row);
  if (!e && row) {
    role = kc_role_parse(kc_stmt_text(s, 1));
    *a = (kc_actor){.account_id = kc_stmt_i64(s, 0),
                    .username = kc_arena_strdup(ctx->arena, username),
                    .role = role < 0 ? KC_ROLE_PUBLIC : (kc_role)role,
                    .unit_id = kc_stmt_i64(s, 2),
                    .unit_path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 3)),
                    .official_id = kc_stmt_i64(s, 4)};
  }
  kc_stmt_reset(s);
  if (e)
    return kc_ctx_code(ctx, e);
  if (!row || role < 0)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Thiếu tài khoản mẫu %s", username);
  return KC_OK;
}

/* ---- procedures ---- */

#define MAX_PROCS 64

/* What the simulation needs to know of a procedure it receives dossiers for. */
typedef struct proc {
  int64_t id;
  bool commune;  /* received by a commune (else by the district) */
  int approx_wd; /* the limit in working days, roughly */
  int weight;
  int nsteps; /* steps at a division of the district, in order */
  int64_t step_unit[KC_PROCEDURE_MAX_STEPS], step_official[KC_PROCEDURE_MAX_STEPS];
  const char *step_name[KC_PROCEDURE_MAX_STEPS];
  const char *paper; /* a component, for supplement requests */
  kc_limit_kind kind;
  int amount;
} proc;

/* s cut to fit max bytes (NFC and trimming keep it under), at a character boundary. */
static const char *clip(kc_arena *ar, const char *s, size_t max)
{
  if (!s || strlen(s) + 16 <= max)
    return s;
  size_t n = max - 16;
  while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  return kc_arena_printf(ar, "%.*s…", (int)n, s);
}

static void set_str(kc_arena *ar, json_t *o, const char *key, json_t *from, size_t max)
{
  const char *s = json_string_value(json_object_get(from, key));
  if (s)
    json_object_set_new(o, key, json_string(clip(ar, s, max)));
}

/* The division of Ba Đình a step's hint names (district procedures only). */
static const char *step_unit_code(const char *hint)
{
  if (!hint)
    return NULL;
  if (strstr(hint, "Phòng Tư pháp"))
    return "HN-D01-P01";
  if (strstr(hint, "Tài chính"))
    return "HN-D01-P02";
  if (strstr(hint, "Quản lý đô thị") || strstr(hint, "Kinh tế và Hạ tầng"))
    return "HN-D01-P03";
  return NULL;
}

/* One research record → a catalog record (only the members procedure.h documents), created
 * through the domain. `no` is its 1-based place in the file, for a local code. */
static kc_err create_procedure(kc_ctx *ctx, json_t *r, size_t no, proc *p, bool *receivable)
{
  kc_arena *ar = ctx->arena;
  json_t *o = json_object();
  kc_err e = KC_OK;
  const char *code = json_string_value(json_object_get(r, "code"));
  const char *level = json_string_value(json_object_get(r, "level"));
  const char *source = json_string_value(json_object_get(r, "source"));
  char local[32];
  if (!code) {
    snprintf(local, sizeof local, "HN-TTHC-%02zu", no);
    code = local;
    source = kc_arena_printf(ar,
                             "Mã %s là mã nội bộ của dữ liệu mẫu (thủ tục chưa tìm thấy mã trong "
                             "Cơ sở dữ liệu quốc gia về thủ tục hành chính). %s",
                             local, source ? source : "");
  }
  json_object_set_new(o, "code", json_string(code));
  set_str(ar, o, "name", r, 1000);
  set_str(ar, o, "field", r, 300);
  if (level)
    json_object_set_new(o, "level", json_string(level));
  bool district = level && !strcmp(level, "district");
  bool commune = level && !strcmp(level, "commune");
  int64_t unit = 0;
  if (district)
    e = unit_by_code(ctx, "HN-D01", &unit);
  else if (commune)
    e = unit_by_code(ctx, "HN-D01-X01", &unit);
  else if (!(e = unit_in_hint(ctx, json_string_value(json_object_get(r, "unit_hint")), &unit)) &&
           !unit)
    e = unit_by_code(ctx, "HN-S01", &unit);
  if (!e && !unit)
    e = kc_ctx_fail(ctx, KC_ENOTFOUND, "unit_id", "Không tìm thấy đơn vị thực hiện thủ tục %s",
                    code);
  json_object_set_new(o, "unit_id", json_integer(unit));
  /* the time limit */
  json_t *pr = json_object_get(r, "processing");
  int amount = (int)json_integer_value(json_object_get(pr, "amount"));
  const char *kind = json_string_value(json_object_get(pr, "kind"));
  if (!kind)
    kind = "working";
  int lk = kc_limit_kind_parse(kind);
  if (lk == KC_LIMIT_HOURS) {
    json_object_set_new(o, "processing_hours", json_integer(amount));
  } else {
    json_object_set_new(o, "processing_days", json_integer(amount));
    json_object_set_new(o, "day_kind", json_string(kind));
  }
  json_t *cut = json_object_get(r, "cutoff_hour");
  json_object_set_new(o, "cutoff_hour", json_is_integer(cut) ? json_incref(cut) : json_null());
  json_t *fee = json_object_get(r, "fee");
  if (json_is_string(fee))
    set_str(ar, o, "fee", r, 1000);
  else if (json_is_number(fee))
    json_object_set(o, "fee", fee);
  /* components */
  json_t *comps = json_array(), *c;
  size_t i;
  const char *paper = NULL;
  json_array_foreach(json_object_get(r, "components"), i, c)
  {
    if (i >= KC_PROCEDURE_MAX_COMPONENTS)
      break;
    json_t *x = json_object();
    set_str(ar, x, "name", c, 1000);
    set_str(ar, x, "form", c, 500);
    json_t *n1 = json_object_get(c, "originals"), *n2 = json_object_get(c, "copies");
    if (json_is_integer(n1))
      json_object_set(x, "originals", n1);
    if (json_is_integer(n2))
      json_object_set(x, "copies", n2);
    if (!paper)
      paper = json_string_value(json_object_get(x, "name"));
    json_array_append_new(comps, x);
  }
  json_object_set_new(o, "components", comps);
  /* steps in half days, capped by the limit counted in working days */
  json_t *steps = json_object_get(r, "steps"), *st;
  size_t nst = json_array_size(steps);
  if (nst > KC_PROCEDURE_MAX_STEPS)
    nst = KC_PROCEDURE_MAX_STEPS;
  int half[KC_PROCEDURE_MAX_STEPS];
  int64_t sunit[KC_PROCEDURE_MAX_STEPS];
  int64_t sum = 0;
  for (i = 0; !e && i < nst; i++) {
    st = json_array_get(steps, i);
    double d = json_number_value(json_object_get(st, "days"));
    half[i] = d > 0 ? (int)(d * 2 + 0.5) : 0;
    sum += half[i];
    const char *uc =
        district ? step_unit_code(json_string_value(json_object_get(st, "unit_hint"))) : NULL;
    sunit[i] = 0;
    if (uc)
      e = unit_by_code(ctx, uc, &sunit[i]);
  }
  int64_t cap = lk == KC_LIMIT_WORKING    ? (int64_t)amount * 2
                : lk == KC_LIMIT_CALENDAR ? (int64_t)amount * 5 / 7 * 2
                                          : (int64_t)amount / 4;
  json_t *sarr = json_array();
  p->nsteps = 0;
  for (i = 0; !e && i < nst; i++) {
    st = json_array_get(steps, i);
    int h = sum > cap ? (int)(half[i] * cap / sum) : half[i];
    json_t *x = json_object();
    set_str(ar, x, "name", st, 500);
    json_object_set_new(x, "days", json_real(h / 2.0));
    if (sunit[i]) {
      json_object_set_new(x, "unit_id", json_integer(sunit[i]));
      p->step_unit[p->nsteps] = sunit[i];
      p->step_name[p->nsteps] = json_string_value(json_object_get(x, "name"));
      e = first_official(ctx, sunit[i], &p->step_official[p->nsteps]);
      p->nsteps++;
    }
    json_array_append_new(sarr, x);
  }
  json_object_set_new(o, "steps", sarr);
  set_str(ar, o, "requirements", r, 20000);
  set_str(ar, o, "result", r, 2000);
  set_str(ar, o, "legal_basis", r, 20000);
  if (source)
    json_object_set_new(o, "source", json_string(clip(ar, source, 2000)));
  json_object_set_new(o, "published", json_true());
  json_t *out = NULL;
  kc_procedure_in in;
  if (!e)
    e = kc_procedure_in_from_json(ctx, o, true, &in);
  if (!e)
    e = kc_procedure_create(ctx, &in, &out);
  if (!e) {
    p->id = json_integer_value(json_object_get(out, "id"));
    p->commune = commune;
    p->kind = lk < 0 ? KC_LIMIT_WORKING : (kc_limit_kind)lk;
    p->amount = amount;
    p->approx_wd = lk == KC_LIMIT_CALENDAR ? amount * 5 / 7
                   : lk == KC_LIMIT_HOURS  ? amount / 8
                                           : amount;
    p->weight = amount <= 1 ? 3 : 2; /* same-day papers are the desks' daily bread */
    p->paper = paper ? kc_arena_strdup(ar, paper) : "Giấy tờ tùy thân";
    /* the step names live in `o`; keep copies */
    for (int k = 0; k < p->nsteps; k++)
      p->step_name[k] = kc_arena_strdup(ar, p->step_name[k]);
    *receivable = district || commune;
  }
  json_decref(out);
  json_decref(o);
  return e;
}

/* ---- the simulation ---- */

enum ev_kind {
  EV_RECEIVE,
  EV_HANDOVER,
  EV_SUPPLEMENT,
  EV_SUPPLEMENT_RECEIVED,
  EV_APOLOGY,
  EV_RESULT,
  EV_RETURN,
  EV_REFUSE,
  EV_WITHDRAW,
  EV_NONE /* as a stop: none */
};

enum fate { FATE_NORMAL, FATE_LATE, FATE_LATE_APOLOGY, FATE_REFUSE, FATE_WITHDRAW };

typedef struct sim {
  int64_t id, unit, holder;
  int proc;
  uint8_t fate, stop; /* stop: the last action of a dossier left open (EV_NONE: none) */
  bool supplement, supplemented, apologised;
  int next_step;
  kc_cal_day due, odue;
} sim;

typedef struct event {
  int64_t when;
  uint32_t seq;
  int32_t sim;
  uint8_t kind;
} event;

/* A binary min-heap of events by (when, seq). */
typedef struct queue {
  event *v;
  size_t n, cap;
  uint32_t seq;
} queue;

static bool ev_less(const event *a, const event *b)
{
  return a->when != b->when ? a->when < b->when : a->seq < b->seq;
}

static void q_push(queue *q, int64_t when, int32_t s, uint8_t kind)
{
  if (q->n == q->cap)
    q->v = kc_xrealloc(q->v, (q->cap = q->cap ? q->cap * 2 : 1024) * sizeof *q->v);
  size_t i = q->n++;
  event ev = {.when = when, .seq = q->seq++, .sim = s, .kind = kind};
  while (i && ev_less(&ev, &q->v[(i - 1) / 2])) {
    q->v[i] = q->v[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  q->v[i] = ev;
}

static event q_pop(queue *q)
{
  event top = q->v[0], last = q->v[--q->n];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= q->n)
      break;
    if (c + 1 < q->n && ev_less(&q->v[c + 1], &q->v[c]))
      c++;
    if (!ev_less(&q->v[c], &last))
      break;
    q->v[i] = q->v[c];
    i = c;
  }
  if (q->n)
    q->v[i] = last;
  return top;
}

typedef struct world {
  kc_ctx *ctx;
  kc_workcal_cache *cals;
  kc_workcal *wc; /* held while the world lives: the calendar the plan was made with */
  const kc_cal_calendar *cal;
  kc_actor desk, officer, head;
  proc procs[MAX_PROCS];
  int nprocs;
  int recv[MAX_PROCS]; /* indexes of the procedures Ba Đình receives */
  int nrecv;
  int64_t d01, communes[2];
  sim *sims;
  size_t nsims, capsims;
  queue q;
  uint64_t rng;
  int64_t real_now;
  kc_cal_day last_day; /* the last working day before the real date */
  int received;
  FILE *progress;
} world;

static kc_cal_day wd_add(const world *w, kc_cal_day d, int n)
{
  kc_cal_day out = d;
  if (kc_cal_add_workdays(w->cal, d, n, &out))
    return d;
  return out;
}

/* A working day between lo and hi (both included), the earlier ones likelier. */
static kc_cal_day pick_day(world *w, kc_cal_day lo, kc_cal_day hi)
{
  int32_t n = 0;
  if (hi <= lo || kc_cal_count_workdays(w->cal, lo, hi, &n) || n <= 0)
    return lo;
  int k = rnd(&w->rng, n + 1);
  k = k < rnd(&w->rng, n + 1) ? k : rnd(&w->rng, n + 1); /* lean early */
  return wd_add(w, lo, k);
}

/* Schedules an action on `day` between minutes lo and hi; never at or before the current
 * instant (then a little later; past office hours, the next working morning). */
static void schedule(world *w, size_t s, uint8_t kind, kc_cal_day day, int lo, int hi)
{
  int64_t now = w->ctx->now;
  int64_t when = kc_cal_instant_at(day, lo + rnd(&w->rng, hi - lo));
  if (when <= now + 60) {
    when = now + 600 + rnd(&w->rng, 1800);
    if (kc_cal_minute_of_instant(when) > 17 * 60 - 5)
      when = kc_cal_instant_at(wd_add(w, kc_cal_day_of_instant(now), 1),
                               8 * 60 + 5 + rnd(&w->rng, 60));
  }
  q_push(&w->q, when, (int32_t)s, kind);
}

static kc_cal_day today(const world *w)
{
  return kc_cal_day_of_instant(w->ctx->now);
}

/* The result (or the apology that comes first) once the work is done. */
static void plan_finish(world *w, size_t i)
{
  sim *s = &w->sims[i];
  kc_cal_day t = today(w), last = w->last_day;
  if (s->fate == FATE_LATE_APOLOGY && !s->apologised) {
    kc_cal_day a = wd_add(w, s->due, -1);
    schedule(w, i, EV_APOLOGY, a > t ? a : t, 8 * 60 + 30, 16 * 60);
    return;
  }
  kc_cal_day lo = t, hi = s->due > t ? s->due : t;
  if (s->fate == FATE_LATE || s->fate == FATE_LATE_APOLOGY) {
    lo = wd_add(w, s->odue, 1);
    hi = s->apologised && s->due > lo ? s->due : wd_add(w, s->odue, 3);
    if (lo < t)
      lo = t;
    if (hi < lo)
      hi = lo;
  }
  if (hi > last)
    hi = last;
  if (lo > hi)
    lo = hi;
  schedule(w, i, EV_RESULT, pick_day(w, lo, hi), 8 * 60, 16 * 60 + 30);
}

/* The next hand-off to a division, or the result. */
static void plan_work(world *w, size_t i)
{
  sim *s = &w->sims[i];
  const proc *p = &w->procs[s->proc];
  while (s->next_step < p->nsteps && p->step_unit[s->next_step] == s->holder)
    s->next_step++;
  if (s->next_step < p->nsteps) {
    kc_cal_day t = today(w);
    bool same_day = s->stop == EV_HANDOVER || rnd(&w->rng, 2);
    schedule(w, i, EV_HANDOVER, same_day ? t : wd_add(w, t, 1), 9 * 60, 16 * 60);
    return;
  }
  plan_finish(w, i);
}

/* What comes after an action just done on dossier i. */
static void plan_next(world *w, size_t i, uint8_t done)
{
  sim *s = &w->sims[i];
  kc_cal_day t = today(w);
  if (s->stop == done)
    return;
  switch ((enum ev_kind)done) {
  case EV_RECEIVE:
    if (s->fate == FATE_WITHDRAW)
      schedule(w, i, EV_WITHDRAW, pick_day(w, t, s->due > t ? s->due : t), 8 * 60, 16 * 60);
    else if (s->fate == FATE_REFUSE)
      schedule(w, i, EV_REFUSE, pick_day(w, t, wd_add(w, t, 1)), 8 * 60, 16 * 60);
    else if (s->supplement)
      schedule(w, i, EV_SUPPLEMENT, s->due > t ? pick_day(w, t, wd_add(w, t, 1)) : t, 8 * 60,
               16 * 60);
    else
      plan_work(w, i);
    break;
  case EV_SUPPLEMENT:
    schedule(w, i, EV_SUPPLEMENT_RECEIVED, wd_add(w, t, 2 + rnd(&w->rng, 3)), 8 * 60, 16 * 60);
    break;
  case EV_SUPPLEMENT_RECEIVED:
  case EV_HANDOVER: plan_work(w, i); break;
  case EV_APOLOGY: plan_finish(w, i); break;
  case EV_RESULT: {
    kc_cal_day d = wd_add(w, t, rnd(&w->rng, 4));
    schedule(w, i, EV_RETURN, d > w->last_day && t <= w->last_day ? w->last_day : d, 8 * 60,
             16 * 60 + 30);
    break;
  }
  default: break;
  }
}

static int pick_proc(world *w, int min_wd, int max_wd, bool need_steps, int amount_max)
{
  int total = 0, k;
  for (k = 0; k < w->nrecv; k++) {
    const proc *p = &w->procs[w->recv[k]];
    if (p->approx_wd >= min_wd && p->approx_wd <= max_wd && (!need_steps || p->nsteps) &&
        (!amount_max || (p->kind == KC_LIMIT_WORKING && p->amount >= 1 && p->amount <= amount_max)))
      total += p->weight;
  }
  if (!total)
    return need_steps || amount_max      ? pick_proc(w, min_wd, max_wd, false, 0)
           : min_wd > 0 || max_wd < 1000 ? pick_proc(w, 0, 1000, false, 0)
                                         : w->recv[0];
  int r = rnd(&w->rng, total);
  for (k = 0; k < w->nrecv; k++) {
    const proc *p = &w->procs[w->recv[k]];
    if (p->approx_wd >= min_wd && p->approx_wd <= max_wd && (!need_steps || p->nsteps) &&
        (!amount_max ||
         (p->kind == KC_LIMIT_WORKING && p->amount >= 1 && p->amount <= amount_max))) {
      if ((r -= p->weight) < 0)
        return w->recv[k];
    }
  }
  return w->recv[0];
}

static size_t add_sim(world *w, int proc_i, uint8_t fate, uint8_t stop, bool supplement)
{
  if (w->nsims == w->capsims)
    w->sims =
        kc_xrealloc(w->sims, (w->capsims = w->capsims ? w->capsims * 2 : 512) * sizeof *w->sims);
  sim *s = &w->sims[w->nsims];
  *s = (sim){.proc = proc_i, .fate = fate, .stop = stop, .supplement = supplement};
  const proc *p = &w->procs[proc_i];
  s->unit = p->commune ? w->communes[rnd(&w->rng, 2)] : w->d01;
  s->holder = s->unit;
  return w->nsims++;
}

/* ---- the actions ---- */

static const char *const family[] = {"Nguyễn", "Trần", "Lê",  "Phạm", "Hoàng",
                                     "Vũ",     "Đặng", "Bùi", "Đỗ",   "Ngô"};
static const char *const middle[] = {"Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh"};
static const char *const given[] = {"An",    "Bình", "Cường", "Dung", "Hà",     "Hương",
                                    "Lan",   "Long", "Mai",   "Nam",  "Phương", "Quân",
                                    "Trang", "Tuấn", "Hải",   "Linh", "Sơn",    "Thảo"};
static const char *const streets[] = {"Đội Cấn",         "Kim Mã",           "Liễu Giai",
                                      "Nguyễn Thái Học", "Quán Thánh",       "Phan Đình Phùng",
                                      "Hoàng Hoa Thám",  "Văn Cao",          "Giảng Võ",
                                      "Ngọc Hà",         "Nguyễn Chí Thanh", "Đào Tấn"};
static const char *const wards[] = {"Quán Thánh", "Điện Biên", "Đội Cấn", "Kim Mã",
                                    "Ngọc Hà",    "Liễu Giai", "Cống Vị", "Giảng Võ"};
#define NELEM(a) (sizeof(a) / sizeof *(a))

static void receive_in(world *w, const sim *s, kc_dossier_in *in)
{
  char id_number[16], phone[16];
  const char *fam = family[rnd(&w->rng, NELEM(family))];
  const char *mid = middle[rnd(&w->rng, NELEM(middle))];
  const char *giv = given[rnd(&w->rng, NELEM(given))];
  int year = 1950 + rnd(&w->rng, 50);
  /* CCCD: province 001 (Hà Nội), century-and-sex digit, year of birth, six digits */
  snprintf(id_number, sizeof id_number, "001%d%02d%06d",
           strcmp(mid, "Thị") && strcmp(mid, "Thu") ? 0 : 1, year % 100, rnd(&w->rng, 1000000));
  snprintf(phone, sizeof phone, "09%08d", rnd(&w->rng, 100000000));
  int c = rnd(&w->rng, 100);
  const char *channel = c < 82 ? "in_person" : c < 93 ? "online" : "post";
  kc_arena *ar = w->ctx->arena;
  memset(in, 0, sizeof *in);
  in->procedure_id = w->procs[s->proc].id;
  in->has_applicant = true;
  in->applicant.name = kc_arena_printf(ar, "%s %s %s", fam, mid, giv);
  in->applicant.id_number = kc_arena_strdup(ar, id_number);
  in->applicant.phone = kc_arena_strdup(ar, phone);
  in->applicant.address =
      kc_arena_printf(ar, "Số %d phố %s, phường %s, quận Ba Đình, Hà Nội", 1 + rnd(&w->rng, 180),
                      streets[rnd(&w->rng, NELEM(streets))], wards[rnd(&w->rng, NELEM(wards))]);
  if (!strcmp(channel, "online"))
    in->applicant.email =
        kc_arena_printf(ar, "congdan%u@example.vn", (unsigned)rnd(&w->rng, 100000));
  in->channel = channel;
  in->unit_id = s->unit;
}

static void day_member(json_t *out, const char *key, kc_cal_day *d)
{
  const char *v = json_string_value(json_object_get(out, key));
  kc_cal_day x;
  if (v && !kc_cal_parse_date(v, strlen(v), &x))
    *d = x;
}

static const char *const ev_names[] = {
    [EV_RECEIVE] = "receive",       [EV_HANDOVER] = "handover",
    [EV_SUPPLEMENT] = "supplement", [EV_SUPPLEMENT_RECEIVED] = "supplement_received",
    [EV_APOLOGY] = "apology",       [EV_RESULT] = "result",
    [EV_RETURN] = "return",         [EV_REFUSE] = "refuse",
    [EV_WITHDRAW] = "withdraw",
};

static kc_err run_event(world *w, const event *ev)
{
  kc_ctx *ctx = w->ctx;
  sim *s = &w->sims[ev->sim];
  const proc *p = &w->procs[s->proc];
  json_t *out = NULL;
  kc_dossier_in receipt;
  kc_dossier_act_in act = {.version = KC_DOSSIER_ANY_VERSION};
  const char *papers[1];
  kc_err e;
  char buf[16];
  switch ((enum ev_kind)ev->kind) {
  case EV_RECEIVE:
    ctx->actor = &w->desk;
    receive_in(w, s, &receipt);
    break;
  case EV_HANDOVER: {
    int k = s->next_step;
    ctx->actor = &w->head;
    act.unit_id = p->step_unit[k];
    act.step_name = p->step_name[k];
    act.official_id = p->step_official[k];
    break;
  }
  case EV_SUPPLEMENT:
    ctx->actor = s->holder == s->unit ? &w->desk : &w->officer;
    act.reason = "Hồ sơ chưa đầy đủ theo quy định, cần bổ sung giấy tờ";
    papers[0] = p->paper;
    act.items = papers;
    act.nitems = 1;
    break;
  case EV_SUPPLEMENT_RECEIVED:
    ctx->actor = &w->desk;
    act.note = "Công dân đã nộp đủ giấy tờ bổ sung";
    break;
  case EV_APOLOGY: {
    kc_cal_day t = today(w), base = s->due > t ? s->due : t;
    kc_cal_day nd = wd_add(w, base, 2 + rnd(&w->rng, 3));
    ctx->actor = &w->head;
    act.reason = rnd(&w->rng, 2) ? "Cần xác minh thêm thông tin với cơ quan có liên quan"
                                 : "Chờ ý kiến của cơ quan phối hợp";
    act.new_due_date = kc_cal_format_date(nd, buf);
    break;
  }
  case EV_RESULT:
    ctx->actor = rnd(&w->rng, 2) ? &w->head : &w->officer;
    act.note = "Đã giải quyết xong, chuyển bộ phận một cửa trả kết quả";
    break;
  case EV_RETURN:
    ctx->actor = &w->desk;
    act.note = "Đã trả kết quả cho công dân";
    break;
  case EV_REFUSE:
    ctx->actor = &w->head;
    act.reason = "Hồ sơ không đủ điều kiện giải quyết theo quy định của pháp luật";
    break;
  case EV_WITHDRAW:
    ctx->actor = &w->desk;
    act.reason = "Công dân có đơn xin rút hồ sơ";
    break;
  case EV_NONE: return KC_OK;
  }
  if (ev->kind == EV_RECEIVE)
    e = kc_dossier_receive(ctx, w->cals, &receipt, &out);
  else
    e = kc_dossier_act(ctx, w->cals, s->id, ev_names[ev->kind], &act, &out);
  if (e) {
    if (w->progress) {
      char at[32];
      kc_time_format_iso(ctx->now, at, sizeof at);
      fprintf(w->progress, "\ndữ liệu mẫu một cửa: %s hồ sơ %" PRId64 " lúc %s: %s\n",
              ev_names[ev->kind], s->id, at,
              ctx->err_message ? ctx->err_message : kc_err_message(e));
    }
    return e;
  }
  if (ev->kind == EV_RECEIVE) {
    s->id = json_integer_value(json_object_get(out, "id"));
    w->received++;
  }
  day_member(out, "due_date", &s->due);
  s->odue = s->due;
  day_member(out, "original_due_date", &s->odue);
  s->holder = json_integer_value(json_object_get(out, "holder_unit_id"));
  if (ev->kind == EV_HANDOVER)
    s->next_step++;
  if (ev->kind == EV_SUPPLEMENT)
    s->supplemented = true;
  if (ev->kind == EV_APOLOGY)
    s->apologised = true;
  json_decref(out);
  plan_next(w, (size_t)ev->sim, ev->kind);
  return KC_OK;
}

/* ---- the story ---- */

/* 2017: 2 or 3 dossiers a working day at the Ba Đình desk, most on time. */
static void plan_2017(world *w)
{
  kc_cal_day from = kc_cal_from_ymd(2017, 3, 1), to = kc_cal_from_ymd(2017, 12, 29);
  for (kc_cal_day d = from; d <= to; d++) {
    if (!kc_cal_is_workday(w->cal, d))
      continue;
    int n = 2 + rnd(&w->rng, 2);
    for (int k = 0; k < n; k++) {
      int r = rnd(&w->rng, 1000);
      uint8_t fate = r < 10    ? FATE_WITHDRAW
                     : r < 30  ? FATE_REFUSE
                     : r < 130 ? (rnd(&w->rng, 5) ? FATE_LATE_APOLOGY : FATE_LATE)
                               : FATE_NORMAL;
      bool supp = fate != FATE_WITHDRAW && fate != FATE_REFUSE && rnd(&w->rng, 100) < 5;
      size_t i = add_sim(w, pick_proc(w, 0, 1000, false, 0), fate, EV_NONE, supp);
      /* morning or afternoon office hours, from 08:05 */
      int slot = 8 * 60 + 5 + rnd(&w->rng, 420);
      if (slot >= 12 * 60)
        slot += 60;
      q_push(&w->q, kc_cal_instant_at(d, slot), (int32_t)i, EV_RECEIVE);
    }
  }
}

/* The last two weeks before the real date: dossiers left open in every state the screens
 * show. wd_ago 0: computed from the procedure (an apology issued before its due day). */
static void plan_recent(world *w)
{
  enum { R_DONE, R_READY, R_RECEIVED, R_HOLDER, R_SUPPL, R_OVERDUE, R_APOLOGY };
  static const struct {
    uint8_t wd_ago, kind;
  } script[] = {
      {10, R_DONE},    {10, R_OVERDUE}, {10, R_READY}, {9, R_DONE},     {9, R_DONE},
      {9, R_READY},    {8, R_OVERDUE},  {8, R_DONE},   {8, R_HOLDER},   {7, R_DONE},
      {7, R_SUPPL},    {7, R_READY},    {6, R_DONE},   {6, R_HOLDER},   {0, R_APOLOGY},
      {5, R_SUPPL},    {5, R_DONE},     {4, R_READY},  {4, R_RECEIVED}, {3, R_HOLDER},
      {3, R_DONE},     {2, R_RECEIVED}, {2, R_SUPPL},  {1, R_RECEIVED}, {1, R_HOLDER},
      {1, R_RECEIVED},
  };
  kc_cal_day now_day = kc_cal_day_of_instant(w->real_now);
  for (size_t k = 0; k < NELEM(script); k++) {
    int ago = script[k].wd_ago, pi;
    uint8_t stop = EV_NONE, fate = FATE_NORMAL;
    bool supp = false;
    switch (script[k].kind) {
    case R_DONE: pi = pick_proc(w, 0, ago - 3, false, 0); break;
    case R_READY:
      pi = pick_proc(w, 0, ago - 1, false, 0);
      stop = EV_RESULT;
      break;
    case R_RECEIVED:
      pi = pick_proc(w, ago + 1, 1000, false, 0);
      stop = EV_RECEIVE;
      break;
    case R_HOLDER:
      pi = pick_proc(w, ago + 1, 1000, true, 0);
      stop = EV_HANDOVER;
      break;
    case R_SUPPL:
      pi = pick_proc(w, ago + 1, 1000, false, 0);
      stop = EV_SUPPLEMENT;
      supp = true;
      break;
    case R_OVERDUE:
      pi = pick_proc(w, 0, 1000, false, 3);
      stop = EV_RECEIVE;
      break;
    default: /* R_APOLOGY: due yesterday, apology the day before, a new date ahead */
      pi = pick_proc(w, 0, 1000, false, 3);
      ago = w->procs[pi].amount + 1;
      stop = EV_APOLOGY;
      fate = FATE_LATE_APOLOGY;
      break;
    }
    size_t i = add_sim(w, pi, fate, stop, supp);
    kc_cal_day d = wd_add(w, now_day, -ago);
    /* before 14:30, so no cut-off moves the count to the next day */
    q_push(&w->q, kc_cal_instant_at(d, 8 * 60 + 10 + rnd(&w->rng, 380)), (int32_t)i, EV_RECEIVE);
  }
}

/* The timeline's view of the world: its queue's earliest event, up to the real date (the
 * future stays open). */
static int64_t onestop_next(void *state)
{
  world *w = state;
  if (!w->q.n || w->q.v[0].when >= w->real_now - 60)
    return KC_DEMO_NEVER;
  return w->q.v[0].when;
}

static kc_err onestop_step(void *state)
{
  world *w = state;
  event ev = q_pop(&w->q);
  return run_event(w, &ev);
}

static void onestop_done(void *state)
{
  world *w = state;
  if (w->wc)
    kc_workcal_release(w->cals, w->wc);
  kc_workcal_cache_free(w->cals);
  free(w->q.v);
  free(w->sims);
  free(w);
}

kc_err kc_demo_onestop_source(kc_ctx *ctx, const char *data_dir, int64_t real_now, FILE *progress,
                              kc_demo_source *src)
{
  const char *path = kc_arena_printf(ctx->arena, "%s/onestop/procedures.json", data_dir);
  FILE *f = fopen(path, "rb");
  if (!f)
    return errno == ENOENT
               ? KC_OK
               : kc_ctx_fail(ctx, KC_EIO, NULL, "Không đọc được %s: %s", path, strerror(errno));
  json_error_t jerr;
  json_t *arr = json_loadf(f, 0, &jerr);
  fclose(f);
  if (!json_is_array(arr)) {
    json_decref(arr);
    return kc_ctx_fail(ctx, KC_EFIELD, NULL, "%s không phải danh sách thủ tục (dòng %d: %s)", path,
                       jerr.line, jerr.text);
  }
  const kc_actor *saved_actor = ctx->actor;
  world *w = kc_xmalloc(sizeof *w);
  *w = (world){.ctx = ctx, .rng = 20170301u, .real_now = real_now, .progress = progress};
  /* the catalog exists when the desk opens (ctx->now: the story's start, 1/3/2017), created
   * by the system like the registry */
  ctx->actor = NULL;
  kc_err e = KC_OK;
  size_t i;
  json_t *r;
  json_array_foreach(arr, i, r)
  {
    if (w->nprocs == MAX_PROCS)
      break;
    bool receivable = false;
    e = create_procedure(ctx, r, i + 1, &w->procs[w->nprocs], &receivable);
    if (e) {
      if (progress)
        fprintf(progress, "dữ liệu mẫu một cửa: thủ tục thứ %zu: %s\n", i + 1,
                ctx->err_message ? ctx->err_message : kc_err_message(e));
      break;
    }
    if (receivable)
      w->recv[w->nrecv++] = w->nprocs;
    w->nprocs++;
  }
  json_decref(arr);
  if (!e && w->nrecv) {
    w->cals = kc_workcal_cache_new();
    e = kc_workcal_acquire(ctx, w->cals, &w->wc);
    if (!e)
      w->cal = kc_workcal_get(w->wc);
    if (!e && !(e = load_actor(ctx, "motcua", &w->desk)) &&
        !(e = load_actor(ctx, "canbo", &w->officer)) &&
        !(e = load_actor(ctx, "truongdv", &w->head)) &&
        !(e = unit_by_code(ctx, "HN-D01", &w->d01)) &&
        !(e = unit_by_code(ctx, "HN-D01-X01", &w->communes[0])) &&
        !(e = unit_by_code(ctx, "HN-D01-X02", &w->communes[1]))) {
      if (!w->communes[1])
        w->communes[1] = w->communes[0];
      w->last_day = wd_add(w, kc_cal_day_of_instant(real_now), -1);
      plan_2017(w);
      plan_recent(w);
    }
  }
  ctx->actor = saved_actor;
  if (e) {
    onestop_done(w);
    return e;
  }
  *src = (kc_demo_source){.name = "một cửa",
                          .state = w,
                          .next = onestop_next,
                          .step = onestop_step,
                          .done = onestop_done};
  return KC_OK;
}
