import { SessionService } from '../../src/auth/session.service';
import type { Tenant } from '../../src/platform/tenant';
import type { UserRole } from '../../src/users/user.entity';
import { ClinicClient } from '../support/clinic-client';
import type { HttpResponse } from '../support/http';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

const HOME: Record<UserRole, string> = { admin: '/admin', doctor: '/doctor', reception: '/reception', patient: '/portal' };
const stores: [string, NodeJS.ProcessEnv][] = [['memory', {}]];
if (process.env.REDIS_URL) stores.push(['redis', { REDIS_URL: process.env.REDIS_URL }]);

interface Member {
  id: string;
  username: string;
  fullName: string;
  role: string;
  phone: string | null;
  isActive: boolean;
  isLocked: boolean;
  doctor: { specialty: string | null; consultationFee: string; currency: string; slotMinutes: number } | null;
}

/** One app, clinics and people made per test where state matters. */
function harness(env: NodeJS.ProcessEnv = {}) {
  const h = {} as {
    t: TestApp;
    clinic(prefix: string): Promise<Tenant>;
    hostOf(clinic: Tenant): string;
    browser(clinic: Tenant, user: TestUser): Promise<ClinicClient>;
    token(clinic: Tenant, user: TestUser): Promise<string>;
    api(clinic: Tenant, token: string, method: string, path: string, body?: unknown): Promise<HttpResponse>;
    signIn(clinic: Tenant, username: string, password: string): Promise<HttpResponse>;
    sql<T>(clinic: Tenant, sql: string, params?: unknown[]): Promise<T[]>;
  };
  beforeAll(async () => {
    h.t = await startTestApp({ env: { SIGN_IN_RATE_LIMIT: '10000', ...env } });
  });
  afterAll(() => h.t.close());

  h.clinic = (prefix) => createClinic(h.t.dataSource, { slug: uniqueSlug(prefix) });
  h.hostOf = (clinic) => `${clinic.slug}.localhost`;
  h.signIn = async (clinic, username, password) => {
    const c = new ClinicClient(h.t.url, h.hostOf(clinic));
    await c.primeCsrf();
    return c.post('/login', { username, password });
  };
  h.browser = (clinic, user) => signedInBrowser(h.t.url, h.hostOf(clinic), user);
  h.token = (clinic, user) => apiToken(h.t.url, h.hostOf(clinic), user);
  h.api = (clinic, token, method, path, body) => apiCall(h.t.url, h.hostOf(clinic), token, method, path, body);
  h.sql = (clinic, sql, params = []) => asClinic(h.t.dataSource, clinic, sql, params);
  return h;
}

const htmx = (host: string) => ({ 'HX-Request': 'true', 'HX-Current-URL': `http://${host}/admin/staff` });

const doctorForm = (overrides: Record<string, string> = {}) => ({
  fullName: 'Mona Adel',
  username: `mona${Math.random().toString(36).slice(2, 8)}`,
  role: 'doctor',
  password: 'first-password-1',
  phone: '',
  specialty: 'Cardiology',
  consultationFee: '250.50',
  slotMinutes: '20',
  ...overrides,
});

