import { Transform } from 'class-transformer';
import { IsIn } from 'class-validator';
import { trimmed } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';

const ACTIONS = ['confirm', 'cancel', 'accept'] as const;

/** What the page behind a link asks for: confirm or cancel (a reminder), accept (a waitlist offer). */
export class LinkActionDto {
  @Transform(trimmed)
  @IsIn(ACTIONS, { message: says('links:fields.action') })
  action: (typeof ACTIONS)[number];
}
