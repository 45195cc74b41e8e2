// Browser test of the case screens (Tiếp dân & phản ánh › Hồ sơ vụ việc: views/cases.js,
// views/case.js) with a real `kycuong serve` on demo data, driven by Debian's Chromium through
// playwright-core. An officer of UBND quận Ba Đình receives a feedback case through the form
// built from the kind's declared fields, finds it in the list and in the open count of «Việc
// của tôi», opens it (state, clocks with their deadlines dd/mm/yyyy, history), accepts it and
// answers it: the state changes and the history grows each time. On a phone the same pages fit
// the screen. The unit head assigns an official through an assigning action's form, after a
// refusal of the stale page (409) that asks to reload. A citizen has no such menu entry and is
// refused the page.
// Screenshots cases-list.png, case-page.png, case-phone.png go to ARTIFACTS_DIR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEMO_PASSWORD, ARTIFACTS_DIR } from '../lib/server.mjs';
import { MISSING, browserSuite, navLink, navLinks, signedIn as signInto, assertNoSideScroll } from '../lib/browser.mjs';

const STEP = 10000;
const SCREENS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const TITLE = 'Đèn chiếu sáng ngõ 12 phố Đội Cấn bị hỏng';
const dmy = (iso) => iso.slice(0, 10).split('-').reverse().join('/');

const suite = browserSuite();
const signedIn = (viewport, username) => signInto(suite.browser, suite.server.url, viewport, username, DEMO_PASSWORD, suite.errors, STEP);
const url = (hash) => `${suite.server.url}/${hash}`;

