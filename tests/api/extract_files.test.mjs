// `kycuong extract` on the forms directives are published in: a .docx (built here the way
// Word lays out paragraphs and runs) and a PDF with a text layer (printed here by Debian's
// chromium, hard-wrapped lines and pages included), scored against the gold file of Plan 69.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, SOURCE_DIR, runCli } from '../lib/server.mjs';

const TEXT = readFileSync(join(SOURCE_DIR, 'data/demo/kh-69-ubnd-2017.txt'), 'utf8');
const GOLD = readFileSync(join(SOURCE_DIR, 'tests/extract/kh-69-ubnd-2017.gold.tsv'), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t').slice(0, 3).join('\t'));

function triples(tsv) {
  return tsv.split('\n').filter(Boolean).map((l) => l.split('\t').slice(0, 3).join('\t'));
}

/** Precision and recall of multisets of (lead, due, recurrence) triples. */
function score(found, gold) {
  const left = new Map();
  for (const g of gold) left.set(g, (left.get(g) || 0) + 1);
  let hit = 0;
  for (const f of found) if (left.get(f) > 0) { hit++; left.set(f, left.get(f) - 1); }
  return { precision: hit / found.length, recall: hit / gold.length };
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('extracting tasks from .docx and PDF', () => {
  let dir;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'kc-extract-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a .docx exactly as the same text', () => {
    // one w:p per paragraph, each split into two runs, as Word writes them
    const paras = TEXT.split('\n').map((l) => {
      const w = l.split(' ');
      const runs = [w.slice(0, w.length >> 1).join(' ') + (w.length > 1 ? ' ' : ''), w.slice(w.length >> 1).join(' ')];
      return `<w:p><w:pPr><w:jc w:val="both"/></w:pPr>${runs.filter(Boolean).map((r) => `<w:r><w:t xml:space="preserve">${esc(r)}</w:t></w:r>`).join('')}</w:p>`;
    }).join('');
    const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paras}</w:body></w:document>`;
    writeFileSync(join(dir, 'document.xml'), xml);
    const docx = join(dir, 'plan.docx');
    const py = spawnSync('/usr/bin/python3', ['-c', `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.write(sys.argv[2], 'word/document.xml')
`, docx, join(dir, 'document.xml')], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const fromText = runCli(['extract', join(SOURCE_DIR, 'data/demo/kh-69-ubnd-2017.txt')]);
    const fromDocx = runCli(['extract', docx]);
    assert.equal(fromDocx.status, 0, fromDocx.stderr);
    assert.deepEqual(triples(fromDocx.stdout), triples(fromText.stdout));
    const s = score(triples(fromDocx.stdout), GOLD);
    assert.ok(s.precision >= 0.9 && s.recall >= 0.9, JSON.stringify(s));
  });

  it('reads a PDF’s text layer, rebuilding paragraphs from its lines', { skip: !existsSync('/usr/bin/chromium') && 'needs chromium' }, () => {
    const html = `<!doctype html><meta charset=utf-8><style>body{font-family:"Liberation Serif";font-size:13pt;margin:2cm 1.5cm 2cm 3cm}p{margin:0 0 6pt;text-align:justify}</style>${TEXT.split('\n').filter((l) => l.trim()).map((l) => `<p>${esc(l)}</p>`).join('')}`;
    writeFileSync(join(dir, 'plan.html'), html);
    const pdf = join(dir, 'plan.pdf');
    const c = spawnSync('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${join(dir, 'chromium')}`, '--no-pdf-header-footer', `--print-to-pdf=${pdf}`,
      `file://${join(dir, 'plan.html')}`], { encoding: 'utf8', timeout: 60000 });
    assert.ok(existsSync(pdf), `chromium printed no PDF: ${c.stderr}`);
    const r = runCli(['extract', pdf]);
    assert.equal(r.status, 0, r.stderr);
    const s = score(triples(r.stdout), GOLD);
    assert.ok(s.precision >= 0.9 && s.recall >= 0.9, `PDF scored ${JSON.stringify(s)}`);
  });

  it('refuses a Word 97 .doc and a damaged .docx with a clear message', () => {
    writeFileSync(join(dir, 'old.doc'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    let r = runCli(['extract', join(dir, 'old.doc')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Word 97–2003.*\.docx/);
    writeFileSync(join(dir, 'broken.docx'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40)]));
    r = runCli(['extract', join(dir, 'broken.docx')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /\.docx bị hỏng/);
  });
});
