/* pdf_doc.h: the one template of every official document kycuong prints (slips, letters,
 * reports), laid out as Decree 30/2020/NĐ-CP and docs/documents.md say: A4, margins 20 mm top
 * and bottom, 30 mm left, 15 mm right, Liberation Serif (Times New Roman's metrics) embedded,
 * the two-column header (issuer | national title, motto, place and date), a bold title, a body
 * of paragraphs, lists and tables that flows over pages, page numbers from page 2, and a
 * closing with "Nơi nhận:" and signatures. Text is laid out by pango and drawn by cairo into a
 * PDF held in memory. Design notes: docs/internals/pdf.md.
 *
 * Life cycle: kc_pdf_new(), setters and blocks in reading order, kc_pdf_render() (any number of
 * times), kc_pdf_free(). Every string passed in is copied (each byte of it that is not valid
 * UTF-8 becomes "?"); NULL text is rendered as empty. Text is never markup: "<" and
 * "&" print as themselves. Building can't fail (out of memory aborts).
 *
 * Threads: a document belongs to one thread at a time; any number of threads may render
 * documents at once (each thread lays out text with its own pango font map). */
#ifndef KC_REPORT_PDF_DOC_H
#define KC_REPORT_PDF_DOC_H
#include "base/err.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct kc_pdf_doc kc_pdf_doc;

/* ---- Life cycle ------------------------------------------------------------------------ */

/* A new, empty portrait document. You own it; release it with kc_pdf_free(). */
kc_pdf_doc *kc_pdf_new(void);
/* Frees the document and everything it copied. NULL-safe. */
void kc_pdf_free(kc_pdf_doc *doc);

/* Renders the document into a malloc'd PDF (*out, *len bytes; you free *out). The PDF embeds
 * subsets of Liberation Serif and carries the title (kc_pdf_set_title) and the creator
 * "kycuong" as metadata. On error *out and *len are untouched: KC_EFIELD when the QR code's
 * data is too long to encode, KC_EINTERNAL when cairo fails. */
kc_err kc_pdf_render(const kc_pdf_doc *doc, char **out, size_t *len) KC_WUR;

/* Releases the calling thread's font map (fonts and layout caches). Threads release theirs
 * when they exit; call this only from a thread that lives on after its last render and wants
 * the memory back (tests checking leaks). The next render in the thread builds a new one. */
void kc_pdf_thread_done(void);
/* At exit, once no other thread renders any more: releases this thread's font map and the
 * process-wide caches of cairo and fontconfig, so that a leak checker sees them freed (tests,
 * sanitizer builds). Nothing may be rendered after it. */
void kc_pdf_shutdown(void);

/* ---- The page and the header (each may be called once; later calls replace) ----------- */

/* Landscape A4, for wide tables only (docs/documents.md). Default portrait. */
void kc_pdf_set_landscape(kc_pdf_doc *doc, bool landscape);
/* Issuing body, top left of page 1: `parent` (the body above it; may be NULL) in capitals over
 * `issuer` in bold capitals, a short rule under them. Both are capitalised here: pass them as
 * written ("UBND thành phố Hà Nội"). */
void kc_pdf_set_issuer(kc_pdf_doc *doc, const char *parent, const char *issuer);
/* The number and symbol, written under the issuer as "Số: <number>" ("69/KH-UBND"). */
void kc_pdf_set_number(kc_pdf_doc *doc, const char *number);
/* Place and date, in italics under the motto: "<place>, <date>", e.g. "Hà Nội" and "ngày 05
 * tháng 3 năm 2017" (see vndate.h). Either may be NULL. */
void kc_pdf_set_place_date(kc_pdf_doc *doc, const char *place, const char *date);
/* A small italic note at the top right of page 1, above the header ("Mẫu số 01"). */
void kc_pdf_set_form_note(kc_pdf_doc *doc, const char *note);
/* The document type, centred in bold capitals under the header, and an optional summary line
 * (bold, with a short rule under it). The title, as given, is also the PDF's title. */
void kc_pdf_set_title(kc_pdf_doc *doc, const char *title, const char *summary);
/* A QR code (ISO 18004, error correction M) of `data`, 25 mm wide, at the bottom left of page
 * 1, with `caption` in italics and `detail` (e.g. the URL it encodes; may be NULL) centred
 * under it. The body of page 1 stops above it. */
