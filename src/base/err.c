/* err.c: strings of kc_err, kept in step with the enum by the X-macro in err.h. */
#include "base/err.h"

static const char *const codes[] = {
#define KC_X(n, c, m) c,
    KC_ERR_LIST(KC_X)
#undef KC_X
};
static const char *const messages[] = {
#define KC_X(n, c, m) m,
    KC_ERR_LIST(KC_X)
#undef KC_X
};

const char *kc_err_code(kc_err e)
{
  return (unsigned)e < KC_ERR__COUNT ? codes[e] : "internal";
}

const char *kc_err_message(kc_err e)
{
  return (unsigned)e < KC_ERR__COUNT ? messages[e] : messages[KC_EINTERNAL];
}
