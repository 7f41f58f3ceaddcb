import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { t } from '../i18n/i18n';

// Algorithm is an ambient const enum, which isolated-module compilation cannot inline
const ARGON2ID = 2 as Algorithm.Argon2id;

/** argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended minimum. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** A person-readable reason the password is refused (in the request's language; English for the operator's CLI), or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return t('auth:password.tooShort', { min: PASSWORD_MIN_LENGTH });
  if (password.length > PASSWORD_MAX_LENGTH) return t('auth:password.tooLong', { max: PASSWORD_MAX_LENGTH });
  return null;
}
