/* Unit tests for base/utf8 and base/vntext: validity, NFC, search folding, collation keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/utf8.h"
#include "base/vntext.h"

#define LEN(s) (sizeof(s) - 1)

/* ---- helpers ------------------------------------------------------------------------------ */

/* Folds `s` into a buffer the test owns; the result lives until the next call. */
static const char *fold(const char *s)
{
  static char buf[1024];
  size_t n = kc_vn_fold(s, strlen(s), buf, sizeof(buf));
  assert_true(n < sizeof(buf));
  assert_int_equal(n, strlen(buf));
  return buf;
}

/* Returns a malloc'd sort key (person key if `person`); checks both calling conventions. */
static char *key_of(const char *s, bool person)
{
  size_t len = strlen(s);
  size_t n = person ? kc_vn_sortkey_person(s, len, NULL, 0) : kc_vn_sortkey(s, len, NULL, 0);
  char *k = malloc(n + 1);
  assert_non_null(k);
  size_t m = person ? kc_vn_sortkey_person(s, len, k, n + 1) : kc_vn_sortkey(s, len, k, n + 1);
  assert_int_equal(m, n);
  assert_int_equal(strlen(k), n);
  return k;
}

static bool all_printable(const char *k)
{
  for (const unsigned char *p = (const unsigned char *)k; *p; p++)
    if (*p < 0x21 || *p > 0x7E)
      return false;
  return true;
}

/* Checks that the keys of `words` are strictly increasing, printing both sides on failure. */
static void check_order(const char *const *words, size_t n, bool person)
{
  char *prev = key_of(words[0], person);
  assert_true(all_printable(prev));
  for (size_t i = 1; i < n; i++) {
    char *k = key_of(words[i], person);
    assert_true(all_printable(k));
    if (strcmp(prev, k) >= 0) {
      print_error("order: \"%s\" [%s] should sort before \"%s\" [%s]\n", words[i - 1], prev,
                  words[i], k);
      fail();
    }
    free(prev);
    prev = k;
  }
  free(prev);
}

/* ---- UTF-8 validity ------------------------------------------------------------------------ */

static void test_utf8_valid(void **state)
{
  (void)state;
  static const struct {
    const char *s;
    size_t len;
    size_t prefix; /* expected kc_utf8_valid_prefix */
  } cases[] = {
      {"", 0, 0},
      {"abc", 3, 3},
      {"Sở Nội vụ", LEN("Sở Nội vụ"), LEN("Sở Nội vụ")},
      {"a\0b", 3, 3},             /* NUL is valid UTF-8 */
      {"\xC2\x80", 2, 2},         /* U+0080, smallest 2-byte */
      {"\xDF\xBF", 2, 2},         /* U+07FF */
      {"\xE0\xA0\x80", 3, 3},     /* U+0800, smallest 3-byte */
      {"\xED\x9F\xBF", 3, 3},     /* U+D7FF, just below the surrogates */
      {"\xEE\x80\x80", 3, 3},     /* U+E000, just above */
      {"\xEF\xBF\xBF", 3, 3},     /* U+FFFF */
      {"\xF0\x90\x80\x80", 4, 4}, /* U+10000, smallest 4-byte */
      {"\xF4\x8F\xBF\xBF", 4, 4}, /* U+10FFFF, the maximum */
      {"\xC0\x80", 2, 0},         /* overlong NUL */
      {"\xC1\xBF", 2, 0},         /* overlong U+007F */
      {"\xE0\x9F\xBF", 3, 0},     /* overlong U+07FF */
      {"\xF0\x8F\xBF\xBF", 4, 0}, /* overlong U+FFFF */
      {"\xED\xA0\x80", 3, 0},     /* U+D800 surrogate */
      {"\xED\xBF\xBF", 3, 0},     /* U+DFFF surrogate */
      {"\xF4\x90\x80\x80", 4, 0}, /* U+110000 */
      {"\xF5\x80\x80\x80", 4, 0}, /* lead byte past the range */
      {"\xFF", 1, 0},
      {"\x80", 1, 0},           /* stray continuation */
      {"ab\xE1\xBA", 4, 2},     /* truncated 3-byte at the end */
      {"ab\xF0\x9F\x98", 5, 2}, /* truncated 4-byte */
      {"\xC3", 1, 0},
      {"x\xC3(", 3, 1}, /* lead byte followed by ASCII */
      {"abc\xED\xA0\x80xyz", 9, 3},
      {"0123456789abc\xC0\xAFz", 16, 13}, /* past the 8-byte ASCII fast path */
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    size_t got = kc_utf8_valid_prefix(cases[i].s, cases[i].len);
    if (got != cases[i].prefix)
      print_error("case %zu: valid_prefix %zu, expected %zu\n", i, got, cases[i].prefix);
    assert_int_equal(got, cases[i].prefix);
    assert_int_equal(kc_utf8_valid(cases[i].s, cases[i].len), cases[i].prefix == cases[i].len);
  }
  assert_true(kc_utf8_valid(NULL, 0));
}

