import { afterAll, describe, expect, it } from '@jest/globals';
import { md5Hex } from '#src/auth/password-digest.js';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import type { Argon2Job, Argon2Threads } from '#src/auth/argon2-threads.js';
import type { AppConfig } from '#src/config/app-config.js';

const made: PasswordHasher[] = [];
function hasher(hashConcurrency: number): PasswordHasher {
  const sut = new PasswordHasher({ auth: { hashConcurrency } } as AppConfig);
  made.push(sut);
  return sut;
}
afterAll(() => Promise.all(made.map((sut) => sut.onApplicationShutdown())));

/** Records the jobs the hasher hands to its threads, in order. */
function recordJobs(sut: PasswordHasher): string[] {
  const ops: string[] = [];
  const threads = (sut as unknown as { threads: Argon2Threads }).threads;
  const run = threads.run.bind(threads) as (job: Argon2Job) => Promise<unknown>;
  (threads as unknown as { run: (job: Argon2Job) => Promise<unknown> }).run = (job) => {
    ops.push(job.op);
    return run(job);
  };
  return ops;
}

describe(PasswordHasher.name, () => {
  const digest = md5Hex('correct horse battery staple');

  it('should hash with argon2id and the OWASP parameters', async () => {
    const sut = hasher(2);
    const stored = await sut.hash(digest);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(stored).not.toContain(digest);
  });

  it('should salt every hash', async () => {
    const sut = hasher(2);
    const [first, second] = await Promise.all([sut.hash(digest), sut.hash(digest)]);
    expect(first).not.toBe(second);
  });

  it('should verify the digest it hashed and refuse any other', async () => {
    const sut = hasher(2);
    const stored = await sut.hash(digest);
    expect(await sut.verify(stored, digest)).toBe(true);
    expect(await sut.verify(stored, md5Hex('wrong'))).toBe(false);
    expect(await sut.verify(stored, digest.toUpperCase())).toBe(false);
    expect(await sut.verify(stored, '')).toBe(false);
  });

  it('should answer false from verifyNothing, whatever it is given', async () => {
    const sut = hasher(2);
    await expect(sut.verifyNothing(digest)).resolves.toBe(false);
    // Even the decoy's own input is not a credential.
    await expect(sut.verifyNothing('concord-decoy-credential')).resolves.toBe(false);
  });

  it('should spend a real verification in verifyNothing', async () => {
    const sut = hasher(1);
    const ops = recordJobs(sut);
    await sut.verifyNothing(digest);
    await sut.verifyNothing(digest);
    // The decoy is hashed once, and every call verifies against it.
    expect(ops).toEqual(['hash', 'verify', 'verify']);
  });

  it('should refuse to hash once the application has shut down', async () => {
    const sut = hasher(1);
    await sut.onApplicationShutdown();
    await expect(sut.hash(digest)).rejects.toThrow('closed');
  });
});
