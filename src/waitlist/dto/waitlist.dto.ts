import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DATE } from '../../appointments/dto/appointment.dto';
import { ID_PATTERN as ID } from '../../common/validation/ids';
import { blankAsMissing, trimmed } from '../../common/validation/validators';

/** The days and doctor a patient waits for (the portal's form: the patient is the one signed in). */
export class WaitlistRequestDto {
  @Transform(trimmed)
  @Matches(ID, { message: 'Choose a doctor from the list' })
  doctorId: string;

  @Transform(trimmed)
  @Matches(DATE, { message: 'Enter the first day as YYYY-MM-DD' })
  fromDate: string;

  @Transform(trimmed)
  @Matches(DATE, { message: 'Enter the last day as YYYY-MM-DD' })
  toDate: string;

  @IsOptional()
  @Transform(blankAsMissing)
  @IsString()
  @MaxLength(500, { message: 'A note has at most 500 characters' })
  notes?: string;
}

/** Reception's form and the staff API: the same, for a patient of the clinic. */
export class WaitlistEntryDto extends WaitlistRequestDto {
  @Transform(trimmed)
  @Matches(ID, { message: 'Choose a registered patient' })
  patientId: string;
}

/** `/waitlist?doctorId=` and `/waitlist/new?patientId=`. */
export class WaitlistQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: 'Choose a doctor from the list' })
  doctorId?: string;

  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: 'Choose a registered patient' })
  patientId?: string;
}
