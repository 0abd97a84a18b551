import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { NuzzleCommonParams } from '#src/common/dialect/nuzzle-common.dto.js';
import { NuzzleAccount } from '#src/users/dto/nuzzle-user.dto.js';

export class NuzzleFacebookLoginDto extends NuzzleCommonParams {
  @ApiProperty({
    description:
      'fb授权成功后获得的accessToken — a Facebook user access token issued to FACEBOOK_APP_ID, checked with Graph',
    example: 'EAAJF2OFJ23FJOJWFI2JOFJ3OI2FJOWI',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  accessToken: string;

  @ApiPropertyOptional({
    description: 'fb第三方唯一id — not trusted: the account is the one of the id Graph gives for accessToken',
    example: '2311232141241',
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  oauthId?: string;

  @ApiPropertyOptional({
    description: '用户的昵称 — only seeds an account created now (cut to 30 characters)',
    example: 'jimmy.zhang',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  nickname?: string;

  @ApiPropertyOptional({
    description:
      '用户的头像 — only seeds an account created now, and only an https address on facebook.com, fbcdn.net or ' +
      'fbsbx.com (else Graph’s picture)',
    example: 'https://img.facebook.com/user/xxx/avatar.png',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  avatar?: string;

  @ApiPropertyOptional({ description: '用户的推送token' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  pushToken?: string;
}

/** What Facebook login answers: the account as email login answers it, and whether this sign-in created it. */
export class NuzzleFacebookAccount extends NuzzleAccount {
  @ApiProperty({ description: 'true only when this sign-in created the account' }) isFirstTime: boolean;
}
