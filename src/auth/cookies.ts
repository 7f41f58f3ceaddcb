import type { CookieOptions } from 'express';
import type { AppConfig } from '../config/app-config';

/**
 * Cookie names and attributes. In production the `__Host-` prefix makes browsers insist on Secure,
 * Path=/ and no Domain: the cookie belongs to exactly one clinic's host and no sibling subdomain can
 * set or read it.
 */
export function cookieNames(config: AppConfig): { session: string; csrf: string } {
  return config.isProduction ? { session: '__Host-session', csrf: '__Host-csrf' } : { session: 'session', csrf: 'csrf' };
}

export function cookieOptions(config: AppConfig): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: config.isProduction, path: '/' };
}
