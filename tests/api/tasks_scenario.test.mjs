// A year of a plan modelled on Kế hoạch 69/KH-UBND (20/3/2017) with a fixed clock: tasks
// assigned on 21/3/2017,
// then the clock moves through 2017 (each step is another `kycuong serve --now …` on the same
// database, as in session.test.mjs). Checks the derived status on both sides of due dates,
// an extension asked before and approved after the deadline, completion on time and late,
// cancellation, and the statistics for 2017 against counts worked out by hand below.
// `init --demo` already holds the real 69/KH-UBND with its own tasks, so this story runs under
// test directives of its own (numbers "KT-…") and counts per directive.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serveExisting } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits, stopClean } from './helpers.mjs';

const T0 = '2017-03-21T09:00:00+07:00';
const at = (day) => `${day}T09:00:00+07:00`;

describe('tasks over 2017 (fixed clock)', () => {
  let srv; // the first server, at T0; it keeps the database (and is stopped last)
  let cur = null; // the server of the current instant, when not srv
  let as; // {lanhdao, truongdv, truongdv2, canbo}: sessions on the current server
  let city, bd, hk;
  const t = {}; // tasks by name
  let d69, d01, rq; // directives; the quarterly template's instances by period

  async function login(url) {
    const names = ['lanhdao', 'truongdv', 'truongdv2', 'canbo', 'admin'];
    const ss = await Promise.all(names.map((n) => session(url, n)));
    as = Object.fromEntries(names.map((n, i) => [n, ss[i]]));
  }
  /** Moves the clock: stops the previous restarted server and serves the database at day. */
  async function clock(day) {
    if (cur) assert.equal(await cur.stop(), 0, 'restarted server exit status');
    cur = await serveExisting(srv.dbPath, { args: ['--now', at(day)] });
    await login(cur.url);
  }
  const get = async (id) => assertStatus(await as.lanhdao('GET', `/tasks/${id}`), 200, `GET /tasks/${id}`);
  const status = async (id) => (await get(id)).status;

  before(async () => {
    srv = await startServer({ args: ['--now', T0] });
    await login(srv.url);
    const units = await allUnits(as.admin);
    city = units.list.find((u) => u.kind === 'city');
    bd = units.byCode.get('HN-D01');
    hk = units.byCode.get('HN-D02');
  });
  after(async () => {
    await cur?.stop().catch(() => {});
    await srv?.stop().catch(() => {});
  });

  it('21/3/2017: the plan and its tasks are assigned; all in progress', async () => {
    d69 = assertStatus(await as.lanhdao('POST', '/directives', {
      number: 'KT-69/KH-UBND', kind: 'plan', issued_on: '2017-03-20', issuer_unit_id: city.id, signer: 'Nguyễn Đức Chung',
      title: '(Kiểm thử) Siết chặt kỷ luật, kỷ cương hành chính; đổi mới lề lối, phong cách làm việc, tạo sự chuyển biến mạnh mẽ, tích cực trong thi hành công vụ',
    }), 201);
    d01 = assertStatus(await as.lanhdao('POST', '/directives', {
      number: 'KT-01/CT-UBND', kind: 'directive', issued_on: '2017-02-03', issuer_unit_id: city.id,
      title: '(Kiểm thử) Tổ chức thực hiện "Năm kỷ cương hành chính 2017"',
    }), 201);
    const task = async (name, lead, title, due, section, dir = d69) => {
      t[name] = assertStatus(await as.lanhdao('POST', '/tasks', {
        directive_id: dir.id, lead_unit_id: lead.id, support_unit_ids: [], title, due_date: due, section,
      }), 201, `POST /tasks ${name}`);
      assert.equal(t[name].status, 'in_progress', name);
    };
    await task('T1', bd, 'Rà soát, ban hành quy chế làm việc, quy trình giải quyết công việc', '2017-04-30', 'II.1.đ');
    await task('T2', hk, 'Niêm yết 10 nội dung, yêu cầu tại bộ phận tiếp nhận và trả kết quả', '2017-04-30', 'II.3.e');
    await task('T3', bd, 'Phân công lại vị trí công tác theo Nghị định 158/2007/NĐ-CP', '2017-06-30', 'II.2.d');
    await task('T4', hk, 'Tổng hợp danh sách đối tượng chuyển đổi vị trí công tác', '2017-06-30', 'II.2.d');
    await task('T5', bd, 'Chuyển đổi, sắp xếp lại vị trí công tác', '2017-08-31', 'II.2.d');
    await task('T6', hk, 'Báo cáo tổng hợp kết quả thực hiện Kế hoạch năm 2017', '2017-12-29', 'III.1.c');
    await task('T7', bd, 'Đăng ký nội dung thi đua thực hiện Năm kỷ cương hành chính', '2017-05-15', null, d01);
    // Quarterly reports to Sở Nội vụ on the 20th of the last month of each quarter (III.2):
    // on 21/3 the 20/3 report is past, so the instances are 20/6, 20/9, 20/12/2017, 20/3/2018.
    const r = assertStatus(await as.lanhdao('POST', '/tasks', {
      directive_id: d69.id, lead_unit_id: hk.id, section: 'III.2',
      title: 'Báo cáo quý kết quả thực hiện Kế hoạch về Sở Nội vụ', recurrence: 'quarterly:20',
    }), 201);
    const inst = assertStatus(await as.lanhdao('GET', `/tasks?parent_id=${r.id}`), 200).items;
    assert.deepEqual(inst.map((x) => x.due_date), ['2017-06-20', '2017-09-20', '2017-12-20', '2018-03-20']);
    rq = Object.fromEntries(inst.map((x) => [x.period, x]));
    t.R = r;
    // Ba Đình and Hoàn Kiếm as a group, under 01/CT-UBND.
    const g = assertStatus(await as.lanhdao('POST', '/unit-groups', { code: 'bd-hk', name: 'UBND quận Ba Đình và Hoàn Kiếm', unit_ids: [bd.id, hk.id] }), 201);
    t.G = assertStatus(await as.lanhdao('POST', '/tasks', {
      directive_id: d01.id, group_id: g.id, title: 'Ký cam kết thực hiện Chỉ thị 01/CT-UBND', due_date: '2017-04-30',
    }), 201);
    assert.deepEqual(t.G.children_summary, { total: 2, done: 0 });
  });

  it('28/4: T1 completed on time; T2 still in progress two days before its due date', async () => {
    await clock('2017-04-28');
    const c = await as.truongdv('POST', `/tasks/${t.T1.id}/complete`, { completed_on: '2017-04-28', evidence: 'Quyết định số 1520/QĐ-UBND ngày 28/4/2017 của UBND quận Ba Đình' });
    assert.equal(assertStatus(c, 200).status, 'done_on_time');
    assert.equal(await status(t.T2.id), 'in_progress');
    const kids = assertStatus(await as.lanhdao('GET', `/tasks?parent_id=${t.G.id}`), 200).items;
    for (const k of kids) {
      const who = k.lead_unit_id === bd.id ? as.truongdv : as.truongdv2;
      assertStatus(await who('POST', `/tasks/${k.id}/complete`, { completed_on: '2017-04-28', evidence: 'Bản cam kết đã ký' }), 200);
    }
    assert.deepEqual((await get(t.G.id)).children_summary, { total: 2, done: 2 });
  });

  it('30/4 (the due date itself): T2 is still in progress, not overdue', async () => {
    await clock('2017-04-30');
    assert.equal(await status(t.T2.id), 'in_progress');
  });

  it('1/5, the day after: T2 is in_progress_overdue and listed so; T4 is cancelled', async () => {
    await clock('2017-05-01');
    assert.equal(await status(t.T2.id), 'in_progress_overdue');
    const od = assertStatus(await as.lanhdao('GET', `/tasks?status=in_progress_overdue&directive_id=${d69.id}`), 200);
    assert.deepEqual(od.items.map((x) => x.id), [t.T2.id]);
    assertError(await as.truongdv2('POST', `/tasks/${t.T4.id}/cancel`, { reason: 'x' }), 403, 'forbidden');
    const c = await as.lanhdao('POST', `/tasks/${t.T4.id}/cancel`, { reason: 'Sở Nội vụ tổng hợp chung cho toàn Thành phố' });
    assert.equal(assertStatus(c, 200).status, 'cancelled');
    assert.equal(await status(t.T1.id), 'done_on_time', 'a task done on time stays so');
  });

  it('1/5: a group parent whose units all finished on time is not overdue', async () => {
    const g = await get(t.G.id);
    assert.deepEqual(g.children_summary, { total: 2, done: 2 });
    assert.notEqual(g.status, 'in_progress_overdue');
  });

  it('10/5: T2 completed late; Ba Đình asks to extend T7 (due 15/5) to 31/5', async () => {
    await clock('2017-05-10');
    const c = await as.truongdv2('POST', `/tasks/${t.T2.id}/complete`, { completed_on: '2017-05-10', evidence: 'Báo cáo số 45/BC-UBND ngày 10/5/2017' });
    assert.equal(assertStatus(c, 200).status, 'done_late');
    const x = await as.truongdv('POST', `/tasks/${t.T7.id}/extensions`, { new_due_date: '2017-05-31', reason: 'Đang tổng hợp bản đăng ký của các phường' });
    t.X7 = assertStatus(x, 201);
    assert.equal(t.X7.status, 'pending');
  });

  it('an extension cannot be approved after the task was completed late (its status would change)', async () => {
    await clock('2017-05-20');
    const c = await as.truongdv('POST', `/tasks/${t.T7.id}/complete`, { completed_on: '2017-05-20', evidence: 'Báo cáo số 50/BC-UBND' });
    assert.equal(assertStatus(c, 200).status, 'done_late');
    await clock('2017-05-22');
    const ap = await as.lanhdao('POST', `/extensions/${t.X7.id}/approve`, { note: 'Đồng ý' });
    try {
      assert.ok([400, 409].includes(ap.status), `approve answered ${ap.status} ${ap.text}`);
    } finally {
      assert.equal(await status(t.T7.id), 'done_late', 'completed on 20/5, after the 15/5 due date in force then');
    }
  });

  it('19/6: the Q2 report (due 20/6) is completed a day early', async () => {
    await clock('2017-06-19');
    const c = await as.truongdv2('POST', `/tasks/${rq['2017-Q2'].id}/complete`, { completed_on: '2017-06-19', evidence: 'Báo cáo số 61/BC-UBND quý II/2017' });
    assert.equal(assertStatus(c, 200).status, 'done_on_time');
  });

  it('28/6: Ba Đình asks to extend T3 (due 30/6) to 31/8; pending, T3 still in progress', async () => {
    await clock('2017-06-28');
    const x = await as.truongdv('POST', `/tasks/${t.T3.id}/extensions`, {
      new_due_date: '2017-08-31', reason: 'Chờ hướng dẫn của Sở Nội vụ về danh mục vị trí phải chuyển đổi',
    });
    t.X3 = assertStatus(x, 201);
    assert.equal(await status(t.T3.id), 'in_progress');
  });

  it('3/7: T3 is overdue while the request is pending; the approval moves the due date and T3 is back in progress', async () => {
    await clock('2017-07-03');
    assert.equal(await status(t.T3.id), 'in_progress_overdue');
    const ap = await as.lanhdao('POST', `/extensions/${t.X3.id}/approve`, { note: 'Đồng ý gia hạn đến 31/8/2017' });
    assert.equal(assertStatus(ap, 200).status, 'approved');
    const t3 = await get(t.T3.id);
    assert.equal(t3.status, 'in_progress');
    assert.equal(t3.due_date, '2017-08-31');
    assert.equal(t3.original_due_date, '2017-06-30');
    const h = assertStatus(await as.truongdv('GET', `/tasks/${t.T3.id}/due-history`), 200);
    assert.deepEqual(h.items.map((e) => [e.old_due_date, e.new_due_date]), [[null, '2017-06-30'], ['2017-06-30', '2017-08-31']]);
    assert.equal(h.items[1].at, at('2017-07-03'));
    assertError(await as.lanhdao('POST', `/extensions/${t.X3.id}/refuse`, { note: 'muộn' }), 409, 'conflict');
  });

  it('25/8: T3 completed within the extended due date; 1/9: T5 (due 31/8) overdue', async () => {
    await clock('2017-08-25');
    const c = await as.canbo('POST', `/tasks/${t.T3.id}/complete`, { completed_on: '2017-08-25', evidence: 'Quyết định số 2870/QĐ-UBND ngày 25/8/2017' });
    assert.equal(assertStatus(c, 200).status, 'done_on_time', 'judged against 31/8, not the original 30/6');
    assert.equal(await status(t.T5.id), 'in_progress');
    await clock('2017-09-01');
    assert.equal(await status(t.T5.id), 'in_progress_overdue');
  });

  it('22/9: the Q3 report (due 20/9) is completed two days late', async () => {
    await clock('2017-09-22');
    assert.equal(await status(rq['2017-Q3'].id), 'in_progress_overdue');
    const c = await as.truongdv2('POST', `/tasks/${rq['2017-Q3'].id}/complete`, { completed_on: '2017-09-22', evidence: 'Báo cáo số 98/BC-UBND quý III/2017' });
    assert.equal(assertStatus(c, 200).status, 'done_late');
  });

  it('20/12: statuses, and the 2017 statistics of the plan match the hand count', async () => {
    await clock('2017-12-20');
    const want = {
      [t.T1.id]: 'done_on_time', [t.T2.id]: 'done_late', [t.T3.id]: 'done_on_time', [t.T4.id]: 'cancelled',
      [t.T5.id]: 'in_progress_overdue', [t.T6.id]: 'in_progress',
      [rq['2017-Q2'].id]: 'done_on_time', [rq['2017-Q3'].id]: 'done_late',
      [rq['2017-Q4'].id]: 'in_progress', // due today, 20/12
      [rq['2018-Q1'].id]: 'in_progress',
    };
    for (const [id, st] of Object.entries(want)) assert.equal(await status(Number(id)), st, `task ${id}`);

    // Hand count, tasks of the plan (d69) due in 2017 (as of 20/12/2017):
    //   Ba Đình (HN-D01): T1 done 28/4 ≤ 30/4 → on time; T3 done 25/8 ≤ 31/8 (extended) → on time;
    //     T5 due 31/8, open → overdue. assigned 3 = 2 on time + 0 late + 0 open in time + 1 overdue;
    //     on_time_rate = 2 / (2 + 0 + 1) = 2/3.
    //   Hoàn Kiếm (HN-D02): T2 done 10/5 > 30/4 → late; T4 cancelled → not counted; T6 due 29/12 →
    //     open in time; Q2 report done 19/6 ≤ 20/6 → on time; Q3 done 22/9 > 20/9 → late; Q4 due
    //     20/12 = today → open in time; the 20/3/2018 instance is outside 2017 and the template
    //     has no due date. assigned 5 = 1 + 2 + 2 + 0; on_time_rate = 1 / (1 + 2 + 0) = 1/3.
    //   T7 and the group task belong to d01, not counted here.
    //   Total: assigned 8 = 3 on time + 2 late + 2 open in time + 1 overdue; rate 3/6 = 0.5.
    //   Rank: Ba Đình (2/3) before Hoàn Kiếm (1/3).
    const r = await as.lanhdao('GET', `/stats/tasks?from=2017-01-01&to=2017-12-31&directive_id=${d69.id}`);
    const s = assertStatus(r, 200, 'GET /stats/tasks');
    const row = (u) => [u.unit_code, u.assigned, u.done_on_time, u.done_late, u.open_in_time, u.open_overdue, u.rank];
    assert.deepEqual(s.units.map(row), [
      ['HN-D01', 3, 2, 0, 0, 1, 1],
      ['HN-D02', 5, 1, 2, 2, 0, 2],
    ]);
    assert.ok(Math.abs(s.units[0].on_time_rate - 2 / 3) < 1e-9, `HN-D01 rate ${s.units[0].on_time_rate}`);
    assert.ok(Math.abs(s.units[1].on_time_rate - 1 / 3) < 1e-9, `HN-D02 rate ${s.units[1].on_time_rate}`);
    const { on_time_rate: rate, ...total } = s.total;
    assert.deepEqual(total, { assigned: 8, done_on_time: 3, done_late: 2, open_in_time: 2, open_overdue: 1 });
    assert.equal(rate, 0.5);
    assert.equal(s.from, '2017-01-01');
    assert.equal(s.to, '2017-12-31');

    // Quarter II only (1/4–30/6): T1 (30/4, on time) for Ba Đình; T2 (30/4, late) and the Q2
    // report (20/6, on time) for Hoàn Kiếm. T3 no longer falls in Q2: its due date is now 31/8.
    // T4 (30/6) is cancelled.
    const q2 = assertStatus(await as.lanhdao('GET', `/stats/tasks?from=2017-04-01&to=2017-06-30&directive_id=${d69.id}`), 200);
    assert.deepEqual(q2.units.map(row), [
      ['HN-D01', 1, 1, 0, 0, 0, 1],
      ['HN-D02', 2, 1, 1, 0, 0, 2],
    ]);
    assert.equal(q2.total.on_time_rate, 2 / 3);

    // A unit head sees only its own unit's line.
    const own = assertStatus(await as.truongdv2('GET', `/stats/tasks?from=2017-01-01&to=2017-12-31&directive_id=${d69.id}`), 200);
    assert.deepEqual(own.units.map(row), [['HN-D02', 5, 1, 2, 2, 0, 1]]);
    assert.equal(own.total.assigned, 5);
  });

  it('the servers stop cleanly', async () => {
    assert.equal(await cur.stop(), 0);
    cur = null;
    await stopClean(srv);
  });
});
