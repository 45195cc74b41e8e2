// Browser test of the directive reader's review-and-confirm screen (#/directives/review): a real
// `kycuong serve` with demo data, driven by Debian's Chromium through playwright-core.
// Admin opens "Nhập từ văn bản", pastes Plan 69 (data/demo/kh-69-ubnd-2017.txt, renumbered
// 69b/KH-UBND since the demo already holds 69/KH-UBND), presses "Đọc văn bản" and checks the
// proposal: ≥ 100 tasks, the first led by Sở Tư pháp due 30/04/2017 with its sentence marked
// in the text; hovering, focusing and clicking link the two panes. Then drops one task, edits a
// title, resolves one unresolved lead and drops the others, gives the missing days and due
// dates, sees an API error naming "tasks[3].lead_unit_id" land on that task and a duplicate
// number land on "Số hiệu", confirms, and finds the tasks on the directive's page (one row per
// confirmed task: a group task is one row). Screenshot directive-review.png to ARTIFACTS_DIR.
// Run: node --test tests/browser/extract.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, ADMIN_PASSWORD, ARTIFACTS_DIR, BIN, SOURCE_DIR } from '../lib/server.mjs';
import { MISSING, launchBrowser, logIn, navLink } from '../lib/browser.mjs';

const PLAN = join(SOURCE_DIR, 'data/demo/kh-69-ubnd-2017.txt');
const missing = MISSING || (!existsSync(PLAN) ? `no ${PLAN}` : null);
const STEP = 15000;

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

/** Selects the option of a <select> whose text (indentation trimmed) is `text`. */
async function selectByText(select, text) {
  const value = await select.evaluate((el, t) => {
    const o = [...el.options].find((x) => x.textContent.trim() === t);
    return o ? o.value : null;
  }, text);
  assert.ok(value !== null, `option "${text}"`);
  await select.selectOption(value);
}

/** The state of every proposed task card, read in one go. */
function cards(page) {
  return page.evaluate(() => [...document.querySelectorAll('.rv-task')].map((c) => {
    const q = (s) => c.querySelector(s);
    const lead = q('.rv-f-lead select');
    return {
      key: c.dataset.task,
      num: q('.rv-task-num').textContent,
      dropped: c.classList.contains('rv-task-dropped'),
      need: c.classList.contains('rv-need'),
      unresolved: !q('.rv-unresolved').hidden,
      lead: lead.value,
      leadText: lead.selectedOptions[0] ? lead.selectedOptions[0].textContent.trim() : '',
      timing: q('.rv-f-timing select').value,
      due: q('.rv-f-due input').value,
      day: q('.rv-f-day input').value,
      month: q('.rv-f-month select').value,
      warn: q('.rv-warn').hidden ? '' : q('.rv-warn').textContent,
      title: q('.rv-f-title textarea').value,
    };
  }));
}

