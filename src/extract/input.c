/* input.c: see input.h. The ZIP reader handles what Word and LibreOffice write (stored or
 * deflated entries, found through the central directory); the XML walk keeps the text of
 * w:t runs, ends a paragraph at </w:p> and turns w:tab / w:br into a tab / a line break. */
#include "extract/input.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include <poppler.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t le32(const unsigned char *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
  return (uint16_t)(p[0] | p[1] << 8);
}

/* Finds `name` in the ZIP and returns its bytes, inflated, in a malloc'd buffer. */
static kc_err zip_entry(const unsigned char *z, size_t len, const char *name, char **out,
                        size_t *olen, char *err, size_t cap)
{
  if (len < 22)
    goto bad;
  size_t eocd = len - 22;
  size_t stop = len > 22 + 65535 ? len - 22 - 65535 : 0;
  while (le32(z + eocd) != 0x06054b50u) {
    if (eocd == stop)
      goto bad;
    eocd--;
  }
  size_t count = le16(z + eocd + 10), cd = le32(z + eocd + 16);
  size_t nl = strlen(name);
  for (size_t i = 0; i < count; i++) {
    if (cd + 46 > len || le32(z + cd) != 0x02014b50u)
      goto bad;
    unsigned method = le16(z + cd + 10);
    size_t csize = le32(z + cd + 20), usize = le32(z + cd + 24);
    size_t fnl = le16(z + cd + 28), exl = le16(z + cd + 30), cml = le16(z + cd + 32);
    size_t loh = le32(z + cd + 42);
    if (cd + 46 + fnl > len)
      goto bad;
    if (fnl == nl && !memcmp(z + cd + 46, name, nl)) {
      if (loh + 30 > len || le32(z + loh) != 0x04034b50u)
        goto bad;
      size_t data = loh + 30 + le16(z + loh + 26) + le16(z + loh + 28);
      if (data + csize > len || usize > KC_INPUT_MAX)
        goto bad;
      char *buf = kc_xmalloc(usize + 1);
      if (method == 0 && csize == usize) {
        memcpy(buf, z + data, usize);
      } else if (method == 8) {
        z_stream s = {0};
        if (inflateInit2(&s, -MAX_WBITS) != Z_OK) {
          free(buf);
          goto bad;
        }
        s.next_in = (Bytef *)(z + data);
        s.avail_in = (uInt)csize;
        s.next_out = (Bytef *)buf;
        s.avail_out = (uInt)usize;
        int rc = inflate(&s, Z_FINISH);
        inflateEnd(&s);
        if (rc != Z_STREAM_END || s.total_out != usize) {
          free(buf);
          goto bad;
        }
      } else {
        free(buf);
        goto bad;
      }
      buf[usize] = 0;
      *out = buf;
      *olen = usize;
      return KC_OK;
    }
    cd += 46 + fnl + exl + cml;
  }
  snprintf(err, cap, "tệp ZIP không có %s (không phải tệp .docx?)", name);
  return KC_EFIELD;
bad:
  snprintf(err, cap, "tệp .docx bị hỏng hoặc dùng dạng nén không hỗ trợ");
  return KC_EFIELD;
}

