// The sohoa console: log in, upload batches, follow them live, retry
// failed pages and review texts. Views are built with DOM calls (never
// innerHTML), so nothing a file or a person named can run as code.

import {
  t, setText, setAttr, translate, setLang, getLang, initLang, onLangChange, formatSize,
} from './i18n.js';
import { call, pageText, upload, url, ApiError } from './api.js';

const main = document.getElementById('main');
const THRESHOLD = 70; // words read with less confidence are marked for review

// A document's header metadata fields (docs/metadata.md), and the values
// the decree allows for the marks and types.
const META_FIELDS = ['issuer', 'number', 'date', 'place', 'type', 'subject', 'secrecy', 'urgency'];
const MARKS = { secrecy: ['MẬT', 'TỐI MẬT', 'TUYỆT MẬT'], urgency: ['KHẨN', 'THƯỢNG KHẨN', 'HỎA TỐC'] };
const DOC_TYPES = ['nghị quyết', 'quyết định', 'chỉ thị', 'quy chế', 'quy định', 'thông cáo', 'thông báo', 'hướng dẫn',
  'chương trình', 'kế hoạch', 'phương án', 'đề án', 'dự án', 'báo cáo', 'biên bản', 'tờ trình', 'hợp đồng', 'công điện',
  'bản ghi nhớ', 'bản thỏa thuận', 'giấy ủy quyền', 'giấy mời', 'giấy giới thiệu', 'giấy nghỉ phép', 'phiếu gửi',
  'phiếu chuyển', 'phiếu báo', 'công văn'];

let me = null; // {name, role, permissions}
let cleanup = null; // ends the current view (closes its event stream)
let leaveGuard = null; // {dirty()}: the view has unsaved work (an edit, an upload)
let currentHash = '';
let batchesOffset = 0;

// ---------------------------------------------------------------- helpers

function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked' || k === 'readOnly') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// tr makes an element whose text is the translation of key.
function tr(tag, key, params, props) {
  return setText(h(tag, props), key, params);
}

function canWrite() { return !!me && me.permissions.includes('write'); }

function roleKey(role) { return { k: `role.${role}` }; }

let toastTimer = null;
function toast(key, params, kind = 'info') {
  const el = document.getElementById('toast');
  el.className = `toast toast-${kind} show`;
  setText(el, key, params);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.className = 'toast'; }, 5000);
}

