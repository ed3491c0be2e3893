// The station's 合格证 and 上传 screens in Debian's chromium through playwright-core (issue 15
// items 6 and 7, "What it must show"; ctest labels station;browser): an operator finds an
// uncertified lot, sees its evidence and the bases it supports (委托检测合格 disabled with the
// reason), issues a 承诺达标合格证 and prints it on a fake Zebra loaded with 100×70 mm labels —
// its ZPL, drawn by zpl-renderer-js and read by zbar, carries the certificate's URL, whose page on
// a running agtrace-verifier says 有效; a supervisor voids it on the same screen and the page says
// 已作废. A clerk uploads a GB18030 CSV with one bad row: the preview shows the Chinese decoded,
// the refusal names the row's line and column in Chinese, the ledger's size is unchanged; then a
// good file is recorded; a harvest beyond 30000 千克 per 亩 is refused until a supervisor (not
// the clerk) confirms it on the clerk's screen. Screenshots at 1024×768 and 800×1280 go to $AGTRACE_ARTIFACTS.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require(path.join(process.env.AGTRACE_ORACLES, 'node_modules', 'playwright-core'));

const STATION = process.env.AGTRACE_STATION_BIN;
const VERIFIER = process.env.AGTRACE_VERIFIER_BIN;
const FIXTURE = process.env.AGTRACE_STATION_FIXTURE;
const LEDGER_CLI = process.env.AGTRACE_LEDGER_BIN;
const ARTIFACTS = process.env.AGTRACE_ARTIFACTS;
fs.mkdirSync(ARTIFACTS, { recursive: true });
const LOT = 'LC-ST-0002';

const { fakeZebra, startServer, latinWords, greyWithoutReason, barProblems, brokenNumbers } = require('./browser_support');

