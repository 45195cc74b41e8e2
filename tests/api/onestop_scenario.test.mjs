// The one-stop shop with a fixed clock (issue 6): dossiers received at the Ba Đình desk and
// moved through 2017 and 2019, each instant another `kycuong serve --now …` on the same
// database. Every due date below is worked out by hand from the official 2017 and 2019
// schedules (data/calendar): Tết 2017 off from Thu 26/1 to Wed 1/2; Giỗ Tổ Thu 6/4/2017.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serveExisting, runCli } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits } from './helpers.mjs';

const START = '2017-01-25T14:00:00+07:00';

describe('one-stop dossiers against working days (fixed clock)', () => {
  let srv; // the first server; it keeps the database and is stopped last
  let cur = null;
  let as; // sessions on the current server
  let bd, tp, tckh, qldt, hk;
  const p = {}; // procedures by name
  const d = {}; // dossiers by name

  async function loginAll(url) {
    const names = ['admin', 'motcua', 'truongdv', 'truongdv2', 'canbo', 'congdan'];
    const ss = await Promise.all(names.map((n) => session(url, n)));
    as = Object.fromEntries(names.map((n, i) => [n, ss[i]]));
  }
  async function clock(instant) {
    if (cur) assert.equal(await cur.stop(), 0, 'restarted server exit status');
    cur = await serveExisting(srv.dbPath, { args: ['--now', instant] });
    await loginAll(cur.url);
  }
  const get = async (name) => assertStatus(await as.truongdv('GET', `/dossiers/${d[name].id}`), 200);
  const act = async (who, name, action, body = {}, status = 200) => {
    const r = await as[who]('POST', `/dossiers/${d[name].id}/${action}`, body);
    return assertStatus(r, status, `${action} ${name}`);
  };
  const receive = async (name, proc, received_at, extra = {}) => {
    d[name] = assertStatus(await as.motcua('POST', '/dossiers', {
      procedure_id: p[proc].id, received_at, channel: 'in_person',
      applicant: { name: 'Nguyễn Thị Ngọc Ánh', id_number: '001190012345', phone: '0912345678', address: '12 phố Quán Thánh, Ba Đình' },
      ...extra,
    }), 201, `receive ${name}`);
    return d[name];
  };

  before(async () => {
    srv = await startServer({ args: ['--now', START], initNow: START });
    await loginAll(srv.url);
    const units = await allUnits(as.admin);
    bd = units.byCode.get('HN-D01');
    tp = units.byCode.get('HN-D01-P01');
    tckh = units.byCode.get('HN-D01-P02');
    qldt = units.byCode.get('HN-D01-P03');
    hk = units.byCode.get('HN-D02');
    const proc = async (name, body) => {
      p[name] = assertStatus(await as.admin('POST', '/procedures', {
        unit_id: bd.id, fee: 'Không', components: ['Tờ khai', { name: 'Bản sao giấy tờ tùy thân', originals: 0, copies: 1 }],
        ...body,
      }), 201, `procedure ${name}`);
    };
    await proc('three', { code: 'KT.0003', name: 'Thủ tục kiểm thử ba ngày làm việc', processing_days: 3, day_kind: 'working' });
    await proc('cutoff', { code: 'KT.0015', name: 'Chứng thực bản sao từ bản chính (kiểm thử)', processing_days: 1, day_kind: 'working', cutoff_hour: 15 });
    await proc('five', { code: 'KT.0005', name: 'Thủ tục kiểm thử năm ngày làm việc', processing_days: 5, day_kind: 'working' });
    await proc('inter', {
      code: 'KT.0105', name: 'Cấp giấy phép liên thông (kiểm thử)', processing_days: 5, day_kind: 'working',
      steps: [
        { name: 'Tiếp nhận, chuyển hồ sơ', unit_id: bd.id, days: 0.5 },
        { name: 'Thẩm định hồ sơ', unit_id: tp.id, days: 2 },
        { name: 'Phê duyệt', unit_id: tckh.id, days: 1 },
      ],
    });
    await proc('two', { code: 'KT.0002', name: 'Thủ tục kiểm thử hai ngày làm việc', processing_days: 2, day_kind: 'working' });
    await proc('calendar', { code: 'KT.0010', name: 'Thủ tục kiểm thử mười ngày', processing_days: 10, day_kind: 'calendar' });
  });
  after(async () => {
    await cur?.stop().catch(() => {});
    await srv?.stop().catch(() => {});
  });

  it('25/1/2017 14:00, the afternoon before Tết: 3 working days end on Mon 6/2 (26/1–1/2 off)', async () => {
    const x = await receive('tet', 'three', '2017-01-25T14:00:00+07:00');
    assert.equal(x.due_date, '2017-02-06');
    assert.equal(x.status, 'received');
    assert.equal(x.apology_owed, false);
    assert.match(x.code, /^HN-D01-170125-\d{4}$/);
    assert.equal(x.rule.code, 'QD09-2015', 'a 2017 dossier is pinned to the regime of QĐ 09/2015');
    const again = await get('tet');
    for (const k of ['id', 'code', 'status', 'due_date', 'apology_owed']) assert.deepEqual(again[k], x[k], k);
    // 10 calendar days from Wed 25/1 end on Sat 4/2, a day off: the next working day, Mon 6/2
    const c = await receive('cal', 'calendar', '2017-01-25T10:00:00+07:00');
    assert.equal(c.due_date, '2017-02-06');
  });

  it('6/3/2017: five working days from Monday end on Mon 13/3', async () => {
    await clock('2017-03-06T09:00:00+07:00');
    const x = await receive('supp', 'five', '2017-03-06T09:00:00+07:00');
    assert.equal(x.due_date, '2017-03-13');
  });

  it('9/3/2017: a supplement request stops the clock', async () => {
    await clock('2017-03-09T10:00:00+07:00');
    const x = await act('motcua', 'supp', 'supplement', { reason: 'Thiếu bản sao giấy tờ tùy thân có chứng thực', items: ['Bản sao CCCD có chứng thực'] });
    assert.equal(x.status, 'supplement_requested');
    assert.equal(x.supplements.length, 1);
    assert.deepEqual(x.supplements[0].items, ['Bản sao CCCD có chứng thực']);
    // a result cannot be recorded while the papers are awaited
    const r = await as.truongdv('POST', `/dossiers/${d.supp.id}/result`, {});
    assertError(r, 409, undefined, 'status');
    assert.match(r.body.error.message, /Chờ bổ sung/);
  });

  it('10/3/2017 15:30: after the 15:00 cut-off a one-day procedure counts from Monday', async () => {
    await clock('2017-03-10T15:30:00+07:00');
    const late = await receive('cut', 'cutoff', '2017-03-10T15:30:00+07:00');
    assert.equal(late.due_date, '2017-03-14', 'Fri 15:30 → counts from Mon 13/3 → due Tue 14/3');
    const early = await receive('cut2', 'cutoff', '2017-03-10T14:59:00+07:00');
    assert.equal(early.due_date, '2017-03-13', 'Fri 14:59 → counts from Fri → due Mon 13/3');
    // the supplement dossier is stopped: not overdue, no apology owed while the clock stops
    assert.equal((await get('supp')).apology_owed, false);
  });

  it('13/3/2017: the papers arrive after the weekend; under QĐ 09/2015 the five days run again', async () => {
    await clock('2017-03-13T09:00:00+07:00');
    const x = await act('motcua', 'supp', 'supplement-received', { note: 'Đã nhận đủ bản sao' });
    assert.equal(x.status, 'in_process');
    assert.equal(x.due_date, '2017-03-20', 'Mon 13/3 + 5 working days = Mon 20/3');
    assert.equal(x.original_due_date, '2017-03-20');
    assert.ok(x.supplements[0].received_at.startsWith('2017-03-13'));
  });

  it('3/4/2017: an inter-agency dossier; Giỗ Tổ (Thu 6/4) is not a working day', async () => {
    await clock('2017-04-03T08:30:00+07:00');
    const x = await receive('inter', 'inter', '2017-04-03T08:30:00+07:00');
    assert.equal(x.due_date, '2017-04-11', 'Mon 3/4 + 5 working days, skipping 6/4 = Tue 11/4');
    assert.equal(x.steps.length, 1);
    assert.equal(x.steps[0].due_at, '2017-04-03T17:00:00+07:00', 'half a day: the afternoon session');
    await clock('2017-04-03T10:00:00+07:00');
    const h = await act('motcua', 'inter', 'handover', {});
    assert.equal(h.holder_unit_id, tp.id, 'the procedure names the next unit');
    assert.equal(h.steps[0].result, 'on_time');
    assert.equal(h.steps[1].name, 'Thẩm định hồ sơ');
    assert.equal(h.steps[1].due_at, '2017-04-05T12:00:00+07:00', 'two days: four sessions from Mon 10:00');
    // another district sees nothing of it
    assertError(await as.truongdv2('GET', `/dossiers/${d.inter.id}`), 404);
    assertError(await as.truongdv2('POST', `/dossiers/${d.inter.id}/result`, {}), 404);
  });

  it('7/4/2017: the second unit hands over late; 10/4 the result is ready a day early', async () => {
    await clock('2017-04-07T09:00:00+07:00');
    const h = await act('truongdv', 'inter', 'handover', { note: 'Đã thẩm định' });
    assert.equal(h.steps[1].result, 'late', 'due Wed 5/4 12:00, handed over Fri 7/4');
    assert.equal(h.holder_unit_id, tckh.id);
    assert.equal(h.steps[2].due_at, '2017-04-10T12:00:00+07:00', 'Fri afternoon + Mon morning');
    await clock('2017-04-10T11:00:00+07:00');
    const r = await act('truongdv', 'inter', 'result', { note: 'Đã ký giấy phép' });
    assert.equal(r.status, 'result_ready');
    assert.equal(r.steps[2].result, 'on_time');
    assert.equal(r.result, 'early', 'ready Mon 10/4, due Tue 11/4');
    assert.equal(r.work_days, 4, 'working days in (3/4, 10/4]: 4, 5, 7, 10 (6/4 Giỗ Tổ)');
    assert.equal(r.holder_unit_id, bd.id, 'the result goes back to the desk');
    const slipRows = r.steps.map((s) => s.result);
    assert.deepEqual(slipRows.slice(0, 3), ['on_time', 'late', 'on_time']);
    // returning is the desk's; an officer of another district cannot
    assertError(await as.truongdv2('POST', `/dossiers/${d.inter.id}/return`, {}), 404);
    const ret = await act('motcua', 'inter', 'return', {});
    assert.equal(ret.status, 'returned');
    // nothing more can happen to a returned dossier
    const again = await as.motcua('POST', `/dossiers/${d.inter.id}/apology`, { reason: 'x', new_due_date: '2017-04-20' });
    assertError(again, 409, undefined, 'status');
  });

  it('8/5/2017 → 11/5: a late dossier owes an apology and gets a new date (QĐ 09/2015: from the first day late)', async () => {
    await clock('2017-05-08T09:00:00+07:00');
    const x = await receive('apo', 'two', '2017-05-08T09:00:00+07:00');
    assert.equal(x.due_date, '2017-05-10');
    assert.equal(x.apology_owed, false);
    await clock('2017-05-10T16:00:00+07:00');
    assert.equal((await get('apo')).apology_owed, false, 'still on its due day');
    await clock('2017-05-11T09:00:00+07:00');
    const owed = await get('apo');
    assert.equal(owed.apology_owed, true);
    assert.equal(owed.overdue, true);
    const list = assertStatus(await as.motcua('GET', '/dossiers?status=apology_owed'), 200);
    assert.ok(list.items.some((i) => i.id === d.apo.id), 'listed as owing an apology');
    // the scheduler tells the unit once, however often it runs
    const t1 = runCli(['tick', '--db', srv.dbPath, '--now', '2017-05-11T09:05:00+07:00']);
    assert.equal(t1.status, 0, t1.stderr);
    const inbox = assertStatus(await as.truongdv('GET', '/inbox'), 200);
    const notes = inbox.items.filter((n) => n.dossier_id === d.apo.id && n.kind === 'apology_owed');
    assert.equal(notes.length, 1, 'one apology notice for the unit head');
    assert.match(notes[0].subject, new RegExp(d.apo.code));
    runCli(['tick', '--db', srv.dbPath, '--now', '2017-05-11T10:00:00+07:00']);
    const inbox2 = assertStatus(await as.truongdv('GET', '/inbox'), 200);
    assert.equal(inbox2.items.filter((n) => n.dossier_id === d.apo.id).length, 1, 'not sent twice');
    // a new date must be a later working day
    assertError(await as.motcua('POST', `/dossiers/${d.apo.id}/apology`, { reason: 'Chờ ý kiến', new_due_date: '2017-05-13' }), 400, undefined, 'new_due_date');
    assertError(await as.motcua('POST', `/dossiers/${d.apo.id}/apology`, { reason: 'Chờ ý kiến', new_due_date: '2017-05-09' }), 400, undefined, 'new_due_date');
    const a = await act('motcua', 'apo', 'apology', { reason: 'Chờ ý kiến của Phòng Tư pháp', new_due_date: '2017-05-15' });
    assert.equal(a.due_date, '2017-05-15');
    assert.equal(a.original_due_date, '2017-05-10');
    assert.equal(a.apology_owed, false);
    assert.equal(a.apologies.length, 1);
    assert.equal(a.apologies[0].old_due_date, '2017-05-10');
    await clock('2017-05-12T10:00:00+07:00');
    const r = await act('canbo', 'apo', 'result', {});
    assert.equal(r.result, 'late', 'an apology does not make a late result timely');
  });

  it('2019 (Decree 61/2018): apology owed one working day before, and the date moves only once', async () => {
    await clock('2019-05-06T09:00:00+07:00');
    const x = await receive('nd61', 'two', '2019-05-06T09:00:00+07:00');
    assert.equal(x.rule.code, 'ND61-2018');
    assert.equal(x.due_date, '2019-05-08');
    assert.equal(x.apology_from, '2019-05-07');
    assert.equal(x.max_reschedules, 1);
    await clock('2019-05-07T09:00:00+07:00');
    assert.equal((await get('nd61')).apology_owed, true);
    const a = await act('motcua', 'nd61', 'apology', { reason: 'Hồ sơ cần xác minh thêm', new_due_date: '2019-05-10' });
    assert.equal(a.due_date, '2019-05-10');
    assert.equal(a.apology_owed, false, 'no second apology can be owed');
    const again = await as.motcua('POST', `/dossiers/${d.nd61.id}/apology`, { reason: 'Lần nữa', new_due_date: '2019-05-14' });
    assertError(again, 409, undefined, 'new_due_date');
    assert.match(again.body.error.message, /1 lần/);
    assert.equal((await get('nd61')).version, a.version, 'the refused apology changed nothing');
  });

  it('statistics for 2017 by unit count what happened, by hand', async () => {
    // The demo database holds 2017 dossiers of its own (its story ends where this one begins,
    // 25/1/2017); they are the same in a fresh demo database made at that instant and seen at
    // this one, so what this story added is the difference.
    const path = '/stats/dossiers?from=2017-01-01&to=2017-12-31&unit_id=' + bd.id;
    const base = await startServer({ args: ['--now', '2019-05-07T09:00:00+07:00'], initNow: START });
    let demoRow;
    try {
      const b = assertStatus(await (await session(base.url, 'truongdv'))('GET', path), 200);
      demoRow = b.items.find((i) => i.unit_id === bd.id) || {};
    } finally {
      await base.stop();
    }
    const s = assertStatus(await as.truongdv('GET', path), 200);
    const total = s.items.find((i) => i.unit_id === bd.id);
    assert.ok(total, JSON.stringify(s));
    const row = Object.fromEntries(['received', 'early', 'on_time', 'late', 'resolved', 'returned', 'apologies',
      'in_process_overdue', 'overdue_unapologised'].map((k) => [k, total[k] - (demoRow[k] || 0)]));
    row.on_time_rate = (row.early + row.on_time) / row.resolved;
    // received in 2017: tet, cal, supp, cut, cut2, inter, apo = 7
    assert.equal(row.received, 7);
    // results: inter early (10/4), apo late (12/5)
    assert.equal(row.early, 1);
    assert.equal(row.late, 1);
    assert.equal(row.resolved, 2);
    assert.equal(row.returned, 1);
    assert.equal(row.apologies, 1);
    assert.equal(row.on_time_rate, 0.5);
    // on 31/12/2017 tet, cal, supp, cut, cut2 were still open and overdue, none apologised
    assert.equal(row.in_process_overdue, 5);
    assert.equal(row.overdue_unapologised, 5);
    const byProc = assertStatus(await as.admin('GET', `/stats/dossiers?from=2017-01-01&to=2017-12-31&group_by=procedure&procedure_id=${p.two.id}`), 200);
    const two = byProc.items.find((i) => i.procedure_id === p.two.id);
    assert.equal(two.received, 1);
    assert.equal(two.late, 1);
    assert.equal(two.late_unapologised, 0);
  });

  it('the public page shows the status and a masked name, nothing personal', async () => {
    const r = await fetch(`${cur.url}/api/v1/public/dossiers/${d.inter.code}`);
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.equal(body.status, 'returned');
    assert.equal(body.applicant_masked, 'Nguyễn T. N. Á.');
    const text = JSON.stringify(body);
    for (const secret of ['001190012345', '0912345678', 'Quán Thánh', 'Ngọc Ánh']) assert.ok(!text.includes(secret), `leaks ${secret}`);
    assert.equal(body.steps.length, 4);
    assert.ok(body.steps.every((s) => !('given_by_name' in s) && !('note' in s)));
    const nf = await fetch(`${cur.url}/api/v1/public/dossiers/HN-D01-000000-0000`);
    assert.equal(nf.status, 404);
  });

  it('the audit chain holds after all of it', async () => {
    const v = runCli(['audit', 'verify', '--db', srv.dbPath]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
  });
});
