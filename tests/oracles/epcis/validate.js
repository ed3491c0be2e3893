// Validates EPCIS 2.0 JSON-LD documents with GS1's epcis2.js (DESIGN §7): the oracle that judges
// agtrace's EPCIS exports. Usage: node validate.js FILE...  Prints "ok FILE" or "invalid FILE: why"
// per file; exits 0 when every file is valid, 1 when one is not, 2 on usage or read errors.
'use strict';
const fs = require('node:fs');
const { validateEpcisDocument } = require('epcis2.js');

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate.js FILE...');
  process.exit(2);
}
let status = 0;
for (const file of files) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`unreadable ${file}: ${e.message}`);
    process.exit(2);
  }
  const result = validateEpcisDocument(doc, false);
  if (result.success) {
    console.log(`ok ${file}`);
  } else {
    console.log(`invalid ${file}: ${result.errors.join('; ')}`);
    status = 1;
  }
}
process.exit(status);
