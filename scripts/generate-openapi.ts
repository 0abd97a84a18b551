import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateOpenApiDocuments, serializeOpenApi } from '#src/docs/openapi-snapshot.js';

/** Writes openapi/<dialect>.json (and platform.json), the specs committed next to the code. */
const documents = await generateOpenApiDocuments();
await mkdir('openapi', { recursive: true });
for (const [name, document] of Object.entries(documents)) {
  await writeFile(join('openapi', `${name}.json`), serializeOpenApi(document));
  process.stdout.write(`openapi/${name}.json\n`);
}
