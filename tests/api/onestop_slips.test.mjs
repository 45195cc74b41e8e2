// The one-stop slips as a citizen receives them (issue 6): PDFs from the API whose text,
// extracted by poppler's pdftotext, reads the dossier in Vietnamese, whose font is embedded,
// and whose QR code, decoded by zbarimg from the rendered page, opens the public status page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { assertError, assertStatus, session, allUnits } from './helpers.mjs';

const PUBLIC_URL = 'https://dichvucong.hanoi.example';

describe('one-stop slips (PDF)', () => {
  let srv, as, bd, proc, d, dir;

  async function pdf(path) {
    const r = await fetch(`${srv.url}/api/v1${path}`, { headers: { cookie: as.motcua.sess.cookie } });
    assert.equal(r.status, 200, `${path}: ${r.status}`);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    const buf = Buffer.from(await r.arrayBuffer());
    assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
    const file = join(dir, `${path.replace(/\W+/g, '_')}.pdf`);
    writeFileSync(file, buf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.equal(text.normalize('NFC'), text, 'pdftotext text is NFC');
    // lines wrap anywhere: phrases are looked for in the text with its spacing collapsed
    return { file, text: text.replace(/\s+/g, ' ') };
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kc-slips-'));
    srv = await startServer({ args: ['--now', '2017-06-05T10:20:00+07:00'], env: { KYCUONG_PUBLIC_URL: PUBLIC_URL } });
    as = { admin: await session(srv.url, 'admin'), motcua: await session(srv.url, 'motcua'), truongdv2: await session(srv.url, 'truongdv2') };
    bd = (await allUnits(as.admin)).byCode.get('HN-D01');
    proc = assertStatus(await as.admin('POST', '/procedures', {
      code: 'KT.2001', name: 'Đăng ký kết hôn (kiểm thử)', field: 'Hộ tịch', unit_id: bd.id, processing_days: 3,
      components: ['Tờ khai đăng ký kết hôn', { name: 'Giấy xác nhận tình trạng hôn nhân', originals: 1, copies: 1 }],
    }), 201);
    d = assertStatus(await as.motcua('POST', '/dossiers', {
      procedure_id: proc.id, applicant: { name: 'Nguyễn Thị Ngọc Ánh', id_number: '001190012345', phone: '0912345678', address: 'Phường Quán Thánh, quận Ba Đình' },
    }), 201);
  });
  after(async () => {
    await srv?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the receipt reads the dossier in Vietnamese with the appointment, and its QR code opens the status page', async () => {
    const { file, text } = await pdf(`/dossiers/${d.id}/receipt.pdf`);
    for (const s of ['GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc',
      d.code, 'Nguyễn Thị Ngọc Ánh', 'Đăng ký kết hôn (kiểm thử)', 'Tờ khai đăng ký kết hôn', 'Giấy xác nhận tình trạng hôn nhân',
      'UBND QUẬN BA ĐÌNH', 'ngày 05 tháng 6 năm 2017', '10 giờ 20 phút']) {
      assert.ok(text.includes(s), `receipt lacks «${s}»:\n${text}`);
    }
    // Mon 5/6 + 3 working days = Thu 8/6/2017
    assert.ok(text.includes('ngày 08 tháng 6 năm 2017'), `appointment date:\n${text}`);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    assert.match(fonts, /LiberationSerif/);
    assert.doesNotMatch(fonts.split('\n').slice(2).join('\n'), / no {2,}/, `a font is not embedded:\n${fonts}`);
    execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', file, join(dir, 'receipt')]);
    const qr = execFileSync('zbarimg', ['--raw', '-q', join(dir, 'receipt-1.png')], { encoding: 'utf8' }).trim();
    assert.equal(qr, `${PUBLIC_URL}/public.html#/tra-cuu/${d.code}`);
  });

  it('the supplement, apology, refusal and control slips carry what happened', async () => {
    assertStatus(await as.motcua('POST', `/dossiers/${d.id}/supplement`, { reason: 'Thiếu giấy xác nhận tình trạng hôn nhân', items: ['Giấy xác nhận tình trạng hôn nhân bản chính'] }), 200);
    // a 2017 dossier is pinned to QĐ 09/2015: its forms' titles and numbers, not today's
    const rules = assertStatus(await as.motcua('GET', '/onestop/rules'), 200).items;
    const forms = rules.find((x) => x.code === d.rule.code).forms;
    assert.equal(d.rule.code, 'QD09-2015');
    const sup = (await pdf(`/dossiers/${d.id}/supplement.pdf`)).text;
    assert.ok(sup.includes(forms.supplement.title), `supplement title «${forms.supplement.title}»:\n${sup}`);
    assert.ok(sup.includes('Giấy xác nhận tình trạng hôn nhân bản chính'));
    assertStatus(await as.motcua('POST', `/dossiers/${d.id}/supplement-received`, {}), 200);
    assertStatus(await as.motcua('POST', `/dossiers/${d.id}/apology`, { reason: 'Chờ xác minh tại địa phương khác', new_due_date: '2017-06-15' }), 200);
    const apo = (await pdf(`/dossiers/${d.id}/apology.pdf`)).text;
    assert.match(apo, /XIN LỖI/);
    for (const s of ['Chờ xác minh tại địa phương khác', 'ngày 15 tháng 6 năm 2017', 'Nguyễn Thị Ngọc Ánh']) assert.ok(apo.includes(s), `apology lacks «${s}»:\n${apo}`);
    const ctl = (await pdf(`/dossiers/${d.id}/control.pdf`)).text;
    assert.match(ctl, /PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ/);
    assert.match(ctl, new RegExp(`Mẫu số ${forms.control.number}`));
    assert.ok(ctl.includes(d.code));
    // not refused: no refusal slip; another district sees none of them
    assertError(await as.motcua('GET', `/dossiers/${d.id}/refusal.pdf`), 404);
    assertError(await as.truongdv2('GET', `/dossiers/${d.id}/receipt.pdf`), 404);
    const x = assertStatus(await as.motcua('POST', '/dossiers', { procedure_id: proc.id, applicant: { name: 'Lê Văn Hùng' } }), 201);
    assertStatus(await as.motcua('POST', `/dossiers/${x.id}/refuse`, { reason: 'Hồ sơ không thuộc thẩm quyền của quận Ba Đình' }), 200);
    const ref = (await pdf(`/dossiers/${x.id}/refusal.pdf`)).text;
    assert.match(ref, /TỪ CHỐI/);
    assert.ok(ref.includes('Hồ sơ không thuộc thẩm quyền của quận Ba Đình'));
  });
});
