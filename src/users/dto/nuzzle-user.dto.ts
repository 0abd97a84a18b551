import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { NuzzleCommonParams } from '#src/common/dialect/nuzzle-common.dto.js';

export class NuzzleProfileQueryDto extends NuzzleCommonParams {
  @ApiPropertyOptional({ description: '要查看的用户id，若为空，返回自己的详情' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  userId?: string;
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
