// agtrace-station: the 承诺达标合格证 screen (docs/station.md "合格证"). The lot's evidence (each
// inspection by its report number, tester, day and result), the bases it supports (unsupported
// ones disabled with the reason), issue, print on a printer holding the certificate's labels
// (the last one used, or the only ready one, chosen) or as PDF, void with a preset reason and a
// supervisor's PIN on the keypad. Every grey button says why beside it; every quantity reads as
// the certificate prints it ("2000 箱（共 10000 公斤）"). Every value from the server is written with
// textContent; every POST carries the session's CSRF token. app.js announces sign-in and
// sign-out (station:signedin / station:signedout); the tab button is in #tabs.
'use strict';
(function () {
  const T = {
    zh: {
      tab_cert: '合格证', lot: '批次', find: '查找', lot_placeholder: '输入批次号，或扫描标签/批次牌', evidence: '证据',
      inspections: '检测记录', inputs: '用药记录（安全间隔期）', issued: '已开具的合格证', date: '日期', tested_by: '检测方',
      result: '结果', report: '报告编号', applied: '施用日期', input: '投入品', phi: '间隔期', safe: '到期日', number: '编号 / 批次',
      quantity: '数量', status: '状态', bases: '开具依据', qty_kg: '数量（公斤）', shipment: '发货（一车一证，可不选）',
      issue: '开具合格证', print_cert: '打印合格证', pdf: 'PDF', void_reason: '作废原因', clear: '清除',
      void_reason_placeholder: '点上面的原因，或在这里写原因',
      void_sup: '作废合格证要主管本人在这里输入主管账号和 PIN。', sup_user: '主管账号', sup_pin: '主管 PIN',
      void_cert: '作废这张合格证', by_self: '本企业自检', by_lab: '检测机构', by_other: '其他', pass: '合格', fail: '不合格',
      days: '{n} 天', running: '（未到期）', none: '无', stock: '还没有合格证的数量：{left} · 本批次共 {made}',
      evidence_line: '报告 {no} · {who} · {date} · {result}', no_report: '（无报告编号）',
      lot_line: '批次 {lot} · 产品 {p} · 产地 {o}', print_for: '打印合格证 {n}', prints_as: '合格证上印：{q}',
      void_for: '作废合格证 {n}', act_print: '打印', act_void: '作废', need_basis: '请至少勾选一项开具依据',
      issued_ok: '已开具合格证 {n}，请选打印机打印，或下载 PDF', printed_ok: '合格证 {n} 已发送到打印机 {p}',
      need_reason: '请点一个作废原因，或写下原因', need_sup: '请主管输入主管账号和 PIN',
      voided_ok: '合格证 {n} 已作废（主管 {s} 批准）', no_ship: '不选（不随车）', more_than: '最多 {kg} 公斤',
      why_lot: '还不能开具：请先输入或扫描批次', why_basis: '还不能开具：请在上面至少勾选一项开具依据',
      why_qty: '还不能开具：请填数量（公斤），如 500', why_qty_nan: '数量请只填公斤数，如 500 或 12.5，不能是“{v}”',
      why_qty_zero: '数量须大于 0 公斤', why_qty_over: '数量超过还没有合格证的数量：最多 {kg} 公斤',
      why_printer_none: '请在上面选一台打印机', why_printer_fit: '没有装 {size} 合格证纸的打印机，请装纸后刷新，或下载 PDF',
      why_printer: '打印机没有就绪：{text}', why_reason: '请点一个作废原因，或写下原因', why_sup: '请主管输入主管账号和 PIN（用下面的数字键）',
      not_fit: '装的是 {label} 标签，合格证要 {size}', why_blocked: '不能开具：{why}',
      reasons: ['数量写错，重开', '批次选错', '开具依据选错', '这批货不发了', '合格证信息有误'],
    },
    en: {
      tab_cert: 'Certificates', lot: 'Lot', find: 'Find', lot_placeholder: 'Type a lot id, or scan a label or lot tag',
      evidence: 'Evidence', inspections: 'Inspections', inputs: 'Pesticides (pre-harvest intervals)',
      issued: 'Certificates issued', date: 'Date', tested_by: 'Tested by', result: 'Result', report: 'Report',
      applied: 'Applied', input: 'Input', phi: 'Interval', safe: 'Safe from', number: 'Number / lot', quantity: 'Quantity',
      status: 'Status', bases: 'Bases', qty_kg: 'Quantity (kg)', shipment: 'Shipment (one per vehicle, optional)',
      issue: 'Issue certificate', print_cert: 'Print certificate', pdf: 'PDF', void_reason: 'Reason for the void', clear: 'Clear',
      void_reason_placeholder: 'Tap a reason above, or write one here',
      void_sup: 'A void needs the supervisor to type their own account and PIN here.', sup_user: 'Supervisor account',
      sup_pin: 'Supervisor PIN', void_cert: 'Void this certificate', by_self: 'own test', by_lab: 'laboratory',
      by_other: 'other', pass: 'pass', fail: 'fail', days: '{n} days', running: ' (running)', none: 'none',
      stock: 'Not yet certified: {left} · lot: {made}',
      evidence_line: 'Report {no} · {who} · {date} · {result}', no_report: '(no report number)',
      lot_line: 'Lot {lot} · product {p} · origin {o}', print_for: 'Print certificate {n}', prints_as: 'Printed on the certificate: {q}',
      void_for: 'Void certificate {n}', act_print: 'Print', act_void: 'Void', need_basis: 'Tick at least one basis',
      issued_ok: 'Certificate {n} issued: pick a printer, or download the PDF', printed_ok: 'Certificate {n} sent to {p}',
      need_reason: 'Tap a reason, or write one', need_sup: 'The supervisor types their account and PIN',
      voided_ok: 'Certificate {n} voided (approved by {s})', no_ship: 'None', more_than: 'at most {kg} kg',
      why_blocked: 'Cannot issue: {why}', why_lot: 'Cannot issue yet: type or scan a lot', why_basis: 'Cannot issue yet: tick at least one basis above',
      why_qty: 'Cannot issue yet: type the quantity in kg, e.g. 500', why_qty_nan: 'Type the quantity in kg, e.g. 500 or 12.5, not "{v}"',
      why_qty_zero: 'The quantity must be more than 0 kg', why_qty_over: 'More than is not yet certified: at most {kg} kg',
      why_printer_none: 'Pick a printer above', why_printer_fit: 'No printer holds {size} certificate labels: load them and refresh, or download the PDF',
      why_printer: 'The printer is not ready: {text}', why_reason: 'Tap a reason, or write one', why_sup: 'The supervisor types their account and PIN (keypad below)',
      not_fit: 'holds {label} labels; the certificate is {size}',
      reasons: ['Quantity wrong, issue again', 'Wrong lot', 'Wrong bases', 'Goods not shipped', 'Wrong details'],
    },
  };
  const { $, lang, zhOnly, el, say, reveal, button } = window.StationKit;
  const t = window.StationKit.translator(T);
  const api = (path, body, poll) => window.StationKit.api(path, body, c.me, poll);
  const c = { me: null, offer: null, bases: new Set(), shipment: '', number: null, printer: null, printers: [], timer: null };
  const PRINTER_KEY = 'agtrace-station-cert-printer';

  function applyLang() {
    document.querySelectorAll('#cert [data-x], #tabs [data-x="tab_cert"]').forEach((e) => { e.textContent = t(e.dataset.x); });
    document.querySelectorAll('#cert [data-xp]').forEach((e) => { e.placeholder = t(e.dataset.xp); });
    showReasons();
    if (c.offer) showOffer();
    if (c.number && !$('cert-print-card').hidden) showPrinters();
    update();
  }

  function row(tbody, cells) {
    const tr = el('tr');
    cells.forEach((x) => tr.append(x instanceof Node ? x : el('td', x)));
    tbody.append(tr);
    return tr;
  }

  async function findLot(q) {
    q = q.trim();
    if (!q) return;
    say('cert-lot-msg', '');
    const r = await api('/api/cert/offer?q=' + encodeURIComponent(q));
    if (!r.ok) {
      c.offer = null;
      ['cert-evidence', 'cert-form', 'cert-issued', 'cert-lot-line'].forEach((id) => { $(id).hidden = true; });
      say('cert-blocked', '');
      update();
      return say('cert-lot-msg', zhOnly(r.body.error || r.status));
    }
    c.offer = r.body;
    $('cert-lot-field').value = r.body.lot;
    c.bases = new Set(r.body.bases.filter((b) => b.supported).map((b) => b.basis));
    c.shipment = '';
    showOffer();
  }

  // An inspection as the operator knows it: report number, who tested, the day and the result.
  function evidenceText(i) {
    return t('evidence_line', { no: i.report_no || t('no_report'), who: (i.party_name || i.party) + '（' + t('by_' + i.by) + '）',
      date: i.date, result: t(i.result) });
  }

  function showOffer() {
    const o = c.offer;
    ['cert-evidence', 'cert-form', 'cert-issued', 'cert-lot-line'].forEach((id) => { $(id).hidden = false; });
    $('cert-lot-line').textContent = t('lot_line', { lot: o.lot, p: o.product_name || o.product, o: o.origin_name || o.origin || '—' });
    say('cert-blocked', zhOnly(o.blocked || (o.origin ? '' : o.origin_problem)));
    const ins = $('cert-inspections').tBodies[0];
    ins.replaceChildren();
    o.inspections.forEach((i) => row(ins, [i.report_no || t('no_report'), (i.party_name || i.party) + '（' + t('by_' + i.by) + '）',
      i.date, t(i.result), i.lot]));
    if (!o.inspections.length) row(ins, [t('none'), '', '', '', '']);
    const inp = $('cert-inputs').tBodies[0];
    inp.replaceChildren();
    o.inputs.forEach((i) => {
      const tr = row(inp, [i.application_date, i.input_name || i.event_id, t('days', { n: i.pre_harvest_interval_days }),
        i.safe_date + (i.running ? t('running') : ''), i.lot]);
      if (i.running) tr.classList.add('cert-bad');
    });
    if (!o.inputs.length) row(inp, [t('none'), '', '', '', '']);
    const list = $('cert-list').tBodies[0];
    list.replaceChildren();
    o.certificates.forEach((x) => {
      const acts = el('td', undefined, 'acts');
      if (x.status === 'valid' && !x.received && x.issuer === c.me.enterprise && x.lot === o.lot) {
        acts.append(button(t('act_print'), () => pickCertificate(x.number)));
        acts.append(button(t('act_void'), () => startVoid(x.number), 'act-void'));
      }
      const id = el('td', x.number, 'number');
      id.append(el('small', x.lot));
      const tr = row(list, [id, x.quantity_text, zhOnly(x.status_text) + (x.reason ? '：' + x.reason : ''), acts]);
      tr.dataset.number = x.number;
      if (x.status !== 'valid') tr.classList.add('cert-bad');
    });
    if (!o.certificates.length) row(list, [t('none'), '', '', '']);
    const st = o.stock;
    $('cert-stock').textContent = st.known ? t('stock', { left: st.uncertified_text, made: st.made_text }) : '';
    const bases = $('cert-bases');
    bases.replaceChildren();
    o.bases.forEach((b) => {
      const box = el('label', undefined, 'basis' + (b.supported ? '' : ' off'));
      const cb = el('input');
      cb.type = 'checkbox';
      cb.id = 'basis-' + b.basis;
      cb.disabled = !b.supported;
      cb.checked = b.supported && c.bases.has(b.basis);
      cb.addEventListener('change', () => { if (cb.checked) c.bases.add(b.basis); else c.bases.delete(b.basis); update(); });
      box.append(cb, el('span', b.name));
      (b.evidence_detail || []).forEach((i) => box.append(el('small', evidenceText(i), 'evidence')));
      if (!b.supported) box.append(el('small', zhOnly(b.reason), 'why'));
      bases.append(box);
    });
    $('cert-qty').placeholder = st.uncertified_kg ? t('more_than', { kg: st.uncertified_kg }) : '';
    const ships = $('cert-shipments');
    ships.replaceChildren();
    const pick = (id) => { c.shipment = id; ships.querySelectorAll('button').forEach((b) => b.classList.toggle('selected', b.dataset.id === id)); };
    const none = button(t('no_ship'), () => pick(''));
    none.dataset.id = '';
    ships.append(none);
    o.shipments.forEach((x) => {
      const b = button(x.event_id, () => pick(x.event_id));
      b.dataset.id = x.event_id;
      b.append(el('small', x.time.slice(0, 10) + ' → ' + (x.to_party_name || x.to_party)));
      ships.append(b);
    });
    pick(c.shipment);
    update();
  }

  // Why Issue is grey (the first thing missing), or '' when it can be pressed.
  function issueBlocked() {
    const o = c.offer;
    if (window.StationLedger) return window.StationLedger;  // fail closed (app.js setLedger)
    if (!o) return t('why_lot');
    if (o.blocked) return t('why_blocked', { why: zhOnly(o.blocked) });
    if (!o.origin) return t('why_blocked', { why: zhOnly(o.origin_problem) });
    if (c.bases.size === 0) return t('why_basis');
    const v = $('cert-qty').value.trim();
    if (!v) return t('why_qty');
    if (!/^[0-9]+(\.[0-9]{1,6})?$/.test(v)) return t('why_qty_nan', { v });
    if (Number(v) <= 0) return t('why_qty_zero');
    if (o.stock.uncertified_kg !== '' && Number(v) > Number(o.stock.uncertified_kg)) return t('why_qty_over', { kg: o.stock.uncertified_kg });
    return '';
  }

  function update() {
    const why = issueBlocked();
    $('cert-issue-btn').disabled = !!why;
    // Every grey button says why beside it (issue 15, third trial: a lot that cannot be
    // certified showed a grey 开具 with its reason only far above the form).
    $('cert-issue-why').textContent = why;
    const v = $('cert-qty').value.trim();
    if (c.offer && c.offer.stock.known && !why && v) $('cert-issue-why').textContent = t('prints_as', { q: Number(v) + ' 公斤' });
    $('cert-issue-why').classList.toggle('ok', !why);
    updatePrint();
    updateVoid();
  }

  async function issue() {
    if (issueBlocked()) return update();
    const quantity = $('cert-qty').value.trim();
    $('cert-issue-btn').disabled = true;
    const body = { lot: c.offer.lot, quantity, bases: [...c.bases] };
    if (c.shipment) body.shipment = c.shipment;
    const r = await api('/api/cert/issue', body);
    if (!r.ok) { update(); return say('cert-msg', zhOnly(r.body.error || r.status)); }
    $('cert-qty').value = '';
    say('cert-msg', t('issued_ok', { n: r.body.number }), true);
    await findLot(c.offer.lot);
    pickCertificate(r.body.number);
  }

  // The printers: those that hold the certificate's labels, ready first; the operator's last
  // one (or the only one that can print) chosen, as the print screen does.
  async function loadPrinters(poll) {
    const r = await api('/api/printers', undefined, poll);
    c.printers = r.ok ? r.body : [];
    const fits = (p) => !c.offer || c.offer.certificate_printers.includes(p.name);
    const usable = c.printers.filter((p) => fits(p) && p.ready);
    const chosen = c.printers.find((p) => p.name === c.printer);
    if (!chosen || !fits(chosen) || !chosen.ready) {
      const last = usable.find((p) => p.name === localStorage.getItem(PRINTER_KEY));
      c.printer = last ? last.name : usable.length === 1 ? usable[0].name : (chosen && fits(chosen) ? chosen.name : null);
    }
    showPrinters();
  }

  function showPrinters() {
    const list = $('cert-printers');
    list.replaceChildren();
    const size = c.offer ? c.offer.certificate_size : '';
    c.printers.forEach((p) => {
      const fits = !c.offer || c.offer.certificate_printers.includes(p.name);
      const b = button(p.name, () => { c.printer = p.name; localStorage.setItem(PRINTER_KEY, p.name); showPrinters(); });
      b.dataset.printer = p.name;
      b.append(el('small', fits ? p.label + ' · ' + zhOnly(p.text) : t('not_fit', { label: p.label, size })));
      b.disabled = !fits || !p.ready;
      b.classList.toggle('selected', p.name === c.printer);
      list.append(b);
    });
    updatePrint();
  }

  function printBlocked() {
    if (window.StationLedger) return window.StationLedger;
    const size = c.offer ? c.offer.certificate_size : '';
    if (c.offer && !c.offer.certificate_printers.length) return t('why_printer_fit', { size });
    const p = c.printers.find((x) => x.name === c.printer);
    if (!p) return t('why_printer_none');
    if (!p.ready) return t('why_printer', { text: zhOnly(p.text) });
    return '';
  }

  function updatePrint() {
    if (!c.number) return;
    const why = printBlocked();
    $('cert-print-btn').disabled = !!why;
    $('cert-print-why').textContent = why;
  }

  async function pickCertificate(number) {
    c.number = number;
    $('cert-void-card').hidden = true;
    $('cert-print-card').hidden = false;
    $('cert-print-title').textContent = t('print_for', { n: number });
    $('cert-pdf').hidden = !c.me.certificate_pdf;
    $('cert-pdf').href = '/api/certificate.pdf?number=' + encodeURIComponent(number);
    say('cert-print-msg', '');
    await loadPrinters();
    clearInterval(c.timer);
    c.timer = setInterval(() => { if (!$('cert').hidden && !$('cert-print-card').hidden) loadPrinters(true); }, 3000);
    $('cert-print-card').scrollIntoView({ block: 'nearest' });
  }

  async function print() {
    if (printBlocked()) return updatePrint();
    $('cert-print-btn').disabled = true;
    const r = await api('/api/cert/print', { number: c.number, printer: c.printer });
    updatePrint();
    if (!r.ok) return say('cert-print-msg', zhOnly(r.body.error || r.status));
    say('cert-print-msg', t('printed_ok', { n: c.number, p: r.body.printer }), true);
  }

  // The preset reasons, recorded in Chinese whatever the screen's language (as the print screen's).
  function showReasons() {
    const list = $('cert-void-reasons');
    list.replaceChildren();
    T.zh.reasons.forEach((zh, i) => {
      const b = button(T[lang()].reasons[i], () => { $('cert-void-reason').value = zh; markReason(); updateVoid(); });
      b.dataset.reason = zh;
      list.append(b);
    });
    markReason();
  }
  function markReason() {
    const v = $('cert-void-reason').value.trim();
    $('cert-void-reasons').querySelectorAll('button').forEach((b) => b.classList.toggle('selected', b.dataset.reason === v));
  }

  function voidBlocked() {
    if (window.StationLedger) return window.StationLedger;
    if (!$('cert-void-reason').value.trim()) return t('why_reason');
    if (!$('cert-sup-user').value.trim() || !$('cert-sup-pin').value) return t('why_sup');
    return '';
  }
  function updateVoid() {
    if ($('cert-void-card').hidden) return;
    const why = voidBlocked();
    $('cert-void-btn').disabled = !!why;
    $('cert-void-why').textContent = why;
  }

  function startVoid(number) {
    c.number = number;
    $('cert-print-card').hidden = true;
    $('cert-void-card').hidden = false;
    $('cert-void-card').classList.remove('done');
    $('cert-void-title').textContent = t('void_for', { n: number });
    ['cert-void-reason', 'cert-sup-user', 'cert-sup-pin'].forEach((id) => { $(id).value = ''; });
    markReason();
    say('cert-void-msg', '');
    updateVoid();
    $('cert-void-card').scrollIntoView({ block: 'nearest' });
  }

  async function voidIt() {
    const why = voidBlocked();
    if (why) return updateVoid();
    const reason = $('cert-void-reason').value.trim();
    const supervisor = $('cert-sup-user').value.trim(), pin = $('cert-sup-pin').value;
    $('cert-void-btn').disabled = true;
    const r = await api('/api/cert/void', { number: c.number, reason, supervisor, supervisor_pin: pin });
    $('cert-sup-pin').value = '';
    updateVoid();
    if (!r.ok) { say('cert-void-msg', zhOnly(r.body.error || r.status)); return reveal('cert-void-msg'); }
    const msg = t('voided_ok', { n: c.number, s: r.body.supervisor });
    await findLot(c.offer.lot);
    // Done: only the title and the result stay; no supervisor prompt for a void that is over.
    $('cert-void-card').hidden = false;
    $('cert-void-card').classList.add('done');
    say('cert-void-msg', msg, true);
  }

  function show(on) {
    $('cert').hidden = !on;
    if (on && c.offer) findLot(c.offer.lot);
    if (on) update();
  }

  document.addEventListener('station:signedin', (e) => {
    c.me = e.detail;
    const tab = document.querySelector('#tabs [data-tab="cert"]');
    tab.hidden = c.me.role === 'clerk';
    show(false);
  });
  document.addEventListener('station:signedout', () => {
    c.me = null;
    c.offer = null;
    c.number = null;
    clearInterval(c.timer);
    show(false);
    ['cert-evidence', 'cert-form', 'cert-issued', 'cert-print-card', 'cert-void-card', 'cert-lot-line'].forEach((id) => { $(id).hidden = true; });
    say('cert-blocked', '');
    $('cert-sup-pin').value = '';
  });
  document.addEventListener('station:ledger', () => { update(); updateVoid(); });
  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('#tabs button').forEach((b) => b.addEventListener('click', () => show(b.dataset.tab === 'cert')));
    $('lang').addEventListener('click', applyLang);
    $('cert-lot-find').addEventListener('click', () => findLot($('cert-lot-field').value));
    $('cert-lot-field').addEventListener('keydown', (e) => { if (e.key === 'Enter') findLot($('cert-lot-field').value); });
    $('cert-qty').addEventListener('input', () => { say('cert-msg', ''); update(); });
    $('cert-issue-btn').addEventListener('click', issue);
    $('cert-print-btn').addEventListener('click', print);
    $('cert-void-btn').addEventListener('click', voidIt);
    $('cert-void-reason').addEventListener('input', () => { markReason(); updateVoid(); });
    ['cert-sup-user', 'cert-sup-pin'].forEach((id) => $(id).addEventListener('input', updateVoid));
    document.querySelectorAll('#cert-sup-keypad .key').forEach((k) => k.addEventListener('click', () => setTimeout(updateVoid, 0)));
    applyLang();
  });
})();
