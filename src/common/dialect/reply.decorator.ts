import { applyDecorators, HttpCode, SetMetadata, type Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import type { DomainErrorCode } from '#src/common/errors/domain-error.js';
import type { DialectDefinition, DialectName, JsonSchema } from '#src/dialects/dialect.js';

export const REPLY_METADATA = 'concord:reply';

/** What one route of one dialect answers: its success status and its documented failures. */
export interface RouteReply<C extends string | number> {
  /** The success code and message the route's document shows (xiaoma's `info: "注册成功"`). */
  success?: { code?: C; message?: string };
  /** The failures this route documents; listed in Swagger, and each reached by a test. */
  errors?: readonly DomainErrorCode[];
  /** Per-route code and message, applied before the dialect's default table. */
  overrides?: Partial<Record<DomainErrorCode, { code?: C; message?: string }>>;
  /** The shape of the payload, for Swagger: a response class or a JSON schema. */
  data?: Type | JsonSchema;
  /** Named envelope variant (moretv's login answers `{status,err_msg}`). */
  variant?: string;
  /** The handler writes its own body (an HTML page): no envelope. Failures still use the dialect's codes. */
  raw?: boolean;
}

export interface RouteReplyMetadata extends RouteReply<string | number> {
  dialect: DialectName;
}

/**
 * Declares how a route answers in its dialect. Typed by the dialect, so a route cannot name a code its
 * document does not have.
 */
export function Reply<C extends string | number>(
  dialect: DialectDefinition<C>,
  reply: RouteReply<C>,
): MethodDecorator {
  const metadata: RouteReplyMetadata = { ...reply, dialect: dialect.name };
  // Legacy clients expect 200 on every answer, POST included (Nest would say 201).
  const decorators: Array<ClassDecorator | MethodDecorator | PropertyDecorator> = [
    SetMetadata(REPLY_METADATA, metadata),
    HttpCode(200),
  ];
  if (reply.raw) return applyDecorators(...decorators);

  const data = reply.data;
  let dataSchema: JsonSchema = {};
  if (typeof data === 'function') {
    decorators.push(ApiExtraModels(data));
    dataSchema = { $ref: getSchemaPath(data) };
  } else if (data) {
    dataSchema = data;
  }
  const failures = (reply.errors ?? []).map((domainCode) => {
    const override = reply.overrides?.[domainCode];
    const code = override?.code ?? dialect.errors[domainCode];
    const message = override?.message ?? dialect.messages[code].zh;
    return { code, domainCode, message };
  });
  const description = [
    'Answered with HTTP 200 and the dialect envelope, on success and on every documented failure.',
    ...(failures.length > 0
      ? ['', 'Documented failures:', ...failures.map((f) => `- \`${f.code}\` ${f.message} (${f.domainCode})`)]
      : []),
  ].join('\n');
  decorators.push(
    ApiOkResponse({
      description,
      schema: {
        oneOf: [dialect.successSchema(dataSchema, reply.variant), dialect.failureSchema(reply.variant)],
      },
    }),
    ApiExtension(
      'x-error-codes',
      failures.map((f) => ({ code: f.code, domainCode: f.domainCode, message: f.message })),
    ),
  );
  return applyDecorators(...decorators);
}
