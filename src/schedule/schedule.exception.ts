import { AppException } from '../common/errors/app-exception';
import { t } from '../i18n/i18n';

export type ScheduleErrorCode = 'invalid_date';

const STATUS_BY_CODE: Record<ScheduleErrorCode, number> = {
  invalid_date: 422,
};

/** A refused read of the doctor's console. */
export class ScheduleException extends AppException {
  constructor(code: ScheduleErrorCode, message: string, fields?: Record<string, string[]>) {
    super(code, STATUS_BY_CODE[code], message, fields);
  }
}

export const invalidDate = () =>
  new ScheduleException('invalid_date', t('schedule:errors.notADate'), { date: [t('schedule:errors.dateFormat')] });
