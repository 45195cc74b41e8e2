/* pdf_doc.c: see pdf_doc.h. The document is a list of blocks built in an arena; rendering
 * walks them once, top to bottom, laying each out with pango and drawing it line by line on a
 * cairo PDF surface, so that a page break can fall between any two lines. Sizes follow Decree
 * 30/2020/NĐ-CP, Appendix I; all lengths below are PDF points (1/72 inch). */
#include "report/pdf_doc.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include <assert.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM(x) ((x)*72.0 / 25.4)
#define FONT "Liberation Serif"

/* Sizes (pt) and spaces, Decree 30/2020 Appendix I. */
#define SIZE_BODY 13.0
#define SIZE_SMALL 12.0
#define SIZE_TABLE 12.0
#define SIZE_HEADER 12.0  /* issuer lines and national title: 12–13 */
#define SIZE_MOTTO 13.0   /* 13–14 */
#define SIZE_TITLE 14.0   /* 13–14 */
#define SIZE_NOTE 11.0    /* form note, top right */
#define SIZE_QR_TEXT 10.0 /* caption under the QR code */
#define SIZE_PAGENO 13.0  /* 13–14 */
#define SIZE_RECIP_HEAD 12.0
#define SIZE_RECIP 11.0
#define PARA_GAP 6.0 /* at least 6 pt between paragraphs */
#define TIGHT_GAP 2.0
#define CELL_HPAD 3.0
#define CELL_VPAD 2.0
#define RULE_WIDTH 0.6
#define BORDER_WIDTH 0.5
#define QR_SIZE MM(25)
#define SIGN_SPACE MM(22) /* room for the signature and the seal */

/* ---- The document ---------------------------------------------------------------------- */

typedef enum { B_PARA, B_ITEM, B_SPACE, B_BREAK, B_TABLE, B_CLOSING } block_kind;

typedef struct trow {
  const char **cells;
  struct trow *next;
} trow;

typedef struct block {
  block_kind kind;
  struct block *next;
  /* B_PARA, B_ITEM */
  const char *label, *text, *marker;
  unsigned flags;
  /* B_SPACE */
  double space;
  /* B_TABLE */
  size_t ncols;
  kc_pdf_col *cols;
  double size;
  const char **header;
  trow *rows, *last_row;
  /* B_CLOSING */
  const char **recipients;
  size_t nrecipients;
  kc_pdf_signer *left, *right;
} block;

struct kc_pdf_doc {
  kc_arena arena;
  bool landscape;
  const char *parent, *issuer, *number, *place, *date, *note, *title, *summary;
  const char *qr_data, *qr_caption, *qr_detail;
  block *first, *last;
  kc_pdf_list_kind list_kind;
  int list_n;
};

/* An arena copy of s, valid UTF-8: each byte that is not becomes "?" (not U+FFFD, which
 * Liberation Serif lacks: it would pull in a fallback font). NULL stays NULL. */
static const char *copy(kc_pdf_doc *d, const char *s)
{
  if (!s)
    return NULL;
  char *c = kc_arena_strdup(&d->arena, s), *p = c;
  const char *bad;
  while (!g_utf8_validate(p, -1, &bad)) {
    p = c + (bad - c);
    *p++ = '?';
  }
  return c;
}

static const char **copy_cells(kc_pdf_doc *d, const char *const *cells, size_t n)
{
  const char **c = kc_arena_zalloc(&d->arena, n * sizeof *c);
  for (size_t i = 0; cells && i < n; i++)
    c[i] = copy(d, cells[i]);
  return c;
}

static kc_pdf_signer *copy_signer(kc_pdf_doc *d, const kc_pdf_signer *s)
{
  if (!s)
    return NULL;
  kc_pdf_signer *c = kc_arena_zalloc(&d->arena, sizeof *c);
  c->authority = copy(d, s->authority);
  c->title = copy(d, s->title);
  c->note = copy(d, s->note);
  c->name = copy(d, s->name);
  return c;
}

static block *add(kc_pdf_doc *d, block_kind kind)
{
  block *b = kc_arena_zalloc(&d->arena, sizeof *b);
  b->kind = kind;
  if (d->last)
    d->last->next = b;
  else
    d->first = b;
  d->last = b;
  return b;
}

kc_pdf_doc *kc_pdf_new(void)
{
  kc_pdf_doc *d = kc_xcalloc(1, sizeof *d);
  kc_arena_init(&d->arena);
  return d;
}

void kc_pdf_free(kc_pdf_doc *doc)
{
  if (!doc)
    return;
  kc_arena_free(&doc->arena);
  free(doc);
}

void kc_pdf_set_landscape(kc_pdf_doc *doc, bool landscape)
{
  doc->landscape = landscape;
}

