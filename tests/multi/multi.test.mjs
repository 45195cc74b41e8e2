// Several kycuong servers on one PostgreSQL database behind nginx (docs/deploy.md): two
// `kycuong serve` share a fresh database, nginx runs deploy/nginx/kycuong.conf (ports, root
// and log paths substituted) in front of them, and the test sends interleaved logins,
// creations and reads through nginx, kills one server with SIGKILL mid-way and checks that
//  - no acknowledged write is lost: every official answered 201 is readable afterwards;
//  - sessions are valid on every server, and keep working after the kill (nginx fails over);
//  - every read (idempotent) succeeds throughout, the kill included;
//  - concurrent PATCHes of one row with the same version end in one 200 and the rest 409.
// Needs KC_TEST_DB_URL_BASE (scripts/pg.sh) and nginx; started by scripts/test.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, chmodSync, mkdirSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, SOURCE_DIR, DB_URL_BASE, ADMIN_PASSWORD, DEMO_PASSWORD, freePort, runCli, login, client } from '../lib/server.mjs';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const skip = !DB_URL_BASE ? 'needs PostgreSQL (KC_TEST_DB_URL_BASE)' : !NGINX ? 'needs nginx (scripts/deps.sh)' : false;

function psql(sql) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${DB_URL_BASE}/postgres`, '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.error || r.stderr}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(url, proc, log, what) {
  const deadline = Date.now() + 15000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${what} exited: ${log()}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`${what} did not start: ${log()}`);
    await sleep(50);
  }
}

/** Starts `kycuong serve` on dbUrl; returns {url, port, proc, log()}. */
async function serve(dbUrl) {
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--db', dbUrl, '--listen', `127.0.0.1:${port}`, '--threads', '4'], {
    env: { ...process.env, KYCUONG_ACCESS_LOG: 'off', KYCUONG_TICK_INTERVAL: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, proc, () => log, 'kycuong serve');
  return { url, port, proc, log: () => log };
}

/** The shipped nginx config with this run's ports and paths: every substitution must hit. */
function nginxConfig(dir, port, upstreams) {
  let conf = readFileSync(join(SOURCE_DIR, 'deploy/nginx/kycuong.conf'), 'utf8');
  const subst = (re, to) => {
    assert.match(conf, re, `deploy/nginx/kycuong.conf no longer has ${re}`);
    conf = conf.replace(re, to);
  };
  subst(/server 127\.0\.0\.1:8081 /, `server 127.0.0.1:${upstreams[0]} `);
  subst(/server 127\.0\.0\.1:8082 /, `server 127.0.0.1:${upstreams[1]} `);
  subst(/listen 80;/, `listen 127.0.0.1:${port};`);
  subst(/root \/usr\/share\/kycuong\/web;/, `root ${join(SOURCE_DIR, 'web')};`);
  subst(/access_log \/var\/log\/nginx\/kycuong\.access\.log;/, `access_log ${dir}/access.log;`);
  subst(/error_log \/var\/log\/nginx\/kycuong\.error\.log warn;/, `error_log ${dir}/error.log warn;`);
  writeFileSync(join(dir, 'kycuong.conf'), conf);
  // The main file Debian's /etc/nginx/nginx.conf would be: private pid, temp dirs and logs.
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  writeFileSync(join(dir, 'nginx.conf'), `
worker_processes 2;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  include ${dir}/kycuong.conf;
}
`);
}

test('two servers on one PostgreSQL behind nginx', { skip, timeout: 180000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-multi-'));
  chmodSync(dir, 0o755); // nginx's workers run as nobody when the test runs as root
  const dbName = `kc_multi_${process.pid}_${randomBytes(4).toString('hex')}`;
  const dbUrl = `${DB_URL_BASE}/${dbName}`;
  psql(`CREATE DATABASE ${dbName}`);
  const procs = [];
  let nginx;
  t.after(async () => {
    for (const p of [nginx, ...procs]) {
      if (p && p.exitCode === null && p.signalCode === null) {
        const done = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        await done;
      }
    }
    psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  const init = runCli(['init', '--db', dbUrl, '--demo']);
  assert.equal(init.status, 0, init.stderr);
  const a = await serve(dbUrl);
  procs.push(a.proc);
  const b = await serve(dbUrl);
  procs.push(b.proc);

  const port = await freePort();
  nginxConfig(dir, port, [a.port, b.port]);
  let nginxLog = '';
  nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  nginx.stdout.on('data', (d) => { nginxLog += d; });
  nginx.stderr.on('data', (d) => { nginxLog += d; });
  const front = `http://127.0.0.1:${port}`;
  const errorLog = () => nginxLog + (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '');
  await waitHealthy(front, nginx, errorLog, 'nginx');

  await t.test('a session is valid on every server', async () => {
    for (const [from, to] of [[a, b], [b, a]]) {
      const s = await login(from.url, 'truongdv', DEMO_PASSWORD);
      assert.equal(s.status, 200);
      const r = await client(to.url, s)('GET', '/me');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.username ?? r.body.account?.username, 'truongdv');
      // A write with the session's CSRF token, on the other server: 200/201, not 401/403.
      const w = await client(to.url, s)('DELETE', '/session');
      assert.ok(w.status < 300, `logout on the other server: ${w.status} ${w.text}`);
      const gone = await client(from.url, s)('GET', '/me');
      assert.equal(gone.status, 401, 'a session ended on one server is ended on all');
    }
  });

  await t.test('nginx serves the UI, caps bodies at 64 KiB, passes the API', async () => {
    const js = await fetch(`${front}/js/app.js`);
    assert.equal(js.status, 200);
    assert.equal(await js.text(), readFileSync(join(SOURCE_DIR, 'web/js/app.js'), 'utf8'));
    assert.match(js.headers.get('content-security-policy') || '', /default-src 'self'/);
    assert.equal(js.headers.get('cache-control'), 'no-cache');
    const etag = js.headers.get('etag');
    assert.ok(etag);
    assert.equal((await fetch(`${front}/js/app.js`, { headers: { 'if-none-match': etag } })).status, 304);
    const index = await fetch(`${front}/`); // proxied to a server
    assert.equal(index.status, 200);
    const big = await fetch(`${front}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x'.repeat(70 * 1024), password: 'y' }),
    });
    assert.equal(big.status, 413);
    const metrics = await fetch(`${front}/metrics`); // from 127.0.0.1: allowed
    assert.equal(metrics.status, 200);
  });

  const admin = client(front, await login(front, 'admin', ADMIN_PASSWORD));
  const units = (await admin('GET', '/units?limit=500')).body.items;
  assert.ok(units.length > 10);

  await t.test('concurrent PATCHes with one version: one 200, the rest 409', async () => {
    for (let round = 0; round < 3; round++) {
      const o = await admin('POST', '/officials', { unit_id: units[round].id, full_name: `Trần Văn Sửa ${round}` });
      assert.equal(o.status, 201, o.text);
      // Separate sessions, so requests spread over both servers through nginx.
      const editors = await Promise.all(Array.from({ length: 8 }, () => login(front, 'admin', ADMIN_PASSWORD)));
      const res = await Promise.all(editors.map((s, i) =>
        client(front, s)('PATCH', `/officials/${o.body.id}`, { version: o.body.version, position: `Chức vụ ${i}` })));
      const codes = res.map((r) => r.status).sort();
      assert.deepEqual(codes, [200, ...Array(7).fill(409)], `statuses ${codes}`);
      const after = await admin('GET', `/officials/${o.body.id}`);
      assert.equal(after.body.version, o.body.version + 1);
    }
  });

  await t.test('a server killed mid-way loses no acknowledged write', async () => {
    const created = new Map(); // id -> full_name, for every 201
    const failures = [];
    let readsOk = 0;
    let postsRetried = 0;
    let ops = 0;
    let killed = false;
    const TOTAL = 6 * 40;
    // Workers log in through nginx (logins interleave with the rest), then create and read.
    const worker = async (w) => {
      const sess = await login(front, w % 2 ? 'admin' : 'truongdv', w % 2 ? ADMIN_PASSWORD : DEMO_PASSWORD);
      assert.equal(sess.status, 200, `login through nginx: ${JSON.stringify(sess.body)}`);
      const api = client(front, sess);
      const myUnits = w % 2 ? units : units.filter((u) => u.id === sess.account.unit_id);
      for (let i = 0; i < 40; i++) {
        if (++ops === Math.floor(TOTAL / 3) && !killed) {
          killed = true;
          a.proc.kill('SIGKILL'); // requests of the other workers are in flight right now
        }
        const name = `Nguyễn Thị Bền ${w}-${i}`;
        let r;
        for (let attempt = 0; ; attempt++) {
          try {
            r = await api('POST', '/officials', { unit_id: myUnits[i % myUnits.length].id, full_name: name });
          } catch (e) {
            r = { status: 0, text: String(e) };
          }
          // Only a POST that got no answer from kycuong (nginx's 502, or no answer at all) may
          // be repeated; it may have been committed, so a repeat can duplicate, never lose.
          if ((r.status === 502 || r.status === 0) && attempt < 2) {
            postsRetried++;
            continue;
          }
          break;
        }
        if (r.status === 201) created.set(r.body.id, name);
        else failures.push(`POST ${r.status} ${r.text}`);
        for (const path of [`/officials/${r.body?.id ?? 1}`, '/me', '/units?limit=20']) {
          const g = await api('GET', path);
          if (g.status === 200) readsOk++;
          else failures.push(`GET ${path} ${g.status} ${g.text}`);
        }
      }
      // The session still works after the kill, wherever it was created.
      for (let i = 0; i < 4; i++) {
        const me = await api('GET', '/me');
        if (me.status !== 200) failures.push(`GET /me after the kill: ${me.status}`);
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));
    assert.ok(killed);
    await new Promise((r) => (a.proc.exitCode !== null || a.proc.signalCode ? r() : a.proc.once('exit', r)));
    assert.equal(a.proc.signalCode, 'SIGKILL');
    assert.deepEqual(failures, [], `failed requests (nginx: ${errorLog().slice(-2000)})`);
    assert.equal(created.size, TOTAL);
    t.diagnostic(`${created.size} officials created, ${readsOk} reads, ${postsRetried} POSTs repeated after 502`);

    // Every acknowledged write is there, read through nginx (only b is left).
    for (const [id, name] of created) {
      const r = await admin('GET', `/officials/${id}`);
      assert.equal(r.status, 200, `official ${id}: ${r.text}`);
      assert.equal(r.body.full_name, name);
    }
    // A new login after the kill, through nginx.
    assert.equal((await login(front, 'giamsat', DEMO_PASSWORD)).status, 200);
    const audit = runCli(['audit', 'verify', '--db', dbUrl]);
    assert.equal(audit.status, 0, audit.stdout + audit.stderr);
  });

  // The surviving server stops cleanly.
  const done = new Promise((r) => b.proc.once('exit', r));
  b.proc.kill('SIGTERM');
  await done;
  assert.equal(b.proc.exitCode, 0, b.log().slice(-3000));
});
