import type { Browser, Page } from 'playwright-core';
import { translate } from '../../src/i18n/i18n';
import type { Tenant } from '../../src/platform/tenant';
import { ManualClock } from '../support/clinic-client';
import { createDoctor, createPatient } from '../support/front-desk';
import { createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';
import { launchBrowser, visitor } from './support/browser';

/** What has the keyboard focus: its id (or tag), and whether the focus ring can be seen. */
async function focused(page: Page): Promise<{ id: string; visible: boolean }> {
  return page.evaluate(() => {
    // runs in the page (the project compiles without the DOM's types)
    const doc = (globalThis as unknown as { document: { activeElement: { id: string; tagName: string } | null } }).document;
    const view = globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string } };
    const el = doc.activeElement;
    if (!el) return { id: '', visible: false };
    const style = view.getComputedStyle(el);
    return { id: el.id || el.tagName.toLowerCase(), visible: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
  });
}

/** Presses Tab until `id` has the focus (at most 60 times), and checks the focus shows on the way. */
async function tabTo(page: Page, id: string): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (!now.visible) throw new Error(`the focus on #${now.id} cannot be seen`);
    if (now.id === id) return;
  }
  throw new Error(`#${id} cannot be reached with the Tab key`);
}

/**
 * The front desk's main flow with the keyboard alone: sign in, open the booking form, choose the
 * doctor and a time, book. Every step is reached with Tab (the focus always visible) and acted on
 * with the keys a person would use.
 */
describe('keyboard only', () => {
  const clock = new ManualClock(Date.parse('2026-11-23T07:00:00Z'));
  let t: TestApp;
  let browser: Browser;
  let clinic: Tenant;
  let base: string;
  let sarah: TestUser;
  let patientId: string;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('keys') });
    base = `http://${clinic.slug}.localhost:${new URL(t.url).port}`;
    sarah = await createUser(t.dataSource, clinic, { role: 'reception', fullName: 'Sarah Mahmoud' });
    await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan' });
    patientId = (await createPatient(t.dataSource, clinic, { firstName: 'Amir', lastName: 'Hassan' })).id;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in and books an appointment without a mouse', async () => {
    const page = await (await visitor(browser, base)).newPage();
    await page.goto('/login');
    expect((await focused(page)).id).toBe('username'); // the sign-in form starts in its first field
    await page.keyboard.type(sarah.username);
    await tabTo(page, 'password');
    await page.keyboard.type(sarah.password!);
    await Promise.all([page.waitForURL(/\/reception$/), page.keyboard.press('Enter')]);

    await page.goto(`/appointments/new?patientId=${patientId}`);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toEqual({ id: 'a', visible: true }); // a page starts with its skip link
    await tabTo(page, 'doctorId');
    await Promise.all([page.waitForResponse((r) => r.url().includes('/appointments/slots')), page.keyboard.press('ArrowDown')]);
    // the first free time of the day, then the next one with an arrow key, chosen with Space
    for (let i = 0; i < 60; i += 1) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { name?: string } | null } }).document.activeElement?.name)) === 'time') break;
    }
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    const chosen = await page.locator('input[name="time"]:checked').getAttribute('value');
    expect(chosen).toBe('09:15');
    await tabTo(page, 'book-submit');
    await Promise.all([page.waitForURL(/\/appointments\/\d+$/), page.keyboard.press('Enter')]);
    await page.getByText('2026-11-23 09:15–09:30 with Dr. Ahmed Hassan').waitFor();

    // the language switch in the top bar, with the keyboard too: the same page comes back in Arabic, right to left
    const booked = page.url();
    await page.keyboard.press('Tab');
    await tabTo(page, 'language-ar');
    await page.keyboard.press('Enter');
    await page.locator('html[lang="ar"][dir="rtl"]').waitFor({ state: 'attached' });
    expect(page.url()).toBe(booked);
    await page.getByRole('heading', { level: 1, name: translate('ar', 'appointments:detail.pageHeading') }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toEqual({ id: 'a', visible: true });
    await tabTo(page, 'language-en'); // and back, every stop on the way visible in the right-to-left page
  });
});
