import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Every authenticated mrpyq route takes the token as a parameter (the dialect reads it from there). */
export class MrpyqTokenDto {
  @ApiProperty({ description: '用户标示: the token /log answered' })
  @IsString()
  token: string;
}

export class MrpyqOpenRoomDto extends MrpyqTokenDto {
  @ApiPropertyOptional({ description: '直播间标题 (at most 100 characters; kept when omitted on a reopen)' })
  @IsOptional()
  @IsString()
  // The service counts characters (code points); this only bounds what is read.
  @MaxLength(400)
  title?: string;
}
