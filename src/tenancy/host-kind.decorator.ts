import { SetMetadata } from '@nestjs/common';

/**
 * Which hosts a route answers on. Routes are clinic routes unless marked:
 * - `root`: only the platform's own host (BASE_DOMAIN), e.g. the landing page;
 * - `any`: every host, and outside tenant resolution (health checks from a load balancer).
 */
export type HostKind = 'clinic' | 'root' | 'any';
export const HOST_KIND = 'clinic:host-kind';
export const ServesHost = (kind: HostKind) => SetMetadata(HOST_KIND, kind);
