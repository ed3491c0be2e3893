// Shared by the station's browser tests (station_browser_test.js,
// station_cert_upload_browser_test.js): a fake Zebra on loopback and starting a server program.
'use strict';
const net = require('net');
const { spawn } = require('child_process');

// A Zebra on raw TCP: every ~HS answered with the three <STX>…<ETX> strings of the ZPL II
// Programming Guide; field b of string 1 is "paper out".
function fakeZebra() {
  // paperOutAfter: a connection that has sent that many labels is answered paper out (a roll
  // running out mid-job); slowMs: status answers after labels are delayed (a job stays sending).
  const z = { paperOut: false, paperOutAfter: Infinity, slowMs: 0, labels: 0, jobs: [], tags: [], server: null, port: 0 };
  z.server = net.createServer((sock) => {
    let buf = '', scanned = 0;
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      for (let at; (at = buf.indexOf('~HS', scanned)) !== -1;) {
        scanned = at + 3;
        const sent = (buf.slice(0, at).match(/\^BQ/g) || []).length;
        const s1 = `030,${z.paperOut || sent >= z.paperOutAfter ? 1 : 0},0,0812,000,0,0,0,000,0,0,0`;
        const reply = `\x02${s1}\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n`;
        if (z.slowMs && sent > 0) setTimeout(() => { if (!sock.destroyed) sock.write(reply); }, z.slowMs);
        else sock.write(reply);
      }
      scanned = Math.max(scanned, buf.length - 2);
    });
    sock.on('end', () => {
      const n = (buf.match(/\^BQ/g) || []).length;
      z.labels += n;
      if (n) z.jobs.push(buf);
      else if (buf.includes('^XGR:AGTLOT.GRF')) z.tags.push(buf);  // a lot tag: no QR code
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

// Latin words left on a screen shown in Chinese (issue 15, second trial: a native control's
// English, an event type's English name, an enterprise's code where its name belongs): every
// visible text and placeholder, each word of two or more Latin letters that is not an id or code
// (those carry a digit, '-', '_', '.' or '/': op-07, LC-ST-0001, UTF-8; a file's .csv; a 13-character
// serial such as VDDFEKYWNPCPT), not data as the ledger
// spells it (class "data": product and printer names; the clerk's own cells in #up-preview; the
// English switch), and not in ALLOWED — what Chinese text writes in Latin letters too.
const ALLOWED = ['PIN', 'PDF', 'CSV', 'Excel', 'MB', 'KB', 'ZPL', 'TSPL', 'dpi', 'mm', 'QR', 'kg'];
function latinWords(page) {
  return page.evaluate((allowed) => {
    const ok = new Set(allowed);
    const out = [];
    const shown = (e) => e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const check = (text, where) => {
      for (const word of text.replace(/https?:\/\/\S+/g, ' ').match(/(?<![A-Za-z0-9._/-])[A-Za-z0-9][A-Za-z0-9._/-]*/g) || []) {
        if (/[0-9._/-]/.test(word) || /^[0-9A-Z]{13}$/.test(word) || word.length < 2 || ok.has(word)) continue;
        out.push(`${where}: ${word} (${text.trim().slice(0, 80)})`);
      }
    };
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n; (n = w.nextNode());) {
      const e = n.parentElement;
      if (!n.textContent.trim() || !shown(e) || e.closest('.data, #up-preview, #lang')) continue;
      check(n.textContent, e.id || e.closest('[id]')?.id || e.tagName.toLowerCase());
    }
    document.querySelectorAll('input[placeholder]').forEach((e) => { if (shown(e)) check(e.placeholder, e.id); });
    return out;
  }, ALLOWED);
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

// Whether the text of `sel` is set on one line (a button label that wrapped has two).
function oneLine(page, sel) {
  return page.$eval(sel, (e) => {
    const r = document.createRange();
    r.selectNodeContents(e);
    return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size === 1;
  });
}

// The grey (disabled) action buttons shown in `scope` whose reason is missing: every one says
// why beside it, in the element named after it (print-btn → print-why, up-go → up-go-why).
function greyWithoutReason(page, scope) {
  return page.evaluate((sc) => [...document.querySelectorAll(`${sc} button.primary`)].filter((b) => {
    if (!b.disabled || !b.getClientRects().length) return false;
    const why = document.getElementById(b.id.replace(/-btn$/, '') + '-why');
    return !why || !why.getClientRects().length || !why.textContent.trim();
  }).map((b) => b.id || b.textContent), scope);
}

// What breaks the top bar at this width: tabs on more than one row, a tab's or a header
// button's words wrapped (退/出).
function barProblems(page) {
  return page.evaluate(() => {
    const bad = [];
    const lines = (e) => {
      const r = document.createRange();
      r.selectNodeContents(e);
      return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
    };
    const tabs = [...document.querySelectorAll('#tabs button')].filter((b) => b.getClientRects().length);
    if (new Set(tabs.map((b) => Math.round(b.getBoundingClientRect().top))).size > 1) bad.push('tabs on two rows');
    for (const b of [...tabs, ...document.querySelectorAll('header button')]) {
      if (!b.getClientRects().length) continue;
      if (lines(b) > 1) bad.push('wrapped: ' + b.textContent);
      if (b.scrollWidth > b.clientWidth + 1) bad.push('cut off: ' + b.textContent);
      const r = b.getBoundingClientRect();
      if (r.right > window.innerWidth || r.left < 0) bad.push('outside: ' + b.textContent);
    }
    return bad;
  });
}

// Numbers and dates broken inside across lines in the cells `sel` (a 2026-12-02 split as
// 2026-/12-02, a GTIN split in its digits): each run of digits (with - : . inside) on one line.
function brokenNumbers(page, sel) {
  return page.evaluate((s) => {
    const bad = [];
    document.querySelectorAll(s).forEach((cell) => {
      const w = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n; (n = w.nextNode());) {
        for (const m of n.textContent.matchAll(/\d[\d:.-]*\d/g)) {
          const r = document.createRange();
          r.setStart(n, m.index);
          r.setEnd(n, m.index + m[0].length);
          if (new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1) bad.push(m[0] + ' in ' + cell.textContent);
        }
      }
    });
    return bad;
  }, sel);
}

module.exports = { fakeZebra, startServer, latinWords, belowFold, oneLine, greyWithoutReason, barProblems, brokenNumbers };
