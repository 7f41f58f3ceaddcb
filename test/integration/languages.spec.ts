import { clinicGroupRoleFor, type Tenant } from '../../src/platform/tenant';
import { send } from '../support/http';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, eventually, provisioning, startTestApp, type TestApp, uniqueSlug } from '../support/test-app';

/*
 * Which language a page speaks: the clinic's default (set by the operator, or the owner), the person's
 * own choice from the switch, `Accept-Language` on the API; and the clinic role's narrow right to its
 * own registry row, which must not reach another clinic's.
 */
describe('languages', () => {
  let t: TestApp;
  let english: Tenant;
  let arabic: Tenant;
  const host = (clinic: Tenant) => `${clinic.slug}.localhost`;
  const htmlTag = (body: string) => /<html[^>]*>/.exec(body)?.[0];
  const languageCookie = (header: string | string[] | undefined) => [header ?? []].flat().find((c) => c.startsWith('lang='));

  beforeAll(async () => {
    t = await startTestApp();
    english = await createClinic(t.dataSource, { slug: uniqueSlug('lang-en'), displayName: 'Hassan Heart Clinic' });
    arabic = await createClinic(t.dataSource, { slug: uniqueSlug('lang-ar'), displayName: 'عيادة النور', language: 'ar' });
  });

  afterAll(() => t.close());

  it("speaks each clinic's default language: English left to right, Arabic right to left", async () => {
    const en = await send(t.url, { host: host(english), path: '/login' });
    expect(en.status).toBe(200);
    expect(htmlTag(en.body)).toBe('<html lang="en" dir="ltr">');
    expect(en.body).toContain('Skip to main content');
    // the switch offers the other language, named in itself, back to this page
    expect(en.body).toContain('<a href="/language/ar?back&#x3D;%2Flogin" lang="ar" hreflang="ar" id="language-ar">العربية</a>');

    const ar = await send(t.url, { host: host(arabic), path: '/login' });
    expect(htmlTag(ar.body)).toBe('<html lang="ar" dir="rtl">');
    expect(ar.body).toContain('انتقل إلى المحتوى الرئيسي');
    expect(ar.body).not.toContain('Skip to main content');
    expect(ar.body).toContain('<a href="/language/en?back&#x3D;%2Flogin" lang="en" hreflang="en" id="language-en">English</a>');
  });

  it("follows the person's own choice over the clinic's default, and comes back to the same page", async () => {
    const chosen = await send(t.url, { host: host(arabic), path: '/language/en?back=%2Flogin%3Fnext%3D%252Freception' });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.location).toBe('/login?next=%2Freception');
    const cookie = languageCookie(chosen.headers['set-cookie']);
    expect(cookie).toMatch(/^lang=en;/);
    expect(cookie).toMatch(/HttpOnly/);

    const page = await send(t.url, { host: host(arabic), path: '/login', headers: { cookie: 'lang=en' } });
    expect(htmlTag(page.body)).toBe('<html lang="en" dir="ltr">');
    const back = await send(t.url, { host: host(english), path: '/login', headers: { cookie: 'lang=ar' } });
    expect(htmlTag(back.body)).toBe('<html lang="ar" dir="rtl">');
    // a cookie naming no language the platform speaks is ignored
    const junk = await send(t.url, { host: host(arabic), path: '/login', headers: { cookie: 'lang=fr' } });
    expect(htmlTag(junk.body)).toBe('<html lang="ar" dir="rtl">');
  });

  it('never sends the switch anywhere but a path on the same host, and knows only its languages', async () => {
    for (const back of ['//evil.example/x', 'https://evil.example', '/\\evil.example', '/language/ar']) {
      const res = await send(t.url, { host: host(english), path: `/language/ar?back=${encodeURIComponent(back)}` });
      expect({ back, status: res.status, location: res.headers.location }).toEqual({ back, status: 303, location: '/' });
    }
    const unknown = await send(t.url, { host: host(english), path: '/language/fr?back=%2F' });
    expect(unknown.status).toBe(404);
    expect(languageCookie(unknown.headers['set-cookie'])).toBeUndefined();
  });

  it("answers the API in the language it accepts, else the clinic's", async () => {
    const call = (clinic: Tenant, headers: Record<string, string> = {}) =>
      send(t.url, { host: host(clinic), path: '/api/v1/no-such-route', headers: { accept: 'application/json', ...headers } });
    expect((await call(english)).json()).toEqual({ error: { code: 'not_found', message: 'There is no page at this address.' } });
    expect((await call(arabic)).json()).toEqual({ error: { code: 'not_found', message: 'لا توجد صفحة على هذا العنوان.' } });
    expect((await call(english, { 'accept-language': 'ar-EG,ar;q=0.9,en;q=0.5' })).json()).toMatchObject({ error: { message: 'لا توجد صفحة على هذا العنوان.' } });
    expect((await call(arabic, { 'accept-language': 'fr-FR, en;q=0.8' })).json()).toMatchObject({ error: { message: 'There is no page at this address.' } });
  });

  it('shows the suspended page in the clinic\'s language', async () => {
    const ops = provisioning(t.dataSource);
    await ops.setStatus(arabic.slug, 'suspended');
    try {
      await eventually(async () => {
        const res = await send(t.url, { host: host(arabic) });
        expect(res.status).toBe(503);
        expect(htmlTag(res.body)).toBe('<html lang="ar" dir="rtl">');
        expect(res.body).toContain('عيادة النور غير متاحة مؤقتًا.');
      });
    } finally {
      await ops.setStatus(arabic.slug, 'active');
    }
  });

  it("changes a clinic's default language from the operator's CLI, at once on every page", async () => {
    const ops = provisioning(t.dataSource);
    expect(await ops.setLanguage(english.slug, 'ar')).toBe(true);
    expect(await ops.setLanguage(english.slug, 'ar')).toBe(false);
    await eventually(async () => expect(htmlTag((await send(t.url, { host: host(english), path: '/login' })).body)).toBe('<html lang="ar" dir="rtl">'));
    await ops.setLanguage(english.slug, 'en');
    await eventually(async () => expect(htmlTag((await send(t.url, { host: host(english), path: '/login' })).body)).toBe('<html lang="en" dir="ltr">'));
    await expect(ops.setLanguage(english.slug, 'fr')).rejects.toThrow('"fr" is not a language the platform speaks: use one of en, ar');
  });

  it("lets the owner set the clinic's language on the settings page, audited, and no one else", async () => {
    const clinic = await createClinic(t.dataSource, { slug: uniqueSlug('lang-owner'), displayName: 'Nile Care' });
    const owner = await createUser(t.dataSource, clinic, { role: 'admin' });
    const desk = await createUser(t.dataSource, clinic, { role: 'reception' });
    const browser = await signedInBrowser(t.url, host(clinic), owner);
    const form = await browser.get('/admin/settings');
    expect(form.body).toContain('<option value="ar" lang="ar">العربية</option>');
    expect(form.body).toContain('<option value="en" lang="en" selected>English</option>');

    const token = await apiToken(t.url, host(clinic), owner);
    const refused = await apiCall(t.url, host(clinic), token, 'PATCH', '/api/v1/settings', { language: 'fr' });
    expect(refused.status).toBe(422);
    expect(refused.json()).toMatchObject({ error: { fields: { language: ['Choose English or Arabic.'] } } });
    // a field the form does not have is refused in our words, not class-validator's
    const stray = await apiCall(t.url, host(clinic), token, 'PATCH', '/api/v1/settings', { colour: 'red' });
    expect(stray.json()).toMatchObject({ error: { code: 'validation_failed', fields: { colour: ['"colour" is not a field of this form.'] } } });
    const deskToken = await apiToken(t.url, host(clinic), desk);
    expect((await apiCall(t.url, host(clinic), deskToken, 'PATCH', '/api/v1/settings', { language: 'ar' })).status).toBe(403);

    const saved = await apiCall(t.url, host(clinic), token, 'PATCH', '/api/v1/settings', { language: 'ar' });
    expect(saved.status).toBe(200);
    // at once on this instance (no waiting for the NOTIFY): the next page is in Arabic
    expect(htmlTag((await send(t.url, { host: host(clinic), path: '/login' })).body)).toBe('<html lang="ar" dir="rtl">');
    const [audit] = await asClinic<{ details: Record<string, unknown> }[]>(
      t.dataSource,
      clinic,
      "SELECT details FROM audit_log WHERE action = 'settings.updated' ORDER BY id DESC LIMIT 1",
    );
    expect(audit.details).toEqual({ language: 'ar' });
    expect((await t.dataSource.query('SELECT language FROM platform.tenants WHERE id = $1', [english.id]))[0].language).toBe('en');
  });

  it("keeps a signed-in person's choice on their account, so it follows them to another browser", async () => {
    const clinic = await createClinic(t.dataSource, { slug: uniqueSlug('lang-user'), displayName: 'Nile Care' });
    const other = await createClinic(t.dataSource, { slug: uniqueSlug('lang-user2'), displayName: 'Other Care' });
    const doctor = await createUser(t.dataSource, clinic, { role: 'doctor', username: 'mona' });
    const namesake = await createUser(t.dataSource, other, { role: 'doctor', username: 'mona' });
    const laptop = await signedInBrowser(t.url, host(clinic), doctor);
    const page = await laptop.get('/doctor');
    // signed in, the switch is a form (CSRF-checked), not a link
    expect(page.body).toContain('<form method="post" action="/language" class="language-switch"');
    expect(page.body).toContain('<button type="submit" name="language" value="ar" lang="ar" id="language-ar" class="button-ghost">العربية</button>');

    expect((await laptop.post('/language', { language: 'ar', back: '/doctor' }, { csrf: false })).status).toBe(403);
    expect((await laptop.post('/language', { language: 'fr', back: '/doctor' })).status).toBe(422);
    const switched = await laptop.post('/language', { language: 'ar', back: '/doctor?day=2026-11-23' });
    expect(switched.status).toBe(303);
    expect(switched.headers.location).toBe('/doctor?day=2026-11-23');
    expect(laptop.cookie('lang')).toBe('ar');
    expect(htmlTag((await laptop.get('/doctor')).body)).toBe('<html lang="ar" dir="rtl">');

    // a phone that never used the switch: signing in brings the account's language with it
    const phone = await signedInBrowser(t.url, host(clinic), doctor);
    expect(phone.cookie('lang')).toBe('ar');
    expect(htmlTag((await phone.get('/doctor')).body)).toBe('<html lang="ar" dir="rtl">');

    const saved = async (clinicOf: Tenant, id: string) => (await asClinic<{ language: string | null }[]>(t.dataSource, clinicOf, 'SELECT language FROM users WHERE id = $1', [id]))[0].language;
    expect(await saved(clinic, doctor.id)).toBe('ar');
    // the same username in another clinic is another person: untouched, and signs in without it
    expect(await saved(other, namesake.id)).toBeNull();
    expect((await signedInBrowser(t.url, host(other), namesake)).cookie('lang')).toBeUndefined();
    // signed out, the switch stays a link, and the form refuses anyone not signed in
    const anonymous = await send(t.url, { host: host(clinic), method: 'POST', path: '/language', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'language=en' });
    expect({ status: anonymous.status, location: anonymous.headers.location }).toEqual({ status: 303, location: '/login' });
    expect(languageCookie(anonymous.headers['set-cookie'])).toBeUndefined();
  });

  describe("a clinic's role and the registry", () => {
    const languageOf = async (clinic: Tenant) =>
      ((await t.dataSource.query('SELECT language FROM platform.tenants WHERE id = $1', [clinic.id])) as { language: string }[])[0].language;

    it('sees only its own row, and only the columns it needs', async () => {
      const rows = await asClinic<{ id: string }[]>(t.dataSource, english, 'SELECT id, language FROM platform.tenants');
      expect(rows.map((r) => r.id)).toEqual([english.id]);
      await expect(asClinic(t.dataSource, english, 'SELECT display_name FROM platform.tenants')).rejects.toThrow(/permission denied/);
      await expect(asClinic(t.dataSource, english, 'SELECT host FROM platform.domains')).rejects.toThrow(/permission denied/);
      await expect(asClinic(t.dataSource, english, "UPDATE platform.tenants SET status = 'suspended' WHERE id = $1", [english.id])).rejects.toThrow(
        /permission denied/,
      );
    });

    it("cannot change another clinic's language, nor give its own row away", async () => {
      const before = await languageOf(arabic);
      const [, changed] = await asClinic<[unknown, number]>(t.dataSource, english, "UPDATE platform.tenants SET language = 'en' WHERE id = $1", [arabic.id]);
      expect(changed).toBe(0);
      expect(await languageOf(arabic)).toBe(before);
      // its own row, yes (what the owner's settings page does)
      const [, own] = await asClinic<[unknown, number]>(t.dataSource, english, "UPDATE platform.tenants SET language = 'ar' WHERE id = $1", [english.id]);
      expect(own).toBe(1);
      await t.dataSource.query("UPDATE platform.tenants SET language = 'en' WHERE id = $1", [english.id]);
    });

    it('holds those rights through one group role, so no ACL on platform grows with the clinic count', async () => {
      // one entry per clinic made the 1,01x-th clinic fail ("row is too big": pg_attribute rows are not TOASTed)
      const [acl] = (await t.dataSource.query(
        `SELECT (SELECT nspacl::text[] FROM pg_namespace WHERE nspname = 'platform') AS schema,
                (SELECT relacl::text[] FROM pg_class WHERE oid = 'platform.tenants'::regclass) AS "table",
                (SELECT array_agg(attname || '=' || attacl::text ORDER BY attname) FROM pg_attribute
                  WHERE attrelid = 'platform.tenants'::regclass AND attacl IS NOT NULL) AS columns`,
      )) as { schema: string[]; table: string[] | null; columns: string[] }[];
      const everything = [...acl.schema, ...(acl.table ?? []), ...acl.columns].join(' ');
      for (const clinic of [english, arabic]) expect(everything).not.toContain(clinic.roleName);
      const [{ id }] = (await t.dataSource.query('SELECT id FROM platform.instance')) as { id: string }[];
      const group = clinicGroupRoleFor(id);
      // `grantee=privileges/grantor`, the grantor left out
      expect(acl.columns.map((c) => c.replace(/\/[^,}]+/g, ''))).toEqual([`id={${group}=r}`, `language={${group}=rw}`, `role_name={${group}=r}`, `updated_at={${group}=w}`]);
      const members = (await t.dataSource.query(
        'SELECT r.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member WHERE g.rolname = $1',
        [group],
      )) as { rolname: string }[];
      expect(members.map((m) => m.rolname)).toEqual(expect.arrayContaining([english.roleName, arabic.roleName]));
    });
  });
});