static void test_utf8_decode_encode(void **state)
{
  (void)state;
  size_t used;
  char buf[4];

  assert_int_equal(kc_utf8_decode("\xE1\xBB\x87", 3, &used), 0x1EC7); /* ệ */
  assert_int_equal(used, 3);
  /* Maximal subpart: E1 80 is one ill-formed unit, 'A' is read next. */
  assert_int_equal(kc_utf8_decode("\xE1\x80"
                                  "A",
                                  3, &used),
                   -1);
  assert_int_equal(used, 2);
  assert_int_equal(kc_utf8_decode("\xED\xA0\x80", 3, &used), -1);
  assert_int_equal(used, 1);

  static const uint32_t cps[] = {0,      0x41,   0x7F,   0x80,   0x111,   0x7FF,   0x800,   0x1EA0,
                                 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
  for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
    size_t n = kc_utf8_encode(cps[i], buf);
    assert_in_range(n, 1, 4);
    assert_true(kc_utf8_valid(buf, n));
    assert_int_equal(kc_utf8_decode(buf, n, &used), cps[i]);
    assert_int_equal(used, n);
  }
  assert_int_equal(kc_utf8_encode(0xD800, buf), 0);
  assert_int_equal(kc_utf8_encode(0xDFFF, buf), 0);
  assert_int_equal(kc_utf8_encode(0x110000, buf), 0);
}

static void test_utf8_clean_text(void **state)
{
  (void)state;
  assert_true(kc_utf8_is_clean_text("Hà Nội\tngày 5\r\n", LEN("Hà Nội\tngày 5\r\n")));
  assert_true(kc_utf8_is_clean_text("a\xC2\xA0"
                                    "b",
                                    4)); /* NBSP is text */
  assert_true(kc_utf8_is_clean_text("", 0));
  assert_false(kc_utf8_is_clean_text("a\0b", 3));
  assert_false(kc_utf8_is_clean_text("a\x01", 2));
  assert_false(kc_utf8_is_clean_text("\x1B[31m", 5));
  assert_false(kc_utf8_is_clean_text("a\x7F", 2));
  assert_false(kc_utf8_is_clean_text("\xC2\x85", 2)); /* C1 NEL */
  assert_false(kc_utf8_is_clean_text("\xC0\x80", 2)); /* overlong NUL is still refused */
  assert_int_equal(kc_utf8_clean_prefix("Sở\x0B", LEN("Sở\x0B")), LEN("Sở"));
  assert_int_equal(kc_utf8_clean_prefix("ok", 2), 2);
}

/* ---- NFC ----------------------------------------------------------------------------------- */

