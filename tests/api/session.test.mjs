// Login, logout, /me, CSRF, API tokens and login throttling.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serveExisting, login, client, ADMIN_PASSWORD, DEMO_PASSWORD } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits, totalCount, stopClean } from './helpers.mjs';

async function rawLogin(url, username, password) {
  const r = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const text = await r.text();
  let body = null;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, body, text, headers: r.headers };
}

describe('session', () => {
  let srv;
  let admin;
  let baDinh;
  before(async () => {
    srv = await startServer();
    admin = await session(srv.url, 'admin');
    baDinh = (await allUnits(admin)).byCode.get('HN-D01');
    assert.ok(baDinh, 'unit HN-D01 (UBND quận Ba Đình) in demo data');
  });
  after(async () => { await srv?.stop(); });

  it('login sets an HttpOnly SameSite=Strict cookie and returns csrf_token and the account', async () => {
    const r = await rawLogin(srv.url, 'admin', ADMIN_PASSWORD);
    assertStatus(r, 200, 'POST /session');
    const setCookie = r.headers.get('set-cookie') || '';
    assert.match(setCookie, /(^|,\s*)kc_session=[^;,\s]+/, `Set-Cookie: ${setCookie}`);
    assert.match(setCookie, /;\s*HttpOnly/i, `Set-Cookie: ${setCookie}`);
    assert.match(setCookie, /;\s*SameSite=Strict/i, `Set-Cookie: ${setCookie}`);
    assert.match(setCookie, /;\s*Path=\//i, `Set-Cookie: ${setCookie}`);
    assert.equal(typeof r.body.csrf_token, 'string');
    assert.ok(r.body.csrf_token.length >= 16, `csrf_token too short: ${r.body.csrf_token}`);
    assert.equal(r.body.account.username, 'admin');
    assert.equal(r.body.account.role, 'admin');
  });

  it('GET /me describes the logged-in account', async () => {
    const s = await login(srv.url, 'truongdv', DEMO_PASSWORD);
    assert.equal(s.status, 200, JSON.stringify(s.body));
    const me = assertStatus(await client(srv.url, s)('GET', '/me'), 200, 'GET /me');
    assert.equal(me.username, 'truongdv');
    assert.equal(me.role, 'unit_head');
    assert.equal(me.unit_id, baDinh.id);
    assert.equal(me.unit_name, baDinh.name);
    assert.equal(typeof me.id, 'number');
    assert.equal(typeof me.display_name, 'string');
    assert.ok('official_id' in me, `official_id missing: ${JSON.stringify(me)}`);
    assert.equal(me.csrf_token, s.csrf, 'GET /me returns the same csrf_token as POST /session');
    assert.ok(s.account && typeof s.account === 'object', `no account in login answer: ${JSON.stringify(s.body)}`);
    assert.deepEqual(s.account, Object.fromEntries(Object.entries(me).filter(([k]) => k in s.account)),
      'account in the login answer matches /me');
  });

  it('logout revokes the session server-side and clears the cookie', async () => {
    const s = await login(srv.url, 'canbo', DEMO_PASSWORD);
    assert.equal(s.status, 200, JSON.stringify(s.body));
    const api = client(srv.url, s);
    assertStatus(await api('GET', '/me'), 200, 'GET /me before logout');
    // Logout is a cookie-authenticated write: without the CSRF token it is refused.
    assertError(await client(srv.url, { cookie: s.cookie })('DELETE', '/session'), 403, 'csrf_required');
    assertStatus(await api('GET', '/me'), 200, 'GET /me after refused logout');
    const out = await api('DELETE', '/session');
    assert.equal(out.status, 204, `DELETE /session: ${out.text}`);
    const sc = out.headers.get('set-cookie') || '';
    assert.match(sc, /kc_session=/, `logout Set-Cookie: ${sc}`);
    assert.match(sc, /Max-Age=0|Expires=Thu, 01 Jan 1970/i, `logout must expire the cookie: ${sc}`);
    // The old cookie no longer works, even though the client still sends it.
    assertError(await api('GET', '/me'), 401, 'unauthorized');
    assertError(await api('GET', '/units'), 401, 'unauthorized');
  });

  it('wrong password and unknown user get the same 401 with a Vietnamese message', async () => {
    const wrong = await rawLogin(srv.url, 'lanhdao', 'not-the-password');
    const e1 = assertError(wrong, 401, 'unauthorized');
    assert.equal(wrong.headers.get('set-cookie'), null, 'no cookie on failed login');
    const unknown = await rawLogin(srv.url, 'khongtontai', 'not-the-password');
    const e2 = assertError(unknown, 401, 'unauthorized');
    assert.equal(e1.message, e2.message, 'same message whether the user exists or not');
  });

  it('a cookie-authenticated write without X-CSRF-Token is refused with 403 csrf_required', async () => {
    const before = await totalCount(admin, '/officials');
    const body = { unit_id: baDinh.id, full_name: 'Phan Văn Kiểm' };
    const noCsrf = client(srv.url, { cookie: admin.sess.cookie });
    assertError(await noCsrf('POST', '/officials', body), 403, 'csrf_required');
    assertError(await noCsrf('POST', '/officials', body, { 'x-csrf-token': 'wrong-token' }), 403, 'csrf_required');
    // The CSRF token of another session of the same user does not do either.
    const other = await login(srv.url, 'admin', ADMIN_PASSWORD);
    assert.notEqual(other.csrf, admin.sess.csrf, 'each session has its own csrf_token');
    assertError(await noCsrf('POST', '/officials', body, { 'x-csrf-token': other.csrf }), 403, 'csrf_required');
    assert.equal(await totalCount(admin, '/officials'), before, 'nothing written without CSRF');
    const q = await admin('GET', `/officials?q=${encodeURIComponent('kiem')}&limit=500`);
    assert.deepEqual(q.body.items.filter((o) => o.full_name === body.full_name), []);
    const ok = await admin('POST', '/officials', body);
    assertStatus(ok, 201, 'POST /officials with CSRF');
    assert.equal(ok.body.full_name, body.full_name);
    assert.equal(await totalCount(admin, '/officials'), before + 1);
  });

  it('API tokens: created once, work without CSRF, listed without the secret, revocable', async () => {
    const created = await admin('POST', '/tokens', { name: 'thử nghiệm' });
    assertStatus(created, 201, 'POST /tokens');
    const { id, name, token } = created.body;
    assert.equal(name, 'thử nghiệm');
    assert.equal(typeof id, 'number');
    assert.equal(typeof token, 'string');
    assert.ok(token.length >= 20, `token too short: ${token}`);

    const bearer = client(srv.url, { token });
    const me = assertStatus(await bearer('GET', '/me'), 200, 'GET /me with bearer');
    assert.equal(me.username, 'admin');
    assert.equal(me.csrf_token, undefined, 'no csrf_token for bearer sessions');

    const before = await totalCount(admin, '/officials');
    const w = await bearer('POST', '/officials', { unit_id: baDinh.id, full_name: 'Đinh Thị Token' });
    assertStatus(w, 201, 'POST /officials with bearer and no CSRF');
    assert.equal(await totalCount(admin, '/officials'), before + 1);

    const list = await admin('GET', '/tokens');
    assertStatus(list, 200, 'GET /tokens');
    const mine = list.body.items.filter((t) => t.id === id);
    assert.equal(mine.length, 1, `token ${id} listed once: ${list.text}`);
    assert.equal(mine[0].name, 'thử nghiệm');
    assert.ok(!('token' in mine[0]), `GET /tokens must not return the secret: ${list.text}`);
    assert.ok(!list.text.includes(token), 'the secret appears in GET /tokens');

    // Another user does not see admin's tokens.
    const other = await session(srv.url, 'giamsat');
    const ol = assertStatus(await other('GET', '/tokens'), 200, 'GET /tokens as giamsat');
    assert.deepEqual(ol.items.filter((t) => t.id === id), []);
    assertError(await other('DELETE', `/tokens/${id}`), 404, 'not_found');
    assertStatus(await bearer('GET', '/me'), 200, 'token still valid after a foreign delete attempt');

    const del = await admin('DELETE', `/tokens/${id}`);
    assert.equal(del.status, 204, `DELETE /tokens/${id}: ${del.text}`);
    assertError(await bearer('GET', '/me'), 401, 'unauthorized');
    const before2 = await totalCount(admin, '/officials');
    assertError(await bearer('POST', '/officials', { unit_id: baDinh.id, full_name: 'Đinh Thị Hết Hạn' }), 401, 'unauthorized');
    assert.equal(await totalCount(admin, '/officials'), before2);
  });

  it('more than 5 failures for one username → 429 with Retry-After, even with the right password', async () => {
    for (let i = 1; i <= 5; i++) {
      assertError(await rawLogin(srv.url, 'motcua', `wrong-password-${i}`), 401, 'unauthorized');
    }
    const sixth = await rawLogin(srv.url, 'motcua', 'wrong-password-6');
    assertError(sixth, 429, 'too_many_requests');
    const right = await rawLogin(srv.url, 'motcua', DEMO_PASSWORD);
    assertError(right, 429, 'too_many_requests');
    assert.equal(right.headers.get('set-cookie'), null, 'no session while throttled');
    const ra = right.headers.get('retry-after');
    assert.match(ra || '', /^\d+$/, `Retry-After: ${ra}`);
    assert.ok(Number(ra) >= 1 && Number(ra) <= 15 * 60, `Retry-After ${ra} within the 15-minute window`);
    // Throttling is per username: another account still logs in.
    const other = await rawLogin(srv.url, 'lanhdao', DEMO_PASSWORD);
    assertStatus(other, 200, 'login of another user while motcua is throttled');
  });

  it('the server stops cleanly (exit 0, no sanitizer report)', async () => {
    await stopClean(srv);
  });
});

describe('session: throttling by address', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv?.stop(); });

  it('more than 20 failures from one address → 429 for any username', async () => {
    // Distinct usernames, so the per-username limit (5) is never reached.
    for (let i = 1; i <= 20; i++) {
      assertError(await rawLogin(srv.url, `nobody${i}`, 'wrong-password'), 401, 'unauthorized');
    }
    const r = await rawLogin(srv.url, 'lanhdao', DEMO_PASSWORD);
    assertError(r, 429, 'too_many_requests');
    assert.match(r.headers.get('retry-after') || '', /^\d+$/);
  });

  it('the server stops cleanly (exit 0, no sanitizer report)', async () => {
    await stopClean(srv);
  });
});

