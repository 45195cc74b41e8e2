/* slips.h: the one-stop shop's printed slips (Circular 01/2018/TT-VPCP forms 01–05, or the
 * forms the dossier's rule names), each rendered from a dossier's JSON record (no dossier
 * API exists yet: the shape is the one of tests/unit/report/dossier.json, any member of which
 * may be null or missing) into a PDF in memory with the template of pdf_doc.h. Missing or null
 * fields print as the dotted blanks of a paper form, never as "(null)". Form numbers and titles
 * come from dossier.rule.forms.<slip> when present; the form note reads "Mẫu số NN
 * (<rule.basis>)". The header is unit.parent_name over unit.name. */
#ifndef KC_REPORT_SLIPS_H
#define KC_REPORT_SLIPS_H
#include "base/err.h"
#include <jansson.h>
#include <stddef.h>

/* Optional settings of a slip; pass NULL for all defaults. */
typedef struct kc_slip_opts {
  const char *place;        /* place before the date: "Hà Nội" when NULL */
  const char *date;         /* ISO 8601 date or timestamp of issue, for the slips whose event
                               has no date of its own (refusal, control); else the dossier's
                               closed_at, else dotted blanks */
  const char *signer_title; /* signer of the supplement, refusal and apology slips: "TM. BỘ
                               PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" when NULL */
  const char *signer_name;  /* instead of the name the dossier records for that act */
} kc_slip_opts;

/* Every function below renders one slip into a malloc'd PDF (*out, *len bytes; you free
 * *out). On error *out and *len are untouched: KC_EFIELD when `dossier` is not an object (or
 * the status URL cannot be a QR code), KC_ENOTFOUND when the supplement or apology `seq` does
 * not exist, KC_EINTERNAL when rendering fails. They only read `dossier`. */

/* "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" (form 01), dated received_at: dossier code,
 * receiving official, applicant, procedure, the components received (a table), processing
 * time, times of receipt and of the appointment, channel; a QR code of exactly `status_url`
 * (NULL: none) with the URL printed under it; signatures of "NGƯỜI NỘP HỒ SƠ" (the applicant)
 * and "NGƯỜI TIẾP NHẬN" (received_by_name). */
kc_err kc_slip_receipt(const json_t *dossier, const char *status_url, const kc_slip_opts *opts,
                       char **out, size_t *len) KC_WUR;

/* "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" (form 02) for supplements[] with this seq, dated
 * its requested_at: addressee, procedure, receipt date, the items to supply, the reason, the
 * note that the time taken does not count against the deadline; signed by requested_by_name. */
kc_err kc_slip_supplement(const json_t *dossier, int seq, const kc_slip_opts *opts, char **out,
                          size_t *len) KC_WUR;

/* "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" (form 03), dated opts->date: addressee,
 * procedure, the reasons (close_reason); signed by received_by_name. */
kc_err kc_slip_refusal(const json_t *dossier, const kc_slip_opts *opts, char **out,
                       size_t *len) KC_WUR;

/* "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" (form 04) for apologies[] with this seq, dated
 * its issued_at: addressee with address and phone, receipt date, the appointment missed, the
 * reason for the delay, the apology and the new appointment; signed by issued_by_name. */
kc_err kc_slip_apology(const json_t *dossier, int seq, const kc_slip_opts *opts, char **out,
                       size_t *len) KC_WUR;

/* "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" (form 05), dated opts->date: dossier code,
 * applicant, receipt and appointment, and one table row per step (unit, time of the hand-off,
 * who gave and who received it, result "Trước hạn" / "Đúng hạn" / "Quá hạn", note); the table
 * continues over as many pages as it needs. */
kc_err kc_slip_control(const json_t *dossier, const kc_slip_opts *opts, char **out,
                       size_t *len) KC_WUR;

#endif
