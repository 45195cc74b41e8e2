/* Output of the reader: TSV for people and scripts, JSON with the evidence for each field. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "extract/extract.h"

typedef struct sbuf {
  char *p;
  size_t len, cap;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->p = kc_xrealloc(b->p, b->cap);
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void puts_(sbuf *b, const char *s)
{
  put(b, s, strlen(s));
}

KC_PRINTF(2, 3) static void putf(sbuf *b, const char *fmt, ...)
{
  char tmp[128];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  put(b, tmp, n < (int)sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* JSON string; the text is valid UTF-8 (checked on input), so only escapes are needed. */
static void jstr(sbuf *b, const char *s)
{
  if (!s) {
    puts_(b, "null");
    return;
  }
  put(b, "\"", 1);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      put(b, "\\", 1);
      put(b, s, 1);
    } else if (c < 0x20) {
      putf(b, "\\u%04x", c);
    } else {
      put(b, s, 1);
    }
  }
  put(b, "\"", 1);
}

const char *kc_extract_recurrence_tsv(const char *recurrence)
{
  return strchr(recurrence, ':') ? recurrence : "";
}

static void tsv_field(sbuf *b, const char *s)
{
  for (; *s; s++)
    put(b, (*s == '\t' || *s == '\n') ? " " : s, 1);
}

static void ref_json(sbuf *b, const kc_extract_ref *r)
{
  static const char *const kinds[] = {"unit", "group", "unresolved"};
  puts_(b, "{\"name\":");
  jstr(b, r->name);
  puts_(b, ",\"kind\":");
  jstr(b, kinds[r->kind]);
  if (r->unit) {
    puts_(b, ",\"code\":");
    jstr(b, r->unit->code);
    putf(b, ",\"id\":%lld", (long long)r->unit->id);
  }
  if (r->group) {
    puts_(b, ",\"group\":");
    jstr(b, r->group->id);
  }
  puts_(b, ",\"evidence\":");
  jstr(b, r->evidence);
  putf(b, ",\"span\":[%zu,%zu]", r->start, r->end);
  if (r->kind == KC_EXTRACT_REF_UNRESOLVED)
    puts_(b, ",\"unresolved\":true");
  puts_(b, "}");
}

char *kc_extract_format_result(const kc_extract_result *res, kc_extract_format fmt, size_t *len)
{
  sbuf b = {0};
  put(&b, "", 0);
  char date[KC_CAL_DATE_LEN + 1];
  if (fmt == KC_EXTRACT_TSV) {
    for (size_t i = 0; i < res->count; i++) {
      const kc_extract_task *t = &res->tasks[i];
      tsv_field(&b, t->lead.name);
      put(&b, "\t", 1);
      if (t->has_due)
        puts_(&b, kc_cal_format_date(t->due, date));
      put(&b, "\t", 1);
      puts_(&b, kc_extract_recurrence_tsv(t->recurrence));
      put(&b, "\t", 1);
      tsv_field(&b, t->text);
      put(&b, "\n", 1);
    }
  } else {
    puts_(&b, "{\"year\":");
    putf(&b, "%d", res->year);
    puts_(&b, ",\"issued\":");
    if (res->has_issued)
      jstr(&b, kc_cal_format_date(res->issued, date));
    else
      puts_(&b, "null");
    puts_(&b, ",\"tasks\":[");
    for (size_t i = 0; i < res->count; i++) {
      const kc_extract_task *t = &res->tasks[i];
      puts_(&b, i ? ",\n{" : "\n{");
      puts_(&b, "\"lead\":");
      ref_json(&b, &t->lead);
      puts_(&b, ",\"support\":[");
      for (size_t s = 0; s < t->nsupport; s++) {
        if (s)
          put(&b, ",", 1);
        ref_json(&b, &t->support[s]);
      }
      puts_(&b, "],\"due_date\":");
      if (t->has_due)
        jstr(&b, kc_cal_format_date(t->due, date));
      else
        puts_(&b, "null");
      puts_(&b, ",\"due_evidence\":");
      jstr(&b, t->due_evidence);
      puts_(&b, ",\"due_from_block\":");
      puts_(&b, t->block_due ? "true" : "false");
      puts_(&b, ",\"recurrence\":");
      if (t->recurrence[0])
        jstr(&b, t->recurrence);
      else
        puts_(&b, "null");
      puts_(&b, ",\"recurrence_evidence\":");
      jstr(&b, t->recurrence_evidence);
      puts_(&b, ",\"section\":");
      jstr(&b, t->section);
      putf(&b, ",\"span\":[%zu,%zu]", t->start, t->end);
      puts_(&b, ",\"inherited\":");
      puts_(&b, t->inherited ? "true" : "false");
      putf(&b, ",\"confidence\":%.2f", t->confidence);
      puts_(&b, ",\"text\":");
      jstr(&b, t->text);
      puts_(&b, "}");
    }
    puts_(&b, "\n]}\n");
  }
  if (len)
    *len = b.len;
  return b.p;
}
