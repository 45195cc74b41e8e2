/* crypto.h: the few cryptographic operations kycuong needs, all from libsodium: random
 * tokens, SHA-256 (audit chain, token storage) and argon2id password hashes. */
#ifndef KC_BASE_CRYPTO_H
#define KC_BASE_CRYPTO_H
#include "base/err.h"
#include <stdbool.h>
#include <stddef.h>

#define KC_SHA256_HEX 65  /* 64 hex digits + NUL */
#define KC_TOKEN_CHARS 44 /* base64url of 32 random bytes, without padding, + NUL */
#define KC_PWHASH_MAX 128

/* Initialises libsodium. Call once at start-up; fails only if the library cannot start. */
kc_err kc_crypto_init(void) KC_WUR;
/* Fills out with a fresh random token: 32 bytes from the OS CSPRNG, base64url, NUL-terminated. */
void kc_crypto_token(char out[KC_TOKEN_CHARS]);
/* SHA-256 of data as lowercase hex, NUL-terminated. */
void kc_crypto_sha256_hex(const void *data, size_t len, char out[KC_SHA256_HEX]);
/* argon2id hash of a password in libsodium's self-describing string form. KC_EINTERNAL if
 * the hash could not be computed (out of memory). */
kc_err kc_crypto_pwhash(const char *password, char out[KC_PWHASH_MAX]) KC_WUR;
/* True when password matches the stored hash. Constant time in the password. */
bool kc_crypto_pwverify(const char *stored, const char *password);
/* Constant-time comparison of two equal-length strings; false when lengths differ. */
bool kc_crypto_streq(const char *a, const char *b);

#endif
