// Starts a real `kycuong serve` on a random port with a fresh SQLite file, for API and
// browser tests. The binary comes from KYCUONG_BIN (set by CTest), else build/kycuong.
// With KC_TEST_DB_URL_BASE set (postgres://user@host:port, see scripts/pg.sh), each server
// gets a fresh PostgreSQL database on that server instead, dropped again by stop().
import { spawn, spawnSync } from 'node:child_process';
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
export const SOURCE_DIR = process.env.KC_SOURCE_DIR || resolve(here, '../..');
export const BIN = process.env.KYCUONG_BIN || join(SOURCE_DIR, 'build/kycuong');
export const ADMIN_PASSWORD = 'admin-test-Passw0rd!';
export const DEMO_PASSWORD = 'demo-kycuong-2017';
export const ARTIFACTS_DIR = process.env.KC_ARTIFACTS_DIR || join(SOURCE_DIR, 'build/artifacts');
export const DB_URL_BASE = process.env.KC_TEST_DB_URL_BASE || '';

/** Runs SQL on the PostgreSQL server of KC_TEST_DB_URL_BASE (its maintenance database). */
function pgAdmin(sql) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${DB_URL_BASE}/postgres`, '-c', sql], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.error || r.stderr}`);
}

/** Finds a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** Runs the kycuong binary synchronously; returns {status, stdout, stderr}. */
export function runCli(args, env = {}) {
  const r = spawnSync(BIN, args, {
    env: { ...process.env, KYCUONG_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Servers still running when the test file's tests have ended (one failed before its stop())
// are killed then: a live child would keep the file's process waiting until CTest's timeout.
// A hook at the top level belongs to the file's root test and runs however the tests ended,
// but before the file's own top-level after() hooks (registered later), which stop their
// servers cleanly: the kill waits for them, on a timer that does not itself keep the process.
const running = new Set();
after(() => {
  setTimeout(() => {
    for (const p of running) p.kill('SIGKILL');
  }, 20000).unref();
});

/**
 * Starts `kycuong serve` on dbPath and a free port and waits for /healthz. Returns {url, port,
 * proc, log(), exited()}; exited() stops the server (SIGTERM) and waits for its exit.
 */
async function launch(dbPath, env, args) {
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--db', dbPath, '--listen', `127.0.0.1:${port}`, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`kycuong serve exited: ${log}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`kycuong serve did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, port, proc,
    log: () => log,
    async exited() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const done = new Promise((r) => proc.once('close', r));
        proc.kill('SIGTERM');
        await done;
      }
      running.delete(proc);
    },
  };
}

/**
 * Creates a database (with demo data unless demo === false) and starts the server; with
 * initNow the demo's story ends at that instant instead of now.
 * Returns {url, port, dir, dbPath, proc, stop()}; dbPath is what --db takes (a file, or the
 * database's URL on PostgreSQL). stop() kills the server and removes the dir and the
 * PostgreSQL database unless keep is true.
 */
export async function startServer({ demo = true, env = {}, args = [], keep = false, initNow = null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kc-test-'));
  let dbPath = join(dir, 'kycuong.db');
  let dbName = null;
  if (DB_URL_BASE) {
    dbName = `kc_test_${process.pid}_${randomBytes(6).toString('hex')}`;
    pgAdmin(`CREATE DATABASE ${dbName}`);
    dbPath = `${DB_URL_BASE}/${dbName}`;
  }
  // initNow: the instant the demo's story ends (`init --now`). A test on a fixed clock that
  // checks `audit verify` needs it at or before its clock: a demo written up to today would
  // date records after the server's own, and verify refuses a log whose times go backwards.
  const init = runCli(['init', '--db', dbPath, ...(demo ? ['--demo'] : []), ...(initNow ? ['--now', initNow] : [])], env);
  if (init.status !== 0) throw new Error(`kycuong init failed: ${init.stderr}`);
  // uploaded files go to the test's own directory, never into the source tree
  const { url, port, proc, log, exited } = await launch(dbPath, { KYCUONG_FILES_DIR: join(dir, 'files'), ...env }, args);
  return {
    url, port, dir, dbPath, proc, log,
    async stop() {
      await exited();
      if (!keep) {
        rmSync(dir, { recursive: true, force: true });
        if (dbName) pgAdmin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      }
      // A clean shutdown exits 0; the sanitizer build exits non-zero when it found a leak or
      // an error, which must fail the test that ran the server.
      if (proc.exitCode !== 0) {
        throw new Error(`kycuong serve exited with ${proc.exitCode} (signal ${proc.signalCode}); log:\n${log().slice(-4000)}`);
      }
      return proc.exitCode;
    },
  };
}

/** Logs in; returns {cookie, csrf, account, status}. */
export async function login(url, username, password) {
  const r = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await r.json().catch(() => null);
  const set = r.headers.get('set-cookie') || '';
  const m = /kc_session=([^;]+)/.exec(set);
  return { status: r.status, cookie: m ? `kc_session=${m[1]}` : null, csrf: body?.csrf_token, account: body?.account, body };
}

/** A small client bound to one session: api('GET', '/units') etc. Sends CSRF on writes. */
export function client(url, sess) {
  return async function api(method, path, body, headers = {}) {
    const h = { ...headers };
    if (sess?.cookie) h.cookie = sess.cookie;
    if (sess?.csrf && method !== 'GET') h['x-csrf-token'] = sess.csrf;
    if (sess?.token) h.authorization = `Bearer ${sess.token}`;
    let payload;
    if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
    }
    const r = await fetch(`${url}/api/v1${path}`, { method, headers: h, body: payload });
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, body: json, text, headers: r.headers };
  };
}

/**
 * Starts `kycuong serve` on an existing database (e.g. one kept by startServer({keep: true}))
 * to restart a server, for instance with another --now. Returns {url, port, dbPath, proc,
 * log(), stop()}; stop() kills the server and leaves the database in place.
 */
export async function serveExisting(dbPath, { env = {}, args = [] } = {}) {
  const { url, port, proc, log, exited } = await launch(dbPath, env, args);
  return {
    url, port, dbPath, proc, log,
    async stop() {
      await exited();
      return proc.exitCode;
    },
  };
}
