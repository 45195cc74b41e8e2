// Thủ tục hành chính (#/procedures): the catalog (GET /procedures) with search (accent-
// insensitive on the server), field and level filters and paging; #/procedures/:id the
// procedure with its components and steps; #/procedures/new and #/procedures/:id/edit the form
// (admin, leader, supervisor, unit head); import of a .json or .csv file (POST
// /procedures/import with its Content-Type) and the exports (GET /procedures/export?format=).
import { get, post, patch, api, upload, loadUnits } from '../api.js';
import { h, setChildren, fmtNumber, fmtInstant, debounce, clean, nextId } from '../util.js';
import { errorBox, dataTable, notify } from '../ui.js';
import { listView } from '../listview.js';
import { facts } from './tasks-common.js';
import { LEVELS, DAY_KINDS, limitText, fmtDays } from './onestop-common.js';

const LIMIT = 50;

export default async function render(root, ctx) {
  const [, a, b] = ctx.parts;
  if (a === 'new') return editPage(root, ctx, null);
  if (a && b === 'edit') return editPage(root, ctx, Number(a));
  if (a) return showPage(root, ctx, Number(a));
  return listPage(root, ctx);
}

// ---------- the list ----------

async function listPage(root, ctx) {
  ctx.setTitle('Thủ tục hành chính');
  const p = ctx.params;
  const canEdit = ctx.allows('PATCH /api/v1/procedures/:id');
  const q = h('input', { id: 'pc-q', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Tên hoặc mã thủ tục, ví dụ: khai sinh' });
  const fieldSel = h('select', { id: 'pc-field' }, h('option', { value: '' }, 'Tất cả lĩnh vực'));
  const levelSel = h('select', { id: 'pc-level' }, h('option', { value: '' }, 'Tất cả các cấp'),
    Object.entries(LEVELS).map(([v, l]) => h('option', { value: v }, l)));
  q.value = p.get('q') || '';
  levelSel.value = p.get('level') || '';

  const fileInput = h('input', { type: 'file', id: 'pc-import-file', accept: '.json,.csv,application/json,text/csv', class: 'sr-only', tabindex: '-1' });
  const importBtn = canEdit ? h('button', { type: 'button', class: 'btn btn-small' }, 'Nhập từ tệp JSON/CSV') : null;
  const buttons = h('div', { class: 'toolbar-buttons' },
    h('a', { class: 'btn btn-small', href: '/api/v1/procedures/export?format=json', download: '' }, 'Xuất JSON'),
    h('a', { class: 'btn btn-small', href: '/api/v1/procedures/export?format=csv', download: '' }, 'Xuất CSV'),
    importBtn, canEdit ? fileInput : null,
    canEdit ? h('a', { class: 'btn btn-primary', href: '#/procedures/new' }, '+ Thêm thủ tục') : null);
  const filters = h('div', { class: 'toolbar' },
    h('div', { class: 'field field-inline grow' }, h('label', { for: 'pc-q' }, 'Tìm thủ tục'), q),
    h('div', { class: 'field field-inline' }, h('label', { for: 'pc-field' }, 'Lĩnh vực'), fieldSel),
    h('div', { class: 'field field-inline' }, h('label', { for: 'pc-level' }, 'Cấp thực hiện'), levelSel),
    buttons);
  const statusBox = h('div', { class: 'list-status', 'aria-live': 'polite' });
  const summary = h('p', { class: 'count', 'aria-live': 'polite' });
  const table = dataTable({
    caption: 'Danh mục thủ tục hành chính',
    columns: [
      { label: 'Mã' }, { label: 'Tên thủ tục' }, { label: 'Lĩnh vực' }, { label: 'Cấp' },
      { label: 'Đơn vị thực hiện' }, { label: 'Thời hạn' }, { label: 'Công khai', class: 'col-status' },
    ],
    className: 'procedures-table',
  });
  const list = listView({
    signal: ctx.signal,
    limit: LIMIT,
    offset: Number(p.get('offset')) || 0,
    busy: table.el,
    onError: (e) => setChildren(statusBox, errorBox(e.message)),
    path: (off, limit) => {
      const u = filterParams();
      const shown = new URLSearchParams(u);
      if (off) shown.set('offset', String(off));
      history.replaceState(null, '', `#/procedures${shown.toString() ? `?${shown}` : ''}`);
      u.set('limit', String(limit));
      u.set('offset', String(off));
      return `/procedures?${u}`;
    },
    render: (items, r) => {
      table.setRows(items.map((x) => h('tr', { 'data-id': x.id },
        h('td', { class: 'col-code' }, x.code),
        h('td', { class: 'col-name' }, h('a', { href: `#/procedures/${x.id}`, class: 'procedure-link' }, x.name)),
        h('td', null, x.field),
        h('td', null, LEVELS[x.level] || x.level),
        h('td', null, x.unit_name),
        h('td', null, limitText(x)),
        h('td', { class: 'col-status' }, x.published ? h('span', { class: 'badge badge-on' }, 'Công khai') : h('span', { class: 'badge badge-off' }, 'Chưa công khai')))),
      [...filterParams().keys()].length ? 'Không có thủ tục nào phù hợp.' : 'Danh mục chưa có thủ tục nào.');
      summary.textContent = r.total_count ? `${fmtNumber(r.total_count)} thủ tục` : '';
      setChildren(statusBox, ...statusBox.querySelectorAll('.alert-info'));
    },
  });
  root.append(filters, statusBox, summary, table.el, list.pager.el);

  await get('/procedures/fields', { signal: ctx.signal }).then((r) => {
    for (const f of r.items || []) fieldSel.appendChild(h('option', { value: f.field }, `${f.field} (${fmtNumber(f.count)})`));
    fieldSel.value = p.get('field') || '';
  }).catch(() => {});


  function filterParams() {
    const u = new URLSearchParams();
    const text = q.value.normalize('NFC').trim();
    if (text) u.set('q', text);
    if (fieldSel.value) u.set('field', fieldSel.value);
    if (levelSel.value) u.set('level', levelSel.value);
    return u;
  }


  if (importBtn) {
    importBtn.addEventListener('click', () => fileInput.click());
    fileInput.addEventListener('change', async () => {
      const file = fileInput.files && fileInput.files[0];
      fileInput.value = '';
      if (!file) return;
      const isCsv = /\.csv$/i.test(file.name) || file.type === 'text/csv';
      const isJson = /\.json$/i.test(file.name) || file.type === 'application/json';
      if (!isCsv && !isJson) { setChildren(statusBox, errorBox('Chỉ nhập được tệp .json hoặc .csv.')); return; }
      try {
        const r = await api('POST', '/procedures/import', undefined, { raw: file, type: isCsv ? 'text/csv; charset=utf-8' : 'application/json' });
        setChildren(statusBox, h('div', { class: 'alert alert-info', role: 'status' },
          `Đã nhập tệp ${file.name}: thêm mới ${fmtNumber(r.created)}, cập nhật ${fmtNumber(r.updated)} thủ tục.`));
        await list.reload();
      } catch (e) {
        setChildren(statusBox, errorBox(`Không nhập được tệp ${file.name}: ${e.message}${e.field ? ` (${e.field})` : ''}`));
      }
    });
  }

  const onType = debounce(() => { list.reload(); }, 250);
  q.addEventListener('input', onType);
  q.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); onType.cancel(); list.reload(); } });
  for (const el of [fieldSel, levelSel]) el.addEventListener('change', () => { list.reload(); });
  await list.load();
  return () => onType.cancel();
}

