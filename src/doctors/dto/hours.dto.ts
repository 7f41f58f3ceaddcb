import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { IsWholeNumberBetween } from '../../common/validation/validators';
import { MAX_RANGES_PER_WEEK } from '../calendar-rules';

/** A repeated form field arrives as an array, a single one as a string. */
const asList = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? [value] : value);

const tooMany = `Enter at most ${MAX_RANGES_PER_WEEK} ranges for the week`;

/**
 * The week form at /admin/doctors/:id/hours. Each range is one row of three fields, in document
 * order: `weekday` (hidden, 1 = Monday … 7 = Sunday), `starts` and `ends` (`HH:MM`), so the three
 * lists are parallel. A row with both times empty is a blank range and is ignored on save.
 * `edit` (the add/remove buttons) changes the form without saving: `add:<weekday>` or
 * `remove:<weekday>:<index of the range within that day>`.
 */
export class WeekFormDto {
  @Transform(asList)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_RANGES_PER_WEEK + 7, { message: tooMany })
  @IsString({ each: true })
  weekday?: string[];

  @Transform(asList)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_RANGES_PER_WEEK + 7, { message: tooMany })
  @IsString({ each: true })
  starts?: string[];

  @Transform(asList)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_RANGES_PER_WEEK + 7, { message: tooMany })
  @IsString({ each: true })
  ends?: string[];

  @IsOptional()
  @Matches(/^(add:[1-7]|remove:[1-7]:\d{1,2})$/, { message: 'Unknown change to the week' })
  edit?: string;
}

export class WorkingRangeDto {
  @IsWholeNumberBetween(1, 7, { message: 'Enter the weekday as a number from 1 (Monday) to 7 (Sunday)' })
  weekday: number;

  @IsString({ message: 'Enter the start time as HH:MM, e.g. 09:00' })
  starts: string;

  @IsString({ message: 'Enter the end time as HH:MM, e.g. 17:00' })
  ends: string;
}

/** `PUT /api/v1/doctors/:id/hours`: the whole week; an empty list means no working hours. */
export class WeekHoursDto {
  @IsArray({ message: 'Send hours as a list of { weekday, starts, ends }' })
  @ArrayMaxSize(MAX_RANGES_PER_WEEK, { message: tooMany })
  @ValidateNested({ each: true })
  @Type(() => WorkingRangeDto)
  hours: WorkingRangeDto[];
}
