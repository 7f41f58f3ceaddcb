import { AppException } from '../common/errors/app-exception';

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

export const followUpNotFound = () => new FollowUpException('follow_up_not_found', 'There is no such follow-up in this clinic.');
export const followUpClosed = (status: string) => new FollowUpException('follow_up_closed', `This follow-up is already ${status}; only an open one can change.`);
