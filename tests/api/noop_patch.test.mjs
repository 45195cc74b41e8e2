// A PATCH that changes nothing writes nothing: on every PATCH route, sending the record's own
// values answers 200 with the record at the same version and adds no audit record; a stale
// version is still 409; a real change still bumps the version and writes one audit record.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits, totalCount, stopClean } from './helpers.mjs';

describe('PATCH without a change', () => {
  let srv;
  let admin;
  let units;
  before(async () => {
    srv = await startServer();
    admin = await session(srv.url, 'admin');
    units = await allUnits(admin);
  });
  after(async () => { await srv?.stop(); });

  const auditCount = (entity, id) => totalCount(admin, `/audit?entity=${entity}&entity_id=${id}`);

  /**
   * For one PATCH route: `load` gives {id, record, own}: the record as read and the body that
   * repeats its own values (with its version); `change` gives a body that really changes it.
   */
  async function check({ path, entity, load, change, same = (a, b) => assert.deepEqual(a, b) }) {
    const { id, record, own } = await load();
    assert.equal(typeof record.version, 'number', `${path}: the record has a version`);
    const audits = await auditCount(entity, id);
    const r = assertStatus(await admin('PATCH', `${path}/${id}`, own), 200, `PATCH ${path}/${id} with its own values`);
    assert.equal(r.version, record.version, `${path}: same version`);
    same(r, record);
    assert.equal(await auditCount(entity, id), audits, `${path}: no new audit record`);
    const again = (await load()).record;
    assert.equal(again.version, record.version, `${path}: the stored version did not move`);
    // the version check still applies
    assertError(await admin('PATCH', `${path}/${id}`, { ...own, version: record.version + 1 }), 409, 'conflict', 'version');
    // a real change bumps the version and is audited once
    const c = assertStatus(await admin('PATCH', `${path}/${id}`, change(record)), 200, `PATCH ${path}/${id} with a change`);
    assert.equal(c.version, record.version + 1, `${path}: version + 1 after a change`);
    assert.equal(await auditCount(entity, id), audits + 1, `${path}: one audit record for the change`);
  }

  it('units', async () => {
    const u = units.byCode.get('HN-D01');
    await check({
      path: '/units',
      entity: 'unit',
      load: async () => {
        const record = assertStatus(await admin('GET', `/units/${u.id}`), 200);
        return { id: u.id, record, own: record };
      },
      change: (x) => ({ name: `${x.name} (sửa)`, version: x.version }),
    });
  });

  it('officials', async () => {
    const o = assertStatus(await admin('GET', '/officials?limit=1'), 200).items[0];
    await check({
      path: '/officials',
      entity: 'official',
      load: async () => {
        const record = assertStatus(await admin('GET', `/officials/${o.id}`), 200);
        return { id: o.id, record, own: record };
      },
      change: (x) => ({ position: `${x.position ?? 'Chuyên viên'} (sửa)`, version: x.version }),
    });
  });

  it('accounts', async () => {
    const made = assertStatus(await admin('POST', '/accounts', {
      username: 'khong.doi', password: 'mat-khau-du-dai', role: 'officer', unit_id: units.byCode.get('HN-D01').id,
    }), 201);
    await check({
      path: '/accounts',
      entity: 'account',
      load: async () => {
        const record = assertStatus(await admin('GET', `/accounts/${made.id}`), 200);
        return { id: made.id, record, own: record };
      },
      change: (x) => ({ disabled: !x.disabled, version: x.version }),
    });
  });

  it('directives', async () => {
    const d = assertStatus(await admin('GET', '/directives?limit=1'), 200).items[0];
    assert.ok(d, 'demo data has directives');
    await check({
      path: '/directives',
      entity: 'directive',
      load: async () => {
        const record = assertStatus(await admin('GET', `/directives/${d.id}`), 200);
        return { id: d.id, record, own: record };
      },
      change: (x) => ({ signer: 'Nguyễn Văn Sửa', version: x.version }),
    });
  });

  it('tasks', async () => {
    const lead = units.byCode.get('HN-D01').id;
    const support = units.list.filter((u) => u.kind === 'district' && u.id !== lead).slice(0, 2).map((u) => u.id);
    const t = assertStatus(await admin('POST', '/tasks', {
      title: 'Rà soát thủ tục không đổi', lead_unit_id: lead, due_date: '2099-12-31',
      content: 'Nội dung', support_unit_ids: support,
    }), 201);
    await check({
      path: '/tasks',
      entity: 'task',
      load: async () => {
        const record = assertStatus(await admin('GET', `/tasks/${t.id}`), 200);
        // the support units in another order are the same set
        return { id: t.id, record, own: { ...record, support_unit_ids: [...record.support_unit_ids].reverse() } };
      },
      change: (x) => ({ content: 'Nội dung mới', version: x.version }),
    });
  });

  it('unit groups', async () => {
    const g = assertStatus(await admin('GET', '/unit-groups'), 200).items[0];
    assert.ok(g, 'demo data has unit groups');
    const load = async () => {
      const record = assertStatus(await admin('GET', '/unit-groups'), 200).items.find((x) => x.id === g.id);
      return { id: g.id, record, own: record };
    };
    await check({
      path: '/unit-groups',
      entity: 'unit_group',
      load,
      change: (x) => ({ name: `${x.name} (sửa)`, version: x.version }),
    });
  });

  it('calendar entries', async () => {
    const made = assertStatus(await admin('POST', '/calendar/entries', { day: '2031-03-03', kind: 'off', name: 'Nghỉ thử' }), 201);
    let current = made;
    await check({
      path: '/calendar/entries',
      entity: 'calendar_entry',
      load: async () => ({ id: made.id, record: current, own: current }),
      change: (x) => ({ name: 'Nghỉ thử (sửa)', version: x.version }),
      same: (r, x) => { assert.deepEqual(r, x); current = r; },
    });
  });

  it('procedures', async () => {
    const p = assertStatus(await admin('GET', '/procedures?limit=1'), 200).items[0];
    assert.ok(p, 'demo data has procedures');
    // the export gives each record in the form the catalog takes in
    const exported = assertStatus(await admin('GET', '/procedures/export?format=json'), 200);
    const mine = exported.find((x) => x.code === p.code);
    assert.ok(mine, 'the procedure is exported');
    await check({
      path: '/procedures',
      entity: 'procedure',
      load: async () => {
        const record = assertStatus(await admin('GET', `/procedures/${p.id}`), 200);
        return { id: p.id, record, own: { ...mine, version: record.version } };
      },
      change: (x) => ({ fee: 'Không thu phí', version: x.version }),
    });
  });

  it('the server stops cleanly (exit 0, no sanitizer report)', async () => {
    await stopClean(srv);
  });
});
