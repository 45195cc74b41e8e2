// Cán bộ: GET /officials?q=&unit_id=&limit=&offset= with search as you type (the server folds
// case and diacritics), a unit filter, paging, and the create / edit form (unit_head, admin).
import { get, post, patch, loadUnits } from '../api.js';
import { h, fmtDate, debounce } from '../util.js';
import { formDialog, notify, dataTable, unitOptions } from '../ui.js';
import { listView } from '../listview.js';

const LIMIT = 50;

export default async function render(root, ctx) {
  const canWrite = ctx.allows('POST /api/v1/officials');
  const search = h('input', { id: 'official-q', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Ví dụ: nguyen van an', 'aria-describedby': 'official-q-hint' });
  const unitSel = h('select', { id: 'official-unit' }, h('option', { value: '' }, 'Tất cả đơn vị'));
  const addBtn = canWrite ? h('button', { type: 'button', class: 'btn btn-primary' }, '+ Thêm cán bộ') : null;
  const status = h('div', { class: 'list-status' });
  const table = dataTable({
    caption: 'Danh sách cán bộ',
    columns: [
      { label: 'Họ và tên' },
      { label: 'Chức vụ' },
      { label: 'Giữ chức vụ từ', class: 'col-date' },
      { label: 'Đơn vị' },
      { label: 'Email' },
      { label: 'Điện thoại' },
      canWrite ? { label: 'Thao tác', class: 'col-actions' } : null,
    ].filter(Boolean),
    className: 'officials-table',
  });
  const list = listView({
    signal: ctx.signal,
    limit: LIMIT,
    busy: table.el,
    status,
    path: (offset, limit) => {
      const params = new URLSearchParams();
      const q = search.value.normalize('NFC').trim();
      if (q) params.set('q', q);
      if (unitSel.value) params.set('unit_id', unitSel.value);
      params.set('limit', String(limit));
      params.set('offset', String(offset));
      return `/officials?${params}`;
    },
    render: (items) => table.setRows(items.map(row),
      search.value.trim() ? 'Không tìm thấy cán bộ nào phù hợp.' : 'Chưa có cán bộ nào.'),
  });

  root.append(
    h('div', { class: 'toolbar' },
      h('div', { class: 'field field-inline grow' },
        h('label', { for: 'official-q' }, 'Tìm kiếm'), search,
        h('span', { class: 'hint sr-only', id: 'official-q-hint' }, 'Tìm theo họ tên hoặc chức vụ; gõ có dấu hay không dấu đều được.')),
      h('div', { class: 'field field-inline' }, h('label', { for: 'official-unit' }, 'Đơn vị'), unitSel),
      addBtn ? h('div', { class: 'toolbar-buttons' }, addBtn) : null),
    status, table.el, list.pager.el);

  let units = null;

  const unitsReady = loadUnits().then((u) => {
    units = u;
    for (const o of unitOptions(u)) unitSel.appendChild(h('option', { value: String(o.value) }, o.label));
    if (ctx.params.get('unit_id')) unitSel.value = ctx.params.get('unit_id');
  }).catch(() => { /* the filter stays at "all" */ });

  function row(o) {
    return h('tr', { 'data-id': o.id },
      h('td', { class: 'col-name' }, o.full_name),
      h('td', null, o.position || ''),
      h('td', { class: 'col-date' }, fmtDate(o.position_since)),
      h('td', null, o.unit_name || ''),
      h('td', { class: 'col-email' }, o.email ? h('a', { href: `mailto:${o.email}` }, o.email) : ''),
      h('td', { class: 'col-phone' }, o.phone || ''),
      canWrite ? h('td', { class: 'col-actions' },
        h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Sửa ${o.full_name}`, onclick: () => edit(o) }, 'Sửa')) : null);
  }

  async function edit(o) {
    if (!units) {
      try { units = await loadUnits(); } catch (e) { notify(e.message, 'error'); return; }
    }
    let current = o;
    if (o) {
      // Fetch the row again so the form starts from its current version.
      try { current = await get(`/officials/${o.id}`); } catch (e) { notify(e.message, 'error'); return; }
    }
    const fields = [
      { name: 'full_name', label: 'Họ và tên', required: true, maxlength: 200, value: current?.full_name, autocomplete: 'off' },
      { name: 'position', label: 'Chức vụ', maxlength: 200, value: current?.position },
      { name: 'position_since', label: 'Giữ chức vụ từ ngày', type: 'date', value: current?.position_since, hint: 'Dạng dd/mm/yyyy, ví dụ 20/03/2017.' },
      { name: 'email', label: 'Email', type: 'email', maxlength: 254, value: current?.email },
      { name: 'phone', label: 'Điện thoại', type: 'tel', maxlength: 32, value: current?.phone },
      { name: 'unit_id', label: 'Đơn vị', type: 'select', required: true, value: current ? current.unit_id : (unitSel.value || ''), options: unitOptions(units, { emptyLabel: '— Chọn đơn vị —' }) },
    ];
    formDialog({
      title: current ? 'Sửa thông tin cán bộ' : 'Thêm cán bộ',
      submitLabel: current ? 'Lưu' : 'Thêm cán bộ',
      fields,
      onSubmit: async (v) => {
        v.unit_id = Number(v.unit_id);
        if (!current) {
          const body = { unit_id: v.unit_id, full_name: v.full_name };
          for (const k of ['position', 'position_since', 'email', 'phone']) if (v[k]) body[k] = v[k];
          const r = await post('/officials', body);
          notify(`Đã thêm cán bộ ${r?.full_name || v.full_name}.`);
        } else {
          const body = { version: current.version };
          for (const k of ['full_name', 'position', 'position_since', 'email', 'phone', 'unit_id']) {
            const before = current[k] ?? '';
            // An emptied field is sent as "" (the server clears it; null is taken as "absent").
            if (v[k] !== before) body[k] = v[k];
          }
          if (Object.keys(body).length === 1) return true;
          const r = await patch(`/officials/${current.id}`, body);
          notify(`Đã lưu thông tin cán bộ ${r?.full_name || v.full_name}.`);
        }
        list.load();
        return true;
      },
    });
  }

  const onType = debounce(() => list.reload(), 200);
  search.addEventListener('input', onType);
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') { ev.preventDefault(); onType.cancel(); list.reload(); }
  });
  unitSel.addEventListener('change', () => list.reload());
  if (addBtn) addBtn.addEventListener('click', () => edit(null));
  if (ctx.params.get('q')) search.value = ctx.params.get('q');
  if (ctx.params.get('unit_id')) await unitsReady;

  await list.load();
  return () => onType.cancel();
}
