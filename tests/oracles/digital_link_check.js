// Checks GS1 Digital Link URIs with GS1's digital-link.js: one URI per input line; prints
// one JSON object per line {uri, valid, gtin, lot, serial} (AI values as the URI carries
// them, still percent-encoded). Exit status 0 when every URI is valid, 1 otherwise.
'use strict';
const { DigitalLink } = require('digital-link.js');

const input = require('fs').readFileSync(0, 'utf8');
let ok = true;
for (const uri of input.split('\n').filter((l) => l.length > 0)) {
  let out = { uri, valid: false };
  try {
    const dl = DigitalLink(uri);
    const q = dl.getKeyQualifiers();
    out = { uri, valid: dl.isValid(), gtin: dl.getIdentifier()['01'], lot: q['10'], serial: q['21'] };
  } catch (e) {
    out.error = String(e);
  }
  if (!out.valid) ok = false;
  console.log(JSON.stringify(out));
}
process.exit(ok ? 0 : 1);
