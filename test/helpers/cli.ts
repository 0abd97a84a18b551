import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestApp } from '#test/helpers/test-app.js';

/** util-linux `script`, which runs a command on a pseudo-terminal. */
const SCRIPT = '/usr/bin/script';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real CLI (`npm run cli`, built by `npm test`), as an operator runs it while the server is up. */
export function runCli(t: TestApp, args: string[], stdin = ''): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['dist/src/cli.js', ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: t.config.database.url,
          JWT_SECRET: 'x'.repeat(32),
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

/**
 * The CLI on a terminal (a pseudo-terminal from util-linux `script`), answering each prompt as it appears: what an
 * operator sees, echo included. Undefined where `script` is missing.
 */
export async function runCliOnTerminal(
  t: TestApp,
  args: string[],
  answers: Array<{ prompt: string; reply: string }>,
): Promise<CliResult | undefined> {
  if (!existsSync(SCRIPT)) return undefined;
  const command = ['node', 'dist/src/cli.js', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn(SCRIPT, ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: t.config.database.url, JWT_SECRET: 'x'.repeat(32) },
  });
  let stdout = '';
  let stderr = '';
  const pending = [...answers];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const next = pending[0];
    if (next && stdout.includes(next.prompt)) {
      pending.shift();
      // Answered as typed: the terminal sends a carriage return for Enter.
      child.stdin.write(`${next.reply}\r`);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  child.stdin.end();
  return { code, stdout, stderr };
}
