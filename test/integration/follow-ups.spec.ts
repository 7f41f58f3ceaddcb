import type { Tenant } from '../../src/platform/tenant';
import { ClinicClient, ManualClock } from '../support/clinic-client';
import { createDoctor, createPatient, type TestDoctor, type TestPatient } from '../support/front-desk';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

interface ApiFollowUp {
  id: string;
  status: string;
  dueOn: string;
  patientName: string;
  appointmentId: string | null;
}

/** A follow-up the doctor asked for at a completed visit, written straight into the clinic's tables. */
async function followUp(t: TestApp, clinic: Tenant, doctor: TestDoctor, patient: TestPatient, dueOn: string, note = ''): Promise<string> {
  const [row] = await asClinic<{ id: string }[]>(
    t.dataSource,
    clinic,
    `WITH a AS (
       INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, cost)
       VALUES ($1, $2, $3::date - 14 + time '08:00' + (SELECT count(*) FROM appointments) * interval '15 minutes',
               $3::date - 14 + time '08:15' + (SELECT count(*) FROM appointments) * interval '15 minutes', 'completed', 150) RETURNING id),
     c AS (INSERT INTO consultations (appointment_id, diagnosis) SELECT id, 'Mild angina' FROM a RETURNING id)
     INSERT INTO follow_ups (consultation_id, patient_id, doctor_id, due_on, note) SELECT c.id, $1, $2, $3, $4 FROM c RETURNING id`,
    [patient.id, doctor.doctorId, dueOn, note],
  );
  return row.id;
}

