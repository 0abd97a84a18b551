import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class AdminUserIdParam {
  @ApiProperty({ example: '1024' })
  @Matches(/^[1-9]\d{0,18}$/)
  id: string;
}

export class AdminStarredUser {
  @ApiProperty({ example: '1024' }) id: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty() nickname: string;
  @ApiProperty({ enum: ['nobody', 'star'] }) type: string;
}
