// Lists as CSV and XLSX, and the iCalendar feed of deadlines behind a revocable token.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, login, ADMIN_PASSWORD, DEMO_PASSWORD } from '../lib/server.mjs';
import { session, assertStatus, assertError } from './helpers.mjs';

describe('exports and calendar feeds', () => {
  let srv, admin, head;
  before(async () => {
    srv = await startServer();
    admin = await session(srv.url, 'admin');
    head = await session(srv.url, 'truongdv');
  });
  after(async () => { await srv?.stop(); });

  async function raw(api, path) {
    const r = await api('GET', path);
    return r;
  }

  it('exports the unit head’s tasks as CSV with Vietnamese headers, dd/mm/yyyy and statuses', async () => {
    const r = await raw(head, '/tasks/export?mine=1&format=csv');
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
    assert.match(r.headers.get('content-disposition'), /attachment; filename="nhiem-vu\.csv"/);
    const lines = r.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines[0], 'Mã,Mục,Nhiệm vụ,Đơn vị chủ trì,Đơn vị giao,Hạn hoàn thành,Định kỳ,Tiến độ (%),Ngày hoàn thành,Văn bản báo cáo,Tình trạng');
    const list = assertStatus(await head('GET', '/tasks?mine=1&limit=500'), 200);
    assert.equal(lines.length - 1, list.total_count);
    // the district's own tasks and its wards' (Quán Thánh, Điện Biên are wards of Ba Đình)
    assert.ok(lines.slice(1).every((l) => /quận Ba Đình|phường Quán Thánh|phường Điện Biên/.test(l)), 'only the unit’s tasks');
    // every row has a due date as dd/mm/yyyy, or is a recurring task with its period instead
    assert.ok(lines.slice(1).every((l) => /,\d\d\/\d\d\/\d{4},/.test(l) || /,(monthly|quarterly|yearly|weekly):/.test(l)),
      'dates as dd/mm/yyyy');
    assert.ok(lines.some((l) => l.endsWith(',Hoàn thành đúng hạn')), 'statuses in Vietnamese');
    // fetch's text() drops a byte-order mark: look at the bytes
    const s = await login(srv.url, 'truongdv', DEMO_PASSWORD);
    const bytes = Buffer.from(await (await fetch(`${srv.url}/api/v1/tasks/export?mine=1`, { headers: { cookie: s.cookie } })).arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark so Excel reads UTF-8');
  });

  it('keeps a spreadsheet from running typed text as a formula, and codes like 1.10 as text', async () => {
    const bd = assertStatus(await admin('GET', '/units?q=HN-D01'), 200).items[0];
    const title = '=HYPERLINK("http://vi-du.invalid","Bấm vào đây")';
    const t = assertStatus(await admin('POST', '/tasks', { lead_unit_id: bd.id, title, section: '1.10', due_date: '2017-06-30' }), 201);
    const r = await raw(admin, `/tasks/export?format=csv&q=${encodeURIComponent('HYPERLINK')}`);
    assert.equal(r.status, 200, r.text);
    const row = r.text.split('\r\n').find((l) => l.startsWith(`${t.id},`));
    assert.ok(row, r.text.slice(0, 500));
    // the section is written ="1.10" (Excel would show 1.1), the title behind an apostrophe
    assert.ok(row.startsWith(`${t.id},"=""1.10""","'=HYPERLINK(""http://vi-du.invalid"",""Bấm vào đây"")"`), row);
  });

  it('exports statistics as an XLSX workbook whose cells hold the Vietnamese text', async () => {
    // the client helper reads text; binary needs a plain fetch with the session cookie
    const s = await login(srv.url, 'admin', ADMIN_PASSWORD);
    const r = await fetch(`${srv.url}/api/v1/stats/tasks/export?format=xlsx&from=2017-01-01&to=2017-12-31`, {
      headers: { cookie: s.cookie },
    });
    assert.equal(r.status, 200);
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip container');
    const dir = mkdtempSync(join(tmpdir(), 'kc-xlsx-'));
    try {
      const f = join(dir, 't.xlsx');
      writeFileSync(f, bytes);
      const strings = execFileSync('unzip', ['-p', f, 'xl/sharedStrings.xml'], { encoding: 'utf8' });
      assert.match(strings, /KẾT QUẢ THỰC HIỆN NHIỆM VỤ TỪ 01\/01\/2017 ĐẾN 31\/12\/2017/);
      assert.match(strings, /Hoàn thành đúng hạn/);
      assert.match(strings, /UBND quận Ba Đình/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown format, naming it', async () => {
    assertError(await admin('GET', '/tasks/export?format=pdf'), 400, 'invalid_field', 'format');
  });

  it('serves a unit’s open deadlines as iCalendar behind a token, until it is revoked', async () => {
    const t = assertStatus(await head('POST', '/ical-tokens', { scope: 'unit' }), 201);
    assert.match(t.url, /\/api\/v1\/public\/ical\?token=/);
    const feed = await fetch(`${srv.url}${t.path}`);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type'), /^text\/calendar/);
    const text = await feed.text();
    assert.ok(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'), text.slice(0, 80));
    assert.ok(text.trimEnd().endsWith('END:VCALENDAR'));
    assert.ok(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');
    const open = assertStatus(await head('GET', '/tasks?mine=1&status=open&limit=500'), 200);
    const events = text.match(/BEGIN:VEVENT/g) || [];
    const dated = open.items.filter((x) => x.due_date); // recurring templates have no date
    assert.equal(open.items.length, open.total_count);
    assert.equal(events.length, dated.length);
    const one = dated[0];
    assert.ok(text.includes(`UID:task-${one.id}@kycuong`));
    assert.ok(text.includes(`DTSTART;VALUE=DATE:${one.due_date.replaceAll('-', '')}`));
    // unfold, then the summary is the Vietnamese title with commas escaped
    const unfolded = text.replace(/\r\n /g, '');
    const escaped = one.title.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
    assert.ok(unfolded.includes(`SUMMARY:Hạn: ${escaped}`), `SUMMARY of «${one.title}»`);
    // revoked: the feed is refused
    assert.equal((await head('DELETE', `/ical-tokens/${t.id}`)).status, 204);
    assert.equal((await fetch(`${srv.url}${t.path}`)).status, 404);
    assert.equal((await fetch(`${srv.url}/api/v1/public/ical?token=nope`)).status, 404);
  });
});
