// Bad input is refused with a precise error and nothing is written.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits, totalCount, stopClean } from './helpers.mjs';

describe('validation', () => {
  let srv;
  let admin;
  let baDinh;
  let officials0;
  let audit0;
  before(async () => {
    srv = await startServer();
    admin = await session(srv.url, 'admin');
    baDinh = (await allUnits(admin)).byCode.get('HN-D01');
    assert.ok(baDinh);
  });
  after(async () => { await srv?.stop(); });

  // Every refused request below must leave officials and the audit log as they were.
  async function snapshot() {
    officials0 = await totalCount(admin, '/officials');
    audit0 = await totalCount(admin, '/audit');
  }
  async function unchanged() {
    assert.equal(await totalCount(admin, '/officials'), officials0, 'official count changed');
    assert.equal(await totalCount(admin, '/audit'), audit0, 'audit count changed');
  }

  it('malformed JSON → 400 invalid_json', async () => {
    await snapshot();
    for (const body of ['{"unit_id": 1, "full_name": "Nguyễn"', '{unit_id: 1}', 'null x', '']) {
      const r = await admin('POST', '/officials', body === '' ? undefined : body,
        body === '' ? { 'content-type': 'application/json' } : {});
      assertError(r, 400, body === '' ? ['invalid_json', 'bad_request'] : 'invalid_json');
    }
    await unchanged();
  });

  it('a JSON value that is not an object → 400', async () => {
    await snapshot();
    for (const body of ['[]', '"Nguyễn"', '42', 'null']) {
      assertError(await admin('POST', '/officials', body), 400, ['bad_request', 'invalid_json']);
    }
    await unchanged();
  });

  it('wrong member types → 400 invalid_field naming the member', async () => {
    await snapshot();
    assertError(await admin('POST', '/officials', { unit_id: baDinh.id, full_name: 5 }), 400, 'invalid_field', 'full_name');
    assertError(await admin('POST', '/officials', { unit_id: 'x', full_name: 'Nguyễn Văn A' }), 400, 'invalid_field', 'unit_id');
    assertError(await admin('POST', '/officials', { unit_id: baDinh.id, full_name: 'Nguyễn Văn A', email: ['a'] }), 400, 'invalid_field', 'email');
    assertError(await admin('POST', '/officials', { unit_id: 1.5, full_name: 'Nguyễn Văn A' }), 400, 'invalid_field', 'unit_id');
    const o = assertStatus(await admin('GET', '/officials?limit=1'), 200).items[0];
    assert.ok(o, 'demo data has officials');
    assertError(await admin('PATCH', `/officials/${o.id}`, { version: String(o.version), full_name: 'Đổi' }), 400, 'invalid_field', 'version');
    assertError(await admin('PATCH', `/officials/${o.id}`, { version: o.version, full_name: null }), 400, 'invalid_field', 'full_name');
    assertError(await admin('POST', '/units', { code: 'HN-X', name: 'Phòng X', kind: 'thôn', parent_id: baDinh.id }), 400, 'invalid_field', 'kind');
    assert.deepEqual(assertStatus(await admin('GET', `/officials/${o.id}`), 200), o);
    await unchanged();
  });

  it('missing required members → 400 naming them', async () => {
    await snapshot();
    assertError(await admin('POST', '/officials', { unit_id: baDinh.id }), 400, ['invalid_field', 'bad_request'], 'full_name');
    assertError(await admin('POST', '/officials', { full_name: 'Nguyễn Văn A' }), 400, ['invalid_field', 'bad_request'], 'unit_id');
    assertError(await admin('POST', '/officials', { unit_id: baDinh.id, full_name: '' }), 400, 'invalid_field', 'full_name');
    assertError(await admin('POST', '/officials', { unit_id: baDinh.id, full_name: '   ' }), 400, 'invalid_field', 'full_name');
    const o = assertStatus(await admin('GET', '/officials?limit=1'), 200).items[0];
    assertError(await admin('PATCH', `/officials/${o.id}`, { full_name: 'Không có phiên bản' }), 400, ['invalid_field', 'bad_request'], 'version');
    await unchanged();
  });

  it('a body over 64 KiB → 413 payload_too_large; exactly 64 KiB is read', async () => {
    await snapshot();
    const make = (size) => {
      const head = `{"unit_id":${baDinh.id},"full_name":"`;
      const s = `${head}${'a'.repeat(size - head.length - 2)}"}`;
      assert.equal(Buffer.byteLength(s), size);
      return s;
    };
    assertError(await admin('POST', '/officials', make(64 * 1024 + 1)), 413, 'payload_too_large');
    assertError(await admin('POST', '/officials', make(200 * 1024)), 413, 'payload_too_large');
    // At the limit the body is parsed, and refused only because full_name is too long.
    assertError(await admin('POST', '/officials', make(64 * 1024)), 400, 'invalid_field', 'full_name');
    await unchanged();
  });

  it('invalid UTF-8 inside a string → 400 naming the member', async () => {
    await snapshot();
    const raw = Buffer.concat([
      Buffer.from(`{"unit_id":${baDinh.id},"full_name":"Nguy`),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('n"}'),
    ]);
    assertError(await admin('POST', '/officials', raw), 400, ['invalid_field', 'invalid_json'], 'full_name');
    const overlong = Buffer.concat([ // "/" encoded in two bytes (overlong), and a lone surrogate
      Buffer.from(`{"unit_id":${baDinh.id},"full_name":"Nguyễn Văn A","position":"A`),
      Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);
    assertError(await admin('POST', '/officials', overlong), 400, ['invalid_field', 'invalid_json'], 'position');
    await unchanged();
  });

  it('fields over their byte limits → 400 naming them; limits count bytes, not characters', async () => {
    await snapshot();
    const base = { unit_id: baDinh.id, full_name: 'Nguyễn Văn A' };
    assertError(await admin('POST', '/officials', { ...base, full_name: 'a'.repeat(201) }), 400, 'invalid_field', 'full_name');
    // 150 characters but 300 bytes of UTF-8.
    assertError(await admin('POST', '/officials', { ...base, full_name: 'Đ'.repeat(150) }), 400, 'invalid_field', 'full_name');
    assertError(await admin('POST', '/officials', { ...base, position: 'b'.repeat(201) }), 400, 'invalid_field', 'position');
    assertError(await admin('POST', '/officials', { ...base, email: `${'c'.repeat(250)}@x.vn` }), 400, 'invalid_field', 'email');
    assertError(await admin('POST', '/officials', { ...base, phone: '0'.repeat(33) }), 400, 'invalid_field', 'phone');
    assertError(await admin('POST', '/officials', { ...base, position_since: '2017-02-30' }), 400, 'invalid_field', 'position_since');
    assertError(await admin('POST', '/officials', { ...base, position_since: '20/03/2017' }), 400, 'invalid_field', 'position_since');
    assertError(await admin('POST', '/units', { code: 'X'.repeat(65), name: 'Phòng X', kind: 'division', parent_id: baDinh.id }), 400, 'invalid_field', 'code');
    assertError(await admin('POST', '/units', { code: 'HN-X', name: 'P'.repeat(301), kind: 'division', parent_id: baDinh.id }), 400, 'invalid_field', 'name');
    await unchanged();
    // Exactly at the limit is accepted.
    const ok = await admin('POST', '/officials', { ...base, full_name: 'Đ'.repeat(100) });
    assertStatus(ok, 201, 'full_name of exactly 200 bytes');
    assert.equal(ok.body.full_name, 'Đ'.repeat(100));
    assert.equal(await totalCount(admin, '/officials'), officials0 + 1);
  });

  it('an unknown unit_id → 400 or 404 naming unit_id', async () => {
    await snapshot();
    const r = await admin('POST', '/officials', { unit_id: 999999, full_name: 'Nguyễn Văn A' });
    assert.ok([400, 404].includes(r.status), `status ${r.status}: ${r.text}`);
    assertError(r, r.status, r.status === 400 ? 'invalid_field' : 'not_found', 'unit_id');
    const u = await admin('POST', '/units', { code: 'HN-X', name: 'Phòng X', kind: 'division', parent_id: 999999 });
    assert.ok([400, 404].includes(u.status), `status ${u.status}: ${u.text}`);
    assertError(u, u.status, u.status === 400 ? 'invalid_field' : 'not_found', 'parent_id');
    await unchanged();
  });

  it('accounts: username and password rules', async () => {
    const n = await totalCount(admin, '/accounts');
    const base = { username: 'hop.le', password: 'mat-khau-hop-le', role: 'officer', unit_id: baDinh.id };
    assertError(await admin('POST', '/accounts', { ...base, username: 'ab' }), 400, 'invalid_field', 'username');
    assertError(await admin('POST', '/accounts', { ...base, username: 'Nguyen' }), 400, 'invalid_field', 'username');
    assertError(await admin('POST', '/accounts', { ...base, username: 'nguyễn' }), 400, 'invalid_field', 'username');
    assertError(await admin('POST', '/accounts', { ...base, username: 'x'.repeat(65) }), 400, 'invalid_field', 'username');
    assertError(await admin('POST', '/accounts', { ...base, password: 'ngan-qua' }), 400, 'invalid_field', 'password');
    assertError(await admin('POST', '/accounts', { ...base, password: 'p'.repeat(201) }), 400, 'invalid_field', 'password');
    assertError(await admin('POST', '/accounts', { ...base, role: 'root' }), 400, 'invalid_field', 'role');
    assert.equal(await totalCount(admin, '/accounts'), n);
  });

  it('NFD input is stored and returned as NFC', async () => {
    const nfc = 'Nguyễn Thị Hường';
    const nfd = nfc.normalize('NFD');
    assert.notEqual(nfd, nfc);
    const r = await admin('POST', '/officials', { unit_id: baDinh.id, full_name: nfd, position: 'Phó Chủ tịch'.normalize('NFD') });
    assertStatus(r, 201, 'POST NFD');
    assert.equal(r.body.full_name, nfc);
    const g = assertStatus(await admin('GET', `/officials/${r.body.id}`), 200);
    assert.equal(g.full_name, nfc);
    assert.equal(g.position, 'Phó Chủ tịch');
    // Found by an NFC query and by an NFD one.
    for (const q of ['hường', 'hường'.normalize('NFD'), 'huong']) {
      const s = assertStatus(await admin('GET', `/officials?q=${encodeURIComponent(q)}&limit=500`), 200);
      assert.ok(s.items.some((o) => o.id === r.body.id), `q=${JSON.stringify(q)} finds it`);
    }
  });

  it('unknown routes and methods answer JSON errors', async () => {
    assertError(await admin('GET', '/khong-co'), 404, 'not_found');
    const r = await admin('PUT', `/units/${baDinh.id}`, { version: 1 });
    assert.ok([404, 405].includes(r.status), `PUT /units/:id: ${r.status} ${r.text}`);
    const abc = await admin('GET', '/units/abc');
    assert.ok([400, 404].includes(abc.status), `GET /units/abc: ${abc.status} ${abc.text}`);
    assertError(abc, abc.status);
  });

  it('the server stops cleanly (exit 0, no sanitizer report)', async () => {
    await stopClean(srv);
  });
});
