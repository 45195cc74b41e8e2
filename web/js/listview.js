// The fetch → page → render loop of every paged list (officials, accounts, audit, tasks,
// dossiers, directives, procedures, the public catalog), written once with its race handling:
//
// - each load aborts the request before it; a response that arrives after a newer load started
//   (the filters changed, the user paged on) or after the view was left is dropped;
// - leaving the view (its AbortSignal) aborts the request in flight and stops further loads;
// - a page past the end (rows deleted, or an offset typed in the address) moves to the last page;
// - the list is aria-busy while it loads; an error replaces the status area's content with the
//   API's message and the list keeps what it showed.
//
// Also `latest(signal)`, the same drop-the-late-answer rule for a view that loads one thing.
import { get } from './api.js';
import { setChildren } from './util.js';
import { errorBox, pager as makePager } from './ui.js';

/**
 * A paged list. Options:
 *   signal:  the view's AbortSignal (ctx.signal).
 *   alive(): for a page without a signal (public.html): false once the page was left; checked
 *            before a load and again when its answer arrives.
 *   path(offset, limit): the API path of a page, with the current filters; called once per load
 *            (a view may keep its address in step there).
 *   render(items, answer, offset): draws a page (answer is the whole {items, total_count}).
 *   limit:   the page size (50).
 *   offset:  the first offset (0).
 *   busy:    the element marked aria-busy while loading (the table).
 *   status:  the element that shows a load error (emptied by a load that succeeds).
 *   onError(error): instead of `status`, for a view that shows the error its own way.
 *   pager:   false for no pager; else the list makes one (list.pager, list.pager.el).
 *   before(): false skips a load (an invalid filter, a view that is no longer current).
 * Returns {load(), reload(), offset, pager}: load() fetches the page at offset, reload() the
 * first page; both resolve when the page is drawn, dropped or failed (never reject).
 */
export function listView({ signal, path, render, limit = 50, offset = 0, busy = null, status = null, onError = null, pager = true, before = null, alive = null }) {
  let seq = 0;
  let inflight = null;
  const pg = pager === false ? null : makePager((off) => { offset = off; load(); });
  const gone = () => (signal && signal.aborted) || (alive && !alive());
  if (signal) {
    signal.addEventListener('abort', () => {
      seq++;
      if (inflight) inflight.abort();
    }, { once: true });
  }

  async function load() {
    if (gone()) return;
    if (before && !before()) return;
    const my = ++seq;
    if (inflight) inflight.abort();
    const controller = new AbortController();
    inflight = controller;
    const url = path(offset, limit);
    if (busy) busy.setAttribute('aria-busy', 'true');
    try {
      const r = await get(url, { signal: controller.signal });
      if (my !== seq || gone()) return;
      const items = r.items || [];
      const total = r.total_count || 0;
      if (!items.length && offset > 0 && total > 0) {
        offset = Math.max(0, Math.floor((total - 1) / limit) * limit);
        await load();
        return;
      }
      if (status) setChildren(status);
      render(items, r, offset);
      if (pg) pg.update(offset, limit, items.length, total);
    } catch (e) {
      if ((e && e.name === 'AbortError') || my !== seq || gone()) return;
      if (onError) onError(e);
      else if (status) setChildren(status, errorBox(e && e.message ? e.message : 'Không tải được danh sách.'));
    } finally {
      if (my === seq && busy) busy.removeAttribute('aria-busy');
      if (inflight === controller) inflight = null;
    }
  }

  return {
    load,
    reload() { offset = 0; return load(); },
    get offset() { return offset; },
    set offset(v) { offset = v; },
    pager: pg,
  };
}

/**
 * The `path` of a list whose filters live in the address: writes `#/<route>?<filters>` (plus the
 * members of `shown`, and the offset when it is not 0) over the current history entry, without
 * a re-route, so that going back from a record finds the same list; returns the API path
 * `/<api>?<filters>&limit=&offset=`. filters: a URLSearchParams (not changed).
 */
export function addressedPath(route, api, filters, offset, limit, shown = {}) {
  const address = new URLSearchParams(filters);
  for (const [k, v] of Object.entries(shown)) address.set(k, v);
  if (offset) address.set('offset', String(offset));
  history.replaceState(null, '', `#/${route}?${address}`);
  const u = new URLSearchParams(filters);
  u.set('limit', String(limit));
  u.set('offset', String(offset));
  return `/${api}?${u}`;
}

/**
 * For a view that loads one thing again and again (a month, a chart, a record): run(fn) calls
 * fn(signal, isCurrent) with a fresh AbortSignal, aborting the previous call's; isCurrent() is
 * false once a newer run started or the view was left, so a late answer draws nothing.
 * run resolves to fn's result, or undefined when fn failed after it stopped being current
 * (an abort, for instance); errors of the current run are thrown.
 */
export function latest(viewSignal) {
  let seq = 0;
  let inflight = null;
  viewSignal.addEventListener('abort', () => {
    seq++;
    if (inflight) inflight.abort();
  }, { once: true });
  return async function run(fn) {
    const my = ++seq;
    if (inflight) inflight.abort();
    const controller = new AbortController();
    inflight = controller;
    const isCurrent = () => my === seq && !viewSignal.aborted;
    try {
      return await fn(controller.signal, isCurrent);
    } catch (e) {
      if (!isCurrent() || (e && e.name === 'AbortError')) return undefined;
      throw e;
    } finally {
      if (inflight === controller) inflight = null;
    }
  };
}
