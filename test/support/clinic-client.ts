import { type HttpResponse, send } from './http';

/**
 * A browser-like client for one clinic's host: keeps the cookies the server sets, and finds the CSRF
 * token that pages carry (hidden `_csrf` fields and the layout's `hx-headers`).
 */
export class ClinicClient {
  private readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(
    private readonly baseUrl: string,
    readonly host: string,
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request('GET', path, { headers });
  }

  /** A form post; the CSRF token is included unless `csrf: false` (or a specific token is given). */
  async post(path: string, fields: Record<string, string> = {}, options: { csrf?: boolean | string; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
    const body = new URLSearchParams(fields);
    if (options.csrf !== false) body.set('_csrf', typeof options.csrf === 'string' ? options.csrf : this.csrfToken);
    return this.request('POST', path, {
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
    });
  }

  /** Loads a page to pick up a CSRF token (and its cookie). */
  async primeCsrf(path = '/login'): Promise<string> {
    const page = await this.get(path);
    if (!this.csrfToken) throw new Error(`No CSRF token on ${path} (status ${page.status})`);
    return this.csrfToken;
  }

  async request(method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await send(this.baseUrl, {
      method,
      path,
      host: this.host,
      body: options.body,
      headers: { ...(cookie ? { cookie } : {}), ...options.headers },
    });
    this.remember(res);
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body) ?? /X-CSRF-Token":\s*"([^"]+)"/.exec(res.body);
    if (token) this.csrfToken = token[1];
    return res;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private remember(res: HttpResponse): void {
    const header = res.headers['set-cookie'];
    for (const line of Array.isArray(header) ? header : header ? [header] : []) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** A clock the test moves by hand. */
export class ManualClock {
  private at: number;

  constructor(start = Date.parse('2026-11-23T09:00:00Z')) {
    this.at = start;
  }

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}
