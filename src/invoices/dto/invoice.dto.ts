import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DATE } from '../../appointments/dto/appointment.dto';
import { MONEY_PATTERN } from '../../common/money';
import { ID as ID_FORMAT, LOCAL_DATE, MONEY } from '../../common/openapi/formats';
import { ID_PATTERN as ID } from '../../common/validation/ids';
import { blankAsMissing, IsWholeNumberBetween, moneyText, RequiredReason, trimmed } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';
import { PeriodQueryDto } from '../../reports/dto/report-query.dto';
import { INVOICE_STATUSES, type InvoiceStatus, PAYMENT_METHODS, type PaymentMethod } from '../invoice';

export class PaymentDto {
  /** Left out: the whole balance. */
  @ApiPropertyOptional({ ...MONEY, description: 'The amount received; left out: the whole balance. More than the balance is refused.' })
  @IsOptional()
  @Transform(moneyText)
  @Matches(MONEY_PATTERN, { message: says('invoices:fields.amount') })
  amount?: string;

  @ApiProperty({ enum: [...PAYMENT_METHODS], description: 'How it was paid.' })
  @IsIn(PAYMENT_METHODS, { message: says('invoices:fields.method') })
  method: PaymentMethod;

  /** Left out: today (the clinic's). */
  @ApiPropertyOptional({ ...LOCAL_DATE, description: "The day it was received (not in the future); left out: the clinic's today." })
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: says('invoices:fields.paidOn') })
  paidOn?: string;

  @ApiPropertyOptional({ type: String, maxLength: 100, description: 'A card slip, transfer or insurance reference.' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100, { message: says('invoices:fields.reference') })
  reference?: string;
}

export class VoidDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 500, description: 'Why the invoice is void.' })
  @RequiredReason(says('invoices:fields.reason'))
  reason: string;
}

export class InvoiceListQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: [...INVOICE_STATUSES], description: 'Only invoices in this status.' })
  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn(INVOICE_STATUSES, { message: says('invoices:fields.status') })
  status?: InvoiceStatus;

  @ApiPropertyOptional({ ...ID_FORMAT, description: "Only this doctor's invoices." })
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('invoices:fields.doctor') })
  doctorId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 9999, default: 1, description: 'The page, 50 invoices to a page.' })
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