describe('session: the throttling window passes', () => {
  // The clock is fixed with --now at start, so later instants are other servers on the same
  // database (SQLite in WAL mode and PostgreSQL both allow that).
  const T0 = '2017-03-20T08:00:00+07:00';
  let srv;
  const others = [];
  before(async () => { srv = await startServer({ args: ['--now', T0] }); });
  after(async () => {
    for (const o of others) await o.stop();
    await srv?.stop();
  });

  it('refused 14 minutes later, accepted after 15 minutes', async () => {
    for (let i = 1; i <= 5; i++) assertError(await rawLogin(srv.url, 'canbo', `sai-mat-khau-${i}`), 401, 'unauthorized');
    assertError(await rawLogin(srv.url, 'canbo', DEMO_PASSWORD), 429, 'too_many_requests');
    const at14 = await serveExisting(srv.dbPath, { args: ['--now', '2017-03-20T08:14:00+07:00'] });
    others.push(at14);
    const r14 = await rawLogin(at14.url, 'canbo', DEMO_PASSWORD);
    assertError(r14, 429, 'too_many_requests');
    const ra = Number(r14.headers.get('retry-after'));
    assert.ok(ra >= 1 && ra <= 60, `Retry-After one minute before the window ends: ${r14.headers.get('retry-after')}`);
    const at16 = await serveExisting(srv.dbPath, { args: ['--now', '2017-03-20T08:16:00+07:00'] });
    others.push(at16);
    assertStatus(await rawLogin(at16.url, 'canbo', DEMO_PASSWORD), 200, 'login after the window');
    for (const o of others) assert.equal(await o.stop(), 0, 'restarted server exit status');
  });

  it('the server stops cleanly (exit 0, no sanitizer report)', async () => {
    await stopClean(srv);
  });
});
