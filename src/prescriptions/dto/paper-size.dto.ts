import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { blankAsMissing } from '../../common/validation/validators';
import { PAPER_SIZES, type PaperSize } from '../prescription';

export class PaperSizeQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn(PAPER_SIZES, { message: 'The paper size is a5 or a4' })
  size?: PaperSize;
}
