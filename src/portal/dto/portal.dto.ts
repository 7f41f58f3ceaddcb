import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { DATE, TIME } from '../../appointments/dto/appointment.dto';
import { ID_PATTERN as ID } from '../../common/validation/ids';
import { says } from '../../i18n/i18n';
import { blankAsMissing, IsWholeNumberBetween, trimmed } from '../../common/validation/validators';

/** Booking only: "Show free times" (the form without JavaScript) sends `show` and needs no time yet. */
const booking = (form: PortalBookingFormDto) => form.show === undefined;

/** The portal's booking form: a doctor, a day and a time — or, with `show`, the day's times to pick from. */
export class PortalBookingFormDto {
  @ValidateIf(booking)
  @Transform(trimmed)
  @Matches(ID, { message: says('portal:fields.doctorRequired') })
  doctorId?: string;

  @ValidateIf(booking)
  @Transform(trimmed)
  @Matches(DATE, { message: says('portal:fields.dateFormat') })
  date?: string;

  @ValidateIf(booking)
  @Transform(trimmed)
  @Matches(TIME, { message: says('portal:fields.timeRequired') })
  time?: string;

  @IsOptional()
  @IsIn(['1'])
  show?: '1';
}

export class PortalCancelDto {
  @ApiPropertyOptional({ type: String, maxLength: 300, description: 'Why (recorded as "Cancelled online by the patient: …").' })
  @IsOptional()
  @Transform(blankAsMissing)
  @IsString({ message: says('portal:fields.reasonText') })
  @MaxLength(300, { message: says('portal:fields.reasonLength') })
  reason?: string;
}

export class PortalPageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 9999, default: 1, description: 'The page of past appointments, 20 to a page.' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value))
  @IsWholeNumberBetween(1, 9999, { message: says('portal:fields.page') })
  page?: number;

  /** What just happened, for the notice on the page after a redirect. */
  @ApiPropertyOptional({ enum: ['booked', 'cancelled'], description: "The portal page's notice after a redirect; no effect on the API's answer." })
  @IsOptional()
  @IsIn(['booked', 'cancelled'])
  done?: 'booked' | 'cancelled';
}
