import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Longest raw phone input accepted before parsing (spaces, dashes and a leading 00 included). */
export const PHONE_INPUT_MAX_LENGTH = 32;

/**
 * The E.164 form of a phone number as a person types it, read in the clinic's region: `010 1234 5678`,
 * `+20 10 1234 5678`, `00201012345678` (and the same in Arabic-Indic digits) are all `+201012345678`
 * in Egypt. Null when it is not a valid number. The full metadata set is used so that validity means
 * "a number that can exist", not merely "has a plausible length".
 */
export function toE164(raw: string, region: string): string | null {
  if (raw.length > PHONE_INPUT_MAX_LENGTH) return null;
  const parsed = parsePhoneNumberFromString(raw, region.toUpperCase() as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/** A stored E.164 number as people in the clinic's region write it: national within the region, international otherwise. */
export function displayPhone(e164: string, region: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === region.toUpperCase() ? parsed.formatNational() : parsed.formatInternational();
}
