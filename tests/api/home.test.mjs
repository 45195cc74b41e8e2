// GET /api/v1/home, «Việc của tôi»: per role and scope, counts that equal the lists their links
// open, and that move when a task becomes overdue, a dossier is received or a case is received,
// transferred and answered. The clock is fixed (Monday 5/6/2017) and moved forward by serving the
// same database again (--now).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serveExisting, runCli } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits, stopClean } from './helpers.mjs';

const NOW = '2017-06-05T09:00:00+07:00';
const LATER = '2017-06-09T09:00:00+07:00'; // Friday: a task due 6/6 is overdue

/** The home of api as {scope, unit_id, sections by key, counts as {section: {key: n}}}. */
async function home(api) {
  const body = assertStatus(await api('GET', '/home'), 200, 'GET /home');
  const sections = Object.fromEntries(body.sections.map((s) => [s.key, s]));
  const counts = {};
  for (const s of body.sections) counts[s.key] = Object.fromEntries(s.counts.map((c) => [c.key, c.count]));
  return { ...body, sections, counts };
}

/** The API list a home link stands for: "#/tasks?mine=1&status=open" → "/tasks?mine=1&status=open". */
function apiPathOf(link) {
  assert.match(link, /^#\/(tasks|dossiers|cases)\?/, `a list link: ${link}`);
  return `/${link.slice(2)}&limit=1`;
}

/** Every count of the task, dossier and case sections equals its list's total_count for the same account. */
async function assertCountsMatchLists(api, who) {
  const h = await home(api);
  for (const key of ['tasks', 'dossiers', 'cases']) {
    const s = h.sections[key];
    if (!s) continue;
    for (const c of s.counts) {
      const list = assertStatus(await api('GET', apiPathOf(c.link)), 200, `${who} ${c.link}`);
      assert.equal(c.count, list.total_count, `${who}: ${key}.${c.key} (${c.link})`);
    }
  }
  return h;
}

const delta = (a, b) => Object.fromEntries(Object.keys(b).map((k) => [k, b[k] - (a[k] ?? 0)]));

describe('home: what is due for me', () => {
  let srv;
  let later; // the same database served four days on
  const as = {};
  let bd, directive;

  before(async () => {
    srv = await startServer({ args: ['--now', NOW] });
    for (const u of ['admin', 'lanhdao', 'truongdv', 'truongdv2', 'motcua', 'giamsat', 'congdan']) as[u] = await session(srv.url, u);
    const units = await allUnits(as.admin);
    bd = units.byCode.get('HN-D01');
    const city = units.list.find((u) => u.kind === 'city');
    directive = assertStatus(await as.lanhdao('POST', '/directives', {
      number: 'KT-VCT/2017', kind: 'plan', issued_on: '2017-06-01', issuer_unit_id: city.id, title: 'Kiểm thử việc của tôi',
    }), 201, 'POST /directives');
  });
  after(async () => {
    await later?.stop().catch(() => {});
    await srv?.stop().catch(() => {});
  });

  it('needs a session', async () => {
    const r = await fetch(`${srv.url}/api/v1/home`);
    assert.equal(r.status, 401);
  });

  it('scope per role: the city for city-wide roles, the unit for others, the inbox only for a citizen', async () => {
    const admin = await home(as.admin);
    const lead = await home(as.lanhdao);
    const head = await home(as.truongdv);
    const head2 = await home(as.truongdv2);
    const citizen = await home(as.congdan);
    assert.equal(admin.scope, 'city');
    assert.equal(lead.scope, 'city');
    assert.equal((await home(as.giamsat)).scope, 'city');
    assert.equal(head.scope, 'unit');
    assert.equal(head.unit_id, bd.id);
    assert.deepEqual(Object.keys(head.sections), ['tasks', 'dossiers', 'cases', 'inbox'], 'sections in display order');
    assert.equal(head.sections.tasks.title, 'Nhiệm vụ của đơn vị');
    assert.equal(admin.sections.tasks.title, 'Nhiệm vụ trong thành phố');
    assert.deepEqual(Object.keys(head.counts.tasks), ['open', 'due_soon', 'overdue']);
    assert.deepEqual(Object.keys(head.counts.dossiers), ['open', 'due_today', 'overdue', 'apology_owed']);
    assert.deepEqual(Object.keys(head.counts.cases), ['open', 'due_soon', 'overdue']);
    assert.equal(head.sections.cases.title, 'Hồ sơ vụ việc của đơn vị');
    assert.equal(admin.sections.cases.title, 'Hồ sơ vụ việc trong thành phố');
    assert.match(head.sections.cases.counts[0].link, /^#\/cases\?mine=1&/, 'a unit counts what it handles');
    assert.match(admin.sections.cases.counts[0].link, /^#\/cases\?mine=0&/, 'the city counts every case');
    for (const s of Object.values(head.sections)) {
      for (const c of s.counts) assert.match(c.label, /[\u00C0-\u1EFF]/u, `Vietnamese label ${c.label}`);
    }
    // a unit sees part of the city: no more than the city, and not what another unit sees
    assert.ok(head.counts.tasks.open > 0, 'the demo gives Ba Đình open tasks');
    assert.ok(head.counts.tasks.open < admin.counts.tasks.open, 'a unit sees fewer tasks than the city');
    assert.ok(head.counts.dossiers.open <= admin.counts.dossiers.open);
    assert.equal(admin.counts.tasks.open, lead.counts.tasks.open, 'the city is the same for every city-wide role');
    assert.notDeepEqual(head.counts, head2.counts, 'Ba Đình and Hoàn Kiếm see their own');
    // a citizen reads no tasks nor dossiers
    assert.equal(citizen.scope, 'none');
    assert.deepEqual(Object.keys(citizen.sections), ['inbox']);
    assertError(await as.congdan('GET', '/tasks'), 403);
    assertError(await as.congdan('GET', '/cases'), 403);
  });

  it('every count equals the list its link opens, for each role', async () => {
    for (const who of ['admin', 'lanhdao', 'giamsat', 'truongdv', 'truongdv2', 'motcua']) await assertCountsMatchLists(as[who], who);
  });

  let task;
  let beforeTask;
  it('a new task of the unit counts as open and due soon for its unit only', async () => {
    beforeTask = { head: await home(as.truongdv), head2: await home(as.truongdv2), admin: await home(as.admin) };
    task = assertStatus(await as.lanhdao('POST', '/tasks', {
      directive_id: directive.id, lead_unit_id: bd.id, title: 'Báo cáo nhanh việc của tôi', due_date: '2017-06-06',
    }), 201, 'POST /tasks');
    const head = await home(as.truongdv);
    assert.deepEqual(delta(beforeTask.head.counts.tasks, head.counts.tasks), { open: 1, due_soon: 1, overdue: 0 });
    assert.deepEqual(delta(beforeTask.admin.counts.tasks, (await home(as.admin)).counts.tasks), { open: 1, due_soon: 1, overdue: 0 });
    assert.deepEqual((await home(as.truongdv2)).counts.tasks, beforeTask.head2.counts.tasks, 'another unit does not see it');
  });

  it('four days later the task is overdue: cancelling it lowers the overdue count by one', async () => {
    later = await serveExisting(srv.dbPath, { args: ['--now', LATER] });
    const lanhdao = await session(later.url, 'lanhdao');
    const truongdv = await session(later.url, 'truongdv');
    const h = await assertCountsMatchLists(truongdv, 'truongdv (9/6)');
    const overdue = assertStatus(await truongdv('GET', `/tasks?mine=1&status=in_progress_overdue&directive_id=${directive.id}`), 200);
    assert.deepEqual(overdue.items.map((t) => t.id), [task.id], 'the task is in the overdue list the link opens');
    assertStatus(await lanhdao('POST', `/tasks/${task.id}/cancel`, { reason: 'Kiểm thử xong' }), 200, 'cancel');
    const after1 = await home(truongdv);
    assert.deepEqual(delta(h.counts.tasks, after1.counts.tasks), { open: -1, due_soon: 0, overdue: -1 });
  });

  it('a dossier received at the desk counts for the desk, its unit and the city, not for another unit', async () => {
    const motcua = await session(later.url, 'motcua');
    const truongdv = await session(later.url, 'truongdv');
    const truongdv2 = await session(later.url, 'truongdv2');
    const admin = await session(later.url, 'admin');
    const procs = assertStatus(await motcua('GET', '/procedures?limit=100'), 200);
    const proc = procs.items.find((p) => p.unit_id === bd.id && p.published !== false) ?? procs.items[0];
    assert.ok(proc, 'the demo has a procedure Ba Đình receives');
    const b = { desk: await home(motcua), head: await home(truongdv), head2: await home(truongdv2), admin: await home(admin) };
    const d = await motcua('POST', '/dossiers', { procedure_id: proc.id, applicant: { name: 'Lê Thị Hoa', id_number: '001190000222', phone: '0912000111' } });
    assertStatus(d, 201, 'POST /dossiers');
    assert.equal((await home(motcua)).counts.dossiers.open, b.desk.counts.dossiers.open + 1);
    assert.equal((await home(truongdv)).counts.dossiers.open, b.head.counts.dossiers.open + 1);
    assert.equal((await home(admin)).counts.dossiers.open, b.admin.counts.dossiers.open + 1);
    assert.deepEqual((await home(truongdv2)).counts.dossiers, b.head2.counts.dossiers, 'Hoàn Kiếm does not see it');
    await assertCountsMatchLists(motcua, 'motcua (9/6)');
  });

  it('a case received counts as open for the unit that handles it and the city, not for another unit; transferred, it moves', async () => {
    const motcua = await session(later.url, 'motcua');
    const truongdv = await session(later.url, 'truongdv');
    const truongdv2 = await session(later.url, 'truongdv2');
    const giamsat = await session(later.url, 'giamsat');
    const units = await allUnits(await session(later.url, 'admin'));
    const hk = units.byCode.get('HN-D02');
    const b = { head: await home(truongdv), head2: await home(truongdv2), city: await home(giamsat) };
    const receive = async (title, receivedAt) => assertStatus(await motcua('POST', '/cases', {
      kind: 'feedback', title, received_at: receivedAt,
      fields: { channel: 'post', content: 'Rác thải không được thu gom nhiều ngày.' },
    }), 201, `POST /cases ${title}`);
    // today, Friday 9/6: the clock to forward it (5 working days) ends on 16/6, not yet due soon
    const c = await receive('Phản ánh rác thải tại ngõ 5 phố Giang Văn Minh');
    assert.equal(c.unit_id, bd.id);
    // a letter posted on 2/6: to be forwarded by 9/6, today (due soon); one of 1/6: by 8/6 (overdue)
    const soon = await receive('Phản ánh tiếng ồn công trình phố Đội Cấn', '2017-06-02T09:00:00+07:00');
    const late = await receive('Phản ánh mất nước sinh hoạt phố Nguyễn Thái Học', '2017-06-01T09:00:00+07:00');
    assert.deepEqual([c, soon, late].map((x) => [x.due_soon, x.overdue]), [[false, false], [true, false], [false, true]]);
    const a = { head: await home(truongdv), head2: await home(truongdv2), city: await home(giamsat) };
    assert.deepEqual(delta(b.head.counts.cases, a.head.counts.cases), { open: 3, due_soon: 1, overdue: 1 });
    assert.deepEqual(delta(b.city.counts.cases, a.city.counts.cases), { open: 3, due_soon: 1, overdue: 1 });
    assert.deepEqual(a.head2.counts.cases, b.head2.counts.cases, 'Hoàn Kiếm does not count it');
    await assertCountsMatchLists(truongdv, 'truongdv (case received)');
    await assertCountsMatchLists(giamsat, 'giamsat (case received)');
    // transferred to Hoàn Kiếm: it is Hoàn Kiếm's to handle now, no longer Ba Đình's
    assertStatus(await giamsat('POST', `/cases/${c.id}/act`, { action: 'transfer', version: c.version, unit_id: hk.id, note: 'Thuộc địa bàn quận Hoàn Kiếm' }), 200, 'transfer');
    assert.equal((await home(truongdv)).counts.cases.open, b.head.counts.cases.open + 2);
    assert.equal((await home(truongdv2)).counts.cases.open, b.head2.counts.cases.open + 1);
    assert.equal((await home(giamsat)).counts.cases.open, a.city.counts.cases.open, 'the city counts it once');
    // answered, the overdue one leaves every count of Ba Đình
    const fin = async (x, action, extra = {}) => assertStatus(await truongdv('POST', `/cases/${x.id}/act`, { action, version: x.version, ...extra }), 200, action);
    await fin(await fin(late, 'accept'), 'answer', { note: 'Đã khắc phục' });
    assert.deepEqual(delta(b.head.counts.cases, (await home(truongdv)).counts.cases), { open: 1, due_soon: 1, overdue: 0 });
    await assertCountsMatchLists(truongdv, 'truongdv (case answered)');
    await assertCountsMatchLists(truongdv2, 'truongdv2 (case transferred)');
    await assertCountsMatchLists(truongdv, 'truongdv (case transferred)');
  });

  it('the inbox counts the unread reminders and shows the newest; reading one lowers the count', async () => {
    // on today's clock, where the demo's dossiers have reminders due; the server's first
    // scheduler pass runs in the background, so a pass is made here before reading
    const now = await startServer();
    const tick = runCli(['tick', '--db', now.dbPath]);
    assert.equal(tick.status, 0, tick.stderr);
    const truongdv = await session(now.url, 'truongdv');
    const h = await home(truongdv);
    const inbox = assertStatus(await truongdv('GET', '/inbox?unread=1&limit=5'), 200);
    assert.equal(h.counts.inbox.unread, inbox.unread);
    assert.deepEqual(h.sections.inbox.items.map((n) => n.id), inbox.items.map((n) => n.id));
    assert.ok(inbox.unread > 0, 'the demo leaves Ba Đình reminders');
    assert.equal((await truongdv('POST', `/inbox/${inbox.items[0].id}/read`)).status, 204);
    const after1 = await home(truongdv);
    assert.equal(after1.counts.inbox.unread, h.counts.inbox.unread - 1);
    assert.ok(!after1.sections.inbox.items.some((n) => n.id === inbox.items[0].id), 'a read reminder leaves the list');
    await stopClean(now);
  });

  it('the servers stop cleanly', async () => {
    await stopClean(later);
    await stopClean(srv);
  });
});
