/* Assignees: who a clause gives work to. Officials write "Giao X (chủ trì, phối hợp với Y)",
 * "Yêu cầu X", "Đề nghị X", or put X as the subject ("X chủ trì", "X có trách nhiệm",
 * "Các sở, ngành rà soát ..."), often after a title ("Giám đốc", "Chủ tịch") and as a list
 * ("Sở A, Sở B và UBND các quận, huyện"). */
#include <string.h>

#include "extract/internal.h"

static bool any_seq(const kc_doc *d, size_t i, size_t lim, const char *const *pats, size_t n,
                    size_t *end)
{
  for (size_t k = 0; k < n; k++) {
    size_t e = kc_extract__seq(d, i, lim, pats[k]);
    if (e) {
      *end = e;
      return true;
    }
  }
  return false;
}
#define ANY(d, i, lim, pats, end) any_seq(d, i, lim, pats, sizeof pats / sizeof *pats, end)

static const char *const titles[] = {
    "pho giam doc",  "giam doc",        "thu truong",     "pho chu tich",   "chu tich",
    "chanh vp",      "chanh thanh tra", "truong ban",     "nguoi dung dau", "lanh dao",
    "tong giam doc", "cuc truong",      "chi cuc truong",
};

/* "các giám đốc, thủ trưởng" before a unit: the head answers for the unit. */
static size_t skip_titles(const kc_doc *d, size_t i, size_t lim)
{
  size_t j = i, e;
  if (kc_extract__is(d, j, lim, "cac") || kc_extract__is(d, j, lim, "tung"))
    j++;
  if (!ANY(d, j, lim, titles, &e))
    return i;
  for (;;) {
    j = e;
    size_t k = j;
    if (kc_extract__is(d, k, lim, ",") || kc_extract__is(d, k, lim, "va"))
      k++;
    if (k == j || !ANY(d, k, lim, titles, &e))
      break;
  }
  return j;
}

/* Words that qualify a unit without naming another: "liên quan", "thuộc Thành phố". */
static size_t skip_qualifiers(const kc_doc *d, size_t i, size_t lim)
{
  static const char *const q[] = {
      "co lien quan",
      "lien quan",
      "truc thuoc ubnd tinh",
      "truc thuoc ubnd tp",
      "thuoc ubnd tinh",
      "thuoc ubnd tp",
      "truc thuoc",
      "thuoc tp",
      "thuoc tinh",
      "cua tp",
      "cua tinh",
      "cap tinh",
      "doan the tinh",
      "doan the",
      "tren dia ban tinh",
      "tren dia ban tp",
      "tp",
      "tinh",
  };
  for (;;) {
    size_t e;
    if (kc_extract__is(d, i, lim, "(")) {
      int depth = 0;
      size_t k = i;
      for (; k < lim; k++) {
        depth += kc_extract__is(d, k, lim, "(") - kc_extract__is(d, k, lim, ")");
        if (depth == 0)
          break;
      }
      if (k >= lim)
        return i;
      i = k + 1;
    } else if (ANY(d, i, lim, q, &e)) {
      i = e;
    } else {
      return i;
    }
  }
}

static bool head_word(const kc_doc *d, size_t i, size_t lim)
{
  static const char *const heads[] = {"so",    "ban",  "to",    "doan", "cong", "vp",
                                      "thanh", "ubnd", "trung", "bao",  "cuc",  "chi",
                                      "dai",   "hoi",  "lien",  "mat",  "kho",  "ngan",
                                      "vien",  "bo",   "tinh",  "hdnd", "uy",   "phong"};
  if (i >= lim || d->tok[i].kind != KC_TOK_WORD || !(d->tok[i].flags & KC_TOK_CAP))
    return false;
  for (size_t k = 0; k < sizeof heads / sizeof *heads; k++)
    if (!strcmp(kc_tw(d, i), heads[k]))
      return true;
  return false;
}

