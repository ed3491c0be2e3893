// agtrace-station: the clerk's upload (docs/station.md "文员上传"). A CSV file from Excel is
// checked first (its encoding and first rows, decoded by the station), imported once the clerk
// confirms, and each refused row is listed with its line, column and fix. Every value from the
// server is written with textContent; every POST carries the session's CSRF token. Only clerk
// accounts see the 上传 tab (the station refuses anyone else's upload).
'use strict';
(function () {
  const MAX = 10 * 1024 * 1024;
  const T = {
    zh: {
      tab_upload: '上传', up_pick: '选择 Excel 导出的 CSV 文件', up_choose: '选择文件', up_no_file: '还没有选文件',
      up_hint: '在 Excel 里“另存为”CSV（“CSV UTF-8”或普通“CSV”都可以），一次最多 10 MB。', up_check: '检查文字',
      up_continue: '先记录正确的行（有错的行列出来，改好后只上传这些行）', up_go: '导入', up_go_gb: '文字正常，导入',
      up_result: '导入结果', up_where: '位置', up_why: '原因和改法', up_templates: '下载 Excel 表头模板',
      enc_utf8: '文件 {f}（{k} KB）是 UTF-8 编码。下面是前几行：', too_big: '文件 {f} 有 {m} MB，超过 10 MB：请在 Excel 里分成几个文件再分别上传',
      enc_gb: '文件 {f}（{k} KB）不是 UTF-8，工作站按 GB18030（中文 Excel 的普通 CSV）读出了下面几行。请核对：文字正常吗？正常就点“文字正常，导入”；是乱码就不要导入，请在 Excel 里另存为“CSV UTF-8”。',
      reading: '正在检查…', importing: '正在导入…',
      up_sup_title: '主管确认采收量', sup_user: '主管账号', sup_pin: '主管 PIN', clear: '清除', up_sup_go: '主管确认，导入',
      up_sup_hint: '采收量超过每亩 30000 千克，多半是单位（吨还是千克）或面积写错了。主管核对原始记录后确实无误时，由主管本人在这里输入主管账号和 PIN，再点“主管确认，导入”；文员自己不能确认。',
      up_sup_need: '请主管输入主管账号和 PIN（两项都要填）',
    },
    en: {
      tab_upload: 'Upload', up_pick: 'Pick the CSV file exported from Excel', up_choose: 'Choose a file',
      up_no_file: 'No file chosen yet',
      up_hint: 'In Excel, "Save as" CSV ("CSV UTF-8" or plain "CSV"); at most 10 MB at once.', up_check: 'Check the text',
      up_continue: 'Record the good rows now (the refused ones are listed: fix and upload just those)', up_go: 'Import',
      up_go_gb: 'The text reads right: import', up_result: 'Result', up_where: 'Where', up_why: 'Why, and the fix',
      up_templates: 'Excel header templates', enc_utf8: '{f} ({k} KB) is UTF-8. Its first rows:',
      too_big: '{f} is {m} MB, over 10 MB: split it in Excel and upload the parts',
      enc_gb: '{f} ({k} KB) is not UTF-8; read as GB18030 (plain CSV from a Chinese Excel) it shows the rows below. Do they read right? Then import; if garbled, save as "CSV UTF-8" in Excel instead.',
      reading: 'Checking…', importing: 'Importing…',
      up_sup_title: 'A supervisor confirms the harvests', sup_user: 'Supervisor account', sup_pin: 'Supervisor PIN',
      clear: 'Clear', up_sup_go: 'Supervisor confirms: import',
      up_sup_hint: 'A harvest beyond 30000 kg per mu is most likely a wrong unit (t or kg) or area. If the supervisor checked the paper records and it is right, the supervisor types their own account and PIN here and taps "Supervisor confirms: import"; a clerk cannot confirm it.',
      up_sup_need: 'The supervisor types their account and PIN (both)',
    },
  };
  const { $, lang, zhOnly, el, say, reveal } = window.StationKit;
  const t = window.StationKit.translator(T);
  const u = { me: null, file: null, encoding: null, types: null };

  // `supervisor`: {user, pin} of a supervisor who confirms the file's implausible harvests, sent
  // in headers (never in the URL).
  async function send(query, supervisor) {
    const headers = { 'Content-Type': 'text/csv', 'X-CSRF-Token': u.me.csrf };
    if (supervisor) { headers['X-Supervisor'] = supervisor.user; headers['X-Supervisor-PIN'] = supervisor.pin; }
    const r = await fetch('/api/upload?name=' + encodeURIComponent(u.file.name) + query, {
      method: 'POST', credentials: 'same-origin', headers, body: u.file,
    });
    let j = {};
    try { j = await r.json(); } catch (e) { j = {}; }
    return { status: r.status, ok: r.ok, body: j };
  }
  function applyLang() {
    document.querySelectorAll('#upload [data-x], #tabs [data-x="tab_upload"]').forEach((e) => { e.textContent = t(e.dataset.x); });
    if (u.encoding) $('up-go').textContent = t(u.encoding === 'gb18030' ? 'up_go_gb' : 'up_go');
    // The native file input shows the browser's own words (English on an English Android):
    // hidden, and the label above it says in the station's language what is chosen.
    const f = $('up-file').files[0];
    if (f) $('up-file-name').textContent = f.name;
    if (u.types) showTemplates();
  }

  async function check() {
    const f = $('up-file').files[0];
    $('up-file-name').textContent = f ? f.name : t('up_no_file');
    $('up-preview-card').hidden = true;
    $('up-result-card').hidden = true;
    u.encoding = null;
    if (!f) return;
    u.file = f;
    if (f.size > MAX) return say('up-msg', t('too_big', { f: f.name, m: (f.size / 1048576).toFixed(1) }));
    say('up-msg', t('reading'), true);
    const r = await send('&step=check');
    if (!r.ok) { say('up-msg', zhOnly(r.body.error || r.status)); return reveal('up-msg'); }
    say('up-msg', '');
    u.encoding = r.body.encoding;
    const k = Math.max(1, Math.round(r.body.bytes / 1024));
    $('up-encoding').textContent = t(u.encoding === 'gb18030' ? 'enc_gb' : 'enc_utf8', { f: f.name, k });
    const body = $('up-preview').tBodies[0];
    body.replaceChildren();
    r.body.preview.forEach((cells, i) => {
      const tr = el('tr');
      cells.forEach((x) => tr.append(i === 0 ? el('th', x) : cell(x)));
      body.append(tr);
    });
    $('up-go').textContent = t(u.encoding === 'gb18030' ? 'up_go_gb' : 'up_go');
    $('up-preview-card').hidden = false;
  }

  // A preview cell: numbers and dates never broken inside (app.css), but a code such as
  // SCALLION-06901234567892 may break after the hyphen that ends its letters (<wbr>, as text nodes).
  function cell(x) {
    const td = el('td');
    String(x).split(/(?<=[A-Za-z]-)/).forEach((part, i) => {
      if (i) td.append(document.createElement('wbr'));
      td.append(document.createTextNode(part));
    });
    return td;
  }

  // Fail closed (app.js setLedger): the import grey, the reason beside it.
  function ledgerGate() {
    $('up-go').disabled = !!window.StationLedger;
    $('up-go-why').textContent = window.StationLedger || '';
  }
  document.addEventListener('station:ledger', ledgerGate);

  async function go(supervisor) {
    if (!u.file || !u.encoding || window.StationLedger) return ledgerGate();
    $('up-go').disabled = true;
    say('up-msg', t('importing'), true);
    const r = await send('&encoding=' + u.encoding + ($('up-continue').checked ? '&continue_on_error=1' : ''), supervisor);
    ledgerGate();
    say('up-msg', '');
    $('up-sup-pin').value = '';
    // A refused supervisor (wrong PIN, not a supervisor): said beside the PIN, the list stays.
    if (supervisor && r.body.supervisor) { say('up-sup-msg', zhOnly(r.body.error || r.status)); return reveal('up-sup-msg'); }
    say('up-sup-msg', '');
    $('up-sup').hidden = !(r.status === 422 && r.body.high_yield > 0);
    $('up-result-card').hidden = false;
    const rows = $('up-refused').tBodies[0];
    rows.replaceChildren();
    $('up-note').textContent = r.body.note || '';
    if (r.status !== 200 && r.status !== 422) {
      $('up-summary').textContent = zhOnly(r.body.error || r.status);
      $('up-summary').className = 'big bad';
      return reveal('up-result-card', 'start');
    }
    $('up-summary').textContent = r.body.summary;
    $('up-summary').className = r.status === 200 ? 'big' : 'big bad';
    (r.body.refused || []).forEach((x) => {
      const tr = el('tr');
      tr.append(el('td', x.where), el('td', x.error));
      rows.append(tr);
    });
    $('up-refused').hidden = !(r.body.refused || []).length;
    if (r.status === 200) $('up-preview-card').hidden = true;
    // The same file chosen again (corrected, or by mistake) must be checked again: an input
    // whose value did not change fires no 'change'.
    $('up-file').value = '';
    // The result (its summary first) in view, however far below the preview it appears.
    reveal('up-result-card', 'start');
  }

  // The header templates by the event names the CSV guide uses (采收, 投入品使用 …: docs/clerk-import.md),
  // saved as 采收.csv; in English by the event type.
  async function loadTemplates() {
    const r = await fetch('/api/upload/types', { credentials: 'same-origin' });
    u.types = r.ok ? await r.json() : null;
    showTemplates();
  }
  function showTemplates() {
    const list = $('up-templates');
    list.replaceChildren();
    (u.types || []).forEach((x) => {
      const name = lang() === 'zh' ? x.name : x.type;
      const a = el('a', name, 'button-link');
      a.dataset.type = x.type;
      a.href = '/api/upload/template.csv?type=' + encodeURIComponent(x.type);
      a.download = name + '.csv';
      list.append(a);
    });
  }

  function show(on) { $('upload').hidden = !on; }
  const CLERK_HIDES = ['print', 'fix', 'history', 'shift'];

  document.addEventListener('station:signedin', (e) => {
    u.me = e.detail;
    const clerk = u.me.role === 'clerk';
    const tab = document.querySelector('#tabs [data-tab="upload"]');
    tab.hidden = !clerk;
    // A clerk prints nothing: no 打印, 重印/作废, 历史 (print jobs) or 交班 (labels printed).
    CLERK_HIDES.forEach((n) => { document.querySelector(`#tabs [data-tab="${n}"]`).hidden = clerk; });
    if (clerk) { tab.click(); loadTemplates(); } else show(false);
    uploadGate();
  });
  // No clerk key for this enterprise (station.json): every upload would be refused, so the file
  // choice is grey and the reason is said where the clerk starts.
  function uploadGate() {
    const why = u.me && u.me.upload_refused ? zhOnly(u.me.upload_refused) : '';
    $('up-file').disabled = !!why;
    $('up-file-btn').classList.toggle('disabled', !!why);
    $('up-file-btn').setAttribute('aria-disabled', why ? 'true' : 'false');
    say('up-msg', why);
  }
  document.addEventListener('station:signedout', () => {
    u.me = null;
    uploadGate();
    show(false);
    CLERK_HIDES.forEach((n) => { document.querySelector(`#tabs [data-tab="${n}"]`).hidden = false; });
  });
  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('#tabs button').forEach((b) => b.addEventListener('click', () => show(b.dataset.tab === 'upload')));
    $('lang').addEventListener('click', applyLang);
    $('up-file').addEventListener('change', check);
    $('up-go').addEventListener('click', () => go());
    $('up-sup-go').addEventListener('click', () => {
      const user = $('up-sup-user').value.trim(), pin = $('up-sup-pin').value;
      if (!user || !pin) return say('up-sup-msg', t('up_sup_need'));
      go({ user, pin });
    });
    applyLang();
  });
})();
