// The station's browser test (issue 15, "What it must show"; ctest label station;browser):
// the real UI in Debian's chromium, driven by playwright-core (tests/oracles, pinned; the
// system browser, never a downloaded one), against agtrace-station serving a fresh fixture
// ledger, with a fake Zebra on loopback that answers ~HS like a real one and can be switched
// to paper-out. Sign in; five wrong PINs lock an account; pick a lot by typing a label's URL
// into the lot field as a scanner does; preview; print 12 labels — the printer receives 12;
// a product named <img src=x onerror=alert(1)> shows as text; paper-out disables Print and
// the status says 缺纸. The 12 labels' ZPL, drawn by an independent renderer (zpl-renderer-js)
// and read by zbar, carries 12 codes that a running agtrace-verifier answers as genuine.
// Screenshots at 1024×768 and 800×1280 go to $AGTRACE_ARTIFACTS.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require(path.join(process.env.AGTRACE_ORACLES, 'node_modules', 'playwright-core'));

const STATION = process.env.AGTRACE_STATION_BIN;
const VERIFIER = process.env.AGTRACE_VERIFIER_BIN;
const FIXTURE = process.env.AGTRACE_STATION_FIXTURE;
const ARTIFACTS = process.env.AGTRACE_ARTIFACTS;
fs.mkdirSync(ARTIFACTS, { recursive: true });

const { fakeZebra, startServer, latinWords, belowFold, oneLine, greyWithoutReason, barProblems, brokenNumbers } = require('./browser_support');

// Today and a moment in Beijing time as the screens write them: 2026年12月7日 (14:05).
function chinaDay(ms = Date.now()) {
  const d = new Date(ms + 8 * 3600e3);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}
const DAY_TIME = /^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d$/;

// The bounding boxes of `sels` (top and bottom, px from the top of the viewport).
function boxes(page, sels) {
  return page.evaluate((list) => Object.fromEntries(list.map((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return [sel, { top: Math.round(r.top), bottom: Math.round(r.bottom) }];
  })), sels);
}

// The job's ZPL as the printer received it, drawn by zpl-renderer-js and read by zbarimg:
// the QR payloads, in label order.
function decodeJob(zpl, name = 'job-12') {
  const dir = path.join(ARTIFACTS, name + '-labels');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  const file = path.join(ARTIFACTS, name + '.zpl');
  fs.writeFileSync(file, Buffer.from(zpl.split('~HS').join(''), 'latin1'));
  execFileSync('node', [path.join(process.env.AGTRACE_ORACLES, 'zpl_render.js'), file, '60', '40', '8', dir]);
  return fs.readdirSync(dir).sort().map((f) =>
    execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', path.join(dir, f)], { encoding: 'latin1' }).trim());
}

async function verifierAnswers(fx, urls) {
  const v = await startServer('verifier', [VERIFIER, 'serve', '--ledger', fx.ledger, '--log-pubkey', fx.log_pubkey,
    '--scans', path.join(fx.dir, 'scans.db'), '--listen', '127.0.0.1:0']);
  try {
    for (let i = 0; i < 100; i++) {
      const h = await fetch(v.url + '/healthz').catch(() => null);
      if (h && h.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const out = [];
    for (const u of urls) {
      const target = u.replace(/^https:\/\/trace\.lucheng\.example/, v.url);
      const r = await fetch(target, { headers: { Accept: 'application/json' } });
      out.push({ status: r.status, body: await r.json() });
    }
    return out;
  } finally {
    v.proc.kill('SIGTERM');
  }
}

function startStation(fx) {
  return startServer('station', [STATION, 'serve', '--ledger', fx.ledger, '--log-pubkey', fx.log_pubkey,
    '--config', fx.config, '--state', fx.state, '--listen', '127.0.0.1:0']);
}

// Visible text of the page (text nodes and placeholders) with a run of four or more English
// words: an English half left in Chinese mode. Codes, ids, URLs, units (ZPL · 203 dpi · 60×40
// mm), PIN, PDF and the English switch are allowed: none is four words in a row.
function englishLeftovers(page) {
  return page.evaluate(() => {
    const texts = [];
    const shown = (e) => e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    // (data as typed or named elsewhere — class "data", e.g. a command for the administrator — is not a sentence)
    for (let n; (n = w.nextNode());) if (n.textContent.trim() && shown(n.parentElement) && !n.parentElement.closest('.data')) texts.push(n.textContent);
    document.querySelectorAll('input[placeholder]').forEach((e) => { if (shown(e)) texts.push(e.placeholder); });
    return texts.filter((raw) => /[A-Za-z][A-Za-z']*(?:[ ,;:.()"-]+[A-Za-z][A-Za-z']*){3,}/.test(raw.replace(/https?:\/\/\S+/g, ' ')))
      .map((raw) => raw.trim().slice(0, 160));
  });
}
const leftovers = {};

// Screenshots; every one taken in Chinese mode is also searched for English leftovers.
async function shot(page, name) {
  const vp = page.viewportSize();
  const file = path.join(ARTIFACTS, `${name}-${vp.width}x${vp.height}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log('screenshot', file);
  if (await page.evaluate(() => document.documentElement.lang === 'zh-CN')) {
    const bad = [...await englishLeftovers(page), ...await latinWords(page)];
    if (bad.length) leftovers[`${name}-${vp.width}x${vp.height}`] = bad;
  }
}

const GREY = 'rgb(200, 207, 201)';  // a disabled button (app.css button:disabled)
const PRINT_SCREEN = ['#info-lot', '#info-left', '#preview-img', '#qty', '#qty-plus', '#printer-status', '#print-btn'];

// Touch targets under 48 px and text under 18 px in `section` (and the header, tabs and sign-in).
function touchProblems(page, section) {
  return page.evaluate((sel) => {
    const bad = [];
    document.querySelectorAll(`${sel} button, ${sel} input, header button, #tabs button`).forEach((e) => {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && (r.height < 48 || r.width < 48)) bad.push(e.id || e.textContent + ' ' + r.width + 'x' + r.height);
    });
    document.querySelectorAll(`${sel} *, #signin *, #tabs *`).forEach((e) => {
      if (e.children.length === 0 && e.textContent.trim() && e.getBoundingClientRect().width > 0 &&
          parseFloat(getComputedStyle(e).fontSize) < 18) bad.push('text ' + e.textContent.slice(0, 20));
    });
    return bad;
  }, section);
}