/* Verbs that end a unit name written out in full. */
static const char *const verbs[] = {
    "chu tri",
    "phoi hop",
    "co trach nhiem",
    "chiu trach nhiem",
    "tham muu",
    "thuc hien",
    "tang cuong",
    "to chuc",
    "xay dung",
    "huong dan",
    "theo doi",
    "khan truong",
    "trien khai",
    "tiep tuc",
    "nghien cuu",
    "don doc",
    "tong hop",
    "bao cao",
    "chi dao",
    "ra soat",
    "kiem tra",
    "chu dong",
    "thuong xuyen",
    "quan triet",
    "cap nhat",
    "de xuat",
    "phai",
    "lam",
    "la",
    "can",
    "co",
    "sua doi",
    "ban hanh",
    "tham dinh",
};

/* A name not in the registry ("Tổ kiểm tra việc thực thi công vụ ..."): from a unit word
 * written with a capital up to the verb. */
static size_t unknown_name(const kc_extract_registry *reg, const kc_doc *d, size_t i, size_t lim)
{
  if (!head_word(d, i, lim))
    return 0;
  size_t j = i + 1, e;
  const kc_extract_unit *u;
  const kc_extract_group *g;
  for (; j < lim && j < i + 24; j++) {
    const char *w = kc_tw(d, j);
    if (d->tok[j].kind == KC_TOK_PUNCT) {
      if (strchr(";:.()\"", w[0]))
        break;
      if (w[0] == ',' &&
          (head_word(d, j + 1, lim) || kc_extract__match_unit(reg, d, j + 1, lim, NULL, &u, &g)))
        break;
      continue;
    }
    if (j > i + 1 || strcmp(w, "kiem"))
      if (ANY(d, j, lim, verbs, &e))
        break;
  }
  while (j > i + 1 && d->tok[j - 1].kind == KC_TOK_PUNCT)
    j--;
  return j;
}

static bool same(const kc_aref *a, const kc_aref *b)
{
  return a->kind == b->kind && a->unit == b->unit && a->group == b->group &&
         (a->kind != KC_EXTRACT_REF_UNRESOLVED || a->t0 == b->t0);
}

static void add_ref(kc_aref *refs, size_t *n, kc_aref r)
{
  for (size_t k = 0; k < *n; k++)
    if (same(&refs[k], &r))
      return;
  if (*n < KC_MAX_REFS)
    refs[(*n)++] = r;
}

/* One list element at i; `implied` carries a factored head ("các Sở: Nội vụ, Tài chính"). */
static size_t element(const kc_extract_registry *reg, const kc_doc *d, size_t i, size_t lim,
                      const char **implied, kc_aref *r)
{
  size_t j = skip_titles(d, i, lim), e = 0, k = j;
  memset(r, 0, sizeof *r);
  r->t0 = j;
  if (kc_extract__is(d, k, lim, "cac"))
    k++;
  if (!*implied && kc_extract__is(d, k, lim, "so")) {
    size_t k2 = k + 1 + kc_extract__is(d, k + 1, lim, ":");
    e = kc_extract__match_unit(reg, d, k2, lim, "so", &r->unit, &r->group);
    if (e)
      *implied = "so"; /* "Sở Nội vụ" itself, or "các Sở: Nội vụ, ..." */
  }
  if (!e && *implied)
    e = kc_extract__match_unit(reg, d, j, lim, *implied, &r->unit, &r->group);
  if (!e)
    e = kc_extract__match_unit(reg, d, j, lim, NULL, &r->unit, &r->group);
  if (!e)
    return 0;
  r->kind = r->unit ? KC_EXTRACT_REF_UNIT : KC_EXTRACT_REF_GROUP;
  r->t1 = e;
  return e;
}

