// The procedure catalog's one reader (kc_procedure_in_from_json) and what create and update
// check against the stored record: a PATCH that sends only steps is held to the stored limit,
// a step's unit may be named by its code, and an import item goes through the same rules.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits } from './helpers.mjs';

const NOW = '2017-06-05T09:00:00+07:00';

describe('procedure input: steps against the stored limit, units by code', () => {
  let srv, admin, bd, tp, proc;
  before(async () => {
    srv = await startServer({ args: ['--now', NOW], initNow: NOW });
    admin = await session(srv.url, 'admin');
    const units = await allUnits(admin);
    bd = units.byCode.get('HN-D01');
    tp = units.byCode.get('HN-D01-P01');
  });
  after(async () => { await srv?.stop(); });

  it('a step named by unit_code is stored with that unit; half days add up to the limit', async () => {
    proc = assertStatus(await admin('POST', '/procedures', {
      code: 'KT.3001', name: 'Thủ tục hai bước (kiểm thử)', unit_id: bd.id, processing_days: 2,
      steps: [{ name: 'Tiếp nhận', days: 0.5 }, { name: 'Thẩm định', unit_code: 'HN-D01-P01', days: 1.5 }],
    }), 201);
    assert.deepEqual(proc.steps.map((s) => [s.name, s.unit_id, s.unit_code ?? null, s.days]),
      [['Tiếp nhận', null, null, 0.5], ['Thẩm định', tp.id, 'HN-D01-P01', 1.5]]);
  });

  it('a PATCH of only the steps is held to the stored limit and changes nothing when refused', async () => {
    const r = await admin('PATCH', `/procedures/${proc.id}`, {
      version: proc.version, steps: [{ name: 'Thẩm định', days: 2.5 }],
    });
    assertError(r, 400, 'invalid_field', 'steps');
    assert.equal(r.body.error.message,
      'Tổng thời gian các bước (2,5 ngày) vượt thời hạn giải quyết (2 ngày làm việc)');
    const now = assertStatus(await admin('GET', `/procedures/${proc.id}`), 200);
    assert.equal(now.version, proc.version);
    assert.equal(now.steps.length, 2);
    // with the limit raised in the same PATCH the steps fit
    const ok = assertStatus(await admin('PATCH', `/procedures/${proc.id}`, {
      version: proc.version, processing_days: 3, steps: [{ name: 'Thẩm định', days: 2.5 }],
    }), 200);
    assert.equal(ok.processing_days, 3);
    assert.deepEqual(ok.steps.map((s) => s.days), [2.5]);
    assert.equal(ok.version, proc.version + 1);
    proc = ok;
  });

  it('an unknown unit code in a step is refused by create and by import, the import naming the item', async () => {
    const bad = { code: 'KT.3002', name: 'Thủ tục lỗi (kiểm thử)', unit_id: bd.id, processing_days: 1,
      steps: [{ name: 'Thẩm định', unit_code: 'KHONG-CO', days: 1 }] };
    const c = await admin('POST', '/procedures', bad);
    assertError(c, 400, 'invalid_field', 'steps[0]');
    assert.equal(c.body.error.message, 'Không có đơn vị mã KHONG-CO');
    const i = await admin('POST', '/procedures/import', [bad]);
    assertError(i, 400, 'invalid_field', 'items[0].steps[0]');
    assert.equal(i.body.error.message, 'Thủ tục thứ 1 KT.3002: Không có đơn vị mã KHONG-CO');
    assertError(await admin('GET', '/procedures/999999'), 404);
  });
});
