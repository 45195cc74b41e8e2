// The route table of the binary, docs/openapi.json and the served document agree, and every
// non-public route refuses a request without a session.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, runCli, login, client, SOURCE_DIR, ADMIN_PASSWORD } from '../lib/server.mjs';
import { assertError, assertStatus, stopClean } from './helpers.mjs';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const openapiText = readFileSync(join(SOURCE_DIR, 'docs/openapi.json'), 'utf8');
const openapi = JSON.parse(openapiText);

/** Parses `kycuong routes`: one `METHOD<TAB>PATH<TAB>public` or
 * `METHOD<TAB>PATH<TAB>auth<TAB>roles<TAB>unit|city` per line (access.test.mjs reads the roles). */
function binaryRoutes() {
  const r = runCli(['routes']);
  assert.equal(r.status, 0, `kycuong routes exit status (stderr: ${r.stderr})`);
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  assert.ok(lines.length > 0, 'kycuong routes printed nothing');
  return lines.map((line) => {
    const m = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\t(\/\S*)\t(public|auth\t[a-z_,]+\t(?:unit|city))$/.exec(line);
    assert.ok(m, `malformed line from kycuong routes: ${JSON.stringify(line)}`);
    return { method: m[1], path: m[2], public: m[3] === 'public' };
  });
}

/** Operations of docs/openapi.json with {param} turned into :param. */
function documentedRoutes() {
  const out = [];
  for (const [p, item] of Object.entries(openapi.paths)) {
    for (const m of HTTP_METHODS) {
      const op = item[m];
      if (!op) continue;
      const security = op.security ?? openapi.security ?? [];
      out.push({
        method: m.toUpperCase(),
        path: p.replace(/\{([^}]+)\}/g, ':$1'),
        public: Array.isArray(security) && security.length === 0,
      });
    }
  }
  return out;
}

/**
 * Checks value against a JSON Schema of docs/openapi.json (the subset it uses: $ref, allOf,
 * type incl. arrays of types, const, enum, required, properties, additionalProperties: false,
 * items, minLength, pattern). Returns a list of problems, empty if it conforms.
 */
function conform(value, schema, path = '$', out = []) {
  if (schema.$ref) return conform(value, schema.$ref.slice(2).split('/').reduce((o, k) => o[k], openapi), path, out);
  for (const sub of schema.allOf || []) conform(value, sub, path, out);
  const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array'
    : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);
  if (schema.type) {
    const types = [].concat(schema.type);
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      out.push(`${path}: ${JSON.stringify(value)?.slice(0, 80)} is ${t}, schema says ${types.join('|')}`);
      return out;
    }
  }
  if ('const' in schema && value !== schema.const) out.push(`${path}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) out.push(`${path}: ${JSON.stringify(value)} not in enum ${schema.enum}`);
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) out.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) out.push(`${path}: ${value} does not match ${schema.pattern}`);
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of schema.required || []) if (!(k in value)) out.push(`${path}: lacks required member ${k}`);
    for (const [k, sub] of Object.entries(schema.properties || {})) if (k in value) conform(value[k], sub, `${path}.${k}`, out);
    if (schema.additionalProperties === false) {
      for (const k of Object.keys(value)) if (!(k in (schema.properties || {}))) out.push(`${path}: unexpected member ${k}`);
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => conform(v, schema.items, `${path}[${i}]`, out));
  return out;
}

/** The JSON schema of the documented answer of METHOD path (OpenAPI form) with that status. */
function responseSchema(method, path, status) {
  const op = openapi.paths[path]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${path} is not documented`);
  let resp = op.responses[String(status)];
  assert.ok(resp, `${method} ${path}: status ${status} is not documented (has ${Object.keys(op.responses)})`);
  if (resp.$ref) resp = resp.$ref.slice(2).split('/').reduce((o, k) => o[k], openapi);
  return resp.content?.['application/json']?.schema ?? null;
}

const key = (r) => `${r.method} ${r.path} ${r.public ? 'public' : 'auth'}`;
const api = (rs) => rs.filter((r) => r.path.startsWith('/api/v1/')).map(key).sort();

