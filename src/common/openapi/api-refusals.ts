import { ApiExtension } from '@nestjs/swagger';

/** The statuses a route may declare as its own refusals (the shared ones are added by the document builder). */
export type RefusalStatus = 401 | 403 | 404 | 409 | 422 | 423 | 429;

/** Where `@ApiRefusals` leaves its list for the document builder, which turns it into responses. */
export const REFUSALS_EXTENSION = 'x-refusals';

/**
 * The refusals a route gives beyond the shared ones, each with what it means:
 * `@ApiRefusals({ 409: 'The time was taken meanwhile (`slot_taken`).' })`. Each becomes a response
 * with the error envelope. (Not `@ApiConflictResponse`: any `@ApiResponse` on a route makes
 * @nestjs/swagger drop the route's default success response.)
 */
export const ApiRefusals = (refusals: Partial<Record<RefusalStatus, string>>) => ApiExtension(REFUSALS_EXTENSION, refusals);
