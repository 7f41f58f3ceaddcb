import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, Length, Matches } from 'class-validator';
import { MONEY_PATTERN } from '../../common/money';
import { MONEY } from '../../common/openapi/formats';
import { blankAsMissing, IsWholeNumberBetween, moneyText, singleSpaced } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';

/** Each read when validation runs, in the request's language. */
export const TERMS_MESSAGES = {
  specialty: says('doctors:fields.specialty'),
  consultationFee: says('doctors:fields.consultationFee'),
  slotMinutes: says('doctors:fields.slotMinutes'),
} as const;


/** Digits become a number; anything else is left for the validator to refuse in words. */
const minutes = ({ value }: { value: unknown }): unknown => {
  const given = blankAsMissing({ value });
  return typeof given === 'string' && /^\d{1,4}$/.test(given) ? Number(given) : given;
};

/** The terms form at /admin/doctors/:id: every field is sent and required. */
export class DoctorTermsDto {
  @Transform(singleSpaced)
  @Length(2, 100, { message: TERMS_MESSAGES.specialty })
  specialty: string;

  @Transform(moneyText)
  @Matches(MONEY_PATTERN, { message: TERMS_MESSAGES.consultationFee })
  consultationFee: string;

  @Transform(minutes)
  @IsWholeNumberBetween(5, 240, { message: TERMS_MESSAGES.slotMinutes })
  slotMinutes: number;
}

/** `PATCH /api/v1/doctors/:id`: any of the terms; a field left out keeps its value. */
export class PatchDoctorDto {
  @ApiPropertyOptional({ type: String, minLength: 2, maxLength: 100, description: 'The specialty (found or created, ignoring case).', example: 'Cardiology' })
  @Transform(singleSpaced)
  @IsOptional()
  @Length(2, 100, { message: TERMS_MESSAGES.specialty })
  specialty?: string;

  @ApiPropertyOptional({ ...MONEY, description: 'The consultation fee.' })
  @Transform(moneyText)
  @IsOptional()
  @Matches(MONEY_PATTERN, { message: TERMS_MESSAGES.consultationFee })
  consultationFee?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 5, maximum: 240, description: 'Minutes per appointment slot.', example: 15 })
  @Transform(minutes)
  @IsOptional()
  @IsWholeNumberBetween(5, 240, { message: TERMS_MESSAGES.slotMinutes })
  slotMinutes?: number;
}
