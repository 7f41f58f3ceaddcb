import { AppException } from '../common/errors/app-exception';
import { t } from '../i18n/i18n';

export type InvoiceErrorCode = 'invoice_not_found' | 'invoice_void' | 'invoice_paid' | 'overpayment' | 'invalid_payment' | 'invalid_filter';

const STATUS_BY_CODE: Record<InvoiceErrorCode, number> = {
  invoice_not_found: 404,
  invoice_void: 409,
  invoice_paid: 409,
  overpayment: 422,
  invalid_payment: 422,
  invalid_filter: 422,
};

/** A refused payment, void or listing: nothing was written. */
export class InvoiceException extends AppException {
  constructor(code: InvoiceErrorCode, message: string, fields?: Record<string, string[]>) {
    super(code, STATUS_BY_CODE[code], message, fields);
  }
}

export const invoiceNotFound = () => new InvoiceException('invoice_not_found', t('invoices:errors.notFound'));
