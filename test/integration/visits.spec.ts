import type { Tenant } from '../../src/platform/tenant';
import { ClinicClient, ManualClock } from '../support/clinic-client';
import { createDoctor, createPatient, type TestDoctor, type TestPatient } from '../support/front-desk';
import type { HttpResponse } from '../support/http';
import { bytes, pdfText } from '../support/pdf';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string[]> } };
const HTMX = { 'HX-Request': 'true' };

/** A form post with repeated fields (one per row), as a browser sends the visit form. */
function postRows(c: ClinicClient, path: string, pairs: [string, string][], headers: Record<string, string> = {}): Promise<HttpResponse> {
  const body = new URLSearchParams(pairs);
  body.set('_csrf', c.csrfToken);
  return c.request('POST', path, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}

const SEED_VISIT: [string, string][] = [
  ['symptoms', 'Chest pain, shortness of breath'],
  ['diagnosis', 'Mild angina'],
  ['notes', ''],
  ['medication', 'Aspirin'],
  ['dosage', '100 mg daily'],
  ['duration', '30 days'],
  ['instructions', ''],
  ['medication', ''],
  ['dosage', ''],
  ['duration', ''],
  ['instructions', ''],
  ['requirementKind', 'lab'],
  ['requirementDescription', 'ECG'],
  ['followUp', '2w'],
  ['followUpDate', ''],
  ['followUpNote', 'Check the ECG results'],
];

describe('visits: completing a visit and its record', () => {
  let t: TestApp;
  // Monday 2026-11-23, 09:00 in Cairo (UTC+2)
  const clock = new ManualClock(Date.parse('2026-11-23T07:00:00Z'));
  let clinic: Tenant;
  let host: string;
  let sarah: TestUser;
  let desk: ClinicClient;
  let ahmed: TestDoctor;
  let drAhmed: ClinicClient;
  let other: TestDoctor;
  let drOther: ClinicClient;
  let slot = 0;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { SIGN_IN_RATE_LIMIT: '10000', DB_POOL_MAX: '20' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('visit') });
    host = `${clinic.slug}.localhost`;
    sarah = await createUser(t.dataSource, clinic, { role: 'reception', fullName: 'Sarah Mahmoud' });
    ahmed = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan', fee: '150.00' });
    other = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Laila Nour', fee: '200.00' });
    desk = await signedInBrowser(t.url, host, sarah);
    drAhmed = await signedInBrowser(t.url, host, ahmed);
    drOther = await signedInBrowser(t.url, host, other);
  });

  afterAll(() => t.close());

  const sql = <T = Record<string, unknown>[]>(query: string, params: unknown[] = [], tenant = clinic) => asClinic<T>(t.dataSource, tenant, query, params);
  const count = async (table: string, tenant = clinic) => (await sql<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`, [], tenant))[0].n;
  const written = async () => ({
    consultations: await count('consultations'),
    prescriptions: await count('prescriptions'),
    requirements: await count('requirements'),
    invoices: await count('invoices'),
    followUps: await count('follow_ups'),
  });

  /** An appointment straight in the database, on a day of its own (the tests need no free-slot search). */
  async function appointment(doctor: TestDoctor, patient: TestPatient, status = 'scheduled', cost: string | null = null, tenant = clinic): Promise<string> {
    slot += 1;
    const startsAt = new Date(Date.parse('2026-11-10T08:00:00Z') + slot * 15 * 60_000);
    const [row] = await sql<{ id: string }[]>(
      `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, cost, cancelled_at, cancel_reason, no_show_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $5 = 'cancelled' THEN now() END, CASE WHEN $5 = 'cancelled' THEN 'test' END,
               CASE WHEN $5 = 'no_show' THEN now() END) RETURNING id`,
      [patient.id, doctor.doctorId, startsAt, new Date(startsAt.getTime() + 15 * 60_000), status, cost],
      tenant,
    );
    return row.id;
  }

  const status = async (id: string) => (await sql<{ status: string }[]>('SELECT status FROM appointments WHERE id = $1', [id]))[0].status;
  const boardCount = (page: string, s: string) => new RegExp(`data-status="${s}">(\\d+)<`).exec(page)?.[1];

  let seedId: string;

  it('replays the seed story: registered, booked, completed by Dr. Ahmed, invoiced pending 150.00, follow-up in 2 weeks', async () => {
    const registered = await desk.post('/patients', {
      firstName: 'Amir',
      lastName: 'Hassan',
      dateOfBirth: '1985-06-15',
      gender: 'male',
      phone: '0501234567',
      address: '123 Main St',
      username: 'amir',
    });
    expect(registered.status).toBe(303);
    const patientId = /\/patients\/(\d+)/.exec(String(registered.headers.location))![1];

    const booked = await desk.post('/appointments', { patientId, doctorId: ahmed.doctorId, date: '2026-11-23', time: '10:30' });
    expect(booked.status).toBe(303);
    seedId = /\/appointments\/(\d+)/.exec(String(booked.headers.location))![1];
    const before = await desk.get('/reception'); // the board is cached now
    expect(boardCount(before.body, 'scheduled')).toBe('1');

    const form = await drAhmed.get(`/visits/${seedId}`);
    expect(form.status).toBe(200);
    expect(form.body).toContain('<html');
    expect(form.body).toContain('Amir Hassan');
    expect(form.body).toContain('10:30');
    expect(form.body).toContain('<label for="medication-1">Medication 1</label>');
    expect(form.body).toContain('list="medication-options"');

    const done = await postRows(drAhmed, `/visits/${seedId}`, SEED_VISIT);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/visits/${seedId}`);

    expect(await status(seedId)).toBe('completed');
    const [invoice] = await sql('SELECT number::int AS number, amount::text AS amount, status FROM invoices WHERE appointment_id = $1', [seedId]);
    expect(invoice).toEqual({ number: 1, amount: '150.00', status: 'pending' });
    const [consultation] = await sql<{ id: string; symptoms: string; diagnosis: string; created_by: string }[]>(
      'SELECT id, symptoms, diagnosis, created_by FROM consultations WHERE appointment_id = $1',
      [seedId],
    );
    expect(consultation).toMatchObject({ symptoms: 'Chest pain, shortness of breath', diagnosis: 'Mild angina', created_by: ahmed.id });
    expect(await sql('SELECT position, medication_name, dosage, duration FROM prescriptions WHERE consultation_id = $1', [consultation.id])).toEqual([
      { position: 1, medication_name: 'Aspirin', dosage: '100 mg daily', duration: '30 days' },
    ]);
    expect(await sql('SELECT kind, description FROM requirements WHERE consultation_id = $1', [consultation.id])).toEqual([{ kind: 'lab', description: 'ECG' }]);
    expect(await sql("SELECT due_on::text AS due, status, note FROM follow_ups WHERE consultation_id = $1", [consultation.id])).toEqual([
      { due: '2026-12-07', status: 'open', note: 'Check the ECG results' },
    ]);
    const [audit] = await sql<{ actor_id: string; details: Record<string, unknown> }[]>("SELECT actor_id, details FROM audit_log WHERE action = 'visit.completed' AND entity_id = $1", [seedId]);
    expect(audit.actor_id).toBe(ahmed.id);
    expect(audit.details).toMatchObject({ invoiceNumber: '1', amount: '150.00', prescriptions: 1, requirements: 1 });
    expect(JSON.stringify(audit.details)).not.toMatch(/angina|Aspirin|Chest/);

    const record = await drAhmed.get(`/visits/${seedId}`);
    expect(record.status).toBe(200);
    for (const text of ['Chest pain, shortness of breath', 'Mild angina', 'Aspirin', '100 mg daily', '30 days', 'ECG (Lab)', 'Invoice no. 1 — 150.00 — ', 'pending', 'Due 2026-12-07']) {
      expect(record.body).toContain(text);
    }
    expect(record.body).not.toContain('id="visit-form"');
    expect(record.body).toContain('id="amendment-form"');

    // the front desk's board shows it at once, though it was cached before
    const board = await desk.get('/reception');
    expect(boardCount(board.body, 'completed')).toBe('1');
    expect(boardCount(board.body, 'scheduled')).toBe('0');
    expect(board.body).toContain('Completed');
  });

  it('continues the seed story: the history shows the visit, the prescription PDF names Aspirin, Sarah takes the payment and prints the receipt, Amir sees the paid visit and the follow-up until reception books it', async () => {
    const patientId = (await sql<{ patient_id: string }[]>('SELECT patient_id FROM appointments WHERE id = $1', [seedId]))[0].patient_id;
    const history = await drAhmed.get(`/doctor/patients/${patientId}`);
    expect(history.status).toBe(200);
    for (const text of ['Mild angina', 'Aspirin', 'ECG']) expect(history.body).toContain(text);

    const pdf = await bytes(t.url, host, `/visits/${seedId}/prescription.pdf`, desk.cookie('session')!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfText(pdf)).toContain('Aspirin');

    // 10:45: Sarah takes 150.00 in cash from the invoice list; the invoice is paid; she prints the receipt
    const [{ id: invoiceId }] = await sql<{ id: string }[]>('SELECT id FROM invoices WHERE appointment_id = $1', [seedId]);
    const invoices = await desk.get('/invoices?status=pending');
    expect(invoices.body).toContain(`href="/invoices/${invoiceId}"`);
    await desk.get(`/invoices/${invoiceId}`);
    const paid = await desk.post(`/invoices/${invoiceId}/payments`, { amount: '150.00', method: 'cash', paidOn: '2026-11-23', reference: '' });
    expect(paid.status).toBe(303);
    expect(await sql('SELECT status, paid_amount::text AS paid FROM invoices WHERE id = $1', [invoiceId])).toEqual([{ status: 'paid', paid: '150.00' }]);
    const receipt = await desk.get(`/invoices/${invoiceId}/receipt`);
    expect(receipt.body).toContain('150.00 EGP — Cash, 2026-11-23');

    const amir = new ClinicClient(t.url, host);
    await amir.primeCsrf('/portal/login');
    expect((await amir.post('/portal/login', { phone: '050 123 4567', username: 'amir' })).headers.location).toBe('/portal');
    expect((await amir.get(`/portal/visits/${seedId}`)).body).toMatch(/data-invoice-status="paid"[^>]*>Paid</);
    const portal = await amir.get('/portal');
    expect(portal.body).toContain('Your doctor would like to see you again');
    expect(portal.body).toContain('by 2026-12-07');

    // reception books the follow-up from its panel: it leaves the list, and the portal
    const panel = await desk.get('/follow-ups', { 'HX-Request': 'true' });
    const book = /href="(\/appointments\/new\?[^"]+)"/.exec(panel.body)![1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    const followUpId = new URL(book, 'http://x').searchParams.get('followUpId')!;
    const booked = await desk.post('/appointments', { patientId, doctorId: ahmed.doctorId, date: '2026-12-07', time: '10:30', followUpId, next: '/reception' });
    expect(booked.status).toBe(303);
    expect(booked.headers.location).toBe('/reception');
    expect(await sql('SELECT status FROM follow_ups WHERE id = $1', [followUpId])).toEqual([{ status: 'booked' }]);
    const listed = new RegExp(`followUpId(=|&#x3D;)${followUpId}(&|"|$)`);
    expect(panel.body).toMatch(listed);
    expect((await desk.get('/follow-ups', { 'HX-Request': 'true' })).body).not.toMatch(listed);
    expect((await amir.get('/portal')).body).not.toContain('Your doctor would like to see you again');
  });

  it('refuses a second completion with 409 and writes nothing more', async () => {
    const before = await written();
    const again = await postRows(drAhmed, `/visits/${seedId}`, SEED_VISIT);
    expect(again.status).toBe(409);
    expect(again.body).toContain('This appointment is already completed.');
    expect(await written()).toEqual(before);
  });

  it("refuses another doctor's visit with 403: the page, the form post and the API", async () => {
    const amir = await createPatient(t.dataSource, clinic);
    const id = await appointment(ahmed, amir);
    const page = await drOther.get(`/visits/${id}`);
    expect(page.status).toBe(403);
    expect(page.body).toContain('only the appointment&#x27;s own doctor');
    expect(page.body).not.toContain(amir.lastName);
    const post = await postRows(drOther, `/visits/${id}`, SEED_VISIT);
    expect(post.status).toBe(403);
    const token = await apiToken(t.url, host, other);
    const api = await apiCall(t.url, host, token, 'POST', `/api/v1/visits/${id}/complete`, { diagnosis: 'x' });
    expect(api.status).toBe(403);
    expect(api.json<ErrorBody>().error.code).toBe('not_your_patient');
    expect((await apiCall(t.url, host, token, 'GET', `/api/v1/visits/${id}`)).status).toBe(403);
    expect(await status(id)).toBe('scheduled');
    // reception may not open the doctor's screen at all
    expect((await desk.get(`/visits/${id}`)).status).toBe(403);
  });

  it.each(['cancelled', 'no_show'])('refuses to complete a %s appointment with 409', async (s) => {
    const id = await appointment(ahmed, await createPatient(t.dataSource, clinic), s);
    const before = await written();
    const res = await postRows(drAhmed, `/visits/${id}`, SEED_VISIT);
    expect(res.status).toBe(409);
    expect(res.body).toMatch(/it cannot be completed/);
    expect(await written()).toEqual(before);
    expect(await status(id)).toBe(s);
  });

  it('refuses an empty diagnosis with 422, keeping what was typed and writing nothing', async () => {
    const id = await appointment(ahmed, await createPatient(t.dataSource, clinic));
    const before = await written();
    const rows = SEED_VISIT.map(([k, v]): [string, string] => (k === 'diagnosis' ? [k, '  '] : k === 'symptoms' ? [k, 'Dizzy <b>spells</b>'] : [k, v]));
    const res = await postRows(drAhmed, `/visits/${id}`, rows);
    expect(res.status).toBe(422);
    expect(res.body).toContain('<html');
    expect(res.body).toContain('Enter the diagnosis');
    expect(res.body).toContain('Dizzy &lt;b&gt;spells&lt;/b&gt;');
    expect(res.body).toContain('value="Aspirin"');
    expect(res.body).toContain('<label for="medication-2">Medication 2</label>');
    const fragment = await postRows(drAhmed, `/visits/${id}`, rows, HTMX);
    expect(fragment.status).toBe(422);
    expect(fragment.body).toContain('id="visit-form"');
    expect(fragment.body).not.toContain('<html');
    expect(await written()).toEqual(before);
    expect(await status(id)).toBe('scheduled');
  });

  it('refuses 21 medication lines, and a dosage without a medication, with 422 and a message', async () => {
    const id = await appointment(ahmed, await createPatient(t.dataSource, clinic));
    const lines: [string, string][] = Array.from({ length: 21 }, (_, i) => [`medication`, `Drug ${i + 1}`]);
    const many = await postRows(drAhmed, `/visits/${id}`, [['diagnosis', 'Flu'], ...lines]);
    expect(many.status).toBe(422);
    expect(many.body).toContain('At most 20 medication lines per visit');
    const huge = await postRows(drAhmed, `/visits/${id}`, [['diagnosis', 'Flu'], ...Array.from({ length: 200 }, (_, i): [string, string] => ['medication', `D${i}`])]);
    expect(huge.status).toBe(422);
    expect(huge.body).toContain('At most 20 medication lines per visit');
    const noName = await postRows(drAhmed, `/visits/${id}`, [['diagnosis', 'Flu'], ['medication', 'Aspirin'], ['dosage', '1'], ['medication', ''], ['dosage', '5 mg']]);
    expect(noName.status).toBe(422);
    expect(noName.body).toContain('Medication 2: enter the medication&#x27;s name');
    const reqs = await postRows(drAhmed, `/visits/${id}`, [['diagnosis', 'Flu'], ...Array.from({ length: 11 }, (_, i): [string, string] => ['requirementDescription', `Test ${i}`])]);
    expect(reqs.status).toBe(422);
    expect(reqs.body).toContain('At most 10 requirements per visit');
    expect(await status(id)).toBe('scheduled');
    expect(await count('consultations')).toBe(1);
  });

  it('leaves nothing behind when the invoice insert fails: no consultation, no prescription, the appointment unchanged', async () => {
    const id = await appointment(ahmed, await createPatient(t.dataSource, clinic), 'checked_in');
    const before = await written();
    const [counter] = await sql('SELECT last_number::int AS n FROM invoice_counter');
    await sql('ALTER TABLE invoices ADD CONSTRAINT force_fail CHECK (amount < 0) NOT VALID');
    try {
      const res = await postRows(drAhmed, `/visits/${id}`, SEED_VISIT);
      expect(res.status).toBe(500);
    } finally {
      await sql('ALTER TABLE invoices DROP CONSTRAINT force_fail');
    }
    expect(await written()).toEqual(before);
    expect(await status(id)).toBe('checked_in');
    expect(await sql('SELECT last_number::int AS n FROM invoice_counter')).toEqual([counter]);
    expect(await sql("SELECT 1 FROM audit_log WHERE action = 'visit.completed' AND entity_id = $1", [id])).toEqual([]);
    // and it can be completed afterwards, from checked in, with the next number (no gap)
    expect((await postRows(drAhmed, `/visits/${id}`, SEED_VISIT)).status).toBe(303);
    const [invoice] = await sql<{ number: number }[]>('SELECT number::int AS number FROM invoices WHERE appointment_id = $1', [id]);
    expect(invoice.number).toBe((counter as { n: number }).n + 1);
  });

  it('keeps the record immutable in the database; an amendment is appended, audited and shown', async () => {
    await expect(sql("UPDATE consultations SET diagnosis = 'x'")).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23001' }) });
    await expect(sql("UPDATE prescriptions SET dosage = 'x'")).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23001' }) });
    await expect(sql('DELETE FROM consultations')).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23001' }) });

    const empty = await drAhmed.post(`/visits/${seedId}/amendments`, { text: ' ' });
    expect(empty.status).toBe(422);
    expect(empty.body).toContain('Write the amendment');
    expect(empty.body).toContain('Mild angina');

    const added = await drAhmed.post(`/visits/${seedId}/amendments`, { text: 'ECG normal; angina confirmed by stress test' });
    expect(added.status).toBe(303);
    const fragment = await drAhmed.post(`/visits/${seedId}/amendments`, { text: 'Second <note>' }, { headers: HTMX });
    expect(fragment.status).toBe(200);
    expect(fragment.body).not.toContain('<html');
    expect(fragment.body).toContain('Second &lt;note&gt;');
    const page = await drAhmed.get(`/visits/${seedId}`);
    expect(page.body).toContain('ECG normal; angina confirmed by stress test');
    expect(page.body).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d — Dr\. Ahmed Hassan/); // when it was written: the real clock
    expect(page.body).toContain('Mild angina'); // the original stays
    expect(await sql("SELECT count(*)::int AS n FROM audit_log WHERE action = 'visit.amended' AND actor_id = $1", [ahmed.id])).toEqual([{ n: 2 }]);
    // only the visit's own doctor, only a completed visit
    expect((await drOther.post(`/visits/${seedId}/amendments`, { text: 'mine' })).status).toBe(403);
    const open = await appointment(ahmed, await createPatient(t.dataSource, clinic));
    expect((await drAhmed.post(`/visits/${open}/amendments`, { text: 'too early' })).status).toBe(409);
  });

  it("autocompletes medication names from this clinic's own past prescriptions only", async () => {
    const b = await createClinic(t.dataSource, { slug: uniqueSlug('visit-b') });
    const drB = await createDoctor(t.dataSource, b, { fullName: 'Dr. B' });
    const pB = await createPatient(t.dataSource, b);
    const [apptB] = await sql<{ id: string }[]>(
      `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at) VALUES ($1, $2, '2026-11-20T08:00Z', '2026-11-20T08:15Z') RETURNING id`,
      [pB.id, drB.doctorId],
      b,
    );
    await sql(
      `WITH c AS (INSERT INTO consultations (appointment_id, diagnosis) VALUES ($1, 'x') RETURNING id)
       INSERT INTO prescriptions (consultation_id, position, medication_name) SELECT id, 1, 'Aspirozyne-only-in-B' FROM c`,
      [apptB.id],
      b,
    );
    const mine = await drAhmed.get('/visits/medications?medication=asp', HTMX);
    expect(mine.status).toBe(200);
    expect(mine.body).toContain('<option value="Aspirin">');
    expect(mine.body).not.toContain('Aspirozyne');
    expect(mine.body).not.toContain('<html');
    expect((await drAhmed.get('/visits/medications?q=ASPI', HTMX)).body).toContain('Aspirin');
    expect((await drAhmed.get('/visits/medications?q=%25', HTMX)).body.trim()).toBe('');
    expect((await drAhmed.get('/visits/medications?q=', HTMX)).body.trim()).toBe('');
  });

  it('adds and removes rows over HTMX, each input labelled with its row number', async () => {
    const row = await drAhmed.get('/visits/lines/prescription?index=3', HTMX);
    expect(row.status).toBe(200);
    expect(row.body).not.toContain('<html');
    expect(row.body).toContain('<label for="medication-3">Medication 3</label>');
    expect(row.body).toContain('<label for="instructions-3">Instructions 3</label>');
    expect(row.body).toMatch(/id="add-prescription"[^>]*hx-swap-oob="true"[\s\S]*index=4/);
    const req = await drAhmed.get('/visits/lines/requirement?index=2', HTMX);
    expect(req.body).toContain('<label for="requirementDescription-2">Requirement 2</label>');
    const none = await drAhmed.get('/visits/lines/none', HTMX);
    expect(none.status).toBe(200);
    expect(none.body).toBe('');
    const open = await appointment(ahmed, await createPatient(t.dataSource, clinic));
    const form = await drAhmed.get(`/visits/${open}`, HTMX);
    expect(form.body).toContain('id="visit-form"');
    expect(form.body).not.toContain('<html');
    const record = await drAhmed.get(`/visits/${seedId}`, HTMX);
    expect(record.body).toContain('id="visit-record"');
    expect(record.body).not.toContain('<html');
  });

  it("answers 404 for another clinic's appointment id and for ids that are not ids", async () => {
    const b = await createClinic(t.dataSource, { slug: uniqueSlug('visit-c') });
    const drB = await createDoctor(t.dataSource, b, { fullName: 'Dr. C' });
    const pB = await createPatient(t.dataSource, b);
    // an id that exists in the other clinic only
    const [{ id: foreign }] = await sql<{ id: string }[]>(
      `INSERT INTO appointments (id, patient_id, doctor_id, starts_at, ends_at)
       OVERRIDING SYSTEM VALUE VALUES (987654, $1, $2, '2026-11-23T08:00Z', '2026-11-23T08:15Z') RETURNING id`,
      [pB.id, drB.doctorId],
      b,
    );
    expect(await sql('SELECT 1 FROM appointments WHERE id = $1', [foreign])).toEqual([]);
    for (const id of [foreign, 'abc', '1e3', '9999999999999999999']) {
      expect((await drAhmed.get(`/visits/${id}`)).status).toBe(404);
    }
    expect((await postRows(drAhmed, `/visits/${foreign}`, SEED_VISIT)).status).toBe(404);
    const token = await apiToken(t.url, host, ahmed);
    const res = await apiCall(t.url, host, token, 'GET', `/api/v1/visits/${foreign}`);
    expect(res.status).toBe(404);
    expect(res.json<ErrorBody>().error.code).toBe('visit_not_found');
    expect((await apiCall(t.url, host, token, 'POST', `/api/v1/visits/${foreign}/complete`, { diagnosis: 'x' })).status).toBe(404);
    expect(await sql('SELECT status FROM appointments WHERE id = $1', [foreign], b)).toEqual([{ status: 'scheduled' }]);
  });
});