test('directive reader: read Plan 69, review, fix, confirm; the directive lists the tasks',
  { skip: missing || false, timeout: 180000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
    context.setDefaultTimeout(STEP);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });

    await page.goto(`${server.url}/`);
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await (await navLink(page, 'Văn bản chỉ đạo')).click();
    await page.waitForURL(/#\/directives$/);
    await page.getByRole('link', { name: 'Nhập từ văn bản' }).click();
    await page.waitForURL(/#\/directives\/review$/);
    await page.locator('.page-title', { hasText: 'Đọc văn bản chỉ đạo' }).waitFor();

    // --- paste the plan, renumbered, and read it ---
    const original = readFileSync(PLAN, 'utf8');
    assert.ok(original.includes('**69** /KH-UBND'), 'the plan carries its number');
    const text = original.replace('**69** /KH-UBND', '**69b** /KH-UBND');
    const box = page.getByLabel('Nội dung văn bản');
    await box.fill(text);
    await page.getByRole('button', { name: 'Đọc văn bản', exact: true }).click();
    await page.locator('.rv-task').first().waitFor({ timeout: 30000 });

    // the directive's fields, prefilled
    assert.equal(await page.getByLabel('Số hiệu').inputValue(), '69b/KH-UBND');
    assert.equal(await page.getByLabel('Ngày ban hành').inputValue(), '20/03/2017');
    assert.equal(await page.getByLabel('Loại').inputValue(), 'plan');
    assert.match(await page.getByLabel('Trích yếu').inputValue(), /siết chặt kỷ luật, kỷ cương hành chính/);
    assert.equal(await page.getByLabel('Đơn vị ban hành').inputValue(), '1', 'a UBND plan: the city');

    // the proposal
    let all = await cards(page);
    const proposed = all.length;
    assert.ok(proposed >= 100, `≥ 100 tasks proposed, got ${proposed}`);
    const first = page.locator('.rv-task').first();
    assert.equal(all[0].leadText, 'Sở Tư pháp');
    assert.equal(await first.getByLabel('Hạn hoàn thành').inputValue(), '30/04/2017');
    const mark1 = page.locator('.rv-text mark.rv-mark[data-tasks~="t1"]');
    assert.ok(await mark1.count() >= 1, 'the first task\'s sentence is marked');
    assert.match((await mark1.allInnerTexts()).join(''), /^Sở Tư pháp tham mưu UBND Thành phố thành lập Tổ công tác/);
    assert.equal(await page.locator('.rv-text .rv-num[data-task="t1"]').innerText(), '1');
    assert.match(await page.locator('.rv-confirm').innerText(), new RegExp(`^Tạo văn bản và ${proposed} nhiệm vụ$`));

    // focusing a task emphasises its sentence; clicking a sentence selects its task
    await first.getByLabel('Tên nhiệm vụ').focus();
    await page.locator('.rv-text mark.rv-on[data-tasks~="t1"]').first().waitFor();
    await page.locator('.rv-text .rv-num[data-task="t10"]').click();
    await page.locator('.rv-task.rv-task-active[data-task="t10"]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.dataset.task), 't10');
    await page.locator('.rv-text mark.rv-on[data-tasks~="t10"]').first().waitFor();
    // hovering
    await page.locator('.rv-task[data-task="t3"] .rv-task-head').hover();
    await page.locator('.rv-text mark.rv-on[data-tasks~="t3"]').first().waitFor();

    // --- drop task 2, edit task 3's title ---
    let dropped = 0;
    await page.locator('.rv-task[data-task="t2"]').getByRole('button', { name: /^Bỏ nhiệm vụ 2$/ }).click();
    dropped++;
    await page.locator('.rv-task[data-task="t2"] .rv-dropped-bar').waitFor();
    assert.ok(await page.locator('.rv-text mark.rv-mark-dropped[data-tasks="t2"]').count() >= 1, 'a dropped task\'s sentence is greyed');
    const newTitle = 'Rà soát, bổ sung quy định về tổ chức bộ máy, biên chế, tiền lương (đã sửa khi rà soát)';
    await page.locator('.rv-task[data-task="t3"]').getByLabel('Tên nhiệm vụ').fill(newTitle);
    await page.locator('.rv-task[data-task="t3"] .rv-task-head').hover();
    await page.waitForTimeout(200);
    await page.evaluate(() => document.querySelector('.rv-review').scrollIntoView());
    await page.evaluate(() => document.getElementById('notice')?.replaceChildren());
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'directive-review.png') });

    // --- unresolved leads: resolve the first, drop the others ---
    all = await cards(page);
    const unresolved = all.filter((c) => c.unresolved && !c.dropped);
    assert.ok(unresolved.length > 0, 'Plan 69 names groups the demo does not have (e.g. the public service units)');
    await selectByText(page.locator(`.rv-task[data-task="${unresolved[0].key}"] .rv-f-lead select`), 'Sở Nội vụ');
    await page.locator(`.rv-task[data-task="${unresolved[0].key}"] .rv-unresolved`).waitFor({ state: 'hidden' });
    for (const c of unresolved.slice(1)) {
      await page.locator(`.rv-task[data-task="${c.key}"]`).getByRole('button', { name: /^Bỏ nhiệm vụ/ }).click();
      dropped++;
    }

    // --- recurrences without their day, tasks without a due date ---
    all = await cards(page);
    const noDay = all.filter((c) => !c.dropped && c.timing !== 'due' && c.warn);
    assert.ok(noDay.length > 0, 'Plan 69 has "hằng tháng" reports without a day');
    assert.match(noDay[0].warn, /chưa nêu ngày/);
    for (const c of noDay) {
      const card = page.locator(`.rv-task[data-task="${c.key}"]`);
      if (c.timing === 'weekly') await card.getByLabel('Thứ').selectOption('FRI');
      else {
        if (c.timing === 'yearly') await card.getByLabel('Tháng').selectOption('12');
        await card.getByLabel('Ngày', { exact: true }).fill(c.timing === 'yearly' ? '31' : c.timing === 'quarterly' ? '20' : '25');
      }
    }
    all = await cards(page);
    const noDue = all.filter((c) => !c.dropped && c.timing === 'due' && !c.due);
    if (noDue.length) {
      await page.getByLabel(/nhiệm vụ chưa có thời hạn/).fill('31/12/2017');
      await page.getByRole('button', { name: 'Áp dụng' }).click();
    }
    all = await cards(page);
    assert.deepEqual(all.filter((c) => !c.dropped && c.need).map((c) => c.num), [], 'nothing left to fix');
    const expected = proposed - dropped;
    assert.equal(all.filter((c) => !c.dropped).length, expected);
    const confirm = page.getByRole('button', { name: `Tạo văn bản và ${expected} nhiệm vụ` });
    await confirm.waitFor();

    // --- an API error naming a task's field lands on that task (answer simulated) ---
    const activeKeys = all.filter((c) => !c.dropped).map((c) => c.key);
    await page.route('**/api/v1/directives/confirm', (route) => route.fulfill({
      status: 400, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'invalid', message: 'Đơn vị chủ trì không tồn tại', field: 'tasks[3].lead_unit_id' } }),
    }));
    await confirm.click();
    const bad = page.locator(`.rv-task[data-task="${activeKeys[3]}"]`);
    await bad.locator('.rv-f-lead .field-error', { hasText: 'Đơn vị chủ trì không tồn tại' }).waitFor();
    assert.equal(await bad.locator('.rv-f-lead select').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.closest('.rv-task')?.dataset.task), activeKeys[3]);
    await page.unroute('**/api/v1/directives/confirm');

    // --- a number already recorded: the server's answer lands on "Số hiệu" (nothing written) ---
    const confirmAnswer = () => page.waitForResponse((r) => r.url().endsWith('/api/v1/directives/confirm') && r.request().method() === 'POST', { timeout: 60000 });
    await page.getByLabel('Số hiệu').fill('69/KH-UBND');
    let answer = confirmAnswer();
    await confirm.click();
    answer = await answer;
    assert.equal(answer.status(), 409, `a recorded number → 409, got ${answer.status()}: ${await answer.text()}`);
    await page.locator('#rv-number-err:not([hidden])').waitFor();
    assert.equal(await page.getByLabel('Số hiệu').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Số hiệu').fill('69b/KH-UBND');

    // --- confirm ---
    answer = confirmAnswer();
    await confirm.click();
    answer = await answer;
    assert.equal(answer.status(), 201, `confirm → 201, got ${answer.status()}: ${(await answer.text()).slice(0, 300)}`);
    assert.equal((await answer.json()).task_ids.length, expected);
    await page.waitForURL(/#\/directives\/\d+$/, { timeout: 60000 });
    await page.locator('.page-title', { hasText: 'Kế hoạch số 69b/KH-UBND' }).waitFor();
    await page.locator('.dir-tasks tbody tr[data-id]').first().waitFor();
    const rows = await page.locator('.dir-tasks tbody tr[data-id]').count();
    assert.equal(rows, expected, `the directive lists ${expected} tasks (proposed ${proposed} − dropped ${dropped})`);
    assert.equal((await page.locator('.kids-summary').innerText()).trim(), `${expected} nhiệm vụ`);
    await page.locator('.dir-tasks a.task-link', { hasText: newTitle }).waitFor();
    assert.match(await page.locator('.dir-head').innerText(), /Nguyễn Đức Chung/, 'the signer read from the end of the text');

    assert.deepEqual(pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4(00|01|04|09)/.test(e)), [], 'no script errors in the page');
    await context.close();
  });
