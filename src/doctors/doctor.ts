/** A working range on one ISO weekday (1 = Monday … 7 = Sunday), local times `HH:MM` in the clinic's zone. */
export interface WorkingRange {
  readonly weekday: number;
  readonly starts: string;
  readonly ends: string;
}

/** Days off: whole local days, both ends included (`YYYY-MM-DD`). */
export interface Leave {
  readonly id: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly reason: string | null;
}

/**
 * A doctor's calendar as the API and other modules see it (`doctors.id`, not the user id). Money is
 * text (`numeric(10,2)`, e.g. "250.50"): it never passes through a float.
 */
export interface Doctor {
  readonly id: string;
  readonly userId: string;
  readonly fullName: string;
  readonly specialty: string | null;
  readonly consultationFee: string;
  /** The clinic's currency, e.g. EGP. */
  readonly currency: string;
  readonly slotMinutes: number;
  /** The doctor's account is active (a deactivated doctor takes no appointments). */
  readonly isActive: boolean;
  /** Weekday, then start time. */
  readonly hours: WorkingRange[];
  /** Every leave on record, earliest first. */
  readonly leave: Leave[];
}

/** What `DoctorsService.calendar` gives other modules (booking, slots). */
export type DoctorCalendar = Pick<Doctor, 'id' | 'fullName' | 'specialty' | 'consultationFee' | 'slotMinutes' | 'isActive' | 'hours' | 'leave'>;

/** A doctor's terms: what the admin's terms form and `PATCH /api/v1/doctors/:id` change. */
export interface DoctorTerms {
  readonly specialty: string;
  readonly consultationFee: string;
  readonly slotMinutes: number;
}

export interface NewLeave {
  readonly startsOn: string;
  readonly endsOn: string;
  readonly reason: string | null;
}

/** A leave on the admin's screen, with the appointments still booked inside it (to move or cancel). */
export interface LeaveWithBookings extends Leave {
  readonly bookedAppointments: number;
}
