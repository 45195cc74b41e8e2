// GET /api/v1/legal-clocks: the legal-clock rule sets of data/clocks/*.json as the server
// loaded them at start (every version, or those in force on a day), a session required; a
// broken rule file stops the binary with a message naming the file, the rule and the member;
// and the one-stop shop computes its due dates on these rules (an edited rule moves them).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, runCli, SOURCE_DIR } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits, stopClean } from './helpers.mjs';

const NOW = '2017-06-05T09:00:00+07:00'; // a Monday

/** Every rule of data/clocks/*.json, as the files say. */
function shippedRules() {
  const dir = join(SOURCE_DIR, 'data/clocks');
  return readdirSync(dir).filter((n) => n.endsWith('.json')).sort()
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).rules);
}

/** A data dir like the shipped one whose clocks/ holds `files` ({name: object}) instead. */
function dataDirWith(files) {
  const dir = mkdtempSync(join(tmpdir(), 'kc-clocks-'));
  for (const n of readdirSync(join(SOURCE_DIR, 'data'))) {
    if (n !== 'clocks') symlinkSync(join(SOURCE_DIR, 'data', n), join(dir, n));
  }
  mkdirSync(join(dir, 'clocks'));
  for (const [n, doc] of Object.entries(files)) writeFileSync(join(dir, 'clocks', n), JSON.stringify(doc));
  return dir;
}

const shippedFile = (n) => JSON.parse(readFileSync(join(SOURCE_DIR, 'data/clocks', n), 'utf8'));

