import { AppException } from '../common/errors/app-exception';
import { t } from '../i18n/i18n';

export type PortalErrorCode =
  | 'appointment_not_found'
  | 'no_patient_file'
  | 'booking_closed'
  | 'unpaid_penalty'
  | 'booking_limit'
  | 'cancel_refused'
  | 'cancel_cutoff';

const STATUS_BY_CODE: Record<PortalErrorCode, number> = {
  // someone else's appointment is "not found", never "forbidden": its existence is not revealed
  appointment_not_found: 404,
  no_patient_file: 409,
  booking_closed: 422,
  unpaid_penalty: 422,
  booking_limit: 422,
  cancel_refused: 409,
  cancel_cutoff: 409,
};

export class PortalException extends AppException {
  constructor(code: PortalErrorCode, message: string, fields?: Record<string, string[]>) {
    super(code, STATUS_BY_CODE[code], message, fields);
  }
}

export const appointmentNotFound = () => new PortalException('appointment_not_found', t('portal:errors.notFound'));

export const noPatientFile = () => new PortalException('no_patient_file', t('portal:errors.noFile'));
