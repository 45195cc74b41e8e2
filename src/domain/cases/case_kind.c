/* case_kind.c: case kinds: their checks, the registry, reading them from JSON (the strings of
 * a kind read from JSON point into the document, which the registry keeps alive), and the
 * description the API gives. */
#include "domain/cases/case_priv.h"
#include <assert.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KINDS 64

/* A kind read from JSON and what it owns. */
typedef struct owned_kind {
  kc_case_kind kind;
  json_t *doc;
  void **blocks; /* calloc'd arrays */
  size_t nblocks, capblocks;
} owned_kind;

static struct {
  const kc_case_kind *kind;
  owned_kind *own; /* NULL for kinds written in C */
} registry[MAX_KINDS];
static size_t nregistry;
static const kc_lc_rules *rule_set;

static const char *const field_type_names[KC_CASE_FIELD__COUNT] = {
    [KC_CASE_STRING] = "string", [KC_CASE_TEXT] = "text", [KC_CASE_INT] = "int",
    [KC_CASE_BOOL] = "bool",     [KC_CASE_DATE] = "date", [KC_CASE_ENUM] = "enum"};

const char *kc_case_field_type_name(kc_case_field_type t)
{
  return (unsigned)t < KC_CASE_FIELD__COUNT ? field_type_names[t] : "string";
}

int kc_case_field_type_parse(const char *s)
{
  for (int i = 0; s && i < KC_CASE_FIELD__COUNT; i++)
    if (!strcmp(s, field_type_names[i]))
      return i;
  return -1;
}

void kc_case_use_rules(const kc_lc_rules *rs)
{
  rule_set = rs;
}

const kc_lc_rules *kc_case_rules(void)
{
  return rule_set ? rule_set : kc_lc_rules_global();
}

/* Sets *msg to a malloc'd message and returns code. */
static kc_err KC_PRINTF(3, 4) bad(char **msg, kc_err code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *m = NULL;
  if (vasprintf(&m, fmt, ap) < 0)
    abort();
  va_end(ap);
  if (msg)
    *msg = m;
  else
    free(m);
  return code;
}

bool kc_case__in(const char *const *list, const char *code)
{
  for (size_t i = 0; list && list[i]; i++)
    if (!strcmp(list[i], code))
      return true;
  return false;
}

bool kc_case__role_ok(const kc_ctx *ctx, unsigned roles)
{
  return !ctx->actor || (roles & KC_CASE_ROLE(ctx->actor->role)) != 0;
}

const kc_case_state *kc_case__state(const kc_case_kind *k, const char *code)
{
  for (size_t i = 0; code && i < k->nstates; i++)
    if (!strcmp(k->states[i].code, code))
      return &k->states[i];
  return NULL;
}

const kc_case_clock *kc_case__clock(const kc_case_kind *k, const char *code)
{
  for (size_t i = 0; code && i < k->nclocks; i++)
    if (!strcmp(k->clocks[i].code, code))
      return &k->clocks[i];
  return NULL;
}

const kc_case_transition *kc_case__transition(const kc_case_kind *k, const char *state,
                                              const char *action, bool *known)
{
  const kc_case_transition *hit = NULL;
  bool seen = false;
  for (size_t i = 0; action && i < k->ntransitions && !hit; i++) {
    const kc_case_transition *t = &k->transitions[i];
    if (strcmp(t->action, action))
      continue;
    seen = true;
    if (kc_case__in(t->from, state))
      hit = t;
  }
  if (known)
    *known = seen;
  return hit;
}

const kc_case_kind *kc_case_kind_find(const char *code)
{
  for (size_t i = 0; code && i < nregistry; i++)
    if (!strcmp(registry[i].kind->code, code))
      return registry[i].kind;
  return NULL;
}

/* A code: 1..64 bytes of [a-z0-9_.-]. */
static bool code_ok(const char *s)
{
  size_t n = s ? strlen(s) : 0;
  if (n == 0 || n > 64)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || strchr("_.-", s[i])))
      return false;
  return true;
}

