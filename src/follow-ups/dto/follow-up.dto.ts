import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { blankAsMissing } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from '../follow-up';

export class FollowUpListQueryDto {
  @ApiPropertyOptional({ enum: [...FOLLOW_UP_STATUSES], default: 'open', description: 'Which follow-ups.' })
  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn(FOLLOW_UP_STATUSES, { message: says('followUps:fields.status') })
  status?: FollowUpStatus;
}
