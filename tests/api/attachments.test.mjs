// Files attached to tasks and directives: uploaded as the request body, stored by content,
// served back byte for byte with their Vietnamese names, readable only by who sees the owner.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, ADMIN_PASSWORD, DEMO_PASSWORD } from '../lib/server.mjs';
import { session, assertStatus, assertError } from './helpers.mjs';

describe('attachments', () => {
  let srv, admin, cookies = {};
  before(async () => {
    srv = await startServer();
    admin = await session(srv.url, 'admin');
    for (const u of ['truongdv', 'truongdv2', 'canbo', 'lanhdao']) cookies[u] = await login(srv.url, u, DEMO_PASSWORD);
    cookies.admin = await login(srv.url, 'admin', ADMIN_PASSWORD);
  });
  after(async () => { await srv?.stop(); });

  const put = (who, path, body, name, type = 'application/pdf') => fetch(
    `${srv.url}/api/v1${path}?filename=${encodeURIComponent(name)}`,
    { method: 'POST', headers: { cookie: cookies[who].cookie, 'x-csrf-token': cookies[who].csrf, 'content-type': type }, body });
  const get = (who, path) => fetch(`${srv.url}/api/v1${path}`, { headers: { cookie: cookies[who].cookie } });

  it('the lead unit attaches its report to a task; it comes back byte for byte', async () => {
    const bd = assertStatus(await admin('GET', '/units?q=HN-D01'), 200).items[0];
    const task = assertStatus(await admin('POST', '/tasks', { lead_unit_id: bd.id, title: 'Báo cáo kết quả tháng 4', due_date: '2017-04-25' }), 201);
    const bytes = Buffer.from('%PDF-1.4\n% báo cáo số 15/BC-UBND\n' + 'x'.repeat(70000));
    let r = await put('canbo', `/tasks/${task.id}/attachments`, bytes, 'Báo cáo tháng 4.pdf');
    assert.equal(r.status, 201, await r.clone().text());
    const a = await r.json();
    assert.equal(a.filename, 'Báo cáo tháng 4.pdf');
    assert.equal(a.size, bytes.length);
    assert.equal(a.content_type, 'application/pdf');
    assert.equal(a.by, 'canbo');
    const list = assertStatus(await admin('GET', `/tasks/${task.id}/attachments`), 200);
    assert.deepEqual(list.items.map((x) => x.id), [a.id]);
    r = await get('truongdv', `/attachments/${a.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), bytes);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.match(r.headers.get('content-disposition'), /filename\*=UTF-8''B%C3%A1o%20c%C3%A1o%20th%C3%A1ng%204\.pdf/);
    // audited on the task
    const audit = assertStatus(await admin('GET', `/audit?entity=task&entity_id=${task.id}`), 200).items;
    assert.ok(audit.some((x) => x.action === 'attach' && x.after.filename === 'Báo cáo tháng 4.pdf'));
    // another district does not see it, and cannot attach to it
    assert.equal((await get('truongdv2', `/attachments/${a.id}`)).status, 404);
    assert.equal((await put('truongdv2', `/tasks/${task.id}/attachments`, bytes, 'x.pdf')).status, 404);
  });

  it('refuses empty files, bad names and files over 8 MiB', async () => {
    const bd = assertStatus(await admin('GET', '/units?q=HN-D01'), 200).items[0];
    const task = assertStatus(await admin('POST', '/tasks', { lead_unit_id: bd.id, title: 'Thử tệp', due_date: '2017-05-25' }), 201);
    let r = await put('truongdv', `/tasks/${task.id}/attachments`, Buffer.alloc(0), 'rỗng.pdf');
    assert.equal(r.status, 400);
    assert.equal((await r.json()).error.field, 'file');
    r = await put('truongdv', `/tasks/${task.id}/attachments`, Buffer.from('abc'), '../../etc/passwd');
    assert.equal(r.status, 400);
    assert.equal((await r.json()).error.field, 'filename');
    r = await put('truongdv', `/tasks/${task.id}/attachments`, Buffer.alloc(8 * 1024 * 1024 + 1, 1), 'lớn.bin');
    assert.equal(r.status, 413);
    assert.deepEqual(assertStatus(await admin('GET', `/tasks/${task.id}/attachments`), 200).items, []);
  });

  it('the issuer attaches the signed text to a directive; every staff member reads it', async () => {
    const d = assertStatus(await admin('GET', '/directives?q=69/KH-UBND'), 200).items[0];
    let r = await put('lanhdao', `/directives/${d.id}/attachments`, Buffer.from('PK\x03\x04 docx'), 'KH 69.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.equal(r.status, 201);
    const a = await r.json();
    assert.equal((await get('truongdv2', `/attachments/${a.id}`)).status, 200);
    // an officer may read but not attach
    r = await put('canbo', `/directives/${d.id}/attachments`, Buffer.from('x'), 'x.txt', 'text/plain');
    assert.equal(r.status, 403);
  });
});
