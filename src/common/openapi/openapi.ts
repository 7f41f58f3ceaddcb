import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  DocumentBuilder,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type PathItemObject,
  type ReferenceObject,
  type ResponseObject,
  SwaggerModule,
} from '@nestjs/swagger';
import type { Express, NextFunction, Request, Response } from 'express';
import { ApiError, COMMON_ERROR_RESPONSES } from './api-error';
import { REFUSALS_EXTENSION } from './api-refusals';
import { DOCS_ASSETS, DOCS_CSS, DOCS_HTML, DOCS_JS } from './docs-page';
import { API_DOCS_JSON_PATH, API_DOCS_PATH, API_PREFIX } from './paths';

/** Every tag an API controller may use (`@ApiTags(...)`), with what it covers; the document lists them in this order. */
export const API_TAGS: Readonly<Record<string, string>> = {
  auth: 'Sign-in for API clients, sign-out and who the token belongs to.',
  patients: "The clinic's patient files: registration, search, profiles.",
  doctors: "Doctors' calendars: terms, weekly hours, leave.",
  appointments: 'Booking, moving, checking in and cancelling at the front desk; free times.',
  visits: "The doctor's console: completing a visit, amendments.",
  schedule: "The doctor's day and a patient's visit history.",
  'follow-ups': 'Follow-ups the doctors asked for.',
  invoices: 'Invoices, payments and voids.',
  'no-shows': 'No-show penalties, undoing a no-show, the no-show report.',
  waitlist: 'Waiting for a freed time (staff for any patient, a patient for themselves).',
  portal: "The patient portal: a patient's own appointments, records and online booking.",
  reports: "The owner's dashboard numbers.",
  settings: "The clinic's own settings.",
  staff: "The clinic's staff accounts.",
};

const DESCRIPTION = `The JSON API of one clinic. It lives on the clinic's own host — \`https://<clinic>.<domain>/api/v1/…\` —
so use these docs on your clinic's host to try requests out (the server \`/\` is the host the docs were opened on).

**Sign in** with \`POST /api/v1/auth/login\` (staff: username and password) or \`POST /api/v1/auth/patient-login\`
(patients: phone and username), then send \`Authorization: Bearer <accessToken>\` on every other request. A token
belongs to one clinic and is refused on another clinic's host. Cookies are ignored under \`/api\`, so no CSRF token is needed.

**Errors** are always \`{ "error": { "code", "message", "fields"? } }\`: a stable code, a sentence in the request's
language (\`Accept-Language\`: English or Arabic), and per-field messages for \`422 validation_failed\`.

**Dates and times** in requests and answers are the clinic's local ones (\`YYYY-MM-DD\`, \`HH:MM\`); instants are ISO 8601.
Ids are positive integers written as strings. Amounts are decimal strings (\`"150.00"\`).`;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The OpenAPI document of `/api/v1`, generated from the API controllers' and DTOs' decorators. Every
 * controller is scanned and the document is then cut down to the API's paths, so a new page
 * controller can never leak into it and a new API route can never be missing from it.
 */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Clinic API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addServer('/', "This host (the clinic's host the docs were opened on)")
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The `accessToken` from `POST /api/v1/auth/login` or `/patient-login`.' }, 'bearer');
  for (const [name, description] of Object.entries(API_TAGS)) builder.addTag(name, description);
  const scanned = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ApiError],
    operationIdFactory: (controller, method) => `${controller.replace(/ApiController$/, '')}_${method}`,
  });
  return apiOnly(scanned);
}

/** The API's paths only, each error response in the one envelope, and only the schemas those paths use. */
function apiOnly(scanned: OpenAPIObject): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(scanned.paths)) {
    if (path.startsWith(API_PREFIX)) paths[path] = withErrorResponses(item);
  }
  const responses: Record<string, ResponseObject> = {};
  for (const { name, description } of Object.values(COMMON_ERROR_RESPONSES)) responses[name] = { description, content: errorContent() };
  const components = { ...scanned.components, responses, schemas: scanned.components?.schemas ?? {} };
  const used = reachableSchemas({ paths, responses }, components.schemas);
  components.schemas = Object.fromEntries(Object.entries(components.schemas).filter(([name]) => used.has(name)));
  const usedTags = new Set(Object.values(paths).flatMap((item) => operationsOf(item).flatMap((op) => op.tags ?? [])));
  return { ...scanned, paths, components, tags: (scanned.tags ?? []).filter((tag) => usedTags.has(tag.name)) };
}

