import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PHONE_INPUT_MAX_LENGTH } from '../../common/phone';
import { ADDRESS_MAX_LENGTH, type Gender, GENDERS, NAME_MAX_LENGTH, NATIONAL_ID, PORTAL_USERNAME } from '../patient-rules';
import { blankAsMissing, singleSpaced, trimmed } from '../../common/validation/validators';
import { IsBirthDate, MESSAGES, NO_CONTROL_CHARACTERS, yesAsTrue } from './patient-validators';

/** A new patient file (the form at /patients/new and POST /api/v1/patients). */
export class CreatePatientDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: NAME_MAX_LENGTH, description: 'First name (one line).', example: 'Amir' })
  @Transform(singleSpaced)
  @Length(1, NAME_MAX_LENGTH, { message: MESSAGES.firstName })
  @Matches(NO_CONTROL_CHARACTERS, { message: MESSAGES.nameCharacters })
  firstName: string;

  @ApiProperty({ type: String, minLength: 1, maxLength: NAME_MAX_LENGTH, description: 'Last name (one line).', example: 'Hassan' })
  @Transform(singleSpaced)
  @Length(1, NAME_MAX_LENGTH, { message: MESSAGES.lastName })
  @Matches(NO_CONTROL_CHARACTERS, { message: MESSAGES.nameCharacters })
  lastName: string;

  @ApiProperty({ type: String, format: 'date', description: 'Date of birth: from 1900, not in the future.', example: '1988-04-12' })
  @Transform(trimmed)
  @IsBirthDate()
  dateOfBirth: string;

  @ApiProperty({ enum: [...GENDERS] })
  @IsIn(GENDERS, { message: MESSAGES.gender })
  gender: Gender;

  /** As typed; the service reads it in the clinic's region and stores E.164. */
  @ApiPropertyOptional({ type: String, maxLength: PHONE_INPUT_MAX_LENGTH, description: "As written; read in the clinic's region and stored as E.164.", example: '010 1234 5678' })
  @Transform(blankAsMissing)
  @IsOptional()
  @IsString({ message: MESSAGES.phone })
  @MaxLength(PHONE_INPUT_MAX_LENGTH, { message: MESSAGES.phone })
  phone?: string;

  @ApiPropertyOptional({ type: String, maxLength: ADDRESS_MAX_LENGTH })
  @Transform(blankAsMissing)
  @IsOptional()
  @IsString({ message: MESSAGES.address })
  @MaxLength(ADDRESS_MAX_LENGTH, { message: MESSAGES.address })
  address?: string;

  @ApiPropertyOptional({ type: String, pattern: NATIONAL_ID.source, description: 'National id number (unique in the clinic).' })
  @Transform(blankAsMissing)
  @IsOptional()
  @Matches(NATIONAL_ID, { message: MESSAGES.nationalId })
  nationalId?: string;

  /** Where notices go: booking confirmations, reminders, cancellations. */
  @ApiPropertyOptional({ type: String, format: 'email', maxLength: 254, description: 'Where notices go: booking confirmations, reminders, cancellations.' })
  @Transform(blankAsMissing)
  @IsOptional()
  @IsEmail({}, { message: MESSAGES.email })
  @MaxLength(254, { message: MESSAGES.email })
  email?: string;

  /** The portal username; with a phone it creates (or links) the patient's portal identity. */
  @ApiPropertyOptional({ type: String, pattern: PORTAL_USERNAME.source, description: "The portal username; with a phone it creates (or links) the patient's portal identity." })
  @Transform(blankAsMissing)
  @IsOptional()
  @Matches(PORTAL_USERNAME, { message: MESSAGES.username })
  username?: string;

  /** Register even though a file with the same phone and date of birth exists. */
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Register even though a file with the same phone and date of birth exists (else `409 possible_duplicate`).' })
  @Transform(yesAsTrue)
  @IsOptional()
  @IsBoolean({ message: MESSAGES.confirmDuplicate })
  confirmDuplicate?: boolean;
}
