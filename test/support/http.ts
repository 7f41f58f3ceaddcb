import { Agent, request } from 'node:http';

export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  json<T = unknown>(): T;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP request with a chosen Host header (fetch cannot set Host). */
export function send(
  baseUrl: string,
  options: { method?: string; path?: string; host: string; headers?: Record<string, string>; body?: string },
): Promise<HttpResponse> {
  const url = new URL(options.path ?? '/', baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        agent,
        headers: {
          host: options.host,
          accept: 'text/html',
          // a framed body: without a length, Node would send a DELETE's body unframed
          ...(options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
