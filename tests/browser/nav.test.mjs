// Browser test of the grouped navigation (web/js/nav.js) and the landing page «Việc của tôi»
// (web/js/views/home.js): on a 1280×800 screen and a 390×844 phone every group and entry is
// reachable and inside the screen with no sideways scrolling; the keyboard opens and closes the
// menus; a unit head sees no administration entries it may not use; the home tiles show the
// counts of GET /home and open the lists they count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, ADMIN_PASSWORD, DEMO_PASSWORD, ARTIFACTS_DIR } from '../lib/server.mjs';
import { MISSING, launchBrowser, navLinks, signedIn as signedInAs, assertNoSideScroll } from '../lib/browser.mjs';

const STEP = 10000;
const SCREENS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

// What each account finds in the navigation, group by group, in order.
const ADMIN_NAV = {
  'Điều hành': ['Văn bản chỉ đạo', 'Nhiệm vụ', 'Bảng điều khiển'],
  'Một cửa': ['Tiếp nhận hồ sơ', 'Hồ sơ một cửa', 'Thủ tục hành chính', 'Thống kê một cửa'],
  'Tiếp dân & phản ánh': ['Hồ sơ vụ việc'],
  'Cán bộ': ['Cán bộ'],
  'Quản trị': ['Đơn vị', 'Tài khoản', 'Lịch làm việc', 'Nhật ký'],
};
const UNIT_HEAD_NAV = { ...ADMIN_NAV, 'Quản trị': ['Đơn vị', 'Lịch làm việc'] };

let server;
let browser;
const pageErrors = [];

before(async () => {
  if (MISSING) return;
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const signedIn = (viewport, username, password) => signedInAs(browser, server.url, viewport, username, password, pageErrors, STEP);

/** Fails unless the element is shown whole inside the viewport. */
async function assertInside(page, locator, what) {
  const box = await locator.boundingBox();
  const vp = page.viewportSize();
  assert.ok(box, `${what} has no box (hidden)`);
  assert.ok(box.width > 0 && box.height > 0, `${what} is empty`);
  assert.ok(box.x >= 0 && box.x + box.width <= vp.width + 0.5,
    `${what} runs out of the ${vp.width} px screen: x ${box.x}..${box.x + box.width}`);
  // the text is not clipped inside its own box either
  const clipped = await locator.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
  assert.equal(clipped, false, `${what} cuts its text`);
}

/** Walks the whole navigation: every group opens, lists `want` in order, inside the screen. */
async function walkNav(page, want, label) {
  const nav = page.locator('nav.mainnav');
  const toggle = nav.locator('.nav-toggle');
  const phone = await toggle.isVisible();
  if (phone) {
    assert.equal(await nav.locator('.nav-group-btn').first().isVisible(), false, `${label}: the phone list starts folded`);
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  }
  const home = nav.getByRole('link', { name: 'Việc của tôi', exact: true });
  await assertInside(page, home, `${label}: «Việc của tôi»`);
  const buttons = nav.locator('.nav-group-btn');
  assert.deepEqual((await buttons.allInnerTexts()).map((t) => t.trim()), Object.keys(want), `${label}: the groups shown`);
  for (const [group, entries] of Object.entries(want)) {
    const button = nav.getByRole('button', { name: group, exact: true });
    await assertInside(page, button, `${label}: group «${group}»`);
    await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true', `${label}: «${group}» opens`);
    const menu = page.locator(`#${await button.getAttribute('aria-controls')}`);
    const links = menu.getByRole('link');
    assert.deepEqual((await links.allInnerTexts()).map((t) => t.trim()), entries, `${label}: entries of «${group}»`);
    for (const entry of entries) await assertInside(page, menu.getByRole('link', { name: entry, exact: true }), `${label}: «${group} › ${entry}»`);
    await assertNoSideScroll(page, `${label} with «${group}» open`);
    // only one menu open at a time
    assert.equal(await nav.locator('.nav-group-btn[aria-expanded="true"]').count(), 1, `${label}: one menu open`);
  }
  await page.screenshot({ path: join(ARTIFACTS_DIR, `nav-${label.replace(/\W+/g, '-')}.png`) });
}

for (const [screen, viewport] of Object.entries(SCREENS)) {
  test(`navigation on the ${screen} (${viewport.width}×${viewport.height}): every group and entry inside the screen`,
    { skip: MISSING || false, timeout: 60000 }, async () => {
      const { context, page } = await signedIn(viewport, 'admin', ADMIN_PASSWORD);
      await assertNoSideScroll(page, `admin ${screen}`);
      await walkNav(page, ADMIN_NAV, `admin ${screen}`);

      // An entry leads to its page, is marked current, and the menus fold away.
      await page.locator('nav.mainnav').getByRole('link', { name: 'Lịch làm việc', exact: true }).click();
      await page.waitForURL(/#\/calendar(\/\d{4}-\d{2})?$/);
      await page.locator('.cal-grid').first().waitFor();
      assert.equal(await navLinks(page, 'Lịch làm việc').getAttribute('aria-current'), 'page');
      assert.equal(await page.locator('.nav-group-btn[data-group="quan-tri"]').evaluate((b) => b.classList.contains('current')), true,
        'its group is marked');
      assert.equal(await page.locator('.nav-menu:not([hidden])').count(), 0, 'no menu left open');
      await assertNoSideScroll(page, `calendar page ${screen}`);
      await context.close();

      // A unit head: no Tài khoản nor Nhật ký in Quản trị, anywhere in the page.
      const head = await signedIn(viewport, 'truongdv', DEMO_PASSWORD);
      await walkNav(head.page, UNIT_HEAD_NAV, `unit head ${screen}`);
      assert.equal(await navLinks(head.page, 'Tài khoản').count(), 0);
      assert.equal(await navLinks(head.page, 'Nhật ký').count(), 0);
      await head.page.goto(`${server.url}/#/accounts`);
      await head.page.getByText('Bạn không có quyền xem trang này.').waitFor();
      await head.context.close();
    });
}

test('navigation by keyboard: Enter opens a group, arrows move, Esc closes and gives the focus back',
  { skip: MISSING || false, timeout: 30000 }, async () => {
    const { context, page } = await signedIn(SCREENS.desktop, 'admin', ADMIN_PASSWORD);
    const button = page.locator('.nav-group-btn[data-group="mot-cua"]');
    await button.focus();
    await page.keyboard.press('Enter');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Tiếp nhận hồ sơ');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Hồ sơ một cửa');
    await page.keyboard.press('Escape');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('#nav-menu-mot-cua').isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.group), 'mot-cua', 'focus back on the group button');
    // ↓ on the group button opens it on its first entry; End goes to the last
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Thống kê một cửa');
    await page.keyboard.press('Enter');
    // the page writes its filters into the address at once: (?…) may already be there
    await page.waitForURL(/#\/onestop-stats(\?.*)?$/);
    assert.equal(await page.locator('#nav-menu-mot-cua').isVisible(), false, 'following an entry closes its menu');
    // the phone list: Esc folds it
    await page.setViewportSize(SCREENS.phone);
    const toggle = page.locator('.nav-toggle');
    await toggle.click();
    await page.locator('.nav-group-btn[data-group="mot-cua"]').waitFor();
    await page.keyboard.press('Escape');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('.nav-group-btn[data-group="mot-cua"]').isVisible(), false);
    await context.close();
  });

