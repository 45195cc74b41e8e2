// Shared assertions and small helpers for the API tests (not a test file itself).
import assert from 'node:assert/strict';
import { login, client, ADMIN_PASSWORD, DEMO_PASSWORD } from '../lib/server.mjs';

/** A letter outside ASCII (Vietnamese text always has some: ă â đ ê ô ơ ư or a tone). */
export const NON_ASCII_LETTER = /[\u00C0-\u024F\u1E00-\u1EFF]/u;

/**
 * Asserts that res is the error answer {error:{code,message,field}} with the given status.
 * code may be a string or an array of acceptable codes; field is checked when not undefined
 * (pass null to require field: null).
 */
export function assertError(res, status, code, field) {
  assert.equal(res.status, status, `HTTP status (body: ${res.text})`);
  assert.ok(res.body && typeof res.body === 'object' && !Array.isArray(res.body),
    `error body is not a JSON object: ${res.text}`);
  const e = res.body.error;
  assert.ok(e && typeof e === 'object', `no "error" object in ${res.text}`);
  for (const k of ['code', 'message', 'field']) assert.ok(k in e, `error.${k} missing in ${res.text}`);
  assert.equal(typeof e.code, 'string', `error.code in ${res.text}`);
  assert.equal(typeof e.message, 'string', `error.message in ${res.text}`);
  assert.ok(e.message.length > 0, `empty error.message in ${res.text}`);
  assert.match(e.message, NON_ASCII_LETTER, `error.message is not Vietnamese: ${e.message}`);
  assert.ok(e.field === null || typeof e.field === 'string', `error.field must be string or null: ${res.text}`);
  if (Array.isArray(code)) assert.ok(code.includes(e.code), `error.code ${e.code} not in ${code.join('|')} (${res.text})`);
  else if (code !== undefined) assert.equal(e.code, code, `error.code (body: ${res.text})`);
  if (field !== undefined) assert.equal(e.field, field, `error.field (body: ${res.text})`);
  return e;
}

/** Asserts a 2xx-class status, printing the body on failure. */
export function assertStatus(res, status, what = '') {
  assert.equal(res.status, status, `${what} HTTP status (body: ${res.text})`);
  return res.body;
}

/** Logs in and returns a client bound to the session; fails the test if login fails. */
export async function session(url, username, password) {
  const pw = password ?? (username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD);
  const s = await login(url, username, pw);
  assert.equal(s.status, 200, `login ${username}: ${JSON.stringify(s.body)}`);
  assert.ok(s.cookie, `login ${username}: no kc_session cookie`);
  assert.ok(s.csrf, `login ${username}: no csrf_token`);
  const api = client(url, s);
  api.sess = s;
  return api;
}

/** All units visible to api (one page of 500), as {list, byCode, byId}. */
export async function allUnits(api) {
  const r = await api('GET', '/units?limit=500');
  assertStatus(r, 200, 'GET /units?limit=500');
  const list = r.body.items;
  return {
    list,
    byCode: new Map(list.map((u) => [u.code, u])),
    byId: new Map(list.map((u) => [u.id, u])),
  };
}

/** total_count of a list endpoint (path without query or with one). */
export async function totalCount(api, path) {
  const r = await api('GET', `${path}${path.includes('?') ? '&' : '?'}limit=1`);
  assertStatus(r, 200, `GET ${path}`);
  assert.equal(typeof r.body.total_count, 'number', `total_count in ${r.text}`);
  return r.body.total_count;
}

/** Ids of the subtree rooted at rootId (inclusive), from a unit list with parent_id. */
export function subtreeIds(units, rootId) {
  const kids = new Map();
  for (const u of units) {
    if (!kids.has(u.parent_id)) kids.set(u.parent_id, []);
    kids.get(u.parent_id).push(u.id);
  }
  const out = new Set();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop();
    out.add(id);
    for (const k of kids.get(id) || []) stack.push(k);
  }
  return out;
}

/** Ids of the strict ancestors of unitId. */
export function ancestorIds(byId, unitId) {
  const out = new Set();
  let u = byId.get(unitId);
  while (u && u.parent_id !== null && u.parent_id !== undefined) {
    out.add(u.parent_id);
    u = byId.get(u.parent_id);
  }
  return out;
}

// Vietnamese ordering. docs: alphabet a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
// tone marks after the base letter. Whether tones weigh per letter or only after the whole
// string is not pinned down, so vnOrdered() accepts either reading (and either usual tone order).
const ICU_VI = new Intl.Collator('vi');
const TONES = ['\u0300', '\u0301', '\u0309', '\u0303', '\u0323']; // huyền sắc hỏi ngã nặng
const TONES_ALT = ['\u0301', '\u0300', '\u0309', '\u0303', '\u0323']; // sắc huyền hỏi ngã nặng
function perLetterKey(s, tones) {
  const keys = [];
  for (const ch of s.normalize('NFC').toLowerCase()) {
    const d = ch.normalize('NFD');
    let tone = 0;
    let base = '';
    for (const c of d) {
      const t = tones.indexOf(c);
      if (t >= 0) tone = t + 1; else base += c;
    }
    base = base.normalize('NFC');
    // đ sorts right after d; letters with breve/circumflex/horn after their plain letter.
    const order = 'aăâbcdđeêghiklmnoôơpqrstuưvxy';
    const i = order.indexOf(base);
    const primary = i >= 0 ? 1000 + i * 10 : base.codePointAt(0);
    keys.push([primary, tone]);
  }
  return keys;
}
function cmpKeys(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i][0] !== b[i][0]) return a[i][0] - b[i][0];
    if (a[i][1] !== b[i][1]) return a[i][1] - b[i][1];
  }
  return a.length - b.length;
}
/** True if a may come before (or tie with) b in Vietnamese order under any accepted reading. */
export function vnOrdered(a, b) {
  return ICU_VI.compare(a, b) <= 0
    || cmpKeys(perLetterKey(a, TONES), perLetterKey(b, TONES)) <= 0
    || cmpKeys(perLetterKey(a, TONES_ALT), perLetterKey(b, TONES_ALT)) <= 0;
}

export { ADMIN_PASSWORD, DEMO_PASSWORD };

/**
 * Stops the server and asserts it exited with status 0 and printed no sanitizer report
 * (the suite also runs against an AddressSanitizer build). Safe to call again from after().
 */
export async function stopClean(srv) {
  const code = await srv.stop();
  const log = srv.log();
  const at = log.search(/AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/);
  assert.equal(at, -1, `sanitizer report in the server log:\n${log.slice(Math.max(0, at - 300), at + 3000)}`);
  assert.equal(code, 0, `server exit status (signal ${srv.proc.signalCode}); log tail:\n${log.slice(-2000)}`);
}
