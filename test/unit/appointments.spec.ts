import { APPOINTMENT_STATUSES, canMove, canReschedule, refusalOf } from '../../src/appointments/appointment-status';
import { daySlots, type DayInput } from '../../src/appointments/slots';
import { localDate } from '../../src/common/time';

const base: DayInput = {
  date: '2026-11-24', // a Tuesday
  zone: 'Africa/Cairo',
  slotMinutes: 30,
  hours: [{ weekday: 2, starts: '09:00', ends: '11:00' }],
  leave: [],
  booked: [],
  now: new Date('2026-11-01T00:00:00Z'),
};
const times = (input: DayInput) => daySlots(input).slots.map((s) => s.time);
const free = (input: DayInput) => daySlots(input).slots.filter((s) => s.free).map((s) => s.time);

describe('daySlots', () => {
  it('steps through each working range by the slot length, only whole slots', () => {
    expect(times(base)).toEqual(['09:00', '09:30', '10:00', '10:30']);
    expect(times({ ...base, slotMinutes: 45 })).toEqual(['09:00', '09:45']);
    expect(times({ ...base, hours: [{ weekday: 2, starts: '14:00', ends: '15:00' }, { weekday: 2, starts: '09:00', ends: '10:00' }] })).toEqual([
      '09:00',
      '09:30',
      '14:00',
      '14:30',
    ]);
  });

  it('has no slots on a day without hours, and none on leave (both ends of the leave included)', () => {
    expect(times({ ...base, date: '2026-11-25' })).toEqual([]); // Wednesday
    expect(daySlots({ ...base, leave: [{ startsOn: '2026-11-20', endsOn: '2026-11-24' }] })).toEqual({ date: '2026-11-24', onLeave: true, slots: [] });
    expect(daySlots({ ...base, leave: [{ startsOn: '2026-11-24', endsOn: '2026-11-24' }] }).onLeave).toBe(true);
    expect(daySlots({ ...base, leave: [{ startsOn: '2026-11-25', endsOn: '2026-11-30' }] }).onLeave).toBe(false);
  });

  it('marks slots that overlap a booking, fully or partly, as taken', () => {
    const booked = [
      { startsAt: new Date('2026-11-24T07:30:00Z'), endsAt: new Date('2026-11-24T08:00:00Z') }, // 09:30-10:00 Cairo (UTC+2)
      { startsAt: new Date('2026-11-24T08:45:00Z'), endsAt: new Date('2026-11-24T09:15:00Z') }, // 10:45-11:15: overlaps 10:30
    ];
    expect(free({ ...base, booked })).toEqual(['09:00', '10:00']);
    expect(daySlots({ ...base, booked }).slots.find((s) => s.time === '09:30')?.taken).toBe('booked');
    // a booking that ends exactly when a slot starts does not take it
    expect(free({ ...base, booked: [{ startsAt: new Date('2026-11-24T06:30:00Z'), endsAt: new Date('2026-11-24T07:00:00Z') }] })).toHaveLength(4);
  });

  it('marks slots that start before now as past', () => {
    const now = new Date('2026-11-24T08:10:00Z'); // 10:10 Cairo
    expect(free({ ...base, now })).toEqual(['10:30']);
    expect(daySlots({ ...base, now }).slots[0].taken).toBe('past');
  });

  it('gives instants in the clinic zone (Cairo, no daylight saving in November)', () => {
    const [first] = daySlots(base).slots;
    expect(first.startsAt.toISOString()).toBe('2026-11-24T07:00:00.000Z');
    expect(first.endsAt.toISOString()).toBe('2026-11-24T07:30:00.000Z');
  });

  it('spans the real length of a range on the day clocks spring forward (New York, 2026-03-08)', () => {
    const input: DayInput = { ...base, zone: 'America/New_York', date: '2026-03-08', slotMinutes: 60, hours: [{ weekday: 7, starts: '01:00', ends: '05:00' }] };
    // 01:00 EST → 05:00 EDT is three real hours: 02:00 does not exist that day
    expect(times(input)).toEqual(['01:00', '03:00', '04:00']);
    expect(daySlots(input).slots.map((s) => s.startsAt.toISOString())).toEqual([
      '2026-03-08T06:00:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T08:00:00.000Z',
    ]);
  });

  it('spans the real length of a range on the day clocks fall back (New York, 2026-11-01)', () => {
    const input: DayInput = { ...base, zone: 'America/New_York', date: '2026-11-01', slotMinutes: 60, hours: [{ weekday: 7, starts: '00:00', ends: '03:00' }] };
    // 00:00 EDT → 03:00 EST is four real hours: 01:00 happens twice
    expect(times(input)).toEqual(['00:00', '01:00', '01:00', '02:00']);
    const instants = daySlots(input).slots.map((s) => s.startsAt.getTime());
    expect(new Set(instants).size).toBe(4);
  });

  it('refuses a date that is not on the calendar', () => {
    expect(() => daySlots({ ...base, date: '2026-02-30' })).toThrow(RangeError);
    expect(() => daySlots({ ...base, date: 'tomorrow' })).toThrow(RangeError);
  });

  it('reads the local date of an instant in the zone', () => {
    expect(localDate(new Date('2026-11-23T22:30:00Z'), 'Africa/Cairo')).toBe('2026-11-24');
    expect(localDate(new Date('2026-11-23T22:30:00Z'), 'UTC')).toBe('2026-11-23');
  });
});

describe('appointment lifecycle', () => {
  it('allows exactly the transitions of the lifecycle', () => {
    const allowed = APPOINTMENT_STATUSES.flatMap((from) => APPOINTMENT_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(
      [
        'scheduled→checked_in',
        'scheduled→completed',
        'scheduled→cancelled',
        'scheduled→no_show',
        'checked_in→completed',
        'checked_in→cancelled',
        'checked_in→no_show',
      ].sort(),
    );
  });

  it('lets only a scheduled appointment move, and explains a refusal', () => {
    expect(APPOINTMENT_STATUSES.filter(canReschedule)).toEqual(['scheduled']);
    expect(refusalOf('cancelled', 'checked_in')).toBe('This appointment is cancelled; it cannot be checked in.');
    expect(refusalOf('completed', 'completed')).toBe('This appointment is already completed.');
  });
});
