import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What `AppExceptionFilter` sends for every refusal on `/api/…`: the `error` of `{ "error": { code, message, fields } }`. */
export class ApiErrorDetail {
  @ApiProperty({ description: 'A stable machine code (`validation_failed`, `slot_taken`, `role_forbidden`…).', example: 'validation_failed' })
  code: string;

  @ApiProperty({ description: "A sentence a person understands, in the request's language.", example: 'Some fields need your attention.' })
  message: string;

  @ApiPropertyOptional({
    description: 'Per-field messages (nested fields as `a.b`); with `422 validation_failed` and some conflicts.',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { date: ['Enter the date as YYYY-MM-DD'] },
  })
  fields?: Record<string, string[]>;
}

/** The error envelope, documented once and referenced by every error response. */
export class ApiError {
  @ApiProperty({ type: ApiErrorDetail })
  error: ApiErrorDetail;
}

/**
 * The refusals every API route may give, as reusable responses (`#/components/responses/<name>`).
 * The document builder adds them to the operations they apply to; a route declares only its own
 * other ones (409 conflicts, 423, 429…) with `@ApiRefusals(...)`.
 */
export const COMMON_ERROR_RESPONSES = {
  400: { name: 'BadRequest', description: 'The body is not valid JSON (`bad_request`).' },
  401: {
    name: 'Unauthorized',
    description: 'No token, or one that is invalid, expired, signed out or minted for another clinic (`sign_in_required`, `token_invalid`, `session_expired`, `session_ended`, `wrong_clinic`).',
  },
  403: { name: 'Forbidden', description: "The token's role may not use this route (`role_forbidden`)." },
  404: { name: 'NotFound', description: 'Nothing with that id in this clinic (`…_not_found`); another clinic\'s ids are never found.' },
  409: { name: 'Conflict', description: 'The change conflicts with the current state (the code says which).' },
  422: { name: 'ValidationFailed', description: 'A field is missing or invalid (`validation_failed`, messages per field in `fields`), or a rule refused it.' },
} as const satisfies Record<number, { name: string; description: string }>;
