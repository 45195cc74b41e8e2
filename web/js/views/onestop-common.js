// Shared pieces of the one-stop (một cửa) screens: labels of dossier statuses, results,
// channels, procedure levels and time limits; date-time input in Hanoi time; the procedure
// picker with type-ahead (a combobox over GET /procedures?q=…, accent-insensitive on the
// server); links to the printed forms (PDF).
import { get, qs } from '../api.js';
import { h, setChildren, fmtDate, fmtNumber, nextId, debounce } from '../util.js';

export const DOSSIER_STATUS = {
  received: { label: 'Mới tiếp nhận', cls: 'st-pending' },
  in_process: { label: 'Đang giải quyết', cls: 'st-progress' },
  supplement_requested: { label: 'Chờ bổ sung hồ sơ', cls: 'st-late' },
  result_ready: { label: 'Đã có kết quả, chờ trả', cls: 'st-done' },
  returned: { label: 'Đã trả kết quả', cls: 'st-done' },
  refused: { label: 'Từ chối giải quyết', cls: 'st-cancelled' },
  withdrawn: { label: 'Công dân rút hồ sơ', cls: 'st-cancelled' },
};

export const RESULTS = {
  early: { label: 'Trước hạn', cls: 'st-done' },
  on_time: { label: 'Đúng hạn', cls: 'st-done' },
  late: { label: 'Quá hạn', cls: 'st-overdue' },
};

export const CHANNELS = { in_person: 'Trực tiếp', post: 'Qua bưu chính', online: 'Trực tuyến' };
export const LEVELS = { city: 'Cấp thành phố', district: 'Cấp quận, huyện', commune: 'Cấp phường, xã' };
export const DAY_KINDS = { working: 'ngày làm việc', calendar: 'ngày', hours: 'giờ làm việc' };

export const EVENT_LABELS = {
  received: 'Tiếp nhận hồ sơ',
  assigned: 'Phân công xử lý',
  handed_over: 'Chuyển hồ sơ',
  supplement_requested: 'Yêu cầu bổ sung hồ sơ',
  supplement_received: 'Nhận hồ sơ bổ sung',
  refused: 'Từ chối giải quyết',
  withdrawn: 'Công dân rút hồ sơ',
  result_ready: 'Có kết quả giải quyết',
  returned: 'Trả kết quả',
  apology: 'Xin lỗi và hẹn lại ngày trả',
  due_recomputed: 'Tính lại ngày hẹn trả theo lịch làm việc',
};

/** The status badge of a dossier (the server's label when it sends one). */
export function dossierBadge(d) {
  const s = DOSSIER_STATUS[d.status] || { label: d.status || '', cls: '' };
  return h('span', { class: `badge status ${s.cls}`, 'data-status': d.status }, d.status_label || s.label);
}

export function resultBadge(result, label) {
  if (!result) return h('span', { class: 'muted' }, '—');
  const r = RESULTS[result] || { label: result, cls: '' };
  return h('span', { class: `badge status ${r.cls}`, 'data-result': result }, label || r.label);
}

/** The overdue / apology marks of a dossier. */
export function dossierFlags(d) {
  const out = [];
  if (d.overdue) out.push(h('span', { class: 'badge status st-overdue badge-overdue' }, 'Quá hạn'));
  if (d.apology_owed) out.push(h('span', { class: 'badge badge-apology' }, 'Cần xin lỗi'));
  return out;
}

/** 0.5 → "0,5"; 2 → "2". */
export function fmtDays(n) {
  return fmtNumber(Math.round(Number(n) * 2) / 2);
}

/** "3 ngày làm việc; nhận sau 15 giờ tính từ ngày làm việc tiếp theo". */
export function limitText(p) {
  if (!p) return '';
  const lim = p.limit || {};
  const kind = lim.kind || p.day_kind || 'working';
  const amount = lim.amount ?? (kind === 'hours' ? p.processing_hours : p.processing_days);
  let s = amount === 0 && kind !== 'hours' ? 'Giải quyết trong ngày' : `${fmtNumber(amount)} ${DAY_KINDS[kind] || kind}`;
  const cut = cutoffText(p);
  if (cut) s += `; ${cut}`;
  return s;
}

export function cutoffText(p) {
  if (p.cutoff_minute !== undefined && p.cutoff_minute !== null && p.cutoff_minute >= 0 && p.cutoff_minute < 1440) {
    const hh = Math.floor(p.cutoff_minute / 60), mm = p.cutoff_minute % 60;
    return `nhận sau ${hh} giờ${mm ? ` ${String(mm).padStart(2, '0')}` : ''} tính từ ngày làm việc tiếp theo`;
  }
  if (Number.isInteger(p.cutoff_hour) && p.cutoff_hour >= 0 && p.cutoff_hour < 24) {
    return `nhận sau ${p.cutoff_hour} giờ tính từ ngày làm việc tiếp theo`;
  }
  return '';
}

// ---------- Hanoi time ----------

const pad = (n) => String(n).padStart(2, '0');

