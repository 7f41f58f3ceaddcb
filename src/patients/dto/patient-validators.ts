import { ValidateBy, type ValidationOptions } from 'class-validator';
import { systemClock } from '../../common/clock';
import { says, t } from '../../i18n/i18n';
import { birthDateProblem, latestToday } from '../patient-rules';

/**
 * The messages a person reads beside each field, shared by the form and the API: each reads its
 * text when validation runs, in the language of the request.
 */
export const MESSAGES = {
  firstName: says('patients:fields.firstName'),
  lastName: says('patients:fields.lastName'),
  nameCharacters: says('patients:fields.nameCharacters'),
  gender: says('patients:fields.gender'),
  phone: says('patients:fields.phone'),
  address: says('patients:fields.address'),
  nationalId: says('patients:fields.nationalId'),
  email: says('patients:fields.email'),
  username: says('patients:fields.username'),
  confirmDuplicate: says('patients:fields.confirmDuplicate'),
} as const;

/** No control characters (tabs and line breaks included): a name is one line of text. */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/**
 * A real YYYY-MM-DD date from 1900 on that is not after today anywhere on Earth. The service checks
 * "not in the future" again in the clinic's own time zone, which only it knows.
 */
export function IsBirthDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBirthDate',
      validator: {
        validate: (value: unknown) => birthDateProblem(value, latestToday(systemClock.now())) === null,
        defaultMessage: (args) => birthDateProblem(args?.value, latestToday(systemClock.now())) ?? t('patients:fields.dateOfBirth'),
      },
    },
    options,
  );
}

/** The form's "Register anyway" button sends `yes`; the API may send a boolean. */
export const yesAsTrue = ({ value }: { value: unknown }): unknown => {
  if (value === true || value === 'yes' || value === 'true') return true;
  if (value === false || value === 'no' || value === 'false' || value === '') return false;
  return value;
};
