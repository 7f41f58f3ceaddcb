import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DATE } from '../../appointments/dto/appointment.dto';
import { MONEY_PATTERN } from '../../common/money';
import { ID_PATTERN as ID } from '../../common/validation/ids';
import { blankAsMissing, IsWholeNumberBetween, moneyText, RequiredReason, trimmed } from '../../common/validation/validators';
import { PeriodQueryDto } from '../../reports/dto/report-query.dto';
import { INVOICE_STATUSES, type InvoiceStatus, PAYMENT_METHODS, type PaymentMethod } from '../invoice';

export class PaymentDto {
  /** Left out: the whole balance. */
  @IsOptional()
  @Transform(moneyText)
  @Matches(MONEY_PATTERN, { message: 'Enter the amount received, e.g. 150 or 75.50' })
  amount?: string;

  @IsIn(PAYMENT_METHODS, { message: 'Choose how it was paid: cash, card, insurance or mobile wallet' })
  method: PaymentMethod;

  /** Left out: today (the clinic's). */
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: 'Enter the date as YYYY-MM-DD' })
  paidOn?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100, { message: 'A reference has at most 100 characters' })
  reference?: string;
}

export class VoidDto {
  @RequiredReason('Say why the invoice is void')
  reason: string;
}

export class InvoiceListQueryDto extends PeriodQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn(INVOICE_STATUSES, { message: 'The status is one of pending, partial, paid, void' })
  status?: InvoiceStatus;

  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: 'Choose a doctor from the list' })
  doctorId?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value))
  @IsWholeNumberBetween(1, 9999, { message: 'The page is a number from 1' })
  page?: number;
}

export class CloseOutQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: 'Enter the day as YYYY-MM-DD' })
  date?: string;
}
