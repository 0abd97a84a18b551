import { applyDecorators, HttpCode, SetMetadata, type Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiOkResponse, ApiProduces, getSchemaPath } from '@nestjs/swagger';
import type { DomainErrorCode } from '#src/common/errors/domain-error.js';
import type { TransportFailureCode } from '#src/common/errors/transport-failure.js';
import {
  envelopeOf,
  type DialectDefinition,
  type DialectName,
  type JsonSchema,
} from '#src/dialects/dialect.js';

export const REPLY_METADATA = 'concord:reply';

export type FailureCode = DomainErrorCode | TransportFailureCode;

/** What one route of one dialect answers: its success status and its documented failures. */
export interface RouteReply<C extends string | number, V extends string> {
  /** The success code and message the route's document shows (xiaoma's `info: "注册成功"`). */
  success?: { code?: C; message?: string };
  /** The domain failures this route documents; listed in Swagger, and each reached by a test. */
  errors?: readonly DomainErrorCode[];
  /**
   * Failures of the transport this route documents beyond its dialect's request checks (which every route of the
   * dialect documents by itself).
   */
  transportErrors?: readonly TransportFailureCode[];
  /** Per-route code and message, applied before the dialect's default table. */
  overrides?: Partial<Record<FailureCode, { code?: C; message?: string }>>;
  /** The shape of the payload, for Swagger: a response class or a JSON schema. */
  data?: Type | JsonSchema;
  /** A named envelope of the dialect (moretv's login answers `{status,err_msg}`). */
  variant?: V;
  /**
   * The handler answers a page (a string of HTML, or a ReplyOutcome redirect); when it fails before it could
   * render one, the dialect's error page answers.
   */
  html?: boolean;
  /** The handler writes its own body (an image): no envelope. Failures still use the dialect's envelope. */
  raw?: boolean;
}

export interface RouteReplyMetadata extends RouteReply<string | number, string> {
  dialect: DialectName;
}

/** The failures a route documents: its own, then those its dialect's request checks add to every route. */
export function documentedFailures(
  dialect: DialectDefinition<string | number, string>,
  reply: RouteReply<string | number, string>,
): Array<{ code: string | number; failure: FailureCode; message: string }> {
  const failures: FailureCode[] = [
    ...(reply.errors ?? []),
    ...(reply.transportErrors ?? []),
    ...(dialect.guardFailures ?? []).filter((f) => !reply.transportErrors?.includes(f)),
  ];
  return failures.map((failure) => {
    const override = reply.overrides?.[failure];
    const code =
      override?.code ??
      (isTransportFailure(dialect, failure) ? dialect.transportErrors[failure] : dialect.errors[failure]);
    return { code, failure, message: override?.message ?? dialect.messages[code].zh };
  });
}

function isTransportFailure(
  dialect: DialectDefinition<string | number, string>,
  failure: FailureCode,
): failure is TransportFailureCode {
  return Object.hasOwn(dialect.transportErrors, failure);
}

/**
 * Declares how a route answers in its dialect. Typed by the dialect, so a route cannot name a code or an envelope
 * variant its document does not have.
 */
export function Reply<C extends string | number, V extends string>(
  dialect: DialectDefinition<C, V>,
  reply: RouteReply<NoInfer<C>, NoInfer<V>>,
): MethodDecorator {
  const metadata: RouteReplyMetadata = { ...reply, dialect: dialect.name };
  // Legacy clients expect 200 on every answer, POST included (Nest would say 201).
  const decorators: Array<ClassDecorator | MethodDecorator | PropertyDecorator> = [
    SetMetadata(REPLY_METADATA, metadata),
    HttpCode(200),
  ];
  const failures = documentedFailures(dialect, reply);
  decorators.push(
    ApiExtension(
      'x-error-codes',
      failures.map((f) =>
        f.failure in dialect.transportErrors
          ? { code: f.code, transportCode: f.failure, message: f.message }
          : { code: f.code, domainCode: f.failure, message: f.message },
      ),
    ),
  );
  const failureList =
    failures.length > 0
      ? ['', 'Documented failures:', ...failures.map((f) => `- \`${f.code}\` ${f.message} (${f.failure})`)]
      : [];
  if (reply.raw || reply.html) {
    if (reply.html) decorators.push(ApiProduces('text/html'));
    decorators.push(
      ApiOkResponse({
        description: [
          reply.html
            ? 'An HTML page; a failure before the page could render answers the dialect error page.'
            : 'The body as described; failures answer the dialect envelope.',
          ...failureList,
        ].join('\n'),
      }),
    );
    return applyDecorators(...decorators);
  }

  const data = reply.data;
  let dataSchema: JsonSchema = {};
  if (typeof data === 'function') {
    decorators.push(ApiExtraModels(data));
    dataSchema = { $ref: getSchemaPath(data) };
  } else if (data) {
    dataSchema = data;
  }
  const envelope = envelopeOf(dialect, reply.variant);
  decorators.push(
    ApiOkResponse({
      description: [
        'Answered with HTTP 200 and the dialect envelope, on success and on every documented failure.',
        ...failureList,
      ].join('\n'),
      schema: { oneOf: [envelope.successSchema(dataSchema), envelope.failureSchema()] },
    }),
  );
  return applyDecorators(...decorators);
}
