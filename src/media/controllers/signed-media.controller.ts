import { pipeline } from 'node:stream/promises';
import { Controller, Get, Req, Res } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PlainError } from '#src/admin/dto/admin.dto.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { MediaUrlSigner, SIGNED_MEDIA_PATH } from '#src/media/media-url-signer.js';
import { isSafeKey, Storage } from '#src/media/storage.js';
import { Public } from '#src/common/dialect/public.decorator.js';

/**
 * Private files behind a signed, expiring address (paid videos). Only client uploads (`u/…`) are ever served here:
 * other private files (identity certificates) are not, whatever the signature.
 */
@ApiTags('media')
// No session: the address itself carries an expiring HMAC signature (players fetch without headers).
@Public()
@Controller('media/signed')
export class SignedMediaController {
  constructor(
    private readonly signer: MediaUrlSigner,
    private readonly storage: Storage,
  ) {}

  @Get('*key')
  @ApiOperation({
    summary: 'A paid video, through the signed address a feed gave (MEDIA_URL_TTL)',
    description: 'Range requests are honoured. Not cached by shared caches.',
  })
  @ApiParam({
    name: 'key',
    description: 'The file’s storage key, slashes included',
    example: 'u/1024/clip.mp4',
  })
  @ApiQuery({ name: 'expires', description: 'Epoch seconds', example: 1764403200 })
  @ApiQuery({ name: 'signature', description: 'HMAC-SHA256 over path and expiry, base64url' })
  @ApiProduces('video/mp4', 'video/quicktime', 'video/webm')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiForbiddenResponse({ type: PlainError, description: 'FORBIDDEN: a forged, altered or expired address' })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  async read(@Req() req: Request, @Res() res: Response): Promise<void> {
    const key = req.path.startsWith(SIGNED_MEDIA_PATH) ? req.path.slice(SIGNED_MEDIA_PATH.length) : '';
    if (!isSafeKey(key) || !key.startsWith('u/')) throw new DomainError('NOT_FOUND', 'no such file');
    const left = this.signer.verify(key, req.query.expires, req.query.signature);
    if (left === undefined) throw new DomainError('FORBIDDEN', 'this address is not valid (any more)');
    const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
    const file = await this.storage.openPrivate(key, range);
    if (!file) throw new DomainError('NOT_FOUND', 'no such file');
    const headers = {
      // Whoever holds the address may watch until it expires; shared caches must not keep it for others.
      'Cache-Control': `private, max-age=${left}`,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    };
    if (file.kind === 'file') {
      await new Promise<void>((resolve, reject) =>
        res.sendFile(file.path, { headers, lastModified: true, acceptRanges: true }, (error) =>
          // A player that hangs up mid-file is not a failure of ours.
          error && !res.headersSent ? reject(error) : resolve(),
        ),
      );
      return;
    }
    res.status(file.status).set({ ...file.headers, ...headers });
    await pipeline(file.body, res).catch(() => res.destroy());
  }
}
