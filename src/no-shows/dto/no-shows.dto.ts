import { ApiProperty } from '@nestjs/swagger';
import { RequiredReason } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';

/** Waiving a penalty: the owner says why. */
export class WaivePenaltyDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 500, description: 'Why the penalty is waived.' })
  @RequiredReason(says('noShows:fields.waiveReason'))
  reason: string;
}

/** Undoing a mistaken no-show: the owner says what happened. */
export class ReverseNoShowDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 500, description: 'What happened (the patient was there).' })
  @RequiredReason(says('noShows:fields.reverseReason'))
  reason: string;
}
