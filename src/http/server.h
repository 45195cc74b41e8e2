/* server.h: the HTTP server: libmicrohttpd with epoll and a pool of one thread per core,
 * each thread with its own database connection. */
#ifndef KC_HTTP_SERVER_H
#define KC_HTTP_SERVER_H
#include "base/config.h"
#include "store/store.h"

typedef struct kc_server kc_server;

/* Starts listening on cfg->listen. The server keeps pointers to cfg and db, which must
 * outlive it. On error *out is NULL and a message was logged. */
kc_err kc_server_start(const kc_config *cfg, kc_db *db, kc_server **out) KC_WUR;
/* Stops accepting, finishes running requests, closes the threads' connections, frees. */
void kc_server_stop(kc_server *s);
/* The port actually bound (useful with port 0). */
int kc_server_port(const kc_server *s);
/* The server's working-day calendar cache, shared with the scheduler thread. */
struct kc_workcal_cache *kc_server_workcal(kc_server *s);

#endif
