import { Body, Controller, type INestApplication, Post } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { getMetadataStorage, IsString, ValidationTypes } from 'class-validator';
import { Roles } from '../../src/auth/access.decorator';
import type { Tenant } from '../../src/platform/tenant';
import { send } from '../support/http';
import { listRoutes } from '../support/routes';
import { createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

// class-transformer keeps what `@Type(() => X)` says in a storage it does not export from its index
const { defaultMetadataStorage } = jest.requireActual<typeof import('class-transformer/types/storage')>('class-transformer/cjs/storage');

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };
const API = '/api/v1/';
const BEARER = [{ bearer: [] }];

/** `/api/v1/doctors/:id/leave/:leaveId` → `/api/v1/doctors/{id}/leave/{leaveId}`. */
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

type Operations = Record<string, OperationObject | undefined>;
/** A DTO or controller class. */
type Class = abstract new (...args: never[]) => unknown;

async function fetchDocument(t: TestApp, host = 'localhost'): Promise<OpenAPIObject> {
  const res = await send(t.url, { path: '/api/docs-json', host, headers: { accept: 'application/json' } });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.json<OpenAPIObject>();
}

/** Every `METHOD /path` the document lists. */
function documentedOperations(doc: OpenAPIObject): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'].includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/** The controller classes the app runs, by name (listRoutes names each route `Controller.method`). */
function controllersByName(app: INestApplication): Map<string, Class> {
  const byName = new Map<string, Class>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) if (wrapper.metatype) byName.set(wrapper.metatype.name, wrapper.metatype as Class);
  }
  return byName;
}

function schemaNamed(doc: OpenAPIObject, ref: string | undefined): SchemaObject | undefined {
  return ref?.startsWith('#/components/schemas/') ? (doc.components?.schemas?.[ref.slice('#/components/schemas/'.length)] as SchemaObject) : undefined;
}

/** The properties class-validator checks on a DTO (inherited ones included), and which of them may be left out. */
function validatedProperties(dto: Class): Map<string, { optional: boolean }> {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const properties = new Map<string, { optional: boolean }>();
  for (const m of metadatas) {
    const known = properties.get(m.propertyName) ?? { optional: false };
    // @IsOptional() and @ValidateIf() both register a conditional validation
    properties.set(m.propertyName, { optional: known.optional || m.type === ValidationTypes.CONDITIONAL_VALIDATION });
  }
  return properties;
}

/** The class a nested DTO property holds (`@Type(() => X)`), if any. */
function nestedClass(dto: Class, property: string): Class | undefined {
  const meta = defaultMetadataStorage.findTypeMetadata(dto, property);
  const nested = meta?.typeFunction() as Class | undefined;
  return nested && !([Object, String, Number, Boolean, Date] as unknown[]).includes(nested) ? nested : undefined;
}

/** A request body's schema must describe exactly what the DTO validates: the same properties, the same required ones, nested DTOs likewise. */
function dtoProblems(doc: OpenAPIObject, dto: Class, schema: SchemaObject | undefined, where: string): string[] {
  if (!schema) return [`${where}: no schema for ${dto.name}`];
  const problems: string[] = [];
  const validated = validatedProperties(dto);
  const documented = Object.keys(schema.properties ?? {});
  for (const name of validated.keys()) if (!documented.includes(name)) problems.push(`${where}: ${dto.name}.${name} has no @ApiProperty`);
  for (const name of documented) if (!validated.has(name)) problems.push(`${where}: ${dto.name}.${name} is documented but not accepted`);
  const required = [...validated].filter(([, p]) => !p.optional).map(([name]) => name).sort();
  const documentedRequired = [...(schema.required ?? [])].sort();
  if (JSON.stringify(required) !== JSON.stringify(documentedRequired)) {
    problems.push(`${where}: ${dto.name} requires [${required.join(', ')}] but the document says [${documentedRequired.join(', ')}]`);
  }
  for (const name of validated.keys()) {
    const nested = nestedClass(dto, name);
    if (!nested) continue;
    const property = schema.properties?.[name] as (SchemaObject & ReferenceObject) | undefined;
    const ref = property?.$ref ?? (property?.items as ReferenceObject | undefined)?.$ref ?? (property?.allOf?.[0] as ReferenceObject | undefined)?.$ref;
    problems.push(...dtoProblems(doc, nested, schemaNamed(doc, ref), `${where} ${dto.name}.${name}`));
  }
  return problems;
}

