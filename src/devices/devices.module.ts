import { Module } from '@nestjs/common';
import { DevicesService } from '#src/devices/devices.service.js';

@Module({ providers: [DevicesService], exports: [DevicesService] })
export class DevicesModule {}
