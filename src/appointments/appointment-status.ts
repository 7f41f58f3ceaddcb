import { t } from '../i18n/i18n';

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

/** A status in words, in the current request's language (every capability shows statuses with these words). */
export const statusLabel = (status: AppointmentStatus): string => t(`appointments:status.${status}`);

/** A status as it reads inside a sentence ("This appointment is {{state}}"). */
export const statusState = (status: AppointmentStatus): string => t(`appointments:state.${status}`);

export function canMove(from: AppointmentStatus, to: AppointmentStatus): boolean {
  return NEXT[from].includes(to);
}

/** Only a scheduled appointment can still be moved to another time. */
export const canReschedule = (status: AppointmentStatus): boolean => status === 'scheduled';

/** Why `from → to` is refused, in words for the front desk. */
export function refusalOf(from: AppointmentStatus, to: AppointmentStatus): string {
  if (from === to) return t('appointments:errors.already', { state: statusState(to) });
  return t('appointments:errors.cannot', { state: statusState(from), action: t(`appointments:action.${to}`) });
}
