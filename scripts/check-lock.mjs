// Refuses a package-lock.json that `npm ci` on a fresh machine would refuse: an entry without a `version` (npm 11.13
// wrote such placeholders for optional platform packages; npm 11.16+ stops at them with "Invalid Version:").
// Plain Node, no dependencies: it runs before `npm ci`.
import { readFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const versionless = Object.entries(lock.packages ?? {})
  .filter(([path, entry]) => path !== '' && !entry.link && !entry.version)
  .map(([path]) => path);

if (versionless.length > 0) {
  console.error(
    `package-lock.json has ${versionless.length} entr${versionless.length === 1 ? 'y' : 'ies'} without a version, ` +
      'which `npm ci` refuses on a fresh machine:',
  );
  for (const path of versionless.slice(0, 20)) console.error(`  ${path}`);
  if (versionless.length > 20) console.error(`  … and ${versionless.length - 20} more`);
  console.error(
    'Rewrite the lock with the npm on this machine: `npm run lock`, then commit package-lock.json.',
  );
  process.exit(1);
}
console.log(
  `package-lock.json: ${Object.keys(lock.packages ?? {}).length - 1} entries, every one with a version`,
);
