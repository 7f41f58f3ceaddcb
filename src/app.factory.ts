import { dirname, join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleExtras } from './app.module';
import { createValidationPipe } from './common/errors/validation';
import { serveApiDocs } from './common/openapi/openapi';
import { registerTemplates, views } from './common/views/templates';
import { type AppConfig, PROJECT_ROOT } from './config/app-config';

/** Extra modules/controllers (the tests add probes this way). */
export type CreateAppOptions = AppModuleExtras;

const VIEWS = join(PROJECT_ROOT, 'views');

/** Builds the configured Nest application (not yet listening). Shared by `npm start`, the tests and the benchmark. */
export async function createApp(config: AppConfig, databaseUrl: string, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl, options), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.disable('x-powered-by');
  app.use(helmet(securityHeaders(config)));
  app.use(cookieParser());
  app.useGlobalPipes(createValidationPipe());

  registerTemplates(VIEWS);
  app.setBaseViewsDir(VIEWS);
  app.engine('hbs', views.__express);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/clinic' });

  app.useStaticAssets(join(PROJECT_ROOT, 'public'), { prefix: '/static/', maxAge: config.isProduction ? '1h' : 0 });
  app.useStaticAssets(dirname(require.resolve('htmx.org/dist/htmx.min.js')), {
    prefix: '/static/vendor/',
    maxAge: config.isProduction ? '1d' : 0,
  });
  // Everything past the static files is made for one person's request (patients' data, a CSRF token):
  // no browser, proxy or back button may keep it — and with nothing stored, an ETag (a SHA-1 of every
  // body) would buy nothing. Routes that answer otherwise (the API docs) set their own header.
  app.set('etag', false);
  app.use((_req: unknown, res: { vary(field: string): void; setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('Cache-Control', 'no-store');
    res.vary('HX-Request');
    next();
  });
  // after the headers above, before Nest's own middleware (registered at init): the docs answer on any host
  serveApiDocs(app, { maxAgeMs: config.isProduction ? 86_400_000 : 0 });
  return app;
}

/**
 * helmet's headers with a Content-Security-Policy that admits only this site's own scripts and
 * styles (htmx is served from /static/vendor/; its indicator styles live in app.css, so it never
 * needs an inline style). HSTS and upgrade-insecure-requests only in production, where TLS is.
 */
export function securityHeaders(config: AppConfig): Parameters<typeof helmet>[0] {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        ...(config.isProduction ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'same-origin' },
  };
}

/**
 * Stops gracefully: no new connections, in-flight requests finish, then the pool and cache close.
 * Keep-alive connections that go idle during shutdown are closed as they do, instead of holding the
 * server open until their keep-alive timeout.
 */
export async function closeGracefully(app: NestExpressApplication): Promise<void> {
  const server = app.getHttpServer() as import('node:http').Server;
  const sweeper = setInterval(() => server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(sweeper);
  }
}
