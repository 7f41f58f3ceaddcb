import { DateTime } from 'luxon';
import { SessionService } from '../../src/auth/session.service';
import type { Tenant } from '../../src/platform/tenant';
import { ClinicClient } from '../support/clinic-client';
import { createDoctor, createPatient } from '../support/front-desk';
import type { HttpResponse } from '../support/http';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

const ZONE = 'Africa/Cairo';

interface ApiPatient {
  id: string;
  fileNumber: string;
  firstName: string;
  lastName: string;
  fullName: string;
  dateOfBirth: string;
  gender: string;
  phone: string | null;
  address: string | null;
  nationalId: string | null;
  portalUsername: string | null;
}

interface ApiPage {
  q: string;
  page: number;
  pageSize: number;
  total: number;
  pages: number;
  patients: ApiPatient[];
}

/** One app; clinics and people made per test where state matters. */
function harness() {
  const h = {} as {
    t: TestApp;
    clinic(prefix: string): Promise<Tenant>;
    hostOf(clinic: Tenant): string;
    browser(clinic: Tenant, user: TestUser): Promise<ClinicClient>;
    token(clinic: Tenant, user: TestUser): Promise<string>;
    api(clinic: Tenant, token: string, method: string, path: string, body?: unknown): Promise<HttpResponse>;
    sql<T>(clinic: Tenant, sql: string, params?: unknown[]): Promise<T[]>;
  };
  beforeAll(async () => {
    h.t = await startTestApp({ env: { SIGN_IN_RATE_LIMIT: '10000' } });
  });
  afterAll(() => h.t.close());

  h.clinic = (prefix) => createClinic(h.t.dataSource, { slug: uniqueSlug(prefix) });
  h.hostOf = (clinic) => `${clinic.slug}.localhost`;
  h.browser = (clinic, user) => signedInBrowser(h.t.url, h.hostOf(clinic), user);
  h.token = (clinic, user) => apiToken(h.t.url, h.hostOf(clinic), user);
  h.api = (clinic, token, method, path, body) => apiCall(h.t.url, h.hostOf(clinic), token, method, path, body);
  h.sql = (clinic, sql, params = []) => asClinic(h.t.dataSource, clinic, sql, params);
  return h;
}

const htmx = (host: string, path = '/patients') => ({ 'HX-Request': 'true', 'HX-Current-URL': `http://${host}${path}` });

/** A valid Egyptian mobile number nobody else in the test has, as a person types it. */
let phoneCounter = 0;
const freshPhone = () => `011${String(Date.now() % 1e4).padStart(4, '0')}${String(++phoneCounter).padStart(4, '0')}`;
const e164 = (local: string) => `+20${local.replace(/\s/g, '').slice(1)}`;

const patientForm = (overrides: Record<string, string> = {}) => ({
  firstName: 'Amir',
  lastName: 'Hassan',
  dateOfBirth: '1985-06-15',
  gender: 'male',
  phone: '',
  address: '',
  nationalId: '',
  username: '',
  ...overrides,
});

const idFrom = (res: HttpResponse) => /^\/patients\/(\d+)\?done=(created|updated)$/.exec(String(res.headers.location))?.[1];

