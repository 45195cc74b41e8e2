// The dossier page (#/dossiers/:id): GET /dossiers/:id — the header (code, procedure,
// applicant, status, appointment and the original one when an apology moved it, overdue /
// apology marks), the steps as the processing-control table (Phiếu kiểm soát quá trình giải
// quyết hồ sơ), supplements, apologies, the timeline and the actions the status allows
// (dossier_flow.c): assign, handover, supplement, supplement-received, refuse, result, return,
// withdraw, apology. Every action sends the version; a 409 asks to reload. Links to the PDFs.
import { get, post, loadUnits } from '../api.js';
import { h, setChildren, fmtDate, fmtNumber } from '../util.js';
import { errorBox, notify, dataTable, showStale } from '../ui.js';
import { openForm, facts, inSubtree } from './tasks-common.js';
import {
  dossierBadge, dossierFlags, resultBadge, CHANNELS, EVENT_LABELS, fmtDmyHm, pdfLink, limitText, fmtDays,
} from './onestop-common.js';

const CITYWIDE = ['leader', 'admin'];

export default async function render(root, ctx) {
  const id = Number(ctx.parts[1]);
  if (!Number.isInteger(id) || id <= 0) {
    setChildren(root, errorBox('Mã hồ sơ trong địa chỉ không hợp lệ.'), h('p', null, h('a', { href: '#/dossiers' }, '‹ Về danh sách hồ sơ')));
    return undefined;
  }
  const units = await loadUnits().catch(() => ({ byId: new Map(), flat: [] }));
  let d = null;
  let proc = null;
  let seq = 0;
  const staleBox = h('div', { class: 'dossier-stale' });

  async function load({ focus = null } = {}) {
    const my = ++seq;
    root.setAttribute('aria-busy', 'true');
    try {
      const x = await get(`/dossiers/${id}`, { signal: ctx.signal });
      const p = await get(`/procedures/${x.procedure_id}`, { signal: ctx.signal }).catch(() => null);
      if (my !== seq) return;
      d = x;
      proc = p;
      draw();
      if (focus) root.querySelector(focus)?.focus();
    } catch (e) {
      if (e.name === 'AbortError' || my !== seq) return;
      ctx.setTitle('Hồ sơ');
      setChildren(root, errorBox(e.message), h('p', null, h('a', { href: '#/dossiers' }, '‹ Về danh sách hồ sơ')));
    } finally {
      if (my === seq) root.removeAttribute('aria-busy');
    }
  }

  const me = ctx.me;
  const citywide = CITYWIDE.includes(me.role);
  const canProcess = ctx.allows('POST /api/v1/dossiers/:id/assign');
  const isHolder = () => citywide || (!!me.unit_id && inSubtree(units, d.holder_unit_id, me.unit_id));
  const isDesk = () => citywide || (!!me.unit_id && inSubtree(units, d.unit_id, me.unit_id));

  /** Posts an action with the version; a 409 closes the form and asks to reload. */
  async function act(path, body, okText) {
    try {
      await post(`/dossiers/${id}/${path}`, { ...body, version: d.version }, { signal: ctx.signal });
    } catch (e) {
      if (e && e.status === 409) {
        showStale(staleBox, e.message, 'Hồ sơ', load);
        return true;
      }
      throw e;
    }
    setChildren(staleBox);
    notify(okText);
    await load({ focus: '.dossier-actions .btn' });
    return true;
  }

  async function assign() {
    const r = await get(`/officials?unit_id=${d.holder_unit_id}&limit=500`, { signal: ctx.signal }).catch(() => ({ items: [] }));
    const opts = (r.items || []).map((o) => ({ value: o.id, label: `${o.full_name}${o.position ? ` — ${o.position}` : ''}${o.unit_name ? ` (${o.unit_name})` : ''}` }));
    openForm({
      title: 'Phân công cán bộ xử lý',
      intro: `Cán bộ của ${d.holder_unit_name}.`,
      fields: [{ name: 'official_id', label: 'Cán bộ xử lý', type: 'select', required: true, options: [{ value: '', label: '— Chọn cán bộ —' }, ...opts], value: d.assignee_official_id || '' }],
      submitLabel: 'Phân công',
      onSubmit: (v) => act('assign', { official_id: Number(v.official_id) }, 'Đã phân công cán bộ xử lý.'),
    });
  }

  function handover() {
    const open = (d.steps || []).filter((s) => !s.ended_at).pop() || (d.steps || [])[d.steps.length - 1];
    const next = proc && open ? (proc.steps || [])[open.seq] : null;
    const opts = units.flat.map(({ unit, depth }) => ({ value: unit.id, label: `${'\u2003'.repeat(depth)}${unit.name}`, disabled: unit.id === d.holder_unit_id }));
    openForm({
      title: 'Chuyển hồ sơ',
      intro: next ? `Bước tiếp theo theo quy trình: ${next.name} — ${next.unit_name || ''} (${fmtDays(next.days)} ngày làm việc).` : 'Quy trình của thủ tục không còn bước tiếp theo; chọn đơn vị nhận hồ sơ.',
      fields: [
        { name: 'unit_id', label: 'Đơn vị nhận hồ sơ', type: 'select', required: true, options: [{ value: '', label: '— Chọn đơn vị —' }, ...opts], value: next && next.unit_id ? next.unit_id : '' },
        { name: 'step_name', label: 'Tên bước', value: next ? next.name : '', maxlength: 500 },
        { name: 'note', label: 'Ghi chú', type: 'textarea', rows: 2 },
      ],
      submitLabel: 'Chuyển hồ sơ',
      onSubmit: (v) => {
        const body = { unit_id: Number(v.unit_id) };
        if (v.step_name) body.step_name = v.step_name;
        if (v.note) body.note = v.note;
        return act('handover', body, 'Đã chuyển hồ sơ.');
      },
    });
  }

  function supplement() {
    openForm({
      title: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
      intro: 'Thời hạn giải quyết tạm dừng cho đến khi nhận đủ giấy tờ bổ sung.',
      fields: [
        { name: 'reason', label: 'Lý do yêu cầu bổ sung', type: 'textarea', required: true, rows: 3 },
        { name: 'items', label: 'Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)', type: 'textarea', rows: 4, errorFor: ['items'] },
      ],
      submitLabel: 'Gửi yêu cầu',
      onSubmit: (v) => act('supplement', { reason: v.reason, items: (v.items || '').split('\n').map((s) => s.trim()).filter(Boolean) }, 'Đã yêu cầu bổ sung hồ sơ.'),
    });
  }

  function simple(path, title, label, required, okText, { danger = false, intro = null, field = 'reason' } = {}) {
    openForm({
      title, intro, danger,
      fields: [{ name: field, label, type: 'textarea', required, rows: 3 }],
      submitLabel: title,
      onSubmit: (v) => act(path, v[field] ? { [field]: v[field] } : {}, okText),
    });
  }

  function apology() {
    openForm({
      title: 'Xin lỗi và hẹn lại ngày trả kết quả',
      intro: `Ngày hẹn trả hiện tại: ${fmtDate(d.due_date)}.${d.max_reschedules > 0 && d.max_reschedules < 100 ? ` Được hẹn lại tối đa ${d.max_reschedules} lần (đã hẹn lại ${d.reschedules || 0} lần).` : ''}`,
      fields: [
        { name: 'reason', label: 'Lý do chậm trả kết quả', type: 'textarea', required: true, rows: 3 },
        { name: 'new_due_date', label: 'Ngày hẹn trả mới', type: 'date', required: true, hint: 'Một ngày làm việc sau ngày hẹn hiện tại, dạng dd/mm/yyyy.' },
      ],
      submitLabel: 'Ghi nhận xin lỗi',
      onSubmit: (v) => act('apology', { reason: v.reason, new_due_date: v.new_due_date }, 'Đã ghi nhận phiếu xin lỗi và hẹn lại ngày trả.'),
    });
  }

  function draw() {
    ctx.setTitle(`Hồ sơ ${d.code}`);
    const st = d.status;
    const actions = [];
    const btn = (label, fn, cls = 'btn') => h('button', { type: 'button', class: cls, onclick: fn }, label);
    if (canProcess) {
      const running = st === 'received' || st === 'in_process';
      if (running && isHolder()) {
        actions.push(btn('Chuyển hồ sơ', handover, 'btn btn-primary'));
        actions.push(btn('Phân công xử lý', assign));
        actions.push(btn('Có kết quả', () => simple('result', 'Ghi nhận có kết quả', 'Ghi chú', false, 'Đã ghi nhận hồ sơ có kết quả.', { field: 'note' }), 'btn btn-primary'));
      }
      if (running && (isHolder() || isDesk())) {
        actions.push(btn('Yêu cầu bổ sung', supplement));
        actions.push(btn('Xin lỗi, hẹn lại', apology));
      }
      if (st === 'supplement_requested' && (isHolder() || isDesk())) {
        actions.push(btn('Đã nhận bổ sung', () => simple('supplement-received', 'Nhận hồ sơ bổ sung', 'Ghi chú', false, 'Đã nhận hồ sơ bổ sung; thời hạn tiếp tục được tính.', { field: 'note' }), 'btn btn-primary'));
      }
      if (st === 'result_ready' && isDesk()) {
        actions.push(btn('Trả kết quả', () => simple('return', 'Trả kết quả', 'Ghi chú', false, 'Đã trả kết quả cho công dân.', { field: 'note' }), 'btn btn-primary'));
      }
      if ((running || st === 'supplement_requested') && (isHolder() || isDesk())) {
        actions.push(btn('Từ chối giải quyết', () => simple('refuse', 'Từ chối giải quyết', 'Lý do từ chối', true, 'Đã từ chối giải quyết hồ sơ.', { danger: true }), 'btn btn-danger-outline'));
        actions.push(btn('Công dân rút hồ sơ', () => simple('withdraw', 'Ghi nhận rút hồ sơ', 'Lý do rút hồ sơ', true, 'Đã ghi nhận công dân rút hồ sơ.', { danger: true }), 'btn btn-danger-outline'));
      }
    }

    const prints = [pdfLink(d.id, 'receipt.pdf', 'Giấy tiếp nhận (PDF)'), pdfLink(d.id, 'control.pdf', 'Phiếu kiểm soát (PDF)')];
    if (st === 'refused') prints.push(pdfLink(d.id, 'refusal.pdf', 'Phiếu từ chối (PDF)'));

    const crumbs = h('nav', { class: 'breadcrumb', 'aria-label': 'Vị trí' }, h('ol', null,
      h('li', null, h('a', { href: '#/dossiers' }, 'Hồ sơ một cửa')),
      h('li', { 'aria-current': 'page' }, d.code)));

    const edge = d.overdue ? 'in_progress_overdue' : (st === 'returned' || st === 'result_ready') ? 'done_on_time' : 'in_progress';
    const head = h('section', { class: `panel task-head dossier-head status-edge-${edge}`, 'aria-label': 'Tình trạng hồ sơ' },
      h('div', { class: 'task-head-row' },
        h('div', null, h('span', { class: 'task-head-label' }, 'Mã hồ sơ'), h('span', { class: 'task-head-value dossier-code', 'data-testid': 'dossier-code' }, d.code)),
        h('div', null, h('span', { class: 'task-head-label' }, 'Trạng thái'),
          h('span', { class: 'badge-row dossier-status' }, dossierBadge(d), ...dossierFlags(d))),
        h('div', null, h('span', { class: 'task-head-label' }, 'Hẹn trả kết quả'),
          h('span', { class: 'task-head-value', 'data-testid': 'dossier-due' }, fmtDate(d.due_date)),
          d.original_due_date && d.original_due_date !== d.due_date ? h('span', { class: 'due-hint' }, ` (hẹn ban đầu: ${fmtDate(d.original_due_date)})`) : null),
        d.result ? h('div', null, h('span', { class: 'task-head-label' }, 'Kết quả'), resultBadge(d.result, d.result_label)) : null),
      actions.length ? h('div', { class: 'task-actions dossier-actions', role: 'group', 'aria-label': 'Thao tác' }, actions) : null,
      h('div', { class: 'dossier-prints', role: 'group', 'aria-label': 'Biểu mẫu in' }, prints));

    const a = d.applicant || {};
    const info = h('section', { class: 'panel', 'aria-labelledby': 'ds-info-h' },
      h('h2', { id: 'ds-info-h', class: 'panel-title' }, 'Thông tin hồ sơ'),
      facts([
        ['Thủ tục', d.procedure ? `${d.procedure.name}${d.procedure.code ? ` (${d.procedure.code})` : ''}` : ''],
        ['Thời hạn giải quyết', proc ? limitText(proc) : (d.procedure ? limitText(d.procedure) : '')],
        ['Người nộp', a.name],
        ['Số CCCD/CMND', a.id_number],
        ['Số điện thoại', a.phone],
        ['Thư điện tử', a.email],
        ['Địa chỉ', a.address],
        ['Hình thức tiếp nhận', CHANNELS[d.channel] || d.channel],
        ['Tiếp nhận lúc', `${fmtDmyHm(d.received_at)}${d.received_by_name ? ` — ${d.received_by_name}` : ''}`],
        ['Đơn vị tiếp nhận', d.unit ? d.unit.name : ''],
        ['Đơn vị đang giữ', d.holder_unit_name],
        ['Cán bộ xử lý', d.assignee_name],
        ['Có kết quả lúc', d.resolved_at ? fmtDmyHm(d.resolved_at) : null],
        ['Trả kết quả lúc', d.returned_at ? fmtDmyHm(d.returned_at) : null],
        ['Lý do kết thúc', d.close_reason],
        ['Quy định áp dụng', d.rule ? d.rule.name : null],
      ], 'dossier-facts'));

    const comps = d.components || [];
    const compBox = h('section', { class: 'panel', 'aria-labelledby': 'ds-comp-h' },
      h('h2', { id: 'ds-comp-h', class: 'panel-title' }, 'Thành phần hồ sơ'),
      comps.length ? h('ul', { class: 'dossier-components' }, comps.map((c) => h('li', { class: c.received === false ? 'muted' : null },
        c.received === false ? '✗ ' : '✓ ', c.name, c.received === false ? ' (chưa nhận)' : ''))) : h('p', { class: 'empty-note' }, 'Không có danh sách giấy tờ.'));

    // --- the processing control table ---
    const steps = dataTable({
      caption: 'Quá trình giải quyết hồ sơ',
      columns: [
        { label: 'Bước', class: 'col-num' },
        { label: 'Đơn vị, nội dung' },
        { label: 'Bên giao → bên nhận' },
        { label: 'Bắt đầu', class: 'col-when' },
        { label: 'Hạn', class: 'col-when' },
        { label: 'Kết thúc', class: 'col-when' },
        { label: 'Kết quả', class: 'col-status' },
      ],
      className: 'steps-table',
    });
    steps.setRows((d.steps || []).map((s) => h('tr', { 'data-seq': s.seq, class: s.ended_at ? null : 'row-current' },
      h('td', { class: 'col-num' }, fmtNumber(s.seq)),
      h('td', null, h('strong', null, s.unit_name), h('br'), h('span', { class: 'muted' }, s.name),
        s.official_name ? h('div', { class: 'small' }, `Cán bộ: ${s.official_name}`) : null,
        s.note ? h('div', { class: 'small pre' }, s.note) : null),
      h('td', null, `${s.given_by_name || '—'} → ${s.received_by_name || s.official_name || '—'}`),
      h('td', { class: 'col-when' }, fmtDmyHm(s.started_at)),
      h('td', { class: 'col-when' }, s.due_at ? fmtDmyHm(s.due_at) : '—'),
      h('td', { class: 'col-when' }, s.ended_at ? fmtDmyHm(s.ended_at) : h('span', { class: 'muted' }, 'Đang xử lý')),
      h('td', { class: 'col-status' }, s.ended_at ? resultBadge(s.result, s.result_label) : h('span', { class: 'muted' }, '—')))), 'Chưa có bước nào.');
    const stepsBox = h('section', { class: 'panel', 'aria-labelledby': 'ds-steps-h' },
      h('div', { class: 'section-head' }, h('h2', { id: 'ds-steps-h', class: 'panel-title' }, 'Phiếu kiểm soát quá trình giải quyết')),
      steps.el);

    // --- supplements and apologies ---
    const sups = d.supplements || [];
    const supBox = sups.length ? h('section', { class: 'panel', 'aria-labelledby': 'ds-sup-h' },
      h('h2', { id: 'ds-sup-h', class: 'panel-title' }, 'Yêu cầu bổ sung'),
      h('ol', { class: 'dossier-list' }, sups.map((s) => h('li', { 'data-seq': s.seq },
        h('p', null, h('strong', null, `Lần ${s.seq}: `), `${fmtDmyHm(s.requested_at)}${s.requested_by_name ? ` — ${s.requested_by_name}` : ''}`,
          s.received_at ? h('span', { class: 'badge status st-done' }, `Đã nhận bổ sung ${fmtDmyHm(s.received_at)}`) : h('span', { class: 'badge status st-late' }, 'Chờ bổ sung')),
        h('p', { class: 'pre' }, s.reason),
        (s.items || []).length ? h('ul', null, s.items.map((x) => h('li', null, x))) : null,
        pdfLink(d.id, 'supplement.pdf', `Phiếu yêu cầu bổ sung lần ${s.seq} (PDF)`, { seq: s.seq }))))) : null;

    const apols = d.apologies || [];
    const apoBox = apols.length ? h('section', { class: 'panel', 'aria-labelledby': 'ds-apo-h' },
      h('h2', { id: 'ds-apo-h', class: 'panel-title' }, 'Xin lỗi và hẹn lại'),
      h('ol', { class: 'dossier-list' }, apols.map((x) => h('li', { 'data-seq': x.seq },
        h('p', null, h('strong', null, `Lần ${x.seq}: `), `${fmtDmyHm(x.issued_at)}${x.issued_by_name ? ` — ${x.issued_by_name}` : ''}; hẹn ${fmtDate(x.old_due_date)} → `, h('strong', null, fmtDate(x.new_due_date))),
        h('p', { class: 'pre' }, x.reason),
        pdfLink(d.id, 'apology.pdf', `Phiếu xin lỗi lần ${x.seq} (PDF)`, { seq: x.seq }))))) : null;

    // --- the timeline ---
    const events = (d.events || []).slice();
    const timeline = h('section', { class: 'panel', 'aria-labelledby': 'ds-tl-h' },
      h('h2', { id: 'ds-tl-h', class: 'panel-title' }, 'Diễn biến'),
      events.length ? h('ol', { class: 'timeline dossier-timeline' }, events.map((ev) => h('li', { class: `tl-item tl-${ev.kind}`, 'data-kind': ev.kind },
        h('span', { class: 'tl-dot', 'aria-hidden': 'true' }),
        h('div', { class: 'tl-body' },
          h('p', { class: 'tl-title' }, EVENT_LABELS[ev.kind] || ev.kind, ev.unit_name ? ` — ${ev.unit_name}` : ''),
          h('p', { class: 'tl-meta' }, fmtDmyHm(ev.at), ev.by_name ? ` · ${ev.by_name}` : ''),
          ev.note ? h('p', { class: 'tl-text pre' }, ev.note) : null)))) : h('p', { class: 'empty-note' }, 'Chưa có diễn biến nào.'));

    setChildren(root, crumbs, staleBox, head,
      h('div', { class: 'dossier-grid' }, info, compBox),
      stepsBox, supBox, apoBox, timeline);
  }

  await load();
  return undefined;
}
