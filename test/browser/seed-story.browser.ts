import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { LANGUAGES, LOCALES, translate } from '../../src/i18n/i18n';
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
 *
 * The story runs twice: in an English clinic and in an Arabic one (right to left). Every word the test
 * looks for is read from the translation files, so it follows the screens in either language.
 */
describe.each(LANGUAGES)('the seed story in a browser (%s)', (language) => {
  /** The words of the screens, in this run's language. */
  const L = (key: string, values?: Record<string, unknown>) => translate(language, key, values);
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
  const cairo = (local: string) => DateTime.fromISO(local, { zone: 'Africa/Cairo' }).setLocale(LOCALES[language]);

  /** axe on the screen as it is, then a screenshot at this width; serious violations are collected and asserted at the end. */
  async function check(page: Page, screen: string): Promise<void> {
    const name = `${language}-${screen}`;
    for (const v of await seriousViolations(page)) problems.push(`${name}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.slice(0, 3).join(', ')}`);
    const html = await page.evaluate<{ lang: string; dir: string }>('({ lang: document.documentElement.lang, dir: document.documentElement.dir })');
    if (html.lang !== language || html.dir !== (language === 'ar' ? 'rtl' : 'ltr')) problems.push(`${name}: the page says lang="${html.lang}" dir="${html.dir}"`);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    if (overflow > 0) problems.push(`${name}: the page scrolls sideways by ${overflow}px at ${page.viewportSize()?.width}px wide`);
    await screenshot(page, name);
  }

  /** Picks the doctor and the day on the booking form, each answered by the HTMX slot picker. */
  async function pickDoctorAndDay(page: Page, day: string): Promise<void> {
    const times = () => page.waitForResponse((r) => r.url().includes('/appointments/slots'));
    await Promise.all([times(), page.getByLabel(L('appointments:booking.doctor'), { exact: true }).selectOption(ahmedDoctorId)]);
    // fill fires the date input's change event itself; one more would load the times twice, and the
    // second answer could arrive after a time was picked and clear it
    await Promise.all([times(), page.getByLabel(L('appointments:booking.day'), { exact: true }).fill(day)]);
  }

  async function signIn(page: Page, user: TestUser): Promise<void> {
    await page.goto('/login');
    await page.getByLabel(L('auth:fields.username')).fill(user.username);
    await page.getByLabel(L('auth:fields.password')).fill(user.password!);
    await page.getByRole('button', { name: L('auth:signIn') }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { SIGN_IN_RATE_LIMIT: '10000' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug(`story-${language}`), displayName: 'Hassan Clinic', language });
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
    await desk.getByLabel(L('patients:form.firstName')).fill('Amir');
    await desk.getByLabel(L('patients:form.lastName')).fill('Hassan');
    await desk.getByLabel(L('patients:form.dateOfBirth')).fill('1985-06-15');
    await desk.getByLabel(L('patients:form.gender')).selectOption('male');
    await desk.getByLabel(L('patients:form.phone')).fill('050 123 4567');
    await desk.getByLabel(L('patients:form.username')).fill('amir');
    await desk.getByRole('button', { name: L('patients:form.register') }).click();
    await desk.getByRole('heading', { level: 1, name: 'Amir Hassan' }).waitFor();

    await desk.getByRole('link', { name: L('patients:profile.book') }).click();
    await pickDoctorAndDay(desk, '2026-11-23');
    await desk.getByRole('radio', { name: '10:30' }).check();
    await check(desk, 'booking-form');
    await desk.getByRole('button', { name: L('appointments:booking.submit'), exact: true }).click();
    await desk.getByRole('heading', { level: 1, name: 'Amir Hassan' }).waitFor();
    await desk.getByText(L('patients:appointments.whenValue', { date: cairo('2026-11-23T10:30').toFormat('ccc d LLL yyyy'), time: '10:30' })).waitFor();

    await desk.goto('/reception');
    const row = desk.locator('tr', { hasText: 'Amir Hassan' });
    await row.getByText(L('appointments:status.scheduled')).waitFor();
    await check(desk, 'today-board');
    await row.getByRole('button', { name: L('appointments:board.checkIn', { name: 'Amir Hassan' }) }).click();
    await desk.locator('tr', { hasText: 'Amir Hassan' }).getByText(L('appointments:status.checked_in')).waitFor();
  });

  it('Dr. Ahmed completes the visit with a prescription', async () => {
    const page = await (await visitor(browser, base)).newPage();
    await signIn(page, ahmed);
    await page.goto('/doctor');
    await page.getByRole('link', { name: `${L('schedule:queue.startVisit')} ${L('schedule:queue.withPatient', { name: 'Amir Hassan' })}` }).click();
    await page.getByLabel(L('visits:form.symptoms')).fill('Chest pain when climbing stairs');
    await page.getByLabel(L('visits:form.diagnosis')).fill('Mild angina');
    await page.locator('#medication-1').fill('Aspirin');
    await page.locator('#dosage-1').fill('100 mg daily');
    await page.locator('#duration-1').fill('30 days');
    await check(page, 'visit-form');
    await page.getByRole('button', { name: L('visits:form.complete') }).click();
    await page.getByText('Mild angina').first().waitFor();
    await page.getByText('Aspirin').first().waitFor();
    await check(page, 'visit-record');
  });

  it('Amir signs in with his phone and username and reads the diagnosis', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await (await visitor(browser, base, viewport)).newPage();
      await page.goto('/portal/login');
      await check(page, 'patient-sign-in');
      await page.getByLabel(L('auth:fields.mobile')).fill('0501234567');
      await page.getByLabel(L('auth:fields.username')).fill('amir');
      await page.getByRole('button', { name: L('auth:signIn') }).click();
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
    await desk.getByRole('button', { name: L('invoices:pay.submit') }).click();
    await desk.locator('#invoice-status', { hasText: L('invoices:status.paid') }).waitFor();

    for (const viewport of [DESKTOP, PHONE]) {
      const owner = await (await visitor(browser, base, viewport)).newPage();
      await signIn(owner, kareem);
      await owner.goto('/admin');
      await owner.locator('[data-kpi="revenue"] dd', { hasText: '150.00' }).waitFor();
      await check(owner, 'dashboard');
    }
  });

  it('after signing out, Back shows the sign-in page, not the patients seen before', async () => {
    const desk = await (await visitor(browser, base)).newPage();
    await signIn(desk, sarah);
    await desk.goto('/patients');
    await desk.getByText('Amir Hassan').first().waitFor();
    await Promise.all([desk.waitForURL((url) => url.pathname === '/login'), desk.getByRole('button', { name: L('common:signOut') }).click()]);
    await desk.goBack();
    await desk.getByLabel(L('auth:fields.username')).waitFor();
    expect(await desk.getByText('Amir Hassan').count()).toBe(0);
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
    // the times loading again (the day picked once more) keep the time already picked
    const eleven = '#slot-choices input[value="11:00"]';
    await a.locator(eleven).evaluate((radio) => radio.setAttribute('data-before-reload', ''));
    await a.getByLabel(L('appointments:booking.day'), { exact: true }).fill('2026-11-23');
    await a.locator(`${eleven}:not([data-before-reload])`).waitFor();
    expect(await a.locator(eleven).isChecked()).toBe(true);
    await a.getByRole('button', { name: L('appointments:booking.submit'), exact: true }).click();
    await a.waitForURL(/\/appointments\/\d+$/);
    await b.getByRole('button', { name: L('appointments:booking.submit'), exact: true }).click();
    await b.getByText(L('appointments:errors.slotTaken', { doctor: 'Dr. Ahmed Hassan', time: '11:00' })).first().waitFor();
    await b.getByText(L('appointments:errors.freeNearby', { times: '' })).waitFor();
    await b.getByText(/11:15/).first().waitFor();
    await check(b, 'booking-refused');
  });

  it('a locked account is told why and for how long', async () => {
    const page = await (await visitor(browser, base)).newPage();
    for (let i = 0; i < 15; i += 1) {
      await page.goto('/login');
      await page.getByLabel(L('auth:fields.username')).fill(sarah.username);
      await page.getByLabel(L('auth:fields.password')).fill('not-the-password');
      await page.getByRole('button', { name: L('auth:signIn') }).click();
      await page.locator('.alert-error, .field-error').first().waitFor();
    }
    await page.getByLabel(L('auth:fields.password')).fill(sarah.password!);
    await page.getByRole('button', { name: L('auth:signIn') }).click();
    await page.getByText(L('auth:errors.locked', { count: 15 })).waitFor();
    await check(page, 'account-locked');
  });

  it('a suspended clinic answers with a page that says so, not a sign-in form', async () => {
    await provisioning(t.dataSource).setStatus(clinic.slug, 'suspended');
    try {
      const page = await (await visitor(browser, base)).newPage();
      const answer = await page.goto('/login');
      expect(answer?.status()).toBe(503);
      await page.getByRole('heading', { name: L('common:errors.title.503') }).waitFor();
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
      await desk.getByRole('heading', { name: L('noShows:penalties.heading') }).waitFor();
      await check(desk, 'patient-profile');
      await desk.goto(`/waitlist/new?patientId=${amir.id}`);
      await check(desk, 'waitlist-form');

      const owner = await (await visitor(browser, base, viewport)).newPage();
      await signIn(owner, kareem);
      for (const [path, screen] of [
        ['/admin/outbox', 'outbox'],
        ['/admin/no-shows', 'no-shows'],
        ['/waitlist', 'waitlist'],
        ['/admin/settings', 'settings'],
        ['/invoices', 'invoices'],
        ['/admin/doctors', 'doctors'],
        ['/admin/staff', 'staff'],
        ['/patients', 'patients'],
      ] as const) {
        await owner.goto(path);
        await owner.getByRole('heading', { level: 1 }).first().waitFor();
        await check(owner, screen);
      }
      const outbox = await owner.goto('/admin/outbox');
      expect(outbox?.status()).toBe(200);
      await owner.getByText(L('outbox:kind.booking_confirmation')).first().waitFor(); // Amir's, queued when the desk booked him
    }
  });

  it('has no serious accessibility problems on any screen it visited', () => {
    expect(problems).toEqual([]);
  });
});
