// The review screen reads a .docx chosen from the disk: the document goes to the server as it
// is, and the proposal (Plan 69's 118 tasks) appears as for pasted text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, ADMIN_PASSWORD, ARTIFACTS_DIR, BIN, SOURCE_DIR } from '../lib/server.mjs';
import { MISSING, launchBrowser } from '../lib/browser.mjs';

const missing = MISSING;
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

let server, browser, dir;
before(async () => {
  if (missing) return;
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'kc-docx-'));
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the review screen reads a .docx', { skip: missing || false }, async () => {
  const text = readFileSync(join(SOURCE_DIR, 'data/demo/kh-69-ubnd-2017.txt'), 'utf8');
  const xml = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${
    text.split('\n').map((l) => `<w:p><w:r><w:t xml:space="preserve">${esc(l)}</w:t></w:r></w:p>`).join('')}</w:body></w:document>`;
  writeFileSync(join(dir, 'document.xml'), xml);
  const docx = join(dir, 'KH 69.docx');
  const py = spawnSync('/usr/bin/python3', ['-c', `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[2], 'word/document.xml')
`, docx, join(dir, 'document.xml')], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);

  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'vi-VN' });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.getByLabel('Tên đăng nhập').fill('admin');
  await page.getByLabel('Mật khẩu').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
  await page.goto(`${server.url}/#/directives/review`);
  await page.locator('.page-title', { hasText: 'Đọc văn bản chỉ đạo' }).waitFor();
  await page.setInputFiles('#rv-file', docx);
  await page.locator('.rv-task').first().waitFor({ timeout: 30000 });
  assert.equal(await page.locator('.rv-task').count(), 118);
  assert.equal(await page.getByLabel('Số hiệu').inputValue(), '69/KH-UBND');
  assert.equal(await page.getByLabel('Ngày ban hành').inputValue(), '20/03/2017');
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'directive-review-docx.png') });
  assert.deepEqual(errors, []);
  await context.close();
});
