import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MONEY_PATTERN } from '../../common/money';
import { MONEY } from '../../common/openapi/formats';
import { PHONE_INPUT_MAX_LENGTH } from '../../common/phone';
import { blankAsNull, checkbox, IsWholeNumberBetween, moneyText, trimmed } from '../../common/validation/validators';
import { type Language, LANGUAGES, says } from '../../i18n/i18n';
import { GRACE_LIMITS, RULE_LIMITS } from '../clinic-settings';

/** Digits become a number; anything else is left for the validator to refuse in words. */
const wholeNumber = ({ value }: { value: unknown }): unknown => {
  const given = trimmed({ value });
  return typeof given === 'string' && /^\d{1,4}$/.test(given) ? Number(given) : given;
};

const rule = (name: keyof typeof RULE_LIMITS) => IsWholeNumberBetween(RULE_LIMITS[name].min, RULE_LIMITS[name].max, { message: RULE_LIMITS[name].message });
/** The rule's range in the API document, from the same limits the validator uses. */
const ruleProperty = (name: keyof typeof RULE_LIMITS, description: string) =>
  ApiPropertyOptional({ type: 'integer', minimum: RULE_LIMITS[name].min, maximum: RULE_LIMITS[name].max, description });

/**
 * The settings form at /admin/settings (which sends every field) and `PATCH /api/v1/settings` (any of
 * them; one left out keeps its value). An empty phone clears it.
 */
export class ClinicSettingsDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: PHONE_INPUT_MAX_LENGTH, description: "The clinic's phone, shown to patients; `null` or an empty string clears it." })
  @IsOptional()
  @Transform(blankAsNull)
  @IsString({ message: says('settings:fields.phoneRequired') })
  @MaxLength(PHONE_INPUT_MAX_LENGTH, { message: says('settings:fields.phoneTooLong') })
  contactPhone?: string | null;

  @ApiPropertyOptional({ type: String, maxLength: 500, description: "The clinic's address, on receipts and notices." })
  @IsOptional()
  @Transform(trimmed)
  @IsString({ message: says('settings:fields.addressRequired') })
  @MaxLength(500, { message: says('settings:fields.addressTooLong') })
  address?: string;

  @ruleProperty('maxFutureAppointments', 'Upcoming appointments a patient may hold when booking online; 0 turns online booking off.')
  @IsOptional()
  @Transform(wholeNumber)
  @rule('maxFutureAppointments')
  maxFutureAppointments?: number;

  @ruleProperty('minHoursAhead', 'Online bookings at least this many hours ahead.')
  @IsOptional()
  @Transform(wholeNumber)
  @rule('minHoursAhead')
  minHoursAhead?: number;

  @ruleProperty('maxDaysAhead', 'Online bookings at most this many clinic-local days ahead.')
  @IsOptional()
  @Transform(wholeNumber)
  @rule('maxDaysAhead')
  maxDaysAhead?: number;

  @ruleProperty('cancelCutoffHours', 'Patients may cancel online until this many hours before the start.')
  @IsOptional()
  @Transform(wholeNumber)
  @rule('cancelCutoffHours')
  cancelCutoffHours?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: GRACE_LIMITS.min, maximum: GRACE_LIMITS.max, description: 'Minutes after the end before a scheduled appointment becomes a no-show.' })
  @IsOptional()
  @Transform(wholeNumber)
  @IsWholeNumberBetween(GRACE_LIMITS.min, GRACE_LIMITS.max, { message: GRACE_LIMITS.message })
  noShowGraceMinutes?: number;

  @ApiPropertyOptional({ ...MONEY, example: '50.00', description: 'The penalty for a no-show; 0 only records it.' })
  @IsOptional()
  @Transform(moneyText)
  @Matches(MONEY_PATTERN, { message: says('settings:fields.noShowPenalty') })
  noShowPenalty?: string;

  @ApiPropertyOptional({ type: Boolean, description: '24-hour reminders to patients.' })
  @IsOptional()
  @Transform(checkbox)
  @IsBoolean({ message: says('settings:fields.remindersEnabled') })
  remindersEnabled?: boolean;

  /** The clinic's default language (kept in the platform's registry, see SettingsService). */
  @ApiPropertyOptional({ enum: [...LANGUAGES], description: "The clinic's default language (pages, notices)." })
  @IsOptional()
  @IsIn(LANGUAGES, { message: says('settings:fields.language') })
  language?: Language;
}