// ---------- one procedure ----------

async function showPage(root, ctx, id) {
  if (!Number.isInteger(id) || id <= 0) {
    setChildren(root, errorBox('Mã thủ tục trong địa chỉ không hợp lệ.'));
    return undefined;
  }
  const p = await get(`/procedures/${id}`, { signal: ctx.signal });
  ctx.setTitle(p.name);
  const actions = [];
  if (ctx.allows('PATCH /api/v1/procedures/:id')) actions.push(h('a', { class: 'btn btn-primary', href: `#/procedures/${id}/edit` }, 'Sửa thủ tục'));
  if (ctx.allows('POST /api/v1/dossiers')) actions.push(h('a', { class: 'btn', href: `#/desk?thu_tuc=${id}` }, 'Tiếp nhận hồ sơ thủ tục này'));
  if (p.published) actions.push(h('a', { class: 'btn', href: `public.html#/thu-tuc/${id}`, target: '_blank', rel: 'noopener' }, 'Trang công khai'));
  root.append(
    h('nav', { class: 'breadcrumb', 'aria-label': 'Vị trí' }, h('ol', null,
      h('li', null, h('a', { href: '#/procedures' }, 'Thủ tục hành chính')),
      h('li', { 'aria-current': 'page' }, p.code || p.name))),
    actions.length ? h('div', { class: 'task-actions' }, actions) : null,
    procedureDetail(p, {
      staff: true,
      // editors attach each component's form file (mẫu đơn, tờ khai); the page reloads with it
      onUpload: ctx.allows('PATCH /api/v1/procedures/:id') ? async (i, file) => {
        await upload(`/procedures/${id}/form?component=${i + 1}&filename=${encodeURIComponent(file.name)}`, file);
        notify(`Đã tải lên tệp mẫu «${file.name}».`);
        ctx.reload?.() ?? window.dispatchEvent(new HashChangeEvent('hashchange'));
      } : null,
    }));
  return undefined;
}

