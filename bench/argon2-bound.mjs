// The argon2id bound: how many password verifications per second this machine can do with every core busy,
// no HTTP and no database work. Logins and registrations cannot beat it; the benchmark reports them as a share of it.
//
// Run by bench/run.mjs in a separate process (so its CPU is not shared with the load generator's event loop):
//   node bench/argon2-bound.mjs <stored-hash> <md5-digest> <seconds> [concurrency]
// The stored hash is one the server itself wrote while seeding, so the parameters are exactly the server's.
// Prints one JSON line.
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { verify } from '@node-rs/argon2';

const [storedHash, digest, secondsArg, concurrencyArg] = process.argv.slice(2);
if (!storedHash || !digest) {
  process.stderr.write('usage: argon2-bound.mjs <stored-hash> <md5-digest> <seconds> [concurrency]\n');
  process.exit(64);
}
const seconds = Number(secondsArg) || 8;
// The server caps hashing at availableParallelism() (HASH_CONCURRENCY's default), so the bound uses the same.
const concurrency = Number(concurrencyArg) || availableParallelism();

async function verifyOnce() {
  if (!(await verify(storedHash, digest)))
    throw new Error('verify returned false: wrong digest for this hash');
}

// Warm-up: the first verifications page in the 19 MiB of each lane and load the native code.
await Promise.all(Array.from({ length: concurrency }, () => verifyOnce()));

let ops = 0;
const cpuBefore = process.cpuUsage();
const start = performance.now();
const deadline = start + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      await verifyOnce();
      ops++;
    }
  }),
);
// Counted to the end of the last operation, so ops / elapsed is an unbiased rate.
const elapsed = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuBefore);

const params = /\$argon2(\w+)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(storedHash);
process.stdout.write(
  `${JSON.stringify({
    opsPerSec: ops / elapsed,
    ops,
    seconds: elapsed,
    concurrency,
    msPerOp: (elapsed * 1000 * concurrency) / ops,
    coresUsed: (cpu.user + cpu.system) / 1e6 / elapsed,
    params: params
      ? {
          variant: params[1],
          version: Number(params[2]),
          m: Number(params[3]),
          t: Number(params[4]),
          p: Number(params[5]),
        }
      : undefined,
  })}\n`,
);
