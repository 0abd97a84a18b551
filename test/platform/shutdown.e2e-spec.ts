import { describe, expect, it } from '@jest/globals';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import { registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { createTestApp } from '#test/helpers/test-app.js';

describe('closing the app', () => {
  it('should finish a login whose password is being checked when the app closes', async () => {
    const t = await createTestApp({ listen: true });
    const user = await registerNuzzleUser(t);
    // The moment the login's verification is handed to a hashing thread, the app is told to close.
    const hasher = t.app.get(PasswordHasher);
    const verify = hasher.verify.bind(hasher);
    const verifying = new Promise<void>((resolve) => {
      hasher.verify = (stored, digest) => {
        resolve();
        return verify(stored, digest);
      };
    });
    const login = fetch(`${t.url}/passport/email/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as { ret: number } }));
    await verifying;
    const closed = t.close();
    // In-flight requests drain before anything they need (hashing threads, the database) is stopped.
    expect(await login).toMatchObject({ status: 200, body: { ret: 200 } });
    await closed;
  });
});
