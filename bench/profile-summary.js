// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per
// module, highest first. Used by `npm run bench` with BENCH_CPU_PROF=1; also runnable alone:
//   node bench/profile-summary.js path/to/file.cpuprofile [top]
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

/** Where a function lives, shortened: `node_modules/<pkg>`, `dist/…`, `node:…`. */
function shortUrl(url) {
  if (!url) return '';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return `node_modules/${url.slice(nm + '/node_modules/'.length)}`;
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

/** The module a function is charged to: an npm package, a dist/ file, or a V8/Node category. */
function moduleOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8)';
  const s = shortUrl(url);
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(s);
  if (m) return m[1];
  if (s.startsWith('node:')) return 'node: core';
  return s;
}

/**
 * @param {{ nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, hitCount?: number }>, startTime: number, endTime: number, samples?: number[], timeDeltas?: number[] }} profile
 * @returns {{ totalMs: number, functions: Array<{ name: string, ms: number, pct: number }>, modules: Array<{ name: string, ms: number, pct: number }> }}
 */
export function summarizeProfile(profile) {
  const selfUs = new Map();
  if (profile.samples && profile.timeDeltas) {
    // timeDeltas[i] is the time before sample i; charge it to the sample that ends it.
    for (let i = 0; i < profile.samples.length; i++) {
      const id = profile.samples[i];
      selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0));
    }
  } else {
    const total = profile.endTime - profile.startTime;
    const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
    for (const node of profile.nodes) selfUs.set(node.id, ((node.hitCount ?? 0) * total) / hits);
  }
  const byFunction = new Map();
  const byModule = new Map();
  let totalUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'}${url ? ` ${shortUrl(url)}:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const mod = moduleOf(url, functionName || '(anonymous)');
    byModule.set(mod, (byModule.get(mod) ?? 0) + us);
  }
  const rank = (map) =>
    [...map.entries()]
      .map(([name, us]) => ({ name, ms: us / 1000, pct: totalUs ? (100 * us) / totalUs : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return { totalMs: totalUs / 1000, functions: rank(byFunction), modules: rank(byModule) };
}

/** Plain-text report of {@link summarizeProfile}. */
export function formatProfileSummary(summary, top = 25) {
  const line = (e) => `${e.pct.toFixed(1).padStart(6)}%  ${e.ms.toFixed(0).padStart(7)} ms  ${e.name}`;
  return [
    `CPU profile: ${summary.totalMs.toFixed(0)} ms sampled`,
    `Top ${top} functions by self time:`,
    ...summary.functions.slice(0, top).map(line),
    `Self time by module:`,
    ...summary.modules.slice(0, 15).map(line),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node bench/profile-summary.js <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  process.stdout.write(`${formatProfileSummary(summarizeProfile(profile), Number(process.argv[3] ?? 25))}\n`);
}
