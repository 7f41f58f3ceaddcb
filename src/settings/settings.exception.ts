import { AppException } from '../common/errors/app-exception';

/** A refused change of the clinic's settings: nothing was changed. */
export class SettingsException extends AppException {
  constructor(message: string, fields?: Record<string, string[]>) {
    super('invalid_settings', 422, message, fields);
  }
}
