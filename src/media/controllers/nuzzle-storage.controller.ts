import { Controller } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { NuzzleCommonParams } from '#src/common/dialect/nuzzle-common.dto.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import type { Principal } from '#src/auth/principal.js';
import { Params } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';
import { nuzzle } from '#src/dialects/nuzzle.dialect.js';
import { UploadedMedia } from '#src/media/uploaded-media.service.js';

@Dialect('nuzzle')
@Controller('aws/store')
export class NuzzleStorageController {
  constructor(private readonly uploads: UploadedMedia) {}

  @GetOrPost('token')
  @ApiOperation({
    summary: '获得s3上传token — base64 of {url, fields, keyPrefix, publicBaseUrl, maxBytes, expiresAt}',
    description:
      'A presigned POST (S3 Signature V4) into the caller’s own folder: post a multipart form to `url` with every entry of `fields`, `key` (under `keyPrefix`), `Content-Type` and `file` last; the object is then at `publicBaseUrl` + key. Valid 15 minutes (UPLOAD_TOKEN_TTL), files of 1 byte to `maxBytes`. See docs/dialects/nuzzle.md.',
  })
  @ApiParams(NuzzleCommonParams)
  @Authenticated()
  @Reply(nuzzle, {
    data: { type: 'string', format: 'byte', description: 'base64 of the upload grant JSON' },
    errors: ['UNAUTHENTICATED', 'USER_NOT_FOUND', 'ACCOUNT_DISABLED'],
  })
  async token(@Params() _params: NuzzleCommonParams, @CurrentSession() session: Principal): Promise<string> {
    const grant = await this.uploads.grant(session.userId);
    return Buffer.from(JSON.stringify(grant), 'utf8').toString('base64');
  }
}
