// Tiếp nhận hồ sơ (#/desk): the one-stop desk receives dossiers with the keyboard. The
// procedure is found by typing (accent-insensitive), then the applicant, the channel, the
// component checklist (pre-filled from the procedure; space toggles) and the receipt time
// (default: now). Enter in a field moves to the next one, in the last field it submits; Ctrl+Enter
// submits from anywhere. POST /dossiers answers the code and the appointment; the receipt
// (GET /dossiers/{id}/receipt.pdf) opens in a new tab; the procedure stays for the next applicant.
import { get, post } from '../api.js';
import { h, setChildren, fmtDate, clean, nextId } from '../util.js';
import { errorBox, notify } from '../ui.js';
import { procedurePicker, limitText, CHANNELS, nowDmyHm, parseDmyHm, pdfUrl, fmtDmyHm } from './onestop-common.js';

export default async function render(root, ctx) {
  ctx.setTitle('Tiếp nhận hồ sơ');
  const errs = new Map();
  const field = (name, labelText, input, { required = false, hint = null } = {}) => {
    const err = h('p', { class: 'field-error', id: `${input.id}-err`, hidden: true });
    const hintEl = hint ? h('p', { class: 'hint', id: `${input.id}-hint` }, hint) : null;
    input.setAttribute('aria-describedby', [hintEl ? hintEl.id : null, err.id].filter(Boolean).join(' '));
    errs.set(name, { err, input });
    return h('div', { class: 'field', 'data-field': name },
      h('label', { for: input.id }, labelText, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
      input, hintEl, err);
  };

  const info = h('div', { class: 'desk-proc-info', 'aria-live': 'polite' });
  let procedure = null; // the full record (GET /procedures/{id})
  const picker = procedurePicker({
    id: 'desk-procedure',
    onPick: async (p) => {
      await choose(p.id);
      name.focus();
    },
  });
  picker.input.setAttribute('aria-required', 'true');

  const name = h('input', { id: 'desk-name', type: 'text', autocomplete: 'off', maxlength: '200', 'aria-required': 'true' });
  const idNumber = h('input', { id: 'desk-id-number', type: 'text', autocomplete: 'off', inputmode: 'numeric', maxlength: '20', spellcheck: 'false' });
  const phone = h('input', { id: 'desk-phone', type: 'tel', autocomplete: 'off', maxlength: '20' });
  const address = h('input', { id: 'desk-address', type: 'text', autocomplete: 'off', maxlength: '500' });
  const channel = h('select', { id: 'desk-channel' }, Object.entries(CHANNELS).map(([v, l]) => h('option', { value: v }, l)));
  const receivedAt = h('input', { id: 'desk-received-at', type: 'text', autocomplete: 'off', inputmode: 'numeric', placeholder: 'dd/mm/yyyy giờ:phút', class: 'input-datetime' });
  let receivedTouched = false;
  receivedAt.value = nowDmyHm();
  receivedAt.addEventListener('input', () => { receivedTouched = true; });
  const clock = setInterval(() => { if (!receivedTouched && document.activeElement !== receivedAt) receivedAt.value = nowDmyHm(); }, 20000);

  const compList = h('ul', { class: 'desk-components', id: 'desk-components' });
  const compErr = h('p', { class: 'field-error', id: 'desk-components-err', hidden: true });
  errs.set('components', { err: compErr, input: compList });
  const compBox = h('fieldset', { class: 'field desk-components-box', 'aria-describedby': 'desk-components-err' },
    h('legend', null, 'Thành phần hồ sơ đã nhận'),
    compList, compErr);

  const formError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Tiếp nhận hồ sơ');
  const resultBox = h('section', { class: 'panel desk-result', 'aria-live': 'polite', hidden: true, 'aria-labelledby': 'desk-result-h' });

  const procErr = h('p', { class: 'field-error', id: 'desk-procedure-err', hidden: true });
  errs.set('procedure_id', { err: procErr, input: picker.input });
  picker.input.setAttribute('aria-describedby', 'desk-procedure-err');

  const form = h('form', { class: 'form desk-form', novalidate: true, 'aria-label': 'Tiếp nhận hồ sơ' },
    h('div', { class: 'field desk-proc-field', 'data-field': 'procedure_id' },
      h('label', { for: 'desk-procedure' }, 'Thủ tục hành chính', h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
      picker.el, procErr, info),
    h('div', { class: 'desk-grid' },
      field('applicant.name', 'Họ tên người nộp', name, { required: true }),
      field('applicant.id_number', 'Số CCCD/CMND', idNumber),
      field('applicant.phone', 'Số điện thoại', phone),
      field('applicant.address', 'Địa chỉ', address),
      field('channel', 'Hình thức tiếp nhận', channel)),
    compBox,
    field('received_at', 'Thời điểm tiếp nhận', receivedAt, { hint: 'Mặc định là bây giờ; nhập dạng dd/mm/yyyy giờ:phút, ví dụ 14/03/2017 15:30.' }),
    formError,
    h('div', { class: 'form-actions form-actions-left' }, submit,
      h('span', { class: 'hint' }, 'Enter ở ô cuối hoặc Ctrl+Enter để tiếp nhận; phím cách để đánh dấu giấy tờ.')));

  root.append(h('div', { class: 'desk-layout' }, form, resultBox));

  function showInfo(p) {
    if (!p) { setChildren(info); return; }
    setChildren(info, h('p', { class: 'desk-limit', 'data-testid': 'procedure-limit' },
      h('strong', null, 'Thời hạn giải quyết: '), limitText(p)),
    h('p', { class: 'desk-proc-meta muted' }, [p.code, p.field, p.unit_name].filter(Boolean).join(' · '),
      p.fee ? ` · Phí, lệ phí: ${p.fee}` : ''));
  }

  function drawComponents(p) {
    const comps = (p && p.components) || [];
    if (!comps.length) {
      setChildren(compList, h('li', { class: 'muted' }, p ? 'Thủ tục này chưa khai báo thành phần hồ sơ.' : 'Chọn thủ tục để hiện danh sách giấy tờ.'));
      return;
    }
    setChildren(compList, comps.map((c, i) => {
      const cid = nextId('desk-comp');
      const box = h('input', { type: 'checkbox', id: cid, 'data-index': String(i) });
      box.checked = true;
      const counts = [c.originals ? `${c.originals} bản chính` : null, c.copies ? `${c.copies} bản sao` : null].filter(Boolean).join(', ');
      return h('li', { class: 'field-check' }, box, h('label', { for: cid }, c.name, counts ? h('span', { class: 'muted' }, ` (${counts})`) : null));
    }));
  }

  async function choose(id) {
    try {
      procedure = await get(`/procedures/${id}`, { signal: ctx.signal });
      picker.set(procedure);
      showInfo(procedure);
      drawComponents(procedure);
      clearError('procedure_id');
    } catch (e) {
      if (e.name === 'AbortError') return;
      setError('procedure_id', e.message);
    }
  }

  function clearErrors() {
    formError.hidden = true;
    for (const { err, input } of errs.values()) { err.hidden = true; err.textContent = ''; input.removeAttribute('aria-invalid'); }
  }
  function clearError(n) {
    const c = errs.get(n);
    if (c) { c.err.hidden = true; c.input.removeAttribute('aria-invalid'); }
  }
  function setError(apiField, message) {
    let key = apiField || '';
    if (/^components/.test(key)) key = 'components';
    if (key === 'applicant') key = 'applicant.name';
    if (key === 'unit_id') key = 'procedure_id';
    const c = errs.get(key);
    if (!c) { formError.textContent = message; formError.hidden = false; return; }
    c.err.textContent = message;
    c.err.hidden = false;
    c.input.setAttribute('aria-invalid', 'true');
    (c.input === compList ? compList.querySelector('input') || picker.input : c.input).focus();
  }

  let busy = false;
  async function send() {
    if (busy) return;
    clearErrors();
    if (!procedure || picker.value() === null || Number(picker.input.dataset.procedureId) !== procedure.id) {
      setError('procedure_id', 'Vui lòng chọn thủ tục hành chính trong danh sách gợi ý.');
      return;
    }
    if (!clean(name.value)) { setError('applicant.name', 'Vui lòng nhập họ tên người nộp hồ sơ.'); return; }
    let at = '';
    if (receivedTouched) {
      at = parseDmyHm(receivedAt.value);
      if (at === null) { setError('received_at', 'Thời điểm không hợp lệ; nhập dạng dd/mm/yyyy giờ:phút, ví dụ 14/03/2017 15:30.'); return; }
    }
    const applicant = { name: clean(name.value) };
    if (clean(idNumber.value)) applicant.id_number = clean(idNumber.value);
    if (clean(phone.value)) applicant.phone = clean(phone.value);
    if (clean(address.value)) applicant.address = clean(address.value);
    const body = { procedure_id: procedure.id, applicant, channel: channel.value };
    if (at) body.received_at = at;
    const comps = procedure.components || [];
    if (comps.length) {
      body.components = [...compList.querySelectorAll('input[type=checkbox]')].map((b) => {
        const c = comps[Number(b.dataset.index)];
        return { name: c.name, originals: c.originals, copies: c.copies, received: b.checked };
      });
    }
    busy = true;
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const d = await post('/dossiers', body, { signal: ctx.signal });
      showResult(d);
      // next applicant: same procedure, fresh fields
      for (const el of [name, idNumber, phone, address]) el.value = '';
      channel.value = 'in_person';
      receivedTouched = false;
      receivedAt.value = nowDmyHm();
      drawComponents(procedure);
      picker.focus();
    } catch (e) {
      if (e.name === 'AbortError') return;
      setError(e.field, e.message);
    } finally {
      busy = false;
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  }

  function showResult(d) {
    resultBox.hidden = false;
    const receipt = h('a', { href: pdfUrl(d.id, 'receipt.pdf'), target: '_blank', rel: 'noopener', class: 'btn btn-primary', 'data-testid': 'print-receipt' }, 'In giấy tiếp nhận và hẹn trả');
    setChildren(resultBox,
      h('h2', { id: 'desk-result-h', class: 'panel-title' }, 'Đã tiếp nhận hồ sơ'),
      h('p', { class: 'desk-code' }, 'Mã hồ sơ: ', h('strong', { 'data-testid': 'dossier-code' }, d.code)),
      h('p', { class: 'desk-due', 'data-testid': 'dossier-due' }, `Hẹn trả: ${fmtDate(d.due_date)}`),
      h('p', { class: 'muted' }, `${d.applicant ? d.applicant.name : ''} · ${d.procedure ? d.procedure.name : ''} · tiếp nhận ${fmtDmyHm(d.received_at)}`),
      h('div', { class: 'desk-result-actions' }, receipt,
        h('a', { href: `#/dossiers/${d.id}`, class: 'btn' }, 'Xem hồ sơ')));
    notify(`Đã tiếp nhận hồ sơ ${d.code}; hẹn trả ${fmtDate(d.due_date)}.`);
  }

  // Enter moves to the next field; in the last field (and Ctrl+Enter anywhere) it submits.
  const order = () => [picker.input, name, idNumber, phone, address, channel,
    ...compList.querySelectorAll('input[type=checkbox]'), receivedAt];
  form.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    if (ev.ctrlKey || ev.metaKey) { ev.preventDefault(); send(); return; }
    const t = ev.target;
    if (t === submit || t.tagName === 'A' || t.tagName === 'BUTTON') return;
    if (t === picker.input) {
      // the picker handles Enter while its list is open; with a procedure chosen, go on
      if (!ev.defaultPrevented && procedure && picker.value()) { ev.preventDefault(); name.focus(); }
      return;
    }
    ev.preventDefault();
    const els = order();
    const i = els.indexOf(t);
    if (t === receivedAt || i === els.length - 1) send();
    else if (i >= 0) els[i + 1].focus();
  });
  form.addEventListener('submit', (ev) => { ev.preventDefault(); send(); });

  // #/desk?thu_tuc=ID preselects a procedure (link from the catalog)
  const pre = Number(ctx.params.get('thu_tuc'));
  drawComponents(null);
  if (Number.isInteger(pre) && pre > 0) await choose(pre);
  // keyboard first: the procedure field gets the focus (after the shell focuses the heading)
  picker.focus();
  const focusTimer = setTimeout(() => { if (!ctx.signal.aborted) picker.focus(); }, 0);
  ctx.signal.addEventListener('abort', () => clearTimeout(focusTimer), { once: true });
  if (!ctx.me.unit_id && ctx.me.role !== 'admin') root.prepend(errorBox('Tài khoản của bạn chưa thuộc đơn vị nào; không thể tiếp nhận hồ sơ.'));
  return () => { clearInterval(clock); picker.cancel(); };
}
