import type { Tenant } from '../../src/platform/tenant';
import { ManualClock } from '../support/clinic-client';
import { createDoctor, createPatient, type TestDoctor, type TestPatient } from '../support/front-desk';
import type { HttpResponse } from '../support/http';
import { bytes, pdfText } from '../support/pdf';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string[]> } };
const error = (res: HttpResponse) => res.json<ErrorBody>().error;

interface Summary {
  revenue: string;
  unpaid: string;
  appointments: number;
  completionRate: string | null;
  cancellationRate: string | null;
  noShowRate: string | null;
  computedAt: string;
  byStatus: { status: string; count: number }[];
  revenuePerDay: { day: string; amount: string }[];
  revenuePerDoctor: { doctorName: string; amount: string }[];
}

/** A seeded appointment of the test month, and what the clinic knows of its money. */
interface Seeded {
  doctor: 0 | 1;
  day: number;
  status: 'scheduled' | 'completed' | 'cancelled' | 'no_show';
  /** Cents invoiced (completed visits only). */
  amount: number;
  /** Cents paid, and on which day of the month. */
  paid: number;
  paidDay: number;
  voided: boolean;
}

const money = (cents: number) => (cents / 100).toFixed(2);

describe('billing and the owner\'s dashboard', () => {
  let t: TestApp;
  // Wednesday 2026-11-18, 10:00 in Cairo: October is a closed month
  const clock = new ManualClock(Date.parse('2026-11-18T08:00:00Z'));
  let clinic: Tenant;
  let host: string;
  let other: Tenant;
  let owner: TestUser;
  let desk: TestUser;
  let ownerToken: string;
  let deskToken: string;
  let doctors: TestDoctor[];
  let patient: TestPatient;
  let seeded: Seeded[];
  const api = (token: string, method: string, path: string, body?: unknown, onHost = host) => apiCall(t.url, onHost, token, method, path, body);

  /** A completed visit with its pending invoice, written as the doctor's console writes it; returns the invoice id. */
  async function invoiceFor(at: Tenant, doctor: TestDoctor, who: TestPatient, startsAt: string, amount: string): Promise<string> {
    const [row] = await asClinic<{ id: string }[]>(
      t.dataSource,
      at,
      `WITH a AS (INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, cost)
                  VALUES ($1, $2, $3::timestamptz, $3::timestamptz + interval '15 minutes', 'completed', $4) RETURNING id),
            n AS (UPDATE invoice_counter SET last_number = last_number + 1 RETURNING last_number)
       INSERT INTO invoices (number, appointment_id, amount) SELECT n.last_number, a.id, $4 FROM a, n RETURNING id`,
      [who.id, doctor.doctorId, startsAt, amount],
    );
    return row.id;
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { SIGN_IN_RATE_LIMIT: '10000', DB_POOL_MAX: '20' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('bill') });
    host = `${clinic.slug}.localhost`;
    owner = await createUser(t.dataSource, clinic, { role: 'admin' });
    desk = await createUser(t.dataSource, clinic, { role: 'reception' });
    doctors = [await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan' }), await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Mona Fathy' })];
    patient = await createPatient(t.dataSource, clinic, { firstName: 'Amir', lastName: 'Hassan' });
    ownerToken = await apiToken(t.url, host, owner);
    deskToken = await apiToken(t.url, host, desk);
    other = await createClinic(t.dataSource, { slug: uniqueSlug('bill-b') });

    // October 2026: a deterministic mix of statuses, invoices, partial and full payments and voids
    seeded = Array.from({ length: 120 }, (_, i): Seeded => {
      const status = (['completed', 'completed', 'completed', 'cancelled', 'no_show', 'completed', 'scheduled', 'completed'] as const)[i % 8];
      const amount = status === 'completed' ? 10_000 + (i % 5) * 2_550 : 0;
      const paid = status !== 'completed' ? 0 : i % 3 === 0 ? amount : i % 3 === 1 ? Math.floor(amount / 2) : 0;
      return { doctor: (i % 2) as 0 | 1, day: 1 + (i % 31), status, amount, paid, paidDay: Math.min(31, 1 + (i % 31) + (i % 2)), voided: status === 'completed' && i % 11 === 0 };
    });
    for (const [i, s] of seeded.entries()) {
      const startsAt = `2026-10-${String(s.day).padStart(2, '0')}T${String(9 + Math.floor(i / 31)).padStart(2, '0')}:00:00+03:00`;
      const [a] = await asClinic<{ id: string }[]>(
        t.dataSource,
        clinic,
        `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, cost, cancelled_at, cancel_reason, no_show_at)
         VALUES ($1, $2, $3::timestamptz, $3::timestamptz + interval '15 minutes', $4, 150, CASE WHEN $4 = 'cancelled' THEN now() END, CASE WHEN $4 = 'cancelled' THEN 'x' END,
                 CASE WHEN $4 = 'no_show' THEN now() END)
         RETURNING id`,
        [patient.id, doctors[s.doctor].doctorId, startsAt, s.status],
      );
      if (!s.amount) continue;
      const [inv] = await asClinic<{ id: string }[]>(
        t.dataSource,
        clinic,
        `WITH n AS (UPDATE invoice_counter SET last_number = last_number + 1 RETURNING last_number)
         INSERT INTO invoices (number, appointment_id, amount) SELECT last_number, $1, $2 FROM n RETURNING id`,
        [a.id, money(s.amount)],
      );
      if (s.paid) await api(deskToken, 'POST', `/api/v1/invoices/${inv.id}/payments`, { amount: money(s.paid), method: i % 2 ? 'card' : 'cash', paidOn: `2026-10-${String(s.paidDay).padStart(2, '0')}` });
      if (s.voided) await api(ownerToken, 'POST', `/api/v1/invoices/${inv.id}/void`, { reason: 'Raised in error' });
    }
  });

  afterAll(() => t.close());

  describe('dashboard numbers', () => {
    it('match a seeded month computed independently', async () => {
      const res = await api(ownerToken, 'GET', '/api/v1/reports/summary?from=2026-10-01&to=2026-10-31');
      expect(res.status).toBe(200);
      const s = res.json<Summary>();
      const live = seeded.filter((x) => !x.voided);
      const revenue = live.reduce((sum, x) => sum + x.paid, 0);
      const unpaid = live.reduce((sum, x) => sum + x.amount - x.paid, 0);
      const count = (status: Seeded['status']) => seeded.filter((x) => x.status === status).length;
      const pct = (n: number) => (Math.round((1000 * n) / seeded.length) / 10).toFixed(1);
      expect(s).toMatchObject({
        revenue: money(revenue),
        unpaid: money(unpaid),
        appointments: 120,
        completionRate: pct(count('completed')),
        cancellationRate: pct(count('cancelled')),
        noShowRate: pct(count('no_show')),
      });
      expect(s.byStatus.find((b) => b.status === 'completed')!.count).toBe(count('completed'));
      expect(s.revenuePerDay).toHaveLength(31);
      const day5 = live.filter((x) => x.paid && x.paidDay === 5).reduce((sum, x) => sum + x.paid, 0);
      expect(s.revenuePerDay.find((d) => d.day === '2026-10-05')!.amount).toBe(money(day5));
      const mona = live.filter((x) => x.doctor === 1).reduce((sum, x) => sum + x.paid, 0);
      expect(s.revenuePerDoctor.find((d) => d.doctorName === 'Dr. Mona Fathy')!.amount).toBe(money(mona));

      const onlyMona = (await api(ownerToken, 'GET', `/api/v1/reports/summary?from=2026-10-01&to=2026-10-31&doctorId=${doctors[1].doctorId}`)).json<Summary>();
      expect(onlyMona.revenue).toBe(money(mona));
      expect(onlyMona.appointments).toBe(seeded.filter((x) => x.doctor === 1).length);
    });

    it('shows cards and accessible SVG charts, and an empty state for an empty period', async () => {
      const browser = await signedInBrowser(t.url, host, owner);
      const page = await browser.get('/admin?from=2026-10-01&to=2026-10-31');
      expect(page.status).toBe(200);
      expect(page.body).toContain('data-kpi="revenue"');
      expect(page.body).toMatch(/<svg class="chart chart-area"[^>]*role="img"[^>]*>\s*<title id="revenue-chart-title">Revenue per day<\/title><desc/);
      expect(page.body).toContain('<title id="status-chart-title">Appointments by status</title>');
      expect(page.body).toContain('Dr. Mona Fathy');
      const fragment = await browser.get('/admin?from=2026-12-01&to=2026-12-31', { 'HX-Request': 'true' });
      expect(fragment.body).not.toContain('<html');
      expect(fragment.body).toContain('No payments were received in this period.');
      expect(fragment.body).toContain('No appointments in this period.');
      expect(fragment.body).not.toContain('<svg');
    });

    it('defaults to this month and refuses a reversed or too long period and unknown doctors with 422', async () => {
      const s = (await api(ownerToken, 'GET', '/api/v1/reports/summary')).json<Summary & { filter: { from: string; to: string } }>();
      expect(s.filter).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
      const reversed = await api(ownerToken, 'GET', '/api/v1/reports/summary?from=2026-10-31&to=2026-10-01');
      expect(reversed.status).toBe(422);
      expect(error(reversed).message).toContain('starts (2026-10-31) after it ends (2026-10-01)');
      const long = await api(ownerToken, 'GET', '/api/v1/reports/summary?from=2024-10-01&to=2026-10-01');
      expect(long.status).toBe(422);
      expect(error(long).message).toContain('at most 2 years');
      expect((await api(ownerToken, 'GET', '/api/v1/reports/summary?from=2024-10-02&to=2026-10-01')).status).toBe(200);
      const unknown = await api(ownerToken, 'GET', '/api/v1/reports/summary?doctorId=999999');
      expect(unknown.status).toBe(422);
      expect(error(unknown).message).toContain('no doctor with id 999999');
      const page = await (await signedInBrowser(t.url, host, owner)).get('/admin?from=2026-10-31&to=2026-10-01');
      expect(page.status).toBe(422);
      expect(page.body).toContain('after it ends');
      expect(page.body).toContain('value="2026-10-31"');
    });

    it('serves the numbers from the cache until an invoice changes, and says when they were computed', async () => {
      const path = '/api/v1/reports/summary?from=2026-11-01&to=2026-11-30';
      const first = (await api(ownerToken, 'GET', path)).json<Summary>();
      clock.advance(60_000);
      const cached = (await api(ownerToken, 'GET', path)).json<Summary>();
      expect(cached.computedAt).toBe(first.computedAt);
      const invoice = await invoiceFor(clinic, doctors[0], patient, '2026-11-17T08:00:00Z', '200.00');
      await api(deskToken, 'POST', `/api/v1/invoices/${invoice}/payments`, { method: 'cash' });
      const fresh = (await api(ownerToken, 'GET', path)).json<Summary>();
      expect(fresh.computedAt).not.toBe(first.computedAt);
      expect(Number(fresh.revenue) - Number(first.revenue)).toBe(200);
      const page = await (await signedInBrowser(t.url, host, owner)).get('/admin?from=2026-11-01&to=2026-11-30');
      expect(page.body).toMatch(/computed at 2026-11-18 10:0\d/);
    });

    it('serves the whole page from the cache, and a new doctor shows in its filter at once', async () => {
      const browser = await signedInBrowser(t.url, host, owner);
      const path = '/admin?from=2026-11-01&to=2026-11-30';
      const first = await browser.get(path);
      clock.advance(60_000);
      const cached = await browser.get(path);
      const stamp = (body: string) => /computed at ([\d-]+ [\d:]+)/.exec(body)![1];
      expect(stamp(cached.body)).toBe(stamp(first.body));
      expect(cached.body).not.toContain('Dr. Basma Nour');
      const created = await api(ownerToken, 'POST', '/api/v1/staff', { role: 'doctor', fullName: 'Dr. Basma Nour', username: 'basma', password: 'a-long-password-2026', specialty: 'Dermatology', consultationFee: '200' });
      expect(created.status).toBe(201);
      expect((await browser.get(path)).body).toContain('Dr. Basma Nour');
    });

    it('is the owner\'s only', async () => {
      expect((await api(deskToken, 'GET', '/api/v1/reports/summary')).status).toBe(403);
      expect((await (await signedInBrowser(t.url, host, desk)).get('/admin')).status).toBe(403);
    });
  });

  describe('payments and voids', () => {
    it('takes partial payments up to the balance, then refuses more; the receipt and close-out say so', async () => {
      const id = await invoiceFor(clinic, doctors[0], patient, '2026-11-18T07:00:00Z', '150.00');
      const part = await api(deskToken, 'POST', `/api/v1/invoices/${id}/payments`, { amount: '100', method: 'cash', reference: 'slip 7' });
      expect(part.status).toBe(201);
      expect(part.json()).toMatchObject({ status: 'partial', paid: '100.00', balance: '50.00' });
      const over = await api(deskToken, 'POST', `/api/v1/invoices/${id}/payments`, { amount: '50.01', method: 'card' });
      expect(over.status).toBe(422);
      expect(error(over)).toMatchObject({ code: 'overpayment', message: expect.stringContaining('balance of invoice no.') });
      const future = await api(deskToken, 'POST', `/api/v1/invoices/${id}/payments`, { method: 'card', paidOn: '2026-11-19' });
      expect(future.status).toBe(422);
      const rest = await api(deskToken, 'POST', `/api/v1/invoices/${id}/payments`, { method: 'mobile_wallet' });
      expect(rest.json()).toMatchObject({ status: 'paid', paid: '150.00', balance: '0.00' });
      const again = await api(deskToken, 'POST', `/api/v1/invoices/${id}/payments`, { amount: '1', method: 'cash' });
      expect(again.status).toBe(409);
      expect(error(again).code).toBe('invoice_paid');
      const [{ n }] = await asClinic<{ n: number }[]>(t.dataSource, clinic, 'SELECT count(*)::int AS n FROM payments WHERE invoice_id = $1', [id]);
      expect(n).toBe(2);

      const browser = await signedInBrowser(t.url, host, desk);
      const receipt = await browser.get(`/invoices/${id}/receipt`);
      expect(receipt.status).toBe(200);
      expect(receipt.body).toContain('100.00 EGP — Cash, 2026-11-18 (slip 7)');
      expect(receipt.body).toContain('<dd id="receipt-balance">0.00 EGP</dd>');
      const pdf = pdfText(await bytes(t.url, host, `/invoices/${id}/receipt.pdf`, browser.cookie('session')!));
      expect(pdf).toContain('Amir Hassan');
      expect(pdf).toContain('50.00 EGP — Mobile wallet');
      const closeOut = await browser.get('/invoices/close-out?date=2026-11-18');
      expect(closeOut.body).toMatch(/data-method="mobile_wallet"><td>Mobile wallet<\/td><td>1<\/td><td>50.00<\/td>/);
    });

    it('lets one of ten simultaneous payments of the whole balance through, and refuses the rest', async () => {
      const id = await invoiceFor(clinic, doctors[1], patient, '2026-11-17T07:30:00Z', '60.00');
      const results = await Promise.all(Array.from({ length: 10 }, () => api(deskToken, 'POST', `/api/v1/invoices/${id}/payments`, { amount: '60', method: 'cash' })));
      expect(results.map((r) => r.status).sort()).toEqual([201, ...Array<number>(9).fill(409)]);
      const [row] = await asClinic<{ paid: string; n: number }[]>(
        t.dataSource,
        clinic,
        'SELECT i.paid_amount::text AS paid, (SELECT count(*)::int FROM payments WHERE invoice_id = i.id) AS n FROM invoices i WHERE i.id = $1',
        [id],
      );
      expect(row).toEqual({ paid: '60.00', n: 1 });
    });

    it('pays through the page, and shows a refused payment with its message', async () => {
      const id = await invoiceFor(clinic, doctors[1], patient, '2026-11-18T07:30:00Z', '80.00');
      const browser = await signedInBrowser(t.url, host, desk);
      const page = await browser.get(`/invoices/${id}`);
      expect(page.body).toContain('name="amount" type="text" value="80.00"');
      const refused = await browser.post(`/invoices/${id}/payments`, { amount: '90', method: 'cash', paidOn: '2026-11-18' });
      expect(refused.status).toBe(422);
      expect(refused.body).toContain('a payment of 90 is more than that');
      expect(refused.body).toContain('value="90"');
      const paid = await browser.post(`/invoices/${id}/payments`, { amount: '80', method: 'card', paidOn: '2026-11-18', reference: '' });
      expect(paid.status).toBe(303);
      expect((await browser.get(paid.headers.location as string)).body).toContain('Payment recorded.');
    });

    it('lets only the owner void, with a reason; a void invoice cannot be paid and stops counting', async () => {
      const id = await invoiceFor(clinic, doctors[0], patient, '2026-11-16T07:00:00Z', '120.00');
      await api(deskToken, 'POST', `/api/v1/invoices/${id}/payments`, { method: 'cash', paidOn: '2026-11-16' });
      expect((await api(deskToken, 'POST', `/api/v1/invoices/${id}/void`, { reason: 'refund' })).status).toBe(403);
      expect((await api(ownerToken, 'POST', `/api/v1/invoices/${id}/void`, { reason: '  ' })).status).toBe(422);
      const before = (await api(ownerToken, 'GET', '/api/v1/reports/summary?from=2026-11-16&to=2026-11-16')).json<Summary>();
      const voided = await api(ownerToken, 'POST', `/api/v1/invoices/${id}/void`, { reason: 'Refunded: charged twice' });
      expect(voided.status).toBe(200);
      expect(voided.json()).toMatchObject({ status: 'void', voidReason: 'Refunded: charged twice' });
      const after = (await api(ownerToken, 'GET', '/api/v1/reports/summary?from=2026-11-16&to=2026-11-16')).json<Summary>();
      expect(Number(before.revenue) - Number(after.revenue)).toBe(120);
      const pay = await api(deskToken, 'POST', `/api/v1/invoices/${id}/payments`, { amount: '1', method: 'cash' });
      expect(pay.status).toBe(409);
      expect(error(pay).code).toBe('invoice_void');
      const [audit] = await asClinic<{ n: number }[]>(t.dataSource, clinic, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'invoice.voided' AND entity_id = $1`, [id]);
      expect(audit.n).toBe(1);
    });

    it('lists invoices with filters and totals; another clinic\'s invoice is not found', async () => {
      const list = await api(deskToken, 'GET', `/api/v1/invoices?status=void&from=2026-10-01&to=2026-10-31`);
      expect(list.status).toBe(200);
      const body = list.json<{ invoices: { status: string }[]; totals: { count: number } }>();
      expect(body.totals.count).toBe(seeded.filter((x) => x.voided).length);
      expect(body.invoices.every((i) => i.status === 'void')).toBe(true);
      expect((await api(deskToken, 'GET', '/api/v1/invoices?from=2026-10-31&to=2026-10-01')).status).toBe(422);
      const page = await (await signedInBrowser(t.url, host, desk)).get('/invoices?status=partial');
      expect(page.status).toBe(200);
      expect(page.body).toContain('id="invoice-totals"');

      const theirDoctor = await createDoctor(t.dataSource, other, { fullName: 'Dr. Other' });
      const theirPatient = await createPatient(t.dataSource, other, { firstName: 'Their', lastName: 'Patient' });
      // ids this clinic has not reached, so "not found" can only mean "not this clinic's"
      await asClinic(t.dataSource, other, 'ALTER TABLE invoices ALTER COLUMN id RESTART WITH 900000');
      const theirs = await invoiceFor(other, theirDoctor, theirPatient, '2026-11-10T08:00:00Z', '99.00');
      expect((await api(deskToken, 'GET', `/api/v1/invoices/${theirs}`)).status).toBe(404);
      expect((await api(deskToken, 'POST', `/api/v1/invoices/${theirs}/payments`, { method: 'cash' })).status).toBe(404);
      const [row] = await asClinic<{ status: string }[]>(t.dataSource, other, 'SELECT status FROM invoices WHERE id = $1', [theirs]);
      expect(row.status).toBe('pending');
    });
  });

  describe('another clinic', () => {
    it("gets its own numbers for the same filter (the cache is per clinic), and cannot read this clinic's invoices", async () => {
      const path = '/api/v1/reports/summary?from=2026-10-01&to=2026-10-31';
      const ours = (await api(ownerToken, 'GET', path)).json<Summary>();
      expect(ours.appointments).toBeGreaterThan(100);
      const theirOwner = await createUser(t.dataSource, other, { role: 'admin' });
      const otherHost = `${other.slug}.localhost`;
      const theirToken = await apiToken(t.url, otherHost, theirOwner);
      const theirs = (await api(theirToken, 'GET', path, undefined, otherHost)).json<Summary>();
      expect(theirs).toMatchObject({ revenue: '0.00', unpaid: '0.00', appointments: 0 });
      const [{ id: ourInvoice }] = await asClinic<{ id: string }[]>(t.dataSource, clinic, 'SELECT id FROM invoices ORDER BY id LIMIT 1');
      expect((await api(theirToken, 'GET', `/api/v1/invoices/${ourInvoice}`, undefined, otherHost)).status).toBe(404);
      // our token names our clinic: refused on theirs
      expect((await api(ownerToken, 'GET', path, undefined, otherHost)).status).toBe(401);
    });
  });

  describe('invoice numbers under concurrency', () => {
    it('gives 100 visits completed at once 100 consecutive numbers, no gaps, no duplicates', async () => {
      const doctor = await createUser(t.dataSource, clinic, { role: 'doctor' });
      const [{ id: doctorId }] = await asClinic<{ id: string }[]>(t.dataSource, clinic, 'INSERT INTO doctors (user_id, consultation_fee, slot_minutes) VALUES ($1, 100, 15) RETURNING id', [doctor.id]);
      const ids = await asClinic<{ id: string }[]>(
        t.dataSource,
        clinic,
        `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, cost)
         SELECT $1, $2, timestamptz '2026-11-18 06:00Z' + n * interval '15 minutes', timestamptz '2026-11-18 06:15Z' + n * interval '15 minutes', 'scheduled', 100
           FROM generate_series(0, 99) AS n RETURNING id`,
        [patient.id, doctorId],
      );
      const [{ last: before }] = await asClinic<{ last: string }[]>(t.dataSource, clinic, 'SELECT last_number::text AS last FROM invoice_counter');
      const token = await apiToken(t.url, host, doctor);
      const results = await Promise.all(ids.map(({ id }) => api(token, 'POST', `/api/v1/visits/${id}/complete`, { diagnosis: 'Seen' })));
      expect(results.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);
      const numbers = (
        await asClinic<{ n: string }[]>(t.dataSource, clinic, 'SELECT number::text AS n FROM invoices WHERE appointment_id = ANY($1) ORDER BY number', [ids.map((r) => r.id)])
      ).map((r) => Number(r.n));
      expect(numbers).toEqual(Array.from({ length: 100 }, (_, i) => Number(before) + 1 + i));
    });
  });

  describe('CSV exports', () => {
    it('streams a period\'s appointments and invoices, neutralising cells a spreadsheet would run as formulas', async () => {
      const evil = await createPatient(t.dataSource, clinic, { firstName: '=HYPERLINK("x")', lastName: '+SUM(A1)' });
      await invoiceFor(clinic, doctors[0], evil, '2026-10-15T12:00:00Z', '10.00');
      const browser = await signedInBrowser(t.url, host, owner);
      const csv = await browser.get('/admin/exports/appointments.csv?from=2026-10-01&to=2026-10-31');
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toMatch(/attachment; filename=".*-appointments-2026-10-01-2026-10-31\.csv"/);
      const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
      expect(lines[0]).toBe('date,time,doctor,file_number,patient,phone,status,cost,priority,cancel_reason,appointment_id');
      expect(lines).toHaveLength(1 + 121);
      const row = lines.find((l) => l.includes('HYPERLINK'))!;
      expect(row).toContain(`"'=HYPERLINK(""x"") +SUM(A1)"`);
      expect(row).not.toMatch(/(^|,)"?=/);
      const invoices = await browser.get('/admin/exports/invoices.csv?from=2026-10-01&to=2026-10-31');
      expect(invoices.body).toContain(`"'=HYPERLINK(""x"") +SUM(A1)"`);
      expect((await (await signedInBrowser(t.url, host, desk)).get('/admin/exports/invoices.csv')).status).toBe(403);
    });

    it('pages through more rows than one query page without losing or repeating any', async () => {
      await asClinic(
        t.dataSource,
        clinic,
        `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, cost)
         SELECT $1, $2, timestamptz '2026-09-01 05:00Z' + n * interval '20 minutes', timestamptz '2026-09-01 05:15Z' + n * interval '20 minutes', 'completed', 100
           FROM generate_series(0, 1204) AS n`,
        [patient.id, doctors[1].doctorId],
      );
      const csv = await (await signedInBrowser(t.url, host, owner)).get('/admin/exports/appointments.csv?from=2026-09-01&to=2026-09-30');
      const ids = csv.body.trim().split('\r\n').slice(1).map((l) => l.split(',').at(-1));
      expect(ids).toHaveLength(1205);
      expect(new Set(ids).size).toBe(1205);
    });
  });
});
