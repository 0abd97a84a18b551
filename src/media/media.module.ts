import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '#src/config/app-config.js';
import { MediaUploadsRepository } from '#src/media/media-uploads.repository.js';
import { MediaService } from '#src/media/media.service.js';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import { XiaomaMediaController } from '#src/media/controllers/xiaoma-media.controller.js';
import { LocalDiskStorage, Storage } from '#src/media/storage.js';
import { SessionsModule } from '#src/auth/sessions.module.js';

/** Uploads: the storage adapter is chosen from config (local disk under DATA_DIR for now). */
@Global()
@Module({})
export class MediaModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: MediaModule,
      imports: [SessionsModule],
      controllers: dialectControllers(config.dialects.enabled, [XiaomaMediaController]),
      providers: [
        {
          provide: Storage,
          useValue: new LocalDiskStorage(
            config.media.dir,
            config.media.privateDir,
            config.http.publicBaseUrl,
          ),
        },
        MediaUploadsRepository,
        MediaService,
      ],
      exports: [Storage, MediaService],
    };
  }
}