/* Appends XML character data with the five named entities and numeric references decoded. */
static void put_xml_text(kc_strbuf *b, const char *s, const char *e)
{
  while (s < e) {
    if (*s != '&') {
      const char *amp = memchr(s, '&', (size_t)(e - s));
      const char *stop = amp ? amp : e;
      kc_strbuf_add(b, s, (size_t)(stop - s));
      s = stop;
      continue;
    }
    const char *semi = memchr(s, ';', (size_t)(e - s));
    if (!semi || semi - s > 10) {
      kc_strbuf_add(b, "&", 1);
      s++;
      continue;
    }
    static const struct {
      const char *ent, *ch;
    } named[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
    bool done = false;
    for (size_t i = 0; !done && i < sizeof named / sizeof *named; i++)
      if ((size_t)(semi - s + 1) == strlen(named[i].ent) &&
          !memcmp(s, named[i].ent, strlen(named[i].ent))) {
        kc_strbuf_add(b, named[i].ch, 1);
        done = true;
      }
    if (!done && s[1] == '#') {
      unsigned long cp = s[2] == 'x' ? strtoul(s + 3, NULL, 16) : strtoul(s + 2, NULL, 10);
      char u[4];
      size_t n = 0;
      if (cp < 0x80) {
        u[n++] = (char)cp;
      } else if (cp < 0x800) {
        u[n++] = (char)(0xC0 | cp >> 6);
        u[n++] = (char)(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        u[n++] = (char)(0xE0 | cp >> 12);
        u[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[n++] = (char)(0x80 | (cp & 0x3F));
      } else if (cp < 0x110000) {
        u[n++] = (char)(0xF0 | cp >> 18);
        u[n++] = (char)(0x80 | (cp >> 12 & 0x3F));
        u[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[n++] = (char)(0x80 | (cp & 0x3F));
      }
      if (n && cp) /* a NUL reference is dropped */
        kc_strbuf_add(b, u, n);
      done = true;
    }
    if (!done)
      kc_strbuf_add(b, s, (size_t)(semi - s + 1));
    s = semi + 1;
  }
}

/* True when the tag starting at p (after '<') is exactly `name` (followed by '>', ' ' or '/'). */
static bool tag_is(const char *p, const char *e, const char *name)
{
  size_t n = strlen(name);
  return (size_t)(e - p) > n && !memcmp(p, name, n) && (p[n] == '>' || p[n] == ' ' || p[n] == '/');
}

static void docx_text(const char *x, size_t len, kc_strbuf *b)
{
  const char *p = x, *e = x + len;
  bool in_t = false;
  const char *t0 = NULL;
  while (p < e) {
    const char *lt = memchr(p, '<', (size_t)(e - p));
    if (!lt)
      break;
    if (in_t)
      put_xml_text(b, t0, lt);
    const char *gt = memchr(lt, '>', (size_t)(e - lt));
    if (!gt)
      break;
    const char *tag = lt + 1;
    if (tag_is(tag, e, "w:t")) {
      in_t = gt[-1] != '/';
      t0 = gt + 1;
    } else if (tag_is(tag, e, "/w:t")) {
      in_t = false;
    } else if (tag_is(tag, e, "/w:p")) {
      kc_strbuf_add(b, "\n", 1);
    } else if (tag_is(tag, e, "w:tab")) {
      kc_strbuf_add(b, "\t", 1);
    } else if (tag_is(tag, e, "w:br") || tag_is(tag, e, "w:cr")) {
      kc_strbuf_add(b, "\n", 1);
    }
    p = gt + 1;
  }
}

/* Whether a line opens an item of an administrative document's outline: "II. ", "3. ",
 * "a) ", "đ) ", "- ", "+ ", "•". */
static bool opens_item(const char *l, size_t n)
{
  size_t i = 0;
  if (n >= 2 && (l[0] == '-' || l[0] == '+') && l[1] == ' ')
    return true;
  if (n >= 3 && !memcmp(l, "•", 3))
    return true;
  while (i < n && strchr("IVXLC", l[i]))
    i++;
  if (i && i + 1 < n && l[i] == '.' && l[i + 1] == ' ')
    return true;
  i = 0;
  while (i < n && l[i] >= '0' && l[i] <= '9')
    i++;
  if (i && i < 3 && i + 1 < n && (l[i] == '.' || l[i] == ')') && l[i + 1] == ' ')
    return true;
  if (n >= 3 && l[0] >= 'a' && l[0] <= 'z' && l[1] == ')' && l[2] == ' ')
    return true;
  return n >= 4 && !memcmp(l, "đ) ", 4);
}

/* Rebuilds paragraphs from a PDF page's hard-wrapped lines: a line continues the paragraph
 * unless the next line opens an outline item, or this line stops well before the right
 * margin (judged against the page's longest line), as the last line of a paragraph or a
 * one-line heading does. */
static void put_pdf_page(kc_strbuf *b, const char *t)
{
  size_t longest = 0;
  for (const char *p = t; *p;) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p), chars = 0;
    for (size_t i = 0; i < n; i++)
      chars += ((unsigned char)p[i] & 0xC0) != 0x80;
    if (chars > longest)
      longest = chars;
    p = nl ? nl + 1 : p + n;
  }
  for (const char *p = t; *p;) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p), chars = 0;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\r'))
      n--;
    for (size_t i = 0; i < n; i++)
      chars += ((unsigned char)p[i] & 0xC0) != 0x80;
    kc_strbuf_add(b, p, n);
    const char *next = nl ? nl + 1 : NULL;
    size_t nn = next ? strcspn(next, "\n") : 0;
    /* only a paragraph's last line stops well before the margin (a heading is one line) */
    bool ends = chars * 100 < longest * 85;
    if (!next || !*next || ends || !n || opens_item(next, nn))
      kc_strbuf_add(b, "\n", 1);
    else
      kc_strbuf_add(b, " ", 1);
    p = next ? next : p + strlen(p);
  }
  kc_strbuf_add(b, "\n", 1);
}

