import type { Request } from 'express';

/**
 * Whether to answer with a fragment: an HTMX request that is neither boosted nor a history restore
 * (those need the full page). The one place this is decided.
 */
export function wantsFragment(req: Request): boolean {
  return req.get('HX-Request') === 'true' && req.get('HX-Boosted') !== 'true' && req.get('HX-History-Restore-Request') !== 'true';
}

/** By the full URL: inside Nest's mounted middleware (unknown host, suspended clinic) `req.path` is relative. */
export function isApiRequest(req: Request): boolean {
  const path = req.originalUrl.split('?')[0];
  return path === '/api' || path.startsWith('/api/');
}
