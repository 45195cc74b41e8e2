/* crypto.c: libsodium wrappers. Argon2id parameters follow OWASP's minimum (m = 19 MiB,
 * t = 2, p = 1): libsodium's INTERACTIVE preset uses 64 MiB per hash, which would blow the
 * server's 64 MB RSS budget when a few logins arrive at once. */
#include "base/crypto.h"
#include <sodium.h>
#include <string.h>

#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024u * 1024u)

kc_err kc_crypto_init(void)
{
  return sodium_init() < 0 ? KC_EINTERNAL : KC_OK;
}

void kc_crypto_token(char out[KC_TOKEN_CHARS])
{
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2base64(out, KC_TOKEN_CHARS, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw, sizeof raw);
}

void kc_crypto_sha256_hex(const void *data, size_t len, char out[KC_SHA256_HEX])
{
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, data, len);
  sodium_bin2hex(out, KC_SHA256_HEX, h, sizeof h);
}

kc_err kc_crypto_pwhash(const char *password, char out[KC_PWHASH_MAX])
{
  _Static_assert(KC_PWHASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
  if (crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return KC_EINTERNAL;
  return KC_OK;
}

bool kc_crypto_pwverify(const char *stored, const char *password)
{
  return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
}

bool kc_crypto_streq(const char *a, const char *b)
{
  size_t n = strlen(a);
  if (n != strlen(b))
    return false;
  return sodium_memcmp(a, b, n) == 0;
}
