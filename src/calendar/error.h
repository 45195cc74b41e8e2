/* Error codes of the calendar module. The calendar is a leaf library (libc and libm only), so it
 * keeps its own small code set; callers map it to kc_err where it enters the domain layer. */
#ifndef KC_CALENDAR_ERROR_H
#define KC_CALENDAR_ERROR_H

#if defined(__GNUC__)
#define KC_CAL_WUR __attribute__((warn_unused_result))
#else
#define KC_CAL_WUR
#endif

/* X-macro: code, Vietnamese message shown to users. */
#define KC_CAL_ERRORS(X)                                                                           \
  X(KC_CAL_OK, "thành công")                                                                       \
  X(KC_CAL_ERANGE, "ngày nằm ngoài phạm vi hỗ trợ (1900-01-01 đến 2199-12-31)")                    \
  X(KC_CAL_EINVAL, "giá trị không hợp lệ")                                                         \
  X(KC_CAL_ESYNTAX, "lỗi cú pháp trong dữ liệu lịch")                                              \
  X(KC_CAL_EDUP, "ngày bị khai báo trùng trong lịch chính thức")                                   \
  X(KC_CAL_EIO, "không đọc được tệp dữ liệu lịch")

typedef enum kc_cal_err {
#define KC_CAL_ENUM_(code, msg) code,
  KC_CAL_ERRORS(KC_CAL_ENUM_)
#undef KC_CAL_ENUM_
} kc_cal_err;

/* Returns a static Vietnamese message for `err` (never NULL; unknown codes get a generic text).
 * This function can't fail. */
const char *kc_cal_strerror(kc_cal_err err);

#endif