/* A list of units from i; returns the index after it, 0 if none. */
static size_t unit_list(const kc_extract_registry *reg, const kc_doc *d, size_t i, size_t lim,
                        bool allow_unknown, kc_aref *refs, size_t *n)
{
  const char *implied = NULL;
  size_t j = i, good = 0;
  for (bool first = true;; first = false) {
    kc_aref r;
    size_t e = element(reg, d, j, lim, &implied, &r);
    if (!e && first && allow_unknown) {
      size_t t = skip_titles(d, j, lim);
      e = unknown_name(reg, d, t, lim);
      r = (kc_aref){KC_EXTRACT_REF_UNRESOLVED, NULL, NULL, t, e};
    }
    if (!e)
      break;
    /* "Giao các đơn vị: Sở Xây dựng ..." : the collective name only announces the list */
    if (r.kind == KC_EXTRACT_REF_GROUP && kc_extract__is(d, e, lim, ":")) {
      size_t m = 0;
      kc_aref sub[KC_MAX_REFS];
      size_t got = unit_list(reg, d, e + 1, lim, allow_unknown, sub, &m);
      if (got) {
        for (size_t k = 0; k < m; k++)
          add_ref(refs, n, sub[k]);
        return got;
      }
    }
    add_ref(refs, n, r);
    j = good = skip_qualifiers(d, e, lim);
    size_t k = j;
    if (kc_extract__is(d, k, lim, ",") || kc_extract__is(d, k, lim, ";"))
      k++;
    if (kc_extract__is(d, k, lim, "va"))
      k++;
    if (k == j)
      break;
    j = k;
  }
  return good;
}

static size_t trigger(const kc_doc *d, size_t i, size_t lim)
{
  static const char *const trig[] = {"giao cho", "giao", "yeu cau", "de nghi", "chi dao"};
  size_t e;
  if (i > 0 && kc_extract__is(d, i - 1, lim, "duoc")) /* "được giao": passive, no assignee */
    return 0;
  if (!ANY(d, i, lim, trig, &e))
    return 0;
  return e + kc_extract__is(d, e, lim, ":");
}

/* Words that may stand between an issuer and its verb: "Chủ tịch UBND tỉnh vừa có văn bản
 * chỉ đạo ...". */
static size_t skip_issuer_fill(const kc_doc *d, size_t i, size_t lim)
{
  static const char *const fill[] = {"vua",  "da",  "co",   "van",  "ban",
                                     "tiep", "tuc", "dong", "thoi", "cung"};
  for (size_t n = 0; n < 6 && i < lim; n++) {
    bool hit = false;
    for (size_t k = 0; k < sizeof fill / sizeof *fill && !hit; k++)
      hit = !strcmp(kc_tw(d, i), fill[k]);
    if (!hit)
      break;
    i++;
  }
  return i;
}

static bool role_verb(const kc_doc *d, size_t i, size_t lim)
{
  static const char *const roles[] = {"chu tri", "co trach nhiem", "tham muu", "phoi hop"};
  size_t e;
  return ANY(d, i, lim, roles, &e);
}

/* After the leads: "chủ trì, phối hợp với Y", "chủ trì cùng Y". */
static size_t support(const kc_extract_registry *reg, const kc_doc *d, size_t i, size_t lim,
                      kc_assign *out)
{
  static const char *const skip[] = {"co trach nhiem", "chu tri", ","};
  static const char *const with[] = {"phoi hop voi", "phoi hop cung", "cung voi", "phoi hop",
                                     "cung"};
  size_t j = i, e;
  while (ANY(d, j, lim, skip, &e))
    j = e;
  if (!ANY(d, j, lim, with, &e))
    return i;
  size_t got = unit_list(reg, d, e, lim, false, out->support, &out->nsupport);
  return got ? got : i;
}

