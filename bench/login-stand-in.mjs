// The login scenario's stand-in server, used while the argon2id bound is measured with its co-tenants.
//
// The issue measures the bound "while PostgreSQL and the load generator run as they do in the scenario": the load
// generator needs something to answer it, and PostgreSQL should do a login's work. This process is that something,
// and nothing more: for each POST it reads the email, runs the two statements a login runs (the account with its
// hash, then a session INSERT), and answers with a login answer the real server gave. No framework, no hashing,
// no JWT: its own CPU is reported beside the bound so the reader can see it is small.
//
// Under the scenario's load the server handles sign-ins in groups (src/auth/hash-admission.ts): lookups and session
// INSERTs of a group share one statement each. The stand-in groups the same way, by time: requests wait up to
// GROUP_HOLD_MS or until GROUP_SIZE have come, then go as one lookup and one INSERT, the server's own statements.
// The report shows PostgreSQL's CPU beside the stand-in next to its CPU in the login run, so a drift shows.
//
//   node bench/login-stand-in.mjs <database-url> <answer-file>
// Prints "listening <port>" once it accepts connections; stops on SIGTERM.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';

const [databaseUrl, answerFile] = process.argv.slice(2);
if (!databaseUrl || !answerFile) {
  process.stderr.write('usage: login-stand-in.mjs <database-url> <answer-file>\n');
  process.exit(64);
}
const answer = readFileSync(answerFile);
// The server's pool size by default (DATABASE_POOL_SIZE), so as many backends share the work.
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
const expiresInMs = 30 * 24 * 3600 * 1000;

// The server's own statements (built by `npm run bench` before this runs), so the stand-in cannot drift from them.
const { ACCOUNTS_BY } = await import('../dist/src/auth/credentials.repository.js');
const { INSERT_SESSION, INSERT_SESSIONS, insertSessionValues, insertSessionsValues } =
  await import('../dist/src/auth/sessions.repository.js');

// The server's exit group for its hashing threads (the bench passes their count) and SIGN_IN_HOLD, from the server's
// own pacing, so the two cannot drift apart.
const { signInPacing } = await import('../dist/src/auth/password-hasher.js');
const { parseDuration } = await import('../dist/src/config/duration.js');
const pacing = signInPacing(
  Number(process.env.STAND_IN_HASH_THREADS ?? 2),
  parseDuration(process.env.SIGN_IN_HOLD ?? '40ms') ?? 40,
);
const GROUP_SIZE = pacing.exitGroup;
const GROUP_HOLD_MS = pacing.maxHoldMs;
let group = [];
let groupTimer;

/** Resolves when this email's login has run: its account read and its session inserted, with its group's. */
function login(email) {
  return new Promise((resolve, reject) => {
    group.push({ email, resolve, reject });
    if (group.length >= GROUP_SIZE) runGroup();
    else groupTimer ??= setTimeout(runGroup, GROUP_HOLD_MS);
  });
}

async function runGroup() {
  clearTimeout(groupTimer);
  groupTimer = undefined;
  const members = group;
  group = [];
  try {
    const { rows } = await pool.query({ ...ACCOUNTS_BY.email, values: [members.map((m) => m.email)] });
    const byEmail = new Map(rows.map((row) => [row.u_email, row]));
    const now = new Date();
    const sessions = members.map((m) => {
      const row = byEmail.get(m.email);
      if (!row) throw new Error(`no account ${m.email}`);
      return {
        userId: row.u_id,
        dialect: 'nuzzle',
        ip: '127.0.0.1',
        now,
        expiresAt: new Date(now.getTime() + expiresInMs),
      };
    });
    // As the server: a lone session takes the plain INSERT, a group INSERT_SESSIONS.
    if (sessions.length === 1) {
      const [one] = sessions;
      await pool.query({
        ...INSERT_SESSION,
        values: insertSessionValues(one),
      });
    } else await pool.query({ ...INSERT_SESSIONS, values: insertSessionsValues(sessions) });
    for (const m of members) m.resolve();
  } catch (error) {
    for (const m of members) m.reject(error);
  }
}

// HTTP/1.1 read by hand (keep-alive, Content-Length bodies, as the load generator sends them): node:http would cost
// several times the work being stood in for, and every cycle spent here is taken from the bound.
const head = Buffer.from(
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${answer.length}\r\n` +
    'connection: keep-alive\r\n\r\n',
);
const failure = Buffer.from(
  'HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
);
const server = createServer((socket) => {
  let buffered = Buffer.alloc(0);
  let queue = Promise.resolve();
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: *(\d+)/i.exec(buffered.toString('latin1', 0, end))?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      const body = buffered.toString('utf8', end + 4, end + 4 + length);
      buffered = buffered.subarray(end + 4 + length);
      const email = /"email":"([^"]*)"/.exec(body)?.[1] ?? '';
      // Answers leave in request order, as HTTP/1.1 requires.
      const work = login(email);
      queue = queue.then(() =>
        work.then(
          () => socket.write(Buffer.concat([head, answer])),
          () => socket.end(failure),
        ),
      );
    }
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => {
  server.close();
  pool.end().finally(() => process.exit(0));
});
