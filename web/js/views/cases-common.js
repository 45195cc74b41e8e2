// Shared pieces of the case screens (#/cases, #/cases/:id; the case engine, docs/api.md
// "Cases"): the kinds of GET /case-kinds, whose declared names give every Vietnamese label of
// a state, a clock, a field and an action; the badges of a case; field values as shown; the
// form that receives a new case of a kind (POST /cases).
import { get, post, loadUnits } from '../api.js';
import { h, fmtDate } from '../util.js';
import { openForm, inSubtree, isCitywide } from './tasks-common.js';
import { parseDmyHm, nowDmyHm, fmtDmyHm } from './onestop-common.js';

export { fmtDmyHm };

// The kinds change only with a new server start: one load, kept (dropped when it fails).
let kindsCache = null;

/** The kinds as {list, byCode: Map}. */
export function loadKinds() {
  if (!kindsCache) {
    kindsCache = get('/case-kinds').then((r) => {
      const list = (r && r.items) || [];
      return { list, byCode: new Map(list.map((k) => [k.code, k])) };
    }).catch((e) => {
      kindsCache = null;
      throw e;
    });
  }
  return kindsCache;
}

/** The kinds whose cases the account may receive (the kind's create.roles). */
export function receivableKinds(kinds, me) {
  return kinds.list.filter((k) => ((k.create && k.create.roles) || []).includes(me.role));
}

export const stateName = (kind, code) => (kind && (kind.states || []).find((s) => s.code === code)?.name) || code || '';
export const clockName = (kind, code) => (kind && (kind.clocks || []).find((c) => c.code === code)?.name) || code || '';

/** The name of an action in the history: the kind's transition, or the receipt. */
export function actionName(kind, action) {
  if (action === 'create') return 'Tiếp nhận';
  return (kind && (kind.transitions || []).find((t) => t.action === action)?.name) || action;
}

/** Vietnamese names of the codes the kinds' enum fields use (kênh tiếp nhận: glossary.md). */
const VALUE_LABELS = {
  channel: {
    web: 'Cổng thông tin điện tử',
    email: 'Thư điện tử',
    sms: 'Tin nhắn SMS',
    post: 'Qua bưu chính',
    hotline: 'Đường dây nóng',
    press: 'Báo chí',
    in_person: 'Trực tiếp',
    kiosk: 'Ki-ốt tại Bộ phận một cửa',
  },
};

export function valueLabel(field, value) {
  return (VALUE_LABELS[field.name] && VALUE_LABELS[field.name][value]) || value;
}

/** A declared field's value as shown: dates dd/mm/yyyy, yes/no, the enum's label. */
export function fieldText(field, v) {
  if (v === null || v === undefined || v === '') return '';
  if (field.type === 'bool') return v ? 'Có' : 'Không';
  if (field.type === 'date') return fmtDate(v);
  if (field.type === 'enum') return valueLabel(field, v);
  return String(v);
}

export const CLOCK_STATES = { running: 'Đang tính', paused: 'Tạm dừng', ended: 'Đã kết thúc' };
export const CLOCK_RESULTS = {
  early: { label: 'Trước hạn', cls: 'st-done' },
  on_time: { label: 'Đúng hạn', cls: 'st-done' },
  late: { label: 'Quá hạn', cls: 'st-overdue' },
};
export const RULE_UNITS = {
  working_days: 'ngày làm việc',
  calendar_days: 'ngày',
  months: 'tháng',
  years: 'năm',
  working_hours: 'giờ làm việc',
};

/** The state badge of a case, with its overdue / due-soon mark. */
export function caseBadges(c) {
  const out = [h('span', { class: `badge status ${c.closed ? 'st-done' : 'st-progress'}`, 'data-state': c.state }, c.state_name || c.state)];
  if (c.overdue) out.push(h('span', { class: 'badge status st-overdue', 'data-flag': 'overdue' }, 'Quá hạn'));
  else if (c.due_soon) out.push(h('span', { class: 'badge status st-late', 'data-flag': 'due_soon' }, 'Sắp đến hạn'));
  return h('span', { class: 'badge-row' }, out);
}

