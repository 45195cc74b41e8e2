/* vntext: Vietnamese text handling — NFC normalisation, search folding, collation keys.
 * Rules come from docs/documents.md "Writing Vietnamese"; design in docs/internals/vntext.md. */
#ifndef KC_BASE_VNTEXT_H
#define KC_BASE_VNTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Version of the search form and of the sort keys. It changes whenever kc_vn_fold(),
 * kc_vn_sortkey() or kc_vn_sortkey_person() may give a different output for some input; the
 * store records it next to stored keys and search terms and recomputes them when it differs. */
#define KC_VN_KEY_VERSION 1

/* ---- Storage form ---------------------------------------------------------------------- */

/* Returns the NFC form of the UTF-8 text `s` (`len` bytes) in a new NUL-terminated buffer
 * and stores its length (without the NUL) in `*out_len` if `out_len` is not NULL. You own
 * the buffer; release it with free(3). Stored text keeps what the user typed: the tone
 * placement ("hoà" or "hòa") and look-alike letters (Ð U+00D0 for Đ) are left alone; only
 * the search key and the sort key treat them as equal.
 * Returns NULL, with `*out_len` untouched, if `s` is not valid UTF-8 (kc_utf8_valid()).
 * NUL and control characters pass through unchanged: check kc_utf8_is_clean_text() first.
 * Out of memory aborts. */
char *kc_vn_nfc(const char *s, size_t len, size_t *out_len);

/* ---- Search key ------------------------------------------------------------------------ */

/* Writes the search form of `s` (`len` bytes of UTF-8, NFC or NFD or anything in between)
 * into `out` and returns the length it needs, without the NUL, like snprintf(3): the result
 * is complete only if the return value is < `cap`. When `cap` > 0, `out` is always
 * NUL-terminated and, if truncated, cut at a character boundary. `out` may be NULL when
 * `cap` is 0 (to measure).
 *
 * The search form is lower case with every diacritic removed (Vietnamese tones and the
 * letters ă â ê ô ơ ư become a e o u), đ Đ and their look-alikes (Ð ð Ɖ ɖ) become d,
 * compatibility forms are unfolded (fullwidth letters, ligatures), default-ignorable
 * characters (soft hyphen, zero-width joiners) are dropped, and every run of other
 * non-letters, non-digits (spaces, punctuation, symbols, controls) becomes one space, with
 * no space at either end: "  SỞ NỘI-VỤ!" → "so noi vu". Latin-script text folds to ASCII;
 * other scripts are case-folded with their marks removed (UTF-8 output, consistent but not
 * meant for display). Since tones are removed, both tone placements ("hoà", "hòa") fold alike.
 * A malformed UTF-8 sequence counts as a space. This function can't fail. */
size_t kc_vn_fold(const char *s, size_t len, char *out, size_t cap);

/* Returns true if the folded text `needle_folded` occurs in the folded text `hay_folded`
 * starting at the beginning of a word: "noi v" is in "so noi vu", "oi" is not. An empty
 * needle is found everywhere. Both strings must be NUL-terminated outputs of kc_vn_fold()
 * (fold the user's query the same way). This function can't fail. */
bool kc_vn_fold_contains(const char *hay_folded, const char *needle_folded);

/* One word of a folded string: points into the string it came from (no ownership). */
typedef struct kc_vn_word {
  const char *s;
  size_t len;
} kc_vn_word;

/* Splits the folded text `folded` (`len` bytes) at spaces, stores up to `cap` words in
 * `words` in order, and returns how many words there are (which may exceed `cap`; call with
 * `cap` 0 to count). Words point into `folded`, which must outlive them. Duplicates are kept.
 * Meant for the search-term index: store each word, then match a query's words by prefix.
 * This function can't fail. */
size_t kc_vn_fold_words(const char *folded, size_t len, kc_vn_word *words, size_t cap);

/* ---- Sort keys ------------------------------------------------------------------------- */

/* Writes the Vietnamese collation key of `s` (`len` bytes of UTF-8) into `out` and returns
 * the length it needs, snprintf-style exactly as kc_vn_fold() (a truncated key is not a usable
 * key: retry with a buffer of at least the returned length + 1). The key holds only printable
 * ASCII bytes 0x21..0x7E, so it can be stored as TEXT; comparing keys with memcmp/strcmp,
 * SQLite BINARY or PostgreSQL COLLATE "C" gives Vietnamese dictionary order:
 *  - primary: base letters in the order a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t
 *    u ư v (w) x y (z), case ignored, then other scripts by code point; digits sort before
 *    letters and a run of digits compares as a number ("2" < "10"; leading zeros ignored);
 *    a run of spaces and punctuation is one word break that sorts before any letter or digit
 *    ("ha noi" < "hai"); leading and trailing ones are ignored;
 *  - secondary: tones, word by word: none < huyền < sắc < hỏi < ngã < nặng (the tone's place
 *    inside the syllable does not matter: "hoà" and "hòa" get the same key);
 *  - tertiary: lower case before upper case, then fewer leading zeros first.
 * So "an" < "ăn" < "ân" < "bàn", "do" < "đa", "ha" < "hà" < "Hà" < "hai".
 * Malformed UTF-8 counts as a word break.
 * This function can't fail. */
size_t kc_vn_sortkey(const char *s, size_t len, char *out, size_t cap);

/* Like kc_vn_sortkey() for a person's full name written family name first ("Nguyễn Văn An"):
 * the key sorts by the given name (the last word, compared at every level), then by the rest
 * of the name in order, as Vietnamese staff lists do. Same buffer rules and properties as
 * kc_vn_sortkey(). This function can't fail. */
size_t kc_vn_sortkey_person(const char *s, size_t len, char *out, size_t cap);

#endif
