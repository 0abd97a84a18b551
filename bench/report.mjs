// The printed report (one table of scenarios, then the argon2 bound, then each target beside its result) and what
// goes into it: the targets met or not, and the CPU profile cut per scenario.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { boundDisturbed } from './bound.mjs';
import { CONNECTIONS, MIXED_CONNECTIONS, OTHER_CORES_LIMIT, TARGET } from './config.mjs';
import { summariseProfile } from './cpu-profile-summary.mjs';
import { log } from './harness.mjs';

/** Each target beside its result; records each login and register part's share of the bound on the part. */
export function evaluateTargets(scenarios, bound) {
  const part = (scenario, index = 0) => scenarios.find((s) => s.name === scenario)?.parts[index];
  const targets = [];
  const profile = part('profile');
  if (profile) {
    targets.push({
      target: `/user/profile ≥ ${fmt(TARGET.profileRps)} req/s at ${CONNECTIONS} connections`,
      result: `${fmt(profile.rps)} req/s`,
      met: profile.rps >= TARGET.profileRps,
    });
    targets.push({
      target: `/user/profile p99 < ${TARGET.profileP99Ms} ms at ${CONNECTIONS} connections`,
      result: `${fmt(profile.p99Ms, 2)} ms`,
      met: profile.p99Ms < TARGET.profileP99Ms,
    });
  }
  for (const name of ['login', 'register']) {
    const p = part(name);
    if (!p || !bound) continue;
    const share = p.rps / bound.opsPerSec;
    p.boundShare = share;
    targets.push({
      target: `${name} ≥ ${TARGET.boundShare * 100}% of the argon2id bound`,
      result: `${fmt(share * 100, 1)}% (${fmt(p.rps, 1)} of ${fmt(bound.opsPerSec, 1)}/s)`,
      met: share >= TARGET.boundShare,
    });
    if (bound.quiet && bound.before) {
      p.quietBoundShare = p.rps / bound.quiet.opsPerSec;
      targets.push({
        target: `  ${name} against the quiet bound (nothing beside it; for reference)`,
        result: `${fmt(p.quietBoundShare * 100, 1)}% (${fmt(p.rps, 1)} of ${fmt(bound.quiet.opsPerSec, 1)}/s)`,
        met: undefined,
      });
    }
  }
  const mixedProfile = part('mixed', 1);
  if (mixedProfile) {
    const mixedLogin = part('mixed', 0);
    targets.push({
      target: `mixed: /user/profile p99 while logins saturate the CPU (${MIXED_CONNECTIONS}+${MIXED_CONNECTIONS} conns; no set target)`,
      result: `${fmt(mixedProfile.p99Ms, 2)} ms p99, ${fmt(mixedProfile.rps)} req/s; logins ${fmt(mixedLogin.rps, 1)}/s`,
      met: undefined,
    });
  }
  const errors = scenarios.flatMap((s) => s.parts).reduce((sum, p) => sum + p.errors, 0);
  targets.push({
    target: 'every answer {ret:200}, no socket errors or timeouts',
    result: `${fmt(errors)} errors`,
    met: errors === 0,
  });
  return targets;
}

/** One summary per scenario, of the server's main thread during that scenario's timed run only. */
export function summariseProfiles(dir, scenarios) {
  // With WEB_CONCURRENCY > 1 the primary (which only hands connections out) writes a profile too: summarise the
  // largest, a worker's.
  const file = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0]
    : undefined;
  if (!file) {
    log(`no .cpuprofile was written in ${dir}`);
    return [];
  }
  log(`CPU profile: ${join(dir, file)}`);
  return scenarios.map((s) => summariseProfile(join(dir, file), 15, s.window));
}

