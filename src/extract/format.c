/* Output of the reader: TSV for people and scripts, JSON with the evidence for each field. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/strbuf.h"
#include "extract/extract.h"

/* JSON string; the text is valid UTF-8 (checked on input), so only escapes are needed. */
static void jstr(kc_strbuf *b, const char *s)
{
  if (!s) {
    kc_strbuf_addstr(b, "null");
    return;
  }
  kc_strbuf_add(b, "\"", 1);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      kc_strbuf_add(b, "\\", 1);
      kc_strbuf_add(b, s, 1);
    } else if (c < 0x20) {
      kc_strbuf_addf(b, "\\u%04x", c);
    } else {
      kc_strbuf_add(b, s, 1);
    }
  }
  kc_strbuf_add(b, "\"", 1);
}

const char *kc_extract_recurrence_tsv(const char *recurrence)
{
  return strchr(recurrence, ':') ? recurrence : "";
}

static void tsv_field(kc_strbuf *b, const char *s)
{
  for (; *s; s++)
    kc_strbuf_add(b, (*s == '\t' || *s == '\n') ? " " : s, 1);
}

static void ref_json(kc_strbuf *b, const kc_extract_ref *r)
{
  static const char *const kinds[] = {"unit", "group", "unresolved"};
  kc_strbuf_addstr(b, "{\"name\":");
  jstr(b, r->name);
  kc_strbuf_addstr(b, ",\"kind\":");
  jstr(b, kinds[r->kind]);
  if (r->unit) {
    kc_strbuf_addstr(b, ",\"code\":");
    jstr(b, r->unit->code);
    kc_strbuf_addf(b, ",\"id\":%lld", (long long)r->unit->id);
  }
  if (r->group) {
    kc_strbuf_addstr(b, ",\"group\":");
    jstr(b, r->group->id);
  }
  kc_strbuf_addstr(b, ",\"evidence\":");
  jstr(b, r->evidence);
  kc_strbuf_addf(b, ",\"span\":[%zu,%zu]", r->start, r->end);
  if (r->kind == KC_EXTRACT_REF_UNRESOLVED)
    kc_strbuf_addstr(b, ",\"unresolved\":true");
  kc_strbuf_addstr(b, "}");
}

char *kc_extract_format_result(const kc_extract_result *res, kc_extract_format fmt, size_t *len)
{
  kc_strbuf b = KC_STRBUF_INIT;
  kc_strbuf_add(&b, "", 0);
  char date[KC_CAL_DATE_LEN + 1];
  if (fmt == KC_EXTRACT_TSV) {
    for (size_t i = 0; i < res->count; i++) {
      const kc_extract_task *t = &res->tasks[i];
      tsv_field(&b, t->lead.name);
      kc_strbuf_add(&b, "\t", 1);
      if (t->has_due)
        kc_strbuf_addstr(&b, kc_cal_format_date(t->due, date));
      kc_strbuf_add(&b, "\t", 1);
      kc_strbuf_addstr(&b, kc_extract_recurrence_tsv(t->recurrence));
      kc_strbuf_add(&b, "\t", 1);
      tsv_field(&b, t->text);
      kc_strbuf_add(&b, "\n", 1);
    }
  } else {
    kc_strbuf_addstr(&b, "{\"year\":");
    kc_strbuf_addf(&b, "%d", res->year);
    kc_strbuf_addstr(&b, ",\"issued\":");
    if (res->has_issued)
      jstr(&b, kc_cal_format_date(res->issued, date));
    else
      kc_strbuf_addstr(&b, "null");
    kc_strbuf_addstr(&b, ",\"tasks\":[");
    for (size_t i = 0; i < res->count; i++) {
      const kc_extract_task *t = &res->tasks[i];
      kc_strbuf_addstr(&b, i ? ",\n{" : "\n{");
      kc_strbuf_addstr(&b, "\"lead\":");
      ref_json(&b, &t->lead);
      kc_strbuf_addstr(&b, ",\"support\":[");
      for (size_t s = 0; s < t->nsupport; s++) {
        if (s)
          kc_strbuf_add(&b, ",", 1);
        ref_json(&b, &t->support[s]);
      }
      kc_strbuf_addstr(&b, "],\"due_date\":");
      if (t->has_due)
        jstr(&b, kc_cal_format_date(t->due, date));
      else
        kc_strbuf_addstr(&b, "null");
      kc_strbuf_addstr(&b, ",\"due_evidence\":");
      jstr(&b, t->due_evidence);
      kc_strbuf_addstr(&b, ",\"due_from_block\":");
      kc_strbuf_addstr(&b, t->block_due ? "true" : "false");
      kc_strbuf_addstr(&b, ",\"recurrence\":");
      if (t->recurrence[0])
        jstr(&b, t->recurrence);
      else
        kc_strbuf_addstr(&b, "null");
      kc_strbuf_addstr(&b, ",\"recurrence_evidence\":");
      jstr(&b, t->recurrence_evidence);
      kc_strbuf_addstr(&b, ",\"section\":");
      jstr(&b, t->section);
      kc_strbuf_addf(&b, ",\"span\":[%zu,%zu]", t->start, t->end);
      kc_strbuf_addstr(&b, ",\"inherited\":");
      kc_strbuf_addstr(&b, t->inherited ? "true" : "false");
      kc_strbuf_addf(&b, ",\"confidence\":%.2f", t->confidence);
      kc_strbuf_addstr(&b, ",\"text\":");
      jstr(&b, t->text);
      kc_strbuf_addstr(&b, "}");
    }
    kc_strbuf_addstr(&b, "\n]}\n");
  }
  return kc_strbuf_detach(&b, len);
}
