import { Controller, Header, Post, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { Principal } from '#src/auth/principal.js';
import { CurrentSession } from '#src/auth/principal.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Params, UploadedField } from '#src/common/http/params.decorator.js';
import { nggirl } from '#src/dialects/nggirl.dialect.js';
import { MediaService } from '#src/media/media.service.js';
import { ArtistProfilesService } from '#src/nggirl/artist-profiles.service.js';
import { IdentityService } from '#src/identity/identity.service.js';
import { NggirlIdentificationImageDto, NggirlUploadUserInfoDto } from '#src/nggirl/dto/nggirl-profile.dto.js';
import { NggirlTokenDto } from '#src/nggirl/dto/nggirl-signed.dto.js';

/** The artist's profile, and the image upload whose answers its `profile` and ID photo fields take. */
@Dialect('nggirl')
@Controller('nggirl/app/bus/phoneUser')
export class NggirlProfileController {
  constructor(
    private readonly profiles: ArtistProfilesService,
    private readonly media: MediaService,
    private readonly identity: IdentityService,
  ) {}

  @GetOrPost('uploadUserInfo/1.3.0')
  @ApiOperation({
    summary:
      '上传用户信息V1.3.0 — sex 0 男 / 1 女; cityId and areaId GB/T 2260; phoneNum your own; photos are uploadImage paths, ID photos go to operators only',
  })
  @ApiParams(NggirlUploadUserInfoDto)
  @Authenticated()
  @Reply(nggirl, {
    data: { type: 'null' },
    errors: [
      'UNAUTHENTICATED',
      'INVALID_PARAMS',
      'NICKNAME_INVALID',
      'IDENTITY_INVALID',
      'FORBIDDEN',
      'USER_NOT_FOUND',
    ],
  })
  async uploadUserInfo(
    @Params() params: NggirlUploadUserInfoDto,
    @CurrentSession() session: Principal,
  ): Promise<null> {
    await this.profiles.updateProfile(session, params);
    return null;
  }

  @GetOrPost('identificationImage')
  @ApiOperation({
    summary:
      '身份证照片 (not in the document) — the caller’s own ID photo of its latest submission; nobody else’s (operators read them on /admin)',
  })
  @ApiParams(NggirlIdentificationImageDto)
  @ApiProduces('image/jpeg', 'image/png', 'image/webp', 'image/gif')
  @Header('Cache-Control', 'private, no-store')
  @Authenticated()
  @Reply(nggirl, { raw: true, errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'NOT_FOUND'] })
  async identificationImage(
    @Params() params: NggirlIdentificationImageDto,
    @CurrentSession() session: Principal,
  ): Promise<StreamableFile> {
    const photo = await this.identity.idCardPhoto(
      session.userId,
      params.side === 'upside' ? 'front' : 'back',
    );
    return new StreamableFile(photo.bytes, { type: photo.contentType, length: photo.bytes.length });
  }

  @Post('uploadImage')
  @ApiOperation({
    summary:
      '上传图片 (not in the document) — multipart `file`, signed like every route; JPEG, PNG, WebP or GIF, re-encoded without metadata; answers the path uploadUserInfo takes',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'accessToken', 'app_id', 'nonce', 'timestamp', 'sign'],
      properties: {
        file: { type: 'string', format: 'binary' },
        accessToken: { type: 'string' },
        app_id: { type: 'string' },
        nonce: { type: 'string' },
        timestamp: { type: 'string' },
        sign: { type: 'string', description: 'over every field but sign and the file' },
      },
    },
  })
  @Authenticated()
  @Reply(nggirl, {
    data: { type: 'object', required: ['path'], properties: { path: { type: 'string' } } },
    // An image over UPLOAD_MAX_BYTES is refused by the body parser, before the route is known.
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'UNSUPPORTED_MEDIA', 'PAYLOAD_TOO_LARGE'],
  })
  async uploadImage(
    @Params() _params: NggirlTokenDto,
    @UploadedField('file') file: Buffer | undefined,
    @CurrentSession() session: Principal,
  ): Promise<{ path: string }> {
    if (!file) throw new DomainError('INVALID_PARAMS', 'no file');
    const stored = await this.media.storeImage(file, session.userId);
    return { path: stored.url };
  }
}
