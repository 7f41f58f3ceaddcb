import type { Tenant } from '../../src/platform/tenant';
import type { ClinicClient } from '../support/clinic-client';
import { ManualClock } from '../support/clinic-client';
import { createDoctor, createPatient, type TestDoctor, type TestPatient } from '../support/front-desk';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

/** Dr. Ahmed's console at 10:45 on Monday 2026-11-23 in Cairo (UTC+2 in November). */
describe('the doctor’s schedule, patients and patient history', () => {
  let t: TestApp;
  const clock = new ManualClock(Date.parse('2026-11-23T08:45:00Z'));
  let clinic: Tenant;
  let other: Tenant;
  let host: string;
  let ahmed: TestDoctor;
  let basma: TestDoctor;
  let reception: TestUser;
  let admin: TestUser;
  let amir: TestPatient;
  let mona: TestPatient;
  let salma: TestPatient;
  let bilal: TestPatient;
  let foreignPatientId: string;
  let ahmedClient: ClinicClient;
  /** Appointment ids by name. */
  const ids: Record<string, string> = {};

  /** An appointment of 15 minutes at a local Cairo time, written with SQL as the clinic. */
  async function appointment(doctor: TestDoctor, patient: TestPatient, cairo: string, status = 'scheduled', isPriority = false): Promise<string> {
    const startsAt = new Date(`${cairo}:00+02:00`);
    const [row] = await asClinic<{ id: string }[]>(
      t.dataSource,
      clinic,
      `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, is_priority, cancelled_at, cancel_reason)
       VALUES ($1, $2, $3, $3::timestamptz + interval '15 minutes', $4, $5, CASE WHEN $4 = 'cancelled' THEN now() END, CASE WHEN $4 = 'cancelled' THEN 'Called off' END)
       RETURNING id`,
      [patient.id, doctor.doctorId, startsAt, status, isPriority],
    );
    return row.id;
  }

  /** A completed visit with its consultation (what the visit screen writes), returning the consultation id. */
  async function visit(doctor: TestDoctor, patient: TestPatient, cairo: string, diagnosis: string, symptoms = '', notes = ''): Promise<string> {
    const appointmentId = await appointment(doctor, patient, cairo, 'completed');
    const [row] = await asClinic<{ id: string }[]>(
      t.dataSource,
      clinic,
      'INSERT INTO consultations (appointment_id, symptoms, diagnosis, notes, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [appointmentId, symptoms, diagnosis, notes, doctor.id],
    );
    return row.id;
  }

  /** Handlebars escapes `=` in attribute values. */
  const attr = (value: string) => value.replace(/=/g, '&#x3D;');
  const rowIds = (html: string) => [...html.matchAll(/id="queue-appointment-(\d+)"/g)].map((m) => m[1]);
  const count = (html: string, name: string) => new RegExp(`data-count="${name}">(\\d+)<`).exec(html)?.[1];

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { SIGN_IN_RATE_LIMIT: '10000' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('schedule') });
    other = await createClinic(t.dataSource, { slug: uniqueSlug('schedule-other') });
    host = `${clinic.slug}.localhost`;
    ahmed = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan' });
    basma = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Basma Nour', specialty: 'Dermatology' });
    reception = await createUser(t.dataSource, clinic, { role: 'reception', fullName: 'Sarah Mahmoud' });
    admin = await createUser(t.dataSource, clinic, { role: 'admin', fullName: 'Mr. Kareem' });
    amir = await createPatient(t.dataSource, clinic, { firstName: 'Amir', lastName: 'Hassan', dateOfBirth: '1985-06-15', phone: '+201012345678' });
    mona = await createPatient(t.dataSource, clinic, { firstName: 'Mona', lastName: 'Adel', gender: 'female' });
    salma = await createPatient(t.dataSource, clinic, { firstName: 'Salma', lastName: 'Fathy', gender: 'female' });
    bilal = await createPatient(t.dataSource, clinic, { firstName: 'Bilal', lastName: 'Saad' });

    // today: Ahmed's queue, with a cancelled and a priority booking at the same time (cancelled first by id)
    ids.monaEarly = await appointment(ahmed, mona, '2026-11-23T09:30', 'completed');
    ids.amirCancelled = await appointment(ahmed, amir, '2026-11-23T10:00', 'cancelled');
    ids.salmaPriority = await appointment(ahmed, salma, '2026-11-23T10:00', 'checked_in', true);
    ids.amirToday = await appointment(ahmed, amir, '2026-11-23T11:00');
    ids.monaLate = await appointment(ahmed, mona, '2026-11-23T11:30');
    ids.bilalWithBasma = await appointment(basma, bilal, '2026-11-23T10:00');
    ids.amirTomorrow = await appointment(ahmed, amir, '2026-11-24T12:00');

    // Amir's history: 12 completed visits on 1…12 November, the newest with the seed story's record
    for (let day = 1; day <= 11; day += 1) {
      await visit(day % 2 ? ahmed : basma, amir, `2026-11-${String(day).padStart(2, '0')}T10:00`, `Visit ${day}`);
    }
    const newest = await visit(ahmed, amir, '2026-11-12T10:30', 'Mild angina', 'Chest pain, shortness of breath', 'Rest & <avoid> exertion');
    await asClinic(
      t.dataSource,
      clinic,
      `INSERT INTO prescriptions (consultation_id, position, medication_name, dosage, duration, instructions) VALUES ($1, 1, 'Aspirin', '100 mg daily', '30 days', 'After food')`,
      [newest],
    );
    await asClinic(t.dataSource, clinic, `INSERT INTO requirements (consultation_id, position, kind, description) VALUES ($1, 1, 'lab', 'ECG')`, [newest]);
    await asClinic(
      t.dataSource,
      clinic,
      `INSERT INTO consultation_amendments (consultation_id, text, created_by, created_at) VALUES
         ($1, 'Second thought: also check potassium', $2, '2026-11-13T09:00:00Z'),
         ($1, 'First correction: dose is 81 mg', $3, '2026-11-12T12:00:00Z')`,
      [newest, basma.id, ahmed.id],
    );

    const [foreign] = await asClinic<{ id: string }[]>(
      t.dataSource,
      other,
      `INSERT INTO patients (id, first_name, last_name, date_of_birth, gender) OVERRIDING SYSTEM VALUE VALUES (900001, 'Far', 'Away', '1990-01-01', 'male') RETURNING id`,
    );
    foreignPatientId = foreign.id;
    ahmedClient = await signedInBrowser(t.url, host, ahmed);
  });

  afterAll(() => t.close());

  describe('my schedule', () => {
    it("shows only the signed-in doctor's appointments today, by time with priority first, with the counts", async () => {
      const res = await ahmedClient.get('/doctor');
      expect(res.status).toBe(200);
      expect(res.body).toContain('<html');
      expect(res.body).toContain('Dr. Ahmed Hassan');
      expect(rowIds(res.body)).toEqual([ids.monaEarly, ids.salmaPriority, ids.amirCancelled, ids.amirToday, ids.monaLate]);
      expect(res.body).not.toContain('Bilal Saad');
      expect(count(res.body, 'total')).toBe('4');
      expect(count(res.body, 'waiting')).toBe('2');
      expect(count(res.body, 'checked-in')).toBe('1');
      expect(count(res.body, 'completed')).toBe('1');
      // the patient links to the history, and only a visit still to be seen can be started
      expect(res.body).toContain(`href="/doctor/patients/${amir.id}"`);
      expect(res.body).toContain(`href="/visits/${ids.amirToday}"`);
      expect(res.body).toContain(`href="/visits/${ids.salmaPriority}"`);
      expect(res.body).not.toContain(`href="/visits/${ids.monaEarly}"`);
      expect(res.body).not.toContain(`href="/visits/${ids.amirCancelled}"`);
      // polls, and refreshes when another panel changes an appointment
      expect(res.body).toMatch(/id="queue"[^>]*hx-get="\/doctor"[^>]*hx-trigger="appointments-changed from:body, every 60s"/);
      expect(res.body).toContain('<caption>');
      expect(res.body).toContain('<th scope="col">Time</th>');
      expect(res.body).toContain('aria-label="Schedule days"');
    });

    it('navigates to the next and previous days in the clinic’s time zone', async () => {
      const today = await ahmedClient.get('/doctor');
      expect(today.body).toContain(`href="${attr('/doctor?date=2026-11-24')}"`);
      expect(today.body).toContain(`href="${attr('/doctor?date=2026-11-22')}"`);

      const tomorrow = await ahmedClient.get('/doctor?date=2026-11-24');
      expect(tomorrow.status).toBe(200);
      expect(rowIds(tomorrow.body)).toEqual([ids.amirTomorrow]);
      expect(tomorrow.body).toContain('12:00');
      expect(count(tomorrow.body, 'total')).toBe('1');
      expect(tomorrow.body).toContain(`href="${attr('/doctor?date=2026-11-25')}"`);
      expect(tomorrow.body).toMatch(/id="queue"[^>]*hx-get="\/doctor\?date&#x3D;2026-11-24"/);

      const empty = await ahmedClient.get('/doctor?date=2026-11-22');
      expect(rowIds(empty.body)).toEqual([]);
      expect(empty.body).toContain('No appointments on this day.');

      expect((await ahmedClient.get('/doctor?date=2026-02-30')).status).toBe(422);
      expect((await ahmedClient.get('/doctor?date=tomorrow')).status).toBe(422);
    });

    it('answers HTMX with the queue fragment only', async () => {
      const res = await ahmedClient.get('/doctor?date=2026-11-23', { 'HX-Request': 'true' });
      expect(res.status).toBe(200);
      expect(res.body).not.toContain('<html');
      expect(res.body.trim()).toMatch(/^(\{\{!--[\s\S]*?--\}\}\s*)?<section id="queue"/);
      expect(rowIds(res.body)).toHaveLength(5);
      expect(String(res.headers.vary)).toMatch(/HX-Request/i);
    });

    it("shows the other doctor only their own queue", async () => {
      const c = await signedInBrowser(t.url, host, basma);
      const res = await c.get('/doctor');
      expect(rowIds(res.body)).toEqual([ids.bilalWithBasma]);
      expect(count(res.body, 'total')).toBe('1');
      expect(res.body).not.toContain('Amir Hassan');
    });

    it('greets a doctor user without doctor’s terms with an empty state', async () => {
      const bare = await createUser(t.dataSource, clinic, { role: 'doctor', fullName: 'Dr. Not Yet' });
      const c = await signedInBrowser(t.url, host, bare);
      const res = await c.get('/doctor');
      expect(res.status).toBe(200);
      expect(res.body).toContain('Dr. Not Yet');
      expect(res.body).toContain('not set up as a doctor');
      expect((await c.get('/doctor/patients')).status).toBe(200);
    });
  });

  describe('patients', () => {
    it("lists every patient of the clinic with the next appointment with this doctor and the last visit", async () => {
      const res = await ahmedClient.get('/doctor/patients');
      expect(res.status).toBe(200);
      for (const p of [amir, mona, salma, bilal]) expect(res.body).toContain(`href="/doctor/patients/${p.id}"`);
      const row = (p: TestPatient) => new RegExp(`id="doctor-patient-${p.id}">([\\s\\S]*?)</tr>`).exec(res.body)![1];
      expect(row(amir)).toContain('2026-11-23 11:00');
      expect(row(amir)).toContain('Mild angina');
      expect(row(amir)).toContain('2026-11-12');
      // Bilal sees Dr. Basma, not Dr. Ahmed: no next appointment with Ahmed
      expect(/data-next>([\s\S]*?)<\/td>/.exec(row(bilal))![1]).toContain('None');
      expect(row(mona)).toContain('2026-11-23 11:30');
    });

    it('searches as the front desk does, and answers HTMX with the results only', async () => {
      const res = await ahmedClient.get('/doctor/patients?q=bilal', { 'HX-Request': 'true' });
      expect(res.status).toBe(200);
      expect(res.body).not.toContain('<html');
      expect(res.body).toContain('id="doctor-patient-results"');
      expect(res.body).toContain('Bilal Saad');
      expect(res.body).not.toContain('Amir Hassan');
      const byPhone = await ahmedClient.get('/doctor/patients?q=0101 234 5678', {});
      expect(byPhone.body).toContain('Amir Hassan');
    });
  });

  describe('patient history', () => {
    it('shows the details and the visits newest first, with prescriptions, requirements and amendments, and audits the look', async () => {
      const res = await ahmedClient.get(`/doctor/patients/${amir.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toContain('Amir Hassan');
      expect(res.body).toContain('41 (born 1985-06-15)');
      expect(res.body).toContain('Male');
      expect(res.body).toContain('+201012345678');
      const headings = [...res.body.matchAll(/<h3 id="visit-\d+-heading"><time[^>]*>([^<]+)<\/time> · <bdi>([^<]+)<\/bdi>/g)].map((m) => `${m[1]} ${m[2]}`);
      expect(headings).toHaveLength(10);
      expect(headings[0]).toBe('2026-11-12 10:30 Dr. Ahmed Hassan');
      expect(headings[1]).toBe('2026-11-11 10:00 Dr. Ahmed Hassan');
      expect(headings[2]).toBe('2026-11-10 10:00 Dr. Basma Nour');
      expect(res.body).toContain('Chest pain, shortness of breath');
      expect(res.body).toContain('Rest &amp; &lt;avoid&gt; exertion');
      expect(res.body).toContain('Aspirin');
      expect(res.body).toContain('100 mg daily');
      expect(res.body).toContain('ECG');
      const first = res.body.indexOf('First correction: dose is 81 mg');
      const second = res.body.indexOf('Second thought: also check potassium');
      expect(first).toBeGreaterThan(0);
      expect(second).toBeGreaterThan(first);
      expect(res.body).toContain('2026-11-13 11:00');
      expect(res.body).toContain(`href="${attr(`/doctor/patients/${amir.id}?page=2`)}"`);

      const audit = await asClinic<{ actor_id: string; entity: string }[]>(
        t.dataSource,
        clinic,
        `SELECT actor_id, entity FROM audit_log WHERE action = 'patient.history_viewed' AND entity_id = $1`,
        [amir.id],
      );
      expect(audit.length).toBeGreaterThanOrEqual(1);
      expect(audit[0]).toEqual({ actor_id: ahmed.id, entity: 'patient' });
    });

    it('pages the visits ten at a time (page 2 of 12 has the 2 oldest), as an HTMX fragment too', async () => {
      const res = await ahmedClient.get(`/doctor/patients/${amir.id}?page=2`, { 'HX-Request': 'true' });
      expect(res.status).toBe(200);
      expect(res.body).not.toContain('<html');
      const diagnoses = [...res.body.matchAll(/<dt>Diagnosis<\/dt><dd dir="auto">([^<]+)<\/dd>/g)].map((m) => m[1]);
      expect(diagnoses).toEqual(['Visit 2', 'Visit 1']);
      expect(res.body).toContain('page 2 of 2');
    });

    it('shows a patient without visits', async () => {
      const res = await ahmedClient.get(`/doctor/patients/${bilal.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toContain('No visits yet.');
    });

    it("answers 404 for another clinic's patient, an unknown id and a malformed one", async () => {
      for (const id of [foreignPatientId, '999999', 'abc', '1;DROP']) {
        expect((await ahmedClient.get(`/doctor/patients/${id}`)).status).toBe(404);
      }
    });
  });

  describe('access', () => {
    it.each(['reception', 'admin'] as const)('refuses %s the doctor’s pages (403)', async (role) => {
      const c = await signedInBrowser(t.url, host, role === 'admin' ? admin : reception);
      for (const path of ['/doctor', '/doctor/patients', `/doctor/patients/${amir.id}`]) expect((await c.get(path)).status).toBe(403);
    });
  });

  describe('API', () => {
    it("gives a doctor the history, a page at a time, and refuses another clinic's patient", async () => {
      const token = await apiToken(t.url, host, ahmed);
      const res = await apiCall(t.url, host, token, 'GET', `/api/v1/patients/${amir.id}/history?page=2`);
      expect(res.status).toBe(200);
      const body = res.json<{ patient: Record<string, unknown>; visits: { diagnosis: string; doctorName: string }[]; page: number; pages: number }>();
      expect(body.patient).toMatchObject({ id: amir.id, fullName: 'Amir Hassan', age: 41, gender: 'male', phone: '+201012345678' });
      expect(body.page).toBe(2);
      expect(body.pages).toBe(2);
      expect(body.visits.map((v) => v.diagnosis)).toEqual(['Visit 2', 'Visit 1']);

      const first = (await apiCall(t.url, host, token, 'GET', `/api/v1/patients/${amir.id}/history`)).json<{
        visits: { diagnosis: string; time: string; prescriptions: { medicationName: string }[]; requirements: { kind: string }[]; amendments: { text: string; authorName: string }[] }[];
      }>();
      expect(first.visits).toHaveLength(10);
      expect(first.visits[0]).toMatchObject({ diagnosis: 'Mild angina', time: '10:30', prescriptions: [{ medicationName: 'Aspirin' }], requirements: [{ kind: 'lab' }] });
      expect(first.visits[0].amendments.map((a) => a.authorName)).toEqual(['Dr. Ahmed Hassan', 'Dr. Basma Nour']);

      const foreign = await apiCall(t.url, host, token, 'GET', `/api/v1/patients/${foreignPatientId}/history`);
      expect(foreign.status).toBe(404);
      expect(foreign.json<{ error: { code: string } }>().error.code).toBe('patient_not_found');
    });

    it('gives the clinic owner the history too, but not the front desk', async () => {
      const owner = await apiToken(t.url, host, admin);
      expect((await apiCall(t.url, host, owner, 'GET', `/api/v1/patients/${amir.id}/history`)).status).toBe(200);
      const desk = await apiToken(t.url, host, reception);
      expect((await apiCall(t.url, host, desk, 'GET', `/api/v1/patients/${amir.id}/history`)).status).toBe(403);
      expect((await apiCall(t.url, host, owner, 'GET', '/api/v1/schedule')).status).toBe(403);
    });

    it("gives a doctor their own queue for a date", async () => {
      const token = await apiToken(t.url, host, ahmed);
      const today = await apiCall(t.url, host, token, 'GET', '/api/v1/schedule');
      expect(today.status).toBe(200);
      const body = today.json<{ date: string; counts: Record<string, number>; appointments: { id: string; time: string; isPriority: boolean }[] }>();
      expect(body.date).toBe('2026-11-23');
      expect(body.counts).toEqual({ total: 4, waiting: 2, checkedIn: 1, completed: 1 });
      expect(body.appointments.map((a) => a.id)).toEqual([ids.monaEarly, ids.salmaPriority, ids.amirCancelled, ids.amirToday, ids.monaLate]);

      const tomorrow = (await apiCall(t.url, host, token, 'GET', '/api/v1/schedule?date=2026-11-24')).json<{ appointments: { id: string; time: string }[] }>();
      expect(tomorrow.appointments).toEqual([expect.objectContaining({ id: ids.amirTomorrow, time: '12:00' })]);

      const bad = await apiCall(t.url, host, token, 'GET', '/api/v1/schedule?date=2026-13-01');
      expect(bad.status).toBe(422);
      expect(bad.json<{ error: { code: string } }>().error.code).toBe('invalid_date');
    });
  });
});