void kc_pdf_set_issuer(kc_pdf_doc *doc, const char *parent, const char *issuer)
{
  doc->parent = copy(doc, parent);
  doc->issuer = copy(doc, issuer);
}

void kc_pdf_set_number(kc_pdf_doc *doc, const char *number)
{
  doc->number = copy(doc, number);
}

void kc_pdf_set_place_date(kc_pdf_doc *doc, const char *place, const char *date)
{
  doc->place = copy(doc, place);
  doc->date = copy(doc, date);
}

void kc_pdf_set_form_note(kc_pdf_doc *doc, const char *note)
{
  doc->note = copy(doc, note);
}

void kc_pdf_set_title(kc_pdf_doc *doc, const char *title, const char *summary)
{
  doc->title = copy(doc, title);
  doc->summary = copy(doc, summary);
}

void kc_pdf_set_qr(kc_pdf_doc *doc, const char *data, const char *caption, const char *detail)
{
  doc->qr_data = copy(doc, data);
  doc->qr_caption = copy(doc, caption);
  doc->qr_detail = copy(doc, detail);
}

void kc_pdf_para(kc_pdf_doc *doc, const char *label, const char *text, unsigned flags)
{
  block *b = add(doc, B_PARA);
  b->label = copy(doc, label);
  b->text = copy(doc, text);
  b->flags = flags;
}

void kc_pdf_paraf(kc_pdf_doc *doc, const char *label, unsigned flags, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *text = kc_arena_vprintf(&doc->arena, fmt, ap);
  va_end(ap);
  kc_pdf_para(doc, label, text, flags);
}

void kc_pdf_space(kc_pdf_doc *doc, double mm)
{
  add(doc, B_SPACE)->space = MM(mm);
}

void kc_pdf_page_break(kc_pdf_doc *doc)
{
  add(doc, B_BREAK);
}

void kc_pdf_list_begin(kc_pdf_doc *doc, kc_pdf_list_kind kind)
{
  doc->list_kind = kind;
  doc->list_n = 0;
}

void kc_pdf_list_item(kc_pdf_doc *doc, const char *text)
{
  block *b = add(doc, B_ITEM);
  b->text = copy(doc, text);
  switch (doc->list_kind) {
  case KC_PDF_LIST_NUMBER: b->marker = kc_arena_printf(&doc->arena, "%d.", ++doc->list_n); break;
  case KC_PDF_LIST_BULLET: b->marker = "•"; break;
  default: b->marker = "-"; break;
  }
}

void kc_pdf_table_begin(kc_pdf_doc *doc, const kc_pdf_col *cols, size_t ncols, double size)
{
  assert(ncols >= 1 && ncols <= KC_PDF_MAX_COLS);
  if (ncols > KC_PDF_MAX_COLS) /* the renderer's arrays are that long */
    ncols = KC_PDF_MAX_COLS;
  block *b = add(doc, B_TABLE);
  b->ncols = ncols;
  b->cols = kc_arena_zalloc(&doc->arena, (ncols ? ncols : 1) * sizeof *b->cols);
  if (ncols)
    memcpy(b->cols, cols, ncols * sizeof *cols);
  b->size = size > 0 ? size : SIZE_TABLE;
}

static block *current_table(kc_pdf_doc *doc)
{
  assert(doc->last && doc->last->kind == B_TABLE); /* kc_pdf_table_begin() first */
  return doc->last;
}

void kc_pdf_table_header(kc_pdf_doc *doc, const char *const *cells)
{
  block *t = current_table(doc);
  t->header = copy_cells(doc, cells, t->ncols);
}

void kc_pdf_table_row(kc_pdf_doc *doc, const char *const *cells)
{
  block *t = current_table(doc);
  trow *r = kc_arena_zalloc(&doc->arena, sizeof *r);
  r->cells = copy_cells(doc, cells, t->ncols);
  if (t->last_row)
    t->last_row->next = r;
  else
    t->rows = r;
  t->last_row = r;
}

void kc_pdf_closing(kc_pdf_doc *doc, const char *const *recipients, size_t nrecipients,
                    const kc_pdf_signer *left, const kc_pdf_signer *right)
{
  block *b = add(doc, B_CLOSING);
  b->recipients = copy_cells(doc, recipients, nrecipients);
  b->nrecipients = nrecipients;
  b->left = copy_signer(doc, left);
  b->right = copy_signer(doc, right);
}

/* ---- Rendering: text ------------------------------------------------------------------- */

enum { ST_BOLD = 1, ST_ITALIC = 2 };

