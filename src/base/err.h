/* err.h: kycuong's one error type. Every fallible function returns a kc_err; library codes
 * (SQLite, libpq, MHD, errno) are translated where they enter and never passed up. */
#ifndef KC_BASE_ERR_H
#define KC_BASE_ERR_H

#define KC_WUR __attribute__((warn_unused_result))
#define KC_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* X(name, code string for APIs, default Vietnamese message) */
#define KC_ERR_LIST(X)                                                                             \
  X(KC_OK, "ok", "Thành công")                                                                     \
  X(KC_EBADREQ, "bad_request", "Yêu cầu không hợp lệ")                                             \
  X(KC_EJSON, "invalid_json", "Dữ liệu gửi lên không phải JSON hợp lệ")                            \
  X(KC_EFIELD, "invalid_field", "Giá trị không hợp lệ")                                            \
  X(KC_ETOOLARGE, "payload_too_large", "Dữ liệu gửi lên quá lớn")                                  \
  X(KC_EAUTH, "unauthorized", "Chưa đăng nhập hoặc phiên làm việc đã hết hạn")                     \
  X(KC_ECSRF, "csrf_required", "Thiếu hoặc sai mã chống giả mạo yêu cầu (X-CSRF-Token)")           \
  X(KC_EFORBIDDEN, "forbidden", "Bạn không có quyền thực hiện thao tác này")                       \
  X(KC_ENOTFOUND, "not_found", "Không tìm thấy dữ liệu yêu cầu")                                   \
  X(KC_ECONFLICT, "conflict", "Dữ liệu đã được người khác thay đổi; vui lòng tải lại rồi thử lại") \
  X(KC_ETHROTTLE, "too_many_requests", "Quá nhiều lần thử; vui lòng thử lại sau")                  \
  X(KC_EBUSY, "unavailable", "Hệ thống đang bận; vui lòng thử lại sau ít phút")                    \
  X(KC_EIO, "io_error", "Lỗi đọc/ghi dữ liệu")                                                     \
  X(KC_EINTERNAL, "internal", "Lỗi hệ thống; vui lòng báo cho quản trị viên")

typedef enum {
#define KC_X(n, c, m) n,
  KC_ERR_LIST(KC_X)
#undef KC_X
      KC_ERR__COUNT
} kc_err;

/* The machine code of an error ("not_found"). Never NULL. */
const char *kc_err_code(kc_err e);
/* The default Vietnamese message of an error. Never NULL. */
const char *kc_err_message(kc_err e);

#endif
