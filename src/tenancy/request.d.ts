import type { Tenant } from '../platform/tenant';

declare module 'express-serve-static-core' {
  interface Request {
    /** The clinic this request's host resolved to (absent on the root host and host-agnostic paths). */
    clinic?: Tenant;
    /** Set by TenantMiddleware; absent on host-agnostic paths (health checks, static files). */
    hostKind?: 'root' | 'clinic';
  }
}
