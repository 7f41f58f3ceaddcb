import { Transform } from 'class-transformer';
import { IsIn, IsOptional, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { MONEY_PATTERN } from '../../common/money';
import { PHONE_INPUT_MAX_LENGTH } from '../../common/phone';
import { says } from '../../i18n/i18n';
import { blankAsMissing, IsAcceptablePassword, IsWholeNumberBetween, moneyText, singleSpaced, trimmed } from '../../common/validation/validators';

/** The roles the staff screen creates; patients register at the front desk, never here. */
export const STAFF_MEMBER_ROLES = ['doctor', 'reception', 'admin'] as const;
export type StaffMemberRole = (typeof STAFF_MEMBER_ROLES)[number];

export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,64}$/;
/** Up to 99,999,999.99 (numeric(10,2)), never negative, at most two decimals; kept as text so no float ever touches money. */
export const DEFAULT_SLOT_MINUTES = 15;

const isDoctor = (dto: CreateStaffDto) => dto.role === 'doctor';

/** A new doctor, receptionist or clinic owner (the form at /admin/staff and POST /api/v1/staff). */
export class CreateStaffDto {
  @Transform(singleSpaced)
  @Length(1, 200, { message: says('staff:fields.fullName') })
  fullName: string;

  @Transform(trimmed)
  @Matches(USERNAME_PATTERN, { message: says('staff:fields.username') })
  username: string;

  @IsIn(STAFF_MEMBER_ROLES, { message: says('staff:fields.role') })
  role: StaffMemberRole;

  @IsAcceptablePassword()
  password: string;

  @Transform(blankAsMissing)
  @IsOptional()
  @MaxLength(PHONE_INPUT_MAX_LENGTH, { message: says('staff:fields.phone') })
  phone?: string;

  // the doctor's fields are sent by the form for every role; they count only for a doctor
  @ValidateIf(isDoctor)
  @Transform(singleSpaced)
  @Length(2, 100, { message: says('doctors:fields.specialty') })
  specialty?: string;

  @ValidateIf(isDoctor)
  @Transform(moneyText)
  @Matches(MONEY_PATTERN, { message: says('doctors:fields.consultationFee') })
  consultationFee?: string;

  @ValidateIf(isDoctor)
  @Transform(({ value }) => {
    const given = blankAsMissing({ value });
    return typeof given === 'string' && /^\d{1,4}$/.test(given) ? Number(given) : given;
  })
  @IsOptional()
  @IsWholeNumberBetween(5, 240, { message: says('doctors:fields.slotMinutes') })
  slotMinutes?: number;
}
