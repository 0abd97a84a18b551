import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A client application allowed to call the nggirl routes. `signed: false` marks an app still in its migration
 * period: its requests are let through unsigned (and logged), so a client released before signing existed keeps
 * working until it is retired.
 */
export interface NggirlApp {
  id: string;
  secret: string;
  signed: boolean;
}

/** App ids travel as `app_id`: short, and never containing the `:` and `,` of NGGIRL_APPS. */
const APP_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** An HMAC key a person cannot guess: 16 characters at least (a generated one is 43). */
export const MIN_SECRET_LENGTH = 16;

/** The development app configured when NGGIRL_APPS is unset outside production. */
export const DEVELOPMENT_APP_ID = 'dev';
const DEVELOPMENT_SECRET_FILE = 'nggirl-dev-app-secret';

/**
 * NGGIRL_APPS: comma-separated `id:secret` pairs; `id:secret:unsigned` lets that app's requests through unsigned
 * for a migration period. Throws an Error whose message names the faulty entry by position (never its secret).
 */
export function parseNggirlApps(text: string): NggirlApp[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('expected at least one id:secret pair');
  const apps: NggirlApp[] = [];
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const parts = entry.split(':');
    if (parts.length < 2 || parts.length > 3) {
      throw new Error(`${where}: expected id:secret or id:secret:unsigned`);
    }
    const [id, secret, mode] = parts;
    if (!APP_ID.test(id)) throw new Error(`${where}: the app id must be 1–64 of A-Z a-z 0-9 . _ -`);
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(`${where} (app ${id}): the secret must be at least ${MIN_SECRET_LENGTH} characters`);
    }
    if (mode !== undefined && mode !== 'unsigned') {
      throw new Error(`${where} (app ${id}): the third field may only be "unsigned"`);
    }
    if (apps.some((app) => app.id === id)) throw new Error(`${where}: app ${id} is listed twice`);
    apps.push({ id, secret, signed: mode === undefined });
  });
  return apps;
}

/**
 * Development only: one app, `dev`, whose secret is generated on first start and kept (mode 600) under DATA_DIR, so a
 * developer's client keeps working across restarts.
 */
export function developmentNggirlApp(dataDir: string): NggirlApp {
  const file = join(dataDir, DEVELOPMENT_SECRET_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process started at the same moment and wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`${file} holds fewer than ${MIN_SECRET_LENGTH} characters; delete it or set NGGIRL_APPS`);
  }
  return { id: DEVELOPMENT_APP_ID, secret, signed: true };
}

/** The apps as configured: who may call, and with which secret. */
export class NggirlApps {
  private readonly byId: ReadonlyMap<string, NggirlApp>;

  constructor(apps: readonly NggirlApp[]) {
    this.byId = new Map(apps.map((app) => [app.id, app]));
  }

  find(appId: string): NggirlApp | undefined {
    return this.byId.get(appId);
  }

  /** Ids of the apps let through unsigned (for a start-up warning). */
  unsignedIds(): string[] {
    return [...this.byId.values()].filter((app) => !app.signed).map((app) => app.id);
  }

  get size(): number {
    return this.byId.size;
  }
}

export interface NggirlAppsConfig {
  apps: NggirlApp[];
  /** NGGIRL_APPS was unset and the development app was configured. */
  developmentApp: boolean;
}

/**
 * What start-up should tell the operator about signing, or undefined when there is nothing to say. The development
 * app's secret is printed on purpose (a developer needs it to sign): main.ts writes this to the terminal, never
 * through the request log.
 */
export function nggirlSigningNotice(config: {
  nggirl: NggirlAppsConfig;
  dialects: { enabled: readonly string[] };
}): string | undefined {
  if (!config.dialects.enabled.includes('nggirl')) return undefined;
  const { apps, developmentApp } = config.nggirl;
  if (developmentApp) {
    const [app] = apps;
    return [
      'nggirl: NGGIRL_APPS is unset, so one development app signs requests:',
      `  app_id=${app.id}`,
      `  secret=${app.secret}`,
      '  (kept under DATA_DIR; see docs/dialects/nggirl.md "Request signing" for the algorithm)',
    ].join('\n');
  }
  const lines: string[] = [];
  if (apps.length === 0) {
    lines.push('nggirl: NGGIRL_APPS is unset in production: every nggirl request is refused (unknown app).');
  }
  const unsigned = apps.filter((app) => !app.signed).map((app) => app.id);
  if (unsigned.length > 0) {
    lines.push(
      `nggirl: unsigned requests are accepted from app(s) ${unsigned.join(', ')} (migration period).`,
    );
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}