static void test_nfc(void **state)
{
  (void)state;
  static const struct {
    const char *in, *out;
  } cases[] = {
      {"S"
       "o\xCC\x9B\xCC\x89"
       " N"
       "o\xCC\x82\xCC\xA3"
       "i v"
       "u\xCC\xA3",
       "Sở Nội vụ"},              /* NFD */
      {"\xC3\xAA\xCC\x81", "ế"},  /* precomposed ê + combining acute (Windows-1258) */
      {"a\xCC\xA3\xCC\x86", "ặ"}, /* dot below before breve: canonical order */
      {"a\xCC\x86\xCC\xA3", "ặ"}, /* and the other way round */
      {"o\xCD\x80", "ò"},         /* U+0340, deprecated grave tone mark */
      {"hoà", "hoà"},             /* tone placement is kept as typed */
      {"thuỷ", "thuỷ"},
      {"\xC3\x90inh", "\xC3\x90inh"}, /* the Ð look-alike is kept in stored text */
      {"plain ASCII", "plain ASCII"},
      {"", ""},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    size_t n = 12345;
    char *got = kc_vn_nfc(cases[i].in, strlen(cases[i].in), &n);
    assert_non_null(got);
    assert_string_equal(got, cases[i].out);
    assert_int_equal(n, strlen(cases[i].out));
    free(got);
  }
  size_t n = 99;
  assert_null(kc_vn_nfc("ab\xC0\x80", 4, &n));
  assert_int_equal(n, 99);
  assert_null(kc_vn_nfc("\xED\xA0\x80", 3, NULL));

  /* Embedded NUL passes through: the length, not strlen, says where the text ends. */
  char *z = kc_vn_nfc("e\xCC\x81\0x", 5, &n);
  assert_non_null(z);
  assert_int_equal(n, 4);
  assert_memory_equal(z, "\xC3\xA9\0x", 4);
  free(z);
}

/* ---- Vietnamese letters -------------------------------------------------------------------- */

/* Every Vietnamese vowel: its base letter, the mark that makes it a letter of its own (0 for
 * none), and its fold. */
static const struct {
  char base;
  uint32_t modifier;
} vowels[] = {
    {'a', 0}, {'a', 0x0306}, {'a', 0x0302}, {'e', 0}, {'e', 0x0302}, {'i', 0},
    {'o', 0}, {'o', 0x0302}, {'o', 0x031B}, {'u', 0}, {'u', 0x031B}, {'y', 0},
};
/* Tones in collation order: none, huyền, sắc, hỏi, ngã, nặng. */
static const uint32_t tones[] = {0, 0x0300, 0x0301, 0x0309, 0x0303, 0x0323};

/* The same 72 lower-case vowels written out by hand, row by row as in `vowels` x `tones`. */
static const char *const vowels_nfc = "aàáảãạ"
                                      "ăằắẳẵặ"
                                      "âầấẩẫậ"
                                      "eèéẻẽẹ"
                                      "êềếểễệ"
                                      "iìíỉĩị"
                                      "oòóỏõọ"
                                      "ôồốổỗộ"
                                      "ơờớởỡợ"
                                      "uùúủũụ"
                                      "ưừứửữự"
                                      "yỳýỷỹỵ";

/* Builds the NFD form base [modifier] [tone]. */
static size_t make_nfd(char *buf, char base, uint32_t modifier, uint32_t tone)
{
  size_t n = 0;
  buf[n++] = base;
  if (modifier)
    n += kc_utf8_encode(modifier, buf + n);
  if (tone)
    n += kc_utf8_encode(tone, buf + n);
  buf[n] = '\0';
  return n;
}

