import { AppException } from '../common/errors/app-exception';

/** A report asked for with a period or doctors that cannot be: nothing is computed. */
export class ReportException extends AppException {
  constructor(message: string, fields?: Record<string, string[]>) {
    super('invalid_period', 422, message, fields);
  }
}
