import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DATE } from '../../appointments/dto/appointment.dto';
import { ID as ID_FORMAT, LOCAL_DATE } from '../../common/openapi/formats';
import { ID_PATTERN as ID } from '../../common/validation/ids';
import { says } from '../../i18n/i18n';
import { blankAsMissing, trimmed } from '../../common/validation/validators';

/** The days and doctor a patient waits for (the portal's form: the patient is the one signed in). */
export class WaitlistRequestDto {
  @ApiProperty({ ...ID_FORMAT, description: 'The doctor.' })
  @Transform(trimmed)
  @Matches(ID, { message: says('waitlist:fields.doctorRequired') })
  doctorId: string;

  @ApiProperty({ ...LOCAL_DATE, description: 'The first clinic-local day that would do.' })
  @Transform(trimmed)
  @Matches(DATE, { message: says('waitlist:fields.fromFormat') })
  fromDate: string;

  @ApiProperty({ ...LOCAL_DATE, description: 'The last clinic-local day that would do.' })
  @Transform(trimmed)
  @Matches(DATE, { message: says('waitlist:fields.toFormat') })
  toDate: string;

  @ApiPropertyOptional({ type: String, maxLength: 500 })
  @IsOptional()
  @Transform(blankAsMissing)
  @IsString()
  @MaxLength(500, { message: says('waitlist:fields.notesLength') })
  notes?: string;
}

/** Reception's form and the staff API: the same, for a patient of the clinic. */
export class WaitlistEntryDto extends WaitlistRequestDto {
  @ApiProperty({ ...ID_FORMAT, description: 'The patient file.' })
  @Transform(trimmed)
  @Matches(ID, { message: says('waitlist:fields.patientRequired') })
  patientId: string;
}

/** `/waitlist?doctorId=` and `/waitlist/new?patientId=`. */
export class WaitlistQueryDto {
  @ApiPropertyOptional({ ...ID_FORMAT, description: 'Only those waiting for this doctor.' })
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('waitlist:fields.doctorRequired') })
  doctorId?: string;

  @ApiPropertyOptional({ ...ID_FORMAT, description: "Only this patient's waits." })
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('waitlist:fields.patientRequired') })
  patientId?: string;
}
