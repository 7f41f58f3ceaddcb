import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { LOCAL_TIME } from '../../common/openapi/formats';
import { IsWholeNumberBetween } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';
import { MAX_RANGES_PER_WEEK } from '../calendar-rules';

/** A repeated form field arrives as an array, a single one as a string. */
const asList = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? [value] : value);

const tooMany = says('doctors:fields.tooManyRanges', { max: MAX_RANGES_PER_WEEK });

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
  @Matches(/^(add:[1-7]|remove:[1-7]:\d{1,2})$/, { message: says('doctors:fields.unknownEdit') })
  edit?: string;
}

export class WorkingRangeDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday … 7 = Sunday.', example: 1 })
  @IsWholeNumberBetween(1, 7, { message: says('doctors:fields.weekday') })
  weekday: number;

  @ApiProperty({ ...LOCAL_TIME, example: '09:00', description: 'Start (`HH:MM`, clinic-local).' })
  @IsString({ message: says('doctors:fields.starts') })
  starts: string;

  @ApiProperty({ ...LOCAL_TIME, example: '13:00', description: 'End (`HH:MM`, clinic-local), after the start.' })
  @IsString({ message: says('doctors:fields.ends') })
  ends: string;
}

/** `PUT /api/v1/doctors/:id/hours`: the whole week; an empty list means no working hours. */
export class WeekHoursDto {
  @ApiProperty({ type: [WorkingRangeDto], maxItems: MAX_RANGES_PER_WEEK, description: 'Every working range of the week; ranges of one day may not overlap.' })
  @IsArray({ message: says('doctors:fields.hoursList') })
  @ArrayMaxSize(MAX_RANGES_PER_WEEK, { message: tooMany })
  @ValidateNested({ each: true })
  @Type(() => WorkingRangeDto)
  hours: WorkingRangeDto[];
}
