import { AppException } from '../common/errors/app-exception';
import type { Language } from '../i18n/i18n';

export type TenantStatus = 'active' | 'suspended';

/** A clinic as the platform knows it (a row of `platform.tenants`). */
export interface Tenant {
  readonly id: string;
  readonly slug: string;
  readonly schemaName: string;
  readonly roleName: string;
  readonly displayName: string;
  readonly status: TenantStatus;
  readonly timeZone: string;
  readonly currency: string;
  readonly phoneRegion: string;
  /** The clinic's default language, for anyone who has not chosen one. */
  readonly language: Language;
  readonly schemaVersion: string;
  readonly createdAt: Date;
}

export type PlatformErrorCode =
  | 'invalid_slug'
  | 'reserved_slug'
  | 'clinic_exists'
  | 'clinic_not_found'
  | 'invalid_domain'
  | 'domain_taken'
  | 'domain_not_found'
  | 'invalid_input'
  | 'confirmation_required';

const STATUS_BY_CODE: Record<PlatformErrorCode, number> = {
  invalid_slug: 422,
  reserved_slug: 422,
  clinic_exists: 409,
  clinic_not_found: 404,
  invalid_domain: 422,
  domain_taken: 409,
  domain_not_found: 404,
  invalid_input: 422,
  confirmation_required: 400,
};

/** A refused platform request (operator CLI or provisioning): nothing was changed. */
export class PlatformException extends AppException {
  constructor(code: PlatformErrorCode, message: string) {
    super(code, STATUS_BY_CODE[code], message);
  }
}

export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,30}$/;
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(['www', 'admin', 'api', 'public', 'platform', 'static', 'assets']);

/** Refuses a slug that is malformed or reserved; returns it unchanged otherwise. */
export function assertValidSlug(slug: string): string {
  if (!SLUG_PATTERN.test(slug)) {
    throw new PlatformException(
      'invalid_slug',
      `"${slug}" is not a valid clinic slug: use 2-31 characters, lower-case letters, digits and "-", starting with a letter`,
    );
  }
  if (RESERVED_SLUGS.has(slug)) throw new PlatformException('reserved_slug', `"${slug}" is reserved; choose another clinic slug`);
  return slug;
}

export const schemaNameFor = (slug: string): string => `t_${slug.replace(/-/g, '_')}`;

/**
 * Roles are cluster-wide, shared by every database on the server: the name carries the platform's
 * own id as well as the slug, so a test database and production never share a clinic role.
 */
export const roleNameFor = (platformId: string, slug: string): string =>
  `c${platformId.replace(/-/g, '').slice(0, 12)}_${slug.replace(/-/g, '_')}`;

/**
 * The group role every clinic role of this platform belongs to, which holds their rights on platform
 * objects (migrations/platform/20261202200000_clinic_group_role.sql). No slug can produce it: a slug
 * starts with a letter.
 */
export const clinicGroupRoleFor = (platformId: string): string => `${roleNameFor(platformId, '')}_clinics`;

/**
 * Host header → canonical host: lower-cased, port and a trailing dot removed.
 * Returns '' for a missing or malformed host.
 */
export function normalizeHost(raw: string | undefined): string {
  if (!raw) return '';
  let host = raw.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end > 0 ? host.slice(0, end + 1) : '';
  }
  const colon = host.indexOf(':');
  if (colon >= 0) host = host.slice(0, colon);
  if (host.endsWith('.')) host = host.slice(0, -1);
  return /^[a-z0-9.-]{1,253}$/.test(host) ? host : '';
}

const HOST_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Validates a custom domain for `add-domain`; refuses hosts under BASE_DOMAIN (those are slugs). */
export function assertValidDomain(raw: string, baseDomain: string): string {
  const host = normalizeHost(raw);
  if (!host || !HOST_PATTERN.test(host) || raw.includes('/')) {
    throw new PlatformException('invalid_domain', `"${raw}" is not a valid host name (e.g. clinic.example.com, without scheme or path)`);
  }
  if (host === baseDomain || host.endsWith(`.${baseDomain}`)) {
    throw new PlatformException('invalid_domain', `${host} is under the platform's own domain ${baseDomain}; those hosts belong to clinic slugs`);
  }
  return host;
}
