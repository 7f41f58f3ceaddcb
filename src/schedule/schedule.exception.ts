import { AppException } from '../common/errors/app-exception';

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
  new ScheduleException('invalid_date', 'That is not a date on the calendar.', { date: ['Enter a date as YYYY-MM-DD, e.g. 2026-11-23'] });
