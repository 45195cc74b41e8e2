/* Messages for kc_cal_err, kept beside the codes by the X-macro in error.h. */
#include "calendar/error.h"

const char *kc_cal_strerror(kc_cal_err err)
{
  switch (err) {
#define KC_CAL_CASE_(code, msg)                                                                    \
  case code: return msg;
    KC_CAL_ERRORS(KC_CAL_CASE_)
#undef KC_CAL_CASE_
  }
  return "lỗi không xác định";
}
