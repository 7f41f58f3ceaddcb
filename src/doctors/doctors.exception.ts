import { AppException } from '../common/errors/app-exception';
import { t } from '../i18n/i18n';

export type DoctorErrorCode = 'doctor_not_found' | 'leave_not_found' | 'invalid_doctor' | 'invalid_hours' | 'invalid_leave' | 'hours_overlap' | 'leave_overlaps';

const STATUS_BY_CODE: Record<DoctorErrorCode, number> = {
  doctor_not_found: 404,
  leave_not_found: 404,
  invalid_doctor: 422,
  invalid_hours: 422,
  invalid_leave: 422,
  hours_overlap: 409,
  leave_overlaps: 409,
};

/** A refused read or change of a doctor's calendar; nothing of the request was written. */
export class DoctorException extends AppException {
  constructor(code: DoctorErrorCode, message: string, fields?: Record<string, string[]>) {
    super(code, STATUS_BY_CODE[code], message, fields);
  }
}

export const fieldsNeedAttention = (): string => t('common:errors.checkFields');

export const doctorNotFound = () => new DoctorException('doctor_not_found', t('doctors:errors.notFound'));

export const leaveNotFound = () => new DoctorException('leave_not_found', t('doctors:errors.leaveNotFound'));