static kc_err check_clock_list(const kc_case_kind *k, const char *const *list, const char *where,
                               const char *member, char **msg)
{
  for (size_t i = 0; list && list[i]; i++)
    if (!kc_case__clock(k, list[i]))
      return bad(msg, KC_EFIELD, "loại hồ sơ %s: %s.%s: đồng hồ \"%s\" chưa được khai báo", k->code,
                 where, member, list[i]);
  return KC_OK;
}

static kc_err check_kind(const kc_case_kind *k, char **msg)
{
  if (!code_ok(k->code))
    return bad(msg, KC_EFIELD, "loại hồ sơ: mã \"%s\" không hợp lệ (chữ thường, số, _.-)",
               k->code ? k->code : "");
  if (!k->name || !*k->name)
    return bad(msg, KC_EFIELD, "loại hồ sơ %s: thiếu tên (name)", k->code);
  if (kc_case_kind_find(k->code))
    return bad(msg, KC_EFIELD, "loại hồ sơ %s đã được đăng ký", k->code);
  if (nregistry >= MAX_KINDS)
    return bad(msg, KC_EFIELD, "quá nhiều loại hồ sơ (tối đa %d)", MAX_KINDS);
  if (!k->nstates || k->nstates > KC_CASE_MAX_STATES || !k->states)
    return bad(msg, KC_EFIELD, "loại hồ sơ %s: cần từ 1 đến %d trạng thái (states)", k->code,
               KC_CASE_MAX_STATES);
  if (k->nclocks > KC_CASE_MAX_CLOCKS || k->nfields > KC_CASE_MAX_FIELDS ||
      k->ntransitions > KC_CASE_MAX_TRANSITIONS)
    return bad(msg, KC_EFIELD, "loại hồ sơ %s: quá nhiều đồng hồ, trường hoặc thao tác", k->code);
  for (size_t i = 0; i < k->nstates; i++) {
    const kc_case_state *s = &k->states[i];
    if (!code_ok(s->code) || !s->name || !*s->name)
      return bad(msg, KC_EFIELD, "loại hồ sơ %s: states[%zu]: mã hoặc tên không hợp lệ", k->code,
                 i);
    if (kc_case__state(k, s->code) != s)
      return bad(msg, KC_EFIELD, "loại hồ sơ %s: trạng thái \"%s\" khai báo hai lần", k->code,
                 s->code);
  }
  const kc_case_state *init = kc_case__state(k, k->initial);
  if (!init || init->final)
    return bad(msg, KC_EFIELD,
               "loại hồ sơ %s: initial: trạng thái ban đầu \"%s\" chưa khai báo hoặc là trạng "
               "thái kết thúc",
               k->code, k->initial ? k->initial : "");
  const kc_lc_rules *rs = kc_case_rules();
  for (size_t i = 0; i < k->nclocks; i++) {
    const kc_case_clock *c = &k->clocks[i];
    if (!code_ok(c->code) || !c->name || !*c->name || !c->rule || !*c->rule)
      return bad(msg, KC_EFIELD, "loại hồ sơ %s: clocks[%zu]: thiếu mã, tên hoặc quy định (rule)",
                 k->code, i);
    if (kc_case__clock(k, c->code) != c)
      return bad(msg, KC_EFIELD, "loại hồ sơ %s: đồng hồ \"%s\" khai báo hai lần", k->code,
                 c->code);
    if (!rs || !kc_lc_rules_version(rs, c->rule, 1))
      return bad(msg, KC_EFIELD, "loại hồ sơ %s: đồng hồ %s: không có quy định thời hạn \"%s\"",
                 k->code, c->code, c->rule);
  }
  for (size_t i = 0; i < k->nfields; i++) {
    const kc_case_field *f = &k->fields[i];
    if (!f->name || !*f->name || strlen(f->name) > 64 || !f->label || !*f->label ||
        (unsigned)f->type >= KC_CASE_FIELD__COUNT || f->max < 0)
      return bad(msg, KC_EFIELD, "loại hồ sơ %s: fields[%zu]: thiếu tên, nhãn hoặc kiểu hợp lệ",
                 k->code, i);
    for (size_t j = 0; j < i; j++)
      if (!strcmp(k->fields[j].name, f->name))
        return bad(msg, KC_EFIELD, "loại hồ sơ %s: trường \"%s\" khai báo hai lần", k->code,
                   f->name);
    if (f->type == KC_CASE_ENUM && (!f->values || !f->values[0]))
      return bad(msg, KC_EFIELD, "loại hồ sơ %s: trường %s: kiểu enum cần danh sách values",
                 k->code, f->name);
  }
  kc_err e = check_clock_list(k, k->create_start, "create", "start", msg);
  if (e)
    return e;
  if (!k->create_roles)
    return bad(msg, KC_EFIELD, "loại hồ sơ %s: create.roles: cần ít nhất một vai trò", k->code);
  for (size_t i = 0; i < k->ntransitions; i++) {
    const kc_case_transition *t = &k->transitions[i];
    char where[48];
    snprintf(where, sizeof where, "transitions[%zu]", i);
    if (!code_ok(t->action) || !t->name || !*t->name)
      return bad(msg, KC_EFIELD, "loại hồ sơ %s: %s: thiếu mã (action) hoặc tên thao tác", k->code,
                 where);
    if (!t->from || !t->from[0])
      return bad(msg, KC_EFIELD, "loại hồ sơ %s: %s (%s): thiếu trạng thái xuất phát (from)",
                 k->code, where, t->action);
    for (size_t j = 0; t->from[j]; j++) {
      const kc_case_state *s = kc_case__state(k, t->from[j]);
      if (!s || s->final)
        return bad(msg, KC_EFIELD,
                   "loại hồ sơ %s: %s (%s): from: \"%s\" chưa khai báo hoặc là trạng thái kết "
                   "thúc",
                   k->code, where, t->action, t->from[j]);
      /* one action, one transition per state: what an action does must not be ambiguous */
      if (kc_case__transition(k, t->from[j], t->action, NULL) != t)
        return bad(msg, KC_EFIELD,
                   "loại hồ sơ %s: thao tác %s từ trạng thái %s được khai báo hai lần", k->code,
                   t->action, t->from[j]);
    }
    if (t->to && !kc_case__state(k, t->to))
      return bad(msg, KC_EFIELD, "loại hồ sơ %s: %s (%s): to: trạng thái \"%s\" chưa khai báo",
                 k->code, where, t->action, t->to);
    if (!t->roles)
      return bad(msg, KC_EFIELD, "loại hồ sơ %s: %s (%s): roles: cần ít nhất một vai trò", k->code,
                 where, t->action);
    const char *const *lists[] = {t->start, t->pause, t->resume, t->end};
    static const char *const names[] = {"start", "pause", "resume", "end"};
    for (size_t j = 0; j < 4; j++) {
      e = check_clock_list(k, lists[j], where, names[j], msg);
      if (e)
        return e;
    }
    if (t->extend && (!kc_case__clock(k, t->extend) || t->extend_count <= 0))
      return bad(msg, KC_EFIELD,
                 "loại hồ sơ %s: %s (%s): extend: đồng hồ chưa khai báo hoặc số gia hạn không "
                 "dương",
                 k->code, where, t->action);
  }
  return KC_OK;
}

