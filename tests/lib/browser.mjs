// Shared helpers of the browser tests (tests/browser): Chromium through playwright-core, the
// hooks that start a server and the browser, the login form, a signed-in page, the
// no-sideways-scrolling check, the grouped main navigation
// (web/js/nav.js), Hanoi dates. Not a test file.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { BIN, ARTIFACTS_DIR, startServer } from './server.mjs';

export const CHROMIUM = process.env.KC_CHROMIUM || '/usr/bin/chromium';

/** Why the browser tests cannot run here (no server binary, no Chromium), or null. */
export const MISSING = !existsSync(BIN) ? `no server binary at ${BIN}`
  : !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : null;

/** Starts headless Chromium with no network of its own (the caller closes it). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Fills and sends the login form shown on `page`; waits for the signed-in header. */
export async function logIn(page, username, password) {
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.locator('.user-name').waitFor();
}

/**
 * Registers a test file's hooks: before its tests, a server with demo data (startServer's
 * options) and Chromium, unless MISSING; after them, both stopped (a server that exits badly,
 * as the sanitizer build does on a leak, fails the file). Returns {server, browser, errors}:
 * the first two are set once the hooks ran; errors collects uncaught page errors (signedIn).
 */
export function browserSuite(options = {}) {
  const suite = { server: null, browser: null, errors: [] };
  before(async () => {
    if (MISSING) return;
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    suite.server = await startServer(options);
    suite.browser = await launchBrowser();
  });
  after(async () => {
    if (suite.browser) await suite.browser.close();
    if (suite.server) await suite.server.stop();
  });
  return suite;
}

/**
 * A new context of `browser` with `viewport`, signed in on `url` as username, on the home page
 * with its counts drawn; uncaught page errors are pushed to `errors`. Returns {context, page};
 * the caller closes the context.
 */
export async function signedIn(browser, url, viewport, username, password, errors, step = 10000) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN' });
  context.setDefaultTimeout(step);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}/`);
  await logIn(page, username, password);
  await page.locator('.home-count').first().waitFor();
  // The route is done when the heading takes the focus (app.js, after a login): a test that
  // focuses something earlier would lose it to the heading when the home view finishes.
  await page.waitForFunction(() => document.activeElement?.classList.contains('page-title'));
  return { context, page };
}

/** Fails unless the page fits its window's width (no sideways scrolling). */
export async function assertNoSideScroll(page, what) {
  const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(sw <= iw, `${what}: the page scrolls sideways (${sw} > ${iw})`);
}

/** Every main-navigation link named `label`, shown or folded away in a closed menu. */
export function navLinks(page, label) {
  return page.locator('nav.mainnav').getByRole('link', { name: label, exact: true, includeHidden: true });
}

/**
 * Opens what hides the main-navigation entry `label` as a person would (the phone's
 * "Danh mục" button, then its group's button) and returns the link, now shown (the locator
 * still finds it once a route change folds its menu again). Fails when the account has no
 * such entry.
 */
export async function navLink(page, label) {
  const link = page.locator('nav.mainnav').getByRole('link', { name: label, exact: true });
  await navLinks(page, label).first().waitFor({ state: 'attached' });
  if (await link.isVisible()) return navLinks(page, label);
  const toggle = page.locator('nav.mainnav .nav-toggle');
  if (await toggle.isVisible() && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const group = await navLinks(page, label).first()
    .evaluate((a) => a.closest('.nav-group')?.dataset.group || null);
  if (group) {
    const button = page.locator(`nav.mainnav .nav-group-btn[data-group="${group}"]`);
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  }
  await link.waitFor();
  return navLinks(page, label);
}

export const pad = (n) => String(n).padStart(2, '0');

/** Today in Hanoi, shifted by n days, as YYYY-MM-DD. */
export function hanoiDay(n = 0) {
  const d = new Date(Date.now() + 7 * 3600 * 1000 + n * 86400000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
