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
const net = require('net');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const { chromium } = require(path.join(process.env.AGTRACE_ORACLES, 'node_modules', 'playwright-core'));

const STATION = process.env.AGTRACE_STATION_BIN;
const VERIFIER = process.env.AGTRACE_VERIFIER_BIN;
const FIXTURE = process.env.AGTRACE_STATION_FIXTURE;
const ARTIFACTS = process.env.AGTRACE_ARTIFACTS;
fs.mkdirSync(ARTIFACTS, { recursive: true });

// A Zebra on raw TCP: every ~HS answered with the three <STX>…<ETX> strings of the ZPL II
// Programming Guide; field b of string 1 is "paper out".
function fakeZebra() {
  const z = { paperOut: false, labels: 0, jobs: [], server: null, port: 0 };
  z.server = net.createServer((sock) => {
    let buf = '', scanned = 0;
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      for (let at; (at = buf.indexOf('~HS', scanned)) !== -1;) {
        scanned = at + 3;
        const s1 = `030,${z.paperOut ? 1 : 0},0,0812,000,0,0,0,000,0,0,0`;
        sock.write(`\x02${s1}\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n`);
      }
      scanned = Math.max(scanned, buf.length - 2);
    });
    sock.on('end', () => {
      const n = (buf.match(/\^BQ/g) || []).length;
      z.labels += n;
      if (n) z.jobs.push(buf);
      sock.end();
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => z.server.listen(0, '127.0.0.1', () => { z.port = z.server.address().port; resolve(z); }));
}

// Starts `argv`, resolving with the URL it prints ("listening on http://…").
function startServer(name, argv) {
  return new Promise((resolve, reject) => {
    const p = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stderr.on('data', (d) => process.stderr.write(`[${name}] ` + d));
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve({ proc: p, url: m[1] });
    });
    p.on('exit', (code) => reject(new Error(`${name} exited with ${code}: ${out}`)));
  });
}

// The job's ZPL as the printer received it, drawn by zpl-renderer-js and read by zbarimg:
// the QR payloads, in label order.
function decodeJob(zpl) {
  const dir = path.join(ARTIFACTS, 'job-labels');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  const file = path.join(ARTIFACTS, 'job-12.zpl');
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
  return startServer('station', [STATION, 'serve', '--ledger', fx.ledger, '--config', fx.config, '--state', fx.state,
    '--listen', '127.0.0.1:0']);
}

async function shot(page, name) {
  const vp = page.viewportSize();
  const file = path.join(ARTIFACTS, `${name}-${vp.width}x${vp.height}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log('screenshot', file);
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
  const fx = JSON.parse(execFileSync(FIXTURE, ['station-browser', String(zebra.port)], { encoding: 'utf8' }));
  for (const [id, pin] of [['op-07', '4829'], ['op-09', '1357']])
    execFileSync(STATION, ['user', 'add', '--state', fx.state, '--id', id, '--role', 'operator', '--enterprise', 'COOP',
      '--config', fx.config], { input: pin + '\n' });
  const station = await startStation(fx);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
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
    await shot(page, 'station-locked');

    // op-07 signs in.
    await signIn(page, 'op-07', '4829');
    await page.waitForSelector('#print:not([hidden])');
    assert.match(await page.textContent('#who'), /op-07/);

    // A scanner types a label's URL into the lot field, then Enter.
    await page.fill('#lot-field', fx.label_url);
    await page.press('#lot-field', 'Enter');
    await page.waitForFunction((lot) => document.querySelector('#info-lot').textContent === lot, fx.lot);
    await page.waitForFunction(() => { const i = document.querySelector('#preview-img'); return i.complete && i.naturalWidth > 0; });
    assert.strictEqual(await page.textContent('#info-left'), '1998');  // 2000 packed, 2 labelled by the fixture
    assert.strictEqual(await page.inputValue('#lot-field'), fx.lot);

    // Quantity 12: preset 10, then + twice; the printer answers ready.
    await page.click('.preset:text-is("10")');
    await page.click('#qty-plus');
    await page.click('#qty-plus');
    assert.strictEqual(await page.inputValue('#qty'), '12');
    await page.waitForFunction(() => /就绪/.test(document.querySelector('#printer-status').textContent));
    await page.waitForSelector('#print-btn:not([disabled])');
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
    await page.waitForFunction(() => document.querySelector('#info-left').textContent === '1986');
    await shot(page, 'station-printed');

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
    await tall.click(`#lot-list button[data-lot="${fx.lot}"]`).catch(async () => {
      await tall.click('#product-list button[data-product="SCALLION-06901234567892"]');
      await tall.click(`#lot-list button[data-lot="${fx.lot}"]`);
    });
    await tall.waitForFunction((lot) => document.querySelector('#info-lot').textContent === lot, fx.lot);
    await tall.waitForFunction(() => { const i = document.querySelector('#preview-img'); return i.complete && i.naturalWidth > 0; });
    await tall.waitForFunction(() => /就绪/.test(document.querySelector('#printer-status').textContent), null, { timeout: 20000 });
    await shot(tall, 'station-print');
    zebra.paperOut = true;
    await tall.waitForFunction(() => /缺纸/.test(document.querySelector('#printer-status').textContent), null, { timeout: 20000 });
    assert.ok(await tall.isDisabled('#print-btn'));
    await tall.evaluate(() => document.querySelector('#print-btn').scrollIntoView());
    await shot(tall, 'station-paper-out');

    // Touch targets ≥ 48 px and text ≥ 18 px on the print screen.
    const small = await tall.evaluate(() => {
      const bad = [];
      document.querySelectorAll('#print button, #print input, header button').forEach((e) => {
        const r = e.getBoundingClientRect();
        if (r.width > 0 && (r.height < 48 || r.width < 48)) bad.push(e.id || e.textContent + ' ' + r.width + 'x' + r.height);
      });
      document.querySelectorAll('#print *, #signin *').forEach((e) => {
        if (e.children.length === 0 && e.textContent.trim() && e.getBoundingClientRect().width > 0 &&
            parseFloat(getComputedStyle(e).fontSize) < 18) bad.push('text ' + e.textContent.slice(0, 20));
      });
      return bad;
    });
    assert.deepStrictEqual(small, []);
    assert.deepStrictEqual(dialogs, []);
    console.log('station browser test: ok');
  } finally {
    await browser.close();
    station.proc.kill('SIGTERM');
    zebra.server.close();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
