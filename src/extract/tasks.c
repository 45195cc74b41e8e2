/* The reader: normalises the text, walks its outline (I., 1., a), -, +), finds each clause's
 * assignee and times, and turns them into tasks, with what headings hand down to their items
 * (an assignee "Giao X thực hiện:", a block deadline "Thời gian thực hiện: ..."). The rules are
 * in docs/internals/extract.md "What counts as a task". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/vntext.h"
#include "extract/internal.h"

enum { M_ROOT, M_ROMAN, M_NUM, M_DEC2, M_ARTICLE, M_LETTER, M_DASH, M_PLUS };

typedef struct level {
  int type;
  char label[16];
  int dashes;
  const kc_assign *leadin; /* what the heading hands down, or NULL */
  bool content;            /* children are the parts of this item, not tasks of their own */
  bool no_tasks;           /* "Mục đích, yêu cầu": states aims, assigns nothing */
  size_t first_task;
} level;

/* A task before it is split into one line per lead. */
typedef struct draft {
  const kc_assign *who;
  size_t t0, t1; /* token span */
  bool has_when;
  kc_when when;
  bool inherited, explicit_start, block_due;
  char section[32];
} draft;

typedef struct reader {
  const kc_extract_registry *reg;
  kc_doc d;
  kc_arena *ar;
  int year;
  draft *drafts;
  size_t n, cap;
  level stack[16];
  size_t depth; /* entries in stack */
} reader;

static void emit(reader *r, const draft *t)
{
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 64;
    r->drafts = kc_xrealloc(r->drafts, r->cap * sizeof *r->drafts);
  }
  r->drafts[r->n++] = *t;
}

/* Marker of the paragraph starting at token a; stores the label and the body start. */
static int marker(const kc_doc *d, size_t a, size_t b, char *label, size_t cap, size_t *body)
{
  const char *w = kc_tw(d, a);
  const kc_tok *t = &d->tok[a];
  *body = a + 1;
  label[0] = '\0';
  if (t->kind == KC_TOK_PUNCT && (w[0] == '-' || w[0] == '+'))
    return w[0] == '-' ? M_DASH : M_PLUS;
  if (a + 1 >= b)
    return M_ROOT;
  bool dot = kc_extract__is(d, a + 1, b, ".");
  bool paren = kc_extract__is(d, a + 1, b, ")");
  if (t->kind == KC_TOK_WORD && (t->flags & KC_TOK_UPPER) && dot &&
      strspn(w, "ivxl") == strlen(w)) {
    snprintf(label, cap, "%.*s", (int)(t->end - t->start), d->text + t->start);
    *body = a + 2;
    return M_ROMAN;
  }
  if (t->kind == KC_TOK_NUM && dot && a + 3 < b && d->tok[a + 2].kind == KC_TOK_NUM &&
      kc_extract__is(d, a + 3, b, ".")) {
    snprintf(label, cap, "%s.%s", w, kc_tw(d, a + 2));
    *body = a + 4;
    return M_DEC2;
  }
  if (t->kind == KC_TOK_NUM && (dot || paren)) {
    snprintf(label, cap, "%s", w);
    *body = a + 2;
    return M_NUM;
  }
  if (t->kind == KC_TOK_WORD && strlen(w) == 1 && !(t->flags & KC_TOK_CAP) && paren) {
    snprintf(label, cap, "%.*s", (int)(t->end - t->start), d->text + t->start);
    *body = a + 2;
    return M_LETTER;
  }
  if (!strcmp(w, "dieu") && d->tok[a + 1].kind == KC_TOK_NUM) {
    snprintf(label, cap, "Đ%s", kc_tw(d, a + 1));
    *body = a + 2 + kc_extract__is(d, a + 2, b, ".");
    return M_ARTICLE;
  }
  *body = a;
  return M_ROOT;
}

static void section_of(const reader *r, char *out, size_t cap)
{
  size_t n = 0;
  out[0] = '\0';
  for (size_t k = 1; k < r->depth && n < cap; k++) {
    const char *l = r->stack[k].label;
    bool dash = l[0] == '-' || l[0] == '+';
    n += (size_t)snprintf(out + n, cap - n, "%s%s", (n && !dash) ? "." : "", l);
  }
}

