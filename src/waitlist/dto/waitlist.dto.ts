import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DATE } from '../../appointments/dto/appointment.dto';
import { ID_PATTERN as ID } from '../../common/validation/ids';
import { says } from '../../i18n/i18n';
import { blankAsMissing, trimmed } from '../../common/validation/validators';

/** The days and doctor a patient waits for (the portal's form: the patient is the one signed in). */
export class WaitlistRequestDto {
  @Transform(trimmed)
  @Matches(ID, { message: says('waitlist:fields.doctorRequired') })
  doctorId: string;

  @Transform(trimmed)
  @Matches(DATE, { message: says('waitlist:fields.fromFormat') })
  fromDate: string;

  @Transform(trimmed)
  @Matches(DATE, { message: says('waitlist:fields.toFormat') })
  toDate: string;

  @IsOptional()
  @Transform(blankAsMissing)
  @IsString()
  @MaxLength(500, { message: says('waitlist:fields.notesLength') })
  notes?: string;
}

/** Reception's form and the staff API: the same, for a patient of the clinic. */
export class WaitlistEntryDto extends WaitlistRequestDto {
  @Transform(trimmed)
  @Matches(ID, { message: says('waitlist:fields.patientRequired') })
  patientId: string;
}

/** `/waitlist?doctorId=` and `/waitlist/new?patientId=`. */
export class WaitlistQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('waitlist:fields.doctorRequired') })
  doctorId?: string;

  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('waitlist:fields.patientRequired') })
  patientId?: string;
}