kc_err kc_case_kind_register(const kc_case_kind *k, char **msg)
{
  assert(k);
  if (msg)
    *msg = NULL;
  kc_err e = check_kind(k, msg);
  if (e)
    return e;
  registry[nregistry].kind = k;
  registry[nregistry].own = NULL;
  nregistry++;
  return KC_OK;
}

/* ---- JSON ---- */

static void *own_alloc(owned_kind *o, size_t n, size_t size)
{
  if (o->nblocks == o->capblocks) {
    o->capblocks = o->capblocks ? 2 * o->capblocks : 32;
    void **b = realloc(o->blocks, o->capblocks * sizeof *b);
    if (!b)
      abort();
    o->blocks = b;
  }
  void *p = calloc(n ? n : 1, size);
  if (!p)
    abort();
  o->blocks[o->nblocks++] = p;
  return p;
}

static void own_free(owned_kind *o)
{
  if (!o)
    return;
  for (size_t i = 0; i < o->nblocks; i++)
    free(o->blocks[i]);
  free(o->blocks);
  json_decref(o->doc);
  free(o);
}

static const char *jstr(const json_t *o, const char *key)
{
  return json_string_value(json_object_get(o, key));
}

/* A NULL-terminated list from an array of strings (NULL when the member is absent). */
static kc_err str_list(owned_kind *o, const json_t *arr, const char *origin, const char *where,
                       const char *const **out, char **msg)
{
  *out = NULL;
  if (!arr)
    return KC_OK;
  if (!json_is_array(arr) || json_array_size(arr) > 64)
    return bad(msg, KC_EFIELD, "%s: %s phải là mảng chuỗi", origin, where);
  size_t n = json_array_size(arr);
  const char **l = own_alloc(o, n + 1, sizeof *l);
  for (size_t i = 0; i < n; i++) {
    l[i] = json_string_value(json_array_get(arr, i));
    if (!l[i])
      return bad(msg, KC_EFIELD, "%s: %s[%zu] phải là chuỗi", origin, where, i);
  }
  *out = l;
  return KC_OK;
}

