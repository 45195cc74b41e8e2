// Nhật ký (supervisor, admin): GET /audit?entity=&entity_id=&limit=&offset=, newest first;
// before/after shown as a compact diff of the members that changed.
import { get } from '../api.js';
import { h, fmtInstant, fmtNumber, debounce, ROLE_LABELS, KIND_LABELS } from '../util.js';
import { dataTable } from '../ui.js';
import { listView } from '../listview.js';

const LIMIT = 50;

const ENTITY_LABELS = {
  unit: 'Đơn vị',
  official: 'Cán bộ',
  account: 'Tài khoản',
  session: 'Phiên đăng nhập',
  token: 'Mã truy cập',
  api_token: 'Mã truy cập',
};

const ACTION_LABELS = {
  create: 'Tạo mới',
  insert: 'Tạo mới',
  update: 'Cập nhật',
  delete: 'Xóa',
  move: 'Chuyển đơn vị cấp trên',
  login: 'Đăng nhập',
  logout: 'Đăng xuất',
  login_failed: 'Đăng nhập sai',
  disable: 'Khóa',
  enable: 'Mở khóa',
};

// The member that names a record, for the one-line form of a creation or a deletion.
const SUMMARY_KEYS = ['full_name', 'name', 'username', 'title', 'code'];

// Members that change on every write and say nothing by themselves.
const NOISE = new Set(['version', 'updated_at', 'created_at', 'id']);

function label(map, key) {
  if (!key) return '';
  if (map[key]) return map[key];
  const base = String(key).split('.').pop();
  return map[base] || key;
}

function parseMaybe(v) {
  if (typeof v !== 'string') return v;
  try { return JSON.parse(v); } catch { return v; }
}