static void test_vowels_fold_and_compose(void **state)
{
  (void)state;
  const char *hand = vowels_nfc;
  size_t with_diacritic = 0;

  for (size_t v = 0; v < sizeof(vowels) / sizeof(vowels[0]); v++) {
    for (size_t t = 0; t < sizeof(tones) / sizeof(tones[0]); t++) {
      for (int upper = 0; upper < 2; upper++) {
        char nfd[16], expect[2] = {vowels[v].base, 0};
        char base = upper ? (char)(vowels[v].base - 32) : vowels[v].base;
        size_t n = make_nfd(nfd, base, vowels[v].modifier, tones[t]);
        size_t nfc_len, used;
        char *nfc = kc_vn_nfc(nfd, n, &nfc_len);

        /* NFC must give one precomposed letter, equal to the hand-written one. */
        assert_non_null(nfc);
        int32_t cp = kc_utf8_decode(nfc, nfc_len, &used);
        assert_int_equal(used, nfc_len);
        if (!upper) {
          size_t hand_used;
          int32_t hand_cp = kc_utf8_decode(hand, strlen(hand), &hand_used);
          if (cp != hand_cp)
            print_error("vowel %zu tone %zu: NFC U+%04X, table U+%04X\n", v, t, (unsigned)cp,
                        (unsigned)hand_cp);
          assert_int_equal(cp, hand_cp);
          assert_memory_equal(nfc, hand, hand_used);
          hand += hand_used;
        }
        if (vowels[v].modifier || tones[t])
          with_diacritic++;
        /* Both forms fold to the bare lower-case letter. */
        assert_string_equal(fold(nfd), expect);
        assert_string_equal(fold(nfc), expect);
        /* NFC and NFD give the same sort key. */
        char *k1 = key_of(nfd, false), *k2 = key_of(nfc, false);
        assert_string_equal(k1, k2);
        free(k1);
        free(k2);
        free(nfc);
      }
    }
  }
  assert_string_equal(hand, "");
  /* With đ and Đ: the 134 letters with diacritics of the Vietnamese alphabet. */
  assert_string_equal(fold("đ"), "d");
  assert_string_equal(fold("Đ"), "d");
  with_diacritic += 2;
  assert_int_equal(with_diacritic, 134);
}

/* Within one vowel: tones sort none < huyền < sắc < hỏi < ngã < nặng, and lower before upper
 * case; across vowels: a < ă < â < e < ê < i < o < ô < ơ < u < ư < y, whatever the tone. */
static void test_vowels_order(void **state)
{
  (void)state;
  char *prev = NULL;
  char prev_s[16] = "";

  for (size_t v = 0; v < sizeof(vowels) / sizeof(vowels[0]); v++) {
    for (size_t t = 0; t < sizeof(tones) / sizeof(tones[0]); t++) {
      for (int upper = 0; upper < 2; upper++) {
        char s[16];
        char base = upper ? (char)(vowels[v].base - 32) : vowels[v].base;
        make_nfd(s, base, vowels[v].modifier, tones[t]);
        char *k = key_of(s, false);
        if (prev != NULL && strcmp(prev, k) >= 0) {
          print_error("\"%s\" [%s] !< \"%s\" [%s]\n", prev_s, prev, s, k);
          fail();
        }
        free(prev);
        prev = k;
        strcpy(prev_s, s);
      }
    }
  }
  free(prev);
}

/* ---- Search folding ------------------------------------------------------------------------ */

