// The case engine's routes (/api/v1/case-kinds, /api/v1/cases), with the shipped kind
// "feedback" (data/case-kinds/feedback.json, rules in data/clocks/feedback.json). The clock is
// fixed at Thu 1/6/2017 09:00; June 2017 has no day off but the weekends, so 5 working days
// after 1/6 is Thu 8/6 and 10 is Thu 15/6. A later step serves the same database on 20/6, when
// the handling clock is overdue, and runs `kycuong tick` to prod.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serveExisting, runCli } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits, stopClean } from './helpers.mjs';

const NOW = '2017-06-01T09:00:00+07:00';

describe('cases (fixed clock, 1/6/2017)', () => {
  let srv;
  let motcua, canbo, truongdv, truongdv2, giamsat, congdan, admin;
  let bd, hk;
  let fb; // a feedback case taken through its states
  let open; // one left open, to be overdue later

  const clock = (c, code) => {
    const k = c.clocks.find((x) => x.code === code);
    assert.ok(k, `no clock ${code} in ${JSON.stringify(c.clocks)}`);
    return k;
  };
  const receive = (api, body = {}) => api('POST', '/cases', {
    kind: 'feedback',
    title: 'Đèn chiếu sáng ngõ 12 phố Đội Cấn bị hỏng',
    fields: { channel: 'hotline', content: 'Đèn đường hỏng đã hai tuần.', sender_name: 'Trần Thị B' },
    ...body,
  });
  const act = (api, c, action, extra = {}) => api('POST', `/cases/${c.id}/act`, { action, version: c.version, ...extra });

  before(async () => {
    srv = await startServer({ args: ['--now', NOW], keep: true });
    [motcua, canbo, truongdv, truongdv2, giamsat, congdan, admin] = await Promise.all(
      ['motcua', 'canbo', 'truongdv', 'truongdv2', 'giamsat', 'congdan', 'admin'].map((u) => session(srv.url, u)));
    const units = await allUnits(admin);
    bd = units.byCode.get('HN-D01');
    hk = units.byCode.get('HN-D02');
  });
  after(async () => {
    if (srv) await stopClean(srv);
  });

  it('lists the kinds with their states, transitions, clocks and sources', async () => {
    const body = assertStatus(await canbo('GET', '/case-kinds'), 200, 'GET /case-kinds');
    const k = body.items.find((x) => x.code === 'feedback');
    assert.ok(k, 'feedback kind');
    assert.equal(body.total_count, body.items.length);
    assert.equal(k.initial, 'received');
    assert.deepEqual(k.states.filter((s) => s.final).map((s) => s.code), ['answered', 'rejected']);
    const handle = k.clocks.find((c) => c.code === 'handle');
    assert.equal(handle.unit, 'working_days');
    assert.equal(handle.count, 10);
    const forward = k.clocks.find((c) => c.code === 'forward');
    assert.match(forward.source, /20\/2008/);
    const ask = k.transitions.find((t) => t.action === 'ask_info');
    assert.deepEqual(ask.pause, ['handle']);
    assert.equal(ask.to, 'waiting');
    assertError(await congdan('GET', '/case-kinds'), 403, 'forbidden');
    const anon = await fetch(`${srv.url}/api/v1/case-kinds`);
    assert.equal(anon.status, 401);
  });

  it('receives a case at the desk, with its clocks from the legal rules', async () => {
    const r = await receive(motcua, { links: [{ kind: 'unit', id: hk.id, note: 'Đơn vị quản lý tuyến phố' }] });
    fb = assertStatus(r, 201, 'POST /cases');
    assert.equal(fb.kind, 'feedback');
    assert.equal(fb.kind_name, 'Phản ánh, kiến nghị');
    assert.equal(fb.state, 'received');
    assert.equal(fb.state_name, 'Đã tiếp nhận');
    assert.equal(fb.unit_id, bd.id);
    assert.equal(fb.owner_unit_id, bd.id);
    assert.equal(fb.version, 1);
    assert.equal(fb.fields.channel, 'hotline');
    assert.equal(clock_due(fb, 'forward'), '2017-06-08');
    assert.equal(clock_due(fb, 'handle'), '2017-06-15');
    assert.equal(clock(fb, 'handle').rule.code, 'feedback.handle');
    assert.equal(clock(fb, 'handle').rule.version, 1);
    assert.equal(fb.due_date, '2017-06-08');
    assert.equal(fb.overdue, false);
    assert.equal(fb.events.length, 1);
    assert.equal(fb.events[0].action, 'create');
    assert.equal(fb.events[0].by, 'motcua');
    assert.deepEqual(fb.links.map((l) => [l.kind, l.id]), [['unit', hk.id]]);
    open = assertStatus(await receive(canbo, { title: 'Kiến nghị sửa vỉa hè phố Kim Mã' }), 201, 'POST /cases (second)');

    function clock_due(c, code) { return clock(c, code).due_date; }
  });

  it('refuses bad input naming the field, in Vietnamese, and writes nothing', async () => {
    const before = (await giamsat('GET', '/cases?limit=1')).body.total_count;
    assertError(await receive(motcua, { title: '' }), 400, 'invalid_field', 'title');
    assertError(await receive(motcua, { kind: 'nosuch' }), 400, 'invalid_field', 'kind');
    assertError(await motcua('POST', '/cases', { title: 'Thiếu loại' }), 400, 'invalid_field', 'kind');
    assertError(await receive(motcua, { fields: { content: 'x' } }), 400, 'invalid_field', 'fields.channel');
    assertError(await receive(motcua, { fields: { channel: 'fax', content: 'x' } }), 400, 'invalid_field', 'fields.channel');
    assertError(await receive(motcua, { fields: { channel: 'web' } }), 400, 'invalid_field', 'fields.content');
    assertError(await receive(motcua, { fields: { channel: 'web', content: 'x', anonymous: 'yes' } }), 400, 'invalid_field', 'fields.anonymous');
    assertError(await receive(motcua, { fields: { channel: 'web', content: 'x', colour: 'red' } }), 400, 'invalid_field', 'fields.colour');
    assertError(await receive(motcua, { fields: [] }), 400, 'invalid_field', 'fields');
    assertError(await receive(motcua, { received_at: '2017-06-02T09:00:00+07:00' }), 400, 'invalid_field', 'received_at');
    assertError(await receive(motcua, { links: [{ kind: 'task', id: 99999999 }] }), 400, 'invalid_field', 'links');
    assertError(await receive(motcua, { links: [{ kind: 'planet', id: 1 }] }), 400, 'invalid_field', 'links');
    // scope and role
    assertError(await receive(motcua, { unit_id: hk.id }), 403, 'forbidden', 'unit_id');
    assertError(await receive(congdan), 403, 'forbidden');
    assert.equal((await giamsat('GET', '/cases?limit=1')).body.total_count, before);
  });

  it('lists cases in scope with filters and paging', async () => {
    const mine = assertStatus(await truongdv('GET', '/cases?kind=feedback'), 200, 'GET /cases');
    assert.deepEqual(mine.items.map((c) => c.id).sort(), [fb.id, open.id].sort());
    assert.equal(mine.total_count, 2);
    const page = assertStatus(await truongdv('GET', '/cases?limit=1&offset=1'), 200, 'paged');
    assert.equal(page.items.length, 1);
    assert.equal(page.total_count, 2);
    assert.equal((await truongdv('GET', `/cases?unit_id=${bd.id}&state=received`)).body.total_count, 2);
    assert.equal((await truongdv('GET', '/cases?state=answered')).body.total_count, 0);
    assert.equal((await truongdv('GET', '/cases?overdue=1')).body.total_count, 0);
    assert.equal((await truongdv('GET', '/cases?overdue=0&open=1')).body.total_count, 2);
    assert.equal((await truongdv('GET', `/cases?q=${encodeURIComponent('vỉa hè phố kim')}`)).body.total_count, 1);
    // another district sees none of them; the supervisor sees all; a citizen nothing
    assert.equal((await truongdv2('GET', '/cases')).body.total_count, 0);
    assertError(await truongdv2('GET', `/cases/${fb.id}`), 404, 'not_found');
    assert.equal((await giamsat('GET', '/cases?kind=feedback')).body.total_count, 2);
    assertError(await congdan('GET', '/cases'), 403, 'forbidden');
    assertError(await truongdv('GET', '/cases?overdue=2'), 400, 'invalid_field', 'overdue');
  });

  it('takes actions with refusals: role 403, stale version 409, wrong state 409', async () => {
    // the officer may accept, not extend
    const got = assertStatus(await canbo('GET', `/cases/${fb.id}`), 200, 'GET /cases/:id');
    assert.deepEqual(got.actions.map((a) => a.action).sort(), ['accept']);
    assertError(await act(canbo, fb, 'extend', { note: 'Phức tạp' }), 403, 'forbidden');
    assertError(await act(canbo, { ...fb, version: 9 }, 'accept'), 409, 'conflict', 'version');
    assertError(await act(canbo, fb, 'answer', { note: 'Đã sửa' }), 409, 'conflict', 'state');
    assertError(await act(canbo, fb, 'fly'), 400, 'invalid_field', 'action');
    assertError(await canbo('POST', `/cases/${fb.id}/act`, { action: 'accept' }), 400, 'invalid_field', 'version');
    assertError(await act(truongdv2, fb, 'accept'), 404, 'not_found');
    assertError(await act(canbo, fb, 'accept', { unit_id: hk.id }), 400, 'invalid_field', 'unit_id');
    // accepted: the forward clock ends early, the case is handled
    fb = assertStatus(await act(canbo, fb, 'accept', { note: 'Thụ lý' }), 200, 'accept');
    assert.equal(fb.state, 'handling');
    assert.equal(fb.version, 2);
    assert.equal(clock(fb, 'forward').state, 'ended');
    assert.equal(clock(fb, 'forward').result, 'early');
    assert.equal(fb.due_date, '2017-06-15');
    // accepting again: the state no longer allows it
    assertError(await act(canbo, fb, 'accept'), 409, 'conflict', 'state');
  });

  it('pauses, extends and closes a clock; keeps the history and the audit', async () => {
    assertError(await act(canbo, fb, 'ask_info'), 400, 'invalid_field', 'note');
    fb = assertStatus(await act(canbo, fb, 'ask_info', { note: 'Đề nghị cho biết số nhà cụ thể' }), 200, 'ask_info');
    assert.equal(fb.state, 'waiting');
    assert.equal(clock(fb, 'handle').state, 'paused');
    assert.equal(fb.due_date, null);
    fb = assertStatus(await act(canbo, fb, 'info_received'), 200, 'info_received');
    assert.equal(clock(fb, 'handle').state, 'running');
    assert.equal(clock(fb, 'handle').pauses.length, 1);
    // extended by the head: 5 working days more
    fb = assertStatus(await act(truongdv, fb, 'extend', { note: 'Cần khảo sát hiện trường' }), 200, 'extend');
    assert.equal(clock(fb, 'handle').extended_units, 5);
    assert.equal(clock(fb, 'handle').due_date, '2017-06-22');
    // assigned to an official of the unit
    const off = (await truongdv('GET', `/officials?unit_id=${bd.id}&limit=1`)).body.items[0];
    fb = assertStatus(await act(truongdv, fb, 'assign', { official_id: off.id }), 200, 'assign');
    assert.equal(fb.official_id, off.id);
    assert.equal(fb.official_name, off.full_name);
    fb = assertStatus(await act(canbo, fb, 'answer', {
      note: 'Đã thay bóng đèn ngày 05/6/2017', document: 'Công văn số 123/UBND-QLĐT ngày 05/6/2017',
    }), 200, 'answer');
    assert.equal(fb.state, 'answered');
    assert.equal(fb.closed, true);
    assert.ok(fb.closed_at);
    assert.equal(clock(fb, 'handle').result, 'early');
    assert.deepEqual(fb.actions, []);
    assertError(await act(truongdv, fb, 'extend', { note: 'Thêm' }), 409, 'conflict', 'state');
    assert.deepEqual(fb.events.map((e) => e.action),
      ['create', 'accept', 'ask_info', 'info_received', 'extend', 'assign', 'answer']);
    const ans = fb.events.at(-1);
    assert.equal(ans.by, 'canbo');
    assert.equal(ans.document, 'Công văn số 123/UBND-QLĐT ngày 05/6/2017');
    assert.equal(ans.from_state, 'handling');
    assert.equal(ans.to_state, 'answered');
    assert.deepEqual(fb.events[2].data.clocks.paused, ['handle']);
    // one audit record per change, none for the refusals
    const audit = assertStatus(await giamsat('GET', `/audit?entity=case&entity_id=${fb.id}&limit=100`), 200, 'GET /audit');
    assert.deepEqual(audit.items.map((a) => a.action).reverse(),
      ['create', 'accept', 'ask_info', 'info_received', 'extend', 'assign', 'answer']);
  });

  it('after the deadline: overdue in lists, reminders and escalation from the scheduler', async () => {
    const later = await serveExisting(srv.dbPath, { args: ['--now', '2017-06-20T09:00:00+07:00'] });
    try {
      const head = await session(later.url, 'truongdv');
      const over = assertStatus(await head('GET', '/cases?overdue=1'), 200, 'GET /cases?overdue=1');
      assert.deepEqual(over.items.map((c) => c.id), [open.id]);
      assert.equal(over.items[0].overdue, true);
      const c = assertStatus(await head('GET', `/cases/${open.id}`), 200, 'GET overdue case');
      assert.equal(clock(c, 'handle').overdue, true);
      assert.equal((await head('GET', '/cases?due_soon=1')).body.total_count, 0);
    } finally {
      assert.equal(await later.stop(), 0);
    }
    // 20/6 is 3 working days after 15/6 (16, 19, 20): overdue notices and the escalation
    const tick = runCli(['tick', '--db', srv.dbPath, '--now', '2017-06-20T08:00:00+07:00']);
    assert.equal(tick.status, 0, tick.stderr);
    const again = await serveExisting(srv.dbPath, { args: ['--now', '2017-06-20T09:00:00+07:00'] });
    try {
      const inbox = async (u) => (await (await session(again.url, u))('GET', '/inbox?limit=200')).body.items;
      const officer = await inbox('canbo');
      assert.ok(officer.some((n) => n.kind === 'overdue' && n.subject.includes('Kiến nghị sửa vỉa hè phố Kim Mã')),
        `no overdue notice for the case in ${JSON.stringify(officer.map((n) => n.subject))}`);
      const lead = await inbox('lanhdao'); // the city: the unit above the district
      assert.ok(lead.some((n) => n.kind === 'escalation' && n.body.includes('Kiến nghị sửa vỉa hè phố Kim Mã')),
        `no escalation in ${JSON.stringify(lead.map((n) => n.subject))}`);
      // a closed case is not prodded
      assert.ok(!officer.some((n) => n.subject.includes('Đội Cấn')), 'a closed case was prodded');
    } finally {
      assert.equal(await again.stop(), 0);
    }
  });

  it('mine=1 lists what the unit subtree handles, not what it only received', async () => {
    const got = assertStatus(await receive(motcua, { title: 'Phản ánh lấn chiếm vỉa hè phố Hàng Bông' }), 201, 'POST /cases');
    const moved = assertStatus(await act(giamsat, got, 'transfer', { unit_id: hk.id, note: 'Thuộc địa bàn quận Hoàn Kiếm' }), 200, 'transfer');
    assert.equal(moved.unit_id, hk.id);
    assert.equal(moved.owner_unit_id, bd.id);
    const ids = async (api, path) => assertStatus(await api('GET', path), 200, path).items.map((c) => c.id);
    assert.ok((await ids(truongdv, '/cases?limit=100')).includes(got.id), 'Ba Đình still sees what it received');
    assert.ok(!(await ids(truongdv, '/cases?mine=1&limit=100')).includes(got.id), 'but it is not Ba Đình\'s to handle');
    assert.deepEqual(await ids(truongdv2, '/cases?mine=1&open=1'), [got.id], 'Hoàn Kiếm handles it');
    const all = (await giamsat('GET', '/cases?limit=1')).body.total_count;
    assert.ok(all >= 3);
    // the supervisor's unit handles none of them
    assert.equal((await giamsat('GET', '/cases?mine=1&limit=1')).body.total_count, 0);
    assertError(await truongdv('GET', '/cases?mine=2'), 400, 'invalid_field', 'mine');
  });
});
