// The login scenario's stand-in server, used while the argon2id bound is measured with its co-tenants.
//
// The issue measures the bound "while PostgreSQL and the load generator run as they do in the scenario": the load
// generator needs something to answer it, and PostgreSQL should do a login's work. This process is that something,
// and nothing more: for each POST it reads the email, runs the two statements a login runs (the account with its
// hash, then a session INSERT), and answers with a login answer the real server gave. No framework, no hashing,
// no JWT: its own CPU is reported beside the bound so the reader can see it is small.
//
// Each login runs on its own, as the server runs it: the account read by email, then the session INSERT, with the
// statements of bench/login-statements.mjs; nothing is grouped. The report shows PostgreSQL's CPU beside the stand-in
// next to its CPU in the login run, so a drift shows.
//
//   node bench/login-stand-in.mjs <database-url> <answer-file>
// Prints "listening <port>" once it accepts connections; stops on SIGTERM.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import { ACCOUNT_BY_EMAIL, INSERT_SESSION } from './login-statements.mjs';

const [databaseUrl, answerFile] = process.argv.slice(2);
if (!databaseUrl || !answerFile) {
  process.stderr.write('usage: login-stand-in.mjs <database-url> <answer-file>\n');
  process.exit(64);
}
const answer = readFileSync(answerFile);
// The server's pool size by default (DATABASE_POOL_SIZE), so as many backends share the work.
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
const expiresInMs = 30 * 24 * 3600 * 1000;

/** Resolves when this email's login has run: its account read and its session inserted. */
async function login(email) {
  const { rows } = await pool.query({ ...ACCOUNT_BY_EMAIL, values: [email] });
  if (rows.length === 0) throw new Error(`no account ${email}`);
  const now = new Date();
  await pool.query({
    ...INSERT_SESSION,
    values: [rows[0].u_id, 'nuzzle', null, null, '127.0.0.1', now, new Date(now.getTime() + expiresInMs)],
  });
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
      // Answered in turn below: a failure must not count as unhandled while earlier answers are still on their way.
      work.catch(() => {});
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
