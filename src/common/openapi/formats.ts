import { MONEY_PATTERN } from '../money';
import { ID_PATTERN } from '../validation/ids';

/**
 * How the API writes its recurring kinds of value, for `@ApiProperty({ ...ID, description })`.
 * The patterns are the validators' own, so the document cannot drift from what is accepted.
 */
export const ID = { type: String, pattern: ID_PATTERN.source, example: '42' } as const;
/** A clinic-local day. */
export const LOCAL_DATE = { type: String, format: 'date', example: '2026-11-24' } as const;
/** A clinic-local time of day. */
export const LOCAL_TIME = { type: String, pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', example: '10:30' } as const;
/** Money as a decimal string (a JSON number is accepted too, read as its shortest decimal text). */
export const MONEY = { type: String, pattern: MONEY_PATTERN.source, example: '150.00' } as const;
