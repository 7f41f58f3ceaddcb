import { t } from '../i18n/i18n';

export const PENALTY_STATUSES = ['unpaid', 'paid', 'waived'] as const;
export type PenaltyStatus = (typeof PENALTY_STATUSES)[number];

/** A penalty's status as people read it, in the request's language. */
export const penaltyStatusLabel = (status: PenaltyStatus): string => t(`noShows:status.${status}`);

/** A no-show's penalty as reception, the owner and the API see it. */
export interface Penalty {
  readonly id: string;
  readonly appointmentId: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly fileNumber: string;
  readonly doctorName: string;
  /** The missed appointment's start. */
  readonly startsAt: Date;
  readonly amount: string;
  readonly status: PenaltyStatus;
  readonly settledAt: Date | null;
  readonly waiveReason: string | null;
  readonly createdAt: Date;
}

/** What one sweep of a clinic did. */
export interface SweepReport {
  /** Appointments that became no-shows. */
  readonly marked: number;
  readonly penalties: number;
  readonly notices: number;
}
