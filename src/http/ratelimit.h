/* ratelimit.h: a per-client-address limit on requests per minute, for the public endpoints
 * that anyone can call (the dossier status lookup). Counts live in this process: behind
 * several servers each applies the limit on its own, and nginx's limit_req (deploy/) is the
 * fleet-wide one. */
#ifndef KC_HTTP_RATELIMIT_H
#define KC_HTTP_RATELIMIT_H
#include <stdbool.h>

/* Takes one request for addr against a limit of per_minute (0: unlimited) in the current
 * wall-clock minute. False when over the limit, with *retry_after the seconds to wait. */
bool kc_ratelimit_take(const char *addr, int per_minute, int *retry_after);

#endif
