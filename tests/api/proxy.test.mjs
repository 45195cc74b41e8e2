// Behind nginx: the client's address comes from X-Real-IP, but only when the connection comes
// from a proxy named in trusted_proxies; login throttling then counts each client apart.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ADMIN_PASSWORD } from '../lib/server.mjs';

async function loginFrom(url, ip, username, password) {
  const r = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-real-ip': ip },
    body: JSON.stringify({ username, password }),
  });
  return r.status;
}

describe('client addresses behind a proxy', () => {
  const servers = [];
  after(async () => { for (const s of servers) await s.stop(); });

  it('trusted proxy: one client’s failures do not throttle another client', async () => {
    const srv = await startServer({ env: { KYCUONG_TRUSTED_PROXIES: '127.0.0.1' } });
    servers.push(srv);
    // 20 failures from one client, spread over usernames (the per-username limit is 5)
    for (let i = 0; i < 20; i++) assert.equal(await loginFrom(srv.url, '10.1.1.1', `khong-co-${i}`, 'sai-mat-khau-123'), 401);
    assert.equal(await loginFrom(srv.url, '10.1.1.1', 'admin', ADMIN_PASSWORD), 429, 'that client is throttled');
    assert.equal(await loginFrom(srv.url, '10.2.2.2', 'admin', ADMIN_PASSWORD), 200, 'another client is not');
  });

  it('untrusted: X-Real-IP is ignored, every request counts for the connection’s address', async () => {
    const srv = await startServer();
    servers.push(srv);
    for (let i = 0; i < 20; i++) assert.equal(await loginFrom(srv.url, `10.9.9.${i}`, `khong-co-${i}`, 'sai-mat-khau-123'), 401);
    assert.equal(await loginFrom(srv.url, '10.3.3.3', 'admin', ADMIN_PASSWORD), 429, 'a forged header changes nothing');
  });
});
