import { AppException } from '../common/errors/app-exception';
import { t } from '../i18n/i18n';

export type AuthErrorCode =
  | 'invalid_credentials'
  | 'account_locked'
  | 'account_inactive'
  | 'sign_in_required'
  | 'session_ended'
  | 'session_expired'
  | 'token_invalid'
  | 'wrong_clinic'
  | 'role_forbidden'
  | 'csrf_invalid'
  | 'too_many_attempts';

const STATUS_BY_CODE: Record<AuthErrorCode, number> = {
  invalid_credentials: 401,
  account_locked: 423,
  account_inactive: 403,
  sign_in_required: 401,
  session_ended: 401,
  session_expired: 401,
  token_invalid: 401,
  wrong_clinic: 401,
  role_forbidden: 403,
  csrf_invalid: 403,
  too_many_attempts: 429,
};

/** A refused sign-in or a request without the right to what it asked for. */
export class AuthException extends AppException {
  constructor(code: AuthErrorCode, message: string) {
    super(code, STATUS_BY_CODE[code], message);
  }

  /** 401s: the person should (re)sign in; a page request is sent to the sign-in form instead of an error page. */
  get needsSignIn(): boolean {
    return this.status === 401;
  }
}

export const signInRequired = () => new AuthException('sign_in_required', t('auth:errors.signInRequired'));
