export const LINK_PURPOSES = ['reminder', 'waitlist_offer'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];
export type LinkOutcome = 'confirmed' | 'cancelled' | 'booked' | 'gone';

/** A single-use link's row: what it may do, until when, and whether it was used. */
export interface ActionLink {
  readonly id: string;
  readonly purpose: LinkPurpose;
  readonly appointmentId: string | null;
  readonly waitlistId: string | null;
  readonly doctorId: string | null;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly outcome: LinkOutcome | null;
}

export interface NewActionLink {
  readonly purpose: LinkPurpose;
  readonly appointmentId?: string;
  readonly waitlistId?: string;
  readonly doctorId?: string;
  readonly startsAt?: Date;
  readonly endsAt?: Date;
  readonly expiresAt: Date;
}
