// Browser test of the calendar page (#/calendar, web/js/views/calendar.js) against a real
// `kycuong serve` with demo data, in Debian's Chromium through playwright-core.
// Run: node --test tests/browser/calendar.test.mjs
// Screenshots calendar-2018-02.png, calendar-2018-02-edited.png, calendar-mobile.png go to
// ARTIFACTS_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, ADMIN_PASSWORD, DEMO_PASSWORD, ARTIFACTS_DIR, BIN } from '../lib/server.mjs';
import { MISSING, launchBrowser, navLink } from '../lib/browser.mjs';

const missing = MISSING;

const STEP = 10000; // ms for any one wait

let server;
let browser;
const pageErrors = [];

before(async () => {
  if (missing) return;
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function newPage(viewport = { width: 1280, height: 1000 }) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN' });
  context.setDefaultTimeout(STEP);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // The page must not load anything from another origin.
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) pageErrors.push(`external request: ${r.url()}`);
  });
  return { context, page };
}

async function logIn(page, username, password) {
  await page.goto(`${server.url}/`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.locator('.user-name').waitFor();
}

/** A form control by its label, which may end with the required mark " *". */
const field = (scope, label) => scope.getByLabel(new RegExp(`^${label}( \\*)?$`));

const cell = (page, date) => page.locator(`.cal-grid td[data-date="${date}"]`);

/** Waits until the grid shows the month (its title) and is not loading. */
async function gridReady(page, title) {
  await page.waitForFunction((t) => document.querySelector('.cal-title')?.textContent === t
    && !document.querySelector('.cal-grid[aria-busy]') && document.querySelector('.cal-grid td[data-date]'), title);
}

test('calendar page: month grid of Tết 2018, admin adds a day off, the deadline tool follows',
  { skip: missing || false, timeout: 90000 }, async () => {
    const { context, page } = await newPage();
    await logIn(page, 'admin', ADMIN_PASSWORD);

    // The nav entry exists and leads to the page.
    const calLink = await navLink(page, 'Lịch làm việc');
    await page.goto(`${server.url}/#/calendar/2018-02`);
    await gridReady(page, 'Tháng 2/2018');
    assert.equal(await calLink.getAttribute('aria-current'), 'page');

    // Weeks start on Monday; the first column is Thứ Hai and the last Chủ nhật.
    const heads = await page.locator('.cal-grid thead th').evaluateAll((ths) => ths.map((t) => t.getAttribute('abbr')));
    assert.deepEqual(heads, ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật']);
    // 1/2/2018 is a Thursday: the grid starts on Monday 29/01/2018.
    assert.equal(await page.locator('.cal-grid tbody td[data-date]').first().getAttribute('data-date'), '2018-01-29');
    assert.match(await page.locator('.cal-sub').innerText(), /Đinh Dậu – Mậu Tuất/);

    // 16/02/2018: Tết (lunar 1/1), a day off of the official schedule.
    const tet = cell(page, '2018-02-16');
    assert.match(await tet.getAttribute('class'), /\bis-off\b/);
    assert.equal(await tet.getAttribute('data-kind'), 'official');
    assert.match(await tet.getAttribute('title'), /^Nghỉ theo lịch chính thức: Tết Nguyên đán$/);
    assert.match(await tet.getAttribute('aria-label'), /Thứ Sáu, 16\/02\/2018.*âm lịch ngày 1 tháng Giêng năm Mậu Tuất.*ngày nghỉ, Nghỉ theo lịch chính thức: Tết Nguyên đán/);
    assert.equal((await tet.locator('.cal-lunar-dm').innerText()).trim(), '1/1');
    assert.match(await tet.locator('.cal-note').innerText(), /Tết Nguyên đán/);
    for (const d of ['14', '15', '17', '18', '19', '20']) {
      assert.match(await cell(page, `2018-02-${d}`).getAttribute('class'), /\bis-off\b/, `${d}/02 is off`);
    }
    // Working days either side; a plain weekend.
    for (const d of ['2018-02-13', '2018-02-21']) {
      assert.match(await cell(page, d).getAttribute('class'), /\bis-work\b/, `${d} is a working day`);
      assert.equal(await cell(page, d).getAttribute('title'), null);
    }
    assert.equal(await cell(page, '2018-02-10').getAttribute('title'), 'Nghỉ cuối tuần');
    assert.equal((await cell(page, '2018-02-13').locator('.cal-lunar-dm').innerText()).trim(), '28/12');
    assert.match(await page.locator('[data-testid="cal-summary"]').innerText(), /15 ngày làm việc\s+13 ngày nghỉ/);
    // The year's official schedule is listed with its sources.
    await page.locator('.cal-sched-table tbody tr[data-day="2018-02-16"]').waitFor();
    assert.match(await page.locator('.cal-sched-state').innerText(), /Năm 2018 đã có lịch nghỉ chính thức/);
    assert.match(await page.locator('.cal-source-list').innerText(), /vpcp-tet-2018/);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'calendar-2018-02.png'), fullPage: true });
    await page.locator('.cal-month').screenshot({ path: join(ARTIFACTS_DIR, 'calendar-2018-02-grid.png') });

    // Keyboard: the grid holds one tab stop; arrows move by a day, PageDown by a month.
    await cell(page, '2018-02-13').click();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.date), '2018-02-14');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.date), '2018-02-21');
    await page.keyboard.press('PageDown');
    await gridReady(page, 'Tháng 3/2018');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.date), '2018-03-21');
    assert.match(page.url(), /#\/calendar\/2018-03$/);
    await page.getByRole('button', { name: 'Tháng trước' }).click();
    await gridReady(page, 'Tháng 2/2018');
    assert.equal(await page.locator('.cal-grid td[tabindex="0"]').count(), 1);

    // The deadline tool before any edit: 13/02/2018 + 1 working day = Wednesday 21/02/2018.
    await page.getByLabel('Ngày bắt đầu').fill('13/02/2018');
    await page.getByLabel('Số ngày làm việc').fill('1');
    await page.getByRole('button', { name: 'Tính hạn' }).click();
    const addOut = page.locator('[data-testid="cal-add-result"] .cal-result-value');
    await addOut.waitFor();
    assert.equal((await addOut.innerText()).trim(), 'Thứ Tư, 21/02/2018');
    await page.waitForSelector('.cal-grid td[data-date="2018-02-21"].is-due');

    // A bad date: the message goes next to the field.
    await page.getByLabel('Ngày bắt đầu').fill('31/02/2018');
    await page.getByRole('button', { name: 'Tính hạn' }).click();
    await page.locator('#cal-add-date-err').waitFor();
    assert.match(await page.locator('#cal-add-date-err').innerText(), /dd\/mm\/yyyy/);
    assert.equal(await page.getByLabel('Ngày bắt đầu').getAttribute('aria-invalid'), 'true');

    // Admin: add an official day off on 21/02/2018 through the form.
    await page.getByRole('button', { name: '+ Thêm ngày' }).click();
    const dlg = page.locator('dialog[open]');
    await dlg.waitFor();
    // First a swapped working day on a Wednesday: the API's 400 shows next to the Ngày field.
    await field(dlg, 'Ngày').fill('21/02/2018');
    await field(dlg, 'Loại').selectOption('workday');
    await field(dlg, 'Tên').fill('Làm bù thử');
    await dlg.getByRole('button', { name: 'Thêm ngày' }).click();
    const dayErr = dlg.locator('.field-error:not([hidden])');
    await dayErr.waitFor();
    assert.match(await dayErr.innerText(), /thứ Bảy hoặc Chủ nhật/);
    assert.equal(await field(dlg, 'Ngày').getAttribute('aria-invalid'), 'true');
    // Then the day off.
    await field(dlg, 'Loại').selectOption('off');
    await field(dlg, 'Tên').fill('Nghỉ thêm sau Tết');
    await field(dlg, 'Nguồn').fill('vpcp-tet-2018');
    await dlg.getByRole('button', { name: 'Thêm ngày' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.waitForSelector('.cal-grid td[data-date="2018-02-21"].is-off');
    const d21 = cell(page, '2018-02-21');
    assert.equal(await d21.getAttribute('title'), 'Nghỉ theo lịch chính thức: Nghỉ thêm sau Tết');
    assert.match(await d21.locator('.cal-note').innerText(), /Nghỉ thêm sau Tết/);
    await page.locator('.cal-sched-table tbody tr[data-day="2018-02-21"]').waitFor();
    assert.match(await page.locator('[data-testid="cal-summary"]').innerText(), /14 ngày làm việc\s+14 ngày nghỉ/);

    // The deadline tool now gives Thursday 22/02/2018; the count tool agrees.
    await page.getByLabel('Ngày bắt đầu').fill('13/02/2018');
    await page.getByLabel('Số ngày làm việc').fill('1');
    await page.getByRole('button', { name: 'Tính hạn' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="cal-add-result"] .cal-result-value')?.textContent === 'Thứ Năm, 22/02/2018');
    await page.waitForSelector('.cal-grid td[data-date="2018-02-22"].is-due');
    await page.getByLabel('Từ ngày').fill('13/02/2018');
    await page.getByLabel('Đến ngày').fill('22/02/2018');
    await page.getByRole('button', { name: 'Đếm ngày làm việc' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="cal-count-result"] .cal-result-value')?.textContent === '1 ngày');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'calendar-2018-02-edited.png'), fullPage: true });

    // Edit with a stale version: another session changes the row first; the 409 message and
    // the reload button show; after reloading, saving works.
    const row = page.locator('.cal-sched-table tbody tr[data-day="2018-02-21"]');
    await row.getByRole('button', { name: /^Sửa/ }).click();
    await dlg.waitFor();
    const changed = await page.evaluate(async () => {
      const me = await (await fetch('/api/v1/me')).json();
      const s = await (await fetch('/api/v1/calendar/schedule?year=2018')).json();
      const e = s.entries.find((x) => x.day === '2018-02-21');
      const r = await fetch(`/api/v1/calendar/entries/${e.id}`, {
        method: 'PATCH', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token },
        body: JSON.stringify({ version: e.version, name: 'Nghỉ thêm (sửa ở nơi khác)' }),
      });
      return r.status;
    });
    assert.equal(changed, 200);
    await field(dlg, 'Tên').fill('Nghỉ thêm sau Tết Mậu Tuất');
    await dlg.getByRole('button', { name: 'Lưu' }).click();
    await dlg.locator('.alert-error:not([hidden])').waitFor();
    assert.match(await dlg.locator('.alert-error').innerText(), /người khác sửa/);
    await dlg.getByRole('button', { name: 'Tải lại bản mới nhất' }).click();
    await page.waitForFunction(() => document.querySelector('dialog[open] input[name="name"]')?.value === 'Nghỉ thêm (sửa ở nơi khác)');
    await field(dlg, 'Tên').fill('Nghỉ thêm sau Tết Mậu Tuất');
    await dlg.getByRole('button', { name: 'Lưu' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.querySelector('.cal-grid td[data-date="2018-02-21"]')?.title === 'Nghỉ theo lịch chính thức: Nghỉ thêm sau Tết Mậu Tuất');

    // Delete (confirmed): 21/02 is a working day again.
    await row.getByRole('button', { name: /^Xóa/ }).click();
    await dlg.waitFor();
    await dlg.getByRole('button', { name: 'Xóa' }).click();
    await page.waitForSelector('.cal-grid td[data-date="2018-02-21"].is-work');
    await page.locator('.cal-sched-table tbody tr[data-day="2018-02-21"]').waitFor({ state: 'detached' });

    // A month with a swapped working Saturday (05/01/2019) and a year without a schedule.
    await page.goto(`${server.url}/#/calendar/2019-01`);
    await gridReady(page, 'Tháng 1/2019');
    assert.equal(await cell(page, '2019-01-05').getAttribute('title'), 'Làm bù thứ Bảy');
    assert.match(await cell(page, '2019-01-05').getAttribute('class'), /\bis-work\b/);
    await page.waitForFunction(() => /Lịch nghỉ chính thức năm 2019/.test(document.querySelector('#cal-sched-h')?.textContent || ''));
    await page.getByLabel('Năm', { exact: true }).fill('2030');
    await page.getByLabel('Năm', { exact: true }).press('Enter');
    await gridReady(page, 'Tháng 1/2030');
    await page.waitForFunction(() => /Năm 2030 chưa có lịch nghỉ chính thức/.test(document.querySelector('.cal-sched-state')?.textContent || ''));
    assert.equal(await cell(page, '2030-01-01').getAttribute('title'), 'Ngày lễ: Tết Dương lịch');

    // "Hôm nay" goes back to the current month, where today is marked.
    await page.getByRole('button', { name: 'Hôm nay' }).click();
    await page.locator('.cal-grid td.is-today[aria-current="date"]').waitFor();
    await page.mouse.move(0, 0);
    await page.locator('.cal-month').screenshot({ path: join(ARTIFACTS_DIR, 'calendar-today.png') });
    await context.close();

    // A unit head sees the page and the schedule but no admin buttons; a phone-sized screen.
    const { context: c2, page: p2 } = await newPage({ width: 390, height: 844 });
    await logIn(p2, 'truongdv', DEMO_PASSWORD);
    await (await navLink(p2, 'Lịch làm việc')).click();
    await p2.waitForURL(/#\/calendar(\/\d{4}-\d{2})?$/);
    await p2.locator('.cal-grid td[aria-current="date"]').waitFor();
    await p2.goto(`${server.url}/#/calendar/2018-02`);
    await gridReady(p2, 'Tháng 2/2018');
    await p2.locator('.cal-sched-table tbody tr[data-day="2018-02-16"]').waitFor();
    assert.equal(await p2.getByRole('button', { name: '+ Thêm ngày' }).count(), 0);
    assert.equal(await p2.locator('.cal-sched-table button').count(), 0);
    await p2.screenshot({ path: join(ARTIFACTS_DIR, 'calendar-mobile.png') });
    await p2.locator('.cal-sched').screenshot({ path: join(ARTIFACTS_DIR, 'calendar-mobile-schedule.png') });
    await c2.close();

    assert.deepEqual(pageErrors, [], 'no uncaught errors and no external requests');
  });
