// login: POST /passport/email/login rotating over the seeded users (autocannon), bounded by argon2id. Its result is
// read against the argon2id bound (../bound.mjs), sampled right before and right after the timed run while the
// stand-in (../login-stand-in.mjs) answers the same logins replayed at the rate they reached, and once more quiet.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOUND_S, COMMON, CONNECTIONS } from '../config.mjs';
import { runAutocannon } from '../harness.mjs';
import { onCleanup } from '../lifecycle.mjs';
import { startStandIn } from '../bound.mjs';

const json = { 'content-type': 'application/json' };

function loginBodies(users) {
  return users.map((u) => JSON.stringify({ email: u.email, password: u.digest, ...COMMON }));
}

/** Logins for `durationS` at `connections`, each as the next seeded user. */
export function loginRequests({ baseUrl, users }) {
  const bodies = loginBodies(users);
  return (connections, durationS) => {
    let i = 0;
    return runAutocannon({
      url: baseUrl,
      method: 'POST',
      path: '/passport/email/login',
      headers: json,
      connections,
      durationS,
      setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }),
    });
  };
}

/** The login's requests, at a fixed pace, sent to the stand-in server while the bound is measured. */
function loginReplay({ users }) {
  const bodies = loginBodies(users);
  return (url, connections, rate, signal) => {
    let i = 0;
    return runAutocannon({
      url,
      method: 'POST',
      path: '/passport/email/login',
      headers: json,
      connections,
      durationS: BOUND_S + 120,
      overallRate: rate,
      signal,
      setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }),
    });
  };
}

export function loginScenario(target) {
  const login = loginRequests(target);
  return async (connections, durationS) => [
    { label: 'POST /passport/email/login', ...(await login(connections, durationS)) },
  ];
}

/**
 * The login run with the bound around it: the bound is taken right before and right after the login run, each time
 * with PostgreSQL and the load generator doing what they do in the scenario (see bound.mjs), and once more with
 * nothing else running. `loginAnswer` is what the stand-in answers: a real login answer of the server.
 */
export async function runLoginWithBound({
  target,
  measure,
  measureBound,
  probe,
  databaseUrl,
  workDir,
  loginAnswer,
}) {
  const bounds = {};
  const answerFile = join(workDir, 'login-answer.json');
  writeFileSync(answerFile, loginAnswer);
  const standIn = await startStandIn(databaseUrl, answerFile);
  onCleanup('stop the stand-in', () => standIn.stop());
  const replay = loginReplay(target);
  const beside = (rate) => ({ rate, standIn, probe, replay });
  const scenario = await measure('login', loginScenario(target), CONNECTIONS, {
    afterWarmup: async ([warm]) => {
      bounds.before = await measureBound('before login', beside(warm.rps));
    },
  });
  bounds.after = await measureBound('after login', beside(scenario.parts[0].rps));
  await standIn.stop();
  bounds.quiet = await measureBound('quiet');
  return { scenario, bounds };
}
