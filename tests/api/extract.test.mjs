// The directive reader through the API: propose the tasks of Plan 69 against the server's own
// units and groups, then create the directive and the confirmed tasks in one transaction.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, SOURCE_DIR } from '../lib/server.mjs';
import { session, assertStatus, assertError } from './helpers.mjs';

const PLAN = readFileSync(join(SOURCE_DIR, 'data/demo/kh-69-ubnd-2017.txt'), 'utf8');

describe('directive reader', () => {
  let srv, admin, canbo, proposal;
  before(async () => {
    srv = await startServer();
    admin = await session(srv.url, 'admin');
    canbo = await session(srv.url, 'canbo');
  });
  after(async () => { await srv?.stop(); });

  it('proposes Plan 69’s tasks resolved against the server’s units and groups', async () => {
    proposal = assertStatus(await admin('POST', '/directives/extract', { text: PLAN }), 200);
    assert.equal(proposal.number, '69/KH-UBND');
    assert.equal(proposal.issued_on, '2017-03-20');
    assert.match(proposal.title, /^Về việc siết chặt kỷ luật, kỷ cương hành chính/);
    assert.equal(proposal.tasks.length, 118);
    const first = proposal.tasks[0];
    assert.equal(first.lead.kind, 'unit');
    assert.equal(first.lead.name, 'Sở Tư pháp');
    assert.equal(first.due_date, '2017-04-30');
    assert.equal(first.section, 'II.1.a');
    assert.ok(Buffer.byteLength(first.title) <= 310 && first.title.endsWith('…'), 'a short title');
    assert.ok(first.content.startsWith(first.title.slice(0, -1)), 'the whole sentence as content');
    // the span points at the sentence in the normalised text (byte offsets)
    const bytes = Buffer.from(proposal.text, 'utf8');
    assert.match(bytes.subarray(first.start, first.end).toString('utf8'), /^Sở Tư pháp tham mưu UBND Thành phố thành lập Tổ công tác/);
    const units = assertStatus(await admin('GET', '/units?q=Sở Tư pháp'), 200).items;
    assert.equal(first.lead.unit_id, units.find((u) => u.name === 'Sở Tư pháp').id);
    // collective assignees become the seeded unit groups
    const groups = assertStatus(await admin('GET', '/unit-groups'), 200).items;
    const districts = groups.find((g) => g.code === 'districts');
    assert.ok(proposal.tasks.some((t) => t.lead.kind === 'group' && t.lead.group_id === districts.id));
    // monthly reports on the 20th and 25th
    assert.ok(proposal.tasks.some((t) => t.recurrence === 'monthly:25'));
    assert.ok(proposal.tasks.some((t) => t.recurrence === 'quarterly:20'));
  });

  it('takes a document uploaded as it is (plain text, a broken PDF, too large)', async () => {
    const { login, ADMIN_PASSWORD } = await import('../lib/server.mjs');
    const s = await login(srv.url, 'admin', ADMIN_PASSWORD);
    const up = (body, type) => fetch(`${srv.url}/api/v1/directives/extract`, {
      method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': type }, body,
    });
    let r = await up(Buffer.from(PLAN, 'utf8'), 'text/plain');
    assert.equal(r.status, 200);
    assert.equal((await r.json()).tasks.length, 118);
    r = await up(Buffer.from('%PDF-1.7\nnot really a pdf'), 'application/pdf');
    assert.equal(r.status, 400);
    const e = (await r.json()).error;
    assert.equal(e.field, 'file');
    assert.match(e.message, /PDF/);
    r = await up(Buffer.alloc(9 * 1024 * 1024, 0x61), 'application/pdf');
    assert.equal(r.status, 413);
  });

  it('refuses roles that do not assign work', async () => {
    assertError(await canbo('POST', '/directives/extract', { text: PLAN }), 403, 'forbidden');
  });

  it('creates the directive and its confirmed tasks in one step', async () => {
    const city = assertStatus(await admin('GET', '/units?kind=city'), 200).items[0];
    const usable = proposal.tasks.filter((t) => t.lead.kind !== 'unresolved'
      && (t.due_date || /^(monthly|quarterly):\d+$|^yearly:\d\d-\d\d$|^weekly:[A-Z]{3}$/.test(t.recurrence || '')));
    const tasks = usable.map((t) => ({
      ...(t.lead.kind === 'unit' ? { lead_unit_id: t.lead.unit_id } : { group_id: t.lead.group_id }),
      title: t.title, content: t.content, section: t.section,
      ...(t.due_date ? { due_date: t.due_date } : { recurrence: t.recurrence }),
    }));
    const r = assertStatus(await admin('POST', '/directives/confirm', {
      directive: { number: '69c/KH-UBND', kind: 'plan', issued_on: proposal.issued_on, issuer_unit_id: city.id, title: proposal.title, text: proposal.text },
      tasks,
    }), 201);
    assert.equal(r.task_ids.length, tasks.length);
    const listed = assertStatus(await admin('GET', `/tasks?directive_id=${r.directive.id}&top_level=1&limit=500`), 200);
    assert.equal(listed.total_count, tasks.length);
    assert.equal(r.directive.number, '69c/KH-UBND');
  });

  it('writes nothing when one task is wrong, and names it', async () => {
    const city = assertStatus(await admin('GET', '/units?kind=city'), 200).items[0];
    const before = assertStatus(await admin('GET', '/directives?limit=1'), 200).total_count;
    const good = { lead_unit_id: city.id, title: 'Một nhiệm vụ hợp lệ', due_date: '2017-05-31' };
    assertError(await admin('POST', '/directives/confirm', {
      directive: { number: '70/KH-UBND', kind: 'plan', issued_on: '2017-03-21', issuer_unit_id: city.id, title: 'Thử' },
      tasks: [good, good, { lead_unit_id: 999999, title: 'Đơn vị không có', due_date: '2017-05-31' }],
    }), 400, 'invalid_field', 'tasks[2].lead_unit_id');
    assert.equal(assertStatus(await admin('GET', '/directives?limit=1'), 200).total_count, before);
    assertError(await admin('POST', '/directives/confirm', {
      directive: { number: '70/KH-UBND', kind: 'plan', issued_on: '2017-03-21', issuer_unit_id: city.id, title: 'Thử' },
      tasks: [good, { lead_unit_id: city.id, title: 5, due_date: '2017-05-31' }],
    }), 400, 'invalid_field', 'tasks[1].title');
  });
});
