/* h_attachments.c: files attached to directives and tasks: the upload is the request body
 * itself (its Content-Type kept), the name comes in ?filename=. */
#include "domain/core/attachment.h"
#include "http/handlers.h"
#include <string.h>

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
  const char *fallback = kc_arena_printf(&r->arena, "tep-%lld", (long long)r->id);
  kc_req_send_file(r, path, json_string_value(json_object_get(rec, "filename")), fallback,
                   json_string_value(json_object_get(rec, "content_type")));
  json_decref(rec);
}
