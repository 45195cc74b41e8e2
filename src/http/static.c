/* static.c: see static.h. */
#include "http/static.h"
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
  const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
};

static const char *type_of(const char *path)
{
  const char *dot = strrchr(path, '.');
  for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
    if (!strcmp(dot, types[i].ext))
      return types[i].type;
  return "application/octet-stream";
}

static void not_found(kc_req *r)
{
  static const char page[] = "<!doctype html><meta charset=utf-8><title>Không tìm thấy</title>"
                             "<p>Không tìm thấy trang yêu cầu. <a href=\"/\">Về trang chủ</a></p>";
  r->status = 404;
  r->content_type = "text/html; charset=utf-8";
  r->resp = (char *)page;
  r->resp_len = sizeof page - 1;
}

void kc_static_serve(kc_req *r, const char *dir, const char *inm)
{
  const char *p = r->path;
  if (!strcmp(p, "/"))
    p = "/index.html";
  /* Reject traversal and hidden files outright rather than normalising the path. */
  if (p[0] != '/' || strstr(p, "/.") || strstr(p, "..") || strchr(p, '\\') || strlen(p) > 512) {
    not_found(r);
    return;
  }
  char *full = kc_arena_printf(&r->arena, "%s%s", dir, p);
  int fd = open(full, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
    if (fd >= 0)
      close(fd);
    not_found(r);
    return;
  }
  char *etag = kc_arena_printf(&r->arena, "\"%" PRIx64 "-%" PRIx64 "\"", (uint64_t)st.st_size,
                               (uint64_t)st.st_mtime);
  kc_req_add_header(r, "ETag", etag);
  /* Revalidate every file (a 304 costs one round trip): after an upgrade a browser must not
   * mix old and new modules of the UI. */
  kc_req_add_header(r, "Cache-Control", "no-cache");
  r->content_type = type_of(p);
  if (inm && !strcmp(inm, etag)) {
    close(fd);
    r->status = 304;
    r->resp = NULL;
    r->resp_len = 0;
    return;
  }
  r->status = 200;
  r->fd = fd;
  r->fd_size = (uint64_t)st.st_size;
}
