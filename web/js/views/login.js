// The login page: POST /session {username, password}. Shows the API's message on an error and,
// on 429, how many seconds to wait (Retry-After), counting down.
import { post } from '../api.js';
import { h, setChildren } from '../util.js';

export function renderLogin(root, { message, brand, onLoggedIn }) {
  const user = h('input', { id: 'login-username', name: 'username', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('div', { class: 'alert alert-error', role: 'alert', id: 'login-error', hidden: true });
  const info = message ? h('div', { class: 'alert alert-info', role: 'status' }, message) : null;
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Đăng nhập');
  let timer = null;
  let waitUntil = 0;

  const form = h('form', { class: 'login-form', novalidate: true, 'aria-describedby': 'login-error' },
    h('div', { class: 'field' }, h('label', { for: 'login-username' }, 'Tên đăng nhập'), user),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Mật khẩu'), pass),
    error,
    submit);

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
  }

  function startCountdown(seconds, text) {
    clearInterval(timer);
    waitUntil = Date.now() + seconds * 1000;
    const tick = () => {
      const left = Math.max(0, Math.ceil((waitUntil - Date.now()) / 1000));
      if (left <= 0) {
        clearInterval(timer);
        timer = null;
        submit.disabled = false;
        showError(`${text} Bạn có thể thử lại ngay bây giờ.`);
        return;
      }
      submit.disabled = true;
      showError(`${text} Vui lòng thử lại sau ${left} giây.`);
    };
    tick();
    timer = setInterval(tick, 1000);
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (submit.disabled) return;
    error.hidden = true;
    if (info) info.hidden = true;
    const username = user.value.trim().normalize('NFC');
    const password = pass.value;
    if (!username) { showError('Vui lòng nhập tên đăng nhập.'); user.focus(); return; }
    if (!password) { showError('Vui lòng nhập mật khẩu.'); pass.focus(); return; }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const r = await post('/session', { username, password });
      clearInterval(timer);
      onLoggedIn(r.account, r.csrf_token);
    } catch (e) {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
      if (e.status === 429) {
        // The wait is shown (and counted down) here, so drop any "thử lại sau …" from the message.
        let text = (e.message || '').replace(/[,.;]?\s*(vui lòng\s+)?thử lại sau[^.]*\.?\s*$/i, '').trim();
        if (!text) text = 'Đăng nhập sai quá nhiều lần.';
        const sep = /[.!?…]$/.test(text) ? '' : '.';
        if (e.retryAfter !== null && e.retryAfter !== undefined) startCountdown(e.retryAfter, text + sep);
        else showError(`${text}${sep} Vui lòng thử lại sau.`);
      } else {
        showError(e.message);
        pass.value = '';
        pass.focus();
      }
    }
  });

  setChildren(root,
    h('div', { class: 'login-page' },
      h('main', { id: 'main', class: 'login-card', tabindex: '-1' },
        h('div', { class: 'login-head' }, brand()),
        h('h1', { class: 'login-title' }, 'Đăng nhập'),
        info,
        form),
      h('p', { class: 'login-foot' }, 'Dành cho cán bộ, công chức được cấp tài khoản.'),
      h('p', { class: 'login-foot login-public' }, h('a', { href: 'public.html' }, 'Tra cứu hồ sơ, thủ tục hành chính'))));
  user.focus();
}
