// Contract of the one-stop shop (issue 6): the procedure catalog (write, validate, search
// without diacritics, import and export), the public pages without an account, receiving and
// the rules on transitions, scope between districts, atomic changes, the public lookup's limit.
// Dates against the calendar are in onestop_scenario.test.mjs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits } from './helpers.mjs';

const NOW = '2017-06-05T09:00:00+07:00'; // a Monday

describe('one-stop shop: catalog, dossiers, scope, public pages', () => {
  let srv, as, bd, hk, tp;
  const anon = (path, init) => fetch(`${srv.url}/api/v1${path}`, init);

  before(async () => {
    // the demo's story ends at NOW too, so the audit log's times run forward (see the last test)
    srv = await startServer({ args: ['--now', NOW], initNow: NOW, env: { KYCUONG_PUBLIC_LOOKUPS: '8' } });
    const names = ['admin', 'motcua', 'truongdv', 'truongdv2', 'canbo', 'congdan', 'giamsat', 'lanhdao'];
    as = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await session(srv.url, n)])));
    const units = await allUnits(as.admin);
    bd = units.byCode.get('HN-D01');
    hk = units.byCode.get('HN-D02');
    tp = units.byCode.get('HN-D01-P01');
  });
  after(async () => { await srv?.stop(); });

  const base = () => ({
    code: 'KT.1001', name: 'Đăng ký khai sinh (kiểm thử)', field: 'Hộ tịch', unit_id: 0,
    processing_days: 1, day_kind: 'working', cutoff_hour: 15, fee: 0,
    components: ['Tờ khai đăng ký khai sinh', { name: 'Giấy chứng sinh', originals: 1, copies: 0 }],
    legal_basis: 'Luật Hộ tịch 2014',
  });
  let proc, unpublished;

  it('an admin adds a procedure; the record shows the limit, the cut-off and the fee in Vietnamese', async () => {
    proc = assertStatus(await as.admin('POST', '/procedures', { ...base(), unit_id: bd.id }), 201);
    assert.equal(proc.processing_days, 1);
    assert.equal(proc.day_kind, 'working');
    assert.equal(proc.cutoff_hour, 15);
    assert.equal(proc.fee, 'Không');
    assert.equal(proc.level, 'district', 'a district unit makes a district procedure');
    assert.equal(proc.published, true);
    assert.deepEqual(proc.components.map((c) => [c.name, c.originals, c.copies]),
      [['Tờ khai đăng ký khai sinh', 1, 0], ['Giấy chứng sinh', 1, 0]]);
    const fee = assertStatus(await as.admin('POST', '/procedures', {
      ...base(), code: 'KT.1002', name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ (kiểm thử)', field: 'Xây dựng',
      unit_id: bd.id, fee: 75000, processing_days: 15, day_kind: 'calendar', cutoff_hour: null, published: false,
    }), 201);
    assert.equal(fee.fee, '75.000 đồng');
    assert.equal(fee.day_kind, 'calendar');
    unpublished = fee;
  });

  it('bad catalog input is refused with the member named, and nothing is written', async () => {
    const cases = [
      [{ ...base(), code: '' }, 'code'],
      [{ ...base(), unit_id: 999999 }, 'unit_id'],
      [{ ...base(), unit_id: bd.id, processing_days: -1 }, 'processing_days'],
      [{ ...base(), unit_id: bd.id, day_kind: 'weekly' }, 'day_kind'],
      [{ ...base(), unit_id: bd.id, cutoff_hour: 25 }, 'cutoff_hour'],
      [{ ...base(), unit_id: bd.id, level: 'ward' }, 'level'],
      [{ ...base(), unit_id: bd.id, components: [{ name: '' }] }, 'components[0]'],
      [{ ...base(), unit_id: bd.id, processing_days: 2, steps: [{ name: 'Thẩm định', unit_id: tp.id, days: 3 }] }, 'steps'],
      [{ ...base(), unit_id: bd.id, steps: [{ name: 'Thẩm định', days: 0.3 }] }, 'steps[0]'],
    ];
    for (const [body, field] of cases) assertError(await as.admin('POST', '/procedures', { ...body, code: body.code ?? 'KT.X' }), 400, undefined, field);
    assertError(await as.admin('POST', '/procedures', { ...base(), unit_id: bd.id }), 409, undefined, 'code');
    const list = assertStatus(await as.admin('GET', '/procedures?q=kiem thu&limit=100'), 200);
    assert.equal(list.total_count, 2, 'only the two good ones');
  });

  it('who may edit: a district head its own district, not another; citizens read only the public catalog', async () => {
    assertError(await as.truongdv2('POST', '/procedures', { ...base(), code: 'KT.1003', unit_id: bd.id }), 403);
    const own = assertStatus(await as.truongdv('PATCH', `/procedures/${proc.id}`, { version: proc.version, fee: 'Miễn lệ phí' }), 200);
    assert.equal(own.fee, 'Miễn lệ phí');
    proc = own;
    assertError(await as.truongdv('PATCH', `/procedures/${proc.id}`, { version: 1, fee: 'x' }), 409, undefined, 'version');
    assertError(await as.canbo('POST', '/procedures', { ...base(), code: 'KT.1004', unit_id: bd.id }), 403);
    assertError(await as.congdan('GET', '/procedures'), 403);
    const audit = assertStatus(await as.admin('GET', `/audit?entity=procedure&entity_id=${proc.id}`), 200);
    assert.deepEqual(audit.items.map((a) => a.action).sort(), ['create', 'update']);
  });

  it('the public catalog needs no account, finds names without diacritics and hides unpublished ones', async () => {
    for (const q of ['dang ky khai sinh', 'ĐĂNG KÝ KHAI SINH', 'khai sinh']) {
      const r = await anon(`/public/procedures?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200);
      const body = await r.json();
      assert.ok(body.items.some((i) => i.id === proc.id), `"${q}" finds it`);
    }
    const hidden = await (await anon('/public/procedures?q=giay phep xay dung kiem thu')).json();
    assert.equal(hidden.total_count, 0, 'unpublished procedures are not public');
    assert.equal((await anon(`/public/procedures/${unpublished.id}`)).status, 404);
    const one = await (await anon(`/public/procedures/${proc.id}`)).json();
    assert.equal(one.name, proc.name);
    assert.ok(!('source' in one));
    const fields = await (await anon('/public/procedures/fields')).json();
    assert.ok(fields.items.some((f) => f.field === 'Hộ tịch'));
    const byField = await (await anon(`/public/procedures?field=${encodeURIComponent('Hộ tịch')}&level=district`)).json();
    assert.ok(byField.items.every((i) => i.field === 'Hộ tịch' && i.level === 'district'));
  });

  it('export and import round-trip the catalog as JSON; an import error names the record and writes nothing', async () => {
    const exp = await as.admin('GET', '/procedures/export?format=json');
    assert.equal(exp.status, 200);
    const mine = exp.body.filter((p) => p.code.startsWith('KT.'));
    assert.equal(mine.length, 2);
    assert.equal(mine[0].unit_code, 'HN-D01');
    assert.ok(!('id' in mine[0]));
    // change one, add one, break the third: nothing of it must land
    const changed = mine.map((p) => ({ ...p, name: p.name + ' (sửa)' }));
    const bad = [...changed, { code: 'KT.1005', name: 'Thủ tục lỗi', unit_code: 'KHONG-CO', processing_days: 1 }];
    const r = await as.admin('POST', '/procedures/import', bad);
    assertError(r, 400, undefined, 'items[2].unit_id');
    assert.match(r.body.error.message, /KT\.1005/);
    assert.ok(!(await as.admin('GET', `/procedures/${proc.id}`)).body.name.endsWith('(sửa)'), 'rolled back');
    const ok = assertStatus(await as.admin('POST', '/procedures/import', [...changed,
      { code: 'KT.1005', name: 'Thủ tục nhập từ tệp', unit_code: 'HN-D01', processing_days: 1 }]), 200);
    assert.deepEqual(ok, { created: 1, updated: 2 });
    const again = await as.admin('GET', '/procedures/export?format=json');
    const back = again.body.find((p) => p.code === 'KT.1001');
    assert.equal(back.name, proc.name + ' (sửa)');
    assert.deepEqual(back.components, mine.find((p) => p.code === 'KT.1001').components);
    proc = assertStatus(await as.admin('GET', `/procedures/${proc.id}`), 200);
  });

  it('the catalog round-trips through CSV as a spreadsheet opens it; a bad cell is named by row and column', async () => {
    const r = await as.admin('GET', '/procedures/export?format=csv');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    const raw = Buffer.from(await (await fetch(`${srv.url}/api/v1/procedures/export?format=csv`, { headers: { cookie: as.admin.sess.cookie } })).arrayBuffer());
    assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for Excel');
    const csv = raw.toString('utf8');
    assert.match(csv, /Mã thủ tục \(code\)/);
    assert.ok(csv.includes('Tờ khai đăng ký khai sinh'));
    const edited = csv.replace('Thủ tục nhập từ tệp', 'Thủ tục nhập từ tệp CSV');
    const post = (body) => fetch(`${srv.url}/api/v1/procedures/import`, {
      method: 'POST', body,
      headers: { 'content-type': 'text/csv; charset=utf-8', cookie: as.admin.sess.cookie, 'x-csrf-token': as.admin.sess.csrf },
    });
    const ok = await post(edited);
    assert.equal(ok.status, 200, await ok.clone().text());
    const counts = await ok.json();
    assert.equal(counts.created, 0);
    assert.ok(counts.updated >= 3);
    const list = assertStatus(await as.admin('GET', '/procedures?q=nhap tu tep csv'), 200);
    assert.equal(list.total_count, 1);
    const bad = await post('Mã thủ tục (code),Tên thủ tục (name),Thời hạn (processing)\r\nKT.1099,Thủ tục lỗi,ba ngày\r\n');
    assert.equal(bad.status, 400);
    const e = await bad.json();
    assert.match(e.error.message, /Dòng 2/);
    assert.match(e.error.message, /processing/);
  });

  it('a component\'s form file is uploaded by an editor and downloaded by anyone from the public catalog', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0, 1, 2, 255]), Buffer.from('Tờ khai')]);
    const up = (api, query, body = bytes) => fetch(`${srv.url}/api/v1/procedures/${proc.id}/form?${query}`, {
      method: 'POST', body,
      headers: { 'content-type': 'application/pdf', cookie: api.sess.cookie, 'x-csrf-token': api.sess.csrf },
    });
    const name = encodeURIComponent('Tờ khai đăng ký khai sinh.pdf');
    assert.equal((await up(as.truongdv2, `component=1&filename=${name}`)).status, 403, 'another district');
    assert.equal((await up(as.admin, `component=9&filename=${name}`)).status, 400, 'no 9th component');
    assert.equal((await up(as.admin, 'component=1')).status, 400, 'a file needs a name');
    const ok = await up(as.truongdv, `component=1&filename=${name}`);
    assert.equal(ok.status, 200, await ok.clone().text());
    const rec = await ok.json();
    assert.equal(rec.components[0].form_file.filename, 'Tờ khai đăng ký khai sinh.pdf');
    assert.equal(rec.components[0].form_file.size, bytes.length);
    assert.equal(rec.components[1].form_file, null);
    const dl = await anon(`/public/procedures/${proc.id}/form?component=1`);
    assert.equal(dl.status, 200);
    assert.equal(dl.headers.get('content-type'), 'application/pdf');
    assert.match(dl.headers.get('content-disposition'), /filename\*=UTF-8''T%E1%BB%9D%20khai/);
    assert.deepEqual(Buffer.from(await dl.arrayBuffer()), bytes);
    assert.equal((await anon(`/public/procedures/${proc.id}/form?component=2`)).status, 404, 'none uploaded');
    assert.equal((await anon(`/public/procedures/${unpublished.id}/form?component=1`)).status, 404, 'unpublished');
    // the form stays with its component when the list is edited, and the record says so
    const cur = assertStatus(await as.admin('GET', `/procedures/${proc.id}`), 200);
    const edited = assertStatus(await as.admin('PATCH', `/procedures/${proc.id}`, {
      version: cur.version, components: [...cur.components.slice(1).map((c) => c.name), cur.components[0].name],
    }), 200);
    assert.equal(edited.components.at(-1).form_file.sha256, rec.components[0].form_file.sha256);
    const audit = assertStatus(await as.admin('GET', `/audit?entity=procedure&entity_id=${proc.id}`), 200);
    assert.ok(audit.items.some((a) => a.action === 'set_form'));
    proc = edited;
  });

  let dossier;
  it('the desk receives a dossier: code, due date, checklist; a citizen or a supervisor cannot', async () => {
    dossier = assertStatus(await as.motcua('POST', '/dossiers', {
      procedure_id: proc.id, applicant: { name: 'Trần Văn Bình', id_number: '001085000111', phone: '0987654321' },
    }), 201);
    assert.match(dossier.code, /^HN-D01-170605-\d{4}$/);
    assert.equal(dossier.due_date, '2017-06-06');
    assert.equal(dossier.received_day, '2017-06-05');
    assert.equal(dossier.cutoff_hour, 15, 'the cut-off pinned from the procedure');
    assert.equal(dossier.max_reschedules, 0, 'QĐ 09/2015 sets no limit');
    assert.equal(dossier.work_days, null);
    assert.equal(dossier.status, 'received');
    assert.equal(dossier.apology_owed, false);
    assert.deepEqual(dossier.components.map((c) => c.received), [true, true]);
    assert.equal(dossier.received_by_name !== null, true);
    assertError(await as.congdan('POST', '/dossiers', { procedure_id: proc.id, applicant: { name: 'A' } }), 403);
    assertError(await as.giamsat('POST', '/dossiers', { procedure_id: proc.id, applicant: { name: 'A' } }), 403);
    assertError(await as.motcua('POST', '/dossiers', { procedure_id: unpublished.id, applicant: { name: 'A' } }), 400, undefined, 'procedure_id');
    assertError(await as.motcua('POST', '/dossiers', { procedure_id: proc.id, applicant: {} }), 400, undefined, 'applicant.name');
    assertError(await as.motcua('POST', '/dossiers', { procedure_id: proc.id, applicant: { name: 'A', phone: 'abc' } }), 400, undefined, 'applicant.phone');
    assertError(await as.motcua('POST', '/dossiers', { procedure_id: proc.id, applicant: { name: 'A' }, received_at: '2017-06-07T09:00:00+07:00' }), 400, undefined, 'received_at');
    assertError(await as.motcua('POST', '/dossiers', { procedure_id: proc.id, applicant: { name: 'A' }, channel: 'fax' }), 400, undefined, 'channel');
    // a district desk cannot receive for another district
    assertError(await as.truongdv2('POST', '/dossiers', { procedure_id: proc.id, unit_id: bd.id, applicant: { name: 'A' } }), 403);
    // but Hoàn Kiếm receives district procedures of its own
    const hkd = assertStatus(await as.truongdv2('POST', '/dossiers', { procedure_id: proc.id, applicant: { name: 'Lê Thị Hoa' } }), 201);
    assert.equal(hkd.unit_id, hk.id);
    assert.match(hkd.code, /^HN-D02-170605-\d{4}$/);
    const seq2 = assertStatus(await as.motcua('POST', '/dossiers', { procedure_id: proc.id, applicant: { name: 'Phạm Minh Đức' } }), 201);
    assert.equal(Number(seq2.code.slice(-4)), Number(dossier.code.slice(-4)) + 1, 'codes run per unit and day');
  });

  it('lists are scoped: Hoàn Kiếm sees none of Ba Đình; search finds applicants without diacritics', async () => {
    const mine = assertStatus(await as.truongdv2('GET', '/dossiers?limit=500'), 200);
    const units = await allUnits(as.admin);
    const hkIds = new Set(units.list.filter((u) => u.code.startsWith('HN-D02')).map((u) => u.id));
    assert.ok(mine.items.length > 0);
    assert.ok(mine.items.every((i) => hkIds.has(i.unit_id) || hkIds.has(i.holder_unit_id)), 'only its own');
    assertError(await as.truongdv2('GET', `/dossiers/${dossier.id}`), 404);
    assertError(await as.truongdv2('POST', `/dossiers/${dossier.id}/withdraw`, { reason: 'x' }), 404);
    const found = assertStatus(await as.motcua('GET', '/dossiers?q=tran van binh'), 200);
    assert.ok(found.items.some((i) => i.id === dossier.id));
    const byCode = assertStatus(await as.motcua('GET', `/dossiers?q=${dossier.code}`), 200);
    assert.equal(byCode.items[0].id, dossier.id);
    assertError(await as.congdan('GET', '/dossiers'), 403);
    assertError(await as.motcua('GET', '/dossiers?status=bogus'), 400, undefined, 'status');
  });

  it('a refused transition changes nothing; a stale version is refused; each change is audited', async () => {
    const before = assertStatus(await as.motcua('GET', `/dossiers/${dossier.id}`), 200);
    const r = await as.motcua('POST', `/dossiers/${dossier.id}/return`, {});
    assertError(r, 409, undefined, 'status');
    assert.match(r.body.error.message, /Mới tiếp nhận/);
    assertError(await as.motcua('POST', `/dossiers/${dossier.id}/frobnicate`, {}), 404);
    // a handover to a unit that does not exist fails after the step was closed: all rolled back
    assertError(await as.motcua('POST', `/dossiers/${dossier.id}/handover`, { unit_id: 999999 }), 400, undefined, 'unit_id');
    assertError(await as.motcua('POST', `/dossiers/${dossier.id}/assign`, { official_id: 1, version: before.version + 5 }), 409, undefined, 'version');
    const after = assertStatus(await as.motcua('GET', `/dossiers/${dossier.id}`), 200);
    assert.deepEqual(after, before, 'nothing changed');
    const h = assertStatus(await as.motcua('POST', `/dossiers/${dossier.id}/handover`, { unit_id: tp.id, version: before.version }), 200);
    assert.equal(h.holder_unit_id, tp.id);
    assert.equal(h.steps.length, 2);
    assert.equal(h.status, 'in_process');
    const audit = assertStatus(await as.admin('GET', `/audit?entity=dossier&entity_id=${dossier.id}`), 200);
    assert.deepEqual(audit.items.map((a) => a.action).sort(), ['handover', 'receive']);
    // the division sees it in its queue
    const q = assertStatus(await as.truongdv('GET', `/dossiers?holder_unit_id=${tp.id}&status=open`), 200);
    assert.ok(q.items.some((i) => i.id === dossier.id));
  });

  it('withdrawal and refusal need a reason and close the dossier', async () => {
    const x = assertStatus(await as.motcua('POST', '/dossiers', { procedure_id: proc.id, applicant: { name: 'Đỗ Thu Trang' } }), 201);
    assertError(await as.motcua('POST', `/dossiers/${x.id}/refuse`, {}), 400, undefined, 'reason');
    const r = assertStatus(await as.motcua('POST', `/dossiers/${x.id}/refuse`, { reason: 'Không thuộc thẩm quyền giải quyết' }), 200);
    assert.equal(r.status, 'refused');
    assert.equal(r.open, false);
    assert.equal(r.close_reason, 'Không thuộc thẩm quyền giải quyết');
    assertError(await as.motcua('POST', `/dossiers/${x.id}/withdraw`, { reason: 'x' }), 409);
  });

  it('the public lookup answers without an account, leaks nothing personal and is limited per address', async () => {
    const r = await anon(`/public/dossiers/${dossier.code}`);
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.equal(body.applicant_masked, 'Trần V. B.');
    assert.equal(body.status, 'in_process');
    const text = JSON.stringify(body);
    for (const s of ['001085000111', '0987654321', 'Văn Bình']) assert.ok(!text.includes(s), `leaks ${s}`);
    let limited = null;
    for (let i = 0; i < 10 && !limited; i++) {
      const x = await anon(`/public/dossiers/${dossier.code}`);
      if (x.status === 429) limited = x;
    }
    assert.ok(limited, 'the 9th lookup in a minute is refused (limit 8)');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    const e = await limited.json();
    assert.match(e.error.message, /thử lại/);
  });

  it('the one-stop rules in force are listed as dated data', async () => {
    const r = assertStatus(await as.canbo('GET', '/onestop/rules'), 200);
    const codes = r.items.map((x) => x.code);
    assert.deepEqual(codes, ['QD09-2015', 'ND61-2018', 'ND118-2025']);
    const nd61 = r.items[1];
    assert.equal(nd61.apology_lead_days, 1);
    assert.equal(nd61.max_reschedules, 1);
    assert.equal(nd61.forms.apology.title.length > 0, true);
  });

  it('statistics refuse bad input and stay in the actor\'s scope', async () => {
    assertError(await as.truongdv('GET', '/stats/dossiers?from=2017-01-01'), 400, undefined, 'to');
    assertError(await as.truongdv('GET', '/stats/dossiers?from=2017-02-01&to=2017-01-01'), 400, undefined, 'to');
    assertError(await as.truongdv('GET', '/stats/dossiers?from=2017-01-01&to=2017-12-31&group_by=x'), 400, undefined, 'group_by');
    assertError(await as.truongdv2('GET', `/stats/dossiers?from=2017-01-01&to=2017-12-31&unit_id=${bd.id}`), 403);
    // the demo database has dossiers of its own: a fresh one at the same instant is the baseline
    const base = await startServer({ args: ['--now', NOW], initNow: NOW });
    let demoHk, demoBd;
    try {
      demoHk = assertStatus(await (await session(base.url, 'truongdv2'))('GET', '/stats/dossiers?from=2017-01-01&to=2017-12-31'), 200).total;
      demoBd = assertStatus(await (await session(base.url, 'lanhdao'))('GET', '/stats/dossiers?from=2017-06-01&to=2017-06-30'), 200)
        .items.find((i) => i.unit_id === bd.id) || { received: 0, refused: 0, in_process_on_time: 0 };
    } finally {
      await base.stop();
    }
    const s = assertStatus(await as.truongdv2('GET', '/stats/dossiers?from=2017-01-01&to=2017-12-31'), 200);
    assert.ok(s.items.every((i) => i.unit_code.startsWith('HN-D02')), 'only Hoàn Kiếm and its wards');
    assert.equal(s.total.received - demoHk.received, 1);
    const city2 = assertStatus(await as.lanhdao('GET', '/stats/dossiers?from=2017-06-01&to=2017-06-30'), 200);
    const bdRow = city2.items.find((i) => i.unit_id === bd.id);
    assert.equal(bdRow.received - demoBd.received, 3);
    assert.equal(bdRow.refused - demoBd.refused, 1);
    assert.equal(bdRow.in_process_on_time - demoBd.in_process_on_time, 2);
    // a district's figures by procedure (counted from its dossiers) add up to the same totals
    // as by unit (summed from the per-day counters)
    const byUnit = assertStatus(await as.truongdv('GET', '/stats/dossiers?from=2017-01-01&to=2017-12-31'), 200).total;
    const byProc = assertStatus(await as.truongdv('GET', '/stats/dossiers?from=2017-01-01&to=2017-12-31&group_by=procedure'), 200).total;
    for (const k of ['received', 'early', 'on_time', 'late', 'returned', 'refused', 'withdrawn', 'apologies',
      'late_unapologised', 'in_process_on_time', 'in_process_overdue', 'overdue_unapologised']) {
      assert.equal(byProc[k], byUnit[k], `${k} by procedure and by unit`);
    }
    assert.ok(byUnit.received > 0);
    const csv = await as.lanhdao('GET', '/stats/dossiers/export?from=2017-06-01&to=2017-06-30&format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.text, /Tiếp nhận/);
    assert.match(csv.text, /UBND quận Ba Đình/);
    // by procedure the first column names the procedure
    const pcsv = await as.lanhdao('GET', '/stats/dossiers/export?from=2017-06-01&to=2017-06-30&group_by=procedure&format=csv');
    assert.equal(pcsv.status, 200);
    const lines = pcsv.text.replace(/^\uFEFF/, '').split('\r\n');
    assert.match(lines[0], /^Thủ tục,Tiếp nhận,/);
    assert.ok(lines.some((l) => l.startsWith(`${proc.name},`) || l.startsWith(`"${proc.name}"`)), pcsv.text);
    const xlsx = await fetch(`${srv.url}/api/v1/dossiers/export?format=xlsx`, { headers: { cookie: as.motcua.sess.cookie } });
    assert.equal(xlsx.status, 200);
    assert.equal(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString(), 'PK');
  });

  it('the audit chain verifies', () => {
    const v = runCli(['audit', 'verify', '--db', srv.dbPath]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
  });
});
