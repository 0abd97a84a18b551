import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { toE164 } from '#src/users/phone.js';

/** A phone as the client typed it, normalised to E.164 (or left as is, to fail validation). */
const asPhone = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (toE164(value) ?? value) : value,
  );
const E164 = /^\+[1-9]\d{6,14}$/;

export class XiaomaSendCodeDto {
  @ApiProperty({ description: '手机号', example: '15507898841' })
  @asPhone()
  @IsString()
  @Matches(E164)
  phone: string;

  @ApiPropertyOptional({
    description: '用途: register 注册, retrieve 找回密码',
    enum: ['register', 'retrieve'],
    default: 'register',
  })
  @IsOptional()
  @IsIn(['register', 'retrieve'])
  type?: 'register' | 'retrieve';
}

export class XiaomaRegisterDto {
  @ApiProperty({ description: '手机号', example: '15507898841' })
  @asPhone()
  @IsString()
  @Matches(E164)
  phone: string;

  @ApiProperty({ description: '验证码', example: '123456' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(16)
  code: string;

  @ApiProperty({ description: '密码, 6–16 位', example: 'secret123' })
  @IsString()
  @Length(6, 16)
  password: string;

  @ApiPropertyOptional({ description: '极光推送 RegistrationID' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  RegistrationID?: string;
}

export class XiaomaLoginDto {
  @ApiProperty({ description: '手机号', example: '15507898841' })
  @asPhone()
  @IsString()
  @Matches(E164)
  phone: string;

  @ApiProperty({ description: '密码' })
  @IsString()
  @Length(1, 64)
  password: string;

  @ApiPropertyOptional({ description: '极光推送 RegistrationID (recorded as the device of this session)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  RegistrationID?: string;
}

export class XiaomaRetrievePasswordDto {
  @ApiProperty({ description: '账号 (手机号)', example: '15507898841' })
  @asPhone()
  @IsString()
  @Matches(E164)
  account: string;

  @ApiProperty({ description: '验证码' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(16)
  phone_code: string;

  @ApiProperty({ description: '新密码, 6–16 位' })
  @IsString()
  @Length(6, 16)
  new_password: string;
}

/** Routes that take the token as `/token/<t>` or `?token=`: the merged parameters carry it either way. */
export class XiaomaTokenDto {
  @ApiPropertyOptional({ description: '用户token (also accepted as the path segment /token/<t>)' })
  @IsOptional()
  @IsString()
  token?: string;
}

export class XiaomaPortraitDto extends XiaomaTokenDto {
  @ApiProperty({ description: '头像图片地址 (an address answered by upload_image)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  portrait: string;
}