// failure shows what went wrong with a call; a lost session goes to login.
function failure(err, fallbackKey = 'common.error') {
  if (err instanceof ApiError) {
    if (err.status === 401) { me = null; showChrome(); toast('common.session', null, 'error'); go('#/login'); return; }
    if (err.status === 403) { toast('common.forbidden', null, 'error'); return; }
    if (err.status === 409) { toast('common.conflict', { msg: err.message }, 'error'); return; }
  }
  toast(fallbackKey, { msg: err.message || String(err) }, 'error');
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function statusBadge(status, id) {
  return tr('span', `status.${status}`, null, { class: `badge badge-${status}`, id });
}

function pageBadge(status) {
  return tr('span', `pstatus.${status}`, null, { class: `badge badge-p-${status}` });
}

function finished(s) { return ['done', 'partial', 'failed', 'cancelled'].includes(s); }

// progressBar draws pages done (green) and failed (red) out of all pages.
function progressBar(id) {
  const done = h('div', { class: 'bar bar-done' });
  const failed = h('div', { class: 'bar bar-failed' });
  const el = h('div', {
    class: 'progress', id, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0,
  }, done, failed);
  setAttr(el, 'aria-label', 'batch.progress');
  el.update = (c) => {
    const pages = Math.max(c.pages, 1);
    const pd = (100 * c.done) / pages;
    const pf = (100 * (c.failed + (c.cancelled || 0))) / pages;
    done.style.width = `${pd}%`;
    failed.style.width = `${pf}%`;
    el.setAttribute('aria-valuenow', String(Math.round(pd + pf)));
  };
  return el;
}

// ---------------------------------------------------------------- chrome

function showChrome() {
  const nav = document.getElementById('mainnav');
  const who = document.getElementById('whoami');
  const logout = document.getElementById('logout');
  nav.hidden = !me;
  who.hidden = !me;
  logout.hidden = !me;
  document.getElementById('nav-upload').hidden = !canWrite();
  if (me) {
    who.replaceChildren(h('strong', null, me.name), ' · ', tr('span', `role.${me.role}`));
  }
}

function markNav(hash) {
  for (const a of document.querySelectorAll('#mainnav a')) {
    if (hash.startsWith(a.getAttribute('href'))) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function langButton() {
  const b = document.getElementById('lang-switch');
  b.setAttribute('lang', getLang() === 'vi' ? 'en' : 'vi');
}

// ---------------------------------------------------------------- routing

const routes = [
  [/^#\/login$/, viewLogin],
  [/^#\/batches$/, viewBatches],
  [/^#\/upload$/, viewUpload],
  [/^#\/batches\/([A-Za-z0-9_-]{1,64})$/, viewBatch],
  [/^#\/batches\/([A-Za-z0-9_-]{1,64})\/pages\/(\d{1,7})$/, viewReview],
];

async function route() {
  const hash = location.hash || '#/batches';
  if (leaveGuard && hash !== currentHash && leaveGuard.dirty() && !window.confirm(t('review.leave'))) {
    history.replaceState(null, '', currentHash);
    return;
  }
  leaveGuard = null;
  if (cleanup) { cleanup(); cleanup = null; }
  currentHash = hash;
  if (!me && hash !== '#/login') {
    try {
      me = await call('/me');
    } catch (err) {
      me = null;
      showChrome();
      if (!(err instanceof ApiError && err.status === 401)) failure(err);
      if (location.hash !== '#/login') { location.hash = '#/login'; return; }
    }
    showChrome();
  }
  markNav(hash);
  main.replaceChildren();
  for (const [re, view] of routes) {
    const m = re.exec(hash);
    if (m) {
      await view(...m.slice(1));
      const heading = main.querySelector('h1');
      if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus({ preventScroll: true }); }
      return;
    }
  }
  go('#/batches');
}

// ---------------------------------------------------------------- login

function viewLogin() {
  if (me) { go('#/batches'); return; }
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true,
    spellcheck: 'false', autocapitalize: 'off',
  });
  const msg = h('p', { class: 'form-error', id: 'login-error', role: 'alert' });
  const submit = tr('button', 'login.submit', null, { type: 'submit', class: 'btn btn-primary', id: 'login-submit' });
  const form = h('form', { class: 'card narrow', id: 'login-form', novalidate: true },
    tr('h1', 'login.title'),
    tr('p', 'login.intro', null, { class: 'muted' }),
    h('div', { class: 'field' }, tr('label', 'login.token', null, { for: 'token' }), input),
    msg,
    h('div', { class: 'form-actions' }, submit),
    tr('p', 'login.note', null, { class: 'muted small' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.textContent = '';
    const token = input.value.trim();
    if (!token) { setText(msg, 'login.invalid'); input.focus(); return; }
    submit.disabled = true;
    try {
      me = await call('/login', { method: 'POST', body: new URLSearchParams({ token }), type: 'application/x-www-form-urlencoded' });
      input.value = '';
      showChrome();
      go('#/batches');
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setText(msg, 'login.rateLimited', { s: err.retryAfter || 60 });
      else if (err instanceof ApiError && err.status === 401) setText(msg, 'login.invalid');
      else setText(msg, 'common.error', { msg: err.message });
      input.focus();
    } finally {
      submit.disabled = false;
    }
  });
  main.append(form);
  input.focus();
}

// ---------------------------------------------------------------- batch list

async function viewBatches() {
  const limit = 25;
  const tbody = h('tbody');
  const pager = h('div', { class: 'pager' });
  const refresh = tr('button', 'batches.refresh', null, { type: 'button', class: 'btn', onclick: () => route() });
  main.append(
    h('div', { class: 'page-head' },
      tr('h1', 'batches.title'),
      h('div', { class: 'actions' }, refresh,
        canWrite() ? tr('a', 'batches.newBatch', null, { class: 'btn btn-primary', href: '#/upload' }) : null)),
    h('div', { class: 'table-wrap card' },
      h('table', { class: 'table', id: 'batches-table' },
        h('thead', null, h('tr', null,
          tr('th', 'batches.col.id', null, { scope: 'col' }),
          tr('th', 'batches.col.title', null, { scope: 'col' }),
          tr('th', 'batches.col.fonds', null, { scope: 'col' }),
          tr('th', 'batches.col.status', null, { scope: 'col' }),
          tr('th', 'batches.col.progress', null, { scope: 'col' }),
          tr('th', 'batches.col.failed', null, { scope: 'col', class: 'num' }),
          tr('th', 'batches.col.created', null, { scope: 'col' }))),
        tbody)),
    pager);
  let list;
  try {
    list = await call(`/batches?offset=${batchesOffset}&limit=${limit}`);
  } catch (err) { failure(err); return; }
  if (list.batches.length === 0) {
    tbody.append(h('tr', null, tr('td', 'batches.empty', null, { colspan: 7, class: 'empty' })));
  }
  for (const b of list.batches) {
    const bar = progressBar();
    bar.classList.add('progress-sm');
    bar.update(b.counts);
    const fin = b.counts.done + b.counts.failed + b.counts.cancelled;
    tbody.append(h('tr', null,
      h('td', null, h('a', { href: `#/batches/${b.id}`, class: 'mono' }, b.id)),
      h('td', null, b.title || tr('span', 'batch.untitled', null, { class: 'muted' })),
      h('td', null, b.fonds || ''),
      h('td', null, statusBadge(b.status)),
      h('td', { class: 'cell-progress' }, bar, tr('span', 'batches.pages', { done: fin, pages: b.counts.pages }, { class: 'small muted' })),
      h('td', { class: b.counts.failed ? 'num text-bad' : 'num' }, String(b.counts.failed)),
      h('td', null, tr('time', 'batches.created', { created: b.created }, { datetime: b.created }))));
  }
  const from = list.total === 0 ? 0 : list.offset + 1;
  const to = list.offset + list.batches.length;
  pager.append(
    tr('button', 'batches.prev', null, {
      type: 'button', class: 'btn', disabled: list.offset === 0,
      onclick: () => { batchesOffset = Math.max(0, batchesOffset - limit); route(); },
    }),
    tr('span', 'batches.range', { from, to, total: list.total }, { class: 'muted' }),
    tr('button', 'batches.next', null, {
      type: 'button', class: 'btn', disabled: to >= list.total,
      onclick: () => { batchesOffset += limit; route(); },
    }));
}

// ---------------------------------------------------------------- upload

const SOURCE_EXT = /\.(png|jpe?g|jpe|tiff?|pdf|jp2|j2k|jpx|jpf|webp|bmp|gif|pnm|pgm|ppm|pbm|zip)$/i;

// readEntry walks a dropped file or folder, naming files by their path.
async function readEntry(entry, out) {
  if (entry.isFile) {
    const file = await new Promise((res, rej) => entry.file(res, rej));
    out.push({ file, name: entry.fullPath.replace(/^\/+/, ''), fromFolder: entry.fullPath.split('/').length > 2 });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = entry.createReader();
  for (;;) {
    const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
    if (batch.length === 0) break;
    batch.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of batch) {
      if (!e.name.startsWith('.')) await readEntry(e, out);
    }
  }
}

// keep drops files from folders that are not page images, PDFs or zips,
// as `sohoa submit` does; a file chosen by itself is always taken.
function keep(item) {
  if (!item.fromFolder) return true;
  const parts = item.name.split('/');
  return SOURCE_EXT.test(item.name) && !parts.some((p) => p.startsWith('.'));
}

function viewUpload() {
  if (!canWrite()) {
    main.append(tr('h1', 'upload.title'), tr('p', 'upload.forbidden', null, { class: 'notice' }));
    return;
  }
  let items = [];
  const fileInput = h('input', { type: 'file', id: 'file-input', multiple: true, class: 'visually-hidden' });
  const folderInput = h('input', { type: 'file', id: 'folder-input', webkitdirectory: true, multiple: true, class: 'visually-hidden' });
  const summary = h('p', { id: 'upload-summary', class: 'muted' });
  const list = h('ul', { class: 'file-list', id: 'upload-files' });
  const clear = tr('button', 'upload.clear', null, { type: 'button', class: 'btn btn-ghost', hidden: true });
  const bar = h('progress', { id: 'upload-progress', max: 100, value: 0, hidden: true });
  const status = h('p', { id: 'upload-status', role: 'status', 'aria-live': 'polite' });
  const submit = tr('button', 'upload.submit', null, { type: 'submit', class: 'btn btn-primary', id: 'upload-submit', disabled: true });

  function show() {
    list.replaceChildren();
    const size = items.reduce((s, it) => s + it.file.size, 0);
    if (items.length === 0) setText(summary, 'upload.none');
    else setText(summary, 'upload.selected', { n: items.length, size });
    for (const it of items.slice(0, 12)) {
      list.append(h('li', null, h('span', { class: 'file-name' }, it.name), h('span', { class: 'muted small' }, formatSize(it.file.size))));
    }
    if (items.length > 12) list.append(tr('li', 'upload.more', { n: items.length - 12 }, { class: 'muted' }));
    submit.disabled = items.length === 0;
    clear.hidden = items.length === 0;
  }
  function add(newItems) {
    const seen = new Set(items.map((it) => it.name));
    for (const it of newItems.filter(keep)) {
      if (!seen.has(it.name)) { items.push(it); seen.add(it.name); }
    }
    show();
  }
  fileInput.addEventListener('change', () => {
    add([...fileInput.files].map((file) => ({ file, name: file.name, fromFolder: false })));
    fileInput.value = '';
  });
  folderInput.addEventListener('change', () => {
    add([...folderInput.files].map((file) => ({ file, name: file.webkitRelativePath || file.name, fromFolder: true })));
    folderInput.value = '';
  });
  clear.addEventListener('click', () => { items = []; show(); });

  const drop = h('section', { class: 'dropzone', id: 'dropzone', 'aria-labelledby': 'drop-title', 'aria-describedby': 'drop-hint' },
    h('div', { class: 'drop-icon', 'aria-hidden': 'true' }, '⇪'),
    tr('p', 'upload.drop', null, { class: 'drop-title', id: 'drop-title' }),
    tr('p', 'upload.or', null, { class: 'muted' }),
    h('div', { class: 'drop-buttons' },
      fileInput, tr('label', 'upload.chooseFiles', null, { for: 'file-input', class: 'btn' }),
      folderInput, tr('label', 'upload.chooseFolder', null, { for: 'folder-input', class: 'btn' })),
    tr('p', 'upload.hint', null, { class: 'muted small', id: 'drop-hint' }));
  for (const ev of ['dragenter', 'dragover']) {
    drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add('over'); });
  }
  drop.addEventListener('dragleave', (e) => { if (!drop.contains(e.relatedTarget)) drop.classList.remove('over'); });
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const found = [];
    const entries = [...(e.dataTransfer.items || [])]
      .map((it) => (it.kind === 'file' && it.webkitGetAsEntry ? it.webkitGetAsEntry() : null));
    if (entries.some(Boolean)) {
      for (const entry of entries) if (entry) await readEntry(entry, found);
    } else {
      for (const file of e.dataTransfer.files) found.push({ file, name: file.name, fromFolder: false });
    }
    add(found);
  });

  const title = h('input', { id: 'batch-title-input', name: 'title', type: 'text', maxlength: 300, autocomplete: 'off' });
  setAttr(title, 'placeholder', 'upload.fieldTitlePh');
  const fonds = h('input', { id: 'batch-fonds', name: 'fonds', type: 'text', maxlength: 100, autocomplete: 'off' });
  setAttr(fonds, 'placeholder', 'upload.fieldFondsPh');
  const priority = h('select', { id: 'batch-priority', name: 'priority' },
    tr('option', 'upload.priorityNormal', null, { value: 'normal' }),
    tr('option', 'upload.priorityHigh', null, { value: 'high' }));

  const form = h('form', { class: 'upload-grid', id: 'upload-form' },
    h('div', { class: 'card' }, drop,
      h('div', { class: 'file-head' }, tr('h2', 'upload.files'), clear), summary, list),
    h('div', { class: 'card' },
      tr('h2', 'upload.details'),
      h('div', { class: 'field' }, tr('label', 'upload.fieldTitle', null, { for: 'batch-title-input' }), title),
      h('div', { class: 'field' }, tr('label', 'upload.fieldFonds', null, { for: 'batch-fonds' }), fonds),
      h('div', { class: 'field' }, tr('label', 'upload.fieldPriority', null, { for: 'batch-priority' }), priority),
      h('div', { class: 'form-actions' }, submit),
      bar, status));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (items.length === 0) return;
    const fd = new FormData();
    if (title.value.trim()) fd.append('title', title.value.trim());
    if (fonds.value.trim()) fd.append('fonds', fonds.value.trim());
    fd.append('priority', priority.value);
    for (const it of items) fd.append('file', it.file, it.name);
    submit.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    setText(status, 'upload.progress', { pct: 0 });
    let sentAll = false;
    leaveGuard = { dirty: () => true };
    try {
      const res = await upload(fd, (sent, total) => {
        const pct = Math.floor((100 * sent) / total);
        bar.value = pct;
        if (sent >= total && !sentAll) { sentAll = true; setText(status, 'upload.processing'); }
        else if (!sentAll) setText(status, 'upload.progress', { pct });
      });
      leaveGuard = null;
      setText(status, 'upload.done');
      go(`#/batches/${res.id}`);
    } catch (err) {
      leaveGuard = null;
      submit.disabled = false;
      bar.hidden = true;
      if (err.status === 413) setText(status, 'upload.tooLarge', { msg: err.message });
      else if (err.status === 0) setText(status, 'upload.network');
      else if (err.status === 401) failure(err);
      else setText(status, 'upload.failed', { msg: err.message });
    }
  });
  main.append(tr('h1', 'upload.title'), form);
  show();
}