/* Refuses a member the format does not know (a typo such as "note_require" would otherwise
 * be a silently ignored rule). `allowed` is NULL-terminated. */
static kc_err known_members(const json_t *o, const char *const *allowed, const char *origin,
                            const char *where, char **msg)
{
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)o, key, v)
  {
    if (!kc_case__in(allowed, key))
      return bad(msg, KC_EFIELD, "%s: %s: thuộc tính \"%s\" không có trong định dạng loại hồ sơ",
                 origin, where, key);
  }
  return KC_OK;
}

static const char *const kind_members[] = {"code",   "name",   "initial",     "create", "states",
                                           "clocks", "fields", "transitions", NULL};
static const char *const create_members[] = {"roles", "start", NULL};
static const char *const state_members[] = {"code", "name", "final", NULL};
static const char *const clock_members[] = {"code", "name", "rule", "soon_days", NULL};
static const char *const field_members[] = {"name", "label",  "type", "required",
                                            "max",  "values", NULL};
static const char *const transition_members[] = {
    "action", "name", "from",   "to",     "roles",         "start", "pause",
    "resume", "end",  "extend", "assign", "note_required", NULL};

static kc_err role_set(const json_t *arr, const char *origin, const char *where, unsigned *out,
                       char **msg)
{
  *out = 0;
  if (!json_is_array(arr))
    return bad(msg, KC_EFIELD, "%s: %s phải là mảng vai trò", origin, where);
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v)
  {
    int r = kc_role_parse(json_string_value(v));
    if (r < 0)
      return bad(msg, KC_EFIELD, "%s: %s[%zu]: vai trò không rõ", origin, where, i);
    *out |= KC_CASE_ROLE(r);
  }
  return KC_OK;
}

