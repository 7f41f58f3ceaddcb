import { ValidateBy, type ValidationOptions } from 'class-validator';
import { systemClock } from '../../common/clock';
import { birthDateProblem, latestToday } from '../patient-rules';

/** The messages a person reads beside each field, shared by the form and the API. */
export const MESSAGES = {
  firstName: 'Enter the first name (1 to 100 characters)',
  lastName: 'Enter the last name (1 to 100 characters)',
  nameCharacters: 'A name cannot contain control characters',
  gender: 'Choose male or female',
  phone: 'Enter a valid phone number, e.g. 010 1234 5678 or +20 10 1234 5678',
  address: 'Keep the address to at most 500 characters',
  nationalId: 'Enter the national id as 4 to 32 letters, digits or dashes',
  email: 'Enter an e-mail address like name@example.com (at most 254 characters)',
  username: 'Choose a username of 3 to 64 characters: letters, digits, dots, dashes or underscores, no spaces',
  confirmDuplicate: 'Send "yes" (or true) to register a patient whose phone and date of birth match an existing file',
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
        defaultMessage: (args) => birthDateProblem(args?.value, latestToday(systemClock.now())) ?? 'Enter the date of birth',
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
