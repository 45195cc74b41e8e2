// Tài khoản (admin): GET /accounts, create (POST /accounts), change role / unit / password and
// lock or unlock (PATCH /accounts/:id with version).
import { get, post, patch, loadUnits } from '../api.js';
import { h, fmtInstant, roleLabel, ROLES, ROLE_LABELS, debounce } from '../util.js';
import { formDialog, confirmDialog, notify, errorBox, dataTable, unitOptions } from '../ui.js';
import { listView } from '../listview.js';

const LIMIT = 50;
const bytes = (s) => new TextEncoder().encode(s).length;

export default async function render(root, ctx) {
  const search = h('input', { id: 'account-q', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Tên đăng nhập' });
  const addBtn = h('button', { type: 'button', class: 'btn btn-primary' }, '+ Thêm tài khoản');
  const status = h('div', { class: 'list-status' });
  const table = dataTable({
    caption: 'Danh sách tài khoản',
    columns: [
      { label: 'Tên đăng nhập' },
      { label: 'Vai trò' },
      { label: 'Đơn vị' },
      { label: 'Trạng thái' },
      { label: 'Ngày tạo', class: 'col-date' },
      { label: 'Thao tác', class: 'col-actions' },
    ],
  });
  const list = listView({
    signal: ctx.signal,
    limit: LIMIT,
    busy: table.el,
    status,
    path: (offset, limit) => {
      const params = new URLSearchParams({ limit: String(limit), offset: String(offset) });
      const q = search.value.trim();
      if (q) params.set('q', q);
      return `/accounts?${params}`;
    },
    render: (items) => table.setRows(items.map(row), 'Không có tài khoản nào.'),
  });
  root.append(
    h('div', { class: 'toolbar' },
      h('div', { class: 'field field-inline grow' }, h('label', { for: 'account-q' }, 'Tìm kiếm'), search),
      h('div', { class: 'toolbar-buttons' }, addBtn)),
    status, table.el, list.pager.el);

  let units = { flat: [], byId: new Map(), roots: [] };
  try { units = await loadUnits(); } catch (e) { status.replaceChildren(errorBox(e.message)); }

  const unitName = (id) => (units.byId.get(id) || {}).name || (id ? `#${id}` : '—');
  const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

  function row(a) {
    const self = a.id === ctx.me.id;
    return h('tr', { 'data-id': a.id, class: a.disabled ? 'row-disabled' : null },
      h('td', { class: 'col-name' }, a.username, self ? h('span', { class: 'muted' }, ' (bạn)') : null),
      h('td', null, roleLabel(a.role)),
      h('td', null, a.unit_name || unitName(a.unit_id)),
      h('td', null, a.disabled
        ? h('span', { class: 'badge badge-off' }, 'Đã khóa')
        : h('span', { class: 'badge badge-on' }, 'Đang hoạt động')),
      h('td', { class: 'col-date' }, fmtInstant(a.created_at).slice(0, 10)),
      h('td', { class: 'col-actions' },
        h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Sửa tài khoản ${a.username}`, onclick: () => edit(a) }, 'Sửa'),
        h('button', {
          type: 'button', class: a.disabled ? 'btn btn-small' : 'btn btn-small btn-danger-outline',
          'aria-label': `${a.disabled ? 'Mở khóa' : 'Khóa'} tài khoản ${a.username}`,
          onclick: () => toggle(a),
        }, a.disabled ? 'Mở khóa' : 'Khóa')));
  }

  async function toggle(a) {
    const lock = !a.disabled;
    if (lock) {
      const ok = await confirmDialog({
        title: 'Khóa tài khoản',
        message: `Khóa tài khoản ${a.username}? Người dùng sẽ không đăng nhập được cho đến khi được mở khóa.`,
        confirmLabel: 'Khóa', danger: true,
      });
      if (!ok) return;
    }
    try {
      await patch(`/accounts/${a.id}`, { version: a.version, disabled: lock });
      notify(lock ? `Đã khóa tài khoản ${a.username}.` : `Đã mở khóa tài khoản ${a.username}.`);
    } catch (e) {
      notify(e.message, 'error');
    }
    list.load();
  }

  function create() {
    formDialog({
      title: 'Thêm tài khoản',
      submitLabel: 'Tạo tài khoản',
      fields: [
        { name: 'username', label: 'Tên đăng nhập', required: true, maxlength: 64, hint: '3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới, gạch ngang.' },
        { name: 'password', label: 'Mật khẩu', type: 'password', required: true, autocomplete: 'new-password', hint: 'Từ 10 ký tự trở lên.' },
        { name: 'role', label: 'Vai trò', type: 'select', required: true, value: 'officer', options: roleOptions },
        { name: 'unit_id', label: 'Đơn vị', type: 'select', required: true, value: '', options: unitOptions(units, { emptyLabel: '— Chọn đơn vị —' }) },
      ],
      onSubmit: async (v, dlg) => {
        if (bytes(v.password) < 10) { dlg.setFieldError('password', 'Mật khẩu phải có từ 10 ký tự trở lên.'); return false; }
        const a = await post('/accounts', { username: v.username, password: v.password, role: v.role, unit_id: Number(v.unit_id) });
        notify(`Đã tạo tài khoản ${a?.username || v.username}.`);
        list.load();
        return true;
      },
    });
  }

  async function edit(a) {
    let current = a;
    try { current = await get(`/accounts/${a.id}`); } catch (e) { notify(e.message, 'error'); return; }
    formDialog({
      title: `Sửa tài khoản ${current.username}`,
      submitLabel: 'Lưu',
      fields: [
        { name: 'role', label: 'Vai trò', type: 'select', required: true, value: current.role, options: roleOptions },
        { name: 'unit_id', label: 'Đơn vị', type: 'select', required: true, value: current.unit_id, options: unitOptions(units) },
        { name: 'password', label: 'Mật khẩu mới', type: 'password', autocomplete: 'new-password', hint: 'Để trống nếu không đổi. Từ 10 ký tự trở lên.' },
      ],
      onSubmit: async (v, dlg) => {
        const body = { version: current.version };
        if (v.role !== current.role) body.role = v.role;
        if (Number(v.unit_id) !== current.unit_id) body.unit_id = Number(v.unit_id);
        if (v.password) {
          if (bytes(v.password) < 10) { dlg.setFieldError('password', 'Mật khẩu phải có từ 10 ký tự trở lên.'); return false; }
          body.password = v.password;
        }
        if (Object.keys(body).length === 1) return true;
        await patch(`/accounts/${current.id}`, body);
        notify(`Đã lưu tài khoản ${current.username}.`);
        list.load();
        return true;
      },
    });
  }

  const onType = debounce(() => list.reload(), 200);
  search.addEventListener('input', onType);
  addBtn.addEventListener('click', create);
  await list.load();
  return () => onType.cancel();
}
