import { execFile } from 'node:child_process';
import type { TestApp } from '#test/helpers/test-app.js';

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