/* Index of the token that ends the clause starting at i: ';', a sentence '.', or ':' before a
 * capital, outside parentheses; b when the paragraph ends first. */
static size_t clause_end(const kc_doc *d, size_t i, size_t b)
{
  int depth = 0;
  for (size_t t = i; t < b; t++) {
    if (d->tok[t].kind != KC_TOK_PUNCT)
      continue;
    char c = kc_tw(d, t)[0];
    if (c == '(')
      depth++;
    else if (c == ')' && depth > 0)
      depth--;
    else if (depth == 0 && c == ';')
      return t;
    else if (depth == 0 && (c == '.' || c == ':') &&
             (t + 1 == b || (d->tok[t + 1].flags & KC_TOK_CAP) ||
              (c == '.' && kc_extract__is(d, t + 1, b, "/"))))
      return t;
  }
  return b;
}

static bool same_when(const kc_when *a, const kc_when *b)
{
  return a->is_due == b->is_due && (a->is_due ? a->due == b->due : !strcmp(a->recur, b->recur));
}

/* The assignee handed down to paragraph items from their headings. */
static const kc_assign *inherited(const reader *r, bool marked)
{
  for (size_t k = r->depth; k-- > 0;) {
    const level *l = &r->stack[k];
    bool own = k == r->depth - 1;
    if (own && marked)
      continue;
    if (l->leadin)
      return l->leadin;
    if (l->content && !own)
      return NULL;
  }
  return NULL;
}

/* "Thời gian thực hiện: xong trước ngày 31/5/2017" closing a block dates the block's tasks
 * that have no time of their own. Returns how many it dated. */
static size_t block_deadline(reader *r, const kc_when *w)
{
  size_t n = 0;
  for (size_t k = r->stack[r->depth - 1].first_task; k < r->n; k++)
    if (!r->drafts[k].has_when) {
      r->drafts[k].has_when = true;
      r->drafts[k].when = *w;
      r->drafts[k].block_due = true;
      n++;
    }
  return n;
}

static void paragraph_tasks(reader *r, size_t i, size_t b, const kc_assign *from_heading)
{
  const kc_doc *d = &r->d;
  const kc_assign *who = from_heading;
  draft open = {0};
  bool on = false;
  size_t pushed = r->n;
  char sec[32];
  section_of(r, sec, sizeof sec);
  while (i < b) {
    kc_assign as;
    size_t after = kc_extract__assignee(r->reg, d, i, b, &as);
    size_t ce = clause_end(d, after ? after : i, b);
    if (after && as.accountability) {
      i = ce + 1;
      continue;
    }
    if (after && as.nlead) {
      if (on)
        emit(r, &open);
      kc_assign *copy = kc_arena_alloc(r->ar, sizeof *copy);
      *copy = as;
      who = copy;
      open = (draft){.who = who, .t0 = i, .t1 = ce, .explicit_start = true};
      on = true;
    } else if (who) {
      if (!on)
        open = (draft){.who = who, .t0 = i, .t1 = ce, .inherited = who == from_heading};
      open.t1 = ce;
      on = true;
    } else {
      i = ce + 1;
      continue;
    }
    snprintf(open.section, sizeof open.section, "%s", sec);
    kc_when w[8];
    size_t nw = kc_extract__when(d, i, ce, r->year, w, 8);
    for (size_t k = 0; k < nw; k++) {
      if (open.has_when && !same_when(&open.when, &w[k])) {
        emit(r, &open);
        open.t0 = i;
        open.explicit_start = false;
      }
      open.has_when = true;
      open.when = w[k];
    }
    if (open.has_when) {
      emit(r, &open);
      on = false;
    }
    i = ce + 1;
  }
  if (on) {
    draft *last = r->n > pushed ? &r->drafts[r->n - 1] : NULL;
    if (last && last->who == open.who && !open.explicit_start)
      last->t1 = open.t1; /* trailing work without a date belongs to the last task */
    else
      emit(r, &open);
  }
}

static bool aims_heading(const kc_doc *d, size_t body, size_t b)
{
  static const char *const aims[] = {"muc dich", "muc tieu", "yeu cau", "quan diem", "can cu"};
  if (b - body > 6 || kc_extract__is(d, b - 1, b, ":"))
    return false;
  for (size_t k = 0; k < sizeof aims / sizeof *aims; k++)
    if (kc_extract__seq(d, body, b, aims[k]))
      return true;
  return false;
}