// ---------------------------------------------------------------- batch

async function viewBatch(id) {
  let m;
  try {
    m = await call(`/batches/${id}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      main.append(tr('a', 'batch.back', null, { href: '#/batches', class: 'back' }), tr('h1', 'batch.notFound'));
      return;
    }
    failure(err);
    return;
  }
  const title = h('h1', { id: 'batch-title' });
  const meta = h('p', { class: 'muted', id: 'batch-meta' });
  const status = h('span', { id: 'batch-status', class: 'badge', role: 'status' });
  const live = tr('span', 'batch.live', null, { class: 'live', hidden: true });
  const bar = progressBar('batch-progress');
  const counts = h('p', { id: 'batch-counts', class: 'counts' });
  const reading = h('p', { class: 'muted small', id: 'batch-reading' });
  const actions = h('div', { class: 'actions', id: 'batch-actions' });
  const alerts = h('div', { id: 'batch-alerts' });
  const failedBox = h('section', { class: 'card', id: 'failed-pages', 'aria-labelledby': 'failed-title' });
  const pagesBox = h('section', { class: 'card', id: 'pages', 'aria-labelledby': 'pages-title' });
  const docsBox = h('section', { class: 'card', id: 'documents', hidden: true, 'aria-labelledby': 'docs-title' });
  main.append(
    tr('a', 'batch.back', null, { href: '#/batches', class: 'back' }),
    h('div', { class: 'page-head' }, h('div', null, title, meta), actions),
    alerts,
    h('section', { class: 'card progress-card' },
      h('div', { class: 'progress-head' }, status, live), bar, counts, reading),
    failedBox, pagesBox, docsBox);

  let es = null;
  let refetch = null;
  let lastFinished = -1;
  let version = -1;

  function showCounts(c) {
    status.className = `badge badge-${c.status}`;
    setText(status, `status.${c.status}`);
    bar.update(c);
    const fin = c.done + c.failed + (c.cancelled || 0);
    setText(counts, 'batch.counts', { finished: fin, pages: c.pages, done: c.done, failed: c.failed });
    if (c.split !== undefined && c.split < c.sources) setText(reading, 'batch.reading', { split: c.split, sources: c.sources });
    else { reading.textContent = ''; delete reading.dataset.i18n; }
  }

  function showManifest() {
    if (m.attrs && m.attrs.title) { title.textContent = m.attrs.title; delete title.dataset.i18n; } else setText(title, 'batch.untitled');
    setText(meta, 'batch.meta', { id: m.id, created: m.created });
    if (m.attrs && m.attrs.fonds) meta.append(' · ', tr('span', 'batch.fonds', { fonds: m.attrs.fonds }));
    if (m.attrs && m.attrs.priority === 'high') meta.append(' · ', tr('span', 'batch.priorityHigh', null, { class: 'badge badge-high' }));

    alerts.replaceChildren();
    if (m.alerts && m.alerts.length) {
      alerts.append(h('div', { class: 'alert', role: 'alert' }, tr('strong', 'batch.alerts'), h('ul', null, m.alerts.map((a) => h('li', null, a)))));
    }

    actions.replaceChildren();
    const fin = finished(m.status);
    if (canWrite() && !fin && m.status !== 'cancelling') {
      actions.append(tr('button', 'batch.cancel', null, { type: 'button', class: 'btn btn-danger', id: 'cancel-batch', onclick: cancelBatch }));
    }
    if (canWrite() && m.counts.failed > 0 && m.status !== 'cancelled' && m.status !== 'cancelling') {
      actions.append(tr('button', 'batch.retryAll', null, { type: 'button', class: 'btn', id: 'retry-all', onclick: retryAll }));
    }
    if (fin) {
      actions.append(tr('a', 'batch.bag', null, { class: 'btn btn-primary', href: url(`/batches/${m.id}/bag`), download: `${m.id}.zip`, id: 'download-bag' }));
    }

    const failedPages = m.pages.map((p, n) => ({ p, n })).filter(({ p }) => p.status === 'failed');
    failedBox.replaceChildren(tr('h2', 'batch.failedTitle', null, { id: 'failed-title' }));
    if (failedPages.length === 0) failedBox.append(tr('p', 'batch.noFailed', null, { class: 'muted' }));
    else {
      failedBox.append(h('ul', { class: 'failed-list', id: 'failed-list' }, failedPages.map(({ p, n }) => h('li', null,
        h('div', { class: 'failed-what' },
          h('span', { class: 'file-name' }, p.source), ' · ', tr('span', 'batch.pageN', { n: p.index + 1 }),
          h('span', { class: 'mono muted small' }, ` (${p.id})`)),
        h('p', { class: 'failed-why' }, p.error || ''),
        canWrite() ? tr('button', 'batch.retry', null, {
          type: 'button', class: 'btn btn-small', id: `retry-${p.id}`, onclick: (e) => retryPage(n, p.id, e.target),
        }) : null))));
    }

    pagesBox.replaceChildren(tr('h2', 'batch.pagesTitle', null, { id: 'pages-title' }));
    if (m.pages.length === 0) pagesBox.append(tr('p', 'batch.noPages', null, { class: 'muted' }));
    else {
      const rows = m.pages.map((p, n) => h('tr', null,
        h('td', { class: 'num' }, String(n + 1)),
        h('td', { class: 'file-name' }, p.source),
        h('td', { class: 'num' }, String(p.index + 1)),
        h('td', null, pageBadge(p.status)),
        h('td', { class: 'num' }, p.status === 'done' ? `${Math.round(p.confidence)}%` : ''),
        h('td', { class: 'num' }, p.status === 'done' ? String(p.words) : ''),
        h('td', null, p.corrected ? tr('span', 'batch.correctedBy', { v: p.corrected.version, by: p.corrected.by }) : ''),
        h('td', null, p.status === 'done'
          ? tr('a', canWrite() ? 'batch.review' : 'batch.view', null, { href: `#/batches/${m.id}/pages/${n}`, class: 'btn btn-small', id: `review-${n}` })
          : '')));
      pagesBox.append(h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'pages-table' },
        h('thead', null, h('tr', null,
          tr('th', 'batch.col.n', null, { scope: 'col', class: 'num' }),
          tr('th', 'batch.col.source', null, { scope: 'col' }),
          tr('th', 'batch.col.page', null, { scope: 'col', class: 'num' }),
          tr('th', 'batch.col.status', null, { scope: 'col' }),
          tr('th', 'batch.col.confidence', null, { scope: 'col', class: 'num' }),
          tr('th', 'batch.col.words', null, { scope: 'col', class: 'num' }),
          tr('th', 'batch.col.correction', null, { scope: 'col' }),
          tr('th', 'batch.col.actions', null, { scope: 'col' }))),
        h('tbody', null, rows))));
    }

    const docs = m.documents || [];
    docsBox.hidden = docs.length === 0;
    docsBox.replaceChildren(tr('h2', 'batch.documents', null, { id: 'docs-title' }),
      tr('p', 'doc.intro', null, { class: 'muted small' }),
      h('div', { class: 'doc-list' }, docs.map((d, n) => documentCard(d, n))));
  }

  // documentCard shows a document: its PDF, and the metadata its header
  // gave (or the latest correction), which an archivist can correct.
  function documentCard(d, n) {
    const md = (d.corrected && d.corrected.metadata) || d.metadata || {};
    const conf = (!d.corrected && d.metadata && d.metadata.confidence) || {};
    const card = h('article', { class: 'doc card-inner', id: `doc-${n}` },
      h('h3', { class: 'doc-title' }, d.pdf
        ? h('a', { href: url(`/batches/${m.id}/documents/${n}/pdf`), target: '_blank', rel: 'noopener', id: `doc-pdf-${n}` }, d.source)
        : d.source),
      d.error ? h('p', { class: 'muted small' }, d.error) : null);
    const body = h('div', { class: 'doc-body' });
    card.append(body);
    const show = () => {
      body.replaceChildren();
      if (!md.document) {
        body.append(tr('p', 'doc.notDocument', null, { class: 'muted small', id: `doc-none-${n}` }));
      } else {
        body.append(h('table', { class: 'table meta-table', id: `doc-meta-${n}` }, h('tbody', null, META_FIELDS.map((f) => h('tr', null,
          tr('th', `doc.field.${f}`, null, { scope: 'row' }),
          h('td', { class: f === 'issuer' ? 'pre-line' : '', 'data-field': f }, md[f] || '—'),
          h('td', { class: 'num small muted' }, conf[f] !== undefined && md[f] ? `${Math.round(conf[f] * 100)}%` : ''))))));
      }
      if ((d.flags || []).includes('top-secret')) body.append(tr('p', 'doc.topSecret', null, { class: 'alert', role: 'alert' }));
      if (d.corrected) {
        body.append(tr('p', 'doc.correctedBy', { v: d.corrected.version, by: d.corrected.by }, { class: 'small muted', id: `doc-version-${n}` }));
      }
      if (canWrite()) {
        body.append(tr('button', 'doc.edit', null, { type: 'button', class: 'btn btn-small', id: `doc-edit-${n}`, onclick: edit }));
      }
    };
    const edit = () => {
      const inputs = {};
      const field = (f) => {
        let input;
        if (f === 'issuer' || f === 'subject') input = h('textarea', { id: `doc-${n}-${f}`, rows: 2, value: md[f] || '' });
        else if (f === 'secrecy' || f === 'urgency') {
          input = h('select', { id: `doc-${n}-${f}` }, ['', ...MARKS[f]].map((v) => h('option', { value: v }, v || '—')));
          input.value = md[f] || '';
        } else input = h('input', { id: `doc-${n}-${f}`, value: md[f] || '', ...(f === 'type' ? { list: 'doc-types' } : {}), ...(f === 'date' ? { placeholder: 'YYYY-MM-DD', pattern: '\\d{4}-\\d{2}-\\d{2}' } : {}) });
        inputs[f] = input;
        return h('div', { class: 'field' }, tr('label', `doc.field.${f}`, null, { for: `doc-${n}-${f}` }), input);
      };
      const save = h('button', { type: 'submit', class: 'btn btn-primary btn-small', id: `doc-save-${n}` });
      setText(save, 'doc.save');
      const form = h('form', { class: 'meta-form', id: `doc-form-${n}` },
        h('datalist', { id: 'doc-types' }, DOC_TYPES.map((ty) => h('option', { value: ty }))),
        META_FIELDS.map(field),
        h('div', { class: 'actions' }, save,
          tr('button', 'doc.cancel', null, { type: 'button', class: 'btn btn-small', onclick: show })));
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        save.disabled = true;
        const body = {};
        for (const f of META_FIELDS) body[f] = inputs[f].value.trim();
        try {
          const c = await call(`/batches/${m.id}/documents/${n}/metadata`, { method: 'PUT', body: JSON.stringify(body), type: 'application/json' });
          toast('doc.saved', { v: c.version });
          await reload();
        } catch (err) {
          save.disabled = false;
          failure(err);
        }
      });
      body.replaceChildren(form);
      inputs.issuer.focus();
    };
    show();
    return card;
  }

  function countsOf(man) {
    return { ...man.counts, status: man.status, split: undefined };
  }

  async function reload() {
    try {
      m = await call(`/batches/${id}`);
      showManifest();
      if (!es) showCounts(countsOf(m));
    } catch (err) { failure(err); }
  }

  // The manifest is fetched again as pages finish, less often for big batches.
  function scheduleReload(now) {
    if (refetch) return;
    const delay = now ? 0 : Math.min(15000, 1500 + 3 * m.pages.length);
    refetch = setTimeout(() => { refetch = null; reload(); }, delay);
  }

  function watch() {
    if (es) return;
    es = new EventSource(url(`/batches/${id}/events`));
    es.addEventListener('open', () => { live.hidden = false; });
    es.addEventListener('message', (e) => {
      const ev = JSON.parse(e.data);
      if (ev.version && ev.version === version && !ev.final) return;
      version = ev.version;
      showCounts(ev);
      const fin = ev.done + ev.failed + ev.cancelled;
      if (ev.final) {
        es.close();
        es = null;
        live.hidden = true;
        clearTimeout(refetch);
        refetch = null;
        scheduleReload(true);
      } else if (fin !== lastFinished || ev.pages !== m.pages.length) {
        lastFinished = fin;
        scheduleReload(false);
      }
    });
    es.addEventListener('error', () => { live.hidden = true; });
  }

  async function cancelBatch() {
    if (!window.confirm(t('batch.cancelConfirm'))) return;
    try {
      await call(`/batches/${id}/cancel`, { method: 'POST' });
      toast('batch.cancelled');
      watch();
      scheduleReload(true);
    } catch (err) { failure(err); }
  }

  async function retryAll() {
    try {
      const res = await call(`/batches/${id}/retry`, { method: 'POST' });
      toast('batch.retriedAll', { n: res.pages.length });
      watch();
      scheduleReload(true);
    } catch (err) { failure(err); }
  }

  async function retryPage(n, pageID, button) {
    button.disabled = true;
    try {
      await call(`/batches/${id}/pages/${n}/retry`, { method: 'POST' });
      toast('batch.retried', { page: pageID });
      watch();
      scheduleReload(true);
    } catch (err) {
      button.disabled = false;
      failure(err);
    }
  }

  showManifest();
  showCounts(countsOf(m));
  if (!finished(m.status)) watch();
  cleanup = () => {
    if (es) es.close();
    clearTimeout(refetch);
  };
}