static kc_err parse_kind(owned_kind *o, const char *origin, char **msg)
{
  const json_t *d = o->doc;
  kc_case_kind *k = &o->kind;
  kc_err e;
  if (!json_is_object(d))
    return bad(msg, KC_EFIELD, "%s: loại hồ sơ phải là một đối tượng JSON", origin);
  k->code = jstr(d, "code");
  k->name = jstr(d, "name");
  k->initial = jstr(d, "initial");
  e = known_members(d, kind_members, origin, "loại hồ sơ", msg);
  if (e)
    return e;
  const json_t *create = json_object_get(d, "create");
  if (!json_is_object(create))
    return bad(msg, KC_EFIELD, "%s: thiếu create {roles, start}", origin);
  e = known_members(create, create_members, origin, "create", msg);
  if (e)
    return e;
  e = role_set(json_object_get(create, "roles"), origin, "create.roles", &k->create_roles, msg);
  if (!e)
    e = str_list(o, json_object_get(create, "start"), origin, "create.start", &k->create_start,
                 msg);
  if (e)
    return e;

  const json_t *states = json_object_get(d, "states");
  if (!json_is_array(states) || json_array_size(states) > KC_CASE_MAX_STATES)
    return bad(msg, KC_EFIELD, "%s: states phải là mảng (tối đa %d)", origin, KC_CASE_MAX_STATES);
  k->nstates = json_array_size(states);
  kc_case_state *st = own_alloc(o, k->nstates, sizeof *st);
  for (size_t i = 0; i < k->nstates; i++) {
    const json_t *s = json_array_get(states, i);
    char where[48];
    snprintf(where, sizeof where, "states[%zu]", i);
    if (!json_is_object(s))
      return bad(msg, KC_EFIELD, "%s: %s phải là đối tượng", origin, where);
    e = known_members(s, state_members, origin, where, msg);
    if (e)
      return e;
    st[i].code = jstr(s, "code");
    st[i].name = jstr(s, "name");
    st[i].final = json_is_true(json_object_get(s, "final"));
  }
  k->states = st;

  const json_t *clocks = json_object_get(d, "clocks");
  if (clocks && (!json_is_array(clocks) || json_array_size(clocks) > KC_CASE_MAX_CLOCKS))
    return bad(msg, KC_EFIELD, "%s: clocks phải là mảng (tối đa %d)", origin, KC_CASE_MAX_CLOCKS);
  k->nclocks = json_array_size(clocks);
  kc_case_clock *cl = own_alloc(o, k->nclocks, sizeof *cl);
  for (size_t i = 0; i < k->nclocks; i++) {
    const json_t *c = json_array_get(clocks, i);
    char where[48];
    snprintf(where, sizeof where, "clocks[%zu]", i);
    if (!json_is_object(c))
      return bad(msg, KC_EFIELD, "%s: %s phải là đối tượng", origin, where);
    e = known_members(c, clock_members, origin, where, msg);
    if (e)
      return e;
    cl[i].code = jstr(c, "code");
    cl[i].name = jstr(c, "name");
    cl[i].rule = jstr(c, "rule");
    const json_t *sd = json_object_get(c, "soon_days");
    cl[i].soon_days = json_is_integer(sd) ? (int)json_integer_value(sd) : -1;
    if (sd && (!json_is_integer(sd) || json_integer_value(sd) < 0 || json_integer_value(sd) > 60))
      return bad(msg, KC_EFIELD, "%s: clocks[%zu].soon_days phải là số từ 0 đến 60", origin, i);
  }
  k->clocks = cl;

  const json_t *fields = json_object_get(d, "fields");
  if (fields && (!json_is_array(fields) || json_array_size(fields) > KC_CASE_MAX_FIELDS))
    return bad(msg, KC_EFIELD, "%s: fields phải là mảng (tối đa %d)", origin, KC_CASE_MAX_FIELDS);
  k->nfields = json_array_size(fields);
  kc_case_field *fl = own_alloc(o, k->nfields, sizeof *fl);
  for (size_t i = 0; i < k->nfields; i++) {
    const json_t *f = json_array_get(fields, i);
    char fwhere[48];
    snprintf(fwhere, sizeof fwhere, "fields[%zu]", i);
    if (!json_is_object(f))
      return bad(msg, KC_EFIELD, "%s: %s phải là đối tượng", origin, fwhere);
    e = known_members(f, field_members, origin, fwhere, msg);
    if (e)
      return e;
    fl[i].name = jstr(f, "name");
    fl[i].label = jstr(f, "label");
    int t = kc_case_field_type_parse(jstr(f, "type"));
    if (t < 0)
      return bad(msg, KC_EFIELD, "%s: fields[%zu].type không rõ", origin, i);
    fl[i].type = (kc_case_field_type)t;
    fl[i].required = json_is_true(json_object_get(f, "required"));
    const json_t *mx = json_object_get(f, "max");
    if (mx && !json_is_integer(mx))
      return bad(msg, KC_EFIELD, "%s: fields[%zu].max phải là số nguyên", origin, i);
    fl[i].max = mx ? (int64_t)json_integer_value(mx) : 0;
    char where[48];
    snprintf(where, sizeof where, "fields[%zu].values", i);
    e = str_list(o, json_object_get(f, "values"), origin, where, &fl[i].values, msg);
    if (e)
      return e;
  }
  k->fields = fl;

  const json_t *trs = json_object_get(d, "transitions");
  if (!json_is_array(trs) || json_array_size(trs) > KC_CASE_MAX_TRANSITIONS)
    return bad(msg, KC_EFIELD, "%s: transitions phải là mảng (tối đa %d)", origin,
               KC_CASE_MAX_TRANSITIONS);
  k->ntransitions = json_array_size(trs);
  kc_case_transition *tr = own_alloc(o, k->ntransitions, sizeof *tr);
  for (size_t i = 0; i < k->ntransitions; i++) {
    const json_t *t = json_array_get(trs, i);
    char where[96];
    snprintf(where, sizeof where, "transitions[%zu]", i);
    if (!json_is_object(t))
      return bad(msg, KC_EFIELD, "%s: %s phải là đối tượng", origin, where);
    e = known_members(t, transition_members, origin, where, msg);
    if (e)
      return e;
    tr[i].action = jstr(t, "action");
    tr[i].name = jstr(t, "name");
    tr[i].to = jstr(t, "to");
    tr[i].note_required = json_is_true(json_object_get(t, "note_required"));
    tr[i].assign = json_is_true(json_object_get(t, "assign"));
    snprintf(where, sizeof where, "transitions[%zu].roles", i);
    e = role_set(json_object_get(t, "roles"), origin, where, &tr[i].roles, msg);
    if (e)
      return e;
    static const char *const lists[] = {"from", "start", "pause", "resume", "end"};
    const char *const **dst[] = {&tr[i].from, &tr[i].start, &tr[i].pause, &tr[i].resume,
                                 &tr[i].end};
    for (size_t j = 0; j < 5; j++) {
      snprintf(where, sizeof where, "transitions[%zu].%s", i, lists[j]);
      e = str_list(o, json_object_get(t, lists[j]), origin, where, dst[j], msg);
      if (e)
        return e;
    }
    const json_t *ext = json_object_get(t, "extend");
    if (ext) {
      tr[i].extend = jstr(ext, "clock");
      const json_t *n = json_object_get(ext, "count");
      tr[i].extend_count = json_is_integer(n) ? (int)json_integer_value(n) : 0;
      if (!tr[i].extend || tr[i].extend_count <= 0 || json_integer_value(n) > 10000)
        return bad(msg, KC_EFIELD, "%s: transitions[%zu].extend cần {clock, count > 0}", origin, i);
    }
  }
  k->transitions = tr;
  return KC_OK;
}

