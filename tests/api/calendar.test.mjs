// The calendar API (/api/v1/calendar/*): days with their reason and lunar date, working-day
// arithmetic (add, count), the official schedule shipped in data/calendar and seeded by
// `kycuong init`, and the admin edits of it (entries, declared years) with versions and audit.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, client, SOURCE_DIR } from '../lib/server.mjs';
import { assertError, assertStatus, session, stopClean } from './helpers.mjs';

/** Every entry line of data/calendar/*.tsv as {day, kind, name, source}. */
function shippedEntries() {
  const dir = join(SOURCE_DIR, 'data/calendar');
  const out = [];
  for (const f of readdirSync(dir).filter((n) => /^\d{4}\.tsv$/.test(n)).sort()) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      const cols = line.split('\t');
      if (/^\d{4}-\d{2}-\d{2}$/.test(cols[0])) out.push({ day: cols[0], kind: cols[1], name: cols[2], source: cols[3] });
    }
  }
  return out;
}

/** ISO date + n days. */
function plusDays(s, n) {
  const [y, m, d] = s.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

describe('calendar API', () => {
  let srv;
  let admin;
  let head; // truongdv, unit_head
  const days = async (api, from, to) => assertStatus(await api('GET', `/calendar/days?from=${from}&to=${to}`), 200, `days ${from}..${to}`);
  const day = async (api, d) => (await days(api, d, d)).items[0];
  const add = async (api, date, n) => assertStatus(await api('GET', `/calendar/add?date=${date}&n=${n}`), 200, `add ${date} ${n}`).result;

  before(async () => {
    srv = await startServer();
    admin = await session(srv.url, 'admin');
    head = await session(srv.url, 'truongdv');
  });
  after(async () => {
    if (srv) await stopClean(srv);
  });

  it('GET /calendar/days across Tết 2018: 14–20/02 off by the official schedule, lunar dates', async () => {
    const r = await days(admin, '2018-02-12', '2018-02-22');
    assert.equal(r.total_count, 11);
    assert.equal(r.items.length, 11);
    const by = new Map(r.items.map((d) => [d.date, d]));
    for (const d of r.items) {
      for (const k of ['date', 'weekday', 'work', 'reason', 'lunar', 'lunar_leap']) assert.ok(k in d, `${k} in ${JSON.stringify(d)}`);
      assert.equal(typeof d.work, 'boolean');
      assert.equal(typeof d.lunar_leap, 'boolean');
      assert.match(d.lunar, /^\d{4}-\d{2}-\d{2}$/);
    }
    assert.deepEqual(r.items.map((d) => d.date), Array.from({ length: 11 }, (_, i) => plusDays('2018-02-12', i)));
    assert.equal(by.get('2018-02-12').weekday, 1, '12/02/2018 is a Monday');
    assert.equal(by.get('2018-02-18').weekday, 7, '18/02/2018 is a Sunday');
    for (let i = 14; i <= 20; i++) {
      const d = by.get(`2018-02-${i}`);
      assert.equal(d.work, false, `${d.date} is off`);
      assert.match(d.reason, /^official:/, `${d.date} reason ${d.reason}`);
      assert.equal(d.reason, 'official:Tết Nguyên đán');
    }
    for (const s of ['2018-02-12', '2018-02-13', '2018-02-21', '2018-02-22']) {
      assert.equal(by.get(s).work, true, `${s} is a working day`);
      assert.equal(by.get(s).reason, '');
    }
    assert.equal(by.get('2018-02-16').lunar, '2018-01-01', 'Tết Mậu Tuất is 16/02/2018');
    assert.equal(by.get('2018-02-16').lunar_leap, false);
    assert.equal(by.get('2018-02-15').lunar, '2017-12-30');
  });

  it('GET /calendar/add and /calendar/count over Tết 2018', async () => {
    const r = assertStatus(await admin('GET', '/calendar/add?date=2018-02-13&n=1'), 200);
    assert.deepEqual(r, { date: '2018-02-13', n: 1, result: '2018-02-21' });
    assert.equal(await add(admin, '2018-02-21', -1), '2018-02-13');
    assert.equal(await add(admin, '2018-02-14', 0), '2018-02-21', 'n=0 on a day off: the next working day');
    assert.equal(await add(admin, '2018-02-13', 0), '2018-02-13');
    const c = assertStatus(await admin('GET', '/calendar/count?from=2018-02-13&to=2018-02-21'), 200);
    assert.deepEqual(c, { from: '2018-02-13', to: '2018-02-21', count: 1 });
    const back = assertStatus(await admin('GET', '/calendar/count?from=2018-02-21&to=2018-02-13'), 200);
    assert.equal(back.count, -1);
    const same = assertStatus(await admin('GET', '/calendar/count?from=2018-02-13&to=2018-02-13'), 200);
    assert.equal(same.count, 0);
  });

  it('weekends, statutory holidays and compensatory days have their reasons', async () => {
    const sat = await day(admin, '2018-03-10');
    assert.deepEqual([sat.weekday, sat.work, sat.reason], [6, false, 'weekend']);
    const sun = await day(admin, '2018-03-11');
    assert.deepEqual([sun.weekday, sun.work, sun.reason], [7, false, 'weekend']);
    // 02/9/2018 is a Sunday: Quốc khánh, with Monday 03/9 off as well (the shipped data lists it).
    const qk = await day(admin, '2018-09-02');
    assert.equal(qk.work, false);
    assert.match(qk.reason, /^(holiday|official):Quốc khánh$/);
    // A year without an official schedule: the rules of law alone (30/4/2028 is a Sunday).
    const r = await days(admin, '2028-04-29', '2028-05-03');
    const by = new Map(r.items.map((d) => [d.date, d]));
    assert.equal(by.get('2028-04-30').reason, 'holiday:Ngày Chiến thắng');
    assert.equal(by.get('2028-05-01').reason, 'holiday:Ngày Quốc tế Lao động');
    assert.match(by.get('2028-05-02').reason, /^compensatory:/);
    assert.equal(by.get('2028-05-02').work, false);
  });

  it('every swapped working day of the shipped data is a working day with reason swapped-workday', async () => {
    const swaps = shippedEntries().filter((e) => e.kind === 'workday');
    assert.ok(swaps.length >= 1, 'data/calendar lists at least one swapped working day');
    assert.ok(swaps.some((e) => e.day === '2019-01-05'), 'Saturday 05/01/2019 is listed');
    for (const e of swaps) {
      const d = await day(admin, e.day);
      assert.ok(d.weekday >= 6, `${e.day} is a Saturday or Sunday`);
      assert.equal(d.work, true, `${e.day} is a working day`);
      assert.equal(d.reason, 'swapped-workday', `${e.day} reason`);
    }
    // And every shipped day off is off.
    for (const e of shippedEntries().filter((x) => x.kind === 'off' && x.day.startsWith('2019'))) {
      assert.equal((await day(admin, e.day)).work, false, `${e.day} (${e.name}) is off`);
    }
  });

  it('GET /calendar/schedule?year=2018 lists the seeded schedule and its sources', async () => {
    const s = assertStatus(await admin('GET', '/calendar/schedule?year=2018'), 200);
    assert.equal(s.year, 2018);
    assert.equal(s.declared, true);
    assert.equal(s.source, 'vpcp-tet-2018');
    const shipped = shippedEntries().filter((e) => e.day.startsWith('2018-'));
    assert.deepEqual(s.entries.map((e) => [e.day, e.kind, e.name, e.source]).sort(),
      shipped.map((e) => [e.day, e.kind, e.name, e.source]).sort());
    for (const e of s.entries) {
      assert.equal(typeof e.id, 'number');
      assert.equal(e.version, 1);
    }
    const codes = s.sources.map((x) => x.code).sort();
    assert.ok(codes.includes('vpcp-tet-2018') && codes.includes('blld-2012'), codes.join(','));
    for (const x of s.sources) assert.ok(x.text.length > 0, `text of ${x.code}`);
    const none = assertStatus(await admin('GET', '/calendar/schedule?year=2030'), 200);
    assert.deepEqual(none, { year: 2030, declared: false, source: null, entries: [], sources: [] });
    assertError(await admin('GET', '/calendar/schedule'), 400, 'invalid_field', 'year');
    assertError(await admin('GET', '/calendar/schedule?year=1899'), 400, 'invalid_field', 'year');
    assertError(await admin('GET', '/calendar/schedule?year=abc'), 400, 'invalid_field', 'year');
  });

  it('validation: bad dates and ranges are 400 naming the field', async () => {
    assertError(await admin('GET', '/calendar/days?from=2018-02-30&to=2018-03-01'), 400, 'invalid_field', 'from');
    assertError(await admin('GET', '/calendar/days?from=2018-02-01&to=18-03-01'), 400, 'invalid_field', 'to');
    assertError(await admin('GET', '/calendar/days?from=2018-02-01'), 400, 'invalid_field', 'to');
    assertError(await admin('GET', '/calendar/days?from=1899-12-31&to=1900-01-02'), 400, 'invalid_field', 'from');
    assertError(await admin('GET', '/calendar/days?from=2018-03-01&to=2018-02-01'), 400, 'invalid_field', 'to');
    // More than 800 days.
    assertError(await admin('GET', '/calendar/days?from=2018-01-01&to=2020-12-31'), 400, 'invalid_field', 'to');
    assertError(await admin('GET', `/calendar/days?from=2018-01-01&to=${plusDays('2018-01-01', 801)}`), 400, 'invalid_field', 'to');
    // 801 days (from + 800) is one too many.
    assertError(await admin('GET', `/calendar/days?from=2018-01-01&to=${plusDays('2018-01-01', 800)}`), 400, 'invalid_field', 'to');
    // 800 days exactly is allowed.
    const r800 = await days(admin, '2018-01-01', plusDays('2018-01-01', 799));
    assert.equal(r800.total_count, 800);
    assertError(await admin('GET', '/calendar/add?date=13/02/2018&n=1'), 400, 'invalid_field', 'date');
    assertError(await admin('GET', '/calendar/add?date=2018-02-13&n=x'), 400, 'invalid_field', 'n');
    assertError(await admin('GET', '/calendar/add?date=2018-02-13&n=100001'), 400, 'invalid_field', 'n');
    assertError(await admin('GET', '/calendar/count?from=2018-02-13&to=2018-13-01'), 400, 'invalid_field', 'to');
    assertError(await admin('GET', '/calendar/count?from=&to=2018-02-13'), 400, 'invalid_field', 'from');
  });

  describe('admin edits of the official schedule', () => {
    let entry;

    it('POST /calendar/entries adds a day off: add() moves, days() shows it, audit has it', async () => {
      const r = await admin('POST', '/calendar/entries', { day: '2018-02-21', kind: 'off', name: 'Nghỉ thêm sau Tết', source: 'vpcp-tet-2018' });
      entry = assertStatus(r, 201, 'POST /calendar/entries');
      assert.equal(typeof entry.id, 'number');
      assert.deepEqual({ ...entry, id: 0 }, { id: 0, day: '2018-02-21', kind: 'off', name: 'Nghỉ thêm sau Tết', source: 'vpcp-tet-2018', version: 1 });
      assert.equal(await add(admin, '2018-02-13', 1), '2018-02-22');
      const d = await day(admin, '2018-02-21');
      assert.equal(d.work, false);
      assert.equal(d.reason, 'official:Nghỉ thêm sau Tết');
      const c = assertStatus(await admin('GET', '/calendar/count?from=2018-02-13&to=2018-02-22'), 200);
      assert.equal(c.count, 1);
      // Every role sees the change at once (one calendar for the whole city).
      assert.equal(await add(head, '2018-02-13', 1), '2018-02-22');
      const s = assertStatus(await admin('GET', '/calendar/schedule?year=2018'), 200);
      assert.ok(s.entries.some((e) => e.id === entry.id && e.day === '2018-02-21'));

      const a = assertStatus(await admin('GET', '/audit?entity=calendar_entry'), 200);
      const rec = a.items.find((x) => x.entity_id === entry.id);
      assert.ok(rec, `an audit record for entry ${entry.id}: ${JSON.stringify(a.items.slice(0, 3))}`);
      assert.equal(rec.entity, 'calendar_entry');
      assert.equal(rec.actor, 'admin');
      assert.equal(rec.before, null);
      assert.equal(rec.after.day, '2018-02-21');
      assert.equal(rec.after.kind, 'off');
      assert.equal(rec.after.name, 'Nghỉ thêm sau Tết');
    });

    it('a second entry on the same day is 409 naming day', async () => {
      assertError(await admin('POST', '/calendar/entries', { day: '2018-02-21', kind: 'off', name: 'Trùng' }), 409, 'conflict', 'day');
    });

    it('bad entries are 400 naming the field, and nothing changes', async () => {
      const before = await add(admin, '2018-02-13', 1);
      // A swapped working day must fall on a weekend.
      assertError(await admin('POST', '/calendar/entries', { day: '2018-02-22', kind: 'workday', name: 'Làm bù' }), 400, 'invalid_field', 'day');
      assertError(await admin('POST', '/calendar/entries', { day: '2018-02-32', kind: 'off', name: 'x' }), 400, 'invalid_field', 'day');
      assertError(await admin('POST', '/calendar/entries', { day: '2018-02-22', kind: 'holiday', name: 'x' }), 400, 'invalid_field', 'kind');
      assertError(await admin('POST', '/calendar/entries', { day: '2018-02-22', kind: 'off', name: '' }), 400, 'invalid_field', 'name');
      assertError(await admin('POST', '/calendar/entries', { day: '2018-02-22', kind: 'off' }), 400, 'invalid_field', 'name');
      assertError(await admin('POST', '/calendar/entries', { kind: 'off', name: 'x' }), 400, 'invalid_field', 'day');
      assertError(await admin('POST', '/calendar/entries', { day: 20180222, kind: 'off', name: 'x' }), 400, 'invalid_field', 'day');
      // Changing an existing day off into a swapped working day on a weekday is refused too.
      assertError(await admin('PATCH', `/calendar/entries/${entry.id}`, { version: entry.version, kind: 'workday' }), 400, 'invalid_field', 'day');
      assert.equal(await add(admin, '2018-02-13', 1), before);
      const d = await day(admin, '2018-02-22');
      assert.equal(d.work, true);
    });

    it('PATCH name "" or null is 400 (a day off must keep a name) and changes nothing', async () => {
        const probe = assertStatus(await admin('POST', '/calendar/entries', { day: '2018-03-05', kind: 'off', name: 'Thử tên rỗng' }), 201);
        try {
          assertError(await admin('PATCH', `/calendar/entries/${probe.id}`, { version: probe.version, name: '' }), 400, 'invalid_field', 'name');
          assertError(await admin('PATCH', `/calendar/entries/${probe.id}`, { version: probe.version, name: null }), 400, 'invalid_field', 'name');
          assert.equal((await day(admin, '2018-03-05')).reason, 'official:Thử tên rỗng');
        } finally {
          const now = assertStatus(await admin('GET', '/calendar/schedule?year=2018'), 200).entries.find((e) => e.id === probe.id);
          assertStatus(await admin('DELETE', `/calendar/entries/${probe.id}?version=${now.version}`), 204);
        }
      });

    it('an entry or a declared year citing an unknown source code is 400 naming source', async () => {
        const r = await admin('POST', '/calendar/entries', { day: '2018-03-06', kind: 'off', name: 'Nguồn lạ', source: 'khong-co' });
        if (r.status === 201) await admin('DELETE', `/calendar/entries/${r.body.id}?version=${r.body.version}`);
        assertError(r, 400, 'invalid_field', 'source');
        const y = await admin('PUT', '/calendar/years/2031', { source: 'khong-co' });
        if (y.status === 200) await admin('DELETE', '/calendar/years/2031');
        assertError(y, 400, 'invalid_field', 'source');
      });

    it('a swapped working Saturday added by the admin is a working day', async () => {
      // Saturday 24/02/2018.
      const e = assertStatus(await admin('POST', '/calendar/entries', { day: '2018-02-24', kind: 'workday', name: 'Làm bù thử', source: 'vpcp-tet-2018' }), 201);
      const d = await day(admin, '2018-02-24');
      assert.deepEqual([d.weekday, d.work, d.reason], [6, true, 'swapped-workday']);
      assert.equal(await add(admin, '2018-02-23', 1), '2018-02-24');
      assertStatus(await admin('DELETE', `/calendar/entries/${e.id}?version=${e.version}`), 204);
      assert.equal((await day(admin, '2018-02-24')).reason, 'weekend');
    });

    it('PATCH with a stale version is 409 and changes nothing; with the right one it updates', async () => {
      const stale = await admin('PATCH', `/calendar/entries/${entry.id}`, { version: entry.version + 1, name: 'Không được ghi' });
      assertError(stale, 409, 'conflict');
      const s = assertStatus(await admin('GET', '/calendar/schedule?year=2018'), 200);
      const now = s.entries.find((e) => e.id === entry.id);
      assert.equal(now.name, 'Nghỉ thêm sau Tết');
      assert.equal(now.version, 1);
      assert.equal((await day(admin, '2018-02-21')).reason, 'official:Nghỉ thêm sau Tết');

      const r = assertStatus(await admin('PATCH', `/calendar/entries/${entry.id}`, { version: entry.version, name: 'Nghỉ thêm sau Tết Mậu Tuất' }), 200);
      assert.equal(r.version, entry.version + 1);
      assert.equal(r.name, 'Nghỉ thêm sau Tết Mậu Tuất');
      assert.equal(r.day, '2018-02-21', 'absent members are unchanged');
      assert.equal(r.source, 'vpcp-tet-2018');
      assert.equal((await day(admin, '2018-02-21')).reason, 'official:Nghỉ thêm sau Tết Mậu Tuất');
      const a = assertStatus(await admin('GET', `/audit?entity=calendar_entry&entity_id=${entry.id}`), 200);
      assert.equal(a.items[0].before.name, 'Nghỉ thêm sau Tết');
      assert.equal(a.items[0].after.name, 'Nghỉ thêm sau Tết Mậu Tuất');
      // The old version is now stale for DELETE as well.
      assertError(await admin('DELETE', `/calendar/entries/${entry.id}?version=${entry.version}`), 409, 'conflict');
      assert.equal(await add(admin, '2018-02-13', 1), '2018-02-22');
      entry = r;
    });

    it('PATCH and DELETE of an unknown entry are 404; DELETE without version is 400', async () => {
      assertError(await admin('PATCH', '/calendar/entries/999999', { version: 1, name: 'x' }), 404, 'not_found');
      assertError(await admin('DELETE', '/calendar/entries/999999?version=1'), 404, 'not_found');
      assertError(await admin('DELETE', `/calendar/entries/${entry.id}`), 400, 'invalid_field', 'version');
    });

    it('DELETE with the right version is 204 and add() is back to 21/02/2018', async () => {
      const r = await admin('DELETE', `/calendar/entries/${entry.id}?version=${entry.version}`);
      assert.equal(r.status, 204, r.text);
      assert.equal(r.text, '');
      assert.equal(await add(admin, '2018-02-13', 1), '2018-02-21');
      assert.equal((await day(admin, '2018-02-21')).work, true);
      const a = assertStatus(await admin('GET', `/audit?entity=calendar_entry&entity_id=${entry.id}`), 200);
      assert.equal(a.total_count, 3, 'create, update, delete');
      assert.equal(a.items[0].before.day, '2018-02-21');
      assert.equal(a.items[0].after, null);
    });

    it('PUT / DELETE /calendar/years/:year declare and undeclare a year', async () => {
      // 2030 has no official schedule: Tết follows the default rule of law.
      const tetBefore = await days(admin, '2030-01-28', '2030-02-10');
      const offBefore = tetBefore.items.filter((d) => !d.work && d.reason !== 'weekend').length;
      assert.ok(offBefore >= 4, `default Tết 2030 has days off: ${offBefore}`);
      const put = assertStatus(await admin('PUT', '/calendar/years/2030', { source: 'qd-thu-2030', source_text: 'Văn bản thử nghiệm năm 2030' }), 200);
      assert.equal(put.year, 2030);
      assert.equal(put.declared, true);
      assert.equal(put.source, 'qd-thu-2030');
      assert.deepEqual(put.sources, [{ code: 'qd-thu-2030', text: 'Văn bản thử nghiệm năm 2030' }]);
      // Declared with no entries: the PM-decided Tết days are no longer taken from the defaults.
      const tetDeclared = await days(admin, '2030-01-28', '2030-02-10');
      const offDeclared = tetDeclared.items.filter((d) => !d.work && d.reason !== 'weekend').length;
      assert.ok(offDeclared < offBefore, `declaring 2030 drops the default Tết days (${offBefore} → ${offDeclared})`);
      const del = await admin('DELETE', '/calendar/years/2030');
      assert.equal(del.status, 204, del.text);
      const s = assertStatus(await admin('GET', '/calendar/schedule?year=2030'), 200);
      assert.equal(s.declared, false);
      const tetAfter = await days(admin, '2030-01-28', '2030-02-10');
      assert.deepEqual(tetAfter.items, tetBefore.items);
      assertError(await admin('DELETE', '/calendar/years/2030'), 404, 'not_found');
      assertError(await admin('PUT', '/calendar/years/2030', {}), 400, 'invalid_field', 'source');
      assertError(await admin('PUT', '/calendar/years/1899', { source: 'x' }), 400, 'invalid_field', 'year');
    });
  });

  describe('roles and sessions', () => {
    it('a unit head reads the calendar (200) but may not edit it (403)', async () => {
      const r = await days(head, '2018-02-14', '2018-02-16');
      assert.equal(r.total_count, 3);
      assertStatus(await head('GET', '/calendar/schedule?year=2018'), 200);
      assertError(await head('POST', '/calendar/entries', { day: '2018-02-21', kind: 'off', name: 'x' }), 403, 'forbidden');
      assertError(await head('PATCH', '/calendar/entries/1', { version: 1, name: 'x' }), 403, 'forbidden');
      assertError(await head('DELETE', '/calendar/entries/1?version=1'), 403, 'forbidden');
      assertError(await head('PUT', '/calendar/years/2030', { source: 'x' }), 403, 'forbidden');
      assertError(await head('DELETE', '/calendar/years/2018'), 403, 'forbidden');
      assert.equal(await add(admin, '2018-02-13', 1), '2018-02-21', 'nothing changed');
    });

    it('without a session every calendar route is 401', async () => {
      const anon = client(srv.url, null);
      for (const [m, p, b] of [
        ['GET', '/calendar/days?from=2018-02-14&to=2018-02-16'],
        ['GET', '/calendar/add?date=2018-02-13&n=1'],
        ['GET', '/calendar/count?from=2018-02-13&to=2018-02-21'],
        ['GET', '/calendar/schedule?year=2018'],
        ['POST', '/calendar/entries', { day: '2018-02-21', kind: 'off', name: 'x' }],
        ['PATCH', '/calendar/entries/1', { version: 1, name: 'x' }],
        ['DELETE', '/calendar/entries/1?version=1'],
        ['PUT', '/calendar/years/2030', { source: 'x' }],
        ['DELETE', '/calendar/years/2018'],
      ]) {
        assertError(await anon(m, p, b), 401, 'unauthorized');
      }
    });

    it('a cookie session without the CSRF header may not write', async () => {
      const noCsrf = client(srv.url, { cookie: admin.sess.cookie });
      assertError(await noCsrf('POST', '/calendar/entries', { day: '2018-02-21', kind: 'off', name: 'x' }), 403, 'csrf_required');
      assert.equal(await add(admin, '2018-02-13', 1), '2018-02-21');
    });
  });
});
