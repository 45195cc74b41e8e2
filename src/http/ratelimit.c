/* ratelimit.c: fixed one-minute windows per address hash in a small table with striped locks
 * (see ratelimit.h). Two addresses that share a slot share a count, which can only make the
 * limit stricter for them; the table never grows, so a flood of addresses costs no memory. */
#include "http/ratelimit.h"
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define SLOTS 8192
#define STRIPES 64

typedef struct slot {
  uint64_t key;
  int64_t minute;
  int count;
} slot;

static slot slots[SLOTS];
static pthread_mutex_t locks[STRIPES];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_locks(void)
{
  for (int i = 0; i < STRIPES; i++)
    pthread_mutex_init(&locks[i], NULL);
}

static uint64_t fnv1a(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h ? h : 1;
}

bool kc_ratelimit_take(const char *addr, int per_minute, int *retry_after)
{
  if (per_minute <= 0)
    return true;
  pthread_once(&once, init_locks);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t minute = ts.tv_sec / 60;
  uint64_t key = fnv1a(addr ? addr : "");
  size_t i = key % SLOTS;
  pthread_mutex_t *m = &locks[i % STRIPES];
  pthread_mutex_lock(m);
  slot *s = &slots[i];
  if (s->key != key || s->minute != minute) {
    s->key = key;
    s->minute = minute;
    s->count = 0;
  }
  bool ok = s->count < per_minute;
  if (ok)
    s->count++;
  pthread_mutex_unlock(m);
  if (!ok)
    *retry_after = (int)(60 - ts.tv_sec % 60);
  return ok;
}
