import type { Browser, Page } from 'playwright-core';
import type { Tenant } from '../../src/platform/tenant';
import { ManualClock } from '../support/clinic-client';
import { createDoctor } from '../support/front-desk';
import { asClinic, createClinic, createUser, provisioning, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';
import { DESKTOP, launchBrowser, PHONE, screenshot, seriousViolations, visitor } from './support/browser';

/**
 * The seed story (shared/STORY.md) as the people in it live it, in a real browser: reception registers
 * Amir Hassan and books him at 10:30 with Dr. Ahmed, the board updates, Dr. Ahmed completes the visit
 * with a prescription, Amir signs in with his phone and username and reads the diagnosis, the desk
 * takes the payment and the owner's dashboard shows the revenue. Then what goes wrong: a time taken
 * while the form was open, a locked account, a suspended clinic. Each main screen is checked with
 * axe-core and saved as a screenshot at desktop and phone widths.
 */
describe('the seed story in a browser', () => {
  // Monday 23 November 2026, 09:00 in Cairo
  const clock = new ManualClock(Date.parse('2026-11-23T07:00:00Z'));
  let t: TestApp;
  let browser: Browser;
  let clinic: Tenant;
  let base: string;
  let kareem: TestUser;
  let sarah: TestUser;
  let ahmed: TestUser;
  let ahmedDoctorId: string;
  const problems: string[] = [];

  /** axe on the screen as it is, then a screenshot at this width; serious violations are collected and asserted at the end. */
  async function check(page: Page, screen: string): Promise<void> {
    for (const v of await seriousViolations(page)) problems.push(`${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.slice(0, 3).join(', ')}`);
    await screenshot(page, screen);
  }

  /** Picks the doctor and the day on the booking form, each answered by the HTMX slot picker. */
  async function pickDoctorAndDay(page: Page, day: string): Promise<void> {
    const times = () => page.waitForResponse((r) => r.url().includes('/appointments/slots'));
    await Promise.all([times(), page.getByLabel('Doctor').selectOption(ahmedDoctorId)]);
    await page.getByLabel('Day').fill(day);
    await Promise.all([times(), page.getByLabel('Day').dispatchEvent('change')]);
  }

  async function signIn(page: Page, user: TestUser): Promise<void> {
    await page.goto('/login');
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { SIGN_IN_RATE_LIMIT: '10000' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('story'), displayName: 'Hassan Clinic' });
    base = `http://${clinic.slug}.localhost:${new URL(t.url).port}`;
    kareem = await createUser(t.dataSource, clinic, { role: 'admin', fullName: 'Kareem Adel' });
    sarah = await createUser(t.dataSource, clinic, { role: 'reception', fullName: 'Sarah Mahmoud' });
    const doctor = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan', fee: '150.00' });
    ahmed = doctor;
    ahmedDoctorId = doctor.doctorId;
    await asClinic(t.dataSource, clinic, `UPDATE clinic_settings SET contact_phone = '+20223456789', address = '12 Tahrir Street, Cairo'`);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('reception registers Amir Hassan and books him at 10:30 with Dr. Ahmed; the board shows him, and checks him in', async () => {
    const desk = await (await visitor(browser, base)).newPage();
    await desk.goto('/login');
    await check(desk, 'staff-sign-in');
    await signIn(desk, sarah);
    await desk.goto('/patients/new');
    await desk.getByLabel('First name').fill('Amir');
    await desk.getByLabel('Last name').fill('Hassan');
    await desk.getByLabel('Date of birth').fill('1985-06-15');
    await desk.getByLabel('Gender').selectOption('male');
    await desk.getByLabel('Phone (optional)').fill('050 123 4567');
    await desk.getByLabel(/Portal username/).fill('amir');
    await desk.getByRole('button', { name: 'Register patient' }).click();
    await desk.getByRole('heading', { level: 1, name: 'Amir Hassan' }).waitFor();

    await desk.getByRole('link', { name: 'Book an appointment' }).click();
    await pickDoctorAndDay(desk, '2026-11-23');
    await desk.getByRole('radio', { name: '10:30' }).check();
    await check(desk, 'booking-form');
    await desk.getByRole('button', { name: 'Book' }).click();
    await desk.getByRole('heading', { level: 1, name: 'Amir Hassan' }).waitFor();
    await desk.getByText('Mon 23 Nov 2026, 10:30').waitFor();

    await desk.goto('/reception');
    const row = desk.locator('tr', { hasText: 'Amir Hassan' });
    await row.getByText('Scheduled').waitFor();
    await check(desk, 'today-board');
    await row.getByRole('button', { name: 'Check in Amir Hassan' }).click();
    await desk.locator('tr', { hasText: 'Amir Hassan' }).getByText('Checked in').waitFor();
  });

  it('Dr. Ahmed completes the visit with a prescription', async () => {
    const page = await (await visitor(browser, base)).newPage();
    await signIn(page, ahmed);
    await page.goto('/doctor');
    await page.getByRole('link', { name: 'Start visit with Amir Hassan' }).click();
    await page.getByLabel('Symptoms').fill('Chest pain when climbing stairs');
    await page.getByLabel('Diagnosis').fill('Mild angina');
    await page.locator('#medication-1').fill('Aspirin');
    await page.locator('#dosage-1').fill('100 mg daily');
    await page.locator('#duration-1').fill('30 days');
    await check(page, 'visit-form');
    await page.getByRole('button', { name: 'Complete visit' }).click();
    await page.getByText('Mild angina').first().waitFor();
    await page.getByText('Aspirin').first().waitFor();
  });

  it('Amir signs in with his phone and username and reads the diagnosis', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await (await visitor(browser, base, viewport)).newPage();
      await page.goto('/portal/login');
      await check(page, 'patient-sign-in');
      await page.getByLabel('Mobile number').fill('0501234567');
      await page.getByLabel('Username').fill('amir');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/portal$/);
      await check(page, 'portal-home');
      await page.locator('.visit-link', { hasText: 'Dr. Ahmed Hassan' }).first().click();
      await page.getByText('Mild angina').waitFor();
      await check(page, 'portal-visit');
    }
  });

  it('the desk takes the payment and the owner’s dashboard shows the revenue', async () => {
    const desk = await (await visitor(browser, base)).newPage();
    await signIn(desk, sarah);
    await desk.goto('/invoices');
    await desk.locator('tr', { hasText: 'Amir Hassan' }).getByRole('link').first().click();
    await desk.getByRole('button', { name: 'Record payment' }).click();
    await desk.locator('#invoice-status', { hasText: 'Paid' }).waitFor();

    for (const viewport of [DESKTOP, PHONE]) {
      const owner = await (await visitor(browser, base, viewport)).newPage();
      await signIn(owner, kareem);
      await owner.goto('/admin');
      await owner.locator('[data-kpi="revenue"] dd', { hasText: '150.00' }).waitFor();
      await check(owner, 'dashboard');
    }
  });

  it('a time taken while the form was open is refused in the form, in words, with the times still free', async () => {
    const [a, b] = await Promise.all([(await visitor(browser, base)).newPage(), (await visitor(browser, base)).newPage()]);
    await signIn(a, sarah);
    await signIn(b, sarah);
    const [mona] = await asClinic<{ id: string }[]>(
      t.dataSource,
      clinic,
      `INSERT INTO patients (first_name, last_name, date_of_birth, gender) VALUES ('Mona', 'Adel', '1990-03-02', 'female') RETURNING id::text AS id`,
    );
    for (const page of [a, b]) {
      await page.goto(`/appointments/new?patientId=${mona.id}`);
      await pickDoctorAndDay(page, '2026-11-23');
      await page.getByRole('radio', { name: '11:00' }).check();
    }
    await a.getByRole('button', { name: 'Book' }).click();
    await a.waitForURL(/\/appointments\/\d+$/);
    await b.getByRole('button', { name: 'Book' }).click();
    await b.getByText('Dr. Ahmed Hassan already has a patient at 11:00 — pick another time.').first().waitFor();
    await b.getByText(/Free times nearby: .*11:15/).waitFor();
    await check(b, 'booking-refused');
  });

  it('a locked account is told why and for how long', async () => {
    const page = await (await visitor(browser, base)).newPage();
    for (let i = 0; i < 15; i += 1) {
      await page.goto('/login');
      await page.getByLabel('Username').fill(sarah.username);
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.alert-error, .field-error').first().waitFor();
    }
    await page.getByLabel('Password').fill(sarah.password!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/This account is locked after too many failed sign-ins\. Try again in 15 minutes/).waitFor();
    await check(page, 'account-locked');
  });

  it('a suspended clinic answers with a page that says so, not a sign-in form', async () => {
    await provisioning(t.dataSource).setStatus(clinic.slug, 'suspended');
    try {
      const page = await (await visitor(browser, base)).newPage();
      const answer = await page.goto('/login');
      expect(answer?.status()).toBe(503);
      await page.getByRole('heading', { name: 'Temporarily unavailable' }).waitFor();
      await check(page, 'clinic-suspended');
    } finally {
      await provisioning(t.dataSource).setStatus(clinic.slug, 'active');
    }
  });

  it('shows the staff screens whole at phone width too, and the owner’s automation screens', async () => {
    const [amir] = await asClinic<{ id: string }[]>(t.dataSource, clinic, `SELECT id::text AS id FROM patients WHERE first_name = 'Amir'`);
    const nadia = await createUser(t.dataSource, clinic, { role: 'reception', fullName: 'Nadia Samir' }); // Sarah is locked out by now
    for (const viewport of [PHONE, DESKTOP]) {
      const desk = await (await visitor(browser, base, viewport)).newPage();
      await signIn(desk, nadia);
      if (viewport === PHONE) {
        await desk.goto('/reception');
        await desk.getByRole('heading', { level: 1 }).first().waitFor();
        await check(desk, 'today-board');
        await desk.goto(`/appointments/new?patientId=${amir.id}`);
        await pickDoctorAndDay(desk, '2026-11-23');
        await check(desk, 'booking-form');
      }
      await desk.goto(`/patients/${amir.id}`);
      await desk.getByRole('heading', { name: 'No-show penalties' }).waitFor();
      await check(desk, 'patient-profile');
      await desk.goto(`/waitlist/new?patientId=${amir.id}`);
      await check(desk, 'waitlist-form');

      const owner = await (await visitor(browser, base, viewport)).newPage();
      await signIn(owner, kareem);
      for (const [path, screen] of [['/admin/outbox', 'outbox'], ['/admin/no-shows', 'no-shows'], ['/waitlist', 'waitlist'], ['/admin/settings', 'settings']] as const) {
        await owner.goto(path);
        await owner.getByRole('heading', { level: 1 }).first().waitFor();
        await check(owner, screen);
      }
      const outbox = await owner.goto('/admin/outbox');
      expect(outbox?.status()).toBe(200);
      await owner.getByText('Booking confirmation').first().waitFor(); // Amir's, queued when the desk booked him
    }
  });

  it('has no serious accessibility problems on any screen it visited', () => {
    expect(problems).toEqual([]);
  });
});