describe('staff management at /admin/staff', () => {
  const h = harness();
  let clinic: Tenant;
  let admin: TestUser;
  let doctor: TestUser;
  let reception: TestUser;
  let patient: TestUser;
  let owner: ClinicClient;

  beforeAll(async () => {
    clinic = await h.clinic('staff');
    admin = await createUser(h.t.dataSource, clinic, { role: 'admin', fullName: 'Owner Olfat' });
    doctor = await createUser(h.t.dataSource, clinic, { role: 'doctor', fullName: 'Doctor Dalia' });
    reception = await createUser(h.t.dataSource, clinic, { role: 'reception', fullName: 'Reception Rami' });
    patient = await createUser(h.t.dataSource, clinic, { role: 'patient', fullName: 'Patient Pakinam', phone: '+201012345678' });
    owner = await h.browser(clinic, admin);
  });

  const counts = async () =>
    (
      await h.sql<{ users: number; doctors: number; specialties: number }>(
        clinic,
        'SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM doctors)::int AS doctors, (SELECT count(*) FROM specialties)::int AS specialties',
      )
    )[0];

  describe('the page', () => {
    it('lists the staff with role and status, never patients, with an accessible table and the add form', async () => {
      const page = await owner.get('/admin/staff');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<html');
      expect(page.body).toMatch(/<title>Staff · /);
      for (const person of [admin, doctor, reception]) expect(page.body).toContain(person.fullName);
      expect(page.body).toContain(doctor.username);
      expect(page.body).not.toContain(patient.fullName);
      expect(page.body).not.toContain(patient.username);
      expect(page.body).toContain('<caption');
      expect(page.body).toContain('<th scope="col">Status</th>');
      expect(page.body).toContain(`Deactivate ${doctor.fullName}`);
      expect(page.body).toContain(`<label for="staff-${doctor.id}-password">New password for ${doctor.fullName}</label>`);
      expect(page.body).toMatch(/<form method="post" action="\/admin\/staff" class="form" id="create-staff-form" hx-post="\/admin\/staff"/);
      expect(page.body).toContain('name="_csrf"');
      expect(page.body).not.toMatch(/<script(?![^>]*src=)/); // no inline scripts (CSP)
      expect(page.body).not.toMatch(/\sstyle=/);
    });

    it('answers an HTMX request with the list fragment only', async () => {
      const res = await owner.get('/admin/staff', htmx(h.hostOf(clinic)));
      expect(res.status).toBe(200);
      expect(res.body).not.toContain('<html');
      expect(res.body).toMatch(/^<section id="staff-list"/);
      expect(res.headers.vary).toMatch(/HX-Request/i);
    });

    it('offers the add form on a page of its own', async () => {
      const res = await owner.get('/admin/staff/new');
      expect(res.status).toBe(200);
      expect(res.body).toContain('Add a staff member');
      expect(res.body).toMatch(/<form method="post" action="\/admin\/staff" class="form" id="create-staff-form">/); // a plain form there
      expect(res.body).toContain('value="15"'); // the default appointment length
    });
  });

  describe('adding', () => {
    it('adds a doctor (user, doctor row, specialty; argon2id) who can sign in and lands on /doctor', async () => {
      const form = doctorForm({ phone: '010 2345 6789' });
      const res = await owner.post('/admin/staff', form);
      expect(res.status).toBe(303);
      const location = String(res.headers.location);
      expect(location).toMatch(/^\/admin\/staff\?done=created&member=\d+$/);

      const [row] = await h.sql<{ id: string; role: string; password_hash: string; phone: string; fee: string; slot_minutes: number; specialty: string }>(
        clinic,
        `SELECT u.id, u.role, u.password_hash, u.phone, d.consultation_fee::text AS fee, d.slot_minutes, s.name AS specialty
           FROM users u JOIN doctors d ON d.user_id = u.id JOIN specialties s ON s.id = d.specialty_id WHERE u.username = $1`,
        [form.username],
      );
      expect(row).toEqual(expect.objectContaining({ role: 'doctor', phone: '+201023456789', fee: '250.50', slot_minutes: 20, specialty: 'Cardiology' }));
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
      expect(location).toBe(`/admin/staff?done=created&member=${row.id}`);

      const page = await owner.get(location);
      expect(page.body).toContain('Mona Adel was added as a doctor.');
      expect(page.body).toContain('250.50 EGP');

      const signIn = await h.signIn(clinic, form.username, form.password);
      expect(signIn.status).toBe(303);
      expect(signIn.headers.location).toBe('/doctor');
    });

    it('finds an existing specialty in any letter case, and concurrent adds of a new one create it once', async () => {
      expect((await owner.post('/admin/staff', doctorForm({ specialty: '  cardiology ', slotMinutes: '' }))).status).toBe(303);
      const cardiology = await h.sql<{ n: number }>(clinic, `SELECT count(*)::int AS n FROM specialties WHERE name = 'CARDIOLOGY'`);
      expect(cardiology[0].n).toBe(1);
      const [slot] = await h.sql<{ slot_minutes: number }>(clinic, 'SELECT slot_minutes FROM doctors ORDER BY id DESC LIMIT 1');
      expect(slot.slot_minutes).toBe(15); // empty means the default

      const token = await h.token(clinic, admin);
      const results = await Promise.all(
        ['Dermatology', 'dermatology', 'DERMATOLOGY', 'Dermatology'].map((specialty, i) =>
          h.api(clinic, token, 'POST', '/api/v1/staff', { ...doctorForm({ specialty, username: `derm-${i}-${Date.now()}` }), slotMinutes: 30, consultationFee: 300 }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      const rows = await h.sql<{ name: string; doctors: number }>(
        clinic,
        `SELECT s.name, count(d.id)::int AS doctors FROM specialties s JOIN doctors d ON d.specialty_id = s.id WHERE s.name = 'dermatology' GROUP BY s.name`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].doctors).toBe(4);
      expect(results[0].json<Member>().doctor).toEqual({ specialty: expect.stringMatching(/^dermatology$/i), consultationFee: '300.00', currency: 'EGP', slotMinutes: 30 });
    });

    it('adds reception: no doctor row, even when the form sends the (empty or filled) doctor fields', async () => {
      const before = await counts();
      const res = await owner.post('/admin/staff', doctorForm({ fullName: 'Rana Front', role: 'reception', specialty: '', consultationFee: 'abc', slotMinutes: '' }));
      expect(res.status).toBe(303);
      const after = await counts();
      expect(after).toEqual({ users: before.users + 1, doctors: before.doctors, specialties: before.specialties });
    });

    it('refuses a taken username (any letter case) with 409 and the message on the form, writing nothing', async () => {
      const before = await counts();
      const res = await owner.post('/admin/staff', doctorForm({ username: doctor.username.toUpperCase(), fullName: 'Second Dalia' }));
      expect(res.status).toBe(409);
      expect(res.body).toContain('<html');
      expect(res.body).toContain('This username is already taken; choose another one');
      expect(res.body).toMatch(/<form method="post" action="\/admin\/staff"/);
      expect(res.body).toContain('value="Second Dalia"'); // what was typed is kept
      expect(res.body).not.toContain('first-password-1'); // except the password
      expect(await counts()).toEqual(before);
    });

    it('accepts a phone that someone else also has (a shared family or desk line)', async () => {
      const res = await owner.post('/admin/staff', doctorForm({ username: 'shared-phone-dr', phone: '010 1234 5678' })); // the patient's
      expect(res.status).toBe(303);
    });

    it('refuses an invalid fee, a short password, a bad username and a patient role with 422 and field messages, writing nothing', async () => {
      const before = await counts();
      const res = await owner.post('/admin/staff', doctorForm({ consultationFee: '12.345', password: 'tiny-pw', username: 'no spaces' }));
      expect(res.status).toBe(422);
      expect(res.body).toContain('Some fields need your attention.');
      expect(res.body).toContain('The password must be at least 10 characters long');
      expect(res.body).toContain('Enter the consultation fee as an amount of 0 or more with at most 2 decimals');
      expect(res.body).toContain('letters, digits, dots, dashes or underscores, no spaces</span>');
      expect(res.body).toContain('value="12.345"');
      expect(res.body).not.toContain('tiny-pw');
      expect(res.body).toMatch(/<option value="doctor" selected>/);

      const invalid: Record<string, string>[] = [
        { consultationFee: '-1' },
        { consultationFee: '100000000' },
        { slotMinutes: '241' },
        { slotMinutes: '4' },
        { specialty: 'x' },
        { role: 'patient' },
        { fullName: '' },
        { phone: '12' },
      ];
      for (const fields of invalid) {
        const refused = await owner.post('/admin/staff', doctorForm(fields));
        expect([refused.status, Object.keys(fields)[0]]).toEqual([422, Object.keys(fields)[0]]);
        expect(refused.body).toMatch(new RegExp(`id="${Object.keys(fields)[0]}-error"`));
      }
      expect(await counts()).toEqual(before);
    });

    it('with HTMX: a fresh form, the new list out of band and HX-Trigger; a refusal is the form fragment with 422', async () => {
      const host = h.hostOf(clinic);
      const ok = await owner.post('/admin/staff', doctorForm({ fullName: 'Hany Htmx' }), { headers: htmx(host) });
      expect(ok.status).toBe(200);
      expect(ok.body).not.toContain('<html');
      expect(ok.headers['hx-trigger']).toBe('staff-changed');
      expect(ok.body).toMatch(/^<form method="post" action="\/admin\/staff" class="form" id="create-staff-form" hx-post/);
      expect(ok.body).toContain('<section id="staff-list" class="card" aria-labelledby="staff-list-caption" hx-swap-oob="true">');
      expect(ok.body).toContain('Deactivate Hany Htmx');
      expect(ok.body).toContain('<div id="staff-notice" role="status" hx-swap-oob="innerHTML"><p class="alert alert-success">Hany Htmx was added as a doctor.');

      const refused = await owner.post('/admin/staff', doctorForm({ consultationFee: 'free' }), { headers: htmx(host) });
      expect(refused.status).toBe(422);
      expect(refused.body).not.toContain('<html');
      expect(refused.body).toMatch(/^<form method="post" action="\/admin\/staff" class="form" id="create-staff-form" hx-post/);
      expect(refused.body).toContain('id="consultationFee-error"');
    });
  });

  describe('row actions', () => {
    it('deactivates and reactivates with a redirect back to the list and a notice', async () => {
      const person = await createUser(h.t.dataSource, clinic, { role: 'reception', fullName: 'Toggle Tamer' });
      const off = await owner.post(`/admin/staff/${person.id}/deactivate`);
      expect(off.status).toBe(303);
      expect(off.headers.location).toBe(`/admin/staff?done=deactivated&member=${person.id}`);
      const page = await owner.get(String(off.headers.location));
      expect(page.body).toContain('Toggle Tamer was deactivated and signed out everywhere.');
      expect(page.body).toContain(`Reactivate ${person.fullName}`);
      expect((await h.signIn(clinic, person.username, person.password!)).status).toBe(403);

      const again = await owner.post(`/admin/staff/${person.id}/deactivate`); // already: nothing changes
      expect(again.status).toBe(303);

      const on = await owner.post(`/admin/staff/${person.id}/reactivate`);
      expect(on.status).toBe(303);
      expect(on.headers.location).toBe(`/admin/staff?done=reactivated&member=${person.id}`);
      const signIn = await h.signIn(clinic, person.username, person.password!);
      expect(signIn.status).toBe(303);
      expect(signIn.headers.location).toBe('/reception');
    });

    it('with HTMX: the list fragment and HX-Trigger', async () => {
      const person = await createUser(h.t.dataSource, clinic, { role: 'doctor', fullName: 'Fragment Fady' });
      const res = await owner.post(`/admin/staff/${person.id}/deactivate`, {}, { headers: htmx(h.hostOf(clinic)) });
      expect(res.status).toBe(200);
      expect(res.body).not.toContain('<html');
      expect(res.headers['hx-trigger']).toBe('staff-changed');
      expect(res.body).toMatch(/^<section id="staff-list"/);
      expect(res.body).toContain(`<tr id="staff-${person.id}">`);
      expect(res.body).toContain(`Reactivate ${person.fullName}`);
      expect(res.body).toContain('Fragment Fady was deactivated');
    });

    it('resets a password: the old one is refused, the new one works, old sessions end and the lockout is lifted', async () => {
      const person = await createUser(h.t.dataSource, clinic, { role: 'reception', fullName: 'Reset Reem' });
      const theirs = await h.browser(clinic, person);
      await h.sql(clinic, `UPDATE users SET failed_logins = 3, locked_until = now() + interval '10 minutes' WHERE id = $1`, [person.id]);
      expect((await owner.get('/admin/staff')).body).toContain(`Unlock ${person.fullName}`);

      const res = await owner.post(`/admin/staff/${person.id}/password`, { password: 'brand-new-password' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/admin/staff?done=password&member=${person.id}`);
      // read before any sign-in below (a sign-in writes these columns too)
      const [row] = await h.sql<{ locked_until: Date | null; failed_logins: number }>(clinic, 'SELECT locked_until, failed_logins FROM users WHERE id = $1', [
        person.id,
      ]);
      expect(row).toEqual({ locked_until: null, failed_logins: 0 });

      const stale = await theirs.get('/reception');
      expect(stale.status).toBe(303);
      expect(stale.headers.location).toMatch(/^\/login/);
      expect((await h.signIn(clinic, person.username, person.password!)).status).toBe(401);
      const fresh = await h.signIn(clinic, person.username, 'brand-new-password');
      expect(fresh.status).toBe(303);
      expect(fresh.headers.location).toBe('/reception');
    });

    it('refuses a short new password with 422 and says why (page, and HTMX message line); with HTMX a success retargets the list', async () => {
      const person = await createUser(h.t.dataSource, clinic, { role: 'reception' });
      const page = await owner.post(`/admin/staff/${person.id}/password`, { password: 'short' });
      expect(page.status).toBe(422);
      expect(page.body).toContain('<html');
      expect(page.body).toContain('The password must be at least 10 characters long');
      expect(page.body).not.toContain('value="short"');

      const host = h.hostOf(clinic);
      const fragment = await owner.post(`/admin/staff/${person.id}/password`, { password: 'short' }, { headers: htmx(host) });
      expect(fragment.status).toBe(422);
      expect(fragment.body.trim()).toBe('<span>The password must be at least 10 characters long</span>');

      const ok = await owner.post(`/admin/staff/${person.id}/password`, { password: 'long-enough-password' }, { headers: htmx(host) });
      expect(ok.status).toBe(200);
      expect(ok.headers['hx-retarget']).toBe('#staff-list');
      expect(ok.headers['hx-reswap']).toBe('outerHTML');
      expect(ok.headers['hx-trigger']).toBe('staff-changed');
      expect(ok.body).toMatch(/^<section id="staff-list"/);
    });

    it('answers 404 for a patient, an unknown id and a malformed id, changing nothing', async () => {
      for (const id of [patient.id, '987654', 'abc', '0']) {
        for (const action of ['deactivate', 'reactivate']) {
          const res = await owner.post(`/admin/staff/${id}/${action}`);
          expect([id, action, res.status]).toEqual([id, action, 404]);
        }
        expect((await owner.post(`/admin/staff/${id}/password`, { password: 'long-enough-password' })).status).toBe(404);
      }
      const [row] = await h.sql<{ is_active: boolean; password_hash: string | null }>(clinic, 'SELECT is_active, password_hash FROM users WHERE id = $1', [
        patient.id,
      ]);
      expect(row).toEqual({ is_active: true, password_hash: null });
    });
  });

  describe('who may', () => {
    it.each(['doctor', 'reception', 'patient'] as const)('a %s gets 403 on every staff route, page and API', async (role) => {
      const user = { doctor, reception, patient }[role];
      const session = await h.t.app.get(SessionService).start(clinic.id, { userId: user.id, role, fullName: user.fullName, username: user.username });
      const c = new ClinicClient(h.t.url, h.hostOf(clinic));
      c.setCookie('session', session.accessToken);
      await c.primeCsrf(HOME[role]);
      const target = doctor.id;
      const pages = [
        await c.get('/admin/staff'),
        await c.get('/admin/staff/new'),
        await c.post('/admin/staff', doctorForm()),
        await c.post(`/admin/staff/${target}/deactivate`),
        await c.post(`/admin/staff/${target}/reactivate`),
        await c.post(`/admin/staff/${target}/password`, { password: 'long-enough-password' }),
      ];
      const api = [
        await h.api(clinic, session.accessToken, 'GET', '/api/v1/staff'),
        await h.api(clinic, session.accessToken, 'POST', '/api/v1/staff', doctorForm()),
        await h.api(clinic, session.accessToken, 'POST', `/api/v1/staff/${target}/deactivate`),
        await h.api(clinic, session.accessToken, 'POST', `/api/v1/staff/${target}/reactivate`),
        await h.api(clinic, session.accessToken, 'POST', `/api/v1/staff/${target}/password`, { password: 'long-enough-password' }),
      ];
      expect([...pages, ...api].map((r) => r.status)).toEqual(Array(11).fill(403));
      expect(api[0].json()).toEqual({ error: { code: 'role_forbidden', message: expect.any(String) } });
      const [row] = await h.sql<{ is_active: boolean }>(clinic, 'SELECT is_active FROM users WHERE id = $1', [target]);
      expect(row.is_active).toBe(true);
    });
  });

  describe('the API', () => {
    it('lists, adds, deactivates, reactivates and resets with a Bearer token; errors are JSON', async () => {
      const token = await h.token(clinic, admin);
      const list = await h.api(clinic, token, 'GET', '/api/v1/staff');
      expect(list.status).toBe(200);
      const { staff } = list.json<{ staff: Member[] }>();
      expect(staff.map((m) => m.id)).toEqual(expect.arrayContaining([admin.id, doctor.id, reception.id]));
      expect(staff.map((m) => m.id)).not.toContain(patient.id);
      expect(JSON.stringify(staff)).not.toMatch(/password|hash/i);

      const created = await h.api(clinic, token, 'POST', '/api/v1/staff', { fullName: 'Api Amal', username: `api-amal-${Date.now()}`, role: 'doctor', password: 'api-password-1', specialty: 'Pediatrics', consultationFee: '99.9' });
      expect(created.status).toBe(201);
      const member = created.json<Member>();
      expect(member).toEqual(
        expect.objectContaining({ fullName: 'Api Amal', role: 'doctor', isActive: true, isLocked: false, phone: null, doctor: { specialty: 'Pediatrics', consultationFee: '99.90', currency: 'EGP', slotMinutes: 15 } }),
      );

      const off = await h.api(clinic, token, 'POST', `/api/v1/staff/${member.id}/deactivate`);
      expect(off.status).toBe(200);
      expect(off.json<Member>().isActive).toBe(false);
      const on = await h.api(clinic, token, 'POST', `/api/v1/staff/${member.id}/reactivate`);
      expect(on.status).toBe(200);
      expect(on.json<Member>().isActive).toBe(true);
      const reset = await h.api(clinic, token, 'POST', `/api/v1/staff/${member.id}/password`, { password: 'api-password-2' });
      expect(reset.status).toBe(200);
      expect((await h.signIn(clinic, member.username, 'api-password-2')).headers.location).toBe('/doctor');

      const invalid = await h.api(clinic, token, 'POST', '/api/v1/staff', { fullName: 'X', username: 'x', role: 'patient', password: 'short' });
      expect(invalid.status).toBe(422);
      expect(invalid.json()).toEqual({
        error: {
          code: 'validation_failed',
          message: 'Some fields need your attention.',
          fields: {
            username: [expect.stringContaining('3 to 64 characters')],
            role: ['Choose a role: doctor, reception or clinic owner'],
            password: ['The password must be at least 10 characters long'],
          },
        },
      });
      const unknownField = await h.api(clinic, token, 'POST', `/api/v1/staff/${member.id}/password`, { password: 'api-password-3', isActive: true });
      expect(unknownField.status).toBe(422);
      const taken = await h.api(clinic, token, 'POST', '/api/v1/staff', { fullName: 'Dup', username: doctor.username, role: 'reception', password: 'long-enough-password' });
      expect(taken.status).toBe(409);
      expect(taken.json()).toEqual({ error: { code: 'username_taken', message: expect.any(String), fields: { username: [expect.any(String)] } } });
      const missing = await h.api(clinic, token, 'POST', '/api/v1/staff/424242/deactivate');
      expect(missing.status).toBe(404);
      expect(missing.json()).toEqual({ error: { code: 'staff_not_found', message: expect.any(String) } });
    });
  });

  describe('the audit log', () => {
    it('records every change with actor, target and ip, and never a password', async () => {
      const person = await createUser(h.t.dataSource, clinic, { role: 'reception', fullName: 'Audit Aya' });
      const form = doctorForm({ fullName: 'Audited Adham', password: 'audited-secret-1' });
      await owner.post('/admin/staff', form);
      await owner.post(`/admin/staff/${person.id}/deactivate`);
      await owner.post(`/admin/staff/${person.id}/reactivate`);
      await owner.post(`/admin/staff/${person.id}/password`, { password: 'audited-secret-2' });
      const [created] = await h.sql<{ id: string }>(clinic, 'SELECT id FROM users WHERE username = $1', [form.username]);
      const rows = await h.sql<{ action: string; actor_id: string; entity: string; entity_id: string; details: Record<string, unknown>; ip: string | null }>(
        clinic,
        `SELECT action, actor_id, entity, entity_id, details, host(ip) AS ip FROM audit_log
          WHERE action LIKE 'staff.%' AND entity_id = ANY($1) ORDER BY id`,
        [[person.id, created.id]],
      );
      expect(rows.map((r) => [r.action, r.entity_id])).toEqual([
        ['staff.created', created.id],
        ['staff.deactivated', person.id],
        ['staff.reactivated', person.id],
        ['staff.password_reset', person.id],
      ]);
      for (const row of rows) {
        expect(row).toEqual(expect.objectContaining({ actor_id: admin.id, entity: 'user', ip: '127.0.0.1' }));
        expect(JSON.stringify(row.details)).not.toMatch(/audited-secret|argon2/);
      }
      expect(rows[0].details).toEqual(expect.objectContaining({ role: 'doctor', specialty: 'Cardiology', consultationFee: '250.50', slotMinutes: 20 }));
      expect(rows[1].details).toEqual(expect.objectContaining({ sessionsEnded: 0, self: false }));
    });
  });
});

describe.each(stores)('deactivation with the %s session store', (_store, env) => {
  const h = harness(env);

  it("ends the person's live sessions at once (page → sign-in, API token → 401); reactivation lets them back in", async () => {
    const clinic = await h.clinic('revoke');
    const admin = await createUser(h.t.dataSource, clinic, { role: 'admin' });
    const doctor = await createUser(h.t.dataSource, clinic, { role: 'doctor', fullName: 'Revoked Ramy' });
    const owner = await h.browser(clinic, admin);
    const theirBrowser = await h.browser(clinic, doctor);
    const theirToken = await h.token(clinic, doctor);
    expect((await theirBrowser.get('/doctor')).status).toBe(200);
    expect((await h.api(clinic, theirToken, 'GET', '/api/v1/me')).status).toBe(200);

    expect((await owner.post(`/admin/staff/${doctor.id}/deactivate`)).status).toBe(303);

    const page = await theirBrowser.get('/doctor');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fdoctor');
    const api = await h.api(clinic, theirToken, 'GET', '/api/v1/me');
    expect(api.status).toBe(401);
    expect(api.json()).toEqual({ error: { code: 'session_ended', message: expect.any(String) } });
    expect((await h.signIn(clinic, doctor.username, doctor.password!)).status).toBe(403);
    const [audit] = await h.sql<{ details: { sessionsEnded: number } }>(clinic, `SELECT details FROM audit_log WHERE action = 'staff.deactivated'`);
    expect(audit.details.sessionsEnded).toBe(2);

    expect((await owner.post(`/admin/staff/${doctor.id}/reactivate`)).status).toBe(303);
    const back = await h.signIn(clinic, doctor.username, doctor.password!);
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe('/doctor');
    expect((await h.api(clinic, theirToken, 'GET', '/api/v1/me')).status).toBe(401); // the old token stays dead
  });
});

describe('clinic owners', () => {
  const h = harness();

  it('the only active owner cannot be deactivated (409); with a second owner, an owner may deactivate themselves and is signed out', async () => {
    const clinic = await h.clinic('owners');
    const first = await createUser(h.t.dataSource, clinic, { role: 'admin', fullName: 'First Fatma' });
    await createUser(h.t.dataSource, clinic, { role: 'admin', fullName: 'Gone Gamal', isActive: false }); // an inactive owner does not count
    const firstBrowser = await h.browser(clinic, first);

    const page = await firstBrowser.get('/admin/staff');
    expect(page.body).not.toContain(`Deactivate ${first.fullName}`);
    expect(page.body).toContain('The clinic’s only active owner cannot be deactivated.');

    const refused = await firstBrowser.post(`/admin/staff/${first.id}/deactivate`);
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('You are the clinic’s only active owner');
    const token = await h.token(clinic, first);
    const refusedApi = await h.api(clinic, token, 'POST', `/api/v1/staff/${first.id}/deactivate`);
    expect(refusedApi.status).toBe(409);
    expect(refusedApi.json<{ error: { code: string } }>().error.code).toBe('last_admin');

    const second = await h.api(clinic, token, 'POST', '/api/v1/staff', { fullName: 'Second Samir', username: 'second-samir', role: 'admin', password: 'second-password-1' });
    expect(second.status).toBe(201);
    const secondId = second.json<Member>().id;
    expect((await firstBrowser.get('/admin/staff')).body).toContain(`Deactivate ${first.fullName}`);

    const self = await firstBrowser.post(`/admin/staff/${first.id}/deactivate`);
    expect(self.status).toBe(303);
    expect(self.headers.location).toBe('/login');
    expect((await firstBrowser.get('/admin/staff')).status).toBe(303); // signed out
    expect((await h.api(clinic, token, 'GET', '/api/v1/me')).status).toBe(401);
    const rows = await h.sql<{ id: string; is_active: boolean }>(clinic, `SELECT id, is_active FROM users WHERE role = 'admin' AND is_active`);
    expect(rows.map((r) => r.id)).toEqual([secondId]);
  });

  it('an HTMX self-deactivation is sent to the sign-in page', async () => {
    const clinic = await h.clinic('owners-htmx');
    const a = await createUser(h.t.dataSource, clinic, { role: 'admin' });
    await createUser(h.t.dataSource, clinic, { role: 'admin' });
    const c = await h.browser(clinic, a);
    const res = await c.post(`/admin/staff/${a.id}/deactivate`, {}, { headers: htmx(h.hostOf(clinic)) });
    expect(res.status).toBe(200);
    expect(res.headers['hx-redirect']).toBe('/login');
  });

  it('an owner who resets their own password is signed out and signs in with the new one', async () => {
    const clinic = await h.clinic('owners-pw');
    const a = await createUser(h.t.dataSource, clinic, { role: 'admin' });
    const c = await h.browser(clinic, a);
    const res = await c.post(`/admin/staff/${a.id}/password`, { password: 'my-own-new-password' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect((await c.get('/admin/staff')).status).toBe(303);
    expect((await h.signIn(clinic, a.username, 'my-own-new-password')).headers.location).toBe('/admin');
    const [audit] = await h.sql<{ details: { self: boolean } }>(clinic, `SELECT details FROM audit_log WHERE action = 'staff.password_reset'`);
    expect(audit.details.self).toBe(true);
  });

  it.each([1, 2, 3])('two owners deactivating each other at the same moment: exactly one succeeds (round %i)', async () => {
    const clinic = await h.clinic('race');
    const a = await createUser(h.t.dataSource, clinic, { role: 'admin' });
    const b = await createUser(h.t.dataSource, clinic, { role: 'admin' });
    const [ta, tb] = [await h.token(clinic, a), await h.token(clinic, b)];
    const results = await Promise.all([
      h.api(clinic, ta, 'POST', `/api/v1/staff/${b.id}/deactivate`),
      h.api(clinic, tb, 'POST', `/api/v1/staff/${a.id}/deactivate`),
    ]);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    // the other is refused: as the last owner (409), or already signed out by the winner (401)
    const loser = results.find((r) => r.status !== 200)!;
    expect([409, 401]).toContain(loser.status);
    if (loser.status === 409) expect(loser.json<{ error: { code: string } }>().error.code).toBe('last_admin');
    const active = await h.sql<{ id: string }>(clinic, `SELECT id FROM users WHERE role = 'admin' AND is_active`);
    expect(active).toHaveLength(1);
  });
});

describe('another clinic', () => {
  const h = harness();

  it("an owner of clinic A gets 404 for the ids of clinic B's staff (the same numbers name other people in A), and B is unchanged", async () => {
    const a = await h.clinic('iso-a');
    const b = await h.clinic('iso-b');
    const ownerA = await createUser(h.t.dataSource, a, { role: 'admin' });
    const patientA = await createUser(h.t.dataSource, a, { role: 'patient', phone: '+201011112222' });
    await createUser(h.t.dataSource, b, { role: 'admin' });
    const doctorB = await createUser(h.t.dataSource, b, { role: 'doctor', fullName: 'Doctor of B' });
    const receptionB = await createUser(h.t.dataSource, b, { role: 'reception', fullName: 'Reception of B' });
    expect(doctorB.id).toBe(patientA.id); // ids are per clinic schema: this number is A's patient
    const nobodyInA = receptionB.id;

    const browser = await h.browser(a, ownerA);
    const token = await h.token(a, ownerA);
    for (const id of [doctorB.id, nobodyInA]) {
      for (const action of ['deactivate', 'reactivate']) {
        expect((await browser.post(`/admin/staff/${id}/${action}`)).status).toBe(404);
        expect((await h.api(a, token, 'POST', `/api/v1/staff/${id}/${action}`)).status).toBe(404);
      }
      expect((await browser.post(`/admin/staff/${id}/password`, { password: 'taken-over-password' })).status).toBe(404);
      expect((await h.api(a, token, 'POST', `/api/v1/staff/${id}/password`, { password: 'taken-over-password' })).status).toBe(404);
    }
    const listA = (await browser.get('/admin/staff')).body;
    expect(listA).not.toContain('Doctor of B');

    const rowsB = await h.sql<{ id: string; is_active: boolean }>(b, 'SELECT id, is_active FROM users WHERE id = ANY($1) ORDER BY id', [[doctorB.id, receptionB.id]]);
    expect(rowsB.every((r) => r.is_active)).toBe(true);
    expect((await h.signIn(b, doctorB.username, doctorB.password!)).status).toBe(303);
    expect((await h.signIn(b, doctorB.username, 'taken-over-password')).status).toBe(401);
  });
});
