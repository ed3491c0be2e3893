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

module.exports = { fakeZebra, startServer };
