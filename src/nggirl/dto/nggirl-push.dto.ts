import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { NggirlTokenDto, numberAsText } from '#src/nggirl/dto/nggirl-signed.dto.js';

export class NggirlUpdatePushInfoDto extends NggirlTokenDto {
  @ApiProperty({ description: '设备类型: 0 或 android, 1 或 ios', example: 'ios' })
  @numberAsText()
  @IsString()
  @MaxLength(16)
  deviceType: string;

  @ApiProperty({ description: '推送用户id (Baidu push user id)', example: '1093451283759348175' })
  @numberAsText()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  pushUserId: string;

  @ApiProperty({ description: '推送管道id (Baidu push channel id)', example: '8977625224424242424' })
  @numberAsText()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  pushChannelId: string;
}
