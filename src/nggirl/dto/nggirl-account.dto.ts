import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  emptyAsAbsent,
  NggirlPhoneDto,
  NggirlSignedDto,
  numberAsText,
} from '#src/nggirl/dto/nggirl-signed.dto.js';

/** md5 hex of the password, as the client sends it (any other text is kept as an opaque secret). */
const MD5_EXAMPLE = 'e10adc3949ba59abbe56e057f20f883e';

export class NggirlLogonDto extends NggirlPhoneDto {
  @ApiProperty({ description: '密码md5', example: MD5_EXAMPLE })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({
    description: '本地保存的授权令牌, 首次登陆时置空; 属于同一用户时, 旧的会话 (及其刷新令牌) 随即失效',
  })
  @emptyAsAbsent()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  accessToken?: string;
}

export class NggirlCodeDto extends NggirlPhoneDto {
  @ApiProperty({ description: '注册验证码', example: '423396' })
  @numberAsText()
  @IsString()
  @IsNotEmpty()
  @MaxLength(16)
  code: string;
}

export class NggirlCreateDto extends NggirlCodeDto {
  @ApiProperty({ description: '密码md5', example: MD5_EXAMPLE })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;
}

export class NggirlUpdatePasswordForgotDto extends NggirlCodeDto {
  @ApiProperty({ description: '新密码md5', example: 'c33367701511b4f6020ec61ded352059' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  newPassword: string;
}

export class NggirlAuthorizationDto extends NggirlSignedDto {
  @ApiProperty({ description: '用户授权令牌 (may have expired; must be the one issued with refreshToken)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  accessToken: string;

  @ApiProperty({ description: '刷新授权令牌 (single use)', example: 'rt_…' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  refreshToken: string;
}

/** `data` of logon, create, updatePasswordForgot and authorization (NggirlTokens). */
export class NggirlTokensDto {
  @ApiProperty({ type: 'integer', example: 1 }) userId: number;
  @ApiProperty({ description: '用户授权令牌 (ACCESS_TOKEN_TTL)' }) accessToken: string;
  @ApiProperty({ description: '刷新授权令牌 (opaque, single use)' }) refreshToken: string;
  @ApiProperty({ type: 'integer', description: '授权过期时间 (Unix 秒)', example: 1434038634 })
  expireTime: number;
  @ApiProperty({ example: 'concord_551ac20eb4ce2a41' }) imAccount: string;
  @ApiProperty({ description: 'IM 密码, base64', example: 'MTIzNDU2' }) imPassword: string;
}
