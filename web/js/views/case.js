// The case page (#/cases/:id): GET /cases/:id — the head (title, kind, state by the kind's
// Vietnamese name, overdue / due-soon marks, the nearest deadline) with a button for each
// action the account may take now (the record's `actions`, from the kind's transitions), the
// declared fields, the assignment, the legal clocks with their deadlines (dd/mm/yyyy), the rule
// each comes from, pauses and extensions, and the history (who, when, what, the state before
// and after, which clocks it moved). An action posts POST /cases/:id/act with the version; a
// 409 asks to reload.
import { get, post, loadUnits } from '../api.js';
import { h, setChildren, fmtDate, fmtNumber } from '../util.js';
import { errorBox, notify, dataTable, showStale } from '../ui.js';
import { openForm, facts } from './tasks-common.js';
import {
  loadKinds, stateName, clockName, actionName, fieldText, unitChoices, caseBadges,
  CLOCK_STATES, CLOCK_RESULTS, RULE_UNITS, fmtDmyHm,
} from './cases-common.js';

/** What an event did to the clocks, in words ("data.clocks": {started: [codes], …}). */
const CLOCK_MOVES = [
  ['started', 'Bắt đầu tính'],
  ['paused', 'Tạm dừng'],
  ['resumed', 'Tiếp tục tính'],
  ['extended', 'Gia hạn'],
  ['ended', 'Kết thúc'],
];