static void read_paragraph(reader *r, size_t a, size_t b)
{
  const kc_doc *d = &r->d;
  char label[16];
  size_t body;
  int type = marker(d, a, b, label, sizeof label, &body);
  bool marked = type != M_ROOT;
  if (marked) {
    size_t k = r->depth;
    while (k > 1 && r->stack[k - 1].type != type)
      k--;
    if (k > 1)
      r->depth = k - 1; /* a sibling: close the previous item and everything inside it */
    if (r->depth == sizeof r->stack / sizeof *r->stack)
      r->depth--;
    level *parent = &r->stack[r->depth - 1];
    level *l = &r->stack[r->depth++];
    memset(l, 0, sizeof *l);
    l->type = type;
    if (type == M_DASH || type == M_PLUS)
      snprintf(l->label, sizeof l->label, "%c%d", type == M_DASH ? '-' : '+', ++parent->dashes);
    else
      snprintf(l->label, sizeof l->label, "%s", label);
    l->no_tasks = parent->no_tasks || aims_heading(d, body, b);
    l->first_task = r->n;
  } else {
    while (r->depth > 1 &&
           (r->stack[r->depth - 1].type == M_DASH || r->stack[r->depth - 1].type == M_PLUS))
      r->depth--;
  }
  level *top = &r->stack[r->depth - 1];
  if (top->no_tasks || body >= b)
    return;

  kc_assign as;
  size_t after = kc_extract__assignee(r->reg, d, body, b, &as);
  if (after && as.nlead && as.leadin_only) {
    kc_assign *copy = kc_arena_alloc(r->ar, sizeof *copy);
    *copy = as;
    top->leadin = copy;
    top->first_task = r->n;
    return;
  }
  if (!marked && !after && kc_extract__due_lead(d, body, b)) {
    kc_when w[4];
    size_t nw = kc_extract__when(d, body, clause_end(d, body, b), r->year, w, 4);
    if (nw && w[0].is_due && block_deadline(r, &w[0]))
      return;
  }
  paragraph_tasks(r, body, b, inherited(r, marked));
  if (marked && kc_extract__is(d, b - 1, b, ":"))
    top->content = true;
}

static bool stop_paragraph(const kc_doc *d, size_t a, size_t b)
{
  return kc_extract__seq(d, a, b, "noi nhan") || kc_extract__seq(d, a, b, "tm .") ||
         kc_extract__seq(d, a, b, "kt .");
}

/* The issue date ("Hà Nội, ngày 20 tháng 3 năm 2017") near the top, else the first year. */
static void find_year(reader *r, kc_extract_result *res)
{
  const kc_doc *d = &r->d;
  size_t lim = d->ntok < 600 ? d->ntok : 600;
  for (size_t i = 1; i < lim; i++) {
    kc_cal_day day;
    size_t e;
    if (kc_extract__is(d, i - 1, lim, ",") && kc_extract__seq(d, i, lim, "ngay") &&
        kc_extract__is(d, i + 2, lim, "thang") && kc_extract__date_at(d, i, lim, 0, &day, &e)) {
      res->has_issued = true;
      res->issued = day;
      kc_cal_to_ymd(day, &res->year, NULL, NULL);
      return;
    }
  }
  /* No issue date: the latest full date written (cited documents are older than the
   * document that cites them), else the first year. */
  int first = 0, latest = 0;
  for (size_t i = 0; i < d->ntok; i++) {
    const char *w = kc_tw(d, i);
    kc_cal_day day;
    size_t e;
    int y;
    if (d->tok[i].kind != KC_TOK_NUM)
      continue;
    if (kc_extract__date_at(d, i, d->ntok, 0, &day, &e)) {
      kc_cal_to_ymd(day, &y, NULL, NULL);
      latest = y > latest ? y : latest;
    } else if (!first && strlen(w) == 4 && atoi(w) >= 1990 && atoi(w) <= 2100) {
      first = atoi(w);
    }
  }
  res->year = latest ? latest : first;
}

