import { AppException } from '../common/errors/app-exception';
import { t } from '../i18n/i18n';

export type StaffErrorCode = 'staff_not_found' | 'username_taken' | 'last_admin' | 'invalid_staff';

const STATUS_BY_CODE: Record<StaffErrorCode, number> = {
  staff_not_found: 404,
  username_taken: 409,
  last_admin: 409,
  invalid_staff: 422,
};

/** A refused change to the clinic's staff; nothing of the request was written. */
export class StaffException extends AppException {
  constructor(code: StaffErrorCode, message: string, fields?: Record<string, string[]>) {
    super(code, STATUS_BY_CODE[code], message, fields);
  }
}

export const staffNotFound = () => new StaffException('staff_not_found', t('staff:errors.notFound'));
