import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { blankAsMissing } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';
import { PAPER_SIZES, type PaperSize } from '../prescription';

export class PaperSizeQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn(PAPER_SIZES, { message: says('prescriptions:errors.paperSize') })
  size?: PaperSize;
}
