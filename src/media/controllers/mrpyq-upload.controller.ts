import { Controller, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation } from '@nestjs/swagger';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { Public } from '#src/common/dialect/public.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Client, UploadedField, type ClientInfo } from '#src/common/http/params.decorator.js';
import { mrpyq } from '#src/dialects/mrpyq.dialect.js';
import { AnonymousUploads } from '#src/media/anonymous-uploads.service.js';

/**
 * mrpyq's registration step 1: the avatar is uploaded before the account exists, so this route is public. It
 * answers the image's full address, which step 2 takes as `headImage`; an upload that no registration claims within
 * ANONYMOUS_UPLOAD_TTL is deleted.
 */
@Dialect('mrpyq')
@Controller()
export class MrpyqUploadController {
  constructor(private readonly uploads: AnonymousUploads) {}

  @Post('upload')
  @Public()
  @ApiOperation({
    summary:
      '注册step1: 上传头像 — multipart field `img`; JPEG, PNG, WebP or GIF, re-encoded without metadata; answers the full address',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['img'],
      properties: { img: { type: 'string', format: 'binary', description: '头像 (file and filename)' } },
    },
  })
  @Reply(mrpyq, {
    data: { type: 'string', format: 'uri', description: 'the image’s full address' },
    errors: ['INVALID_PARAMS', 'UNSUPPORTED_MEDIA', 'RATE_LIMITED'],
    overrides: {
      INVALID_PARAMS: { message: '缺少图片' },
      UNSUPPORTED_MEDIA: { message: '图片格式不支持' },
      RATE_LIMITED: { message: '上传过于频繁,请稍后再试' },
    },
  })
  async upload(@UploadedField('img') img: Buffer | undefined, @Client() client: ClientInfo): Promise<string> {
    if (!img) throw new DomainError('INVALID_PARAMS', 'no img', { fields: ['img'] });
    return (await this.uploads.store(img, client.ip)).url;
  }
}
