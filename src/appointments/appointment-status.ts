export const APPOINTMENT_STATUSES = ['scheduled', 'checked_in', 'completed', 'cancelled', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/**
 * The lifecycle (ARCHITECTURE §3): scheduled → checked_in (reception) → completed (doctor);
 * scheduled → completed | cancelled | no_show; a checked-in patient may still be cancelled or marked
 * no-show (they left before being seen). Completed, cancelled and no-show are final.
 */
const NEXT: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  scheduled: ['checked_in', 'completed', 'cancelled', 'no_show'],
  checked_in: ['completed', 'cancelled', 'no_show'],
  completed: [],
  cancelled: [],
  no_show: [],
};

export const STATUS_LABEL: Record<AppointmentStatus, string> = {
  scheduled: 'Scheduled',
  checked_in: 'Checked in',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

export function canMove(from: AppointmentStatus, to: AppointmentStatus): boolean {
  return NEXT[from].includes(to);
}

/** Only a scheduled appointment can still be moved to another time. */
export const canReschedule = (status: AppointmentStatus): boolean => status === 'scheduled';

/** Why `from → to` is refused, in words for the front desk. */
export function refusalOf(from: AppointmentStatus, to: AppointmentStatus): string {
  const verb: Record<AppointmentStatus, string> = {
    scheduled: 'scheduled again',
    checked_in: 'checked in',
    completed: 'completed',
    cancelled: 'cancelled',
    no_show: 'marked as a no-show',
  };
  if (from === to) return `This appointment is already ${STATUS_LABEL[to].toLowerCase()}.`;
  return `This appointment is ${STATUS_LABEL[from].toLowerCase()}; it cannot be ${verb[to]}.`;
}
