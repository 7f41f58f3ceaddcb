import { AppException } from '../common/errors/app-exception';
import { t } from '../i18n/i18n';
import type { FollowUpStatus } from './follow-up';

export type FollowUpErrorCode = 'follow_up_not_found' | 'follow_up_closed';

const STATUS_BY_CODE: Record<FollowUpErrorCode, number> = {
  follow_up_not_found: 404,
  follow_up_closed: 409,
};

export class FollowUpException extends AppException {
  constructor(code: FollowUpErrorCode, message: string) {
    super(code, STATUS_BY_CODE[code], message);
  }
}

export const followUpNotFound = () => new FollowUpException('follow_up_not_found', t('followUps:errors.notFound'));

export function followUpClosed(status: FollowUpStatus): FollowUpException {
  const message =
    status === 'booked' ? t('followUps:errors.closed.booked') : status === 'dismissed' ? t('followUps:errors.closed.dismissed') : t('followUps:errors.closed.open');
  return new FollowUpException('follow_up_closed', message);
}
