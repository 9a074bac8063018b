// Calls to the sohoa API. The session cookie (a random id the server
// keeps, never the token) authenticates the console; it is HttpOnly, so
// scripts never see it.

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

async function errorOf(res) {
  let body = {};
  try { body = await res.json(); } catch { /* not JSON */ }
  return new ApiError(res.status, body.code || '', body.error || res.statusText, Number(res.headers.get('Retry-After')) || 0);
}

// call sends a request and returns the decoded JSON (or text) answer.
export async function call(path, { method = 'GET', body, type } = {}) {
  const headers = { Accept: 'application/json' };
  if (type) headers['Content-Type'] = type;
  const res = await fetch(BASE + path, { method, body, headers, credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) throw await errorOf(res);
  const ct = res.headers.get('Content-Type') || '';
  if (ct.startsWith('application/json')) return res.json();
  return res.text();
}

// text fetches a page's text with the version it is.
export async function pageText(batch, n) {
  const res = await fetch(`${BASE}/batches/${batch}/pages/${n}/text`, { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) throw await errorOf(res);
  return { text: await res.text(), version: res.headers.get('Sohoa-Text-Version') || 'ocr' };
}

export function url(path) { return BASE + path; }

// upload sends a FormData with XMLHttpRequest, for its upload progress
// events; onProgress gets (sent, total).
export function upload(form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + '/batches');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    });
    xhr.addEventListener('load', () => {
      const body = xhr.response || {};
      if (xhr.status === 201) resolve(body);
      else reject(new ApiError(xhr.status, body.code || '', body.error || xhr.statusText, 0));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', '', 0)));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', '', 0)));
    xhr.send(form);
  });
}
