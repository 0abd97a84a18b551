// mixed: logins and profile reads at once, half the connections each. Logins keep every core hashing while profile
// reads must still be answered promptly.
import { loginRequests } from './login.mjs';
import { profileReads } from './profile.mjs';

export function mixedScenario(target) {
  const login = loginRequests(target);
  const profile = profileReads(target);
  return async (connections, durationS) => {
    const [l, p] = await Promise.all([login(connections, durationS), profile(connections, durationS)]);
    return [
      { label: 'login', ...l },
      { label: 'profile', ...p },
    ];
  };
}