kc_err kc_case_kind_register_json(const json_t *doc, const char *origin, char **msg)
{
  if (msg)
    *msg = NULL;
  owned_kind *o = calloc(1, sizeof *o);
  if (!o)
    abort();
  o->doc = json_deep_copy(doc);
  kc_err e = parse_kind(o, origin, msg);
  if (!e) {
    e = check_kind(&o->kind, msg);
    if (e && msg && *msg) {
      char *m = *msg;
      e = bad(msg, e, "%s: %s", origin, m);
      free(m);
    }
  }
  if (e) {
    own_free(o);
    return e;
  }
  registry[nregistry].kind = &o->kind;
  registry[nregistry].own = o;
  nregistry++;
  return KC_OK;
}

static int name_cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

kc_err kc_case_kinds_load(const char *dir, char **msg)
{
  if (msg)
    *msg = NULL;
  DIR *d = opendir(dir);
  if (!d)
    return KC_OK;
  char *names[MAX_KINDS];
  size_t n = 0;
  struct dirent *ent = readdir(d);
  while (ent && n < MAX_KINDS) {
    size_t len = strlen(ent->d_name);
    if (len > 5 && ent->d_name[0] != '.' && !strcmp(ent->d_name + len - 5, ".json"))
      names[n++] = strdup(ent->d_name);
    ent = readdir(d);
  }
  closedir(d);
  qsort(names, n, sizeof *names, name_cmp);
  kc_err e = KC_OK;
  for (size_t i = 0; i < n && !e; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc)
      e = bad(msg, KC_EJSON, "%s:%d: %s", path, je.line, je.text);
    else
      e = kc_case_kind_register_json(doc, path, msg);
    json_decref(doc);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  return e;
}

void kc_case_kinds_reset(void)
{
  for (size_t i = 0; i < nregistry; i++)
    own_free(registry[i].own);
  memset(registry, 0, sizeof registry);
  nregistry = 0;
}

static json_t *list_json(const char *const *l)
{
  json_t *a = json_array();
  for (size_t i = 0; l && l[i]; i++)
    json_array_append_new(a, json_string(l[i]));
  return a;
}

