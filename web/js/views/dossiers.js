// Hồ sơ một cửa (#/dossiers): the queue of dossiers (GET /dossiers) with status tabs (Đang giải
// quyết, Quá hạn, Cần xin lỗi, Chờ bổ sung, Chờ trả, Tất cả), "Hồ sơ của tôi", the holding unit,
// the procedure, a text (code or applicant name, accent-insensitive on the server), paging and
// the CSV / XLSX exports of the same filters. Rows come in the order the API gives; overdue and
// apology-owed rows are marked. The filters live in the URL. #/dossiers/:id is the dossier page.
import { get, loadUnits } from '../api.js';
import { h, setChildren, fmtNumber, debounce, nextId } from '../util.js';
import { dataTable } from '../ui.js';
import { listView } from '../listview.js';
import { dossierBadge, dossierFlags, dueText, fmtDmyHm } from './onestop-common.js';

const LIMIT = 50;
const TABS = [
  { key: 'open', label: 'Đang giải quyết' },
  { key: 'due_today', label: 'Đến hạn hôm nay' },
  { key: 'overdue', label: 'Quá hạn' },
  { key: 'apology_owed', label: 'Cần xin lỗi' },
  { key: 'supplement_requested', label: 'Chờ bổ sung' },
  { key: 'result_ready', label: 'Chờ trả' },
  { key: '', label: 'Tất cả' },
];

