import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { trimmed } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';

/** Waiving a penalty: the owner says why. */
export class WaivePenaltyDto {
  @Transform(trimmed)
  @IsString({ message: says('noShows:fields.waiveReason') })
  @MinLength(1, { message: says('noShows:fields.waiveReason') })
  @MaxLength(500, { message: says('noShows:fields.reasonTooLong') })
  reason: string;
}

/** Undoing a mistaken no-show: the owner says what happened. */
export class ReverseNoShowDto {
  @Transform(trimmed)
  @IsString({ message: says('noShows:fields.reverseReason') })
  @MinLength(1, { message: says('noShows:fields.reverseReason') })
  @MaxLength(500, { message: says('noShows:fields.reasonTooLong') })
  reason: string;
}
