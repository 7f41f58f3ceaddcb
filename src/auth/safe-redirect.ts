import type { UserRole } from '../users/user.entity';
import { ROLE_HOME } from './principal';

const PROBE_ORIGIN = 'http://next.invalid';

/**
 * Where to go after signing in: `next` only when it is a path on this same host that the role's own
 * area holds (or a neutral page), never another origin (`https://evil.example`, `//evil.example`,
 * `/\evil.example`) and never another role's area; otherwise the role's home.
 */
export function safeNext(next: unknown, role: UserRole): string {
  const home = ROLE_HOME[role];
  const url = localUrl(next);
  if (!url) return home;
  const path = url.pathname;
  const insideOtherArea = Object.entries(ROLE_HOME).some(
    ([other, area]) => other !== role && area !== home && (path === area || path.startsWith(`${area}/`)),
  );
  if (insideOtherArea || path === '/login' || path.startsWith('/portal/login')) return home;
  return `${path}${url.search}${url.hash}`;
}

/** `next` as a URL when it is a path on this same host (never another origin), else null. */
export function localUrl(next: unknown): URL | null {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return null;
  if (!next.startsWith('/') || next.startsWith('//') || hasBackslashOrControl(next)) return null;
  try {
    const url = new URL(next, PROBE_ORIGIN);
    return url.origin === PROBE_ORIGIN ? url : null;
  } catch {
    return null;
  }
}

/** Browsers read a backslash as "/" and drop tabs and newlines, which turns `/\\host` or `/\t/host` into `//host`. */
function hasBackslashOrControl(path: string): boolean {
  for (let i = 0; i < path.length; i += 1) {
    const code = path.charCodeAt(i);
    if (code === 0x5c || code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
