// Every string of the console, in Vietnamese (the default) and English.
// Elements made with tr() carry their key, so switching the language
// re-translates the page in place (nothing typed is lost).

const dict = {
  vi: {
    'app.title': 'Số hóa tài liệu lưu trữ',
    'app.subtitle': 'Số hóa tài liệu lưu trữ',
    'nav.skip': 'Chuyển đến nội dung chính',
    'nav.batches': 'Lô tài liệu',
    'nav.upload': 'Tải lên',
    'nav.logout': 'Đăng xuất',
    'lang.switch': 'English',
    'lang.switchLabel': 'Chuyển sang tiếng Anh',
    'role.archivist': 'Lưu trữ viên',
    'role.operator': 'Vận hành viên',
    'role.ingest': 'Hệ thống tiếp nhận',

    'login.title': 'Đăng nhập',
    'login.intro': 'Dán mã truy cập (token) mà quản trị viên đã cấp cho bạn.',
    'login.token': 'Mã truy cập',
    'login.submit': 'Đăng nhập',
    'login.invalid': 'Mã truy cập không hợp lệ.',
    'login.rateLimited': 'Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau {s} giây.',
    'login.note': 'Mã truy cập được lưu trong cookie của trình duyệt này và hết hạn sau 12 giờ.',

    'upload.title': 'Tải lên lô tài liệu mới',
    'upload.drop': 'Kéo và thả tệp, thư mục hoặc tệp zip vào đây',
    'upload.or': 'hoặc',
    'upload.chooseFiles': 'Chọn tệp',
    'upload.chooseFolder': 'Chọn thư mục',
    'upload.hint': 'Ảnh quét (PNG, JPEG, TIFF, JPEG 2000, WebP…), PDF hoặc tệp zip chứa các tệp đó.',
    'upload.details': 'Thông tin lô',
    'upload.fieldTitle': 'Tiêu đề',
    'upload.fieldTitlePh': 'Ví dụ: Hồ sơ đất đai xã Quảng La',
    'upload.fieldFonds': 'Mã phông',
    'upload.fieldFondsPh': 'Ví dụ: UBND-HL',
    'upload.fieldPriority': 'Mức ưu tiên',
    'upload.priorityNormal': 'Bình thường',
    'upload.priorityHigh': 'Khẩn (xử lý trước)',
    'upload.files': 'Tệp đã chọn',
    'upload.selected': '{n} tệp · {size}',
    'upload.more': '… và {n} tệp khác',
    'upload.none': 'Chưa chọn tệp nào.',
    'upload.clear': 'Bỏ chọn tất cả',
    'upload.submit': 'Tải lên',
    'upload.progress': 'Đang tải lên… {pct}%',
    'upload.processing': 'Đã gửi xong, máy chủ đang lưu lô tài liệu…',
    'upload.done': 'Đã tải lên. Đang mở lô tài liệu…',
    'upload.failed': 'Tải lên không thành công: {msg}',
    'upload.tooLarge': 'Tải lên vượt quá giới hạn dung lượng: {msg}',
    'upload.forbidden': 'Vai trò của bạn chỉ được xem kết quả, không được tải lên.',
    'upload.network': 'Mất kết nối tới máy chủ.',

    'batches.title': 'Lô tài liệu',
    'batches.empty': 'Chưa có lô tài liệu nào.',
    'batches.col.id': 'Mã lô',
    'batches.col.title': 'Tiêu đề',
    'batches.col.fonds': 'Phông',
    'batches.col.status': 'Trạng thái',
    'batches.col.progress': 'Tiến độ',
    'batches.col.failed': 'Trang lỗi',
    'batches.col.created': 'Tạo lúc',
    'batches.prev': '← Trước',
    'batches.next': 'Sau →',
    'batches.range': '{from}–{to} trên tổng số {total}',
    'batches.refresh': 'Làm mới',
    'batches.newBatch': 'Tải lên lô mới',
    'batches.pages': '{done}/{pages} trang',
    'batches.created': '{created}',

    'status.queued': 'Đang chờ',
    'status.running': 'Đang xử lý',
    'status.done': 'Hoàn thành',
    'status.partial': 'Hoàn thành, có trang lỗi',
    'status.failed': 'Thất bại',
    'status.cancelling': 'Đang hủy',
    'status.cancelled': 'Đã hủy',
    'pstatus.pending': 'Đang chờ',
    'pstatus.done': 'Xong',
    'pstatus.failed': 'Lỗi',
    'pstatus.cancelled': 'Đã hủy',

    'batch.back': '← Tất cả lô tài liệu',
    'batch.untitled': '(Chưa đặt tiêu đề)',
    'batch.meta': 'Mã lô {id} · tạo lúc {created}',
    'batch.fonds': 'Phông {fonds}',
    'batch.priorityHigh': 'Khẩn',
    'batch.progress': 'Tiến độ xử lý',
    'batch.counts': '{finished}/{pages} trang đã xử lý · {done} xong · {failed} lỗi',
    'batch.reading': 'Đang đọc tệp {split}/{sources}',
    'batch.live': 'Cập nhật trực tiếp',
    'batch.cancel': 'Hủy lô',
    'batch.cancelConfirm': 'Hủy lô tài liệu này? Những trang chưa xử lý sẽ bị hủy; các trang đã xong vẫn được giữ.',
    'batch.cancelled': 'Đã yêu cầu hủy lô.',
    'batch.retryAll': 'Thử lại mọi trang lỗi',
    'batch.retriedAll': 'Đã xếp hàng xử lý lại {n} trang.',
    'batch.bag': 'Tải gói BagIt (.zip)',
    'batch.alerts': 'Cần chú ý',
    'batch.failedTitle': 'Trang lỗi',
    'batch.noFailed': 'Không có trang lỗi.',
    'batch.retry': 'Thử lại',
    'batch.retried': 'Đã xếp hàng xử lý lại trang {page}.',
    'batch.pagesTitle': 'Các trang',
    'batch.noPages': 'Chưa tách được trang nào.',
    'batch.col.n': '#',
    'batch.col.source': 'Tệp nguồn',
    'batch.col.page': 'Trang',
    'batch.col.status': 'Trạng thái',
    'batch.col.confidence': 'Độ tin cậy',
    'batch.col.words': 'Số từ',
    'batch.col.correction': 'Bản sửa',
    'batch.col.actions': 'Thao tác',
    'batch.review': 'Soát lỗi',
    'batch.view': 'Xem',
    'batch.pageN': 'trang {n}',
    'batch.correctedBy': 'v{v} · {by}',
    'batch.documents': 'Văn bản và thông tin đầu văn bản',
    'doc.intro': 'Mỗi tệp nguồn là một văn bản: bản PDF có thể tìm kiếm, và thông tin đọc được từ phần đầu trang đầu (có thể sửa).',
    'doc.notDocument': 'Không nhận ra văn bản hành chính: không có thông tin đầu văn bản.',
    'doc.field.issuer': 'Cơ quan ban hành',
    'doc.field.number': 'Số và ký hiệu',
    'doc.field.date': 'Ngày ban hành',
    'doc.field.place': 'Địa danh',
    'doc.field.type': 'Loại văn bản',
    'doc.field.subject': 'Trích yếu',
    'doc.field.secrecy': 'Độ mật',
    'doc.field.urgency': 'Độ khẩn',
    'doc.edit': 'Sửa thông tin',
    'doc.save': 'Lưu thông tin',
    'doc.cancel': 'Hủy',
    'doc.saved': 'Đã lưu thông tin văn bản (phiên bản {v}).',
    'doc.correctedBy': 'Đã sửa: phiên bản {v} · {by}',
    'doc.topSecret': 'Văn bản đóng dấu TUYỆT MẬT: loại tài liệu này thường không được số hóa. Hãy hỏi cán bộ phụ trách bảo mật trước khi tiếp tục.',
    'batch.notFound': 'Không tìm thấy lô tài liệu này.',

    'review.title': 'Soát lỗi trang {n}',
    'review.of': '{source}, trang {page}',
    'review.image': 'Ảnh trang đã làm sạch',
    'review.imageAlt': 'Ảnh trang {n}',
    'review.text': 'Văn bản nhận dạng',
    'review.save': 'Lưu bản sửa',
    'review.saving': 'Đang lưu…',
    'review.saved': 'Đã lưu phiên bản {v}.',
    'review.version': 'Phiên bản {v} · {by} ({role}) · {at}',
    'review.ocrVersion': 'Văn bản OCR gốc, chưa có bản sửa',
    'review.lowConf': 'Độ tin cậy thấp',
    'review.lowConfHint': 'Các từ có độ tin cậy dưới {t}% được khoanh đỏ trên ảnh. Chọn một từ để tìm nó trong văn bản.',
    'review.noLowConf': 'Không có từ nào có độ tin cậy thấp.',
    'review.prev': '← Trang trước',
    'review.next': 'Trang sau →',
    'review.backToBatch': '← Về lô tài liệu',
    'review.unsaved': 'Có thay đổi chưa lưu.',
    'review.readOnly': 'Vai trò của bạn chỉ được xem, không được sửa.',
    'review.showMarks': 'Khoanh các từ có độ tin cậy thấp',
    'review.confidence': 'Độ tin cậy trung bình {c}% · {words} từ',
    'review.notDone': 'Trang này chưa xử lý xong.',
    'review.leave': 'Bạn có thay đổi chưa lưu. Vẫn rời trang?',

    'common.loading': 'Đang tải…',
    'common.error': 'Đã xảy ra lỗi: {msg}',
    'common.session': 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.',
    'common.forbidden': 'Vai trò của bạn không được phép làm việc này.',
    'common.conflict': 'Không thực hiện được: {msg}',
  },
  en: {
    'app.title': 'Archive digitisation',
    'app.subtitle': 'Archive digitisation',
    'nav.skip': 'Skip to main content',
    'nav.batches': 'Batches',
    'nav.upload': 'Upload',
    'nav.logout': 'Log out',
    'lang.switch': 'Tiếng Việt',
    'lang.switchLabel': 'Switch to Vietnamese',
    'role.archivist': 'Archivist',
    'role.operator': 'Operator',
    'role.ingest': 'Ingest system',

    'login.title': 'Log in',
    'login.intro': 'Paste the access token your administrator gave you.',
    'login.token': 'Access token',
    'login.submit': 'Log in',
    'login.invalid': 'This token is not valid.',
    'login.rateLimited': 'Too many failed attempts. Try again in {s} seconds.',
    'login.note': 'The token is kept in a cookie of this browser and expires after 12 hours.',

    'upload.title': 'Upload a new batch',
    'upload.drop': 'Drag and drop files, a folder or a zip here',
    'upload.or': 'or',
    'upload.chooseFiles': 'Choose files',
    'upload.chooseFolder': 'Choose a folder',
    'upload.hint': 'Scans (PNG, JPEG, TIFF, JPEG 2000, WebP…), PDFs, or zips of them.',
    'upload.details': 'Batch details',
    'upload.fieldTitle': 'Title',
    'upload.fieldTitlePh': 'e.g. Land records, Quảng La commune',
    'upload.fieldFonds': 'Fonds code',
    'upload.fieldFondsPh': 'e.g. UBND-HL',
    'upload.fieldPriority': 'Priority',
    'upload.priorityNormal': 'Normal',
    'upload.priorityHigh': 'Urgent (served first)',
    'upload.files': 'Selected files',
    'upload.selected': '{n} files · {size}',
    'upload.more': '… and {n} more',
    'upload.none': 'No files selected.',
    'upload.clear': 'Clear selection',
    'upload.submit': 'Upload',
    'upload.progress': 'Uploading… {pct}%',
    'upload.processing': 'Sent; the server is storing the batch…',
    'upload.done': 'Uploaded. Opening the batch…',
    'upload.failed': 'Upload failed: {msg}',
    'upload.tooLarge': 'The upload is over a size limit: {msg}',
    'upload.forbidden': 'Your role can read results but not upload.',
    'upload.network': 'Lost the connection to the server.',

    'batches.title': 'Batches',
    'batches.empty': 'No batches yet.',
    'batches.col.id': 'Batch',
    'batches.col.title': 'Title',
    'batches.col.fonds': 'Fonds',
    'batches.col.status': 'Status',
    'batches.col.progress': 'Progress',
    'batches.col.failed': 'Failed pages',
    'batches.col.created': 'Created',
    'batches.prev': '← Previous',
    'batches.next': 'Next →',
    'batches.range': '{from}–{to} of {total}',
    'batches.refresh': 'Refresh',
    'batches.newBatch': 'Upload a new batch',
    'batches.pages': '{done}/{pages} pages',
    'batches.created': '{created}',

    'status.queued': 'Queued',
    'status.running': 'Processing',
    'status.done': 'Done',
    'status.partial': 'Done, some pages failed',
    'status.failed': 'Failed',
    'status.cancelling': 'Cancelling',
    'status.cancelled': 'Cancelled',
    'pstatus.pending': 'Pending',
    'pstatus.done': 'Done',
    'pstatus.failed': 'Failed',
    'pstatus.cancelled': 'Cancelled',

    'batch.back': '← All batches',
    'batch.untitled': '(Untitled)',
    'batch.meta': 'Batch {id} · created {created}',
    'batch.fonds': 'Fonds {fonds}',
    'batch.priorityHigh': 'Urgent',
    'batch.progress': 'Processing progress',
    'batch.counts': '{finished}/{pages} pages processed · {done} done · {failed} failed',
    'batch.reading': 'Reading files {split}/{sources}',
    'batch.live': 'Live',
    'batch.cancel': 'Cancel batch',
    'batch.cancelConfirm': 'Cancel this batch? Pages not processed yet are cancelled; pages already done are kept.',
    'batch.cancelled': 'Cancellation requested.',
    'batch.retryAll': 'Retry every failed page',
    'batch.retriedAll': 'Queued {n} pages again.',
    'batch.bag': 'Download BagIt bag (.zip)',
    'batch.alerts': 'Attention',
    'batch.failedTitle': 'Failed pages',
    'batch.noFailed': 'No failed pages.',
    'batch.retry': 'Retry',
    'batch.retried': 'Page {page} queued again.',
    'batch.pagesTitle': 'Pages',
    'batch.noPages': 'No pages yet.',
    'batch.col.n': '#',
    'batch.col.source': 'Source file',
    'batch.col.page': 'Page',
    'batch.col.status': 'Status',
    'batch.col.confidence': 'Confidence',
    'batch.col.words': 'Words',
    'batch.col.correction': 'Correction',
    'batch.col.actions': 'Actions',
    'batch.review': 'Review',
    'batch.view': 'View',
    'batch.pageN': 'page {n}',
    'batch.correctedBy': 'v{v} · {by}',
    'batch.documents': 'Documents and their header metadata',
    'doc.intro': 'Each source file is a document: its searchable PDF, and what its first page\'s header says (correctable).',
    'doc.notDocument': 'Not an administrative document: no header metadata.',
    'doc.field.issuer': 'Issuing body',
    'doc.field.number': 'Number and notation',
    'doc.field.date': 'Date issued',
    'doc.field.place': 'Place',
    'doc.field.type': 'Document type',
    'doc.field.subject': 'Subject',
    'doc.field.secrecy': 'Secrecy',
    'doc.field.urgency': 'Urgency',
    'doc.edit': 'Correct metadata',
    'doc.save': 'Save metadata',
    'doc.cancel': 'Cancel',
    'doc.saved': 'Document metadata saved (version {v}).',
    'doc.correctedBy': 'Corrected: version {v} · {by}',
    'doc.topSecret': 'Document stamped TUYỆT MẬT (top secret): such records are normally not digitised. Ask the security officer before going further.',
    'batch.notFound': 'This batch was not found.',

    'review.title': 'Review page {n}',
    'review.of': '{source}, page {page}',
    'review.image': 'Cleaned page image',
    'review.imageAlt': 'Image of page {n}',
    'review.text': 'Recognised text',
    'review.save': 'Save correction',
    'review.saving': 'Saving…',
    'review.saved': 'Saved version {v}.',
    'review.version': 'Version {v} · {by} ({role}) · {at}',
    'review.ocrVersion': 'Original OCR text, not corrected yet',
    'review.lowConf': 'Low confidence',
    'review.lowConfHint': 'Words under {t}% confidence are outlined in red on the image. Pick a word to find it in the text.',
    'review.noLowConf': 'No low-confidence words.',
    'review.prev': '← Previous page',
    'review.next': 'Next page →',
    'review.backToBatch': '← Back to the batch',
    'review.unsaved': 'Unsaved changes.',
    'review.readOnly': 'Your role can read but not correct.',
    'review.showMarks': 'Outline low-confidence words',
    'review.confidence': 'Mean confidence {c}% · {words} words',
    'review.notDone': 'This page is not done yet.',
    'review.leave': 'You have unsaved changes. Leave anyway?',

    'common.loading': 'Loading…',
    'common.error': 'Something went wrong: {msg}',
    'common.session': 'Your session has expired; please log in again.',
    'common.forbidden': 'Your role may not do this.',
    'common.conflict': 'Not possible: {msg}',
  },
};