async function shot(page, name) {
  const vp = page.viewportSize();
  const file = path.join(ARTIFACTS, `${name}-${vp.width}x${vp.height}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log('screenshot', file);
}

// The certificate page of `url` on a fresh verifier (its own replay of the ledger), as chromium shows it.
async function certificatePage(browser, fx, url, name) {
  const v = await startServer('verifier', [VERIFIER, 'serve', '--ledger', fx.ledger, '--log-pubkey', fx.log_pubkey,
    '--scans', path.join(fx.dir, 'scans.db'), '--listen', '127.0.0.1:0']);
  try {
    for (let i = 0; i < 100; i++) {
      const h = await fetch(v.url + '/healthz').catch(() => null);
      if (h && h.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const res = await page.goto(url.replace(/^https:\/\/trace\.lucheng\.example/, v.url));
    assert.strictEqual(res.status(), 200);
    const text = await page.textContent('body');
    await page.screenshot({ path: path.join(ARTIFACTS, name + '.png') });
    await page.close();
    return text;
  } finally {
    v.proc.kill('SIGTERM');
  }
}

function ledgerSize(fx) {
  return Number(execFileSync('sqlite3', [fx.ledger, 'SELECT COUNT(*) FROM entries'], { encoding: 'utf8' }).trim());
}

function gb18030(text) {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: text });
}

// Two harvests of the fixture's planting PL-1, five days ago; `bad` replaces the second row's 数量.
function harvestCsv(prefix, bad) {
  const d = new Date(Date.now() - 5 * 86400e3 + 8 * 3600e3).toISOString().slice(0, 10);
  return '事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,产品编号,数量,单位\r\n' +
    `采收,${prefix}-1,${d} 08:00,COOP,PLOT-1,${prefix}-H1,PL-1,SCALLION-06901234567892,500,千克\r\n` +
    `采收,${prefix}-2,${d} 08:00,COOP,PLOT-1,${prefix}-H2,PL-1,SCALLION-06901234567892,${bad || '300'},千克\r\n`;
}

// The elements of `sels` not wholly inside the viewport (the operator would have to scroll).
function belowFold(page, sels) {
  return page.evaluate((list) => list.filter((sel) => {
    const e = document.querySelector(sel);
    if (!e) return true;
    const r = e.getBoundingClientRect();
    return !(r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth);
  }), sels);
}
// What the operator must see on the 合格证 screen without scrolling, once a lot is found.
const CERT_FORM = ['#cert-lot-field', '#basis-quality_control', '#basis-self_tested', '#basis-commissioned_test', '#cert-qty',
  '#cert-issue-btn', '#cert-issue-why'];

// Touch targets under 48 px and text under 18 px in `section`.
function touchProblems(page, section) {
  return page.evaluate((sel) => {
    const bad = [];
    document.querySelectorAll(`${sel} button, ${sel} input:not([type=checkbox])`).forEach((e) => {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && (r.height < 48 || r.width < 48)) bad.push(e.id || e.textContent + ' ' + r.width + 'x' + r.height);
    });
    document.querySelectorAll(`${sel} *`).forEach((e) => {
      if (e.children.length === 0 && e.textContent.trim() && e.getBoundingClientRect().width > 0 &&
          parseFloat(getComputedStyle(e).fontSize) < 18) bad.push('text ' + e.textContent.slice(0, 20));
    });
    return bad;
  }, section);
}

async function signIn(page, user, pin) {
  await page.fill('#user', user);
  await page.fill('#pin', pin);
  await page.click('#signin-btn');
}

async function main() {
  const zebra = await fakeZebra(), certZebra = await fakeZebra();
  const fx = JSON.parse(execFileSync(FIXTURE, ['station-cert-upload', String(zebra.port), '--uncertified=' + LOT],
    { encoding: 'utf8' }));
  const config = JSON.parse(fs.readFileSync(fx.config, 'utf8'));
  config.enterprises[0].clerk_key = fx.clerk_key;
  config.printers.push({ name: '合格证打印机', url: `tcp://127.0.0.1:${certZebra.port}`, language: 'zpl', dpi: 203,
    label: { width_mm: 100, height_mm: 70 } });
  fs.writeFileSync(fx.config, JSON.stringify(config, null, 2));
  for (const [id, pin, role] of [['op-07', '4829', 'operator'], ['sup-01', '7316', 'supervisor'], ['clerk-01', '2468', 'clerk']])
    execFileSync(STATION, ['user', 'add', '--state', fx.state, '--id', id, '--role', role, '--enterprise', 'COOP',
      '--config', fx.config], { input: pin + '\n' });
  const station = await startServer('station', [STATION, 'serve', '--ledger', fx.ledger, '--log-pubkey', fx.log_pubkey,
    '--config', fx.config,
    '--state', fx.state, '--listen', '127.0.0.1:0']);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await page.goto(station.url + '/');
    await signIn(page, 'op-07', '4829');
    await page.waitForSelector('#print:not([hidden])');
    assert.ok(await page.isHidden('#tabs button[data-tab="upload"]'), 'an operator has no upload tab');

    // The 合格证 screen: the lot's evidence, the bases it supports.
    await page.click('#tabs button[data-tab="cert"]');
    await page.waitForSelector('#cert:not([hidden])');
    assert.ok(await page.isHidden('#print'));
    await page.fill('#cert-lot-field', LOT);
    await page.press('#cert-lot-field', 'Enter');
    await page.waitForSelector('#cert-form:not([hidden])');
    assert.match(await page.textContent('#cert-inspections tbody'), /JC-2026-\d{4}/);
    assert.match(await page.textContent('#cert-inspections tbody'), /本企业自检/);
    // Quantities read as the certificate prints them: boxes, and what they weigh.
    assert.match(await page.textContent('#cert-stock'), /还没有合格证的数量：2000 箱（共 10000 公斤） · 本批次共 2000 箱（共 10000 公斤）/);
    assert.ok(await page.isChecked('#basis-self_tested'), 'ticked from the evidence');
    // Each basis box is a finger's target, 48 px at least (trial 12, item 11).
    for (const id of ['#basis-self_tested', '#basis-quality_control', '#basis-commissioned_test']) {
      const box = await page.$eval(id, (e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; });
      assert.ok(box[0] >= 48 && box[1] >= 48, `${id}: ${box}`);
    }
    // The evidence by its report number, tester, day and result, not by an event id.
    assert.match(await page.textContent('label.basis:has(#basis-self_tested)'), /报告 JC-2026-\d{4} · .+（本企业自检） · \d{4}-\d\d-\d\d · 合格/);
    assert.doesNotMatch(await page.textContent('#cert-bases'), /inspection-/);
    assert.ok(await page.isChecked('#basis-quality_control'));
    assert.ok(await page.isDisabled('#basis-commissioned_test'), 'no laboratory test: disabled');
    assert.match(await page.textContent('#cert-bases'), /没有检测机构/);
    // Issue is grey, and says why beside it.
    assert.ok(await page.isDisabled('#cert-issue-btn'), 'no quantity yet');
    assert.match(await page.textContent('#cert-issue-why'), /请填数量（公斤）/);
    await page.fill('#cert-qty', '20000');
    assert.match(await page.textContent('#cert-issue-why'), /最多 10000 公斤/);
    assert.ok(await page.isDisabled('#cert-issue-btn'));
    await page.uncheck('#basis-self_tested');
    await page.uncheck('#basis-quality_control');
    assert.match(await page.textContent('#cert-issue-why'), /至少勾选一项开具依据/);
    await page.check('#basis-self_tested');
    await page.check('#basis-quality_control');
    await page.fill('#cert-qty', '3000');
    assert.ok(await page.isEnabled('#cert-issue-btn'));
    assert.match(await page.textContent('#cert-issue-why'), /合格证上印：3000 公斤/);
    await shot(page, 'station-certificate');
    assert.deepStrictEqual(await belowFold(page, CERT_FORM), [], 'the form and 开具 fit 1024×768 without scrolling');
    assert.deepStrictEqual(await touchProblems(page, '#cert'), []);
    await page.click('#cert-issue-btn');
    await page.waitForFunction(() => /已开具合格证/.test(document.querySelector('#cert-msg').textContent), null, { timeout: 30000 });
    const number = (await page.textContent('#cert-msg')).match(/已开具合格证 ([0-9A-Za-z-]+)/)[1];
    assert.match(number, /^COOP-\d{8}-001$/);
    await page.waitForSelector('#cert-print-card:not([hidden])');
    assert.match(await page.textContent('#cert-list tbody'), new RegExp(number + '.*有效'));
    assert.match(await page.textContent('#cert-stock'), /1400 箱（共 7000 公斤）/);
    assert.match(await page.textContent(`#cert-list tr[data-number="${number}"]`), /3000 公斤/);

    // Print it: the only printer holding certificate labels is chosen already; the label
    // printer says why it cannot take it. Its QR code leads to the certificate's page: 有效.
    await page.waitForSelector('#cert-printers button.selected[data-printer="合格证打印机"]');
    assert.ok(await page.isDisabled('#cert-printers button[data-printer="包装线1号"]'));
    assert.match(await page.textContent('#cert-printers button[data-printer="包装线1号"]'), /装的是 60×40 mm 标签，合格证要 100×70 mm/);
    assert.ok(await page.isEnabled('#cert-print-btn'));
    assert.deepStrictEqual(await belowFold(page, ['#cert-print-btn']), []);
    await shot(page, 'station-certificate-print');
    await page.click('#cert-print-btn');
    await page.waitForFunction(() => /已发送到打印机/.test(document.querySelector('#cert-print-msg').textContent), null, { timeout: 30000 });
    for (let i = 0; i < 50 && certZebra.labels < 1; i++) await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(certZebra.labels, 1, 'the printer received the certificate');
    const zplFile = path.join(ARTIFACTS, 'certificate.zpl');
    fs.writeFileSync(zplFile, Buffer.from(certZebra.jobs.join('').split('~HS').join(''), 'latin1'));
    const dir = path.join(ARTIFACTS, 'certificate-labels');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    execFileSync('node', [path.join(process.env.AGTRACE_ORACLES, 'zpl_render.js'), zplFile, '100', '70', '8', dir]);
    const pngs = fs.readdirSync(dir);
    assert.strictEqual(pngs.length, 1);
    const url = execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', path.join(dir, pngs[0])], { encoding: 'latin1' }).trim();
    assert.strictEqual(url, 'https://trace.lucheng.example/c/' + number);
    const valid = await certificatePage(browser, fx, url, 'certificate-valid-390x844');
    assert.match(valid, /✓ 有效/);
    assert.doesNotMatch(valid, /已作废/);

    // A supervisor voids it on the same screen.
    await page.click(`#cert-list tr[data-number="${number}"] button.act-void`);
    await page.waitForSelector('#cert-void-card:not([hidden])');
    assert.ok(await page.isDisabled('#cert-void-btn'));
    assert.match(await page.textContent('#cert-void-why'), /请点一个作废原因/);
    await page.click('#cert-void-reasons button[data-reason="数量写错，重开"]');
    assert.strictEqual(await page.inputValue('#cert-void-reason'), '数量写错，重开');
    assert.match(await page.textContent('#cert-void-why'), /请主管输入主管账号和 PIN/);
    const supPin = async (pin) => {
      await page.click('#cert-sup-keypad .key[data-k="clear"]');
      for (const d of pin) await page.click(`#cert-sup-keypad .key:text-is("${d}")`);
    };
    await page.fill('#cert-sup-user', 'sup-01');
    await supPin('0000');
    assert.ok(await page.isEnabled('#cert-void-btn'));
    await page.click('#cert-void-btn');
    await page.waitForFunction(() => /主管账号或 PIN 不对/.test(document.querySelector('#cert-void-msg').textContent));
    assert.strictEqual(await page.inputValue('#cert-sup-pin'), '', 'the PIN does not stay on screen');
    await supPin('7316');
    assert.strictEqual(await page.inputValue('#cert-sup-pin'), '7316');
    await shot(page, 'station-certificate-void');
    assert.deepStrictEqual(await touchProblems(page, '#cert-void-card'), []);
    await page.click('#cert-void-btn');
    await page.waitForFunction(() => /已作废（主管 sup-01 批准）/.test(document.querySelector('#cert-void-msg').textContent), null, { timeout: 30000 });
    // The void is over: no supervisor prompt stays.
    for (const sel of ['#cert-sup-user', '#cert-sup-pin', '#cert-sup-keypad', '#cert-void-btn', '#cert-void-reason'])
      assert.ok(await page.isHidden(sel), `${sel} hidden after the void succeeded`);
    assert.match(await page.textContent('#cert-list tbody'), new RegExp(number + '.*已作废'));
    assert.match(await page.textContent('#cert-stock'), /10000 公斤/, 'a void gives the quantity back');
    const voided = await certificatePage(browser, fx, url, 'certificate-voided-390x844');
    assert.match(voided, /已作废/);
    assert.doesNotMatch(voided, /✓ 有效/);

    // Portrait 800×1280: the same screen.
    const portrait = await browser.newPage({ viewport: { width: 800, height: 1280 } });
    await portrait.goto(station.url + '/');
    await signIn(portrait, 'op-07', '4829');
    await portrait.waitForSelector('#print:not([hidden])');
    await portrait.click('#tabs button[data-tab="cert"]');
    await portrait.fill('#cert-lot-field', LOT);
    await portrait.press('#cert-lot-field', 'Enter');
    await portrait.waitForSelector('#cert-form:not([hidden])');
    await portrait.fill('#cert-qty', '500');
    assert.deepStrictEqual(await belowFold(portrait, CERT_FORM), [], 'the form and 开具 fit 800×1280 without scrolling');
    await shot(portrait, 'station-certificate');
    // A lot that cannot be certified (recalled): 开具 is grey and says why beside it, not only
    // in the lot's line far above; no grey button on the screen lacks its reason.
    await portrait.fill('#cert-lot-field', 'LC-ST-RECALL');
    await portrait.press('#cert-lot-field', 'Enter');
    await portrait.waitForFunction(() => /召回/.test(document.querySelector('#cert-blocked').textContent));
    await portrait.waitForSelector('#cert-form:not([hidden])');
    assert.ok(await portrait.isDisabled('#cert-issue-btn'));
    assert.match(await portrait.textContent('#cert-issue-why'), /^不能开具：.*召回/);
    assert.deepStrictEqual(await greyWithoutReason(portrait, '#cert'), [], 'every grey button on 合格证 says why');
    assert.deepStrictEqual(await belowFold(portrait, ['#cert-issue-btn', '#cert-issue-why']), []);
    await shot(portrait, 'station-certificate-recalled');
    await portrait.close();
    await page.click('#signout');
    await page.waitForSelector('#signin:not([hidden])');

    // The clerk: the upload tab only.
    await signIn(page, 'clerk-01', '2468');
    await page.waitForSelector('#upload:not([hidden])');
    assert.ok(await page.isHidden('#tabs button[data-tab="print"]'));
    assert.ok(await page.isHidden('#tabs button[data-tab="cert"]'));
    await page.waitForSelector('#up-templates a');
    // In Chinese throughout: the station's own file button (the browser's native one says
    // "Choose File" on an English system), the templates by the CSV guide's event names, the
    // enterprise by its name; no Latin word left but ids, codes and units.
    assert.strictEqual(await page.textContent('#up-file-btn'), '选择文件');
    assert.strictEqual(await page.textContent('#up-file-name'), '还没有选文件');
    assert.ok(await page.isHidden('#up-file'), 'the native file input is not shown');
    assert.strictEqual(await page.textContent('#up-templates a[data-type="harvest"]'), '采收');
    assert.strictEqual(await page.getAttribute('#up-templates a[data-type="harvest"]', 'download'), '采收.csv');
    assert.strictEqual(await page.textContent('#up-templates a[data-type="input_application"]'), '投入品使用');
    assert.match(await page.textContent('#who'), /^clerk-01 · 潞城区绿源大葱种植专业合作社$/);
    assert.deepStrictEqual(await latinWords(page), [], 'Latin words on the upload screen');
    const tmpl = await page.request.get(station.url + await page.getAttribute('#up-templates a', 'href'));
    assert.match(tmpl.headers()['content-type'], /^text\/csv/);
    assert.strictEqual((await tmpl.body()).subarray(0, 3).toString('hex'), 'efbbbf');

    // A GB18030 file with one bad row: preview decoded, confirmed, refused naming line and column.
    const badFile = path.join(fx.dir, '采收-有错.csv');
    fs.writeFileSync(badFile, gb18030(harvestCsv('UP', '三百')));
    const before = ledgerSize(fx);
    await page.setInputFiles('#up-file', badFile);
    await page.waitForSelector('#up-preview-card:not([hidden])');
    assert.match(await page.textContent('#up-encoding'), /GB18030/);
    assert.match(await page.textContent('#up-preview'), /采收批次/);
    assert.match(await page.textContent('#up-preview'), /三百/);
    assert.strictEqual(await page.textContent('#up-go'), '文字正常，导入');
    assert.strictEqual(await page.textContent('#up-file-name'), '采收-有错.csv');
    // Every column of the preview in view, 数量 (I) and 单位 included, without scrolling sideways.
    await page.$eval('#up-preview', (e) => e.scrollIntoView());
    const headers = await page.$$eval('#up-preview tr:first-child th', (ths) => ths.map((th) => th.textContent));
    assert.strictEqual(headers[8], '数量');
    assert.deepStrictEqual(await belowFold(page, ['#up-preview tr:first-child th:nth-child(9)', '#up-preview tr:first-child th:last-child']), [],
      '数量 in view at 1024×768');
    assert.deepStrictEqual(await latinWords(page), [], 'Latin words on the upload preview');
    await shot(page, 'station-upload-preview');
    await page.click('#up-go');
    await page.waitForSelector('#up-result-card:not([hidden])');
    await page.waitForFunction(() => document.querySelector('#up-summary').textContent !== '');
    assert.match(await page.textContent('#up-summary'), /整个文件都没有记录/);
    // The result is scrolled into view below the preview at 1024×768 (trial 12, item 4).
    assert.deepStrictEqual(await belowFold(page, ['#up-summary']), [], 'the import result in view at 1024×768');
    const refused = await page.textContent('#up-refused tbody');
    assert.match(refused, /第 3 行/);
    assert.match(refused, /I 列/);
    assert.match(refused, /数量/);
    assert.strictEqual(ledgerSize(fx), before, 'nothing recorded');
    await shot(page, 'station-upload-refused');

    const goodFile = path.join(fx.dir, '采收.csv');
    fs.writeFileSync(goodFile, gb18030(harvestCsv('UP')));
    await page.setInputFiles('#up-file', goodFile);
    await page.waitForSelector('#up-preview-card:not([hidden])');
    // 先记录正确的行: its box is a finger's target too.
    const cont = await page.$eval('#up-continue', (e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; });
    assert.ok(cont[0] >= 48 && cont[1] >= 48, `#up-continue: ${cont}`);
    await page.click('#up-go');
    await page.waitForFunction(() => /已记录全部 2 条/.test(document.querySelector('#up-summary').textContent));
    assert.deepStrictEqual(await belowFold(page, ['#up-summary']), [], 'the import result in view at 1024×768');
    assert.strictEqual(ledgerSize(fx), before + 2);
    await shot(page, 'station-upload-recorded');
    // A clerk prints nothing: no 历史 or 交班 tab.
    for (const tab of ['print', 'fix', 'history', 'shift'])
      assert.ok(await page.isHidden(`#tabs button[data-tab="${tab}"]`), `a clerk has no ${tab} tab`);
    // The same file chosen again is checked again (the input was reset after the import).
    await page.setInputFiles('#up-file', goodFile);
    await page.waitForSelector('#up-preview-card:not([hidden])');

    // A harvest beyond 30000 千克 per 亩 (90000 千克 from PL-1's 2.5 亩): refused as `agtrace-ledger
    // import` refuses it, naming row and column; the clerk cannot confirm it, a supervisor can.
    const highFile = path.join(fx.dir, '采收-高产.csv');
    fs.writeFileSync(highFile, harvestCsv('HY', '90000'));
    const beforeHigh = ledgerSize(fx);
    await page.setInputFiles('#up-file', highFile);
    await page.waitForSelector('#up-preview-card:not([hidden])');
    await page.click('#up-go');
    await page.waitForFunction(() => /整个文件都没有记录/.test(document.querySelector('#up-summary').textContent));
    assert.match(await page.textContent('#up-refused tbody'), /第 3 行.*I 列「数量」：采收 90000 公斤.*合每亩 36000 千克/);
    assert.ok(await page.isVisible('#up-sup'), 'the supervisor confirmation is offered');
    assert.strictEqual(ledgerSize(fx), beforeHigh, 'nothing recorded');
    await page.fill('#up-sup-user', 'clerk-01');
    for (const d of '2468') await page.click(`#up-sup-keypad .key:text-is("${d}")`);
    await page.click('#up-sup-go');
    await page.waitForFunction(() => /不是主管账号/.test(document.querySelector('#up-sup-msg').textContent));
    assert.deepStrictEqual(await belowFold(page, ['#up-sup-msg']), [], 'the refused confirmation in view at 1024×768');
    assert.strictEqual(await page.inputValue('#up-sup-pin'), '', 'the PIN does not stay on screen');
    assert.strictEqual(ledgerSize(fx), beforeHigh, 'a clerk cannot confirm');
    await page.fill('#up-sup-user', 'sup-01');
    for (const d of '7316') await page.click(`#up-sup-keypad .key:text-is("${d}")`);
    await shot(page, 'station-upload-high-yield');
    await page.click('#up-sup-go');
    await page.waitForFunction(() => /由主管 sup-01 确认无误/.test(document.querySelector('#up-summary').textContent), null, { timeout: 30000 });
    assert.ok(await page.isHidden('#up-sup'));
    assert.strictEqual(ledgerSize(fx), beforeHigh + 2);
    assert.deepStrictEqual(await latinWords(page), [], 'Latin words after the supervisor confirmed');

    const portraitClerk = await browser.newPage({ viewport: { width: 800, height: 1280 } });
    await portraitClerk.goto(station.url + '/');
    await signIn(portraitClerk, 'clerk-01', '2468');
    await portraitClerk.waitForSelector('#upload:not([hidden])');
    await portraitClerk.setInputFiles('#up-file', badFile);
    await portraitClerk.waitForSelector('#up-preview-card:not([hidden])');
    await portraitClerk.$eval('#up-preview', (e) => e.scrollIntoView());
    assert.deepStrictEqual(await belowFold(portraitClerk, ['#up-preview tr:first-child th:nth-child(9)', '#up-preview tr:first-child th:last-child']), [],
      '数量 in view at 800×1280');
    // Dates and numbers whole at 800 px (not 2026-/12-02 or a GTIN cut in its digits), the tabs
    // on one row and 退出 on one line.
    assert.deepStrictEqual(await brokenNumbers(portraitClerk, '#up-preview td'), [], 'numbers broken at 800×1280');
    assert.deepStrictEqual(await barProblems(portraitClerk), [], 'the top bar at 800×1280');
    await shot(portraitClerk, 'station-upload-preview');
    await portraitClerk.click('#up-go');
    await portraitClerk.waitForFunction(() => /没有通过/.test(document.querySelector('#up-summary').textContent));
    await shot(portraitClerk, 'station-upload-refused');
    await portraitClerk.close();
    assert.deepStrictEqual(dialogs, []);
    if (LEDGER_CLI) execFileSync(LEDGER_CLI, ['--ledger', fx.ledger, 'verify'], { stdio: 'inherit' });
    console.log('station certificate and upload browser test: ok');
  } finally {
    await browser.close();
    station.proc.kill('SIGTERM');
    zebra.server.close();
    certZebra.server.close();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
