import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PHONE_INPUT_MAX_LENGTH } from '../../common/phone';
import { ADDRESS_MAX_LENGTH, type Gender, GENDERS, NAME_MAX_LENGTH, NATIONAL_ID, PORTAL_USERNAME } from '../patient-rules';
import { blankAsMissing, blankAsNull, singleSpaced, trimmed } from '../../common/validation/validators';
import { IsBirthDate, MESSAGES, NO_CONTROL_CHARACTERS } from './patient-validators';

/** Sent at all: a required field that is sent must be valid (an empty one is refused). */
const sent = (_dto: object, value: unknown) => value !== undefined;
/** Sent and not cleared: an optional field sent empty (or null) is cleared. */
const sentWithValue = (_dto: object, value: unknown) => value !== undefined && value !== null;

/**
 * A change to a patient file (the edit form, which sends every field, and PATCH /api/v1/patients/:id,
 * which sends only what changes). A field left out is kept; an optional field sent empty is cleared.
 */
export class UpdatePatientDto {
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: NAME_MAX_LENGTH, description: 'First name; if sent, not empty.' })
  @Transform(singleSpaced)
  @ValidateIf(sent)
  @Length(1, NAME_MAX_LENGTH, { message: MESSAGES.firstName })
  @Matches(NO_CONTROL_CHARACTERS, { message: MESSAGES.nameCharacters })
  firstName?: string;

  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: NAME_MAX_LENGTH, description: 'Last name; if sent, not empty.' })
  @Transform(singleSpaced)
  @ValidateIf(sent)
  @Length(1, NAME_MAX_LENGTH, { message: MESSAGES.lastName })
  @Matches(NO_CONTROL_CHARACTERS, { message: MESSAGES.nameCharacters })
  lastName?: string;

  @ApiPropertyOptional({ type: String, format: 'date', description: 'Date of birth: from 1900, not in the future.' })
  @Transform(trimmed)
  @ValidateIf(sent)
  @IsBirthDate()
  dateOfBirth?: string;

  @ApiPropertyOptional({ enum: [...GENDERS] })
  @ValidateIf(sent)
  @IsIn(GENDERS, { message: MESSAGES.gender })
  gender?: Gender;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: PHONE_INPUT_MAX_LENGTH, description: "As written, read in the clinic's region; `null` or an empty string clears it." })
  @Transform(blankAsNull)
  @ValidateIf(sentWithValue)
  @IsString({ message: MESSAGES.phone })
  @MaxLength(PHONE_INPUT_MAX_LENGTH, { message: MESSAGES.phone })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: ADDRESS_MAX_LENGTH, description: '`null` or an empty string clears it.' })
  @Transform(blankAsNull)
  @ValidateIf(sentWithValue)
  @IsString({ message: MESSAGES.address })
  @MaxLength(ADDRESS_MAX_LENGTH, { message: MESSAGES.address })
  address?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, pattern: NATIONAL_ID.source, description: 'National id number (unique in the clinic); `null` or an empty string clears it.' })
  @Transform(blankAsNull)
  @ValidateIf(sentWithValue)
  @Matches(NATIONAL_ID, { message: MESSAGES.nationalId })
  nationalId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'email', maxLength: 254, description: 'Where notices go; `null` or an empty string clears it.' })
  @Transform(blankAsNull)
  @ValidateIf(sentWithValue)
  @IsEmail({}, { message: MESSAGES.email })
  @MaxLength(254, { message: MESSAGES.email })
  email?: string | null;

  /** Gives a patient without a portal identity one (with a phone); an existing portal username is not changed here. */
  @ApiPropertyOptional({ type: String, pattern: PORTAL_USERNAME.source, description: 'Gives a patient without a portal identity one (with a phone); an existing portal username is not changed here.' })
  @Transform(blankAsMissing)
  @IsOptional()
  @Matches(PORTAL_USERNAME, { message: MESSAGES.username })
  username?: string;
}
