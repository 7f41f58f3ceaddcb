import { t } from '../i18n/i18n';

export const PAYMENT_METHODS = ['cash', 'card', 'insurance', 'mobile_wallet'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** A payment method's name in the current language (every method has `invoices:method.<method>`). */
export const methodLabel = (method: PaymentMethod): string => t(`invoices:method.${method}`);

export const INVOICE_STATUSES = ['pending', 'partial', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
/** An invoice status's name in the current language (every status has `invoices:status.<status>`). */
export const invoiceStatusLabel = (status: InvoiceStatus): string => t(`invoices:status.${status}`);

export interface Payment {
  readonly id: string;
  readonly amount: string;
  readonly method: PaymentMethod;
  readonly methodLabel: string;
  /** The clinic-local day the money was received. */
  readonly paidOn: string;
  readonly reference: string;
  readonly takenBy: string | null;
}

/** An invoice as the pages, receipts and the API show it. Money is text with two decimals (never floats). */
export interface InvoiceView {
  readonly id: string;
  readonly number: string;
  readonly status: InvoiceStatus;
  readonly statusLabel: string;
  readonly amount: string;
  readonly paid: string;
  readonly balance: string;
  readonly currency: string;
  readonly visit: { readonly appointmentId: string; readonly date: string; readonly time: string };
  readonly patient: { readonly id: string; readonly fullName: string; readonly fileNumber: string };
  readonly doctor: { readonly id: string; readonly fullName: string };
  readonly voidReason: string | null;
  readonly payments: readonly Payment[];
}