/** A number with thousands separators, or '-' when there is none. */
function fmt(value, digits = 0) {
  return value === undefined || value === null || Number.isNaN(value)
    ? '-'
    : Number(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function mb(kb) {
  return kb === undefined ? '-' : fmt(kb / 1024, 0);
}

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReport(results) {
  const { env, scenarios, bound, targets } = results;
  const out = [];
  out.push('');
  out.push(`Concord benchmark  ${results.startedAt}  commit ${env.commit ?? '?'}`);
  out.push(
    `node ${env.node}, ${env.cores} cores, PostgreSQL ${env.database.version} (${env.database.kind}; fsync=${env.database.fsync}, ` +
      `synchronous_commit=${env.database.synchronousCommit}), ${env.durationS} s per scenario, load generators: ${env.generators}`,
  );
  if (env.loadAverageAtStart[0] > 0.5) {
    out.push(
      `NOTE: load average was ${env.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')} at start; other work on the ` +
        'machine lowers these numbers (see the "other" CPU column).',
    );
  }
  out.push('');

  const header = [
    'scenario',
    'generator',
    'conns',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'errors',
    'RSS end MB',
    'RSS peak MB',
    'CPU main/thr/pg/gen/other',
    'main ms/req',
  ];
  const rows = [];
  for (const s of scenarios) {
    for (const part of s.parts) {
      rows.push([
        s.parts.length > 1 ? `${s.name}: ${part.label}` : s.name,
        part.generator,
        part.connections,
        fmt(part.rps, 1),
        fmt(part.p50Ms, part.generator === 'wrk' ? 2 : 0),
        fmt(part.p99Ms, part.generator === 'wrk' ? 2 : 0),
        fmt(part.non2xx),
        fmt(part.errors),
        mb(s.memory.endKb),
        mb(s.memory.peakKb),
        s.cpu
          ? [s.cpu.serverMain, s.cpu.serverThreads, s.cpu.postgres, s.cpu.generator, s.cpu.other]
              .map((v) => fmt(v, 2))
              .join('/')
          : '-',
        fmt(s.cpu?.mainMsPerRequest, 2),
      ]);
    }
  }
  out.push(table(header, rows));
  out.push(
    "  (latencies: autocannon measures whole milliseconds. CPU: cores used on average by the server's main thread (the " +
      'event loop; 1.00 = saturated), its other threads (the hashing threads, GC), its PostgreSQL backends, the load ' +
      'generator(s), and everything else on the machine; main ms/req: main-thread CPU per request)',
  );
  for (const s of scenarios)
    for (const part of s.parts)
      if (part.badSamples?.length)
        out.push(
          `  ${s.name}/${part.label}: first bad bodies: ${part.badSamples.map((b) => JSON.stringify(b)).join(' | ')}`,
        );

  // A benchmark on a shared machine is only as good as the machine was quiet: say so where it was not.
  const disturbed = [];
  for (const s of scenarios) {
    if (s.cpu?.other > OTHER_CORES_LIMIT)
      disturbed.push(`${s.name} (${fmt(s.cpu.other, 2)} cores used by other processes)`);
  }
  for (const b of [bound?.before, bound?.after, bound?.quiet].filter(Boolean)) {
    if (boundDisturbed(b)) {
      disturbed.push(
        `bound ${b.label} (it got ${fmt(b.coresUsed, 2)} of ${b.concurrency} cores; others used ${fmt(b.otherCores, 2)})`,
      );
    }
  }
  if (disturbed.length) {
    out.push('');
    out.push(
      `WARNING: other work on the machine disturbed: ${disturbed.join('; ')}. Re-run on a quiet machine for numbers to compare.`,
    );
  }

  if (bound) {
    out.push('');
    out.push(
      `argon2id bound: ${fmt(bound.opsPerSec, 1)} verify/s (${bound.concurrency} concurrent, ${fmt(bound.msPerOp, 1)} ms each, ` +
        `${bound.params ? `m=${bound.params.m} t=${bound.params.t} p=${bound.params.p}` : 'params ?'}; ` +
        `before login ${fmt(bound.before?.opsPerSec, 1)}, after login ${fmt(bound.after?.opsPerSec, 1)}, ` +
        `quiet ${fmt(bound.quiet?.opsPerSec, 1)}; mean of ${bound.samplesUsed.join(' and ')})`,
    );
    const login = scenarios.find((s) => s.name === 'login');
    for (const b of [bound.before, bound.after].filter((x) => x?.beside)) {
      out.push(
        `  beside the bound ${b.label}: logins replayed at ${fmt(b.beside.replayedRps, 1)}/s; PostgreSQL ` +
          `${fmt(b.beside.postgresCores, 2)} cores, generator ${fmt(b.beside.generatorCores, 2)}, stand-in ` +
          `${fmt(b.beside.standInCores, 2)}` +
          (login?.cpu
            ? ` (in the login run: PostgreSQL ${fmt(login.cpu.postgres, 2)}, generator ${fmt(login.cpu.generator, 2)})`
            : ''),
      );
    }
    out.push(`  ${bound.method}`);
  }

  out.push('');
  out.push('Targets');
  out.push(
    table(
      ['target', 'result', 'met'],
      targets.map((t) => [t.target, t.result, t.met === undefined ? 'n/a' : t.met ? 'yes' : 'NO']),
    ),
  );
  out.push(
    '  (for reference on this kind of machine: a hand-written Fastify + pg server does ~4,000 profile req/s, Parse Server ~700)',
  );
  return out.join('\n');
}
