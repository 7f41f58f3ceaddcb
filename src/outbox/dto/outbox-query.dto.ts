import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { blankAsMissing, IsWholeNumberBetween } from '../../common/validation/validators';
import { OUTBOX_STATUSES, type OutboxStatus } from '../notice';

const pageNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : blankAsMissing({ value }));

/** `/admin/outbox?status=&page=`. */
export class OutboxQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn(OUTBOX_STATUSES, { message: `Choose a status: ${OUTBOX_STATUSES.join(', ')}` })
  status?: OutboxStatus;

  @IsOptional()
  @Transform(pageNumber)
  @IsWholeNumberBetween(1, 100000, { message: 'A page is a whole number from 1' })
  page?: number;
}
