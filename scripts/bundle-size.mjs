#!/usr/bin/env node
// The frontend plugin's share of the app's JavaScript, from the bundle stats of a production build:
//   yarn workspace app build --stats && node scripts/bundle-size.mjs
// "initial" is what index.html loads before any route renders (the entry chunks); "lazy" is loaded on demand.
// Module sizes are rspack's per-module sizes (the code as bundled, before minification and gzip); the initial
// JS total is the minified files on disk.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dist =
  process.argv[2] ?? join(import.meta.dirname, '..', 'packages', 'app', 'dist');
const stats = JSON.parse(readFileSync(join(dist, 'bundle-stats.json'), 'utf8'));
const ours = /plugins\/service-mesh(-common)?\/src\//;
const initialChunks = new Set(
  stats.chunks.filter(c => c.initial).map(c => c.id),
);

let pluginInitial = 0;
let pluginLazy = 0;
const initialFiles = [];
for (const m of stats.modules) {
  const name = m.name ?? '';
  if (!ours.test(name)) continue;
  const inInitial = (m.chunks ?? []).some(id => initialChunks.has(id));
  if (inInitial) pluginInitial += m.size;
  else pluginLazy += m.size;
  if (inInitial) initialFiles.push([m.size, name]);
}
const entryFiles = new Set(
  stats.chunks
    .filter(c => c.initial)
    .flatMap(c => c.files)
    .filter(f => f.endsWith('.js')),
);
const initialBytes = [...entryFiles].reduce(
  (sum, f) => sum + statSync(join(dist, f)).size,
  0,
);
const kib = n => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `app initial JS (entry chunks, on disk): ${kib(initialBytes)} in ${
    entryFiles.size
  } files`,
);
console.log(
  `service-mesh plugin modules in initial chunks: ${kib(pluginInitial)}`,
);
console.log(
  `service-mesh plugin modules in lazy chunks:    ${kib(pluginLazy)}`,
);
if (process.argv.includes('--list')) {
  for (const [size, name] of initialFiles.sort((a, b) => b[0] - a[0]))
    console.log(`  ${kib(size)}  ${name}`);
}
