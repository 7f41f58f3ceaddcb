import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DATE } from '../../appointments/dto/appointment.dto';
import { MONEY_PATTERN } from '../../common/money';
import { ID_PATTERN as ID } from '../../common/validation/ids';
import { blankAsMissing, IsWholeNumberBetween, moneyText, RequiredReason, trimmed } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';
import { PeriodQueryDto } from '../../reports/dto/report-query.dto';
import { INVOICE_STATUSES, type InvoiceStatus, PAYMENT_METHODS, type PaymentMethod } from '../invoice';

export class PaymentDto {
  /** Left out: the whole balance. */
  @IsOptional()
  @Transform(moneyText)
  @Matches(MONEY_PATTERN, { message: says('invoices:fields.amount') })
  amount?: string;

  @IsIn(PAYMENT_METHODS, { message: says('invoices:fields.method') })
  method: PaymentMethod;

  /** Left out: today (the clinic's). */
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: says('invoices:fields.paidOn') })
  paidOn?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100, { message: says('invoices:fields.reference') })
  reference?: string;
}

export class VoidDto {
  @RequiredReason(says('invoices:fields.reason'))
  reason: string;
}

export class InvoiceListQueryDto extends PeriodQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn(INVOICE_STATUSES, { message: says('invoices:fields.status') })
  status?: InvoiceStatus;

  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('invoices:fields.doctor') })
  doctorId?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value))
  @IsWholeNumberBetween(1, 9999, { message: says('invoices:fields.page') })
  page?: number;
}

export class CloseOutQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: says('invoices:fields.day') })
  date?: string;
}
