// Prodding delivered by e-mail to a real SMTP server (Debian's aiosmtpd, started here) and
// into the in-app inbox: the Vietnamese subject and body arrive intact, a second pass (a
// restart) sends nothing again, and the task's prodding history lists what was sent.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, freePort, runCli, BIN } from '../lib/server.mjs';
import { session, assertStatus } from './helpers.mjs';

// Debian's python3 with its python3-aiosmtpd package (scripts/deps.sh installs it); not a
// python3 found first on PATH (e.g. a pyenv one without Debian's packages).
const PYTHON = '/usr/bin/python3';

/** Decodes "=?UTF-8?B?...?=" and base64 bodies of the messages aiosmtpd's Debugging
 * handler printed. */
function messages(out) {
  const parts = out.split('---------- MESSAGE FOLLOWS ----------').slice(1);
  return parts.map((p) => {
    const text = p.split('------------ END MESSAGE ------------')[0];
    const [head, ...rest] = text.split(/\r?\n\r?\n/);
    const subj = /^Subject: =\?UTF-8\?B\?([^?]+)\?=/m.exec(head);
    const to = /^To: (.*)$/m.exec(head);
    return {
      to: to && to[1].trim(),
      subject: subj ? Buffer.from(subj[1], 'base64').toString('utf8') : null,
      body: Buffer.from(rest.join('\n').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('utf8'),
      raw: head,
    };
  });
}

describe('prodding by e-mail and inbox', () => {
  let srv, smtp, smtpOut = '', smtpPort, admin;

  before(async () => {
    smtpPort = await freePort();
    smtp = spawn(PYTHON, ['-u', '-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    smtp.stdout.on('data', (d) => { smtpOut += d; });
    smtp.stderr.on('data', (d) => { smtpOut += d; });
    // wait until it accepts connections
    const net = await import('node:net');
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise((res) => {
        const s = net.connect(smtpPort, '127.0.0.1', () => { s.end(); res(true); });
        s.on('error', () => res(false));
      });
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    srv = await startServer({ args: ['--now', '2017-04-10T08:30:00+07:00'], env: { KYCUONG_TICK_INTERVAL: '0' } });
    admin = await session(srv.url, 'admin');
  });

  after(async () => {
    await srv?.stop();
    smtp?.kill('SIGTERM');
  });

  it('sends the reminder once, in Vietnamese, to the lead unit head’s e-mail', async () => {
    const units = assertStatus(await admin('GET', '/units?kind=district&limit=100'), 200).items;
    const baDinh = units.find((u) => u.code === 'HN-D01');
    // link truongdv (head of Ba Đình) to an official with an e-mail address
    const off = assertStatus(await admin('POST', '/officials', {
      unit_id: baDinh.id, full_name: 'Đặng Thị Hường', position: 'Chủ tịch UBND quận', email: 'huong.dang@badinh.hanoi.gov.vn',
    }), 201);
    const accounts = assertStatus(await admin('GET', '/accounts?q=truongdv&limit=10'), 200).items;
    const head = accounts.find((a) => a.username === 'truongdv');
    assertStatus(await admin('PATCH', `/accounts/${head.id}`, { version: head.version, official_id: off.id }), 200);
    // due Friday 14/04/2017: on Monday 10/04 that is 4 working days ahead → the 5-day reminder
    const task = assertStatus(await admin('POST', '/tasks', {
      lead_unit_id: baDinh.id, title: 'Rà soát, niêm yết công khai thủ tục hành chính tại Bộ phận một cửa', due_date: '2017-04-14',
    }), 201);

    const env = { KYCUONG_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, KYCUONG_SMTP_FROM: 'dondoc@hanoi.gov.vn' };
    const first = runCli(['tick', '--db', srv.dbPath, '--now', '2017-04-10T08:35:00+07:00'], env);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /1 email/);
    // the SMTP server printed the message (it may take a moment to flush)
    for (let i = 0; i < 50 && !smtpOut.includes('END MESSAGE'); i++) await new Promise((r) => setTimeout(r, 50));
    const got = messages(smtpOut);
    assert.equal(got.length, 1, smtpOut);
    assert.equal(got[0].to, 'huong.dang@badinh.hanoi.gov.vn');
    assert.equal(got[0].subject, 'Nhắc hạn: còn 4 ngày làm việc — Rà soát, niêm yết công khai thủ tục hành chính tại Bộ phận một cửa');
    assert.match(got[0].body, /hạn hoàn thành ngày 14\/04\/2017/);
    assert.match(got[0].body, /UBND quận Ba Đình/);

    // a restart (another pass the same day) sends nothing again
    const second = runCli(['tick', '--db', srv.dbPath, '--now', '2017-04-10T15:00:00+07:00'], env);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /0 thông báo mới.*0 email/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(messages(smtpOut).length, 1);

    // the prodding history of the task and the head's inbox
    const notices = assertStatus(await admin('GET', `/tasks/${task.id}/notices`), 200).items;
    const kinds = notices.map((n) => `${n.kind}/${n.channel}/${n.recipient}`).sort();
    assert.deepEqual(kinds, ['reminder/email/truongdv', 'reminder/inbox/canbo', 'reminder/inbox/truongdv']);
    assert.ok(notices.find((n) => n.channel === 'email').delivered);
    const head2 = await session(srv.url, 'truongdv');
    const inbox = assertStatus(await head2('GET', '/inbox'), 200);
    assert.equal(inbox.unread, 1);
    assert.equal(inbox.items[0].task_id, task.id);
    assertStatus(await head2('POST', `/inbox/${inbox.items[0].id}/read`), 204);
    assert.equal(assertStatus(await head2('GET', '/inbox'), 200).unread, 0);
  });

  it('skips weekends and Tết: no notices on a day off, the next working day catches up', async () => {
    const units = assertStatus(await admin('GET', '/units?kind=district&limit=100'), 200).items;
    const hk = units.find((u) => u.code === 'HN-D02');
    // due Monday 29/01/2018, before Tết 2018 (14–20/02): the 1-day reminder falls on Friday 26/01
    const t = assertStatus(await admin('POST', '/tasks', { lead_unit_id: hk.id, title: 'Báo cáo tháng 1/2018', due_date: '2018-01-29' }), 201);
    const sat = runCli(['tick', '--db', srv.dbPath, '--now', '2018-01-27T09:00:00+07:00']);
    assert.equal(sat.status, 0, sat.stderr);
    assert.match(sat.stdout, /: 0 thông báo mới/);
    // on Tết (16/02/2018, a day off) nothing is sent either, though the task is overdue
    const tet = runCli(['tick', '--db', srv.dbPath, '--now', '2018-02-16T09:00:00+07:00']);
    assert.match(tet.stdout, /: 0 thông báo mới/);
    // the first working day after Tết is 21/02/2018
    const back = runCli(['tick', '--db', srv.dbPath, '--now', '2018-02-21T09:00:00+07:00']);
    assert.equal(back.status, 0, back.stderr);
    const n = assertStatus(await admin('GET', `/tasks/${t.id}/notices`), 200).items.filter((x) => x.channel === 'inbox');
    const overdue = n.filter((x) => x.kind === 'overdue');
    assert.equal(overdue.length, 1);
    // working days after 29/01/2018 up to 21/02/2018: 30, 31/01; 1, 2, 5, 6, 7, 8, 9, 12, 13/02
    // (Tết 14–20/02 off); 21/02 → 12
    assert.match(overdue[0].subject, /^Quá hạn 12 ngày làm việc: Báo cáo tháng 1\/2018$/);
    assert.ok(n.some((x) => x.kind === 'escalation'), 'escalated after 5 working days overdue');
  });

  it('a reminder that reaches nobody (a unit without accounts) goes to the assigning unit’s head instead', async () => {
    const bd = assertStatus(await admin('GET', '/units?kind=district&limit=100'), 200).items.find((u) => u.code === 'HN-D01');
    const ward = assertStatus(await admin('POST', '/units', { code: 'HN-D01-P77', name: 'UBND phường Thử Nghiệm', kind: 'commune', parent_id: bd.id }), 201);
    const head = await session(srv.url, 'truongdv'); // head of Ba Đình: assigns the task
    const t = assertStatus(await head('POST', '/tasks', { lead_unit_id: ward.id, title: 'Rà soát quy chế tiếp công dân', due_date: '2019-09-13' }), 201);
    const before = assertStatus(await head('GET', '/inbox?limit=200'), 200).items.filter((x) => x.task_id === t.id);
    assert.equal(before.length, 0);
    // Friday 13/09/2019 is the deadline: the "today" reminder has nobody to reach in the ward
    for (const now of ['2019-09-13T08:00:00+07:00', '2019-09-13T09:00:00+07:00']) {
      const r = runCli(['tick', '--db', srv.dbPath, '--now', now]);
      assert.equal(r.status, 0, r.stderr);
    }
    const got = assertStatus(await head('GET', '/inbox?limit=200'), 200).items.filter((x) => x.task_id === t.id);
    assert.equal(got.length, 1, 'told once, though the pass ran twice');
    assert.equal(got[0].kind, 'reminder');
    assert.equal(got[0].subject, 'Không gửi được đến UBND phường Thử Nghiệm (chưa có tài khoản nhận): Hôm nay là hạn hoàn thành: Rà soát quy chế tiếp công dân');
    assert.match(got[0].body, /chưa có tài khoản trưởng đơn vị hoặc cán bộ nào/);
    // overdue for weeks, prodded every few working days: the head hears once that the overdue
    // reminders reach nobody, not at every reminder
    for (const now of ['2019-09-17T08:00:00+07:00', '2019-09-24T08:00:00+07:00', '2019-10-08T08:00:00+07:00']) {
      const r = runCli(['tick', '--db', srv.dbPath, '--now', now]);
      assert.equal(r.status, 0, r.stderr);
    }
    const later = assertStatus(await head('GET', '/inbox?limit=200'), 200).items.filter((x) => x.task_id === t.id);
    const kinds = later.map((x) => x.kind).sort();
    assert.deepEqual(kinds.filter((k) => k === 'overdue'), ['overdue'], JSON.stringify(later.map((x) => x.subject)));
    assert.equal(new Set(kinds).size, kinds.length, `one notice per kind: ${kinds}`);
    // the task's prodding history shows it too, addressed to the head
    const hist = assertStatus(await admin('GET', `/tasks/${t.id}/notices`), 200).items;
    assert.ok(hist.some((x) => x.recipient === 'truongdv' && x.channel === 'inbox'), JSON.stringify(hist));
  });

  it('sends SMS through an HTTP gateway as JSON {to, text}, once', async () => {
    const http = await import('node:http');
    const got = [];
    const gw = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        got.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) });
        res.writeHead(202).end('{}');
      });
    });
    await new Promise((r) => gw.listen(0, '127.0.0.1', r));
    try {
      // a new commune with its own head, so that only its task is prodded
      const units = assertStatus(await admin('GET', '/units?kind=district&limit=100'), 200).items;
      const hk = units.find((u) => u.code === 'HN-D02');
      const ward = assertStatus(await admin('POST', '/units', { code: 'HN-D02-P01', name: 'UBND phường Hàng Bạc', kind: 'commune', parent_id: hk.id }), 201);
      const off = assertStatus(await admin('POST', '/officials', {
        unit_id: ward.id, full_name: 'Lê Văn Hoàn', phone: '0912 345 678',
      }), 201);
      assertStatus(await admin('POST', '/accounts', {
        username: 'chutich.hangbac', password: 'mat-khau-dai-du-10', role: 'unit_head', unit_id: ward.id, official_id: off.id,
      }), 201);
      assertStatus(await admin('POST', '/tasks', { lead_unit_id: ward.id, title: 'Niêm yết thủ tục', due_date: '2019-03-15' }), 201);
      const env = { KYCUONG_SMS_URL: `http://127.0.0.1:${gw.address().port}/sms` };
      // Friday 15/03/2019 is the deadline; on that day the "today" reminder goes out
      // the gateway lives in this process, so the CLI must run without blocking it
      const tick = (now) => new Promise((resolve) => {
        const p = spawn(BIN, ['tick', '--db', srv.dbPath, '--now', now], { env: { ...process.env, ...env } });
        let stdout = '', stderr = '';
        p.stdout.on('data', (d) => { stdout += d; });
        p.stderr.on('data', (d) => { stderr += d; });
        p.on('exit', (status) => resolve({ status, stdout, stderr }));
      });
      const r1 = await tick('2019-03-15T08:00:00+07:00');
      assert.equal(r1.status, 0, r1.stderr);
      assert.match(r1.stdout, /1 SMS/);
      const r2 = await tick('2019-03-15T09:00:00+07:00');
      assert.match(r2.stdout, /0 SMS/);
      assert.equal(got.length, 1);
      assert.equal(got[0].method, 'POST');
      assert.match(got[0].type, /^application\/json/);
      assert.deepEqual(got[0].body, { to: '0912 345 678', text: 'Hôm nay là hạn hoàn thành: Niêm yết thủ tục' });
    } finally {
      gw.close();
    }
  });
});
