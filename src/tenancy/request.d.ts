import type { Principal } from '../auth/principal';
import type { Tenant } from '../platform/tenant';

declare module 'express-serve-static-core' {
  interface Request {
    /** The clinic this request's host resolved to (absent on the root host and host-agnostic paths). */
    clinic?: Tenant;
    /** Set by TenantMiddleware; absent on host-agnostic paths (health checks, static files). */
    hostKind?: 'root' | 'clinic';
  }
}

declare global {
  namespace Express {
    // passport's `req.user`: the signed-in person of a clinic request (declaration merging needs an interface)
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Principal {}
  }
}
