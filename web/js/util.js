// Small helpers shared by every view: building DOM safely, Vietnamese formatting of numbers
// and dates, accent folding for client-side filters, labels of roles and unit kinds.

/** Labels of the account roles, as shown to people. */
export const ROLE_LABELS = {
  officer: 'Cán bộ',
  desk: 'Bộ phận một cửa',
  unit_head: 'Trưởng đơn vị',
  supervisor: 'Giám sát',
  leader: 'Lãnh đạo',
  admin: 'Quản trị',
  public: 'Công dân',
};

/** Roles in the order they are offered in selects. */
export const ROLES = ['officer', 'desk', 'unit_head', 'supervisor', 'leader', 'admin', 'public'];

/** Labels of the unit kinds. */
export const KIND_LABELS = {
  city: 'Thành phố',
  department: 'Sở/ngành',
  district: 'Quận/huyện',
  commune: 'Phường/xã',
  public_service: 'Đơn vị sự nghiệp',
  division: 'Phòng',
};

export const KINDS = ['city', 'department', 'district', 'commune', 'public_service', 'division'];

export function roleLabel(role) {
  return ROLE_LABELS[role] || role || '';
}

export function kindLabel(kind) {
  return KIND_LABELS[kind] || kind || '';
}

/**
 * Builds an element. attrs: class, text, for, dataset-like data-*, aria-*, on<event> handlers,
 * boolean attributes (true sets, false/null/undefined skips). Children: nodes or strings
 * (strings become text nodes, so data never goes through innerHTML).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'for') el.htmlFor = v;
      else if (k === 'value') el.value = v;
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces all children of el. */
export function setChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** 1234567 → "1.234.567"; 1234.5 → "1.234,5" (Vietnamese grouping). */
export function fmtNumber(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '';
  const neg = Number(n) < 0;
  const [int, frac] = String(Math.abs(Number(n))).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return (neg ? '-' : '') + grouped + (frac ? ',' + frac : '');
}

/** "2017-03-20" → "20/03/2017"; anything else is returned as is ('' for empty). */
export function fmtDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso));
  return m ? `${m[3]}/${m[2]}/${m[1]}` : String(iso);
}

/**
 * An ISO 8601 instant "2017-03-20T14:30:05+07:00" → "20/03/2017 14:30:05", shown in Hanoi time
 * (UTC+7). A number is taken as Unix seconds.
 */
export function fmtInstant(v) {
  if (v === null || v === undefined || v === '') return '';
  let ms;
  if (typeof v === 'number') ms = v * 1000;
  else {
    const s = String(v);
    const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?[^Z+-]*(?:\+07:00)$/.exec(s);
    if (m) return `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}:${m[6] || '00'}`;
    ms = Date.parse(s);
    if (Number.isNaN(ms)) return s;
  }
  const d = new Date(ms + 7 * 3600 * 1000); // shift to UTC+7, then read the UTC fields
  const p = (x) => String(x).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * Parses a date typed as dd/mm/yyyy (also d/m/yyyy, '-' or '.' as separators) into
 * "YYYY-MM-DD". Returns '' for empty input and null when the date is invalid.
 */
export function parseDmy(text) {
  const s = String(text || '').trim();
  if (!s) return '';
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (!m) return null;
  const d = Number(m[1]), mo = Number(m[2]), y = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || y < 1900 || y > 2200) return null;
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > dim) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Folds case and Vietnamese diacritics ("Đống Đa" → "dong da") for client-side filtering. */
export function fold(s) {
  return String(s || '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Trims and normalises text typed by a person to NFC. */
export function clean(s) {
  return String(s ?? '').normalize('NFC').trim();
}

export function debounce(fn, ms) {
  let t = null;
  const d = (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
  d.cancel = () => clearTimeout(t);
  return d;
}

let uid = 0;
/** A fresh id for label/for and aria-describedby pairs. */
export function nextId(prefix = 'kc') {
  uid += 1;
  return `${prefix}-${uid}`;
}
