import { AppException } from '../common/errors/app-exception';

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
  new PrescriptionException('prescription_not_found', 'There is no prescription to print for this visit: it is not completed or has no medication.');
