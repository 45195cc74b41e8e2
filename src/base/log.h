/* log.h: one-line log records on stderr, with level and local time (UTC+7). */
#ifndef KC_BASE_LOG_H
#define KC_BASE_LOG_H
#include "base/err.h"

typedef enum { KC_LOG_DEBUG, KC_LOG_INFO, KC_LOG_WARN, KC_LOG_ERROR } kc_log_level;

/* Sets the lowest level written (default INFO). Call at start-up only. */
void kc_log_set_level(kc_log_level lvl);
void kc_log(kc_log_level lvl, const char *fmt, ...) KC_PRINTF(2, 3);

#define kc_log_info(...) kc_log(KC_LOG_INFO, __VA_ARGS__)
#define kc_log_warn(...) kc_log(KC_LOG_WARN, __VA_ARGS__)
#define kc_log_error(...) kc_log(KC_LOG_ERROR, __VA_ARGS__)
#define kc_log_debug(...) kc_log(KC_LOG_DEBUG, __VA_ARGS__)

#endif
