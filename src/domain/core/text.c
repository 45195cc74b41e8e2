/* text.c: see text.h. */
#include "domain/core/text.h"
#include "base/utf8.h"
#include "base/vntext.h"
#include <stdlib.h>
#include <string.h>

kc_err kc_text_field(kc_ctx *ctx, const char *field, const char *label, const char **val,
                     size_t max_bytes, bool required)
{
  const char *v = *val;
  if (!v) {
    if (required)
      return kc_ctx_fail(ctx, KC_EFIELD, field, "Thiếu %s", label);
    return KC_OK;
  }
  size_t n = strlen(v);
  if (!kc_utf8_valid(v, n))
    return kc_ctx_fail(ctx, KC_EFIELD, field, "%s chứa ký tự không hợp lệ (không phải UTF-8)",
                       label);
  if (!kc_utf8_is_clean_text(v, n))
    return kc_ctx_fail(ctx, KC_EFIELD, field, "%s chứa ký tự điều khiển không được phép", label);
  size_t m = 0;
  char *nfc = kc_vn_nfc(v, n, &m);
  if (!nfc)
    return kc_ctx_fail(ctx, KC_EFIELD, field, "%s chứa ký tự không hợp lệ", label);
  const char *b = nfc, *e = nfc + m;
  while (b < e && (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r'))
    b++;
  while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
    e--;
  char *out = kc_arena_strndup(ctx->arena, b, (size_t)(e - b));
  free(nfc);
  if (required && !*out)
    return kc_ctx_fail(ctx, KC_EFIELD, field, "%s không được để trống", label);
  if (strlen(out) > max_bytes)
    return kc_ctx_fail(ctx, KC_EFIELD, field, "%s quá dài (tối đa %zu byte)", label, max_bytes);
  *val = out;
  return KC_OK;
}

typedef size_t (*derive_fn)(const char *, size_t, char *, size_t);

static char *derive(kc_arena *ar, const char *s, derive_fn fn)
{
  if (!s)
    s = "";
  size_t n = strlen(s);
  char small[256];
  size_t need = fn(s, n, small, sizeof small);
  if (need < sizeof small)
    return kc_arena_strndup(ar, small, need);
  char *buf = kc_arena_alloc(ar, need + 1);
  fn(s, n, buf, need + 1);
  return buf;
}

char *kc_text_fold(kc_arena *ar, const char *s)
{
  return derive(ar, s, kc_vn_fold);
}

char *kc_text_sortkey(kc_arena *ar, const char *s)
{
  return derive(ar, s, kc_vn_sortkey);
}

char *kc_text_sortkey_person(kc_arena *ar, const char *s)
{
  return derive(ar, s, kc_vn_sortkey_person);
}
