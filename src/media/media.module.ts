import { S3Client } from '@aws-sdk/client-s3';
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { AppConfig } from '#src/config/app-config.js';
import { MediaUploadsRepository } from '#src/media/media-uploads.repository.js';
import { MediaService } from '#src/media/media.service.js';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import { AnonymousUploads } from '#src/media/anonymous-uploads.service.js';
import { MediaUploadController } from '#src/media/controllers/media-upload.controller.js';
import { MrpyqUploadController } from '#src/media/controllers/mrpyq-upload.controller.js';
import { NuzzleStorageController } from '#src/media/controllers/nuzzle-storage.controller.js';
import { SignedMediaController } from '#src/media/controllers/signed-media.controller.js';
import { XiaomaMediaController } from '#src/media/controllers/xiaoma-media.controller.js';
import { LocalUploadService } from '#src/media/local-upload.service.js';
import { MediaUrlSigner } from '#src/media/media-url-signer.js';
import { S3Storage } from '#src/media/s3.storage.js';
import { LocalDiskStorage, Storage } from '#src/media/storage.js';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { UploadedMedia } from '#src/media/uploaded-media.service.js';
import {
  LocalUploadSigner,
  localUploadCredentials,
  S3UploadSigner,
  UploadSigner,
} from '#src/media/upload-signer.js';

/** The store and its upload signer, chosen from config: local disk under DATA_DIR, or any S3-compatible bucket. */
function storageProviders(config: AppConfig): Provider[] {
  const s3 = config.content.storage.s3;
  if (config.content.storage.driver === 's3') {
    const client = new S3Client({
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: s3.forcePathStyle,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    return [
      { provide: Storage, useValue: new S3Storage(client, s3.bucket, s3.publicBaseUrl) },
      { provide: UploadSigner, useValue: new S3UploadSigner(client, s3.bucket) },
    ];
  }
  return [
    {
      provide: Storage,
      useValue: new LocalDiskStorage(config.media.dir, config.media.privateDir, config.http.publicBaseUrl),
    },
    {
      provide: UploadSigner,
      useValue: new LocalUploadSigner(
        localUploadCredentials(config.auth.jwtSecret),
        `${config.http.publicBaseUrl}/media/upload`,
      ),
    },
  ];
}

/** Uploads, and the addresses files are read at (public, or signed and expiring for paid videos). */
@Global()
@Module({})
export class MediaModule {
  static forRoot(config: AppConfig): DynamicModule {
    const local = config.content.storage.driver === 'local';
    return {
      module: MediaModule,
      imports: [SessionsModule],
      controllers: [
        ...dialectControllers(config.dialects.enabled, [
          XiaomaMediaController,
          NuzzleStorageController,
          MrpyqUploadController,
        ]),
        ...(local ? [MediaUploadController] : []),
        SignedMediaController,
      ],
      providers: [
        ...storageProviders(config),
        MediaUploadsRepository,
        MediaService,
        UploadedMedia,
        MediaUrlSigner,
        LocalUploadService,
        AnonymousUploads,
      ],
      exports: [Storage, MediaService, UploadedMedia, MediaUrlSigner, AnonymousUploads],
    };
  }
}
