// Browser test of the task screens (Văn bản chỉ đạo, Nhiệm vụ, task page, Bảng điều khiển): a
// real `kycuong serve` with demo data, driven by Debian's Chromium through playwright-core.
// Admin records Plan 69, assigns a task to Sở Nội vụ due in the future, reports 50% progress,
// completes it and sees the dashboard count it done on time for Sở Nội vụ; the unit head of
// Ba Đình does not find it under "Nhiệm vụ của đơn vị tôi". Run: node --test tests/browser/
// Screenshots tasks-list.png, task-page.png, dashboard.png, directive.png go to ARTIFACTS_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, login, client, ADMIN_PASSWORD, DEMO_PASSWORD, ARTIFACTS_DIR, BIN } from '../lib/server.mjs';
import { MISSING, launchBrowser, logIn, navLink } from '../lib/browser.mjs';

const missing = MISSING;
const STEP = 10000;

const pad = (n) => String(n).padStart(2, '0');
/** Today in Hanoi, shifted by n days, as YYYY-MM-DD. */
function hanoiDay(n = 0) {
  const d = new Date(Date.now() + 7 * 3600 * 1000 + n * 86400000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
const dmy = (iso) => iso.split('-').reverse().join('/');

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
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  context.setDefaultTimeout(STEP);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });
  return { context, page };
}

/** Removes the passing notices (bottom right) so that screenshots show the page itself. */
async function shot(page, name) {
  await page.evaluate(() => document.getElementById('notice')?.replaceChildren());
  await page.screenshot({ path: join(ARTIFACTS_DIR, name), fullPage: true });
}


/** Selects the option of a <select> whose text (indentation trimmed) is `text`. */
async function selectByText(select, text) {
  const value = await select.evaluate((el, t) => {
    const o = [...el.options].find((x) => x.textContent.trim() === t);
    return o ? o.value : null;
  }, text);
  assert.ok(value !== null, `option "${text}"`);
  await select.selectOption(value);
}

