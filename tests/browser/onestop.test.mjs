// Browser test of the one-stop screens (Tiếp nhận hồ sơ, Hồ sơ một cửa, the dossier page,
// Thống kê một cửa) and the public pages (public.html): a real `kycuong serve` with demo data,
// driven by Debian's Chromium through playwright-core. The admin creates a procedure of
// UBND quận Ba Đình through the API (the demo data need not have any); then
// (a) the desk officer finds it by typing without diacritics, receives a dossier, sees its code
//     and appointment, and finds it in the queue;
// (b) a citizen searches the public catalog without diacritics, opens the procedure page, then
//     looks the dossier up by its code: status and masked name, no phone nor id number;
// (c) the unit head hands the dossier over and records the result; the timeline shows both;
// (d) the statistics page shows the counts the API computes.
// Run: KYCUONG_BIN=build-ui/kycuong node --test tests/browser/onestop.test.mjs
// Screenshots desk.png, queue.png, public-*.png, dossier.png, onestop-stats.png go to ARTIFACTS_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, login, client, ADMIN_PASSWORD, DEMO_PASSWORD, ARTIFACTS_DIR, BIN } from '../lib/server.mjs';
import { MISSING, launchBrowser, logIn, navLink } from '../lib/browser.mjs';

const missing = MISSING;
const STEP = 10000;
const dmy = (iso) => iso.slice(0, 10).split('-').reverse().join('/');
const pad = (n) => String(n).padStart(2, '0');
function hanoiToday() {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

const APPLICANT = { name: 'Nguyễn Văn An', id: '001085012345', phone: '0912345678', address: '12 phố Kim Mã, phường Kim Mã' };

let server;
let browser;
let admin;
let adminCookie, adminCsrf;
let procedure;   // created by the admin
let dossier = {}; // {id, code, due_date} received in (a)
const pageErrors = [];

before(async () => {
  if (missing) return;
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  const adminSess = await login(server.url, 'admin', ADMIN_PASSWORD);
  adminCookie = adminSess.cookie;
  adminCsrf = adminSess.csrf;
  admin = client(server.url, adminSess);
  const ur = await admin('GET', `/units?q=${encodeURIComponent('Ba Đình')}&limit=100`);
  assert.equal(ur.status, 200, JSON.stringify(ur.body));
  const units = ur.body.items;
  const byCode = new Map(units.map((u) => [u.code, u]));
  const badinh = byCode.get('HN-D01');
  assert.ok(badinh, 'demo unit HN-D01');
  // the division that checks the papers: from the demo data, else created here
  let tuphap = byCode.get('HN-D01-P01');
  if (!tuphap) {
    const c = await admin('POST', '/units', { code: 'HN-D01-P01', name: 'Phòng Tư pháp quận Ba Đình', kind: 'division', parent_id: badinh.id });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    tuphap = c.body;
  }
  const r = await admin('POST', '/procedures', {
    code: 'BT-1.001193',
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    level: 'district',
    unit_id: badinh.id,
    processing_days: 3,
    day_kind: 'working',
    cutoff_hour: 15,
    fee: 'Miễn lệ phí',
    components: [
      { name: 'Tờ khai đăng ký khai sinh theo mẫu', originals: 1, copies: 0 },
      { name: 'Giấy chứng sinh', originals: 1, copies: 0 },
      { name: 'Văn bản ủy quyền (nếu có)', originals: 1, copies: 0 },
    ],
    steps: [
      { name: 'Tiếp nhận, kiểm tra hồ sơ', unit_id: badinh.id, days: 0.5 },
      { name: 'Thẩm tra hồ sơ, ghi Sổ đăng ký khai sinh', unit_id: tuphap.id, days: 2 },
      { name: 'Trả kết quả', unit_id: badinh.id, days: 0.5 },
    ],
    requirements: 'Cha hoặc mẹ đăng ký khai sinh cho con trong thời hạn 60 ngày kể từ ngày sinh con.',
    result: 'Giấy khai sinh (bản chính)',
    legal_basis: 'Luật Hộ tịch số 60/2014/QH13; Nghị định 123/2015/NĐ-CP',
    published: true,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  procedure = r.body;
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  context.setDefaultTimeout(STEP);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });
  return { context, page };
}

async function shot(page, name) {
  await page.evaluate(() => document.getElementById('notice')?.replaceChildren());
  await page.screenshot({ path: join(ARTIFACTS_DIR, name), fullPage: true });
}

const idle = (page) => page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));

