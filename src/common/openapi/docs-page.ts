import { dirname, join } from 'node:path';
import { API_DOCS_JSON_PATH, API_DOCS_PATH } from './paths';

/**
 * Swagger UI's page, written for the app's Content-Security-Policy (`script-src 'self'; style-src
 * 'self'`), which stays as strict here as everywhere else. @nestjs/swagger's own page would need
 * inline styles (two `<style>` blocks and a `style` attribute) and its init script reads `?url=` from
 * the address bar; this one has no inline script or style at all, loads the document from
 * `/api/docs-json` (same origin), and uses the base layout: no top bar (whose logo carries an
 * inline `<style>`) and no box for exploring some other document.
 */
export const DOCS_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Clinic API</title>
  <link rel="stylesheet" href="${API_DOCS_PATH}/swagger-ui.css">
  <link rel="stylesheet" href="${API_DOCS_PATH}/docs.css">
  <link rel="icon" type="image/png" href="${API_DOCS_PATH}/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="${API_DOCS_PATH}/favicon-16x16.png" sizes="16x16">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${API_DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${API_DOCS_PATH}/docs.js"></script>
</body>
</html>
`;

export const DOCS_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(API_DOCS_JSON_PATH)},
    dom_id: '#swagger-ui',
    layout: 'BaseLayout',
    deepLinking: true,
    docExpansion: 'list',
    displayRequestDuration: true,
    // a token stays in the page's memory, never in localStorage
    persistAuthorization: false,
    // no badge from validator.swagger.io: the CSP admits same-origin images only
    validatorUrl: null,
  });
});
`;

/** What swagger-ui's own page template sets in inline styles. */
export const DOCS_CSS = `html { box-sizing: border-box; overflow-y: scroll; }
*, *::before, *::after { box-sizing: inherit; }
body { margin: 0; background: #fafafa; }
`;

/** swagger-ui-dist as @nestjs/swagger resolves it (it is that package's dependency, not ours). */
export const SWAGGER_UI_DIST = dirname(require.resolve('swagger-ui-dist/package.json', { paths: [dirname(require.resolve('@nestjs/swagger'))] }));

/** The only files of swagger-ui-dist the page uses (its petstore index and OAuth redirect page are not served). */
export const DOCS_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': join(SWAGGER_UI_DIST, 'swagger-ui.css'),
  'swagger-ui-bundle.js': join(SWAGGER_UI_DIST, 'swagger-ui-bundle.js'),
  'favicon-32x32.png': join(SWAGGER_UI_DIST, 'favicon-32x32.png'),
  'favicon-16x16.png': join(SWAGGER_UI_DIST, 'favicon-16x16.png'),
};