const STORAGE_KEY = 'sohoa.lang';
let lang = 'vi';
try {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'vi') lang = saved;
} catch { /* storage may be off: stay in Vietnamese */ }

export function getLang() { return lang; }

export function locale() { return lang === 'vi' ? 'vi-VN' : 'en-GB'; }

// formatSize writes a byte count the way the language does (1,5 MB / 1.5 MB).
export function formatSize(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  const nf = new Intl.NumberFormat(locale(), { maximumFractionDigits: i === 0 ? 0 : 1 });
  return `${nf.format(v)} ${units[i]}`;
}

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short' }).format(d);
}

// t translates key, filling {name} from params. Numbers are written the
// language's way; {size} is a byte count, {created}/{at} are ISO times; a
// param {k: key} is itself translated (a role name).
export function t(key, params = {}) {
  const s = dict[lang][key] ?? dict.vi[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, name) => {
    if (!(name in params)) return m;
    const v = params[name];
    if (name === 'size') return formatSize(v);
    if (name === 'created' || name === 'at') return formatDate(v);
    if (v && typeof v === 'object' && 'k' in v) return t(v.k);
    if (typeof v === 'number') return new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(v);
    return String(v);
  });
}

// setText gives el the translation of key, and remembers it for a switch.
export function setText(el, key, params) {
  el.dataset.i18n = key;
  if (params) el.dataset.i18nArgs = JSON.stringify(params);
  else delete el.dataset.i18nArgs;
  el.textContent = t(key, params);
  return el;
}