function show(v, key) {
  if (v === null || v === undefined) return '∅';
  if (key === 'role' && ROLE_LABELS[v]) return ROLE_LABELS[v];
  if (key === 'kind' && KIND_LABELS[v]) return KIND_LABELS[v];
  if (typeof v === 'string') {
    const s = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v.slice(8, 10)}/${v.slice(5, 7)}/${v.slice(0, 4)}` : v;
    return s.length > 80 ? `${s.slice(0, 79)}…` : s;
  }
  if (typeof v === 'number') return fmtNumber(v);
  if (typeof v === 'boolean') return v ? 'có' : 'không';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

/** A compact diff of two JSON values (objects usually). */
export function diff(before, after) {
  before = parseMaybe(before);
  after = parseMaybe(after);
  const isObj = (x) => x && typeof x === 'object' && !Array.isArray(x);
  const list = h('ul', { class: 'diff' });
  if (!isObj(before) && !isObj(after)) {
    if (before === null || before === undefined) {
      if (after === null || after === undefined) return h('span', { class: 'muted' }, '—');
      list.appendChild(h('li', null, h('ins', null, show(after))));
    } else {
      list.appendChild(h('li', null, h('del', null, show(before)), ' → ', h('ins', null, show(after))));
    }
    return list;
  }
  const b = isObj(before) ? before : null;
  const a = isObj(after) ? after : null;
  const keys = [...new Set([...Object.keys(b || {}), ...Object.keys(a || {})])];
  let n = 0;
  for (const k of keys) {
    const bv = b ? b[k] : undefined;
    const av = a ? a[k] : undefined;
    if (JSON.stringify(bv) === JSON.stringify(av)) continue;
    if (NOISE.has(k)) continue;
    if (!b && (av === null || av === '')) continue;
    n += 1;
    let body;
    if (!b) body = [h('span', { class: 'diff-op', 'aria-label': 'thêm' }, '+'), ' ', h('ins', null, show(av, k))];
    else if (!a) body = [h('span', { class: 'diff-op', 'aria-label': 'bỏ' }, '−'), ' ', h('del', null, show(bv, k))];
    else body = [h('del', null, show(bv, k)), h('span', { class: 'diff-arrow', 'aria-label': 'thành' }, ' → '), h('ins', null, show(av, k))];
    list.appendChild(h('li', null, h('code', { class: 'diff-key' }, k), ': ', ...body));
  }
  if (!n) return h('span', { class: 'muted' }, b && a ? 'Không thay đổi nội dung' : '—');
  const whole = b ? (a ? null : b) : a; // a creation or a deletion: one side only
  const key = whole && SUMMARY_KEYS.find((k) => typeof whole[k] === 'string' && whole[k]);
  if (key) {
    // One line naming the record; its members folded below.
    const head = h('div', { class: 'diff-summary' },
      h('span', { class: 'diff-op', 'aria-label': b ? 'bỏ' : 'thêm' }, b ? '−' : '+'), ' ',
      h(b ? 'del' : 'ins', null, show(whole[key])));
    return h('div', null, head, h('details', { class: 'diff-more' }, h('summary', null, `Chi tiết (${n} trường)`), list));
  }
  if (n > 4) {
    const items = [...list.children];
    const more = h('ul', { class: 'diff' }, items.slice(4));
    return h('div', null, list, h('details', { class: 'diff-more' }, h('summary', null, `Thêm ${n - 4} trường`), more));
  }
  return list;
}

export default async function render(root, ctx) {
  const entity = h('select', { id: 'audit-entity' },
    h('option', { value: '' }, 'Tất cả'),
    ...Object.entries({ unit: 'Đơn vị', official: 'Cán bộ', account: 'Tài khoản', session: 'Phiên đăng nhập', token: 'Mã truy cập' })
      .map(([v, l]) => h('option', { value: v }, l)));
  const entityId = h('input', { id: 'audit-entity-id', type: 'text', inputmode: 'numeric', pattern: '[0-9]*', autocomplete: 'off', class: 'input-short' });
  const status = h('div', { class: 'list-status' });
  const table = dataTable({
    caption: 'Nhật ký thay đổi',
    columns: [
      { label: 'Thời điểm', class: 'col-when' },
      { label: 'Người thực hiện' },
      { label: 'Hành động' },
      { label: 'Đối tượng' },
      { label: 'Thay đổi' },
    ],
    className: 'audit-table',
  });
  const list = listView({
    signal: ctx.signal,
    limit: LIMIT,
    busy: table.el,
    status,
    path: (offset, limit) => {
      const params = new URLSearchParams({ limit: String(limit), offset: String(offset) });
      if (entity.value) params.set('entity', entity.value);
      const id = entityId.value.trim();
      if (/^\d+$/.test(id)) params.set('entity_id', id);
      return `/audit?${params}`;
    },
    render: (items) => table.setRows(items.map(row), 'Chưa có bản ghi nào.'),
  });
  root.append(
    h('div', { class: 'toolbar' },
      h('div', { class: 'field field-inline' }, h('label', { for: 'audit-entity' }, 'Loại đối tượng'), entity),
      h('div', { class: 'field field-inline' }, h('label', { for: 'audit-entity-id' }, 'Mã số đối tượng'), entityId)),
    status, table.el, list.pager.el);


  function row(r) {
    return h('tr', { 'data-id': r.id },
      h('td', { class: 'col-when' }, fmtInstant(r.at)),
      h('td', null, !r.actor || r.actor === 'system' ? (r.actor_id ? `#${r.actor_id}` : 'Hệ thống') : r.actor),
      h('td', null, label(ACTION_LABELS, r.action)),
      h('td', null, label(ENTITY_LABELS, r.entity), r.entity_id ? h('span', { class: 'muted' }, ` #${r.entity_id}`) : null),
      h('td', { class: 'col-diff' }, diff(r.before, r.after)));
  }

  entity.addEventListener('change', () => list.reload());
  entityId.addEventListener('input', debounce(() => list.reload(), 300));
  await list.load();
}
