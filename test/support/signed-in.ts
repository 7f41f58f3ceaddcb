import { ROLE_HOME } from '../../src/auth/principal';
import { ClinicClient } from './clinic-client';
import { type HttpResponse, send } from './http';
import type { TestUser } from './test-app';

const json = { accept: 'application/json', 'content-type': 'application/json' };

/** A browser-like client signed in to the clinic at `host` through its sign-in form, with a CSRF token of the new session. */
export async function signedInBrowser(baseUrl: string, host: string, user: TestUser): Promise<ClinicClient> {
  const c = new ClinicClient(baseUrl, host);
  const res =
    user.role === 'patient'
      ? await c.primeCsrf('/portal/login').then(() => c.post('/portal/login', { phone: user.phone!, username: user.username }))
      : await c.primeCsrf('/login').then(() => c.post('/login', { username: user.username, password: user.password! }));
  if (res.status !== 303) throw new Error(`${user.username} could not sign in: ${res.status}`);
  await c.primeCsrf(ROLE_HOME[user.role]); // the token is bound to the session: pick up the signed-in one
  return c;
}

/** A Bearer token from the API's sign-in (patients with phone + username). */
export async function apiToken(baseUrl: string, host: string, user: TestUser): Promise<string> {
  const [path, body] =
    user.role === 'patient'
      ? ['/api/v1/auth/patient-login', { phone: user.phone, username: user.username }]
      : ['/api/v1/auth/login', { username: user.username, password: user.password }];
  const res = await send(baseUrl, { method: 'POST', path, host, headers: json, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`${user.username} could not sign in to the API: ${res.status} ${res.body}`);
  return res.json<{ accessToken: string }>().accessToken;
}

/** One JSON API call with a Bearer token. */
export function apiCall(baseUrl: string, host: string, token: string, method: string, path: string, body?: unknown): Promise<HttpResponse> {
  return send(baseUrl, { method, path, host, headers: { ...json, authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
}
