import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength, ValidateBy, type ValidationOptions } from 'class-validator';
import { says, t } from '../../i18n/i18n';
import { passwordProblem } from '../../users/passwords';

/** The clinic's password rule (users/passwords), with its own message for each way a password falls short. */
export function IsAcceptablePassword(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAcceptablePassword',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && passwordProblem(value) === null,
        defaultMessage: (args) => (typeof args?.value === 'string' && args.value !== '' ? passwordProblem(args.value) : null) ?? t('auth:password.required'),
      },
    },
    options,
  );
}

/** A whole number in [min, max], one message whatever is wrong (not a number, a fraction, out of range). */
export function IsWholeNumberBetween(min: number, max: number, options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWholeNumberBetween',
      constraints: [min, max],
      validator: { validate: (value: unknown) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max },
    },
    options,
  );
}

/** Trims strings (and folds inner runs of spaces for names), leaving anything else for the validators to refuse. */
export const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
export const singleSpaced = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value);
/**
 * A checkbox as a form sends it ("on"/"true" when ticked; a form that must also say "unticked" puts a
 * hidden "false" before the box, so a ticked box arrives as ["false", "true"]: the last one counts)
 * or an API's boolean.
 */
export const checkbox = ({ value }: { value: unknown }): unknown => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return last === 'on' || last === 'true' ? true : last === 'false' || last === '' ? false : last;
};

/** An empty form field means "not given". */
export const blankAsMissing = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : trimmed({ value }));
/** An empty form field means "clear it" (null), as opposed to "not sent" (undefined). */
export const blankAsNull = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && value.trim() === '' ? null : trimmed({ value }));

/** An amount typed in a form is text; an API client may send a JSON number, taken as its shortest decimal text (never float arithmetic). */
export const moneyText = ({ value }: { value: unknown }): unknown => (typeof value === 'number' && Number.isFinite(value) ? String(value) : blankAsMissing({ value }));

/**
 * A required reason (for cancelling, voiding…): trimmed, 1 to 500 characters, `prompt` when missing
 * (`says('<namespace>:<key>')`, so the message is read in the language of the request).
 */
export function RequiredReason(prompt: () => string): PropertyDecorator {
  return applyDecorators(
    Transform(trimmed),
    IsString({ message: prompt }),
    MinLength(1, { message: prompt }),
    MaxLength(500, { message: says('common:validation.reasonTooLong') }),
  );
}
