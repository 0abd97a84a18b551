import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * moretv's parameters. Page forms take every field as optional text, so that a missing or wrong value is shown next
 * to its field instead of failing the whole request; only absurd input (an array, a megabyte) is refused outright.
 */

const optionalText = (max: number): PropertyDecorator => {
  const decorators = [IsOptional(), IsString(), MaxLength(max)];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

export class MoretvLoginDto {
  @ApiProperty({ description: '邮箱', example: 'xiaoming@moretv.com.cn' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email: string;

  @ApiProperty({ description: '密码 (plain text, as moretv clients send it)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({
    description: '自动登录: 1 keeps the session cookie for the session lifetime',
    example: '1',
  })
  // JSON clients send 1 or true as well as "1".
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'number' || typeof value === 'boolean' ? String(value) : value,
  )
  @optionalText(8)
  auto_login?: string;
}

export class MoretvLoginFormDto {
  @ApiPropertyOptional() @optionalText(1000) email?: string;
  @ApiPropertyOptional() @optionalText(1000) password?: string;
  @ApiPropertyOptional() @optionalText(8) auto_login?: string;
  @ApiPropertyOptional({ description: 'where to go after signing in (allowed origins only)' })
  @optionalText(2048)
  callback?: string;
}

export class MoretvCallbackDto {
  @ApiPropertyOptional({ description: '回跳url: kept only on an allowed origin, else the account page' })
  @optionalText(2048)
  callback?: string;

  @ApiPropertyOptional({ description: 'a message key after a redirect (`signed-out`, `password-reset`)' })
  @optionalText(32)
  notice?: string;
}

export class MoretvRegisterDto {
  @ApiProperty() @optionalText(1000) email?: string;
  @ApiProperty() @optionalText(1000) nickname?: string;
  @ApiProperty({ description: 'plain text, 6–64 characters' }) @optionalText(1000) password?: string;
  @ApiProperty({ description: 'the answer of `/captcha/generate` for this browser' })
  @optionalText(64)
  captcha?: string;
  @ApiPropertyOptional({ description: '回跳url (allowed origins only)' })
  @optionalText(2048)
  callback?: string;
}

export class MoretvForgotDto {
  @ApiProperty() @optionalText(1000) email?: string;
}

export class MoretvResetQueryDto {
  @ApiPropertyOptional({ description: 'from the mailed link' }) @optionalText(256) token?: string;
}

export class MoretvResetDto {
  @ApiProperty({ description: 'the new password, plain text, 6–64 characters' })
  @optionalText(1000)
  password?: string;
  @ApiPropertyOptional({ description: 'the same again (the page asks for it)' })
  @optionalText(1000)
  confirm?: string;
  @ApiProperty({ description: 'from the mailed link (the page carries it)' })
  @optionalText(256)
  token?: string;
}

export class MoretvEmailPathDto {
  @ApiProperty({ description: 'urlencode(base64_encode(email))' })
  @IsString()
  @MaxLength(400)
  email: string;
}

export class MoretvSendCodeDto extends MoretvEmailPathDto {
  @ApiPropertyOptional({ enum: ['bind', 'change'] })
  @optionalText(16)
  type?: string;
}

export class MoretvCheckCodeDto extends MoretvSendCodeDto {
  @ApiProperty() @optionalText(16) code?: string;
}

export class MoretvCaptchaCodeDto {
  @ApiProperty({ description: 'the answer typed' }) @IsString() @MaxLength(64) code: string;
}

export class MoretvChangePasswordDto {
  @ApiProperty() @optionalText(1000) oldpwd?: string;
  @ApiProperty() @optionalText(1000) newpwd?: string;
  @ApiProperty() @optionalText(1000) confirmpwd?: string;
}

export class MoretvChangeEmailDto {
  @ApiProperty() @optionalText(1000) email?: string;
  @ApiProperty({ description: 'the code mailed to the new address' }) @optionalText(16) code?: string;
}

export class MoretvProfileDto {
  @ApiPropertyOptional() @optionalText(1000) nickname?: string;
  @ApiPropertyOptional({ description: '0 unknown, 1 male, 2 female' }) @optionalText(8) gender?: string;
  @ApiPropertyOptional({ description: 'at most 100 characters' }) @optionalText(1000) signature?: string;
  @ApiPropertyOptional({ description: 'YYYY-MM-DD' }) @optionalText(32) birthday?: string;
}

export class MoretvPreauthDto {
  @ApiProperty({ enum: ['qq', 'wb', 'db', 'wx'] }) @optionalText(8) type?: string;
  @ApiPropertyOptional({ description: 'where the flow ends (allowed origins only)' })
  @optionalText(2048)
  redirect_url?: string;
  @ApiPropertyOptional({ enum: ['bind'] }) @optionalText(8) action?: string;
}

export class MoretvSnsCallbackDto {
  @ApiProperty({ description: 'the `{TYPE}` path segment' }) @optionalText(8) type?: string;
  @ApiPropertyOptional() @optionalText(1024) code?: string;
  @ApiPropertyOptional() @optionalText(128) state?: string;
}

export class MoretvFillQueryDto {
  @ApiProperty({ description: 'urlencode(base64encode(openid))' }) @optionalText(1024) openid?: string;
  @ApiPropertyOptional() @optionalText(2048) redirect_url?: string;
}

export class MoretvFillDto extends MoretvFillQueryDto {
  @ApiProperty() @optionalText(1000) nickname?: string;
  @ApiPropertyOptional() @optionalText(1000) email?: string;
  @ApiPropertyOptional() @optionalText(1000) password?: string;
}

export class MoretvUnbindDto {
  @ApiProperty({ enum: ['qq', 'wb', 'db', 'wx'] }) @optionalText(8) type?: string;
}

export class MoretvAccountQueryDto {
  @ApiPropertyOptional({ description: 'a message key after a redirect' }) @optionalText(32) notice?: string;
}