typedef struct rc {
  const kc_pdf_doc *doc;
  cairo_t *cr;
  PangoContext *pc;
  double pw, ph;           /* page size */
  double left, right, top; /* text box, x from left to right */
  double bottom;           /* lowest y of the body on this page */
  double y;                /* where the next block goes */
  double gap;              /* space owed before the next block */
  int page;                /* 1-based */
  double qr_band;          /* height kept free for the QR code on page 1 */
  PangoLayout *qr_text;    /* caption and detail, laid out before page 1 is drawn */
  double qr_text_w;
} rc;

static PangoLayout *layout(rc *r, const char *text, int style, double size, double width,
                           PangoAlignment align, bool justify)
{
  PangoLayout *l = pango_layout_new(r->pc);
  PangoFontDescription *fd = pango_font_description_new();
  pango_font_description_set_family_static(fd, FONT);
  pango_font_description_set_weight(fd, style & ST_BOLD ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(fd, style & ST_ITALIC ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_font_description_set_size(fd, (int)(size * PANGO_SCALE + 0.5));
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  if (width > 0)
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
  pango_layout_set_alignment(l, align);
  pango_layout_set_justify(l, justify);
  /* A word broken for want of room gets no hyphen: in a dossier code or a URL, an added
   * hyphen would read as part of it. */
  PangoAttrList *attrs = pango_attr_list_new();
  pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
  pango_layout_set_attributes(l, attrs);
  pango_attr_list_unref(attrs);
  pango_layout_set_text(l, text ? text : "", -1);
  return l;
}

/* Applies `a` to bytes [start, end) of the layout's text; takes `a`. */
static void add_attr(PangoLayout *l, PangoAttribute *a, size_t start, size_t end)
{
  PangoAttrList *attrs = pango_attr_list_copy(pango_layout_get_attributes(l));
  a->start_index = (guint)start;
  a->end_index = (guint)end;
  pango_attr_list_insert(attrs, a);
  pango_layout_set_attributes(l, attrs);
  pango_attr_list_unref(attrs);
}

/* A capitalised copy of s ("UBND quận Ba Đình" → "UBND QUẬN BA ĐÌNH"); g_free() it. */
static char *caps(const char *s)
{
  return g_utf8_strup(s ? s : "", -1);
}

static PangoLayout *layout_caps(rc *r, const char *text, int style, double size, double width)
{
  char *u = caps(text);
  PangoLayout *l = layout(r, u, style, size, width, PANGO_ALIGN_CENTER, false);
  g_free(u);
  return l;
}

static double height(PangoLayout *l)
{
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)h / PANGO_SCALE;
}

/* Logical width of the text (its longest line). */
static double text_width(PangoLayout *l)
{
  PangoRectangle log;
  pango_layout_get_extents(l, NULL, &log);
  return (double)log.width / PANGO_SCALE;
}

static void show(rc *r, PangoLayout *l, double x, double y)
{
  cairo_move_to(r->cr, x, y);
  pango_cairo_show_layout(r->cr, l);
}

static void hrule(rc *r, double cx, double y, double len)
{
  cairo_set_line_width(r->cr, RULE_WIDTH);
  cairo_move_to(r->cr, cx - len / 2, y);
  cairo_line_to(r->cr, cx + len / 2, y);
  cairo_stroke(r->cr);
}

/* The lines of a layout, in layout coordinates: where each starts, its top, bottom and
 * baseline, so that any run of lines can be drawn anywhere. */
typedef struct lines {
  int n;
  PangoLayoutLine **line;
  double *x, *top, *bottom, *base;
} lines;

static void lines_get(PangoLayout *l, lines *ls)
{
  int n = pango_layout_get_line_count(l);
  ls->n = 0;
  ls->line = kc_xmalloc((size_t)n * sizeof *ls->line);
  double *v = kc_xmalloc((size_t)n * 4 * sizeof *v);
  ls->x = v, ls->top = v + n, ls->bottom = v + 2 * n, ls->base = v + 3 * n;
  PangoLayoutIter *it = pango_layout_get_iter(l);
  do {
    int i = ls->n++, y0, y1;
    PangoRectangle log, own;
    assert(i < n);
    ls->line[i] = pango_layout_iter_get_line_readonly(it);
    pango_layout_iter_get_line_yrange(it, &y0, &y1);
    pango_layout_iter_get_line_extents(it, NULL, &log);
    pango_layout_line_get_extents(ls->line[i], NULL, &own);
    ls->x[i] = (double)(log.x - own.x) / PANGO_SCALE;
    ls->top[i] = (double)y0 / PANGO_SCALE;
    ls->bottom[i] = (double)y1 / PANGO_SCALE;
    ls->base[i] = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
}

static void lines_free(lines *ls)
{
  free(ls->line);
  free(ls->x);
}

/* The height of lines [a, b). */
static double lines_h(const lines *ls, int a, int b)
{
  return b > a ? ls->bottom[b - 1] - ls->top[a] : 0;
}

/* The end of the longest run of lines from a that fits in `avail` points. */
static int lines_fit(const lines *ls, int a, double avail)
{
  int b = a;
  while (b < ls->n && lines_h(ls, a, b + 1) <= avail + 0.01)
    b++;
  return b;
}

/* Draws lines [a, b) with the top of line a at y. */
static void lines_draw(rc *r, const lines *ls, int a, int b, double x, double y)
{
  double off = y - (a < ls->n ? ls->top[a] : 0);
  for (int i = a; i < b; i++) {
    cairo_move_to(r->cr, x + ls->x[i], off + ls->base[i]);
    pango_cairo_show_layout_line(r->cr, ls->line[i]);
  }
}

/* ---- Rendering: pages ------------------------------------------------------------------ */

static bool at_top(const rc *r)
{
  return r->y <= r->top + 0.01;
}

static void new_page(rc *r)
{
  cairo_show_page(r->cr);
  r->page++;
  r->y = r->top;
  r->gap = 0;
  r->bottom = r->ph - MM(20);
  /* Page numbers from page 2, centred in the top margin (Decree 30/2020, Art. 9). */
  char no[16];
  snprintf(no, sizeof no, "%d", r->page);
  PangoLayout *l = layout(r, no, 0, SIZE_PAGENO, r->right - r->left, PANGO_ALIGN_CENTER, false);
  show(r, l, r->left, (r->top - height(l)) / 2);
  g_object_unref(l);
}

/* Pays the space owed by the previous block, unless at the top of a page. */
static void begin_block(rc *r)
{
  if (!at_top(r))
    r->y += r->gap;
  r->gap = 0;
}

/* Draws a laid-out text block at x, breaking it across pages between lines; `marker` (may
 * be NULL) is drawn at mx on the baseline of the first line. A first line that would be
 * left alone at the foot of a page moves with the rest (no orphans). */
static void flow(rc *r, PangoLayout *l, double x, PangoLayout *marker, double mx)
{
  lines ls;
  lines_get(l, &ls);
  begin_block(r);
  int a = 0;
  while (a < ls.n) {
    int b = lines_fit(&ls, a, r->bottom - r->y);
    if (b == a || (a == 0 && b == 1 && ls.n > 2)) {
      if (!at_top(r)) {
        new_page(r);
        continue;
      }
      if (b == a)
        b = a + 1; /* a line taller than a page: nothing better to do */
    }
    lines_draw(r, &ls, a, b, x, r->y);
    if (a == 0 && marker) {
      int base = pango_layout_get_baseline(marker);
      show(r, marker, mx, r->y + ls.base[0] - ls.top[0] - (double)base / PANGO_SCALE);
    }
    r->y += lines_h(&ls, a, b);
    a = b;
    if (a < ls.n)
      new_page(r);
  }
  lines_free(&ls);
}

static void draw_para(rc *r, const block *b)
{
  unsigned f = b->flags;
  double size = f & KC_PDF_SMALL ? SIZE_SMALL : SIZE_BODY;
  double w = r->right - r->left;
  int style = (f & KC_PDF_BOLD ? ST_BOLD : 0) | (f & KC_PDF_ITALIC ? ST_ITALIC : 0);
  PangoAlignment align = f & KC_PDF_CENTER  ? PANGO_ALIGN_CENTER
                         : f & KC_PDF_RIGHT ? PANGO_ALIGN_RIGHT
                                            : PANGO_ALIGN_LEFT;
  bool justify = !(f & (KC_PDF_LEFT | KC_PDF_CENTER | KC_PDF_RIGHT));
  size_t nl = b->label ? strlen(b->label) : 0;
  char *text = kc_xmalloc(nl + (b->text ? strlen(b->text) : 0) + 1);
  memcpy(text, b->label ? b->label : "", nl);
  strcpy(text + nl, b->text ? b->text : "");

  PangoLayout *l = layout(r, text, style, size, w, align, justify);
  if (f & KC_PDF_INDENT)
    pango_layout_set_indent(l, (int)(MM(10) * PANGO_SCALE));
  if (nl)
    add_attr(l, pango_attr_weight_new(PANGO_WEIGHT_BOLD), 0, nl);
  flow(r, l, r->left, NULL, 0);
  r->gap = f & KC_PDF_TIGHT ? TIGHT_GAP : PARA_GAP;
  g_object_unref(l);
  free(text);
}

static void draw_item(rc *r, const block *b)
{
  double indent = MM(5), hang = MM(7);
  PangoLayout *m = layout(r, b->marker, 0, SIZE_BODY, 0, PANGO_ALIGN_LEFT, false);
  PangoLayout *l =
      layout(r, b->text, 0, SIZE_BODY, r->right - r->left - indent - hang, PANGO_ALIGN_LEFT, true);
  flow(r, l, r->left + indent + hang, m, r->left + indent);
  r->gap = TIGHT_GAP;
  g_object_unref(l);
  g_object_unref(m);
}

/* ---- Rendering: tables ----------------------------------------------------------------- */

typedef struct cells {
  size_t n;
  PangoLayout **lay;
  lines *ls;
  int *at; /* first line not yet drawn, per cell */
} cells;

static void cells_make(rc *r, const block *t, const char *const *text, bool header, cells *c,
                       const double *w)
{
  c->n = t->ncols;
  c->lay = kc_xcalloc(c->n, sizeof *c->lay);
  c->ls = kc_xcalloc(c->n, sizeof *c->ls);
  c->at = kc_xcalloc(c->n, sizeof *c->at);
  for (size_t i = 0; i < c->n; i++) {
    kc_pdf_align a = header ? KC_PDF_ALIGN_CENTER : t->cols[i].align;
    PangoAlignment pa = a == KC_PDF_ALIGN_CENTER  ? PANGO_ALIGN_CENTER
                        : a == KC_PDF_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                                  : PANGO_ALIGN_LEFT;
    double cw = w[i] - 2 * CELL_HPAD; /* > 0, else pango would not wrap at all */
    c->lay[i] = layout(r, text[i], header ? ST_BOLD : 0, t->size, cw > 1 ? cw : 1, pa, false);
    lines_get(c->lay[i], &c->ls[i]);
  }
}

static void cells_free(cells *c)
{
  for (size_t i = 0; i < c->n; i++) {
    lines_free(&c->ls[i]);
    g_object_unref(c->lay[i]);
  }
  free(c->lay);
  free(c->ls);
  free(c->at);
}

/* Height of what is left to draw of a row, padding included. */
static double cells_left_h(const cells *c)
{
  double h = 0;
  for (size_t i = 0; i < c->n; i++) {
    double hi = lines_h(&c->ls[i], c->at[i], c->ls[i].n);
    h = hi > h ? hi : h;
  }
  return h + 2 * CELL_VPAD;
}

/* Draws, at r->y, each cell's lines up to end[i] in a bordered row of height h; header cells
 * are centred vertically. Advances c->at and r->y. */
static void cells_draw(rc *r, cells *c, const int *end, double h, const double *w, bool header)
{
  double x = r->left;
  cairo_set_line_width(r->cr, BORDER_WIDTH);
  for (size_t i = 0; i < c->n; i++) {
    double th = lines_h(&c->ls[i], c->at[i], end[i]);
    double ty = r->y + (header ? (h - th) / 2 : CELL_VPAD);
    lines_draw(r, &c->ls[i], c->at[i], end[i], x + CELL_HPAD, ty);
    c->at[i] = end[i];
    cairo_rectangle(r->cr, x, r->y, w[i], h);
    x += w[i];
  }
  cairo_stroke(r->cr);
  r->y += h;
}

static void draw_header_row(rc *r, cells *hd, const double *w)
{
  int end[KC_PDF_MAX_COLS];
  for (size_t i = 0; i < hd->n; i++) {
    hd->at[i] = 0;
    end[i] = hd->ls[i].n;
  }
  cells_draw(r, hd, end, cells_left_h(hd), w, true);
}

static void table_new_page(rc *r, cells *hd, const double *w)
{
  new_page(r);
  if (hd)
    draw_header_row(r, hd, w);
}

static void draw_table(rc *r, const block *t)
{
  double w[KC_PDF_MAX_COLS], sum = 0, tw = r->right - r->left;
  for (size_t i = 0; i < t->ncols; i++)
    sum += t->cols[i].width > 0 ? t->cols[i].width : 0;
  for (size_t i = 0; i < t->ncols; i++)
    w[i] = sum > 0 ? tw * (t->cols[i].width > 0 ? t->cols[i].width : 0) / sum : tw / t->ncols;

  cells hd = {0}, *hdp = NULL;
  double hd_h = 0;
  if (t->header) {
    cells_make(r, t, t->header, true, &hd, w);
    hdp = &hd;
    hd_h = cells_left_h(&hd);
  }
  /* Rows taller than this split between lines; shorter ones move whole to the next page. */
  double page_h = r->ph - MM(20) - r->top;
  double split_h = (page_h - hd_h) / 3;

  begin_block(r);
  /* The header keeps at least the first line of the first row with it. */
  if (r->y + hd_h + 2 * t->size + 2 * CELL_VPAD > r->bottom && !at_top(r))
    new_page(r);
  if (hdp)
    draw_header_row(r, hdp, w);

  for (const trow *row = t->rows; row; row = row->next) {
    cells c;
    cells_make(r, t, row->cells, false, &c, w);
    bool moved = false; /* a page was started for (the rest of) this row */
    for (;;) {
      double need = cells_left_h(&c), avail = r->bottom - r->y;
      int end[KC_PDF_MAX_COLS];
      if (need <= avail + 0.01) {
        for (size_t i = 0; i < c.n; i++)
          end[i] = c.ls[i].n;
        cells_draw(r, &c, end, need, w, false);
        break;
      }
      bool started = false;
      for (size_t i = 0; i < c.n; i++)
        started |= c.at[i] > 0;
      if (!started && need <= split_h && !moved) {
        table_new_page(r, hdp, w);
        moved = true;
        continue;
      }
      /* Split: as many lines of each cell as fit. */
      double h = 0;
      bool any = false;
      for (size_t i = 0; i < c.n; i++) {
        end[i] = lines_fit(&c.ls[i], c.at[i], avail - 2 * CELL_VPAD);
        any |= end[i] > c.at[i];
        double hi = lines_h(&c.ls[i], c.at[i], end[i]);
        h = hi > h ? hi : h;
      }
      if (!any) {
        if (!moved) {
          table_new_page(r, hdp, w);
          moved = true;
          continue;
        }
        for (size_t i = 0; i < c.n; i++) /* a line taller than a page */
          end[i] = c.at[i] < c.ls[i].n ? c.at[i] + 1 : c.at[i];
      }
      cells_draw(r, &c, end, h + 2 * CELL_VPAD, w, false);
      table_new_page(r, hdp, w);
      moved = true; /* the rest may still be taller than a page: split again */
    }
    cells_free(&c);
  }
  if (hdp)
    cells_free(hdp);
  r->gap = PARA_GAP;
}

/* ---- Rendering: header, closing, QR code ----------------------------------------------- */

/* Lays out a signer's lines as one centred block; returns its height. When draw is set, draws
 * it with its top at y in the column [x, x + w). */
static double signer(rc *r, const kc_pdf_signer *s, double x, double w, double y, bool draw)
{
  const struct {
    const char *text;
    int style, caps;
    double size, before;
  } parts[] = {
      {s->authority, ST_BOLD, 1, SIZE_BODY, 0},
      {s->title, ST_BOLD, 1, SIZE_BODY, 0},
      {s->note, ST_ITALIC, 0, SIZE_SMALL, 0},
      {s->name, ST_BOLD, 0, SIZE_BODY, SIGN_SPACE},
  };
  double y0 = y;
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
    if (i == 3)
      y += parts[i].before; /* the signature's room is kept even without a name */
    if (!parts[i].text || !*parts[i].text)
      continue;
    PangoLayout *l = parts[i].caps ? layout_caps(r, parts[i].text, parts[i].style, parts[i].size, w)
                                   : layout(r, parts[i].text, parts[i].style, parts[i].size, w,
                                            PANGO_ALIGN_CENTER, false);
    if (draw)
      show(r, l, x, y);
    y += height(l);
    g_object_unref(l);
  }
  return y - y0;
}

static double recipients(rc *r, const block *b, double x, double w, double y, bool draw)
{
  double y0 = y;
  PangoLayout *h =
      layout(r, "Nơi nhận:", ST_BOLD | ST_ITALIC, SIZE_RECIP_HEAD, w, PANGO_ALIGN_LEFT, false);
  if (draw)
    show(r, h, x, y);
  y += height(h);
  g_object_unref(h);
  for (size_t i = 0; i < b->nrecipients; i++) {
    char *t = g_strdup_printf("- %s", b->recipients[i] ? b->recipients[i] : "");
    PangoLayout *l = layout(r, t, 0, SIZE_RECIP, w, PANGO_ALIGN_LEFT, false);
    if (draw)
      show(r, l, x, y);
    y += height(l);
    g_object_unref(l);
    g_free(t);
  }
  return y - y0;
}

static double closing_part(rc *r, const block *b, bool draw)
{
  double tw = r->right - r->left;
  double lw = b->nrecipients ? tw * 0.45 : tw * 0.5, rw = tw - lw;
  double hl = 0, hr = 0;
  if (b->nrecipients)
    hl = recipients(r, b, r->left, lw, r->y, draw);
  else if (b->left)
    hl = signer(r, b->left, r->left, lw, r->y, draw);
  if (b->right)
    hr = signer(r, b->right, r->left + lw, rw, r->y, draw);
  return hl > hr ? hl : hr;
}

static void draw_closing(rc *r, const block *b)
{
  begin_block(r);
  double h = closing_part(r, b, false);
  if (r->y + h > r->bottom && !at_top(r))
    new_page(r);
  r->y += closing_part(r, b, true);
  r->gap = PARA_GAP;
}

/* The issuer | national title block, the title and the summary, on page 1. */
static void draw_head(rc *r)
{
  const kc_pdf_doc *d = r->doc;
  double tw = r->right - r->left, y = r->top;
  PangoLayout *l;

  if (d->note) {
    l = layout(r, d->note, ST_ITALIC, SIZE_NOTE, tw, PANGO_ALIGN_RIGHT, false);
    show(r, l, r->left, y);
    y += height(l) + 4;
    g_object_unref(l);
  }

  /* Column widths of the published models: the issuer over about 2/5 of the line. */
  double lw = MM(68), rw = MM(97), lx = r->left, rx = r->right - rw;
  double yl = y, yr = y, rule_l = y, rule_r = y;
  if (d->parent || d->issuer) {
    if (d->parent) {
      l = layout_caps(r, d->parent, 0, SIZE_HEADER, lw);
      show(r, l, lx, yl);
      yl += height(l);
      g_object_unref(l);
    }
    if (d->issuer) {
      l = layout_caps(r, d->issuer, ST_BOLD, SIZE_HEADER, lw);
      show(r, l, lx, yl);
      yl += height(l);
      /* A rule 1/3 to 1/2 as long as the issuer's name, centred under it. */
      rule_l = yl + 2;
      hrule(r, lx + lw / 2, rule_l, text_width(l) * 0.4);
      g_object_unref(l);
    }
  }
  l = layout(r, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ST_BOLD, SIZE_HEADER, rw, PANGO_ALIGN_CENTER,
             false);
  show(r, l, rx, yr);
  yr += height(l);
  g_object_unref(l);
  l = layout(r, "Độc lập - Tự do - Hạnh phúc", ST_BOLD, SIZE_MOTTO, rw, PANGO_ALIGN_CENTER, false);
  show(r, l, rx, yr);
  yr += height(l);
  rule_r = yr + 2; /* as long as the motto */
  hrule(r, rx + rw / 2, rule_r, text_width(l));
  g_object_unref(l);

  /* "Số: …" and the place and date share a line under the rules. */
  double row = (rule_l > rule_r ? rule_l : rule_r) + 8, end = row;
  if (d->number) {
    char *t = g_strdup_printf("Số: %s", d->number);
    l = layout(r, t, 0, SIZE_BODY, lw, PANGO_ALIGN_CENTER, false);
    show(r, l, lx, row);
    end = row + height(l);
    g_object_unref(l);
    g_free(t);
  }
  if (d->place || d->date) {
    char *t = g_strdup_printf("%s%s%s", d->place ? d->place : "", d->place && d->date ? ", " : "",
                              d->date ? d->date : "");
    l = layout(r, t, ST_ITALIC, SIZE_BODY, rw, PANGO_ALIGN_CENTER, false);
    show(r, l, rx, row);
    double e = row + height(l);
    end = e > end ? e : end;
    g_object_unref(l);
    g_free(t);
  }
  y = (end > yl ? end : yl) + 14;

  if (d->title) {
    l = layout_caps(r, d->title, ST_BOLD, SIZE_TITLE, tw);
    show(r, l, r->left, y);
    y += height(l);
    g_object_unref(l);
  }
  if (d->summary) {
    l = layout(r, d->summary, ST_BOLD, SIZE_TITLE, tw, PANGO_ALIGN_CENTER, false);
    show(r, l, r->left, y);
    y += height(l) + 3;
    hrule(r, r->left + tw / 2, y, text_width(l) * 0.4);
    y += 3;
    g_object_unref(l);
  }
  r->y = y + 10;
}

/* Lays out the QR code's caption and reserves its band at the foot of page 1. */
static void qr_prepare(rc *r)
{
  const kc_pdf_doc *d = r->doc;
  double tw = r->right - r->left;
  char *t =
      g_strdup_printf("%s%s%s", d->qr_caption ? d->qr_caption : "",
                      d->qr_caption && d->qr_detail ? "\n" : "", d->qr_detail ? d->qr_detail : "");
  PangoLayout *l = layout(r, t, 0, SIZE_QR_TEXT, -1, PANGO_ALIGN_CENTER, false);
  size_t ncap = d->qr_caption ? strlen(d->qr_caption) : 0;
  if (ncap)
    add_attr(l, pango_attr_style_new(PANGO_STYLE_ITALIC), 0, ncap);
  double w = text_width(l);
  w = w < QR_SIZE ? QR_SIZE : w > tw * 0.6 ? tw * 0.6 : w;
  pango_layout_set_width(l, (int)(w * PANGO_SCALE));
  g_free(t);
  r->qr_text = l;
  r->qr_text_w = w;
  r->qr_band = QR_SIZE + MM(3) + (*pango_layout_get_text(l) ? height(l) : 0) + MM(4);
}

/* Draws the QR code as filled rectangles (one path, runs of dark modules merged) so that it
 * stays sharp at any zoom and prints crisply; 4 modules of quiet zone are left white. */
static kc_err qr_draw(rc *r)
{
  QRcode *q = QRcode_encodeString(r->doc->qr_data, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!q) {
    if (errno == ENOMEM)
      abort();        /* out of memory aborts, as everywhere else */
    return KC_EFIELD; /* too long for a QR code (ERANGE) or empty (EINVAL) */
  }
  double m = QR_SIZE / q->width, w = r->qr_text_w;
  double x0 = r->left + (w - QR_SIZE) / 2, y0 = r->ph - MM(20) - r->qr_band + MM(4);
  cairo_new_path(r->cr);
  for (int y = 0; y < q->width; y++) {
    const unsigned char *row = q->data + (size_t)y * (size_t)q->width;
    for (int x = 0; x < q->width;) {
      if (!(row[x] & 1)) {
        x++;
        continue;
      }
      int e = x;
      while (e < q->width && (row[e] & 1))
        e++;
      cairo_rectangle(r->cr, x0 + x * m, y0 + y * m, (e - x) * m, m);
      x = e;
    }
  }
  cairo_fill(r->cr);
  QRcode_free(q);
  show(r, r->qr_text, r->left, y0 + QR_SIZE + MM(3));
  return KC_OK;
}

/* ---- Rendering: the document ----------------------------------------------------------- */

/* cairo's stream callback: the PDF's bytes go into a kc_strbuf. */
static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int n)
{
  kc_strbuf_add(closure, data, n);
  return CAIRO_STATUS_SUCCESS;
}

