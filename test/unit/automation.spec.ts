import { MAX_ATTEMPTS, retryAt } from '../../src/outbox/notice';
import { bookingConfirmation, noShow, spokenTime } from '../../src/outbox/notices';
import { localToday } from '../../src/common/time';
import { checkbox } from '../../src/common/validation/validators';

const clinic = { name: 'Demo Clinic', phone: '02 23456789', address: '12 Tahrir Street, Cairo', url: 'http://demo.localhost:3000', zone: 'Africa/Cairo', currency: 'EGP' };
const appointment = { id: '42', patientId: '7', patientName: 'Amir Hassan', email: 'amir@example.com', doctorName: 'Dr. Ahmed Hassan', startsAt: new Date('2026-11-25T08:30:00Z') };

describe('notices', () => {
  it('speak of the time in the clinic’s zone', () => {
    expect(spokenTime(new Date('2026-11-25T08:30:00Z'), 'Africa/Cairo')).toBe('Wednesday 25 November 2026 at 10:30');
    expect(spokenTime(new Date('2026-11-25T08:30:00Z'), 'America/New_York')).toBe('Wednesday 25 November 2026 at 03:30');
  });

  it('key a booking confirmation by appointment and start, so a moved appointment is confirmed again', () => {
    const first = bookingConfirmation(clinic, appointment);
    const moved = bookingConfirmation(clinic, { ...appointment, startsAt: new Date('2026-11-26T08:30:00Z') });
    expect(first.dedupeKey).toBe(`booking:42:${Date.parse('2026-11-25T08:30:00Z') / 1000}`);
    expect(moved.dedupeKey).not.toBe(first.dedupeKey);
    expect(first.recipient).toBe('amir@example.com');
    expect(first.body).toContain('Dear Amir Hassan,');
    expect(first.body).toContain('12 Tahrir Street, Cairo\nPhone: 02 23456789');
  });

  it('mention a no-show fee only when there is one', () => {
    expect(noShow(clinic, appointment, '50.00').body).toContain('A missed-appointment fee of 50.00 EGP applies');
    expect(noShow(clinic, appointment, null).body).not.toContain('fee');
    expect(noShow(clinic, appointment, null).dedupeKey).toBe('no_show:42');
  });
});

describe('retries', () => {
  it('wait longer after each failed attempt: 1 min, 5 min, 30 min, 2 h, 12 h', () => {
    const now = new Date('2026-11-25T08:00:00Z');
    const waits = [1, 2, 3, 4, 5].map((attempts) => (retryAt(now, attempts).getTime() - now.getTime()) / 1000);
    expect(waits).toEqual([60, 300, 1800, 7200, 43_200]);
    expect(MAX_ATTEMPTS).toBe(6);
  });
});

describe('a checkbox as forms and the API send it', () => {
  it.each([
    ['on', true],
    ['true', true],
    [['false', 'true'], true],
    ['false', false],
    [['false'], false],
    [true, true],
    [false, false],
    ['maybe', 'maybe'],
  ])('%j → %j', (value, expected) => expect(checkbox({ value })).toBe(expected));
});

describe('the clinic’s today, remembered per zone', () => {
  it('changes exactly at local midnight, whatever was asked before, and keeps zones apart', () => {
    // Cairo is UTC+2 in November: its 2026-11-25 runs from 2026-11-24T22:00Z to 2026-11-25T22:00Z
    expect(localToday(new Date('2026-11-25T12:00:00Z'), 'Africa/Cairo')).toBe('2026-11-25');
    expect(localToday(new Date('2026-11-25T12:00:00Z'), 'America/New_York')).toBe('2026-11-25');
    expect(localToday(new Date('2026-11-25T21:59:59.999Z'), 'Africa/Cairo')).toBe('2026-11-25');
    expect(localToday(new Date('2026-11-25T22:00:00Z'), 'Africa/Cairo')).toBe('2026-11-26');
    expect(localToday(new Date('2026-11-24T21:59:59Z'), 'Africa/Cairo')).toBe('2026-11-24');
    expect(localToday(new Date('2026-11-26T04:59:59Z'), 'America/New_York')).toBe('2026-11-25');
    expect(localToday(new Date('2026-11-26T05:00:00Z'), 'America/New_York')).toBe('2026-11-26');
    // a 23-hour day: New York springs forward on 2026-03-08
    expect(localToday(new Date('2026-03-09T03:59:59Z'), 'America/New_York')).toBe('2026-03-08');
    expect(localToday(new Date('2026-03-09T04:00:00Z'), 'America/New_York')).toBe('2026-03-09');
  });
});