describe('legal clocks API', () => {
  let srv, admin, head;
  const dirs = [];
  before(async () => {
    srv = await startServer({ args: ['--now', NOW] });
    admin = await session(srv.url, 'admin');
    head = await session(srv.url, 'truongdv');
  });
  after(async () => {
    if (srv) await stopClean(srv);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('needs a session', async () => {
    const r = await fetch(`${srv.url}/api/v1/legal-clocks`);
    assert.equal(r.status, 401);
  });

  it('lists every version of data/clocks with its source and dates, for any signed-in role', async () => {
    const r = assertStatus(await head('GET', '/legal-clocks'), 200);
    const files = shippedRules();
    assert.equal(r.total_count, files.length);
    assert.equal(r.items.length, files.length);
    const key = (x) => `${x.code}#${x.version}`;
    const byKey = new Map(r.items.map((x) => [key(x), x]));
    for (const f of files) {
      const x = byKey.get(key(f));
      assert.ok(x, `${key(f)} listed`);
      assert.equal(x.unit, f.unit);
      assert.equal(x.count, f.count ?? null);
      assert.equal(x.start, f.start);
      assert.equal(x.roll_forward, f.roll_forward);
      assert.equal(x.office_receipt, f.office_receipt ?? false);
      assert.equal(x.source, f.source);
      assert.equal(x.valid_from, f.valid_from);
      assert.equal(x.valid_to, f.valid_to ?? null);
      assert.equal(x.cutoff, f.cutoff_hour === undefined || f.cutoff_hour === null ? null
        : typeof f.cutoff_hour === 'number' ? `${String(f.cutoff_hour).padStart(2, '0')}:00` : f.cutoff_hour);
    }
    // by code, then version
    const keys = r.items.map((x) => [x.code, x.version]);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    assert.deepEqual(keys, sorted);
    // the Civil Code's counting is there, with its articles
    const civil = r.items.find((x) => x.code === 'civil.period.days');
    assert.equal(civil.start, 'day_after');
    assert.equal(civil.roll_forward, true);
    assert.match(civil.source, /Bộ luật Dân sự 2015/);
  });

  it('?at= gives the versions in force that day: one per code, the regime of the day', async () => {
    const on = async (day) => assertStatus(await admin('GET', `/legal-clocks?at=${day}`), 200).items;
    const wd = (items) => items.find((x) => x.code === 'onestop.limit.working_days');
    const y2017 = await on('2017-06-05');
    assert.equal(wd(y2017).version, 1);
    assert.match(wd(y2017).source, /09\/2015/);
    assert.equal(wd(await on('2018-06-21')).version, 2, 'Decree 61/2018 from its first day');
    assert.equal(wd(await on('2025-06-30')).version, 2, 'until the day before 118/2025');
    const now = await on('2026-12-07');
    assert.equal(wd(now).version, 3);
    assert.match(wd(now).source, /118\/2025/);
    for (const items of [y2017, now]) {
      const codes = items.map((x) => x.code);
      assert.equal(new Set(codes).size, codes.length, 'one version per code');
    }
    // nothing was in force before the first regime
    assert.equal(wd(await on('2015-01-01')), undefined);
    assertError(await admin('GET', '/legal-clocks?at=2017-13-01'), 400, 'invalid_field', 'at');
    assertError(await admin('GET', '/legal-clocks?at=yesterday'), 400, 'invalid_field', 'at');
  });

  it('a broken rule file stops the binary with the file, the rule and the member named', () => {
    const doc = shippedFile('onestop.json');
    doc.rules[1].unit = 'weeks';
    const dir = dataDirWith({ 'onestop.json': doc });
    dirs.push(dir);
    const r = runCli(['routes', '--data-dir', dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /onestop\.json/);
    assert.match(r.stderr, /onestop\.limit\.working_days/);
    assert.match(r.stderr, /trường unit/);
    // overlapping versions of one code are refused too
    const ov = shippedFile('onestop.json');
    ov.rules[0].valid_to = '2019-01-01';
    const dir2 = dataDirWith({ 'onestop.json': ov });
    dirs.push(dir2);
    const r2 = runCli(['routes', '--data-dir', dir2]);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /chồng lên/);
  });

  it('the one-stop shop counts on these rules: a rule edited to same_day moves a due date', async () => {
    const proc = {
      code: 'KT.2001', name: 'Thủ tục kiểm thử thời hạn', field: 'Hộ tịch', processing_days: 1,
      day_kind: 'working', cutoff_hour: null, fee: 0, components: ['Tờ khai'], legal_basis: 'Kiểm thử',
    };
    const receive = async (s) => {
      const units = await allUnits(s.admin);
      const p = assertStatus(await s.admin('POST', '/procedures', { ...proc, unit_id: units.byCode.get('HN-D01').id }), 201);
      return assertStatus(await s.motcua('POST', '/dossiers', { procedure_id: p.id, applicant: { name: 'Nguyễn Văn An' } }), 201);
    };
    // shipped rules: 1 working day from Monday 5/6 is Tuesday 6/6, by the 2017 version, which
    // the dossier records with its source (and keeps: GET gives the same)
    const motcua = await session(srv.url, 'motcua');
    const d2017 = await receive({ admin, motcua });
    assert.equal(d2017.due_date, '2017-06-06');
    const v2017 = { code: 'onestop.limit.working_days', version: 1, source: 'Quyết định 09/2015/QĐ-TTg (quy chế một cửa)' };
    assert.deepEqual(d2017.due_rule, v2017);
    assert.deepEqual(assertStatus(await motcua('GET', `/dossiers/${d2017.id}`), 200).due_rule, v2017);
    // the same with the 2017 version counting the receipt day as day 1
    const doc = shippedFile('onestop.json');
    const v1 = doc.rules.find((x) => x.code === 'onestop.limit.working_days' && x.version === 1);
    v1.start = 'same_day';
    // the other shipped rule files as they are (the case kinds of data/case-kinds need theirs)
    const shipped = readdirSync(join(SOURCE_DIR, 'data/clocks')).filter((n) => n.endsWith('.json'));
    const dir = dataDirWith({ ...Object.fromEntries(shipped.map((n) => [n, shippedFile(n)])), 'onestop.json': doc });
    dirs.push(dir);
    const other = await startServer({ args: ['--now', NOW], env: { KYCUONG_DATA_DIR: dir } });
    try {
      const s = { admin: await session(other.url, 'admin'), motcua: await session(other.url, 'motcua') };
      const listed = assertStatus(await s.admin('GET', '/legal-clocks?at=2017-06-05'), 200).items;
      assert.equal(listed.find((x) => x.code === 'onestop.limit.working_days').start, 'same_day');
      assert.equal((await receive(s)).due_date, '2017-06-05');
    } finally {
      await stopClean(other);
    }
  });

  it('a dossier received today records the rule in force today (Decree 118/2025), not the 2017 one', async () => {
    const today = await startServer({ args: ['--now', '2026-12-07T09:00:00+07:00'] });
    try {
      const s = { admin: await session(today.url, 'admin'), motcua: await session(today.url, 'motcua') };
      const units = await allUnits(s.admin);
      const p = assertStatus(await s.admin('POST', '/procedures', {
        code: 'KT.2002', name: 'Thủ tục kiểm thử quy tắc', field: 'Hộ tịch', processing_days: 3, day_kind: 'working',
        cutoff_hour: null, fee: 0, components: ['Tờ khai'], legal_basis: 'Kiểm thử', unit_id: units.byCode.get('HN-D01').id,
      }), 201);
      const d = assertStatus(await s.motcua('POST', '/dossiers', { procedure_id: p.id, applicant: { name: 'Trần Thị Bình' } }), 201);
      const inForce = assertStatus(await s.admin('GET', '/legal-clocks?at=2026-12-07'), 200).items
        .find((x) => x.code === 'onestop.limit.working_days');
      assert.equal(inForce.version, 3);
      assert.deepEqual(d.due_rule, { code: 'onestop.limit.working_days', version: 3, source: inForce.source });
      // Monday 7/12/2026 + 3 working days
      assert.equal(d.due_date, '2026-12-10');
    } finally {
      await stopClean(today);
    }
  });
});