/* The calling thread's context for laying out text on `cr`: pango keeps one font map per
 * thread (pango_cairo_font_map_get_default, Pango ≥ 1.32.6), so renders in several threads do
 * not share layout caches; fontconfig and cairo's font caches are thread-safe. Metrics are
 * neither hinted nor rounded, as the page is vector output; 72 dpi makes 1 pt one unit. */
static PangoContext *context_new(cairo_t *cr)
{
  PangoContext *pc = pango_font_map_create_context(pango_cairo_font_map_get_default());
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(pc, fo);
  cairo_font_options_destroy(fo);
  pango_cairo_context_set_resolution(pc, 72);
  pango_context_set_round_glyph_positions(pc, FALSE);
  pango_context_set_language(pc, pango_language_from_string("vi"));
  pango_cairo_update_context(cr, pc);
  return pc;
}

kc_err kc_pdf_render(const kc_pdf_doc *doc, char **out, size_t *len)
{
  kc_err err = KC_OK;
  kc_strbuf s = KC_STRBUF_INIT;
  rc r = {.doc = doc, .page = 1};
  r.pw = doc->landscape ? MM(297) : MM(210);
  r.ph = doc->landscape ? MM(210) : MM(297);
  r.left = MM(30), r.right = r.pw - MM(15), r.top = MM(20);
  r.bottom = r.ph - MM(20);

  cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(sink_write, &s, r.pw, r.ph);
  cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "kycuong");
  if (doc->title)
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, doc->title);
  r.cr = cairo_create(surf);
  r.pc = context_new(r.cr);
  cairo_set_source_rgb(r.cr, 0, 0, 0);

  if (doc->qr_data) {
    qr_prepare(&r);
    r.bottom -= r.qr_band;
    err = qr_draw(&r);
    if (err != KC_OK)
      goto out;
  }
  draw_head(&r);
  for (const block *b = doc->first; b; b = b->next) {
    switch (b->kind) {
    case B_PARA: draw_para(&r, b); break;
    case B_ITEM: draw_item(&r, b); break;
    case B_SPACE: r.gap += b->space; break;
    case B_BREAK: new_page(&r); break;
    case B_TABLE: draw_table(&r, b); break;
    case B_CLOSING: draw_closing(&r, b); break;
    }
  }
  cairo_show_page(r.cr);

out:
  if (r.qr_text)
    g_object_unref(r.qr_text);
  g_object_unref(r.pc);
  cairo_destroy(r.cr);
  cairo_surface_finish(surf);
  if (err == KC_OK && cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
    err = KC_EINTERNAL;
  cairo_surface_destroy(surf);
  if (err != KC_OK) {
    kc_strbuf_release(&s);
    return err;
  }
  *out = kc_strbuf_detach(&s, len);
  return KC_OK;
}

void kc_pdf_thread_done(void)
{
  pango_cairo_font_map_set_default(NULL);
}

void kc_pdf_shutdown(void)
{
  kc_pdf_thread_done();
  cairo_debug_reset_static_data();
  FcFini();
}