describe('visits API', () => {
  let t: TestApp;
  const clock = new ManualClock(Date.parse('2026-11-23T07:00:00Z'));
  let clinic: Tenant;
  let host: string;
  let doctor: TestDoctor;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { SIGN_IN_RATE_LIMIT: '10000' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('visit-api') });
    host = `${clinic.slug}.localhost`;
    doctor = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan', fee: '150.00' });
    token = await apiToken(t.url, host, doctor);
  });

  afterAll(() => t.close());

  async function appointment(minutes: number, cost: string | null = null): Promise<string> {
    const patient = await createPatient(t.dataSource, clinic);
    const startsAt = new Date(Date.parse('2026-11-23T08:00:00Z') + minutes * 60_000);
    const [row] = await asClinic<{ id: string }[]>(
      t.dataSource,
      clinic,
      'INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, cost) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [patient.id, doctor.doctorId, startsAt, new Date(startsAt.getTime() + 15 * 60_000), cost],
    );
    return row.id;
  }

  const api = (method: string, path: string, body?: unknown) => apiCall(t.url, host, token, method, path, body);

  it('completes visits with invoice numbers 1, 2, 3 in order, at the cost or else the fee; gets and amends them', async () => {
    const ids = [await appointment(0), await appointment(15, '99.50'), await appointment(30)];
    const numbers: string[] = [];
    for (const id of ids) {
      const res = await api('POST', `/api/v1/visits/${id}/complete`, {
        symptoms: 'Cough',
        diagnosis: 'Bronchitis',
        prescriptions: [{ medicationName: 'Amoxicillin', dosage: '500 mg', duration: '7 days' }],
        requirements: [{ kind: 'imaging', description: 'Chest X-ray' }],
        followUp: { after: '1m', note: 'Recheck' },
      });
      expect(res.status).toBe(201);
      numbers.push(res.json<{ invoice: { number: string } }>().invoice.number);
    }
    expect(numbers).toEqual(['1', '2', '3']);

    const got = await api('GET', `/api/v1/visits/${ids[1]}`);
    expect(got.status).toBe(200);
    expect(got.json()).toMatchObject({
      appointment: { id: ids[1], status: 'completed', doctor: { fullName: 'Dr. Ahmed Hassan' } },
      completed: true,
      consultation: { symptoms: 'Cough', diagnosis: 'Bronchitis' },
      prescriptions: [{ position: 1, medicationName: 'Amoxicillin', dosage: '500 mg', duration: '7 days', instructions: '' }],
      requirements: [{ position: 1, kind: 'imaging', description: 'Chest X-ray' }],
      amendments: [],
      invoice: { number: '2', amount: '99.50', status: 'pending' },
      followUp: { dueOn: '2026-12-23', note: 'Recheck', status: 'open' },
    });
    expect((await api('GET', `/api/v1/visits/${ids[0]}`)).json()).toMatchObject({ invoice: { amount: '150.00' } });

    const amended = await api('POST', `/api/v1/visits/${ids[1]}/amendments`, { text: 'X-ray clear' });
    expect(amended.status).toBe(201);
    expect(amended.json()).toMatchObject({ amendments: [{ text: 'X-ray clear', createdBy: 'Dr. Ahmed Hassan' }] });
    expect((await api('POST', `/api/v1/visits/${ids[1]}/amendments`, { text: '' })).status).toBe(422);

    const again = await api('POST', `/api/v1/visits/${ids[0]}/complete`, { diagnosis: 'Again' });
    expect(again.status).toBe(409);
    expect(again.json<ErrorBody>().error.code).toBe('invalid_transition');
  });

  it('lets an admin read a visit, not complete it', async () => {
    const admin = await createUser(t.dataSource, clinic, { role: 'admin' });
    const adminToken = await apiToken(t.url, host, admin);
    const id = await appointment(60);
    expect((await apiCall(t.url, host, adminToken, 'GET', `/api/v1/visits/${id}`)).json()).toMatchObject({ completed: false, canComplete: true });
    expect((await apiCall(t.url, host, adminToken, 'POST', `/api/v1/visits/${id}/complete`, { diagnosis: 'x' })).status).toBe(403);
  });

  it('validates the body: empty diagnosis, 21 lines, a bad kind, a past follow-up date', async () => {
    const id = await appointment(90);
    const cases: [unknown, string][] = [
      [{ diagnosis: '' }, 'diagnosis'],
      [{ diagnosis: 'x', prescriptions: Array.from({ length: 21 }, (_, i) => ({ medicationName: `D${i}` })) }, 'prescriptions'],
      [{ diagnosis: 'x', requirements: [{ kind: 'blood', description: 'CBC' }] }, 'requirements.0.kind'],
      [{ diagnosis: 'x', followUp: { on: '2026-11-01' } }, 'followUpDate'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', `/api/v1/visits/${id}/complete`, body);
      expect(res.status).toBe(422);
      expect(Object.keys(res.json<ErrorBody>().error.fields ?? {})).toContain(field);
    }
    expect(await asClinic(t.dataSource, clinic, 'SELECT status FROM appointments WHERE id = $1', [id])).toEqual([{ status: 'scheduled' }]);
  });

  it('serialises two concurrent completions of one visit: one 201, one 409', async () => {
    const id = await appointment(120);
    const results = await Promise.all([1, 2].map(() => api('POST', `/api/v1/visits/${id}/complete`, { diagnosis: 'Flu' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await asClinic(t.dataSource, clinic, 'SELECT count(*)::int AS n FROM invoices WHERE appointment_id = $1', [id])).toEqual([{ n: 1 }]);
  });
});
