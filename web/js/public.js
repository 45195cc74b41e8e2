// The public pages (public.html), without an account: #/ searches the published catalog
// (GET /public/procedures?q=&field=&level=&unit_id=, accent-insensitive on the server);
// #/thu-tuc/:id a printable procedure page (A4, serif, no navigation; "In" calls
// window.print()); #/tra-cuu and #/tra-cuu/:code the status of a dossier by its code
// (GET /public/dossiers/:code: status, appointment, steps done with units and results, the
// applicant's masked name). The receipt's QR code points to public.html#/tra-cuu/{code}.
import { get, qs } from './api.js';
import { h, setChildren, fmtDate, fmtNumber, debounce } from './util.js';
import { errorBox, dataTable } from './ui.js';
import { listView } from './listview.js';
import { procedureDetail } from './views/procedures.js';
import { LEVELS, limitText, resultBadge, dossierBadge, fmtDmyHm } from './views/onestop-common.js';

const title = document.getElementById('public-title');
const view = document.getElementById('public-view');
const main = document.getElementById('main');
const LIMIT = 20;
let routeSeq = 0;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map((s) => { try { return decodeURIComponent(s); } catch { return s; } });
  return { parts, params: new URLSearchParams(query) };
}

function setTitle(t) {
  title.textContent = t;
  document.title = `${t} — Tra cứu thủ tục hành chính`;
}