/**
 * What is wrong with the document for this app: every API route must be in it (and nothing else),
 * with a summary, a known tag, bearer auth exactly when it needs a role, one success response, the
 * error envelope on every error response, and its body and query described from its DTOs. An API
 * route added without docs shows up here.
 */
function documentationProblems(app: INestApplication, doc: OpenAPIObject): string[] {
  const problems: string[] = [];
  const routes = listRoutes(app).filter((r) => r.path.startsWith(API));
  const expected = routes.map((r) => `${r.method} ${openApiPath(r.path)}`);
  const documented = documentedOperations(doc);
  for (const op of documented) if (!expected.includes(op)) problems.push(`${op}: documented but not served`);
  const tags = new Set((doc.tags ?? []).map((tag) => tag.name));
  const operationIds = new Set<string>();
  const controllers = controllersByName(app);

  for (const route of routes) {
    const path = openApiPath(route.path);
    const where = `${route.method} ${path}`;
    const op = (doc.paths[path] as Operations | undefined)?.[route.method.toLowerCase()];
    if (!op) {
      problems.push(`${where}: not documented`);
      continue;
    }
    if (!op.summary?.trim()) problems.push(`${where}: no summary (@ApiOperation)`);
    if (!op.tags?.length || op.tags.some((tag) => !tags.has(tag))) problems.push(`${where}: tags [${op.tags?.join(', ') ?? ''}] are not among the document's tags (@ApiTags, API_TAGS)`);
    if (!op.operationId || operationIds.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} missing or repeated`);
    operationIds.add(op.operationId ?? '');
    const needsToken = route.rule?.kind === 'roles';
    if (needsToken !== (JSON.stringify(op.security ?? []) === JSON.stringify(BEARER))) {
      problems.push(`${where}: security ${JSON.stringify(op.security)} but the route is ${needsToken ? 'for signed-in roles (@ApiBearerAuth)' : 'public'}`);
    }
    const statuses = Object.keys(op.responses);
    if (statuses.filter((s) => /^2\d\d$/.test(s)).length !== 1) problems.push(`${where}: responses ${statuses.join(', ')} have not exactly one success`);
    if (needsToken && !(statuses.includes('401') && statuses.includes('403'))) problems.push(`${where}: no 401/403 responses`);
    for (const [status, response] of Object.entries(op.responses)) {
      if (!response || Number(status) < 400) continue;
      const resolved = '$ref' in response ? doc.components?.responses?.[response.$ref.split('/').pop()!] : response;
      const ref = ((resolved as ResponseObject | undefined)?.content?.['application/json']?.schema as ReferenceObject | undefined)?.$ref;
      if (ref !== '#/components/schemas/ApiError' || !(resolved as ResponseObject).description) problems.push(`${where}: ${status} is not the described error envelope`);
    }

    const params = (op.parameters ?? []) as ParameterObject[];
    for (const [, name] of path.matchAll(/\{(\w+)\}/g) as IterableIterator<[string, string]>) {
      if (!params.some((p) => p.in === 'path' && p.name === name && p.required)) problems.push(`${where}: path parameter ${name} not documented`);
    }
    const [controllerName, handlerName] = route.name.split('.');
    const controller = controllers.get(controllerName)!;
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {}) as Record<string, { index: number; data?: unknown }>;
    const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, handlerName) ?? []) as Class[];
    const queryNames = new Set<string>();
    for (const [key, arg] of Object.entries(args)) {
      const kind = Number(key.split(':')[0]);
      if (kind === RouteParamtypes.BODY) {
        const ref = ((op.requestBody as { content?: Record<string, { schema?: ReferenceObject }> } | undefined)?.content?.['application/json']?.schema)?.$ref;
        if (!ref) problems.push(`${where}: the body is not documented`);
        else problems.push(...dtoProblems(doc, types[arg.index], schemaNamed(doc, ref), where));
      } else if (kind === RouteParamtypes.QUERY && typeof arg.data === 'string') {
        queryNames.add(arg.data);
        if (!params.some((p) => p.in === 'query' && p.name === arg.data && !p.required)) problems.push(`${where}: query parameter ${arg.data} not documented as optional (@ApiQuery)`);
      } else if (kind === RouteParamtypes.QUERY) {
        for (const [name, { optional }] of validatedProperties(types[arg.index])) {
          queryNames.add(name);
          const param = params.find((p) => p.in === 'query' && p.name === name);
          if (!param) problems.push(`${where}: query ${types[arg.index].name}.${name} has no @ApiProperty`);
          else if (Boolean(param.required) === optional) problems.push(`${where}: query ${name} is ${optional ? 'optional' : 'required'} but documented otherwise`);
        }
      }
    }
    for (const p of params) if (p.in === 'query' && !queryNames.has(p.name)) problems.push(`${where}: query ${p.name} is documented but not read`);
  }
  return problems;
}

describe('OpenAPI at /api/docs', () => {
  let t: TestApp;
  let doc: OpenAPIObject;
  let clinicA: Tenant;
  let clinicB: Tenant;
  let ownerA: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    clinicA = await createClinic(t.dataSource, { slug: uniqueSlug('docs-a') });
    clinicB = await createClinic(t.dataSource, { slug: uniqueSlug('docs-b') });
    ownerA = await createUser(t.dataSource, clinicA, { role: 'admin' });
    doc = await fetchDocument(t, `${clinicA.slug}.localhost`);
  });

  afterAll(() => t.close());

  it('lists every /api/v1 route the app serves, with its method, and nothing else', () => {
    const served = listRoutes(t.app)
      .filter((r) => r.path.startsWith(API))
      .map((r) => `${r.method} ${openApiPath(r.path)}`)
      .sort();
    expect(served.length).toBeGreaterThan(50);
    expect(documentedOperations(doc).sort()).toEqual(served);

    // the pages, signed links, the language switch and the health checks are no part of it
    const pages = listRoutes(t.app).filter((r) => !r.path.startsWith(API));
    expect(pages.map((r) => r.path)).toEqual(expect.arrayContaining(['/patients', '/l/:token', '/healthz']));
    for (const page of pages) expect(doc.paths[openApiPath(page.path)]).toBeUndefined();
    for (const path of Object.keys(doc.paths)) expect(path.startsWith(API)).toBe(true);
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('documents every route fully: summary, tag, bearer auth, responses, bodies and queries from the DTOs', () => {
    expect(documentationProblems(t.app, doc)).toEqual([]);
  });

  it('describes the sign-in bodies with their required fields, and the token they answer', () => {
    const body = (path: string) => schemaNamed(doc, (doc.paths[path].post!.requestBody as { content: Record<string, { schema: ReferenceObject }> }).content['application/json'].schema.$ref)!;
    const staff = body('/api/v1/auth/login');
    expect([...staff.required!].sort()).toEqual(['password', 'username']);
    expect(staff.properties).toMatchObject({ username: { type: 'string', maxLength: 64 }, password: { type: 'string', format: 'password' } });
    const patient = body('/api/v1/auth/patient-login');
    expect([...patient.required!].sort()).toEqual(['phone', 'username']);

    const ok = doc.paths['/api/v1/auth/login'].post!.responses['200'] as ResponseObject;
    const token = schemaNamed(doc, (ok.content!['application/json'].schema as ReferenceObject).$ref)!;
    expect(token.properties).toMatchObject({ accessToken: { type: 'string' }, expiresIn: { type: 'integer' } });
    expect(doc.paths['/api/v1/auth/login'].post!.security).toBeUndefined();
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

    // the validators' own patterns and enums reach the document
    const booking = schemaNamed(doc, '#/components/schemas/BookAppointmentDto')!;
    expect([...booking.required!].sort()).toEqual(['date', 'doctorId', 'patientId', 'time']);
    expect(booking.properties).toMatchObject({ date: { format: 'date' }, doctorId: { pattern: '^[1-9]\\d{0,17}$' }, cost: { pattern: '^\\d{1,8}(\\.\\d{1,2})?$' } });
    expect(schemaNamed(doc, '#/components/schemas/ChangeStatusDto')!.properties!.status).toMatchObject({ enum: ['checked_in', 'cancelled', 'no_show'] });
  });

  it('documents the error envelope once, and a real refusal matches it', async () => {
    expect(doc.components?.schemas?.ApiError).toMatchObject({ required: ['error'], properties: { error: { $ref: '#/components/schemas/ApiErrorDetail' } } });
    const detail = doc.components!.schemas!.ApiErrorDetail as SchemaObject;
    expect([...detail.required!].sort()).toEqual(['code', 'message']);
    expect(detail.properties!.fields).toMatchObject({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } });
    expect(Object.keys(doc.components!.responses!).sort()).toEqual(['BadRequest', 'Conflict', 'Forbidden', 'NotFound', 'Unauthorized', 'ValidationFailed']);
    // the shared refusals are on the routes they apply to
    const reschedule = doc.paths['/api/v1/appointments/{id}/reschedule'].post!.responses;
    expect(Object.keys(reschedule)).toEqual(['200', '400', '401', '403', '404', '409', '422']);
    expect((reschedule['409'] as ResponseObject).description).toMatch(/slot_taken/);

    const res = await send(t.url, { method: 'POST', path: '/api/v1/auth/login', host: `${clinicA.slug}.localhost`, headers: JSON_HEADERS, body: '{}' });
    expect(res.status).toBe(422);
    const { error } = res.json<{ error: Record<string, unknown> }>();
    expect(Object.keys(error).every((key) => key in detail.properties!)).toBe(true);
    expect(error).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
    expect(Object.keys(error.fields as object).sort()).toEqual(['password', 'username']);
    expect(doc.paths['/api/v1/auth/login'].post!.responses['422']).toEqual({ $ref: '#/components/responses/ValidationFailed' });
  });

  it.each([
    ['a clinic host', () => `${clinicA.slug}.localhost`],
    ['the root host', () => 'localhost'],
  ])('serves Swagger UI on %s, loading only same-origin files the CSP allows', async (_label, host) => {
    for (const path of ['/api/docs', '/api/docs/']) {
      const page = await send(t.url, { path, host: host() });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('<div id="swagger-ui"></div>');
      // the app's CSP, unchanged: no inline script or style anywhere on the page
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toMatch(/unsafe-(inline|eval|hashes)/);
      const scripts = [...page.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, inline] of scripts) {
        expect(attributes).toMatch(/\ssrc="[^"]+"/);
        expect(inline.trim()).toBe('');
      }
      expect(page.body).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);

      const assets = [...page.body.matchAll(/\s(?:src|href)="([^"]+)"/g)].map(([, url]) => new URL(url, `http://${host()}${path}`).pathname);
      expect(assets).toEqual(expect.arrayContaining(['/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui.css', '/api/docs/docs.js', '/api/docs/docs.css']));
      for (const asset of assets) {
        const res = await send(t.url, { path: asset, host: host() });
        expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
        const type = { js: /javascript/, css: /^text\/css/, png: /^image\/png/ }[asset.split('.').pop() as 'js'];
        expect(res.headers['content-type']).toMatch(type);
      }
    }
    const init = await send(t.url, { path: '/api/docs/docs.js', host: host() });
    expect(init.body).toContain('"/api/docs-json"');
    // the document comes from this host only: nothing is read from the address bar (no `?url=`)
    expect(init.body).not.toContain('location');
    expect(init.body).toContain('persistAuthorization: false');
    // swagger-ui-dist's other files (its petstore page, the OAuth redirect page) are not served
    expect((await send(t.url, { path: '/api/docs/oauth2-redirect.html', host: host() })).status).toBe(404);
  });

  it('is the same document on every host, with nothing of any clinic in it, and needs no tenant or session', async () => {
    const bodies = await Promise.all(
      [`${clinicA.slug}.localhost`, `${clinicB.slug}.localhost`, 'localhost', 'no-such-clinic.localhost'].map((host) => send(t.url, { path: '/api/docs-json', host })),
    );
    for (const res of bodies) {
      expect(res.status).toBe(200);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.body).toBe(bodies[0].body);
    }
    for (const clinic of [clinicA, clinicB]) {
      expect(bodies[0].body).not.toContain(clinic.slug);
      expect(bodies[0].body).not.toContain(clinic.displayName);
    }
  });

  it("documents a token as one clinic's: trying it on another clinic's host is the documented 401", async () => {
    const login = await send(t.url, {
      method: 'POST',
      path: '/api/v1/auth/login',
      host: `${clinicA.slug}.localhost`,
      headers: JSON_HEADERS,
      body: JSON.stringify({ username: ownerA.username, password: ownerA.password }),
    });
    expect(login.status).toBe(200);
    const token = login.json<{ accessToken: string; expiresIn: number }>();
    const tokenSchema = schemaNamed(doc, '#/components/schemas/AccessTokenDto')!;
    expect(Object.keys(token).sort()).toEqual(Object.keys(tokenSchema.properties!).sort());

    const me = (host: string) => send(t.url, { path: '/api/v1/me', host, headers: { ...JSON_HEADERS, authorization: `Bearer ${token.accessToken}` } });
    const own = await me(`${clinicA.slug}.localhost`);
    expect(own.status).toBe(200);
    expect(own.body).toContain(ownerA.username);
    const crossed = await me(`${clinicB.slug}.localhost`);
    expect(crossed.status).toBe(401);
    expect(crossed.json()).toEqual({ error: { code: 'wrong_clinic', message: expect.any(String) } });
    expect(doc.paths['/api/v1/me'].get!.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect((doc.components!.responses!.Unauthorized as ResponseObject).description).toContain('wrong_clinic');
  });
});

// its own app, after the one above has closed: passport keeps one 'jwt' strategy per process, the last app's
describe('the OpenAPI check itself', () => {
  it('finds an API route added without docs', async () => {
    class ProbeDto {
      @IsString()
      name: string;
    }
    @Controller('api/v1/openapi-probe')
    class ProbeApiController {
      @Post()
      @Roles('admin')
      create(@Body() body: ProbeDto) {
        return body;
      }
    }
    const probe = await startTestApp({ controllers: [ProbeApiController] });
    try {
      const problems = documentationProblems(probe.app, await fetchDocument(probe));
      expect(problems).toEqual(
        expect.arrayContaining([
          'POST /api/v1/openapi-probe: no summary (@ApiOperation)',
          expect.stringMatching(/^POST \/api\/v1\/openapi-probe: tags .* are not among/),
          expect.stringMatching(/^POST \/api\/v1\/openapi-probe: security .* \(@ApiBearerAuth\)/),
          'POST /api/v1/openapi-probe: ProbeDto.name has no @ApiProperty',
        ]),
      );
    } finally {
      await probe.close();
    }
  });
});
