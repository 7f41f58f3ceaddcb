import type { Tenant } from '../../src/platform/tenant';
import { send } from '../support/http';
import { addDoctor, asClinic, createClinic, eventually, provisioning, startTestApp, type TestApp, uniqueSlug } from '../support/test-app';

describe('host handling', () => {
  let t: TestApp;
  let clinic: Tenant;
  let customDomain: string;

  beforeAll(async () => {
    t = await startTestApp();
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('host'), displayName: 'Hassan Heart Clinic' });
    customDomain = `${clinic.slug}.clinic-example.com`;
    await provisioning(t.dataSource).addDomain(clinic.slug, customDomain);
    await addDoctor(t.dataSource, clinic, 'Dr. Ahmed Hassan');
  });

  afterAll(() => t.close());

  it.each([
    ['lower-case host with port', (slug: string) => `${slug}.localhost:3000`],
    ['upper-case host', (slug: string) => `${slug.toUpperCase()}.LOCALHOST:3000`],
    ['trailing dot', (slug: string) => `${slug}.localhost.`],
  ])('reaches the clinic by its %s', async (_name, host) => {
    const res = await send(t.url, { host: host(clinic.slug) });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<h1>Hassan Heart Clinic</h1>');
    expect(res.body).toContain('Dr. Ahmed Hassan');
  });

  it("lists the clinic's active doctors on its front page, by name, and nobody else", async () => {
    const other = await createClinic(t.dataSource, { slug: uniqueSlug('front'), displayName: 'Front Page Clinic' });
    for (const name of ['Dr. Zaki', 'Dr. Amal', 'Dr. Left Us']) await addDoctor(t.dataSource, other, name);
    await asClinic(t.dataSource, other, "UPDATE users SET is_active = false WHERE full_name = 'Dr. Left Us'");
    await asClinic(t.dataSource, other, "INSERT INTO users (username, full_name, role, password_hash) VALUES ('desk', 'Desk Person', 'reception', 'x')");
    const res = await send(t.url, { host: `${other.slug}.localhost` });
    expect(res.status).toBe(200);
    const listed = [...res.body.matchAll(/<li>([^<]+)<\/li>/g)].map((m) => m[1]);
    expect(listed).toEqual(['Dr. Amal', 'Dr. Zaki']);
    expect(res.body).not.toContain('Dr. Ahmed Hassan'); // another clinic's doctor
  });

  it('reaches the same clinic by a registered custom domain', async () => {
    const res = await send(t.url, { host: customDomain.toUpperCase() });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<h1>Hassan Heart Clinic</h1>');
  });

  it('answers an unknown clinic host with a friendly 404 page, and JSON on the API', async () => {
    const page = await send(t.url, { host: 'no-such-clinic.localhost:3000' });
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('No clinic here');
    expect(page.body).toContain('no-such-clinic.localhost');

    const api = await send(t.url, { host: 'no-such-clinic.localhost', path: '/api/v1/me', headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(api.json()).toEqual({ error: { code: 'unknown_clinic', message: 'There is no clinic at no-such-clinic.localhost.' } });

    // a client that accepts anything (curl, scripts) still gets JSON on the API
    const anyAccept = await send(t.url, { host: 'no-such-clinic.localhost', path: '/api/v1/me?x=1', headers: { accept: '*/*' } });
    expect(anyAccept.json()).toMatchObject({ error: { code: 'unknown_clinic' } });

    const nested = await send(t.url, { host: `a.${clinic.slug}.localhost` });
    expect(nested.status).toBe(404);
  });

  it('escapes a hostile host name in the 404 page', async () => {
    const res = await send(t.url, { host: 'evil.example.com' });
    expect(res.status).toBe(404);
    const script = await send(t.url, { host: '<script>x</script>' });
    expect(script.status).toBe(404);
    expect(script.body).not.toContain('<script>x</script>');
  });

  it('answers 503 for a suspended clinic, on every host and path, until it is resumed', async () => {
    const ops = provisioning(t.dataSource);
    await ops.setStatus(clinic.slug, 'suspended');
    await eventually(async () => {
      const res = await send(t.url, { host: `${clinic.slug}.localhost` });
      expect(res.status).toBe(503);
      expect(res.body).toContain('Temporarily unavailable');
      expect(res.body).toContain('Hassan Heart Clinic is temporarily unavailable');
    });
    expect((await send(t.url, { host: customDomain })).status).toBe(503);
    expect((await send(t.url, { host: customDomain, path: '/anything' })).status).toBe(503);

    await ops.setStatus(clinic.slug, 'active');
    await eventually(async () => expect((await send(t.url, { host: `${clinic.slug}.localhost` })).status).toBe(200));
  });

  it('forgets a removed domain and a dropped clinic at once (registry invalidated by the change)', async () => {
    const ops = provisioning(t.dataSource);
    const extra = await createClinic(t.dataSource, { slug: uniqueSlug('gone') });
    await ops.addDomain(extra.slug, `${extra.slug}.other-example.org`);
    expect((await send(t.url, { host: `${extra.slug}.other-example.org` })).status).toBe(200);

    await ops.removeDomain(`${extra.slug}.other-example.org`);
    await eventually(async () => expect((await send(t.url, { host: `${extra.slug}.other-example.org` })).status).toBe(404));

    expect((await send(t.url, { host: `${extra.slug}.localhost` })).status).toBe(200);
    await ops.drop(extra.slug);
    await eventually(async () => expect((await send(t.url, { host: `${extra.slug}.localhost` })).status).toBe(404));
  });

  it('serves the landing page on the root host, and finds a clinic from it', async () => {
    const landing = await send(t.url, { host: 'localhost:3000' });
    expect(landing.status).toBe(200);
    expect(landing.body).toContain('Find your clinic');

    const found = await send(t.url, { host: 'localhost:3000', path: `/find?clinic=${clinic.slug.toUpperCase()}` });
    expect(found.status).toBe(303);
    expect(found.headers.location).toBe(`//${clinic.slug}.localhost:3000/`);

    const missing = await send(t.url, { host: 'localhost:3000', path: '/find?clinic=nobody-here' });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('We could not find a clinic called “nobody-here”');

    const empty = await send(t.url, { host: 'localhost:3000', path: '/find?clinic=' });
    expect(empty.status).toBe(422);
    expect(empty.body).toContain('Please check what you entered');
  });

  it('keeps root pages off clinic hosts and clinic pages off the root host', async () => {
    expect((await send(t.url, { host: `${clinic.slug}.localhost`, path: `/find?clinic=${clinic.slug}` })).status).toBe(404);
    expect((await send(t.url, { host: 'www.localhost', path: '/' })).body).toContain('Find your clinic');
  });

  it('answers unknown pages with a 404 page, and an HTMX request with an alert fragment', async () => {
    const page = await send(t.url, { host: `${clinic.slug}.localhost`, path: '/no/such/page' });
    expect(page.status).toBe(404);
    expect(page.body).toContain('<html');
    expect(page.body).toContain('Page not found');

    const fragment = await send(t.url, { host: `${clinic.slug}.localhost`, path: '/no/such/page', headers: { 'hx-request': 'true' } });
    expect(fragment.status).toBe(404);
    expect(fragment.body).not.toContain('<html');
    expect(fragment.body).toContain('role="alert"');
    expect(String(fragment.headers.vary)).toContain('HX-Request');
  });

  it('answers health and readiness on any host, without tenant resolution', async () => {
    const health = await send(t.url, { host: 'whatever.invalid', path: '/healthz' });
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await send(t.url, { host: '10.0.0.1', path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', database: 'ok', cache: { status: 'ok' } });
  });

  it('serves htmx from its own static files', async () => {
    const res = await send(t.url, { host: `${clinic.slug}.localhost`, path: '/static/vendor/htmx.min.js' });
    expect(res.status).toBe(200);
    expect(res.body).toContain('htmx');
  });

  it('tags every response with a request id, honouring a sane incoming one', async () => {
    const res = await send(t.url, { host: `${clinic.slug}.localhost`, headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers['x-request-id']).toBe('trace-123');
    const bad = await send(t.url, { host: `${clinic.slug}.localhost`, headers: { 'x-request-id': 'bad id with spaces' } });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
