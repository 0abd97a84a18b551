// register: POST /passport/email/register, bounded by argon2id like login (it hashes where login verifies).
import { COMMON, md5, runId } from '../config.mjs';
import { runAutocannon } from '../harness.mjs';

export function registerScenario({ baseUrl }) {
  const registerDigest = md5(`concord-bench-${runId}-register`);
  let registered = 0;
  // Every request a new account (an existing email would be refused before hashing and look cheap).
  const register = (connections, durationS) =>
    runAutocannon({
      url: baseUrl,
      method: 'POST',
      path: '/passport/email/register',
      headers: { 'content-type': 'application/json' },
      connections,
      durationS,
      setupRequest: (req) => {
        const n = registered++;
        return {
          ...req,
          body: JSON.stringify({
            email: `bench-${runId}-r${n}@example.com`,
            password: registerDigest,
            nickname: `r${n}`,
            ...COMMON,
          }),
        };
      },
    });
  return async (connections, durationS) => [
    { label: 'POST /passport/email/register', ...(await register(connections, durationS)) },
  ];
}
