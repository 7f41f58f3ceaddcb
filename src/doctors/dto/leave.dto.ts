import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, ValidateBy, type ValidationOptions } from 'class-validator';
import { LOCAL_DATE } from '../../common/openapi/formats';
import { blankAsMissing, trimmed } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';
import { isCalendarDate, LEAVE_REASON_MAX_LENGTH } from '../calendar-rules';

function IsCalendarDate(options: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isCalendarDate', validator: { validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value) } }, options);
}

/** A leave (the form at /admin/doctors/:id and `POST /api/v1/doctors/:id/leave`): whole days, both included. */
export class LeaveDto {
  @ApiProperty({ ...LOCAL_DATE, description: 'The first day of leave.' })
  @Transform(trimmed)
  @IsCalendarDate({ message: says('doctors:fields.startsOn') })
  startsOn: string;

  /** Left out or empty: a single day. */
  @ApiPropertyOptional({ ...LOCAL_DATE, description: 'The last day (included); left out: a single day. At most 366 days.' })
  @Transform(blankAsMissing)
  @IsOptional()
  @IsCalendarDate({ message: says('doctors:fields.endsOn') })
  endsOn?: string;

  @ApiPropertyOptional({ type: String, maxLength: LEAVE_REASON_MAX_LENGTH, description: 'Why (not shown to patients).' })
  @Transform(blankAsMissing)
  @IsOptional()
  @IsString({ message: says('doctors:fields.reason', { max: LEAVE_REASON_MAX_LENGTH }) })
  @MaxLength(LEAVE_REASON_MAX_LENGTH, { message: says('doctors:fields.reason', { max: LEAVE_REASON_MAX_LENGTH }) })
  reason?: string;
}
