// Renders a ZPL file to one PNG per label with zpl-renderer-js (the zebrash engine).
// Usage: node zpl_render.js FILE.zpl WIDTH_MM HEIGHT_MM DPMM OUTDIR  → OUTDIR/label-N.png
'use strict';
const fs = require('fs');
const path = require('path');
const { ready } = require('zpl-renderer-js');

(async () => {
  const [file, widthMm, heightMm, dpmm, outDir] = process.argv.slice(2);
  const zpl = fs.readFileSync(file, 'latin1');
  const { api } = await ready;
  const labels = await api.zplToBase64MultipleAsync(zpl, Number(widthMm), Number(heightMm), Number(dpmm));
  labels.forEach((b64, i) => {
    fs.writeFileSync(path.join(outDir, `label-${String(i + 1).padStart(5, '0')}.png`), Buffer.from(b64, 'base64'));
  });
  console.log(labels.length);
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
