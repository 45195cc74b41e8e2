// Việc của tôi (#/): the landing page after sign-in. GET /home gives, per section (tasks of my
// unit or of the city, one-stop dossiers, cases, unread reminders; later plans, reports), the
// counts and the link of the list each count stands for; the page shows them as tiles, the
// newest unread reminders, and below them a card per module the account may open.
import { get, post, loadUnits } from '../api.js';
import { h, setChildren, fmtNumber, fmtInstant, roleLabel } from '../util.js';
import { modulesFor } from '../modules.js';
import { errorBox, loading, notify } from '../ui.js';

/** Counts that ask for attention when they are not zero. */
const ALERT = new Set(['overdue', 'apology_owed', 'due_soon', 'due_today', 'unread']);

function tile(section, c) {
  const alert = c.count > 0 && ALERT.has(c.key);
  return h('li', { class: `home-count${alert ? ' home-count-alert' : ''}`, 'data-count': `${section.key}.${c.key}` },
    h('a', { href: c.link, class: 'home-count-link' },
      h('span', { class: 'home-count-n', 'data-n': String(c.count) }, fmtNumber(c.count)),
      h('span', { class: 'home-count-label' }, c.label)));
}

function reminderLink(n) {
  if (n.task_id) return `#/tasks/${n.task_id}`;
  if (n.dossier_id) return `#/dossiers/${n.dossier_id}`;
  return null;
}

function sectionEl(s, ctx, onRead) {
  const headId = `home-${s.key}-h`;
  const body = [h('ul', { class: 'home-counts' }, s.counts.map((c) => tile(s, c)))];
  if (Array.isArray(s.items)) {
    if (s.items.length === 0) body.push(h('p', { class: 'home-empty' }, 'Không có nhắc việc chưa đọc.'));
    else {
      body.push(h('ul', { class: 'home-reminders' }, s.items.map((n) => {
        const href = reminderLink(n);
        const read = h('button', { type: 'button', class: 'btn btn-small' }, 'Đã đọc');
        read.addEventListener('click', async () => {
          read.disabled = true;
          try {
            await post(`/inbox/${n.id}/read`, undefined, { signal: ctx.signal });
            onRead();
          } catch (e) {
            if (e.name === 'AbortError') return;
            read.disabled = false;
            notify(e.message, 'error');
          }
        });
        return h('li', { class: 'home-reminder', 'data-id': n.id },
          h('div', { class: 'home-reminder-text' },
            href ? h('a', { href }, n.subject) : h('span', null, n.subject),
            h('span', { class: 'home-reminder-time' }, fmtInstant(n.sent_at))),
          read);
      })));
    }
  }
  return h('section', { class: 'panel home-section', 'data-section': s.key, 'aria-labelledby': headId },
    h('h2', { id: headId, class: 'home-section-title' },
      s.link && s.link !== '#/' ? h('a', { href: s.link }, s.title) : s.title),
    ...body);
}

export default async function render(root, ctx) {
  const { me } = ctx;
  const who = h('p', { class: 'home-who' },
    h('strong', null, `Xin chào, ${me.display_name || me.username}`),
    ` · ${roleLabel(me.role)}`, me.unit_name ? ` · ${me.unit_name}` : null);
  const due = h('div', { class: 'home-sections', 'aria-live': 'polite' }, loading());

  const cards = modulesFor(me).filter((m) => m.route !== '').map((m) => {
    const stat = h('span', { class: 'card-stat', 'data-stat': m.route });
    return h('li', { class: 'card' },
      h('a', { href: `#/${m.route}`, class: 'card-link' },
        h('span', { class: 'card-title' }, m.label), stat),
      h('p', { class: 'card-desc' }, m.description));
  });

  root.append(who, due,
    h('section', { 'aria-labelledby': 'modules-h' },
      h('h2', { id: 'modules-h', class: 'section-title' }, 'Chức năng'),
      h('ul', { class: 'cards' }, cards)));

  let seq = 0;
  async function load() {
    const my = ++seq;
    try {
      const r = await get('/home', { signal: ctx.signal });
      if (my !== seq) return;
      setChildren(due, ...r.sections.map((s) => sectionEl(s, ctx, load)));
    } catch (e) {
      if (e.name === 'AbortError' || my !== seq) return;
      setChildren(due, errorBox(e.message));
    }
  }
  load();

  // Small counts on the cards; failures only leave them empty.
  const setStat = (route, text) => {
    const el = root.querySelector(`[data-stat="${route}"]`);
    if (el) el.textContent = text;
  };
  if (root.querySelector('[data-stat="units"]')) {
    loadUnits().then((u) => setStat('units', `${fmtNumber(u.count)} đơn vị`)).catch(() => {});
  }
  if (root.querySelector('[data-stat="officials"]')) {
    get('/officials?limit=1', { signal: ctx.signal })
      .then((r) => setStat('officials', `${fmtNumber(r.total_count)} cán bộ`)).catch(() => {});
  }
  if (root.querySelector('[data-stat="accounts"]')) {
    get('/accounts?limit=1', { signal: ctx.signal })
      .then((r) => setStat('accounts', `${fmtNumber(r.total_count)} tài khoản`)).catch(() => {});
  }
}
