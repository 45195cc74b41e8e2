/* static.h: serving the web UI's files from a directory. */
#ifndef KC_HTTP_STATIC_H
#define KC_HTTP_STATIC_H
#include "http/req.h"

/* Answers GET r->path from dir: "/" is index.html; paths with "..", hidden files or
 * non-regular files are 404. Sets an ETag (size and mtime) and answers 304 when it matches
 * if_none_match. Every file is revalidated on each load (no-cache). */
void kc_static_serve(kc_req *r, const char *dir, const char *if_none_match);

#endif
