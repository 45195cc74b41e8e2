// `kycuong export`, `import` and `backup` (docs/export-format.md, docs/deploy.md).
// Round trip of the demo data SQLite → PostgreSQL → SQLite (SQLite → SQLite when no
// PostgreSQL is configured): every table's rows equal, `audit verify` passing on each copy,
// ids continuing after the imported ones; import's refusals; and a backup taken while a
// server writes, which must be a consistent snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, DB_URL_BASE, ADMIN_PASSWORD, runCli, startServer, serveExisting } from '../lib/server.mjs';
import { session } from './helpers.mjs';

function psql(sql) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${DB_URL_BASE}/postgres`, '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.error || r.stderr}`);
}

function cli(args) {
  const r = runCli(args);
  return { ...r, out: `${r.stdout}\n${r.stderr}` };
}

/** Parses an export: {header, rows: Map(table -> [row JSON text]), end}. */
function parseExport(path) {
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'the file ends with a newline');
  const header = JSON.parse(lines[0]);
  const end = JSON.parse(lines[lines.length - 1]);
  const rows = new Map();
  let last = -1;
  for (const line of lines.slice(1, -1)) {
    const o = JSON.parse(line);
    const idx = header.tables.indexOf(o.table);
    assert.ok(idx >= last, `${o.table} out of the header's order`);
    last = idx;
    if (!rows.has(o.table)) rows.set(o.table, []);
    rows.get(o.table).push(JSON.stringify(o.row));
  }
  return { header, rows, end };
}

function sqlite(db, sql) {
  const r = spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('export → import → export round trip keeps every row', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-export-'));
  const dbs = [];
  const pgdb = () => {
    const name = `kc_export_${process.pid}_${randomBytes(4).toString('hex')}`;
    psql(`CREATE DATABASE ${name}`);
    dbs.push(name);
    return `${DB_URL_BASE}/${name}`;
  };
  t.after(() => {
    for (const d of dbs) psql(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });
  // Demo data, plus a session and login attempts: rows in every kind of table we have.
  const src = join(dir, 'source.db');
  assert.equal(cli(['init', '--db', src, '--demo']).status, 0);
  {
    const s = await serveExisting(src);
    try {
      await session(s.url, 'admin', ADMIN_PASSWORD);
      await session(s.url, 'truongdv');
    } finally {
      await s.stop();
    }
  }
  const f1 = join(dir, '1.jsonl');
  let r = cli(['export', '--db', src, '--out', f1]);
  assert.equal(r.status, 0, r.out);
  const e1 = parseExport(f1);
  assert.equal(e1.header.format, 'kycuong-export');
  assert.equal(e1.header.version, 1);
  assert.equal(typeof e1.header.schema_version, 'number');
  assert.equal(e1.end.end, true);
  for (const table of ['units', 'officials', 'accounts', 'sessions', 'audit_log', 'audit_head', 'calendar_entries']) {
    assert.ok(e1.rows.get(table)?.length > 0, `${table} exported`);
  }
  assert.equal(e1.end.rows, [...e1.rows.values()].reduce((n, v) => n + v.length, 0));
  assert.equal(cli(['export', '--db', src, '--out', f1]).status, 1, 'never overwrites');

  // SQLite → middle (PostgreSQL when configured) → SQLite.
  const middle = DB_URL_BASE ? pgdb() : join(dir, 'middle.db');
  r = cli(['import', '--db', middle, f1]);
  assert.equal(r.status, 0, r.out);
  assert.match(r.stdout, /nhật ký thay đổi nguyên vẹn/);
  assert.equal(cli(['audit', 'verify', '--db', middle]).status, 0);
  const f2 = join(dir, '2.jsonl');
  assert.equal(cli(['export', '--db', middle, '--out', f2]).status, 0);
  const back = join(dir, 'back.db');
  r = cli(['import', '--db', back, f2]);
  assert.equal(r.status, 0, r.out);
  assert.equal(cli(['audit', 'verify', '--db', back]).status, 0);
  const f3 = join(dir, '3.jsonl');
  assert.equal(cli(['export', '--db', back, '--out', f3]).status, 0);

  const e2 = parseExport(f2);
  const e3 = parseExport(f3);
  assert.equal(e2.header.backend, DB_URL_BASE ? 'postgres' : 'sqlite');
  for (const e of [e2, e3]) {
    assert.deepEqual(e.header.tables, e1.header.tables);
    assert.deepEqual(e.end, e1.end);
    for (const table of e1.header.tables) {
      assert.deepEqual(e.rows.get(table) ?? [], e1.rows.get(table) ?? [], `rows of ${table}`);
    }
  }

  // Ids continue after the imported ones (PostgreSQL: the identity sequences were moved).
  {
    const s = await serveExisting(middle);
    try {
      const admin = await session(s.url, 'admin', ADMIN_PASSWORD);
      const maxId = Math.max(...e1.rows.get('officials').map((x) => JSON.parse(x).id));
      const unitId = JSON.parse(e1.rows.get('units')[0]).id;
      const o = await admin('POST', '/officials', { unit_id: unitId, full_name: 'Phạm Văn Tiếp' });
      assert.equal(o.status, 201, o.text);
      assert.equal(o.body.id, maxId + 1);
    } finally {
      await s.stop();
    }
  }
  assert.equal(cli(['audit', 'verify', '--db', middle]).status, 0);

  await t.test('import refuses a non-empty target', () => {
    const r2 = cli(['import', '--db', middle, f1]);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /không trống/);
  });

  await t.test('import refuses another schema version and another format', () => {
    const lines = readFileSync(f1, 'utf8').split('\n');
    const h = JSON.parse(lines[0]);
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, [JSON.stringify({ ...h, schema_version: h.schema_version + 1 }), ...lines.slice(1)].join('\n'));
    const r2 = cli(['import', '--db', join(dir, 'v.db'), other]);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /phiên bản lược đồ/);
    assert.ok(!existsSync(join(dir, 'v.db')), 'the target is not touched');
    writeFileSync(other, [JSON.stringify({ ...h, version: 2 }), ...lines.slice(1)].join('\n'));
    assert.match(cli(['import', '--db', join(dir, 'v.db'), other]).stderr, /định dạng phiên bản 2/);
  });

  await t.test('a file cut short is refused and leaves the target empty', () => {
    const lines = readFileSync(f1, 'utf8').split('\n');
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, lines.slice(0, Math.floor(lines.length / 2)).join('\n') + '\n');
    const target = DB_URL_BASE ? pgdb() : join(dir, 'cut.db');
    const r2 = cli(['import', '--db', target, cut]);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /cắt cụt/);
    // Rolled back: the full file still goes into the same database.
    const r3 = cli(['import', '--db', target, f1]);
    assert.equal(r3.status, 0, r3.out);
  });

  await t.test('a row that names an unknown column is refused', () => {
    const lines = readFileSync(f1, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.startsWith('{"table":"officials"'));
    const o = JSON.parse(lines[i]);
    o.row['name; DROP TABLE units'] = 'x';
    lines[i] = JSON.stringify(o);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, lines.join('\n'));
    const r2 = cli(['import', '--db', join(dir, 'bad.db'), bad]);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /không có cột/);
  });
});

