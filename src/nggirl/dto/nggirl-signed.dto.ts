import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { toE164 } from '#src/users/phone.js';

/** A phone as the client typed it, normalised to E.164 (or left as is, to fail validation). */
export const asNggirlPhone = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (toE164(value) ?? value) : value,
  );
export const E164 = /^\+[1-9]\d{6,14}$/;

/** An empty field counts as not given (clients send every field of a form, filled or not). */
export const emptyAsAbsent = () =>
  Transform(({ value }: { value: unknown }) => (value === '' || value === null ? undefined : value));

/** A number sent in a JSON body is the same parameter as its text in a query string. */
export const numberAsText = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value));

/**
 * The four parameters every nggirl request carries. NggirlSignatureGuard checks them before validation runs (code
 * 8 when one is missing or wrong); they are declared here for the OpenAPI document.
 */
export class NggirlSignedDto {
  @ApiProperty({ description: '应用 id (one of NGGIRL_APPS)', example: '14314' })
  @IsOptional()
  @IsString()
  app_id?: string;

  @ApiProperty({ description: '随机串, 1–64 个字符, 同一应用 300 秒内不可重复', example: 'uyxxd' })
  @IsOptional()
  @IsString()
  nonce?: string;

  @ApiProperty({ description: 'Unix 秒, 与服务器时间相差不超过 300 秒', example: '1427814380' })
  @IsOptional()
  @numberAsText()
  @IsString()
  timestamp?: string;

  @ApiProperty({
    description:
      '签名: 除 sign 外全部参数按名字字节序排序, name=value 以 & 连接, 用应用密钥做 HMAC-SHA256, 小写十六进制 (docs/dialects/nggirl.md)',
    example: '015670979120536094febd7a26dc168a136b1a26bf1b48e513f1ca46438bb843',
  })
  @IsOptional()
  @IsString()
  sign?: string;
}

/** A route of a signed-in artist: `accessToken` is read by the session guard before validation. */
export class NggirlTokenDto extends NggirlSignedDto {
  @ApiProperty({ description: '用户授权令牌 (logon/create/authorization 返回的 accessToken)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  accessToken: string;
}

export class NggirlPhoneDto extends NggirlSignedDto {
  @ApiProperty({ description: '手机号', example: '13581878073' })
  // class-transformer applies a property's transforms top down: a JSON number becomes text, then E.164.
  @numberAsText()
  @asNggirlPhone()
  @IsString()
  @Matches(E164)
  phoneNum: string;
}
