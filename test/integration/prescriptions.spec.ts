import type { Tenant } from '../../src/platform/tenant';
import { visualLine } from '../../src/common/pdf/bidi-text';
import { ClinicClient } from '../support/clinic-client';
import { bytes, pdfText } from '../support/pdf';
import { createDoctor, createPatient, type TestDoctor, type TestPatient } from '../support/front-desk';
import { send } from '../support/http';
import { signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

/** A visit of the seed story, written straight into the clinic's tables (the visit code is another feature's). */
async function visit(
  t: TestApp,
  clinic: Tenant,
  doctor: TestDoctor,
  patient: TestPatient,
  input: { startsAt: string; status?: string; lines?: [string, string, string, string][] },
): Promise<string> {
  const [appointment] = await asClinic<{ id: string }[]>(
    t.dataSource,
    clinic,
    `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, cost)
     VALUES ($1, $2, $3::timestamptz, $3::timestamptz + interval '15 minutes', $4, 150) RETURNING id`,
    [patient.id, doctor.doctorId, input.startsAt, input.status ?? 'completed'],
  );
  const [consultation] = await asClinic<{ id: string }[]>(
    t.dataSource,
    clinic,
    `INSERT INTO consultations (appointment_id, symptoms, diagnosis) VALUES ($1, 'Chest pain, shortness of breath', 'Mild angina') RETURNING id`,
    [appointment.id],
  );
  for (const [i, [name, dosage, duration, instructions]] of (input.lines ?? []).entries()) {
    await asClinic(t.dataSource, clinic, 'INSERT INTO prescriptions (consultation_id, position, medication_name, dosage, duration, instructions) VALUES ($1, $2, $3, $4, $5, $6)', [
      consultation.id,
      i + 1,
      name,
      dosage,
      duration,
      instructions,
    ]);
  }
  return appointment.id;
}

describe('printable prescription', () => {
  let t: TestApp;
  let clinic: Tenant;
  let host: string;
  let desk: ClinicClient;
  let ahmed: TestDoctor;
  let amir: TestPatient;
  let completed: string;
  let patientUser: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ env: { SIGN_IN_RATE_LIMIT: '10000' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('rx'), displayName: 'Nile Care عيادة النيل' });
    host = `${clinic.slug}.localhost`;
    ahmed = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan', specialty: 'Cardiology' });
    amir = await createPatient(t.dataSource, clinic, { firstName: 'Amir', lastName: 'Hassan' });
    completed = await visit(t, clinic, ahmed, amir, {
      startsAt: '2026-11-23T08:30:00Z', // 10:30 in Cairo
      lines: [
        ['Aspirin', '100 mg daily', '30 days', ''],
        ['باراسيتامول', '500 مجم مرتين يومياً', '5 أيام', 'بعد الأكل'],
      ],
    });
    desk = await signedInBrowser(t.url, host, await createUser(t.dataSource, clinic, { role: 'reception', fullName: 'Sarah Mahmoud' }));
    patientUser = await createUser(t.dataSource, clinic, { role: 'patient', phone: '+201012345678' });
  });

  afterAll(() => t.close());

  it('prints the clinic, doctor, specialty, date, patient, every line and a signature line, with a print stylesheet and no inline style or script', async () => {
    const res = await desk.get(`/visits/${completed}/prescription`);
    expect(res.status).toBe(200);
    const page = res.body;
    expect(page).toContain('Nile Care عيادة النيل');
    expect(page).toContain('Dr. Ahmed Hassan');
    expect(page).toContain('Cardiology');
    expect(page).toContain('<time datetime="2026-11-23">2026-11-23</time>');
    expect(page).toContain('Time: 10:30');
    expect(page).toContain('Amir Hassan');
    expect(page).toContain(amir.fileNumber);
    expect(page).toMatch(/<p class="sheet-medication" dir="auto">Aspirin<\/p>/);
    expect(page).toMatch(/<p class="sheet-medication" dir="auto">باراسيتامول<\/p>/);
    expect(page).toContain('100 mg daily');
    expect(page).toContain('class="signature-line"');
    expect(page).toContain('Signature');
    expect(page).toContain('sheet-a5');
    expect(page).toContain('<link rel="stylesheet" href="/static/css/print.css">');
    expect(page).toContain(`href="/visits/${completed}/prescription.pdf?size=a5"`);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)|<style|\sstyle=/);

    const a4 = await desk.get(`/visits/${completed}/prescription?size=a4`);
    expect(a4.body).toContain('sheet-a4');
    expect((await desk.get(`/visits/${completed}/prescription?size=letter`)).status).toBe(422);

    const css = await send(t.url, { path: '/static/css/print.css', host });
    expect(css.status).toBe(200);
    expect(css.body).toContain('@media print');
  });

  it('escapes what the doctor typed', async () => {
    const id = await visit(t, clinic, ahmed, amir, { startsAt: '2026-11-20T08:30:00Z', lines: [['<script>alert(1)</script>', '', '', '']] });
    const res = await desk.get(`/visits/${id}/prescription`);
    expect(res.status).toBe(200);
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('downloads a PDF with the Latin and the Arabic lines, in an embedded font that has Arabic glyphs', async () => {
    const res = await desk.request('GET', `/visits/${completed}/prescription.pdf`, { headers: { accept: 'application/pdf' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="prescription-${amir.fileNumber}-2026-11-23.pdf"`);
    const pdf = await bytes(t.url, host, `/visits/${completed}/prescription.pdf`, desk.cookie('session')!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    const text = pdfText(pdf);
    expect(text).toContain('Aspirin');
    expect(text).toContain('Dr. Ahmed Hassan');
    expect(text).toContain('Signature');
    // Arabic is drawn in visual order (right to left), so the glyphs read back reversed
    expect([...text].reverse().join('')).toContain('باراسيتامول');
  });

  it('finds no prescription for a visit that is not completed, or has no medication, or does not exist', async () => {
    const scheduled = await visit(t, clinic, ahmed, amir, { startsAt: '2026-11-24T08:30:00Z', status: 'scheduled', lines: [['Aspirin', '', '', '']] });
    const empty = await visit(t, clinic, ahmed, amir, { startsAt: '2026-11-25T08:30:00Z' });
    for (const id of [scheduled, empty, '999999', 'abc']) {
      const page = await desk.get(`/visits/${id}/prescription`);
      expect(page.status).toBe(404);
      expect(page.body).toContain('no prescription to print');
      const pdf = await desk.request('GET', `/visits/${id}/prescription.pdf`, { headers: { accept: 'application/json' } });
      expect(pdf.status).toBe(404);
      expect(pdf.json<{ error: { code: string } }>().error.code).toBe('prescription_not_found');
    }
  });

  it("answers 404 for another clinic's visit", async () => {
    const other = await createClinic(t.dataSource, { slug: uniqueSlug('rx-other') });
    const doctor = await createDoctor(t.dataSource, other, { fullName: 'Dr. Other' });
    const patient = await createPatient(t.dataSource, other, { firstName: 'Other', lastName: 'Patient' });
    // ids are numbered per clinic: start the other clinic far ahead so its visit's id is not also one of ours
    await asClinic(t.dataSource, other, 'ALTER TABLE appointments ALTER COLUMN id RESTART WITH 500000');
    const theirs = await visit(t, other, doctor, patient, { startsAt: '2026-11-23T09:00:00Z', lines: [['Secret pill', '', '', '']] });
    const [{ n }] = await asClinic<{ n: string }[]>(t.dataSource, clinic, 'SELECT count(*) AS n FROM appointments WHERE id = $1', [theirs]);
    expect(n).toBe('0'); // the id is not one of this clinic's
    const res = await desk.get(`/visits/${theirs}/prescription`);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('Secret pill');
    expect((await desk.get(`/visits/${theirs}/prescription.pdf`)).status).toBe(404);
  });

  it('is for staff: a patient is refused 403, and a doctor and an admin may print', async () => {
    const patient = await signedInBrowser(t.url, host, patientUser);
    expect((await patient.get(`/visits/${completed}/prescription`)).status).toBe(403);
    expect((await patient.get(`/visits/${completed}/prescription.pdf`)).status).toBe(403);
    for (const role of ['doctor', 'admin'] as const) {
      const staff = await signedInBrowser(t.url, host, await createUser(t.dataSource, clinic, { role }));
      expect((await staff.get(`/visits/${completed}/prescription`)).status).toBe(200);
    }
  });
});

describe('bidi layout of a PDF line', () => {
  it('keeps a Latin line as it is', () => {
    expect(visualLine('Aspirin — 100 mg daily')).toEqual({ rtl: false, runs: [{ text: 'Aspirin — 100 mg daily', rtl: false }] });
  });

  it('puts the numbers of an Arabic line in their place and leaves Arabic runs to the shaper in logical order', () => {
    const line = visualLine('باراسيتامول 500 مجم');
    expect(line.rtl).toBe(true);
    expect(line.runs).toEqual([
      { text: ' مجم', rtl: true },
      { text: '500', rtl: false },
      { text: 'باراسيتامول ', rtl: true },
    ]);
  });

  it('mirrors brackets in a right-to-left run (the shaper then reverses the Arabic run, bracket included)', () => {
    expect(visualLine('قرص (500)').runs.map((r) => r.text).join('|')).toBe('(|500|قرص )');
  });
});