export default async function render(root, ctx) {
  const id = Number(ctx.parts[1]);
  const back = () => h('p', null, h('a', { href: '#/cases' }, '‹ Về danh sách vụ việc'));
  if (!Number.isInteger(id) || id <= 0) {
    setChildren(root, errorBox('Mã vụ việc trong địa chỉ không hợp lệ.'), back());
    return undefined;
  }
  const [kinds, units] = await Promise.all([
    loadKinds().catch(() => ({ list: [], byCode: new Map() })),
    loadUnits().catch(() => ({ flat: [], byId: new Map() })),
  ]);
  const unitName = (uid) => units.byId.get(uid)?.name || `Đơn vị #${uid}`;
  let c = null;
  let seq = 0;
  const staleBox = h('div', { class: 'case-stale' });

  async function load({ focus = null } = {}) {
    const my = ++seq;
    root.setAttribute('aria-busy', 'true');
    try {
      const x = await get(`/cases/${id}`, { signal: ctx.signal });
      if (my !== seq) return;
      c = x;
      draw();
      if (focus) root.querySelector(focus)?.focus();
    } catch (e) {
      if (e.name === 'AbortError' || my !== seq) return;
      ctx.setTitle('Hồ sơ vụ việc');
      setChildren(root, errorBox(e.message), back());
    } finally {
      if (my === seq) root.removeAttribute('aria-busy');
    }
  }

  /** Posts an action with the version the page shows; a 409 closes the form and asks to reload. */
  async function act(body, okText) {
    try {
      await post(`/cases/${id}/act`, { ...body, version: c.version }, { signal: ctx.signal });
    } catch (e) {
      if (e && e.status === 409) {
        showStale(staleBox, e.message, 'Vụ việc', load);
        return true;
      }
      throw e;
    }
    setChildren(staleBox);
    notify(okText);
    await load({ focus: '.case-actions .btn' });
    return true;
  }

  /** The form of one action: its note (required when the kind says so), the document, and for
   * an assigning action the unit and the official. */
  async function actionForm(a) {
    const kind = kinds.byCode.get(c.kind);
    const t = kind && (kind.transitions || []).find((x) => x.action === a.action && (x.from || []).includes(c.state));
    const fields = [];
    if (a.assign) {
      const r = await get(`/officials?unit_id=${c.unit_id}&limit=500`, { signal: ctx.signal }).catch(() => ({ items: [] }));
      const officials = r.items || [];
      // the units the account may move it to, and the one handling it now (it may lie outside)
      const choices = unitChoices(ctx.me, units);
      if (!choices.some((o) => o.value === c.unit_id)) choices.unshift({ value: c.unit_id, label: c.unit_name });
      fields.push({ name: 'unit_id', label: 'Đơn vị xử lý', type: 'select', required: true, value: c.unit_id, options: choices });
      fields.push({
        name: 'official_id', label: 'Cán bộ xử lý', type: 'select', value: c.official_id || '',
        hint: 'Cán bộ của đơn vị đang xử lý; khi chuyển sang đơn vị khác, thủ trưởng đơn vị đó phân công lại.',
        options: [{ value: '', label: '— Chưa phân công —' }, ...officials.map((o) => ({ value: o.id, label: `${o.full_name}${o.position ? ` — ${o.position}` : ''}` }))],
        showIf: (v) => Number(v.unit_id) === c.unit_id,
      });
    }
    fields.push({ name: 'note', label: a.note_required ? 'Nội dung, lý do' : 'Ghi chú', type: 'textarea', rows: 3, required: !!a.note_required, maxlength: 20000 });
    fields.push({ name: 'document', label: 'Văn bản kèm theo (số, ký hiệu, ngày)', maxlength: 1000, hint: 'Ví dụ: Công văn số 123/UBND-TCD ngày 05/6/2017.' });
    const intro = [];
    if (t && t.to && t.to !== c.state) intro.push(`Trạng thái sau thao tác: ${stateName(kind, t.to)}.`);
    if (t && t.extend) intro.push(`Gia hạn ${clockName(kind, t.extend.clock).toLowerCase()} thêm ${fmtNumber(t.extend.count)} ${RULE_UNITS[(kind.clocks || []).find((k) => k.code === t.extend.clock)?.unit] || 'đơn vị'}.`);
    if (t && (t.pause || []).length) intro.push(`Tạm dừng tính: ${t.pause.map((x) => clockName(kind, x)).join(', ')}.`);
    openForm({
      title: a.name,
      intro: intro.join(' ') || null,
      fields,
      submitLabel: a.name,
      onSubmit: (v) => {
        const body = { action: a.action };
        if (v.note) body.note = v.note;
        if (v.document) body.document = v.document;
        if (a.assign) {
          const unit = Number(v.unit_id);
          if (unit !== c.unit_id) body.unit_id = unit;
          else if (Number(v.official_id || 0) !== (c.official_id || 0)) body.official_id = v.official_id ? Number(v.official_id) : null;
        }
        return act(body, `Đã thực hiện: ${a.name}.`);
      },
    });
  }

  function clockStatus(k) {
    if (k.state === 'ended') {
      const r = CLOCK_RESULTS[k.result];
      return h('span', { class: 'badge-row', 'data-clock-state': 'ended' },
        h('span', { class: 'muted' }, CLOCK_STATES.ended),
        r ? h('span', { class: `badge status ${r.cls}`, 'data-result': k.result }, r.label) : null);
    }
    const out = [h('span', { class: `badge status ${k.state === 'paused' ? 'st-pending' : 'st-progress'}`, 'data-clock-state': k.state }, CLOCK_STATES[k.state] || k.state)];
    if (k.overdue) out.push(h('span', { class: 'badge status st-overdue' }, 'Quá hạn'));
    else if (k.due_soon) out.push(h('span', { class: 'badge status st-late' }, 'Sắp đến hạn'));
    return h('span', { class: 'badge-row' }, out);
  }

  function eventMoves(kind, ev) {
    const out = [];
    const cl = (ev.data && ev.data.clocks) || {};
    for (const [key, label] of CLOCK_MOVES) {
      if ((cl[key] || []).length) out.push(`${label}: ${cl[key].map((x) => clockName(kind, x)).join(', ')}`);
    }
    const as = ev.data && ev.data.assigned;
    if (as) out.push(`Đơn vị xử lý: ${unitName(as.unit_id)}${as.official_id ? '; đã phân công cán bộ' : ''}`);
    return out;
  }

  function draw() {
    const kind = kinds.byCode.get(c.kind);
    ctx.setTitle(c.title);
    const actions = (c.actions || []).map((a) => h('button', {
      type: 'button', class: 'btn', 'data-action': a.action, onclick: () => actionForm(a).catch((e) => notify(e.message, 'error')),
    }, a.name));
    if (actions.length) actions[0].className = 'btn btn-primary';

    const crumbs = h('nav', { class: 'breadcrumb', 'aria-label': 'Vị trí' }, h('ol', null,
      h('li', null, h('a', { href: '#/cases' }, 'Hồ sơ vụ việc')),
      h('li', { 'aria-current': 'page' }, c.title)));

    const edge = c.overdue ? 'in_progress_overdue' : c.closed ? 'done_on_time' : 'in_progress';
    const head = h('section', { class: `panel task-head case-head status-edge-${edge}`, 'aria-label': 'Tình trạng vụ việc' },
      h('div', { class: 'task-head-row' },
        h('div', null, h('span', { class: 'task-head-label' }, 'Loại'), h('span', { class: 'task-head-value' }, c.kind_name)),
        h('div', null, h('span', { class: 'task-head-label' }, 'Trạng thái'),
          h('span', { class: 'case-state', 'data-testid': 'case-state' }, caseBadges(c))),
        h('div', null, h('span', { class: 'task-head-label' }, c.closed ? 'Kết thúc lúc' : 'Hạn gần nhất'),
          h('span', { class: 'task-head-value', 'data-testid': 'case-due' },
            c.closed ? fmtDmyHm(c.closed_at) : c.due_date ? fmtDate(c.due_date) : '—'))),
      actions.length ? h('div', { class: 'task-actions case-actions', role: 'group', 'aria-label': 'Thao tác' }, actions)
        : h('p', { class: 'hint' }, c.closed ? 'Vụ việc đã kết thúc.' : 'Bạn không có thao tác nào với vụ việc ở trạng thái này.'));

    const declared = (kind && kind.fields) || [];
    const info = h('section', { class: 'panel', 'aria-labelledby': 'cs-info-h' },
      h('h2', { id: 'cs-info-h', class: 'panel-title' }, 'Thông tin vụ việc'),
      facts([
        ['Tiêu đề', c.title],
        ...declared.map((f) => [f.label, fieldText(f, c.fields ? c.fields[f.name] : null)]),
        ...Object.keys(c.fields || {}).filter((n) => !declared.some((f) => f.name === n)).map((n) => [n, String(c.fields[n])]),
      ], 'case-facts'));
    const who = h('section', { class: 'panel', 'aria-labelledby': 'cs-who-h' },
      h('h2', { id: 'cs-who-h', class: 'panel-title' }, 'Tiếp nhận và phân công'),
      facts([
        ['Tiếp nhận lúc', fmtDmyHm(c.received_at)],
        ['Đơn vị tiếp nhận', c.owner_unit_name],
        ['Đơn vị xử lý', c.unit_name],
        ['Cán bộ xử lý', c.official_name || 'Chưa phân công'],
        ['Kết thúc lúc', c.closed_at ? fmtDmyHm(c.closed_at) : null],
      ], 'case-facts'));

    const clocks = dataTable({
      caption: 'Thời hạn theo quy định',
      columns: [
        { label: 'Thời hạn' },
        { label: 'Bắt đầu', class: 'col-when' },
        { label: 'Hạn', class: 'col-date' },
        { label: 'Tình trạng', class: 'col-status' },
        { label: 'Căn cứ' },
      ],
      className: 'clocks-table',
    });
    clocks.setRows((c.clocks || []).map((k) => {
      const unit = RULE_UNITS[(kind && (kind.clocks || []).find((x) => x.code === k.code)?.unit)] || '';
      const notes = [];
      if (k.extended_units) notes.push(`Đã gia hạn ${fmtNumber(k.extended_units)} ${unit}`);
      if ((k.pauses || []).length) {
        notes.push(`Tạm dừng ${fmtNumber(k.pauses.length)} lần${k.paused_units ? `, cộng thêm ${fmtNumber(k.paused_units)} ${unit}` : ''}`);
      }
      return h('tr', { 'data-clock': k.code, class: k.overdue ? 'row-overdue' : null },
        h('td', null, h('strong', null, k.name)),
        h('td', { class: 'col-when' }, fmtDmyHm(k.started_at)),
        h('td', { class: 'col-date', 'data-due': k.due_date || '' }, k.due_date && k.state !== 'paused' ? fmtDate(k.due_date) : h('span', { class: 'muted' }, k.state === 'paused' ? 'Tạm dừng' : '—'),
          k.ended_at ? h('div', { class: 'due-hint' }, `Kết thúc ${fmtDmyHm(k.ended_at)}`) : null),
        h('td', { class: 'col-status' }, clockStatus(k)),
        h('td', { class: 'small' }, k.rule && k.rule.source ? k.rule.source : '',
          notes.length ? h('div', { class: 'muted' }, notes.join('; ')) : null));
    }), 'Chưa có thời hạn nào được tính.');
    const clockBox = h('section', { class: 'panel case-clocks', 'aria-labelledby': 'cs-clock-h' },
      h('h2', { id: 'cs-clock-h', class: 'panel-title' }, 'Thời hạn'), clocks.el);

    const events = c.events || [];
    const history = h('section', { class: 'panel', 'aria-labelledby': 'cs-hist-h' },
      h('h2', { id: 'cs-hist-h', class: 'panel-title' }, `Quá trình xử lý (${fmtNumber(events.length)})`),
      events.length ? h('ol', { class: 'timeline case-history' }, events.map((ev) => {
        const moves = eventMoves(kind, ev);
        const changed = ev.from_state && ev.from_state !== ev.to_state;
        return h('li', { class: `tl-item tl-case${changed ? ' tl-moved' : ''}`, 'data-action': ev.action },
          h('span', { class: 'tl-dot', 'aria-hidden': 'true' }),
          h('div', { class: 'tl-body' },
            h('p', { class: 'tl-title' }, actionName(kind, ev.action),
              changed ? h('span', { class: 'tl-states' }, ` — ${stateName(kind, ev.from_state)} → ${stateName(kind, ev.to_state)}`)
                : !ev.from_state ? h('span', { class: 'tl-states' }, ` — ${stateName(kind, ev.to_state)}`) : null),
            h('p', { class: 'tl-meta' }, fmtDmyHm(ev.at), ` · ${ev.by || 'Hệ thống'}`),
            ev.note ? h('p', { class: 'tl-text pre' }, ev.note) : null,
            ev.document ? h('p', { class: 'tl-text' }, `Văn bản: ${ev.document}`) : null,
            moves.length ? h('p', { class: 'tl-text small muted' }, moves.join('. ')) : null));
      })) : h('p', { class: 'empty-note' }, 'Chưa có diễn biến nào.'));

    setChildren(root, crumbs, staleBox, head,
      h('div', { class: 'case-grid' }, info, who), clockBox, history);
  }

  await load();
  return undefined;
}
