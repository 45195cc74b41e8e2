// The task page's attachments: the unit head of the lead unit attaches a report through the
// page and downloads it back intact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, login, client, ADMIN_PASSWORD, DEMO_PASSWORD, ARTIFACTS_DIR, BIN } from '../lib/server.mjs';
import { MISSING, launchBrowser } from '../lib/browser.mjs';

const missing = MISSING;

let server;
let browser;
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

test('a unit head attaches a report to a task and downloads it back', { skip: missing || false }, async () => {
  const admin = client(server.url, await login(server.url, 'admin', ADMIN_PASSWORD));
  const bd = (await admin('GET', '/units?q=HN-D01')).body.items[0];
  const task = (await admin('POST', '/tasks', { lead_unit_id: bd.id, title: 'Báo cáo tháng 5', due_date: '2017-05-25' })).body;
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'vi-VN', acceptDownloads: true });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.getByLabel('Tên đăng nhập').fill('truongdv');
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
  await page.goto(`${server.url}/#/tasks/${task.id}`);
  await page.getByRole('heading', { name: 'Tệp đính kèm' }).waitFor();
  const content = Buffer.from('Báo cáo số 21/BC-UBND ngày 24/5/2017 của UBND quận Ba Đình\n');
  await page.getByLabel('Chọn tệp đính kèm').setInputFiles({ name: 'Báo cáo tháng 5.txt', mimeType: 'text/plain', buffer: content });
  await page.getByRole('button', { name: 'Đính kèm', exact: true }).click();
  const link = page.getByRole('link', { name: 'Báo cáo tháng 5.txt' });
  await link.waitFor();
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'task-attachments.png'), fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const saved = join(ARTIFACTS_DIR, 'downloaded-report.txt');
  await download.saveAs(saved);
  assert.deepEqual(readFileSync(saved), content);
  assert.equal(download.suggestedFilename(), 'Báo cáo tháng 5.txt');
  assert.deepEqual(errors, []);
  await context.close();
});
