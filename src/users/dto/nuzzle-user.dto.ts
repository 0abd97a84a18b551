import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NuzzleCommonParams } from '#src/common/dialect/nuzzle-common.dto.js';

export class NuzzleProfileQueryDto extends NuzzleCommonParams {
  @ApiPropertyOptional({ description: '要查看的用户id，若为空，返回自己的详情' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  userId?: string;
}

export class NuzzleModifySignatureDto extends NuzzleCommonParams {
  @ApiProperty({
    description: '新的签名 (trimmed; up to 100 characters; empty clears it)',
    example: "I'm a big star!",
  })
  @IsString()
  @MaxLength(1000)
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/u)
  signature: string;
}

export class NuzzleModifyProfileDto extends NuzzleCommonParams {
  @ApiPropertyOptional({ description: '昵称，昵称头像至少填写一个 (1–30 characters)', example: 'EvjNo' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nickname?: string;

  @ApiPropertyOptional({
    description:
      '头像，昵称头像至少填写一个: publicBaseUrl + key of the caller’s own image upload (/aws/store/token)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  avatar?: string;
}

/** A user as nuzzle's profile endpoints show it. */
export class NuzzleUser {
  @ApiProperty({ example: '1024' }) id: string;
  @ApiProperty({ description: 'Empty unless it is the caller’s own profile' }) email: string;
  @ApiProperty() nickname: string;
  @ApiProperty({ description: 'Empty unless it is the caller’s own profile' }) facebookId: string;
  @ApiProperty() regDone: boolean;
  @ApiProperty({ enum: ['nobody', 'star'] }) type: string;
  @ApiProperty() avatar: string;
  @ApiProperty() signature: string;
  @ApiProperty({ description: 'epoch milliseconds', example: 1467184504301 }) registerTime: number;
}

/** What register and login answer: the user, its status and a session token. */
export class NuzzleAccount {
  @ApiProperty({ example: '1024' }) id: string;
  @ApiProperty({ description: 'Same as id (the document’s generic example calls it userId)' }) userId: string;
  @ApiProperty({ description: 'Access token; send it back in the Authorization header' }) token: string;
  @ApiProperty({ enum: ['NORMAL', 'CANCELED'] }) status: string;
  @ApiProperty() email: string;
  @ApiProperty() nickname: string;
  @ApiProperty() facebookId: string;
  @ApiProperty() regDone: boolean;
  @ApiProperty({ enum: ['nobody', 'star'] }) type: string;
  @ApiProperty() avatar: string;
  @ApiProperty({ description: 'Same as avatar (the document’s generic example lists it)' }) thumbnail: string;
  @ApiProperty({ description: 'epoch milliseconds', example: 1467042462341 }) registerTime: number;
}
