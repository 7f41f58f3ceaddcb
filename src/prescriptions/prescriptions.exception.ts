import { AppException } from '../common/errors/app-exception';
import { t } from '../i18n/i18n';

export type PrescriptionErrorCode = 'prescription_not_found';

const STATUS_BY_CODE: Record<PrescriptionErrorCode, number> = {
  prescription_not_found: 404,
};

export class PrescriptionException extends AppException {
  constructor(code: PrescriptionErrorCode, message: string) {
    super(code, STATUS_BY_CODE[code], message);
  }
}

export const prescriptionNotFound = () =>
  new PrescriptionException('prescription_not_found', t('prescriptions:errors.notFound'));
