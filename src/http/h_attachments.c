/* h_attachments.c: files attached to directives and tasks: the upload is the request body
 * itself (its Content-Type kept), the name comes in ?filename=. */
#include "domain/attachment.h"
#include "http/handlers.h"
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void upload(kc_req *r, const char *owner)
{
  bool bad = false;
  const char *name = kc_req_query(r, "filename", &bad);
  if (bad)
    return;
  json_t *out = NULL;
  kc_err e = kc_attachment_add(&r->ctx, r->cfg->files_dir, owner, r->id, name,
                               kc_req_header(r, "Content-Type"), r->body, r->body_len, &out);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_json(r, 201, out);
}

static void list(kc_req *r, const char *owner)
{
  json_t *items = NULL;
  kc_err e = kc_attachment_list(&r->ctx, owner, r->id, &items);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, (int64_t)json_array_size(items));
}

void kc_h_task_attachments_add(kc_req *r)
{
  upload(r, "task");
}

void kc_h_task_attachments_list(kc_req *r)
{
  list(r, "task");
}

void kc_h_directive_attachments_add(kc_req *r)
{
  upload(r, "directive");
}

void kc_h_directive_attachments_list(kc_req *r)
{
  list(r, "directive");
}

void kc_h_attachment_get(kc_req *r)
{
  json_t *rec = NULL;
  const char *path = NULL;
  kc_err e = kc_attachment_get(&r->ctx, r->cfg->files_dir, r->id, &rec, &path);
  if (e) {
    kc_req_fail(r, e);
    return;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st)) {
    if (fd >= 0)
      close(fd);
    json_decref(rec);
    kc_req_fail_msg(r, KC_EIO, NULL, "Không đọc được tệp đã lưu");
    return;
  }
  /* RFC 6266 / 5987: an ASCII fallback name and the UTF-8 name percent-encoded */
  const char *fn = json_string_value(json_object_get(rec, "filename"));
  size_t n = strlen(fn);
  char *enc = kc_arena_alloc(&r->arena, n * 3 + 1), *w = enc;
  for (const unsigned char *p = (const unsigned char *)fn; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~", *p))
      *w++ = (char)*p;
    else
      w += sprintf(w, "%%%02X", *p);
  }
  *w = 0;
  kc_req_add_header(r, "Content-Disposition",
                    kc_arena_printf(&r->arena,
                                    "attachment; filename=\"tep-%lld\"; filename*=UTF-8''%s",
                                    (long long)r->id, enc));
  r->content_type =
      kc_arena_strdup(&r->arena, json_string_value(json_object_get(rec, "content_type")));
  json_decref(rec);
  r->status = 200;
  r->fd = fd;
  r->fd_size = (uint64_t)st.st_size;
}
