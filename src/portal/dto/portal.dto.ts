import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { DATE, TIME } from '../../appointments/dto/appointment.dto';
import { ID_PATTERN as ID } from '../../common/validation/ids';
import { blankAsMissing, IsWholeNumberBetween, trimmed } from '../../common/validation/validators';

/** Booking only: "Show free times" (the form without JavaScript) sends `show` and needs no time yet. */
const booking = (form: PortalBookingFormDto) => form.show === undefined;

/** The portal's booking form: a doctor, a day and a time — or, with `show`, the day's times to pick from. */
export class PortalBookingFormDto {
  @ValidateIf(booking)
  @Transform(trimmed)
  @Matches(ID, { message: 'Choose a doctor from the list' })
  doctorId?: string;

  @ValidateIf(booking)
  @Transform(trimmed)
  @Matches(DATE, { message: 'Enter the date as YYYY-MM-DD' })
  date?: string;

  @ValidateIf(booking)
  @Transform(trimmed)
  @Matches(TIME, { message: 'Pick a time' })
  time?: string;

  @IsOptional()
  @IsIn(['1'])
  show?: '1';
}

export class PortalCancelDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @IsString({ message: 'A reason is text' })
  @MaxLength(300, { message: 'A reason has at most 300 characters' })
  reason?: string;
}

export class PortalPageQueryDto {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value))
  @IsWholeNumberBetween(1, 9999, { message: 'The page is a number from 1' })
  page?: number;

  /** What just happened, for the notice on the page after a redirect. */
  @IsOptional()
  @IsIn(['booked', 'cancelled'])
  done?: 'booked' | 'cancelled';
}