describe('follow-ups', () => {
  let t: TestApp;
  // Monday 2026-11-23, 09:00 in Cairo
  const clock = new ManualClock(Date.parse('2026-11-23T07:00:00Z'));
  let clinic: Tenant;
  let host: string;
  let sarah: TestUser;
  let desk: ClinicClient;
  let ahmed: TestDoctor;
  let amir: TestPatient;
  let mona: TestPatient;
  let amirDue: string;
  let monaOverdue: string;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { SIGN_IN_RATE_LIMIT: '10000' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('fu') });
    host = `${clinic.slug}.localhost`;
    ahmed = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan' });
    amir = await createPatient(t.dataSource, clinic, { firstName: 'Amir', lastName: 'Hassan', phone: '+20501234567', username: 'amir' });
    mona = await createPatient(t.dataSource, clinic, { firstName: 'Mona', lastName: 'Adel', phone: '+20501234567', username: 'mona' });
    amirDue = await followUp(t, clinic, ahmed, amir, '2026-12-07', 'ECG results <b>due</b>');
    monaOverdue = await followUp(t, clinic, ahmed, mona, '2026-11-20');
    sarah = await createUser(t.dataSource, clinic, { role: 'reception', fullName: 'Sarah Mahmoud' });
    desk = await signedInBrowser(t.url, host, sarah);
  });

  afterAll(() => t.close());

  it("shows a patient their own open follow-ups in the portal, never another patient's (even one sharing the phone)", async () => {
    const portal = new ClinicClient(t.url, host);
    await portal.primeCsrf('/portal/login');
    await portal.post('/portal/login', { phone: '0501234567', username: 'amir' });
    const home = await portal.get('/portal');
    expect(home.status).toBe(200);
    expect(home.body).toContain(`data-follow-up="${amirDue}"`);
    expect(home.body).toContain('ECG results &lt;b&gt;due&lt;/b&gt;');
    expect(home.body).not.toContain(`data-follow-up="${monaOverdue}"`);
  });

  it('lists open follow-ups on /follow-ups, due date first, the overdue marked, with Book and Dismiss', async () => {
    const page = await desk.get('/follow-ups');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html');
    const panel = await desk.get('/follow-ups', { 'HX-Request': 'true' });
    expect(panel.status).toBe(200);
    expect(panel.headers.vary).toMatch(/HX-Request/);
    expect(panel.body).not.toContain('<html');
    const body = panel.body;
    expect(body.indexOf('Mona Adel')).toBeGreaterThan(-1);
    expect(body.indexOf('Mona Adel')).toBeLessThan(body.indexOf('Amir Hassan'));
    expect(body).toMatch(new RegExp(`id="follow-up-${monaOverdue}" class="overdue"[\\s\\S]*?Overdue`));
    expect(body).not.toMatch(new RegExp(`id="follow-up-${amirDue}" class="overdue"`));
    expect(body).toContain(`<a href="/patients/${amir.id}"><bdi>Amir Hassan</bdi></a>`);
    expect(body).toContain('Dr. Ahmed Hassan');
    expect(body).toContain('ECG results &lt;b&gt;due&lt;/b&gt;');
    const hrefs = [...body.matchAll(/href="(\/appointments\/new[^"]*)"/g)].map((m) => m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'));
    expect(hrefs).toEqual([
      // an overdue one is booked from today
      `/appointments/new?patientId=${mona.id}&doctorId=${ahmed.doctorId}&date=2026-11-23&followUpId=${monaOverdue}&next=%2Freception`,
      `/appointments/new?patientId=${amir.id}&doctorId=${ahmed.doctorId}&date=2026-12-07&followUpId=${amirDue}&next=%2Freception`,
    ]);
    expect(body).toContain(`hx-post="/follow-ups/${amirDue}/dismiss"`);
    expect(body).not.toMatch(/<script|<style|\sstyle=/);
  });

  it('puts the panel on the reception board, which loads it from /follow-ups', async () => {
    const board = await desk.get('/reception');
    expect(board.status).toBe(200);
    expect(board.body).toContain('id="follow-ups" hx-get="/follow-ups" hx-trigger="load, follow-ups-changed from:body, appointments-changed from:body"');
    const loaded = await desk.get('/follow-ups', { 'HX-Request': 'true', 'HX-Target': 'follow-ups' });
    expect(loaded.body).toContain('Amir Hassan');
    expect(loaded.body).toContain('Mona Adel');
  });

  it('dismisses from the panel (HTMX): the fresh panel without it, the change event, and an audit entry', async () => {
    const res = await desk.post(`/follow-ups/${monaOverdue}/dismiss`, {}, { headers: { 'HX-Request': 'true', 'X-CSRF-Token': desk.csrfToken } });
    expect(res.status).toBe(200);
    expect(res.headers['hx-trigger']).toBe('follow-ups-changed');
    expect(res.body).not.toContain('Mona Adel');
    expect(res.body).toContain('Amir Hassan');
    const [entry] = await asClinic<{ action: string; actor_id: string; entity_id: string }[]>(
      t.dataSource,
      clinic,
      `SELECT action, actor_id, entity_id FROM audit_log WHERE action = 'follow_up.dismissed' ORDER BY id DESC LIMIT 1`,
    );
    expect(entry).toEqual({ action: 'follow_up.dismissed', actor_id: sarah.id, entity_id: monaOverdue });
    const [row] = await asClinic<{ status: string }[]>(t.dataSource, clinic, 'SELECT status FROM follow_ups WHERE id = $1', [monaOverdue]);
    expect(row.status).toBe('dismissed');

    // twice: it is no longer open
    const again = await desk.post(`/follow-ups/${monaOverdue}/dismiss`, {}, { headers: { 'HX-Request': 'true' } });
    expect(again.status).toBe(409);
  });

  it('dismisses with a plain form and goes back to the board (303); refuses a post without the CSRF token', async () => {
    const id = await followUp(t, clinic, ahmed, amir, '2026-12-01');
    expect((await desk.post(`/follow-ups/${id}/dismiss`, {}, { csrf: false })).status).toBe(403);
    const res = await desk.post(`/follow-ups/${id}/dismiss`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/reception');
    expect((await desk.get('/follow-ups', { 'HX-Request': 'true' })).body).not.toContain(`follow-up-${id}"`);
  });

  it('lists by status and dismisses through the API; a doctor may list but not dismiss', async () => {
    const token = await apiToken(t.url, host, sarah);
    const open = await apiCall(t.url, host, token, 'GET', '/api/v1/follow-ups');
    expect(open.status).toBe(200);
    expect(open.json<{ status: string; followUps: ApiFollowUp[] }>().followUps.map((f) => f.id)).toEqual([amirDue]);
    const dismissed = await apiCall(t.url, host, token, 'GET', '/api/v1/follow-ups?status=dismissed');
    expect(dismissed.json<{ followUps: ApiFollowUp[] }>().followUps.map((f) => f.id)).toContain(monaOverdue);
    expect((await apiCall(t.url, host, token, 'GET', '/api/v1/follow-ups?status=lost')).status).toBe(422);

    const doctorToken = await apiToken(t.url, host, ahmed);
    expect((await apiCall(t.url, host, doctorToken, 'GET', '/api/v1/follow-ups')).status).toBe(200);
    const refused = await apiCall(t.url, host, doctorToken, 'POST', `/api/v1/follow-ups/${amirDue}/dismiss`);
    expect(refused.status).toBe(403);
    const doctorPage = await signedInBrowser(t.url, host, ahmed);
    expect((await doctorPage.post(`/follow-ups/${amirDue}/dismiss`)).status).toBe(403);

    const done = await apiCall(t.url, host, token, 'POST', `/api/v1/follow-ups/${amirDue}/dismiss`);
    expect(done.status).toBe(200);
    expect(done.json<ApiFollowUp>()).toMatchObject({ id: amirDue, status: 'dismissed', dueOn: '2026-12-07', patientName: 'Amir Hassan' });
    expect((await apiCall(t.url, host, token, 'POST', '/api/v1/follow-ups/999999/dismiss')).status).toBe(404);
  });

  it("answers 404 for another clinic's follow-up, and leaves it open", async () => {
    const other = await createClinic(t.dataSource, { slug: uniqueSlug('fu-other') });
    const doctor = await createDoctor(t.dataSource, other, { fullName: 'Dr. Other' });
    const patient = await createPatient(t.dataSource, other, { firstName: 'Other', lastName: 'Patient' });
    // ids are numbered per clinic: start the other clinic far ahead so its id is not also one of ours
    await asClinic(t.dataSource, other, 'ALTER TABLE follow_ups ALTER COLUMN id RESTART WITH 500000');
    const theirs = await followUp(t, other, doctor, patient, '2026-12-01');
    const token = await apiToken(t.url, host, sarah);
    const res = await apiCall(t.url, host, token, 'POST', `/api/v1/follow-ups/${theirs}/dismiss`);
    expect(res.status).toBe(404);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('follow_up_not_found');
    expect((await desk.post(`/follow-ups/${theirs}/dismiss`, {}, { headers: { 'HX-Request': 'true' } })).status).toBe(404);
    const [row] = await asClinic<{ status: string }[]>(t.dataSource, other, 'SELECT status FROM follow_ups WHERE id = $1', [theirs]);
    expect(row.status).toBe('open');
  });
});