/* Source text of a byte span on one line, in the arena. */
static const char *span_text(kc_arena *ar, const char *text, size_t s, size_t e)
{
  char *p = kc_arena_strndup(ar, text + s, e - s);
  for (char *q = p; *q; q++)
    if (*q == '\t' || *q == '\n')
      *q = ' ';
  return p;
}

static kc_extract_ref make_ref(reader *r, const char *text, const kc_aref *a)
{
  const kc_doc *d = &r->d;
  kc_extract_ref ref = {.kind = a->kind, .unit = a->unit, .group = a->group};
  ref.start = d->tok[a->t0].start;
  ref.end = d->tok[a->t1 - 1].end;
  ref.evidence = span_text(r->ar, text, ref.start, ref.end);
  ref.name = a->unit ? a->unit->name : a->group ? a->group->label : ref.evidence;
  return ref;
}

static void expand(reader *r, kc_extract_result *res)
{
  const kc_doc *d = &r->d;
  size_t total = 0;
  for (size_t k = 0; k < r->n; k++)
    total += r->drafts[k].who->nlead;
  res->tasks = kc_arena_zalloc(r->ar, (total ? total : 1) * sizeof *res->tasks);
  for (size_t k = 0; k < r->n; k++) {
    const draft *t = &r->drafts[k];
    for (size_t l = 0; l < t->who->nlead; l++) {
      kc_extract_task *o = &res->tasks[res->count++];
      o->lead = make_ref(r, res->text, &t->who->lead[l]);
      o->support = kc_arena_zalloc(r->ar, (t->who->nsupport + 1) * sizeof *o->support);
      for (size_t s = 0; s < t->who->nsupport; s++)
        o->support[o->nsupport++] = make_ref(r, res->text, &t->who->support[s]);
      if (t->has_when) {
        const char *ev =
            span_text(r->ar, res->text, d->tok[t->when.t0].start, d->tok[t->when.t1 - 1].end);
        if (t->when.is_due) {
          o->has_due = true;
          o->due = t->when.due;
          o->due_evidence = ev;
        } else {
          snprintf(o->recurrence, sizeof o->recurrence, "%s", t->when.recur);
          o->recurrence_evidence = ev;
        }
      }
      snprintf(o->section, sizeof o->section, "%s", t->section);
      size_t last = t->t1 > t->t0 ? t->t1 - 1 : t->t0;
      o->start = d->tok[t->t0].start;
      o->end = d->tok[last].end;
      o->text = span_text(r->ar, res->text, o->start, o->end);
      o->inherited = t->inherited;
      o->block_due = t->block_due;
      double c = t->inherited ? 0.75 : 0.9;
      if (o->lead.kind == KC_EXTRACT_REF_UNRESOLVED)
        c *= 0.6;
      if (t->block_due)
        c -= 0.05;
      o->confidence = c;
    }
  }
}

kc_err kc_extract_run(const char *text, size_t len, const kc_extract_registry *reg,
                      const kc_extract_options *opt, kc_extract_result **out)
{
  if (!kc_utf8_is_clean_text(text, len))
    return KC_EFIELD;
  size_t nlen, clen;
  char *nfc = kc_vn_nfc(text, len, &nlen);
  char *clean = kc_extract__clean(nfc, nlen, &clen);
  free(nfc);
  kc_extract_result *res = kc_xcalloc(1, sizeof *res);
  kc_arena_init(&res->arena);
  res->text = kc_arena_strndup(&res->arena, clean, clen);
  res->len = clen;
  free(clean);

  reader r = {.reg = reg, .ar = &res->arena};
  kc_extract__tokenize(&r.d, res->text, res->len);
  find_year(&r, res);
  if (!res->year && opt)
    res->year = opt->default_year;
  r.year = res->year;
  r.stack[0].type = M_ROOT;
  r.depth = 1;
  for (size_t a = 0; a < r.d.ntok;) {
    size_t b = a;
    while (b < r.d.ntok && r.d.tok[b].para == r.d.tok[a].para)
      b++;
    if (stop_paragraph(&r.d, a, b))
      break;
    read_paragraph(&r, a, b);
    a = b;
  }
  expand(&r, res);
  free(r.drafts);
  kc_extract__doc_free(&r.d);
  *out = res;
  return KC_OK;
}

void kc_extract_result_free(kc_extract_result *res)
{
  if (!res)
    return;
  kc_arena_free(&res->arena);
  free(res);
}
