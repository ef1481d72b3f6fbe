// Gzip size of the JavaScript a first visit loads: the entry script in dist/index.html and the chunks it
// preloads (lazy screens excluded). Fails above the 150 KB budget. Run after `npm run build`: `npm run size`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET = 150 * 1024;
const dist = join(import.meta.dirname, '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const files = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]);
let total = 0;
for (const f of files) {
  const gz = gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
  total += gz;
  console.log(`${f}\t${(gz / 1024).toFixed(1)} KB gzip`);
}
console.log(`initial JS\t${(total / 1024).toFixed(1)} KB gzip (budget ${BUDGET / 1024} KB)`);
if (!files.length || total > BUDGET) process.exit(1);
