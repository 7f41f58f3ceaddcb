import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MONEY_PATTERN } from '../../common/money';
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

/**
 * The settings form at /admin/settings (which sends every field) and `PATCH /api/v1/settings` (any of
 * them; one left out keeps its value). An empty phone clears it.
 */
export class ClinicSettingsDto {
  @IsOptional()
  @Transform(blankAsNull)
  @IsString({ message: says('settings:fields.phoneRequired') })
  @MaxLength(PHONE_INPUT_MAX_LENGTH, { message: says('settings:fields.phoneTooLong') })
  contactPhone?: string | null;

  @IsOptional()
  @Transform(trimmed)
  @IsString({ message: says('settings:fields.addressRequired') })
  @MaxLength(500, { message: says('settings:fields.addressTooLong') })
  address?: string;

  @IsOptional()
  @Transform(wholeNumber)
  @rule('maxFutureAppointments')
  maxFutureAppointments?: number;

  @IsOptional()
  @Transform(wholeNumber)
  @rule('minHoursAhead')
  minHoursAhead?: number;

  @IsOptional()
  @Transform(wholeNumber)
  @rule('maxDaysAhead')
  maxDaysAhead?: number;

  @IsOptional()
  @Transform(wholeNumber)
  @rule('cancelCutoffHours')
  cancelCutoffHours?: number;

  @IsOptional()
  @Transform(wholeNumber)
  @IsWholeNumberBetween(GRACE_LIMITS.min, GRACE_LIMITS.max, { message: GRACE_LIMITS.message })
  noShowGraceMinutes?: number;

  @IsOptional()
  @Transform(moneyText)
  @Matches(MONEY_PATTERN, { message: says('settings:fields.noShowPenalty') })
  noShowPenalty?: string;

  @IsOptional()
  @Transform(checkbox)
  @IsBoolean({ message: says('settings:fields.remindersEnabled') })
  remindersEnabled?: boolean;

  /** The clinic's default language (kept in the platform's registry, see SettingsService). */
  @IsOptional()
  @IsIn(LANGUAGES, { message: says('settings:fields.language') })
  language?: Language;
}