static json_t *roles_json(unsigned roles)
{
  json_t *a = json_array();
  for (int r = 0; r < KC_ROLE__COUNT; r++)
    if (roles & KC_CASE_ROLE(r))
      json_array_append_new(a, json_string(kc_role_name((kc_role)r)));
  return a;
}

static json_t *kind_json(const kc_case_kind *k)
{
  json_t *states = json_array(), *clocks = json_array(), *fields = json_array(),
         *trs = json_array();
  for (size_t i = 0; i < k->nstates; i++)
    json_array_append_new(states, json_pack("{ss ss sb}", "code", k->states[i].code, "name",
                                            k->states[i].name, "final", k->states[i].final));
  const kc_lc_rules *rs = kc_case_rules();
  for (size_t i = 0; i < k->nclocks; i++) {
    const kc_case_clock *c = &k->clocks[i];
    const kc_lc_rule *r = rs ? kc_lc_rules_version(rs, c->rule, 1) : NULL;
    json_t *cj = json_pack("{ss ss ss}", "code", c->code, "name", c->name, "rule", c->rule);
    if (c->soon_days >= 0)
      json_object_set_new(cj, "soon_days", json_integer(c->soon_days));
    if (r) {
      json_object_set_new(cj, "unit", json_string(kc_lc_unit_name(r->unit)));
      json_object_set_new(cj, "count", json_integer(r->count));
      json_object_set_new(cj, "source", json_string(r->source ? r->source : ""));
    }
    json_array_append_new(clocks, cj);
  }
  for (size_t i = 0; i < k->nfields; i++) {
    const kc_case_field *f = &k->fields[i];
    json_t *fj = json_pack("{ss ss ss sb}", "name", f->name, "label", f->label, "type",
                           kc_case_field_type_name(f->type), "required", f->required);
    if (f->max)
      json_object_set_new(fj, "max", json_integer(f->max));
    if (f->type == KC_CASE_ENUM)
      json_object_set_new(fj, "values", list_json(f->values));
    json_array_append_new(fields, fj);
  }
  for (size_t i = 0; i < k->ntransitions; i++) {
    const kc_case_transition *t = &k->transitions[i];
    json_t *tj =
        json_pack("{ss ss so so so so so so sb sb}", "action", t->action, "name", t->name, "from",
                  list_json(t->from), "roles", roles_json(t->roles), "start", list_json(t->start),
                  "pause", list_json(t->pause), "resume", list_json(t->resume), "end",
                  list_json(t->end), "note_required", t->note_required, "assign", t->assign);
    json_object_set_new(tj, "to", t->to ? json_string(t->to) : json_null());
    if (t->extend)
      json_object_set_new(tj, "extend",
                          json_pack("{ss si}", "clock", t->extend, "count", t->extend_count));
    json_array_append_new(trs, tj);
  }
  return json_pack("{ss ss ss s{so so} so so so so}", "code", k->code, "name", k->name, "initial",
                   k->initial, "create", "roles", roles_json(k->create_roles), "start",
                   list_json(k->create_start), "states", states, "clocks", clocks, "fields", fields,
                   "transitions", trs);
}

static int kind_cmp(const void *a, const void *b)
{
  return strcmp((*(const kc_case_kind *const *)a)->code, (*(const kc_case_kind *const *)b)->code);
}

json_t *kc_case_kinds_json(void)
{
  const kc_case_kind *sorted[MAX_KINDS];
  for (size_t i = 0; i < nregistry; i++)
    sorted[i] = registry[i].kind;
  qsort(sorted, nregistry, sizeof *sorted, kind_cmp);
  json_t *items = json_array();
  for (size_t i = 0; i < nregistry; i++)
    json_array_append_new(items, kind_json(sorted[i]));
  return json_pack("{so}", "items", items);
}

kc_err kc_case_kinds_list(kc_ctx *ctx, json_t **items)
{
  if (ctx->actor && ctx->actor->role == KC_ROLE_PUBLIC)
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                       "Tài khoản công dân không xem được loại hồ sơ vụ việc");
  json_t *o = kc_case_kinds_json();
  *items = json_incref(json_object_get(o, "items"));
  json_decref(o);
  return KC_OK;
}
