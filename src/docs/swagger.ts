import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '#src/config/app-config.js';
import { DIALECTS } from '#src/dialects/index.js';
import type { DialectName } from '#src/dialects/dialect.js';

type Operation = Record<string, unknown> & {
  tags?: string[];
  parameters?: Array<Record<string, unknown>>;
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
};
type PathItem = Record<string, Operation>;

/** The platform document: routes of no legacy dialect (health, development outbox, admin later). */
export const PLATFORM_DOC = 'platform';

/**
 * One OpenAPI document per enabled dialect, selected by the dialect's tag (its controllers sit in several area
 * modules), plus the platform document. Generated from the decorators alone — no CLI plugin — so the build, the
 * tests and `npm run openapi` produce the same JSON.
 */
export function buildOpenApiDocuments(
  app: INestApplication,
  config: AppConfig,
): Record<string, OpenAPIObject> {
  const full = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Concord')
      .setVersion('1')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'Authorization' }, 'token')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'admin')
      .build(),
    { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` },
  );
  const documents: Record<string, OpenAPIObject> = {};
  for (const name of config.dialects.enabled) documents[name] = dialectDocument(full, name);
  documents[PLATFORM_DOC] = selectDocument(full, (tags) => !tags.some((t) => t in DIALECTS), {
    title: 'Concord platform',
    description:
      'Routes that belong to no legacy document: health, the development outbox, and the operators\' API (`/admin`: sign in with `POST /admin/session`, then send `Authorization: Bearer <token>`). Plain JSON with real HTTP statuses; a failure is `{"error": {"code", "message"}, "requestId"}`.',
  });
  return documents;
}

function dialectDocument(full: OpenAPIObject, name: DialectName): OpenAPIObject {
  const dialect = DIALECTS[name];
  const failureExample = dialect.envelope.wrapFailure({ code: dialect.errors.INVALID_PARAMS, message: '…' });
  const successExample = dialect.envelope.wrapSuccess(
    { '…': '…' },
    { code: dialect.success.code, message: '…' },
  );
  return selectDocument(full, (tags) => tags.includes(name), {
    title: `Concord — ${dialect.title}`,
    description: [
      `The \`${name}\` dialect, as ${dialect.document} documents it.`,
      '',
      `Success envelope: \`${JSON.stringify(successExample)}\``,
      '',
      `Failure envelope: \`${JSON.stringify(failureExample)}\` — answered with HTTP 200 for every documented business error (legacy clients read the body); 404 for unknown routes, 413 for oversized bodies, 429 when throttled and 500 for crashes keep the envelope.`,
      '',
      'Parameters may travel in the query string, as urlencoded, JSON or multipart fields; unknown extra parameters are ignored.',
    ].join('\n'),
  });
}

function selectDocument(
  full: OpenAPIObject,
  keep: (tags: string[]) => boolean,
  info: { title: string; description: string },
): OpenAPIObject {
  const paths: Record<string, PathItem> = {};
  for (const [path, item] of Object.entries(full.paths as Record<string, PathItem>)) {
    const operations = Object.entries(item).filter(([, op]) => keep(op.tags ?? []));
    if (operations.length > 0) {
      const [documentedPath, documented] = sharedPathOperation(path, operations);
      paths[documentedPath] = Object.fromEntries(documented.map(([m, op]) => [m, bodyToQuery(m, op, full)]));
    }
  }
  const document: OpenAPIObject = {
    ...full,
    info: { ...full.info, title: info.title, description: info.description },
    paths,
    components: { ...full.components, schemas: {} },
  };
  // Keep only the schemas this document references (transitively).
  const all = (full.components?.schemas ?? {}) as Record<string, unknown>;
  const wanted = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
          const name = v.slice('#/components/schemas/'.length);
          if (!wanted.has(name)) {
            wanted.add(name);
            visit(all[name]);
          }
        } else visit(v);
      }
    }
  };
  visit(paths);
  document.components!.schemas = Object.fromEntries([...wanted].sort().map((n) => [n, all[n]])) as never;
  return document;
}

/**
 * An operation of a shared path (`@Operation`) is routed inside Concord as `<path>/~<name>`; the document lists it as
 * the client calls it: the path with its marker (`/friend?search=1`), or with the parameters that select it
 * (`/register?code`), or the bare path for the default operation. The marker is a required parameter.
 */
function sharedPathOperation(
  path: string,
  operations: Array<[string, Operation]>,
): [string, Array<[string, Operation]>] {
  const selector = operations[0]?.[1]['x-operation'] as { marker?: string; present?: string[] } | undefined;
  const at = path.lastIndexOf('/~');
  if (!selector || at < 0) return [path, operations];
  const shared = path.slice(0, at) || '/';
  const documentedPath = selector.marker
    ? `${shared}?${selector.marker}=1`
    : selector.present?.length
      ? `${shared}?${selector.present.join('&')}`
      : shared;
  const withMarker = operations.map(([method, op]): [string, Operation] => [
    method,
    selector.marker
      ? {
          ...op,
          parameters: [
            ...(op.parameters ?? []),
            {
              name: selector.marker,
              in: 'query',
              required: true,
              description: 'Selects this operation of the shared path (may travel in the body instead).',
              schema: { type: 'string', enum: ['1'] },
            },
          ],
        }
      : op,
  ]);
  return [documentedPath, withMarker];
}

/** A GET twin of a GET/POST route documents its parameters as a query string, not a body. */
function bodyToQuery(method: string, op: Operation, full: OpenAPIObject): Operation {
  if (method !== 'get' || !op.requestBody) return op;
  const ref = Object.values(op.requestBody.content ?? {})[0]?.schema?.$ref;
  const schema = ref
    ? (
        (full.components?.schemas ?? {}) as Record<
          string,
          { properties?: Record<string, unknown>; required?: string[] }
        >
      )[ref.split('/').pop()!]
    : undefined;
  const { requestBody: _dropped, ...rest } = op;
  const parameters = Object.entries(schema?.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema?.required?.includes(name) ?? false,
    schema: property,
  }));
  return { ...rest, parameters: [...(op.parameters ?? []), ...parameters] };
}

/** Swagger UI at /docs with a document picker; each JSON at /docs/<name>.json. */
export function setupSwagger(app: INestApplication, config: AppConfig): void {
  let documents: Record<string, OpenAPIObject> | undefined;
  const get = () => (documents ??= buildOpenApiDocuments(app, config));
  const names = [...config.dialects.enabled, PLATFORM_DOC];
  const http = app.getHttpAdapter();
  for (const name of names) {
    http.get(`/docs/${name}.json`, (_req: unknown, res: { json(body: unknown): void }) =>
      res.json(get()[name]),
    );
  }
  SwaggerModule.setup('docs', app, () => get()[names[0]], {
    explorer: true,
    jsonDocumentUrl: '/docs/json',
    yamlDocumentUrl: '/docs/yaml',
    customSiteTitle: 'Concord API',
    swaggerOptions: {
      urls: names.map((name) => ({ url: `/docs/${name}.json`, name })),
      persistAuthorization: true,
    },
  });
}
