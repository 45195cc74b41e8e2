/* input.h: the forms directives are published in, turned into text for the reader: .docx (a
 * ZIP holding word/document.xml, read with zlib), PDF with a text layer (poppler-glib), and
 * plain UTF-8 text, recognised by their first bytes rather than by their names. */
#ifndef KC_EXTRACT_INPUT_H
#define KC_EXTRACT_INPUT_H
#include "base/err.h"
#include <stddef.h>

#define KC_INPUT_MAX (64u * 1024u * 1024u) /* largest text a document may expand to */

/* Converts `len` bytes of a document to text in a malloc'd, NUL-terminated buffer (*text,
 * *tlen; yours to free). Paragraphs end in '\n'. KC_EFIELD with a Vietnamese message in err
 * when the document cannot be read (a damaged ZIP, a .docx without word/document.xml, a PDF
 * without a text layer, an old binary .doc). Plain text is copied as it is. */
kc_err kc_extract_input_text(const char *data, size_t len, char **text, size_t *tlen, char *err,
                             size_t errcap) KC_WUR;

#endif
