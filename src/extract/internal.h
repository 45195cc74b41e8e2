/* Declarations shared by the files of src/extract only (kc_extract__*). See extract.h for the
 * public API and docs/internals/extract.md for the design. */
#ifndef KC_EXTRACT_INTERNAL_H
#define KC_EXTRACT_INTERNAL_H

#include "extract/extract.h"

/* ---- Layout clean-up (clean.c) --------------------------------------------------------- */

/* Turns NFC text into one paragraph a line: bullets unified to "- ", markdown markers, page
 * numbers and soft hyphens dropped, lines broken inside a sentence joined. Returns a new
 * buffer (free(3)) and its length in `*out_len`. Can't fail. */
char *kc_extract__clean(const char *s, size_t len, size_t *out_len);

/* ---- Tokens (tokens.c) ----------------------------------------------------------------- */

enum { KC_TOK_WORD = 1, KC_TOK_NUM, KC_TOK_PUNCT };
enum { KC_TOK_CAP = 1, KC_TOK_UPPER = 2 };

/* A word (folded: lower case ASCII, no tones, đ→d; multi-word abbreviations contracted to one
 * canonical token: "ủy ban nhân dân"→"ubnd", "thành phố"→"tp", "văn phòng"→"vp"), a number,
 * or one punctuation character (quotes and dashes mapped to ASCII). */
typedef struct kc_tok {
  uint32_t w;     /* offset of the NUL-terminated folded form in kc_doc.words */
  uint8_t kind;   /* KC_TOK_* */
  uint8_t flags;  /* KC_TOK_CAP: first letter upper case in the source; UPPER: all of it */
  uint16_t para;  /* paragraph index */
  uint32_t start; /* byte span in the normalised text */
  uint32_t end;
} kc_tok;

typedef struct kc_doc {
  const char *text; /* normalised text (not owned) */
  size_t len;
  kc_tok *tok;
  size_t ntok, captok;
  char *words; /* folded forms, NUL-separated */
  size_t nwords, capwords;
} kc_doc;

/* Tokenises `text` (the output of kc_extract__clean); paragraphs are its lines. Can't fail. */
void kc_extract__tokenize(kc_doc *d, const char *text, size_t len);
void kc_extract__doc_free(kc_doc *d);
static inline const char *kc_tw(const kc_doc *d, size_t i)
{
  return d->words + d->tok[i].w;
}
/* True when token i exists, is below `lim` and its folded form is `w`. */
bool kc_extract__is(const kc_doc *d, size_t i, size_t lim, const char *w);
/* Matches the space-separated folded words of `pat` from token i; a pattern word "," matches a
 * comma token. Returns the index after the match, or 0 when it does not match. */
size_t kc_extract__seq(const kc_doc *d, size_t i, size_t lim, const char *pat);

/* ---- Registry matching (registry.c) ---------------------------------------------------- */

/* Longest registry unit or group named at token i (below lim). `implied` is a head word
 * understood from a factored list ("các Sở: Nội vụ, Tài chính" → "so"), or NULL. Returns the
 * end index, 0 when nothing matches, and fills `*unit` or `*group`. */
size_t kc_extract__match_unit(const kc_extract_registry *reg, const kc_doc *d, size_t i, size_t lim,
                              const char *implied, const kc_extract_unit **unit,
                              const kc_extract_group **group);

/* ---- Times (when.c) -------------------------------------------------------------------- */

typedef struct kc_when {
  bool is_due; /* a deadline (else a recurrence) */
  kc_cal_day due;
  char recur[KC_EXTRACT_RECUR_LEN];
  size_t t0, t1; /* token span of the evidence */
} kc_when;

/* Finds deadlines and recurrences among tokens [a, b) in order; returns how many were stored
 * (at most cap). `year` fills dates written without one. */
size_t kc_extract__when(const kc_doc *d, size_t a, size_t b, int year, kc_when *out, size_t cap);
/* True when a dated "ngày D tháng M năm Y" or D/M/Y starts at token i; stores the day. */
bool kc_extract__date_at(const kc_doc *d, size_t i, size_t lim, int year, kc_cal_day *day,
                         size_t *end);
/* True when the tokens from i are a deadline's lead words ("Thời gian hoàn thành", "Hoàn
 * thành", "Thời hạn", "xong"): a sentence starting so only dates the work before it. */
bool kc_extract__due_lead(const kc_doc *d, size_t i, size_t lim);

/* ---- Assignees (assign.c) -------------------------------------------------------------- */

typedef struct kc_aref {
  kc_extract_ref_kind kind;
  const kc_extract_unit *unit;
  const kc_extract_group *group;
  size_t t0, t1; /* token span */
} kc_aref;

#define KC_MAX_REFS 12
typedef struct kc_assign {
  kc_aref lead[KC_MAX_REFS];
  size_t nlead;
  kc_aref support[KC_MAX_REFS];
  size_t nsupport;
  bool accountability; /* "X phải chịu trách nhiệm trước ..." : not a task */
  bool leadin_only;    /* nothing but the assignment before the closing ':' */
} kc_assign;

/* Looks for the assignee of the clause starting at token i (below lim): "Giao/Yêu cầu/Đề nghị
 * X", "X chủ trì, phối hợp với Y", a subject at the clause start, also after a leading time
 * phrase ("Định kỳ ngày 20 hằng tháng, các sở ..."). Returns the token index after the
 * assignment phrase, or 0 when the clause names no assignee. */
size_t kc_extract__assignee(const kc_extract_registry *reg, const kc_doc *d, size_t i, size_t lim,
                            kc_assign *out);

#endif
