import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, ValidateBy, type ValidationOptions } from 'class-validator';
import { blankAsMissing, trimmed } from '../../common/validation/validators';
import { isCalendarDate, LEAVE_REASON_MAX_LENGTH } from '../calendar-rules';

function IsCalendarDate(options: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isCalendarDate', validator: { validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value) } }, options);
}

/** A leave (the form at /admin/doctors/:id and `POST /api/v1/doctors/:id/leave`): whole days, both included. */
export class LeaveDto {
  @Transform(trimmed)
  @IsCalendarDate({ message: 'Enter the first day of leave as a date, e.g. 2026-12-24' })
  startsOn: string;

  /** Left out or empty: a single day. */
  @Transform(blankAsMissing)
  @IsOptional()
  @IsCalendarDate({ message: 'Enter the last day of leave as a date, e.g. 2026-12-31, or leave it empty for one day' })
  endsOn?: string;

  @Transform(blankAsMissing)
  @IsOptional()
  @IsString({ message: `Keep the reason to at most ${LEAVE_REASON_MAX_LENGTH} characters` })
  @MaxLength(LEAVE_REASON_MAX_LENGTH, { message: `Keep the reason to at most ${LEAVE_REASON_MAX_LENGTH} characters` })
  reason?: string;
}
