import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { toE164 } from '#src/users/phone.js';

const asPhone = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (toE164(value) ?? value) : value,
  );
const E164 = /^\+[1-9]\d{6,14}$/;

export class MrpyqFriendTokenDto {
  @ApiProperty({ description: '用户标示: the token /log answered' })
  @IsString()
  token: string;
}

export class MrpyqFriendTargetDto extends MrpyqFriendTokenDto {
  @ApiProperty({ description: '目标帐号: 11位电话号码', example: '13800138000' })
  @asPhone()
  @IsString()
  @Matches(E164)
  userId: string;
}

/** `phone,timestamp` (a full-width comma is read the same). */
const REFERENCE = /^\s*\+?\d{5,16}\s*[,，]\s*\d{1,16}\s*$/;

export class MrpyqDealMessageDto extends MrpyqFriendTokenDto {
  @ApiProperty({ description: '申请者的用户Id (电话号码)', example: '13800138000' })
  @asPhone()
  @IsString()
  @Matches(E164)
  userId: string;

  @ApiProperty({
    description: '识别被申请方待同意消息: "被申请者电话号码,时间戳" as messagelist gives it',
    example: '13900139000,1717171717171',
  })
  @IsString()
  @Matches(REFERENCE)
  verifyId: string;

  @ApiProperty({
    description: '识别申请方对应的待接受消息: "申请者电话号码,时间戳" as messagelist gives it',
    example: '13800138000,1717171717171',
  })
  @IsString()
  @Matches(REFERENCE)
  objectId: string;

  @ApiProperty({ description: '"accept" 同意申请, "delete" 删除消息', enum: ['accept', 'delete'] })
  @IsString()
  @MaxLength(16)
  @IsIn(['accept', 'delete'])
  behaviour: 'accept' | 'delete';
}
