// agtrace-station: the 承诺达标合格证 screen (docs/station.md "合格证"). The lot's evidence, the
// bases it supports (unsupported ones disabled with the reason), issue, print on a label printer
// or as PDF, void with a supervisor's PIN. Every value from the server is written with
// textContent; every POST carries the session's CSRF token. app.js announces sign-in and
// sign-out (station:signedin / station:signedout); the tab button is in #tabs.
'use strict';
(function () {
  const T = {
    zh: {
      tab_cert: '合格证', lot: '批次', find: '查找', lot_placeholder: '输入批次号，或扫描标签/批次牌', evidence: '证据',
      inspections: '检测记录', inputs: '用药记录（安全间隔期）', issued: '已开具的合格证', time: '时间', tested_by: '检测方',
      result: '结果', report: '报告编号', applied: '施用日期', input: '投入品', phi: '间隔期', safe: '到期日', number: '编号',
      quantity: '数量', status: '状态', bases: '开具依据', qty_kg: '数量（公斤）', shipment: '发货（一车一证，可不选）',
      issue: '开具合格证', print_cert: '打印合格证', pdf: 'PDF', void_reason: '作废原因',
      void_sup: '作废合格证要主管本人在这里输入主管账号和 PIN。', sup_user: '主管账号', sup_pin: '主管 PIN',
      void_cert: '作废这张合格证', by_self: '本企业自检', by_lab: '检测机构', by_other: '其他', pass: '合格', fail: '不合格',
      days: '{n} 天', running: '（未到期）', none: '无', stock: '还没有合格证的数量：{kg} 公斤（批次共 {made} {unit}）',
      stock_pieces: '还没有合格证的数量：{n} {unit}', lot_line: '产品 {p} · 产地 {o}', print_for: '打印合格证 {n}',
      void_for: '作废合格证 {n}', act_print: '打印', act_void: '作废', need_basis: '请至少勾选一项开具依据',
      need_qty: '请填数量（公斤）', issued_ok: '已开具合格证 {n}，请选打印机打印，或下载 PDF', printed_ok: '合格证 {n} 已发送到打印机 {p}',
      need_printer: '请选打印机', need_reason: '请写明作废原因', need_sup: '请主管输入主管账号和 PIN',
      voided_ok: '合格证 {n} 已作废（主管 {s} 批准）', no_ship: '不选（不随车）', more_than: '最多 {kg} 公斤',
    },
    en: {
      tab_cert: 'Certificates', lot: 'Lot', find: 'Find', lot_placeholder: 'Type a lot id, or scan a label or lot tag',
      evidence: 'Evidence', inspections: 'Inspections', inputs: 'Pesticides (pre-harvest intervals)',
      issued: 'Certificates issued', time: 'Time', tested_by: 'Tested by', result: 'Result', report: 'Report',
      applied: 'Applied', input: 'Input', phi: 'Interval', safe: 'Safe from', number: 'Number', quantity: 'Quantity',
      status: 'Status', bases: 'Bases', qty_kg: 'Quantity (kg)', shipment: 'Shipment (one per vehicle, optional)',
      issue: 'Issue certificate', print_cert: 'Print certificate', pdf: 'PDF', void_reason: 'Reason for the void',
      void_sup: 'A void needs the supervisor to type their own account and PIN here.', sup_user: 'Supervisor account',
      sup_pin: 'Supervisor PIN', void_cert: 'Void this certificate', by_self: 'own test', by_lab: 'laboratory',
      by_other: 'other', pass: 'pass', fail: 'fail', days: '{n} days', running: ' (running)', none: 'none',
      stock: 'Not yet certified: {kg} kg (of {made} {unit})', stock_pieces: 'Not yet certified: {n} {unit}',
      lot_line: 'Product {p} · origin {o}', print_for: 'Print certificate {n}', void_for: 'Void certificate {n}',
      act_print: 'Print', act_void: 'Void', need_basis: 'Tick at least one basis', need_qty: 'Type the quantity in kg',
      issued_ok: 'Certificate {n} issued: pick a printer, or download the PDF', printed_ok: 'Certificate {n} sent to {p}',
      need_printer: 'Pick a printer', need_reason: 'Say why it is voided', need_sup: 'The supervisor types their account and PIN',
      voided_ok: 'Certificate {n} voided (approved by {s})', no_ship: 'None', more_than: 'at most {kg} kg',
    },
  };
  const $ = (id) => document.getElementById(id);
  const lang = () => (localStorage.getItem('agtrace-station-lang') === 'en' ? 'en' : 'zh');
  const t = (k, v) => (T[lang()][k] || k).replace(/\{(\w+)\}/g, (_, n) => String(v && v[n] !== undefined ? v[n] : ''));
  const zhOnly = (text) => (lang() === 'zh' ? String(text).split(' / ')[0] : (String(text).split(' / ')[1] || text));
  const c = { me: null, offer: null, bases: new Set(), shipment: '', number: null, printer: null, pdf: false };

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function say(id, text, ok) {
    $(id).textContent = text || '';
    $(id).classList.toggle('ok', !!ok);
  }
  function button(text, onClick, cls) {
    const b = el('button', text, cls);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }
  async function api(path, body) {
    const opts = { credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      opts.method = 'POST';
      opts.headers['Content-Type'] = 'application/json';
      if (c.me) opts.headers['X-CSRF-Token'] = c.me.csrf;
      opts.body = JSON.stringify(body);
    }
    const r = await fetch(path, opts);
    let j = {};
    try { j = await r.json(); } catch (e) { j = {}; }
    return { status: r.status, ok: r.ok, body: j };
  }
  function applyLang() {
    document.querySelectorAll('#cert [data-x], #tabs [data-x="tab_cert"]').forEach((e) => { e.textContent = t(e.dataset.x); });
    document.querySelectorAll('#cert [data-xp]').forEach((e) => { e.placeholder = t(e.dataset.xp); });
    if (c.offer) showOffer();
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
      $('cert-evidence').hidden = true;
      $('cert-form').hidden = true;
      return say('cert-lot-msg', zhOnly(r.body.error || r.status));
    }
    c.offer = r.body;
    $('cert-lot-field').value = r.body.lot;
    c.bases = new Set(r.body.bases.filter((b) => b.supported).map((b) => b.basis));
    c.shipment = '';
    showOffer();
  }

  function showOffer() {
    const o = c.offer;
    $('cert-evidence').hidden = false;
    $('cert-form').hidden = false;
    $('cert-lot-line').textContent = o.lot + ' · ' + t('lot_line', { p: o.product_name || o.product, o: o.origin_name || o.origin || '—' });
    say('cert-blocked', zhOnly(o.blocked || (o.origin ? '' : o.origin_problem)));
    const ins = $('cert-inspections').tBodies[0];
    ins.replaceChildren();
    o.inspections.forEach((i) => row(ins, [i.time.slice(0, 16).replace('T', ' '), i.lot,
      (i.party_name || i.party) + '（' + t('by_' + i.by) + '）', t(i.result), i.report_no]));
    if (!o.inspections.length) row(ins, [t('none'), '', '', '', '']);
    const inp = $('cert-inputs').tBodies[0];
    inp.replaceChildren();
    o.inputs.forEach((i) => {
      const tr = row(inp, [i.application_date, i.lot, i.input_name || i.event_id, t('days', { n: i.pre_harvest_interval_days }),
        i.safe_date + (i.running ? t('running') : '')]);
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
      const tr = row(list, [x.number, x.lot, x.quantity + ' ' + x.unit, zhOnly(x.status_text) + (x.reason ? '：' + x.reason : ''), acts]);
      tr.dataset.number = x.number;
      if (x.status !== 'valid') tr.classList.add('cert-bad');
    });
    if (!o.certificates.length) row(list, [t('none'), '', '', '', '']);
    const st = o.stock;
    $('cert-stock').textContent = !st.known ? '' : st.uncertified_kg !== ''
      ? t('stock', { kg: st.uncertified_kg, made: st.made, unit: st.unit })
      : t('stock_pieces', { n: st.uncertified, unit: st.unit });
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
      if (b.evidence.length) box.append(el('small', b.evidence.join('、')));
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

  function update() {
    const o = c.offer;
    $('cert-issue-btn').disabled = !o || !!o.blocked || !o.origin || c.bases.size === 0 || !$('cert-qty').value.trim();
  }

  async function issue() {
    if (c.bases.size === 0) return say('cert-msg', t('need_basis'));
    const quantity = $('cert-qty').value.trim();
    if (!quantity) return say('cert-msg', t('need_qty'));
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

  async function pickCertificate(number) {
    c.number = number;
    $('cert-void-card').hidden = true;
    $('cert-print-card').hidden = false;
    $('cert-print-title').textContent = t('print_for', { n: number });
    $('cert-pdf').hidden = !c.me.certificate_pdf;
    $('cert-pdf').href = '/api/certificate.pdf?number=' + encodeURIComponent(number);
    say('cert-print-msg', '');
    const r = await api('/api/printers');
    const list = $('cert-printers');
    list.replaceChildren();
    (r.ok ? r.body : []).forEach((p) => {
      const b = button(p.name, () => { c.printer = p.name; mark(); });
      b.dataset.printer = p.name;
      b.append(el('small', p.label + ' · ' + zhOnly(p.text)));
      b.disabled = !p.ready;
      list.append(b);
    });
    const mark = () => {
      list.querySelectorAll('button').forEach((b) => b.classList.toggle('selected', b.dataset.printer === c.printer));
      $('cert-print-btn').disabled = !c.printer;
    };
    mark();
    $('cert-print-card').scrollIntoView({ block: 'nearest' });
  }

  async function print() {
    if (!c.printer) return say('cert-print-msg', t('need_printer'));
    $('cert-print-btn').disabled = true;
    const r = await api('/api/cert/print', { number: c.number, printer: c.printer });
    $('cert-print-btn').disabled = false;
    if (!r.ok) return say('cert-print-msg', zhOnly(r.body.error || r.status));
    say('cert-print-msg', t('printed_ok', { n: c.number, p: r.body.printer }), true);
  }

  function startVoid(number) {
    c.number = number;
    $('cert-print-card').hidden = true;
    $('cert-void-card').hidden = false;
    $('cert-void-title').textContent = t('void_for', { n: number });
    ['cert-void-reason', 'cert-sup-user', 'cert-sup-pin'].forEach((id) => { $(id).value = ''; });
    say('cert-void-msg', '');
    $('cert-void-card').scrollIntoView({ block: 'nearest' });
  }

  async function voidIt() {
    const reason = $('cert-void-reason').value.trim();
    if (!reason) return say('cert-void-msg', t('need_reason'));
    const supervisor = $('cert-sup-user').value.trim(), pin = $('cert-sup-pin').value;
    if (!supervisor || !pin) return say('cert-void-msg', t('need_sup'));
    $('cert-void-btn').disabled = true;
    const r = await api('/api/cert/void', { number: c.number, reason, supervisor, supervisor_pin: pin });
    $('cert-void-btn').disabled = false;
    $('cert-sup-pin').value = '';
    if (!r.ok) return say('cert-void-msg', zhOnly(r.body.error || r.status));
    const msg = t('voided_ok', { n: c.number, s: r.body.supervisor });
    await findLot(c.offer.lot);
    $('cert-void-card').hidden = false;
    say('cert-void-msg', msg, true);
  }

  function show(on) {
    $('cert').hidden = !on;
    if (on && c.offer) findLot(c.offer.lot);
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
    show(false);
    $('cert-evidence').hidden = true;
    $('cert-form').hidden = true;
    $('cert-print-card').hidden = true;
    $('cert-void-card').hidden = true;
  });
  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('#tabs button').forEach((b) => b.addEventListener('click', () => show(b.dataset.tab === 'cert')));
    $('lang').addEventListener('click', applyLang);
    $('cert-lot-find').addEventListener('click', () => findLot($('cert-lot-field').value));
    $('cert-lot-field').addEventListener('keydown', (e) => { if (e.key === 'Enter') findLot($('cert-lot-field').value); });
    $('cert-qty').addEventListener('input', update);
    $('cert-issue-btn').addEventListener('click', issue);
    $('cert-print-btn').addEventListener('click', print);
    $('cert-void-btn').addEventListener('click', voidIt);
    applyLang();
  });
})();
