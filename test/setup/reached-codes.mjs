// Checks that every failure a route documents (x-error-codes in openapi/*.json) was answered by that route in at
// least one e2e test of this run. Plain Node: it runs in Jest's global teardown.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

// GET/POST twins (`xViaPost`) and path variants (`x[0]`, `x[1]`) are one handler.
const operationOf = (id) => id.replace(/\[\d+\]$/, '').replace(/ViaPost$/, '');

/** Each documented route as a matcher of concrete paths (`{token}` is one segment; xiaoma matches any case). */
function routeMatchers(documents) {
  const matchers = [];
  for (const document of documents) {
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      if (path.includes('?')) continue; // an operation of a shared path is told apart by its marker, not its path
      const pattern = path.replace(/[.*+^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
      const regex = new RegExp(`^${pattern}/?$`, 'i');
      for (const [method, op] of Object.entries(item)) {
        matchers.push({ method: method.toUpperCase(), regex, operation: operationOf(op.operationId) });
      }
    }
  }
  return matchers;
}

async function readDocuments(openapiDir) {
  const documents = [];
  for (const file of await readdir(openapiDir)) {
    if (file.endsWith('.json')) documents.push(JSON.parse(await readFile(join(openapiDir, file), 'utf8')));
  }
  return documents;
}

/** `operation failure` pairs every route documents, from the committed OpenAPI documents. */
export async function documentedFailures(openapiDir = 'openapi') {
  const documented = new Map();
  for (const file of await readdir(openapiDir)) {
    if (!file.endsWith('.json')) continue;
    const document = JSON.parse(await readFile(join(openapiDir, file), 'utf8'));
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const [method, op] of Object.entries(item)) {
        for (const entry of op['x-error-codes'] ?? []) {
          const failure = entry.domainCode ?? entry.transportCode;
          const key = `${operationOf(op.operationId)} ${failure}`;
          if (!documented.has(key))
            documented.set(key, `${method.toUpperCase()} ${path} ${failure} (${entry.code})`);
        }
      }
    }
  }
  return documented;
}

export async function reachedFailures(dir, openapiDir = 'openapi') {
  const matchers = routeMatchers(await readDocuments(openapiDir));
  const reached = new Set();
  for (const file of await readdir(dir).catch(() => [])) {
    for (const line of (await readFile(join(dir, file), 'utf8')).split('\n')) {
      const [operation, failure] = line.split(' ');
      if (!operation || !failure) continue;
      if (!operation.startsWith('@')) {
        reached.add(`${operationOf(operation)} ${failure}`);
        continue;
      }
      const [, method, path] = operation.split('@');
      for (const m of matchers)
        if (m.method === method && m.regex.test(path)) reached.add(`${m.operation} ${failure}`);
    }
  }
  return reached;
}

/** The documented failures no test reached, described for a reader. */
export async function unreachedFailures(dir) {
  const documented = await documentedFailures();
  const reached = await reachedFailures(dir);
  return [...documented].filter(([key]) => !reached.has(key)).map(([, description]) => description);
}