void kc_pdf_set_qr(kc_pdf_doc *doc, const char *data, const char *caption, const char *detail);

/* ---- The body: blocks in reading order ------------------------------------------------- */

/* Paragraph flags. Paragraphs are justified, 13 pt, 6 pt apart unless told otherwise. */
enum {
  KC_PDF_BOLD = 1 << 0,
  KC_PDF_ITALIC = 1 << 1,
  KC_PDF_LEFT = 1 << 2,   /* ragged right instead of justified */
  KC_PDF_CENTER = 1 << 3, /* centred */
  KC_PDF_RIGHT = 1 << 4,  /* flush right */
  KC_PDF_INDENT = 1 << 5, /* first line indented 1 cm */
  KC_PDF_TIGHT = 1 << 6,  /* 2 pt after instead of 6 pt: form fields, one per line */
  KC_PDF_SMALL = 1 << 7,  /* 12 pt instead of 13 pt */
};

/* A paragraph: `label` (may be NULL) in bold, then `text` ("Kính gửi: " + a name). Wraps at
 * word boundaries, or inside a word too long for the line; breaks across pages between lines. */
void kc_pdf_para(kc_pdf_doc *doc, const char *label, const char *text, unsigned flags);
/* kc_pdf_para() with the text formatted by printf. */
void kc_pdf_paraf(kc_pdf_doc *doc, const char *label, unsigned flags, const char *fmt, ...)
    KC_PRINTF(4, 5);
/* Vertical space of `mm` millimetres (dropped at the top of a page). */
void kc_pdf_space(kc_pdf_doc *doc, double mm);
/* Forces a page break. */
void kc_pdf_page_break(kc_pdf_doc *doc);

typedef enum {
  KC_PDF_LIST_NUMBER, /* "1.", "2.", … */
  KC_PDF_LIST_DASH,   /* "-" as official documents do */
  KC_PDF_LIST_BULLET, /* "•" */
} kc_pdf_list_kind;

/* Starts a list: the following kc_pdf_list_item() calls are its items, numbered from 1. */
void kc_pdf_list_begin(kc_pdf_doc *doc, kc_pdf_list_kind kind);
/* One item of the current list, with a hanging indent (wrapped lines align with the text). */
void kc_pdf_list_item(kc_pdf_doc *doc, const char *text);

#define KC_PDF_MAX_COLS 32

typedef enum { KC_PDF_ALIGN_LEFT, KC_PDF_ALIGN_CENTER, KC_PDF_ALIGN_RIGHT } kc_pdf_align;

typedef struct kc_pdf_col {
  double width;       /* fraction of the text width; the fractions are scaled to sum to 1 */
  kc_pdf_align align; /* of the body cells; header cells are centred */
} kc_pdf_col;

/* Starts a table of `ncols` columns (1..KC_PDF_MAX_COLS), borders on every cell, text at `size`
 * points (0: 12 pt). Cells wrap their text; a row that does not fit moves to the next page, or
 * splits between lines when it is taller than a third of a page. The header row is repeated at the
 * top of every page the table continues on. */
void kc_pdf_table_begin(kc_pdf_doc *doc, const kc_pdf_col *cols, size_t ncols, double size);
/* The header row of the current table: `ncols` cells (NULL cells are empty), bold, centred. */
void kc_pdf_table_header(kc_pdf_doc *doc, const char *const *cells);
/* A body row of the current table: `ncols` cells; NULL cells are empty. */
void kc_pdf_table_row(kc_pdf_doc *doc, const char *const *cells);

/* One signature block: centred lines, any of them NULL. */
typedef struct kc_pdf_signer {
  const char *authority; /* bold capitals: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH" */
  const char *title;     /* bold capitals: "CHỦ TỊCH", "NGƯỜI TIẾP NHẬN" */
  const char *note;      /* italics, under the title: "(Ký, ghi rõ họ tên)" */
  const char *name;      /* bold, under the space left for the signature and seal */
} kc_pdf_signer;

/* The closing, kept on one page: on the left either "Nơi nhận:" (bold italic, 12 pt) over the
 * `nrecipients` recipients (11 pt, "- " before each) or, with no recipients, the signer
 * `left`; on the right the signer `right`. Any of them may be NULL/0. */
void kc_pdf_closing(kc_pdf_doc *doc, const char *const *recipients, size_t nrecipients,
                    const kc_pdf_signer *left, const kc_pdf_signer *right);

#endif
