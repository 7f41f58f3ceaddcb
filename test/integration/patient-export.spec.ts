import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PatientExport } from '../../src/patients/patient-export';
import { withoutLinks } from '../../src/patients/patient-export';
import type { Tenant } from '../../src/platform/tenant';
import { type ClinicClient, ManualClock } from '../support/clinic-client';
import { createDoctor, type TestDoctor } from '../support/front-desk';
import type { HttpResponse } from '../support/http';
import { pdfRuns, pdfText } from '../support/pdf';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

type ErrorBody = { error: { code: string; message: string } };

/** A patient registered through the API, with what the tests look for. */
interface Registered {
  readonly id: string;
  readonly fileNumber: string;
  readonly fullName: string;
  readonly phone: string;
  readonly username: string;
  readonly user: TestUser;
}

/** Every value held under `key` anywhere in a JSON value (audit details included). */
function valuesOf(value: unknown, key: string, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => valuesOf(v, key, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key && v !== null && typeof v !== 'object') found.push(String(v));
      valuesOf(v, key, found);
    }
  }
  return found;
}

/** A GET answered with bytes, with the cookies given (the session, and a language choice). */
function download(baseUrl: string, host: string, path: string, cookies: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const cookie = Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ');
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, baseUrl), { headers: { host, cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const pageCount = (pdf: Buffer): number => Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(pdf.toString('latin1'))![1]);

describe('patient data export (right of access)', () => {
  // Monday 2026-11-23, 09:00 in Cairo (UTC+2)
  const clock = new ManualClock(Date.parse('2026-11-23T07:00:00Z'));
  const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());
  const dataDir = mkdtempSync(join(tmpdir(), 'clinic-export-'));
  let t: TestApp;
  let clinic: Tenant;
  let other: Tenant;
  let host: string;
  let otherHost: string;
  let owner: TestUser;
  let desk: TestUser;
  let doctor: TestDoctor;
  let amir: Registered;
  let zeinab: Registered;
  /** Clinic B's patient, whose id is not a patient id in clinic A. */
  let omarId: string;
  let otherOwner: TestUser;
  const ids = { appointments: [] as string[], zeinabAppointments: [] as string[] };
  let consultationId: string;
  let zeinabConsultationId: string;

  const sql = <T = Record<string, unknown>[]>(query: string, params: unknown[] = [], at = clinic) => asClinic<T>(t.dataSource, at, query, params);
  const tokens = new Map<string, string>();
  /** An API call as `user`, signed in again if the clock has moved (an idle session ends by the app's clock without Redis). */
  const api = async (user: TestUser, method: string, path: string, body?: unknown, onHost = host): Promise<HttpResponse> => {
    const key = `${user.id}@${onHost}@${clock.now().getTime()}`;
    if (!tokens.has(key)) tokens.set(key, await apiToken(t.url, onHost, user));
    return apiCall(t.url, onHost, tokens.get(key)!, method, path, body);
  };
  const ok = async (res: Promise<HttpResponse>, status = 200): Promise<HttpResponse> => {
    const done = await res;
    if (done.status !== status) throw new Error(`expected ${status}, got ${done.status}: ${done.body}`);
    return done;
  };
  const book = async (who: Registered, date: string, time: string): Promise<string> =>
    (await ok(api(desk, 'POST', '/api/v1/appointments', { patientId: who.id, doctorId: doctor.doctorId, date, time }), 201)).json<{ id: string }>().id;

  async function register(input: { firstName: string; lastName: string; phone: string; username: string; email: string; nationalId: string; address: string }): Promise<Registered> {
    const res = await ok(api(desk, 'POST', '/api/v1/patients', { ...input, dateOfBirth: '1980-02-03', gender: 'male' }), 201);
    const p = res.json<{ id: string; fileNumber: string; fullName: string; phone: string }>();
    const [user] = await sql<{ id: string }[]>('SELECT user_id::text AS id FROM patients WHERE id = $1', [p.id]);
    return { ...p, username: input.username, user: { id: user.id, username: input.username, phone: p.phone, fullName: p.fullName, role: 'patient' } };
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { DATA_DIR: dataDir, SIGN_IN_RATE_LIMIT: '10000', ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}) } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('export'), displayName: 'Nile Export Clinic' });
    other = await createClinic(t.dataSource, { slug: uniqueSlug('export-b'), displayName: 'Other Clinic' });
    host = `${clinic.slug}.localhost`;
    otherHost = `${other.slug}.localhost`;
    owner = await createUser(t.dataSource, clinic, { role: 'admin', fullName: 'Owner Olfat' });
    desk = await createUser(t.dataSource, clinic, { role: 'reception', fullName: 'Desk Dalia' });
    doctor = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan', fee: '150.00' });
    await sql('UPDATE clinic_settings SET no_show_penalty = 50');

    amir = await register({ firstName: 'Amir', lastName: 'Hassan', phone: '01001234567', username: 'amir.h', email: 'amir@example.com', nationalId: 'AMIR-1234', address: '5 Nile St' });
    zeinab = await register({ firstName: 'Zeinab', lastName: 'Qasimova', phone: '01009998877', username: 'zeinab.q', email: 'zeinab@example.com', nationalId: 'ZQ-998877', address: '9 Zamalek Rd' });
    await ok(api(desk, 'PATCH', `/api/v1/patients/${amir.id}`, { address: '7 Nile St' }));

    // Amir's history: a completed visit (prescription, requirement, follow-up, invoice paid, amendment),
    // a no-show with its penalty paid, a cancellation, a wait for a freed time, notices, portal sign-ins
    const visit = await book(amir, '2026-11-23', '10:00');
    const missed = await book(amir, '2026-11-23', '09:30');
    const cancelled = await book(amir, '2026-11-25', '10:00');
    ids.appointments.push(visit, missed, cancelled);
    await ok(api(desk, 'POST', '/api/v1/waitlist', { patientId: amir.id, doctorId: doctor.doctorId, fromDate: '2026-11-24', toDate: '2026-11-24', notes: 'Mornings please' }), 201);
    await ok(api(desk, 'POST', `/api/v1/appointments/${visit}/status`, { status: 'checked_in' }));
    await ok(
      api(doctor, 'POST', `/api/v1/visits/${visit}/complete`, {
        symptoms: 'Cough for a week',
        diagnosis: 'Acute bronchitis',
        notes: 'Non-smoker',
        prescriptions: [{ medicationName: 'Amoxicillin', dosage: '500 mg', duration: '7 days', instructions: 'After meals' }],
        requirements: [{ kind: 'lab', description: 'Complete blood count' }],
        followUp: { after: '1m', note: 'Recheck the chest' },
      }),
      201,
    );
    await ok(api(doctor, 'POST', `/api/v1/visits/${visit}/amendments`, { text: 'Allergic to penicillin: switch if a rash appears' }), 201);
    const [invoice] = await sql<{ id: string }[]>('SELECT id::text FROM invoices WHERE appointment_id = $1', [visit]);
    await ok(api(desk, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { method: 'cash', reference: 'R-77' }), 201);
    await ok(api(desk, 'POST', `/api/v1/appointments/${cancelled}/status`, { status: 'cancelled', reason: 'Travelling abroad' }));
    [{ id: consultationId }] = await sql<{ id: string }[]>('SELECT id::text FROM consultations WHERE appointment_id = $1', [visit]);

    // Zeinab, same clinic: her own visit, invoice and a cancellation that frees a time Amir is waiting for
    const hers = await book(zeinab, '2026-11-23', '10:30');
    const freed = await book(zeinab, '2026-11-24', '11:00');
    ids.zeinabAppointments.push(hers, freed);
    await ok(api(desk, 'POST', `/api/v1/appointments/${hers}/status`, { status: 'checked_in' }));
    await ok(api(doctor, 'POST', `/api/v1/visits/${hers}/complete`, { diagnosis: 'Zygomatic sprain', prescriptions: [{ medicationName: 'Zetamycin' }], followUp: { after: '2w' } }), 201);
    await ok(api(desk, 'POST', `/api/v1/appointments/${freed}/status`, { status: 'cancelled', reason: 'Zeinab-only reason' }));
    [{ id: zeinabConsultationId }] = await sql<{ id: string }[]>('SELECT id::text FROM consultations WHERE appointment_id = $1', [hers]);
    await apiToken(t.url, host, zeinab.user);

    setClock('2026-11-23T07:50:00Z'); // 09:50: the 09:30 appointment was missed
    await ok(api(desk, 'POST', `/api/v1/appointments/${missed}/status`, { status: 'no_show' }));
    const penalties = (await ok(api(desk, 'GET', `/api/v1/patients/${amir.id}/penalties`))).json<{ penalties: { id: string }[] }>().penalties;
    await ok(api(desk, 'POST', `/api/v1/penalties/${penalties[0].id}/pay`));
    await apiToken(t.url, host, amir.user); // the patient signs in to the portal

    // clinic B: more patients than clinic A has, so its last one's id names nobody in clinic A
    otherOwner = await createUser(t.dataSource, other, { role: 'admin' });
    for (let i = 0; i < 3; i++) {
      const [row] = await sql<{ id: string }[]>(
        `INSERT INTO patients (first_name, last_name, date_of_birth, gender, phone) VALUES ('Omar', $1, '1970-01-01', 'male', '+201005550000') RETURNING id::text`,
        [`Betaclinic${i}`],
        other,
      );
      omarId = row.id;
    }
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('JSON over the API', () => {
    let doc: PatientExport;
    let raw: string;

    beforeAll(async () => {
      const res = await ok(api(owner, 'GET', `/api/v1/patients/${amir.id}/export`));
      raw = res.body;
      doc = res.json<PatientExport>();
    });

    it('has the documented envelope: format, version, when, by whom, the clinic and the file', () => {
      expect(doc).toMatchObject({
        format: 'clinic-patient-export',
        version: 1,
        exportedAt: clock.now().toISOString(),
        exportedBy: { id: owner.id, name: 'Owner Olfat' },
        clinic: { name: 'Nile Export Clinic', timeZone: 'Africa/Cairo', currency: 'EGP' },
        patient: { id: amir.id, fileNumber: amir.fileNumber, firstName: 'Amir', lastName: 'Hassan', phone: '+201001234567', email: 'amir@example.com', nationalId: 'AMIR-1234', address: '7 Nile St', dateOfBirth: '1980-02-03' },
        portalAccount: { id: amir.user.id, username: 'amir.h', phone: '+201001234567', isActive: true, failedSignIns: 0 },
      });
      expect(Object.keys(doc)).toEqual(['format', 'version', 'exportedAt', 'exportedBy', 'clinic', 'patient', 'portalAccount', 'appointments', 'visits', 'invoices', 'penalties', 'followUps', 'waitlist', 'notices', 'audit']);
      expect(raw).not.toMatch(/password|passwordHash|password_hash|\$argon2/i);
    });

    it('holds every record of the patient, as many as the database has for them, table by table', async () => {
      const count = async (query: string) => (await sql<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${query}`, [amir.id]))[0].n;
      expect(doc.appointments.map((a) => a.id).sort()).toEqual([...ids.appointments].sort());
      expect(doc.appointments).toHaveLength(await count('appointments WHERE patient_id = $1'));
      expect(doc.appointments.map((a) => a.status).sort()).toEqual(['cancelled', 'completed', 'no_show']);
      expect(doc.appointments.find((a) => a.status === 'cancelled')).toMatchObject({ cancelReason: 'Travelling abroad', bookedBy: { name: 'Desk Dalia', role: 'reception' } });

      expect(doc.visits).toHaveLength(await count('consultations c JOIN appointments a ON a.id = c.appointment_id WHERE a.patient_id = $1'));
      expect(doc.visits[0]).toMatchObject({
        consultationId,
        appointmentId: ids.appointments[0],
        doctor: { name: 'Dr. Ahmed Hassan', specialty: 'Cardiology' },
        symptoms: 'Cough for a week',
        diagnosis: 'Acute bronchitis',
        prescriptions: [{ position: 1, medicationName: 'Amoxicillin', dosage: '500 mg', duration: '7 days', instructions: 'After meals' }],
        requirements: [{ position: 1, kind: 'lab', description: 'Complete blood count' }],
        amendments: [{ text: 'Allergic to penicillin: switch if a rash appears', by: { name: doctor.fullName, role: 'doctor' } }],
      });
      const rx = await count('prescriptions x JOIN consultations c ON c.id = x.consultation_id JOIN appointments a ON a.id = c.appointment_id WHERE a.patient_id = $1');
      expect(doc.visits.flatMap((v) => v.prescriptions)).toHaveLength(rx);

      expect(doc.invoices).toHaveLength(await count('invoices i JOIN appointments a ON a.id = i.appointment_id WHERE a.patient_id = $1'));
      expect(doc.invoices[0]).toMatchObject({ appointmentId: ids.appointments[0], amount: '150.00', paidAmount: '150.00', balance: '0.00', status: 'paid' });
      expect(doc.invoices[0].payments).toEqual([expect.objectContaining({ amount: '150.00', method: 'cash', paidOn: '2026-11-23', reference: 'R-77' })]);

      expect(doc.penalties).toHaveLength(await count('penalties WHERE patient_id = $1'));
      expect(doc.penalties[0]).toMatchObject({ appointmentId: ids.appointments[1], amount: '50.00', status: 'paid' });
      expect(doc.followUps).toHaveLength(await count('follow_ups WHERE patient_id = $1'));
      expect(doc.followUps[0]).toMatchObject({ consultationId, note: 'Recheck the chest', status: 'open', dueOn: '2026-12-23' });
      expect(doc.waitlist).toHaveLength(await count('waitlist WHERE patient_id = $1'));
      expect(doc.waitlist[0]).toMatchObject({ fromDate: '2026-11-24', toDate: '2026-11-24', notes: 'Mornings please', status: 'waiting' });

      expect(doc.notices).toHaveLength(await count('outbox WHERE patient_id = $1'));
      expect(doc.notices.map((n) => n.kind).sort()).toEqual(['booking_confirmation', 'booking_confirmation', 'booking_confirmation', 'cancellation', 'no_show', 'waitlist_offer']);
      // the offer of Zeinab's freed time went to Amir: its single-use link is not in the export
      const offer = doc.notices.find((n) => n.kind === 'waitlist_offer')!;
      const [stored] = await sql<{ body: string }[]>('SELECT body FROM outbox WHERE id = $1', [offer.id]);
      expect(stored.body).toMatch(/\/l\/\d+\.\d+\.[A-Za-z0-9_-]{43}/);
      expect(offer.body).toContain('/l/[removed]');
      expect(offer.body).not.toMatch(/\/l\/\d+\.\d+\./);
    });

    it('holds the audit entries about the patient, their records and their portal identity, and no other', async () => {
      const about = await sql<{ id: string }[]>(
        `SELECT l.id::text FROM audit_log l
          -- this export's own entry is written after its read
          WHERE l.action <> 'patient.exported' AND ((l.entity = 'patient' AND l.entity_id = $1::text)
             OR (l.entity = 'user' AND l.entity_id = $2::text)
             OR (l.entity = 'appointment' AND l.entity_id = ANY($3::text[]))
             OR (l.entity = 'invoice' AND l.entity_id IN (SELECT i.id::text FROM invoices i WHERE i.appointment_id::text = ANY($3::text[])))
             OR (l.entity = 'penalty' AND l.entity_id IN (SELECT id::text FROM penalties WHERE patient_id = $1::bigint))
             OR (l.entity = 'follow_up' AND l.entity_id IN (SELECT id::text FROM follow_ups WHERE patient_id = $1::bigint))
             OR (l.entity = 'waitlist' AND l.entity_id IN (SELECT id::text FROM waitlist WHERE patient_id = $1::bigint))
             OR (l.entity = 'outbox' AND l.entity_id IN (SELECT id::text FROM outbox WHERE patient_id = $1::bigint)))
          ORDER BY l.id`,
        [amir.id, amir.user.id, ids.appointments],
      );
      expect(doc.audit.map((e) => e.id).sort((a, b) => Number(a) - Number(b))).toEqual(about.map((r) => r.id));
      expect(new Set(doc.audit.map((e) => e.action))).toEqual(
        new Set([
          'patient.created',
          'patient.updated',
          'appointment.booked',
          'waitlist.added',
          'appointment.checked_in',
          'visit.completed',
          'visit.amended',
          'invoice.paid',
          'appointment.cancelled',
          'appointment.no_show',
          'penalty.paid',
          'auth.signed_in',
        ]),
      );
      // the patient's own sign-in keeps its address; what staff did does not carry theirs
      const signIn = doc.audit.find((e) => e.action === 'auth.signed_in')!;
      expect(signIn).toMatchObject({ entity: 'user', entityId: amir.user.id, actor: { id: amir.user.id, role: 'patient' } });
      expect(signIn.ip).toMatch(/127\.0\.0\.1/);
      expect(doc.audit.filter((e) => e.actor?.role !== 'patient').every((e) => e.ip === null)).toBe(true);
    });

    it('contains nothing about another patient of the clinic, nor about another clinic', () => {
      for (const value of [zeinab.fullName, 'Zeinab', 'Qasimova', zeinab.phone, 'zeinab@example.com', 'zeinab.q', 'ZQ-998877', '9 Zamalek Rd', 'Zygomatic', 'Zetamycin', 'Zeinab-only reason', `"${zeinab.fileNumber}"`]) {
        expect(raw).not.toContain(value);
      }
      for (const value of ['Omar', 'Betaclinic', '+201005550000', 'Other Clinic']) expect(raw).not.toContain(value);
      // every id that names a record points at one of Amir's
      expect(new Set(valuesOf(doc, 'patientId'))).toEqual(new Set([amir.id]));
      for (const id of valuesOf(doc, 'appointmentId')) expect(ids.appointments).toContain(id);
      for (const id of valuesOf(doc, 'consultationId')) expect(id).toBe(consultationId);
      expect(valuesOf(doc, 'consultationId')).not.toContain(zeinabConsultationId);
      const entries = doc.audit.filter((e) => e.entity === 'appointment').map((e) => e.entityId);
      for (const id of ids.zeinabAppointments) expect(entries).not.toContain(id);
    });

    it('is written to the audit log: who exported whose record, in which format, and how much', async () => {
      const [entry] = await sql<{ actor_id: string; entity: string; entity_id: string; details: Record<string, unknown> }[]>(
        `SELECT actor_id::text, entity, entity_id, details FROM audit_log WHERE action = 'patient.exported' ORDER BY id DESC LIMIT 1`,
      );
      expect(entry).toEqual({
        actor_id: owner.id,
        entity: 'patient',
        entity_id: amir.id,
        details: {
          fileNumber: amir.fileNumber,
          format: 'json',
          via: 'api',
          records: { appointments: 3, visits: 1, invoices: 1, penalties: 1, followUps: 1, waitlist: 1, notices: doc.notices.length, audit: doc.audit.length },
        },
      });
      // and the next export of the patient shows it
      const again = (await ok(api(owner, 'GET', `/api/v1/patients/${amir.id}/export`))).json<PatientExport>();
      expect(again.audit.filter((e) => e.action === 'patient.exported').map((e) => e.actor?.name)).toEqual(['Owner Olfat']);
    });
  });

  describe('who may export what', () => {
    it('answers 404 for an unknown id, a malformed id and another clinic\'s patient, and writes nothing', async () => {
      const before = (await sql<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'patient.exported'`))[0].n;
      expect((await sql<{ n: number }[]>('SELECT count(*)::int AS n FROM patients WHERE id = $1', [omarId]))[0].n).toBe(0);
      for (const id of [omarId, '999999', 'abc', '0']) {
        const res = await api(owner, 'GET', `/api/v1/patients/${id}/export`);
        expect(res.status).toBe(404);
        expect(res.json<ErrorBody>().error.code).toBe('patient_not_found');
      }
      const browser = await signedInBrowser(t.url, host, owner);
      for (const path of [`/patients/${omarId}/export.json`, `/patients/${omarId}/export.pdf`, '/patients/999999/export.json']) {
        const page = await browser.get(path);
        expect(page.status).toBe(404);
        expect(page.headers['content-type']).toMatch(/text\/html/);
        expect(page.headers['content-disposition']).toBeUndefined();
      }
      expect((await sql<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'patient.exported'`))[0].n).toBe(before);
      // clinic B's owner exports clinic B's patient on B's host, and nothing of clinic A comes with it
      const own = await ok(api(otherOwner, 'GET', `/api/v1/patients/${omarId}/export`, undefined, otherHost));
      expect(own.json<PatientExport>().patient.lastName).toBe('Betaclinic2');
      for (const value of ['Amir', 'Zeinab', 'Nile Export Clinic', 'Acute bronchitis']) expect(own.body).not.toContain(value);
      // and B's token does not open A's host
      const crossing = await apiCall(t.url, host, await apiToken(t.url, otherHost, otherOwner), 'GET', `/api/v1/patients/${amir.id}/export`);
      expect(crossing.status).toBe(401);
    });

    it('refuses reception, doctors and patients with 403, on the API and the pages', async () => {
      for (const who of [desk, doctor, amir.user]) {
        const res = await api(who, 'GET', `/api/v1/patients/${amir.id}/export`);
        expect(res.status).toBe(403);
        expect(res.json<ErrorBody>().error.code).toBe('role_forbidden');
      }
      for (const who of [desk, doctor]) {
        const browser = await signedInBrowser(t.url, host, who);
        for (const format of ['json', 'pdf']) expect((await browser.get(`/patients/${amir.id}/export.${format}`)).status).toBe(403);
      }
    });

    it('shows the export links on the profile to the owner only', async () => {
      const links = (body: string) => ['id="export-patient-pdf"', 'id="export-patient-json"'].filter((id) => body.includes(id));
      const ownerPage = await (await signedInBrowser(t.url, host, owner)).get(`/patients/${amir.id}`);
      expect(ownerPage.status).toBe(200);
      expect(links(ownerPage.body)).toHaveLength(2);
      expect(ownerPage.body).toContain(`href="/patients/${amir.id}/export.json"`);
      expect(ownerPage.body).toContain('Export all data (PDF)');
      for (const who of [desk, doctor]) {
        const page = await (await signedInBrowser(t.url, host, who)).get(`/patients/${amir.id}`);
        expect(page.status).toBe(200);
        expect(links(page.body)).toEqual([]);
      }
      // the profile fragment an HTMX edit swaps in keeps them for the owner
      const browser: ClinicClient = await signedInBrowser(t.url, host, owner);
      await browser.get(`/patients/${amir.id}/edit`);
      const edited = await browser.post(`/patients/${amir.id}`, { address: '7 Nile St', email: 'amir@example.com' }, { headers: { 'HX-Request': 'true' } });
      expect(edited.status).toBe(200);
      expect(links(edited.body)).toHaveLength(2);
    });
  });

  describe('downloads from the profile', () => {
    it('JSON: an attachment named after the file number and the clinic\'s date, the same document as the API', async () => {
      const browser = await signedInBrowser(t.url, host, owner);
      const res = await browser.get(`/patients/${amir.id}/export.json`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="patient-${amir.fileNumber}-2026-11-23.json"`);
      expect(res.headers['cache-control']).toBe('private, no-store');
      const doc = res.json<PatientExport>();
      expect(doc.patient.id).toBe(amir.id);
      expect(doc.appointments.map((a) => a.id).sort()).toEqual([...ids.appointments].sort());
      const [entry] = await sql<{ details: { format: string; via: string } }[]>(`SELECT details FROM audit_log WHERE action = 'patient.exported' ORDER BY id DESC LIMIT 1`);
      expect(entry.details).toMatchObject({ format: 'json', via: 'page' });
    });

    it('PDF: readable, with the patient, the diagnosis, the medication and the payment, audited as a PDF export', async () => {
      const browser = await signedInBrowser(t.url, host, owner);
      const res = await download(t.url, host, `/patients/${amir.id}/export.pdf`, { session: browser.cookie('session')! });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="patient-${amir.fileNumber}-2026-11-23.pdf"`);
      expect(res.body.subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdfText(res.body);
      for (const expected of ['Patient record', 'Amir Hassan', 'Acute bronchitis', 'Amoxicillin', 'Complete blood count', 'Recheck the chest', 'Travelling abroad', 'Mornings please', 'Activity log']) {
        expect(text).toContain(expected);
      }
      expect(text).toContain('150.00 EGP');
      expect(text).not.toContain('Zeinab');
      expect(text).not.toContain('Zetamycin');
      const [entry] = await sql<{ details: { format: string } }[]>(`SELECT details FROM audit_log WHERE action = 'patient.exported' ORDER BY id DESC LIMIT 1`);
      expect(entry.details.format).toBe('pdf');
    });

    it('PDF in Arabic for a reader who chose Arabic: Arabic headings, the data as typed', async () => {
      const browser = await signedInBrowser(t.url, host, owner);
      const res = await download(t.url, host, `/patients/${amir.id}/export.pdf`, { session: browser.cookie('session')!, lang: 'ar' });
      expect(res.status).toBe(200);
      const text = pdfText(res.body);
      // Arabic is drawn in visual order (right to left), so the glyphs read back reversed
      const reversed = [...text].reverse().join('');
      expect(reversed).toContain('سجل المريض');
      expect(reversed).toContain('التشخيص');
      expect(text).toContain('Acute bronchitis');
      expect(text).toContain('Amoxicillin');
      expect(text).not.toContain('Patient record');
      // right to left: a label stands to the right of its value
      const runs = pdfRuns(res.body);
      const label = runs.find((r) => [...r.text].reverse().join('') === 'التشخيص')!;
      const value = runs.find((r) => r.text === 'Acute bronchitis')!;
      expect(label.x).toBeGreaterThan(value.x);
    });

    it('PDF: a long history runs over numbered pages, every row and every line of a long text within the page', async () => {
      const [long] = await sql<{ id: string; file_number: string }[]>(
        `INSERT INTO patients (first_name, last_name, date_of_birth, gender) VALUES ('Layla', 'Longhistory', '1950-05-05', 'female') RETURNING id::text, file_number`,
      );
      // 160 past appointments, each with its own note, and a completed visit whose texts fill more than a page
      await sql(
        `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, notes)
         SELECT $1, $2, timestamptz '2020-01-06 08:00Z' + n * interval '1 week', timestamptz '2020-01-06 08:15Z' + n * interval '1 week', 'completed',
                'History row ' || lpad(n::text, 3, '0')
           FROM generate_series(1, 160) AS n`,
        [long.id, doctor.doctorId],
      );
      const words = (prefix: string, chars: number) => Array.from({ length: Math.floor(chars / 8) }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`).join(' ');
      const [symptoms, diagnosis, notes] = [words('symp', 4000), words('diag', 2000), words('note', 4000)];
      await sql(
        `INSERT INTO consultations (appointment_id, symptoms, diagnosis, notes)
         SELECT id, $2, $3, $4 FROM appointments WHERE patient_id = $1 ORDER BY starts_at LIMIT 1`,
        [long.id, symptoms, diagnosis, notes],
      );
      const browser = await signedInBrowser(t.url, host, owner);
      const res = await download(t.url, host, `/patients/${long.id}/export.pdf`, { session: browser.cookie('session')! });
      expect(res.status).toBe(200);
      const pages = pageCount(res.body);
      expect(pages).toBeGreaterThanOrEqual(4);
      const text = pdfText(res.body);
      for (let n = 1; n <= 160; n++) expect(text).toContain(`History row ${String(n).padStart(3, '0')}`);
      const longText = [...symptoms.split(' '), ...diagnosis.split(' '), ...notes.split(' ')];
      for (const word of longText) expect(text).toContain(word);
      for (let page = 1; page <= pages; page++) expect(text).toContain(`Layla Longhistory — file ${long.file_number} — page ${page} of ${pages}`);
      // the table's header comes again on every page it continues on
      expect(text.split('\n').filter((line) => line === 'Booked by').length).toBeGreaterThanOrEqual(2);
      // nothing is drawn into the bottom margin or off the page (A4: 842 points high, 36-point margins)
      const runs = pdfRuns(res.body);
      expect(Math.min(...runs.map((r) => r.y))).toBeGreaterThanOrEqual(36);
      expect(Math.max(...runs.map((r) => r.y))).toBeLessThanOrEqual(842 - 36);
      // the visit's texts (taller than a page) go on at the top of the next page: the lines' y (from the bottom) rises once
      const lines = runs.filter((r) => /^(symp|diag|note)\d{3}/.test(r.text));
      expect(lines.length).toBeGreaterThan(60);
      expect(lines.some((line, i) => i > 0 && line.y > lines[i - 1].y)).toBe(true);
    });
  });

  it('removes the signed single-use links from notice texts, and only them', () => {
    const body = 'Take it here:\nhttp://x.localhost:3000/l/12.1764000000.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ_-\nSee you, /l/ is a path.';
    expect(withoutLinks(body)).toBe('Take it here:\nhttp://x.localhost:3000/l/[removed]\nSee you, /l/ is a path.');
  });
});
