import { calendarDay, localInstant } from '../common/time';

/** A working range on one ISO weekday (1 = Monday … 7 = Sunday), local times `HH:MM[:SS]`. */
export interface WorkingRange {
  readonly weekday: number;
  readonly starts: string;
  readonly ends: string;
}

export interface LeaveRange {
  /** Inclusive local dates `YYYY-MM-DD`. */
  readonly startsOn: string;
  readonly endsOn: string;
}

export interface Booked {
  readonly startsAt: Date;
  readonly endsAt: Date;
}

export interface DayInput {
  /** The local date `YYYY-MM-DD` in `zone`. */
  readonly date: string;
  /** IANA time zone of the clinic, e.g. `Africa/Cairo`. */
  readonly zone: string;
  readonly slotMinutes: number;
  readonly hours: readonly WorkingRange[];
  readonly leave: readonly LeaveRange[];
  /** The doctor's appointments that hold time (not cancelled). */
  readonly booked: readonly Booked[];
  readonly now: Date;
}

export interface Slot {
  /** Local wall-clock time `HH:MM`, what people read and pick. */
  readonly time: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly free: boolean;
  /** Why it is not free. */
  readonly taken?: 'booked' | 'past';
}

export interface DaySlots {
  readonly date: string;
  readonly onLeave: boolean;
  readonly slots: readonly Slot[];
}

/**
 * A doctor's slots on one local day: every `slotMinutes` from the start of each working range while
 * a whole slot fits before its end, minus the day when on leave; a slot overlapping a booking or
 * starting before `now` is listed but not free. Local times are turned into instants in the clinic's
 * zone by luxon, so on a daylight-saving day a range spans its real length (a missing hour yields no
 * slots, a repeated hour is not counted twice) and slots step in real minutes.
 */
export function daySlots(input: DayInput): DaySlots {
  const day = calendarDay(input.date, input.zone);
  if (!day) throw new RangeError(`Not a calendar date: ${input.date}`);
  if (input.slotMinutes < 1) throw new RangeError('The slot length must be positive');
  if (input.leave.some((l) => l.startsOn <= input.date && input.date <= l.endsOn)) return { date: input.date, onLeave: true, slots: [] };

  const now = input.now.getTime();
  const slots: Slot[] = [];
  const ranges = input.hours.filter((h) => h.weekday === day.weekday).sort((a, b) => a.starts.localeCompare(b.starts));
  for (const range of ranges) {
    const end = localInstant(input.date, range.ends, input.zone);
    for (let start = localInstant(input.date, range.starts, input.zone); ; ) {
      const slotEnd = start.plus({ minutes: input.slotMinutes });
      if (slotEnd > end) break;
      const startsAt = start.toJSDate();
      const endsAt = slotEnd.toJSDate();
      const booked = input.booked.some((b) => b.startsAt < endsAt && startsAt < b.endsAt);
      const past = startsAt.getTime() < now;
      slots.push({ time: start.toFormat('HH:mm'), startsAt, endsAt, free: !booked && !past, ...(booked ? { taken: 'booked' } : past ? { taken: 'past' } : {}) });
      start = slotEnd;
    }
  }
  return { date: input.date, onLeave: false, slots };
}
