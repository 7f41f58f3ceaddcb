import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { MONEY_PATTERN } from '../../common/money';
import { MONEY } from '../../common/openapi/formats';
import { PHONE_INPUT_MAX_LENGTH } from '../../common/phone';
import { says } from '../../i18n/i18n';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../users/passwords';
import { blankAsMissing, IsAcceptablePassword, IsWholeNumberBetween, moneyText, singleSpaced, trimmed } from '../../common/validation/validators';

/** The roles the staff screen creates; patients register at the front desk, never here. */
export const STAFF_MEMBER_ROLES = ['doctor', 'reception', 'admin'] as const;
export type StaffMemberRole = (typeof STAFF_MEMBER_ROLES)[number];

export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,64}$/;
/** Up to 99,999,999.99 (numeric(10,2)), never negative, at most two decimals; kept as text so no float ever touches money. */
export const DEFAULT_SLOT_MINUTES = 15;

const isDoctor = (dto: CreateStaffDto) => dto.role === 'doctor';

/** A new password, as the clinic's password rule takes it. */
export const PASSWORD = {
  type: String,
  format: 'password',
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
  description: `At least ${PASSWORD_MIN_LENGTH} characters.`,
} as const;

/** A new doctor, receptionist or clinic owner (the form at /admin/staff and POST /api/v1/staff). */
export class CreateStaffDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 200, description: 'Full name, as shown on pages and prescriptions.', example: 'Dr. Ahmed Samir' })
  @Transform(singleSpaced)
  @Length(1, 200, { message: says('staff:fields.fullName') })
  fullName: string;

  @ApiProperty({ type: String, pattern: USERNAME_PATTERN.source, description: 'Unique in the clinic.', example: 'ahmed.samir' })
  @Transform(trimmed)
  @Matches(USERNAME_PATTERN, { message: says('staff:fields.username') })
  username: string;

  @ApiProperty({ enum: [...STAFF_MEMBER_ROLES], description: '`admin` is a clinic owner.' })
  @IsIn(STAFF_MEMBER_ROLES, { message: says('staff:fields.role') })
  role: StaffMemberRole;

  @ApiProperty({ ...PASSWORD })
  @IsAcceptablePassword()
  password: string;

  @ApiPropertyOptional({ type: String, maxLength: PHONE_INPUT_MAX_LENGTH, description: "As written; read in the clinic's region." })
  @Transform(blankAsMissing)
  @IsOptional()
  @MaxLength(PHONE_INPUT_MAX_LENGTH, { message: says('staff:fields.phone') })
  phone?: string;

  // the doctor's fields are sent by the form for every role; they count only for a doctor
  @ApiPropertyOptional({ type: String, minLength: 2, maxLength: 100, description: 'A doctor\'s specialty: required for `role: doctor`, ignored otherwise.', example: 'Cardiology' })
  @ValidateIf(isDoctor)
  @Transform(singleSpaced)
  @Length(2, 100, { message: says('doctors:fields.specialty') })
  specialty?: string;

  @ApiPropertyOptional({ ...MONEY, description: "A doctor's consultation fee: required for `role: doctor`, ignored otherwise." })
  @ValidateIf(isDoctor)
  @Transform(moneyText)
  @Matches(MONEY_PATTERN, { message: says('doctors:fields.consultationFee') })
  consultationFee?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 5, maximum: 240, default: DEFAULT_SLOT_MINUTES, description: "A doctor's minutes per appointment slot." })
  @ValidateIf(isDoctor)
  @Transform(({ value }) => {
    const given = blankAsMissing({ value });
    return typeof given === 'string' && /^\d{1,4}$/.test(given) ? Number(given) : given;
  })
  @IsOptional()
  @IsWholeNumberBetween(5, 240, { message: says('doctors:fields.slotMinutes') })
  slotMinutes?: number;
}
