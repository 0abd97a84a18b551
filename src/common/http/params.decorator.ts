import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import { mergeParams } from '#src/common/http/merge-params.js';

/** All request parameters merged (query, path, urlencoded, JSON, multipart), validated against the DTO type. */
export const Params = createParamDecorator((_data: unknown, ctx: ExecutionContext) =>
  mergeParams(ctx.switchToHttp().getRequest<ConcordRequest>()),
);

export interface ClientInfo {
  ip: string;
  userAgent?: string;
  requestId?: string;
}

/** Who is calling, as far as the transport tells: address (proxy-aware per TRUSTED_PROXIES) and user agent. */
export const Client = createParamDecorator((_data: unknown, ctx: ExecutionContext): ClientInfo => {
  const req = ctx.switchToHttp().getRequest<ConcordRequest>();
  const userAgent = req.headers['user-agent'];
  return {
    ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : undefined,
    requestId: req.id,
  };
});

/** One uploaded file of a multipart body (parsed by the app's multer layer), by field name. */
export const UploadedField = createParamDecorator(
  (field: string, ctx: ExecutionContext): Buffer | undefined => {
    const files = (
      ctx.switchToHttp().getRequest<ConcordRequest>() as {
        files?: Array<{ fieldname: string; buffer: Buffer }>;
      }
    ).files;
    return files?.find((file) => file.fieldname === field)?.buffer;
  },
);
