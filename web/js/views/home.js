// Trang chủ: who is signed in, and a card per module the role may open.
import { get, loadUnits } from '../api.js';
import { h, fmtNumber, roleLabel } from '../util.js';
import { modulesFor } from '../modules.js';

export default async function render(root, ctx) {
  const { me } = ctx;
  const facts = h('dl', { class: 'facts' },
    h('dt', null, 'Tên đăng nhập'), h('dd', null, me.username),
    h('dt', null, 'Vai trò'), h('dd', null, roleLabel(me.role)),
    h('dt', null, 'Đơn vị'), h('dd', null, me.unit_name || '—'));

  const cards = modulesFor(me).filter((m) => m.route !== '').map((m) => {
    const stat = h('span', { class: 'card-stat', 'data-stat': m.route });
    return h('li', { class: 'card' },
      h('a', { href: `#/${m.route}`, class: 'card-link' },
        h('span', { class: 'card-title' }, m.label), stat),
      h('p', { class: 'card-desc' }, m.description));
  });

  root.append(
    h('section', { class: 'panel welcome', 'aria-labelledby': 'welcome-h' },
      h('h2', { id: 'welcome-h' }, `Xin chào, ${me.display_name || me.username}`),
      facts),
    h('section', { 'aria-labelledby': 'modules-h' },
      h('h2', { id: 'modules-h', class: 'section-title' }, 'Chức năng'),
      h('ul', { class: 'cards' }, cards)));

  // Small counts on the cards; failures only leave them empty.
  const setStat = (route, text) => {
    const el = root.querySelector(`[data-stat="${route}"]`);
    if (el) el.textContent = text;
  };
  loadUnits().then((u) => setStat('units', `${fmtNumber(u.count)} đơn vị`)).catch(() => {});
  if (root.querySelector('[data-stat="officials"]')) {
    get('/officials?limit=1', { signal: ctx.signal })
      .then((r) => setStat('officials', `${fmtNumber(r.total_count)} cán bộ`)).catch(() => {});
  }
  if (root.querySelector('[data-stat="accounts"]')) {
    get('/accounts?limit=1', { signal: ctx.signal })
      .then((r) => setStat('accounts', `${fmtNumber(r.total_count)} tài khoản`)).catch(() => {});
  }
}