test('backup while a server writes is a consistent snapshot', async (t) => {
  if (DB_URL_BASE) {
    // The server's database is PostgreSQL here: backup refuses it and points to pg_dump.
    const srv = await startServer();
    t.after(() => srv.stop());
    const r = cli(['backup', '--db', srv.dbPath, '--out', join(srv.dir, 'x.db')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /pg_dump/);
    return;
  }
  const srv = await startServer();
  t.after(() => srv.stop());
  const admin = await session(srv.url, 'admin', ADMIN_PASSWORD);
  const units = (await admin('GET', '/units?limit=50')).body.items;
  // Writers keep creating officials (each with its audit record) during the backups.
  let stop = false;
  let created = 0;
  const writers = Array.from({ length: 3 }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      const r = await admin('POST', '/officials', { unit_id: units[(w + i) % units.length].id, full_name: `Đỗ Văn Sao ${w}-${i}` });
      assert.equal(r.status, 201, r.text);
      created++;
    }
  });
  while (created < 20) await new Promise((r) => setTimeout(r, 10));
  const copies = [];
  for (let k = 0; k < 3; k++) {
    const out = join(srv.dir, `backup-${k}.db`);
    const proc = spawn(BIN, ['backup', '--db', srv.dbPath, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    proc.stdout.on('data', (d) => { log += d; });
    proc.stderr.on('data', (d) => { log += d; });
    const code = await new Promise((r) => proc.once('exit', r));
    assert.equal(code, 0, log);
    assert.match(log, /sao lưu: 100%/);
    copies.push(out);
  }
  stop = true;
  await Promise.all(writers);
  assert.equal(cli(['backup', '--db', srv.dbPath, '--out', copies[0]]).status, 1, 'never overwrites');

  let last = 0;
  for (const copy of copies) {
    assert.equal(sqlite(copy, 'PRAGMA integrity_check'), 'ok');
    const v = cli(['audit', 'verify', '--db', copy]);
    assert.equal(v.status, 0, v.out);
    // One transaction's worth at a time: the audit head names the newest record, and every
    // official created through the API has its audit record, no more, no fewer.
    const head = Number(sqlite(copy, 'SELECT last_id FROM audit_head'));
    assert.equal(head, Number(sqlite(copy, 'SELECT MAX(id) FROM audit_log')));
    const officials = Number(sqlite(copy, 'SELECT COUNT(*) FROM officials'));
    const audited = Number(sqlite(copy, "SELECT COUNT(*) FROM audit_log WHERE entity = 'official' AND action = 'create'"));
    assert.equal(audited, officials, 'every official in the copy has its audit record and no more');
    assert.ok(head >= last, 'later backups are later snapshots');
    last = head;
  }
});
