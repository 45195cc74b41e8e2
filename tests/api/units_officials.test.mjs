// Units (list, paging, tree, create, optimistic concurrency, move), officials (search, order,
// scope) and who may use what.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, client, SOURCE_DIR } from '../lib/server.mjs';
import {
  assertError, assertStatus, session, allUnits, totalCount, subtreeIds, ancestorIds, vnOrdered, stopClean,
} from './helpers.mjs';

const ROOT_NAME = 'UBND Thành phố Hà Nội';
const KINDS = ['city', 'department', 'district', 'commune', 'public_service', 'division'];

/**
 * The demo units as shipped: Hanoi's 52 of 2017 (data/hanoi-units-2017.tsv) and the divisions
 * and wards the one-stop demo receives dossiers at (data/onestop/units.tsv): [{code,name,kind,parent}].
 */
function shippedUnits() {
  const read = (f) => readFileSync(join(SOURCE_DIR, f), 'utf8').split('\n').slice(1);
  const lines = [...read('data/hanoi-units-2017.tsv'), ...read('data/onestop/units.tsv')];
  return lines.filter((l) => l.trim()).map((l) => {
    const [code, name, kind, parent] = l.split('\t');
    return { code, name, kind, parent: parent || null };
  });
}

describe('units and officials', () => {
  let srv;
  let admin;
  let units; // admin's view at start
  let root;
  let baDinh;
  let hoanKiem;
  let tayHo;
  before(async () => {
    srv = await startServer();
    admin = await session(srv.url, 'admin');
    units = await allUnits(admin);
    root = units.byCode.get('HN');
    baDinh = units.byCode.get('HN-D01');
    hoanKiem = units.byCode.get('HN-D02');
    tayHo = units.byCode.get('HN-D03');
    assert.ok(root && baDinh && hoanKiem && tayHo, `demo units present: ${[...units.byCode.keys()]}`);
  });
  after(async () => { await srv?.stop(); });

  describe('units', () => {
    it('admin sees the 58 demo units with their codes, names, kinds and parents', async () => {
      const r = await admin('GET', '/units?limit=500');
      assertStatus(r, 200);
      assert.equal(r.body.total_count, 58);
      assert.equal(r.body.items.length, 58);
      const shipped = shippedUnits();
      assert.equal(shipped.length, 58, 'the data files have 58 units');
      const got = r.body.items.map((u) => ({
        code: u.code, name: u.name, kind: u.kind,
        parent: u.parent_id === null ? null : units.byId.get(u.parent_id)?.code,
      }));
      const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
      assert.deepEqual(got.sort(byCode), shipped.sort(byCode));
      for (const u of r.body.items) {
        for (const k of ['id', 'code', 'name', 'kind', 'parent_id', 'version', 'created_at', 'updated_at']) {
          assert.ok(k in u, `unit ${u.code} lacks ${k}`);
        }
        assert.equal(typeof u.version, 'number');
        assert.match(u.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+07:00$/, `created_at ${u.created_at}`);
      }
    });

    it('the default page is 50 and limit/offset pages cover every unit once, in list order', async () => {
      const def = assertStatus(await admin('GET', '/units'), 200);
      assert.equal(def.total_count, 58);
      assert.equal(def.items.length, 50);
      const full = units.list.map((u) => u.id);
      const seen = [];
      for (let offset = 0; offset < 60; offset += 10) {
        const p = assertStatus(await admin('GET', `/units?limit=10&offset=${offset}`), 200, `offset ${offset}`);
        assert.equal(p.total_count, 58, `total_count at offset ${offset}`);
        assert.equal(p.items.length, Math.max(0, Math.min(10, 58 - offset)), `page size at offset ${offset}`);
        seen.push(...p.items.map((u) => u.id));
      }
      assert.equal(new Set(seen).size, 58, 'no duplicates across pages');
      assert.deepEqual(seen, full);
      const over = assertStatus(await admin('GET', '/units?limit=10&offset=58'), 200);
      assert.deepEqual(over.items, []);
    });

    it('limit over 500 or negative values are refused or capped, never an error 500', async () => {
      const r = await admin('GET', '/units?limit=501');
      if (r.status === 200) assert.ok(r.body.items.length <= 500);
      else assertError(r, 400, ['bad_request', 'invalid_field'], 'limit');
      assertError(await admin('GET', '/units?limit=-1'), 400, ['bad_request', 'invalid_field'], 'limit');
      assertError(await admin('GET', '/units?offset=abc'), 400, ['bad_request', 'invalid_field'], 'offset');
    });

    it('units are sorted by kind, then by name in Vietnamese order', () => {
      const kinds = units.list.map((u) => u.kind);
      assert.equal(units.list[0].code, 'HN');
      assert.deepEqual(kinds, [...kinds].sort((a, b) => KINDS.indexOf(a) - KINDS.indexOf(b)),
        'grouped by kind (city, department, district)');
      const bad = [];
      for (let i = 1; i < units.list.length; i++) {
        const a = units.list[i - 1];
        const b = units.list[i];
        if (a.kind === b.kind && !vnOrdered(a.name, b.name)) bad.push(`${a.name} > ${b.name}`);
      }
      assert.deepEqual(bad, []);
    });

    it('filters: kind, parent_id, and accent-insensitive q on name and code', async () => {
      assert.equal(await totalCount(admin, '/units?kind=district'), 30);
      assert.equal(await totalCount(admin, '/units?kind=department'), 21);
      assert.equal(await totalCount(admin, `/units?parent_id=${root.id}`), 51);
      const q1 = assertStatus(await admin('GET', `/units?q=${encodeURIComponent('hoan kiem')}`), 200);
      assert.deepEqual(q1.items.map((u) => u.code), ['HN-D02']);
      const q2 = assertStatus(await admin('GET', `/units?q=${encodeURIComponent('HOÀN KIẾM')}`), 200);
      assert.deepEqual(q2.items.map((u) => u.code), ['HN-D02']);
      const q3 = assertStatus(await admin('GET', '/units?q=HN-D02'), 200);
      assert.ok(q3.items.some((u) => u.code === 'HN-D02'), `q=HN-D02: ${q3.items.map((u) => u.code)}`);
      const q4 = assertStatus(await admin('GET', `/units?q=${encodeURIComponent('dong da')}`), 200);
      assert.deepEqual(q4.items.map((u) => u.name), ['UBND quận Đống Đa']);
    });

    it('GET /units/tree: one root (UBND Thành phố Hà Nội) with 51 children, and their own', async () => {
      const t = assertStatus(await admin('GET', '/units/tree'), 200);
      assert.equal(t.items.length, 1);
      const r = t.items[0];
      assert.equal(r.name, ROOT_NAME);
      assert.equal(r.parent_id, null);
      assert.equal(r.children.length, 51);
      const shipped = shippedUnits();
      for (const c of r.children) {
        assert.equal(c.parent_id, r.id, `child ${c.name}`);
        assert.deepEqual(c.children.map((g) => g.code).sort(),
          shipped.filter((u) => u.parent === c.code).map((u) => u.code).sort(), `children of ${c.name}`);
      }
      assert.deepEqual(r.children.map((c) => c.id).sort((a, b) => a - b),
        units.list.filter((u) => u.parent_id === root.id).map((u) => u.id).sort((a, b) => a - b));
    });

    it('GET /units/:id, unknown id → 404', async () => {
      const u = assertStatus(await admin('GET', `/units/${baDinh.id}`), 200);
      assert.deepEqual(u, baDinh);
      assertError(await admin('GET', '/units/999999'), 404, 'not_found');
    });

    let created;
    it('POST /units creates a unit; a duplicate code → 409', async () => {
      const body = { code: 'HN-D01-P91', name: 'Phòng Nội vụ quận Ba Đình', kind: 'division', parent_id: baDinh.id };
      const r = await admin('POST', '/units', body);
      assertStatus(r, 201, 'POST /units');
      created = r.body;
      assert.equal(created.code, body.code);
      assert.equal(created.name, body.name);
      assert.equal(created.kind, 'division');
      assert.equal(created.parent_id, baDinh.id);
      assert.equal(typeof created.version, 'number');
      assert.deepEqual(assertStatus(await admin('GET', `/units/${created.id}`), 200), created);
      const n = await totalCount(admin, '/units');
      assertError(await admin('POST', '/units', { ...body, name: 'Phòng khác' }), 409, 'conflict');
      assert.equal(await totalCount(admin, '/units'), n, 'nothing written on duplicate');
    });

    it('PATCH /units/:id: right version → 200 and version+1; stale version → 409, row unchanged', async () => {
      const v = created.version;
      const ok = await admin('PATCH', `/units/${created.id}`, { version: v, name: 'Phòng Tổ chức quận Ba Đình' });
      assertStatus(ok, 200, 'PATCH with current version');
      assert.equal(ok.body.version, v + 1);
      assert.equal(ok.body.name, 'Phòng Tổ chức quận Ba Đình');
      assert.equal(ok.body.code, created.code);
      const stale = await admin('PATCH', `/units/${created.id}`, { version: v, name: 'Tên cũ ghi đè' });
      assertError(stale, 409, 'conflict');
      const now = assertStatus(await admin('GET', `/units/${created.id}`), 200);
      assert.equal(now.name, 'Phòng Tổ chức quận Ba Đình');
      assert.equal(now.version, v + 1);
      created = now;
    });

    it('POST /units/:id/move: under itself or its own subtree → 400; elsewhere → moved, version+1', async () => {
      const child = assertStatus(await admin('POST', '/units', {
        code: 'HN-D01-P91-T1', name: 'Tổ một cửa', kind: 'division', parent_id: created.id,
      }), 201, 'create child');
      assertError(await admin('POST', `/units/${created.id}/move`, { version: created.version, parent_id: child.id }), 400);
      assertError(await admin('POST', `/units/${created.id}/move`, { version: created.version, parent_id: created.id }), 400);
      const same = assertStatus(await admin('GET', `/units/${created.id}`), 200);
      assert.equal(same.parent_id, baDinh.id);
      assert.equal(same.version, created.version);
      assertError(await admin('POST', `/units/${created.id}/move`, { version: created.version - 1, parent_id: hoanKiem.id }), 409, 'conflict');
      const moved = await admin('POST', `/units/${created.id}/move`, { version: created.version, parent_id: hoanKiem.id });
      assertStatus(moved, 200, 'move');
      assert.equal(moved.body.parent_id, hoanKiem.id);
      assert.equal(moved.body.version, created.version + 1);
      const back = await admin('POST', `/units/${created.id}/move`, { version: moved.body.version, parent_id: baDinh.id });
      assertStatus(back, 200, 'move back');
      // The child moved along with its parent.
      const c = assertStatus(await admin('GET', `/units/${child.id}`), 200);
      assert.equal(c.parent_id, created.id);
    });

    it('only admin writes units (403 forbidden for others)', async () => {
      const head = await session(srv.url, 'truongdv');
      const n = await totalCount(admin, '/units');
      assertError(await head('POST', '/units', { code: 'X-1', name: 'Phòng mới', kind: 'division', parent_id: baDinh.id }), 403, 'forbidden');
      assertError(await head('PATCH', `/units/${baDinh.id}`, { version: baDinh.version, name: 'Đổi tên' }), 403, 'forbidden');
      const sup = await session(srv.url, 'giamsat');
      assertError(await sup('PATCH', `/units/${baDinh.id}`, { version: baDinh.version, name: 'Đổi tên' }), 403, 'forbidden');
      assert.equal(await totalCount(admin, '/units'), n);
      assert.equal(assertStatus(await admin('GET', `/units/${baDinh.id}`), 200).name, baDinh.name);
    });

    it('a unit head sees its own subtree plus the ancestors of its unit', async () => {
      const head = await session(srv.url, 'truongdv');
      const all = await allUnits(admin);
      const expected = new Set([...subtreeIds(all.list, baDinh.id), ...ancestorIds(all.byId, baDinh.id)]);
      const r = assertStatus(await head('GET', '/units?limit=500'), 200);
      assert.deepEqual(r.items.map((u) => u.id).sort((a, b) => a - b), [...expected].sort((a, b) => a - b));
      assert.equal(r.total_count, expected.size);
      assertError(await head('GET', `/units/${hoanKiem.id}`), 404, 'not_found');
      const t = assertStatus(await head('GET', '/units/tree'), 200);
      assert.equal(t.items.length, 1, `tree roots: ${JSON.stringify(t.items.map((u) => u.name))}`);
      assert.equal(t.items[0].id, root.id);
      assert.deepEqual(t.items[0].children.map((c) => c.id), [baDinh.id]);
    });
  });

  describe('officials', () => {
    let testUnit;
    const made = {};
    const NAMES = [ // in Vietnamese order of given names
      'Hoàng Văn An', 'Phạm Thị Ánh', 'Vũ Thị Ân', 'Trần Thị Bình', 'Lê Văn Dũng',
      'Nguyễn Văn Đông', 'Ngô Thị Uyên', 'Đặng Văn Ước', 'Bùi Thị Yến',
    ];
    before(async () => {
      testUnit = assertStatus(await admin('POST', '/units', {
        code: 'HN-D03-P01', name: 'Phòng Nội vụ quận Tây Hồ', kind: 'division', parent_id: tayHo.id,
      }), 201, 'create test unit');
      // Created in an order that is neither the expected one nor its reverse.
      for (const n of [NAMES[5], NAMES[3], NAMES[8], NAMES[0], NAMES[7], NAMES[2], NAMES[4], NAMES[1], NAMES[6]]) {
        const r = await admin('POST', '/officials', { unit_id: testUnit.id, full_name: n, position: 'Chuyên viên' });
        assertStatus(r, 201, `create ${n}`);
        assert.equal(r.body.full_name, n);
        assert.equal(r.body.unit_id, testUnit.id);
        assert.equal(r.body.unit_name, testUnit.name);
        made[n] = r.body;
      }
    });

    const ids = (r) => r.body.items.map((o) => o.id);
    async function search(q, extra = '') {
      const r = await admin('GET', `/officials?q=${encodeURIComponent(q)}&limit=500${extra}`);
      assertStatus(r, 200, `search ${q}`);
      return r;
    }

    it('search ignores case and diacritics and treats đ as d', async () => {
      const dong = made['Nguyễn Văn Đông'].id;
      const binh = made['Trần Thị Bình'].id;
      for (const q of ['nguyen van dong', 'NGUYỄN', 'dong', 'Đông', 'ĐÔNG', 'nguyễn văn đông', 'ngu', 'van do',
        'nguyen dong', 'dong nguyen', 'chuyen vien dong']) {
        const r = await search(q, `&unit_id=${testUnit.id}`);
        assert.ok(ids(r).includes(dong), `q=${q} should find Nguyễn Văn Đông: ${r.body.items.map((o) => o.full_name)}`);
        assert.ok(!ids(r).includes(binh), `q=${q} should not find Trần Thị Bình`);
      }
      // Whole scope, not only the test unit.
      assert.ok(ids(await search('nguyen van dong')).includes(dong));
      // Prefix of words, not substring: "ong" is inside "dong" but starts no word.
      assert.ok(!ids(await search('ong', `&unit_id=${testUnit.id}`)).includes(dong), 'q=ong matched a word middle');
      assert.ok(!ids(await search('guyen', `&unit_id=${testUnit.id}`)).includes(dong), 'q=guyen matched a word middle');
      assert.ok(!ids(await search('nguyen van binh', `&unit_id=${testUnit.id}`)).includes(dong));
      const b = await search('binh', `&unit_id=${testUnit.id}`);
      assert.deepEqual(ids(b), [binh]);
    });

    it('lists are sorted by given name in Vietnamese order', async () => {
      const r = assertStatus(await admin('GET', `/officials?unit_id=${testUnit.id}`), 200);
      assert.equal(r.total_count, NAMES.length);
      assert.deepEqual(r.items.map((o) => o.full_name), NAMES);
      const p = assertStatus(await admin('GET', `/officials?unit_id=${testUnit.id}&limit=4&offset=4`), 200);
      assert.deepEqual(p.items.map((o) => o.full_name), NAMES.slice(4, 8));
    });

    it('PATCH /officials/:id: version+1; stale version → 409 and row unchanged', async () => {
      const o = made['Bùi Thị Yến'];
      const ok = await admin('PATCH', `/officials/${o.id}`, { version: o.version, position: 'Trưởng phòng', position_since: '2017-03-20' });
      assertStatus(ok, 200, 'PATCH official');
      assert.equal(ok.body.version, o.version + 1);
      assert.equal(ok.body.position, 'Trưởng phòng');
      assert.equal(ok.body.position_since, '2017-03-20');
      assert.equal(ok.body.full_name, o.full_name);
      assertError(await admin('PATCH', `/officials/${o.id}`, { version: o.version, position: 'Phó phòng' }), 409, 'conflict');
      const now = assertStatus(await admin('GET', `/officials/${o.id}`), 200);
      assert.equal(now.position, 'Trưởng phòng');
      assert.equal(now.version, o.version + 1);
      assertError(await admin('GET', '/officials/999999'), 404, 'not_found');
    });

    it('PATCH: absent members stay, "" or null clears an optional member, null for a name is 400', async () => {
      const o = assertStatus(await admin('POST', '/officials', {
        unit_id: testUnit.id, full_name: 'Tạ Văn Xoá', position: 'Chuyên viên', email: 'xoa@hanoi.gov.vn', phone: '0912345678', position_since: '2015-01-01',
      }), 201);
      const u = await admin('PATCH', `/officials/${o.id}`, { version: o.version, position: null, email: '' });
      assertStatus(u, 200, 'clear position and email');
      assert.equal(u.body.position, null);
      assert.equal(u.body.email, null);
      assert.equal(u.body.phone, '0912345678', 'absent member unchanged');
      assert.equal(u.body.position_since, '2015-01-01', 'absent member unchanged');
      assert.equal(u.body.full_name, 'Tạ Văn Xoá');
      assertError(await admin('PATCH', `/officials/${o.id}`, { version: u.body.version, full_name: null }), 400, 'invalid_field', 'full_name');
      assertError(await admin('PATCH', `/officials/${o.id}`, { version: u.body.version, unit_id: null }), 400, 'invalid_field', 'unit_id');
      const now = assertStatus(await admin('GET', `/officials/${o.id}`), 200);
      assert.deepEqual(now, u.body);
    });

    describe('scope of a unit head (truongdv, UBND quận Ba Đình)', () => {
      let head;
      let hk;
      let bd;
      before(async () => {
        head = await session(srv.url, 'truongdv');
        hk = assertStatus(await admin('POST', '/officials', { unit_id: hoanKiem.id, full_name: 'Lê Thị Hoàn' }), 201);
        bd = assertStatus(await admin('POST', '/officials', { unit_id: baDinh.id, full_name: 'Lê Văn Đình' }), 201);
      });

      it('lists only officials of the Ba Đình subtree', async () => {
        const all = await allUnits(admin);
        const scope = subtreeIds(all.list, baDinh.id);
        const r = await head('GET', '/officials?limit=500');
        assertStatus(r, 200, 'GET /officials as truongdv');
        const outside = r.body.items.filter((o) => !scope.has(o.unit_id)).map((o) => `${o.full_name} (${o.unit_name})`);
        assert.deepEqual(outside, []);
        assert.ok(ids(r).includes(bd.id), 'sees the Ba Đình official');
        assert.ok(!ids(r).includes(hk.id), 'does not see the Hoàn Kiếm official');
        assert.equal(r.body.total_count, await totalCount(admin, `/officials?unit_id=${baDinh.id}`));
        const q = assertStatus(await head('GET', `/officials?q=${encodeURIComponent('le thi hoan')}&limit=500`), 200);
        assert.ok(!q.items.some((o) => o.id === hk.id), 'search does not leak other districts');
        const other = await head('GET', `/officials?unit_id=${hoanKiem.id}&limit=500`);
        if (other.status === 200) assert.deepEqual(other.body.items, []);
        else assertError(other, other.status === 403 ? 403 : 404);
      });

      it('cannot read or PATCH an official of Hoàn Kiếm (404)', async () => {
        assertError(await head('GET', `/officials/${hk.id}`), 404, 'not_found');
        assertError(await head('PATCH', `/officials/${hk.id}`, { version: hk.version, full_name: 'Bị sửa' }), 404, 'not_found');
        const now = assertStatus(await admin('GET', `/officials/${hk.id}`), 200);
        assert.equal(now.full_name, 'Lê Thị Hoàn');
        assert.equal(now.version, hk.version);
        // The unit head of Hoàn Kiếm does see it.
        const head2 = await session(srv.url, 'truongdv2');
        assert.equal(assertStatus(await head2('GET', `/officials/${hk.id}`), 200).full_name, 'Lê Thị Hoàn');
        assertError(await head2('GET', `/officials/${bd.id}`), 404, 'not_found');
      });

      it('can create and update officials in Ba Đình, not elsewhere', async () => {
        const n = await totalCount(admin, '/officials');
        const c = await head('POST', '/officials', { unit_id: baDinh.id, full_name: 'Phùng Thị Hạnh', email: 'hanh@badinh.hanoi.gov.vn' });
        assertStatus(c, 201, 'create in own unit');
        assert.equal(c.body.email, 'hanh@badinh.hanoi.gov.vn');
        const u = await head('PATCH', `/officials/${c.body.id}`, { version: c.body.version, phone: '024 3823 4567' });
        assertStatus(u, 200, 'update in own unit');
        assert.equal(u.body.phone, '024 3823 4567');
        assert.equal(u.body.version, c.body.version + 1);
        assert.equal(await totalCount(admin, '/officials'), n + 1);
        const out = await head('POST', '/officials', { unit_id: hoanKiem.id, full_name: 'Ngoài Phạm Vi' });
        assert.ok([403, 404].includes(out.status), `create in Hoàn Kiếm: ${out.status} ${out.text}`);
        assertError(out, out.status);
        const mv = await head('PATCH', `/officials/${c.body.id}`, { version: u.body.version, unit_id: hoanKiem.id });
        assert.ok([400, 403, 404].includes(mv.status), `move own official to Hoàn Kiếm: ${mv.status} ${mv.text}`);
        assertError(mv, mv.status);
        assert.equal(await totalCount(admin, '/officials'), n + 1);
        assert.equal(assertStatus(await admin('GET', `/officials/${c.body.id}`), 200).unit_id, baDinh.id);
      });
    });

    it('moving a unit moves its officials between scopes; search accepts both tone placements', async () => {
      const head = await session(srv.url, 'truongdv');
      const head2 = await session(srv.url, 'truongdv2');
      const p = assertStatus(await admin('POST', '/units', { code: 'HN-D01-P92', name: 'Phòng Văn hóa', kind: 'division', parent_id: baDinh.id }), 201);
      const c = assertStatus(await admin('POST', '/units', { code: 'HN-D01-P92-T1', name: 'Tổ Thông tin', kind: 'division', parent_id: p.id }), 201);
      const o = assertStatus(await head('POST', '/officials', { unit_id: c.id, full_name: 'Nguyễn Thị Hoà', position: 'Chuyên viên' }), 201);
      assertStatus(await head('GET', `/officials/${o.id}`), 200, 'Ba Đình head before the move');
      assertError(await head2('GET', `/officials/${o.id}`), 404, 'not_found');
      assertStatus(await admin('POST', `/units/${p.id}/move`, { version: p.version, parent_id: hoanKiem.id }), 200, 'move');
      assertError(await head('GET', `/officials/${o.id}`), 404, 'not_found');
      assertError(await head('PATCH', `/officials/${o.id}`, { version: o.version, position: 'X' }), 404, 'not_found');
      assertStatus(await head2('GET', `/officials/${o.id}`), 200, 'Hoàn Kiếm head after the move');
      const l1 = assertStatus(await head('GET', '/officials?limit=500'), 200);
      assert.ok(!l1.items.some((x) => x.id === o.id), 'Ba Đình list no longer has it');
      for (const q of ['hòa', 'hoà', 'hoa', 'HOÀ', 'thi hoa', 'chuyen vien']) {
        const r = assertStatus(await head2('GET', `/officials?q=${encodeURIComponent(q)}&unit_id=${p.id}`), 200);
        assert.deepEqual(r.items.map((x) => x.id), [o.id], `q=${q}`);
      }
      assert.equal(assertStatus(await head2('GET', `/officials/${o.id}`), 200).full_name, 'Nguyễn Thị Hoà', 'stored as typed');
    });

    it('an officer (canbo) may read officials in scope but not write them (403)', async () => {
      const officer = await session(srv.url, 'canbo');
      const r = assertStatus(await officer('GET', '/officials?limit=500'), 200);
      const scope = subtreeIds((await allUnits(admin)).list, baDinh.id);
      assert.deepEqual(r.items.filter((o) => !scope.has(o.unit_id)).map((o) => o.full_name), []);
      const n = await totalCount(admin, '/officials');
      assertError(await officer('POST', '/officials', { unit_id: baDinh.id, full_name: 'Cán Bộ Thêm' }), 403, 'forbidden');
      const some = r.items[0];
      assert.ok(some, 'canbo sees at least one official in Ba Đình');
      assertError(await officer('PATCH', `/officials/${some.id}`, { version: some.version, full_name: 'Cán Bộ Sửa' }), 403, 'forbidden');
      assert.equal(await totalCount(admin, '/officials'), n);
      const desk = await session(srv.url, 'motcua');
      assertError(await desk('POST', '/officials', { unit_id: baDinh.id, full_name: 'Một Cửa Thêm' }), 403, 'forbidden');
    });

    it('concurrent updates with the same version: exactly one wins, the others get 409', async () => {
      const o = assertStatus(await admin('POST', '/officials', { unit_id: testUnit.id, full_name: 'Đồng Thời Một' }), 201);
      const rs = await Promise.all(Array.from({ length: 8 }, (_, i) =>
        admin('PATCH', `/officials/${o.id}`, { version: o.version, position: `Vị trí ${i}` })));
      const statuses = rs.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409, 409, 409]);
      const winner = rs.find((r) => r.status === 200).body;
      const now = assertStatus(await admin('GET', `/officials/${o.id}`), 200);
      assert.equal(now.version, o.version + 1);
      assert.equal(now.position, winner.position);
      const audit = assertStatus(await admin('GET', `/audit?entity=official&entity_id=${o.id}`), 200);
      assert.equal(audit.total_count, 2, 'one create and one update audited');
      // Creating the same unit code concurrently: one 201, the rest 409.
      const cs = await Promise.all(Array.from({ length: 6 }, (_, i) => admin('POST', '/units', {
        code: 'HN-D03-DUP', name: `Phòng trùng ${i}`, kind: 'division', parent_id: tayHo.id,
      })));
      assert.deepEqual(cs.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409]);
    });

    it('the public role (congdan) may not use officials, accounts or audit (403)', async () => {
      const pub = await session(srv.url, 'congdan');
      assertError(await pub('GET', '/officials'), 403, 'forbidden');
      assertError(await pub('GET', `/officials/${made['Trần Thị Bình'].id}`), 403, 'forbidden');
      assertError(await pub('GET', '/accounts'), 403, 'forbidden');
      assertError(await pub('GET', '/audit'), 403, 'forbidden');
    });

    it('a supervisor reads officials city-wide but does not write them', async () => {
      const sup = await session(srv.url, 'giamsat');
      assert.equal(await totalCount(sup, '/officials'), await totalCount(admin, '/officials'));
      assertError(await sup('POST', '/officials', { unit_id: baDinh.id, full_name: 'Giám Sát Thêm' }), 403, 'forbidden');
    });
  });

  describe('accounts and audit access', () => {
    it('only admin uses /accounts; secrets are never returned', async () => {
      const officer = await session(srv.url, 'canbo');
      assertError(await officer('GET', '/accounts'), 403, 'forbidden');
      const leader = await session(srv.url, 'lanhdao');
      assertError(await leader('GET', '/accounts'), 403, 'forbidden');
      const sup = await session(srv.url, 'giamsat');
      assertError(await sup('GET', '/accounts'), 403, 'forbidden');
      const r = assertStatus(await admin('GET', '/accounts?limit=500'), 200);
      const names = r.items.map((a) => a.username);
      for (const u of ['admin', 'canbo', 'motcua', 'truongdv', 'truongdv2', 'giamsat', 'lanhdao', 'congdan']) {
        assert.ok(names.includes(u), `account ${u} listed: ${names}`);
      }
      assert.equal(r.total_count, r.items.length);
      for (const a of r.items) {
        const leaked = Object.keys(a).filter((k) => /pass|hash|salt|secret/i.test(k));
        assert.deepEqual(leaked, [], `account ${a.username} exposes ${leaked}`);
      }
      const roles = Object.fromEntries(r.items.map((a) => [a.username, a.role]));
      assert.deepEqual(
        ['canbo', 'motcua', 'truongdv', 'truongdv2', 'giamsat', 'lanhdao', 'congdan', 'admin'].map((u) => roles[u]),
        ['officer', 'desk', 'unit_head', 'unit_head', 'supervisor', 'leader', 'public', 'admin'],
      );
    });

    it('admin creates an account that can log in; a duplicate username → 409', async () => {
      const body = { username: 'nguyen.van.a', password: 'mat-khau-du-dai-1', role: 'officer', unit_id: tayHo.id };
      const r = await admin('POST', '/accounts', body);
      assertStatus(r, 201, 'POST /accounts');
      assert.equal(r.body.username, body.username);
      assert.equal(r.body.role, 'officer');
      assert.equal(r.body.disabled, false);
      assert.ok(!JSON.stringify(r.body).includes(body.password), 'password echoed back');
      const s = await session(srv.url, body.username, body.password);
      const me = assertStatus(await s('GET', '/me'), 200);
      assert.equal(me.unit_id, tayHo.id);
      const tok = assertStatus(await s('POST', '/tokens', { name: 'máy chủ báo cáo' }), 201).token;
      const bearer = client(srv.url, { token: tok });
      assertStatus(await bearer('GET', '/me'), 200, 'token of the new account');
      assertError(await admin('POST', '/accounts', body), 409, 'conflict');
      // Disabling the account ends its use.
      const d = await admin('PATCH', `/accounts/${r.body.id}`, { version: r.body.version, disabled: true });
      assertStatus(d, 200, 'disable account');
      assert.equal(d.body.disabled, true);
      assert.equal(d.body.version, r.body.version + 1);
      const again = await fetch(`${srv.url}/api/v1/session`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: body.username, password: body.password }),
      });
      assert.equal(again.status, 401, 'a disabled account cannot log in');
      assertError(await s('GET', '/me'), 401, 'unauthorized');
      assertError(await bearer('GET', '/me'), 401, 'unauthorized');
    });

    it('supervisor giamsat can GET /audit; officer canbo cannot (403)', async () => {
      const sup = await session(srv.url, 'giamsat');
      const r = assertStatus(await sup('GET', '/audit'), 200);
      assert.ok(Array.isArray(r.items) && r.items.length > 0, `audit items: ${JSON.stringify(r).slice(0, 200)}`);
      assert.equal(typeof r.total_count, 'number');
      const officer = await session(srv.url, 'canbo');
      assertError(await officer('GET', '/audit'), 403, 'forbidden');
      const head = await session(srv.url, 'truongdv');
      assertError(await head('GET', '/audit'), 403, 'forbidden');
    });
  });

  it('the server stops cleanly (exit 0, no sanitizer report)', async () => {
    await stopClean(srv);
  });
});
