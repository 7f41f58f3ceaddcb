import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { blankAsMissing } from '../../common/validation/validators';
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from '../follow-up';

export class FollowUpListQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn(FOLLOW_UP_STATUSES, { message: 'The status is one of open, booked, dismissed' })
  status?: FollowUpStatus;
}
