import type { Response } from 'express';

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