static void test_fold(void **state)
{
  (void)state;
  static const struct {
    const char *in, *out;
  } cases[] = {
      {"SỞ NỘI VỤ", "so noi vu"},
      {"Sở Nội vụ", "so noi vu"},
      {"so noi vu", "so noi vu"},
      {"S"
       "o\xCC\x9B\xCC\x89"
       " N"
       "o\xCC\x82\xCC\xA3"
       "i v"
       "u\xCC\xA3",
       "so noi vu"},
      {"\xC3\x90inh", "dinh"}, /* Ð U+00D0 look-alike */
      {"\xC3\xB0inh", "dinh"}, /* ð U+00F0 */
      {"\xC6\x89inh", "dinh"}, /* Ɖ U+0189 */
      {"Đinh Tiên Hoàng", "dinh tien hoang"},
      {"đường", "duong"},
      {"  Sở   Nội\t\nvụ !!! ", "so noi vu"},
      {"Số: 69/KH-UBND", "so 69 kh ubnd"},
      {"UBND Thành phố Hà Nội", "ubnd thanh pho ha noi"},
      {"Hà\xC2\xADNội", "hanoi"},     /* soft hyphen: inside a word, dropped */
      {"Hà\xC2\xA0Nội", "ha noi"},    /* NBSP: a space */
      {"Hà\xE2\x80\x8BNội", "hanoi"}, /* zero-width space is default-ignorable */
      {"ＨÀ　ＮỘＩ", "ha noi"},       /* fullwidth forms and ideographic space */
      {"ﬁle", "file"},                /* ligature */
      {"Straße", "strasse"},
      {"Müller Ñoño Ça", "muller nono ca"},
      {"Ελληνικά", "ελληνικα"},
      {"Москва", "москва"},
      {"北京", "北京"},
      {"x\xFF"
       "y",
       "x y"}, /* malformed byte: a space */
      {"\xCC\x81"
       "a",
       "a"}, /* a mark with no base is dropped */
      {"...", ""},
      {"", ""},
      {"1.234.567,5 đồng", "1 234 567 5 dong"},
      {"thuỷ thủy THUỶ", "thuy thuy thuy"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *got = fold(cases[i].in);
    if (strcmp(got, cases[i].out) != 0)
      print_error("fold(\"%s\") = \"%s\", expected \"%s\"\n", cases[i].in, got, cases[i].out);
    assert_string_equal(got, cases[i].out);
    /* Folding is idempotent. */
    char again[1024];
    kc_vn_fold(got, strlen(got), again, sizeof(again));
    assert_string_equal(again, got);
  }
}

/* Old and new tone placement ("hoà"/"hòa") find each other; stored text is not rewritten. */
static void test_tone_placement(void **state)
{
  (void)state;
  static const char *const pairs[][2] = {
      {"hoà", "hòa"},         {"thuỷ", "thủy"},           {"khoẻ", "khỏe"},
      {"Hoá học", "Hóa học"}, {"Thanh Hoá", "Thanh Hóa"}, {"Quận Hoàn Kiếm", "Quận Hoàn Kiếm"},
  };
  for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
    char a[64];
    strcpy(a, fold(pairs[i][0]));
    assert_string_equal(a, fold(pairs[i][1]));
    assert_true(kc_vn_fold_contains(a, fold(pairs[i][1])));
    /* Same sort key: the tone belongs to the syllable, not to a letter. */
    char *k1 = key_of(pairs[i][0], false), *k2 = key_of(pairs[i][1], false);
    assert_string_equal(k1, k2);
    free(k1);
    free(k2);
    /* NFC keeps what was typed. */
    char *n = kc_vn_nfc(pairs[i][0], strlen(pairs[i][0]), NULL);
    assert_string_equal(n, pairs[i][0]);
    free(n);
  }
  /* A tone still matters: hòa and hóa are different words, sorted apart. */
  char *k1 = key_of("hòa", false), *k2 = key_of("hóa", false);
  assert_true(strcmp(k1, k2) < 0);
  free(k1);
  free(k2);
}

