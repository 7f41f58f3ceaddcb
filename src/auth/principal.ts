import { t } from '../i18n/i18n';
import type { UserRole } from '../users/user.entity';

/** Who is making the request: a signed-in user of this request's clinic, on a live session. */
export interface Principal {
  readonly userId: string;
  readonly role: UserRole;
  readonly tenantId: string;
  readonly sessionId: string;
  readonly fullName: string;
  readonly username: string;
  /** How the token arrived: the portals use the cookie, the API the Authorization header. */
  readonly via: 'cookie' | 'bearer';
}

/** The signed claims of a session token. `tid` binds it to one clinic, `jti` to one session. */
export interface TokenClaims {
  readonly sub: string;
  readonly tid: string;
  readonly role: UserRole;
  readonly jti: string;
}

export const STAFF_ROLES = ['admin', 'doctor', 'reception'] as const satisfies readonly UserRole[];

/** Where each role lands after signing in, and the root of its pages. */
export const ROLE_HOME: Record<UserRole, string> = {
  admin: '/admin',
  doctor: '/doctor',
  reception: '/reception',
  patient: '/portal',
};

/** A role as people call it, in the request's language. */
export const roleLabel = (role: UserRole): string => t(`common:roles.${role}`);

/** Who may idle how long before the session ends. */
export const isStaff = (role: UserRole): boolean => role !== 'patient';
