// The users the scenarios sign in as, registered through the API as clients register, and a first request of each
// kind before any timing.
import { COMMON, md5, PROFILE_PATH, runId } from './config.mjs';
import { OK_PREFIX } from './harness.mjs';

export async function seedUsers(baseUrl, count) {
  const users = new Array(count);
  let next = 0;
  // A few at a time: registration hashes, and the server caps hashing at the core count anyway.
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const email = `bench-${runId}-u${i}@example.com`;
      const digest = md5(`concord-bench-${runId}-${i}`);
      const body = await postJson(`${baseUrl}/passport/email/register`, {
        email,
        password: digest,
        nickname: `bench${i}`,
      });
      if (body.ret !== 200 || typeof body.data?.token !== 'string') {
        throw new Error(`seeding user ${i} failed: ${JSON.stringify(body).slice(0, 200)}`);
      }
      users[i] = { email, digest, token: body.data.token };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return users;
}

async function postJson(url, payload, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url} answered HTTP ${res.status} with a non-JSON body: ${text.slice(0, 200)}`);
  }
}

/** One request of each kind before any timing, so a broken route fails in a second with a clear message. */
export async function preflight(baseUrl, user) {
  const res = await fetch(`${baseUrl}${PROFILE_PATH}`, {
    headers: { authorization: user.token },
    signal: AbortSignal.timeout(10_000),
  });
  const profile = await res.text();
  if (!profile.startsWith(OK_PREFIX))
    throw new Error(`GET /user/profile with a seeded token answered ${profile.slice(0, 200)}`);
  const res2 = await fetch(`${baseUrl}/passport/email/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.digest, ...COMMON }),
    signal: AbortSignal.timeout(30_000),
  });
  const login = await res2.text();
  if (!login.startsWith(OK_PREFIX)) throw new Error(`login of a seeded user answered ${login.slice(0, 200)}`);
  // The stand-in that answers the load generator while the bound is measured gives this same answer.
  return { loginAnswer: login };
}
