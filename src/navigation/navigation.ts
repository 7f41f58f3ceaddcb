import { currentLanguage, t } from '../i18n/i18n';
import type { UserRole } from '../users/user.entity';

export interface NavItem {
  /** `common:nav.<key>` */
  readonly key: string;
  readonly href: string;
  /** False until the feature behind it ships: shown, but not a link. */
  readonly ready: boolean;
}

export interface NavLink extends NavItem {
  readonly label: string;
  readonly current: boolean;
}

/**
 * Each role's navigation, exactly what that role works with and nothing of another role's. Shared
 * screens (patients, appointments, invoices) live at neutral paths that several roles may reach.
 */
export const NAVIGATION: Record<UserRole, readonly NavItem[]> = {
  admin: [
    { key: 'dashboard', href: '/admin', ready: true },
    { key: 'patients', href: '/patients', ready: true },
    { key: 'doctors', href: '/admin/doctors', ready: true },
    { key: 'appointments', href: '/appointments', ready: true },
    { key: 'staff', href: '/admin/staff', ready: true },
    { key: 'invoices', href: '/invoices', ready: true },
    { key: 'waitlist', href: '/waitlist', ready: true },
    { key: 'noShows', href: '/admin/no-shows', ready: true },
    { key: 'outbox', href: '/admin/outbox', ready: true },
    { key: 'settings', href: '/admin/settings', ready: true },
  ],
  doctor: [
    { key: 'mySchedule', href: '/doctor', ready: true },
    { key: 'patients', href: '/doctor/patients', ready: true },
  ],
  reception: [
    { key: 'today', href: '/reception', ready: true },
    { key: 'appointments', href: '/appointments', ready: true },
    { key: 'patients', href: '/patients', ready: true },
    { key: 'invoices', href: '/invoices', ready: true },
    { key: 'waitlist', href: '/waitlist', ready: true },
  ],
  patient: [
    { key: 'myVisits', href: '/portal', ready: true },
    { key: 'book', href: '/portal/book', ready: true },
    { key: 'waitlist', href: '/portal/waitlist', ready: true },
  ],
};

/**
 * The role's navigation with the item for `path` marked current (the longest matching prefix wins),
 * in the current language. Built once per role, current item and language (every page asks for it).
 */
export function navigationFor(role: UserRole, path: string): readonly NavLink[] {
  const items = NAVIGATION[role];
  const matches = (href: string) => path === href || path.startsWith(`${href}/`);
  const current = items.filter((i) => matches(i.href)).sort((a, b) => b.href.length - a.href.length)[0];
  const key = `${currentLanguage()} ${role} ${current?.href ?? ''}`;
  let links = built.get(key);
  if (!links) {
    links = Object.freeze(items.map((item) => Object.freeze({ ...item, label: t(`common:nav.${item.key}`), current: item === current })));
    built.set(key, links);
  }
  return links;
}

/** Bounded by the roles' items and the languages. */
const built = new Map<string, readonly NavLink[]>();
