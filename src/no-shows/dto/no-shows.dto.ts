import { RequiredReason } from '../../common/validation/validators';

/** Waiving a penalty: the owner says why. */
export class WaivePenaltyDto {
  @RequiredReason('Say why the penalty is waived')
  reason: string;
}

/** Undoing a mistaken no-show: the owner says what happened. */
export class ReverseNoShowDto {
  @RequiredReason('Say why this was not a no-show (e.g. the patient came but was not checked in)')
  reason: string;
}
