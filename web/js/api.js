// The client of the JSON API under /api/v1 (docs/api.md). Sends the session cookie
// (same-origin) and, on every state-changing request, the X-CSRF-Token header.

const BASE = '/api/v1';
let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** An error answer of the API: {error: {code, message, field}} plus the HTTP status. */
export class ApiError extends Error {
  constructor(status, code, message, field, retryAfter) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field || null;
    this.retryAfter = retryAfter;
  }
}

const FALLBACK_MESSAGES = {
  400: 'Dữ liệu không hợp lệ.',
  401: 'Bạn cần đăng nhập.',
  403: 'Bạn không có quyền thực hiện thao tác này.',
  404: 'Không tìm thấy dữ liệu.',
  409: 'Dữ liệu đã bị người khác thay đổi hoặc bị trùng. Vui lòng tải lại rồi thử lại.',
  413: 'Dữ liệu gửi lên quá lớn.',
  429: 'Thao tác quá nhiều lần.',
  500: 'Lỗi máy chủ. Vui lòng thử lại sau.',
};

/** Builds "?a=1&b=x" from the members that are not empty. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === '') continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

/**
 * Calls the API. Returns the parsed JSON (null for 204). Throws ApiError on an error status,
 * and on a network failure (status 0). A 401 on any call but the login itself also fires the
 * window event "kc:unauthorized", so the shell can show the login page.
 */
export async function api(method, path, body, { signal, raw, type } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', signal };
  if (raw !== undefined) {
    // a file sent as it is (attachments, documents for the directive reader)
    headers['Content-Type'] = type || 'application/octet-stream';
    init.body = raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(BASE + path, init);
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.', null);
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (res.ok) return json;
  const err = (json && json.error) || {};
  const retryRaw = res.headers.get('Retry-After');
  const retryAfter = retryRaw !== null && /^\d+$/.test(retryRaw.trim()) ? Number(retryRaw) : null;
  const e = new ApiError(res.status, err.code || `http_${res.status}`,
    err.message || FALLBACK_MESSAGES[res.status] || `Lỗi ${res.status}.`, err.field, retryAfter);
  if (res.status === 401 && !(method === 'POST' && path === '/session')) {
    window.dispatchEvent(new CustomEvent('kc:unauthorized', { detail: e }));
  }
  throw e;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const patch = (path, body, opts) => api('PATCH', path, body, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);
/** Uploads a File (or Blob) as the request body, with its own type. */
export const upload = (path, file, opts = {}) => api('POST', path, undefined, { ...opts, raw: file, type: file.type });

// Units change rarely and several views need them (selects, names): one cached load of the
// tree, flattened in display order. Invalidate after a create or rename.
let unitCache = null;

export function invalidateUnits() {
  unitCache = null;
}

/** Returns {roots, flat: [{unit, depth}], byId: Map, count}. */
export function loadUnits({ force = false } = {}) {
  if (!unitCache || force) {
    unitCache = get('/units/tree').then((r) => {
      const roots = (r && r.items) || [];
      const flat = [];
      const byId = new Map();
      const walk = (nodes, depth) => {
        for (const u of nodes) {
          flat.push({ unit: u, depth });
          byId.set(u.id, u);
          walk(u.children || [], depth + 1);
        }
      };
      walk(roots, 0);
      return { roots, flat, byId, count: flat.length };
    }).catch((e) => {
      unitCache = null;
      throw e;
    });
  }
  return unitCache;
}