// ---------------------------------------------------------------- review

// parseHOCR reads the page size and each word's box and confidence.
function parseHOCR(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const bbox = (title) => {
    const m = /bbox (\d+) (\d+) (\d+) (\d+)/.exec(title || '');
    return m ? m.slice(1).map(Number) : null;
  };
  const page = bbox(doc.querySelector('.ocr_page')?.getAttribute('title'));
  const words = [];
  for (const el of doc.querySelectorAll('.ocrx_word')) {
    const title = el.getAttribute('title') || '';
    const box = bbox(title);
    const conf = /x_wconf (\d+(?:\.\d+)?)/.exec(title);
    const text = el.textContent.trim();
    if (box && text) words.push({ text, box, conf: conf ? Number(conf[1]) : 100 });
  }
  return { width: page ? page[2] : 0, height: page ? page[3] : 0, words };
}

async function viewReview(id, nStr) {
  const n = Number(nStr);
  let m;
  try {
    m = await call(`/batches/${id}`);
  } catch (err) { failure(err); return; }
  const pg = m.pages[n];
  const back = tr('a', 'review.backToBatch', null, { href: `#/batches/${id}`, class: 'back' });
  if (!pg) {
    main.append(back, tr('h1', 'batch.notFound'));
    return;
  }
  const nav = h('div', { class: 'actions' },
    n > 0 ? tr('a', 'review.prev', null, { class: 'btn', href: `#/batches/${id}/pages/${n - 1}`, id: 'review-prev' }) : null,
    n + 1 < m.pages.length ? tr('a', 'review.next', null, { class: 'btn', href: `#/batches/${id}/pages/${n + 1}`, id: 'review-next' }) : null);
  main.append(back, h('div', { class: 'page-head' },
    h('div', null,
      tr('h1', 'review.title', { n: n + 1 }),
      h('p', { class: 'muted' }, tr('span', 'review.of', { source: pg.source, page: pg.index + 1 }),
        pg.status === 'done' ? [' · ', tr('span', 'review.confidence', { c: Math.round(pg.confidence), words: pg.words })] : null)),
    nav));
  if (pg.status !== 'done') {
    main.append(tr('p', 'review.notDone', null, { class: 'notice' }));
    return;
  }

  const img = h('img', { id: 'review-image', src: url(`/batches/${id}/pages/${n}/image`), decoding: 'async' });
  setAttr(img, 'alt', 'review.imageAlt', { n: n + 1 });
  const marks = h('div', { class: 'marks', id: 'word-boxes', 'aria-hidden': 'true' });
  const stage = h('div', { class: 'stage' }, img, marks);
  const showMarks = h('input', { type: 'checkbox', id: 'show-marks', checked: true });
  showMarks.addEventListener('change', () => { marks.hidden = !showMarks.checked; });
  const textarea = h('textarea', { id: 'review-text', spellcheck: 'false', lang: 'vi', rows: 24, readOnly: !canWrite() });
  const version = h('p', { id: 'review-version', class: 'muted small' });
  const msg = h('p', { id: 'review-msg', role: 'status', 'aria-live': 'polite', class: 'small' });
  const save = tr('button', 'review.save', null, { type: 'button', class: 'btn btn-primary', id: 'review-save', disabled: true, hidden: !canWrite() });
  const lowList = h('ul', { class: 'lowconf-list', id: 'lowconf-list' });
  const lowBox = h('section', { class: 'lowconf', 'aria-labelledby': 'lowconf-title' },
    tr('h2', 'review.lowConf', null, { id: 'lowconf-title' }),
    tr('p', 'review.lowConfHint', { t: THRESHOLD }, { class: 'muted small' }),
    lowList);

  main.append(h('div', { class: 'review-grid' },
    h('figure', { class: 'card review-figure' },
      h('figcaption', { class: 'figure-head' }, tr('span', 'review.image'),
        h('label', { class: 'check' }, showMarks, tr('span', 'review.showMarks'))),
      stage),
    h('div', { class: 'card review-side' },
      h('div', { class: 'field' }, tr('label', 'review.text', null, { for: 'review-text' }), textarea),
      version,
      canWrite() ? null : tr('p', 'review.readOnly', null, { class: 'notice small' }),
      h('div', { class: 'form-actions' }, save, msg),
      lowBox)));

  function showVersion(c) {
    if (c) setText(version, 'review.version', { v: c.version, by: c.by, role: roleKey(c.role), at: c.at });
    else setText(version, 'review.ocrVersion');
  }
  showVersion(pg.corrected);

  let saved = '';
  let words = [];
  try {
    const [text, hocr] = await Promise.all([pageText(id, n), call(`/batches/${id}/pages/${n}/hocr`)]);
    saved = text.text;
    textarea.value = saved;
    const page = parseHOCR(hocr);
    words = page.words;
    let width = page.width;
    let height = page.height;
    const draw = () => {
      if (!width || !height) { width = img.naturalWidth; height = img.naturalHeight; }
      if (!width || !height) return;
      marks.replaceChildren();
      lowList.replaceChildren();
      const seen = new Map();
      words.forEach((w, i) => {
        const k = seen.get(w.text) || 0;
        seen.set(w.text, k + 1);
        w.occurrence = k;
        if (w.conf >= THRESHOLD) return;
        const [x0, y0, x1, y1] = w.box;
        const box = h('div', { class: 'word-box', id: `word-${i}`, title: `${w.text} — ${w.conf}%` });
        box.style.left = `${(100 * x0) / width}%`;
        box.style.top = `${(100 * y0) / height}%`;
        box.style.width = `${(100 * (x1 - x0)) / width}%`;
        box.style.height = `${(100 * (y1 - y0)) / height}%`;
        marks.append(box);
        lowList.append(h('li', null, h('button', {
          type: 'button', class: 'word-chip', 'data-word': i,
          onclick: () => findWord(w, box),
        }, h('span', { class: 'word' }, w.text), h('span', { class: 'conf' }, `${Math.round(w.conf)}%`))));
      });
      if (!lowList.children.length) lowList.append(tr('li', 'review.noLowConf', null, { class: 'muted' }));
    };
    if (page.width && page.height) draw();
    else img.addEventListener('load', draw, { once: true });
  } catch (err) {
    failure(err);
  }

  function findWord(w, box) {
    for (const b of marks.querySelectorAll('.active')) b.classList.remove('active');
    box.classList.add('active');
    box.scrollIntoView({ block: 'center', behavior: 'smooth' });
    const text = textarea.value;
    let at = -1;
    for (let k = 0; k <= w.occurrence; k++) {
      at = text.indexOf(w.text, at + 1);
      if (at < 0) break;
    }
    if (at < 0) at = text.indexOf(w.text);
    if (at >= 0) {
      textarea.focus();
      textarea.setSelectionRange(at, at + w.text.length);
      // Bring the selection into view: approximate its line.
      const line = text.slice(0, at).split('\n').length - 1;
      const lh = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
      textarea.scrollTop = Math.max(0, line * lh - textarea.clientHeight / 2);
    }
  }

  const dirty = () => textarea.value !== saved;
  textarea.addEventListener('input', () => {
    save.disabled = !dirty();
    if (dirty()) setText(msg, 'review.unsaved');
    else { msg.textContent = ''; delete msg.dataset.i18n; }
  });
  save.addEventListener('click', async () => {
    save.disabled = true;
    setText(msg, 'review.saving');
    const text = textarea.value;
    try {
      const c = await call(`/batches/${id}/pages/${n}/text`, { method: 'PUT', body: text, type: 'text/plain; charset=utf-8' });
      saved = text;
      showVersion(c);
      setText(msg, 'review.saved', { v: c.version });
    } catch (err) {
      save.disabled = false;
      msg.textContent = '';
      failure(err);
    }
  });
  leaveGuard = { dirty };
  const onKey = (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 's' && canWrite()) { e.preventDefault(); if (!save.disabled) save.click(); }
  };
  document.addEventListener('keydown', onKey);
  cleanup = () => document.removeEventListener('keydown', onKey);
}

// ---------------------------------------------------------------- start

// The skip link must not change the hash (the router owns it).
document.querySelector('.skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
document.getElementById('lang-switch').addEventListener('click', () => {
  setLang(getLang() === 'vi' ? 'en' : 'vi');
});
onLangChange(langButton);
document.getElementById('logout').addEventListener('click', async () => {
  try { await call('/logout', { method: 'POST' }); } catch { /* the cookie is gone either way */ }
  me = null;
  showChrome();
  go('#/login');
});
window.addEventListener('hashchange', route);
// A file dropped beside the drop zone must not replace the console.
for (const ev of ['dragover', 'drop']) window.addEventListener(ev, (e) => e.preventDefault());
window.addEventListener('beforeunload', (e) => {
  if (leaveGuard && leaveGuard.dirty()) e.preventDefault(); // the browser asks to confirm
});
initLang();
langButton();
translate();
route();