test('«Việc của tôi»: the tiles show GET /home\'s counts and open the lists they count',
  { skip: MISSING || false, timeout: 60000 }, async () => {
    for (const [screen, viewport] of Object.entries(SCREENS)) {
      const { context, page } = await signedIn(viewport, 'truongdv', DEMO_PASSWORD);
      const apiHome = await page.evaluate(async () => (await fetch('/api/v1/home')).json());
      assert.equal(apiHome.scope, 'unit');
      const shown = await page.locator('.home-count').evaluateAll((els) => els.map((el) => [el.dataset.count, Number(el.querySelector('.home-count-n').dataset.n), el.querySelector('.home-count-n').textContent]));
      const want = apiHome.sections.flatMap((s) => s.counts.map((c) => [`${s.key}.${c.key}`, c.count]));
      assert.deepEqual(shown.map(([k, n]) => [k, n]), want, `${screen}: every count of GET /home, in order`);
      for (const [k, n, text] of shown) assert.equal(text.replace(/\D/g, ''), String(n), `${screen}: ${k} as written (${text})`);
      for (const tile of await page.locator('.home-count-link').all()) await assertInside(page, tile, `${screen}: a home tile`);
      await assertNoSideScroll(page, `home ${screen}`);
      await page.screenshot({ path: join(ARTIFACTS_DIR, `home-${screen}.png`), fullPage: true });

      // The overdue tile opens the unit's overdue tasks: the list's total is the tile's count.
      const overdue = want.find(([k]) => k === 'tasks.overdue')[1];
      assert.ok(overdue > 0, 'the demo gives Ba Đình overdue tasks');
      const listed = page.waitForResponse((r) => r.url().includes('/api/v1/tasks?') && r.url().includes('status=in_progress_overdue'));
      await page.locator('[data-count="tasks.overdue"] a').click();
      await page.waitForURL(/#\/tasks\?mine=1&status=in_progress_overdue$/);
      const body = await (await listed).json();
      assert.equal(body.total_count, overdue);
      assert.equal(new URL((await listed).url()).searchParams.get('mine'), '1');
      await page.locator('.tasks-table tbody tr[data-id], table tbody tr[data-id]').first().waitFor();
      assert.equal(await page.locator('#task-status').inputValue(), 'in_progress_overdue', 'the list shows its filter');

      // The dossiers' overdue tile opens the «Quá hạn» tab.
      await page.goto(`${server.url}/#/`);
      await page.locator('[data-count="dossiers.overdue"] a').click();
      await page.waitForURL(/#\/dossiers\?status=overdue$/);
      assert.equal(await page.getByRole('tab', { name: 'Quá hạn' }).getAttribute('aria-selected'), 'true');
      await context.close();
    }
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