static void test_fold_small_buffer(void **state)
{
  (void)state;
  const char *s = "Sở Nội vụ";
  char buf[16];

  assert_int_equal(kc_vn_fold(s, strlen(s), NULL, 0), 9);
  memset(buf, 'X', sizeof(buf));
  assert_int_equal(kc_vn_fold(s, strlen(s), buf, 1), 9);
  assert_string_equal(buf, "");
  memset(buf, 'X', sizeof(buf));
  assert_int_equal(kc_vn_fold(s, strlen(s), buf, 5), 9);
  assert_string_equal(buf, "so n");
  assert_int_equal(buf[5], 'X'); /* nothing written past cap */
  assert_int_equal(kc_vn_fold(s, strlen(s), buf, 9), 9);
  assert_string_equal(buf, "so noi v");
  assert_int_equal(kc_vn_fold(s, strlen(s), buf, 10), 9);
  assert_string_equal(buf, "so noi vu");

  /* Multi-byte output is never cut inside a character. */
  assert_int_equal(kc_vn_fold("北京", LEN("北京"), buf, 6), 6);
  assert_string_equal(buf, "北");
  assert_int_equal(kc_vn_fold("北京", LEN("北京"), buf, 3), 6);
  assert_string_equal(buf, "");

  /* Sort keys: the same rules; a truncated key is a prefix of the full one. */
  char *full = key_of("Nguyễn Văn An", false);
  size_t n = strlen(full);
  for (size_t cap = 1; cap <= n + 1; cap++) {
    memset(buf, 'X', sizeof(buf));
    char *part = malloc(cap + 1);
    part[cap] = 'X';
    assert_int_equal(kc_vn_sortkey("Nguyễn Văn An", LEN("Nguyễn Văn An"), part, cap), n);
    assert_int_equal(strlen(part), cap - 1 < n ? cap - 1 : n);
    assert_memory_equal(part, full, strlen(part));
    assert_int_equal(part[cap], 'X');
    free(part);
  }
  free(full);
}

static void test_fold_contains(void **state)
{
  (void)state;
  char hay[64];
  strcpy(hay, fold("Sở Nội vụ Thành phố Hà Nội"));

  assert_true(kc_vn_fold_contains(hay, fold("nội vụ")));
  assert_true(kc_vn_fold_contains(hay, fold("NOI V")));
  assert_true(kc_vn_fold_contains(hay, fold("sở")));
  assert_true(kc_vn_fold_contains(hay, fold("ha noi")));
  assert_true(kc_vn_fold_contains(hay, fold("thanh ph")));
  assert_true(kc_vn_fold_contains(hay, ""));
  assert_false(kc_vn_fold_contains(hay, "oi"));    /* not at a word start */
  assert_false(kc_vn_fold_contains(hay, "vu ha")); /* words must be consecutive */
  assert_false(kc_vn_fold_contains(hay, fold("Hà Nội mới")));
  assert_false(kc_vn_fold_contains("", "a"));
}

static void test_fold_words(void **state)
{
  (void)state;
  const char *f = "so noi vu ha noi";
  kc_vn_word w[8];

  assert_int_equal(kc_vn_fold_words(f, strlen(f), w, 8), 5);
  assert_int_equal(w[0].len, 2);
  assert_memory_equal(w[0].s, "so", 2);
  assert_int_equal(w[4].len, 3);
  assert_memory_equal(w[4].s, "noi", 3);
  assert_ptr_equal(w[4].s, f + 13);
  assert_int_equal(kc_vn_fold_words(f, strlen(f), w, 2), 5); /* counts beyond cap */
  assert_memory_equal(w[1].s, "noi", 3);
  assert_int_equal(kc_vn_fold_words(f, strlen(f), NULL, 0), 5);
  assert_int_equal(kc_vn_fold_words("", 0, w, 8), 0);
  assert_int_equal(kc_vn_fold_words("  a  bc ", 8, w, 8), 2); /* tolerant of stray spaces */
  assert_int_equal(w[1].len, 2);
}

/* ---- Collation ----------------------------------------------------------------------------- */

