import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { blankAsMissing, IsWholeNumberBetween } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';
import { OUTBOX_STATUSES, type OutboxStatus } from '../notice';

const pageNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : blankAsMissing({ value }));

/** `/admin/outbox?status=&page=`. */
export class OutboxQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn(OUTBOX_STATUSES, { message: says('outbox:query.status', { statuses: OUTBOX_STATUSES.join(', ') }) })
  status?: OutboxStatus;

  @IsOptional()
  @Transform(pageNumber)
  @IsWholeNumberBetween(1, 100000, { message: says('outbox:query.page') })
  page?: number;
}
