// The scheduler on several servers: two `kycuong serve` on one PostgreSQL database, both with
// a scheduler pass every second and e-mail to a real SMTP server (Debian's aiosmtpd). Exactly
// one server runs the passes (an advisory lock held by its connection), every notice is
// e-mailed once, and when that server dies the other takes over.
// Needs KC_TEST_DB_URL_BASE (scripts/pg.sh) and python3-aiosmtpd; started by scripts/test.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { BIN, DB_URL_BASE, ADMIN_PASSWORD, freePort, runCli, login, client } from '../lib/server.mjs';

const skip = !DB_URL_BASE ? 'needs PostgreSQL (KC_TEST_DB_URL_BASE)' : false;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const NOW = '2017-04-10T08:30:00+07:00';

function psql(sql) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${DB_URL_BASE}/postgres`, '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.error || r.stderr}`);
}

function emails(out) {
  return out.split('---------- MESSAGE FOLLOWS ----------').slice(1).map((p) => {
    const m = /^Subject: =\?UTF-8\?B\?([^?]+)\?=/m.exec(p);
    return m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
  });
}

async function serve(dbUrl, env) {
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--db', dbUrl, '--listen', `127.0.0.1:${port}`, '--now', NOW], {
    env: { ...process.env, KYCUONG_ACCESS_LOG: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* starting */ }
    await sleep(50);
  }
  return { url, proc, log: () => log };
}

test('one scheduler among several servers; every notice e-mailed once; takeover', { skip }, async (t) => {
  const db = `kc_sched_${randomBytes(6).toString('hex')}`;
  psql(`CREATE DATABASE ${db}`);
  const url = `${DB_URL_BASE}/${db}`;
  const smtpPort = await freePort();
  const smtp = spawn('/usr/bin/python3', ['-u', '-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let mail = '';
  smtp.stdout.on('data', (d) => { mail += d; });
  const servers = [];
  t.after(async () => {
    for (const s of servers) if (s.proc.exitCode === null) s.proc.kill('SIGKILL');
    smtp.kill('SIGTERM');
    await sleep(200);
    psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  });
  assert.equal(runCli(['init', '--db', url, '--demo']).status, 0);

  // Set up without a scheduler: the head of Ba Đình has an e-mail address.
  const setup = await serve(url, { KYCUONG_TICK_INTERVAL: '0' });
  servers.push(setup);
  const admin = client(setup.url, await login(setup.url, 'admin', ADMIN_PASSWORD));
  const units = (await admin('GET', '/units?kind=district&limit=100')).body.items;
  const bd = units.find((u) => u.code === 'HN-D01');
  const off = (await admin('POST', '/officials', { unit_id: bd.id, full_name: 'Đặng Thị Hường', email: 'huong@badinh.hanoi.gov.vn' })).body;
  const acc = (await admin('GET', '/accounts?q=truongdv')).body.items.find((a) => a.username === 'truongdv');
  assert.equal((await admin('PATCH', `/accounts/${acc.id}`, { version: acc.version, official_id: off.id })).status, 200);
  const t1 = (await admin('POST', '/tasks', { lead_unit_id: bd.id, title: 'Báo cáo kết quả tháng 4', due_date: '2017-04-14' })).body;
  setup.proc.kill('SIGTERM');
  await sleep(300);

  // Two servers, each with a scheduler pass every second.
  const env = { KYCUONG_TICK_INTERVAL: '1', KYCUONG_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, KYCUONG_SMTP_FROM: 'dondoc@hanoi.gov.vn' };
  const a = await serve(url, env);
  const b = await serve(url, env);
  servers.push(a, b);
  await sleep(3500);
  assert.deepEqual(emails(mail), ['Nhắc hạn: còn 4 ngày làm việc — Báo cáo kết quả tháng 4'], 'one e-mail, once');
  const ran = [a, b].filter((s) => /scheduler: \d+ notices/.test(s.log()));
  assert.equal(ran.length, 1, `exactly one server ran the pass:\nA: ${a.log()}\nB: ${b.log()}`);

  // The server running the passes dies; the other takes over for the next task.
  const holder = ran[0];
  const other = holder === a ? b : a;
  holder.proc.kill('SIGKILL');
  const api = client(other.url, await login(other.url, 'admin', ADMIN_PASSWORD));
  const t2 = (await api('POST', '/tasks', { lead_unit_id: bd.id, title: 'Rà soát quy chế làm việc', due_date: '2017-04-11' })).body;
  for (let i = 0; i < 80 && emails(mail).length < 2; i++) await sleep(100);
  await sleep(1500); // a few more passes: nothing must be sent again
  assert.deepEqual(emails(mail).sort(), [
    'Nhắc hạn: còn 1 ngày làm việc — Rà soát quy chế làm việc',
    'Nhắc hạn: còn 4 ngày làm việc — Báo cáo kết quả tháng 4',
  ]);
  const n1 = (await api('GET', `/tasks/${t1.id}/notices`)).body.items;
  const n2 = (await api('GET', `/tasks/${t2.id}/notices`)).body.items;
  assert.equal(n1.filter((n) => n.channel === 'email').length, 1);
  assert.equal(n2.filter((n) => n.channel === 'email' && n.delivered).length, 1);
});
