// Access declared in the route table (issue 12): this test walks `kycuong routes` and checks
// the router's gate against it for every route and every role: no session → 401; a role the
// route does not declare → 403 before anything is looked up or parsed (so even for a missing
// id or an empty body); a declared role is never turned away by the gate; and GET /me's
// `allowed`, from which the web builds its navigation, is exactly the table's routes for the
// account's role.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli } from '../lib/server.mjs';
import { session, assertError } from './helpers.mjs';

const ROLES = { public: 'congdan', officer: 'canbo', desk: 'motcua', unit_head: 'truongdv',
  supervisor: 'giamsat', leader: 'lanhdao', admin: 'admin' };
const GATE = /không được dùng chức năng này/;

function table() {
  const r = runCli(['routes']);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((line) => {
    const [method, path, kind, roles, scope] = line.split('\t');
    return { method, path, public: kind === 'public', roles: kind === 'public' ? [] : roles.split(','), scope };
  });
}
const concrete = (p) => p.replace(/:id/g, '1').replace(/:code/g, 'HN-X');

describe('route access walked from the table', () => {
  let srv;
  const as = {};
  const routes = table();
  before(async () => {
    srv = await startServer();
    for (const [role, user] of Object.entries(ROLES)) as[role] = await session(srv.url, user);
  });
  after(async () => { await srv?.stop(); });

  it('the table names only known roles, admin on every route, the unit scope where lists are scoped', () => {
    const known = Object.keys(ROLES);
    for (const r of routes.filter((x) => !x.public)) {
      assert.ok(r.roles.every((x) => known.includes(x)), `${r.method} ${r.path}: ${r.roles}`);
      assert.ok(r.roles.includes('admin'), `${r.method} ${r.path} leaves out the admin`);
      assert.ok(['unit', 'city'].includes(r.scope), `${r.method} ${r.path}: scope ${r.scope}`);
    }
    const scope = (m, p) => routes.find((r) => r.method === m && r.path === p).scope;
    assert.equal(scope('GET', '/api/v1/tasks'), 'unit');
    assert.equal(scope('GET', '/api/v1/dossiers'), 'unit');
    assert.equal(scope('GET', '/api/v1/audit'), 'city');
    // a few declarations a user would notice: citizens do not see the officials' registry,
    // supervisors inspect dossiers but do not process them, only admins keep accounts
    const roles = (m, p) => routes.find((r) => r.method === m && r.path === p).roles;
    assert.ok(!roles('GET', '/api/v1/officials').includes('public'));
    assert.ok(!roles('POST', '/api/v1/dossiers/:id/result').includes('supervisor'));
    assert.ok(roles('GET', '/api/v1/dossiers/:id').includes('supervisor'));
    assert.deepEqual(roles('POST', '/api/v1/accounts'), ['admin']);
  });

  it('every non-public route answers 401 without a session', async () => {
    const bad = [];
    for (const r of routes.filter((x) => !x.public)) {
      const res = await fetch(`${srv.url}${concrete(r.path)}`, { method: r.method,
        headers: { 'content-type': 'application/json' }, body: r.method === 'GET' ? undefined : '{}' });
      if (res.status !== 401) bad.push(`${r.method} ${r.path} → ${res.status}`);
    }
    assert.deepEqual(bad, []);
  });

  it('every route answers 403 to each role it does not declare, before looking at the id or the body', async () => {
    const bad = [];
    let checked = 0;
    for (const r of routes.filter((x) => !x.public)) {
      for (const role of Object.keys(ROLES).filter((x) => !r.roles.includes(x))) {
        const res = await as[role](r.method, concrete(r.path).slice('/api/v1'.length), r.method === 'GET' ? undefined : {});
        checked++;
        if (res.status !== 403 || !GATE.test(res.body?.error?.message || '')) bad.push(`${role}: ${r.method} ${r.path} → ${res.status} ${res.text.slice(0, 120)}`);
        else assertError(res, 403, undefined, null);
      }
    }
    assert.deepEqual(bad, []);
    assert.ok(checked > 100, `only ${checked} refusals checked`);
  });

  it('no declared role is turned away by the gate (read routes, every role)', async () => {
    const bad = [];
    for (const r of routes.filter((x) => !x.public && x.method === 'GET')) {
      for (const role of r.roles) {
        const res = await as[role]('GET', concrete(r.path).slice('/api/v1'.length));
        if (res.status === 403 && GATE.test(res.body?.error?.message || '')) bad.push(`${role}: GET ${r.path}`);
        if (res.status === 401 || res.status >= 500) bad.push(`${role}: GET ${r.path} → ${res.status}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('GET /me lists exactly the routes the table gives the role', async () => {
    for (const role of Object.keys(ROLES)) {
      const me = (await as[role]('GET', '/me')).body;
      assert.equal(me.role, role);
      const want = routes.filter((r) => !r.public && r.roles.includes(role)).map((r) => `${r.method} ${r.path}`);
      assert.deepEqual([...me.allowed].sort(), want.sort(), role);
    }
    const citizen = (await as.public('GET', '/me')).body.allowed;
    assert.ok(citizen.includes('GET /api/v1/inbox') && !citizen.includes('GET /api/v1/tasks'));
  });
});