async function route(focus = true) {
  const seq = ++routeSeq;
  const { parts, params } = parseHash();
  const r = parts[0] || '';
  for (const a of document.querySelectorAll('.nav-list a[data-route]')) {
    const on = a.dataset.route === (r === 'thu-tuc' ? '' : r);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  main.setAttribute('aria-busy', 'true');
  setChildren(view, h('p', { class: 'loading', role: 'status' }, 'Đang tải…'));
  try {
    if (r === '') await catalog(params, () => seq === routeSeq);
    else if (r === 'thu-tuc') await procedurePage(parts[1], () => seq === routeSeq);
    else if (r === 'tra-cuu') await lookup(parts[1] || params.get('ma') || '', () => seq === routeSeq);
    else {
      setTitle('Không tìm thấy trang');
      setChildren(view, h('p', null, 'Địa chỉ này không có. ', h('a', { href: '#/' }, 'Về trang tra cứu thủ tục')));
    }
  } catch (e) {
    if (seq === routeSeq) setChildren(view, errorBox(e && e.message ? e.message : 'Không tải được trang.'));
  } finally {
    if (seq === routeSeq) main.removeAttribute('aria-busy');
  }
  if (focus && seq === routeSeq) title.focus({ preventScroll: false });
}

// ---------- the catalog ----------

let unitOptions = null; // [{id, name}] of the units that publish procedures

async function catalog(params, current) {
  setTitle('Thủ tục hành chính');
  const q = h('input', { id: 'pub-q', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Ví dụ: dang ky khai sinh' });
  const fieldSel = h('select', { id: 'pub-field' }, h('option', { value: '' }, 'Tất cả lĩnh vực'));
  const levelSel = h('select', { id: 'pub-level' }, h('option', { value: '' }, 'Tất cả các cấp'),
    Object.entries(LEVELS).map(([v, l]) => h('option', { value: v }, l)));
  const unitSel = h('select', { id: 'pub-unit' }, h('option', { value: '' }, 'Tất cả cơ quan'));
  q.value = params.get('q') || '';
  levelSel.value = params.get('level') || '';
  const form = h('form', { class: 'toolbar public-search', role: 'search', onsubmit: (ev) => { ev.preventDefault(); list.reload(); } },
    h('div', { class: 'field field-inline grow' }, h('label', { for: 'pub-q' }, 'Tên hoặc mã thủ tục'), q),
    h('div', { class: 'field field-inline' }, h('label', { for: 'pub-field' }, 'Lĩnh vực'), fieldSel),
    h('div', { class: 'field field-inline' }, h('label', { for: 'pub-unit' }, 'Cơ quan thực hiện'), unitSel),
    h('div', { class: 'field field-inline' }, h('label', { for: 'pub-level' }, 'Cấp thực hiện'), levelSel),
    h('div', { class: 'toolbar-buttons' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Tìm kiếm')));
  const statusBox = h('div', { class: 'list-status' });
  const summary = h('p', { class: 'count', 'aria-live': 'polite' });
  const results = h('ol', { class: 'public-results', 'aria-label': 'Kết quả tìm kiếm' });
  const filters = () => ({ q: q.value.normalize('NFC').trim(), field: fieldSel.value, level: levelSel.value, unit_id: unitSel.value });
  const list = listView({
    limit: LIMIT,
    offset: Number(params.get('offset')) || 0,
    busy: results,
    status: statusBox,
    alive: current,
    // a search typed just before the user opened a result may fire after the page changed,
    // even before the browser delivers the hashchange: it must not rewrite the new address
    before: () => !parseHash().parts.length,
    path: (offset, limit) => {
      const u = filters();
      history.replaceState(null, '', `#/${qs({ ...u, offset: offset || '' })}`);
      return `/public/procedures${qs({ ...u, limit, offset })}`;
    },
    render: (items, r) => {
      if (!items.length) setChildren(results, h('li', { class: 'empty-note' }, 'Không tìm thấy thủ tục nào phù hợp.'));
      else {
        setChildren(results, items.map((p) => h('li', { class: 'public-result', 'data-id': p.id },
          h('a', { href: `#/thu-tuc/${p.id}`, class: 'public-result-name' }, p.name),
          h('p', { class: 'public-result-meta' }, [p.code, p.field, LEVELS[p.level], p.unit_name].filter(Boolean).join(' · ')),
          h('p', { class: 'public-result-limit' }, `Thời hạn giải quyết: ${limitText(p)}`))));
      }
      summary.textContent = r.total_count ? `Tìm thấy ${fmtNumber(r.total_count)} thủ tục` : '';
    },
  });
  setChildren(view,
    h('p', { class: 'intro' }, 'Tìm thủ tục hành chính để xem hồ sơ cần nộp, thời hạn giải quyết, phí, lệ phí và cơ quan thực hiện. Đã nộp hồ sơ? ',
      h('a', { href: '#/tra-cuu' }, 'Tra cứu tình trạng hồ sơ theo mã hồ sơ.')),
    form, statusBox, summary, results, list.pager.el);

  await Promise.all([
    get('/public/procedures/fields').then((r) => {
      for (const f of r.items || []) fieldSel.appendChild(h('option', { value: f.field }, `${f.field} (${fmtNumber(f.count)})`));
      fieldSel.value = params.get('field') || '';
    }).catch(() => {}),
    (unitOptions ? Promise.resolve() : get('/public/procedures?limit=500').then((r) => {
      const m = new Map();
      for (const p of r.items || []) if (p.unit_id && !m.has(p.unit_id)) m.set(p.unit_id, p.unit_name);
      unitOptions = [...m].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    }).catch(() => { unitOptions = []; })).then(() => {
      for (const u of unitOptions || []) unitSel.appendChild(h('option', { value: String(u.id) }, u.name));
      unitSel.value = params.get('unit_id') || '';
    }),
  ]);
  if (!current()) return;

  const onType = debounce(() => { list.reload(); }, 300);
  q.addEventListener('input', onType);
  for (const el of [fieldSel, levelSel, unitSel]) el.addEventListener('change', () => { list.reload(); });
  await list.load();
}

// ---------- a procedure ----------

async function procedurePage(idText, current) {
  const id = Number(idText);
  if (!Number.isInteger(id) || id <= 0) {
    setTitle('Thủ tục hành chính');
    setChildren(view, errorBox('Mã thủ tục trong địa chỉ không hợp lệ.'));
    return;
  }
  let p;
  try {
    p = await get(`/public/procedures/${id}`);
  } catch (e) {
    setTitle('Thủ tục hành chính');
    setChildren(view, errorBox(e.status === 404 ? 'Không tìm thấy thủ tục này, hoặc thủ tục chưa được công khai.' : e.message),
      h('p', null, h('a', { href: '#/' }, '‹ Về danh sách thủ tục')));
    return;
  }
  if (!current()) return;
  setTitle(p.name);
  setChildren(view,
    h('div', { class: 'task-actions no-print' },
      h('a', { href: '#/', class: 'btn' }, '‹ Danh sách thủ tục'),
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => window.print() }, 'In')),
    h('p', { class: 'print-only print-head' }, 'THỦ TỤC HÀNH CHÍNH'),
    procedureDetail(p, { staff: false }),
    h('p', { class: 'print-only print-foot' }, `In từ trang tra cứu thủ tục hành chính ngày ${fmtDate(todayHanoi())}.`));
}

function todayHanoi() {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

// ---------- a dossier's status ----------

async function lookup(code, current) {
  setTitle('Tra cứu hồ sơ');
  const input = h('input', { id: 'pub-code', type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', placeholder: 'Ví dụ: HN-D01-170314-0001', maxlength: '64' });
  input.value = code;
  const err = h('p', { class: 'field-error', id: 'pub-code-err', hidden: true });
  input.setAttribute('aria-describedby', 'pub-code-hint pub-code-err');
  const out = h('div', { class: 'public-lookup-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'toolbar public-lookup', role: 'search', novalidate: true },
    h('div', { class: 'field field-inline grow' }, h('label', { for: 'pub-code' }, 'Mã hồ sơ'), input,
      h('p', { class: 'hint', id: 'pub-code-hint' }, 'Mã hồ sơ in trên giấy tiếp nhận hồ sơ và hẹn trả kết quả.'), err),
    h('div', { class: 'toolbar-buttons' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Tra cứu')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const c = input.value.trim().toUpperCase();
    err.hidden = true;
    input.removeAttribute('aria-invalid');
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(c)) {
      err.textContent = 'Mã hồ sơ chỉ gồm chữ, số và các dấu «-», «.», «_».';
      err.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    const target = `#/tra-cuu/${encodeURIComponent(c)}`;
    if (location.hash === target) show(c); else location.hash = target;
  });
  setChildren(view, form, out);
  if (!code) { input.focus(); return; }

  async function show(c) {
    setChildren(out, h('p', { class: 'loading', role: 'status' }, 'Đang tra cứu…'));
    let d;
    try {
      d = await get(`/public/dossiers/${encodeURIComponent(c)}`);
    } catch (e) {
      if (!current()) return;
      if (e.status === 404) setChildren(out, errorBox(`Không tìm thấy hồ sơ có mã ${c}. Vui lòng kiểm tra lại mã trên giấy tiếp nhận.`));
      else setChildren(out, errorBox(e.message)); // 429: the server's Vietnamese message with the wait
      return;
    }
    if (!current()) return;
    setTitle(`Hồ sơ ${d.code}`);
    const steps = dataTable({
      caption: 'Các bước giải quyết',
      columns: [{ label: 'Bước', class: 'col-num' }, { label: 'Cơ quan, bộ phận' }, { label: 'Nội dung' }, { label: 'Bắt đầu', class: 'col-when' }, { label: 'Hoàn thành', class: 'col-when' }, { label: 'Kết quả', class: 'col-status' }],
      className: 'public-steps',
    });
    steps.setRows((d.steps || []).map((s) => h('tr', null,
      h('td', { class: 'col-num' }, fmtNumber(s.seq)), h('td', null, s.unit_name), h('td', null, s.name),
      h('td', { class: 'col-when' }, fmtDmyHm(s.started_at)),
      h('td', { class: 'col-when' }, s.ended_at ? fmtDmyHm(s.ended_at) : h('span', { class: 'muted' }, 'Đang giải quyết')),
      h('td', { class: 'col-status' }, s.ended_at ? resultBadge(s.result, s.result_label) : '—'))), 'Chưa có bước nào.');
    const moved = d.original_due_date && d.original_due_date !== d.due_date;
    setChildren(out,
      h('section', { class: 'panel public-dossier', 'aria-labelledby': 'pub-d-h' },
        h('h2', { id: 'pub-d-h', class: 'panel-title' }, `Hồ sơ ${d.code}`),
        h('dl', { class: 'facts' },
          h('dt', null, 'Người nộp'), h('dd', { 'data-testid': 'applicant' }, d.applicant_masked),
          h('dt', null, 'Thủ tục'), h('dd', null, d.procedure ? d.procedure.name : ''),
          h('dt', null, 'Nơi tiếp nhận'), h('dd', null, d.unit_name || ''),
          h('dt', null, 'Ngày tiếp nhận'), h('dd', null, fmtDmyHm(d.received_at)),
          h('dt', null, 'Tình trạng'), h('dd', { 'data-testid': 'status' }, dossierBadge(d),
            d.overdue ? h('span', { class: 'badge status st-overdue' }, 'Quá hạn') : null),
          h('dt', null, 'Ngày hẹn trả kết quả'), h('dd', { 'data-testid': 'due' }, fmtDate(d.due_date),
            moved ? h('span', { class: 'due-hint' }, ` (hẹn ban đầu: ${fmtDate(d.original_due_date)})`) : null),
          d.holder_unit_name && !d.returned_at ? h('dt', null, 'Đang xử lý tại') : null,
          d.holder_unit_name && !d.returned_at ? h('dd', null, d.holder_unit_name) : null,
          d.result ? h('dt', null, 'Kết quả giải quyết') : null,
          d.result ? h('dd', null, resultBadge(d.result, d.result_label), d.resolved_at ? ` ${fmtDmyHm(d.resolved_at)}` : '') : null,
          d.returned_at ? h('dt', null, 'Đã trả kết quả') : null,
          d.returned_at ? h('dd', null, fmtDmyHm(d.returned_at)) : null)),
      h('section', { class: 'panel', 'aria-labelledby': 'pub-s-h' },
        h('h2', { id: 'pub-s-h', class: 'panel-title' }, 'Quá trình giải quyết'), steps.el));
  }
  await show(code.toUpperCase());
}

window.addEventListener('hashchange', () => route(true));
route(false);
