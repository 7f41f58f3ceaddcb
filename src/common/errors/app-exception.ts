import { KEEP_WRITES } from '../../database/sql';

/**
 * The one base for every feature's exceptions: a stable machine code, the HTTP status it maps to,
 * a message a person understands, and optional per-field messages. The exception filter turns it
 * into an HTML page, an HTMX fragment or the API's JSON error; the CLI prints its message.
 */
export class AppException extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /**
   * Marks a refusal whose writes must still be committed: a failed sign-in refuses the request but
   * keeps the failure count and the audit entry it wrote in the same transaction.
   */
  keepingWrites(): this {
    (this as { [KEEP_WRITES]?: true })[KEEP_WRITES] = true;
    return this;
  }
}
