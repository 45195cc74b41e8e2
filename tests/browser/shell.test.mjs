// Browser test of the web shell (web/): a real `kycuong serve` with demo data, driven by
// Debian's Chromium through playwright-core. Run: node --test tests/browser/
// Screenshots (login, unit tree, officials search) go to ARTIFACTS_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, ADMIN_PASSWORD, DEMO_PASSWORD, ARTIFACTS_DIR, BIN } from '../lib/server.mjs';
import { MISSING, launchBrowser, logIn, navLink, navLinks } from '../lib/browser.mjs';

const missing = MISSING;

const STEP = 10000; // ms for any one wait

/** "Nguyễn Văn Đức" → "nguyen van duc": what a person types without diacritics. */
function foldAscii(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase().trim();
}

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

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'vi-VN' });
  context.setDefaultTimeout(STEP);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { context, page };
}

test('web shell: login, unit tree, officials search, logout, role-based navigation',
  { skip: missing || false, timeout: 60000 }, async () => {
    const { context, page } = await newPage();

    // The root URL serves the shell; with no session, GET /me is 401 and the login page shows.
    await page.goto(`${server.url}/`);
    assert.equal(await page.title(), 'Kỷ cương — Hệ thống theo dõi kỷ luật, kỷ cương hành chính');
    await page.getByLabel('Tên đăng nhập').waitFor();

    // A wrong password shows the API's message and stays on the login page.
    await page.getByLabel('Tên đăng nhập').fill('admin');
    await page.getByLabel('Mật khẩu').fill('not-the-password');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    const err = page.locator('#login-error');
    await err.waitFor();
    assert.ok((await err.innerText()).trim().length > 0, 'login error message shown');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'login.png') });

    await logIn(page, 'admin', ADMIN_PASSWORD);
    assert.equal((await page.locator('.user-role').innerText()).trim(), 'Quản trị');
    await navLink(page, 'Tài khoản');
    await navLink(page, 'Nhật ký');

    // Unit tree: the demo city and its 52 units.
    await (await navLink(page, 'Đơn vị')).click();
    await page.waitForURL(/#\/units$/);
    const count = page.locator('#unit-count');
    await count.waitFor();
    await page.waitForFunction(() => /\b58 đơn vị/.test(document.querySelector('#unit-count')?.textContent || ''));
    assert.match(await count.innerText(), /58 đơn vị/);
    await page.locator('.tree .tree-name', { hasText: 'UBND Thành phố Hà Nội' }).first().waitFor();
    await page.getByRole('button', { name: 'Mở rộng tất cả' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.tree li.tree-node').length === 58);
    assert.equal(await page.locator('.tree li.tree-node').count(), 58);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'tree.png') });

    // Officials: take the first row's name, type it without diacritics, find the row again.
    await (await navLink(page, 'Cán bộ')).click();
    await page.waitForURL(/#\/officials$/);
    const firstName = page.locator('.officials-table tbody tr[data-id] td.col-name').first();
    await firstName.waitFor();
    const name = (await firstName.innerText()).trim();
    const folded = foldAscii(name);
    assert.ok(name.length > 0, 'the demo data has officials');
    const searched = page.waitForResponse((r) => r.url().includes('/api/v1/officials?')
      && new URL(r.url()).searchParams.get('q') === folded && r.status() === 200);
    await page.getByLabel('Tìm kiếm').fill(folded);
    await searched;
    await page.waitForFunction((n) => [...document.querySelectorAll('.officials-table tbody td.col-name')]
      .some((td) => td.textContent.trim() === n) && !document.querySelector('.table-wrap[aria-busy="true"]'), name);
    const names = await page.locator('.officials-table tbody tr[data-id] td.col-name').allInnerTexts();
    assert.ok(names.includes(name), `"${folded}" finds "${name}" (rows: ${names.join(', ')})`);
    assert.match(await page.locator('.pager-info').innerText(), /^Hiển thị 1–\d+ \/ [\d.]+$/);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'officials-search.png') });

    // Log out: back to the login page; the session is gone server-side.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByLabel('Tên đăng nhập').waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert.equal(me, 401);

    // A unit head sees no Tài khoản (accounts) and no Nhật ký (audit).
    await logIn(page, 'truongdv', DEMO_PASSWORD);
    assert.equal((await page.locator('.user-role').innerText()).trim(), 'Trưởng đơn vị');
    await navLink(page, 'Cán bộ');
    assert.equal(await navLinks(page, 'Tài khoản').count(), 0, 'unit_head has no Tài khoản entry');
    assert.equal(await navLinks(page, 'Nhật ký').count(), 0, 'unit_head has no Nhật ký entry');

    await context.close();

    // Too many failures for one username: 429, shown as "thử lại sau N giây" (Retry-After).
    const { context: c2, page: p2 } = await newPage();
    await p2.goto(`${server.url}/`);
    await p2.getByLabel('Tên đăng nhập').waitFor();
    const statuses = await p2.evaluate(async () => {
      const out = [];
      for (let i = 0; i < 6; i++) {
        const r = await fetch('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'khach.thu', password: 'sai-mat-khau-0' }) });
        out.push(r.status);
      }
      return out;
    });
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    await p2.getByLabel('Tên đăng nhập').fill('khach.thu');
    await p2.getByLabel('Mật khẩu').fill('sai-mat-khau-0');
    await p2.getByRole('button', { name: 'Đăng nhập' }).click();
    await p2.waitForFunction(() => /thử lại sau \d+ giây/.test(document.querySelector('#login-error')?.textContent || ''));
    await c2.close();

    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
