import type { Request, Response } from 'express';
import { wantsFragment } from './htmx';

/**
 * Renders a view and sends it, for handlers that answer themselves (`@Res()`). A template error
 * rejects, so it reaches the exception filter like any other error instead of Express's default
 * handler. (In a clinic request the answer leaves only after COMMIT: see TenantTransactionInterceptor.)
 */
export function render(res: Response, view: string, model: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) =>
    res.render(view, model, (error: Error | null, html?: string) => {
      if (error) return reject(error);
      res.type('html').send(html);
      resolve();
    }),
  );
}

/**
 * The full page in its layout, or just its fragment for an HTMX request (not boosted, not a history
 * restore): the one place a screen's answer is decided.
 */
export function renderPage(
  req: Request,
  res: Response,
  view: string,
  fragment: string,
  model: Record<string, unknown>,
  layout = 'layouts/staff',
): Promise<void> {
  const htmx = wantsFragment(req);
  return render(res, htmx ? fragment : view, { ...model, layout: htmx ? false : layout });
}

/** Where to go after a write: 303 for a plain form (post/redirect/get), `HX-Redirect` for HTMX (a redirect must not be swapped into a part of the page). */
export function redirectAfterWrite(req: Request, res: Response, location: string): void {
  if (req.get('HX-Request') === 'true') return void res.status(200).set('HX-Redirect', location).end();
  res.redirect(303, location);
}