static bool adverbial_word(const kc_doc *d, size_t i)
{
  static const char *const ok[] = {
      "dinh", "ky",    "hang", "moi",  "truoc", "trong", "cham",  "nhat", "sau", "khi",  "tu",
      "theo", "do",    "dong", "thoi", "cung",  "voi",   "ngoai", "ra",   "ben", "canh", "vao",
      "ngay", "thang", "quy",  "nam",  "tuan",  "cua",   "cuoi",  "dau",  "thu", "hai",  "ba",
      "bay",  "chu",   "lan",  "mot",  "nay",   "/",     "(",     ")",    "-"};
  if (d->tok[i].kind == KC_TOK_NUM)
    return true;
  for (size_t k = 0; k < sizeof ok / sizeof *ok; k++)
    if (!strcmp(kc_tw(d, i), ok[k]))
      return true;
  return false;
}

static bool leadin_tail(const kc_doc *d, size_t i, size_t lim)
{
  static const char *const fill[] = {
      "thuc", "hien", "trien", "khai", "cac", "noi", "dung",  "nhiem", "vu",   "sau",  "nhu",
      "day",  "cu",   "the",   "mot",  "so",  "tap", "trung", "to",    "chuc", "giai", "phap"};
  for (; i + 1 < lim; i++) {
    bool hit = false;
    for (size_t k = 0; k < sizeof fill / sizeof *fill && !hit; k++)
      hit = !strcmp(kc_tw(d, i), fill[k]);
    if (!hit)
      return false;
  }
  return i + 1 == lim && kc_extract__is(d, i, lim, ":");
}

static size_t direct(const kc_extract_registry *reg, const kc_doc *d, size_t i, size_t lim,
                     kc_assign *out)
{
  size_t e = trigger(d, i, lim), after = 0;
  if (e) {
    after = unit_list(reg, d, e, lim, true, out->lead, &out->nlead);
    if (!after)
      return 0;
  } else {
    after = unit_list(reg, d, i, lim, false, out->lead, &out->nlead);
    if (!after) {
      size_t u = unknown_name(reg, d, skip_titles(d, i, lim), lim);
      if (!u || !role_verb(d, u, lim))
        return 0;
      out->lead[0] = (kc_aref){KC_EXTRACT_REF_UNRESOLVED, NULL, NULL, skip_titles(d, i, lim), u};
      out->nlead = 1;
      after = u;
    }
    /* The issuer names the assignee after its verb: "UBND Thành phố yêu cầu các sở ..." */
    size_t t = trigger(d, skip_issuer_fill(d, after, lim), lim);
    if (t) {
      kc_assign inner = {0};
      size_t got = unit_list(reg, d, t, lim, true, inner.lead, &inner.nlead);
      if (!got)
        return 0;
      memcpy(out->lead, inner.lead, sizeof inner.lead);
      out->nlead = inner.nlead;
      after = got;
    } else {
      size_t k = after + kc_extract__is(d, after, lim, "phai");
      if (kc_extract__seq(d, k, lim, "chiu trach nhiem truoc"))
        out->accountability = true;
    }
  }
  after = support(reg, d, after, lim, out);
  out->leadin_only = leadin_tail(d, after, lim);
  return after;
}

size_t kc_extract__assignee(const kc_extract_registry *reg, const kc_doc *d, size_t i, size_t lim,
                            kc_assign *out)
{
  memset(out, 0, sizeof *out);
  size_t e = direct(reg, d, i, lim, out);
  if (e || i >= lim || !adverbial_word(d, i))
    return e;
  /* "Định kỳ ngày 20 hằng tháng, ngày 20 của tháng cuối quý, các sở ... báo cáo": the
   * subject follows a time phrase; every word before it must belong to that phrase. */
  for (size_t k = i; k < lim && k < i + 40; k++) {
    if (kc_extract__is(d, k, lim, ",")) {
      memset(out, 0, sizeof *out);
      e = direct(reg, d, k + 1, lim, out);
      if (e)
        return e;
      continue;
    }
    if (!adverbial_word(d, k))
      break;
  }
  memset(out, 0, sizeof *out);
  return 0;
}
