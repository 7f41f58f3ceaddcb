import { AppException } from '../common/errors/app-exception';

export type VisitErrorCode = 'visit_not_found' | 'not_your_patient' | 'invalid_transition' | 'not_completed' | 'invalid_visit';

const STATUS_BY_CODE: Record<VisitErrorCode, number> = {
  visit_not_found: 404,
  not_your_patient: 403,
  invalid_transition: 409,
  not_completed: 409,
  invalid_visit: 422,
};

export class VisitException extends AppException {
  constructor(code: VisitErrorCode, message: string, fields?: Record<string, string[]>) {
    super(code, STATUS_BY_CODE[code], message, fields);
  }
}
