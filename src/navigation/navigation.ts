import type { UserRole } from '../users/user.entity';

export interface NavItem {
  readonly label: string;
  readonly href: string;
  /** False until the feature behind it ships: shown, but not a link. */
  readonly ready: boolean;
}

export interface NavLink extends NavItem {
  readonly current: boolean;
}

/**
 * Each role's navigation, exactly what that role works with and nothing of another role's. Shared
 * screens (patients, appointments, invoices) live at neutral paths that several roles may reach.
 */
export const NAVIGATION: Record<UserRole, readonly NavItem[]> = {
  admin: [
    { label: 'Dashboard', href: '/admin', ready: true },
    { label: 'Patients', href: '/patients', ready: true },
    { label: 'Doctors', href: '/admin/doctors', ready: true },
    { label: 'Appointments', href: '/appointments', ready: true },
    { label: 'Staff', href: '/admin/staff', ready: true },
    { label: 'Invoices', href: '/invoices', ready: true },
    { label: 'Waitlist', href: '/waitlist', ready: true },
    { label: 'No-shows', href: '/admin/no-shows', ready: true },
    { label: 'Outbox', href: '/admin/outbox', ready: true },
    { label: 'Settings', href: '/admin/settings', ready: true },
  ],
  doctor: [
    { label: 'My schedule', href: '/doctor', ready: true },
    { label: 'Patients', href: '/doctor/patients', ready: true },
  ],
  reception: [
    { label: 'Today', href: '/reception', ready: true },
    { label: 'Appointments', href: '/appointments', ready: true },
    { label: 'Patients', href: '/patients', ready: true },
    { label: 'Invoices', href: '/invoices', ready: true },
    { label: 'Waitlist', href: '/waitlist', ready: true },
  ],
  patient: [
    { label: 'My visits', href: '/portal', ready: true },
    { label: 'Book', href: '/portal/book', ready: true },
    { label: 'Waitlist', href: '/portal/waitlist', ready: true },
  ],
};

/** The role's navigation with the item for `path` marked current (the longest matching prefix wins). */
export function navigationFor(role: UserRole, path: string): NavLink[] {
  const items = NAVIGATION[role];
  const matches = (href: string) => path === href || path.startsWith(`${href}/`);
  const current = items.filter((i) => matches(i.href)).sort((a, b) => b.href.length - a.href.length)[0];
  return items.map((item) => ({ ...item, current: item === current }));
}
