import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { t } from '../../i18n/i18n';
import { AppException } from './app-exception';

/** Collects class-validator's messages per field (nested fields as `a.b`). */
export function fieldMessages(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      // class-validator's own words for a field the form does not have; ours, in the request's language
      fields[path] = Object.entries(error.constraints).map(([rule, message]) => (rule === 'whitelistValidation' ? t('common:errors.unknownField', { field: path }) : message));
    }
    Object.assign(fields, fieldMessages(error.children ?? [], path));
  }
  return fields;
}

/** Validation at the edge: unknown fields refused, values transformed, failures as 422 with per-field messages. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) =>
      new AppException('validation_failed', 422, t('common:errors.checkFields'), fieldMessages(errors)),
  });
}
