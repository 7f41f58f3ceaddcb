import { RequiredReason } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';

/** Waiving a penalty: the owner says why. */
export class WaivePenaltyDto {
  @RequiredReason(says('noShows:fields.waiveReason'))
  reason: string;
}

/** Undoing a mistaken no-show: the owner says what happened. */
export class ReverseNoShowDto {
  @RequiredReason(says('noShows:fields.reverseReason'))
  reason: string;
}
