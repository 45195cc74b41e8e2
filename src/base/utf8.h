/* utf8: strict UTF-8 validation, decoding and encoding.
 * Everything that enters the server as text is checked here first; see docs/internals/vntext.md. */
#ifndef KC_BASE_UTF8_H
#define KC_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest Unicode scalar value. */
#define KC_UTF8_MAX_CP 0x10FFFF

/* Returns true if the `len` bytes at `s` are well-formed UTF-8 in the strict sense of
 * Unicode 15, table 3-7: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
 * U+10FFFF, no truncated sequence at the end. NUL bytes are valid UTF-8 (use
 * kc_utf8_is_clean_text() to refuse them). `s` may be NULL when `len` is 0.
 * This function can't fail. */
bool kc_utf8_valid(const char *s, size_t len);

/* Same check as kc_utf8_valid(), reporting where it stops: returns the length of the longest
 * well-formed prefix of `s`, which is the byte offset of the first bad sequence, or `len` when
 * the whole input is valid. This function can't fail. */
size_t kc_utf8_valid_prefix(const char *s, size_t len);

/* Returns true if `s` is valid UTF-8 (as kc_utf8_valid()) and holds no control character
 * other than TAB, LF and CR: no NUL, no other C0 control (U+0001..U+001F), no DEL (U+007F),
 * no C1 control (U+0080..U+009F; these show up in mis-decoded Windows-1252/1258 text).
 * Use it on every free-text field a client sends. This function can't fail. */
bool kc_utf8_is_clean_text(const char *s, size_t len);

/* Same check as kc_utf8_is_clean_text(), returning the byte offset of the first offending
 * sequence or control character, or `len` when the text is clean. This function can't fail. */
size_t kc_utf8_clean_prefix(const char *s, size_t len);

/* Decodes the code point that starts at `s` (`len` > 0 bytes available) and stores the number
 * of bytes it used in `*used`. On a malformed sequence returns -1 and sets `*used` to the
 * length of the maximal ill-formed subpart (at least 1), so callers that skip it resynchronise
 * the way the Unicode standard recommends (one U+FFFD per subpart). This function can't fail. */
int32_t kc_utf8_decode(const char *s, size_t len, size_t *used);

/* Writes the UTF-8 form of `cp` into `out` (room for 4 bytes) and returns its length (1..4),
 * or 0 if `cp` is a surrogate or above U+10FFFF (nothing is written then). */
size_t kc_utf8_encode(uint32_t cp, char out[4]);

#endif