test('(a) the desk receives a dossier by keyboard; the queue lists it', { skip: missing || false, timeout: 90000 }, async () => {
  const { context, page } = await newPage();
  await page.goto(`${server.url}/`);
  await logIn(page, 'motcua', DEMO_PASSWORD);
  await (await navLink(page, 'Tiếp nhận hồ sơ')).click();
  await page.waitForURL(/#\/desk$/);
  const proc = page.getByRole('combobox', { name: 'Thủ tục hành chính' });
  await proc.waitFor();
  assert.ok(await proc.evaluate((el) => el === document.activeElement), 'the procedure field has the focus');

  // typed without diacritics; the list offers the procedure (the demo catalog has another
  // birth registration, "Thủ tục đăng ký khai sinh"); arrows move to ours, Enter picks it
  await proc.pressSequentially('khai sinh', { delay: 20 });
  const option = page.getByRole('option', { name: /^Đăng ký khai sinh/ });
  await option.waitFor();
  for (let i = 0; i < 10 && (await option.getAttribute('aria-selected')) !== 'true'; i++) await proc.press('ArrowDown');
  assert.equal(await option.getAttribute('aria-selected'), 'true', 'the arrows reach the procedure');
  await proc.press('Enter');
  await page.getByTestId('procedure-limit').filter({ hasText: '3 ngày làm việc; nhận sau 15 giờ tính từ ngày làm việc tiếp theo' }).waitFor();
  assert.equal(await proc.inputValue(), 'Đăng ký khai sinh');
  // the checklist comes from the procedure, all ticked; space toggles one off and on again
  const boxes = page.locator('#desk-components input[type=checkbox]');
  await page.waitForFunction(() => document.querySelectorAll('#desk-components input[type=checkbox]').length === 3);
  assert.deepEqual(await boxes.evaluateAll((els) => els.map((e) => e.checked)), [true, true, true]);
  // Enter moved the focus to the applicant's name
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'desk-name');
  await page.getByLabel('Văn bản ủy quyền (nếu có)').focus();
  await page.keyboard.press('Space');
  assert.equal(await page.getByLabel('Văn bản ủy quyền (nếu có)').isChecked(), false);

  // Enter goes from field to field
  await page.getByLabel('Họ tên người nộp').focus();
  await page.keyboard.type(APPLICANT.name);
  await page.keyboard.press('Enter');
  await page.keyboard.type(APPLICANT.id);
  await page.keyboard.press('Enter');
  await page.keyboard.type(APPLICANT.phone);
  await page.keyboard.press('Enter');
  await page.keyboard.type(APPLICANT.address);
  // the receipt time defaults to now (dd/mm/yyyy HH:MM)
  const at = await page.getByLabel('Thời điểm tiếp nhận').inputValue();
  assert.match(at, /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  assert.equal(at.slice(0, 10), dmy(hanoiToday()));
  // Enter in the last field submits
  await page.getByLabel('Thời điểm tiếp nhận').press('Enter');
  const code = (await page.getByTestId('dossier-code').innerText()).trim();
  assert.match(code, /^HN-D01-/);
  const list = await admin('GET', `/dossiers?q=${encodeURIComponent(code)}`);
  assert.equal(list.body.items.length, 1);
  dossier = list.body.items[0];
  const full = (await admin('GET', `/dossiers/${dossier.id}`)).body;
  assert.equal(full.applicant.phone, APPLICANT.phone);
  assert.deepEqual(full.components.map((c) => c.received), [true, true, false]);
  await page.getByTestId('dossier-due').filter({ hasText: `Hẹn trả: ${dmy(dossier.due_date)}` }).waitFor();
  assert.equal(await page.getByTestId('print-receipt').getAttribute('href'), `/api/v1/dossiers/${dossier.id}/receipt.pdf`);
  assert.equal(await page.getByTestId('print-receipt').getAttribute('target'), '_blank');
  // ready for the next applicant: the procedure is kept and has the focus, the fields are empty
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'desk-procedure');
  assert.equal(await proc.inputValue(), 'Đăng ký khai sinh');
  assert.equal(await page.getByLabel('Họ tên người nộp').inputValue(), '');
  await shot(page, 'desk.png');

  // Enter keeps the procedure and goes to the name; an error of the API is shown at its
  // field: a receipt time in the future
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'desk-name');
  await page.keyboard.type('Trần Thị Bình');
  await page.getByLabel('Thời điểm tiếp nhận').fill('01/01/2099 08:00');
  await page.keyboard.press('Control+Enter');
  const err = page.locator('[data-field="received_at"] .field-error:not([hidden])');
  await err.waitFor();
  assert.ok((await err.innerText()).length > 3);
  assert.equal(await page.getByLabel('Thời điểm tiếp nhận').getAttribute('aria-invalid'), 'true');

  // the queue
  await (await navLink(page, 'Hồ sơ một cửa')).click();
  await page.waitForURL(/#\/dossiers/);
  assert.equal(await page.getByRole('tab', { name: 'Đang giải quyết' }).getAttribute('aria-selected'), 'true');
  const row = page.locator(`.dossiers-table tbody tr[data-code="${code}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /Nguyễn Văn An/);
  assert.match(await row.innerText(), new RegExp(dmy(dossier.due_date).replace(/\//g, '\\/')));
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/dossiers?') && r.url().includes('q=nguyen')),
    page.getByLabel('Tìm hồ sơ').fill('nguyen van an'),
  ]);
  await idle(page);
  assert.equal(await page.locator('.dossiers-table tbody tr[data-code]').count(), 1);
  await row.waitFor();
  assert.match(await page.getByRole('link', { name: 'Xuất Excel (XLSX)' }).getAttribute('href'), /\/api\/v1\/dossiers\/export\?.*format=xlsx/);
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('status=overdue')),
    page.getByRole('tab', { name: 'Quá hạn' }).click(),
  ]);
  await idle(page);
  assert.equal(await row.count(), 0, 'a fresh dossier is not overdue');
  await shot(page, 'queue.png');
  await context.close();
});

test('(b) a citizen searches the public catalog and looks the dossier up', { skip: missing || false, timeout: 90000 }, async () => {
  assert.ok(dossier.code, 'needs the dossier of (a)');
  const up = await fetch(`${server.url}/api/v1/procedures/${procedure.id}/form?component=1&filename=To-khai-khai-sinh.pdf`, {
    method: 'POST', body: '%PDF-1.4 tờ khai mẫu',
    headers: { 'content-type': 'application/pdf', cookie: adminCookie, 'x-csrf-token': adminCsrf },
  });
  assert.equal(up.status, 200, await up.text());
  const { context, page } = await newPage();
  await page.goto(`${server.url}/`);
  await page.getByRole('link', { name: 'Tra cứu hồ sơ, thủ tục hành chính' }).click();
  await page.waitForURL(/public\.html/, { timeout: 30000 });
  await page.getByLabel('Tên hoặc mã thủ tục').fill('dang ky khai sinh');
  // the demo catalog also has "Thủ tục đăng ký khai sinh": ours is the one named exactly so
  const ours = /^\s*Đăng ký khai sinh/;
  const hit = page.locator('.public-results a', { hasText: ours });
  await hit.waitFor();
  assert.match(await page.locator('.public-result', { hasText: ours }).innerText(), /3 ngày làm việc/);
  await shot(page, 'public-catalog.png');
  await hit.click();
  await page.waitForURL(new RegExp(`#/thu-tuc/${procedure.id}$`));
  await page.locator('.page-title', { hasText: 'Đăng ký khai sinh' }).waitFor();
  await page.getByRole('button', { name: 'In' }).waitFor();
  assert.match(await page.locator('.procedure-facts').innerText(), /3 ngày làm việc; nhận sau 15 giờ/);
  assert.match(await page.locator('.components-table').innerText(), /Giấy chứng sinh/);
  // the first component's form file, uploaded by an editor, is offered for download
  const form = page.locator('.components-table a.form-file');
  await form.waitFor();
  assert.match(await form.innerText(), /Tải mẫu: To-khai-khai-sinh\.pdf/);
  const fileBody = await page.evaluate(async (href) => (await fetch(href)).text(), await form.getAttribute('href'));
  assert.equal(fileBody, '%PDF-1.4 tờ khai mẫu');
  assert.match(await page.locator('.proc-steps-table').innerText(), /Phòng Tư pháp quận Ba Đình/);
  // print: no navigation, serif
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('nav.mainnav').isVisible(), false);
  assert.match(await page.evaluate(() => getComputedStyle(document.body).fontFamily), /serif/i);
  await page.emulateMedia({ media: 'screen' });
  await shot(page, 'public-procedure.png');

  // the lookup by code
  await page.getByRole('link', { name: 'Tra cứu hồ sơ' }).click();
  await page.getByLabel('Mã hồ sơ').fill(dossier.code);
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await page.waitForURL(new RegExp(`#/tra-cuu/${dossier.code}$`));
  const box = page.locator('.public-dossier');
  await box.waitFor();
  assert.equal((await page.getByTestId('applicant').innerText()).trim(), 'Nguyễn V. A.');
  assert.match(await page.getByTestId('status').innerText(), /Mới tiếp nhận/);
  assert.match(await page.getByTestId('due').innerText(), new RegExp(dmy(dossier.due_date).replace(/\//g, '\\/')));
  const text = await page.locator('main').innerText();
  assert.ok(!text.includes(APPLICANT.phone), 'no phone number');
  assert.ok(!text.includes(APPLICANT.id), 'no id number');
  assert.ok(!text.includes('Nguyễn Văn An'), 'no full name');
  await shot(page, 'public-lookup.png');

  // the receipt's QR code URL opens the lookup directly; an unknown code says so
  const fresh = await context.newPage();
  await fresh.goto(`${server.url}/public.html#/tra-cuu/${dossier.code}`);
  await fresh.getByTestId('applicant').filter({ hasText: 'Nguyễn V. A.' }).waitFor();
  await fresh.goto(`${server.url}/public.html#/tra-cuu/HN-D01-000000-9999`);
  await fresh.locator('.alert-error', { hasText: 'Không tìm thấy hồ sơ có mã HN-D01-000000-9999' }).waitFor();
  await context.close();
});

test('(c) the unit head hands the dossier over and records the result', { skip: missing || false, timeout: 90000 }, async () => {
  assert.ok(dossier.id, 'needs the dossier of (a)');
  const { context, page } = await newPage();
  await page.goto(`${server.url}/`);
  await logIn(page, 'truongdv', DEMO_PASSWORD);
  await page.goto(`${server.url}/#/dossiers/${dossier.id}`);
  await page.locator('.page-title', { hasText: `Hồ sơ ${dossier.code}` }).waitFor();
  assert.match(await page.locator('.dossier-status').innerText(), /Mới tiếp nhận/);
  assert.match(await page.locator('.dossier-facts').innerText(), /Nguyễn Văn An/);
  assert.equal(await page.locator('a[data-pdf="control.pdf"]').getAttribute('href'), `/api/v1/dossiers/${dossier.id}/control.pdf`);

  // handover: the next step of the procedure is the default
  await page.getByRole('button', { name: 'Chuyển hồ sơ' }).click();
  let dlg = page.locator('dialog[open]');
  const unitSel = dlg.getByLabel('Đơn vị nhận hồ sơ');
  const chosen = await unitSel.evaluate((el) => el.options[el.selectedIndex].textContent.trim());
  assert.equal(chosen, 'Phòng Tư pháp quận Ba Đình');
  assert.equal(await dlg.getByLabel('Tên bước').inputValue(), 'Thẩm tra hồ sơ, ghi Sổ đăng ký khai sinh');
  await dlg.getByLabel('Ghi chú').fill('Chuyển Phòng Tư pháp thẩm tra.');
  await dlg.getByRole('button', { name: 'Chuyển hồ sơ' }).click();
  await dlg.waitFor({ state: 'detached' });
  await page.locator('.dossier-timeline .tl-title', { hasText: 'Chuyển hồ sơ — Phòng Tư pháp quận Ba Đình' }).waitFor();
  assert.match(await page.locator('.dossier-status').innerText(), /Đang giải quyết/);
  const rows = page.locator('.steps-table tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).innerText(), /UBND quận Ba Đình[\s\S]*(Trước hạn|Đúng hạn|Quá hạn)/);
  assert.match(await rows.nth(1).innerText(), /Phòng Tư pháp quận Ba Đình[\s\S]*Đang xử lý/);

  // result
  await page.getByRole('button', { name: 'Có kết quả' }).click();
  dlg = page.locator('dialog[open]');
  await dlg.getByLabel('Ghi chú').fill('Đã ký Giấy khai sinh.');
  await dlg.getByRole('button', { name: 'Ghi nhận có kết quả' }).click();
  await dlg.waitFor({ state: 'detached' });
  await page.locator('.dossier-status', { hasText: 'Đã có kết quả, chờ trả' }).waitFor();
  await page.locator('.dossier-timeline .tl-title', { hasText: 'Có kết quả giải quyết' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Chuyển hồ sơ' }).count(), 0, 'no handover once the result is ready');
  await page.getByRole('button', { name: 'Trả kết quả' }).waitFor();
  await shot(page, 'dossier.png');

  // a stale version is refused (409) with the advice to reload
  const d = (await admin('GET', `/dossiers/${dossier.id}`)).body;
  const r = await admin('POST', `/dossiers/${dossier.id}/return`, { note: 'Trả tại quầy', version: d.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await page.getByRole('button', { name: 'Trả kết quả' }).click();
  dlg = page.locator('dialog[open]');
  await dlg.getByRole('button', { name: 'Trả kết quả' }).click();
  await page.locator('.dossier-stale .alert-error', { hasText: 'vui lòng tải lại trang' }).waitFor();
  await page.locator('.dossier-stale').getByRole('button', { name: 'Tải lại' }).click();
  await page.locator('.dossier-status', { hasText: 'Đã trả kết quả' }).waitFor();
  await context.close();
});

test('(d) the one-stop statistics show the counts', { skip: missing || false, timeout: 90000 }, async () => {
  const { context, page } = await newPage();
  const today = hanoiToday();
  const [y, m] = today.split('-');
  const from = `${y}-${m}-01`;
  const to = `${y}-${m}-${pad(new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate())}`;
  const api = (await admin('GET', `/stats/dossiers?from=${from}&to=${to}&group_by=unit`)).body;
  const bd = api.items.find((x) => x.unit_code === 'HN-D01');
  assert.ok(bd && bd.received >= 1, JSON.stringify(api));

  await page.goto(`${server.url}/`);
  await logIn(page, 'lanhdao', DEMO_PASSWORD);
  await (await navLink(page, 'Thống kê một cửa')).click();
  await page.waitForURL(/#\/onestop-stats/);
  assert.equal(await page.getByLabel('Kỳ thống kê').inputValue(), 'month');
  const row = page.locator('.os-stats-table tbody tr', { hasText: 'UBND quận Ba Đình' });
  await row.waitFor();
  const cells = (await row.locator('td').allInnerTexts()).map((s) => s.trim());
  const n = (v) => new Intl.NumberFormat('de-DE').format(v || 0);
  assert.deepEqual(cells.slice(0, 8), ['UBND quận Ba Đình', n(bd.received), n(bd.early), n(bd.on_time), n(bd.late),
    n(bd.in_process_on_time), n(bd.in_process_overdue), n(bd.returned)]);
  const rate = bd.on_time_rate === null ? '—' : `${String(Math.round(bd.on_time_rate * 1000) / 10).replace('.', ',')}%`;
  assert.equal(cells[11], rate);
  assert.equal((await page.locator('[data-stat="received"] .stat-value').innerText()).trim(), n(api.total.received));
  await page.locator('.chart-box svg rect.seg').first().waitFor();
  assert.match(await page.getByRole('link', { name: 'Xuất CSV' }).getAttribute('href'), new RegExp(`/api/v1/stats/dossiers/export\\?from=${from}&to=${to}&group_by=unit&format=csv`));

  // by quarter and by procedure
  await page.getByLabel('Kỳ thống kê').selectOption('quarter');
  const q = Math.floor((Number(m) - 1) / 3) + 1;
  await page.locator('.os-period', { hasText: `Quý ${['', 'I', 'II', 'III', 'IV'][q]}/${y}` }).waitFor();
  await page.getByLabel('Tổng hợp theo').selectOption('procedure');
  await page.locator('.os-stats-table tbody tr', { hasText: /^\s*Đăng ký khai sinh/ }).waitFor();
  await shot(page, 'onestop-stats.png');

  assert.deepEqual(pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4(00|01|04|09)/.test(e)), [], 'no script errors in the pages');
  await context.close();
});
