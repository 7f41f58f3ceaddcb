import type { Tenant } from '../../src/platform/tenant';
import { ManualClock } from '../support/clinic-client';
import { createDoctor, createPatient, type TestDoctor, type TestPatient } from '../support/front-desk';
import type { HttpResponse } from '../support/http';
import { bytes, pdfText } from '../support/pdf';
import { listRoutes } from '../support/routes';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string[]> } };
interface PortalAppointment {
  id: string;
  date: string;
  time: string;
  status: string;
  doctor: { fullName: string; specialty: string | null };
  upcoming: boolean;
  canCancel: boolean;
  cancelUntil: string | null;
}

const PHONE = '+20501234567';
const error = (res: HttpResponse) => res.json<ErrorBody>().error;

describe('patient portal', () => {
  let t: TestApp;
  // Monday 2026-11-23, 09:00 in Cairo (UTC+2)
  const clock = new ManualClock(Date.parse('2026-11-23T07:00:00Z'));
  const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());
  let clinic: Tenant;
  let host: string;
  let elsewhere: Tenant;
  let ahmed: TestDoctor;
  let mona: TestDoctor;
  let amir: TestPatient;
  let bob: TestPatient;
  let amirUser: TestUser;
  let bobUser: TestUser;
  let admin: TestUser;

  /** A patient's portal identity as the sign-in helpers take it. */
  const identity = (username: string, phone = PHONE): TestUser => ({ id: '', username, phone, fullName: username, role: 'patient' });
  const tokenOf = (user: TestUser, onHost = host) => apiToken(t.url, onHost, user);
  const api = (token: string, method: string, path: string, body?: unknown, onHost = host) => apiCall(t.url, onHost, token, method, path, body);

  /** An appointment written straight into a clinic's tables, at a local date and time in Cairo. */
  async function appointment(at: Tenant, doctor: TestDoctor, patient: TestPatient, date: string, time: string, status = 'scheduled'): Promise<string> {
    const [row] = await asClinic<{ id: string }[]>(
      t.dataSource,
      at,
      `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, cost, cancelled_at, cancel_reason, no_show_at)
       VALUES ($1, $2, ($3::date + $4::time) AT TIME ZONE 'Africa/Cairo', ($3::date + $4::time + interval '15 minutes') AT TIME ZONE 'Africa/Cairo', $5, 150,
               CASE WHEN $5 = 'cancelled' THEN now() END, CASE WHEN $5 = 'cancelled' THEN 'by the desk' END, CASE WHEN $5 = 'no_show' THEN now() END)
       RETURNING id`,
      [patient.id, doctor.doctorId, date, time, status],
    );
    return row.id;
  }

  /** A completed visit with its record and a pending invoice, as the doctor's console writes it. */
  async function completedVisit(at: Tenant, doctor: TestDoctor, patient: TestPatient, date: string, time: string): Promise<string> {
    const id = await appointment(at, doctor, patient, date, time, 'completed');
    await asClinic(
      t.dataSource,
      at,
      `WITH c AS (INSERT INTO consultations (appointment_id, symptoms, diagnosis, notes) VALUES ($1, 'Chest pain', 'Mild angina', 'Private: anxious, recheck BP') RETURNING id),
            rx AS (INSERT INTO prescriptions (consultation_id, position, medication_name, dosage, duration) SELECT id, 1, 'Aspirin', '100 mg daily', '30 days' FROM c),
            req AS (INSERT INTO requirements (consultation_id, position, kind, description) SELECT id, 1, 'lab', 'ECG' FROM c),
            n AS (UPDATE invoice_counter SET last_number = last_number + 1 RETURNING last_number)
       INSERT INTO invoices (number, appointment_id, amount) SELECT last_number, $1, 150 FROM n`,
      [id],
    );
    return id;
  }

  const statusOf = async (id: string, at = clinic) =>
    (await asClinic<{ status: string }[]>(t.dataSource, at, 'SELECT status FROM appointments WHERE id = $1', [id]))[0]?.status;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { SIGN_IN_RATE_LIMIT: '10000', DB_POOL_MAX: '20' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('portal') });
    host = `${clinic.slug}.localhost`;
    ahmed = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan', specialty: 'Cardiology' });
    mona = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Mona Fathy', specialty: 'Dermatology', fee: '200.00' });
    amir = await createPatient(t.dataSource, clinic, { firstName: 'Amir', lastName: 'Hassan', phone: PHONE, username: 'amir' });
    // Bob shares Amir's phone (a family): his identity is phone + username
    bob = await createPatient(t.dataSource, clinic, { firstName: 'Bob', lastName: 'Hassan', phone: PHONE, username: 'bob' });
    amirUser = identity('amir');
    bobUser = identity('bob');
    admin = await createUser(t.dataSource, clinic, { role: 'admin' });
    await asClinic(t.dataSource, clinic, `UPDATE clinic_settings SET contact_phone = '+20223456789'`);
    elsewhere = await createClinic(t.dataSource, { slug: uniqueSlug('portal-b') });
  });

  afterAll(() => t.close());

  describe('my visits', () => {
    let past: string;
    let upcoming: string;
    let bobs: string;

    beforeAll(async () => {
      setClock('2026-11-23T07:00:00Z');
      past = await completedVisit(clinic, ahmed, amir, '2026-11-09', '10:30');
      upcoming = await appointment(clinic, mona, amir, '2026-11-30', '11:00');
      bobs = await appointment(clinic, ahmed, bob, '2026-11-25', '09:00');
    });

    afterAll(async () => {
      await asClinic(t.dataSource, clinic, `UPDATE appointments SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'test done' WHERE id = ANY($1)`, [
        [upcoming, bobs],
      ]);
    });

    it('lists upcoming and past appointments with doctor, specialty, clinic-local time and status, and nobody else\'s', async () => {
      const page = await (await signedInBrowser(t.url, host, amirUser)).get('/portal');
      expect(page.status).toBe(200);
      const upcomingList = page.body.slice(page.body.indexOf('id="upcoming"'), page.body.indexOf('id="past-heading"'));
      expect(upcomingList).toContain(`data-appointment="${upcoming}"`);
      expect(upcomingList).toContain('2026-11-30 · 11:00');
      expect(upcomingList).toContain('Dr. Mona Fathy');
      expect(upcomingList).toContain('Dermatology');
      expect(upcomingList).toContain('You can cancel online until 2026-11-30 09:00.');
      const pastList = page.body.slice(page.body.indexOf('id="past"'));
      expect(pastList).toContain(`data-appointment="${past}"`);
      expect(pastList).toContain('2026-11-09 · 10:30');
      expect(pastList).toContain('Completed');
      expect(page.body).not.toContain(`data-appointment="${bobs}"`);

      const res = await api(await tokenOf(amirUser), 'GET', '/api/v1/portal/appointments');
      expect(res.status).toBe(200);
      const body = res.json<{ upcoming: PortalAppointment[]; past: PortalAppointment[] }>();
      expect(body.upcoming.map((a) => a.id)).toEqual([upcoming]);
      expect(body.upcoming[0]).toMatchObject({ date: '2026-11-30', time: '11:00', status: 'scheduled', canCancel: true, cancelUntil: '2026-11-30 09:00' });
      expect(body.past.map((a) => a.id)).toEqual([past]);
    });

    it('pages past visits 20 at a time, newest first; "Show older visits" brings the rest as a fragment', async () => {
      const carol = await createPatient(t.dataSource, clinic, { firstName: 'Carol', lastName: 'Adel', phone: PHONE, username: 'carol' });
      const ids: string[] = [];
      for (let day = 1; day <= 21; day += 1) ids.push(await appointment(clinic, mona, carol, `2026-10-${String(day).padStart(2, '0')}`, '09:00', 'completed'));
      const browser = await signedInBrowser(t.url, host, identity('carol'));
      const first = await browser.get('/portal');
      const shown = (body: string) => [...body.matchAll(/data-appointment="(\d+)"/g)].map((m) => m[1]);
      expect(shown(first.body)).toEqual(ids.slice(1).reverse());
      expect(first.body).toContain('hx-get="/portal?page=2"');
      const more = await browser.get('/portal?page=2', { 'HX-Request': 'true' });
      expect(more.body).not.toContain('<html');
      expect(shown(more.body)).toEqual([ids[0]]);
      expect(more.body).not.toContain('page=3');
      expect((await browser.get('/portal?page=0')).status).toBe(422);
    });

    it("shows a completed visit's diagnosis, prescription, requirements and invoice, but not the doctor's private notes", async () => {
      const page = await (await signedInBrowser(t.url, host, amirUser)).get(`/portal/visits/${past}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Mild angina');
      expect(page.body).toContain('Aspirin');
      expect(page.body).toContain('100 mg daily');
      expect(page.body).toContain('ECG');
      expect(page.body).toMatch(/150\.00 EGP · <span[^>]*data-invoice-status="pending"[^>]*>Not paid yet/);
      expect(page.body).not.toContain('Private: anxious');

      const res = await api(await tokenOf(amirUser), 'GET', `/api/v1/portal/visits/${past}`);
      expect(res.status).toBe(200);
      const visit = res.json<{ record: Record<string, unknown> }>();
      expect(visit.record).toMatchObject({
        diagnosis: 'Mild angina',
        prescriptions: [{ medicationName: 'Aspirin', dosage: '100 mg daily', duration: '30 days' }],
        requirements: [{ kind: 'lab', description: 'ECG' }],
        invoice: { amount: '150.00', currency: 'EGP', status: 'pending' },
      });
      expect(JSON.stringify(visit)).not.toContain('Private');
    });

    it('prints the patient\'s own prescription with the same print view and PDF as the doctor\'s console', async () => {
      const browser = await signedInBrowser(t.url, host, amirUser);
      const sheet = await browser.get(`/portal/visits/${past}/prescription`);
      expect(sheet.status).toBe(200);
      expect(sheet.body).toContain('class="sheet sheet-a5"');
      expect(sheet.body).toContain('Aspirin');
      expect(sheet.body).toContain(`href="/portal/visits/${past}/prescription.pdf?size=a5"`);
      const pdf = await browser.get(`/portal/visits/${past}/prescription.pdf?size=a4`);
      expect(pdf.status).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['cache-control']).toBe('private, no-store');
      expect(pdfText(await bytes(t.url, host, `/portal/visits/${past}/prescription.pdf?size=a4`, browser.cookie('session')!))).toContain('Aspirin');
    });
  });

  describe('booking, on the clinic\'s rules (injected clock)', () => {
    let token: string;
    const book = (body: Record<string, unknown>, as = token) => api(as, 'POST', '/api/v1/portal/appointments', { doctorId: ahmed.doctorId, ...body });
    /** Cancels whatever a test left booked for Amir, so each test starts with no upcoming appointments. */
    const clearAmir = () =>
      asClinic(t.dataSource, clinic, `UPDATE appointments SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'reset' WHERE patient_id = $1 AND status = 'scheduled'`, [
        amir.id,
      ]);
    const setRules = (sql: string) => asClinic(t.dataSource, clinic, `UPDATE clinic_settings SET ${sql}`);

    beforeEach(async () => {
      setClock('2026-11-23T07:00:00Z'); // Monday 09:00 in Cairo
      await clearAmir();
      await setRules('portal_max_future = 2, portal_min_hours_ahead = 1, portal_max_days_ahead = 60, portal_cancel_cutoff_hours = 2');
      token = await tokenOf(amirUser);
    });

    it('books a free slot for the patient\'s own file at the doctor\'s fee, and the front desk sees it', async () => {
      const res = await book({ date: '2026-11-24', time: '10:30' });
      expect(res.status).toBe(201);
      const booked = res.json<PortalAppointment & { cost: string }>();
      expect(booked).toMatchObject({ date: '2026-11-24', time: '10:30', status: 'scheduled', cost: '150.00', doctor: { fullName: 'Dr. Ahmed Hassan', specialty: 'Cardiology' } });
      const [row] = await asClinic<{ patient_id: string; created_by: string }[]>(t.dataSource, clinic, 'SELECT patient_id, created_by FROM appointments WHERE id = $1', [booked.id]);
      expect(row.patient_id).toBe(amir.id);
      const [{ id: amirUserId }] = await asClinic<{ id: string }[]>(t.dataSource, clinic, `SELECT id FROM users WHERE username = 'amir'`);
      expect(row.created_by).toBe(amirUserId);
    });

    it('books through the page: doctor, day, free time, confirm; then shows the new appointment', async () => {
      const browser = await signedInBrowser(t.url, host, amirUser);
      const form = await browser.get(`/portal/book?doctorId=${ahmed.doctorId}&date=2026-11-24`);
      expect(form.status).toBe(200);
      expect(form.body).toContain('name="time" value="10:30"');
      // a patient without JavaScript asks for the times of a day: the page again, nothing booked
      const shown = await browser.post('/portal/book', { doctorId: mona.doctorId, date: '2026-11-25', show: '1' });
      expect(shown.status).toBe(200);
      expect(shown.body).toContain('name="time" value="11:00"');
      const fragment = await browser.get(`/portal/book/slots?doctorId=${ahmed.doctorId}&date=2026-11-24`);
      expect(fragment.body).not.toContain('<html');
      expect(fragment.body).toContain('value="16:45"');

      const res = await browser.post('/portal/book', { doctorId: ahmed.doctorId, date: '2026-11-24', time: '11:15' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/portal\/visits\/\d+\?done=booked$/);
      const page = await browser.get(res.headers.location as string);
      expect(page.body).toContain('Your appointment is booked.');
      expect(page.body).toContain('2026-11-24 · 11:15');
    });

    it('offers only times at least the notice period ahead, and refuses sooner ones in words', async () => {
      const slots = await api(token, 'GET', `/api/v1/portal/doctors/${ahmed.doctorId}/slots?date=2026-11-23`);
      expect(slots.status).toBe(200);
      const times = slots.json<{ slots: { time: string }[] }>().slots.map((s) => s.time);
      expect(times[0]).toBe('10:00'); // 09:00 now + 1 hour
      expect(times).not.toContain('09:45');

      const soon = await book({ date: '2026-11-23', time: '09:45' });
      expect(soon.status).toBe(422);
      expect(error(soon)).toMatchObject({ code: 'booking_limit', fields: { time: [expect.stringContaining('at least 1 hour ahead')] } });
      expect(error(soon).message).toContain('02 23456789');
      const past = await book({ date: '2026-11-23', time: '08:45' });
      expect(past.status).toBe(422);
      expect(error(past).message).toBe('That time has already passed. Pick a later time.');
      expect((await book({ date: '2026-11-23', time: '10:00' })).status).toBe(201);
    });

    it('refuses a day beyond the booking window, and takes the last day in it', async () => {
      const far = await book({ date: '2027-01-23', time: '10:00' });
      expect(far.status).toBe(422);
      expect(error(far).message).toBe('You can book online up to 60 days ahead, that is until 2027-01-22. Pick an earlier day.');
      expect(error(far).fields).toEqual({ date: [error(far).message] });
      expect((await book({ date: '2027-01-22', time: '10:00' })).status).toBe(201);
    });

    it('allows at most 2 upcoming appointments, counting again once one is over', async () => {
      expect((await book({ date: '2026-11-23', time: '10:00' })).status).toBe(201);
      expect((await book({ date: '2026-11-26', time: '10:00' })).status).toBe(201);
      const third = await book({ date: '2026-11-27', time: '10:00' });
      expect(third.status).toBe(422);
      expect(error(third)).toMatchObject({ code: 'booking_limit', message: expect.stringContaining('You already have 2 upcoming appointments') });
      const page = await (await signedInBrowser(t.url, host, amirUser)).get('/portal/book');
      expect(page.body).toContain('You already have 2 upcoming appointments');
      expect(page.body).not.toContain('id="booking-form"');

      setClock('2026-11-23T08:15:01Z'); // 10:15:01 in Cairo: the 10:00 visit is over
      const again = await book({ date: '2026-11-27', time: '10:00' }, await tokenOf(amirUser));
      expect(again.status).toBe(201);
    });

    it('lets only the limit through when one patient books several times at once', async () => {
      const results = await Promise.all(['10:00', '10:15', '10:30', '10:45'].map((time) => book({ date: '2026-11-24', time })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 422, 422]);
      const [{ n }] = await asClinic<{ n: number }[]>(t.dataSource, clinic, `SELECT count(*)::int AS n FROM appointments WHERE patient_id = $1 AND status = 'scheduled'`, [amir.id]);
      expect(n).toBe(2);
    });

    it('follows the limits the owner sets, and says so when online booking is off', async () => {
      await setRules('portal_max_future = 3, portal_min_hours_ahead = 0, portal_max_days_ahead = 7');
      expect((await book({ date: '2026-11-23', time: '09:15' })).status).toBe(201);
      expect((await book({ date: '2026-11-24', time: '09:15' })).status).toBe(201);
      expect((await book({ date: '2026-11-30', time: '09:15' })).status).toBe(201);
      expect(error(await book({ date: '2026-12-01', time: '09:15' })).message).toContain('You already have 3 upcoming appointments');
      await clearAmir();
      expect(error(await book({ date: '2026-12-01', time: '09:15' })).message).toContain('until 2026-11-30');
      await setRules('portal_max_future = 0');
      const closed = await book({ date: '2026-11-24', time: '09:30' });
      expect(closed.status).toBe(422);
      expect(error(closed)).toEqual({ code: 'booking_closed', message: 'This clinic does not take bookings online. To book, please call the clinic at 02 23456789.' });
    });

    it('tells a patient with an unpaid no-show charge why they cannot book online; a waived or zero charge does not stop them', async () => {
      const missed = await appointment(clinic, ahmed, amir, '2026-11-16', '10:00', 'no_show');
      const [penalty] = await asClinic<{ id: string }[]>(t.dataSource, clinic, 'INSERT INTO penalties (appointment_id, patient_id, amount) VALUES ($1, $2, 50) RETURNING id', [
        missed,
        amir.id,
      ]);
      try {
        const refused = await book({ date: '2026-11-24', time: '10:00' });
        expect(refused.status).toBe(422);
        expect(error(refused)).toMatchObject({ code: 'unpaid_penalty', message: expect.stringContaining('missed-appointment charge of 50.00 EGP is unpaid') });
        const home = await (await signedInBrowser(t.url, host, amirUser)).get('/portal');
        expect(home.body).toContain('missed-appointment charge of 50.00 EGP is unpaid');
        expect(home.body).not.toContain('<a class="button" href="/portal/book">');
        // Bob shares the phone, not the charge
        expect((await book({ date: '2026-11-24', time: '10:00' }, await tokenOf(bobUser))).status).toBe(201);

        await asClinic(t.dataSource, clinic, `UPDATE penalties SET status = 'waived', settled_at = now(), waive_reason = 'first time' WHERE id = $1`, [penalty.id]);
        expect((await book({ date: '2026-11-24', time: '10:15' })).status).toBe(201);
        const missedAgain = await appointment(clinic, ahmed, amir, '2026-11-16', '11:00', 'no_show');
        await asClinic(t.dataSource, clinic, 'INSERT INTO penalties (appointment_id, patient_id, amount) VALUES ($1, $2, 0)', [missedAgain, amir.id]);
        expect((await book({ date: '2026-11-24', time: '10:30' })).status).toBe(201);
      } finally {
        await asClinic(t.dataSource, clinic, 'DELETE FROM penalties WHERE patient_id = $1', [amir.id]);
        await asClinic(t.dataSource, clinic, `UPDATE appointments SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'reset' WHERE patient_id = $1 AND status = 'scheduled'`, [bob.id]);
      }
    });

    it('answers a slot just taken by someone else with 409 and the fresh times', async () => {
      const browser = await signedInBrowser(t.url, host, amirUser);
      await browser.get(`/portal/book?doctorId=${ahmed.doctorId}&date=2026-11-25`);
      const taken = await appointment(clinic, ahmed, bob, '2026-11-25', '10:30'); // the front desk books Bob meanwhile
      try {
        const page = await browser.post('/portal/book', { doctorId: ahmed.doctorId, date: '2026-11-25', time: '10:30' });
        expect(page.status).toBe(409);
        expect(page.body).toContain('already has a patient at 10:30');
        expect(page.body).toContain('name="time" value="10:15"');
        expect(page.body).not.toContain('name="time" value="10:30"');
        const res = await book({ date: '2026-11-25', time: '10:30' });
        expect(res.status).toBe(409);
        expect(error(res)).toMatchObject({ code: 'slot_taken', fields: { time: [expect.any(String), expect.stringContaining('10:15, 10:45')] } });
      } finally {
        await asClinic(t.dataSource, clinic, `UPDATE appointments SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'reset' WHERE id = $1`, [taken]);
      }
    });

    it('refuses a second appointment at the same time with another doctor, and writes nothing', async () => {
      expect((await book({ date: '2026-11-24', time: '12:00' })).status).toBe(201);
      const clash = await book({ doctorId: mona.doctorId, date: '2026-11-24', time: '12:00' });
      expect(clash.status).toBe(422);
      expect(error(clash).message).toBe('You already have an appointment at that time: 12:00 with Dr. Ahmed Hassan. Pick another time.');
      const [{ n }] = await asClinic<{ n: number }[]>(t.dataSource, clinic, `SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1 AND starts_at = '2026-11-24T10:00:00Z'`, [
        mona.doctorId,
      ]);
      expect(n).toBe(0);
    });

    it("closes the open follow-up of the doctor the patient books with", async () => {
      const visit = await completedVisit(clinic, ahmed, amir, '2026-11-02', '10:00');
      const [followUp] = await asClinic<{ id: string }[]>(
        t.dataSource,
        clinic,
        `INSERT INTO follow_ups (consultation_id, patient_id, doctor_id, due_on) SELECT id, $2, $3, '2026-11-30' FROM consultations WHERE appointment_id = $1 RETURNING id`,
        [visit, amir.id, ahmed.doctorId],
      );
      const home = await (await signedInBrowser(t.url, host, amirUser)).get('/portal');
      expect(home.body).toContain(`href="/portal/book?doctorId=${ahmed.doctorId}"`);
      expect((await book({ doctorId: mona.doctorId, date: '2026-11-24', time: '10:00' })).status).toBe(201);
      const booked = (await book({ date: '2026-11-27', time: '10:00' })).json<PortalAppointment>();
      const [row] = await asClinic<{ status: string; appointment_id: string }[]>(t.dataSource, clinic, 'SELECT status, appointment_id FROM follow_ups WHERE id = $1', [followUp.id]);
      expect(row).toEqual({ status: 'booked', appointment_id: booked.id });
    });
  });

  describe('cancelling', () => {
    let token: string;
    beforeEach(async () => {
      setClock('2026-11-23T07:00:00Z');
      await asClinic(t.dataSource, clinic, 'UPDATE clinic_settings SET portal_cancel_cutoff_hours = 2');
      token = await tokenOf(amirUser);
    });
    const cancel = (id: string, body: unknown = {}, as = token) => api(as, 'POST', `/api/v1/portal/appointments/${id}/cancel`, body);

    it('cancels a scheduled appointment before the cut-off: the time is free again, the reason and the patient are on record', async () => {
      const id = await appointment(clinic, ahmed, amir, '2026-11-26', '13:00');
      const res = await cancel(id, { reason: 'Travelling' });
      expect(res.status).toBe(200);
      expect(res.json<PortalAppointment>()).toMatchObject({ status: 'cancelled', upcoming: false, canCancel: false });
      const [row] = await asClinic<{ status: string; cancel_reason: string }[]>(t.dataSource, clinic, 'SELECT status, cancel_reason FROM appointments WHERE id = $1', [id]);
      expect(row).toEqual({ status: 'cancelled', cancel_reason: 'Cancelled online by the patient: Travelling' });
      const [audit] = await asClinic<{ actor: string }[]>(
        t.dataSource,
        clinic,
        `SELECT u.username AS actor FROM audit_log a JOIN users u ON u.id = a.actor_id WHERE a.action = 'appointment.cancelled' AND a.entity_id = $1`,
        [id],
      );
      expect(audit.actor).toBe('amir');
      const slots = await api(token, 'GET', `/api/v1/portal/doctors/${ahmed.doctorId}/slots?date=2026-11-26`);
      expect(slots.json<{ slots: { time: string }[] }>().slots.map((s) => s.time)).toContain('13:00');
    });

    it('refuses after the cut-off with 409 and the clinic\'s phone, in the API and on the page', async () => {
      const id = await appointment(clinic, ahmed, amir, '2026-11-23', '11:00');
      setClock('2026-11-23T07:00:01Z'); // 09:00:01: less than 2 hours before 11:00
      token = await tokenOf(amirUser);
      const res = await cancel(id);
      expect(res.status).toBe(409);
      expect(error(res)).toMatchObject({
        code: 'cancel_cutoff',
        message: 'It is less than 2 hours before your appointment (2026-11-23 11:00), so it can no longer be cancelled online. Please call the clinic at 02 23456789.',
      });
      const browser = await signedInBrowser(t.url, host, amirUser);
      const page = await browser.get(`/portal/visits/${id}`);
      expect(page.body).not.toContain('id="cancel-form"');
      expect(page.body).toContain('<a class="button button-secondary" href="tel:+20223456789">Call the clinic: 02 23456789</a>');
      const post = await browser.post(`/portal/appointments/${id}/cancel`, {});
      expect(post.status).toBe(409);
      expect(post.body).toContain('can no longer be cancelled online');
      expect(await statusOf(id)).toBe('scheduled');
    });

    it('takes a cancellation exactly up to the cut-off', async () => {
      const id = await appointment(clinic, ahmed, amir, '2026-11-23', '11:15');
      setClock('2026-11-23T07:14:59Z'); // 2 hours and 1 second before
      expect((await cancel(id, {}, await tokenOf(amirUser))).status).toBe(200);
    });

    it.each([
      ['completed', '2026-11-20', 'This visit has already taken place; it cannot be cancelled.'],
      ['checked_in', '2026-11-23', 'You have already checked in for this appointment. Please speak to the reception desk, or call the clinic at 02 23456789.'],
      ['cancelled', '2026-11-27', 'This appointment is already cancelled.'],
      ['no_show', '2026-11-21', 'This appointment has passed and was recorded as missed. If that is wrong, please call the clinic at 02 23456789.'],
    ])('refuses a %s appointment with 409', async (status, date, message) => {
      const id = await appointment(clinic, ahmed, amir, date, '16:00', status);
      const res = await cancel(id);
      expect(res.status).toBe(409);
      expect(error(res)).toEqual({ code: 'cancel_refused', message });
      expect(await statusOf(id)).toBe(status);
    });

    it('cancels from the page and says so', async () => {
      const id = await appointment(clinic, ahmed, amir, '2026-11-28', '12:00');
      const browser = await signedInBrowser(t.url, host, amirUser);
      const page = await browser.get(`/portal/visits/${id}`);
      expect(page.body).toContain('You can cancel online until <strong>2026-11-28 10:00</strong>');
      const res = await browser.post(`/portal/appointments/${id}/cancel`, { reason: '' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/portal/visits/${id}?done=cancelled`);
      expect((await browser.get(res.headers.location as string)).body).toContain('Your appointment is cancelled.');
      expect(await statusOf(id)).toBe('cancelled');
    });
  });

  describe('another patient\'s records (IDOR)', () => {
    it('answers every portal route with an id with the same 404 for another patient\'s id, another clinic\'s id and an unknown id', async () => {
      setClock('2026-11-23T07:00:00Z');
      const bobsVisit = await completedVisit(clinic, ahmed, bob, '2026-11-10', '10:00');
      const bobsNext = await appointment(clinic, ahmed, bob, '2026-11-29', '10:00');
      // clinic 2 has its own Amir (same phone and username) with records at ids Amir of clinic 1 does not own
      const otherDoctor = await createDoctor(t.dataSource, elsewhere, { fullName: 'Dr. Other' });
      const otherAmir = await createPatient(t.dataSource, elsewhere, { firstName: 'Amir', lastName: 'Elsewhere', phone: PHONE, username: 'amir' });
      const elsewhereIds: string[] = [];
      for (let i = 0; i < 60 && elsewhereIds.length < 2; i += 1) {
        const id = await completedVisit(elsewhere, otherDoctor, otherAmir, '2026-11-10', `${String(8 + Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`);
        if (!(await asClinic<unknown[]>(t.dataSource, clinic, 'SELECT 1 FROM appointments WHERE id = $1 AND patient_id = $2', [id, amir.id])).length) elsewhereIds.push(id);
      }
      expect(elsewhereIds).toHaveLength(2);

      const routes = listRoutes(t.app).filter((r) => /^\/(api\/v1\/)?portal\//.test(r.path) && r.path.includes(':id'));
      const byPath = routes.map((r) => `${r.method} ${r.path}`);
      expect(byPath).toEqual(
        expect.arrayContaining([
          'GET /portal/visits/:id',
          'GET /portal/visits/:id/prescription',
          'GET /portal/visits/:id/prescription.pdf',
          'POST /portal/appointments/:id/cancel',
          'GET /api/v1/portal/appointments/:id',
          'POST /api/v1/portal/appointments/:id/cancel',
          'GET /api/v1/portal/visits/:id',
        ]),
      );
      const token = await tokenOf(amirUser);
      const browser = await signedInBrowser(t.url, host, amirUser);
      const call = (method: string, path: string) =>
        path.startsWith('/api/') ? api(token, method, path, method === 'POST' ? {} : undefined) : method === 'POST' ? browser.post(path, {}) : browser.get(path);
      // the language switch's links echo the path asked for (back=…), which the asker knows already
      const strip = (body: string) => body.replace(/\d{3,}|"[^"]*csrf[^"]*"|value="[^"]*"|[A-Za-z0-9_-]{40,}|back&#x3D;[^"]*/gi, '');
      for (const route of routes) {
        if (route.path.includes('/doctors/')) continue; // a doctor's slots: the clinic's doctors are no one's secret
        const unknown = await call(route.method, route.path.replace(':id', '999999'));
        expect(unknown.status).toBe(404);
        for (const id of [bobsVisit, bobsNext, ...elsewhereIds]) {
          const res = await call(route.method, route.path.replace(':id', id));
          expect({ route: `${route.method} ${route.path}`, id, status: res.status }).toEqual({ route: `${route.method} ${route.path}`, id, status: 404 });
          // no oracle: exactly the answer of an id that exists nowhere
          expect(strip(res.body)).toBe(strip(unknown.body));
          expect(res.body).not.toContain('Mild angina');
          expect(res.body).not.toContain('Bob');
        }
      }
      expect(await statusOf(bobsNext)).toBe('scheduled');
      // and Amir's token is for clinic 1 only
      expect((await api(token, 'GET', `/api/v1/portal/visits/${elsewhereIds[0]}`, undefined, `${elsewhere.slug}.localhost`)).status).toBe(401);
    });
  });

  describe('who may use the portal', () => {
    it('refuses staff routes to a patient token and portal routes to staff', async () => {
      const token = await tokenOf(amirUser);
      for (const path of ['/api/v1/appointments', '/api/v1/patients', '/api/v1/settings', '/api/v1/schedule']) {
        expect({ path, status: (await api(token, 'GET', path)).status }).toEqual({ path, status: 403 });
      }
      const adminToken = await apiToken(t.url, host, admin);
      expect((await api(adminToken, 'GET', '/api/v1/portal/appointments')).status).toBe(403);
    });

    it('ends an idle patient token like a browser session', async () => {
      setClock('2026-11-23T07:00:00Z');
      const token = await tokenOf(amirUser);
      expect((await api(token, 'GET', '/api/v1/portal/appointments')).status).toBe(200);
      clock.advance(31 * 60_000);
      const res = await api(token, 'GET', '/api/v1/portal/appointments');
      expect(res.status).toBe(401);
      expect(error(res).code).toBe('session_ended');
    });

    it('tells a patient whose file is not linked yet to ask at the desk, and books nothing', async () => {
      const loose = await createUser(t.dataSource, clinic, { role: 'patient', username: 'nofile', phone: PHONE });
      const browser = await signedInBrowser(t.url, host, loose);
      const home = await browser.get('/portal');
      expect(home.status).toBe(200);
      expect(home.body).toContain('has not linked a patient file to your account yet');
      const res = await api(await tokenOf(loose), 'POST', '/api/v1/portal/appointments', { doctorId: ahmed.doctorId, date: '2026-11-25', time: '10:00' });
      expect(res.status).toBe(409);
      expect(error(res).code).toBe('no_patient_file');
    });
  });

  describe('clinic settings', () => {
    it('lets the owner set the phone and the portal rules, with clear refusals; audited; other clinics untouched', async () => {
      const owner = await signedInBrowser(t.url, host, admin);
      const page = await owner.get('/admin/settings');
      expect(page.status).toBe(200);
      expect(page.body).toContain('value="02 23456789"');
      const fields = { contactPhone: '02 2345 6780', address: '12 Tahrir St', maxFutureAppointments: '3', minHoursAhead: '2', maxDaysAhead: '30', cancelCutoffHours: '0' };
      const bad = await owner.post('/admin/settings', { ...fields, contactPhone: '12', maxDaysAhead: '400' });
      expect(bad.status).toBe(422);
      expect(bad.body).toContain('Enter how many days ahead patients may book online, from 1 to 365');
      const badPhone = await owner.post('/admin/settings', { ...fields, contactPhone: '12' });
      expect(badPhone.status).toBe(422);
      expect(badPhone.body).toContain('12 is not a phone number the clinic can be called on');
      const saved = await owner.post('/admin/settings', fields);
      expect(saved.status).toBe(303);
      const again = await owner.get(saved.headers.location as string);
      expect(again.body).toContain('Settings saved.');
      expect(again.body).toContain('value="02 23456780"');
      expect(again.body).toContain('name="cancelCutoffHours" type="text" value="0"');

      const token = await apiToken(t.url, host, admin);
      const patch = await api(token, 'PATCH', '/api/v1/settings', { maxFutureAppointments: 2, contactPhone: '' });
      expect(patch.status).toBe(200);
      expect(patch.json()).toMatchObject({ contactPhone: null, address: '12 Tahrir St', portal: { maxFutureAppointments: 2, minHoursAhead: 2, maxDaysAhead: 30, cancelCutoffHours: 0 } });
      const [audit] = await asClinic<{ details: Record<string, unknown> }[]>(t.dataSource, clinic, `SELECT details FROM audit_log WHERE action = 'settings.updated' ORDER BY id DESC LIMIT 1`);
      expect(audit.details).toEqual({ contactPhone: null, maxFutureAppointments: 2 });
      const [theirs] = await asClinic<{ portal_max_future: number; contact_phone: string | null }[]>(t.dataSource, elsewhere, 'SELECT portal_max_future, contact_phone FROM clinic_settings');
      expect(theirs).toEqual({ portal_max_future: 2, contact_phone: null });

      const desk = await createUser(t.dataSource, clinic, { role: 'reception' });
      expect((await (await signedInBrowser(t.url, host, desk)).get('/admin/settings')).status).toBe(403);
      await asClinic(t.dataSource, clinic, `UPDATE clinic_settings SET contact_phone = '+20223456789', portal_min_hours_ahead = 1, portal_max_days_ahead = 60, portal_cancel_cutoff_hours = 2`);
    });
  });
});
