// profile: GET /user/profile with rotating tokens, the session check every authenticated request pays (wrk when on
// PATH, else autocannon). Every request carries nuzzle's common parameters, as real clients send them.
import { join } from 'node:path';
import { PROFILE_PATH, USE_WRK } from '../config.mjs';
import { runAutocannon, runWrk } from '../harness.mjs';

/** Profile reads for `durationS` at `connections`, each with the next seeded user's token. */
export function profileReads({ baseUrl, users, workDir }) {
  const tokens = users.map((u) => u.token);
  return (connections, durationS) =>
    USE_WRK
      ? runWrk({
          url: baseUrl,
          connections,
          durationS,
          scriptFile: join(workDir, `profile-${connections}.lua`),
          requests: tokens.map((token) => ({
            method: 'GET',
            path: PROFILE_PATH,
            headers: { Authorization: token },
          })),
        })
      : (() => {
          let i = 0;
          return runAutocannon({
            url: baseUrl,
            path: PROFILE_PATH,
            connections,
            durationS,
            setupRequest: (req) => ({
              ...req,
              headers: { ...req.headers, authorization: tokens[i++ % tokens.length] },
            }),
          });
        })();
}

export function profileScenario(target) {
  const reads = profileReads(target);
  return async (connections, durationS) => [
    { label: 'GET /user/profile', ...(await reads(connections, durationS)) },
  ];
}
