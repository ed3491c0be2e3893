// agtrace-station touch UI. Every value from the server is written with textContent (never
// as HTML); every state-changing request carries the session's CSRF token.
'use strict';
(function () {
  const T = {
    zh: {
      title: '标签打印工作站', signin_title: '请登录', user: '账号', clear: '清除', signin: '登录', signout: '退出',
      product: '产品', lot: '批次', find: '查找', lot_placeholder: '输入批次号，或扫描标签/批次牌', preview: '预览',
      lot_is: '批次', packed: '包装件数', labelled: '已有追溯码', unlabelled: '未贴标', no_preview: '选好批次后显示标签样张',
      quantity: '数量', printer: '打印机', print: '打印', jobs: '最近的打印任务', job_no: '任务', operator: '操作员',
      state: '状态', yes_print: '确认打印', cancel: '取消', cancel_job: '取消任务', lang: 'English',
      queued: '排队中', sending: '发送中', printed: '已打印', failed: '失败', cancelled: '已取消',
      need_user: '请输入账号', need_pin: '请输入 PIN', pick_product: '请先选产品', pick_lot: '请先选批次',
      pick_printer: '请选打印机', no_lots: '这个产品没有本企业包装的批次', confirm_n: '要打印 {n} 张标签，确认吗？',
      queued_msg: '任务 {id} 已排队：{n} 张', units_left: '未贴标 {n}', qty_bad: '数量须为 1 到 {n}',
      loading: '正在加载…', left_max: '最多还能打 {n} 张',
    },
    en: {
      title: 'Label printing station', signin_title: 'Sign in', user: 'Account', clear: 'Clear', signin: 'Sign in',
      signout: 'Sign out', product: 'Product', lot: 'Lot', find: 'Find', lot_placeholder: 'Type a lot id, or scan a label or lot tag',
      preview: 'Preview', lot_is: 'Lot', packed: 'Packed units', labelled: 'Live codes', unlabelled: 'Not labelled',
      no_preview: 'Pick a lot to see its label', quantity: 'Quantity', printer: 'Printer', print: 'Print',
      jobs: 'Latest print jobs', job_no: 'Job', operator: 'Operator', state: 'State', yes_print: 'Print',
      cancel: 'Cancel', cancel_job: 'Cancel job', lang: '中文', queued: 'queued', sending: 'sending', printed: 'printed',
      failed: 'failed', cancelled: 'cancelled', need_user: 'Type your account', need_pin: 'Type your PIN',
      pick_product: 'Pick a product first', pick_lot: 'Pick a lot first', pick_printer: 'Pick a printer',
      no_lots: 'No lots of this product packed by your enterprise', confirm_n: 'Print {n} labels?',
      queued_msg: 'Job {id} queued: {n} labels', units_left: '{n} not labelled', qty_bad: 'Quantity: 1 to {n}',
      loading: 'Loading…', left_max: 'at most {n} more',
    },
  };
  let lang = localStorage.getItem('agtrace-station-lang') === 'en' ? 'en' : 'zh';
  const $ = (id) => document.getElementById(id);
  const t = (k, v) => (T[lang][k] || k).replace(/\{(\w+)\}/g, (_, n) => String(v && v[n] !== undefined ? v[n] : ''));
  const s = { me: null, product: null, lot: null, printer: null, printers: [], timer: null, previewOk: false };

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
  function applyLang() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    document.querySelectorAll('[data-tp]').forEach((e) => { e.placeholder = t(e.dataset.tp); });
    document.title = t('title');
    $('lang').textContent = t('lang');
  }

  async function api(path, body) {
    const opts = { credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      opts.method = 'POST';
      opts.headers['Content-Type'] = 'application/json';
      if (s.me) opts.headers['X-CSRF-Token'] = s.me.csrf;
      opts.body = JSON.stringify(body);
    }
    const r = await fetch(path, opts);
    let j = null;
    try { j = await r.json(); } catch (e) { j = {}; }
    if (r.status === 401 && path !== '/api/signin') { signedOut(); }
    return { status: r.status, ok: r.ok, body: j };
  }

  // Sign-in.
  function signedOut() {
    s.me = null;
    clearInterval(s.timer);
    $('print').hidden = true;
    $('signin').hidden = false;
    $('who').hidden = true;
    $('signout').hidden = true;
  }
  function signedIn(me) {
    s.me = me;
    $('signin').hidden = true;
    $('print').hidden = false;
    $('who').hidden = false;
    $('who').textContent = me.user + ' · ' + me.enterprise;
    $('signout').hidden = false;
    $('pin').value = '';
    loadProducts();
    refresh();
    clearInterval(s.timer);
    s.timer = setInterval(refresh, 2000);
  }
  async function signin() {
    const user = $('user').value.trim(), pin = $('pin').value;
    if (!user) return say('signin-msg', t('need_user'));
    if (!pin) return say('signin-msg', t('need_pin'));
    $('signin-btn').disabled = true;
    const r = await api('/api/signin', { user, pin });
    $('signin-btn').disabled = false;
    $('pin').value = '';
    if (!r.ok) return say('signin-msg', r.body.error || String(r.status));
    say('signin-msg', '');
    signedIn(r.body);
  }

  // Products and lots.
  async function loadProducts() {
    const r = await api('/api/products');
    const list = $('product-list');
    list.replaceChildren();
    if (!r.ok) return;
    r.body.forEach((p) => {
      const b = el('button');
      b.type = 'button';
      b.append(el('span', p.name || p.id), el('small', p.id));
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
    if (!r.ok) return say('lot-msg', r.body.error);
    say('lot-msg', r.body.length ? '' : t('no_lots'));
    r.body.forEach((l) => {
      const b = el('button');
      b.type = 'button';
      b.dataset.lot = l.lot;
      b.append(el('span', l.lot), el('small', t('units_left', { n: l.unlabelled }) + ' · ' + l.packed_time.slice(0, 10)));
      b.addEventListener('click', () => findLot(l.lot));
      list.append(b);
    });
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
      return say('lot-msg', r.body.error);
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
      $('info-packed').textContent = String(l.packed_units);
      $('info-live').textContent = String(l.live_codes);
      $('info-left').textContent = String(l.unlabelled);
      const url = '/api/preview.png?lot=' + encodeURIComponent(l.lot) + '&n=' + l.live_codes;
      $('preview-none').textContent = t('no_preview');
      $('preview-none').className = '';
      s.previewOk = true;
      $('preview-img').onerror = async () => {  // the label cannot be drawn: say why
        const r = await api(url);
        $('preview-img').hidden = true;
        $('preview-none').hidden = false;
        $('preview-none').textContent = (r.body && r.body.error) || String(r.status);
        $('preview-none').className = 'msg';
        s.previewOk = false;
        updatePrint();
      };
      $('preview-img').src = url;
      $('preview-img').alt = l.lot;
    } else {
      $('preview-img').removeAttribute('src');
    }
    updatePrint();
  }

  // Quantity.
  function qty() { return parseInt($('qty').value, 10); }
  function setQty(n) {
    const max = s.lot ? Math.max(1, s.lot.unlabelled) : (s.me ? s.me.max_labels : 1);
    $('qty').value = String(Math.min(Math.max(1, n || 1), max));
    updatePrint();
  }

  // Printers.
  function pickPrinter(name) {
    s.printer = name;
    mark('printer-list', 'printer', name);
    updatePrint();
  }
  function showPrinters(list) {
    s.printers = list;
    const box = $('printer-list');
    if (box.children.length !== list.length) {
      box.replaceChildren();
      list.forEach((p) => {
        const b = el('button');
        b.type = 'button';
        b.dataset.printer = p.name;
        b.append(el('span', p.name), el('small', p.language.toUpperCase() + ' · ' + p.dpi + ' dpi · ' + p.label));
        b.addEventListener('click', () => pickPrinter(p.name));
        box.append(b);
      });
      if (!s.printer && list.length) s.printer = list[0].name;
    }
    mark('printer-list', 'printer', s.printer);
    updatePrint();
  }
  function chosenPrinter() { return s.printers.find((p) => p.name === s.printer); }
  function updatePrint() {
    const p = chosenPrinter();
    const st = $('printer-status');
    st.textContent = p ? p.name + '：' + (lang === 'zh' ? p.text.split(' / ')[0] : (p.text.split(' / ')[1] || p.text)) : t('pick_printer');
    st.className = 'status ' + (p && p.ready ? 'ready' : 'bad');
    const n = qty();
    const okQty = n >= 1 && (!s.lot || n <= s.lot.unlabelled);
    $('print-btn').disabled = !(p && p.ready && s.lot && s.previewOk && okQty);
  }

  // Jobs.
  function showJobs(list) {
    const body = $('jobs').querySelector('tbody');
    body.replaceChildren();
    list.forEach((j) => {
      const tr = el('tr');
      tr.dataset.job = String(j.id);
      tr.append(el('td', String(j.id)), el('td', j.lot), el('td', String(j.count)), el('td', j.printer), el('td', j.account));
      const stTd = el('td', t(j.state), 'state-' + j.state);
      if (j.message) stTd.append(el('div', j.message, 'msg'));
      tr.append(stTd);
      const act = el('td');
      if (j.state === 'queued') {
        const b = el('button', t('cancel_job'));
        b.type = 'button';
        b.addEventListener('click', async () => {
          const r = await api('/api/jobs/cancel', { id: j.id });
          if (!r.ok) say('print-msg', r.body.error);
          refresh();
        });
        act.append(b);
      }
      tr.append(act);
      body.append(tr);
    });
  }
  let lastDone = null;
  async function refresh() {
    if (!s.me) return;
    const [p, j] = await Promise.all([api('/api/printers'), api('/api/jobs')]);
    if (p.ok) showPrinters(p.body);
    if (j.ok) {
      showJobs(j.body);
      const done = j.body.filter((x) => x.state === 'printed' || x.state === 'failed').map((x) => x.id).join(',');
      if (lastDone !== null && done !== lastDone && s.lot) findLot(s.lot.lot);  // counts changed
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
  async function print() {
    if (!s.lot) return say('print-msg', t('pick_lot'));
    const n = qty();
    if (!(n >= 1 && n <= s.lot.unlabelled)) return say('print-msg', t('left_max', { n: s.lot.unlabelled }));
    let confirmed = false;
    if (n > s.me.confirm_above) {
      if (!(await ask(t('confirm_n', { n })))) return;
      confirmed = true;
    }
    $('print-btn').disabled = true;
    const r = await api('/api/jobs', { lot: s.lot.lot, count: n, printer: s.printer, confirmed });
    if (!r.ok) say('print-msg', r.body.error);
    else say('print-msg', t('queued_msg', { id: r.body.id, n }), true);
    refresh();
  }

  function wire() {
    document.querySelectorAll('#keypad .key').forEach((k) => {
      k.addEventListener('click', () => {
        const pin = $('pin');
        if (k.id === 'key-clear') pin.value = '';
        else if (k.id === 'key-back') pin.value = pin.value.slice(0, -1);
        else if (pin.value.length < 12) pin.value += k.textContent;
      });
    });
    $('signin-btn').addEventListener('click', signin);
    $('pin').addEventListener('keydown', (e) => { if (e.key === 'Enter') signin(); });
    $('signout').addEventListener('click', async () => { await api('/api/signout', {}); signedOut(); });
    $('lang').addEventListener('click', () => {
      lang = lang === 'zh' ? 'en' : 'zh';
      localStorage.setItem('agtrace-station-lang', lang);
      applyLang();
      updatePrint();
      if (s.me) refresh();
    });
    $('lot-find').addEventListener('click', () => findLot($('lot-field').value));
    $('lot-field').addEventListener('keydown', (e) => { if (e.key === 'Enter') findLot($('lot-field').value); });
    $('qty-minus').addEventListener('click', () => setQty(qty() - 1));
    $('qty-plus').addEventListener('click', () => setQty(qty() + 1));
    $('qty').addEventListener('input', updatePrint);
    document.querySelectorAll('.preset').forEach((b) => b.addEventListener('click', () => setQty(parseInt(b.textContent, 10))));
    $('print-btn').addEventListener('click', print);
  }

  document.addEventListener('DOMContentLoaded', async () => {
    wire();
    applyLang();
    const r = await api('/api/me');
    if (r.ok) signedIn(r.body);
  });
})();
