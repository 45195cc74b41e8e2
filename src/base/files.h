/* files.h: the store of uploaded files: content-addressed (named by SHA-256 under a
 * directory, two levels of fan-out), written to a temporary name and renamed, so a reader never
 * sees half a file and two servers writing the same bytes agree. */
#ifndef KC_BASE_FILES_H
#define KC_BASE_FILES_H
#include "base/crypto.h"
#include "base/err.h"
#include <stddef.h>

/* Stores `len` bytes under dir; sha receives their SHA-256 (hex). Creates the directories it
 * needs. KC_EIO when the directory cannot be written. */
kc_err kc_files_put(const char *dir, const void *data, size_t len, char sha[KC_SHA256_HEX]) KC_WUR;
/* The path of a stored file (into buf, cap bytes). */
void kc_files_path(const char *dir, const char *sha, char *buf, size_t cap);

#endif
