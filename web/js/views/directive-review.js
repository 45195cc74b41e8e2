// Đọc văn bản (#/directives/review): the directive reader's review-and-confirm screen.
// 1. The text is pasted (or read from a .txt file) and sent to POST /directives/extract.
// 2. Left, the normalised text with each proposed task's sentence highlighted and numbered;
//    right, the proposed tasks, each editable: lead unit or unit group (an unresolved name must
//    be resolved or the task dropped), support units, title, due date or recurrence (a period
//    without its day asks for the day), section; confidence and the evidence shown small.
//    Hovering or focusing a task scrolls the text to its sentence; clicking a sentence (or
//    its number) selects the task.
// 3. The directive's own fields, prefilled from the answer where known.
// 4. "Tạo văn bản và N nhiệm vụ": POST /directives/confirm (all or nothing); an error naming
//    "tasks[3].lead_unit_id" is shown at that task's field; on success, the directive's page.
// The highlights' offsets are UTF-8 byte offsets into the normalised text: converted once to
// string indices (byteIndexMap).
import { get, post, upload, loadUnits } from '../api.js';
import { h, setChildren, fmtDate, fmtNumber, parseDmy, clean, nextId } from '../util.js';
import { errorBox, loading, notify } from '../ui.js';
import { DIRECTIVE_KINDS, WEEKDAYS, assignableUnits, isCitywide } from './tasks-common.js';

const MAX_TEXT = 60 * 1024; // bytes of text the reader accepts
const MAX_SUPPORT = 64;     // support units of one task (POST /tasks)
const TITLE_MAX = 1000;

const TIMING = [
  { value: 'due', label: 'Có hạn hoàn thành' },
  { value: 'monthly', label: 'Định kỳ hằng tháng' },
  { value: 'quarterly', label: 'Định kỳ hằng quý' },
  { value: 'yearly', label: 'Định kỳ hằng năm' },
  { value: 'weekly', label: 'Định kỳ hằng tuần' },
];
const PERIOD_WORD = { monthly: 'hằng tháng', quarterly: 'hằng quý', yearly: 'hằng năm', weekly: 'hằng tuần' };

const pad = (n) => String(n).padStart(2, '0');
const utf8 = new TextEncoder();

/** Bytes of a string in UTF-8. */
function byteLength(s) {
  return utf8.encode(s).length;
}

/**
 * byte offset → string index for every byte offset of the UTF-8 form of `str` (a continuation
 * byte maps to the start of its character), plus the end. Equivalent to
 * TextDecoder.decode(bytes.subarray(0, b)).length, in one pass.
 */
export function byteIndexMap(str) {
  const map = new Uint32Array(byteLength(str) + 1);
  let b = 0;
  for (let i = 0; i < str.length;) {
    const cp = str.codePointAt(i);
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < n; k++) map[b + k] = i;
    b += n;
    i += cp > 0xffff ? 2 : 1;
  }
  map[b] = str.length;
  return map;
}

/** "monthly:25" → {timing, day, month, weekday, missing}; null → due date. */
function parseRecurrence(r) {
  const out = { timing: 'due', day: '', month: '', weekday: '', missing: false };
  if (!r) return out;
  const [kind, arg = ''] = String(r).split(':');
  if (!PERIOD_WORD[kind]) return out;
  out.timing = kind;
  if (kind === 'weekly') {
    if (WEEKDAYS[arg]) out.weekday = arg; else out.missing = true;
  } else if (kind === 'yearly') {
    const m = /^(\d{1,2})-(\d{1,2})$/.exec(arg);
    if (m) { out.month = String(Number(m[1])); out.day = String(Number(m[2])); } else out.missing = true;
  } else if (/^\d{1,2}$/.test(arg)) out.day = String(Number(arg));
  else out.missing = true;
  return out;
}

/** The kind of a directive from its number ("69/KH-UBND" → plan), else from its heading. */
function guessKind(number, text) {
  const n = String(number || '').toUpperCase();
  if (/\/KH\b/.test(n)) return 'plan';
  if (/\/CT\b/.test(n)) return 'directive';
  if (/\/(QĐ|QD)\b/.test(n)) return 'decision';
  if (/\/TB\b/.test(n)) return 'conclusion_notice';
  const head = String(text || '').slice(0, 600);
  if (/^\s*KẾ HOẠCH\s*$/m.test(head)) return 'plan';
  if (/^\s*CHỈ THỊ\s*$/m.test(head)) return 'directive';
  if (/^\s*QUYẾT ĐỊNH\s*$/m.test(head)) return 'decision';
  if (/^\s*THÔNG BÁO\s*$/m.test(head)) return 'conclusion_notice';
  if (n.includes('/')) return 'official_letter';
  return 'plan';
}

/** The signer: the last line of the text when it looks like a person's name. */
function guessSigner(text) {
  const lines = String(text || '').split('\n').map((l) => l.replace(/[*_]/g, '').trim()).filter(Boolean);
  const last = lines[lines.length - 1] || '';
  const words = last.split(/\s+/);
  if (last.length > 40 || words.length < 2 || words.length > 5) return '';
  return words.every((w) => /^\p{Lu}\p{Ll}+$/u.test(w)) ? last : '';
}

function confidenceBadge(c) {
  if (c === null || c === undefined || Number.isNaN(Number(c))) return null;
  const v = Number(c);
  const level = v >= 0.85 ? 'high' : v >= 0.6 ? 'mid' : 'low';
  const word = level === 'high' ? 'cao' : level === 'mid' ? 'trung bình' : 'thấp';
  return h('span', { class: `badge rv-conf rv-conf-${level}`, title: `Độ tin cậy ${word} của đề xuất` },
    `Độ tin cậy ${Math.round(v * 100)}%`);
}

