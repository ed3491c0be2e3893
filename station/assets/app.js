// agtrace-station touch UI. Every value from the server is written with textContent (never
// as HTML); every state-changing request carries the session's CSRF token.
'use strict';
(function () {
  const T = {
    zh: {
      title: '标签打印工作站', signin_title: '请登录', user: '账号', clear: '清除', signin: '登录', signout: '退出',
      product: '产品', lot: '批次', find: '查找', lot_placeholder: '批次号或扫码', preview: '预览',
      lot_is: '批次', packed: '包装件数', labelled: '已有追溯码', unlabelled: '未贴标', no_preview: '选好批次后显示标签样张',
      quantity: '数量', printer: '打印机', print: '打印', jobs: '最近的打印任务', job_no: '任务', operator: '操作员',
      state: '状态', yes_print: '确认打印', cancel: '取消', cancel_job: '取消任务', lang: 'English',
      queued: '排队中', sending: '发送中', printed: '已打印', failed: '失败', cancelled: '已取消',
      need_user: '请输入账号', need_pin: '请输入 PIN', timed_out: '登录已超时，请重新输入 PIN', pick_product: '请先选产品', pick_lot: '请先选批次',
      pick_printer: '请选打印机', no_lots: '这个产品没有本企业包装的批次', confirm_n: '要打印 {n} 张标签，确认吗？',
      queued_msg: '任务 {id} 已排队：{n} 张', units_left: '未贴标 {n} {u}', qty_unit: '（张）', n_jobs: '{n} 个', n_labels: '{n} 张', n_certs: '{n} 份', qty_bad: '数量须为 1 到 {n}',
      loading: '正在加载…', left_max: '最多还能打 {n} 张',
      tab_print: '打印', tab_fix: '重印 / 作废', tab_history: '历史', tab_shift: '交班', deal_now: '去处理',
      uncertain_banner: '有 {n} 个打印中断的任务，共 {m} 张标签不确定打没打出来',
      uncertain_title: '打印中断的任务：这些标签打没打出来不确定',
      uncertain_hint: '先看打印机和打出来的标签：没打出来或打坏了的，点“重印”；不要了的，点“作废”（要主管）。',
      uncertain_line: '任务 {job} · 批次 {lot} · {printer}：已确认 {c} 张 · 已作废 {v} 张 · 不确定 {u} 张',
      reprint_these: '重印这 {n} 张', void_these: '作废这 {n} 张', uncertain_reason: '打印中断，标签未确认',
      journal_chip: '任务 {job} 的 {n} 张不确定的标签', fix_what: '要做什么', reprint: '重印', void: '作废',
      hint_reprint: '重印：同一个追溯码再打一张，不产生新码。一次超过 {n} 张要主管批准。',
      hint_void: '作废：追溯码从此失效，扫码查询显示“未找到”。每次作废都要主管批准。',
      fix_codes: '哪些标签', code_placeholder: '扫描标签二维码，或输入标签下方的追溯码', add: '添加', remove: '去掉',
      job_all: '选中这个任务所有未作废的标签', job_codes_title: '任务 {job}（批次 {lot}）的追溯码：点选要处理的',
      job_codes_more: '只列出前 {n} 个；其余的请扫描或输入', reason: '原因',
      reason_placeholder: '点上面的原因，或在这里写原因', sup_title: '主管批准', sup_user: '主管账号', sup_pin: '主管 PIN',
      sup_why_void: '作废要主管本人在这里输入主管账号和 PIN。',
      sup_why_reprint: '重印 {n} 张，超过 {m} 张，要主管本人在这里输入主管账号和 PIN。',
      btn_reprint: '重印 {n} 张', btn_void: '作废 {n} 张', btn_none: '先选要处理的标签：扫描或输入追溯码，或从任务里点选',
      need_codes: '先扫描或输入要处理的标签，或从任务里点选', need_reason: '请点一个原因，或写下原因',
      need_sup: '请主管输入主管账号和 PIN', already: '这张标签已经在列表里了',
      done_reprint: '已重印 {n} 张，请贴到对应的箱上。追溯码：{codes}',
      done_void: '已作废 {n} 个追溯码（主管 {sup} 批准）。请把这些标签撕掉，不要再用。',
      fix_job: '重印 / 作废', fix_uncertain: '处理不确定的标签', preview_btn: '预览', voided_tag: '已作废',
      reprinted_tag: '重印过 {n} 次', history_title: '查找打印任务', serial: '追溯码', date: '日期',
      h_lot_placeholder: '批次号，或扫描标签', h_serial_placeholder: '追溯码，或扫描标签', search: '查找',
      clear_fields: '清空', time: '时间', h_none: '没有找到符合条件的任务', h_found: '找到 {n} 个任务（最多列 100 个）',
      shift_title: '交班汇总', show: '查看', s_jobs: '打印任务', s_labels: '发放标签', s_reprints: '重印', s_voids: '作废',
      s_certs: '合格证', shift_lots: '这一天贴标的批次：标签与包装件数', s_today: '这一天发放', s_live: '有效追溯码 / 包装件数',
      shift_none: '这一天没有打印、重印、作废或合格证记录', shift_for: '企业 {e}', cli_account: '（命令行）',
      shift_day: '{date}（北京时间）', prev_day: '‹ 前一天', next_day: '后一天 ›', today: '今天',
      h_date_placeholder: '如 2026年12月7日', h_date_bad: '日期请写成 2026年12月7日 或 2026-12-07，不能是“{v}”',
      day: '{y}年{m}月{d}日',
      open_lot: '在打印页打开这个批次', close: '关闭', cert: '合格证', cert_of: '（原料批次 {lot} 的）', cert_pdf: '合格证 PDF',
      cert_none: '这个批次还没有有效的承诺达标合格证，不能打印：请先在“合格证”页开具（操作员和主管都能开）', go_cert: '去开具合格证', cert_not_needed: '这个产品不需要承诺达标合格证（如加工食品），可以直接打印',
      cert_invalidated: '这个批次的合格证已失效（原因见上，如召回或检测不合格），不能打印标签：请联系主管，不要重新开具', pm_job: '任务 {id}（{n} 张，{op}）',
      colon: '：', why_lot: '还不能打印：请先在批次列表里选批次，或扫描标签',
      why_blocked: '这个批次不能打印：{why}', why_preview: '这个批次的标签画不出来（原因见预览），不能打印，请找主管',
      why_qty_int: '数量须为整数张数（如 12），不能是“{v}”：标签不能打半张', why_qty_zero: '数量至少 1 张', why_qty_nan: '数量请只填数字（如 12），不能是“{v}”',
      why_qty_lot: '数量超过未贴标件数：这个批次最多还能打 {n} 张', why_qty_none: '这个批次已全部贴标（未贴标 0 件），不能再打',
      why_qty_max: '一次最多打 {n} 张（工作站的设置），请分几次打印',
      tag_why_lot: '批次标签：请先选批次', tag_why_printer: '批次标签：打印机没有就绪', tag_why_none: '批次标签：请先选打印机',
      lot_tag: '打印批次标签（托盘）', tag_ok: '已打印批次 {lot} 的批次标签（条码即批次号，扫码可选中这个批次）',
      why_printer_none: '请在上面选一台打印机', why_printer: '打印机没有就绪（状态见上），处理好后几秒钟内会自动恢复',
      p_queued: '任务 {id}：{n} 张，排队中…', p_sending: '任务 {id}：{n} 张，正在打印…', p_printed: '✓ 已打印 {n} 张（任务 {id}）',
      p_failed: '✗ 任务 {id} 失败：{why}', p_cancelled: '任务 {id} 已取消，没有打印',
      p_handled: '（后来已处理：不确定的标签都已重印或作废）',
      handled: '后来已处理：这个任务不确定的标签都已重印或作废，不用再管；点“重印 / 作废”可查看每张',
      blocked_pick: '{lot}：{why}', checking: '正在核对…',
      ledger_title: '⚠ 工作站已暂停：不能打印、开具或上传', ledger_detail: '给管理员：账本第 {n} 条记录有问题，详情见工作站的日志', ledger_detail_log: '给管理员：详情见工作站的日志', why_ledger: '现在不能做：账本文件未通过校验（见最上面的红色提示），请联系管理员',
      why_fix_printer: '打印机没有就绪（状态见上），处理好后几秒钟内会自动恢复',
    },
    en: {
      title: 'Label printing station', signin_title: 'Sign in', user: 'Account', clear: 'Clear', signin: 'Sign in',
      signout: 'Sign out', product: 'Product', lot: 'Lot', find: 'Find', lot_placeholder: 'Lot id or scan',
      preview: 'Preview', lot_is: 'Lot', packed: 'Packed units', labelled: 'Live codes', unlabelled: 'Not labelled',
      no_preview: 'Pick a lot to see its label', quantity: 'Quantity', printer: 'Printer', print: 'Print',
      jobs: 'Latest print jobs', job_no: 'Job', operator: 'Operator', state: 'State', yes_print: 'Print',
      cancel: 'Cancel', cancel_job: 'Cancel job', lang: '中文', queued: 'queued', sending: 'sending', printed: 'printed',
      failed: 'failed', cancelled: 'cancelled', need_user: 'Type your account', need_pin: 'Type your PIN', timed_out: 'Signed out after a while without use: type your PIN again',
      pick_product: 'Pick a product first', pick_lot: 'Pick a lot first', pick_printer: 'Pick a printer',
      no_lots: 'No lots of this product packed by your enterprise', confirm_n: 'Print {n} labels?',
      queued_msg: 'Job {id} queued: {n} labels', units_left: '{n} {u} not labelled', qty_unit: ' (labels)', n_jobs: '{n}', n_labels: '{n} labels', n_certs: '{n}', qty_bad: 'Quantity: 1 to {n}',
      loading: 'Loading…', left_max: 'at most {n} more',
      tab_print: 'Print', tab_fix: 'Reprint / void', tab_history: 'History', tab_shift: 'End of shift', deal_now: 'Deal with it',
      uncertain_banner: '{n} interrupted job(s): {m} labels may or may not have printed',
      uncertain_title: 'Interrupted jobs: labels that may or may not have printed',
      uncertain_hint: 'Check the printer and the printed labels: reprint those missing or spoilt; void those not wanted (needs a supervisor).',
      uncertain_line: 'Job {job} · lot {lot} · {printer}: {c} confirmed · {v} voided · {u} uncertain',
      reprint_these: 'Reprint these {n}', void_these: 'Void these {n}', uncertain_reason: 'Job cut short, labels not confirmed',
      journal_chip: 'the {n} uncertain labels of job {job}', fix_what: 'What to do', reprint: 'Reprint', void: 'Void',
      hint_reprint: 'Reprint: the same code printed again, no new code. More than {n} at once need a supervisor.',
      hint_void: 'Void: the code stops being genuine; a scan shows "not found". Every void needs a supervisor.',
      fix_codes: 'Which labels', code_placeholder: 'Scan the label\'s QR code, or type the code under it', add: 'Add',
      remove: 'Remove', job_all: 'Select all codes of this job not voided',
      job_codes_title: 'Codes of job {job} (lot {lot}): tap those to deal with', job_codes_more: 'Only the first {n} are listed; scan or type the others',
      reason: 'Reason', reason_placeholder: 'Tap a reason above, or write one here', sup_title: 'Supervisor\'s approval',
      sup_user: 'Supervisor account', sup_pin: 'Supervisor PIN', sup_why_void: 'A void needs the supervisor to type their own account and PIN here.',
      sup_why_reprint: 'Reprinting {n} labels, more than {m}: the supervisor types their own account and PIN here.',
      btn_reprint: 'Reprint {n}', btn_void: 'Void {n}', btn_none: 'Pick the labels first: scan or type their codes, or tap them in a job',
      need_codes: 'Scan or type the labels first, or tap them in a job', need_reason: 'Tap a reason, or write one',
      need_sup: 'The supervisor types their account and PIN', already: 'That label is already in the list',
      done_reprint: 'Reprinted {n}: put them on their boxes. Codes: {codes}',
      done_void: 'Voided {n} codes (approved by {sup}). Tear those labels off; do not use them.',
      fix_job: 'Reprint / void', fix_uncertain: 'Deal with uncertain labels', preview_btn: 'Preview', voided_tag: 'voided',
      reprinted_tag: 'reprinted {n}×', history_title: 'Find print jobs', serial: 'Code', date: 'Date',
      h_lot_placeholder: 'Lot id, or scan a label', h_serial_placeholder: 'Code, or scan a label', search: 'Find',
      clear_fields: 'Clear', time: 'Time', h_none: 'No job matches', h_found: '{n} job(s) found (at most 100 listed)',
      shift_title: 'End of shift', show: 'Show', s_jobs: 'Print jobs', s_labels: 'Labels issued', s_reprints: 'Reprints',
      s_voids: 'Voids', s_certs: 'Certificates', shift_lots: 'Lots labelled that day: labels against packed units',
      s_today: 'Issued that day', s_live: 'Live codes / packed units', shift_none: 'No printing, reprint, void or certificate that day',
      shift_for: 'enterprise {e}', cli_account: '(command line)', open_lot: 'Open this lot on the print screen',
      shift_day: '{date} (Beijing time)', prev_day: '‹ Day before', next_day: 'Day after ›', today: 'Today',
      h_date_placeholder: 'e.g. 2026-12-07', h_date_bad: 'Write the date as 2026-12-07, not "{v}"',
      day: '{iso}',
      close: 'Close', cert: 'Certificate', cert_of: '(of source lot {lot})', cert_pdf: 'Certificate PDF',
      cert_none: 'This lot has no valid certificate (承诺达标合格证) and cannot print: issue one on the Certificate screen first (operators and supervisors can)', go_cert: 'Issue the certificate', cert_not_needed: 'This product needs no certificate (承诺达标合格证; e.g. processed food): it prints without one',
      cert_invalidated: 'This lot\'s certificate is invalidated (see the reason above: a recall or a failed test) and cannot print: ask a supervisor, do not issue a new one', pm_job: 'Job {id} ({n} labels, {op})',
      colon: ': ', why_lot: 'Cannot print yet: pick a lot in the lot list, or scan a label',
      why_blocked: 'This lot cannot print: {why}', why_preview: 'This lot\'s label cannot be drawn (see the preview): ask a supervisor',
      why_qty_int: 'The quantity must be a whole number of labels (e.g. 12), not "{v}"', why_qty_zero: 'At least 1 label', why_qty_nan: 'Type the quantity as a number (e.g. 12), not "{v}"',
      why_qty_lot: 'More than the units not labelled: at most {n} more for this lot', why_qty_none: 'Every unit of this lot is labelled: nothing more to print',
      why_qty_max: 'At most {n} labels per job (station setting): print in several jobs',
      tag_why_lot: 'Lot tag: pick a lot first', tag_why_printer: 'Lot tag: the printer is not ready', tag_why_none: 'Lot tag: pick a printer first',
      lot_tag: 'Print lot tag (pallet)', tag_ok: 'Printed the lot tag of {lot} (its barcode is the lot id: scanning it picks the lot)',
      why_printer_none: 'Pick a printer above', why_printer: 'The printer is not ready (see its status above): it recovers by itself within seconds once fixed',
      p_queued: 'Job {id}: {n} labels, queued…', p_sending: 'Job {id}: {n} labels, printing…', p_printed: '✓ Printed {n} labels (job {id})',
      p_failed: '✗ Job {id} failed: {why}', p_cancelled: 'Job {id} cancelled: nothing printed',
      p_handled: ' (dealt with since: its uncertain labels were all reprinted or voided)',
      handled: 'Dealt with since: every uncertain label of this job was reprinted or voided; nothing left to do. Tap "Reprint / void" to see each',
      blocked_pick: '{lot}: {why}', checking: 'Checking…',
      ledger_title: '⚠ The station is stopped: no printing, issuing or uploading', ledger_detail: 'For the administrator: entry {n} of the ledger; details in the station\'s log', ledger_detail_log: 'For the administrator: details in the station\'s log', why_ledger: 'Not now: the ledger file does not verify (see the red notice at the top): contact the administrator',
      why_fix_printer: 'The printer is not ready (see its status above): it recovers by itself within seconds once fixed',
    },
  };
  let lang = localStorage.getItem('agtrace-station-lang') === 'en' ? 'en' : 'zh';
  const $ = (id) => document.getElementById(id);
  const t = (k, v) => (T[lang][k] || k).replace(/\{(\w+)\}/g, (_, n) => String(v && v[n] !== undefined ? v[n] : ''));
  const s = {
    me: null, product: null, lot: null, printer: null, printers: [], timer: null, previewOk: false, tab: 'print',
    fix: { mode: 'reprint', codes: [], journal: null, job: null },
  };

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function say(id, text, ok) {
    const e = $(id);
    e.textContent = text || '';
    e.classList.toggle('ok', !!ok);
  }
  const reveal = (id) => window.StationKit.reveal(id);
  function applyLang() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    document.querySelectorAll('[data-tp]').forEach((e) => { e.placeholder = t(e.dataset.tp); });
    document.querySelectorAll('[data-ta]').forEach((e) => { e.setAttribute('aria-label', t(e.dataset.ta)); });
    document.title = t('title');
    $('lang').textContent = t('lang');
  }

  // GET path, or POST body as JSON. A screen's own poll passes poll: it does not keep the
  // session from its idle timeout (docs/station.md "登录超时"); only what the user does does.
  async function api(path, body, poll) {
    const opts = { credentials: 'same-origin', headers: {} };
    if (poll) opts.headers['X-Station-Poll'] = '1';
    if (body !== undefined) {
      opts.method = 'POST';
      opts.headers['Content-Type'] = 'application/json';
      if (s.me) opts.headers['X-CSRF-Token'] = s.me.csrf;
      opts.body = JSON.stringify(body);
    }
    const r = await fetch(path, opts);
    let j = null;
    try { j = await r.json(); } catch (e) { j = {}; }
    if (r.status === 401 && path !== '/api/signin') {
      const was = !!s.me;
      signedOut();
      // A disabled (停用) account is told so and whom to ask, not "timed out".
      if (j && j.disabled) say('signin-msg', zhOnly(j.error));
      else if (was) say('signin-msg', t('timed_out'));
    }
    if (r.status === 503 && j && j.ledger === 'failed') setLedger({ status: 'failed', message: j.error });
    return { status: r.status, ok: r.ok, body: j };
  }

  // Fail closed (issue 15, third trial): while the ledger file does not verify (an edited
  // entry, a write refused by the writer's audit) a red banner across the top of every screen
  // says so and what to do, it stays in view when the page scrolls (both sizes), and every
  // action is grey with that reason beside it. The other screens (合格证, 上传) hear it as the
  // event station:ledger and use StationKit.ledgerBlocked().
  function setLedger(l) {
    const failed = !!l && l.status === 'failed';
    const was = s.ledger && s.ledger.status === 'failed' ? s.ledger.message : null;
    s.ledger = l;
    $('ledger-banner').hidden = !failed || !s.me;
    // The operator's words; for the administrator, small beneath, which entry (the verifier's
    // English reason is in the station's log).
    const text = failed ? zhOnly(l.message) : '';
    const m = lang === 'zh' && text.match(/^(.*)（原因：(.*)）$/s);
    $('ledger-banner-text').textContent = m ? m[1] : text;
    const entry = m && m[2].match(/\bentry (\d+)\b|第 (\d+) 条记录/);  // which entry; the detail is in the log
    $('ledger-banner-detail').textContent = m ? t(entry ? 'ledger_detail' : 'ledger_detail_log', { n: entry && (entry[1] || entry[2]) }) : '';
    document.body.classList.toggle('ledger-failed', failed && !!s.me);
    if ((failed ? l.message : null) === was) return;
    window.StationLedger = failed ? t('why_ledger') : '';
    updatePrint();
    document.dispatchEvent(new CustomEvent('station:ledger', { detail: { failed, why: window.StationLedger } }));
  }
  const ledgerWhy = () => (s.ledger && s.ledger.status === 'failed' ? t('why_ledger') : '');

  // Sign-in.
  function signedOut() {
    s.me = null;
    clearInterval(s.timer);
    TABS.forEach((n) => { $(n).hidden = true; });
    $('tabs').hidden = true;
    $('uncertain-banner').hidden = true;
    $('ledger-banner').hidden = true;
    document.body.classList.remove('ledger-failed');
    $('preview-modal').hidden = true;
    s.fix = { mode: 'reprint', codes: [], journal: null, job: null };
    $('signin').hidden = false;
    $('who').hidden = true;
    $('signout').hidden = true;
    document.dispatchEvent(new CustomEvent('station:signedout'));
  }
  function signedIn(me) {
    s.me = me;
    setLedger(me.ledger);
    $('signin').hidden = true;
    $('tabs').hidden = false;
    setMode(s.fix.mode);
    showTab('print');
    $('who').hidden = false;
    // The enterprise by the name people know (the ledger's master data, in its own language).
    $('who').replaceChildren(document.createTextNode(me.user + ' · '), el('span', me.enterprise_name || me.enterprise, 'data'));
    $('signout').hidden = false;
    $('pin').value = '';
    loadProducts();
    refresh();
    clearInterval(s.timer);
    s.timer = setInterval(refresh, 2000);
    document.dispatchEvent(new CustomEvent('station:signedin', { detail: me }));  // certificates.js, upload.js
  }
  async function signin() {
    const user = $('user').value.trim(), pin = $('pin').value;
    if (!user) return say('signin-msg', t('need_user'));
    if (!pin) return say('signin-msg', t('need_pin'));
    $('signin-btn').disabled = true;
    const r = await api('/api/signin', { user, pin });
    $('signin-btn').disabled = false;
    $('pin').value = '';
    if (!r.ok) {
      // The administrator's command in a lock message (agtrace-station user unlock --id op-07)
      // set apart as a command to type, not as words of the sentence.
      const text = errText(r);
      const parts = text.split(/(agtrace-station user unlock --id \S+?)(?=[（）；，。\s]|$)/);
      $('signin-msg').replaceChildren(...parts.map((p, i) => (i % 2 ? el('code', p, 'data cmd') : document.createTextNode(p))));
      $('signin-msg').classList.remove('ok');
      return;
    }
    say('signin-msg', '');
    signedIn(r.body);
  }

  // Products and lots.
  async function loadProducts() {
    const r = await api('/api/products');
    const list = $('product-list');
    list.replaceChildren();
    // e.g. 503 "账本文件未通过校验…请联系管理员" (the station's verified replica failed)
    if (!r.ok) return say('lot-msg', errText(r));
    r.body.forEach((p) => {
      const b = el('button');
      b.type = 'button';
      b.append(el('span', p.name || p.id, 'data'), el('small', p.id));
      b.dataset.product = p.id;
      b.addEventListener('click', () => pickProduct(p.id));
      list.append(b);
    });
    if (r.body.length === 1) pickProduct(r.body[0].id);
  }
  function mark(listId, attr, value) {
    $(listId).querySelectorAll('button').forEach((b) => b.classList.toggle('selected', b.dataset[attr] === value));
  }
  async function pickProduct(id) {
    s.product = id;
    mark('product-list', 'product', id);
    const r = await api('/api/lots?product=' + encodeURIComponent(id));
    const list = $('lot-list');
    list.replaceChildren();
    if (!r.ok) return say('lot-msg', errText(r));
    say('lot-msg', r.body.length ? '' : t('no_lots'));
    r.body.forEach((l) => {
      const b = el('button');
      b.type = 'button';
      b.dataset.lot = l.lot;
      // The packing day never broken across lines (2026-11-/30) now that the units make the line longer.
      const small = el('small', t('units_left', { n: l.unlabelled, u: unitOf(l) }) + ' · ');
      small.append(el('span', l.packed_time.slice(0, 10), 'when'));
      b.append(el('span', l.lot), small);
      if (l.blocked) {  // recalled, certificate invalidated …: marked, and never chosen for printing
        b.classList.add('blocked');
        b.setAttribute('aria-disabled', 'true');
        b.dataset.blocked = l.blocked.code;
        b.append(el('span', zhOnly(l.blocked.label), 'tag'));
        b.addEventListener('click', () => say('lot-msg', t('blocked_pick', { lot: l.lot, why: zhOnly(l.blocked.reason) })));
      } else {
        b.addEventListener('click', () => findLot(l.lot));
      }
      list.append(b);
    });
    if (s.lot) mark('lot-list', 'lot', s.lot.lot);
  }
  async function findLot(q) {
    q = (q || '').trim();
    if (!q) return;
    say('print-msg', '');
    say('lot-msg', t('loading'), true);
    const r = await api('/api/lot?q=' + encodeURIComponent(q));
    if (!r.ok) {
      s.lot = null;
      showLot();
      return say('lot-msg', errText(r));
    }
    say('lot-msg', '');
    s.lot = r.body;
    if (s.product !== r.body.product) await pickProduct(r.body.product);  // its lots beside it
    $('lot-field').value = r.body.lot;
    mark('lot-list', 'lot', r.body.lot);
    showLot();
  }
  function showLot() {
    const l = s.lot;
    $('lot-info').hidden = !l;
    $('preview-img').hidden = !l;
    $('preview-none').hidden = !!l;
    if (l) {
      $('info-lot').textContent = l.lot;
      $('info-product').textContent = l.product_name || l.product;
      $('info-packed').textContent = l.packed_units + ' ' + unitOf(l);
      $('info-live').textContent = t('n_labels', { n: l.live_codes });
      $('info-left').textContent = l.unlabelled + ' ' + unitOf(l);
      $('info-blocked').hidden = !l.blocked;
      $('info-blocked').textContent = l.blocked ? zhOnly(l.blocked.label) + t('colon') + zhOnly(l.blocked.reason) : '';
      showCertificates(l);
      const url = '/api/preview.png?lot=' + encodeURIComponent(l.lot) + '&n=' + l.live_codes;
      $('preview-none').textContent = t('no_preview');
      $('preview-none').className = '';
      s.previewOk = true;
      $('preview-img').onerror = async () => {  // the label cannot be drawn: say why
        const r = await api(url);
        if ($('preview-img').dataset.url !== url) return;  // another lot was chosen meanwhile
        $('preview-img').hidden = true;
        $('preview-none').hidden = false;
        $('preview-none').textContent = errText(r);
        $('preview-none').className = 'msg';
        s.previewOk = false;
        updatePrint();
      };
      $('preview-img').dataset.url = url;
      $('preview-img').src = url;
      $('preview-img').alt = l.lot;
    } else {
      delete $('preview-img').dataset.url;
      $('preview-img').removeAttribute('src');
    }
    updatePrint();
  }

  // What a lot's units are called (箱 for a packed lot's packages, 件 else; the server's "unit").
  function unitOf(l) { return lang === 'zh' ? (l.unit || '件') : (l.unit_en || 'pieces'); }
  // The lot's 承诺达标合格证: each with its status; a warning when none is valid.
  function showCertificates(l) {
    const box = $('info-certs');
    box.replaceChildren();
    const list = l.certificates || [];
    list.forEach((c) => {
      const line = el('div', undefined, 'cert ' + (c.status === 'valid' ? 'cert-ok' : 'cert-bad'));
      line.dataset.number = c.number;
      line.append(el('span', t('cert') + ' ' + c.number + t('colon')), el('b', zhOnly(c.status_text)));
      if (c.lot !== l.lot) line.append(el('span', ' ' + t('cert_of', { lot: c.lot })));
      if (c.reason) line.append(el('span', (lang === 'zh' ? '（' : ' (') + zhOnly(c.reason) + (lang === 'zh' ? '）' : ')')));
      if (c.status === 'valid' && !c.received && c.issuer === s.me.enterprise && s.me.certificate_pdf) {
        const a = el('a', t('cert_pdf'), 'button-link');
        a.href = '/api/certificate.pdf?number=' + encodeURIComponent(c.number);
        a.target = '_blank';
        a.rel = 'noopener';
        line.append(a);
      }
      box.append(line);
    });
    const why = certWhy(l);
    if (why) {
      box.append(el('div', why, 'cert cert-bad'));
      // No certificate yet: the operator issues it on the 合格证 screen, opened on this lot.
      if (why === t('cert_none')) box.append(button(t('go_cert'), () => openCertificate(l.lot), 'go-cert'));
    } else if (!l.certificate_required && !list.some((c) => c.status === 'valid')) box.append(el('div', t('cert_not_needed'), 'cert'));
  }
  // The 合格证 tab, its lot field filled with `lot` and looked up.
  function openCertificate(lot) {
    document.querySelector('#tabs [data-tab="cert"]').click();
    $('cert-lot-field').value = lot;
    $('cert-lot-find').click();
  }
  // Why the lot cannot print for want of a certificate ("" when it may), as the ledger's rule
  // says: only when its product needs one (certificate_required), the lot's own valid one.
  // An invalidated one (a recall, a failed test) cannot be fixed by a new certificate.
  function certWhy(l) {
    const list = l.certificates || [];
    if (!l.certificate_required || list.some((c) => c.status === 'valid' && c.lot === l.lot)) return '';
    return t(list.some((c) => c.status === 'invalidated') ? 'cert_invalidated' : 'cert_none');
  }

  // Quantity.
  // The quantity typed: a whole number, or NaN ("1.5", "abc", "" are not quantities).
  // The typed quantity with full-width digits (an input method's １２) read as plain ones.
  function qtyText() { return $('qty').value.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xFEE0)); }
  function qty() { const v = qtyText(); return /^[0-9]{1,9}$/.test(v) ? Number(v) : NaN; }
  function setQty(n) {
    const max = Math.max(1, Math.min(s.lot ? s.lot.unlabelled : Infinity, s.me ? s.me.max_labels : 1));
    $('qty').value = String(Math.min(Math.max(1, n || 1), max));
    updatePrint();
  }

  // Printers.
  function pickPrinter(name) {
    s.printer = name;
    updatePrint();
  }
  function showPrinters(list) {
    s.printers = list;
    ['printer-list', 'fix-printer-list'].forEach((id) => {
      const box = $(id);
      if (box.children.length !== list.length) {
        box.replaceChildren();
        list.forEach((p) => {
          const b = el('button');
          b.type = 'button';
          b.dataset.printer = p.name;
          b.append(el('span', p.name, 'data'), el('small', p.language.toUpperCase() + ' · ' + p.dpi + ' dpi · ' + p.label));
          b.addEventListener('click', () => pickPrinter(p.name));
          box.append(b);
        });
      }
    });
    if (!s.printer && list.length) s.printer = list[0].name;
    updatePrint();
  }
  function chosenPrinter() { return s.printers.find((p) => p.name === s.printer); }
  function updatePrint() {
    const p = chosenPrinter();
    mark('printer-list', 'printer', s.printer);
    mark('fix-printer-list', 'printer', s.printer);
    ['printer-status', 'fix-printer-status'].forEach((id) => {
      const st = $(id);
      if (p) st.replaceChildren(el('span', p.name, 'data'), document.createTextNode(t('colon') + zhOnly(p.text)));
      else st.textContent = t('pick_printer');
      st.className = 'status ' + (p && p.ready ? 'ready' : 'bad');
    });
    updateFix();
    const why = printBlocked();
    $('print-btn').disabled = !!why;
    $('print-why').textContent = why;
    // The lot tag names the lot only (no trace code): any chosen lot, on a ready printer.
    // Its own reason beside it when grey (Print's reason may be about the quantity, which a tag has not).
    const tagWhy = ledgerWhy() ? ledgerWhy() : !s.lot ? t('tag_why_lot') : !p ? t('tag_why_none') : !p.ready ? t('tag_why_printer') : '';
    $('tag-btn').disabled = !!tagWhy;
    $('tag-why').textContent = tagWhy;
  }
  // Why Print is greyed out, in words for the operator ("" when it may print): the lot, the
  // quantity (a whole number, within the lot's unlabelled units and the job limit), the printer.
  function printBlocked() {
    if (!s.me) return '';
    if (ledgerWhy()) return ledgerWhy();
    const l = s.lot, p = chosenPrinter(), n = qty(), v = $('qty').value.trim();
    if (!l) return t('why_lot');
    if (l.blocked) return t('why_blocked', { why: zhOnly(l.blocked.label) + t('colon') + zhOnly(l.blocked.reason) });
    if (certWhy(l)) return certWhy(l);
    if (!s.previewOk) return t('why_preview');
    if (!Number.isInteger(n)) {
      const q = qtyText();
      if (/^[0-9]*[.,][0-9]*$/.test(q) && /[0-9]/.test(q)) return t('why_qty_int', { v: v.slice(0, 20) });
      return t('why_qty_nan', { v: v.slice(0, 20) });
    }
    if (n < 1) return t('why_qty_zero');
    if (l.unlabelled < 1) return t('why_qty_none');
    if (n > l.unlabelled) return t('why_qty_lot', { n: l.unlabelled });
    if (n > s.me.max_labels) return t('why_qty_max', { n: s.me.max_labels });
    if (!p) return t('why_printer_none');
    if (!p.ready) return t('why_printer');
    return '';
  }

  // Jobs.
  function showJobs(list) {
    const body = $('jobs').querySelector('tbody');
    body.replaceChildren();
    list.forEach((j) => {
      const tr = el('tr');
      tr.dataset.job = String(j.id);
      tr.append(el('td', String(j.id)), el('td', j.lot), el('td', String(j.count)), el('td', j.printer, 'data'), el('td', j.account));
      tr.append(el('td', t(j.state), 'state-' + j.state));
      const act = el('td');
      if (j.state === 'queued') {
        const b = el('button', t('cancel_job'));
        b.type = 'button';
        b.addEventListener('click', async () => {
          const r = await api('/api/jobs/cancel', { id: j.id });
          if (!r.ok) say('print-msg', errText(r));
          refresh();
        });
        act.append(b);
      } else if (j.state === 'failed' && j.entry !== null && !handled(j)) {
        act.append(button(t('fix_uncertain'), () => showTab('fix'), 'act-uncertain'));
      } else if (j.state === 'failed' && j.entry !== null) {
        act.append(button(t('fix_job'), () => openJobCodes(j.id), 'act-fix'));
      } else if (j.state === 'printed') {
        act.append(button(t('fix_job'), () => openJobCodes(j.id), 'act-fix'));
      }
      tr.append(act);
      body.append(tr);
      if (j.message) {  // why it failed, under the job across the table, in the chosen language
        tr.classList.add('has-msg');
        const why = el('tr', undefined, 'job-msg');
        // Once its uncertain labels were reprinted or voided, the cause and what happened next
        // (not the old "未确认…请处理", which would send the operator to nothing).
        const lines = handled(j) ? [zhOnly(j.message.split('\n')[0]), t('handled')] : j.message.split('\n').map(zhOnly);
        const td = el('td', lines.join('\n'), 'msg' + (handled(j) ? ' handled' : ''));
        td.colSpan = 7;
        why.append(td);
        body.append(why);
      }
    });
  }
  // A failed job that left labels uncertain, all of them reprinted or voided since (the server
  // counts those left: "uncertain", null while the ledger cannot be read).
  function handled(j) {
    return j.state === 'failed' && j.entry !== null && j.uncertain === 0 && j.confirmed < j.count;
  }
  let lastDone = null;
  async function refresh() {
    if (!s.me) return;
    const [p, j, me] = await Promise.all([api('/api/printers', undefined, true), api('/api/jobs', undefined, true),
      api('/api/me', undefined, true), loadUncertain(true)]);
    if (me.ok && s.me) setLedger(me.body.ledger);
    if (p.ok) showPrinters(p.body);
    if (j.ok) {
      showJobs(j.body);
      showProgress(j.body);
      const done = j.body.filter((x) => x.state === 'printed' || x.state === 'failed').map((x) => x.id).join(',');
      if (lastDone !== null && done !== lastDone && s.lot) {  // counts changed: the lot and its list
        const lot = s.lot.lot;
        (async () => { if (s.product) await pickProduct(s.product); findLot(lot); })();
      }
      lastDone = done;
    }
  }

  // Print.
  function ask(text) {
    return new Promise((resolve) => {
      $('confirm-text').textContent = text;
      $('confirm').hidden = false;
      const done = (v) => { $('confirm').hidden = true; resolve(v); };
      $('confirm-yes').onclick = () => done(true);
      $('confirm-no').onclick = () => done(false);
    });
  }
  // The job just sent from this screen, in big letters beside Print: queued, printing, then
  // 已打印 N 张 (or why it failed), until the next job.
  function showProgress(list) {
    const box = $('job-progress');
    const j = s.myJob && list.find((x) => x.id === s.myJob);
    box.hidden = !j;
    if (!j) return;
    const n = j.state === 'printed' ? (j.confirmed || j.count) : j.count;
    box.className = 'progress ' + j.state;
    // A failure's cause (its first line); the details are under the job in the table below.
    box.textContent = t('p_' + j.state, { id: j.id, n, why: zhOnly(String(j.message || '').split('\n')[0]) }) +
      (handled(j) ? t('p_handled') : '');
    box.dataset.state = j.state;
  }
  async function print() {
    const why = printBlocked();
    if (why) return say('print-msg', why);
    const n = qty();
    let confirmed = false;
    if (n > s.me.confirm_above) {
      if (!(await ask(t('confirm_n', { n })))) return;
      confirmed = true;
    }
    $('print-btn').disabled = true;
    const r = await api('/api/jobs', { lot: s.lot.lot, count: n, printer: s.printer, confirmed });
    if (!r.ok) say('print-msg', errText(r));
    else {
      say('print-msg', '');
      s.myJob = r.body.id;
      showProgress([{ id: r.body.id, state: 'queued', count: n }]);
    }
    refresh();
  }

  // The pallet's lot tag (批次标签): printed at once, not recorded.
  async function printLotTag() {
    $('tag-btn').disabled = true;
    const r = await api('/api/lot-tag', { lot: s.lot.lot, printer: s.printer, copies: 1 });
    say('print-msg', r.ok ? t('tag_ok', { lot: s.lot.lot }) : errText(r), r.ok);
    updatePrint();
  }

  // Tabs.
  const TABS = ['print', 'fix', 'history', 'shift'];
  function showTab(name) {
    s.tab = name;
    TABS.forEach((n) => { $(n).hidden = n !== name; });
    document.querySelectorAll('#tabs button').forEach((b) => b.classList.toggle('selected', b.dataset.tab === name));
    if (name === 'fix') { $('uncertain-banner').hidden = true; loadUncertain(); updateFix(); }
    if (name === 'shift') loadShift();
    // History opens on today's jobs (China time) unless a search is already shown.
    if (name === 'history' && !$('h-jobs').querySelector('tbody tr') &&
        ['h-lot', 'h-serial', 'h-operator', 'h-date'].every((id) => !$(id).value.trim())) {
      $('h-date').value = dayText(chinaTime(Date.now()).slice(0, 10));
      searchHistory();
    }
    window.scrollTo(0, 0);
  }
  function button(text, onClick, cls) {
    const b = el('button', text, cls);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }
  // 2026-12-07 08:30 in China time (UTC+8), as the shift report counts days.
  function chinaTime(ms) { return new Date(ms + 8 * 3600e3).toISOString().slice(0, 16).replace('T', ' '); }
  // A day 2026-12-07 as the screens write it: 2026年12月7日 (English: 2026-12-07).
  function dayText(iso) {
    const [y, m, d] = iso.split('-').map(Number);
    return t('day', { y, m, d, iso });
  }
  // A moment in Beijing time (UTC+8): 2026年12月7日 14:05.
  function chinaTimeText(ms) { const c = chinaTime(ms); return dayText(c.slice(0, 10)) + ' ' + c.slice(11); }
  // A typed day (2026年12月7日, 2026-12-07, 2026/12/7, 2026.12.7; full-width digits too) as
  // 2026-12-07, or null when it is no day of the calendar.
  function parseDay(text) {
    const v = text.trim().replace(/[０-９]/g, (x) => String.fromCharCode(x.charCodeAt(0) - 0xFEE0));
    const m = v.match(/^(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*日?$/);
    if (!m) return null;
    const iso = m[1] + '-' + m[2].padStart(2, '0') + '-' + m[3].padStart(2, '0');
    const back = new Date(iso + 'T00:00:00Z');
    return !isNaN(back) && back.toISOString().slice(0, 10) === iso ? iso : null;
  }
  // A server text "中文 / English" in the chosen language (the English half is all after the first " / ").
  // A message that wraps another ("中文 / 中文 / English") shows its first part in Chinese and,
  // in English, everything from the first part that does not start in Chinese,
  const zhOnly = (text) => {
    const parts = String(text || '').split(' / ');
    if (parts.length < 2) return parts[0];
    if (lang === 'zh') return parts[0];
    const en = parts.findIndex((p, i) => i > 0 && !/^[\u3000-\u9fff\uff00-\uffef]/.test(p));
    // and a Chinese aside within the English ("(tcp://…, 第 10 张标签后 / after label 10)") loses its Chinese half
    return (en < 0 ? parts.slice(1) : parts.slice(en)).join(' / ').replace(/[\u3000-\u9fff\uff00-\uffef][^/()（）]*? \/ /g, '');
  };
  // A refused request's message in the chosen language, line by line.
  // The ledger failing closed: the short notice (the banner at the top says the rest).
  const errText = (r) => (r.status === 503 && r.body && r.body.ledger === 'failed' ? t('why_ledger')
    : String((r.body && r.body.error) || r.status).split('\n').map(zhOnly).join('\n'));

  // Reprint and void.
  const REASONS = {
    reprint: [['标签撕坏', 'Torn label'], ['标签污损', 'Dirty label'], ['打印不清', 'Print unclear'],
      ['贴错位置', 'Stuck on wrong'], ['卡纸', 'Paper jam'], ['标签丢失', 'Label lost']],
    void: [['贴错箱', 'On the wrong box'], ['标签损坏，不再使用', 'Damaged, not reused'],
      ['打印中断，没打出来', 'Job cut short, never printed'], ['多打了', 'Printed too many'], ['箱子报废', 'Box discarded']],
  };
  function fixCount() { return s.fix.journal ? s.fix.journal.n : s.fix.codes.length; }
  function needsSupervisor() {
    return s.fix.mode === 'void' || (s.me && fixCount() > s.me.supervisor_reprint_above);
  }
  function setMode(mode) {
    s.fix.mode = mode;
    document.querySelectorAll('.seg button').forEach((b) => b.classList.toggle('selected', b.dataset.mode === mode));
    const list = $('reason-list');
    list.replaceChildren();
    REASONS[mode].forEach(([zh, en]) => {
      const b = button(lang === 'zh' ? zh : en, () => {
        $('reason-field').value = lang === 'zh' ? zh : en;  // recorded in Chinese (recordedReason)
        markReason();
        updateFix();
      });
      b.dataset.en = en;
      b.dataset.reason = zh;
      list.append(b);
    });
    markReason();
    say('fix-msg', '');
    updateFix();
  }
  function markReason() {
    const v = $('reason-field').value.trim();
    $('reason-list').querySelectorAll('button').forEach((b) =>
      b.classList.toggle('selected', b.dataset.reason === v || b.dataset.en === v));
  }
  // The reason as the signed entry records it: a preset in Chinese, whichever language shows it.
  function recordedReason(v) {
    const presets = REASONS.reprint.concat(REASONS.void, [[T.zh.uncertain_reason, T.en.uncertain_reason]]);
    const hit = presets.find(([, en]) => en === v);
    return hit ? hit[0] : v;
  }
  // The serial a scanned label URL or typed code shows on the chip (the server checks it).
  function shortCode(given) {
    const m = given.match(/\/(?:21|t)\/([0-9A-Za-z]+)\/?$/);
    return (m ? m[1] : given).toUpperCase();
  }
  // A scanned or typed code joins the list only once the server has checked it as the reprint
  // or void will (issued by this enterprise, not voided, the label's own code); else why not.
  async function addCode(given) {
    given = (given || '').trim();
    if (!given) return;
    if (s.fix.codes.some((c) => shortCode(c) === shortCode(given))) return say('code-msg', t('already'));
    say('code-msg', t('checking'), true);
    const r = await api('/api/code?q=' + encodeURIComponent(given));
    if (!r.ok) return say('code-msg', errText(r));
    say('code-msg', '');
    if (s.fix.journal) s.fix.journal = null;
    if (s.fix.codes.some((c) => shortCode(c) === r.body.serial)) return say('code-msg', t('already'));
    s.fix.codes.push(given);
    showCodes();
  }
  function removeCode(given) {
    s.fix.codes = s.fix.codes.filter((c) => shortCode(c) !== shortCode(given));
    showCodes();
  }
  function showCodes() {
    const list = $('code-list');
    list.replaceChildren();
    if (s.fix.journal) {
      const chip = el('span', t('journal_chip', { job: s.fix.journal.label, n: s.fix.journal.n }), 'chip');
      chip.append(button('×', () => { s.fix.journal = null; showCodes(); }, 'x'));
      chip.lastChild.setAttribute('aria-label', t('remove'));
      list.append(chip);
    }
    s.fix.codes.forEach((c) => {
      const chip = el('span', shortCode(c), 'chip');
      chip.dataset.code = shortCode(c);
      const x = button('×', () => removeCode(c), 'x');
      x.setAttribute('aria-label', t('remove'));
      chip.append(x);
      list.append(chip);
    });
    $('job-code-list').querySelectorAll('button').forEach((b) =>
      b.classList.toggle('selected', s.fix.codes.some((c) => shortCode(c) === b.dataset.serial)));
    updateFix();
  }
  function openJobCodes(id) {
    if (s.tab !== 'fix') showTab('fix');
    return loadJobCodes(id);
  }
  async function loadJobCodes(id) {
    say('code-msg', t('loading'), true);
    const r = await api('/api/job/codes?id=' + encodeURIComponent(id));
    if (!r.ok) { $('job-codes').hidden = true; return say('code-msg', errText(r)); }
    say('code-msg', '');
    s.fix.job = r.body;
    $('job-codes').hidden = false;
    $('job-codes-title').textContent = t('job_codes_title', { job: r.body.job.id, lot: r.body.job.lot });
    const list = $('job-code-list');
    list.replaceChildren();
    const shown = r.body.codes.slice(0, 300);
    shown.forEach((c) => {
      const b = button(c.serial, () => {
        if (s.fix.codes.some((x) => shortCode(x) === c.serial)) removeCode(c.serial); else addCode(c.serial);
      });
      b.dataset.serial = c.serial;
      if (c.voided) { b.disabled = true; b.append(el('small', t('voided_tag'))); }
      else if (c.reprints) b.append(el('small', t('reprinted_tag', { n: c.reprints })));
      list.append(b);
    });
    if (r.body.codes.length > shown.length) list.append(el('p', t('job_codes_more', { n: shown.length }), 'hint'));
    showCodes();
  }
  function chooseUncertain(u, mode) {
    s.fix.codes = [];
    s.fix.journal = { id: u.journal_job, n: u.unconfirmed.length, label: u.station_job !== null ? u.station_job : u.journal_job };
    setMode(mode);
    if (!$('reason-field').value.trim()) $('reason-field').value = t('uncertain_reason');
    markReason();
    showCodes();
    $('fix-btn').scrollIntoView({ block: 'center' });
  }
  let uncertainSeen = '';
  async function loadUncertain(poll) {
    const r = await api('/api/uncertain', undefined, poll);
    if (!r.ok) return;
    const list = r.body;
    const m = list.reduce((a, u) => a + u.unconfirmed.length, 0);
    $('uncertain-banner').hidden = !list.length || s.tab === 'fix';
    $('uncertain-banner-text').textContent = t('uncertain_banner', { n: list.length, m });
    $('uncertain-card').hidden = !list.length;
    const key = JSON.stringify(list) + lang;
    if (key === uncertainSeen) return;
    uncertainSeen = key;
    const box = $('uncertain-list');
    box.replaceChildren();
    list.forEach((u) => {
      const item = el('div', undefined, 'uncertain');
      item.dataset.journal = String(u.journal_job);
      item.append(el('p', t('uncertain_line', { job: u.station_job !== null ? u.station_job : u.journal_job, lot: u.lot,
        printer: u.printer, c: u.confirmed, v: u.voided, u: u.unconfirmed.length }), 'line'));
      const codes = el('div', undefined, 'chips');
      u.unconfirmed.slice(0, 24).forEach((c) => codes.append(el('span', c, 'chip small-chip')));
      if (u.unconfirmed.length > 24) codes.append(el('span', '… +' + (u.unconfirmed.length - 24), 'chip small-chip'));
      item.append(codes);
      const row = el('div', undefined, 'row');
      row.append(button(t('reprint_these', { n: u.unconfirmed.length }), () => chooseUncertain(u, 'reprint'), 'act-reprint'),
        button(t('void_these', { n: u.unconfirmed.length }), () => chooseUncertain(u, 'void'), 'act-void'));
      item.append(row);
      box.append(item);
    });
  }
  function updateFix() {
    if (!s.me) return;
    const n = fixCount();
    $('mode-hint').textContent = s.fix.mode === 'void' ? t('hint_void') : t('hint_reprint', { n: s.me.supervisor_reprint_above });
    $('fix-printer-card').hidden = s.fix.mode === 'void';
    const sup = needsSupervisor() && n > 0;
    $('sup-card').hidden = !sup;
    $('sup-why').textContent = s.fix.mode === 'void' ? t('sup_why_void')
      : t('sup_why_reprint', { n, m: s.me.supervisor_reprint_above });
    $('fix-btn').textContent = n ? t(s.fix.mode === 'void' ? 'btn_void' : 'btn_reprint', { n }) : t(s.fix.mode);
    $('fix-btn').classList.toggle('danger', s.fix.mode === 'void');
    const p = chosenPrinter();
    // Grey with the reason beside it, like Print.
    const why = ledgerWhy() || (!n ? t('btn_none') : s.fix.mode === 'reprint' && !(p && p.ready) ? t('why_fix_printer') : '');
    $('fix-btn').disabled = !!why;
    $('fix-why').textContent = why;
  }
  async function submitFix() {
    const n = fixCount();
    if (!n) return say('fix-msg', t('need_codes'));
    const reason = recordedReason($('reason-field').value.trim());
    if (!reason) { $('reason-field').focus(); return say('fix-msg', t('need_reason')); }
    const body = { reason };
    if (s.fix.journal) body.journal_job = s.fix.journal.id; else body.codes = s.fix.codes.slice();
    if (needsSupervisor()) {
      body.supervisor = $('sup-user').value.trim();
      body.supervisor_pin = $('sup-pin').value;
      if (!body.supervisor || !body.supervisor_pin) return say('fix-msg', t('need_sup'));
    }
    if (s.fix.mode === 'reprint') body.printer = s.printer;
    $('fix-btn').disabled = true;
    say('fix-msg', t('loading'), true);
    const r = await api(s.fix.mode === 'void' ? '/api/void' : '/api/reprint', body);
    $('sup-pin').value = '';
    if (!r.ok) {
      if (r.body.supervisor) $('sup-card').hidden = false;
      say('fix-msg', errText(r));
      updateFix();
      return reveal('fix-msg');  // a wrong supervisor PIN is said below the fold at 1024×768
    }
    const codes = r.body.serials.join(lang === 'zh' ? '、' : ', ');
    say('fix-msg', s.fix.mode === 'void' ? t('done_void', { n: r.body.voided, sup: r.body.supervisor })
      : t('done_reprint', { n: r.body.reprinted, codes }), true);
    s.fix.codes = [];
    s.fix.journal = null;
    $('sup-user').value = '';
    $('reason-field').value = '';
    markReason();
    showCodes();
    uncertainSeen = '';
    loadUncertain();
    if (s.fix.job) openJobCodes(s.fix.job.job.id);
  }

  // History.
  let historySearch = 0;  // a slower earlier answer never overwrites a later search's
  async function searchHistory() {
    const mine = ++historySearch;
    const q = new URLSearchParams();
    [['lot', 'h-lot'], ['serial', 'h-serial'], ['operator', 'h-operator']].forEach(([k, id]) => {
      const v = $(id).value.trim();
      if (v) q.set(k, v);
    });
    const day = $('h-date').value.trim();
    if (day) {
      const iso = parseDay(day);
      if (!iso) {
        $('h-jobs').querySelector('tbody').replaceChildren();
        return say('h-msg', t('h_date_bad', { v: day.slice(0, 20) }));
      }
      q.set('date', iso);
      $('h-date').value = dayText(iso);
    }
    say('h-msg', t('loading'), true);
    const r = await api('/api/history?' + q.toString());
    if (mine !== historySearch) return;
    const body = $('h-jobs').querySelector('tbody');
    body.replaceChildren();
    if (!r.ok) return say('h-msg', errText(r));
    say('h-msg', r.body.length ? t('h_found', { n: r.body.length }) : t('h_none'), r.body.length > 0);
    r.body.forEach((j) => {
      const tr = el('tr');
      tr.dataset.job = String(j.id);
      tr.append(el('td', String(j.id)), el('td', chinaTimeText(j.created_ms)), el('td', j.lot), el('td', String(j.count)),
        el('td', j.account), el('td', t(j.state), 'state-' + j.state));
      const act = el('td', undefined, 'acts');
      act.append(button(t('preview_btn'), () => openPreview(j.lot, t('pm_job', { id: j.id, n: j.count, op: j.account })), 'act-preview'));
      if (j.entry !== null) act.append(button(t('fix_job'), () => openJobCodes(j.id), 'act-fix'));
      tr.append(act);
      body.append(tr);
    });
  }
  function openPreview(lot, what) {
    $('pm-title').textContent = what + ' · ' + t('lot_is') + t('colon') + lot;
    say('pm-msg', '');
    const url = '/api/preview.png?lot=' + encodeURIComponent(lot);
    $('pm-img').hidden = false;
    $('pm-img').onerror = async () => {
      const r = await api(url);
      $('pm-img').hidden = true;
      say('pm-msg', errText(r));
    };
    $('pm-img').src = url;
    $('pm-img').alt = lot;
    $('pm-open').onclick = () => { $('preview-modal').hidden = true; showTab('print'); findLot(lot); };
    $('preview-modal').hidden = false;
  }

  // End of shift.
  // The shift's day (2026-12-07, Beijing time): today unless the operator stepped to another.
  let shiftDay = '';
  function stepShift(days) {
    const base = shiftDay || chinaTime(Date.now()).slice(0, 10);
    shiftDay = new Date(Date.parse(base + 'T00:00:00Z') + days * 86400e3).toISOString().slice(0, 10);
    loadShift();
  }
  async function loadShift() {
    const date = shiftDay;
    const r = await api('/api/shift' + (date ? '?date=' + encodeURIComponent(date) : ''));
    const ops = $('shift-ops').querySelector('tbody'), lots = $('shift-lots').querySelector('tbody');
    ops.replaceChildren();
    lots.replaceChildren();
    if (!r.ok) return say('shift-msg', errText(r));
    shiftDay = r.body.date;
    $('shift-day').textContent = t('shift_day', { date: dayText(r.body.date) });
    say('shift-msg', r.body.operators.length ? t('shift_for', { e: r.body.enterprise_name || r.body.enterprise })
      : t('shift_none'), r.body.operators.length > 0);
    r.body.operators.forEach((o) => {
      const tr = el('tr');
      tr.dataset.account = o.account;
      tr.append(el('td', o.account || t('cli_account')), el('td', t('n_jobs', { n: o.jobs })), el('td', t('n_labels', { n: o.labels })),
        el('td', t('n_labels', { n: o.reprints })), el('td', t('n_labels', { n: o.voids })),
        el('td', t('n_certs', { n: o.certificates })));
      ops.append(tr);
    });
    r.body.lots.forEach((l) => {
      const tr = el('tr');
      tr.dataset.lot = l.lot;
      const product = el('td', undefined, 'product');  // the name operators know, its code small beneath
      product.append(el('span', l.product_name || l.product, 'data'));
      if (l.product_name) product.append(el('small', l.product));
      const lot = el('td', l.lot);
      if (l.blocked) {  // recalled since: marked, with what to do
        tr.classList.add('blocked');
        tr.dataset.blocked = l.blocked.code;
        lot.append(el('span', zhOnly(l.blocked.label), 'tag'));
        tr.title = zhOnly(l.blocked.reason);
      }
      tr.append(lot, product, el('td', t('n_labels', { n: l.labelled_today })),
        el('td', l.live_codes + ' / ' + l.packed_units + ' ' + unitOf(l)),
        el('td', Math.max(0, l.packed_units - l.live_codes) + ' ' + unitOf(l)));
      lots.append(tr);
      if (l.blocked) {
        const why = el('tr', undefined, 'job-msg blocked');
        const td = el('td', zhOnly(l.blocked.reason), 'state-failed');
        td.colSpan = 5;
        why.append(td);
        lots.append(why);
      }
    });
  }

  function wire() {
    document.querySelectorAll('.keypad .key').forEach((k) => {
      k.addEventListener('click', () => {
        const pin = $(k.parentElement.dataset.for);
        if (k.dataset.k === 'clear') pin.value = '';
        else if (k.dataset.k === 'back') pin.value = pin.value.slice(0, -1);
        else if (pin.value.length < 12) pin.value += k.textContent;
      });
    });
    document.querySelectorAll('#tabs button').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
    $('uncertain-go').addEventListener('click', () => showTab('fix'));
    document.querySelectorAll('.seg button').forEach((b) => b.addEventListener('click', () => setMode(b.dataset.mode)));
    $('code-add').addEventListener('click', () => { addCode($('code-field').value); $('code-field').value = ''; });
    $('code-field').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { addCode($('code-field').value); $('code-field').value = ''; }
    });
    $('job-all').addEventListener('click', () => {
      if (!s.fix.job) return;
      s.fix.job.codes.filter((c) => !c.voided).forEach((c) => {
        if (!s.fix.codes.some((x) => shortCode(x) === c.serial)) s.fix.codes.push(c.serial);
      });
      s.fix.journal = null;
      showCodes();
    });
    $('reason-field').addEventListener('input', () => { markReason(); updateFix(); });
    ['sup-user', 'sup-pin'].forEach((id) => $(id).addEventListener('input', () => say('fix-msg', '')));
    document.querySelectorAll('#sup-keypad .key').forEach((k) => k.addEventListener('click', () => say('fix-msg', '')));
    $('fix-btn').addEventListener('click', submitFix);
    $('h-search').addEventListener('click', searchHistory);
    ['h-lot', 'h-serial', 'h-operator', 'h-date'].forEach((id) => $(id).addEventListener('keydown', (e) => { if (e.key === 'Enter') searchHistory(); }));
    $('h-clear').addEventListener('click', () => {
      ['h-lot', 'h-serial', 'h-operator', 'h-date'].forEach((id) => { $(id).value = ''; });
      searchHistory();
    });
    $('shift-prev').addEventListener('click', () => stepShift(-1));
    $('shift-next').addEventListener('click', () => stepShift(1));
    $('shift-today').addEventListener('click', () => { shiftDay = ''; loadShift(); });
    $('pm-close').addEventListener('click', () => { $('preview-modal').hidden = true; });
    $('signin-btn').addEventListener('click', signin);
    $('pin').addEventListener('keydown', (e) => { if (e.key === 'Enter') signin(); });
    $('signout').addEventListener('click', async () => { await api('/api/signout', {}); signedOut(); });
    $('lang').addEventListener('click', () => {
      lang = lang === 'zh' ? 'en' : 'zh';
      localStorage.setItem('agtrace-station-lang', lang);
      applyLang();
      updatePrint();
      if (s.me) {  // every list drawn so far, again in the new language
        setMode(s.fix.mode); showCodes(); uncertainSeen = ''; refresh();
        if (s.product) pickProduct(s.product);
        if (s.lot) showLot();
        if (s.fix.job) loadJobCodes(s.fix.job.job.id);
        if (s.tab === 'history' && $('h-jobs').querySelector('tbody tr')) searchHistory();
        if (s.tab === 'shift') loadShift();
      }
    });
    $('lot-find').addEventListener('click', () => findLot($('lot-field').value));
    $('lot-field').addEventListener('keydown', (e) => { if (e.key === 'Enter') findLot($('lot-field').value); });
    $('qty-minus').addEventListener('click', () => setQty(qty() - 1));
    $('qty-plus').addEventListener('click', () => setQty(qty() + 1));
    $('qty').addEventListener('input', updatePrint);
    document.querySelectorAll('.preset').forEach((b) => b.addEventListener('click', () => setQty(parseInt(b.textContent, 10))));
    $('print-btn').addEventListener('click', print);
    $('tag-btn').addEventListener('click', printLotTag);
  }

  document.addEventListener('DOMContentLoaded', async () => {
    wire();
    applyLang();
    const r = await api('/api/me');
    if (r.ok) signedIn(r.body);
  });
})();
