import type { Tenant } from '../../src/platform/tenant';
import { ManualClock } from '../support/clinic-client';
import { createDoctor, createPatient, type TestDoctor, type TestPatient } from '../support/front-desk';
import { type HttpResponse, send } from '../support/http';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

const json = { accept: 'application/json', 'content-type': 'application/json' };
type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string[]> } };

describe('appointments API', () => {
  let t: TestApp;
  // Monday 2026-11-23, 09:00 in Cairo (UTC+2)
  const clock = new ManualClock(Date.parse('2026-11-23T07:00:00Z'));
  let clinic: Tenant;
  let host: string;
  let desk: TestUser;
  let token: string;
  let doctor: TestDoctor;
  let patient: TestPatient;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { SIGN_IN_RATE_LIMIT: '10000', DB_POOL_MAX: '20' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('appt') });
    host = `${clinic.slug}.localhost`;
    desk = await createUser(t.dataSource, clinic, { role: 'reception' });
    doctor = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan', fee: '150.00', slotMinutes: 15 });
    patient = await createPatient(t.dataSource, clinic, { firstName: 'Amir', lastName: 'Hassan' });
    token = await signIn(desk);
  });

  afterAll(() => t.close());

  async function signIn(user: TestUser, onHost = host): Promise<string> {
    const res = await send(t.url, { method: 'POST', path: '/api/v1/auth/login', host: onHost, headers: json, body: JSON.stringify({ username: user.username, password: user.password }) });
    return res.json<{ accessToken: string }>().accessToken;
  }

  const api = (method: string, path: string, body?: unknown, bearer = token, onHost = host): Promise<HttpResponse> =>
    send(t.url, { method, path, host: onHost, headers: { ...json, authorization: `Bearer ${bearer}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  const book = (body: Record<string, unknown>) => api('POST', '/api/v1/appointments', { patientId: patient.id, doctorId: doctor.doctorId, ...body });
  const error = (res: HttpResponse) => res.json<ErrorBody>().error;

  it('books a free slot at the doctor\'s fee, in the clinic time zone', async () => {
    const res = await book({ date: '2026-11-24', time: '10:30', notes: 'First visit' });
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({
      patient: { id: patient.id, fullName: 'Amir Hassan', fileNumber: patient.fileNumber },
      doctor: { id: doctor.doctorId, fullName: 'Dr. Ahmed Hassan' },
      date: '2026-11-24',
      time: '10:30',
      endTime: '10:45',
      startsAt: '2026-11-24T08:30:00.000Z',
      status: 'scheduled',
      cost: '150.00',
      notes: 'First visit',
      isPriority: false,
    });
  });

  it('refuses the same doctor at the same time with 409 and offers the free times', async () => {
    const res = await book({ date: '2026-11-24', time: '10:30' });
    expect(res.status).toBe(409);
    const e = error(res);
    expect(e.code).toBe('slot_taken');
    expect(e.message).toBe('Dr. Ahmed Hassan already has a patient at 10:30 — pick another time.');
    expect(e.fields!.time[1]).toBe('Free times nearby: 09:45, 10:00, 10:15, 10:45, 11:00, 11:15');
  });

  it('lets exactly one of 200 concurrent bookings of one slot succeed; the other 199 get a clear 409', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, () => book({ date: '2026-11-25', time: '11:00' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    for (const r of results.filter((x) => x.status === 409)) expect(error(r).code).toBe('slot_taken');
    const rows = await asClinic<unknown[]>(t.dataSource, clinic, `SELECT 1 FROM appointments WHERE starts_at = '2026-11-25T09:00:00Z'`);
    expect(rows).toHaveLength(1);
  });

  it('refuses overlapping (not identical) ranges in the database too, and a cancelled booking frees the slot', async () => {
    const first = await book({ date: '2026-11-26', time: '12:00' });
    expect(first.status).toBe(201);
    // a 15-minute booking at 12:05 cannot be made through the API (not a slot), so ask Postgres directly
    await expect(
      asClinic(t.dataSource, clinic, `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at) VALUES ($1, $2, '2026-11-26T10:05:00Z', '2026-11-26T10:20:00Z')`, [
        patient.id,
        doctor.doctorId,
      ]),
    ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23P01' }) });

    const id = first.json<{ id: string }>().id;
    const cancelled = await api('POST', `/api/v1/appointments/${id}/status`, { status: 'cancelled', reason: 'Patient called' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: 'Patient called' });
    expect((await book({ date: '2026-11-26', time: '12:00' })).status).toBe(201);
  });

  it.each([
    ['a past day', { date: '2026-11-22', time: '10:00' }, 422, 'time', /in the past/],
    ['before the working hours', { date: '2026-11-23', time: '08:45' }, 422, 'time', /not one of Dr\. Ahmed Hassan's appointment times/],
    ['a time off the slot grid', { date: '2026-11-23', time: '10:07' }, 422, 'time', /not one of/],
    ['a past time today', { date: '2026-11-23', time: '08:00' }, 422, 'time', /not one of|in the past/],
    ['a date not on the calendar', { date: '2026-02-30', time: '10:00' }, 422, 'date', /not a date on the calendar|YYYY-MM-DD/],
    ['a malformed date', { date: '24/11/2026', time: '10:00' }, 422, 'date', /YYYY-MM-DD/],
    ['a malformed time', { date: '2026-11-24', time: '25:00' }, 422, 'time', /HH:MM/],
    ['a negative cost', { date: '2026-11-24', time: '09:00', cost: '-5' }, 422, 'cost', /0 or more/],
    ['an unknown doctor', { date: '2026-11-24', time: '09:00', doctorId: '999999' }, 404, 'doctorId', /no such doctor/],
    ['an unknown patient', { date: '2026-11-24', time: '09:00', patientId: '999999' }, 404, 'patientId', /no such patient/],
    ['2,001 characters of notes', { date: '2026-11-24', time: '09:00', notes: 'x'.repeat(2001) }, 422, 'notes', /at most 2000/],
  ])('refuses %s with %i, a message on the field, and writes nothing', async (_label, body, status, field, message) => {
    const before = await asClinic<{ n: number }[]>(t.dataSource, clinic, 'SELECT count(*)::int AS n FROM appointments');
    const res = await book(body);
    expect(res.status).toBe(status);
    const e = error(res);
    expect(e.fields?.[field]?.length).toBeGreaterThan(0);
    expect(`${e.message} ${e.fields![field].join(' ')}`).toMatch(message);
    expect(await asClinic(t.dataSource, clinic, 'SELECT count(*)::int AS n FROM appointments')).toEqual(before);
  });

  it('refuses a day on leave', async () => {
    await asClinic(t.dataSource, clinic, `INSERT INTO doctor_leaves (doctor_id, starts_on, ends_on) VALUES ($1, '2026-12-01', '2026-12-03')`, [doctor.doctorId]);
    const res = await book({ date: '2026-12-02', time: '10:00' });
    expect(res.status).toBe(422);
    expect(error(res).fields!.date[0]).toBe('Dr. Ahmed Hassan is on leave on 2026-12-02. Pick another day.');
    const slots = await api('GET', `/api/v1/doctors/${doctor.doctorId}/slots?date=2026-12-02`);
    expect(slots.json()).toMatchObject({ onLeave: true, slots: [] });
  });

  it('lists slots with what is free', async () => {
    const res = await api('GET', `/api/v1/doctors/${doctor.doctorId}/slots?date=2026-11-24`);
    expect(res.status).toBe(200);
    const body = res.json<{ slots: { time: string; free: boolean }[] }>();
    expect(body.slots).toHaveLength(32); // 09:00-17:00 by 15 minutes
    expect(body.slots.find((s) => s.time === '10:30')).toMatchObject({ free: false });
    expect(body.slots.find((s) => s.time === '10:45')).toMatchObject({ free: true });
  });

  it('moves a scheduled appointment, keeps a conflict out, and follows the lifecycle', async () => {
    const a = (await book({ date: '2026-11-23', time: '13:00' })).json<{ id: string }>();
    const b = (await book({ date: '2026-11-23', time: '13:15' })).json<{ id: string }>();
    const clash = await api('POST', `/api/v1/appointments/${a.id}/reschedule`, { date: '2026-11-23', time: '13:15' });
    expect(clash.status).toBe(409);
    const moved = await api('POST', `/api/v1/appointments/${a.id}/reschedule`, { date: '2026-11-23', time: '14:00' });
    expect(moved.json()).toMatchObject({ time: '14:00', status: 'scheduled' });
    // the old time is free again
    expect((await book({ date: '2026-11-23', time: '13:00' })).status).toBe(201);

    expect((await api('POST', `/api/v1/appointments/${a.id}/status`, { status: 'checked_in' })).json()).toMatchObject({ status: 'checked_in' });
    const again = await api('POST', `/api/v1/appointments/${a.id}/status`, { status: 'checked_in' });
    expect(again.status).toBe(409);
    expect(error(again).message).toBe('This appointment is already checked in.');
    expect((await api('POST', `/api/v1/appointments/${a.id}/reschedule`, { date: '2026-11-23', time: '15:00' })).status).toBe(409);

    const early = await api('POST', `/api/v1/appointments/${b.id}/status`, { status: 'no_show' });
    expect(early.status).toBe(409);
    expect(error(early).message).toMatch(/has not started yet/);
    const noReason = await api('POST', `/api/v1/appointments/${b.id}/status`, { status: 'cancelled' });
    expect(noReason.status).toBe(422);
    const tomorrow = (await book({ date: '2026-11-24', time: '15:00' })).json<{ id: string }>();
    const notToday = await api('POST', `/api/v1/appointments/${tomorrow.id}/status`, { status: 'checked_in' });
    expect(notToday.status).toBe(409);
    expect(error(notToday).message).toMatch(/only on the day/);
  });

  it('lists a day by doctor and status, and audits every change with the actor', async () => {
    const res = await api('GET', `/api/v1/appointments?date=2026-11-23&status=checked_in`);
    expect(res.status).toBe(200);
    const body = res.json<{ appointments: { status: string; time: string }[] }>();
    expect(body.appointments.map((a) => a.status)).toEqual(['checked_in']);
    const audit = await asClinic<{ action: string; n: number }[]>(
      t.dataSource,
      clinic,
      `SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'appointment.%' AND actor_id = $1 GROUP BY action ORDER BY action`,
      [desk.id],
    );
    expect(audit.map((r) => r.action)).toEqual(['appointment.booked', 'appointment.cancelled', 'appointment.checked_in', 'appointment.rescheduled']);
  });

  it("answers 404 for another clinic's appointment, doctor and patient ids", async () => {
    const other = await createClinic(t.dataSource, { slug: uniqueSlug('appt-b') });
    const otherDesk = await createUser(t.dataSource, other, { role: 'reception' });
    const otherToken = await signIn(otherDesk, `${other.slug}.localhost`);
    const mine = (await book({ date: '2026-11-27', time: '09:00' })).json<{ id: string }>();
    const get = await api('GET', `/api/v1/appointments/${mine.id}`, undefined, otherToken, `${other.slug}.localhost`);
    expect(get.status).toBe(404);
    const cancel = await api('POST', `/api/v1/appointments/${mine.id}/status`, { status: 'cancelled', reason: 'x' }, otherToken, `${other.slug}.localhost`);
    expect(cancel.status).toBe(404);
    const slots = await api('GET', `/api/v1/doctors/${doctor.doctorId}/slots?date=2026-11-27`, undefined, otherToken, `${other.slug}.localhost`);
    expect(slots.status).toBe(404);
    expect((await api('GET', `/api/v1/appointments/${mine.id}`)).json()).toMatchObject({ status: 'scheduled' });
    expect((await api('GET', '/api/v1/appointments/not-a-number')).status).toBe(404);
  });
});