export default async function render(root, ctx) {
  if (ctx.parts[1]) {
    const page = await import('./dossier.js');
    return page.default(root, ctx);
  }
  ctx.setTitle('Hồ sơ một cửa');
  const p = ctx.params;
  let status = p.has('status') ? p.get('status') : 'open';
  if (!TABS.some((t) => t.key === status)) status = 'open';

  // --- tabs ---
  const panelId = nextId('dq-panel');
  const tabEls = TABS.map((t) => h('button', {
    type: 'button', role: 'tab', id: nextId('dq-tab'), class: 'tab', 'aria-controls': panelId, 'data-status': t.key,
  }, t.label));
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Trạng thái hồ sơ' }, tabEls);
  function showTabs() {
    tabEls.forEach((el, i) => {
      const on = TABS[i].key === status;
      el.setAttribute('aria-selected', String(on));
      el.tabIndex = on ? 0 : -1;
      if (on) panel.setAttribute('aria-labelledby', el.id);
    });
  }
  tabEls.forEach((el, i) => el.addEventListener('click', () => { status = TABS[i].key; showTabs(); list.reload(); }));
  tabs.addEventListener('keydown', (ev) => {
    const i = tabEls.indexOf(document.activeElement);
    if (i < 0) return;
    let j = null;
    if (ev.key === 'ArrowRight') j = (i + 1) % tabEls.length;
    else if (ev.key === 'ArrowLeft') j = (i - 1 + tabEls.length) % tabEls.length;
    else if (ev.key === 'Home') j = 0;
    else if (ev.key === 'End') j = tabEls.length - 1;
    if (j === null) return;
    ev.preventDefault();
    tabEls[j].focus();
    tabEls[j].click();
  });

  // --- filters ---
  const q = h('input', { id: 'dq-q', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Mã hồ sơ hoặc tên người nộp, ví dụ: nguyen van an' });
  const mine = h('input', { id: 'dq-mine', type: 'checkbox' });
  const unitSel = h('select', { id: 'dq-unit' }, h('option', { value: '' }, 'Tất cả đơn vị'));
  const procSel = h('select', { id: 'dq-proc' }, h('option', { value: '' }, 'Tất cả thủ tục'));
  const csv = h('a', { class: 'btn btn-small', href: '#', 'data-format': 'csv', download: '' }, 'Xuất CSV');
  const xlsx = h('a', { class: 'btn btn-small', href: '#', 'data-format': 'xlsx', download: '' }, 'Xuất Excel (XLSX)');
  const deskLink = ctx.allows('POST /api/v1/dossiers') ? h('a', { href: '#/desk', class: 'btn btn-primary' }, '+ Tiếp nhận hồ sơ') : null;
  q.value = p.get('q') || '';
  mine.checked = p.get('mine') === '1';

  const filters = h('div', { class: 'toolbar dq-filters' },
    h('div', { class: 'field field-inline grow' }, h('label', { for: 'dq-q' }, 'Tìm hồ sơ'), q),
    h('div', { class: 'field field-inline' }, h('label', { for: 'dq-unit' }, 'Đơn vị đang giữ'), unitSel),
    h('div', { class: 'field field-inline' }, h('label', { for: 'dq-proc' }, 'Thủ tục'), procSel),
    h('div', { class: 'field field-check' }, mine, h('label', { for: 'dq-mine' }, 'Hồ sơ của tôi')),
    h('div', { class: 'toolbar-buttons' }, csv, xlsx, deskLink));

  const statusBox = h('div', { class: 'list-status' });
  const summary = h('p', { class: 'count', 'aria-live': 'polite' });
  const table = dataTable({
    caption: 'Danh sách hồ sơ',
    columns: [
      { label: 'Mã hồ sơ' },
      { label: 'Người nộp' },
      { label: 'Thủ tục' },
      { label: 'Đơn vị đang giữ' },
      { label: 'Tiếp nhận', class: 'col-when' },
      { label: 'Hẹn trả', class: 'col-date' },
      { label: 'Trạng thái', class: 'col-status' },
    ],
    className: 'dossiers-table',
  });
  const list = listView({
    signal: ctx.signal,
    limit: LIMIT,
    offset: Number(p.get('offset')) || 0,
    busy: table.el,
    status: statusBox,
    path: (offset, limit) => {
      const u = params();
      const shown = new URLSearchParams(u);
      if (!status) shown.set('status', '');
      if (offset) shown.set('offset', String(offset));
      history.replaceState(null, '', `#/dossiers?${shown}`);
      for (const a of [csv, xlsx]) {
        const e = new URLSearchParams(u);
        e.set('format', a.dataset.format);
        a.href = `/api/v1/dossiers/export?${e}`;
      }
      u.set('limit', String(limit));
      u.set('offset', String(offset));
      return `/dossiers?${u}`;
    },
    render: (items, r) => {
      table.setRows(items.map(row), 'Không có hồ sơ nào phù hợp.');
      summary.textContent = r.total_count ? `${fmtNumber(r.total_count)} hồ sơ` : '';
    },
  });
  const panel = h('div', { id: panelId, role: 'tabpanel', class: 'tabpanel' }, filters, statusBox, summary, table.el, list.pager.el);
  root.append(tabs, panel);
  showTabs();

  await Promise.all([
    loadUnits().then((u) => {
      for (const { unit, depth } of u.flat) unitSel.appendChild(h('option', { value: String(unit.id) }, `${'\u2003'.repeat(depth)}${unit.name}`));
      unitSel.value = p.get('holder_unit_id') || '';
    }).catch(() => {}),
    get('/procedures?limit=500', { signal: ctx.signal }).then((r) => {
      for (const x of r.items || []) procSel.appendChild(h('option', { value: String(x.id) }, x.code ? `${x.name} (${x.code})` : x.name));
      procSel.value = p.get('procedure_id') || '';
    }).catch(() => {}),
  ]);

  function params() {
    const u = new URLSearchParams();
    if (status) u.set('status', status);
    if (mine.checked) u.set('mine', '1');
    if (unitSel.value) u.set('holder_unit_id', unitSel.value);
    if (procSel.value) u.set('procedure_id', procSel.value);
    const text = q.value.normalize('NFC').trim();
    if (text) u.set('q', text);
    return u;
  }

  function row(d) {
    const cls = [d.overdue ? 'row-overdue' : null, d.apology_owed ? 'row-apology' : null, !d.open ? 'row-closed' : null].filter(Boolean).join(' ');
    return h('tr', { 'data-id': d.id, 'data-code': d.code, class: cls || null },
      h('td', { class: 'col-code' }, h('a', { href: `#/dossiers/${d.id}`, class: 'dossier-link' }, d.code)),
      h('td', null, d.applicant_name),
      h('td', null, d.procedure_name),
      h('td', null, d.holder_unit_name),
      h('td', { class: 'col-when' }, fmtDmyHm(d.received_at)),
      h('td', { class: 'col-date' }, dueText(d)),
      h('td', { class: 'col-status' }, h('span', { class: 'badge-row' }, dossierBadge(d), ...dossierFlags(d))));
  }

  const onType = debounce(() => { list.reload(); }, 250);
  q.addEventListener('input', onType);
  q.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); onType.cancel(); list.reload(); } });
  for (const el of [mine, unitSel, procSel]) el.addEventListener('change', () => { list.reload(); });

  await list.load();
  return () => onType.cancel();
}