/** The API answer as the signed-in page gets it. */
const apiGet = (page, path) => page.evaluate(async (p) => (await fetch(`/api/v1${p}`)).json(), path);
/** A POST of the signed-in page (with its CSRF token): {status, body}. */
const apiPost = (page, path, body) => page.evaluate(async ([p, b]) => {
  const me = await (await fetch('/api/v1/me')).json();
  const r = await fetch(`/api/v1${p}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token }, body: JSON.stringify(b),
  });
  return { status: r.status, body: await r.json() };
}, [path, body]);

async function shot(page, name) {
  await page.evaluate(() => document.getElementById('notice')?.replaceChildren());
  await page.screenshot({ path: join(ARTIFACTS_DIR, name), fullPage: true });
}

/** The home tile `key` of the cases section: {n, link}. */
async function homeTile(page, key) {
  const tile = page.locator(`[data-count="cases.${key}"]`);
  await tile.waitFor();
  return {
    n: Number(await tile.locator('.home-count-n').getAttribute('data-n')),
    link: await tile.locator('a').getAttribute('href'),
  };
}

/** The history's entries as "action name" texts, oldest first. */
const historyTitles = (page) => page.locator('.case-history .tl-title').allInnerTexts();

test('an officer receives a case, finds it in the list and in «Việc của tôi», accepts and answers it',
  { skip: MISSING || false, timeout: 120000 }, async () => {
    const { context, page } = await signedIn(SCREENS.desktop, 'canbo');
    const before1 = await homeTile(page, 'open');
    assert.equal(before1.link, '#/cases?mine=1&open=1', 'the tile opens what the unit handles');

    // the menu entry is in «Tiếp dân & phản ánh»
    const group = await navLinks(page, 'Hồ sơ vụ việc').first().evaluate((a) => a.closest('.nav-group')?.dataset.group);
    assert.equal(group, 'tiep-dan');
    await (await navLink(page, 'Hồ sơ vụ việc')).click();
    await page.waitForURL(/#\/cases\?mine=1/);
    await page.locator('.cases-table').waitFor();
    assert.equal(await page.locator('#case-mine').isChecked(), true, 'a unit officer starts on the unit\'s own cases');

    // the receive form comes from the kind's declared fields, labels in Vietnamese
    await page.getByRole('button', { name: '+ Tiếp nhận vụ việc' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByRole('heading', { name: 'Tiếp nhận: Phản ánh, kiến nghị' }).waitFor();
    await dialog.getByLabel('Tiêu đề, trích yếu').fill(TITLE);
    await dialog.getByLabel('Kênh tiếp nhận').selectOption({ label: 'Đường dây nóng' });
    await dialog.getByLabel('Người phản ánh').fill('Trần Thị B');
    // a required field left empty is named before anything is sent
    await dialog.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
    await dialog.getByText('Vui lòng nhập nội dung phản ánh.').waitFor();
    await dialog.getByLabel('Nội dung phản ánh').fill('Đèn đường hỏng đã hai tuần, ngõ tối.');
    await dialog.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
    await page.waitForURL(/#\/cases\/\d+$/);
    const id = Number(page.url().split('/').pop());

    // the case page: state, clocks with deadlines as the API computes them, one history entry
    await page.locator('.case-head').waitFor();
    const api = await apiGet(page, `/cases/${id}`);
    assert.equal(api.title, TITLE);
    assert.equal(await page.locator('.page-title').innerText(), TITLE);
    assert.equal(await page.locator('[data-testid="case-state"] [data-state]').innerText(), 'Đã tiếp nhận');
    for (const k of api.clocks) {
      const row = page.locator(`.clocks-table tr[data-clock="${k.code}"]`);
      assert.equal((await row.locator('td').first().innerText()).trim(), k.name);
      assert.match(await row.locator('td.col-date').innerText(), new RegExp(dmy(k.due_date).replace(/\//g, '\\/')), `${k.code} due ${k.due_date}`);
    }
    assert.equal(await page.locator('[data-testid="case-due"]').innerText(), dmy(api.due_date));
    assert.deepEqual(await historyTitles(page), ['Tiếp nhận — Đã tiếp nhận']);
    assert.match(await page.locator('.case-history .tl-meta').first().innerText(), /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} · canbo/);
    assert.match(await page.locator('.case-facts').first().innerText(), /Đường dây nóng/);
    // the officer may accept, nothing else, in this state
    assert.deepEqual(await page.locator('.case-actions button').allInnerTexts(), ['Thụ lý']);
    await assertNoSideScroll(page, 'case page 1280');
    await shot(page, 'case-page.png');

    // the list shows it; «Việc của tôi» counts it, and its tile opens a list with it
    await page.goto(url(`#/cases`));
    await page.locator(`.cases-table tr[data-id="${id}"]`).waitFor();
    assert.match(await page.locator(`.cases-table tr[data-id="${id}"]`).innerText(), /Đã tiếp nhận/);
    await assertNoSideScroll(page, 'case list 1280');
    await shot(page, 'cases-list.png');
    await page.goto(url(`#/`));
    await page.locator('[data-count="cases.open"]').waitFor();
    const after1 = await homeTile(page, 'open');
    assert.equal(after1.n, before1.n + 1, 'the open count grew by one');
    const listed = page.waitForResponse((r) => r.url().includes('/api/v1/cases?') && r.url().includes('open=1'));
    await page.locator('[data-count="cases.open"] a').click();
    await page.waitForURL(/#\/cases\?mine=1&open=1$/);
    assert.equal((await (await listed).json()).total_count, after1.n, 'the list behind the tile has as many');
    assert.equal(await page.locator('#case-state').inputValue(), 'open', 'the list shows its filter');
    await page.locator(`.cases-table tr[data-id="${id}"] a.case-link`).click();
    await page.waitForURL(new RegExp(`#/cases/${id}$`));

    // accept: the state changes, the forwarding clock ends early, the history grows
    await page.locator('.case-actions').getByRole('button', { name: 'Thụ lý' }).click();
    await page.locator('dialog[open]').getByRole('button', { name: 'Thụ lý' }).click();
    await page.locator('[data-testid="case-state"] [data-state="handling"]').waitFor();
    assert.equal(await page.locator('[data-testid="case-state"] [data-state]').innerText(), 'Đang xử lý');
    assert.deepEqual(await historyTitles(page), ['Tiếp nhận — Đã tiếp nhận', 'Thụ lý — Đã tiếp nhận → Đang xử lý']);
    assert.match(await page.locator('.case-history li').nth(1).innerText(), /Kết thúc: Hạn phân loại, chuyển xử lý/);
    assert.equal(await page.locator('.clocks-table tr[data-clock="forward"] [data-result]').innerText(), 'Trước hạn');
    const actions = await page.locator('.case-actions button').allInnerTexts();
    assert.ok(actions.includes('Trả lời') && actions.includes('Đề nghị bổ sung thông tin'), `actions now: ${actions}`);

    // answer: the note is required; the case closes and no action is left
    await page.locator('.case-actions').getByRole('button', { name: 'Trả lời' }).click();
    const answer = page.locator('dialog[open]');
    await answer.getByRole('button', { name: 'Trả lời' }).click();
    await answer.getByText('Vui lòng nhập nội dung, lý do.').waitFor();
    await answer.getByLabel('Nội dung, lý do').fill('Đã thay bóng đèn, ngõ đã sáng.');
    await answer.getByLabel('Văn bản kèm theo (số, ký hiệu, ngày)').fill('Công văn số 123/UBND-QLĐT');
    await answer.getByRole('button', { name: 'Trả lời' }).click();
    await page.locator('[data-testid="case-state"] [data-state="answered"]').waitFor();
    assert.equal((await historyTitles(page)).length, 3);
    assert.equal((await historyTitles(page))[2], 'Trả lời — Đang xử lý → Đã trả lời');
    assert.match(await page.locator('.case-history li').nth(2).innerText(), /Đã thay bóng đèn, ngõ đã sáng\.[\s\S]*Văn bản: Công văn số 123\/UBND-QLĐT/);
    assert.equal(await page.locator('.case-actions').count(), 0);
    await page.getByText('Vụ việc đã kết thúc.').waitFor();
    const closed = await apiGet(page, `/cases/${id}`);
    assert.equal(closed.state, 'answered');
    assert.equal(closed.events.length, 3);

    // answered, it leaves the open count
    await page.goto(url(`#/`));
    assert.equal((await homeTile(page, 'open')).n, before1.n);

    // on a phone the list and the case page fit the screen
    await page.setViewportSize(SCREENS.phone);
    await page.goto(url(`#/cases?mine=0`));
    await page.locator(`.cases-table tr[data-id="${id}"]`).waitFor();
    await assertNoSideScroll(page, 'case list 390');
    await page.getByRole('button', { name: '+ Tiếp nhận vụ việc' }).click();
    const phoneForm = page.locator('dialog[open]');
    const box = await phoneForm.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= SCREENS.phone.width, `the receive form fits the phone: ${box.x}..${box.x + box.width}`);
    await phoneForm.getByRole('button', { name: 'Đóng' }).click();
    await phoneForm.waitFor({ state: 'detached' });
    await page.goto(url(`#/cases/${id}`));
    await page.locator('.case-history').waitFor();
    await assertNoSideScroll(page, 'case page 390');
    await shot(page, 'case-phone.png');
    await context.close();
    assert.deepEqual(suite.errors, [], 'no uncaught errors in the page');
  });

test('the unit head assigns an official through the action\'s form; a stale page is told to reload', { skip: MISSING || false, timeout: 60000 }, async () => {
  const { context, page } = await signedIn(SCREENS.desktop, 'truongdv');
  const { status, body: made } = await apiPost(page, '/cases',
    { kind: 'feedback', title: 'Kiến nghị sửa vỉa hè phố Kim Mã', fields: { channel: 'web', content: 'Vỉa hè bong tróc.' } });
  assert.equal(status, 201, JSON.stringify(made));
  const official = (await apiGet(page, `/officials?unit_id=${made.unit_id}&limit=1`)).items[0];
  assert.ok(official, 'the demo gives Ba Đình officials');
  await page.goto(url(`#/cases/${made.id}`));
  await page.locator('.case-actions').waitFor();
  // accepted meanwhile by someone else: the page's version is stale, the action is refused
  assert.equal((await apiPost(page, `/cases/${made.id}/act`, { action: 'accept', version: made.version })).status, 200);
  await page.locator('.case-actions').getByRole('button', { name: 'Phân công cán bộ' }).click();
  await page.locator('dialog[open]').getByRole('button', { name: 'Phân công cán bộ' }).click();
  const stale = page.locator('.case-stale [role="alert"]');
  await stale.waitFor();
  assert.match(await stale.innerText(), /Vụ việc có thể đã được người khác cập nhật/);
  assert.equal(await page.locator('dialog[open]').count(), 0, 'the form closed');
  await stale.getByRole('button', { name: 'Tải lại' }).click();
  await page.locator('[data-testid="case-state"] [data-state="handling"]').waitFor();
  assert.equal(await page.locator('.case-stale [role="alert"]').count(), 0);

  await page.locator('.case-actions').getByRole('button', { name: 'Phân công cán bộ' }).click();
  const form = page.locator('dialog[open]');
  assert.equal(await form.getByLabel('Đơn vị xử lý').inputValue(), String(made.unit_id), 'the unit handling it now');
  await form.getByLabel('Cán bộ xử lý').selectOption(String(official.id));
  await form.getByRole('button', { name: 'Phân công cán bộ' }).click();
  await page.locator('.case-history li[data-action="assign"]').waitFor();
  assert.match(await page.locator('.case-facts').nth(1).innerText(), new RegExp(official.full_name));
  assert.match(await page.locator('.case-history li[data-action="assign"]').innerText(), /Phân công cán bộ[\s\S]*truongdv[\s\S]*đã phân công cán bộ/);
  assert.equal((await apiGet(page, `/cases/${made.id}`)).official_id, official.id);
  await context.close();
});

test('a citizen has no «Hồ sơ vụ việc» entry and is refused the page', { skip: MISSING || false, timeout: 30000 }, async () => {
  const { context, page } = await signedIn(SCREENS.desktop, 'congdan');
  assert.equal(await navLinks(page, 'Hồ sơ vụ việc').count(), 0);
  assert.equal(await page.locator('[data-section="cases"]').count(), 0, 'no cases section on the home page');
  await page.goto(url(`#/cases`));
  await page.getByText('Bạn không có quyền xem trang này.').waitFor();
  await context.close();
});
