import { AppException } from '../common/errors/app-exception';

export type TenancyErrorCode = 'unknown_clinic' | 'clinic_suspended' | 'wrong_host' | 'no_tenant_context';

const STATUS_BY_CODE: Record<TenancyErrorCode, number> = {
  unknown_clinic: 404,
  clinic_suspended: 503,
  wrong_host: 404,
  no_tenant_context: 500,
};

export class TenancyException extends AppException {
  constructor(code: TenancyErrorCode, message: string) {
    super(code, STATUS_BY_CODE[code], message);
  }
}
