import { Controller, Get } from '@nestjs/common';
import { SessionService } from '../../src/auth/session.service';
import type { Tenant } from '../../src/platform/tenant';
import type { UserRole } from '../../src/users/user.entity';
import { ClinicClient } from '../support/clinic-client';
import { send } from '../support/http';
import { listRoutes, type RouteInfo } from '../support/routes';
import { createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

const ROLES: UserRole[] = ['admin', 'doctor', 'reception', 'patient'];
const HOST_AGNOSTIC = /^\/(healthz|readyz|metrics)$/;
/** The only clinic routes anyone may reach without signing in (then: the signed links in notices, and the language switch). */
const PUBLIC_ROUTES = [
  'GET /', 'GET /login', 'POST /login', 'GET /portal/login', 'POST /portal/login', 'POST /api/v1/auth/login', 'POST /api/v1/auth/patient-login',
  'GET /l/:token', 'POST /l/:token', 'GET /language/:code',
];

/**
 * Every route of the clinic host, for every kind of visitor: the table is read from the app itself,
 * so a route added later is checked here without touching this file.
 */
describe('who may reach which route', () => {
  let t: TestApp;
  let clinic: Tenant;
  let host: string;
  let routes: RouteInfo[];
  const users = new Map<UserRole, TestUser>();

  beforeAll(async () => {
    t = await startTestApp({ env: { SIGN_IN_RATE_LIMIT: '10000' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('routes') });
    host = `${clinic.slug}.localhost`;
    for (const role of ROLES) users.set(role, await createUser(t.dataSource, clinic, { role, phone: role === 'patient' ? '+201099887766' : undefined }));
    routes = listRoutes(t.app).filter((r) => r.host !== 'root' && !HOST_AGNOSTIC.test(r.path));
  });

  afterAll(() => t.close());

  it('finds the routes (sanity: the table is not empty)', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /admin', 'POST /logout', 'GET /api/v1/me']));
  });

  it('every clinic route declares who may reach it, and only the sign-in routes and the front page are public', () => {
    expect(routes.filter((r) => !r.rule).map((r) => r.name)).toEqual([]);
    expect(routes.filter((r) => r.rule?.kind === 'public').map((r) => `${r.method} ${r.path}`).sort()).toEqual([...PUBLIC_ROUTES].sort());
  });

  /** A fresh session per request, so a route that signs out cannot disturb the next one. */
  async function as(role: UserRole | 'anonymous', route: RouteInfo) {
    const path = route.path.replace(/:[A-Za-z]+/g, '999999');
    const api = path.startsWith('/api/');
    const headers: Record<string, string> = api ? { accept: 'application/json', 'content-type': 'application/json' } : {};
    const client = new ClinicClient(t.url, host);
    if (role !== 'anonymous') {
      const user = users.get(role)!;
      const session = await t.app.get(SessionService).start(clinic.id, { userId: user.id, role, fullName: user.fullName, username: user.username });
      if (api) headers.authorization = `Bearer ${session.accessToken}`;
      else client.setCookie('session', session.accessToken);
    }
    if (api) return send(t.url, { method: route.method, path, host, headers, body: route.method === 'GET' ? undefined : '{}' });
    if (route.method === 'GET') return client.get(path);
    await client.primeCsrf(role === 'anonymous' ? '/login' : { admin: '/admin', doctor: '/doctor', reception: '/reception', patient: '/portal' }[role]);
    return client.post(path, {});
  }

  it.each(['anonymous', ...ROLES] as const)('%s: allowed routes answer, the others refuse (403, or sign-in when anonymous)', async (actor) => {
    const problems: string[] = [];
    for (const route of routes) {
      const rule = route.rule!;
      const allowed = rule.kind === 'public' || (actor !== 'anonymous' && rule.roles.includes(actor));
      const res = await as(actor, route);
      const label = `${route.method} ${route.path} → ${res.status}`;
      if (allowed) {
        if (res.status === 401 || res.status === 403) problems.push(`${label}, expected access`);
      } else if (actor === 'anonymous') {
        const toSignIn = route.path.startsWith('/api/') ? res.status === 401 : res.status === 303 && /^\/(portal\/)?login/.test(String(res.headers.location));
        if (!toSignIn) problems.push(`${label}, expected sign-in`);
      } else if (res.status !== 403) {
        problems.push(`${label}, expected 403`);
      }
    }
    expect(problems).toEqual([]);
  });
});

@Controller('forgot-to-declare')
class UndeclaredController {
  @Get()
  page() {
    return 'should never be served';
  }
}

describe('a route that declares no access rule', () => {
  it('is refused for everyone (fail closed)', async () => {
    const t = await startTestApp({ controllers: [UndeclaredController] });
    try {
      const clinic = await createClinic(t.dataSource, { slug: uniqueSlug('undeclared') });
      const res = await send(t.url, { path: '/forgot-to-declare', host: `${clinic.slug}.localhost` });
      expect(res.status).toBe(403);
      expect(res.body).not.toContain('should never be served');
    } finally {
      await t.close();
    }
  });
});
