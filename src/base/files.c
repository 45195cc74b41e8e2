/* files.c: see files.h. */
#include "base/files.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void kc_files_path(const char *dir, const char *sha, char *buf, size_t cap)
{
  snprintf(buf, cap, "%s/%.2s/%.2s/%s", dir, sha, sha + 2, sha);
}

static int mkdirs(char *path)
{
  for (char *p = path + 1; *p; p++)
    if (*p == '/') {
      *p = 0;
      if (mkdir(path, 0750) && errno != EEXIST)
        return -1;
      *p = '/';
    }
  return mkdir(path, 0750) && errno != EEXIST ? -1 : 0;
}

kc_err kc_files_put(const char *dir, const void *data, size_t len, char sha[KC_SHA256_HEX])
{
  kc_crypto_sha256_hex(data, len, sha);
  char path[4096], tmp[4200];
  kc_files_path(dir, sha, path, sizeof path);
  if (!access(path, R_OK))
    return KC_OK; /* the same bytes are there already */
  char parent[4096];
  snprintf(parent, sizeof parent, "%s", path);
  *strrchr(parent, '/') = 0;
  if (mkdirs(parent))
    return KC_EIO;
  snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0)
    return KC_EIO;
  const char *p = data;
  size_t left = len;
  while (left) {
    ssize_t w = write(fd, p, left);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      close(fd);
      unlink(tmp);
      return KC_EIO;
    }
    p += w;
    left -= (size_t)w;
  }
  if (fsync(fd) || close(fd) || rename(tmp, path)) {
    unlink(tmp);
    return KC_EIO;
  }
  return KC_OK;
}