/** A component's form: its name, a link to download the file if one was uploaded, and for
 * editors a control to upload one. */
function formCell(p, c, i, staff, onUpload) {
  const parts = [];
  if (c.form) parts.push(h('span', null, c.form));
  if (c.form_file) {
    const base = staff ? `/api/v1/procedures/${p.id}/form` : `/api/v1/public/procedures/${p.id}/form`;
    parts.push(h('a', { class: 'form-file', href: `${base}?component=${i + 1}`, download: c.form_file.filename },
      `Tải mẫu: ${c.form_file.filename}`));
  }
  if (onUpload) {
    const input = h('input', { type: 'file', hidden: true, 'aria-label': `Tệp mẫu của ${c.name}` });
    const err = h('span', { class: 'field-error', role: 'alert' });
    input.addEventListener('change', async () => {
      const file = input.files[0];
      if (!file) return;
      err.textContent = '';
      try { await onUpload(i, file); } catch (e) { err.textContent = e.message || 'Không tải lên được tệp.'; }
    });
    const btn = h('button', { type: 'button', class: 'btn btn-small' }, c.form_file ? 'Thay tệp mẫu' : 'Tải lên tệp mẫu');
    btn.addEventListener('click', () => input.click());
    parts.push(h('span', { class: 'form-upload' }, btn, input, err));
  }
  return parts.length ? h('span', { class: 'form-cell' }, parts) : '';
}

/** The body of a procedure page (also used by the public page). */
export function procedureDetail(p, { staff = false, onUpload = null } = {}) {
  const comps = p.components || [];
  const steps = p.steps || [];
  const compTable = dataTable({
    caption: 'Thành phần hồ sơ',
    columns: [{ label: 'STT', class: 'col-num' }, { label: 'Tên giấy tờ' }, { label: 'Bản chính', class: 'col-num' }, { label: 'Bản sao', class: 'col-num' }, { label: 'Mẫu đơn, tờ khai' }],
    className: 'components-table',
  });
  compTable.setRows(comps.map((c, i) => h('tr', null,
    h('td', { class: 'col-num' }, fmtNumber(i + 1)), h('td', null, c.name),
    h('td', { class: 'col-num' }, fmtNumber(c.originals ?? 0)), h('td', { class: 'col-num' }, fmtNumber(c.copies ?? 0)),
    h('td', null, formCell(p, c, i, staff, onUpload)))), 'Chưa khai báo thành phần hồ sơ.');
  const stepTable = dataTable({
    caption: 'Quy trình giải quyết',
    columns: [{ label: 'Bước', class: 'col-num' }, { label: 'Nội dung' }, { label: 'Đơn vị thực hiện' }, { label: 'Thời gian (ngày làm việc)', class: 'col-num' }],
    className: 'proc-steps-table',
  });
  stepTable.setRows(steps.map((s, i) => h('tr', null,
    h('td', { class: 'col-num' }, fmtNumber(i + 1)), h('td', null, s.name), h('td', null, s.unit_name || ''),
    h('td', { class: 'col-num' }, fmtDays(s.days)))), 'Chưa khai báo quy trình.');
  return h('div', { class: 'procedure-detail' },
    h('section', { class: 'panel', 'aria-labelledby': 'pd-info-h' },
      h('h2', { id: 'pd-info-h', class: 'panel-title' }, 'Thông tin thủ tục'),
      facts([
        ['Mã thủ tục', p.code],
        ['Tên thủ tục', p.name],
        ['Lĩnh vực', p.field],
        ['Cấp thực hiện', LEVELS[p.level] || p.level],
        ['Cơ quan thực hiện', p.unit_name],
        ['Thời hạn giải quyết', limitText(p)],
        ['Phí, lệ phí', p.fee || 'Không'],
        ['Kết quả', p.result],
        ['Yêu cầu, điều kiện', p.requirements],
        ['Căn cứ pháp lý', p.legal_basis],
        staff ? ['Trạng thái', p.published ? 'Đã công khai' : 'Chưa công khai'] : null,
        staff ? ['Nguồn', p.source] : null,
        staff && p.updated_at ? ['Cập nhật lần cuối', fmtInstant(p.updated_at)] : null,
      ].filter(Boolean), 'procedure-facts')),
    h('section', { class: 'panel', 'aria-labelledby': 'pd-comp-h' }, h('h2', { id: 'pd-comp-h', class: 'panel-title' }, 'Thành phần hồ sơ'), compTable.el),
    h('section', { class: 'panel', 'aria-labelledby': 'pd-steps-h' }, h('h2', { id: 'pd-steps-h', class: 'panel-title' }, 'Quy trình giải quyết'), stepTable.el));
}