export default async function render(root, ctx) {
  const back = h('p', null, h('a', { href: '#/directives' }, '‹ Về danh sách văn bản'));
  ctx.setTitle('Đọc văn bản chỉ đạo');
  if (!ctx.allows('POST /api/v1/directives/confirm')) {
    setChildren(root, errorBox('Chỉ lãnh đạo, trưởng đơn vị, giám sát hoặc quản trị viên được đọc văn bản để giao nhiệm vụ.'), back);
    return undefined;
  }
  setChildren(root, loading());
  let units, groups;
  try {
    [units, groups] = await Promise.all([
      loadUnits(),
      isCitywide(ctx.me) ? get('/unit-groups', { signal: ctx.signal }).then((r) => r.items || []).catch(() => []) : Promise.resolve([]),
    ]);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    setChildren(root, errorBox(e.message), back);
    return undefined;
  }
  const allowed = assignableUnits(ctx.me, units);
  const allowedIds = new Set(allowed.map((x) => x.unit.id));
  const groupById = new Map(groups.map((g) => [g.id, g]));

  // ---------- option lists, built once and cloned into every task ----------

  function leadOptionsTemplate() {
    const sel = h('select');
    sel.appendChild(h('option', { value: '' }, '— Chọn đơn vị chủ trì —'));
    if (groups.length) {
      const og = h('optgroup', { label: 'Nhóm đơn vị (mỗi đơn vị một nhiệm vụ)' });
      for (const g of groups) og.appendChild(h('option', { value: `g:${g.id}` }, `${g.name} (${fmtNumber((g.unit_ids || []).length)} đơn vị)`));
      sel.appendChild(og);
    }
    const ou = h('optgroup', { label: 'Đơn vị' });
    for (const { unit, depth } of allowed) ou.appendChild(h('option', { value: `u:${unit.id}` }, `${'\u2003'.repeat(depth)}${unit.name}`));
    sel.appendChild(ou);
    return sel;
  }
  function supportOptionsTemplate() {
    const sel = h('select');
    sel.appendChild(h('option', { value: '' }, '+ Thêm đơn vị phối hợp…'));
    if (groups.length) {
      const og = h('optgroup', { label: 'Nhóm đơn vị' });
      for (const g of groups) og.appendChild(h('option', { value: `g:${g.id}` }, `${g.name} (${fmtNumber((g.unit_ids || []).length)} đơn vị)`));
      sel.appendChild(og);
    }
    const ou = h('optgroup', { label: 'Đơn vị' });
    for (const { unit, depth } of units.flat) ou.appendChild(h('option', { value: `u:${unit.id}` }, `${'\u2003'.repeat(depth)}${unit.name}`));
    sel.appendChild(ou);
    return sel;
  }
  const leadTpl = leadOptionsTemplate();
  const supportTpl = supportOptionsTemplate();
  const monthTpl = h('select', null, h('option', { value: '' }, '— Tháng —'),
    Array.from({ length: 12 }, (_, i) => h('option', { value: String(i + 1) }, `Tháng ${i + 1}`)));
  const weekdayTpl = h('select', null, h('option', { value: '' }, '— Thứ —'),
    Object.entries(WEEKDAYS).map(([v, l]) => h('option', { value: v }, l[0].toUpperCase() + l.slice(1))));
  const timingTpl = h('select', null, TIMING.map((o) => h('option', { value: o.value }, o.label)));

  // ---------- 1. the text ----------

  const srcId = 'rv-text';
  const textArea = h('textarea', { id: srcId, rows: '10', spellcheck: 'false', 'aria-describedby': 'rv-text-hint rv-text-err', placeholder: 'Dán toàn văn văn bản chỉ đạo vào đây (chỉ thị, kế hoạch, quyết định, công văn, thông báo kết luận)…' });
  const fileIn = h('input', { id: 'rv-file', type: 'file', accept: '.txt,.docx,.pdf,text/plain,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document', class: 'rv-file' });
  const textCount = h('span', { class: 'hint rv-count', id: 'rv-text-count', 'aria-live': 'polite' });
  const textErr = h('p', { class: 'field-error', id: 'rv-text-err', hidden: true });
  const readBtn = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Đọc văn bản');
  const readStatus = h('div', { class: 'rv-read-status' });
  const srcSummary = h('summary', null, h('span', { class: 'rv-step' }, '1'), ' Văn bản cần đọc', h('span', { class: 'rv-summary-note' }));
  const srcForm = h('form', { class: 'rv-src-form', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: srcId }, 'Nội dung văn bản'),
      textArea,
      h('p', { class: 'hint', id: 'rv-text-hint' }, 'Văn bản UTF-8, tối đa 60 KB. Hệ thống đề xuất nhiệm vụ, đơn vị chủ trì, thời hạn; bạn rà soát, sửa rồi mới tạo.'),
      textErr),
    h('div', { class: 'rv-src-actions' },
      h('div', { class: 'field rv-file-field' },
        h('label', { for: 'rv-file' }, 'Hoặc chọn tệp văn bản (.docx, .pdf, .txt)'), fileIn),
      textCount,
      h('div', { class: 'toolbar-buttons' }, readBtn)),
    readStatus);
  const srcPanel = h('details', { class: 'panel rv-source', open: true }, srcSummary, srcForm);

  const work = h('div', { class: 'rv-work' });
  setChildren(root,
    h('nav', { class: 'breadcrumb', 'aria-label': 'Vị trí' }, h('ol', null,
      h('li', null, h('a', { href: '#/directives' }, 'Văn bản chỉ đạo')),
      h('li', { 'aria-current': 'page' }, 'Đọc văn bản'))),
    srcPanel, work);

  function showCount() {
    const n = byteLength(textArea.value);
    textCount.textContent = n ? `${fmtNumber(Math.round(n / 102.4) / 10)} KB / 60 KB` : '';
    textCount.classList.toggle('rv-over', n > MAX_TEXT);
  }
  function setTextError(msg) {
    textErr.textContent = msg || '';
    textErr.hidden = !msg;
    if (msg) textArea.setAttribute('aria-invalid', 'true'); else textArea.removeAttribute('aria-invalid');
  }
  textArea.addEventListener('input', () => { showCount(); setTextError(null); });
  fileIn.addEventListener('change', () => {
    const f = fileIn.files && fileIn.files[0];
    if (!f) return;
    if (!/\.txt$/i.test(f.name) && f.type !== 'text/plain') {
      // .docx and PDF go to the server as they are; it reads them (8 MB at most)
      if (f.size > 8 * 1024 * 1024) { setTextError(`Tệp "${f.name}" lớn hơn 8 MB.`); return; }
      read(() => upload('/directives/extract', f, { signal: ctx.signal }));
      return;
    }
    if (f.size > MAX_TEXT) { setTextError(`Tệp "${f.name}" lớn hơn 60 KB.`); return; }
    const fr = new FileReader();
    fr.onload = () => {
      textArea.value = String(fr.result || '').replace(/^\uFEFF/, '');
      showCount();
      setTextError(null);
      textArea.focus();
      notify(`Đã đọc tệp ${f.name}.`);
    };
    fr.onerror = () => setTextError(`Không đọc được tệp "${f.name}".`);
    fr.readAsText(f, 'UTF-8');
  });

  let busyRead = false;
  srcForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busyRead) return;
    const text = textArea.value.normalize('NFC');
    if (!text.trim()) { setTextError('Vui lòng dán nội dung văn bản hoặc chọn tệp.'); textArea.focus(); return; }
    if (byteLength(text) > MAX_TEXT) { setTextError('Văn bản dài quá 60 KB; hãy chỉ dán phần nội dung giao nhiệm vụ.'); textArea.focus(); return; }
    setTextError(null);
    read(() => post('/directives/extract', { text }, { signal: ctx.signal }));
  });

  /** Sends the text or the document to the reader and shows its proposal. */
  async function read(request) {
    busyRead = true;
    readBtn.disabled = true;
    srcForm.setAttribute('aria-busy', 'true');
    setChildren(readStatus, loading('Đang đọc văn bản…'));
    try {
      const r = await request();
      if (r && r.text && !textArea.value.trim()) textArea.value = r.text;
      setChildren(readStatus);
      showProposal(r);
      srcSummary.querySelector('.rv-summary-note').textContent = ` — đã đọc, ${fmtNumber((r.tasks || []).length)} nhiệm vụ đề xuất (bấm để xem hoặc đọc lại)`;
      srcPanel.open = false;
      const first = work.querySelector('#rv-number');
      if (first) first.focus();
    } catch (e) {
      if (e.name === 'AbortError') return;
      setChildren(readStatus);
      if (e.field === 'text' || e.field === 'file' || e.status === 413) { setTextError(e.message); textArea.focus(); } else setChildren(readStatus, errorBox(e.message));
    } finally {
      busyRead = false;
      readBtn.disabled = false;
      srcForm.removeAttribute('aria-busy');
    }
  }

  // ---------- 2–4. the proposal ----------

  let state = null; // {tasks, map, text, marksByTask, numsByTask}
  let seq = 0;

  function showProposal(r) {
    const text = String(r.text || '');
    const map = byteIndexMap(text);
    const toIndex = (b) => (Number.isInteger(b) && b >= 0 && b < map.length ? map[b] : -1);
    const tasks = (r.tasks || []).map((p, i) => makeTask(p, i + 1, toIndex(p.start), toIndex(p.end)));
    seq = tasks.length;
    state = { text, tasks, marksByTask: new Map(), numsByTask: new Map(), active: null, issuedYear: (r.issued_on || '').slice(0, 4) };

    // --- the directive's fields ---
    const dir = directiveFields(r, text);

    // --- the text pane ---
    const textPane = h('div', { class: 'rv-text', tabindex: '0', role: 'region', 'aria-label': 'Văn bản đã chuẩn hóa, các câu giao nhiệm vụ được đánh dấu' });
    renderText(textPane);

    // --- the task list ---
    const list = h('ol', { class: 'rv-tasks', 'aria-label': 'Các nhiệm vụ đề xuất' });
    for (const t of tasks) list.appendChild(buildCard(t));
    const addBtn = h('button', { type: 'button', class: 'btn' }, '+ Thêm nhiệm vụ');
    const emptyNote = h('p', { class: 'empty-note' }, 'Không tìm thấy câu giao nhiệm vụ nào trong văn bản. Bạn có thể thêm nhiệm vụ bằng nút “Thêm nhiệm vụ”.');
    const countLine = h('p', { class: 'kids-summary rv-count-line' });

    // bulk: one due date for the tasks the text gives none
    const bulkId = 'rv-bulk-due';
    const bulkIn = h('input', { id: bulkId, type: 'text', class: 'input-date', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', autocomplete: 'off', 'aria-describedby': 'rv-bulk-hint' });
    bulkIn.value = state.issuedYear ? `31/12/${state.issuedYear}` : '';
    const bulkBtn = h('button', { type: 'button', class: 'btn btn-small' }, 'Áp dụng');
    const bulkErr = h('p', { class: 'field-error', hidden: true });
    const bulkCount = h('span', { class: 'rv-bulk-count' });
    const bulk = h('div', { class: 'rv-bulk' },
      h('label', { for: bulkId }, 'Hạn chung cho ', bulkCount, ' nhiệm vụ chưa có thời hạn'),
      h('div', { class: 'rv-bulk-row' }, bulkIn, bulkBtn),
      h('p', { class: 'hint', id: 'rv-bulk-hint' }, 'Nhiệm vụ "thường xuyên" không nêu hạn: đặt một hạn đánh giá chung (ví dụ cuối năm), hoặc sửa từng nhiệm vụ.'),
      bulkErr);

    const paneHead = h('div', { class: 'rv-pane-head' },
      h('h3', { class: 'panel-title', id: 'rv-tasks-h' }, 'Nhiệm vụ đề xuất'), countLine);

    // --- the action bar ---
    const summary = h('p', { class: 'rv-summary', 'aria-live': 'polite' });
    const nextBtn = h('button', { type: 'button', class: 'btn' }, 'Đến mục cần xử lý');
    const confirmBtn = h('button', { type: 'button', class: 'btn btn-primary rv-confirm' });
    const formError = h('div', { class: 'alert alert-error rv-form-error', role: 'alert', hidden: true });
    const actions = h('div', { class: 'rv-actions', role: 'region', 'aria-label': 'Tạo văn bản và nhiệm vụ' },
      h('div', { class: 'rv-actions-inner' }, summary, h('div', { class: 'toolbar-buttons' }, nextBtn, confirmBtn)),
      formError);

    setChildren(work,
      dir.panel,
      h('section', { class: 'rv-review', 'aria-labelledby': 'rv-review-h' },
        h('h2', { class: 'section-title', id: 'rv-review-h' }, h('span', { class: 'rv-step' }, '3'), ' Rà soát nhiệm vụ'),
        h('p', { class: 'hint rv-review-hint' }, 'Di chuột hoặc chuyển đến một nhiệm vụ để xem câu tương ứng bên trái; bấm vào câu được đánh dấu (hoặc số của nó) để chọn nhiệm vụ. Trong văn bản, phím mũi tên chuyển giữa các số.'),
        h('div', { class: 'rv-panes' },
          h('div', { class: 'rv-pane rv-pane-text' },
            h('h3', { class: 'panel-title' }, 'Văn bản'), textPane),
          h('div', { class: 'rv-pane rv-pane-tasks', role: 'region', 'aria-labelledby': 'rv-tasks-h' },
            paneHead, bulk, emptyNote, list, h('div', { class: 'rv-add' }, addBtn)))),
      actions);

    // ---------- behaviour ----------

    function active() { return state.tasks.filter((t) => !t.dropped); }
    function problems(t) {
      const p = [];
      const v = readTask(t);
      if (!v.lead) p.push('lead');
      if (!v.title) p.push('title');
      if (v.timing === 'due') { if (!v.due) p.push('due'); } else if (!v.recurrence) p.push('recurrence');
      return p;
    }
    function refreshCard(t) {
      const v = readTask(t);
      const el = t.el;
      el.leadNote.hidden = !!v.lead || !t.leadName;
      el.leadSel.classList.toggle('rv-unresolved-select', !v.lead && !!t.leadName);
      const rec = v.timing !== 'due';
      el.dueField.hidden = rec;
      el.dayField.hidden = !rec || v.timing === 'weekly';
      el.monthField.hidden = v.timing !== 'yearly';
      el.wdField.hidden = v.timing !== 'weekly';
      let warn = '';
      if (rec && !v.recurrence) {
        const what = v.timing === 'weekly' ? 'thứ trong tuần' : v.timing === 'yearly' ? 'ngày và tháng' : v.timing === 'quarterly' ? 'ngày (của tháng cuối quý)' : 'ngày trong tháng';
        warn = `${t.recEvidence ? `Văn bản chỉ nêu “${t.recEvidence}”` : `Định kỳ ${PERIOD_WORD[v.timing]}`}, chưa nêu ngày: vui lòng chọn ${what}.`;
      } else if (!rec && !v.due) {
        warn = el.dueIn.value.trim() ? 'Hạn không hợp lệ; nhập theo dạng dd/mm/yyyy.' : 'Văn bản không nêu hạn: nhập hạn hoàn thành hoặc chọn định kỳ.';
      }
      el.warn.textContent = warn;
      el.warn.hidden = !warn;
      const need = !t.dropped && problems(t).length > 0;
      el.card.classList.toggle('rv-need', need);
    }
    function refreshSummary() {
      const act = active();
      const need = act.filter((t) => problems(t).length);
      const dropped = state.tasks.filter((t) => t.dropped).length;
      const parts = [`${fmtNumber(act.length)} nhiệm vụ sẽ được tạo`];
      if (dropped) parts.push(`${fmtNumber(dropped)} đã bỏ`);
      parts.push(need.length ? `${fmtNumber(need.length)} cần xử lý` : 'không còn mục cần xử lý');
      summary.textContent = parts.join(' · ');
      summary.classList.toggle('rv-summary-need', need.length > 0);
      nextBtn.hidden = need.length === 0;
      confirmBtn.textContent = `Tạo văn bản và ${fmtNumber(act.length)} nhiệm vụ`;
      confirmBtn.disabled = act.length === 0;
      emptyNote.hidden = state.tasks.length > 0;
      countLine.textContent = `${fmtNumber(state.tasks.length)} nhiệm vụ${dropped ? `, đã bỏ ${fmtNumber(dropped)}` : ''}`;
      const noDue = act.filter((t) => { const v = readTask(t); return v.timing === 'due' && !t.el.dueIn.value.trim(); }).length;
      bulkCount.textContent = fmtNumber(noDue);
      bulk.hidden = noDue === 0;
    }

    // emphasis and scrolling
    function ensureVisible(container, el) {
      const c = container.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      if (r.top >= c.top + 4 && r.bottom <= c.bottom - 4) return;
      container.scrollTop += (r.top - c.top) - (container.clientHeight / 2) + Math.min(r.height, container.clientHeight / 2) / 2;
    }
    function setActive(t, { scrollText = true } = {}) {
      if (state.active === t) {
        if (scrollText) { const m = (state.marksByTask.get(t.key) || [])[0]; if (m) ensureVisible(textPane, m); }
        return;
      }
      if (state.active) {
        state.active.el.card.classList.remove('rv-task-active');
        for (const m of state.marksByTask.get(state.active.key) || []) m.classList.remove('rv-on');
        const nb = state.numsByTask.get(state.active.key);
        if (nb) { nb.classList.remove('rv-on'); nb.tabIndex = -1; }
      }
      state.active = t;
      if (!t) return;
      t.el.card.classList.add('rv-task-active');
      const marks = state.marksByTask.get(t.key) || [];
      for (const m of marks) m.classList.add('rv-on');
      const nb = state.numsByTask.get(t.key);
      if (nb) {
        nb.classList.add('rv-on');
        for (const b of textPane.querySelectorAll('.rv-num[tabindex="0"]')) b.tabIndex = -1;
        nb.tabIndex = 0;
      }
      if (scrollText && (nb || marks[0])) ensureVisible(textPane, nb || marks[0]);
    }
    function selectFromText(key) {
      const t = state.tasks.find((x) => x.key === key);
      if (!t) return;
      setActive(t, { scrollText: false });
      t.el.card.scrollIntoView({ block: 'nearest' });
      (t.dropped ? t.el.restoreBtn : t.el.card).focus({ preventScroll: true });
    }
    textPane.addEventListener('click', (ev) => {
      const num = ev.target.closest('.rv-num');
      if (num) { selectFromText(num.dataset.task); return; }
      const mark = ev.target.closest('.rv-mark');
      if (!mark) return;
      // the innermost (shortest) task covering this piece of text
      const keys = mark.dataset.tasks.split(' ');
      let best = null;
      for (const k of keys) {
        const t = state.tasks.find((x) => x.key === k);
        if (t && (!best || (t.end - t.start) < (best.end - best.start))) best = t;
      }
      if (best) selectFromText(best.key);
    });
    textPane.addEventListener('keydown', (ev) => {
      if (!['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(ev.key)) return;
      const nums = [...textPane.querySelectorAll('.rv-num')];
      if (!nums.length || !ev.target.classList.contains('rv-num')) return;
      ev.preventDefault();
      let i = nums.indexOf(ev.target);
      if (ev.key === 'Home') i = 0;
      else if (ev.key === 'End') i = nums.length - 1;
      else if (ev.key === 'ArrowDown' || ev.key === 'ArrowRight') i = Math.min(nums.length - 1, i + 1);
      else i = Math.max(0, i - 1);
      for (const b of nums) b.tabIndex = -1;
      nums[i].tabIndex = 0;
      nums[i].focus();
      const t = state.tasks.find((x) => x.key === nums[i].dataset.task);
      if (t) { setActive(t, { scrollText: false }); t.el.card.scrollIntoView({ block: 'nearest' }); }
    });

    let hoverTimer = null;
    list.addEventListener('focusin', (ev) => {
      const card = ev.target.closest('.rv-task');
      if (card) setActive(card._task);
    });
    list.addEventListener('mouseover', (ev) => {
      const card = ev.target.closest('.rv-task');
      if (!card || card._task === state.active) return;
      clearTimeout(hoverTimer);
      hoverTimer = setTimeout(() => setActive(card._task), 120);
    });
    list.addEventListener('mouseleave', () => clearTimeout(hoverTimer));
    const onEdit = (ev) => {
      const card = ev.target.closest('.rv-task');
      if (!card) return;
      const t = card._task;
      if (ev.target === t.el.leadSel) t.leadTouched = true;
      clearTaskErrors(t, ev.target);
      refreshCard(t);
      refreshSummary();
    };
    list.addEventListener('input', onEdit);
    list.addEventListener('change', onEdit);

    // drop / restore / support chips (delegated)
    list.addEventListener('click', (ev) => {
      const btn = ev.target.closest('button');
      if (!btn) return;
      const card = btn.closest('.rv-task');
      const t = card && card._task;
      if (!t) return;
      if (btn === t.el.dropBtn) {
        t.dropped = true;
        card.classList.add('rv-task-dropped');
        t.el.body.hidden = true;
        t.el.dropBtn.hidden = true;
        t.el.droppedBar.hidden = false;
        for (const m of state.marksByTask.get(t.key) || []) markDropped(m);
        const nb = state.numsByTask.get(t.key);
        if (nb) nb.classList.add('rv-num-dropped');
        refreshCard(t);
        refreshSummary();
        t.el.restoreBtn.focus();
      } else if (btn === t.el.restoreBtn) {
        t.dropped = false;
        card.classList.remove('rv-task-dropped');
        t.el.body.hidden = false;
        t.el.dropBtn.hidden = false;
        t.el.droppedBar.hidden = true;
        for (const m of state.marksByTask.get(t.key) || []) markDropped(m);
        const nb = state.numsByTask.get(t.key);
        if (nb) nb.classList.remove('rv-num-dropped');
        refreshCard(t);
        refreshSummary();
        t.el.dropBtn.focus();
      } else if (btn.classList.contains('rv-chip-x')) {
        const i = Number(btn.dataset.i);
        t.support.splice(i, 1);
        renderSupport(t);
        const next = t.el.supportList.querySelectorAll('.rv-chip-x')[Math.min(i, t.support.length - 1)];
        (next || t.el.supportAdd).focus();
      }
    });
    function markDropped(m) {
      const keys = m.dataset.tasks.split(' ');
      const allDropped = keys.every((k) => { const t = state.tasks.find((x) => x.key === k); return !t || t.dropped; });
      m.classList.toggle('rv-mark-dropped', allDropped);
    }

    addBtn.addEventListener('click', () => {
      const t = makeTask(null, ++seq, -1, -1);
      state.tasks.push(t);
      const card = buildCard(t);
      list.appendChild(card);
      refreshCard(t);
      refreshSummary();
      card.scrollIntoView({ block: 'center' });
      t.el.leadSel.focus();
    });

    bulkBtn.addEventListener('click', () => {
      const iso = parseDmy(bulkIn.value);
      if (!iso) {
        bulkErr.textContent = 'Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy, ví dụ 31/12/2017.';
        bulkErr.hidden = false;
        bulkIn.setAttribute('aria-invalid', 'true');
        bulkIn.focus();
        return;
      }
      bulkErr.hidden = true;
      bulkIn.removeAttribute('aria-invalid');
      let n = 0;
      for (const t of active()) {
        if (t.el.timingSel.value === 'due' && !t.el.dueIn.value.trim()) {
          t.el.dueIn.value = fmtDate(iso);
          n++;
          refreshCard(t);
        }
      }
      refreshSummary();
      notify(`Đã đặt hạn ${fmtDate(iso)} cho ${fmtNumber(n)} nhiệm vụ.`);
    });

    nextBtn.addEventListener('click', () => {
      const need = active().filter((t) => problems(t).length);
      if (!need.length) return;
      // the first one after the current, wrapping
      const cur = state.active ? state.tasks.indexOf(state.active) : -1;
      const t = need.find((x) => state.tasks.indexOf(x) > cur) || need[0];
      const p = problems(t)[0];
      const el = p === 'lead' ? t.el.leadSel : p === 'title' ? t.el.titleTa : p === 'due' ? t.el.dueIn
        : t.el.timingSel.value === 'weekly' ? t.el.wdSel : (t.el.timingSel.value === 'yearly' && !t.el.monthSel.value) ? t.el.monthSel : t.el.dayIn;
      t.el.card.scrollIntoView({ block: 'center' });
      el.focus({ preventScroll: true });
    });

    // ---------- confirm ----------

    let busy = false;
    confirmBtn.addEventListener('click', async () => {
      if (busy) return;
      clearAllErrors();
      const d = dir.read();
      let firstBad = null;
      const bad = (el) => { if (!firstBad) firstBad = el; };
      if (!d.number) bad(dir.setError('number', 'Vui lòng nhập số hiệu.'));
      if (!d.kind) bad(dir.setError('kind', 'Vui lòng chọn loại văn bản.'));
      if (d.issued_on === null) bad(dir.setError('issued_on', 'Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy, ví dụ 20/03/2017.'));
      else if (!d.issued_on) bad(dir.setError('issued_on', 'Vui lòng nhập ngày ban hành.'));
      if (!d.issuer_unit_id) bad(dir.setError('issuer_unit_id', 'Vui lòng chọn đơn vị ban hành.'));
      if (!d.title) bad(dir.setError('title', 'Vui lòng nhập trích yếu.'));
      const act = active();
      const sent = [];
      let nBad = firstBad ? 1 : 0;
      for (const t of act) {
        const v = readTask(t);
        const errs = [];
        if (!v.lead) errs.push(['lead', t.leadName ? `Không khớp đơn vị: ${t.leadName}. Chọn đơn vị (hoặc nhóm) chủ trì, hoặc bỏ nhiệm vụ này.` : 'Vui lòng chọn đơn vị chủ trì.']);
        if (!v.title) errs.push(['title', 'Vui lòng nhập tên nhiệm vụ.']);
        if (v.timing === 'due' && !v.due) errs.push(['due', t.el.dueIn.value.trim() ? 'Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy.' : 'Vui lòng nhập hạn hoàn thành hoặc chọn định kỳ.']);
        if (v.timing !== 'due' && !v.recurrence) errs.push(['recurrence', v.recError || 'Vui lòng chọn ngày của kỳ.']);
        const sup = supportIds(t, v);
        if (sup.length > MAX_SUPPORT) errs.push(['support', `Tối đa ${MAX_SUPPORT} đơn vị phối hợp (đang chọn ${sup.length}).`]);
        if (errs.length) {
          nBad++;
          for (const [f, m] of errs) bad(setTaskError(t, f, m));
          continue;
        }
        const o = { title: v.title };
        if (v.lead.startsWith('g:')) o.group_id = Number(v.lead.slice(2)); else o.lead_unit_id = Number(v.lead.slice(2));
        if (sup.length) o.support_unit_ids = sup;
        if (v.timing === 'due') o.due_date = v.due; else o.recurrence = v.recurrence;
        if (v.section) o.section = v.section;
        if (t.content && t.content !== v.title) o.content = t.content;
        sent.push({ t, o });
      }
      if (firstBad) {
        showFormError(`Còn ${fmtNumber(nBad)} chỗ cần sửa trước khi tạo (đánh dấu ⚠ bên dưới).`);
        firstBad.scrollIntoView({ block: 'center' });
        firstBad.focus({ preventScroll: true });
        return;
      }
      const directive = { number: d.number, kind: d.kind, issued_on: d.issued_on, issuer_unit_id: Number(d.issuer_unit_id), title: d.title };
      if (d.signer) directive.signer = d.signer;
      if (d.withText && state.text) directive.text = state.text;
      busy = true;
      confirmBtn.disabled = true;
      actions.setAttribute('aria-busy', 'true');
      const label = confirmBtn.textContent;
      confirmBtn.textContent = 'Đang tạo…';
      try {
        const r = await post('/directives/confirm', { directive, tasks: sent.map((x) => x.o) }, { signal: ctx.signal });
        const n = (r.task_ids || []).length;
        notify(`Đã tạo văn bản ${r.directive.number} và ${fmtNumber(n)} nhiệm vụ.`);
        location.hash = `#/directives/${r.directive.id}`;
      } catch (e) {
        if (e.name === 'AbortError') return;
        confirmBtn.textContent = label;
        const f = e.field || '';
        const m = /^tasks\[(\d+)\](?:\.(\w+))?/.exec(f);
        let el = null;
        if (m && sent[Number(m[1])]) {
          const { t } = sent[Number(m[1])];
          const key = { lead_unit_id: 'lead', group_id: 'lead', support_unit_ids: 'support', title: 'title', due_date: 'due', recurrence: 'recurrence', section: 'section' }[m[2]] || 'general';
          el = setTaskError(t, key, e.message);
          showFormError(`Nhiệm vụ ${t.num}: ${e.message}`);
        } else if (f && dir.has(f.replace(/^directive\./, ''))) {
          el = dir.setError(f.replace(/^directive\./, ''), e.message);
          showFormError(e.message);
        } else {
          showFormError(e.message);
          el = formError;
        }
        if (el) { el.scrollIntoView({ block: 'center' }); if (el !== formError) el.focus({ preventScroll: true }); }
      } finally {
        busy = false;
        confirmBtn.disabled = active().length === 0;
        actions.removeAttribute('aria-busy');
        if (confirmBtn.textContent === 'Đang tạo…') confirmBtn.textContent = label;
      }
    });
    function showFormError(msg) {
      formError.textContent = msg;
      formError.hidden = false;
    }
    function clearAllErrors() {
      formError.hidden = true;
      dir.clearErrors();
      for (const t of state.tasks) clearTaskErrors(t);
    }

    for (const t of tasks) refreshCard(t);
    refreshSummary();
  }

  // ---------- pieces of the proposal ----------

  function makeTask(p, num, start, end) {
    const lead = (p && p.lead) || null;
    let leadValue = '';
    let leadName = '';
    let leadWhy = '';
    if (lead) {
      if (lead.kind === 'unit' && allowedIds.has(lead.unit_id)) leadValue = `u:${lead.unit_id}`;
      else if (lead.kind === 'group' && groupById.has(lead.group_id)) leadValue = `g:${lead.group_id}`;
      else {
        leadName = lead.name || '(không rõ)';
        leadWhy = lead.kind === 'unit' ? 'ngoài phạm vi giao việc của bạn' : lead.kind === 'group' ? 'nhóm đơn vị chưa có trong hệ thống hoặc bạn không được giao cho nhóm' : '';
      }
    }
    const rec = parseRecurrence(p && p.recurrence);
    const support = ((p && p.support) || []).map((s) => {
      if (s.kind === 'unit' && units.byId.has(s.unit_id)) return { kind: 'unit', id: s.unit_id, name: units.byId.get(s.unit_id).name };
      if (s.kind === 'group' && groupById.has(s.group_id)) return { kind: 'group', id: s.group_id, name: groupById.get(s.group_id).name };
      return { kind: 'unresolved', id: null, name: s.name || '(không rõ)' };
    });
    const ev = (p && p.evidence) || {};
    return {
      key: `t${num}`,
      num,
      start,
      end,
      added: !p,
      dropped: false,
      leadValue,
      leadName,
      leadWhy,
      support,
      title: p ? String(p.title || '') : '',
      content: p && p.content ? String(p.content) : '',
      due: p && p.due_date && rec.timing === 'due' ? p.due_date : '',
      rec,
      recEvidence: ev.recurrence || '',
      section: p ? String(p.section || '') : '',
      confidence: p ? p.confidence : null,
      evidence: ev,
      el: null,
    };
  }

  /** The values of a task as the API wants them ('' / null when missing). */
  function readTask(t) {
    const el = t.el;
    const timing = el.timingSel.value;
    const out = {
      lead: el.leadSel.value,
      title: clean(el.titleTa.value),
      timing,
      due: '',
      recurrence: '',
      recError: '',
      section: clean(el.sectionIn.value),
    };
    if (timing === 'due') out.due = parseDmy(el.dueIn.value) || '';
    else if (timing === 'weekly') out.recurrence = el.wdSel.value ? `weekly:${el.wdSel.value}` : '';
    else {
      const day = Number(el.dayIn.value);
      const okDay = Number.isInteger(day) && day >= 1 && day <= 31 && el.dayIn.value.trim() !== '';
      if (!okDay) out.recError = el.dayIn.value.trim() ? 'Ngày phải là số từ 1 đến 31.' : 'Vui lòng chọn ngày của kỳ.';
      if (timing === 'yearly') {
        const month = Number(el.monthSel.value);
        if (!month) out.recError = 'Vui lòng chọn tháng và ngày.';
        else if (okDay) {
          const dim = new Date(Date.UTC(2000, month, 0)).getUTCDate();
          if (day > dim) out.recError = `Tháng ${month} chỉ có ${dim} ngày.`;
          else out.recurrence = `yearly:${pad(month)}-${pad(day)}`;
        }
      } else if (okDay) {
        out.recurrence = `${timing}:${pad(day)}`;
      }
    }
    return out;
  }

  /** Support unit ids: chosen units and the members of chosen groups, without the lead unit. */
  function supportIds(t, v) {
    const ids = new Set();
    for (const s of t.support) {
      if (s.kind === 'unit') ids.add(s.id);
      else if (s.kind === 'group') for (const id of (groupById.get(s.id)?.unit_ids || [])) ids.add(id);
    }
    if (v.lead.startsWith('u:')) ids.delete(Number(v.lead.slice(2)));
    return [...ids];
  }

  function buildCard(t) {
    const headId = nextId('rv-task-h');
    const mk = (name) => nextId(`rv-${name}`);
    const errEl = () => h('p', { class: 'field-error', hidden: true });
    const errs = { lead: errEl(), support: errEl(), title: errEl(), due: errEl(), recurrence: errEl(), section: errEl(), general: errEl() };
    for (const [k, e] of Object.entries(errs)) e.id = nextId(`rv-err-${k}`);

    // lead
    const leadId = mk('lead');
    const leadSel = leadTpl.cloneNode(true);
    leadSel.id = leadId;
    leadSel.value = t.leadValue;
    const leadNoteId = nextId('rv-leadnote');
    const leadNote = h('p', { class: 'rv-unresolved', id: leadNoteId },
      `Không khớp đơn vị: ${t.leadName}`, t.leadWhy ? h('span', { class: 'rv-why' }, ` (${t.leadWhy})`) : null);
    leadSel.setAttribute('aria-describedby', `${leadNoteId} ${errs.lead.id}`);
    const leadField = h('div', { class: 'field rv-f-lead' }, h('label', { for: leadId }, 'Đơn vị chủ trì'), leadNote, leadSel, errs.lead);

    // section
    const secId = mk('section');
    const sectionIn = h('input', { id: secId, type: 'text', maxlength: '32', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': errs.section.id });
    sectionIn.value = t.section;
    const secField = h('div', { class: 'field rv-f-section' }, h('label', { for: secId }, 'Mục'), sectionIn, errs.section);

    // title
    const titleId = mk('title');
    const titleTa = h('textarea', { id: titleId, rows: '3', maxlength: String(TITLE_MAX), 'aria-describedby': errs.title.id });
    titleTa.value = t.title;
    const titleField = h('div', { class: 'field rv-f-title' }, h('label', { for: titleId }, 'Tên nhiệm vụ'), titleTa, errs.title);

    // timing
    const warnId = nextId('rv-warn');
    const warn = h('p', { class: 'rv-warn', id: warnId, hidden: true });
    const timingId = mk('timing');
    const timingSel = timingTpl.cloneNode(true);
    timingSel.id = timingId;
    timingSel.value = t.rec.timing;
    timingSel.setAttribute('aria-describedby', `${warnId} ${errs.recurrence.id}`);
    const dueId = mk('due');
    const dueIn = h('input', { id: dueId, type: 'text', class: 'input-date', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', autocomplete: 'off', 'aria-describedby': `${warnId} ${errs.due.id}` });
    dueIn.value = fmtDate(t.due);
    const dayId = mk('day');
    const dayIn = h('input', { id: dayId, type: 'number', min: '1', max: '31', inputmode: 'numeric', class: 'rv-day', 'aria-describedby': `${warnId} ${errs.recurrence.id}` });
    dayIn.value = t.rec.day;
    const monthId = mk('month');
    const monthSel = monthTpl.cloneNode(true);
    monthSel.id = monthId;
    monthSel.value = t.rec.month;
    monthSel.setAttribute('aria-describedby', `${warnId} ${errs.recurrence.id}`);
    const wdId = mk('wd');
    const wdSel = weekdayTpl.cloneNode(true);
    wdSel.id = wdId;
    wdSel.value = t.rec.weekday;
    wdSel.setAttribute('aria-describedby', `${warnId} ${errs.recurrence.id}`);
    const dueField = h('div', { class: 'field rv-f-due' }, h('label', { for: dueId }, 'Hạn hoàn thành'), dueIn);
    const dayField = h('div', { class: 'field rv-f-day' }, h('label', { for: dayId }, 'Ngày'), dayIn);
    const monthField = h('div', { class: 'field rv-f-month' }, h('label', { for: monthId }, 'Tháng'), monthSel);
    const wdField = h('div', { class: 'field rv-f-wd' }, h('label', { for: wdId }, 'Thứ'), wdSel);
    const timingRow = h('div', { class: 'rv-timing' },
      h('div', { class: 'field rv-f-timing' }, h('label', { for: timingId }, 'Thời hạn'), timingSel),
      dueField, dayField, monthField, wdField);

    // support
    const supLegendId = nextId('rv-sup');
    const supportList = h('ul', { class: 'rv-chips', 'aria-labelledby': supLegendId });
    const supportAdd = supportTpl.cloneNode(true);
    supportAdd.setAttribute('aria-label', 'Thêm đơn vị phối hợp');
    supportAdd.setAttribute('aria-describedby', errs.support.id);
    supportAdd.classList.add('rv-support-add');
    supportAdd.addEventListener('change', () => {
      const val = supportAdd.value;
      if (!val) return;
      const id = Number(val.slice(2));
      const kind = val.startsWith('g:') ? 'group' : 'unit';
      if (!t.support.some((s) => s.kind === kind && s.id === id)) {
        const name = kind === 'group' ? groupById.get(id).name : units.byId.get(id).name;
        t.support.push({ kind, id, name });
        renderSupport(t);
      }
      supportAdd.value = '';
    });
    const supportField = h('fieldset', { class: 'field rv-f-support' },
      h('legend', { id: supLegendId }, 'Đơn vị phối hợp'), supportList, supportAdd, errs.support);

    // evidence
    const ev = t.evidence || {};
    const evParts = [];
    if (ev.lead) evParts.push(['chủ trì', ev.lead]);
    if (ev.due_date) evParts.push(['hạn', ev.due_date]);
    if (ev.recurrence) evParts.push(['định kỳ', ev.recurrence]);
    const evidence = evParts.length
      ? h('p', { class: 'rv-evidence' }, 'Căn cứ: ', evParts.map(([k, v], i) => [i ? ' · ' : '', `${k} `, h('q', null, v)]))
      : null;

    const dropBtn = h('button', { type: 'button', class: 'btn btn-small btn-danger-outline rv-drop', 'aria-label': `Bỏ nhiệm vụ ${t.num}` }, 'Bỏ');
    const restoreBtn = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Khôi phục nhiệm vụ ${t.num}` }, 'Khôi phục');
    const droppedBar = h('p', { class: 'rv-dropped-bar', hidden: true }, `Đã bỏ nhiệm vụ ${t.num}; sẽ không được tạo. `, restoreBtn);
    const body = h('div', { class: 'rv-task-body' },
      h('div', { class: 'rv-row' }, leadField, secField),
      titleField, timingRow, warn, errs.due, errs.recurrence, supportField, evidence, errs.general);
    const card = h('li', { class: `rv-task${t.added ? ' rv-task-added' : ''}`, 'data-task': t.key, tabindex: '-1', 'aria-labelledby': headId },
      h('div', { class: 'rv-task-head' },
        h('span', { class: 'rv-task-num', id: headId }, `Nhiệm vụ ${t.num}`),
        t.section ? h('span', { class: 'rv-task-sec' }, `Mục ${t.section}`) : null,
        t.added ? h('span', { class: 'badge badge-kind' }, 'Thêm mới') : confidenceBadge(t.confidence),
        t.start >= 0 ? null : (t.added ? null : h('span', { class: 'hint' }, '(không định vị được câu)')),
        h('span', { class: 'rv-spacer' }),
        dropBtn),
      body, droppedBar);
    card._task = t;
    t.el = {
      card, body, droppedBar, dropBtn, restoreBtn, leadSel, leadNote, sectionIn, titleTa, timingSel, dueIn, dayIn, monthSel, wdSel,
      dueField, dayField, monthField, wdField, warn, supportList, supportAdd, errs,
      inputs: { lead: leadSel, support: supportAdd, title: titleTa, due: dueIn, recurrence: timingSel, section: sectionIn, general: null },
    };
    renderSupport(t);
    return card;
  }

  function renderSupport(t) {
    const items = t.support.map((s, i) => {
      const label = s.kind === 'group' ? `${s.name} (nhóm, ${fmtNumber((groupById.get(s.id)?.unit_ids || []).length)} đơn vị)`
        : s.kind === 'unresolved' ? `Không khớp đơn vị: ${s.name}` : s.name;
      return h('li', { class: `rv-chip${s.kind === 'unresolved' ? ' rv-chip-unresolved' : ''}`, title: s.kind === 'unresolved' ? 'Tên này không khớp đơn vị nào; sẽ không được lưu. Chọn đúng đơn vị trong danh sách bên dưới.' : null },
        h('span', null, label),
        h('button', { type: 'button', class: 'rv-chip-x', 'data-i': String(i), 'aria-label': `Bỏ đơn vị phối hợp ${s.name}` }, '×'));
    });
    if (!items.length) items.push(h('li', { class: 'rv-chip-none' }, 'Không có'));
    setChildren(t.el.supportList, items);
  }

  function setTaskError(t, key, msg) {
    const err = t.el.errs[key] || t.el.errs.general;
    err.textContent = msg;
    err.hidden = false;
    let input = t.el.inputs[key];
    if (key === 'recurrence') {
      const tm = t.el.timingSel.value;
      input = tm === 'weekly' ? t.el.wdSel : tm === 'yearly' && !t.el.monthSel.value ? t.el.monthSel : tm === 'due' ? t.el.timingSel : t.el.dayIn;
    }
    if (key === 'general' || !input) {
      t.el.card.classList.add('rv-task-error');
      return t.el.card;
    }
    input.setAttribute('aria-invalid', 'true');
    t.el.card.classList.add('rv-task-error');
    return input;
  }
  /** Clears a task's errors: all of them, or those of the field `only` (an input) was edited in. */
  function clearTaskErrors(t, only) {
    if (!t.el) return;
    const e = t.el;
    const keysOf = (el) => {
      if (el === e.leadSel) return ['lead'];
      if (el === e.titleTa) return ['title'];
      if (el === e.dueIn) return ['due'];
      if (el === e.timingSel) return ['due', 'recurrence'];
      if (el === e.dayIn || el === e.monthSel || el === e.wdSel) return ['recurrence'];
      if (el === e.sectionIn) return ['section'];
      if (el === e.supportAdd) return ['support'];
      return [];
    };
    const elsOf = { lead: [e.leadSel], title: [e.titleTa], due: [e.dueIn], recurrence: [e.timingSel, e.dayIn, e.monthSel, e.wdSel], section: [e.sectionIn], support: [e.supportAdd], general: [] };
    const keys = only ? keysOf(only) : Object.keys(e.errs);
    for (const k of keys) {
      e.errs[k].hidden = true;
      e.errs[k].textContent = '';
      for (const el of elsOf[k]) el.removeAttribute('aria-invalid');
    }
    if (!Object.values(e.errs).some((x) => !x.hidden)) e.card.classList.remove('rv-task-error');
  }

  /** The text with every task's sentence marked; overlapping sentences are split in pieces. */
  function renderText(pane) {
    const { text, tasks } = state;
    const spans = tasks.filter((t) => t.start >= 0 && t.end > t.start && t.end <= text.length);
    const cuts = new Set([0, text.length]);
    for (const t of spans) { cuts.add(t.start); cuts.add(t.end); }
    const points = [...cuts].sort((a, b) => a - b);
    const startsAt = new Map();
    for (const t of spans) {
      if (!startsAt.has(t.start)) startsAt.set(t.start, []);
      startsAt.get(t.start).push(t);
    }
    const frag = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      for (const t of startsAt.get(a) || []) {
        const nb = h('button', { type: 'button', class: 'rv-num', tabindex: '-1', 'data-task': t.key, 'aria-label': `Nhiệm vụ ${t.num}` }, String(t.num));
        state.numsByTask.set(t.key, nb);
        frag.appendChild(nb);
      }
      const piece = text.slice(a, b);
      const cover = spans.filter((t) => t.start <= a && t.end >= b);
      if (!cover.length) { frag.appendChild(document.createTextNode(piece)); continue; }
      const m = h('mark', { class: `rv-mark${cover.length > 1 ? ' rv-mark-multi' : ''}`, 'data-tasks': cover.map((t) => t.key).join(' ') }, piece);
      for (const t of cover) {
        if (!state.marksByTask.has(t.key)) state.marksByTask.set(t.key, []);
        state.marksByTask.get(t.key).push(m);
      }
      frag.appendChild(m);
    }
    const first = frag.querySelector('.rv-num');
    if (first) first.tabIndex = 0;
    setChildren(pane, frag);
  }

  /** "2. Thông tin văn bản": the fields of POST /directives, prefilled from the reading. */
  function directiveFields(r, text) {
    const ctl = new Map();
    const field = (name, label, input, { hint, cls = '', required = true } = {}) => {
      const id = `rv-${name.replace('_', '-')}`;
      input.id = id;
      const err = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
      const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
      input.setAttribute('aria-describedby', [hintEl ? `${id}-hint` : null, `${id}-err`].filter(Boolean).join(' '));
      if (required) input.setAttribute('aria-required', 'true');
      const row = h('div', { class: `field ${cls}` }, h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), input, hintEl, err);
      ctl.set(name, { input, err });
      return row;
    };
    const number = h('input', { type: 'text', maxlength: '64', autocomplete: 'off', spellcheck: 'false' });
    number.value = r.number || '';
    const kind = h('select', null, Object.entries(DIRECTIVE_KINDS).map(([v, l]) => h('option', { value: v }, l)));
    kind.value = guessKind(r.number, text);
    const issued = h('input', { type: 'text', class: 'input-date', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', autocomplete: 'off' });
    issued.value = fmtDate(r.issued_on);
    const issuer = h('select', null, h('option', { value: '' }, '— Chọn đơn vị ban hành —'),
      allowed.map(({ unit, depth }) => h('option', { value: String(unit.id) }, `${'\u2003'.repeat(depth)}${unit.name}`)));
    // a UBND document of a city-wide reader: the city; else the reader's own unit
    const root = units.roots[0];
    const byUbnd = /UBND/i.test(String(r.number || '')) && root && allowedIds.has(root.id) && isCitywide(ctx.me);
    issuer.value = byUbnd ? String(root.id) : allowedIds.has(ctx.me.unit_id) ? String(ctx.me.unit_id) : '';
    const title = h('textarea', { rows: '2', maxlength: '1000' });
    title.value = r.title || '';
    const signer = h('input', { type: 'text', maxlength: '200', autocomplete: 'off' });
    signer.value = guessSigner(text);
    const withText = h('input', { type: 'checkbox', id: 'rv-with-text' });
    withText.checked = true;
    const known = (v) => (v ? null : 'Không đọc được từ văn bản: vui lòng nhập.');
    const panel = h('section', { class: 'panel rv-dir', 'aria-labelledby': 'rv-dir-h' },
      h('h2', { class: 'section-title', id: 'rv-dir-h' }, h('span', { class: 'rv-step' }, '2'), ' Thông tin văn bản'),
      h('div', { class: 'rv-dir-grid' },
        field('number', 'Số hiệu', number, { hint: known(r.number) || 'Ví dụ: 69/KH-UBND.', cls: 'rv-g-number' }),
        field('kind', 'Loại', kind, { cls: 'rv-g-kind' }),
        field('issued_on', 'Ngày ban hành', issued, { hint: known(r.issued_on) || 'dd/mm/yyyy', cls: 'rv-g-issued' }),
        field('issuer_unit_id', 'Đơn vị ban hành', issuer, { cls: 'rv-g-issuer' }),
        field('signer', 'Người ký', signer, { required: false, hint: signer.value ? 'Đoán từ cuối văn bản; kiểm tra lại.' : null, cls: 'rv-g-signer' }),
        field('title', 'Trích yếu', title, { hint: known(r.title), cls: 'rv-g-title' }),
        h('div', { class: 'field field-check rv-g-text' }, withText, h('label', { for: 'rv-with-text' }, 'Lưu kèm toàn văn văn bản (đã chuẩn hóa)'))));
    if (r.number === null || r.number === undefined) number.classList.add('rv-missing');
    return {
      panel,
      has: (name) => ctl.has(name) || name === 'text',
      read() {
        return {
          number: clean(number.value),
          kind: kind.value,
          issued_on: parseDmy(issued.value),
          issuer_unit_id: issuer.value,
          title: clean(title.value),
          signer: clean(signer.value),
          withText: withText.checked,
        };
      },
      setError(name, msg) {
        const c = ctl.get(name) || (name === 'text' ? { input: withText, err: null } : null);
        if (!c) return null;
        if (c.err) { c.err.textContent = msg; c.err.hidden = false; }
        c.input.setAttribute('aria-invalid', 'true');
        return c.input;
      },
      clearErrors() {
        for (const c of ctl.values()) { c.err.hidden = true; c.err.textContent = ''; c.input.removeAttribute('aria-invalid'); }
      },
    };
  }

  showCount();
  textArea.focus();
  return undefined;
}