static kc_err pdf_text(const char *data, size_t len, kc_strbuf *b, char *err, size_t cap)
{
  GBytes *bytes = g_bytes_new(data, len);
  GError *gerr = NULL;
  PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
  g_bytes_unref(bytes);
  if (!doc) {
    snprintf(err, cap, "không đọc được tệp PDF: %s", gerr ? gerr->message : "?");
    if (gerr)
      g_error_free(gerr);
    return KC_EFIELD;
  }
  int pages = poppler_document_get_n_pages(doc);
  for (int i = 0; i < pages; i++) {
    PopplerPage *page = poppler_document_get_page(doc, i);
    char *t = page ? poppler_page_get_text(page) : NULL;
    if (t) {
      put_pdf_page(b, t);
      g_free(t);
    }
    if (page)
      g_object_unref(page);
    if (b->len > KC_INPUT_MAX)
      break;
  }
  g_object_unref(doc);
  size_t letters = 0;
  for (size_t i = 0; i < b->len; i++)
    letters += (unsigned char)b->buf[i] > ' ';
  if (letters < 20) {
    snprintf(err, cap, "tệp PDF không có lớp văn bản (bản quét?): hãy nhận dạng chữ (OCR) trước");
    return KC_EFIELD;
  }
  return KC_OK;
}

kc_err kc_extract_input_text(const char *data, size_t len, char **text, size_t *tlen, char *err,
                             size_t errcap)
{
  kc_strbuf b = KC_STRBUF_INIT;
  kc_err e = KC_OK;
  if (len >= 4 && !memcmp(data, "PK\3\4", 4)) {
    char *xml = NULL;
    size_t xl = 0;
    e = zip_entry((const unsigned char *)data, len, "word/document.xml", &xml, &xl, err, errcap);
    if (!e)
      docx_text(xml, xl, &b);
    free(xml);
  } else if (len >= 5 && !memcmp(data, "%PDF-", 5)) {
    e = pdf_text(data, len, &b, err, errcap);
  } else if (len >= 8 && !memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
    snprintf(err, errcap, "tệp .doc (Word 97–2003) chưa được hỗ trợ: hãy lưu thành .docx");
    e = KC_EFIELD;
  } else {
    kc_strbuf_add(&b, data, len);
  }
  if (e) {
    kc_strbuf_release(&b);
    return e;
  }
  *text = kc_strbuf_detach(&b, tlen);
  return KC_OK;
}
