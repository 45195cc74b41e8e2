// The main navigation: the home link and one menu per group (modules.js groupsFor). On a wide
// screen each group is a button that opens its entries as a dropdown; on a phone (CSS, ≤ 720 px)
// a "Danh mục" button opens the whole list and each group unfolds in place. Keyboard: the group
// buttons are real buttons (Enter/Space toggle, aria-expanded), ↓ from a group button goes into
// its menu, ↑/↓ move inside it, Esc closes the menu (or the phone list) and gives the focus back.
import { h } from './util.js';
import { groupsFor } from './modules.js';

/**
 * Builds the navigation for the account `me`. Returns {el, setCurrent(route)}; the caller
 * inserts el and calls setCurrent on every route change (it marks the entry and closes menus).
 */
export function buildNav(me) {
  const groups = groupsFor(me);
  const toggle = h('button', {
    type: 'button', class: 'nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'nav-groups',
  }, h('span', { class: 'nav-toggle-icon', 'aria-hidden': 'true' }), 'Danh mục');
  const list = h('ul', { class: 'nav-groups', id: 'nav-groups' });
  const home = h('a', { href: '#/', 'data-route': '', class: 'nav-home' }, 'Việc của tôi');
  list.appendChild(h('li', { class: 'nav-item' }, home));

  const menus = []; // {group, button, menu, li}
  for (const g of groups) {
    const menuId = `nav-menu-${g.id}`;
    const button = h('button', {
      type: 'button', class: 'nav-group-btn', 'aria-expanded': 'false', 'aria-controls': menuId,
      'data-group': g.id,
    }, h('span', null, g.label), h('span', { class: 'nav-caret', 'aria-hidden': 'true' }));
    const menu = h('ul', { class: 'nav-menu', id: menuId, hidden: true },
      ...g.modules.map((m) => h('li', null, h('a', { href: `#/${m.route}`, 'data-route': m.route }, m.label))));
    const li = h('li', { class: 'nav-group', 'data-group': g.id }, button, menu);
    list.appendChild(li);
    menus.push({ group: g, button, menu, li });
  }

  const el = h('nav', { class: 'mainnav', 'aria-label': 'Chức năng chính' },
    h('div', { class: 'mainnav-inner' }, toggle, list));

  function setOpen(entry, open) {
    entry.button.setAttribute('aria-expanded', open ? 'true' : 'false');
    entry.menu.hidden = !open;
    entry.li.classList.toggle('open', open);
    entry.menu.classList.remove('align-right');
    if (open) {
      // A dropdown that would run past the right edge opens leftwards instead.
      const r = entry.menu.getBoundingClientRect();
      if (r.right > document.documentElement.clientWidth) entry.menu.classList.add('align-right');
    }
  }
  function closeAll(except) {
    for (const e of menus) if (e !== except && e.button.getAttribute('aria-expanded') === 'true') setOpen(e, false);
  }
  function setListOpen(open) {
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    el.classList.toggle('nav-open', open);
    if (!open) closeAll();
  }
  const links = (entry) => [...entry.menu.querySelectorAll('a')];

  toggle.addEventListener('click', () => setListOpen(toggle.getAttribute('aria-expanded') !== 'true'));
  for (const entry of menus) {
    entry.button.addEventListener('click', () => {
      const open = entry.button.getAttribute('aria-expanded') !== 'true';
      closeAll(entry);
      setOpen(entry, open);
    });
    entry.button.addEventListener('keydown', (ev) => {
      if (ev.key === 'ArrowDown') {
        ev.preventDefault();
        closeAll(entry);
        setOpen(entry, true);
        links(entry)[0]?.focus();
      }
    });
    // Following an entry folds the menus at once (also when it is the page already shown,
    // where no hashchange comes).
    entry.menu.addEventListener('click', (ev) => {
      if (ev.target.closest('a')) setListOpen(false);
    });
    entry.menu.addEventListener('keydown', (ev) => {
      const all = links(entry);
      const i = all.indexOf(document.activeElement);
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        const next = ev.key === 'ArrowDown' ? (i + 1) % all.length : (i - 1 + all.length) % all.length;
        all[next].focus();
      } else if (ev.key === 'Home' || ev.key === 'End') {
        ev.preventDefault();
        all[ev.key === 'Home' ? 0 : all.length - 1].focus();
      }
    });
  }
  el.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    const entry = menus.find((e) => e.button.getAttribute('aria-expanded') === 'true');
    if (entry) {
      ev.preventDefault();
      setOpen(entry, false);
      entry.button.focus();
    } else if (toggle.getAttribute('aria-expanded') === 'true') {
      ev.preventDefault();
      setListOpen(false);
      toggle.focus();
    }
  });
  // A click or a focus outside the navigation closes its menus.
  const outside = (ev) => {
    if (!el.contains(ev.target)) {
      closeAll();
      if (ev.type === 'click') setListOpen(false);
    }
  };
  document.addEventListener('click', outside);
  document.addEventListener('focusin', outside);

  function setCurrent(route) {
    for (const a of el.querySelectorAll('a[data-route]')) {
      if (a.dataset.route === route) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    for (const e of menus) {
      e.button.classList.toggle('current', e.group.modules.some((m) => m.route === route));
    }
    setListOpen(false);
  }

  function destroy() {
    document.removeEventListener('click', outside);
    document.removeEventListener('focusin', outside);
  }

  return { el, setCurrent, destroy };
}
