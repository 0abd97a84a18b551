import { describe, expect, it } from '@jest/globals';
import { md5Hex } from '#src/auth/password-digest.js';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import type { Semaphore } from '#src/common/concurrency/semaphore.js';
import type { AppConfig } from '#src/config/app-config.js';

function hasher(hashConcurrency: number): PasswordHasher {
  return new PasswordHasher({ auth: { hashConcurrency } } as AppConfig);
}

/**
 * Records when each hashing task the hasher hands to its gate starts and ends, so overlap can be observed
 * without timing anything.
 */
function recordGate(sut: PasswordHasher): string[] {
  const events: string[] = [];
  const gate = (sut as unknown as { gate: Semaphore }).gate;
  const run = gate.run.bind(gate);
  let next = 0;
  gate.run = <T>(task: () => Promise<T>): Promise<T> => {
    const n = ++next;
    return run(async () => {
      events.push(`start ${n}`);
      try {
        return await task();
      } finally {
        events.push(`end ${n}`);
      }
    });
  };
  return events;
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
    const events = recordGate(sut);
    await sut.verifyNothing(digest);
    await sut.verifyNothing(digest);
    // The decoy is hashed once (outside the gate), and every call verifies through the gate.
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('should not overlap two hashes with HASH_CONCURRENCY=1', async () => {
    const sut = hasher(1);
    const events = recordGate(sut);
    const [first, second] = await Promise.all([sut.hash(digest), sut.hash(digest)]);
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(await sut.verify(first, digest)).toBe(true);
    expect(await sut.verify(second, digest)).toBe(true);
  });

  it('should overlap two hashes with HASH_CONCURRENCY=2 (the recording sees overlap)', async () => {
    const sut = hasher(2);
    const events = recordGate(sut);
    await Promise.all([sut.hash(digest), sut.hash(digest)]);
    expect(events.slice(0, 2)).toEqual(['start 1', 'start 2']);
  });
});
