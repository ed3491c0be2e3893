// The idle timeout in Debian's chromium (issue 15 item 1, docs/station.md "登录超时"; ctest label
// station;browser), driven by playwright-core as station_browser_test.js is. The station serves
// in-process (station_test_fixture --serve) with session_idle_minutes 1 and its idle clock moved
// ahead on request, so no test waits a real minute. A print screen left open while its polls run
// returns to sign-in with 登录已超时，请重新输入 PIN once the minute has passed (the polls alone
// never keep a session), and a click on the stale screen's 打印 after that prints nothing; nor
// does a click that is itself the first request after the minute.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { spawn } = require('child_process');
const { chromium } = require(path.join(process.env.AGTRACE_ORACLES, 'node_modules', 'playwright-core'));

const FIXTURE = process.env.AGTRACE_STATION_FIXTURE;
const ARTIFACTS = process.env.AGTRACE_ARTIFACTS;
fs.mkdirSync(ARTIFACTS, { recursive: true });

// The in-process station: its lot, URL, and `send(command)` / `labels()` on its standard input.
function startStation() {
  const p = spawn(FIXTURE, ['--serve', 'station-idle', '1'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: p.stdout });
  const waiting = [];
  let started = null;
  const st = { proc: p, send: (c) => p.stdin.write(c + '\n') };
  st.labels = () => new Promise((resolve) => { waiting.push(resolve); st.send('labels'); });
  return new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('{')) started = JSON.parse(line);
      const m = line.match(/^listening on (http:\/\/\S+)/);
      if (m) resolve(Object.assign(st, started, { url: m[1] }));
      const n = line.match(/^labels (\d+)$/);
      if (n) waiting.shift()(Number(n[1]));
    });
    p.on('exit', (code) => reject(new Error(`station_test_fixture exited with ${code}`)));
  });
}

async function signIn(page, user, pin) {
  await page.fill('#user', user);
  await page.click('#key-clear');
  for (const d of pin) await page.click(`#keypad .key:text-is("${d}")`);
  await page.click('#signin-btn');
  await page.waitForSelector('#print:not([hidden])');
}

// The lot chosen and one label set: 打印 is ready to press (the printer's status came in).
async function readyToPrint(page, lot) {
  await page.fill('#lot-field', lot);
  await page.press('#lot-field', 'Enter');
  await page.waitForFunction(() => document.querySelector('#info-left').textContent.startsWith('2000'));
  await page.click('.preset:text-is("1")');
  await page.waitForSelector('#print-btn:not([disabled])');
}

async function timedOut(page) {
  await page.waitForSelector('#signin:not([hidden])', { timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('#signin-msg').textContent !== '');
  assert.strictEqual(await page.textContent('#signin-msg'), '登录已超时，请重新输入 PIN');
  assert.ok(await page.isHidden('#print'), 'the print screen is gone');
}

async function main() {
  const station = await startStation();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(station.url + '/');
    await signIn(page, 'op-07', '4829');
    await readyToPrint(page, station.lot);
    // Half a minute untouched, the screen polling every 2 s: still signed in.
    station.send('idle-skew 30000');
    const polled = (n) => page.waitForResponse((r) => r.url().endsWith('/api/jobs') && r.status() === n);
    await polled(200);
    await polled(200);
    assert.ok(await page.isVisible('#print'), 'signed in within the minute');
    // The minute passes with only the polls running: back to sign-in, saying why.
    station.send('idle-skew 61000');
    await timedOut(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'station-idle-timeout-1024x768.png') });
    // A click on the stale screen's 打印 (hidden now; pressed as a script would) prints nothing.
    await page.evaluate(() => document.querySelector('#print-btn').click());
    await page.waitForTimeout(1000);
    assert.ok(await page.isVisible('#signin'));
    assert.strictEqual(await station.labels(), 0);

    // Signed in again (the PIN is all it takes), the lot chosen: the minute passes untouched and
    // the next thing the operator does is press 打印 — refused as timed out, back to sign-in.
    await signIn(page, 'op-07', '4829');
    await readyToPrint(page, station.lot);
    station.send('idle-skew 122000');
    await page.evaluate(() => document.querySelector('#print-btn').click());
    await timedOut(page);
    assert.strictEqual(await station.labels(), 0);
    await signIn(page, 'op-07', '4829');
    const jobs = await page.evaluate(() => fetch('/api/jobs').then((r) => r.json()));
    assert.deepStrictEqual(jobs, [], 'no job was queued by a click after the timeout');
    console.log('station idle browser test: ok');
  } finally {
    await browser.close();
    station.proc.stdin.end();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
