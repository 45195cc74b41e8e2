// The shell: asks the server who is signed in (GET /me), shows the login page or the layout
// (header, navigation from modules.js, main area), and routes on the URL hash (#/units …).
import { get, del, setCsrfToken, invalidateUnits } from './api.js';
import { h, setChildren, roleLabel } from './util.js';
import { MODULES, allows } from './modules.js';
import { buildNav } from './nav.js';
import { renderLogin } from './views/login.js';
import { notify, errorBox, loading } from './ui.js';

const app = document.getElementById('app');
let me = null;           // the signed-in account (GET /me), null when signed out
let shell = null;        // {main, title, view, nav} while signed in (nav: nav.js buildNav)
let current = null;      // {controller, cleanup} of the page on screen
let routeSeq = 0;

function starSvg() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 32 32');
  svg.setAttribute('class', 'emblem');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const rect = document.createElementNS(ns, 'rect');
  rect.setAttribute('width', '32');
  rect.setAttribute('height', '32');
  rect.setAttribute('rx', '5');
  rect.setAttribute('class', 'emblem-bg');
  const star = document.createElementNS(ns, 'path');
  star.setAttribute('d', 'M16 5.5l2.47 7.6h7.99l-6.46 4.7 2.47 7.6L16 20.7l-6.47 4.7 2.47-7.6-6.46-4.7h7.99z');
  star.setAttribute('class', 'emblem-star');
  svg.append(rect, star);
  return svg;
}

export function brand() {
  return h('div', { class: 'brand' }, starSvg(),
    h('div', { class: 'brand-text' },
      h('span', { class: 'brand-name' }, 'Kỷ cương'),
      h('span', { class: 'brand-sub' }, 'Hệ thống theo dõi kỷ luật, kỷ cương hành chính')));
}

function parseHash() {
  const raw = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean);
  return { route: parts[0] || '', parts, params: new URLSearchParams(query) };
}

function showLogin(message) {
  me = null;
  if (shell && shell.nav) shell.nav.destroy();
  shell = null;
  setCsrfToken(null);
  invalidateUnits();
  stopCurrent();
  app.removeAttribute('aria-busy');
  renderLogin(app, { message, brand, onLoggedIn });
}

async function onLoggedIn(account, csrf, fromLogin = true) {
  setCsrfToken(csrf || account.csrf_token);
  // What the account may use (the route table's "METHOD /pattern" strings) comes with GET /me.
  if (fromLogin && !Array.isArray(account.allowed)) {
    try {
      account = { ...account, ...(await get('/me')) };
    } catch (e) {
      notify(e.message, 'error');
    }
  }
  // Without the list (GET /me failed) the navigation shows nothing it cannot vouch for.
  if (!Array.isArray(account.allowed)) account = { ...account, allowed: [] };
  me = account;
  renderShell(fromLogin);
}

async function logout() {
  try {
    await del('/session');
  } catch (e) {
    if (e.status !== 401) notify(e.message, 'error');
  }
  if (location.hash && location.hash !== '#/') history.replaceState(null, '', '#/');
  showLogin('Bạn đã đăng xuất.');
}

function renderShell(fromLogin) {
  invalidateUnits();
  if (shell && shell.nav) shell.nav.destroy();
  const nav = buildNav(me);
  const name = me.display_name || me.username;
  const title = h('h1', { class: 'page-title', tabindex: '-1' });
  const view = h('div', { class: 'view' });
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' }, title, view);
  const header = h('header', { class: 'topbar' },
    h('div', { class: 'topbar-inner' },
      brand(),
      h('div', { class: 'user', 'aria-label': 'Tài khoản đang đăng nhập' },
        h('div', { class: 'user-text' },
          h('span', { class: 'user-name', 'data-testid': 'user-name' }, name),
          h('span', { class: 'user-meta' },
            h('span', { class: 'user-role', 'data-testid': 'user-role' }, roleLabel(me.role)),
            me.unit_name ? h('span', { class: 'user-unit' }, me.unit_name) : null)),
        h('button', { type: 'button', class: 'btn btn-logout', onclick: logout }, 'Đăng xuất'))));
  const footer = h('footer', { class: 'footer' },
    h('p', null, 'Kỷ cương — thực hiện Kế hoạch 69/KH-UBND ngày 20/3/2017 về tăng cường kỷ luật, kỷ cương hành chính.'));
  setChildren(app, header, nav.el, h('div', { class: 'page' }, main), footer);
  app.removeAttribute('aria-busy');
  shell = { main, title, view, nav };
  route(!fromLogin); // after a login, focus goes to the page heading
}

function stopCurrent() {
  if (!current) return;
  current.controller.abort();
  if (typeof current.cleanup === 'function') {
    try { current.cleanup(); } catch { /* ignore */ }
  }
  current = null;
}

async function route(initial = false) {
  if (!me || !shell) return;
  const seq = ++routeSeq;
  const { route: r, parts, params } = parseHash();
  shell.nav.setCurrent(r);
  stopCurrent();
  const mod = MODULES.find((m) => m.route === r);
  const { title, view } = shell;
  if (!mod) {
    title.textContent = 'Không tìm thấy trang';
    setChildren(view, h('p', null, 'Địa chỉ này không có trong hệ thống. ', h('a', { href: '#/' }, 'Về trang chủ')));
    return;
  }
  if (!allows(me, mod.needs)) {
    title.textContent = mod.label;
    setChildren(view, errorBox('Bạn không có quyền xem trang này.'));
    return;
  }
  title.textContent = mod.label;
  setChildren(view, loading());
  const controller = new AbortController();
  current = { controller, cleanup: null };
  try {
    const modView = await mod.load();
    if (seq !== routeSeq) return;
    setChildren(view);
    view.dataset.module = mod.route || 'home';
    const ctx = {
      me,
      signal: controller.signal,
      parts,
      params,
      setTitle: (t) => { title.textContent = t; },
      // Whether the account may call an API route ("POST /api/v1/tasks"): GET /me's allowed.
      allows: (routeName) => allows(me, routeName),
    };
    const cleanup = await modView.default(view, ctx);
    if (current && current.controller === controller) current.cleanup = cleanup;
  } catch (e) {
    if (e && e.name === 'AbortError') return;
    if (seq !== routeSeq) return;
    setChildren(view, errorBox(e && e.message ? e.message : 'Không tải được trang.'));
  }
  if (!initial && seq === routeSeq) title.focus({ preventScroll: false });
}

window.addEventListener('hashchange', () => route(false));
window.addEventListener('kc:unauthorized', () => {
  if (me) showLogin('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.');
});

async function boot() {
  try {
    const account = await get('/me');
    onLoggedIn(account, account && account.csrf_token, false);
  } catch (e) {
    if (e.status === 401 || e.status === 403) showLogin();
    else {
      app.removeAttribute('aria-busy');
      setChildren(app, h('div', { class: 'boot-error' }, brand(), errorBox(e.message),
        h('button', { type: 'button', class: 'btn', onclick: () => location.reload() }, 'Tải lại')));
    }
  }
}

boot();
