import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/** The one label of every request that reached no route: an unknown path or host, a suspended clinic. */
export const UNMATCHED_ROUTE = 'unmatched';
/** Nginx's "client closed request": the client went away before the answer was sent. */
const CLIENT_CLOSED = '499';

/**
 * Times every request that reaches Nest (static files are served before it and are not counted),
 * from here — ahead of the tenant middleware, so refusals of unknown hosts are counted too — until
 * the answer's last byte (after the clinic transaction's COMMIT). Labelled with the route's pattern
 * (`/api/v1/patients/:id`), never the URL: no id, no clinic, no host in any label.
 */
@Injectable()
export class RequestMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.observeRequest(req.method, routePattern(req), res.writableFinished ? String(res.statusCode) : CLIENT_CLOSED, seconds);
    });
    next();
  }
}

/**
 * Nest mounts the middleware of `forRoutes('*')` as an Express route on this path, so a request no
 * controller took still carries it as its route.
 */
const MIDDLEWARE_MOUNT = '/{*path}';

/** The pattern of the route Express matched (Nest registers each with its full path), or `unmatched`. */
export function routePattern(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' && path !== MIDDLEWARE_MOUNT ? path : UNMATCHED_ROUTE;
}
