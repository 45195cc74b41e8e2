// Đơn vị: the unit tree (GET /units/tree), collapsible, with a filter box. An admin can add a
// unit (POST /units) and rename one (PATCH /units/:id with its version; 409 when stale).
import { get, post, patch, loadUnits, invalidateUnits } from '../api.js';
import { h, setChildren, fmtNumber, fold, kindLabel, KINDS, KIND_LABELS, debounce } from '../util.js';
import { formDialog, notify, errorBox, loading, unitOptions } from '../ui.js';

export default async function render(root, ctx) {
  const isAdmin = ctx.allows('POST /api/v1/units');
  const filter = h('input', { id: 'unit-filter', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Tên hoặc mã đơn vị' });
  const count = h('p', { class: 'count', id: 'unit-count', 'aria-live': 'polite' });
  const treeBox = h('div', { class: 'tree-box' }, loading());
  const expandAll = h('button', { type: 'button', class: 'btn' }, 'Mở rộng tất cả');
  const collapseAll = h('button', { type: 'button', class: 'btn' }, 'Thu gọn');
  const addBtn = isAdmin ? h('button', { type: 'button', class: 'btn btn-primary' }, '+ Thêm đơn vị') : null;

  root.append(
    h('div', { class: 'toolbar' },
      h('div', { class: 'field field-inline grow' }, h('label', { for: 'unit-filter' }, 'Lọc'), filter),
      h('div', { class: 'toolbar-buttons' }, expandAll, collapseAll, addBtn)),
    count,
    treeBox);

  let units = null;
  const expanded = new Set();

  async function load(force) {
    try {
      units = await loadUnits({ force });
    } catch (e) {
      setChildren(treeBox, errorBox(e.message));
      return;
    }
    if (expanded.size === 0) {
      // First view: the roots open, and the path down to the user's own unit.
      for (const r of units.roots) expanded.add(r.id);
      for (let u = units.byId.get(ctx.me.unit_id); u; u = units.byId.get(u.parent_id)) expanded.add(u.id);
    }
    draw();
  }

  function matches(u, q) {
    return fold(u.name).includes(q) || fold(u.code).toLowerCase().includes(q);
  }

  function draw() {
    const q = fold(filter.value);
    let shown = 0;
    // With a filter: keep the nodes that match or have a matching descendant, all expanded.
    const visible = new Map();
    const mark = (u) => {
      let any = q === '' || matches(u, q);
      const hit = any && q !== '';
      for (const c of u.children || []) if (mark(c)) any = true;
      visible.set(u.id, { show: any, hit });
      return any;
    };
    for (const r of units.roots) mark(r);

    const build = (nodes, level) => {
      const ul = h('ul', { class: level === 1 ? 'tree' : 'tree-group', 'aria-label': level === 1 ? 'Cây đơn vị' : null });
      for (const u of nodes) {
        const vis = visible.get(u.id);
        if (!vis.show) continue;
        shown += 1;
        const kids = (u.children || []).filter((c) => visible.get(c.id).show);
        const open = q !== '' ? true : expanded.has(u.id);
        const toggle = kids.length
          ? h('button', {
            type: 'button', class: 'tree-toggle', 'aria-expanded': open ? 'true' : 'false',
            'aria-label': `${open ? 'Thu gọn' : 'Mở rộng'} ${u.name}`,
            onclick: () => { if (expanded.has(u.id)) expanded.delete(u.id); else expanded.add(u.id); draw(); focusNode(u.id); },
          }, open ? '▾' : '▸')
          : h('span', { class: 'tree-toggle tree-leaf', 'aria-hidden': 'true' }, '•');
        const childCount = (u.children || []).length;
        const row = h('div', { class: `tree-row${vis.hit ? ' hit' : ''}` },
          toggle,
          h('span', { class: 'tree-name' }, u.name),
          h('span', { class: `badge kind-${u.kind}` }, kindLabel(u.kind)),
          h('span', { class: 'tree-code' }, u.code),
          childCount ? h('span', { class: 'tree-kids', title: 'Số đơn vị trực thuộc' }, `${fmtNumber(childCount)} đơn vị trực thuộc`) : null,
          isAdmin ? h('span', { class: 'tree-actions' },
            h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Đổi tên ${u.name}`, onclick: () => rename(u) }, 'Đổi tên'),
            h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Thêm đơn vị trực thuộc ${u.name}`, onclick: () => create(u) }, '+ Trực thuộc'))
            : null);
        const li = h('li', { class: 'tree-node', 'data-id': u.id, 'data-level': String(level) }, row);
        if (kids.length && open) li.appendChild(build(kids, level + 1));
        ul.appendChild(li);
      }
      return ul;
    };
    const tree = build(units.roots, 1);
    setChildren(treeBox, shown ? tree : h('p', { class: 'empty' }, 'Không có đơn vị nào khớp với bộ lọc.'));
    let matched = 0;
    if (q !== '') for (const v of visible.values()) if (v.hit) matched += 1;
    count.textContent = q === ''
      ? `Tổng số: ${fmtNumber(units.count)} đơn vị`
      : `Khớp ${fmtNumber(matched)} / ${fmtNumber(units.count)} đơn vị`;
    count.dataset.total = String(units.count);
  }

  function focusNode(id) {
    const btn = treeBox.querySelector(`li[data-id="${id}"] > .tree-row > button.tree-toggle`);
    if (btn) btn.focus();
  }

  function create(parent) {
    formDialog({
      title: parent ? `Thêm đơn vị trực thuộc ${parent.name}` : 'Thêm đơn vị',
      submitLabel: 'Tạo đơn vị',
      fields: [
        { name: 'name', label: 'Tên đơn vị', required: true, maxlength: 300 },
        { name: 'code', label: 'Mã đơn vị', required: true, maxlength: 64, hint: 'Ví dụ: HN-Q01-P01. Mã không được trùng.' },
        { name: 'kind', label: 'Loại đơn vị', type: 'select', required: true, value: parent ? childKind(parent.kind) : 'department', options: KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })) },
        { name: 'parent_id', label: 'Đơn vị cấp trên', type: 'select', required: true, value: parent ? parent.id : (units.roots[0] && units.roots[0].id), options: unitOptions(units) },
      ],
      onSubmit: async (v) => {
        const u = await post('/units', { code: v.code, name: v.name, kind: v.kind, parent_id: Number(v.parent_id) });
        notify(`Đã tạo đơn vị ${u?.name || v.name}.`);
        invalidateUnits();
        expanded.add(Number(v.parent_id));
        await load(true);
        return true;
      },
    });
  }

  function rename(u) {
    let current = u;
    const reload = h('button', { type: 'button', class: 'btn', hidden: true }, 'Tải lại bản mới nhất');
    const d = formDialog({
      title: `Đổi tên đơn vị`,
      intro: `Đơn vị: ${u.name} (${u.code})`,
      submitLabel: 'Lưu',
      extraButtons: [reload],
      fields: [{ name: 'name', label: 'Tên mới', required: true, maxlength: 300, value: u.name }],
      onSubmit: async (v) => {
        if (v.name === current.name) return true;
        try {
          const r = await patch(`/units/${u.id}`, { version: current.version, name: v.name });
          notify(`Đã đổi tên thành ${r?.name || v.name}.`);
        } catch (e) {
          if (e.status === 409) reload.hidden = false;
          throw e;
        }
        invalidateUnits();
        await load(true);
        return true;
      },
    });
    reload.addEventListener('click', async () => {
      try {
        current = await get(`/units/${u.id}`);
        d.clearErrors();
        d.setFormError(`Tên hiện tại: ${current.name}. Bấm Lưu để ghi đè bằng tên bạn nhập.`);
        reload.hidden = true;
        invalidateUnits();
        load(true);
      } catch (e) {
        d.setFormError(e.message);
      }
    });
  }

  filter.addEventListener('input', debounce(() => units && draw(), 120));
  expandAll.addEventListener('click', () => {
    if (!units) return;
    for (const { unit } of units.flat) if ((unit.children || []).length) expanded.add(unit.id);
    draw();
  });
  collapseAll.addEventListener('click', () => {
    if (!units) return;
    expanded.clear();
    draw();
  });
  if (addBtn) addBtn.addEventListener('click', () => create(null));

  await load(false);
}

/** The usual kind of a new unit under a parent of this kind. */
function childKind(kind) {
  switch (kind) {
    case 'city': return 'department';
    case 'district': return 'commune';
    case 'department': return 'division';
    default: return 'division';
  }
}
