// Summarises a V8 .cpuprofile (as written by `node --cpu-prof`): where the busy (non-idle) samples went, by
// package and by function, both self time and inclusive time, and which library code the hottest native or
// node-core frames were called for. bench/run.mjs --cpu-prof calls it on the server's profile once per scenario,
// limited to the scenario's timed window (V8's profile clock and process.hrtime are both CLOCK_MONOTONIC, in µs).
// It also runs alone:  node bench/cpu-profile-summary.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Which package a frame belongs to: the answer to "is the time ours, Nest's, Express's, pg's or V8's?". */
function packageOf(frame) {
  const { url, functionName } = frame;
  if (SPECIAL.has(functionName)) return functionName;
  if (!url) return '(native / V8 builtins)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return 'node core';
  const src = url.indexOf('/dist/src/');
  if (src >= 0)
    return `concord ${url
      .slice(src + '/dist/'.length)
      .split('/')
      .slice(0, 2)
      .join('/')}`;
  return url;
}

function frameKey(frame) {
  const where = frame.url
    ? `${frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}`
    : '';
  return `${frame.functionName || '(anonymous)'} ${where}`.trim();
}

/** The nearest frame on the stack that is library or application code, not node core or a V8 builtin. */
function ownerOf(nodeId, byId, parent) {
  for (let id = parent.get(nodeId); id !== undefined; id = parent.get(id)) {
    const pkg = packageOf(byId.get(id).callFrame);
    if (pkg !== 'node core' && !pkg.startsWith('(')) return `${pkg}: ${frameKey(byId.get(id).callFrame)}`;
  }
  return '(no library frame)';
}

/**
 * @param {string} file
 * @param {number} top how many rows per section
 * @param {{startUs: number, endUs: number, label?: string}} [window] only samples taken in this monotonic-clock window
 */
export function summariseProfile(file, top = 20, window = undefined) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  let idle = 0;
  let idleMs = 0;
  let busyMs = 0;
  const selfByFunction = new Map();
  const selfByPackage = new Map();
  const inclusiveByFunction = new Map();
  const inclusiveByPackage = new Map();
  const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);

  const ownersOfSelf = new Map(); // function -> Map(owner -> samples)
  let t = profile.startTime;
  let counted = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (window && (t < window.startUs || t > window.endUs)) continue;
    counted++;
    const id = profile.samples[i];
    const leaf = byId.get(id);
    // A sample stands for the time since the previous one (the interval stretches when the thread is busy).
    const ms = profile.timeDeltas[i] / 1000;
    if (leaf.callFrame.functionName === '(idle)') {
      idle++;
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    const leafKey = frameKey(leaf.callFrame);
    add(selfByFunction, leafKey);
    add(selfByPackage, packageOf(leaf.callFrame));
    if (!ownersOfSelf.has(leafKey)) ownersOfSelf.set(leafKey, new Map());
    add(ownersOfSelf.get(leafKey), ownerOf(id, byId, parent));
    // Inclusive: every distinct function / package on the stack gets the sample once (recursion counted once).
    const seenFunctions = new Set();
    const seenPackages = new Set();
    for (let nodeId = id; nodeId !== undefined; nodeId = parent.get(nodeId)) {
      const frame = byId.get(nodeId).callFrame;
      if (frame.functionName === '(root)') continue;
      seenFunctions.add(frameKey(frame));
      seenPackages.add(packageOf(frame));
    }
    for (const key of seenFunctions) add(inclusiveByFunction, key);
    for (const key of seenPackages) add(inclusiveByPackage, key);
  }

  const busy = Math.max(1, counted - idle);
  const ranked = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, samples]) => ({ name, busyPct: (100 * samples) / busy, ms: (samples / busy) * busyMs }));
  const selfByFunctionRanked = ranked(selfByFunction, top);
  return {
    file,
    label: window?.label,
    wallMs: window ? (window.endUs - window.startUs) / 1000 : (profile.endTime - profile.startTime) / 1000,
    busyMs,
    idleMs,
    selfByPackage: ranked(selfByPackage, top),
    inclusiveByPackage: ranked(inclusiveByPackage, top),
    selfByFunction: selfByFunctionRanked,
    inclusiveByFunction: ranked(inclusiveByFunction, top),
    // For the hottest native / node-core leaves (writev, createPublicKey…): whose code they ran for.
    callersOfHottest: selfByFunctionRanked
      .filter((r) => ownersOfSelf.has(r.name) && r.busyPct >= 2)
      .slice(0, 6)
      .map((r) => ({ name: r.name, busyPct: r.busyPct, owners: ranked(ownersOfSelf.get(r.name), 4) })),
  };
}

export function formatSummary(s) {
  const lines = [];
  const section = (title, rows) => {
    lines.push(`  ${title}`);
    for (const r of rows) lines.push(`    ${r.busyPct.toFixed(1).padStart(5)}%  ${r.name}`);
  };
  lines.push(
    `CPU profile${s.label ? ` of ${s.label}` : ''}: ${(s.wallMs / 1000).toFixed(1)} s wall, main thread busy ` +
      `${(s.busyMs / 1000).toFixed(1)} s (percentages are of busy time; argon2 runs on threads of its own, not in this profile)`,
  );
  section('self time by package', s.selfByPackage);
  section('inclusive time by package (a package counted once per sample)', s.inclusiveByPackage);
  section('self time by function', s.selfByFunction);
  section('inclusive time by function', s.inclusiveByFunction);
  if (s.callersOfHottest.length) {
    lines.push('  hottest leaves, by the nearest library/application frame that called them');
    for (const h of s.callersOfHottest) {
      lines.push(`    ${h.busyPct.toFixed(1).padStart(5)}%  ${h.name}`);
      for (const o of h.owners) lines.push(`           ${o.busyPct.toFixed(1).padStart(5)}%  ${o.name}`);
    }
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node bench/cpu-profile-summary.mjs <file.cpuprofile> [top]\n');
    process.exit(64);
  }
  console.log(formatSummary(summariseProfile(file, Number(top) || 20)));
}
