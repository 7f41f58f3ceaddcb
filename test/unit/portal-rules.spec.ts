import { bookingRefusal, cancelDeadline, cancelRefusal, lastBookableDay } from '../../src/portal/portal-rules';
import type { PortalRules } from '../../src/settings/clinic-settings';

const RULES: PortalRules = { maxFutureAppointments: 2, minHoursAhead: 1, maxDaysAhead: 60, cancelCutoffHours: 2 };
const ZONE = 'Africa/Cairo';
// Monday 2026-11-23, 09:00 in Cairo (UTC+2)
const NOW = new Date('2026-11-23T07:00:00Z');
const standing = { now: NOW, zone: ZONE, upcoming: 0, unpaidPenalty: null, phone: '02 23456789' };

describe('online booking rules', () => {
  it('takes a booking exactly the notice period ahead and refuses one a minute sooner', () => {
    expect(bookingRefusal(RULES, { ...standing, startsAt: new Date('2026-11-23T08:00:00Z') })).toBeNull();
    expect(bookingRefusal(RULES, { ...standing, startsAt: new Date('2026-11-23T07:59:00Z') })).toEqual({
      code: 'booking_limit',
      field: 'time',
      message: 'Online bookings must be made at least 1 hour ahead, so the earliest is 2026-11-23 10:00. For a sooner visit, please call the clinic at 02 23456789.',
    });
  });

  it('counts the booking window in the clinic\'s days, up to and including the last one', () => {
    expect(lastBookableDay(RULES, NOW, ZONE)).toBe('2027-01-22');
    // 23:45 on the last day in Cairo is already the next day in some zones, and still inside the window here
    expect(bookingRefusal(RULES, { ...standing, startsAt: new Date('2027-01-22T21:45:00Z') })).toBeNull();
    expect(bookingRefusal(RULES, { ...standing, startsAt: new Date('2027-01-22T22:00:00Z') })?.field).toBe('date');
    // 01:00 on 2026-11-24 in Cairo is still 2026-11-23 in UTC: the window is the clinic's, not the server's
    expect(lastBookableDay(RULES, new Date('2026-11-23T23:00:00Z'), ZONE)).toBe('2027-01-23');
  });

  it('puts a closed portal, an unpaid charge and the limit before any question of time', () => {
    const tooSoon = new Date('2026-11-23T07:30:00Z');
    expect(bookingRefusal({ ...RULES, maxFutureAppointments: 0 }, { ...standing, startsAt: tooSoon })?.code).toBe('booking_closed');
    expect(bookingRefusal(RULES, { ...standing, startsAt: tooSoon, unpaidPenalty: { amount: '50.00', currency: 'EGP' } })?.code).toBe('unpaid_penalty');
    expect(bookingRefusal(RULES, { ...standing, startsAt: tooSoon, upcoming: 2 })?.message).toBe(
      'You already have 2 upcoming appointments, the most you can book online (2). Cancel one first, or call the clinic at 02 23456789.',
    );
    expect(bookingRefusal(RULES, { ...standing, upcoming: 1 })).toBeNull();
  });

  it('says "call the clinic" without a number when the clinic has given none', () => {
    expect(bookingRefusal({ ...RULES, maxFutureAppointments: 0 }, { ...standing, phone: null })?.message).toBe(
      'This clinic does not take bookings online. To book, please call the clinic.',
    );
  });
});

describe('online cancellation rules', () => {
  const startsAt = new Date('2026-11-23T09:00:00Z'); // 11:00 in Cairo

  it('cancels up to the cut-off and refuses from it on', () => {
    expect(cancelDeadline(RULES, startsAt)).toEqual(new Date('2026-11-23T07:00:00Z'));
    expect(cancelRefusal(RULES, { status: 'scheduled', startsAt }, new Date('2026-11-23T06:59:59Z'), ZONE, null)).toBeNull();
    expect(cancelRefusal(RULES, { status: 'scheduled', startsAt }, NOW, ZONE, null)).toEqual({
      code: 'cancel_cutoff',
      message: 'It is less than 2 hours before your appointment (2026-11-23 11:00), so it can no longer be cancelled online. Please call the clinic.',
    });
  });

  it('with no cut-off, cancels until the start', () => {
    const none = { ...RULES, cancelCutoffHours: 0 };
    expect(cancelRefusal(none, { status: 'scheduled', startsAt }, new Date('2026-11-23T08:59:59Z'), ZONE, null)).toBeNull();
    expect(cancelRefusal(none, { status: 'scheduled', startsAt }, startsAt, ZONE, null)?.message).toContain('It is past the start of your appointment');
  });

  it.each(['checked_in', 'completed', 'cancelled', 'no_show'] as const)('refuses a %s appointment whatever the time', (status) => {
    expect(cancelRefusal(RULES, { status, startsAt }, new Date('2026-11-01T00:00:00Z'), ZONE, null)?.code).toBe('cancel_refused');
  });
});
