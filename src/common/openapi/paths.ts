/** Swagger UI; its assets live under it. */
export const API_DOCS_PATH = '/api/docs';
/** The OpenAPI 3 document as JSON. */
export const API_DOCS_JSON_PATH = '/api/docs-json';
/** Only routes under it are the API; pages, `/l/…`, `/language/…` and the health checks are not documented. */
export const API_PREFIX = '/api/v1/';
