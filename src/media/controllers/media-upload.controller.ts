import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { PlainError } from '#src/admin/dto/admin.dto.js';
import { LocalUploadService, type ReceivedFile } from '#src/media/local-upload.service.js';
import { Public } from '#src/common/dialect/public.decorator.js';

/** Only mounted when storage is local; with S3 the form goes to the bucket itself. */
@ApiTags('media')
// No session: the form carries the signed upload policy that /aws/store/token granted, checked like S3 would.
@Public()
@Controller('media')
export class MediaUploadController {
  constructor(private readonly uploads: LocalUploadService) {}

  @Post('upload')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Upload a file with a form from /aws/store/token (local storage)',
    description:
      'S3’s POST Object, as the app serves it when files stay on local disk: the same fields, the same Signature V4 policy, the same checks. Answers 204 like S3.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['key', 'Content-Type', 'Policy', 'X-Amz-Signature', 'file'],
      properties: {
        key: { type: 'string', example: 'u/1024/cover.jpg' },
        'Content-Type': { type: 'string', example: 'image/jpeg' },
        file: { type: 'string', format: 'binary' },
      },
      additionalProperties: { type: 'string' },
    },
  })
  @ApiNoContentResponse({ description: 'Stored at publicBaseUrl + key' })
  @ApiBadRequestResponse({
    type: PlainError,
    description: 'INVALID_PARAMS: no file, no key, or an unusable key',
  })
  @ApiForbiddenResponse({ type: PlainError, description: 'FORBIDDEN: the policy refuses the form' })
  @ApiConflictResponse({ type: PlainError, description: 'CONFLICT: the key already holds a file' })
  @ApiUnsupportedMediaTypeResponse({ type: PlainError, description: 'UNSUPPORTED_MEDIA' })
  async upload(@Req() req: Request): Promise<void> {
    const files = (req.files as Array<ReceivedFile & { fieldname: string }> | undefined) ?? [];
    const body =
      req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    await this.uploads.receive(
      body,
      files.find((f) => f.fieldname === 'file'),
    );
  }
}