async function typePin(page, pin) {
  await page.click('#key-clear');
  for (const d of pin) await page.click(`#keypad .key:text-is("${d}")`);
}

async function signIn(page, user, pin) {
  await page.fill('#user', user);
  await typePin(page, pin);
  await page.click('#signin-btn');
}

async function main() {
  const zebra = await fakeZebra();
  // A third packed lot (no certificate yet), so that the lot list holds three.
  const fx = JSON.parse(execFileSync(FIXTURE, ['station-browser', String(zebra.port), '--uncertified=LC-ST-0003'],
    { encoding: 'utf8' }));
  for (const [id, pin, role] of [['op-07', '4829', 'operator'], ['op-09', '1357', 'operator'], ['sup-01', '7316', 'supervisor'],
    ['clerk-01', '2468', 'clerk']])
    execFileSync(STATION, ['user', 'add', '--state', fx.state, '--id', id, '--role', role, '--enterprise', 'COOP',
      '--config', fx.config], { input: pin + '\n' });
  const station = await startStation(fx);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const dialogs = [];
  try {
    // Landscape 1024×768: the whole flow.
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    const external = [];
    page.on('request', (r) => { if (!r.url().startsWith(station.url)) external.push(r.url()); });
    await page.goto(station.url + '/');
    await page.waitForSelector('#signin:not([hidden])');
    assert.strictEqual(await page.textContent('#signin h2'), '请登录');
    await shot(page, 'station-signin');

    // Five wrong PINs lock op-09; then even the right PIN is refused.
    for (let i = 1; i <= 5; i++) {
      await signIn(page, 'op-09', '0000');
      await page.waitForFunction(() => document.querySelector('#signin-msg').textContent !== '');
      const msg = await page.textContent('#signin-msg');
      if (i < 5) assert.match(msg, /账号或 PIN 不对/);
      else assert.match(msg, /账号已锁定/);
      await page.evaluate(() => { document.querySelector('#signin-msg').textContent = ''; });
    }
    await signIn(page, 'op-09', '1357');
    await page.waitForFunction(() => document.querySelector('#signin-msg').textContent !== '');
    assert.match(await page.textContent('#signin-msg'), /账号已锁定/);
    // The lock says until when, in Beijing time, and who can unlock it sooner.
    assert.match(await page.textContent('#signin-msg'), /到北京时间 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d 自动解锁；急用请找本企业主管在“账号”屏幕解锁/);
    await shot(page, 'station-locked');

    // A supervisor unlocks op-09 on the 账号 screen (operators do not see it).
    await signIn(page, 'sup-01', '7316');
    await page.waitForSelector('#print:not([hidden])');
    await page.click('#tabs button[data-tab="accounts"]');
    await page.waitForSelector('#acc-list tr[data-account="op-09"].locked');
    assert.match(await page.textContent('#acc-list tr[data-account="op-09"]'), /登录已锁定，到北京时间 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d 自动解锁/);
    await shot(page, 'station-accounts');
    assert.deepStrictEqual(await barProblems(page), [], 'six tabs on one row at 1024×768');
    assert.deepStrictEqual(await touchProblems(page, '#accounts'), []);
    await page.click('#acc-list tr[data-account="op-09"] .acc-unlock');
    await page.waitForFunction(() => /已解锁账号 op-09（由 sup-01 解锁）/.test(document.querySelector('#acc-msg').textContent));
    // Only the Chinese half in Chinese mode (the server's " / " split).
    assert.strictEqual(await page.textContent('#acc-msg'), '已解锁账号 op-09（由 sup-01 解锁）');
    assert.deepStrictEqual(await latinWords(page), [], 'Latin words on the 账号 screen after an unlock');
    assert.match(await page.textContent('#acc-list tr[data-account="op-09"]'), /上次解锁：sup-01/);
    await page.click('#signout');
    await page.waitForSelector('#signin:not([hidden])');
    await signIn(page, 'op-09', '1357');
    await page.waitForSelector('#print:not([hidden])');
    assert.ok(await page.isHidden('#tabs button[data-tab="accounts"]'), 'an operator has no 账号 screen');
    await page.click('#signout');
    await page.waitForSelector('#signin:not([hidden])');

    // A clerk of an enterprise without a clerk key (this station.json has none): the 上传 screen
    // says why every upload would be refused, its file choice grey, instead of refusing each one.
    await signIn(page, 'clerk-01', '2468');
    await page.waitForSelector('#upload:not([hidden])');
    assert.match(await page.textContent('#up-msg'), /^本工作站还没有给本单位（.+）配置文员密钥，上传都会被拒绝/);
    assert.ok(await page.isDisabled('#up-file'));
    assert.strictEqual(await page.$eval('#up-file-btn', (e) => getComputedStyle(e).backgroundColor), GREY, 'the file choice looks grey');
    await shot(page, 'station-upload-no-clerk-key');
    await page.click('#signout');
    await page.waitForSelector('#signin:not([hidden])');

    // op-07 signs in.
    await signIn(page, 'op-07', '4829');
    await page.waitForSelector('#print:not([hidden])');
    assert.match(await page.textContent('#who'), /op-07/);
    // Print is grey, and the reason is written beside it: no lot yet.
    await page.waitForFunction(() => /请先在批次列表里选批次/.test(document.querySelector('#print-why').textContent));
    assert.ok(await page.isDisabled('#print-btn'));
    // The grey lot-tag button has its own reason beside it.
    assert.ok(await page.isDisabled('#tag-btn'));
    assert.strictEqual(await page.textContent('#tag-why'), '批次标签：请先选批次');
    // and looks grey like Print, not white and green (trial 12, item 10).
    assert.strictEqual(await page.$eval('#tag-btn', (e) => getComputedStyle(e).backgroundColor), GREY);
    assert.strictEqual(await page.$eval('#print-btn', (e) => getComputedStyle(e).backgroundColor), GREY);
    // The quantity says what it counts.
    assert.strictEqual(await page.textContent('#print h2:has([data-t="qty_unit"])'), '4数量（张）');

    // A recalled lot is marked in red in the lot list, and tapping it never chooses it for printing.
    await page.click('#product-list button[data-product="SCALLION-06901234567892"]');
    const recalled = `#lot-list button[data-lot="${fx.recalled_lot}"]`;
    await page.waitForSelector(recalled);
    assert.strictEqual(await page.getAttribute(recalled, 'data-blocked'), 'recalled');
    assert.match(await page.textContent(recalled + ' .tag'), /^已召回 不可打印$/);
    assert.strictEqual(await page.$eval(recalled, (b) => getComputedStyle(b).backgroundColor), 'rgb(253, 226, 226)');
    assert.strictEqual(await page.getAttribute(`#lot-list button[data-lot="${fx.lot}"]`, 'data-blocked'), null);
    // All three lots in view without scrolling (newest first: the operator's lot is the third).
    assert.strictEqual(await page.locator('#lot-list button').count(), 3);
    assert.deepStrictEqual(await belowFold(page, ['#lot-list button:nth-child(3)', `#lot-list button[data-lot="${fx.lot}"]`]), [],
      'the third lot at 1024×768');
    // Each lot says its unlabelled units with their unit (箱: the packed lot's packages).
    assert.match(await page.textContent(`#lot-list button[data-lot="${fx.lot}"] small`), /^未贴标 1998 箱 · \d{4}-\d\d-\d\d$/);
    assert.deepStrictEqual(await brokenNumbers(page, '#lot-list button small'), [], 'a packing day broken across lines at 1024×768');
    await page.click(recalled, { force: true });  // aria-disabled: playwright would wait, a finger does not
    await page.waitForFunction(() => /毒死蜱超标/.test(document.querySelector('#lot-msg').textContent));
    assert.ok(await page.isHidden('#lot-info'), 'a recalled lot is never chosen');
    await shot(page, 'station-recalled');
    // Typed in the lot field, it shows why, and Print stays grey saying so.
    await page.fill('#lot-field', fx.recalled_lot);
    await page.press('#lot-field', 'Enter');
    await page.waitForFunction((lot) => document.querySelector('#info-lot').textContent === lot, fx.recalled_lot);
    assert.match(await page.textContent('#info-blocked'), /已召回 不可打印：这个批次已召回：不要打印标签，把这批货单独放好、不要发出，并马上告诉主管。召回原因：毒死蜱超标（\d{4}-\d\d-\d\d 召回）$/);
    // The operator's words only: no event id, no consumer's "凭包装退货".
    assert.doesNotMatch(await page.textContent('#info-blocked'), /recall-browser|退货|食用/);
    assert.deepStrictEqual(await latinWords(page), [], 'Latin words beside a recalled lot');
    await page.waitForFunction(() => /这个批次不能打印：已召回/.test(document.querySelector('#print-why').textContent));
    assert.ok(await page.isDisabled('#print-btn'));

    // A lot without a certificate: the operator is sent to the 合格证 screen with a button, not to a clerk.
    await page.click('#lot-list button[data-lot="LC-ST-0003"]');
    await page.waitForSelector('#info-certs button.go-cert');
    assert.match(await page.textContent('#info-certs'), /请先在“合格证”页开具（操作员和主管都能开）/);
    assert.doesNotMatch(await page.textContent('#info-certs'), /文员/);
    await page.waitForFunction(() => /请先在“合格证”页开具/.test(document.querySelector('#print-why').textContent));
    assert.deepStrictEqual(await belowFold(page, ['#info-certs button.go-cert']), [], 'the 去开具合格证 button at 1024×768');
    await shot(page, 'station-no-certificate');
    await page.click('#info-certs button.go-cert');
    await page.waitForSelector('#cert:not([hidden])');
    await page.waitForSelector('#cert-form:not([hidden])');
    assert.strictEqual(await page.inputValue('#cert-lot-field'), 'LC-ST-0003');
    await page.click('#tabs button[data-tab="print"]');
    await page.waitForSelector('#print:not([hidden])');

    // A scanner types a label's URL into the lot field, then Enter.
    await page.fill('#lot-field', fx.label_url);
    await page.press('#lot-field', 'Enter');
    await page.waitForFunction((lot) => document.querySelector('#info-lot').textContent === lot, fx.lot);
    await page.waitForFunction(() => { const i = document.querySelector('#preview-img'); return i.complete && i.naturalWidth > 0; });
    assert.strictEqual(await page.textContent('#info-left'), '1998 箱');  // 2000 packed, 2 labelled by the fixture
    assert.strictEqual(await page.textContent('#info-packed'), '2000 箱');
    assert.strictEqual(await page.textContent('#info-live'), '2 张');
    assert.strictEqual(await page.inputValue('#lot-field'), fx.lot);
    assert.strictEqual(await page.textContent('#info-certs'), '合格证 HG1404062026-0001：有效合格证 PDF');
    const certPdf = await page.request.get(station.url + await page.getAttribute('#info-certs a', 'href'));
    assert.strictEqual(certPdf.headers()['content-type'], 'application/pdf');
    assert.strictEqual((await certPdf.body()).subarray(0, 5).toString(), '%PDF-');

    // A quantity that is not a whole number, zero, or more than the lot's unlabelled units
    // greys Print out with the reason beside it ("1.5" is never printed as 1).
    await page.waitForFunction(() => /就绪/.test(document.querySelector('#printer-status').textContent));
    for (const [typed, why] of [['1.5', /数量须为整数张数（如 12），不能是“1\.5”/], ['0', /数量至少 1 张/],
      ['abc', /数量请只填数字（如 12），不能是“abc”/], ['-3', /数量请只填数字/], ['1999', /这个批次最多还能打 1998 张/]]) {
      await page.fill('#qty', typed);
      await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('#print-why').textContent), why.source);
      assert.ok(await page.isDisabled('#print-btn'), typed);
    }
    await page.fill('#qty', '３');  // full-width, as a Chinese input method types it
    await page.waitForSelector('#print-btn:not([disabled])');
    assert.strictEqual(await page.textContent('#print-why'), '');

    // Above confirm_above (20) Print asks first: both buttons on one line, 取消 not wrapped; 取消 prints nothing.
    await page.fill('#qty', '21');
    await page.waitForFunction(() => /就绪/.test(document.querySelector('#printer-status').textContent));
    await page.click('#print-btn');
    await page.waitForSelector('#confirm:not([hidden])');
    assert.ok(await oneLine(page, '#confirm-no'), '取消 on one line');
    assert.ok(await oneLine(page, '#confirm-yes'));
    assert.deepStrictEqual(await belowFold(page, ['#confirm-yes', '#confirm-no']), []);
    await shot(page, 'station-confirm');
    await page.click('#confirm-no');
    await page.waitForSelector('#confirm', { state: 'hidden' });
    assert.strictEqual(zebra.labels, 0, 'cancelled: nothing printed');
    // Quantity 12: preset 10, then + twice; the printer answers ready.
    await page.click('.preset:text-is("10")');
    await page.click('#qty-plus');
    await page.click('#qty-plus');
    assert.strictEqual(await page.inputValue('#qty'), '12');
    await page.waitForFunction(() => /就绪/.test(document.querySelector('#printer-status').textContent));
    await page.waitForSelector('#print-btn:not([disabled])');
    assert.deepStrictEqual(await belowFold(page, PRINT_SCREEN), [], 'the print screen fits 1024×768');
    await shot(page, 'station-print');
    await page.click('#print-btn');
    await page.waitForFunction(() => {
      const row = document.querySelector('#jobs tbody tr');
      return row && /已打印|失败/.test(row.textContent);
    }, null, { timeout: 60000 });
    const row = await page.textContent('#jobs tbody tr');
    assert.match(row, /已打印/, row);
    assert.match(row, /op-07/);
    for (let i = 0; i < 50 && zebra.labels < 12; i++) await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(zebra.labels, 12, 'the printer received 12 labels');
    const urls = decodeJob(zebra.jobs.join(''));
    assert.strictEqual(urls.length, 12, 'twelve labels drawn');
    assert.strictEqual(new Set(urls).size, 12, 'twelve different codes');
    for (const u of urls) assert.match(u, /^https:\/\/trace\.lucheng\.example\/01\/06901234567892\/10\/LC-ST-0001\/21\/[0-9A-Z]{13}$/);
    for (const a of await verifierAnswers(fx, urls)) {
      assert.strictEqual(a.status, 200);
      assert.strictEqual(a.body.status, 'genuine');
    }
    await page.waitForFunction(() => document.querySelector('#info-left').textContent === '1986 箱');
    // The confirmation beside Print, above the fold with the lot, preview, quantity and printer.
    await page.waitForFunction(() => /^✓ 已打印 12 张（任务 1）$/.test(document.querySelector('#job-progress').textContent));
    // (a status poll that timed out on a loaded machine is retried: wait for the next answer)
    await page.waitForFunction(() => /就绪/.test(document.querySelector('#printer-status').textContent), null, { timeout: 20000 });
    assert.deepStrictEqual(await belowFold(page, [...PRINT_SCREEN, '#job-progress']), [], 'all of it at 1024×768');
    await shot(page, 'station-printed');

    // The pallet's lot tag (批次标签): one button; the printer gets a tag whose Code 128, drawn by
    // zpl-renderer-js and read by zbarimg, is the lot id; nothing is recorded.
    await page.click('#tag-btn');
    await page.waitForFunction(() => /已打印批次 LC-ST-0001 的批次标签/.test(document.querySelector('#print-msg').textContent));
    for (let i = 0; i < 50 && zebra.tags.length < 1; i++) await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(zebra.tags.length, 1, 'the printer received the lot tag');
    {
      const dir = path.join(ARTIFACTS, 'lot-tag');
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
      const file = path.join(ARTIFACTS, 'lot-tag.zpl');
      fs.writeFileSync(file, Buffer.from(zebra.tags[0].split('~HS').join(''), 'latin1'));
      execFileSync('node', [path.join(process.env.AGTRACE_ORACLES, 'zpl_render.js'), file, '60', '40', '8', dir]);
      const read = execFileSync('zbarimg', ['-q', path.join(dir, 'label-00001.png')], { encoding: 'latin1' }).trim();
      assert.strictEqual(read, 'CODE-128:LC-ST-0001');
    }

    // Reprint one torn label: its URL scanned into the code field, a preset reason, no supervisor
    // needed for one label. The printer receives one label whose QR code is the same code.
    await page.click('#tabs button[data-tab="fix"]');
    await page.waitForSelector('#fix:not([hidden])');
    assert.ok(await page.isDisabled('#fix-btn'));
    assert.match(await page.textContent('#fix-why'), /先选要处理的标签/);
    // A code never issued is checked when it is added, and refused saying why.
    await page.fill('#code-field', '0000000000990');
    await page.press('#code-field', 'Enter');
    await page.waitForFunction(() => /本企业没有发放过追溯码 0000000000990/.test(document.querySelector('#code-msg').textContent));
    assert.strictEqual(await page.locator('#code-list .chip').count(), 0);
    await shot(page, 'station-code-refused');
    await page.fill('#code-field', urls[0]);
    await page.press('#code-field', 'Enter');
    await page.waitForSelector('#code-list .chip');
    await page.click('#reason-list button[data-reason="标签撕坏"]');
    assert.strictEqual(await page.inputValue('#reason-field'), '标签撕坏');
    assert.ok(await page.isHidden('#sup-card'), 'one reprint needs no supervisor');
    await page.waitForFunction(() => /就绪/.test(document.querySelector('#fix-printer-status').textContent));
    assert.strictEqual(await page.textContent('#fix-btn'), '重印 1 张');
    await shot(page, 'station-reprint');
    const jobsBefore = zebra.jobs.length;
    await page.click('#fix-btn');
    await page.waitForFunction(() => /已重印 1 张/.test(document.querySelector('#fix-msg').textContent), null, { timeout: 30000 });
    assert.match(await page.textContent('#fix-msg'), new RegExp(urls[0].slice(-13)));
    for (let i = 0; i < 50 && zebra.labels < 13; i++) await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(zebra.labels, 13, 'the printer received the reprinted label');
    assert.deepStrictEqual(decodeJob(zebra.jobs.slice(jobsBefore).join(''), 'reprint-1'), [urls[0]]);
    assert.strictEqual(await page.locator('#code-list .chip').count(), 0, 'the list is emptied after the reprint');

    // A supervisor voids one: every void asks for a supervisor's account and PIN on this screen.
    await page.click('#mode-void');
    // 作废 grey with no code yet, its reason beside it: not solid red with grey words (trial 12, item 10).
    assert.ok(await page.isDisabled('#fix-btn'));
    assert.strictEqual(await page.$eval('#fix-btn', (e) => getComputedStyle(e).backgroundColor), GREY);
    assert.match(await page.textContent('#fix-why'), /先选要处理的标签/);
    await page.fill('#code-field', urls[1]);
    await page.click('#code-add');
    await page.waitForSelector('#code-list .chip');
    await page.click('#reason-list button[data-reason="贴错箱"]');
    await page.waitForSelector('#sup-card:not([hidden])');
    assert.ok(await page.isHidden('#fix-printer-card'), 'a void prints nothing: no printer to pick');
    assert.deepStrictEqual(await belowFold(page, ['#sup-keypad', '#sup-pin', '#fix-btn']), [], 'the PIN pad and 作废 at 1024×768');
    await page.click('#fix-btn');
    await page.waitForFunction(() => /主管/.test(document.querySelector('#fix-msg').textContent));
    await page.fill('#sup-user', 'sup-01');
    // A wrong PIN: the refusal below 作废 is scrolled into view at 1024×768 (trial 12, item 5).
    await page.click('#sup-keypad .key[data-k="clear"]');
    for (const d of '0000') await page.click(`#sup-keypad .key:text-is("${d}")`);
    await page.click('#fix-btn');
    await page.waitForFunction(() => /不对/.test(document.querySelector('#fix-msg').textContent));
    assert.deepStrictEqual(await belowFold(page, ['#fix-msg']), [], 'the wrong-PIN message in view at 1024×768');
    await shot(page, 'station-void-wrong-pin');
    await page.click('#sup-keypad .key[data-k="clear"]');
    for (const d of '7316') await page.click(`#sup-keypad .key:text-is("${d}")`);
    assert.strictEqual(await page.inputValue('#sup-pin'), '7316');
    await shot(page, 'station-void');
    await page.click('#fix-btn');
    await page.waitForFunction(() => /已作废 1 个追溯码（主管 sup-01 批准）/.test(document.querySelector('#fix-msg').textContent));
    assert.strictEqual(await page.inputValue('#sup-pin'), '', 'the PIN does not stay on screen');
    const answers = await verifierAnswers(fx, [urls[0], urls[1]]);
    assert.strictEqual(answers[0].status, 200, 'the reprinted code stays genuine');
    assert.strictEqual(answers[0].body.status, 'genuine');
    assert.strictEqual(answers[1].status, 404, 'the voided code is not found');
    // The voided code cannot be added again: the list says why.
    await page.fill('#code-field', urls[1]);
    await page.press('#code-field', 'Enter');
    await page.waitForFunction(() => /已作废，不能再重印或作废/.test(document.querySelector('#code-msg').textContent));
    assert.strictEqual(await page.locator('#code-list .chip').count(), 0);

    // Pick from a job: the printed job's codes, the voided one greyed out.
    await page.click('#tabs button[data-tab="print"]');
    await page.click('#jobs tbody tr:first-child .act-fix');
    await page.waitForFunction(() => document.querySelectorAll('#job-code-list button').length === 12);
    assert.strictEqual(await page.locator('#job-code-list button[disabled]').count(), 1);
    assert.match(await page.textContent('#job-code-list button[disabled]'), /已作废/);
    await page.click('#mode-reprint');
    await page.click('#job-all');
    assert.strictEqual(await page.locator('#code-list .chip').count(), 11);
    await page.waitForSelector('#sup-card:not([hidden])');  // 11 reprints: above supervisor_reprint_above (10)
    assert.match(await page.textContent('#sup-why'), /重印 11 张，超过 10 张/);
    await shot(page, 'station-fix-job');
    for (let i = 0; i < 11; i++) await page.click('#code-list .chip:first-child button.x');
    assert.ok(await page.isHidden('#sup-card'));

    // Cancel a queued job: while a job is sending (the printer answers slowly), a second one
    // waits in the queue; cancelled, it never sends and issues no code.
    await page.click('#tabs button[data-tab="print"]');
    await page.fill('#lot-field', fx.lot);
    await page.press('#lot-field', 'Enter');
    // 2000 packed, 14 codes issued, 1 voided: 1987 not labelled.
    await page.waitForFunction(() => document.querySelector('#info-left').textContent === '1987 箱');
    await page.click('.preset:text-is("1")');
    zebra.slowMs = 6000;
    await page.click('#print-btn');
    await page.waitForFunction(() => /发送中/.test(document.querySelector('#jobs tbody tr:first-child').textContent));
    await page.waitForSelector('#print-btn:not([disabled])');
    await page.click('#print-btn');
    await page.waitForFunction(() => /排队中/.test(document.querySelector('#jobs tbody tr:first-child').textContent));
    const queuedId = await page.getAttribute('#jobs tbody tr:first-child', 'data-job');
    await page.click('#jobs tbody tr:first-child button:text-is("取消任务")');
    await page.waitForFunction((id) => /已取消/.test(document.querySelector(`#jobs tbody tr[data-job="${id}"]`).textContent), queuedId);
    zebra.slowMs = 0;
    await page.waitForFunction((id) => /已打印|失败/.test(document.querySelector(`#jobs tbody tr[data-job="${id - 1}"]`).textContent),
      Number(queuedId), { timeout: 30000 });
    const first = await page.textContent(`#jobs tbody tr[data-job="${Number(queuedId) - 1}"]`);
    assert.match(first, /已打印/, first);
    await page.waitForFunction(() => document.querySelector('#info-left').textContent === '1986 箱');
    assert.strictEqual(zebra.labels, 14, 'the cancelled job never reached the printer');

    // A roll runs out mid-job: the job fails; a banner sends the operator to the labels it left
    // uncertain, listed with the confirmed and voided counts; one button voids them all.
    zebra.paperOutAfter = 5;
    await page.click('.preset:text-is("10")');
    await page.click('#print-btn');
    await page.waitForFunction(() => /失败/.test(document.querySelector('#jobs tbody tr:first-child').textContent), null, { timeout: 60000 });
    zebra.paperOutAfter = Infinity;
    await page.waitForSelector('#uncertain-banner:not([hidden])');
    assert.match(await page.textContent('#uncertain-banner'), /1 个打印中断的任务/);
    assert.match(await page.textContent('#jobs tbody tr.job-msg'), /^打印机缺纸，请装纸\n打印中断：已确认/);
    await page.waitForFunction(() => /就绪/.test(document.querySelector('#printer-status').textContent), null, { timeout: 20000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const failedId = await page.getAttribute('#jobs tbody tr:first-child', 'data-job');
    assert.strictEqual(await page.textContent('#job-progress'), `✗ 任务 ${failedId} 失败：打印机缺纸，请装纸`);
    assert.deepStrictEqual(await belowFold(page, [...PRINT_SCREEN, '#job-progress', '#uncertain-go']), [], 'under the banner too');
    await shot(page, 'station-failed-banner');
    // The operator prints on before dealing with it: under the banner, with the "✓ 已打印" line,
    // the quantity and Print stay above the fold at 1024×768 (their bounding boxes), and the
    // banner covers none of them.
    await page.click('.preset:text-is("1")');
    await page.click('#print-btn');
    await page.waitForFunction(() => /^✓ 已打印 1 张/.test(document.querySelector('#job-progress').textContent), null, { timeout: 60000 });
    await page.waitForFunction(() => /就绪/.test(document.querySelector('#printer-status').textContent), null, { timeout: 20000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    assert.ok(await page.isVisible('#uncertain-banner'), 'the banner stays until the uncertain labels are dealt with');
    {
      const b = await boxes(page, ['#uncertain-banner', '#qty', '#qty-minus', '#qty-plus', '#print-btn', '#job-progress']);
      for (const sel of ['#qty', '#qty-minus', '#qty-plus', '#print-btn', '#job-progress']) {
        assert.ok(b[sel].bottom <= 768 && b[sel].top >= b['#uncertain-banner'].bottom, `${sel} at 1024×768: ${JSON.stringify(b)}`);
      }
    }
    assert.deepStrictEqual(await belowFold(page, [...PRINT_SCREEN, '#job-progress', '#uncertain-go']), [], 'banner and 已打印');
    await shot(page, 'station-failed-banner-printed');
    await page.click('#uncertain-go');
    await page.waitForSelector('#uncertain-card:not([hidden])');
    const line = await page.textContent('#uncertain-list .line');
    assert.match(line, /批次 LC-ST-0001 · 包装线1号：/, 'the printer by its name, not its address');
    const m = line.match(/已确认 (\d+) 张 · 已作废 (\d+) 张 · 不确定 (\d+) 张/);
    assert.ok(m, line);
    assert.strictEqual(Number(m[1]) + Number(m[2]) + Number(m[3]), 10, line);
    assert.ok(Number(m[3]) > 0, line);
    assert.strictEqual(await page.locator('#uncertain-list .small-chip').count(), Number(m[3]));
    await shot(page, 'station-uncertain');
    await page.click('#uncertain-list .act-void');
    assert.match(await page.textContent('#code-list'), new RegExp(`${m[3]} 张不确定的标签`));
    assert.strictEqual(await page.textContent('#fix-btn'), `作废 ${m[3]} 张`);
    await page.fill('#sup-user', 'sup-01');
    await page.fill('#sup-pin', '7316');
    await page.click('#fix-btn');
    await page.waitForFunction((n) => document.querySelector('#fix-msg').textContent.includes(`已作废 ${n} 个追溯码`), m[3]);
    await page.waitForSelector('#uncertain-card', { state: 'hidden' });
    // The failed job's row no longer sends the operator to labels already dealt with: it says
    // what happened next, and the banner is gone.
    await page.click('#tabs button[data-tab="print"]');
    const failedRow = `#jobs tbody tr[data-job="${failedId}"]`;
    await page.waitForFunction((sel) => /后来已处理/.test(document.querySelector(sel).nextElementSibling.textContent), failedRow);
    const failedMsg = await page.$eval(failedRow, (tr) => tr.nextElementSibling.textContent);
    assert.match(failedMsg, /^打印机缺纸，请装纸\n后来已处理：这个任务不确定的标签都已重印或作废/);
    assert.doesNotMatch(failedMsg, /未确认的标签可能已打印/);
    assert.strictEqual(await page.locator(failedRow + ' .act-uncertain').count(), 0, 'no 处理不确定的标签 left');
    assert.match(await page.textContent(failedRow), /失败/);
    assert.ok(await page.isHidden('#uncertain-banner'));
    await shot(page, 'station-failed-handled');

    // History: by operator; each job re-opens its preview.
    // History opens on today's jobs (China time).
    await page.click('#tabs button[data-tab="history"]');
    await page.waitForFunction(() => document.querySelectorAll('#h-jobs tbody tr').length > 0);
    assert.strictEqual(await page.inputValue('#h-date'), chinaDay());
    assert.match(await page.textContent('#h-msg'), /^找到 \d+ 个任务/);
    assert.match(await page.textContent('#h-jobs tbody tr:first-child td:nth-child(2)'), DAY_TIME);
    // A day that is none is refused saying how to write it; 2026-12-07 is shown as 2026年12月7日.
    await page.fill('#h-date', '2026-02-30');
    await page.click('#h-search');
    await page.waitForFunction(() => /日期请写成 2026年12月7日/.test(document.querySelector('#h-msg').textContent));
    await page.fill('#h-date', new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10));
    await page.click('#h-search');
    await page.waitForFunction(() => /^找到/.test(document.querySelector('#h-msg').textContent));
    assert.strictEqual(await page.inputValue('#h-date'), chinaDay());
    await page.fill('#h-serial', urls[2]);
    await page.click('#h-search');
    await page.waitForFunction(() => document.querySelectorAll('#h-jobs tbody tr').length === 1);
    assert.match(await page.textContent('#h-jobs tbody tr'), /12/);
    await page.click('#h-clear');
    await page.fill('#h-operator', 'op-07');
    await page.click('#h-search');
    await page.waitForFunction(() => document.querySelectorAll('#h-jobs tbody tr').length === 5);
    await shot(page, 'station-history');
    await page.click('#h-jobs tbody tr:last-child .act-preview');
    await page.waitForFunction(() => { const i = document.querySelector('#pm-img'); return i.complete && i.naturalWidth > 0; });
    assert.match(await page.textContent('#pm-title'), /^任务 1（12 张，op-07） · 批次：LC-ST-0001$/);
    await shot(page, 'station-history-preview');
    await page.click('#pm-close');

    // End of shift: op-07's day from the signed entries.
    await page.click('#tabs button[data-tab="shift"]');
    await page.waitForSelector('#shift-ops tbody tr[data-account="op-07"]');
    const cells = await page.$$eval('#shift-ops tbody tr[data-account="op-07"] td', (tds) => tds.map((td) => td.textContent));
    // Every figure with its unit (trial 12, item 9).
    assert.deepStrictEqual(cells, ['op-07', '4 个', '24 张', '1 张', (1 + Number(m[2]) + Number(m[3])) + ' 张', '0 份']);
    // The day as every screen writes it, Beijing time; 前一天 steps back, 今天 returns.
    assert.strictEqual(await page.textContent('#shift-day'), chinaDay() + '（北京时间）');
    await page.click('#shift-prev');
    await page.waitForFunction((d) => document.querySelector('#shift-day').textContent === d + '（北京时间）', chinaDay(Date.now() - 86400e3));
    await page.click('#shift-today');
    await page.waitForSelector('#shift-ops tbody tr[data-account="op-07"]');
    assert.strictEqual(await page.textContent('#shift-day'), chinaDay() + '（北京时间）');
    assert.match(await page.textContent('#shift-lots tbody'), new RegExp(fx.lot));
    const lotCells = await page.$$eval(`#shift-lots tbody tr[data-lot="${fx.lot}"] td`, (tds) => tds.map((td) => td.textContent));
    assert.match(lotCells[2], /^\d+ 张$/);
    assert.match(lotCells[3], /^\d+ \/ 2000 箱$/);
    assert.match(lotCells[4], /^\d+ 箱$/);
    // Products by the name the operators know, the code small beneath it.
    assert.strictEqual(await page.textContent(`#shift-lots tbody tr[data-lot="${fx.lot}"] td.product span`), '潞城大葱（鲜葱）');
    assert.strictEqual(await page.textContent(`#shift-lots tbody tr[data-lot="${fx.lot}"] td.product small`), 'SCALLION-06901234567892');
    await shot(page, 'station-shift');
    await page.click('#tabs button[data-tab="print"]');

    // A hostile product name is shown as text, never run as markup.
    await page.fill('#lot-field', fx.hostile_lot);
    await page.press('#lot-field', 'Enter');
    await page.waitForFunction((lot) => document.querySelector('#info-lot').textContent === lot, fx.hostile_lot);
    assert.strictEqual(await page.textContent('#info-product'), fx.hostile_name);
    assert.ok((await page.textContent('#product-list')).includes(fx.hostile_name));
    assert.strictEqual(await page.locator('img[src="x"]').count(), 0);
    // Its label cannot be drawn (the name does not fit the approved template): the preview says why.
    await page.waitForFunction(() => /放不下/.test(document.querySelector('#preview-none').textContent));
    assert.ok(await page.isDisabled('#print-btn'), 'no Print for a label that cannot be drawn');
    await shot(page, 'station-hostile-name');

    // Paper out: the status says 缺纸 and Print is disabled.
    zebra.paperOut = true;
    await page.waitForFunction(() => /缺纸/.test(document.querySelector('#printer-status').textContent), null, { timeout: 20000 });
    assert.ok(await page.isDisabled('#print-btn'));
    await shot(page, 'station-paper-out');

    // English switch.
    await page.click('#lang');
    assert.strictEqual(await page.textContent('#print-btn'), 'Print');
    // (a status poll that timed out on a loaded machine is retried: wait for the next answer)
    await page.waitForFunction(() => /out of paper/.test(document.querySelector('#printer-status').textContent), null, { timeout: 20000 });
    await page.waitForFunction(() => /^This lot's label cannot be drawn/.test(document.querySelector('#print-why').textContent));
    // No Chinese left in English mode (every list redrawn within a refresh) but the data (product
    // and printer names, class "data") and the 中文 switch.
    const chineseLeft = () => page.evaluate(() => {
      const out = [];
      const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n; (n = w.nextNode());) {
        const e = n.parentElement;
        if (!/[\u3000-\u9fff\uff00-\uffef]/.test(n.textContent) || !e.getClientRects().length) continue;
        if (e.closest('.data, #lang')) continue;
        out.push(n.textContent.trim().slice(0, 120));
      }
      document.querySelectorAll('input[placeholder]').forEach((e) => {
        if (e.getClientRects().length && /[\u3000-\u9fff]/.test(e.placeholder)) out.push(e.placeholder);
      });
      return out;
    });
    let chinese = await chineseLeft();
    for (let i = 0; i < 50 && chinese.length; i++) {
      await new Promise((r) => setTimeout(r, 200));
      chinese = await chineseLeft();
    }
    assert.deepStrictEqual(chinese, [], 'Chinese leftovers in English mode');
    await shot(page, 'station-english');
    await page.click('#lang');

    assert.deepStrictEqual(dialogs, [], 'no script ran from data');
    assert.deepStrictEqual(external, [], 'every asset comes from the station');

    // Portrait 800×1280: the same screens.
    zebra.paperOut = false;
    const tall = await browser.newPage({ viewport: { width: 800, height: 1280 } });
    tall.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await tall.goto(station.url + '/');
    await tall.waitForSelector('#signin:not([hidden])');
    await shot(tall, 'station-signin');
    await signIn(tall, 'op-07', '4829');
    await tall.waitForSelector('#print:not([hidden])');
    // The tabs on one row and the header's buttons whole at 800 px, in both languages.
    assert.deepStrictEqual(await barProblems(tall), [], 'the top bar at 800×1280');
    await tall.click('#lang');
    await tall.waitForFunction(() => document.querySelector('#print-btn').textContent === 'Print');
    assert.deepStrictEqual(await barProblems(tall), [], 'the top bar at 800×1280 in English');
    await tall.click('#lang');
    await tall.click(`#lot-list button[data-lot="${fx.lot}"]`).catch(async () => {
      await tall.click('#product-list button[data-product="SCALLION-06901234567892"]');
      await tall.click(`#lot-list button[data-lot="${fx.lot}"]`);
    });
    await tall.waitForFunction((lot) => document.querySelector('#info-lot').textContent === lot, fx.lot);
    await tall.waitForFunction(() => { const i = document.querySelector('#preview-img'); return i.complete && i.naturalWidth > 0; });
    assert.deepStrictEqual(await belowFold(tall, ['#lot-list button:nth-child(3)', `#lot-list button[data-lot="${fx.lot}"]`]), [],
      'the third lot at 800×1280');
    await tall.waitForFunction(() => /就绪/.test(document.querySelector('#printer-status').textContent), null, { timeout: 20000 });
    await tall.click('.preset:text-is("1")');
    await tall.click('#print-btn');
    await tall.waitForFunction(() => /^✓ 已打印 1 张/.test(document.querySelector('#job-progress').textContent), null, { timeout: 60000 });
    await tall.waitForFunction(() => /就绪/.test(document.querySelector('#printer-status').textContent), null, { timeout: 20000 });
    assert.deepStrictEqual(await belowFold(tall, [...PRINT_SCREEN, '#job-progress']), [], 'all of it at 800×1280');
    await shot(tall, 'station-print');
    zebra.paperOut = true;
    await tall.waitForFunction(() => /缺纸/.test(document.querySelector('#printer-status').textContent), null, { timeout: 20000 });
    assert.ok(await tall.isDisabled('#print-btn'));
    assert.match(await tall.textContent('#print-why'), /打印机没有就绪（状态见上）/);
    assert.deepStrictEqual(await belowFold(tall, PRINT_SCREEN), [], 'no scrolling to see why');
    await shot(tall, 'station-paper-out');
    zebra.paperOut = false;
    const tallShots = {};
    for (const tab of ['fix', 'history', 'shift']) {
      await tall.click(`#tabs button[data-tab="${tab}"]`);
      if (tab === 'fix') {
        await tall.click('#mode-void');
        await tall.fill('#code-field', urls[3]);
        await tall.press('#code-field', 'Enter');
        await tall.click('#reason-list button[data-reason="贴错箱"]');
        await tall.waitForSelector('#sup-card:not([hidden])');
        assert.deepStrictEqual(await belowFold(tall, ['#sup-keypad', '#sup-pin', '#fix-btn']), [], 'the PIN pad and 作废 at 800×1280');
      }
      if (tab === 'history') {
        await tall.click('#h-search');
        await tall.waitForFunction(() => document.querySelectorAll('#h-jobs tbody tr').length > 0 &&
          /^找到/.test(document.querySelector('#h-msg').textContent));
        // At 800 px the lot id, the state and the headers keep one line each (not LC-ST-/0001).
        for (const sel of ['#h-jobs tbody tr:first-child td:nth-child(3)', '#h-jobs tbody tr:first-child td:nth-child(6)',
          '#h-jobs thead th:nth-child(1)', '#h-jobs thead th:nth-child(5)'])
          assert.ok(await oneLine(tall, sel), sel + ' on one line at 800×1280: ' +
            await tall.$eval(sel, (e) => `"${e.textContent}" ${JSON.stringify(e.getBoundingClientRect())} ${getComputedStyle(e).whiteSpace}`));
      }
      if (tab === 'shift') await tall.waitForSelector('#shift-ops tbody tr');
      await shot(tall, 'station-' + tab);
      tallShots[tab] = await touchProblems(tall, '#' + tab);
    }
    assert.deepStrictEqual(tallShots, { fix: [], history: [], shift: [] });
    await tall.click('#tabs button[data-tab="print"]');

    // Touch targets ≥ 48 px and text ≥ 18 px on the print screen.
    assert.deepStrictEqual(await touchProblems(tall, '#print'), []);

    // Fail closed: a signed entry of the ledger file edited under the running station. Both
    // screens (1024×768 and 800×1280) show the red notice at the top, in Chinese, with what to
    // do; it stays in view when the page is scrolled; every action is grey with that reason.
    execFileSync('sqlite3', [fx.ledger, "DROP TRIGGER entries_no_update; UPDATE entries SET entry = entry || x'20' " +
      'WHERE idx = (SELECT max(idx) FROM entries);']);
    for (const p of [page, tall]) {
      const size = `${p.viewportSize().width}×${p.viewportSize().height}`;
      await p.click('#tabs button[data-tab="print"]');
      await p.waitForSelector('#ledger-banner:not([hidden])', { timeout: 20000 });
      assert.match(await p.textContent('#ledger-banner'), /工作站已暂停：不能打印、开具或上传/);
      assert.match(await p.textContent('#ledger-banner-text'), /^账本文件未通过校验.*请联系管理员/);
      assert.match(await p.textContent('#ledger-banner-detail'), /^给管理员：账本第 \d+ 条记录有问题，详情见工作站的日志$/);
      assert.deepStrictEqual(await belowFold(p, ['#ledger-banner']), [], size);
      await p.waitForFunction(() => /账本文件未通过校验/.test(document.querySelector('#print-why').textContent));
      assert.ok(await p.isDisabled('#print-btn'), size);
      assert.ok(await p.isDisabled('#tag-btn'), size);
      assert.match(await p.textContent('#tag-why'), /账本文件未通过校验/);
      assert.deepStrictEqual(await greyWithoutReason(p, '#print'), [], size);
      // Nothing read from the ledger before it failed stays on screen.
      for (const sel of ['#lot-info', '#preview-img', '#lot-list', '#product-list']) assert.ok(await p.isHidden(sel), sel + ' at ' + size);
      assert.deepStrictEqual(await latinWords(p), [], 'Latin words in the fail-closed notice at ' + size);
      await shot(p, 'station-ledger-failed');
      await p.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      assert.deepStrictEqual(await belowFold(p, ['#ledger-banner']), [], 'scrolled down at ' + size);
      await p.click('#tabs button[data-tab="fix"]');
      assert.ok(await p.isDisabled('#fix-btn'));
      assert.match(await p.textContent('#fix-why'), /账本文件未通过校验/);
      assert.deepStrictEqual(await belowFold(p, ['#ledger-banner']), [], 'on 重印 / 作废 at ' + size);
      await p.click('#tabs button[data-tab="cert"]');
      assert.deepStrictEqual(await belowFold(p, ['#ledger-banner']), [], 'on 合格证 at ' + size);
      await p.click('#tabs button[data-tab="print"]');
    }
    assert.deepStrictEqual(dialogs, []);
    // No English sentence on any screen shown in Chinese (every screenshot above).
    assert.deepStrictEqual(leftovers, {});
    console.log('station browser test: ok');
  } catch (e) {
    // What the screens showed when it failed, for the artifacts.
    for (const [i, p] of browser.contexts().flatMap((c) => c.pages()).entries()) {
      await p.screenshot({ path: path.join(ARTIFACTS, `failure-${i}.png`), fullPage: true }).catch(() => {});
      console.error(`page ${i} jobs:`, await p.textContent('#jobs tbody').catch(() => ''));
    }
    throw e;
  } finally {
    await browser.close();
    station.proc.kill('SIGTERM');
    zebra.server.close();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
