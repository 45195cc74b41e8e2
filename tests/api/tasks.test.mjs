// Contract of the tasks module (issue 5): directives, tasks (single, recurring, per unit of a
// group), completion, validation, scope per role, versions, audit, unit groups, statistics.
// The clock is fixed (--now 21/3/2017, the day after Kế hoạch 69/KH-UBND) so that dates are
// predictable; the timeline over months of 2017 is in tasks_scenario.test.mjs. `init --demo`
// already holds Kế hoạch 69/KH-UBND with its tasks and the standard unit groups, so this file
// records Chỉ thị 01/CT-UBND and checks its own tasks by directive or by id.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, SOURCE_DIR } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits, subtreeIds, stopClean } from './helpers.mjs';

const NOW = '2017-03-21T09:00:00+07:00';
const TODAY = '2017-03-21';

// ---- answers against the schemas of docs/openapi.json (the subset that file uses) ----
const openapi = JSON.parse(readFileSync(join(SOURCE_DIR, 'docs/openapi.json'), 'utf8'));
function conform(value, schema, path = '$', out = []) {
  if (schema.$ref) return conform(value, schema.$ref.slice(2).split('/').reduce((o, k) => o[k], openapi), path, out);
  for (const sub of schema.allOf || []) conform(value, sub, path, out);
  const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array'
    : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);
  if (schema.type) {
    const types = [].concat(schema.type);
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      out.push(`${path}: ${JSON.stringify(value)?.slice(0, 80)} is ${t}, schema says ${types.join('|')}`);
      return out;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) out.push(`${path}: ${JSON.stringify(value)} not in enum ${schema.enum}`);
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) {
    out.push(`${path}: ${value} does not match ${schema.pattern}`);
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of schema.required || []) if (!(k in value)) out.push(`${path}: lacks required member ${k}`);
    for (const [k, sub] of Object.entries(schema.properties || {})) if (k in value) conform(value[k], sub, `${path}.${k}`, out);
    if (schema.additionalProperties === false) {
      for (const k of Object.keys(value)) if (!(k in (schema.properties || {}))) out.push(`${path}: unexpected member ${k}`);
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => conform(v, schema.items, `${path}[${i}]`, out));
  return out;
}
/** Asserts that res (from api()) is documented for METHOD docPath with its status and conforms. */
function assertDocumented(res, method, docPath) {
  const op = openapi.paths[docPath]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${docPath} is not in docs/openapi.json`);
  let resp = op.responses[String(res.status)];
  assert.ok(resp, `${method} ${docPath}: status ${res.status} is not documented (body ${res.text})`);
  if (resp.$ref) resp = resp.$ref.slice(2).split('/').reduce((o, k) => o[k], openapi);
  const schema = resp.content?.['application/json']?.schema;
  if (schema) assert.deepEqual(conform(res.body, schema, `${method} ${docPath}`), []);
  return res.body;
}

const pad = (n) => String(n).padStart(2, '0');
const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const weekday = (iso) => new Date(`${iso}T00:00:00Z`).getUTCDay(); // 0 = Sunday

describe('tasks API', () => {
  let srv;
  let admin, lanhdao, giamsat, truongdv, truongdv2, canbo, motcua, congdan;
  let units, city, bd, hk, dists, bdSubtree, hkSubtree, directive, group;

  before(async () => {
    srv = await startServer({ args: ['--now', NOW] });
    [admin, lanhdao, giamsat, truongdv, truongdv2, canbo, motcua, congdan] = await Promise.all(
      ['admin', 'lanhdao', 'giamsat', 'truongdv', 'truongdv2', 'canbo', 'motcua', 'congdan'].map((u) => session(srv.url, u)));
    units = await allUnits(admin);
    city = units.list.find((u) => u.kind === 'city');
    bd = units.byCode.get('HN-D01');
    hk = units.byCode.get('HN-D02');
    const r = await admin('GET', '/units?kind=district&limit=500');
    dists = assertStatus(r, 200, 'GET /units?kind=district').items;
    bdSubtree = subtreeIds(units.list, bd.id);
    hkSubtree = subtreeIds(units.list, hk.id);
  });
  after(async () => { await srv?.stop().catch(() => {}); });

  it('demo data: 30 districts, Ba Đình and Hoàn Kiếm among them', () => {
    assert.equal(dists.length, 30);
    assert.ok(dists.some((u) => u.id === bd.id) && dists.some((u) => u.id === hk.id));
    assert.equal(city.parent_id, null);
  });

  it('POST /directives records Chỉ thị 01/CT-UBND; reads, search, duplicates, rights', async () => {
    const body = {
      number: '01/CT-UBND', kind: 'directive', issued_on: '2017-02-03', issuer_unit_id: city.id,
      signer: 'Nguyễn Đức Chung',
      title: 'Tổ chức thực hiện "Năm kỷ cương hành chính 2017"',
      text: 'Năm 2017 được Thành phố chọn là "Năm kỷ cương hành chính"…',
    };
    const r = await lanhdao('POST', '/directives', body);
    directive = assertStatus(r, 201, 'POST /directives');
    assertDocumented(r, 'POST', '/api/v1/directives');
    assert.ok(Number.isInteger(directive.id) && directive.id > 0);
    for (const k of ['number', 'kind', 'issued_on', 'issuer_unit_id', 'signer', 'title', 'text']) assert.equal(directive[k], body[k], k);
    assert.equal(directive.issuer_unit_name, city.name);
    assert.equal(directive.version, 1);
    assert.equal(directive.task_count, 0);

    const g = await canbo('GET', `/directives/${directive.id}`);
    assert.equal(assertDocumented(g, 'GET', '/api/v1/directives/{id}').text, body.text, 'staff read the text');
    const l = await truongdv2('GET', `/directives?q=${encodeURIComponent('nam KY CUONG hanh chinh')}`);
    assertDocumented(l, 'GET', '/api/v1/directives');
    assert.ok(l.body.items.some((d) => d.id === directive.id), 'accent-insensitive title search');
    assert.ok(l.body.items.every((d) => !('text' in d)), 'lists leave the text out');
    const byNumber = await lanhdao('GET', `/directives?q=${encodeURIComponent('01/CT-UBND')}`);
    assert.deepEqual(byNumber.body.items.map((d) => d.id), [directive.id], 'search by exact number');
    const demo69 = await lanhdao('GET', `/directives?q=${encodeURIComponent('69/KH-UBND')}`);
    assert.equal(demo69.body.total_count, 1, 'the demo data hold Kế hoạch 69/KH-UBND');
    assertError(await lanhdao('POST', '/directives', { ...body, number: '69/KH-UBND', kind: 'plan', issued_on: '2017-03-20' }), 409, 'conflict', 'number');

    assertError(await lanhdao('POST', '/directives', body), 409, 'conflict', 'number');
    assertError(await lanhdao('POST', '/directives', { ...body, number: '02/CT-UBND', kind: 'memo' }), 400, 'invalid_field', 'kind');
    assertError(await lanhdao('POST', '/directives', { ...body, number: '02/CT-UBND', issued_on: '2017-02-30' }), 400, 'invalid_field', 'issued_on');
    assertError(await canbo('POST', '/directives', { ...body, number: '03/CT-UBND' }), 403, 'forbidden');
    assertError(await truongdv('POST', '/directives', { ...body, number: '04/CT-UBND' }), 403, 'forbidden', 'issuer_unit_id');
    assertError(await congdan('GET', '/directives'), 403, 'forbidden');
    assertError(await lanhdao('GET', '/directives/999999'), 404, 'not_found');

    const u = await lanhdao('PATCH', `/directives/${directive.id}`, { version: 1, signer: 'Nguyễn Đức Chung (Chủ tịch)' });
    assertDocumented(u, 'PATCH', '/api/v1/directives/{id}');
    assert.equal(u.body.version, 2);
    assertError(await lanhdao('PATCH', `/directives/${directive.id}`, { version: 1, signer: 'X' }), 409, 'conflict', 'version');
    directive = u.body;
  });

  it('POST /directives with an unknown issuer_unit_id → 400 issuer_unit_id', async () => {
    assertError(await lanhdao('POST', '/directives', {
      number: '05/CT-UBND', kind: 'plan', issued_on: '2017-03-20', issuer_unit_id: 999999, title: 'Đơn vị không có',
    }), 400, 'invalid_field', 'issuer_unit_id');
  });

  it('unit groups: "districts" with the 30 districts; list; duplicate code; stale version; rights', async () => {
    const body = { code: 'districts', name: 'UBND các quận, huyện, thị xã', unit_ids: dists.map((u) => u.id) };
    assertError(await truongdv('POST', '/unit-groups', body), 403, 'forbidden');
    assertError(await canbo('POST', '/unit-groups', body), 403, 'forbidden');
    // `init --demo` seeds the standard groups; without them, this test makes "districts".
    const seeded = (await lanhdao('GET', '/unit-groups')).body.items.find((g) => g.code === 'districts');
    if (seeded) {
      group = seeded;
    } else {
      const r = await lanhdao('POST', '/unit-groups', body);
      group = assertStatus(r, 201, 'POST /unit-groups');
      assertDocumented(r, 'POST', '/api/v1/unit-groups');
    }
    assert.equal(group.code, 'districts');
    assert.deepEqual([...group.unit_ids].sort((a, b) => a - b), dists.map((u) => u.id).sort((a, b) => a - b));
    assertError(await lanhdao('POST', '/unit-groups', body), 409, 'conflict', 'code');
    const fresh = await lanhdao('POST', '/unit-groups', { ...body, code: 'quan-huyen-kt' });
    assertStatus(fresh, 201, 'POST /unit-groups');
    assertDocumented(fresh, 'POST', '/api/v1/unit-groups');
    assert.equal(fresh.body.unit_ids.length, 30);
    assertError(await lanhdao('POST', '/unit-groups', { code: 'x', name: 'X', unit_ids: [999999] }), 400, 'invalid_field', 'unit_ids');
    const l = await truongdv('GET', '/unit-groups');
    assertDocumented(l, 'GET', '/api/v1/unit-groups');
    assert.ok(l.body.items.some((g) => g.id === group.id));
    assertError(await congdan('GET', '/unit-groups'), 403, 'forbidden');

    const two = await giamsat('POST', '/unit-groups', { code: 'bd-hk', name: 'Ba Đình và Hoàn Kiếm', unit_ids: [bd.id] });
    assertStatus(two, 201);
    const p = await giamsat('PATCH', `/unit-groups/${two.body.id}`, { version: 1, unit_ids: [bd.id, hk.id] });
    assertDocumented(p, 'PATCH', '/api/v1/unit-groups/{id}');
    assert.equal(p.body.version, 2);
    assert.equal(p.body.unit_ids.length, 2);
    assertError(await giamsat('PATCH', `/unit-groups/${two.body.id}`, { version: 1, name: 'Cũ' }), 409, 'conflict', 'version');
    assertError(await giamsat('PATCH', '/unit-groups/999999', { version: 1, name: 'Không có' }), 404, 'not_found');
  });

  let single;
  it('POST /tasks assigns one task: id, status in_progress, due_date; GET /tasks/:id', async () => {
    const r = await lanhdao('POST', '/tasks', {
      directive_id: directive.id, lead_unit_id: bd.id, support_unit_ids: [hk.id], section: 'II.1.đ',
      title: 'Rà soát, ban hành quy chế làm việc, quy trình giải quyết công việc', due_date: '2017-04-30',
      content: '"Rõ người, rõ việc, rõ trách nhiệm, rõ quy trình, rõ hiệu quả".',
    });
    single = assertStatus(r, 201, 'POST /tasks');
    assertDocumented(r, 'POST', '/api/v1/tasks');
    assert.ok(Number.isInteger(single.id));
    assert.equal(single.status, 'in_progress');
    assert.equal(single.due_date, '2017-04-30');
    assert.equal(single.original_due_date, '2017-04-30');
    assert.equal(single.lead_unit_id, bd.id);
    assert.equal(single.owner_unit_id, city.id, 'the assigning unit is the caller\'s unit');
    assert.equal(single.directive_id, directive.id);
    assert.equal(single.is_group, false);
    assert.equal(single.progress, 0);
    assert.equal(single.version, 1);
    assert.deepEqual(single.support_unit_ids, [hk.id]);
    assert.equal(single.section, 'II.1.đ');
    const g = await truongdv('GET', `/tasks/${single.id}`);
    assertDocumented(g, 'GET', '/api/v1/tasks/{id}');
    assert.equal(g.body.title, single.title);
    assert.deepEqual(g.body.support_units, [{ id: hk.id, name: hk.name }]);
    const d = await lanhdao('GET', `/directives/${directive.id}`);
    assert.equal(d.body.task_count, 1);
  });

  async function instances(parentId) {
    const r = await lanhdao('GET', `/tasks?parent_id=${parentId}&limit=500`);
    assertDocumented(r, 'GET', '/api/v1/tasks');
    assert.equal(r.body.total_count, r.body.items.length);
    for (const t of r.body.items) assert.equal(t.parent_id, parentId);
    return r.body.items;
  }
  async function recurring(recurrence, title) {
    const r = await lanhdao('POST', '/tasks', { directive_id: directive.id, lead_unit_id: bd.id, title, recurrence });
    const t = assertStatus(r, 201, `POST /tasks ${recurrence}`);
    assertDocumented(r, 'POST', '/api/v1/tasks');
    assert.equal(t.recurrence, recurrence);
    assert.equal(t.due_date, null, 'a recurring template has no due date of its own');
    return t;
  }

  it('recurrence monthly:25: instances for 12 months ahead, each on the 25th, listed by ?parent_id', async () => {
    const t = await recurring('monthly:25', 'Báo cáo tình hình thực hiện Kế hoạch 69 (ngày 25 hằng tháng)');
    const items = await instances(t.id);
    // now = 21/3/2017: 25/3/2017 … 25/2/2018 (25/3/2018 is past the 12 months).
    const want = [];
    for (let i = 0; i < 12; i++) {
      const m = 3 + i;
      const y = 2017 + Math.floor((m - 1) / 12);
      want.push(`${y}-${pad(((m - 1) % 12) + 1)}-25`);
    }
    assert.deepEqual(items.map((x) => x.due_date), want);
    assert.deepEqual(items.map((x) => x.period), want.map((d) => d.slice(0, 7)));
    for (const x of items) {
      assert.equal(x.status, 'in_progress');
      assert.equal(x.lead_unit_id, bd.id);
      assert.equal(x.recurrence, null);
    }
    assert.deepEqual(t.children_summary, { total: 12, done: 0 });
  });

  it('recurrence quarterly:20: the 20th of the last month of each quarter (20/3 already passed on 21/3)', async () => {
    const t = await recurring('quarterly:20', 'Báo cáo quý về Sở Nội vụ (ngày 20 tháng cuối quý)');
    const items = await instances(t.id);
    assert.deepEqual(items.map((x) => x.due_date), ['2017-06-20', '2017-09-20', '2017-12-20', '2018-03-20']);
    assert.deepEqual(items.map((x) => x.period), ['2017-Q2', '2017-Q3', '2017-Q4', '2018-Q1']);
  });

  it('recurrence monthly:31 is clamped to the last day of shorter months (28/2/2018)', async () => {
    const t = await recurring('monthly:31', 'Tổng hợp cuối tháng');
    const items = await instances(t.id);
    // 21/3/2017 + 12 months: the month ends 31/3/2017 … 31/1/2018, then 28/2/2018 (not a leap
    // year); 31/3/2018 is past 21/3/2018. Short months get their last day (30/4, 30/6, …).
    const want = [];
    for (let i = 0; i < 12; i++) {
      const m = 3 + i;
      const y = 2017 + Math.floor((m - 1) / 12);
      const mm = ((m - 1) % 12) + 1;
      want.push(`${y}-${pad(mm)}-${pad(lastDay(y, mm))}`);
    }
    assert.deepEqual(items.map((x) => x.due_date), want);
    assert.equal(want[1], '2017-04-30');
    assert.equal(want[11], '2018-02-28');
  });

  it('recurrence weekly:FRI and yearly:12-15', async () => {
    const w = await instances((await recurring('weekly:FRI', 'Giao ban tuần')).id);
    assert.ok(w.length >= 52, `52 Fridays in a year, got ${w.length}`);
    assert.equal(w[0].due_date, '2017-03-24');
    for (const x of w) assert.equal(weekday(x.due_date), 5, `${x.due_date} is a Friday`);
    const y = await instances((await recurring('yearly:12-15', 'Báo cáo tổng kết năm')).id);
    assert.deepEqual(y.map((x) => [x.due_date, x.period]), [['2017-12-15', '2017']]);
  });

  it('validation of POST /tasks names the offending field', async () => {
    const base = { directive_id: directive.id, lead_unit_id: bd.id, title: 'Kiểm tra' };
    const both = await lanhdao('POST', '/tasks', { ...base, due_date: '2017-04-30', recurrence: 'monthly:25' });
    assertError(both, 400, 'invalid_field');
    assert.ok(['due_date', 'recurrence'].includes(both.body.error.field), both.text);
    assertError(await lanhdao('POST', '/tasks', base), 400, 'invalid_field', 'due_date');
    for (const rec of ['monthly:32', 'monthly:0', 'monthly:', 'every:month', 'weekly:MONDAY', 'weekly:mon', 'yearly:02-30', 'yearly:13-01', 'quarterly:1x']) {
      assertError(await lanhdao('POST', '/tasks', { ...base, recurrence: rec }), 400, 'invalid_field', 'recurrence');
    }
    assertError(await lanhdao('POST', '/tasks', { ...base, due_date: '2017-02-29' }), 400, 'invalid_field', 'due_date');
    assertError(await lanhdao('POST', '/tasks', { ...base, due_date: '30/4/2017' }), 400, 'invalid_field', 'due_date');
    assertError(await lanhdao('POST', '/tasks', { ...base, lead_unit_id: 999999, due_date: '2017-04-30' }), 400, 'invalid_field', 'lead_unit_id');
    const neither = await lanhdao('POST', '/tasks', { title: 'Không đơn vị', due_date: '2017-04-30' });
    assertError(neither, 400, 'invalid_field', 'lead_unit_id');
    const lg = await lanhdao('POST', '/tasks', { ...base, group_id: group.id, due_date: '2017-04-30' });
    assertError(lg, 400, 'invalid_field');
    assert.ok(['lead_unit_id', 'group_id'].includes(lg.body.error.field), lg.text);
    assertError(await lanhdao('POST', '/tasks', { title: 'Nhóm không có', group_id: 999999, due_date: '2017-04-30' }), 400, 'invalid_field', 'group_id');
    assertError(await lanhdao('POST', '/tasks', { ...base, title: '', due_date: '2017-04-30' }), 400, 'invalid_field', 'title');
    assertError(await lanhdao('POST', '/tasks', { lead_unit_id: bd.id, due_date: '2017-04-30' }), 400, 'invalid_field', 'title');
    assertError(await lanhdao('POST', '/tasks', { ...base, due_date: '2017-04-30', support_unit_ids: [999999] }), 400, 'invalid_field', 'support_unit_ids');
    assertError(await lanhdao('POST', '/tasks', { ...base, due_date: '2017-04-30', support_unit_ids: 'all' }), 400, 'invalid_field', 'support_unit_ids');
    assertError(await lanhdao('POST', '/tasks', { ...base, directive_id: 999999, due_date: '2017-04-30' }), 400, 'invalid_field');
    assertError(await lanhdao('GET', '/tasks?status=late'), 400, 'invalid_field', 'status');
    assertError(await lanhdao('GET', '/tasks?due_from=2017-13-01'), 400, 'invalid_field', 'due_from');
    // Nothing of the above was created.
    const l = await lanhdao('GET', `/tasks?q=${encodeURIComponent('không đơn vị')}`);
    assert.equal(l.body.total_count, 0);
  });

  it('who may assign: officer, desk and public cannot (403); a unit head only inside its subtree', async () => {
    const body = { lead_unit_id: bd.id, title: 'Niêm yết 10 nội dung ứng xử', due_date: '2017-04-30' };
    assertError(await canbo('POST', '/tasks', body), 403, 'forbidden');
    assertError(await motcua('POST', '/tasks', body), 403, 'forbidden');
    assertError(await congdan('POST', '/tasks', body), 403, 'forbidden');
    assertError(await truongdv2('POST', '/tasks', body), 403, 'forbidden', 'lead_unit_id');
    const own = await truongdv('POST', '/tasks', body);
    assertStatus(own, 201, 'unit head assigns to its own unit');
    assert.equal(own.body.owner_unit_id, bd.id);
    const gs = await giamsat('POST', '/tasks', { ...body, lead_unit_id: hk.id });
    assertStatus(gs, 201, 'supervisor assigns city-wide');
  });

  it('GET /tasks filters by directive_id, status, lead_unit_id, parent_id → {items,total_count}', async () => {
    const overdue = assertStatus(await lanhdao('POST', '/tasks', {
      directive_id: directive.id, lead_unit_id: hk.id, title: 'Xây dựng kế hoạch thực hiện chi tiết', due_date: '2017-03-20',
    }), 201);
    assert.equal(overdue.status, 'in_progress_overdue', 'due yesterday, not done');
    const r = await lanhdao('GET', `/tasks?directive_id=${directive.id}&limit=500`);
    assertDocumented(r, 'GET', '/api/v1/tasks');
    assert.ok(r.body.total_count >= 2);
    for (const t of r.body.items) {
      for (const k of ['id', 'title', 'lead_unit_id', 'due_date', 'status']) assert.ok(k in t, `${k} in list item`);
      assert.equal(t.directive_id, directive.id);
    }
    const dues = r.body.items.map((t) => t.due_date);
    const dated = dues.filter((x) => x !== null);
    assert.deepEqual(dated, [...dated].sort(), 'sorted by due date');
    assert.deepEqual(dues.slice(dated.length).every((x) => x === null), true, 'templates (no due date) last');

    const od = await lanhdao('GET', `/tasks?status=in_progress_overdue&directive_id=${directive.id}`);
    assert.deepEqual(od.body.items.map((t) => t.id), [overdue.id]);
    const hkTasks = await lanhdao('GET', `/tasks?lead_unit_id=${hk.id}&limit=500`);
    assert.ok(hkTasks.body.items.length >= 2);
    assert.ok(hkTasks.body.items.every((t) => t.lead_unit_id === hk.id));
    const inProgress = await lanhdao('GET', `/tasks?status=in_progress&lead_unit_id=${hk.id}`);
    assert.ok(inProgress.body.items.every((t) => t.status === 'in_progress'));
    assert.ok(!inProgress.body.items.some((t) => t.id === overdue.id));
    const open = await lanhdao('GET', `/tasks?status=open&lead_unit_id=${hk.id}&limit=500`);
    assert.ok(open.body.items.some((t) => t.id === overdue.id), 'open includes overdue');
    const top = await lanhdao('GET', `/tasks?top_level=1&limit=500`);
    assert.ok(top.body.items.every((t) => t.parent_id === null));
    const page = await lanhdao('GET', `/tasks?directive_id=${directive.id}&limit=2&offset=1`);
    assert.equal(page.body.items.length, 2);
    assert.equal(page.body.total_count, r.body.total_count);
    assert.deepEqual(page.body.items.map((t) => t.id), r.body.items.slice(1, 3).map((t) => t.id));
  });

  it('POST /tasks/:id/complete: done_on_time or done_late; completed_on in the future → 400', async () => {
    const late = assertStatus(await lanhdao('POST', '/tasks', {
      directive_id: directive.id, lead_unit_id: bd.id, title: 'Tổ chức cho cán bộ đăng ký nội dung thi đua', due_date: '2017-03-15',
    }), 201);
    const onTime = assertStatus(await lanhdao('POST', '/tasks', {
      directive_id: directive.id, lead_unit_id: bd.id, title: 'Niêm yết 10 nội dung tại bộ phận một cửa', due_date: '2017-04-30',
    }), 201);
    assertError(await truongdv('POST', `/tasks/${onTime.id}/complete`, { completed_on: '2017-03-22', evidence: 'Báo cáo số 15/BC-UBND' }),
      400, 'invalid_field', 'completed_on');
    assertError(await truongdv('POST', `/tasks/${onTime.id}/complete`, { completed_on: '2017-03-21' }), 400, 'invalid_field', 'evidence');
    assertError(await truongdv('POST', `/tasks/${onTime.id}/complete`, { completed_on: '21/3/2017', evidence: 'x' }), 400, 'invalid_field', 'completed_on');
    const a = await truongdv('POST', `/tasks/${late.id}/complete`, { completed_on: '2017-03-20', evidence: 'Báo cáo số 14/BC-UBND ngày 20/3/2017' });
    assertDocumented(a, 'POST', '/api/v1/tasks/{id}/complete');
    assert.equal(a.body.status, 'done_late');
    assert.equal(a.body.completed_on, '2017-03-20');
    assert.equal(a.body.completion_evidence, 'Báo cáo số 14/BC-UBND ngày 20/3/2017');
    assert.equal(a.body.progress, 100);
    const b = await canbo('POST', `/tasks/${onTime.id}/complete`, { completed_on: TODAY, evidence: 'Báo cáo số 15/BC-UBND ngày 21/3/2017', version: onTime.version });
    assertDocumented(b, 'POST', '/api/v1/tasks/{id}/complete');
    assert.equal(b.body.status, 'done_on_time', 'an officer of the lead unit reports completion');
    assertError(await truongdv('POST', `/tasks/${onTime.id}/complete`, { completed_on: TODAY, evidence: 'lần hai' }), 400, 'invalid_field');
    const done = await lanhdao('GET', `/tasks?status=done&lead_unit_id=${bd.id}&limit=500`);
    const ids = done.body.items.map((t) => t.id);
    assert.ok(ids.includes(late.id) && ids.includes(onTime.id));
    const dl = await lanhdao('GET', `/tasks?status=done_late&lead_unit_id=${bd.id}&directive_id=${directive.id}&limit=500`);
    assert.deepEqual(dl.body.items.map((t) => t.id), [late.id]);
  });

  it('group assignment to the 30 districts: a parent with 30 tasks; 30/30 when all are completed', async () => {
    const r = await lanhdao('POST', '/tasks', {
      directive_id: directive.id, group_id: group.id, section: 'II.1.đ',
      title: 'Rà soát, ban hành quy chế làm việc tại UBND các quận, huyện, thị xã', due_date: '2017-04-30',
    });
    const parent = assertStatus(r, 201, 'POST /tasks group');
    assertDocumented(r, 'POST', '/api/v1/tasks');
    assert.equal(parent.is_group, true);
    assert.equal(parent.lead_unit_id, city.id, 'the parent is led by the assigning unit');
    assert.deepEqual(parent.children_summary, { total: 30, done: 0 });
    const kids = await instances(parent.id);
    assert.equal(kids.length, 30);
    assert.deepEqual(kids.map((k) => k.lead_unit_id).sort((a, b) => a - b), dists.map((u) => u.id).sort((a, b) => a - b));
    for (const k of kids) {
      assert.equal(k.due_date, '2017-04-30');
      assert.equal(k.is_group, false);
      assert.equal(k.title, parent.title);
    }
    // The parent itself is not completed: its children are.
    assertError(await lanhdao('POST', `/tasks/${parent.id}/complete`, { completed_on: TODAY, evidence: 'x' }), 400, 'invalid_field');
    // Ba Đình's own unit head completes Ba Đình's task; the city completes the rest.
    const bdKid = kids.find((k) => k.lead_unit_id === bd.id);
    assertStatus(await truongdv('POST', `/tasks/${bdKid.id}/complete`, { completed_on: TODAY, evidence: 'Quyết định số 30/QĐ-UBND' }), 200);
    assertError(await truongdv('POST', `/tasks/${kids.find((k) => k.lead_unit_id === hk.id).id}/complete`,
      { completed_on: TODAY, evidence: 'x' }), 404, 'not_found');
    let mid = await lanhdao('GET', `/tasks/${parent.id}`);
    assert.deepEqual(mid.body.children_summary, { total: 30, done: 1 });
    for (const k of kids) {
      if (k.id === bdKid.id) continue;
      assertStatus(await lanhdao('POST', `/tasks/${k.id}/complete`, { completed_on: TODAY, evidence: `Báo cáo của ${k.lead_unit_name}` }), 200);
    }
    mid = await lanhdao('GET', `/tasks/${parent.id}`);
    assert.deepEqual(mid.body.children_summary, { total: 30, done: 30 });
    // A unit head sees its own district's task, not the parent (led and assigned by the city).
    assertError(await truongdv2('GET', `/tasks/${parent.id}`), 404, 'not_found');
  });

  it('scope: Hoàn Kiếm\'s unit head cannot see (404) or change a Ba Đình task, nor list any', async () => {
    const t = assertStatus(await lanhdao('POST', '/tasks', {
      directive_id: directive.id, lead_unit_id: bd.id, title: 'Khảo sát sự hài lòng của người dân', due_date: '2017-06-30',
    }), 201);
    assertError(await truongdv2('GET', `/tasks/${t.id}`), 404, 'not_found');
    assertError(await truongdv2('PATCH', `/tasks/${t.id}`, { version: t.version, title: 'Đổi' }), 404, 'not_found');
    assertError(await truongdv2('POST', `/tasks/${t.id}/progress`, { percent: 10, note: 'x' }), 404, 'not_found');
    assertError(await truongdv2('POST', `/tasks/${t.id}/complete`, { completed_on: TODAY, evidence: 'x' }), 404, 'not_found');
    assertError(await truongdv2('POST', `/tasks/${t.id}/cancel`, { reason: 'x' }), 404, 'not_found');
    assertError(await truongdv2('POST', `/tasks/${t.id}/extensions`, { new_due_date: '2017-07-30', reason: 'x' }), 404, 'not_found');
    assertError(await truongdv2('GET', `/tasks/${t.id}/due-history`), 404, 'not_found');
    assertError(await truongdv2('GET', `/tasks/${t.id}/progress`), 404, 'not_found');
    assertError(await truongdv2('GET', `/tasks/${t.id}/extensions`), 404, 'not_found');
    // a citizen's account may not use tasks at all: the route's gate answers 403 for any id,
    // which tells nothing about whether this one exists
    assertError(await congdan('GET', `/tasks/${t.id}`), 403, 'forbidden');
    assertError(await congdan('GET', '/tasks'), 403, 'forbidden');
    const unchanged = await lanhdao('GET', `/tasks/${t.id}`);
    assert.equal(unchanged.body.version, t.version);

    const l = await truongdv2('GET', '/tasks?limit=500');
    assertDocumented(l, 'GET', '/api/v1/tasks');
    assert.ok(l.body.total_count > 0, 'Hoàn Kiếm has tasks of its own');
    // Whatever Hoàn Kiếm lists is led or assigned by its subtree or supported by it: never a Ba
    // Đình task unless Hoàn Kiếm supports it (as `single`).
    const supportedBy = async (task, sub) => (await lanhdao('GET', `/tasks/${task.id}`)).body.support_unit_ids.some((u) => sub.has(u));
    for (const x of l.body.items) {
      if (hkSubtree.has(x.lead_unit_id) || hkSubtree.has(x.owner_unit_id)) continue;
      assert.ok(await supportedBy(x, hkSubtree), `task ${x.id} (lead ${x.lead_unit_name}) listed for Hoàn Kiếm`);
    }
    assert.ok(!l.body.items.some((x) => x.id === t.id), 'the Ba Đình task is not listed');
    assert.ok(l.body.items.some((x) => x.id === single.id), 'the supported Ba Đình task is listed');
    const other = await truongdv2('GET', `/tasks?lead_unit_id=${bd.id}&directive_id=${directive.id}&limit=500`);
    assert.deepEqual(other.body.items.map((x) => x.id), [single.id], 'filtering by Ba Đình shows only the supported task');
    // The Ba Đình task with Hoàn Kiếm as a support unit is readable by Hoàn Kiếm, not changeable.
    const sup = await truongdv2('GET', `/tasks/${single.id}`);
    assertStatus(sup, 200, 'support unit reads');
    assertError(await truongdv2('POST', `/tasks/${single.id}/progress`, { percent: 10, note: 'x' }), 403, 'forbidden');
    // And the other way round.
    const lb = await truongdv('GET', '/tasks?limit=500');
    for (const x of lb.body.items) {
      if (bdSubtree.has(x.lead_unit_id) || bdSubtree.has(x.owner_unit_id)) continue;
      assert.ok(await supportedBy(x, bdSubtree), `task ${x.id} (lead ${x.lead_unit_name}) listed for Ba Đình`);
    }
    const mine = await truongdv('GET', '/tasks?mine=1&limit=500');
    assert.ok(mine.body.items.length > 0 && mine.body.items.every((x) => bdSubtree.has(x.lead_unit_id)));
  });

  it('roles on a task: the lead side reports progress; only the assigner edits, cancels, decides', async () => {
    const t = assertStatus(await lanhdao('POST', '/tasks', {
      directive_id: directive.id, lead_unit_id: bd.id, title: 'Phân công lại vị trí công tác theo Nghị định 158/2007/NĐ-CP', due_date: '2017-06-30',
    }), 201);
    const p = await canbo('POST', `/tasks/${t.id}/progress`, { percent: 40, note: 'Đã rà soát danh sách đối tượng chuyển đổi' });
    assertDocumented(p, 'POST', '/api/v1/tasks/{id}/progress');
    assert.equal(p.body.progress, 40);
    assertError(await canbo('POST', `/tasks/${t.id}/progress`, { percent: 101, note: 'x' }), 400, 'invalid_field', 'percent');
    assertError(await canbo('POST', `/tasks/${t.id}/progress`, { percent: 50 }), 400, 'invalid_field', 'note');
    assertError(await lanhdao('POST', `/tasks/${t.id}/progress`, { percent: 50, note: 'x' }), 403, 'forbidden');
    const pl = await lanhdao('GET', `/tasks/${t.id}/progress`);
    assertDocumented(pl, 'GET', '/api/v1/tasks/{id}/progress');
    assert.deepEqual(pl.body.items.map((x) => [x.percent, x.by]), [[40, 'canbo']]);
    assertError(await truongdv('PATCH', `/tasks/${t.id}`, { version: p.body.version, title: 'Đổi' }), 403, 'forbidden');
    assertError(await canbo('POST', `/tasks/${t.id}/cancel`, { reason: 'x' }), 403, 'forbidden');
    assertError(await truongdv('POST', `/tasks/${t.id}/cancel`, { reason: 'x' }), 403, 'forbidden');
    // Extensions: asked by the lead side, decided by the assigner.
    assertError(await lanhdao('POST', `/tasks/${t.id}/extensions`, { new_due_date: '2017-08-31', reason: 'x' }), 403, 'forbidden');
    assertError(await truongdv('POST', `/tasks/${t.id}/extensions`, { new_due_date: '2017-06-30', reason: 'x' }), 400, 'invalid_field', 'new_due_date');
    assertError(await truongdv('POST', `/tasks/${t.id}/extensions`, { new_due_date: '2017-08-31' }), 400, 'invalid_field', 'reason');
    const x = await truongdv('POST', `/tasks/${t.id}/extensions`, { new_due_date: '2017-08-31', reason: 'Chờ hướng dẫn của Bộ Nội vụ' });
    assertDocumented(x, 'POST', '/api/v1/tasks/{id}/extensions');
    assert.equal(x.body.status, 'pending');
    assert.equal(x.body.old_due_date, '2017-06-30');
    assertError(await truongdv('POST', `/tasks/${t.id}/extensions`, { new_due_date: '2017-09-30', reason: 'lần hai' }), 409, 'conflict');
    assertError(await truongdv('POST', `/extensions/${x.body.id}/approve`, {}), 403, 'forbidden');
    assertError(await truongdv2('POST', `/extensions/${x.body.id}/approve`, {}), 404, 'not_found');
    assertError(await lanhdao('POST', `/extensions/${x.body.id}/refuse`, {}), 400, 'invalid_field', 'note');
    assertError(await lanhdao('POST', '/extensions/999999/approve', {}), 404, 'not_found');
    const rf = await lanhdao('POST', `/extensions/${x.body.id}/refuse`, { note: 'Không đủ căn cứ gia hạn' });
    assertDocumented(rf, 'POST', '/api/v1/extensions/{id}/refuse');
    assert.equal(rf.body.status, 'refused');
    assert.equal(rf.body.decided_by, 'lanhdao');
    assertError(await lanhdao('POST', `/extensions/${x.body.id}/approve`, {}), 409, 'conflict');
    const still = await lanhdao('GET', `/tasks/${t.id}`);
    assert.equal(still.body.due_date, '2017-06-30', 'a refusal leaves the due date');
    const xl = await lanhdao('GET', `/tasks/${t.id}/extensions`);
    assertDocumented(xl, 'GET', '/api/v1/tasks/{id}/extensions');
    assert.deepEqual(xl.body.items.map((e) => e.status), ['refused']);
    // A unit head is the assigner of what its unit assigned.
    const own = assertStatus(await truongdv('POST', '/tasks', { lead_unit_id: bd.id, title: 'Lịch tiếp công dân của Chủ tịch quận', due_date: '2017-04-15' }), 201);
    assertStatus(await truongdv('POST', `/tasks/${own.id}/cancel`, { reason: 'Gộp vào nhiệm vụ khác' }), 200);
  });

  it('PATCH /tasks/:id with a stale version → 409 and nothing changes; every change is audited', async () => {
    const t = assertStatus(await lanhdao('POST', '/tasks', {
      directive_id: directive.id, lead_unit_id: bd.id, support_unit_ids: [hk.id],
      title: 'Tổ chức hội nghị quán triệt', due_date: '2017-05-31',
    }), 201);
    const u = await lanhdao('PATCH', `/tasks/${t.id}`, { version: 1, title: 'Tổ chức 03 hội nghị quán triệt', due_date: '2017-06-15', support_unit_ids: [] });
    assertDocumented(u, 'PATCH', '/api/v1/tasks/{id}');
    assert.equal(u.body.version, 2);
    assert.equal(u.body.title, 'Tổ chức 03 hội nghị quán triệt');
    assert.equal(u.body.due_date, '2017-06-15');
    assert.equal(u.body.original_due_date, '2017-05-31');
    assert.deepEqual(u.body.support_unit_ids, []);
    const stale = await lanhdao('PATCH', `/tasks/${t.id}`, { version: 1, title: 'Bản cũ' });
    assertError(stale, 409, 'conflict', 'version');
    assertError(await lanhdao('PATCH', `/tasks/${t.id}`, { title: 'Không có version' }), 400, 'invalid_field', 'version');
    const g = await lanhdao('GET', `/tasks/${t.id}`);
    assert.equal(g.body.version, 2);
    assert.equal(g.body.title, 'Tổ chức 03 hội nghị quán triệt');
    const h = await lanhdao('GET', `/tasks/${t.id}/due-history`);
    assertDocumented(h, 'GET', '/api/v1/tasks/{id}/due-history');
    assert.deepEqual(h.body.items.map((x) => [x.old_due_date, x.new_due_date]), [[null, '2017-05-31'], ['2017-05-31', '2017-06-15']]);

    const v = g.body.version;
    assertStatus(await canbo('POST', `/tasks/${t.id}/progress`, { percent: 30, note: 'Đã có dự thảo kế hoạch hội nghị' }), 201);
    assertError(await truongdv('POST', `/tasks/${t.id}/complete`, { completed_on: TODAY, evidence: 'x', version: v }), 409, 'conflict', 'version');
    const c = assertStatus(await truongdv('POST', `/tasks/${t.id}/complete`, { completed_on: TODAY, evidence: 'Báo cáo số 20/BC-UBND' }), 200);
    assertError(await lanhdao('POST', `/tasks/${t.id}/reopen`, { reason: 'x', version: c.version - 1 }), 409, 'conflict', 'version');
    const ro = await lanhdao('POST', `/tasks/${t.id}/reopen`, { reason: 'Thiếu biên bản hội nghị', version: c.version });
    assertDocumented(ro, 'POST', '/api/v1/tasks/{id}/reopen');
    assert.equal(ro.body.status, 'in_progress');
    assert.equal(ro.body.completed_on, null);
    assertError(await lanhdao('POST', `/tasks/${t.id}/reopen`, { reason: 'lần hai' }), 400, 'invalid_field');
    assertError(await lanhdao('POST', `/tasks/${t.id}/cancel`, {}), 400, 'invalid_field', 'reason');
    const ca = await lanhdao('POST', `/tasks/${t.id}/cancel`, { reason: 'Thành phố tổ chức chung' });
    assertDocumented(ca, 'POST', '/api/v1/tasks/{id}/cancel');
    assert.equal(ca.body.status, 'cancelled');
    assert.equal(ca.body.cancel_reason, 'Thành phố tổ chức chung');
    assertError(await lanhdao('POST', `/tasks/${t.id}/cancel`, { reason: 'lần hai' }), 400, 'invalid_field');
    assertError(await canbo('POST', `/tasks/${t.id}/progress`, { percent: 50, note: 'x' }), 400, 'invalid_field');

    const a = await admin('GET', `/audit?entity=task&entity_id=${t.id}&limit=500`);
    assertStatus(a, 200);
    const actions = a.body.items.map((x) => x.action).reverse();
    assert.deepEqual(actions, ['create', 'update', 'progress', 'complete', 'reopen', 'cancel']);
    const byAction = Object.fromEntries(a.body.items.map((x) => [x.action, x]));
    assert.equal(byAction.create.before, null);
    assert.equal(byAction.create.after.title, 'Tổ chức hội nghị quán triệt');
    assert.equal(byAction.update.before.due_date, '2017-05-31');
    assert.equal(byAction.update.after.due_date, '2017-06-15');
    assert.equal(byAction.cancel.after.status, 'cancelled');
    assert.equal(byAction.complete.actor, 'truongdv');
    // Refused writes left no record: the counts match the successful changes only.
    assert.equal(a.body.total_count, 6);
  });

  it('extension approval moves the due date, is in the deadline history and audited', async () => {
    const t = assertStatus(await lanhdao('POST', '/tasks', {
      directive_id: directive.id, lead_unit_id: bd.id, title: 'Xây dựng đề án vị trí việc làm', due_date: '2017-06-30',
    }), 201);
    const x = assertStatus(await truongdv('POST', `/tasks/${t.id}/extensions`, { new_due_date: '2017-09-30', reason: 'Chờ hướng dẫn của Bộ' }), 201);
    const ap = await lanhdao('POST', `/extensions/${x.id}/approve`, { note: 'Đồng ý gia hạn đến 30/9/2017' });
    assertDocumented(ap, 'POST', '/api/v1/extensions/{id}/approve');
    assert.equal(ap.body.status, 'approved');
    const g = await lanhdao('GET', `/tasks/${t.id}`);
    assert.equal(g.body.due_date, '2017-09-30');
    assert.equal(g.body.original_due_date, '2017-06-30');
    const h = await truongdv('GET', `/tasks/${t.id}/due-history`);
    assert.deepEqual(h.body.items.map((e) => [e.old_due_date, e.new_due_date, e.by]),
      [[null, '2017-06-30', 'lanhdao'], ['2017-06-30', '2017-09-30', 'lanhdao']]);
    const ax = await admin('GET', `/audit?entity=task_extension&entity_id=${x.id}`);
    assert.deepEqual(ax.body.items.map((e) => e.action).reverse(), ['request', 'approve']);
    // An approve with no body at all is accepted too.
    const t2 = assertStatus(await lanhdao('POST', '/tasks', { lead_unit_id: bd.id, title: 'Rà soát biên chế', due_date: '2017-06-30' }), 201);
    const x2 = assertStatus(await truongdv('POST', `/tasks/${t2.id}/extensions`, { new_due_date: '2017-07-15', reason: 'Thiếu số liệu' }), 201);
    assertStatus(await lanhdao('POST', `/extensions/${x2.id}/approve`), 200, 'approve without body');
  });

  it('the task row changed by an approved extension has an audit record of its own (entity=task)', async () => {
    const t = assertStatus(await lanhdao('POST', '/tasks', { lead_unit_id: bd.id, title: 'Kiểm tra công vụ', due_date: '2017-05-31' }), 201);
    const x = assertStatus(await truongdv('POST', `/tasks/${t.id}/extensions`, { new_due_date: '2017-06-30', reason: 'Lý do' }), 201);
    assertStatus(await lanhdao('POST', `/extensions/${x.id}/approve`, {}), 200);
    const a = await admin('GET', `/audit?entity=task&entity_id=${t.id}`);
    const last = a.body.items[0];
    assert.equal(last?.after?.due_date, '2017-06-30', `newest task audit record: ${JSON.stringify(last)}`);
  });

  it('GET /stats/tasks: shape, parameters and rights', async () => {
    const r = await lanhdao('GET', '/stats/tasks?from=2017-01-01&to=2017-12-31');
    assertDocumented(r, 'GET', '/api/v1/stats/tasks');
    const s = r.body;
    const sum = (k) => s.units.reduce((a, u) => a + u[k], 0);
    for (const k of ['assigned', 'done_on_time', 'done_late', 'open_in_time', 'open_overdue']) assert.equal(s.total[k], sum(k), k);
    for (const u of s.units) {
      assert.equal(u.assigned, u.done_on_time + u.done_late + u.open_in_time + u.open_overdue, u.unit_code);
      const decided = u.done_on_time + u.done_late + u.open_overdue;
      assert.equal(u.on_time_rate, decided ? u.done_on_time / decided : null, u.unit_code);
    }
    assert.deepEqual(s.units.map((u) => u.rank), s.units.map((_, i) => i + 1));
    const hkOnly = await truongdv2('GET', '/stats/tasks?from=2017-01-01&to=2017-12-31');
    assertStatus(hkOnly, 200);
    assert.ok(hkOnly.body.units.length > 0 && hkOnly.body.units.every((u) => hkSubtree.has(u.unit_id)), 'a unit head sees its subtree only');
    assertError(await lanhdao('GET', '/stats/tasks?to=2017-12-31'), 400, 'invalid_field', 'from');
    assertError(await lanhdao('GET', '/stats/tasks?from=2017-12-31&to=2017-01-01'), 400, 'invalid_field', 'to');
    assertError(await congdan('GET', '/stats/tasks?from=2017-01-01&to=2017-12-31'), 403, 'forbidden');
    const byDir = await lanhdao('GET', `/stats/tasks?from=2017-01-01&to=2017-12-31&directive_id=${directive.id}`);
    assertStatus(byDir, 200);
    assert.ok(byDir.body.total.assigned <= s.total.assigned);
    // In 01/CT-UBND only the group parent is led by the city, and group parents are not counted.
    assert.ok(!byDir.body.units.some((u) => u.unit_id === city.id), 'group parents are not counted');
    assert.equal(byDir.body.units.length, 30, 'every district has its task of the group assignment');
  });

  it('the server stops cleanly', async () => { await stopClean(srv); });
});
