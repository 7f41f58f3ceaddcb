export const FOLLOW_UP_STATUSES = ['open', 'booked', 'dismissed'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** A follow-up the doctor asked for ("see me again in 2 weeks"), as the lists and the API show it. */
export interface FollowUp {
  readonly id: string;
  readonly status: FollowUpStatus;
  /** The local date (YYYY-MM-DD) the doctor wants to see the patient again. */
  readonly dueOn: string;
  readonly note: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly fileNumber: string;
  readonly doctorId: string;
  readonly doctorName: string;
  /** The visit that asked for it. */
  readonly visitId: string;
  /** The appointment that booked it, once booked. */
  readonly appointmentId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