/** Now in Hanoi as "dd/mm/yyyy HH:MM". */
export function nowDmyHm() {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** "dd/mm/yyyy HH:MM" (24 h) → "YYYY-MM-DDTHH:MM:00+07:00"; '' for empty; null when invalid. */
export function parseDmyHm(text) {
  const s = String(text || '').trim();
  if (!s) return '';
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?$/.exec(s);
  if (!m) return null;
  const d = Number(m[1]), mo = Number(m[2]), y = Number(m[3]);
  const hh = m[4] === undefined ? 0 : Number(m[4]), mi = m[5] === undefined ? 0 : Number(m[5]);
  if (mo < 1 || mo > 12 || d < 1 || y < 1900 || y > 2200 || hh > 23 || mi > 59) return null;
  if (d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  return `${y}-${pad(mo)}-${pad(d)}T${pad(hh)}:${pad(mi)}:00+07:00`;
}

/** An ISO instant → "dd/mm/yyyy HH:MM" in Hanoi time ('' for empty). */
export function fmtDmyHm(v) {
  if (!v) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(String(v));
  if (m && /\+07:00$/.test(String(v))) return `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}`;
  const ms = Date.parse(String(v));
  if (Number.isNaN(ms)) return String(v);
  const d = new Date(ms + 7 * 3600 * 1000);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** The due date with the original one when an apology moved it. */
export function dueText(d) {
  const parts = [h('span', { class: 'due-date' }, fmtDate(d.due_date))];
  if (d.original_due_date && d.original_due_date !== d.due_date) {
    parts.push(h('span', { class: 'due-hint' }, ` (hẹn ban đầu: ${fmtDate(d.original_due_date)})`));
  }
  return h('span', { class: 'due' }, ...parts);
}

// ---------- printed forms ----------

export function pdfUrl(id, name, query = {}) {
  return `/api/v1/dossiers/${id}/${name}${qs(query)}`;
}

export function pdfLink(id, name, label, query = {}, cls = 'btn btn-small') {
  return h('a', { href: pdfUrl(id, name, query), target: '_blank', rel: 'noopener', class: cls, 'data-pdf': name }, label);
}

// ---------- the procedure picker ----------

/**
 * A combobox: typing searches the catalog (accent-insensitive on the server), ArrowUp/Down
 * move in the list, Enter or a click picks, Escape closes. onPick(procedure) gets the list
 * item. Returns {el, input, value(), set(p), clear(), focus()}.
 */
export function procedurePicker({ id = nextId('proc'), label = 'Thủ tục hành chính', publicApi = false, onPick, placeholder } = {}) {
  const listId = `${id}-list`;
  const input = h('input', {
    id, type: 'text', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
    placeholder: placeholder || 'Gõ tên hoặc mã thủ tục, ví dụ: khai sinh',
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'combo-list', 'aria-label': label, hidden: true });
  const el = h('div', { class: 'combo' }, input, list);
  let items = [];
  let active = -1;
  let chosen = null;
  let seq = 0;

  function open(b) {
    list.hidden = !b;
    input.setAttribute('aria-expanded', String(b));
    if (!b) { active = -1; input.removeAttribute('aria-activedescendant'); }
  }
  function mark() {
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === active)));
    if (active >= 0 && list.children[active]) {
      input.setAttribute('aria-activedescendant', list.children[active].id);
      list.children[active].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }
  function draw() {
    if (!items.length) {
      setChildren(list, h('li', { class: 'combo-empty', role: 'option', 'aria-disabled': 'true', id: `${listId}-none` }, 'Không tìm thấy thủ tục nào.'));
      open(true);
      return;
    }
    setChildren(list, items.map((p, i) => h('li', {
      id: `${listId}-${i}`, role: 'option', class: 'combo-option', 'aria-selected': 'false', 'data-id': p.id,
      onmousedown: (ev) => { ev.preventDefault(); pick(i); },
    }, h('span', { class: 'combo-name' }, p.name), h('span', { class: 'combo-meta' }, [p.code, p.unit_name].filter(Boolean).join(' · ')))));
    open(true);
    mark();
  }
  async function search() {
    const text = input.value.normalize('NFC').trim();
    const my = ++seq;
    if (!text) { items = []; open(false); return; }
    try {
      const r = await get(`${publicApi ? '/public' : ''}/procedures${qs({ q: text, limit: 12 })}`);
      if (my !== seq) return;
      items = r.items || [];
      active = items.length ? 0 : -1;
      draw();
    } catch {
      if (my === seq) { items = []; open(false); }
    }
  }
  const later = debounce(search, 150);
  function pick(i) {
    const p = items[i];
    if (!p) return;
    set(p);
    open(false);
    if (onPick) onPick(p);
  }
  function set(p) {
    chosen = p;
    input.value = p ? p.name : '';
    input.dataset.procedureId = p ? String(p.id) : '';
  }
  input.addEventListener('input', () => { chosen = null; input.dataset.procedureId = ''; later(); });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (list.hidden) { if (input.value.trim()) { later.cancel(); search(); } return; }
      if (!items.length) return;
      active = ev.key === 'ArrowDown' ? (active + 1) % items.length : (active - 1 + items.length) % items.length;
      mark();
    } else if (ev.key === 'Enter' && !ev.ctrlKey && !ev.metaKey) {
      if (!list.hidden && items.length) {
        ev.preventDefault();
        ev.stopPropagation();
        pick(active >= 0 ? active : 0);
      } else if (!chosen && input.value.trim()) {
        // typed fast and pressed Enter before the list came back: search now, pick the first
        ev.preventDefault();
        ev.stopPropagation();
        later.cancel();
        search().then(() => { if (items.length) pick(0); });
      }
    } else if (ev.key === 'Escape') {
      if (!list.hidden) { ev.preventDefault(); ev.stopPropagation(); open(false); }
    }
  });
  input.addEventListener('blur', () => setTimeout(() => open(false), 100));
  return {
    el, input,
    value: () => chosen,
    set,
    clear: () => set(null),
    focus: () => { input.focus(); input.select(); },
    cancel: () => later.cancel(),
  };
}