/** The units an account may receive a case for or move it to: its subtree (all city-wide). */
export function unitChoices(me, units) {
  const all = isCitywide(me);
  return units.flat.filter(({ unit }) => all || (me.unit_id && inSubtree(units, unit.id, me.unit_id)))
    .map(({ unit, depth }) => ({ value: unit.id, label: `${'\u2003'.repeat(depth)}${unit.name}` }));
}

/** The form fields of a kind's declared field (names prefixed "f_"; errors of fields.<name>). */
function declaredField(f) {
  const base = { name: `f_${f.name}`, label: f.label, required: !!f.required, errorFor: [`fields.${f.name}`] };
  switch (f.type) {
    case 'text': return { ...base, type: 'textarea', rows: 4, maxlength: f.max || 20000 };
    case 'int': return { ...base, type: 'number', min: 0, max: f.max || 2147483647 };
    case 'date': return { ...base, type: 'date' };
    case 'bool':
      return { ...base, type: 'select', options: [{ value: '', label: '— Không nêu —' }, { value: 'true', label: 'Có' }, { value: 'false', label: 'Không' }] };
    case 'enum':
      return {
        ...base,
        type: 'select',
        options: [{ value: '', label: `— Chọn ${f.label.toLowerCase()} —` }, ...(f.values || []).map((v) => ({ value: v, label: valueLabel(f, v) }))],
      };
    default: return { ...base, maxlength: f.max || 1000 };
  }
}

function fieldValue(f, v) {
  if (v === '' || v === null || v === undefined) return undefined;
  if (f.type === 'bool') return v === 'true';
  return v;
}

/**
 * Opens the form that receives a case of `kind` (its title, its declared fields, the handling
 * unit, when it was received, a note) and posts it. Resolves to the new case, or null when the
 * form was closed.
 */
export async function receiveCaseDialog(me, kind) {
  const units = await loadUnits().catch(() => ({ flat: [], byId: new Map() }));
  const choices = unitChoices(me, units);
  return new Promise((resolve) => {
    let made = null;
    const ctl = openForm({
      title: `Tiếp nhận: ${kind.name}`,
      intro: `Thời hạn được tính theo quy định từ thời điểm tiếp nhận; ngày nghỉ, ngày lễ không tính vào ngày làm việc.`,
      wide: true,
      fields: [
        { name: 'title', label: 'Tiêu đề, trích yếu', required: true, maxlength: 1000 },
        ...(kind.fields || []).map(declaredField),
        {
          name: 'unit_id', label: 'Đơn vị xử lý', type: 'select', required: true,
          options: [{ value: '', label: '— Chọn đơn vị —' }, ...choices],
          value: me.unit_id && choices.some((o) => o.value === me.unit_id) ? me.unit_id : '',
          errorFor: ['owner_unit_id'],
        },
        {
          name: 'received_at', label: 'Thời điểm tiếp nhận', value: nowDmyHm(),
          hint: 'Dạng dd/mm/yyyy HH:MM, giờ Hà Nội; với thư gửi qua bưu chính là ngày theo dấu bưu điện.',
        },
        { name: 'note', label: 'Ghi chú', type: 'textarea', rows: 2 },
      ],
      submitLabel: 'Tiếp nhận',
      onSubmit: async (v, form) => {
        const at = parseDmyHm(v.received_at);
        if (at === null) {
          form.setFieldError('received_at', 'Thời điểm không hợp lệ; nhập theo dạng dd/mm/yyyy HH:MM, ví dụ 01/06/2017 09:00.');
          return false;
        }
        const fields = {};
        for (const f of kind.fields || []) {
          const x = fieldValue(f, v[`f_${f.name}`]);
          if (x !== undefined) fields[f.name] = x;
        }
        const body = { kind: kind.code, title: v.title, fields, unit_id: Number(v.unit_id) };
        if (at) body.received_at = at;
        if (v.note) body.note = v.note;
        made = await post('/cases', body);
        return true;
      },
    });
    ctl.dialog.addEventListener('close', () => resolve(made));
  });
}
