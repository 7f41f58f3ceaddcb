import type { Tenant } from '../../src/platform/tenant';
import { ClinicClient, ManualClock } from '../support/clinic-client';
import { createDoctor, createPatient, type TestDoctor, type TestPatient } from '../support/front-desk';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

const stores: [string, NodeJS.ProcessEnv][] = [['memory', {}]];
if (process.env.REDIS_URL) stores.push(['redis', { REDIS_URL: process.env.REDIS_URL }]);

/** The seed story's morning at the front desk, through the pages a receptionist uses. */
describe.each(stores)('front desk pages (%s cache)', (_store, env) => {
  let t: TestApp;
  // Monday 2026-11-23, 09:00 in Cairo
  const clock = new ManualClock(Date.parse('2026-11-23T07:00:00Z'));
  let clinic: Tenant;
  let sarah: TestUser;
  let desk: ClinicClient;
  let ahmed: TestDoctor;
  let amir: TestPatient;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ...env, SIGN_IN_RATE_LIMIT: '10000' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('desk') });
    sarah = await createUser(t.dataSource, clinic, { role: 'reception', fullName: 'Sarah Mahmoud' });
    ahmed = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan' });
    amir = await createPatient(t.dataSource, clinic, { firstName: 'Amir', lastName: 'Hassan' });
    desk = new ClinicClient(t.url, `${clinic.slug}.localhost`);
    await desk.primeCsrf();
    expect((await desk.post('/login', { username: sarah.username, password: sarah.password! })).headers.location).toBe('/reception');
    await desk.primeCsrf('/reception'); // the CSRF token is bound to the new session
  });

  afterAll(() => t.close());

  const count = (page: string, status: string) => new RegExp(`data-status="${status}">(\\d+)<`).exec(page)?.[1];

  it('books Amir at 10:30 from his profile, returns there, and the board shows him at once', async () => {
    const empty = await desk.get('/reception');
    expect(empty.status).toBe(200);
    expect(empty.body).toContain('No appointments today yet.');

    const form = await desk.get(`/appointments/new?patientId=${amir.id}&next=/patients/${amir.id}`);
    expect(form.status).toBe(200);
    expect(form.body).toContain('Amir Hassan');
    expect(form.body).toContain('Dr. Ahmed Hassan');

    const slots = await desk.get(`/appointments/slots?doctorId=${ahmed.doctorId}&date=2026-11-23`, { 'HX-Request': 'true' });
    expect(slots.body).toContain('value="10:30"');
    expect(slots.body).not.toContain('<html');

    const booked = await desk.post('/appointments', { patientId: amir.id, doctorId: ahmed.doctorId, date: '2026-11-23', time: '10:30', next: `/patients/${amir.id}` });
    expect(booked.status).toBe(303);
    expect(booked.headers.location).toBe(`/patients/${amir.id}`);

    const board = await desk.get('/reception');
    expect(board.body).toContain('Amir Hassan');
    expect(board.body).toContain('Check in Amir Hassan');
    expect(count(board.body, 'scheduled')).toBe('1');
  });

  it('keeps what was typed and offers other times when the slot is taken (409), with the doctors still listed', async () => {
    const res = await desk.post('/appointments', { patientId: amir.id, doctorId: ahmed.doctorId, date: '2026-11-23', time: '10:30', notes: 'Second try' });
    expect(res.status).toBe(409);
    expect(res.body).toContain('Dr. Ahmed Hassan already has a patient at 10:30 — pick another time.');
    expect(res.body).toContain('Free times nearby: 09:45, 10:00, 10:15, 10:45, 11:00, 11:15');
    expect(res.body).toContain('Second try');
    expect(res.body).toMatch(/<option value="\d+" selected>Dr\. Ahmed Hassan/);
    expect(res.body).toMatch(/value="10:30"[^>]*disabled/);

    const htmx = await desk.post('/appointments', { patientId: amir.id, doctorId: ahmed.doctorId, date: '2026-11-23', time: '10:30' }, { headers: { 'HX-Request': 'true' } });
    expect(htmx.status).toBe(409);
    expect(htmx.body).toContain('id="booking-form"');
    expect(htmx.body).not.toContain('<html');
  });

  it('keeps the time already picked when the times reload, unless it is no longer free', async () => {
    const reload = (time: string) => desk.get(`/appointments/slots?doctorId=${ahmed.doctorId}&date=2026-11-23&time=${time}`, { 'HX-Request': 'true' });
    const checked = (body: string) => [...body.matchAll(/value="(\d\d:\d\d)" checked/g)].map((m) => m[1]);
    expect(checked((await reload('11:00')).body)).toEqual(['11:00']);
    expect(checked((await reload('10:30')).body)).toEqual([]); // Amir has it
  });

  it('checks Amir in and cancels another booking from the board, the board and its counts changing at once', async () => {
    const other = await createPatient(t.dataSource, clinic, { firstName: 'Mona', lastName: 'Adel' });
    await desk.post('/appointments', { patientId: other.id, doctorId: ahmed.doctorId, date: '2026-11-23', time: '11:00' });
    const before = await desk.get('/reception'); // cached now
    expect(count(before.body, 'scheduled')).toBe('2');
    const [{ id }] = await asClinic<{ id: string }[]>(t.dataSource, clinic, 'SELECT id FROM appointments WHERE patient_id = $1', [amir.id]);

    const checkedIn = await desk.post(`/appointments/${id}/check-in`, {}, { headers: { 'HX-Request': 'true', 'HX-Target': 'board' } });
    expect(checkedIn.status).toBe(200);
    expect(checkedIn.headers['hx-trigger']).toBe('appointments-changed');
    expect(checkedIn.body).toContain('id="board"');
    expect(count(checkedIn.body, 'checked_in')).toBe('1');
    expect(count((await desk.get('/reception')).body, 'checked_in')).toBe('1');

    const [{ id: monaId }] = await asClinic<{ id: string }[]>(t.dataSource, clinic, 'SELECT id FROM appointments WHERE patient_id = $1', [other.id]);
    const cancelled = await desk.post(`/appointments/${monaId}/cancel`, { reason: 'Called to cancel' });
    expect(cancelled.status).toBe(303);
    const after = await desk.get('/reception');
    expect(count(after.body, 'cancelled')).toBe('1');
    expect(count(after.body, 'scheduled')).toBe('0');
  });

  it('reflects a booking made through the API too (one cache for pages and API)', async () => {
    const p = await createPatient(t.dataSource, clinic, { firstName: 'Omar', lastName: 'Said' });
    await desk.get('/reception');
    const token = (
      await desk.request('POST', '/api/v1/auth/login', {
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ username: sarah.username, password: sarah.password }),
      })
    ).json<{ accessToken: string }>().accessToken;
    const res = await desk.request('POST', '/api/v1/appointments', {
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ patientId: p.id, doctorId: ahmed.doctorId, date: '2026-11-23', time: '12:00' }),
    });
    expect(res.status).toBe(201);
    expect((await desk.get('/reception')).body).toContain('Omar Said');
  });

  it('shows an appointment page and its fragment, the day list and its fragment; 404 for an unknown id', async () => {
    const [{ id }] = await asClinic<{ id: string }[]>(t.dataSource, clinic, 'SELECT id FROM appointments WHERE patient_id = $1', [amir.id]);
    const page = await desk.get(`/appointments/${id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html');
    expect(page.body).toContain('Checked in');
    const fragment = await desk.get(`/appointments/${id}`, { 'HX-Request': 'true' });
    expect(fragment.body).toContain('id="appointment"');
    expect(fragment.body).not.toContain('<html');
    const list = await desk.get('/appointments?date=2026-11-23');
    expect(list.body).toContain('Amir Hassan');
    const listFragment = await desk.get('/appointments?date=2026-11-23&status=cancelled', { 'HX-Request': 'true' });
    expect(listFragment.body).toContain('Mona Adel');
    expect(listFragment.body).not.toContain('Amir Hassan');
    expect(listFragment.body).not.toContain('<html');
    expect((await desk.get('/appointments/999999')).status).toBe(404);
    expect((await desk.get('/appointments/abc')).status).toBe(404);
  });

  it('renders names escaped everywhere', async () => {
    const evil = await createPatient(t.dataSource, clinic, { firstName: '<script>alert(1)</script>', lastName: 'X' });
    await desk.post('/appointments', { patientId: evil.id, doctorId: ahmed.doctorId, date: '2026-11-23', time: '13:00' });
    const board = await desk.get('/reception');
    expect(board.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(board.body).not.toContain('<script>alert(1)');
  });

  it("refuses another clinic's appointment ids with 404", async () => {
    const other = await createClinic(t.dataSource, { slug: uniqueSlug('desk-b') });
    const otherDesk = await createUser(t.dataSource, other, { role: 'reception' });
    const c = new ClinicClient(t.url, `${other.slug}.localhost`);
    await c.primeCsrf();
    await c.post('/login', { username: otherDesk.username, password: otherDesk.password! });
    const [{ id }] = await asClinic<{ id: string }[]>(t.dataSource, clinic, 'SELECT id FROM appointments WHERE patient_id = $1', [amir.id]);
    expect((await c.get(`/appointments/${id}`)).status).toBe(404);
    expect((await c.post(`/appointments/${id}/cancel`, { reason: 'x' })).status).toBe(404);
    expect((await c.get('/reception')).body).not.toContain('Amir Hassan');
  });
});
