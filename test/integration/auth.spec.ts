import { createHmac } from 'node:crypto';
import type { Tenant } from '../../src/platform/tenant';
import { ClinicClient, ManualClock } from '../support/clinic-client';
import { send } from '../support/http';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

const json = { accept: 'application/json', 'content-type': 'application/json' };

describe('sign-in, sessions and roles', () => {
  let t: TestApp;
  const clock = new ManualClock();
  let clinic: Tenant;
  let host: string;
  let admin: TestUser;
  let doctor: TestUser;
  let reception: TestUser;
  let patient: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { SIGN_IN_RATE_LIMIT: '10000' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('auth') });
    host = `${clinic.slug}.localhost`;
    admin = await createUser(t.dataSource, clinic, { role: 'admin' });
    doctor = await createUser(t.dataSource, clinic, { role: 'doctor' });
    reception = await createUser(t.dataSource, clinic, { role: 'reception' });
    patient = await createUser(t.dataSource, clinic, { role: 'patient', phone: '+201012345678' });
  });

  afterAll(() => t.close());

  const client = () => new ClinicClient(t.url, host);

  async function signedIn(user: TestUser): Promise<ClinicClient> {
    const c = client();
    if (user.role === 'patient') {
      await c.primeCsrf('/portal/login');
      const res = await c.post('/portal/login', { phone: '010 1234 5678', username: user.username });
      expect(res.status).toBe(303);
    } else {
      await c.primeCsrf('/login');
      const res = await c.post('/login', { username: user.username, password: user.password! });
      expect(res.status).toBe(303);
    }
    return c;
  }

  async function apiToken(user: TestUser, onHost = host): Promise<string> {
    const res = await send(t.url, {
      method: 'POST',
      path: '/api/v1/auth/login',
      host: onHost,
      headers: json,
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    expect(res.status).toBe(200);
    return res.json<{ accessToken: string }>().accessToken;
  }

  const me = (token: string, onHost = host) => send(t.url, { path: '/api/v1/me', host: onHost, headers: { ...json, authorization: `Bearer ${token}` } });

  describe('staff sign-in', () => {
    it.each([
      ['admin', '/admin', ['Dashboard', 'Patients', 'Doctors', 'Appointments', 'Staff', 'Invoices', 'Waitlist', 'No-shows', 'Outbox', 'Settings']],
      ['doctor', '/doctor', ['My schedule', 'Patients']],
      ['reception', '/reception', ['Today', 'Appointments', 'Patients', 'Invoices', 'Waitlist']],
    ])('%s lands on %s with exactly their navigation', async (role, home, labels) => {
      const user = { admin, doctor, reception }[role as 'admin']!;
      const c = client();
      await c.primeCsrf();
      const res = await c.post('/login', { username: user.username, password: user.password! });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(home);
      const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((h) => h.startsWith('session='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).not.toMatch(/Secure/i); // not in development/test: plain http on localhost

      const page = await c.get(home);
      expect(page.status).toBe(200);
      expect(page.body).toContain(user.fullName);
      const nav = /<nav[^>]*aria-label="Main"[^>]*>([\s\S]*?)<\/nav>/.exec(page.body)![1];
      const shown = [...nav.matchAll(/<li>\s*<(?:a|span)[^>]*>\s*([^<]+?)\s*</g)].map((m) => m[1]);
      expect(shown).toEqual(labels);
    });

    it('accepts the username in any letter case', async () => {
      const c = client();
      await c.primeCsrf();
      const res = await c.post('/login', { username: admin.username.toUpperCase(), password: admin.password! });
      expect(res.headers.location).toBe('/admin');
    });

    it('says the same for an unknown username and a wrong password, with 401 and the username kept', async () => {
      const c = client();
      await c.primeCsrf();
      const unknown = await c.post('/login', { username: 'nobody-here', password: 'whatever-password' });
      const wrong = await c.post('/login', { username: doctor.username, password: 'not-the-password' });
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body).toContain('The username or password is incorrect.');
      expect(wrong.body).toContain('The username or password is incorrect.');
      expect(wrong.body).toContain(`value="${doctor.username}"`);
      expect(wrong.body).not.toContain('not-the-password');
    });

    it('re-renders the form with 422 and per-field messages for empty or oversized fields', async () => {
      const c = client();
      await c.primeCsrf();
      const empty = await c.post('/login', { username: '', password: '' });
      expect(empty.status).toBe(422);
      expect(empty.body).toContain('Enter your username');
      expect(empty.body).toContain('Enter your password');
      expect(empty.body).toMatch(/<form[^>]*action="\/login"/);
      const huge = await c.post('/login', { username: 'u'.repeat(65), password: 'p'.repeat(201) });
      expect(huge.status).toBe(422);
      expect(huge.body).toContain('at most 64 characters');
    });

    it('refuses a deactivated account with 403 once the password is right', async () => {
      const gone = await createUser(t.dataSource, clinic, { role: 'reception', isActive: false });
      const c = client();
      await c.primeCsrf();
      const res = await c.post('/login', { username: gone.username, password: gone.password! });
      expect(res.status).toBe(403);
      expect(res.body).toContain('deactivated');
      const api = await send(t.url, { method: 'POST', path: '/api/v1/auth/login', host, headers: json, body: JSON.stringify({ username: gone.username, password: gone.password }) });
      expect(api.status).toBe(403);
      expect(api.json()).toEqual({ error: { code: 'account_inactive', message: expect.stringContaining('deactivated') } });
    });

    it('stores argon2id hashes for staff and no hash at all for patients', async () => {
      const rows = await asClinic<{ role: string; password_hash: string | null }[]>(t.dataSource, clinic, 'SELECT role, password_hash FROM users WHERE id = ANY($1)', [
        [admin.id, doctor.id, reception.id, patient.id],
      ]);
      for (const row of rows) {
        if (row.role === 'patient') expect(row.password_hash).toBeNull();
        else expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
      }
    });
  });

  describe('patient sign-in', () => {
    it.each(['010 1234 5678', '+20 10 1234 5678', '00201012345678', '٠١٠١٢٣٤٥٦٧٨'])('knows the patient by %s and lands on /portal', async (phone) => {
      const c = client();
      await c.primeCsrf('/portal/login');
      const res = await c.post('/portal/login', { phone, username: patient.username });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/portal');
      const page = await c.get('/portal');
      expect(page.status).toBe(200);
      expect(page.body).toContain(patient.fullName);
    });

    it('refuses a malformed phone with 422 on the field', async () => {
      const c = client();
      await c.primeCsrf('/portal/login');
      const res = await c.post('/portal/login', { phone: '12', username: patient.username });
      expect(res.status).toBe(422);
      expect(res.body).toContain('Enter a valid phone number');
      expect(res.body).toContain('value="12"');
    });

    it('never lets staff in without a password, even with their own phone', async () => {
      const nurse = await createUser(t.dataSource, clinic, { role: 'reception', phone: '+201112223334' });
      const c = client();
      await c.primeCsrf('/portal/login');
      const res = await c.post('/portal/login', { phone: '01112223334', username: nurse.username });
      expect(res.status).toBe(401);
      const api = await send(t.url, { method: 'POST', path: '/api/v1/auth/patient-login', host, headers: json, body: JSON.stringify({ phone: '01112223334', username: nurse.username }) });
      expect(api.status).toBe(401);
    });

    it('refuses a patient on the staff form (no password to check)', async () => {
      const c = client();
      await c.primeCsrf();
      const res = await c.post('/login', { username: patient.username, password: 'anything-at-all' });
      expect(res.status).toBe(401);
    });
  });

  describe('API tokens', () => {
    it('signs staff and patients in and answers /me with the caller', async () => {
      const token = await apiToken(doctor);
      const res = await me(token);
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ id: doctor.id, username: doctor.username, fullName: doctor.fullName, role: 'doctor', clinic: { slug: clinic.slug, displayName: clinic.displayName } });

      const p = await send(t.url, { method: 'POST', path: '/api/v1/auth/patient-login', host, headers: json, body: JSON.stringify({ phone: '+20 10 1234 5678', username: patient.username }) });
      expect(p.status).toBe(200);
      const body = p.json<{ accessToken: string; expiresIn: number }>();
      expect(body.expiresIn).toBe(t.config.sessionMaxSeconds);
      expect((await me(body.accessToken)).json<{ role: string }>().role).toBe('patient');
    });

    it('answers validation errors as JSON with fields', async () => {
      const res = await send(t.url, { method: 'POST', path: '/api/v1/auth/login', host, headers: json, body: JSON.stringify({ username: '' }) });
      expect(res.status).toBe(422);
      const { error } = res.json<{ error: { code: string; fields: Record<string, string[]> } }>();
      expect(error.code).toBe('validation_failed');
      expect(Object.keys(error.fields).sort()).toEqual(['password', 'username']);
    });

    it('refuses no token, a tampered token and an expired one with 401 and a code', async () => {
      expect((await send(t.url, { path: '/api/v1/me', host, headers: json })).json()).toEqual({ error: { code: 'sign_in_required', message: expect.any(String) } });
      const token = await apiToken(reception);
      const [head, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
      const tampered = await me(`${head}.${forged}.${signature}`);
      expect(tampered.status).toBe(401);
      expect(tampered.json<{ error: { code: string } }>().error.code).toBe('token_invalid');

      const expiredPayload = Buffer.from(JSON.stringify({ ...claims, iat: 1_000_000_000, exp: 1_000_000_100 })).toString('base64url');
      const expiredSignature = createHmac('sha256', t.config.jwtSecret).update(`${head}.${expiredPayload}`).digest('base64url');
      const expired = await me(`${head}.${expiredPayload}.${expiredSignature}`);
      expect(expired.status).toBe(401);
      expect(expired.json<{ error: { code: string } }>().error.code).toBe('session_expired');
    });

    it('takes Bearer tokens only on the API and cookies only on pages', async () => {
      const token = await apiToken(admin);
      const page = await send(t.url, { path: '/admin', host, headers: { authorization: `Bearer ${token}` } });
      expect(page.status).toBe(303);
      const c = await signedIn(admin);
      const api = await send(t.url, { path: '/api/v1/me', host, headers: { ...json, cookie: `session=${c.cookie('session')}` } });
      expect(api.status).toBe(401);
    });
  });

  describe('malformed requests', () => {
    it('answers broken JSON and an oversized body with a clear JSON error, never a stack trace', async () => {
      const broken = await send(t.url, { method: 'POST', path: '/api/v1/auth/login', host, headers: json, body: '{"username": "x",' });
      expect(broken.status).toBe(400);
      expect(broken.json<{ error: { code: string; message: string } }>().error.code).toBe('bad_request');
      expect(broken.body).not.toMatch(/at \w+ \(/);
      const huge = await send(t.url, { method: 'POST', path: '/api/v1/auth/login', host, headers: json, body: JSON.stringify({ username: 'x', password: 'p'.repeat(200_000) }) });
      expect(huge.status).toBe(413);
      expect(huge.json<{ error: { code: string } }>().error.code).toBe('payload_too_large');
    });

    it('refuses unknown fields and non-string values with 422', async () => {
      const extra = await send(t.url, { method: 'POST', path: '/api/v1/auth/login', host, headers: json, body: JSON.stringify({ username: 'x', password: 'y', role: 'admin' }) });
      expect(extra.status).toBe(422);
      expect(extra.json<{ error: { fields: Record<string, string[]> } }>().error.fields).toHaveProperty('role');
      const typed = await send(t.url, { method: 'POST', path: '/api/v1/auth/login', host, headers: json, body: JSON.stringify({ username: ['a'], password: { $ne: 1 } }) });
      expect(typed.status).toBe(422);
    });
  });

  describe('lockout', () => {
    it('locks after 15 consecutive failures, refuses the right password, and opens after 15 minutes', async () => {
      const victim = await createUser(t.dataSource, clinic, { role: 'doctor' });
      const c = client();
      await c.primeCsrf();
      for (let i = 1; i <= 14; i += 1) {
        expect((await c.post('/login', { username: victim.username, password: `wrong-${i}-password` })).status).toBe(401);
      }
      const fifteenth = await c.post('/login', { username: victim.username, password: 'wrong-15-password' });
      expect(fifteenth.status).toBe(423);
      expect(fifteenth.body).toContain('locked');
      const sixteenth = await c.post('/login', { username: victim.username, password: victim.password! });
      expect(sixteenth.status).toBe(423);
      expect(sixteenth.body).toContain('Try again in 15 minutes');

      clock.advance(14 * 60_000);
      expect((await c.post('/login', { username: victim.username, password: victim.password! })).status).toBe(423);
      clock.advance(60_000 + 1);
      const opened = await c.post('/login', { username: victim.username, password: victim.password! });
      expect(opened.status).toBe(303);

      const [row] = await asClinic<{ failed_logins: number; locked_until: Date | null }[]>(t.dataSource, clinic, 'SELECT failed_logins, locked_until FROM users WHERE id = $1', [victim.id]);
      expect(row).toEqual({ failed_logins: 0, locked_until: null });
    });

    it('counts only consecutive failures: a success starts the count again', async () => {
      const user = await createUser(t.dataSource, clinic, { role: 'reception' });
      const c = client();
      await c.primeCsrf();
      for (let i = 0; i < 14; i += 1) await c.post('/login', { username: user.username, password: 'wrong-password!' });
      expect((await c.post('/login', { username: user.username, password: user.password! })).status).toBe(303);
      const c2 = client();
      await c2.primeCsrf();
      for (let i = 0; i < 14; i += 1) expect((await c2.post('/login', { username: user.username, password: 'wrong-password!' })).status).toBe(401);
    });

    it('never reveals a lock for an unknown username', async () => {
      const c = client();
      await c.primeCsrf();
      for (let i = 0; i < 17; i += 1) expect((await c.post('/login', { username: 'ghost-user', password: 'wrong-password!' })).status).toBe(401);
    });

    it('answers a locked API sign-in with 423 and a code', async () => {
      const victim = await createUser(t.dataSource, clinic, { role: 'reception' });
      const attempt = (password: string) =>
        send(t.url, { method: 'POST', path: '/api/v1/auth/login', host, headers: json, body: JSON.stringify({ username: victim.username, password }) });
      for (let i = 0; i < 15; i += 1) await attempt('wrong-password!');
      const res = await attempt(victim.password!);
      expect(res.status).toBe(423);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('account_locked');
    });
  });

  describe('idle sessions (memory store, injected clock)', () => {
    it('ends a patient session after 30 idle minutes while a staff session lives on', async () => {
      const p = await signedIn(patient);
      const s = await signedIn(reception);
      clock.advance(29 * 60_000);
      expect((await p.get('/portal')).status).toBe(200); // activity renews the idle time
      clock.advance(29 * 60_000);
      expect((await p.get('/portal')).status).toBe(200);
      clock.advance(31 * 60_000);
      const idle = await p.get('/portal');
      expect(idle.status).toBe(303);
      expect(idle.headers.location).toBe('/portal/login?next=%2Fportal');
      expect((await s.get('/reception')).status).toBe(200);
      clock.advance(8 * 3600_000 + 1000);
      expect((await s.get('/reception')).status).toBe(303);
    });
  });

  describe('redirects after sign-in', () => {
    it.each([
      ['https://evil.example', '/admin'],
      ['//evil.example', '/admin'],
      ['/\\evil.example', '/admin'],
      ['http:/evil.example', '/admin'],
      ['/doctor', '/admin'],
      ['/admin/staff?tab=doctors', '/admin/staff?tab=doctors'],
    ])('next=%s goes to %s', async (next, expected) => {
      const c = client();
      await c.primeCsrf(`/login?next=${encodeURIComponent(next)}`);
      const res = await c.post('/login', { username: admin.username, password: admin.password!, next });
      expect(res.headers.location).toBe(expected);
    });

    it('sends an anonymous visitor to the right sign-in form and back', async () => {
      const c = client();
      const res = await c.get('/admin/staff');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login?next=%2Fadmin%2Fstaff');
      const page = await c.get(res.headers.location as string);
      expect(page.body).toContain('name="next" value="/admin/staff"');
      expect((await c.get('/portal')).headers.location).toBe('/portal/login?next=%2Fportal');
    });

    it("answers a refused HTMX request with an alert aimed at the layout's alert area", async () => {
      const c = await signedIn(doctor);
      const res = await c.get('/admin', { 'HX-Request': 'true' });
      expect(res.status).toBe(403);
      expect(res.headers['hx-retarget']).toBe('#alerts');
      expect(res.headers['hx-reswap']).toBe('innerHTML');
      expect(res.body).toContain('role="alert"');
      expect(res.body).not.toContain('<html');
      expect((await c.get('/doctor')).body).toContain('id="alerts"');
    });

    it('tells HTMX to load the sign-in page instead of swapping it in', async () => {
      const res = await client().get('/admin', { 'HX-Request': 'true' });
      expect(res.status).toBe(401);
      expect(res.headers['hx-redirect']).toBe('/login?next=%2Fadmin');
    });
  });

  describe('CSRF', () => {
    it('refuses a cookie-authenticated form post without the token, or with a wrong one, with 403', async () => {
      const c = await signedIn(reception);
      const missing = await c.post('/logout', {}, { csrf: false });
      expect(missing.status).toBe(403);
      expect(missing.body).toContain('This form has expired');
      const wrong = await c.post('/logout', {}, { csrf: `${c.csrfToken.slice(0, -4)}abcd` });
      expect(wrong.status).toBe(403);
      expect((await c.get('/reception')).status).toBe(200); // still signed in
    });

    it('accepts the token from the X-CSRF-Token header (HTMX) as well as the form field', async () => {
      const c = await signedIn(reception);
      await c.get('/reception');
      const res = await c.request('POST', '/logout', { headers: { 'x-csrf-token': c.csrfToken, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      expect(res.status).toBe(303);
    });

    it("keeps the session's token valid across a page that does not exist (a browser's /favicon.ico)", async () => {
      const c = await signedIn(reception);
      await c.get('/reception');
      const token = c.csrfToken;
      for (const path of ['/favicon.ico', '/no-such-page']) {
        const missing = await c.get(path, { accept: 'text/html' });
        expect(missing.status).toBe(404);
        expect(missing.headers['set-cookie']).toBeUndefined();
      }
      expect((await c.post('/logout', {}, { csrf: token })).status).toBe(303);
    });

    it('protects the sign-in form too (no sign-in on a forged post)', async () => {
      const c = client();
      const res = await c.post('/login', { username: admin.username, password: admin.password! }, { csrf: false });
      expect(res.status).toBe(403);
      expect(c.cookie('session')).toBeUndefined();
    });

    it('does not apply to Bearer API calls', async () => {
      const token = await apiToken(doctor);
      const res = await send(t.url, { method: 'POST', path: '/api/v1/auth/logout', host, headers: { ...json, authorization: `Bearer ${token}` } });
      expect(res.status).toBe(204);
    });
  });

  describe('security headers', () => {
    it('sends a CSP that allows only the site itself, and the other helmet headers', async () => {
      const res = await client().get('/login');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.body).toContain('src="/static/vendor/htmx.min.js"');
      expect(res.body).not.toMatch(/<script(?![^>]*src=)[^>]*>/); // no inline script
      expect(res.body).not.toMatch(/\sstyle="/);
    });

    it('lets no browser, proxy or back button keep a page, a fragment or an API answer; the static files stay cacheable', async () => {
      const c = await signedIn(reception);
      const answers = {
        'the sign-in page': await client().get('/login'),
        'a page': await c.get('/patients'),
        'a fragment': await c.get('/patients?q=a', { 'hx-request': 'true' }),
        'an API answer': await send(t.url, { path: '/api/v1/me', host, headers: { authorization: `Bearer ${await apiToken(doctor)}` } }),
        'a refusal': await client().get('/patients'),
      };
      for (const [what, res] of Object.entries(answers)) {
        expect({ what, cacheControl: res.headers['cache-control'], etag: res.headers.etag }).toEqual({ what, cacheControl: 'no-store', etag: undefined });
      }
      expect(answers['a page'].status).toBe(200);
      expect(answers['a fragment'].status).toBe(200);
      expect(answers['an API answer'].status).toBe(200);
      // htmx keeps no copy of past pages in the tab either: going back asks the server again
      const htmxConfig = JSON.parse(/<meta name="htmx-config" content='([^']*)'>/.exec(answers['a page'].body)![1]) as Record<string, unknown>;
      expect(htmxConfig).toMatchObject({ historyCacheSize: 0, refreshOnHistoryMiss: true });

      const asset = await client().get('/static/vendor/htmx.min.js');
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).not.toContain('no-store');
      expect(asset.headers.etag).toBeDefined();
    });
  });

  describe('audit log', () => {
    it('records sign-in success, failure, lockout and sign-out with who and from where', async () => {
      const user = await createUser(t.dataSource, clinic, { role: 'doctor' });
      const c = client();
      await c.primeCsrf();
      for (let i = 0; i < 15; i += 1) await c.post('/login', { username: user.username, password: 'wrong-password!' });
      clock.advance(16 * 60_000);
      await c.post('/login', { username: user.username, password: user.password! });
      await c.get('/doctor');
      await c.post('/logout');
      const rows = await asClinic<{ action: string; actor_id: string; ip: string; details: Record<string, unknown> }[]>(
        t.dataSource,
        clinic,
        `SELECT action, actor_id, host(ip) AS ip, details FROM audit_log WHERE entity_id = $1 ORDER BY id`,
        [user.id],
      );
      const actions = rows.map((r) => r.action);
      expect(actions.filter((a) => a === 'auth.sign_in_failed')).toHaveLength(15);
      expect(actions.slice(15)).toEqual(['auth.account_locked', 'auth.signed_in', 'auth.signed_out']);
      expect(rows.every((r) => r.actor_id === user.id && r.ip === '127.0.0.1')).toBe(true);
    });
  });
});