static int cmp_str_ptr(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_sort_order(void **state)
{
  (void)state;
  /* Written by hand in Vietnamese dictionary order (multi-level: letters of the whole
   * string first, then tones word by word, then case). */
  static const char *const words[] = {
      "2 Tràng Tiền",
      "10 Lý Thường Kiệt",
      "a",
      "à",
      "á",
      "ả",
      "ã",
      "ạ",
      "an",
      "anh",
      "ăn",
      "ân",
      "ba",
      "bà",
      "ba ba",
      "bà ba",
      "bác",
      "bàn",
      "Bắc Ninh",
      "bầu",
      "cá",
      "chè",
      "cờ",
      "do",
      "dương",
      "đa",
      "đá",
      "Đà Nẵng",
      "Đinh",
      "e",
      "em",
      "ê",
      "êm",
      "Ha",
      "hà",
      "Hà",
      "hạ",
      "Hà Nội",
      "hai",
      "Hải Phòng",
      "o",
      "ô",
      "ông",
      "ơ",
      "ở",
      "ơn",
      "Phường 7",
      "Phường 007",
      "Phường 10",
      "quan",
      "Quận 2",
      "Quận 10",
      "quý",
      "u",
      "ư",
      "ưu",
      "Xuân",
      "y",
      "yến",
      "Zing",
  };
  check_order(words, sizeof(words) / sizeof(words[0]), false);

  /* Sorting a shuffled copy with strcmp on the keys restores the order. */
  size_t n = sizeof(words) / sizeof(words[0]);
  char **keys = calloc(n, sizeof(*keys));
  assert_non_null(keys);
  for (size_t i = 0; i < n; i++)
    keys[i] = key_of(words[i], false);
  uint32_t seed = 12345;
  for (size_t i = n - 1; i > 0; i--) {
    seed = seed * 1103515245u + 12345u;
    size_t j = (seed >> 8) % (i + 1);
    char *tmp = keys[i];
    keys[i] = keys[j];
    keys[j] = tmp;
  }
  qsort(keys, n, sizeof(*keys), cmp_str_ptr);
  for (size_t i = 0; i < n; i++) {
    char *k = key_of(words[i], false);
    assert_string_equal(keys[i], k);
    free(k);
    free(keys[i]);
  }
  free(keys);
}

/* Case and form differences stay out of the primary and secondary levels. */
static void test_sort_levels(void **state)
{
  (void)state;
  char *a = key_of("SỞ NỘI VỤ", false), *b = key_of("sở nội vụ", false);
  char *c = key_of("  Sở -- Nội, vụ.", false), *d = key_of("Sơ Nôi Vu", false);
  size_t ta = strrchr(a, '!') - a; /* start of the tertiary level */

  assert_int_equal(ta, (size_t)(strrchr(b, '!') - b));
  assert_memory_equal(a, b, ta);                 /* equal up to case */
  assert_true(strcmp(b, a) < 0);                 /* lower case first */
  assert_memory_equal(c, b, strchr(b, '!') - b); /* punctuation runs are one break */
  assert_memory_equal(d, b, strchr(b, '!') - b); /* same letters: same primary */
  assert_true(strcmp(d, b) < 0);                 /* no tones before tones */
  free(a);
  free(b);
  free(c);
  free(d);

  /* Look-alikes and NFD give identical keys. */
  a = key_of("\xC3\x90inh", false);
  b = key_of("Đinh", false);
  assert_string_equal(a, b);
  free(a);
  free(b);
  a = key_of("S"
             "o\xCC\x9B\xCC\x89",
             false);
  b = key_of("Sở", false);
  assert_string_equal(a, b);
  free(a);
  free(b);

  /* Empty and punctuation-only strings sort first. */
  static const char *const first[] = {"", "0", "00", "1", "a"};
  check_order(first, sizeof(first) / sizeof(first[0]), false);
  a = key_of("...", false);
  b = key_of("", false);
  assert_string_equal(a, b);
  free(a);
  free(b);

  /* Other scripts after z, by code point; long numbers still compare. */
  static const char *const more[] = {
      "9",
      "123456789012345678901234567890",
      "1234567890123456789012345678901",
      "zz",
      "Ωmega",
      "Москва",
      "北京",
  };
  check_order(more, sizeof(more) / sizeof(more[0]), false);
}

static void test_sort_person(void **state)
{
  (void)state;
  static const char *const people[] = {
      "Nguyễn Văn An",   "Trần Thị An",   "Lê Văn Án",       "Phạm Anh",         "Hoàng Văn Bình",
      "Nguyễn Thị Bình", "Trần Thị Bình", "Đỗ Văn Dũng",     "Nguyễn Đức",       "Minh",
      "Lê Minh",         "Lê Văn Minh",   "Tôn Nữ Thị Ninh", "Vũ Thị Thu Trang",
  };
  check_order(people, sizeof(people) / sizeof(people[0]), true);

  /* The plain key orders by family name instead. */
  char *a = key_of("Nguyễn Văn An", false), *b = key_of("Lê Văn Minh", false);
  assert_true(strcmp(b, a) < 0);
  free(a);
  free(b);

  /* Spacing and trailing punctuation do not change the given name. */
  a = key_of("  Nguyễn   Văn An . ", true);
  b = key_of("Nguyễn Văn An", true);
  assert_string_equal(a, b);
  free(a);
  free(b);
}

/* Keys are printable ASCII and fold output is valid UTF-8 whatever the input, and neither
 * function reads or writes out of bounds (run under ASan/valgrind). */
static void test_properties_random(void **state)
{
  (void)state;
  static const uint32_t pool[] = {
      'a',    'Z',    '0',     '9',    ' ',    '-',      0x0300, 0x0301, 0x0302,
      0x0303, 0x0306, 0x0309,  0x031B, 0x0323, 0x0344,   0x00AD, 0x00D0, 0x0110,
      0x0111, 0x1EA0, 0x1EF9,  0x00DF, 0xFB01, 0xFDFA,   0x3000, 0xFF21, 0xFF11,
      0x4E2D, 0x0391, 0x1F600, 0x200D, 0xFEFF, 0x10FFFF, 0xAC00,
  };
  uint32_t seed = 42;
  char in[256], out[1024];

  for (int iter = 0; iter < 3000; iter++) {
    size_t n = 0;
    seed = seed * 1103515245u + 12345u;
    size_t count = (seed >> 16) % 24;
    for (size_t i = 0; i < count; i++) {
      seed = seed * 1103515245u + 12345u;
      if ((seed >> 24) < 16) {
        in[n++] = (char)(seed >> 8); /* random byte: often malformed */
      } else {
        uint32_t cp = pool[(seed >> 8) % (sizeof(pool) / sizeof(pool[0]))];
        n += kc_utf8_encode(cp, in + n);
      }
    }
    size_t f = kc_vn_fold(in, n, out, sizeof(out));
    assert_true(f < sizeof(out));
    assert_true(kc_utf8_valid(out, f));
    assert_true(f == 0 || (out[0] != ' ' && out[f - 1] != ' '));
    assert_null(strstr(out, "  "));
    size_t k = kc_vn_sortkey(in, n, out, sizeof(out));
    assert_true(k < sizeof(out));
    assert_true(all_printable(out));
    k = kc_vn_sortkey_person(in, n, out, sizeof(out));
    assert_true(k < sizeof(out));
    assert_true(all_printable(out));
    char *nfc = kc_vn_nfc(in, n, NULL);
    assert_true((nfc != NULL) == kc_utf8_valid(in, n));
    free(nfc);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_utf8_valid),
      cmocka_unit_test(test_utf8_decode_encode),
      cmocka_unit_test(test_utf8_clean_text),
      cmocka_unit_test(test_nfc),
      cmocka_unit_test(test_vowels_fold_and_compose),
      cmocka_unit_test(test_vowels_order),
      cmocka_unit_test(test_fold),
      cmocka_unit_test(test_tone_placement),
      cmocka_unit_test(test_fold_small_buffer),
      cmocka_unit_test(test_fold_contains),
      cmocka_unit_test(test_fold_words),
      cmocka_unit_test(test_sort_order),
      cmocka_unit_test(test_sort_levels),
      cmocka_unit_test(test_sort_person),
      cmocka_unit_test(test_properties_random),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