// setAttr translates an attribute (placeholder, aria-label, alt, title).
export function setAttr(el, attr, key, params) {
  const specs = (el.dataset.i18nAttr || '').split(';').filter((s) => s && !s.startsWith(attr + ':'));
  specs.push(`${attr}:${key}${params ? ':' + JSON.stringify(params) : ''}`);
  el.dataset.i18nAttr = specs.join(';');
  el.setAttribute(attr, t(key, params));
  return el;
}

// translate re-translates every element under root that carries a key.
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const args = el.dataset.i18nArgs ? JSON.parse(el.dataset.i18nArgs) : undefined;
    el.textContent = t(el.dataset.i18n, args);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const spec of el.dataset.i18nAttr.split(';')) {
      if (!spec) continue;
      const [attr, key, ...rest] = spec.split(':');
      const args = rest.length ? JSON.parse(rest.join(':')) : undefined;
      el.setAttribute(attr, t(key, args));
    }
  }
  document.title = t('app.title');
}

const listeners = [];

// onLangChange registers fn to run after a language switch.
export function onLangChange(fn) { listeners.push(fn); }

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'vi';
  try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* not kept */ }
  document.documentElement.lang = lang;
  translate();
  for (const fn of listeners) fn(lang);
}

export function initLang() {
  document.documentElement.lang = lang;
  translate();
}
