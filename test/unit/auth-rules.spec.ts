import { ROLE_HOME } from '../../src/auth/principal';
import { safeNext } from '../../src/auth/safe-redirect';
import { MemorySessionStore } from '../../src/auth/session-store';
import { toE164 } from '../../src/common/phone';
import { inLanguage } from '../../src/i18n/i18n';
import { navigationFor } from '../../src/navigation/navigation';
import type { UserRole } from '../../src/users/user.entity';
import { ManualClock } from '../support/clinic-client';

describe('safeNext', () => {
  it.each([
    [undefined, '/admin'],
    ['', '/admin'],
    ['https://evil.example', '/admin'],
    ['//evil.example', '/admin'],
    ['///evil.example', '/admin'],
    ['/\\evil.example', '/admin'],
    ['\\\\evil.example', '/admin'],
    ['javascript:alert(1)', '/admin'],
    ['/%0d%0aSet-Cookie:x', '/%0d%0aSet-Cookie:x'],
    ['/admin\n/x', '/admin'],
    ['/doctor/queue', '/admin'],
    ['/portal', '/admin'],
    ['/login', '/admin'],
    ['/admin/staff?page=2#top', '/admin/staff?page=2#top'],
    ['/admin', '/admin'],
  ])('for an admin, next=%p → %p', (next, expected) => {
    expect(safeNext(next, 'admin')).toBe(expected);
  });

  it("keeps a patient inside the portal and sends staff areas to the patient's home", () => {
    expect(safeNext('/portal/book', 'patient')).toBe('/portal/book');
    expect(safeNext('/admin', 'patient')).toBe('/portal');
    expect(safeNext('/portal/login', 'patient')).toBe('/portal');
  });
});

describe('toE164', () => {
  it.each(['010 1234 5678', '+20 10 1234 5678', '00201012345678', '(010) 1234-5678', '٠١٠١٢٣٤٥٦٧٨'])('reads %p as +201012345678 in Egypt', (raw) => {
    expect(toE164(raw, 'EG')).toBe('+201012345678');
  });

  it('reads a number in the clinic region given, and refuses what cannot be a number', () => {
    expect(toE164('0501234567', 'SA')).toBe('+966501234567');
    expect(toE164('12', 'EG')).toBeNull();
    expect(toE164('not a phone', 'EG')).toBeNull();
    expect(toE164(`010${'1'.repeat(40)}`, 'EG')).toBeNull();
  });
});

describe('navigationFor', () => {
  it('marks the longest matching item as current, one at most', () => {
    const nav = navigationFor('admin', '/admin/staff/12');
    expect(nav.filter((i) => i.current).map((i) => i.label)).toEqual(['Staff']);
    expect(navigationFor('admin', '/admin').filter((i) => i.current).map((i) => i.label)).toEqual(['Dashboard']);
    expect(navigationFor('doctor', '/elsewhere').some((i) => i.current)).toBe(false);
  });

  it('is built once per role, current item and language, and cannot be changed by a page', () => {
    const staff = navigationFor('admin', '/admin/staff/12');
    expect(navigationFor('admin', '/admin/staff')).toBe(staff);
    expect(navigationFor('admin', '/admin/settings').find((i) => i.current)?.href).toBe('/admin/settings');
    expect(Object.isFrozen(staff) && Object.isFrozen(staff[0])).toBe(true);
    const arabic = inLanguage('ar', () => navigationFor('admin', '/admin/staff/12'));
    expect(arabic).not.toBe(staff);
    expect(arabic.find((i) => i.current)?.label).not.toBe('Staff');
    expect(navigationFor('admin', '/admin/staff/12').find((i) => i.current)?.label).toBe('Staff');
  });

  it("never shows one role another role's area", () => {
    for (const [role, home] of Object.entries(ROLE_HOME) as [UserRole, string][]) {
      const foreignAreas = Object.values(ROLE_HOME).filter((area) => area !== home);
      for (const item of navigationFor(role, home)) {
        expect(foreignAreas.filter((area) => item.href === area || item.href.startsWith(`${area}/`))).toEqual([]);
      }
    }
    for (const item of navigationFor('patient', '/portal')) expect(item.href.startsWith('/portal')).toBe(true);
  });
});

describe('MemorySessionStore', () => {
  const record = { userId: '7', role: 'doctor' as const, fullName: 'Dr. Who', username: 'who' };

  it('idles a session out unless it is used, and each use renews it', async () => {
    const clock = new ManualClock();
    const store = new MemorySessionStore(clock);
    await store.start('t1', 's1', record, 60, 3600);
    clock.advance(59_000);
    expect(await store.touch('t1', 's1', 60)).toEqual(record);
    clock.advance(59_000);
    expect(await store.touch('t1', 's1', 60)).toEqual(record);
    clock.advance(60_000);
    expect(await store.touch('t1', 's1', 60)).toBeNull();
  });

  it("ends all of one user's sessions in one clinic, and nothing of another clinic", async () => {
    const store = new MemorySessionStore(new ManualClock());
    await store.start('t1', 's1', record, 60, 3600);
    await store.start('t1', 's2', record, 60, 3600);
    await store.start('t2', 's3', record, 60, 3600); // same user id, other clinic
    expect(await store.endAllOf('t1', '7')).toBe(2);
    expect(await store.touch('t1', 's1', 60)).toBeNull();
    expect(await store.touch('t1', 's2', 60)).toBeNull();
    expect(await store.touch('t2', 's3', 60)).toEqual(record);
    expect(await store.touch('t2', 's1', 60)).toBeNull(); // a session id is looked up within its clinic only
  });
});
