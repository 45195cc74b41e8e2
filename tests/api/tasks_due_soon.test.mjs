// The due_soon flag of a task and the status=due_soon list filter (issue 5): an in-progress
// task with at most due_soon_days (setting, default 3) working days left until its due date.
// The clock is Friday 28/4/2017, just before 30/4 and 1/5 and the compensatory day off on
// Tuesday 2/5, so the working days after it are 3/5, 4/5, 5/5, then 8/5: the working-day
// calendar decides, not the weekdays. Later steps restart the server on the same database with
// another setting or another day (as tasks_scenario.test.mjs moves its clock).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serveExisting } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits, stopClean } from './helpers.mjs';

const NOW = '2017-04-28T09:00:00+07:00';
const TODAY = '2017-04-28';

describe('due soon (fixed clock, 28/4/2017)', () => {
  let srv; // at NOW with the default setting; keeps the database
  let cur = null; // a restarted server (another setting or day), stopped before the next one
  let lanhdao, truongdv, truongdv2;
  let bd, directive;
  const t = {}; // tasks by name

  /** Serves the database again with env and --now day; returns {lanhdao, truongdv}. */
  async function restart({ env = {}, day = TODAY } = {}) {
    if (cur) assert.equal(await cur.stop(), 0, 'restarted server exit status');
    cur = await serveExisting(srv.dbPath, { env, args: ['--now', `${day}T09:00:00+07:00`] });
    return { lanhdao: await session(cur.url, 'lanhdao'), truongdv: await session(cur.url, 'truongdv') };
  }
  /** Ids of the directive's due-soon tasks, in list order, and the total_count. */
  async function dueSoon(api, extra = '&limit=500') {
    const r = await api('GET', `/tasks?status=due_soon&directive_id=${directive.id}${extra}`);
    const body = assertStatus(r, 200, 'GET /tasks?status=due_soon');
    for (const x of body.items) assert.equal(x.due_soon, true, `task ${x.id} listed as due soon has due_soon false`);
    return { ids: body.items.map((x) => x.id), total: body.total_count };
  }
  const name = (id) => Object.keys(t).find((k) => t[k].id === id) ?? id;
  const names = (ids) => ids.map(name);

  before(async () => {
    srv = await startServer({ args: ['--now', NOW] });
    [lanhdao, truongdv, truongdv2] = await Promise.all(['lanhdao', 'truongdv', 'truongdv2'].map((u) => session(srv.url, u)));
    const units = await allUnits(lanhdao);
    bd = units.byCode.get('HN-D01');
    const city = units.list.find((u) => u.kind === 'city');
    directive = assertStatus(await lanhdao('POST', '/directives', {
      number: 'KT-HG/2017', kind: 'plan', issued_on: '2017-04-20', issuer_unit_id: city.id,
      title: 'Kiểm thử hạn sắp đến',
    }), 201, 'POST /directives');
    const task = async (key, body) => {
      const r = await lanhdao('POST', '/tasks', { directive_id: directive.id, lead_unit_id: bd.id, title: `Nhiệm vụ ${key}`, ...body });
      t[key] = assertStatus(r, 201, `POST /tasks ${key}`);
    };
    await task('overdue', { due_date: '2017-04-27' }); // yesterday
    await task('today', { due_date: TODAY }); // 0 working days left
    await task('holiday', { due_date: '2017-05-02' }); // a day off: still 0 working days left
    await task('third', { due_date: '2017-05-05' }); // 3 left: 3/5, 4/5, 5/5
    await task('sunday', { due_date: '2017-05-07' }); // 3 left as well
    await task('fourth', { due_date: '2017-05-08' }); // 4 left
    await task('done', { due_date: '2017-05-03' });
    await task('cancelled', { due_date: '2017-05-04' });
    await task('template', { recurrence: 'monthly:25' }); // no due date of its own
    assertStatus(await truongdv('POST', `/tasks/${t.done.id}/complete`, { completed_on: TODAY, evidence: 'Báo cáo số 30/BC-UBND' }), 200, 'complete');
    assertStatus(await lanhdao('POST', `/tasks/${t.cancelled.id}/cancel`, { reason: 'Không còn cần thiết' }), 200, 'cancel');
  });
  after(async () => {
    await cur?.stop().catch(() => {});
    await srv?.stop().catch(() => {});
  });

  it('the flag on each task: in progress with at most 3 working days left', async () => {
    const want = { overdue: false, today: true, holiday: true, third: true, sunday: true, fourth: false, done: false, cancelled: false, template: false };
    for (const [key, soon] of Object.entries(want)) {
      const r = await truongdv('GET', `/tasks/${t[key].id}`);
      const x = assertStatus(r, 200, `GET /tasks/${key}`);
      assert.equal(x.due_soon, soon, `${key} (due ${x.due_date}, ${x.status})`);
    }
    assert.equal(t.today.due_soon, true, 'the POST answer carries the flag');
    assert.equal(t.fourth.due_soon, false);
    // the template's dated instances start on 25/5: not soon
    const inst = assertStatus(await lanhdao('GET', `/tasks?parent_id=${t.template.id}&limit=500`), 200);
    assert.ok(inst.items.length >= 12);
    assert.ok(inst.items.every((x) => x.due_soon === false));
  });

  it('lists carry the flag; status=due_soon lists exactly those tasks, by due date', async () => {
    const all = assertStatus(await lanhdao('GET', `/tasks?directive_id=${directive.id}&top_level=1&limit=500`), 200);
    const flagged = all.items.filter((x) => x.due_soon).map((x) => x.id);
    assert.deepEqual(names(flagged), ['today', 'holiday', 'third', 'sunday']);
    const soon = await dueSoon(lanhdao);
    assert.deepEqual(names(soon.ids), ['today', 'holiday', 'third', 'sunday']);
    assert.equal(soon.total, 4);
    // with other filters, and paged
    assert.deepEqual(names((await dueSoon(lanhdao, `&lead_unit_id=${bd.id}&due_to=2017-05-02`)).ids), ['today', 'holiday']);
    const page = await dueSoon(lanhdao, '&limit=1&offset=1');
    assert.deepEqual(names(page.ids), ['holiday']);
    assert.equal(page.total, 4);
    // scope: the head of Ba Đình sees them, the head of Hoàn Kiếm none
    assert.deepEqual(names((await dueSoon(truongdv)).ids), ['today', 'holiday', 'third', 'sunday']);
    assert.deepEqual(await dueSoon(truongdv2), { ids: [], total: 0 });
  });

  it('an unknown status is refused, naming due_soon among the valid ones', async () => {
    const e = assertError(await lanhdao('GET', '/tasks?status=soon'), 400, 'invalid_field', 'status');
    assert.match(e.message, /due_soon/);
  });

  it('completing a due-soon task clears its flag', async () => {
    const r = await truongdv('POST', `/tasks/${t.third.id}/complete`, { completed_on: TODAY, evidence: 'Báo cáo số 31/BC-UBND' });
    const x = assertStatus(r, 200, 'complete');
    assert.equal(x.status, 'done_on_time');
    assert.equal(x.due_soon, false);
    assert.deepEqual(names((await dueSoon(lanhdao)).ids), ['today', 'holiday', 'sunday']);
  });

  it('due_soon_days comes from the configuration (KYCUONG_DUE_SOON_DAYS)', async () => {
    let as = await restart({ env: { KYCUONG_DUE_SOON_DAYS: '0' } });
    // no working day left before 3/5: today and the day off only
    assert.deepEqual(names((await dueSoon(as.lanhdao)).ids), ['today', 'holiday']);
    assert.equal(assertStatus(await as.truongdv('GET', `/tasks/${t.sunday.id}`), 200).due_soon, false);
    as = await restart({ env: { KYCUONG_DUE_SOON_DAYS: '4' } });
    assert.deepEqual(names((await dueSoon(as.lanhdao)).ids), ['today', 'holiday', 'sunday', 'fourth']);
  });

  it('the window moves with the clock: on Wednesday 3/5 the 28/4 and 2/5 tasks are overdue', async () => {
    const as = await restart({ day: '2017-05-03' });
    // working days after 3/5: 4/5, 5/5, 8/5 (3), 9/5 (4)
    assert.deepEqual(names((await dueSoon(as.lanhdao)).ids), ['sunday', 'fourth']);
    const x = assertStatus(await as.truongdv('GET', `/tasks/${t.holiday.id}`), 200);
    assert.equal(x.status, 'in_progress_overdue');
    assert.equal(x.due_soon, false);
    await cur.stop();
    cur = null;
  });

  it('the server stops cleanly', async () => { await stopClean(srv); });
});
