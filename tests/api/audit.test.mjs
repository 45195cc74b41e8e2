// The audit log over the API, its hash chain checked by `kycuong audit verify`, and the
// small CLI subcommands (version, help).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, runCli, SOURCE_DIR } from '../lib/server.mjs';
import { assertStatus, session, allUnits, stopClean } from './helpers.mjs';

/** Runs SQL on the test database: sqlite3 for a file, psql for a postgres:// URL. */
function sql(db, query) {
  const pg = /^postgres(ql)?:/.test(db);
  const r = pg
    ? spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', query], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-batch', db, query], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${pg ? 'psql' : 'sqlite3'} ${query}: ${r.error || r.stderr}`);
  return r.stdout.trim();
}

/** Drops triggers that guard audit_log, as an attacker with file access would. */
function dropAuditTriggers(db) {
  if (/^postgres(ql)?:/.test(db)) {
    const t = sql(db, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal");
    for (const name of t.split('\n').filter(Boolean)) sql(db, `DROP TRIGGER "${name}" ON audit_log`);
  } else {
    const t = sql(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'");
    for (const name of t.split('\n').filter(Boolean)) sql(db, `DROP TRIGGER "${name}"`);
  }
}

describe('audit', () => {
  let srv;
  let admin;
  let adminId;
  let official;
  let unit;
  before(async () => {
    srv = await startServer();
    admin = await session(srv.url, 'admin');
    adminId = assertStatus(await admin('GET', '/me'), 200).id;
    const baDinh = (await allUnits(admin)).byCode.get('HN-D01');
    official = assertStatus(await admin('POST', '/officials', { unit_id: baDinh.id, full_name: 'Trịnh Văn Kiểm', position: 'Chuyên viên' }), 201);
    official = assertStatus(await admin('PATCH', `/officials/${official.id}`, { version: official.version, position: 'Trưởng phòng' }), 200);
    unit = assertStatus(await admin('POST', '/units', { code: 'HN-D01-KT', name: 'Phòng Kinh tế', kind: 'division', parent_id: baDinh.id }), 201);
    unit = assertStatus(await admin('PATCH', `/units/${unit.id}`, { version: unit.version, name: 'Phòng Kinh tế quận Ba Đình' }), 200);
  });
  after(async () => { await srv?.stop(); });

  it('GET /audit lists the changes newest first, with before and after', async () => {
    const r = assertStatus(await admin('GET', '/audit?limit=500'), 200);
    assert.ok(r.items.length >= 4, `at least the 4 changes: ${r.items.length}`);
    assert.equal(r.total_count >= r.items.length, true);
    for (let i = 1; i < r.items.length; i++) {
      assert.ok(r.items[i - 1].id > r.items[i].id, `ids descending at ${i}: ${r.items[i - 1].id}, ${r.items[i].id}`);
      assert.ok(r.items[i - 1].at >= r.items[i].at, `at non-increasing at ${i}`);
    }
    for (const k of ['id', 'at', 'actor_id', 'actor', 'action', 'entity', 'entity_id', 'before', 'after', 'hash']) {
      assert.ok(k in r.items[0], `audit item lacks ${k}: ${JSON.stringify(r.items[0])}`);
    }
    assert.match(r.items[0].at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+07:00$/);
    assert.match(r.items[0].hash, /^[0-9a-f]{64}$/);
    // Our four changes are the newest four, in reverse order.
    const mine = r.items.slice(0, 4).map((a) => [a.entity, a.entity_id]);
    assert.deepEqual(mine, [['unit', unit.id], ['unit', unit.id], ['official', official.id], ['official', official.id]]);
    const [unitUpd, unitNew, offUpd, offNew] = r.items.slice(0, 4);
    assert.equal(unitUpd.before.name, 'Phòng Kinh tế');
    assert.equal(unitUpd.after.name, 'Phòng Kinh tế quận Ba Đình');
    assert.equal(unitNew.before, null);
    assert.equal(unitNew.after.code, 'HN-D01-KT');
    assert.equal(offUpd.before.position, 'Chuyên viên');
    assert.equal(offUpd.after.position, 'Trưởng phòng');
    assert.equal(offNew.before, null);
    assert.equal(offNew.after.full_name, 'Trịnh Văn Kiểm');
    assert.notEqual(offNew.action, offUpd.action, 'create and update have different actions');
    for (const a of [unitUpd, unitNew, offUpd, offNew]) {
      assert.equal(a.actor_id, adminId);
      assert.equal(a.actor, 'admin');
    }
  });

  it('GET /audit filters by entity and entity_id', async () => {
    const r = assertStatus(await admin('GET', `/audit?entity=official&entity_id=${official.id}`), 200);
    assert.equal(r.total_count, 2);
    assert.deepEqual(r.items.map((a) => [a.entity, a.entity_id]), [['official', official.id], ['official', official.id]]);
    assert.equal(r.items[0].after.position, 'Trưởng phòng');
    const u = assertStatus(await admin('GET', '/audit?entity=unit&limit=500'), 200);
    assert.ok(u.items.length >= 2);
    assert.deepEqual(u.items.filter((a) => a.entity !== 'unit'), []);
  });

  it('the audit log cannot be written over the API', async () => {
    const r = await admin('POST', '/audit', { action: 'x' });
    assert.ok([404, 405].includes(r.status), `POST /audit: ${r.status} ${r.text}`);
  });

  it('kycuong audit verify accepts the intact chain (server still running)', () => {
    const v = runCli(['audit', 'verify', '--db', srv.dbPath]);
    assert.equal(v.status, 0, `audit verify: ${v.stdout}${v.stderr}`);
  });

  it('kycuong audit verify detects an edited record and names it', async () => {
    // Done while the server runs (SQLite WAL and PostgreSQL both allow another writer).
    const count = Number(sql(srv.dbPath, 'SELECT count(*) FROM audit_log'));
    assert.ok(count >= 4, `audit rows: ${count}`);
    const sqliteFile = !/^postgres(ql)?:/.test(srv.dbPath);
    const copy = join(srv.dir, 'copy.db');
    if (sqliteFile) sql(srv.dbPath, `.backup '${copy}'`);

    dropAuditTriggers(srv.dbPath);
    const id = Number(sql(srv.dbPath, 'SELECT min(id) + 2 FROM audit_log'));
    sql(srv.dbPath, `UPDATE audit_log SET after_json = '{"x":1}' WHERE id = ${id}`);
    assert.equal(sql(srv.dbPath, `SELECT after_json FROM audit_log WHERE id = ${id}`), '{"x":1}');
    const v = runCli(['audit', 'verify', '--db', srv.dbPath]);
    assert.notEqual(v.status, 0, `audit verify must fail: ${v.stdout}${v.stderr}`);
    assert.match(`${v.stdout}\n${v.stderr}`, new RegExp(`(^|\\D)${id}(\\D|$)`), `output names record ${id}`);

    if (sqliteFile) {
      // Deleting a record from the middle breaks the chain too (on an intact copy).
      assert.equal(runCli(['audit', 'verify', '--db', copy]).status, 0, 'the copy verifies');
      dropAuditTriggers(copy);
      const gone = Number(sql(copy, 'SELECT min(id) + 1 FROM audit_log'));
      sql(copy, `DELETE FROM audit_log WHERE id = ${gone}`);
      const d = runCli(['audit', 'verify', '--db', copy]);
      assert.notEqual(d.status, 0, `audit verify after a deletion must fail: ${d.stdout}${d.stderr}`);
    }
  });

  it('the server stops cleanly (exit 0, no sanitizer report)', async () => {
    await stopClean(srv);
  });
});

describe('cli', () => {
  it('kycuong version prints the project version', () => {
    const cm = readFileSync(join(SOURCE_DIR, 'CMakeLists.txt'), 'utf8');
    const m = /project\(kycuong\s+VERSION\s+([0-9.]+)/.exec(cm);
    assert.ok(m, 'project VERSION in CMakeLists.txt');
    const r = runCli(['version']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`(^|\\s)${m[1].replace(/\./g, '\\.')}(\\s|$)`), `version output: ${r.stdout}`);
  });

  it('kycuong help lists the subcommands', () => {
    const r = runCli(['help']);
    assert.equal(r.status, 0, r.stderr);
    const text = r.stdout + r.stderr;
    for (const sub of ['serve', 'init', 'routes', 'audit', 'version', 'help']) {
      assert.match(text, new RegExp(`\\b${sub}\\b`), `help mentions ${sub}:\n${text}`);
    }
  });

  it('an unknown subcommand fails with a message', () => {
    const r = runCli(['khong-co-lenh']);
    assert.notEqual(r.status, 0);
    assert.ok((r.stderr || r.stdout).length > 0, 'some message');
  });
});
