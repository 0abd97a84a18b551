import { Controller, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation } from '@nestjs/swagger';
import { XiaomaTokenDto } from '#src/auth/dto/xiaoma-account.dto.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/auth/principal.js';
import { Params, UploadedField } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';
import { xiaoma } from '#src/dialects/xiaoma.dialect.js';
import { MediaService } from '#src/media/media.service.js';

/**
 * The image upload the document refers to ("调用上传图片接口") without defining it: multipart field `file`, answering
 * the image's address, which `uploadPortrait` and `authenticationQualifications` take.
 */
@Dialect('xiaoma')
@Controller('Api/User')
export class XiaomaMediaController {
  constructor(private readonly media: MediaService) {}

  @Post(['upload_image', 'upload_image/token/:token'])
  @ApiOperation({
    summary: '上传图片 (not in the document) — JPEG, PNG, WebP or GIF, re-encoded without metadata',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' }, token: { type: 'string' } },
    },
  })
  @Authenticated()
  @Reply(xiaoma, {
    success: { message: '上传成功' },
    data: { type: 'object', properties: { url: { type: 'string' } } },
    // An image over UPLOAD_MAX_BYTES is refused by the body parser, before the route is known: the dialect's
    // default text for PAYLOAD_TOO_LARGE answers it.
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'UNSUPPORTED_MEDIA', 'PAYLOAD_TOO_LARGE'],
    overrides: {
      INVALID_PARAMS: { code: 997, message: '缺少必须参数' },
      UNSUPPORTED_MEDIA: { message: '图片格式不支持' },
    },
  })
  async uploadImage(
    @Params() _params: XiaomaTokenDto,
    @UploadedField('file') file: Buffer | undefined,
    @CurrentSession() session: Principal,
  ) {
    if (!file) throw new DomainError('INVALID_PARAMS', 'no file');
    const stored = await this.media.storeImage(file, session.userId);
    return { url: stored.url };
  }
}