describe('patients at /patients', () => {
  const h = harness();
  let clinic: Tenant;
  let admin: TestUser;
  let reception: TestUser;
  let doctor: TestUser;
  let patientUser: TestUser;
  let desk: ClinicClient;
  let doc: ClinicClient;

  beforeAll(async () => {
    clinic = await h.clinic('patients');
    admin = await createUser(h.t.dataSource, clinic, { role: 'admin', fullName: 'Owner Olfat' });
    reception = await createUser(h.t.dataSource, clinic, { role: 'reception', fullName: 'Reception Rami' });
    doctor = await createUser(h.t.dataSource, clinic, { role: 'doctor', fullName: 'Doctor Dalia' });
    patientUser = await createUser(h.t.dataSource, clinic, { role: 'patient', fullName: 'Portal Pakinam', phone: '+201099990000' });
    desk = await h.browser(clinic, reception);
    doc = await h.browser(clinic, doctor);
  });

  const counts = async (c = clinic) =>
    (
      await h.sql<{ patients: number; users: number; audits: number }>(
        c,
        `SELECT (SELECT count(*) FROM patients)::int AS patients, (SELECT count(*) FROM users)::int AS users,
                (SELECT count(*) FROM audit_log WHERE action LIKE 'patient.%')::int AS audits`,
      )
    )[0];

  describe('registering', () => {
    it('gives each new file the next number of the clinic (000001, 000002), redirects to the profile and audits with the actor', async () => {
      const fresh = await h.clinic('numbers');
      const owner = await createUser(h.t.dataSource, fresh, { role: 'admin' });
      const browser = await h.browser(fresh, owner);
      const first = await browser.post('/patients', patientForm({ firstName: 'First', lastName: 'Filed' }));
      expect(first.status).toBe(303);
      const second = await browser.post('/patients', patientForm({ firstName: 'Second', lastName: 'Filed', dateOfBirth: '1990-01-31', gender: 'female' }));
      expect(second.status).toBe(303);
      const rows = await h.sql<{ id: string; file_number: string; first_name: string; user_id: string | null }>(
        fresh,
        'SELECT id, file_number, first_name, user_id FROM patients ORDER BY id',
      );
      expect(rows.map((r) => [r.first_name, r.file_number, r.user_id])).toEqual([
        ['First', '000001', null],
        ['Second', '000002', null],
      ]);
      expect(first.headers.location).toBe(`/patients/${rows[0].id}?done=created`);

      const profile = await browser.get(String(first.headers.location));
      expect(profile.status).toBe(200);
      expect(profile.body).toContain('<html');
      expect(profile.body).toContain('First Filed was registered with file number 000001.');

      const audit = await h.sql<{ action: string; actor_id: string; entity: string; entity_id: string; ip: string; details: Record<string, unknown> }>(
        fresh,
        `SELECT action, actor_id, entity, entity_id, host(ip) AS ip, details FROM audit_log WHERE action LIKE 'patient.%' ORDER BY id`,
      );
      expect(audit).toEqual([
        { action: 'patient.created', actor_id: owner.id, entity: 'patient', entity_id: rows[0].id, ip: '127.0.0.1', details: expect.objectContaining({ fileNumber: '000001', portalIdentity: 'none' }) },
        { action: 'patient.created', actor_id: owner.id, entity: 'patient', entity_id: rows[1].id, ip: '127.0.0.1', details: expect.objectContaining({ fileNumber: '000002' }) },
      ]);
    });

    it('offers the form as a page and as a fragment; doctors may not register', async () => {
      const page = await desk.get('/patients/new');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<html');
      expect(page.body).toMatch(/<form method="post" action="\/patients" class="form" id="patient-form"/);
      expect(page.body).toContain('id="username-field"');
      expect(page.body).not.toMatch(/<script(?![^>]*src=)/); // no inline scripts (CSP)
      expect(page.body).not.toMatch(/\sstyle=/);
      const fragment = await desk.get('/patients/new', htmx(h.hostOf(clinic)));
      expect(fragment.status).toBe(200);
      expect(fragment.body).not.toContain('<html');
      expect(fragment.body.trimStart()).toMatch(/^<form method="post" action="\/patients"/);
      expect((await doc.get('/patients/new')).status).toBe(403);
      const owner = await h.browser(clinic, admin);
      expect((await owner.get('/patients/new')).status).toBe(200);
    });

    it('suggests a free portal username from the name (HTMX asks when a name changes), keeping one that was typed', async () => {
      await createUser(h.t.dataSource, clinic, { role: 'patient', username: 'sara.suggested', phone: '+201000000001' });
      const ask = (query: string) => desk.get(`/patients/username-suggestion?${query}`, htmx(h.hostOf(clinic), '/patients/new'));
      const suggested = await ask('firstName=S%C3%A1ra&lastName=Suggested&username=');
      expect(suggested.status).toBe(200);
      expect(suggested.body.trimStart()).toMatch(/^<div id="username-field" hx-get="\/patients\/username-suggestion"/);
      expect(suggested.body).toContain('value="sara.suggested2"');
      expect((await ask('firstName=Sara&lastName=Suggested&username=my.own')).body).toContain('value="my.own"');
      const arabic = await ask(`firstName=${encodeURIComponent('أحمد')}&lastName=${encodeURIComponent('علي')}&username=`);
      expect(arabic.status).toBe(200);
      expect(arabic.body).not.toContain('value=');
      expect((await doc.get('/patients/username-suggestion?firstName=A&lastName=B')).status).toBe(403);
    });

    it('creates the portal identity from phone + username; the patient then signs in at /portal/login', async () => {
      const phone = freshPhone();
      const username = `amir.${Date.now()}`;
      const res = await desk.post('/patients', patientForm({ phone, username, address: '12 Nile St, Giza', nationalId: `EG-${Date.now()}` }));
      expect(res.status).toBe(303);
      const id = idFrom(res)!;
      const [row] = await h.sql<{ phone: string; user_id: string; role: string; username: string; user_phone: string; full_name: string; password_hash: string | null }>(
        clinic,
        `SELECT p.phone, p.user_id, u.role, u.username::text AS username, u.phone AS user_phone, u.full_name, u.password_hash
           FROM patients p JOIN users u ON u.id = p.user_id WHERE p.id = $1`,
        [id],
      );
      expect(row).toEqual(expect.objectContaining({ phone: e164(phone), role: 'patient', username, user_phone: e164(phone), full_name: 'Amir Hassan', password_hash: null }));
      const profile = await desk.get(String(res.headers.location));
      expect(profile.body).toContain(`They can sign in to the patient portal with their phone number and the username ${username}.`);

      const portal = new ClinicClient(h.t.url, h.hostOf(clinic));
      await portal.primeCsrf('/portal/login');
      const signIn = await portal.post('/portal/login', { phone: `+20 ${phone.slice(1)}`, username });
      expect(signIn.status).toBe(303);
      expect(signIn.headers.location).toBe('/portal');
    });

    it('links an existing patient user with the same username and phone instead of creating another', async () => {
      const phone = freshPhone();
      const existing = await createUser(h.t.dataSource, clinic, { role: 'patient', username: `family-${Date.now()}`, phone: e164(phone) });
      const before = await counts();
      const res = await desk.post('/patients', patientForm({ firstName: 'Linked', phone, username: existing.username.toUpperCase() }));
      expect(res.status).toBe(303);
      const after = await counts();
      expect(after.users).toBe(before.users);
      const [row] = await h.sql<{ user_id: string }>(clinic, 'SELECT user_id FROM patients WHERE id = $1', [idFrom(res)]);
      expect(row.user_id).toBe(existing.id);
      const [audit] = await h.sql<{ details: { portalIdentity: string } }>(clinic, `SELECT details FROM audit_log WHERE action = 'patient.created' AND entity_id = $1`, [idFrom(res)]);
      expect(audit.details.portalIdentity).toBe('linked');

      // now linked: a second file may not take the same identity
      const again = await desk.post('/patients', patientForm({ firstName: 'Other', dateOfBirth: '2001-01-01', phone, username: existing.username }));
      expect(again.status).toBe(409);
      expect(again.body).toMatch(/This username is the portal identity of file \d{6}; choose another one/);
    });

    it('refuses a username that a staff member or a patient with another phone has (409), and a username without a phone (422), writing nothing', async () => {
      const before = await counts();
      const staff = await desk.post('/patients', patientForm({ phone: freshPhone(), username: doctor.username }));
      expect(staff.status).toBe(409);
      expect(staff.body).toContain('id="username-error"');
      expect(staff.body).toContain('This username is already taken; choose another one');
      expect(staff.body).toContain('value="Amir"'); // what was typed is kept

      const otherPhone = await desk.post('/patients', patientForm({ phone: freshPhone(), username: patientUser.username }));
      expect(otherPhone.status).toBe(409);
      expect(otherPhone.body).toContain('id="username-error"');

      const noPhone = await desk.post('/patients', patientForm({ username: 'lonely.user' }));
      expect(noPhone.status).toBe(422);
      expect(noPhone.body).toContain('A portal account needs the patient’s phone number');
      expect(await counts()).toEqual(before);
    });

    it('with HTMX: the profile replaces the screen, its URL is pushed and HX-Trigger sent', async () => {
      const host = h.hostOf(clinic);
      const res = await desk.post('/patients', patientForm({ firstName: 'Hana', lastName: 'Htmx', gender: 'female' }), { headers: htmx(host, '/patients/new') });
      expect(res.status).toBe(200);
      expect(res.body).not.toContain('<html');
      expect(res.body.trimStart()).toMatch(/^<section id="patient-screen"/);
      expect(res.body).toContain('Hana Htmx was registered with file number');
      expect(res.headers['hx-trigger']).toBe('patients-changed');
      expect(res.headers['hx-retarget']).toBe('#patient-screen');
      expect(res.headers['hx-reswap']).toBe('outerHTML');
      expect(res.headers['hx-push-url']).toMatch(/^\/patients\/\d+$/);
    });
  });

  describe('duplicates', () => {
    it('warns when the phone and date of birth match a file, links to it, and registers anyway when confirmed', async () => {
      const phone = freshPhone();
      const first = await desk.post('/patients', patientForm({ firstName: 'Dina', lastName: 'Twin', gender: 'female', dateOfBirth: '2015-03-01', phone }));
      const firstId = idFrom(first)!;
      const [{ file_number: fileNumber }] = await h.sql<{ file_number: string }>(clinic, 'SELECT file_number FROM patients WHERE id = $1', [firstId]);
      const before = await counts();

      const form = patientForm({ firstName: 'Dalia', lastName: 'Twin', gender: 'female', dateOfBirth: '2015-03-01', phone: `+20 ${phone.slice(1)}` });
      const warned = await desk.post('/patients', form);
      expect(warned.status).toBe(409);
      expect(warned.body).toContain('<html');
      expect(warned.body).toContain('id="duplicate-warning"');
      expect(warned.body).toContain(`<a href="/patients/${firstId}">Open file ${fileNumber} — <span dir="auto">Dina Twin</span></a>`);
      expect(warned.body).toMatch(/<button type="submit" name="confirmDuplicate" value="yes"[^>]*>Register anyway<\/button>/);
      expect(warned.body).toContain('value="Dalia"');
      expect(await counts()).toEqual(before);

      const fragment = await desk.post('/patients', form, { headers: htmx(h.hostOf(clinic), '/patients/new') });
      expect(fragment.status).toBe(409);
      expect(fragment.body).not.toContain('<html');
      expect(fragment.body.trimStart()).toMatch(/^<form method="post" action="\/patients"/);
      expect(fragment.body).toContain('Register anyway');

      const anyway = await desk.post('/patients', { ...form, confirmDuplicate: 'yes' });
      expect(anyway.status).toBe(303);
      expect((await counts()).patients).toBe(before.patients + 1);
      const [audit] = await h.sql<{ details: { confirmedDuplicate?: boolean } }>(clinic, `SELECT details FROM audit_log WHERE action = 'patient.created' AND entity_id = $1`, [idFrom(anyway)]);
      expect(audit.details.confirmedDuplicate).toBe(true);
    });
  });

  describe('bad input', () => {
    const tomorrow = () => DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate()!;

    it('refuses each bad field with 422 and its message beside the field, writing nothing', async () => {
      const before = await counts();
      const cases: [Record<string, string>, string, string][] = [
        [{ firstName: 'x'.repeat(10_000) }, 'firstName', 'Enter the first name (1 to 100 characters)'],
        [{ lastName: '' }, 'lastName', 'Enter the last name (1 to 100 characters)'],
        [{ lastName: 'Bell\u0007Name' }, 'lastName', 'A name cannot contain control characters'],
        [{ dateOfBirth: tomorrow() }, 'dateOfBirth', 'The date of birth cannot be in the future'],
        [{ dateOfBirth: '2030-01-01' }, 'dateOfBirth', 'The date of birth cannot be in the future'],
        [{ dateOfBirth: '2026-02-30' }, 'dateOfBirth', 'There is no such date as 2026-02-30'],
        [{ dateOfBirth: '1899-12-31' }, 'dateOfBirth', 'Enter a date of birth from 1900 on'],
        [{ dateOfBirth: '15/06/1985' }, 'dateOfBirth', 'Enter the date of birth as YYYY-MM-DD'],
        [{ gender: 'other' }, 'gender', 'Choose male or female'],
        [{ phone: '12345' }, 'phone', 'Enter a valid phone number'],
        [{ phone: 'not a phone' }, 'phone', 'Enter a valid phone number'],
        [{ address: 'a'.repeat(501) }, 'address', 'Keep the address to at most 500 characters'],
        [{ nationalId: 'ab' }, 'nationalId', 'Enter the national id as 4 to 32 letters, digits or dashes'],
        [{ username: 'no spaces' }, 'username', 'letters, digits, dots, dashes or underscores, no spaces'],
      ];
      for (const [fields, field, message] of cases) {
        const res = await desk.post('/patients', patientForm(fields));
        expect([field, res.status]).toEqual([field, 422]);
        expect(res.body).toContain('<html');
        expect(res.body).toMatch(new RegExp(`<p class="field-error" id="${field}-error"><span>[^<]*${message.replace(/[()]/g, '\\$&')}`));
      }
      const fragment = await desk.post('/patients', patientForm({ dateOfBirth: '2026-02-30' }), { headers: htmx(h.hostOf(clinic), '/patients/new') });
      expect(fragment.status).toBe(422);
      expect(fragment.body).not.toContain('<html');
      expect(fragment.body.trimStart()).toMatch(/^<form method="post" action="\/patients"/);
      expect(fragment.body).toContain('id="dateOfBirth-error"');
      expect(await counts()).toEqual(before);
    });

    it('stores HTML in a name as typed and renders it escaped on every page', async () => {
      const res = await desk.post('/patients', patientForm({ firstName: '<script>alert(1)</script>', lastName: '<b>Bold</b>' }));
      expect(res.status).toBe(303);
      const id = idFrom(res)!;
      const [row] = await h.sql<{ first_name: string }>(clinic, 'SELECT first_name FROM patients WHERE id = $1', [id]);
      expect(row.first_name).toBe('<script>alert(1)</script>');
      const pages = [
        await desk.get(`/patients/${id}`),
        await desk.get(`/patients/${id}`, htmx(h.hostOf(clinic))),
        await desk.get(`/patients/${id}/edit`),
        await desk.get(`/patients?q=${encodeURIComponent('<script>')}`),
        await desk.get(`/patients?q=${encodeURIComponent('<script>')}`, htmx(h.hostOf(clinic))),
      ];
      for (const page of pages) {
        expect(page.status).toBe(200);
        expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(page.body).not.toContain('<script>alert(1)');
        expect(page.body).not.toContain('<b>Bold</b>');
      }
    });
  });

  describe('the profile', () => {
    it('shows the file, the age, upcoming and past appointments in the clinic’s time zone, and the booking link back here', async () => {
      const patient = await createPatient(h.t.dataSource, clinic, { firstName: 'Profile', lastName: 'Person', dateOfBirth: '1990-02-20', phone: '+201012340000' });
      const dr = await createDoctor(h.t.dataSource, clinic, { fullName: 'Dr Sameh Profile' });
      const soon = DateTime.now().setZone(ZONE).plus({ days: 2 }).set({ hour: 10, minute: 30, second: 0, millisecond: 0 });
      const before = DateTime.now().setZone(ZONE).minus({ days: 3 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
      const later = soon.plus({ days: 1 });
      const insert = `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, cancelled_at)
                      VALUES ($1, $2, $3, $3::timestamptz + interval '15 minutes', $4, CASE WHEN $4 = 'cancelled' THEN now() END) RETURNING id`;
      await h.sql(clinic, insert, [patient.id, dr.doctorId, soon.toISO(), 'scheduled']);
      await h.sql(clinic, insert, [patient.id, dr.doctorId, before.toISO(), 'completed']);
      await h.sql(clinic, insert, [patient.id, dr.doctorId, later.toISO(), 'cancelled']);

      const page = await desk.get(`/patients/${patient.id}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<html');
      expect(page.body).toMatch(/<title>Profile Person · /);
      expect(page.body).toContain(`File ${patient.fileNumber}`);
      const age = Math.floor(DateTime.now().setZone(ZONE).diff(DateTime.fromISO('1990-02-20', { zone: ZONE }), 'years').years);
      expect(page.body).toContain(`${age} (born 1990-02-20)`);
      expect(page.body).toContain('+201012340000');
      // Handlebars escapes = and & in the attribute; the browser reads /appointments/new?patientId=<id>&next=/patients/<id>
      expect(page.body).toContain(`href="/appointments/new?patientId&#x3D;${patient.id}&amp;next&#x3D;/patients/${patient.id}"`);
      expect(page.body).toContain(`href="/patients/${patient.id}/edit"`);

      const upcoming = page.body.slice(page.body.indexOf('id="upcoming-appointments"'), page.body.indexOf('id="past-appointments"'));
      const past = page.body.slice(page.body.indexOf('id="past-appointments"'));
      expect(upcoming).toContain(soon.toFormat('ccc d LLL yyyy, HH:mm'));
      expect(upcoming).toContain('Dr Sameh Profile');
      expect(upcoming).toContain('Scheduled');
      expect(upcoming).not.toContain('Cancelled');
      expect(past).toContain(before.toFormat('ccc d LLL yyyy, HH:mm'));
      expect(past).toContain('Completed');
      expect(past).toContain(later.toFormat('ccc d LLL yyyy, HH:mm'));
      expect(past).toContain('Cancelled');

      const fragment = await desk.get(`/patients/${patient.id}`, htmx(h.hostOf(clinic)));
      expect(fragment.status).toBe(200);
      expect(fragment.body).not.toContain('<html');
      expect(fragment.body.trimStart()).toMatch(/^<section id="patient-screen"/);
      expect(fragment.headers.vary).toMatch(/HX-Request/i);

      const token = await h.token(clinic, reception);
      const api = await h.api(clinic, token, 'GET', `/api/v1/patients/${patient.id}`);
      expect(api.status).toBe(200);
      const body = api.json<{ patient: ApiPatient; age: number; upcoming: { doctorName: string; status: string; date: string; time: string }[]; past: unknown[] }>();
      expect(body.patient).toEqual(expect.objectContaining({ id: patient.id, fileNumber: patient.fileNumber, fullName: 'Profile Person' }));
      expect(body.age).toBe(age);
      expect(body.upcoming).toEqual([expect.objectContaining({ doctorName: 'Dr Sameh Profile', status: 'scheduled', date: soon.toISODate(), time: '10:30' })]);
      expect(body.past).toHaveLength(2);
    });

    it('is read-only for doctors: pages and API readable, every write 403', async () => {
      const patient = await createPatient(h.t.dataSource, clinic, { firstName: 'Readonly', lastName: 'Rania' });
      const page = await doc.get(`/patients/${patient.id}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Readonly Rania');
      expect(page.body).not.toContain(`/patients/${patient.id}/edit`);
      expect((await doc.get('/patients?q=readonly')).body).toContain('Readonly Rania');
      expect((await doc.post('/patients', patientForm())).status).toBe(403);
      expect((await doc.post(`/patients/${patient.id}`, patientForm())).status).toBe(403);
      expect((await doc.get(`/patients/${patient.id}/edit`)).status).toBe(403);
      const token = await h.token(clinic, doctor);
      expect((await h.api(clinic, token, 'GET', `/api/v1/patients/${patient.id}`)).status).toBe(200);
      expect((await h.api(clinic, token, 'GET', '/api/v1/patients?q=readonly')).status).toBe(200);
      const post = await h.api(clinic, token, 'POST', '/api/v1/patients', { firstName: 'A', lastName: 'B', dateOfBirth: '1990-01-01', gender: 'male' });
      expect(post.status).toBe(403);
      expect(post.json()).toEqual({ error: { code: 'role_forbidden', message: expect.any(String) } });
      expect((await h.api(clinic, token, 'PATCH', `/api/v1/patients/${patient.id}`, { firstName: 'X' })).status).toBe(403);

      const session = await h.t.app.get(SessionService).start(clinic.id, {
        userId: patientUser.id,
        role: 'patient',
        fullName: patientUser.fullName,
        username: patientUser.username,
      });
      const portal = new ClinicClient(h.t.url, h.hostOf(clinic));
      portal.setCookie('session', session.accessToken);
      expect((await portal.get('/patients')).status).toBe(403);
      expect((await portal.get(`/patients/${patient.id}`)).status).toBe(403);
      expect((await h.api(clinic, session.accessToken, 'GET', '/api/v1/patients')).status).toBe(403);
    });
  });

  describe('editing', () => {
    it('updates the file and its portal identity (name, phone), audits the changes, and the patient signs in with the new phone', async () => {
      const oldPhone = freshPhone();
      const created = await desk.post('/patients', patientForm({ firstName: 'Edit', lastName: 'Me', phone: oldPhone, username: `edit.me.${Date.now()}` }));
      const id = idFrom(created)!;
      const [{ user_id: userId, username }] = await h.sql<{ user_id: string; username: string }>(
        clinic,
        'SELECT p.user_id, u.username::text AS username FROM patients p JOIN users u ON u.id = p.user_id WHERE p.id = $1',
        [id],
      );

      const form = await desk.get(`/patients/${id}/edit`);
      expect(form.status).toBe(200);
      expect(form.body).toContain('<html');
      expect(form.body).toMatch(new RegExp(`<form method="post" action="/patients/${id}" class="form" id="patient-form"`));
      expect(form.body).toContain('value="Edit"');
      expect(form.body).toContain(`signs in to the portal as <strong>${username}</strong>`);
      expect(form.body).not.toContain('id="username-field"');
      const formFragment = await desk.get(`/patients/${id}/edit`, htmx(h.hostOf(clinic)));
      expect(formFragment.body).not.toContain('<html');
      expect(formFragment.body.trimStart()).toMatch(/^<form method="post"/);

      const newPhone = freshPhone();
      const res = await desk.post(`/patients/${id}`, patientForm({ firstName: 'Edited', lastName: 'Me', phone: newPhone, address: 'New address', dateOfBirth: '1985-06-16' }));
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/patients/${id}?done=updated`);
      expect((await desk.get(String(res.headers.location))).body).toContain('The changes to Edited Me’s file were saved.');
      const [row] = await h.sql<{ first_name: string; phone: string; address: string; dob: string; user_phone: string; full_name: string }>(
        clinic,
        `SELECT p.first_name, p.phone, p.address, p.date_of_birth::text AS dob, u.phone AS user_phone, u.full_name
           FROM patients p JOIN users u ON u.id = p.user_id WHERE p.id = $1`,
        [id],
      );
      expect(row).toEqual({ first_name: 'Edited', phone: e164(newPhone), address: 'New address', dob: '1985-06-16', user_phone: e164(newPhone), full_name: 'Edited Me' });

      const [audit] = await h.sql<{ actor_id: string; details: { changes: Record<string, { from: unknown; to: unknown }> } }>(
        clinic,
        `SELECT actor_id, details FROM audit_log WHERE action = 'patient.updated' AND entity_id = $1`,
        [id],
      );
      expect(audit.actor_id).toBe(reception.id);
      expect(audit.details.changes).toEqual({
        firstName: { from: 'Edit', to: 'Edited' },
        dateOfBirth: { from: '1985-06-15', to: '1985-06-16' },
        phone: { from: e164(oldPhone), to: e164(newPhone) },
        address: { from: null, to: 'New address' },
      });

      const portal = new ClinicClient(h.t.url, h.hostOf(clinic));
      await portal.primeCsrf('/portal/login');
      expect((await portal.post('/portal/login', { phone: oldPhone, username })).status).toBe(401);
      expect((await portal.post('/portal/login', { phone: newPhone, username })).status).toBe(303);
      expect(userId).toBeTruthy();
    });

    it('shows a multi-line address in the edit form exactly as stored, so saving the form unchanged changes nothing', async () => {
      const address = '12 Nile Street\nFlat 4\nGiza';
      // the browser submits the textarea's text as it is in the page (its first newline aside)
      const shown = (body: string) => /<textarea id="address"[^>]*>([^<]*)<\/textarea>/.exec(body)?.[1];
      const id = idFrom(await desk.post('/patients', patientForm({ firstName: 'Multi', lastName: 'Line', address })))!;
      for (const form of [await desk.get(`/patients/${id}/edit`), await desk.get(`/patients/${id}/edit`, htmx(h.hostOf(clinic)))]) {
        expect(form.status).toBe(200);
        expect(shown(form.body)).toBe(address);
      }
      expect((await desk.post(`/patients/${id}`, patientForm({ firstName: 'Multi', lastName: 'Line', address }))).status).toBe(303);
      expect(await h.sql(clinic, 'SELECT address FROM patients WHERE id = $1', [id])).toEqual([{ address }]);
      // a refused form comes back with the address as typed
      const refused = await desk.post(`/patients/${id}`, patientForm({ firstName: '', lastName: 'Line', address }));
      expect(refused.status).toBe(422);
      expect(shown(refused.body)).toBe(address);
    });

    it('with HTMX: the profile replaces the screen; a refusal re-renders the edit form (posting back to the file) with 422', async () => {
      const patient = await createPatient(h.t.dataSource, clinic, { firstName: 'Htmx', lastName: 'Edit' });
      const host = h.hostOf(clinic);
      const ok = await desk.post(`/patients/${patient.id}`, patientForm({ firstName: 'Htmx', lastName: 'Edited' }), { headers: htmx(host, `/patients/${patient.id}/edit`) });
      expect(ok.status).toBe(200);
      expect(ok.headers['hx-trigger']).toBe('patients-changed');
      expect(ok.headers['hx-push-url']).toBe(`/patients/${patient.id}`);
      expect(ok.body.trimStart()).toMatch(/^<section id="patient-screen"/);
      expect(ok.body).toContain('The changes to Htmx Edited’s file were saved.');

      const refused = await desk.post(`/patients/${patient.id}`, patientForm({ firstName: '' }), { headers: htmx(host, `/patients/${patient.id}/edit`) });
      expect(refused.status).toBe(422);
      expect(refused.body.trimStart()).toMatch(new RegExp(`^<form method="post" action="/patients/${patient.id}"`));
      expect(refused.body).toContain('id="firstName-error"');
      const page = await desk.post(`/patients/${patient.id}`, patientForm({ dateOfBirth: '2026-02-30' }));
      expect(page.status).toBe(422);
      expect(page.body).toContain('<html');
      expect(page.body).toContain(`action="/patients/${patient.id}"`);
      const [row] = await h.sql<{ last_name: string; date_of_birth: string }>(clinic, 'SELECT last_name, date_of_birth::text FROM patients WHERE id = $1', [patient.id]);
      expect(row).toEqual({ last_name: 'Edited', date_of_birth: '1985-06-15' });
    });

    it('refuses to remove the phone of a patient with a portal identity, and a national id another file has; gives a portal identity on edit', async () => {
      const phone = freshPhone();
      const linked = await createPatient(h.t.dataSource, clinic, { firstName: 'Keeps', lastName: 'Phone', phone: e164(phone), username: `keeps.${Date.now()}` });
      const noPhone = await desk.post(`/patients/${linked.id}`, patientForm({ firstName: 'Keeps', lastName: 'Phone', phone: '' }));
      expect(noPhone.status).toBe(422);
      expect(noPhone.body).toContain('signs in to the patient portal with this phone number, so it cannot be removed');
      expect(noPhone.body).toContain(`action="/patients/${linked.id}"`);
      expect(noPhone.body).toContain('signs in to the portal as <strong>keeps.'); // not a username field to fill in again
      expect(noPhone.body).not.toContain('id="username-field"');
      const staleToken = await desk.post(`/patients/${linked.id}`, patientForm({ firstName: 'Keeps', lastName: 'Phone' }), { csrf: 'stale-token' });
      expect(staleToken.status).toBe(403);
      expect(staleToken.body).toContain(`action="/patients/${linked.id}"`); // re-submitting edits this file, never registers a new one

      const nationalId = `NID-${Date.now()}`;
      const holder = await desk.post('/patients', patientForm({ firstName: 'Holder', nationalId }));
      expect(holder.status).toBe(303);
      const other = await createPatient(h.t.dataSource, clinic, { firstName: 'Wants', lastName: 'Id' });
      const taken = await desk.post(`/patients/${other.id}`, patientForm({ firstName: 'Wants', lastName: 'Id', nationalId }));
      expect(taken.status).toBe(409);
      expect(taken.body).toContain('id="nationalId-error"');
      const createTaken = await desk.post('/patients', patientForm({ firstName: 'Second', nationalId }));
      expect(createTaken.status).toBe(409);

      const newPhone = freshPhone();
      const username = `later.${Date.now()}`;
      const portal = await desk.post(`/patients/${other.id}`, patientForm({ firstName: 'Wants', lastName: 'Id', phone: newPhone, username }));
      expect(portal.status).toBe(303);
      const [row] = await h.sql<{ username: string; phone: string }>(
        clinic,
        'SELECT u.username::text AS username, u.phone FROM patients p JOIN users u ON u.id = p.user_id WHERE p.id = $1',
        [other.id],
      );
      expect(row).toEqual({ username, phone: e164(newPhone) });
    });
  });

  describe('the API', () => {
    it('creates (201), refuses with JSON errors that name the fields, warns of duplicates, gets, updates only what is sent, and lists', async () => {
      const token = await h.token(clinic, reception);
      const phone = freshPhone();
      const created = await h.api(clinic, token, 'POST', '/api/v1/patients', {
        firstName: 'Api',
        lastName: 'Amal',
        dateOfBirth: '1999-09-09',
        gender: 'female',
        phone,
        address: 'Somewhere',
        username: `api.amal.${Date.now()}`,
      });
      expect(created.status).toBe(201);
      const patient = created.json<ApiPatient>();
      expect(patient).toEqual(
        expect.objectContaining({ firstName: 'Api', lastName: 'Amal', fullName: 'Api Amal', dateOfBirth: '1999-09-09', gender: 'female', phone: e164(phone), nationalId: null }),
      );
      expect(patient.fileNumber).toMatch(/^\d{6}$/);
      expect(patient.portalUsername).toMatch(/^api\.amal\./);
      expect(JSON.stringify(patient)).not.toMatch(/userId|search_name/);

      const before = await counts();
      const invalid = await h.api(clinic, token, 'POST', '/api/v1/patients', { firstName: 'x'.repeat(10_000), lastName: 'B', dateOfBirth: '2026-02-30', gender: 'x' });
      expect(invalid.status).toBe(422);
      expect(invalid.json()).toEqual({
        error: {
          code: 'validation_failed',
          message: 'Some fields need your attention.',
          fields: {
            firstName: ['Enter the first name (1 to 100 characters)'],
            dateOfBirth: [expect.stringContaining('There is no such date as 2026-02-30')],
            gender: ['Choose male or female'],
          },
        },
      });
      const badPhone = await h.api(clinic, token, 'POST', '/api/v1/patients', { firstName: 'A', lastName: 'B', dateOfBirth: '1990-01-01', gender: 'male', phone: '999' });
      expect(badPhone.status).toBe(422);
      expect(badPhone.json()).toEqual({ error: { code: 'invalid_patient', message: expect.any(String), fields: { phone: [expect.stringContaining('Enter a valid phone number')] } } });
      const unknownField = await h.api(clinic, token, 'POST', '/api/v1/patients', { firstName: 'A', lastName: 'B', dateOfBirth: '1990-01-01', gender: 'male', fileNumber: '1' });
      expect(unknownField.status).toBe(422);
      const duplicate = await h.api(clinic, token, 'POST', '/api/v1/patients', { firstName: 'Api', lastName: 'Again', dateOfBirth: '1999-09-09', gender: 'female', phone: e164(phone) });
      expect(duplicate.status).toBe(409);
      expect(duplicate.json()).toEqual({
        error: {
          code: 'possible_duplicate',
          message: expect.stringContaining(`file ${patient.fileNumber} — Api Amal (id ${patient.id})`),
          fields: { confirmDuplicate: [expect.any(String)], existingPatientIds: [patient.id] },
        },
      });
      expect(await counts()).toEqual(before);
      const anyway = await h.api(clinic, token, 'POST', '/api/v1/patients', { firstName: 'Api', lastName: 'Again', dateOfBirth: '1999-09-09', gender: 'female', phone, confirmDuplicate: true });
      expect(anyway.status).toBe(201);

      const patched = await h.api(clinic, token, 'PATCH', `/api/v1/patients/${patient.id}`, { lastName: 'Amal-Patched', address: null });
      expect(patched.status).toBe(200);
      expect(patched.json<ApiPatient>()).toEqual(expect.objectContaining({ firstName: 'Api', lastName: 'Amal-Patched', address: null, phone: e164(phone), dateOfBirth: '1999-09-09' }));
      const refused = await h.api(clinic, token, 'PATCH', `/api/v1/patients/${patient.id}`, { firstName: '', dateOfBirth: null });
      expect(refused.status).toBe(422);
      expect(Object.keys(refused.json<{ error: { fields: Record<string, string[]> } }>().error.fields).sort()).toEqual(['dateOfBirth', 'firstName']);
      const rename = await h.api(clinic, token, 'PATCH', `/api/v1/patients/${patient.id}`, { username: 'someone.else' });
      expect(rename.status).toBe(422);
      expect(rename.json<{ error: { fields: Record<string, string[]> } }>().error.fields.username).toEqual([expect.stringContaining('cannot be changed here')]);

      const got = await h.api(clinic, token, 'GET', `/api/v1/patients/${patient.id}`);
      expect(got.json<{ patient: ApiPatient }>().patient.lastName).toBe('Amal-Patched');
      const list = await h.api(clinic, token, 'GET', `/api/v1/patients?q=${encodeURIComponent('amal-patched')}`);
      expect(list.status).toBe(200);
      expect(list.json<ApiPage>()).toEqual(expect.objectContaining({ q: 'amal-patched', page: 1, pageSize: 20, total: 1, pages: 1 }));
      expect(list.json<ApiPage>().patients.map((p) => p.id)).toEqual([patient.id]);

      for (const path of ['/api/v1/patients/999999', '/api/v1/patients/abc']) {
        const missing = await h.api(clinic, token, 'GET', path);
        expect(missing.status).toBe(404);
        expect(missing.json()).toEqual({ error: { code: 'patient_not_found', message: expect.any(String) } });
        expect((await h.api(clinic, token, 'PATCH', path, { firstName: 'Nobody' })).status).toBe(404);
      }
    });
  });
});

describe('finding patients', () => {
  const h = harness();
  let clinic: Tenant;
  let desk: ClinicClient;
  let token: string;
  let amir: { id: string; fileNumber: string };
  let mobile: { id: string };
  let arabic: { id: string };

  beforeAll(async () => {
    clinic = await h.clinic('search');
    const reception = await createUser(h.t.dataSource, clinic, { role: 'reception' });
    desk = await h.browser(clinic, reception);
    token = await h.token(clinic, reception);
    // registered through the form, so the phones are normalised by the app itself
    const register = async (form: Record<string, string>) => {
      const res = await desk.post('/patients', patientForm(form));
      expect(res.status).toBe(303);
      const id = idFrom(res)!;
      const [row] = await h.sql<{ file_number: string }>(clinic, 'SELECT file_number FROM patients WHERE id = $1', [id]);
      return { id, fileNumber: row.file_number };
    };
    amir = await register({ firstName: 'Amir', lastName: 'Hassan', phone: '0501234567' });
    mobile = await register({ firstName: 'Mona', lastName: 'Mobile', gender: 'female', phone: '010 1234 5678' });
    arabic = await register({ firstName: 'أحمد', lastName: 'عبد الرحمن' });
    await register({ firstName: 'Hossam', lastName: 'Other', phone: '010 9999 8888' });
    await register({ firstName: 'Percent', lastName: 'Sign' });
  });

  const ids = async (q: string) => {
    const res = await h.api(clinic, token, 'GET', `/api/v1/patients?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    return res.json<ApiPage>().patients.map((p) => p.id);
  };

  it('finds "Amir Hassan" by "amir", "hass", "AMÍR", "hassan amir", his phone in any format and his file number', async () => {
    expect(amir.fileNumber).toBe('000001');
    for (const q of ['amir', 'hass', 'AMÍR', 'Hassan Amir', '  amir   hassan ', '0501234567', '+20501234567', '+20 50 123 4567', '1', '000001', '0001']) {
      expect([q, await ids(q)]).toEqual([q, [amir.id]]);
    }
  });

  it('finds a phone written as 010 1234 5678, +20 10 1234 5678 or 00201012345678', async () => {
    for (const q of ['010 1234 5678', '+20 10 1234 5678', '00201012345678', '01012345678']) {
      expect([q, await ids(q)]).toEqual([q, [mobile.id]]);
    }
  });

  it('finds an Arabic name by part of it, whatever the spelling of the alef', async () => {
    for (const q of ['احمد', 'أحمد', 'الرحمن', 'عبد الرحمن', 'احمد عبد']) {
      expect([q, await ids(q)]).toEqual([q, [arabic.id]]);
    }
  });

  it('treats % and _ as plain characters and finds nothing for a stranger', async () => {
    expect(await ids('%')).toEqual([]);
    expect(await ids('_')).toEqual([]);
    expect(await ids('zzzz')).toEqual([]);
    expect(await ids('x'.repeat(10_000))).toEqual([]);
  });

  it('ranks the closest name first, then by name', async () => {
    const found = await ids('h');
    expect(found).toEqual(expect.arrayContaining([amir.id]));
    const res = await h.api(clinic, token, 'GET', '/api/v1/patients');
    const all = res.json<ApiPage>();
    expect(all.total).toBe(5);
    expect(all.patients.map((p) => p.lastName)).toEqual(['Hassan', 'Mobile', 'Other', 'Sign', 'عبد الرحمن']);
  });

  it('the page shows the search box that searches as one types, and answers HTMX with the results fragment', async () => {
    const page = await desk.get('/patients?q=amir');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html');
    expect(page.body).toMatch(/<input id="q" name="q" type="search"[^>]* value="amir"[^>]*hx-get="\/patients" hx-trigger="input changed delay:300ms, search" hx-target="#patient-results" hx-swap="outerHTML" hx-push-url="true">/);
    expect(page.body).toContain(`<tr id="patient-${amir.id}">`);
    expect(page.body).toContain('1 patient matches “amir”.');
    expect(page.body).not.toContain(`<tr id="patient-${mobile.id}">`);

    const fragment = await desk.get('/patients?q=hass', htmx(h.hostOf(clinic)));
    expect(fragment.status).toBe(200);
    expect(fragment.body).not.toContain('<html');
    expect(fragment.body.trimStart()).toMatch(/^<section id="patient-results"/);
    expect(fragment.body).toContain('Amir Hassan');
    expect(fragment.headers.vary).toMatch(/HX-Request/i);

    const none = await desk.get('/patients?q=nobody-here', htmx(h.hostOf(clinic)));
    expect(none.body).toContain('No patient matches “nobody-here”.');
  });
});

describe('a long list', () => {
  const h = harness();

  it('is paginated 20 to a page: 25 patients leave 5 on page 2', async () => {
    const clinic = await h.clinic('pages');
    const reception = await createUser(h.t.dataSource, clinic, { role: 'reception' });
    for (let i = 1; i <= 25; i += 1) await createPatient(h.t.dataSource, clinic, { firstName: 'Paged', lastName: `Person ${String(i).padStart(2, '0')}` });
    const desk = await h.browser(clinic, reception);
    const rows = (body: string) => body.match(/<tr id="patient-\d+">/g)?.length ?? 0;

    const first = await desk.get('/patients');
    expect(rows(first.body)).toBe(20);
    expect(first.body).toContain('25 patients — page 1 of 2.');
    expect(first.body).toContain('<a href="/patients?page&#x3D;2" rel="next" hx-get="/patients?page&#x3D;2" hx-target="#patient-results"');
    const second = await desk.get('/patients?page=2');
    expect(rows(second.body)).toBe(5);
    expect(second.body).toContain('Person 25');
    expect(second.body).toContain('rel="prev"');
    expect(second.body).not.toContain('rel="next"');
    const searched = await desk.get('/patients?q=paged&page=2', htmx(h.hostOf(clinic)));
    expect(rows(searched.body)).toBe(5);
    expect(searched.body).toContain('href="/patients?q&#x3D;paged"');
    expect(rows((await desk.get('/patients?page=3')).body)).toBe(0);
    expect(rows((await desk.get('/patients?page=banana')).body)).toBe(20);

    const token = await h.token(clinic, reception);
    const api = (await h.api(clinic, token, 'GET', '/api/v1/patients?page=2')).json<ApiPage>();
    expect(api).toEqual(expect.objectContaining({ page: 2, pageSize: 20, total: 25, pages: 2 }));
    expect(api.patients).toHaveLength(5);
  });
});

describe('another clinic', () => {
  const h = harness();

  it('ids are per clinic: each clinic sees its own file under the same id, and another clinic’s id is 404 on every page and the API', async () => {
    const a = await h.clinic('iso-a');
    const b = await h.clinic('iso-b');
    const receptionA = await createUser(h.t.dataSource, a, { role: 'reception' });
    const receptionB = await createUser(h.t.dataSource, b, { role: 'reception' });
    const alpha = await createPatient(h.t.dataSource, a, { firstName: 'Alpha', lastName: 'Only' });
    const beta = await createPatient(h.t.dataSource, b, { firstName: 'Beta', lastName: 'First' });
    const betaTwo = await createPatient(h.t.dataSource, b, { firstName: 'Beta', lastName: 'Second' });
    expect(alpha.id).toBe(beta.id); // the same number names a different file in each clinic

    const inA = await h.browser(a, receptionA);
    const inB = await h.browser(b, receptionB);
    const pageA = await inA.get(`/patients/${alpha.id}`);
    expect(pageA.body).toContain('Alpha Only');
    expect(pageA.body).not.toContain('Beta');
    expect((await inB.get(`/patients/${beta.id}`)).body).toContain('Beta First');
    expect((await inA.get('/patients?q=beta')).body).not.toContain('Beta');

    const tokenA = await h.token(a, receptionA);
    for (const id of [betaTwo.id, '999999', 'abc', '0']) {
      const page = await inA.get(`/patients/${id}`);
      expect([id, page.status]).toEqual([id, 404]);
      expect(page.body).toContain('<html');
      expect((await inA.get(`/patients/${id}`, htmx(h.hostOf(a)))).status).toBe(404);
      expect((await inA.get(`/patients/${id}/edit`)).status).toBe(404);
      expect((await inA.post(`/patients/${id}`, patientForm({ firstName: 'Taken', lastName: 'Over' }))).status).toBe(404);
      expect((await h.api(a, tokenA, 'GET', `/api/v1/patients/${id}`)).status).toBe(404);
      expect((await h.api(a, tokenA, 'PATCH', `/api/v1/patients/${id}`, { firstName: 'Taken' })).status).toBe(404);
    }
    const rowsB = await h.sql<{ first_name: string }>(b, 'SELECT first_name FROM patients ORDER BY id');
    expect(rowsB.map((r) => r.first_name)).toEqual(['Beta', 'Beta']);
  });
});
