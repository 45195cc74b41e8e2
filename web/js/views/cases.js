// Hồ sơ vụ việc (#/cases): the cases the account may see (GET /cases: feedback and the other
// kinds of the case engine), with filters — only those its unit handles (mine=1), the kind, the
// state (not closed, due soon, overdue, or one of the kind's declared states by its Vietnamese
// name), the handling unit, words of the title typed with or without diacritics — paging, and
// the form that receives a new case. The filters live in the URL, so the counts of «Việc của
// tôi» open exactly the list they count. #/cases/:id is the case page.
import { loadUnits } from '../api.js';
import { h, setChildren, fmtDate, fmtNumber, debounce } from '../util.js';
import { dataTable, notify, errorBox } from '../ui.js';
import { listView, addressedPath } from '../listview.js';
import { openForm, isCitywide } from './tasks-common.js';
import { loadKinds, receivableKinds, receiveCaseDialog, caseBadges, fmtDmyHm } from './cases-common.js';

const LIMIT = 50;
/** The state filters every kind has: the API's open / due_soon / overdue. */
const FLAGS = [
  { value: 'open', label: 'Chưa kết thúc' },
  { value: 'due_soon', label: 'Sắp đến hạn' },
  { value: 'overdue', label: 'Quá hạn' },
];

export default async function render(root, ctx) {
  if (ctx.parts[1]) {
    const page = await import('./case.js');
    return page.default(root, ctx);
  }
  ctx.setTitle('Hồ sơ vụ việc');
  const p = ctx.params;
  const me = ctx.me;
  const hasUnit = !!me.unit_id;
  const [kinds, units] = await Promise.all([
    loadKinds(),
    loadUnits().catch(() => ({ flat: [], byId: new Map() })),
  ]);

  // --- filters ---
  const q = h('input', { id: 'case-q', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Ví dụ: den chieu sang' });
  const mine = h('input', { id: 'case-mine', type: 'checkbox', disabled: !hasUnit });
  const kindSel = h('select', { id: 'case-kind' }, h('option', { value: '' }, 'Tất cả loại'),
    kinds.list.map((k) => h('option', { value: k.code }, k.name)));
  const stateSel = h('select', { id: 'case-state' });
  const unitSel = h('select', { id: 'case-unit' }, h('option', { value: '' }, 'Tất cả đơn vị'),
    units.flat.map(({ unit, depth }) => h('option', { value: String(unit.id) }, `${'\u2003'.repeat(depth)}${unit.name}`)));
  const resetBtn = h('button', { type: 'button', class: 'btn btn-small btn-link' }, 'Xóa bộ lọc');
  const canReceive = ctx.allows('POST /api/v1/cases') ? receivableKinds(kinds, me) : [];
  const addBtn = canReceive.length ? h('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'receive' }, '+ Tiếp nhận vụ việc') : null;

  /** The state options: the flags, then the declared states of the kind chosen (or of each kind). */
  function fillStates(value) {
    const shown = kindSel.value ? kinds.list.filter((k) => k.code === kindSel.value) : kinds.list;
    setChildren(stateSel, h('option', { value: '' }, 'Tất cả trạng thái'),
      FLAGS.map((f) => h('option', { value: f.value }, f.label)),
      shown.map((k) => h('optgroup', { label: k.name },
        (k.states || []).map((s) => h('option', { value: `state:${s.code}` }, s.name)))));
    stateSel.value = value;
    if (stateSel.value !== value) stateSel.value = '';
  }

  q.value = p.get('q') || '';
  mine.checked = hasUnit && (p.has('mine') ? p.get('mine') === '1' : !isCitywide(me));
  kindSel.value = p.get('kind') || '';
  unitSel.value = p.get('unit_id') || '';
  fillStates(p.get('state') ? `state:${p.get('state')}` : FLAGS.find((f) => p.get(f.value) === '1')?.value || '');

  const filters = h('div', { class: 'toolbar case-filters' },
    h('div', { class: 'field field-inline grow' }, h('label', { for: 'case-q' }, 'Tìm theo tiêu đề'), q),
    h('div', { class: 'field field-inline' }, h('label', { for: 'case-kind' }, 'Loại vụ việc'), kindSel),
    h('div', { class: 'field field-inline' }, h('label', { for: 'case-state' }, 'Tình trạng'), stateSel),
    h('div', { class: 'field field-inline' }, h('label', { for: 'case-unit' }, 'Đơn vị xử lý'), unitSel),
    h('div', { class: 'field field-check' }, mine, h('label', { for: 'case-mine' }, 'Chỉ vụ việc đơn vị tôi xử lý')),
    h('div', { class: 'toolbar-buttons' }, resetBtn, addBtn));

  const status = h('div', { class: 'list-status' });
  const summary = h('p', { class: 'count case-count', 'aria-live': 'polite' });
  const table = dataTable({
    caption: 'Danh sách hồ sơ vụ việc',
    columns: [
      { label: 'Vụ việc' },
      { label: 'Đơn vị xử lý' },
      { label: 'Tiếp nhận', class: 'col-when' },
      { label: 'Hạn gần nhất', class: 'col-date' },
      { label: 'Tình trạng', class: 'col-status' },
    ],
    className: 'cases-table',
  });

  function params() {
    const u = new URLSearchParams();
    if (mine.checked) u.set('mine', '1');
    if (kindSel.value) u.set('kind', kindSel.value);
    const st = stateSel.value;
    if (st.startsWith('state:')) u.set('state', st.slice(6));
    else if (st) u.set(st, '1');
    if (unitSel.value) u.set('unit_id', unitSel.value);
    const text = q.value.normalize('NFC').trim();
    if (text) u.set('q', text);
    return u;
  }

  const list = listView({
    signal: ctx.signal,
    limit: LIMIT,
    offset: Number(p.get('offset')) || 0,
    busy: table.el,
    status,
    path: (offset, limit) => addressedPath('cases', 'cases', params(), offset, limit, { mine: mine.checked ? '1' : '0' }),
    render: (items, r) => {
      const filtered = [...params().keys()].some((k) => k !== 'mine');
      table.setRows(items.map(row), filtered ? 'Không có vụ việc nào phù hợp với bộ lọc.'
        : mine.checked ? 'Đơn vị của bạn chưa có vụ việc nào cần xử lý.' : 'Chưa có vụ việc nào.');
      summary.textContent = r.total_count ? `${fmtNumber(r.total_count)} vụ việc` : '';
    },
  });

  function row(c) {
    return h('tr', { 'data-id': c.id, class: c.overdue ? 'row-overdue' : c.closed ? 'row-closed' : null },
      h('td', { class: 'col-case' },
        h('a', { href: `#/cases/${c.id}`, class: 'case-link' }, c.title),
        h('div', { class: 'case-sub' }, c.kind_name)),
      h('td', null, c.unit_name),
      h('td', { class: 'col-when' }, fmtDmyHm(c.received_at)),
      h('td', { class: 'col-date' }, c.due_date ? fmtDate(c.due_date) : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'col-status' }, caseBadges(c)));
  }

  root.append(filters, status, summary, table.el, list.pager.el);
  if (!kinds.list.length) root.prepend(errorBox('Chưa có loại vụ việc nào được khai báo (data/case-kinds).'));

  const onType = debounce(() => { list.reload(); }, 250);
  q.addEventListener('input', onType);
  q.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); onType.cancel(); list.reload(); } });
  kindSel.addEventListener('change', () => { fillStates(stateSel.value); list.reload(); });
  for (const el of [stateSel, unitSel, mine]) el.addEventListener('change', () => { list.reload(); });
  resetBtn.addEventListener('click', () => {
    q.value = ''; kindSel.value = ''; unitSel.value = ''; fillStates(''); list.reload();
  });

  /** The kind to receive: the one filtered on, the only one, or asked for. */
  function pickKind() {
    const chosen = canReceive.find((k) => k.code === kindSel.value);
    if (chosen || canReceive.length === 1) return Promise.resolve(chosen || canReceive[0]);
    return new Promise((resolve) => {
      let kind = null;
      const d = openForm({
        title: 'Tiếp nhận vụ việc',
        fields: [{
          name: 'kind', label: 'Loại vụ việc', type: 'select', required: true,
          options: [{ value: '', label: '— Chọn loại —' }, ...canReceive.map((k) => ({ value: k.code, label: k.name }))],
        }],
        submitLabel: 'Tiếp tục',
        onSubmit: (v) => { kind = canReceive.find((k) => k.code === v.kind) || null; return true; },
      });
      d.dialog.addEventListener('close', () => resolve(kind));
    });
  }
  if (addBtn) {
    addBtn.addEventListener('click', async () => {
      try {
        const kind = await pickKind();
        if (!kind) return;
        const c = await receiveCaseDialog(me, kind);
        if (c) { notify('Đã tiếp nhận vụ việc.'); location.hash = `#/cases/${c.id}`; }
      } catch (e) { notify(e.message, 'error'); }
    });
  }

  await list.load();
  return () => onType.cancel();
}