/**
 * Adds the refusals an operation shares with every other of its kind — 401 and 403 where a token is
 * needed, 404 where the path names something, 400 and 422 where a body is sent, 422 where a query
 * is read — and the route's own (`@ApiRefusals`), which win over the shared ones' descriptions.
 * Every error response carries the one envelope.
 */
function withErrorResponses(item: PathItemObject): PathItemObject {
  const result: PathItemObject = { ...item };
  for (const method of METHODS) {
    const operation = item[method];
    if (!operation) continue;
    const { [REFUSALS_EXTENSION]: own, ...rest } = operation as OperationObject & { [REFUSALS_EXTENSION]?: Record<string, string> };
    const params = (operation.parameters ?? []) as ParameterObject[];
    const shared: number[] = [];
    if (operation.security?.length) shared.push(401, 403);
    if (params.some((p) => p.in === 'path')) shared.push(404);
    if (operation.requestBody) shared.push(400, 422);
    if (params.some((p) => p.in === 'query')) shared.push(422);
    const responses: OperationObject['responses'] = {};
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if (response) responses[status] = Number(status) >= 400 ? withEnvelope(response) : response;
    }
    for (const status of shared) {
      responses[status] ??= { $ref: `#/components/responses/${COMMON_ERROR_RESPONSES[status as keyof typeof COMMON_ERROR_RESPONSES].name}` };
    }
    for (const [status, description] of Object.entries(own ?? {})) responses[status] = { description, content: errorContent() };
    result[method] = { ...rest, responses: sortByStatus(responses) };
  }
  return result;
}

function withEnvelope(response: ResponseObject | ReferenceObject): ResponseObject | ReferenceObject {
  if ('$ref' in response || response.content) return response;
  return { ...response, content: errorContent() };
}

function errorContent(): ResponseObject['content'] {
  return { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } };
}

function sortByStatus<T>(responses: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

function operationsOf(item: PathItemObject): OperationObject[] {
  return METHODS.map((m) => item[m]).filter((op): op is OperationObject => Boolean(op));
}

/** Names of the schemas `root` refers to, directly or through other schemas. */
function reachableSchemas(root: unknown, schemas: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        const name = value.slice('#/components/schemas/'.length);
        if (!seen.has(name)) {
          seen.add(name);
          visit(schemas[name]);
        }
      } else {
        visit(value);
      }
    }
  };
  visit(root);
  return seen;
}

/**
 * Serves Swagger UI at `/api/docs` and the document at `/api/docs-json`, on every host. These are
 * plain Express routes registered before Nest's middleware (which is mounted at init), like the
 * static files: no tenant resolution, no session, no tenant transaction — the document is the same
 * for every clinic, and its server is relative (`/`), so "Try it out" calls the host the docs were
 * opened on. The document is built on its first request. The page (`docs-page.ts`) needs no
 * inline script or style, so the app's Content-Security-Policy applies to it unchanged.
 */
export function serveApiDocs(app: NestExpressApplication, options: { maxAgeMs: number }): void {
  SwaggerModule.setup(API_DOCS_PATH, app, () => buildApiDocument(app), { ui: false, raw: ['json'], jsonDocumentUrl: API_DOCS_JSON_PATH });
  const pages: Record<string, readonly [type: string, body: string]> = {
    '': ['html', DOCS_HTML],
    'index.html': ['html', DOCS_HTML],
    'docs.js': ['js', DOCS_JS],
    'docs.css': ['css', DOCS_CSS],
  };
  // one route for the page and its files, so every other request pays for a single path test
  (app.getHttpAdapter().getInstance() as Express).get(`${API_DOCS_PATH}{/:file}`, (req: Request, res: Response, next: NextFunction) => {
    const name = typeof req.params.file === 'string' ? req.params.file : '';
    const page = Object.hasOwn(pages, name) ? pages[name] : undefined;
    // the same for everyone: cacheable like the static files (the app's default is no-store)
    if (page) return void res.type(page[0]).set('Cache-Control', `public, max-age=${Math.floor(options.maxAgeMs / 1000)}`).send(page[1]);
    const asset = Object.hasOwn(DOCS_ASSETS, name) ? DOCS_ASSETS[name] : undefined;
    if (!asset) return next();
    res.sendFile(asset, { maxAge: options.maxAgeMs }, (error) => error && next(error));
  });
}