/** Other units' tasks, so that the lists and the dashboard show more than one row. */
async function seedOthers(api, units, directiveId, year, today) {
  const byName = new Map(units.map((u) => [u.name, u.id]));
  const past = [hanoiDay(-3), hanoiDay(-12), hanoiDay(-25)].filter((d) => d.startsWith(`${year}-`) && d < today);
  const future = [`${year}-12-28`, `${year}-12-30`].filter((d) => d > today);
  const plan = [
    ['Sở Tư pháp', 'Rà soát, hệ thống hóa văn bản quy phạm pháp luật của Thành phố', past[0] || future[0], 'on_time'],
    ['Sở Tư pháp', 'Kiểm soát việc công bố thủ tục hành chính', future[0], null],
    ['Sở Tài chính', 'Xây dựng quy chế phối hợp lĩnh vực kinh tế - tài chính', past[1] || future[0], 'late'],
    ['Sở Xây dựng', 'Quy chế phối hợp lĩnh vực quản lý đô thị, đầu tư và xây dựng', past[0] || future[1], null],
    ['UBND quận Ba Đình', 'Rà soát, ban hành quy chế làm việc của quận', future[1] || future[0], null],
    ['Sở Văn hóa và Thể thao', 'Quy chế phối hợp lĩnh vực văn hóa - khoa giáo', future[0], 'on_time'],
  ];
  for (const [unit, title, due, outcome] of plan) {
    if (!due || !byName.has(unit)) continue;
    const r = await api('POST', '/tasks', { directive_id: directiveId, lead_unit_id: byName.get(unit), title, due_date: due, section: 'II.1' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    if (outcome) {
      const on = outcome === 'late' ? today : (due < today ? due : today);
      if (outcome === 'late' && !(due < today)) continue;
      const c = await api('POST', `/tasks/${r.body.id}/complete`, { completed_on: on, evidence: `Báo cáo số ${r.body.id}/BC ngày ${dmy(on)}`, version: r.body.version });
      assert.equal(c.status, 200, JSON.stringify(c.body));
    }
  }
}

test('tasks: directive, task, progress, completion, dashboard; unit head does not see it as theirs',
  { skip: missing || false, timeout: 120000 }, async () => {
    const { context, page } = await newPage();
    const today = hanoiDay(0);
    const due = hanoiDay(30);
    const dueYear = due.slice(0, 4);
    const title = 'Đôn đốc, hướng dẫn xây dựng đề án vị trí việc làm và cơ cấu viên chức';

    await page.goto(`${server.url}/`);
    await logIn(page, 'admin', ADMIN_PASSWORD);

    // --- Văn bản chỉ đạo: Plan 69 is in the demo data; recording it again is refused next to
    // the number; then the directive the plan follows (Chỉ thị 01/CT-UBND) is recorded ---
    await (await navLink(page, 'Văn bản chỉ đạo')).click();
    await page.waitForURL(/#\/directives$/);
    await page.locator('.directives-table a.dir-number', { hasText: '69/KH-UBND' }).waitFor();
    await page.getByLabel('Tìm kiếm').fill('ky cuong hanh chinh');
    await page.waitForFunction(() => !document.querySelector('.table-wrap[aria-busy="true"]')
      && [...document.querySelectorAll('.directives-table a.dir-number')].some((a) => a.textContent === '69/KH-UBND'));
    await page.getByRole('button', { name: '+ Ghi nhận văn bản' }).click();
    let dlg = page.locator('dialog[open]');
    await dlg.getByLabel('Số hiệu').fill('69/KH-UBND');
    await dlg.getByLabel('Loại văn bản').selectOption('plan');
    await dlg.getByLabel('Ngày ban hành').fill('20/03/2017');
    assert.equal(await dlg.getByLabel('Cơ quan ban hành').inputValue(), '1', 'the issuer defaults to the admin\'s unit');
    await dlg.getByLabel('Trích yếu').fill('Siết chặt kỷ luật, kỷ cương hành chính');
    await dlg.getByRole('button', { name: 'Lưu văn bản' }).click();
    await dlg.locator('.field-error', { hasText: '69/KH-UBND' }).waitFor();
    assert.equal(await dlg.getByLabel('Số hiệu').getAttribute('aria-invalid'), 'true');
    await dlg.getByLabel('Số hiệu').fill('01/CT-UBND');
    await dlg.getByLabel('Loại văn bản').selectOption('directive');
    await dlg.getByLabel('Ngày ban hành').fill('03/02/2017');
    await dlg.getByLabel('Người ký').fill('Nguyễn Đức Chung');
    await dlg.getByLabel('Trích yếu').fill('Về tổ chức thực hiện "Năm kỷ cương hành chính 2017"');
    await dlg.getByRole('button', { name: 'Lưu văn bản' }).click();
    await page.waitForURL(/#\/directives\/\d+$/);
    const directiveId = Number(/#\/directives\/(\d+)$/.exec(page.url())[1]);
    await page.locator('.page-title', { hasText: 'Chỉ thị số 01/CT-UBND' }).waitFor();
    await page.getByText('Văn bản này chưa giao nhiệm vụ nào.').waitFor();

    // Other units' tasks under it through the API, so the lists and the chart have more rows.
    const sess = await login(server.url, 'admin', ADMIN_PASSWORD);
    const api = client(server.url, sess);
    const units = (await api('GET', '/units?limit=500')).body.items;
    await seedOthers(api, units, directiveId, dueYear, today);

    // --- "Giao nhiệm vụ" from the directive page: Sở Nội vụ, due in 30 days ---
    await page.reload();
    await page.locator('.page-title', { hasText: 'Chỉ thị số 01/CT-UBND' }).waitFor();
    await page.getByRole('button', { name: '+ Giao nhiệm vụ' }).click();
    dlg = page.locator('dialog[open]');
    assert.equal(await dlg.getByLabel('Văn bản chỉ đạo').inputValue(), String(directiveId), 'the directive is preselected');
    await dlg.getByLabel('Mục trong văn bản').fill('II.2.b');
    await dlg.getByLabel('Tên nhiệm vụ').fill(title);
    await dlg.getByLabel('Nội dung').fill('Giao Sở Nội vụ có trách nhiệm đôn đốc, hướng dẫn các đơn vị sự nghiệp công lập thuộc Thành phố xây dựng đề án vị trí việc làm và cơ cấu viên chức theo chức danh nghề nghiệp.');
    await selectByText(dlg.getByRole('combobox', { name: /^Đơn vị chủ trì/ }), 'Sở Nội vụ');
    await dlg.getByPlaceholder('Lọc theo tên đơn vị…').fill('tai chinh');
    await dlg.getByLabel('Sở Tài chính').check();
    await dlg.getByRole('textbox', { name: 'Hạn hoàn thành' }).fill(dmy(due));
    await dlg.getByRole('button', { name: 'Giao nhiệm vụ' }).click();
    await dlg.waitFor({ state: 'detached' });
    const link = page.locator('.dir-tasks a.task-link', { hasText: title });
    await link.waitFor();
    await page.waitForFunction(() => /\d+\/\d+ nhiệm vụ đã hoàn thành/.test(document.querySelector('.dir-progress')?.textContent || ''));
    await shot(page, 'directive.png');

    // --- the task page ---
    await link.click();
    await page.waitForURL(/#\/tasks\/\d+$/);
    const taskId = /#\/tasks\/(\d+)$/.exec(page.url())[1];
    await page.locator('.page-title', { hasText: title }).waitFor();
    const head = page.locator('.task-head');
    assert.equal((await head.locator('.badge.status').innerText()).trim(), 'Đang thực hiện – trong hạn');
    assert.match(await page.locator('.task-facts').innerText(), /Sở Tài chính/);
    assert.match(await page.locator('.task-facts').innerText(), new RegExp(dmy(due).replace(/\//g, '\\/')));

    // progress 50%
    await head.getByRole('button', { name: 'Báo cáo tiến độ' }).click();
    dlg = page.locator('dialog[open]');
    await dlg.getByLabel('Tiến độ (%)').fill('50');
    await dlg.getByLabel('Nội dung báo cáo').fill('Đã ban hành văn bản hướng dẫn; 12/25 đơn vị đã gửi dự thảo đề án.');
    await dlg.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await page.locator('.task-head [role="progressbar"][aria-valuenow="50"]').waitFor();
    await page.locator('.timeline .tl-title', { hasText: 'Báo cáo tiến độ: 50%' }).waitFor();

    // an empty evidence is refused next to its field, then completion
    await head.getByRole('button', { name: 'Báo cáo hoàn thành' }).click();
    dlg = page.locator('dialog[open]');
    assert.equal(await dlg.getByLabel('Ngày hoàn thành').inputValue(), dmy(today));
    await dlg.getByRole('button', { name: 'Báo cáo hoàn thành' }).click();
    await dlg.locator('.field-error', { hasText: 'Vui lòng nhập văn bản báo cáo kết quả' }).waitFor();
    await dlg.getByLabel('Văn bản báo cáo kết quả').fill(`Báo cáo số 125/BC-SNV ngày ${dmy(today)}`);
    await dlg.getByRole('button', { name: 'Báo cáo hoàn thành' }).click();
    await page.locator('.task-head .badge.status', { hasText: 'Hoàn thành đúng hạn' }).waitFor();
    await page.locator('.task-head [role="progressbar"][aria-valuenow="100"]').waitFor();
    assert.match(await page.locator('.task-facts').innerText(), /125\/BC-SNV/);
    // the lead unit's actions are gone; the assigner may reopen
    assert.equal(await head.getByRole('button', { name: 'Báo cáo tiến độ' }).count(), 0);
    await head.getByRole('button', { name: 'Mở lại' }).waitFor();
    await shot(page, 'task-page.png');

    // --- the task list ---
    await (await navLink(page, 'Nhiệm vụ')).click();
    await page.waitForURL(/#\/tasks/);
    assert.equal(await page.getByRole('tab', { name: 'Tất cả nhiệm vụ tôi được xem' }).getAttribute('aria-selected'), 'true');
    // search without diacritics, in the directive just recorded
    await page.getByLabel('Văn bản', { exact: true }).selectOption(String(directiveId));
    await page.getByLabel('Tìm theo tên nhiệm vụ').fill('de an vi tri viec lam');
    const row = page.locator(`.tasks-table tbody tr[data-id="${taskId}"]`);
    await page.waitForFunction(() => document.querySelectorAll('.tasks-table tbody tr[data-id]').length === 1
      && !document.querySelector('.table-wrap[aria-busy="true"]'));
    assert.match(await row.innerText(), /Hoàn thành đúng hạn/);
    await page.getByLabel('Tìm theo tên nhiệm vụ').fill('');
    await page.waitForFunction(() => document.querySelectorAll('.tasks-table tbody tr[data-id]').length > 1
      && !document.querySelector('.table-wrap[aria-busy="true"]'));
    await shot(page, 'tasks-list.png');
    // the overdue filter shows only red rows
    await page.getByLabel('Trạng thái').selectOption('in_progress_overdue');
    await page.waitForFunction(() => !document.querySelector('.table-wrap[aria-busy="true"]')
      && [...document.querySelectorAll('.tasks-table tbody tr[data-id]')].every((tr) => tr.classList.contains('row-overdue')));

    // --- the dashboard: the year of the due date ---
    await (await navLink(page, 'Bảng điều khiển')).click();
    await page.waitForURL(/#\/dashboard/);
    await page.getByLabel('Thống kê theo').selectOption('year');
    await page.getByLabel('Năm', { exact: true }).selectOption(dueYear);
    // the demo's recurring tasks of Sở Nội vụ fall in that year too: count only the new directive
    await page.getByLabel('Văn bản chỉ đạo').selectOption(String(directiveId));
    await page.waitForURL(new RegExp(`van_ban=${directiveId}`));
    const snv = page.locator('.rank-table tbody tr', { hasText: 'Sở Nội vụ' });
    await snv.waitFor();
    // the table is redrawn when the filtered statistics arrive: wait for that redraw rather
    // than reading the previous, unfiltered rows (the assertion below reports any mismatch)
    await page.waitForFunction(() => {
      const tr = [...document.querySelectorAll('.rank-table tbody tr')].find((r) => r.textContent.includes('Sở Nội vụ'));
      return tr && tr.querySelectorAll('td')[2]?.textContent.trim() === '1';
    }, null, { timeout: 10000 }).catch(() => {});
    const cells = (await snv.locator('td').allInnerTexts()).map((s) => s.trim());
    // Hạng, Đơn vị, Giao, Đúng hạn, Hoàn thành quá hạn, Trong hạn, Quá hạn chưa HT, Tỷ lệ
    assert.deepEqual(cells.slice(1), ['Sở Nội vụ', '1', '1', '0', '0', '0', '100%']);
    assert.ok(Number(await page.locator('[data-stat="done_on_time"] .stat-value').innerText()) >= 1);
    assert.match(await page.locator('[data-stat="on_time_rate"] .stat-value').innerText(), /^\d+(,\d)?%$/);
    await page.locator('.chart-box svg rect.seg-done_on_time').first().waitFor();
    await shot(page, 'dashboard.png');
    // the demo's year of Plan 69, by quarter
    await page.getByLabel('Văn bản chỉ đạo').selectOption('');
    await page.getByLabel('Năm', { exact: true }).selectOption('2017');
    await page.getByLabel('Thống kê theo').selectOption('quarter');
    await page.getByLabel('Quý', { exact: true }).selectOption('2');
    await page.waitForFunction(() => /quý II\/2017/.test(document.querySelector('.dash-period')?.textContent || '')
      && document.querySelectorAll('.rank-table tbody tr[data-unit]').length > 10);
    await shot(page, 'dashboard-2017.png');

    // --- the unit head of Ba Đình: not one of "Nhiệm vụ của đơn vị tôi" ---
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await logIn(page, 'truongdv', DEMO_PASSWORD);
    await (await navLink(page, 'Nhiệm vụ')).click();
    await page.waitForURL(/#\/tasks/);
    const mineTab = page.getByRole('tab', { name: 'Nhiệm vụ của đơn vị tôi' });
    assert.equal(await mineTab.getAttribute('aria-selected'), 'true');
    await page.waitForResponse((r) => r.url().includes('/api/v1/tasks?') && r.url().includes('mine=1')).catch(() => {});
    await page.waitForFunction(() => !document.querySelector('.table-wrap[aria-busy="true"]')
      && document.querySelector('.tasks-table tbody tr'));
    const leads = await page.locator('.tasks-table tbody tr[data-id] td:nth-child(2)').allInnerTexts();
    assert.ok(leads.length > 0, 'Ba Đình has tasks of its own (demo data)');
    // the district and its wards (Plan 69 assigns tasks to the wards too)
    const baDinh = new Set(['UBND quận Ba Đình', 'UBND phường Quán Thánh', 'UBND phường Điện Biên']);
    assert.ok(leads.every((t) => baDinh.has(t.trim())), `only Ba Đình's tasks: ${[...new Set(leads)].join(' | ')}`);
    await page.getByLabel('Tìm theo tên nhiệm vụ').fill('de an vi tri viec lam');
    await page.waitForResponse((r) => r.url().includes('/api/v1/tasks?') && r.url().includes('q=de'));
    await page.waitForFunction(() => !document.querySelector('.table-wrap[aria-busy="true"]'));
    assert.equal(await page.locator(`.tasks-table tbody tr[data-id="${taskId}"]`).count(), 0, 'the task of Sở Nội vụ is not listed');
    // …nor among all the tasks the unit head may see, and its page is not found
    await page.getByRole('tab', { name: 'Tất cả nhiệm vụ tôi được xem' }).click();
    await page.waitForFunction(() => !document.querySelector('.table-wrap[aria-busy="true"]'));
    assert.equal(await page.locator(`.tasks-table tbody tr[data-id="${taskId}"]`).count(), 0);
    await page.goto(`${server.url}/#/tasks/${taskId}`);
    await page.locator('.alert-error', { hasText: 'Không tìm thấy nhiệm vụ' }).waitFor();

    assert.deepEqual(pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4(01|04|09)/.test(e)), [], 'no script errors in the page');
    await context.close();
  });