// ---------- the form ----------

async function editPage(root, ctx, id) {
  if (!ctx.allows('PATCH /api/v1/procedures/:id')) {
    setChildren(root, errorBox('Bạn không có quyền sửa danh mục thủ tục.'));
    return undefined;
  }
  const [units, cur, fields] = await Promise.all([
    loadUnits(),
    id ? get(`/procedures/${id}`, { signal: ctx.signal }) : Promise.resolve(null),
    get('/procedures/fields', { signal: ctx.signal }).catch(() => ({ items: [] })),
  ]);
  ctx.setTitle(cur ? `Sửa thủ tục: ${cur.name}` : 'Thêm thủ tục hành chính');
  const ctls = new Map();
  const unitOpts = () => units.flat.map(({ unit, depth }) => h('option', { value: String(unit.id) }, `${'\u2003'.repeat(depth)}${unit.name}`));

  function row(name, label, input, { required = false, hint = null } = {}) {
    input.id = input.id || nextId(`pf-${name}`);
    const err = h('p', { class: 'field-error', id: `${input.id}-err`, hidden: true });
    const hintEl = hint ? h('p', { class: 'hint', id: `${input.id}-hint` }, hint) : null;
    input.setAttribute('aria-describedby', [hintEl ? hintEl.id : null, err.id].filter(Boolean).join(' '));
    if (required) input.setAttribute('aria-required', 'true');
    ctls.set(name, { input, err });
    return h('div', { class: 'field', 'data-field': name },
      h('label', { for: input.id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), input, hintEl, err);
  }
  const code = h('input', { type: 'text', maxlength: '64', autocomplete: 'off', spellcheck: 'false' });
  const name = h('input', { type: 'text', maxlength: '1000', autocomplete: 'off' });
  const fieldList = h('datalist', { id: nextId('pf-fields') }, (fields.items || []).map((f) => h('option', { value: f.field })));
  const field = h('input', { type: 'text', autocomplete: 'off', list: fieldList.id });
  const level = h('select', null, Object.entries(LEVELS).map(([v, l]) => h('option', { value: v }, l)));
  const unit = h('select', null, h('option', { value: '' }, '— Chọn đơn vị —'), unitOpts());
  const kind = h('select', null, Object.entries(DAY_KINDS).map(([v, l]) => h('option', { value: v }, l.charAt(0).toUpperCase() + l.slice(1))));
  const amount = h('input', { type: 'number', min: '0', max: '2000', step: '1', inputmode: 'numeric' });
  const cutoff = h('input', { type: 'number', min: '0', max: '23', step: '1', inputmode: 'numeric', placeholder: 'Không áp dụng' });
  const fee = h('input', { type: 'text', autocomplete: 'off' });
  const requirements = h('textarea', { rows: '3' });
  const result = h('textarea', { rows: '2' });
  const legal = h('textarea', { rows: '3' });
  const published = h('input', { type: 'checkbox', id: nextId('pf-pub') });

  if (cur) {
    code.value = cur.code || '';
    name.value = cur.name || '';
    field.value = cur.field || '';
    level.value = cur.level || 'district';
    unit.value = String(cur.unit_id || '');
    kind.value = cur.day_kind || 'working';
    amount.value = String(cur.day_kind === 'hours' ? cur.processing_hours ?? '' : cur.processing_days ?? '');
    cutoff.value = cur.cutoff_hour === null || cur.cutoff_hour === undefined ? '' : String(cur.cutoff_hour);
    fee.value = cur.fee || '';
    requirements.value = cur.requirements || '';
    result.value = cur.result || '';
    legal.value = cur.legal_basis || '';
    published.checked = !!cur.published;
  } else {
    level.value = 'district';
    kind.value = 'working';
    published.checked = true;
    if (ctx.me.unit_id) unit.value = String(ctx.me.unit_id);
  }

  // --- components editor ---
  const compRows = h('ol', { class: 'editor-rows', 'aria-label': 'Danh sách giấy tờ' });
  const compErr = h('p', { class: 'field-error', hidden: true, id: nextId('pf-comp-err') });
  ctls.set('components', { input: compRows, err: compErr });
  function addComponent(c = {}) {
    const n = h('input', { type: 'text', 'aria-label': 'Tên giấy tờ', class: 'ed-name', value: c.name || '' });
    const o = h('input', { type: 'number', min: '0', max: '100', 'aria-label': 'Số bản chính', class: 'ed-num', value: String(c.originals ?? 1) });
    const cp = h('input', { type: 'number', min: '0', max: '100', 'aria-label': 'Số bản sao', class: 'ed-num', value: String(c.copies ?? 0) });
    const f = h('input', { type: 'text', 'aria-label': 'Mẫu đơn, tờ khai', class: 'ed-form', value: c.form || '', placeholder: 'Mẫu (nếu có)' });
    const li = h('li', { class: 'editor-row comp-row' }, n,
      h('label', { class: 'ed-inline' }, 'Bản chính ', o), h('label', { class: 'ed-inline' }, 'Bản sao ', cp), f,
      h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': 'Xóa giấy tờ', onclick: () => { li.remove(); } }, 'Xóa'));
    li.read = () => ({ name: clean(n.value), originals: Number(o.value) || 0, copies: Number(cp.value) || 0, form: clean(f.value) || null });
    compRows.appendChild(li);
    return n;
  }
  (cur ? cur.components || [] : []).forEach((c) => addComponent(c));

  // --- steps editor ---
  const stepRows = h('ol', { class: 'editor-rows', 'aria-label': 'Các bước xử lý' });
  const stepErr = h('p', { class: 'field-error', hidden: true, id: nextId('pf-step-err') });
  const stepSum = h('p', { class: 'hint', 'aria-live': 'polite' });
  ctls.set('steps', { input: stepRows, err: stepErr });
  function sumSteps() {
    const total = [...stepRows.children].reduce((s, li) => s + (Number(li.read().days) || 0), 0);
    stepSum.textContent = `Tổng thời gian các bước: ${fmtDays(total)} ngày làm việc.`;
  }
  function addStep(s = {}) {
    const n = h('input', { type: 'text', 'aria-label': 'Tên bước', class: 'ed-name', value: s.name || '' });
    const u = h('select', { 'aria-label': 'Đơn vị thực hiện bước', class: 'ed-unit' }, h('option', { value: '' }, '— Đơn vị —'), unitOpts());
    u.value = s.unit_id ? String(s.unit_id) : '';
    const d = h('input', { type: 'number', min: '0', step: '0.5', 'aria-label': 'Số ngày làm việc (theo nửa ngày)', class: 'ed-num', value: s.days === undefined ? '0.5' : String(s.days) });
    d.addEventListener('input', sumSteps);
    const li = h('li', { class: 'editor-row step-row' }, n, u, h('label', { class: 'ed-inline' }, 'Số ngày ', d),
      h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': 'Xóa bước', onclick: () => { li.remove(); sumSteps(); } }, 'Xóa'));
    li.read = () => ({ name: clean(n.value), unit_id: u.value ? Number(u.value) : null, days: Math.round(Number(String(d.value).replace(',', '.')) * 2) / 2 });
    stepRows.appendChild(li);
    sumSteps();
    return n;
  }
  (cur ? cur.steps || [] : []).forEach((s) => addStep(s));
  sumSteps();

  const formError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, cur ? 'Lưu thay đổi' : 'Thêm thủ tục');
  const form = h('form', { class: 'form procedure-form', novalidate: true },
    h('div', { class: 'form-grid' },
      row('code', 'Mã thủ tục', code, { required: true }),
      row('name', 'Tên thủ tục', name, { required: true }),
      row('field', 'Lĩnh vực', field),
      row('level', 'Cấp thực hiện', level),
      row('unit_id', 'Cơ quan thực hiện', unit, { required: true }),
      row('day_kind', 'Loại thời hạn', kind),
      row('processing_days', 'Thời hạn giải quyết (số ngày hoặc số giờ)', amount, { required: true, hint: '0 ngày: giải quyết trong ngày.' }),
      row('cutoff_hour', 'Giờ tiếp nhận cuối ngày', cutoff, { hint: 'Ví dụ 15: nhận sau 15 giờ tính từ ngày làm việc tiếp theo. Để trống nếu không áp dụng.' }),
      row('fee', 'Phí, lệ phí', fee)),
    h('fieldset', { class: 'field editor' }, h('legend', null, 'Thành phần hồ sơ'), compRows, compErr,
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => addComponent().focus() }, '+ Thêm giấy tờ')),
    h('fieldset', { class: 'field editor' }, h('legend', null, 'Quy trình (các bước, đơn vị, số ngày làm việc theo nửa ngày)'), stepRows, stepSum, stepErr,
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => addStep().focus() }, '+ Thêm bước')),
    row('requirements', 'Yêu cầu, điều kiện', requirements),
    row('result', 'Kết quả thực hiện', result),
    row('legal_basis', 'Căn cứ pháp lý', legal),
    h('div', { class: 'field field-check' }, published, h('label', { for: published.id }, 'Công khai trên trang tra cứu cho công dân')),
    formError,
    h('div', { class: 'form-actions form-actions-left' }, submit, h('a', { class: 'btn', href: cur ? `#/procedures/${id}` : '#/procedures' }, 'Hủy')));
  root.append(fieldList, form);
  code.focus();

  function clearErrors() {
    formError.hidden = true;
    for (const { input, err } of ctls.values()) { err.hidden = true; err.textContent = ''; input.removeAttribute('aria-invalid'); }
  }
  function setError(apiField, message) {
    let key = apiField || '';
    const m = /^(components|steps)\[(\d+)\]/.exec(key);
    if (m) key = m[1];
    if (key === 'processing_hours') key = 'processing_days';
    if (key === 'unit_code') key = 'unit_id';
    const c = ctls.get(key);
    if (!c) { formError.textContent = message; formError.hidden = false; formError.scrollIntoView({ block: 'nearest' }); return; }
    c.err.textContent = m ? `${m[1] === 'steps' ? 'Bước' : 'Giấy tờ'} thứ ${Number(m[2]) + 1}: ${message}` : message;
    c.err.hidden = false;
    c.input.setAttribute('aria-invalid', 'true');
    const target = m ? c.input.children[Number(m[2])]?.querySelector('input, select') : c.input;
    (target || c.input).focus?.();
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    if (!clean(code.value)) return setError('code', 'Vui lòng nhập mã thủ tục.');
    if (!clean(name.value)) return setError('name', 'Vui lòng nhập tên thủ tục.');
    if (!unit.value) return setError('unit_id', 'Vui lòng chọn cơ quan thực hiện.');
    if (amount.value.trim() === '' || !Number.isInteger(Number(amount.value))) return setError('processing_days', 'Vui lòng nhập thời hạn là số nguyên.');
    if (cutoff.value.trim() !== '' && !(Number.isInteger(Number(cutoff.value)) && Number(cutoff.value) >= 0 && Number(cutoff.value) <= 23)) {
      return setError('cutoff_hour', 'Giờ tiếp nhận cuối ngày phải là số giờ từ 0 đến 23.');
    }
    const body = {
      code: clean(code.value), name: clean(name.value), field: clean(field.value), level: level.value,
      unit_id: Number(unit.value), day_kind: kind.value,
      cutoff_hour: cutoff.value.trim() === '' ? null : Number(cutoff.value),
      fee: clean(fee.value), requirements: clean(requirements.value), result: clean(result.value),
      legal_basis: clean(legal.value), published: published.checked,
      components: [...compRows.children].map((li) => li.read()).filter((c) => c.name),
      steps: [...stepRows.children].map((li) => li.read()).filter((s) => s.name),
    };
    if (kind.value === 'hours') body.processing_hours = Number(amount.value);
    else body.processing_days = Number(amount.value);
    if (cur) body.version = cur.version;
    submit.disabled = true;
    try {
      const r = cur ? await patch(`/procedures/${id}`, body) : await post('/procedures', body);
      notify(cur ? 'Đã lưu thủ tục.' : 'Đã thêm thủ tục.');
      location.hash = `#/procedures/${r.id}`;
    } catch (e) {
      if (e.status === 409 && cur) setError(null, `${e.message} Vui lòng tải lại trang rồi sửa lại.`);
      else setError(e.field, e.message);
    } finally {
      submit.disabled = false;
    }
    return undefined;
  });
  return undefined;
}