describe('openapi', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv?.stop(); });

  it('docs/openapi.json is an OpenAPI 3.1 document with the security schemes', () => {
    assert.match(openapi.openapi, /^3\.1\.\d+$/);
    assert.equal(typeof openapi.info?.title, 'string');
    const ss = openapi.components.securitySchemes;
    const cookie = Object.values(ss).find((s) => s.type === 'apiKey' && s.in === 'cookie');
    assert.equal(cookie?.name, 'kc_session');
    assert.ok(Object.values(ss).some((s) => s.type === 'http' && s.scheme === 'bearer'), 'bearer scheme');
    // Every $ref resolves.
    const refs = [...openapiText.matchAll(/"\$ref": "#\/([^"]+)"/g)].map((m) => m[1]);
    for (const ref of refs) {
      const target = ref.split('/').reduce((o, k) => o?.[k], openapi);
      assert.ok(target, `unresolved $ref #/${ref}`);
    }
  });

  it('kycuong routes and docs/openapi.json list the same /api/v1 routes', () => {
    const bin = binaryRoutes();
    const binKeys = api(bin);
    assert.equal(new Set(binKeys).size, binKeys.length, `duplicate lines in kycuong routes: ${binKeys}`);
    const docKeys = api(documentedRoutes());
    assert.deepEqual({
      only_in_kycuong_routes: binKeys.filter((k) => !docKeys.includes(k)),
      only_in_openapi_json: docKeys.filter((k) => !binKeys.includes(k)),
    }, { only_in_kycuong_routes: [], only_in_openapi_json: [] });
  });

  it('the public routes are exactly the documented ones', () => {
    // login, the API document, and the calendar feed (whose token in the URL is the
    // credential, for calendar applications that cannot log in)
    assert.deepEqual(api(binaryRoutes()).filter((k) => k.endsWith(' public')),
      ['GET /api/v1/openapi.json public', 'GET /api/v1/public/dossiers/:code public', 'GET /api/v1/public/ical public',
        'GET /api/v1/public/procedures public', 'GET /api/v1/public/procedures/:id public',
        'GET /api/v1/public/procedures/:id/form public',
        'GET /api/v1/public/procedures/fields public', 'POST /api/v1/session public']);
  });

  it('every auth route answers 401 without a session, and public ones do not', async () => {
    const routes = binaryRoutes().filter((r) => r.path.startsWith('/api/v1/'));
    const failures = [];
    for (const r of routes) {
      const path = r.path.replace(/:[A-Za-z_]+/g, '1');
      for (const auth of [null, { cookie: 'kc_session=bogus' }, { authorization: 'Bearer bogus' }]) {
        if (r.public && auth) continue;
        const init = { method: r.method, headers: { ...(auth || {}) } };
        if (WRITE_METHODS.has(r.method)) {
          init.headers['content-type'] = 'application/json';
          init.body = '{}';
        }
        const res = await fetch(`${srv.url}${path}`, init);
        const text = await res.text();
        const label = `${r.method} ${path} ${auth ? JSON.stringify(auth) : 'anonymous'}`;
        if (r.public) {
          if (res.status === 401) failures.push(`${label}: public route answered 401 ${text}`);
          continue;
        }
        if (res.status !== 401) { failures.push(`${label}: expected 401, got ${res.status} ${text}`); continue; }
        let body = null;
        try { body = JSON.parse(text); } catch { /* reported below */ }
        try {
          assertError({ status: res.status, body, text }, 401, 'unauthorized');
        } catch (e) { failures.push(`${label}: ${e.message}`); }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('GET /api/v1/openapi.json serves docs/openapi.json', async () => {
    const res = await fetch(`${srv.url}/api/v1/openapi.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /^application\/json/);
    assert.deepEqual(await res.json(), openapi);
  });

  it('real answers conform to the schemas of docs/openapi.json', async () => {
    const s = await login(srv.url, 'admin', ADMIN_PASSWORD);
    assert.equal(s.status, 200);
    const problems = [...conform(s.body, responseSchema('POST', '/api/v1/session', 200), 'POST /session')];
    const api = client(srv.url, s);
    const calls = [];
    async function call(method, docPath, realPath, body) {
      const r = await api(method, realPath, body);
      calls.push(`${method} ${realPath} ${r.status}`);
      const schema = responseSchema(method, docPath, r.status);
      if (schema) problems.push(...conform(r.body, schema, `${method} ${realPath} (${r.status})`));
      else if (r.text !== '') problems.push(`${method} ${realPath}: undocumented body for ${r.status}`);
      return r;
    }
    await call('GET', '/api/v1/me', '/me');
    await call('GET', '/api/v1/home', '/home');
    const units = (await call('GET', '/api/v1/units', '/units?limit=500')).body.items;
    const bd = units.find((u) => u.code === 'HN-D01');
    const hk = units.find((u) => u.code === 'HN-D02');
    await call('GET', '/api/v1/units/tree', '/units/tree');
    await call('GET', '/api/v1/units/{id}', `/units/${bd.id}`);
    await call('GET', '/api/v1/units/{id}', '/units/999999');
    const u = (await call('POST', '/api/v1/units', '/units', { code: 'OA-1', name: 'Phòng Tài liệu', kind: 'division', parent_id: bd.id })).body;
    await call('POST', '/api/v1/units', '/units', { code: 'OA-1', name: 'Phòng Tài liệu', kind: 'division', parent_id: bd.id });
    const u2 = (await call('PATCH', '/api/v1/units/{id}', `/units/${u.id}`, { version: u.version, name: 'Phòng Tư liệu' })).body;
    await call('PATCH', '/api/v1/units/{id}', `/units/${u.id}`, { version: u.version, name: 'Cũ' });
    await call('POST', '/api/v1/units/{id}/move', `/units/${u.id}/move`, { version: u2.version, parent_id: hk.id });
    const o = (await call('POST', '/api/v1/officials', '/officials', { unit_id: bd.id, full_name: 'Đào Thị Tài Liệu', position: 'Văn thư', position_since: '2016-05-01', email: 'tl@hanoi.gov.vn', phone: '024 1234 5678' })).body;
    await call('POST', '/api/v1/officials', '/officials', { unit_id: bd.id, full_name: 5 });
    await call('POST', '/api/v1/officials', '/officials', '{"unit_id":');
    await call('GET', '/api/v1/officials', '/officials?limit=500');
    await call('GET', '/api/v1/officials/{id}', `/officials/${o.id}`);
    await call('PATCH', '/api/v1/officials/{id}', `/officials/${o.id}`, { version: o.version, phone: null });
    const a = (await call('POST', '/api/v1/accounts', '/accounts', { username: 'tai.lieu', password: 'mat-khau-tai-lieu', role: 'desk', unit_id: bd.id, official_id: o.id })).body;
    await call('GET', '/api/v1/accounts', '/accounts?limit=500');
    await call('GET', '/api/v1/accounts/{id}', `/accounts/${a.id}`);
    await call('PATCH', '/api/v1/accounts/{id}', `/accounts/${a.id}`, { version: a.version, role: 'officer' });
    await call('GET', '/api/v1/audit', '/audit?limit=500');
    const t = (await call('POST', '/api/v1/tokens', '/tokens', { name: 'tài liệu' })).body;
    await call('GET', '/api/v1/tokens', '/tokens');
    await call('DELETE', '/api/v1/tokens/{id}', `/tokens/${t.id}`);
    await call('GET', '/api/v1/calendar/days', '/calendar/days?from=2017-01-25&to=2017-02-05');
    await call('GET', '/api/v1/calendar/add', '/calendar/add?date=2017-01-25&n=3');
    await call('GET', '/api/v1/calendar/count', '/calendar/count?from=2017-01-01&to=2017-12-31');
    await call('GET', '/api/v1/calendar/schedule', '/calendar/schedule?year=2017');
    await call('GET', '/api/v1/calendar/days', '/calendar/days?from=2017-13-01&to=2017-02-05');
    const officer = client(srv.url, await login(srv.url, 'canbo', 'demo-kycuong-2017'));
    const f = await officer('GET', '/accounts');
    problems.push(...conform(f.body, responseSchema('GET', '/api/v1/accounts', f.status), 'GET /accounts as officer'));
    await call('DELETE', '/api/v1/session', '/session');
    assert.ok(calls.every((c) => !/ 5\d\d$/.test(c)), `server errors: ${calls.filter((c) => / 5\d\d$/.test(c))}`);
    assert.deepEqual(problems, []);
  });

  it('GET /healthz and /metrics answer without a session', async () => {
    const h = await fetch(`${srv.url}/healthz`);
    assert.equal(h.status, 200);
    assert.deepEqual(await h.json(), { status: 'ok' });
    const m = await fetch(`${srv.url}/metrics`);
    assert.equal(m.status, 200);
    assert.match(m.headers.get('content-type') || '', /^text\/plain/);
    const text = await m.text();
    assert.match(text, /^# (HELP|TYPE) \S+/m, `not Prometheus text: ${text.slice(0, 200)}`);
  });

  it('the server stops cleanly (exit 0, no sanitizer report)', async () => {
    await stopClean(srv);
  });
});
