import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { toE164 } from '#src/users/phone.js';

/** A phone as the client typed it, normalised to E.164 (or left as is, to fail validation). */
export const asMrpyqPhone = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (toE164(value) ?? value) : value,
  );
export const E164 = /^\+[1-9]\d{6,14}$/;
/** An empty form field counts as not given. */
const emptyAsAbsent = () => Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

/**
 * The send step's only documented parameter is `token`, which carries the phone (the document's "用户标识"); `userId`
 * and `phone` are read too, in that order.
 */
export class MrpyqSendCodeDto {
  @ApiPropertyOptional({ description: '手机号 (the document names it token)', example: '13800138000' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  token?: string;

  @ApiPropertyOptional({ description: '手机号 (accepted instead of token)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  userId?: string;

  @ApiPropertyOptional({ description: '手机号 (accepted instead of token)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;
}

export class MrpyqVerifyCodeDto {
  @ApiProperty({
    description: '发送验证码接口返回的 message: an opaque ticket naming the phone (never the code)',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  code_v: string;

  @ApiProperty({ description: '用户输入的4位验证码', example: '0427' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(16)
  code: string;
}

export class MrpyqRegisterDto {
  @ApiProperty({ description: '11位电话号码 (the number verified by the code step)', example: '13800138000' })
  @asMrpyqPhone()
  @IsString()
  @Matches(E164)
  userId: string;

  @ApiProperty({ description: '密码: 至少8位, 同时包括字母和数字 (at most 64)', example: 'secret123' })
  @IsString()
  @Matches(/^(?=.*[A-Za-z])(?=.*\d)[\s\S]{8,64}$/, {
    message: 'password: 8-64 characters, letters and digits',
  })
  password: string;

  @ApiPropertyOptional({ description: '"0" 女, "1" 男', enum: ['0', '1'] })
  @emptyAsAbsent()
  @IsOptional()
  @IsIn(['0', '1'])
  gender?: '0' | '1';

  @ApiPropertyOptional({ description: '昵称 (1-30 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  nickname?: string;

  @ApiPropertyOptional({ description: '头像完整路径: the address /upload answered' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  headImage?: string;
}

export class MrpyqLoginDto {
  @ApiProperty({ description: '手机号 (账户名)', example: '13800138000' })
  @asMrpyqPhone()
  @IsString()
  @Matches(E164)
  userId: string;

  @ApiProperty({ description: '密码' })
  @IsString()
  @Length(1, 64)
  password: string;

  @ApiPropertyOptional({
    description:
      'token有效期, seconds; capped by MRPYQ_MAX_TOKEN_TTL (7 days by default), which is also the default',
    example: '604800',
  })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'number' ? String(value) : value === '' ? undefined : value,
  )
  @IsOptional()
  @Matches(/^\d{1,10}$/)
  expire_in?: string;
}
