import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import { runCli } from '../../scripts/tenant';
import { JobsRunner } from '../../src/jobs/jobs-runner.service';
import type { OutboxRow } from '../../src/outbox/notice';
import { SENDER_FAULTS, type SenderFaults } from '../../src/outbox/outbox-sender.service';
import type { Tenant } from '../../src/platform/tenant';
import { ClinicClient, ManualClock } from '../support/clinic-client';
import { createDoctor, createPatient, type TestDoctor, type TestPatient } from '../support/front-desk';
import type { HttpResponse } from '../support/http';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string[]> } };
const error = (res: HttpResponse) => res.json<ErrorBody>().error;

/** A simulated crash: the sender stops where the hook throws, leaving its row as a killed process would. */
class Crash extends Error {}

/** The hooks the tests arm (shared by both app instances). */
const faults: SenderFaults = {};

@Global()
@Module({ providers: [{ provide: SENDER_FAULTS, useValue: faults }], exports: [SENDER_FAULTS] })
class FaultsModule {}

describe('automation: no-shows, penalties, notices, reminders, waitlist', () => {
  // Monday 2026-11-23, 09:00 in Cairo (UTC+2)
  const clock = new ManualClock(Date.parse('2026-11-23T07:00:00Z'));
  const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());
  const cairo = (date: string, time: string) => `${date}T${time}:00+02:00`;
  const dataDir = mkdtempSync(join(tmpdir(), 'clinic-automation-'));
  let t: TestApp;
  /** A second instance on the same database: no memory shared with the first. */
  let t2: TestApp;
  let clinic: Tenant;
  let other: Tenant;
  let host: string;
  let ahmed: TestDoctor;
  let amir: TestPatient;
  let bob: TestPatient;
  let carol: TestPatient;
  let admin: TestUser;
  let reception: TestUser;
  let receptionToken: { token: string; at: number } | undefined;

  const sql = <T = Record<string, unknown>[]>(query: string, params: unknown[] = [], at = clinic) => asClinic<T>(t.dataSource, at, query, params);
  /** Reception's API calls; signed in again when the clock has moved on (an idle session ends by the app's clock without Redis). */
  const api = async (method: string, path: string, body?: unknown) => {
    if (!receptionToken || receptionToken.at !== clock.now().getTime()) receptionToken = { token: await apiToken(t.url, host, reception), at: clock.now().getTime() };
    return apiCall(t.url, host, receptionToken.token, method, path, body);
  };
  const run = (app: TestApp = t, slug = clinic.slug) => app.app.get(JobsRunner).runAll({ clinic: slug });
  const mailbox = (at = clinic): string[] => {
    try {
      return readdirSync(join(dataDir, 'outbox', `${at.slug}--${at.id}`)).filter((f) => f.endsWith('.eml')).sort();
    } catch {
      return [];
    }
  };
  const mail = (file: string, at = clinic) => readFileSync(join(dataDir, 'outbox', `${at.slug}--${at.id}`, file), 'utf8');
  /** A delivered message as a mail client reads it (decoded). */
  const message = async (file: string) => {
    const parsed = await simpleParser(mail(file));
    return { to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : parsed.to?.text, subject: parsed.subject ?? '', text: parsed.text ?? '' };
  };
  const LINK = /http:\/\/\S+\/l\/[0-9.A-Za-z_-]+/;
  const linkIn = async (file: string) => LINK.exec((await message(file)).text)![0];
  const rows = (kind?: string) =>
    sql<Pick<OutboxRow, 'kind' | 'dedupeKey' | 'status' | 'recipient' | 'attempts'>[]>(
      `SELECT kind, dedupe_key AS "dedupeKey", status, recipient, attempts FROM outbox WHERE $1::text IS NULL OR kind = $1 ORDER BY id`,
      [kind ?? null],
    );
  const statusOf = async (id: string) => (await sql<{ status: string }[]>('SELECT status FROM appointments WHERE id = $1', [id]))[0].status;

  async function book(patient: TestPatient, date: string, time: string): Promise<string> {
    const res = await api('POST', '/api/v1/appointments', { patientId: patient.id, doctorId: ahmed.doctorId, date, time });
    if (res.status !== 201) throw new Error(`booking ${date} ${time}: ${res.status} ${res.body}`);
    return res.json<{ id: string }>().id;
  }

  beforeAll(async () => {
    // two instances share only the database (and Redis, when there is one); t2 only runs jobs. It
    // starts first: passport's strategies are process-global, and HTTP goes to the app started last
    const env = { DATA_DIR: dataDir, SIGN_IN_RATE_LIMIT: '10000', DB_POOL_MAX: '12', ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}) };
    t2 = await startTestApp({ clock, env, imports: [FaultsModule] });
    t = await startTestApp({ clock, env, imports: [FaultsModule] });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('auto') });
    other = await createClinic(t.dataSource, { slug: uniqueSlug('auto-b') });
    host = `${clinic.slug}.localhost`;
    ahmed = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan' });
    amir = await createPatient(t.dataSource, clinic, { firstName: 'Amir', lastName: 'Hassan', phone: '+201001234567', username: 'amir' });
    bob = await createPatient(t.dataSource, clinic, { firstName: 'Bob', lastName: 'Salem', phone: '+201001234568', username: 'bob' });
    carol = await createPatient(t.dataSource, clinic, { firstName: 'Carol', lastName: 'Nabil' });
    await sql(`UPDATE patients SET email = lower(first_name) || '@example.com' WHERE id = ANY($1)`, [[amir.id, bob.id]]);
    await sql(`UPDATE clinic_settings SET no_show_penalty = 50, contact_phone = '+20223456789', address = '12 Tahrir St, Cairo'`);
    admin = await createUser(t.dataSource, clinic, { role: 'admin' });
    reception = await createUser(t.dataSource, clinic, { role: 'reception' });
  });

  afterEach(() => {
    delete faults.beforeSend;
    delete faults.afterSend;
  });

  afterAll(async () => {
    await t2?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('the no-show sweep', () => {
    let ids: string[];

    it('confirms each booking by e-mail once; a patient without an address gets a skipped row, not a lost one', async () => {
      setClock('2026-11-23T07:00:00Z');
      ids = [await book(amir, '2026-11-23', '09:15'), await book(bob, '2026-11-23', '09:30'), await book(carol, '2026-11-23', '09:45')];
      await run();
      const confirmations = await rows('booking_confirmation');
      expect(confirmations.map((r) => r.status)).toEqual(['sent', 'sent', 'skipped']);
      expect(confirmations[0].dedupeKey).toBe(`booking:${ids[0]}:${Date.parse(cairo('2026-11-23', '09:15')) / 1000}`);
      const files = mailbox().filter((f) => f.startsWith('booking-'));
      expect(files).toHaveLength(2);
      const confirmation = await message(files.find((f) => f.includes(`-${ids[0]}-`))!);
      expect(confirmation.to).toBe('amir@example.com');
      expect(confirmation.text).toContain('Your appointment with Dr. Ahmed Hassan is booked for Monday 23 November 2026 at 09:15.');
      expect(confirmation.text).toContain('12 Tahrir St, Cairo');
    });

    it('leaves an appointment alone until its end plus the grace period', async () => {
      setClock(cairo('2026-11-23', '10:00')); // 09:15-09:30 ended 30 min ago: not more than the grace
      expect((await run()).clinics[0].noShows).toBe(0);
      expect(await statusOf(ids[0])).toBe('scheduled');
    });

    it('marks overdue appointments once, with one penalty and one notice each, however often and on however many instances it runs', async () => {
      setClock(cairo('2026-11-23', '11:00'));
      const [first, second] = await Promise.all([run(t), run(t2)]);
      const third = await run(t);
      const marked = [first, second, third].map((s) => s.clinics[0].noShows);
      expect(marked.reduce((a, b) => a + b)).toBe(3);
      for (const id of ids) expect(await statusOf(id)).toBe('no_show');
      const penalties = await sql<{ appointment_id: string; amount: string; status: string }[]>(
        'SELECT appointment_id::text, amount::text, status FROM penalties WHERE appointment_id = ANY($1) ORDER BY appointment_id',
        [ids],
      );
      expect(penalties).toEqual(ids.map((id) => ({ appointment_id: id, amount: '50.00', status: 'unpaid' })).sort((a, b) => Number(a.appointment_id) - Number(b.appointment_id)));
      const notices = await rows('no_show');
      expect(notices.map((n) => [n.dedupeKey, n.status])).toEqual([
        [`no_show:${ids[0]}`, 'sent'],
        [`no_show:${ids[1]}`, 'sent'],
        [`no_show:${ids[2]}`, 'skipped'],
      ]);
      const files = mailbox().filter((f) => f.startsWith('no_show-'));
      expect(files).toEqual([`no_show-${ids[0]}.eml`, `no_show-${ids[1]}.eml`]);
      expect((await message(files[0])).text).toContain('A missed-appointment fee of 50.00 EGP applies');
      const audit = await sql<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'appointment.no_show' AND details->>'by' = 'sweep'`);
      expect(audit[0].n).toBe(3);
    });

    it('never marks a checked-in, completed or cancelled appointment', async () => {
      setClock(cairo('2026-11-23', '11:00'));
      const came = await book(amir, '2026-11-23', '12:00');
      const seen = await book(bob, '2026-11-23', '12:15');
      const called = await book(carol, '2026-11-23', '12:30');
      setClock(cairo('2026-11-23', '12:05'));
      expect((await api('POST', `/api/v1/appointments/${came}/status`, { status: 'checked_in' })).status).toBe(200);
      expect((await api('POST', `/api/v1/appointments/${called}/status`, { status: 'cancelled', reason: 'Phoned in sick' })).status).toBe(200);
      await sql(`UPDATE appointments SET status = 'completed' WHERE id = $1`, [seen]);
      setClock(cairo('2026-11-23', '18:00'));
      await run();
      expect([await statusOf(came), await statusOf(seen), await statusOf(called)]).toEqual(['checked_in', 'completed', 'cancelled']);
      expect(await sql('SELECT id FROM penalties WHERE appointment_id = ANY($1)', [[came, seen, called]])).toEqual([]);
    });

    it('touches only the clinic it runs for, and only overdue scheduled rows of it', async () => {
      const otherDoctor = await createDoctor(t.dataSource, other, { fullName: 'Dr. Other' });
      const otherPatient = await createPatient(t.dataSource, other, { firstName: 'Olga' });
      const [row] = await sql<{ id: string }[]>(
        `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at) VALUES ($1, $2, $3, $4) RETURNING id::text`,
        [otherPatient.id, otherDoctor.doctorId, cairo('2026-11-23', '09:00'), cairo('2026-11-23', '09:15')],
        other,
      );
      await run(t, clinic.slug);
      expect((await sql<{ status: string }[]>('SELECT status FROM appointments WHERE id = $1', [row.id], other))[0].status).toBe('scheduled');
      await run(t, other.slug);
      expect((await sql<{ status: string }[]>('SELECT status FROM appointments WHERE id = $1', [row.id], other))[0].status).toBe('no_show');
      expect(mailbox(other)).toEqual([]); // Olga has no address; nothing of hers lands in this clinic's mailbox either
    });
  });

  describe('exactly once, through crashes', () => {
    it('a crash after marking the no-show and before sending: the rerun sends the notice once', async () => {
      setClock(cairo('2026-11-24', '09:00'));
      const id = await book(amir, '2026-11-24', '10:00');
      await run(); // the booking confirmation goes out
      setClock(cairo('2026-11-24', '11:00'));
      faults.beforeSend = () => {
        throw new Crash('killed before sending');
      };
      const crashed = await run();
      expect(crashed.clinics[0].error).toBe('killed before sending');
      expect(await statusOf(id)).toBe('no_show');
      expect(mailbox()).not.toContain(`no_show-${id}.eml`);
      expect((await rows('no_show')).find((r) => r.dedupeKey === `no_show:${id}`)?.status).toBe('sending');

      delete faults.beforeSend;
      await run(); // the claim is still fresh: a live sender may be mid-send, so nobody takes it
      expect(mailbox()).not.toContain(`no_show-${id}.eml`);
      clock.advance(11 * 60_000); // past the sender's lease
      await run();
      await run();
      expect(mailbox().filter((f) => f === `no_show-${id}.eml`)).toHaveLength(1);
      expect((await rows('no_show')).find((r) => r.dedupeKey === `no_show:${id}`)).toMatchObject({ status: 'sent', attempts: 2 });
    });

    it('a crash after sending and before recording it: the rerun does not deliver a second message', async () => {
      setClock(cairo('2026-11-24', '12:00'));
      const id = await book(bob, '2026-11-24', '13:00');
      faults.afterSend = () => {
        throw new Crash('killed after sending');
      };
      await run();
      const file = `booking-${id}-${Date.parse(cairo('2026-11-24', '13:00')) / 1000}.eml`;
      expect(mailbox()).toContain(file);
      const delivered = mail(file);
      delete faults.afterSend;
      clock.advance(11 * 60_000);
      await run();
      expect(mailbox().filter((f) => f === file)).toHaveLength(1);
      expect(mail(file)).toBe(delivered);
      expect((await rows('booking_confirmation')).find((r) => r.dedupeKey.startsWith(`booking:${id}:`))?.status).toBe('sent');
    });
  });

  describe('penalties', () => {
    let penaltyId: string;
    let adminBrowser: ClinicClient;
    let receptionBrowser: ClinicClient;

    beforeAll(async () => {
      [{ id: penaltyId }] = await sql<{ id: string }[]>(
        `SELECT pe.id::text FROM penalties pe WHERE pe.patient_id = $1 AND pe.status = 'unpaid' ORDER BY pe.id LIMIT 1`,
        [amir.id],
      );
      adminBrowser = await signedInBrowser(t.url, host, admin);
      receptionBrowser = await signedInBrowser(t.url, host, reception);
    });

    it('shows them on the patient profile: reception may mark paid, only the owner may waive', async () => {
      const page = await receptionBrowser.get(`/patients/${amir.id}`);
      expect(page.body).toContain(`data-penalty="${penaltyId}"`);
      expect(page.body).toContain(`action="/penalties/${penaltyId}/pay"`);
      expect(page.body).not.toContain(`action="/penalties/${penaltyId}/waive"`);
      expect((await receptionBrowser.post(`/penalties/${penaltyId}/waive`, { reason: 'Nice person' })).status).toBe(403);
      expect((await adminBrowser.get(`/patients/${amir.id}`)).body).toContain(`action="/penalties/${penaltyId}/waive"`);
    });

    it('refuses a waiver without a reason, then waives with one (audited); a second waiver is a 409', async () => {
      const bare = await adminBrowser.post(`/penalties/${penaltyId}/waive`, { reason: ' ' });
      expect(bare.status).toBe(422);
      expect(bare.body).toContain('Say why the penalty is waived');
      expect((await sql<{ status: string }[]>('SELECT status FROM penalties WHERE id = $1', [penaltyId]))[0].status).toBe('unpaid');
      const done = await adminBrowser.post(`/penalties/${penaltyId}/waive`, { reason: 'Hospitalised that day' });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe(`/patients/${amir.id}#penalties`);
      expect(await sql('SELECT status, waive_reason FROM penalties WHERE id = $1', [penaltyId])).toEqual([{ status: 'waived', waive_reason: 'Hospitalised that day' }]);
      expect(await sql(`SELECT details->>'reason' AS reason FROM audit_log WHERE action = 'penalty.waived' AND entity_id = $1`, [penaltyId])).toEqual([
        { reason: 'Hospitalised that day' },
      ]);
      const again = await adminBrowser.post(`/penalties/${penaltyId}/waive`, { reason: 'Twice' });
      expect(again.status).toBe(409);
      expect(again.body).toContain('already waived');
    });

    it('reception marks one paid through the API; the owner undoes a mistaken no-show, which waives its unpaid penalty', async () => {
      const [bobsPenalty] = await sql<{ id: string }[]>(`SELECT id::text FROM penalties WHERE patient_id = $1 AND status = 'unpaid' ORDER BY id LIMIT 1`, [bob.id]);
      const paid = await api('POST', `/api/v1/penalties/${bobsPenalty.id}/pay`);
      expect(paid.status).toBe(200);
      expect(paid.json<{ status: string }>().status).toBe('paid');

      const [mistake] = await sql<{ appointment_id: string; id: string }[]>(
        `SELECT appointment_id::text, id::text FROM penalties WHERE patient_id = $1 AND status = 'unpaid' ORDER BY id LIMIT 1`,
        [amir.id],
      );
      const noReason = await adminBrowser.post(`/appointments/${mistake.appointment_id}/reverse-no-show`, {});
      expect(noReason.status).toBe(422);
      const undone = await adminBrowser.post(`/appointments/${mistake.appointment_id}/reverse-no-show`, { reason: 'He was in the waiting room' });
      expect(undone.status).toBe(303);
      expect(await statusOf(mistake.appointment_id)).toBe('checked_in');
      expect((await sql<{ status: string; waive_reason: string }[]>('SELECT status, waive_reason FROM penalties WHERE id = $1', [mistake.id]))[0]).toEqual({
        status: 'waived',
        waive_reason: 'No-show reversed: He was in the waiting room',
      });
      expect((await adminBrowser.post(`/appointments/${mistake.appointment_id}/reverse-no-show`, { reason: 'again' })).status).toBe(409);
      // a checked-in appointment is never swept back
      setClock(cairo('2026-11-30', '12:00'));
      await run();
      expect(await statusOf(mistake.appointment_id)).toBe('checked_in');
    });

    it("refuses another clinic's penalty and appointment ids with 404", async () => {
      adminBrowser = await signedInBrowser(t.url, host, admin);
      const otherDoctor = await createDoctor(t.dataSource, other, { fullName: 'Dr. Elsewhere' });
      const [otherPatient] = await sql<{ id: string }[]>(
        `INSERT INTO patients (id, first_name, last_name, date_of_birth, gender) OVERRIDING SYSTEM VALUE VALUES (900001, 'Zed', 'Elsewhere', '1990-01-01', 'male') RETURNING id::text`,
        [],
        other,
      );
      const [a] = await sql<{ id: string }[]>(
        // ids no row of this test's clinic has, so a 404 can only mean "not this clinic's"
        `INSERT INTO appointments (id, patient_id, doctor_id, starts_at, ends_at, status, no_show_at) OVERRIDING SYSTEM VALUE
         VALUES (900001, $1, $2, $3, $4, 'no_show', $4) RETURNING id::text`,
        [otherPatient.id, otherDoctor.doctorId, cairo('2026-11-20', '09:00'), cairo('2026-11-20', '09:15')],
        other,
      );
      const [p] = await sql<{ id: string }[]>(`INSERT INTO penalties (id, appointment_id, patient_id, amount) OVERRIDING SYSTEM VALUE VALUES (900001, $1, $2, 80) RETURNING id::text`, [a.id, otherPatient.id], other);
      expect((await api('POST', `/api/v1/penalties/${p.id}/pay`)).status).toBe(404);
      expect((await adminBrowser.post(`/penalties/${p.id}/waive`, { reason: 'x' })).status).toBe(404);
      expect((await adminBrowser.post(`/appointments/${a.id}/reverse-no-show`, { reason: 'x' })).status).toBe(404);
      expect((await api('GET', `/api/v1/patients/${otherPatient.id}/penalties`)).status).toBe(404);
      expect(await sql('SELECT status FROM penalties WHERE id = $1', [p.id], other)).toEqual([{ status: 'unpaid' }]);
    });

    it('reports no-shows per doctor and patient, late cancellations and what is outstanding', async () => {
      setClock(cairo('2026-11-30', '12:00'));
      adminBrowser = await signedInBrowser(t.url, host, admin);
      const report = await adminBrowser.get('/admin/no-shows?from=2026-11-01&to=2026-11-30');
      expect(report.status).toBe(200);
      const [expected] = await sql<{ no_shows: number; total: number; late: number; outstanding: string }[]>(
        `SELECT count(*) FILTER (WHERE status = 'no_show')::int AS no_shows, count(*)::int AS total, count(*) FILTER (WHERE late_cancellation)::int AS late,
                (SELECT coalesce(sum(amount), 0)::text FROM penalties WHERE status = 'unpaid' AND amount > 0) AS outstanding
           FROM appointments WHERE starts_at >= $1 AND starts_at < $2`,
        [cairo('2026-11-01', '00:00'), cairo('2026-12-01', '00:00')],
      );
      expect(expected.no_shows).toBeGreaterThan(0);
      expect(report.body).toContain(`<dd id="total-no-shows">${expected.no_shows}</dd>`);
      expect(report.body).toContain(`<dd id="total-appointments">${expected.total}</dd>`);
      expect(report.body).toContain(`<dd id="total-late-cancellations">${expected.late}</dd>`);
      expect(report.body).toContain(`<dd id="outstanding">${expected.outstanding} `);
      const json = await apiCall(t.url, host, await apiToken(t.url, host, admin), 'GET', '/api/v1/reports/no-shows?from=2026-11-01&to=2026-11-30');
      expect(json.json<{ totals: { noShows: number } }>().totals.noShows).toBe(expected.no_shows);
      expect((await adminBrowser.get('/admin/no-shows?from=2026-11-30&to=2026-11-01')).status).toBe(422);
    });
  });

  describe('late cancellations', () => {
    it('records a cancellation inside the online cut-off as late, and one before it as not', async () => {
      setClock(cairo('2026-12-01', '09:00'));
      const early = await book(amir, '2026-12-02', '10:00');
      const late = await book(bob, '2026-12-01', '10:00'); // the cut-off is 2 hours: it has passed
      for (const id of [early, late]) expect((await api('POST', `/api/v1/appointments/${id}/status`, { status: 'cancelled', reason: 'Phoned' })).status).toBe(200);
      expect(await sql('SELECT id::text AS id, late_cancellation FROM appointments a WHERE a.id = ANY($1) ORDER BY a.id', [[early, late]])).toEqual([
        { id: early, late_cancellation: false },
        { id: late, late_cancellation: true },
      ]);
      expect((await api('GET', `/api/v1/appointments/${late}`)).json<{ lateCancellation: boolean }>().lateCancellation).toBe(true);
    });
  });

  describe('reminders and their links', () => {
    let tomorrow: string;
    let link: string;

    const pathOf = (url: string) => new URL(url).pathname;

    it('reminds 24 hours ahead, once, with a link; not for an appointment booked inside the window', async () => {
      setClock(cairo('2026-12-07', '09:00'));
      tomorrow = await book(amir, '2026-12-08', '11:00');
      const sameDay = await book(bob, '2026-12-07', '16:00');
      setClock(cairo('2026-12-07', '10:00'));
      await run();
      expect((await rows('reminder')).filter((r) => r.dedupeKey.includes(`:${tomorrow}:`) || r.dedupeKey.includes(`:${sameDay}:`))).toEqual([]);
      setClock(cairo('2026-12-07', '11:05'));
      await Promise.all([run(t), run(t2)]);
      await run();
      const reminders = (await rows('reminder')).filter((r) => r.dedupeKey.startsWith(`reminder:${tomorrow}:`));
      expect(reminders).toEqual([expect.objectContaining({ status: 'sent', recipient: 'amir@example.com' })]);
      expect((await rows('reminder')).some((r) => r.dedupeKey.startsWith(`reminder:${sameDay}:`))).toBe(false);
      const file = mailbox().find((f) => f.startsWith(`reminder-${tomorrow}-`))!;
      expect((await message(file)).subject).toBe('Reminder: Dr. Ahmed Hassan tomorrow, Tuesday 8 December 2026 at 11:00');
      link = await linkIn(file);
      expect(link.startsWith(`http://${clinic.slug}.localhost:`)).toBe(true);
    });

    it('shows the appointment without signing in and changes nothing by being opened', async () => {
      const visitor = new ClinicClient(t.url, host);
      const page = await visitor.get(pathOf(link));
      expect(page.status).toBe(200);
      expect(page.body).toContain('Tuesday 8 December 2026 at 11:00');
      expect(page.body).toContain('I am coming');
      expect(await sql('SELECT confirmed_at FROM appointments WHERE id = $1', [tomorrow])).toEqual([{ confirmed_at: null }]);
    });

    it('refuses a tampered link, and the same link on another clinic', async () => {
      const path = pathOf(link);
      const [id, expires, signature] = path.slice(3).split('.');
      const visitor = new ClinicClient(t.url, host);
      for (const bad of [`${Number(id) + 1}.${expires}.${signature}`, `${id}.${Number(expires) + 3600}.${signature}`, `${id}.${expires}.${signature.slice(0, -2)}AA`, 'nonsense']) {
        const res = await visitor.get(`/l/${bad}`);
        expect(res.status).toBe(404);
        expect(res.body).toContain('This link is not valid');
      }
      const elsewhere = new ClinicClient(t.url, `${other.slug}.localhost`);
      expect((await elsewhere.get(path)).status).toBe(404);
      await elsewhere.primeCsrf('/login');
      expect((await elsewhere.post(path, { action: 'cancel' })).status).toBe(404);
      expect(await statusOf(tomorrow)).toBe('scheduled');
    });

    it('confirms once: the second use is refused and changes nothing; the front desk sees it at once', async () => {
      setClock(cairo('2026-12-08', '08:00')); // the day itself, before the appointment: the link still works
      const desk = await signedInBrowser(t.url, host, reception);
      const row = new RegExp(`id="appointment-${tomorrow}"[\\s\\S]*?</tr>`);
      expect(row.exec((await desk.get('/reception')).body)![0]).not.toContain('confirmed by the patient'); // and now the board is cached
      const visitor = new ClinicClient(t.url, host);
      await visitor.get(pathOf(link));
      const cancelInstead = await visitor.post(pathOf(link), { action: 'accept' });
      expect(cancelInstead.status).toBe(422);
      const done = await visitor.post(pathOf(link), { action: 'confirm' });
      expect(done.status).toBe(200);
      expect(done.body).toContain('your appointment is confirmed');
      const again = await visitor.post(pathOf(link), { action: 'cancel' });
      expect(again.status).toBe(409);
      expect(again.body).toContain('already confirmed');
      expect(await statusOf(tomorrow)).toBe('scheduled');
      expect((await api('GET', `/api/v1/appointments/${tomorrow}`)).json<{ confirmedAt: string | null }>().confirmedAt).not.toBeNull();
      expect(row.exec((await desk.get('/reception')).body)![0]).toContain('confirmed by the patient');
    });

    it('cancels from the link before the cut-off (with a notice), refuses inside it, and expires at the start', async () => {
      setClock(cairo('2026-12-08', '09:00'));
      const other1 = await book(bob, '2026-12-09', '09:00');
      const other2 = await book(amir, '2026-12-09', '12:00');
      setClock(cairo('2026-12-08', '12:30'));
      await run();
      const linkOf = async (id: string) => pathOf(await linkIn(mailbox().find((f) => f.startsWith(`reminder-${id}-`))!));
      const [first, second] = [await linkOf(other1), await linkOf(other2)];
      const visitor = new ClinicClient(t.url, host);
      await visitor.get(first);
      const cancelled = await visitor.post(first, { action: 'cancel' });
      expect(cancelled.status).toBe(200);
      expect(await statusOf(other1)).toBe('cancelled');
      expect((await rows('cancellation')).some((r) => r.dedupeKey === `cancellation:${other1}`)).toBe(true);

      setClock(cairo('2026-12-09', '10:30')); // 90 minutes before 12:00: inside the 2-hour cut-off
      await visitor.get(second);
      const refused = await visitor.post(second, { action: 'cancel' });
      expect(refused.status).toBe(422);
      expect(refused.body).toContain('02 23456789');
      expect(await statusOf(other2)).toBe('scheduled');

      setClock(cairo('2026-12-09', '12:00'));
      const expired = await visitor.get(second);
      expect(expired.status).toBe(410);
      expect(expired.body).toContain('This link has expired');
    });
  });

  describe('the waitlist', () => {
    let freed: string;

    it('takes a patient onto a doctor’s waitlist once, with clear refusals', async () => {
      setClock(cairo('2026-12-14', '09:00'));
      const add = (patientId: string, fromDate = '2026-12-15', toDate = '2026-12-18') => api('POST', '/api/v1/waitlist', { patientId, doctorId: ahmed.doctorId, fromDate, toDate });
      expect((await add(amir.id)).status).toBe(201);
      const twice = await add(amir.id);
      expect(twice.status).toBe(409);
      expect(error(twice).message).toContain('already on Dr. Ahmed Hassan');
      expect(error(await add(bob.id, '2026-12-18', '2026-12-15')).fields?.toDate).toBeDefined();
      expect((await add(bob.id, '2026-12-01', '2026-12-05')).status).toBe(422);
      expect((await add(bob.id, '2026-12-15', '2027-06-01')).status).toBe(422);
      // bob joins himself, in the portal
      const bobBrowser = await signedInBrowser(t.url, host, { id: '', username: 'bob', phone: '+201001234568', fullName: 'Bob', role: 'patient' });
      expect((await bobBrowser.get('/portal/waitlist')).status).toBe(200);
      const joined = await bobBrowser.post('/portal/waitlist', { doctorId: ahmed.doctorId, fromDate: '2026-12-16', toDate: '2026-12-16' });
      expect(joined.status).toBe(303);
      const list = (await api('GET', `/api/v1/waitlist?doctorId=${ahmed.doctorId}`)).json<{ entries: { patientId: string }[] }>().entries;
      expect(list.map((e) => e.patientId)).toEqual([amir.id, bob.id]);
    });

    it('offers a freed time to the waiting patients in order; two accepting at once make one booking, and the other is told it is gone', async () => {
      freed = await book(carol, '2026-12-16', '10:00');
      const cancelled = await api('POST', `/api/v1/appointments/${freed}/status`, { status: 'cancelled', reason: 'Travelling' });
      expect(cancelled.status).toBe(200);
      await run();
      const offers = await rows('waitlist_offer');
      expect(offers.map((o) => [o.recipient, o.status])).toEqual([
        ['amir@example.com', 'sent'],
        ['bob@example.com', 'sent'],
      ]);
      const links = await Promise.all(mailbox().filter((f) => f.startsWith('waitlist_offer-')).map(async (f) => new URL(await linkIn(f)).pathname));
      expect(links).toHaveLength(2);
      const browsers = links.map(() => new ClinicClient(t.url, host));
      await Promise.all(browsers.map((b, i) => b.get(links[i])));
      const answers = await Promise.all(browsers.map((b, i) => b.post(links[i], { action: 'accept' })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.status === 409)!.body).toContain('taken by another patient first');
      const booked = await sql<{ patient_id: string }[]>(
        `SELECT patient_id::text FROM appointments WHERE doctor_id = $1 AND starts_at = $2 AND status <> 'cancelled'`,
        [ahmed.doctorId, cairo('2026-12-16', '10:00')],
      );
      expect(booked).toHaveLength(1);
      expect([amir.id, bob.id]).toContain(booked[0].patient_id);
      const entries = await sql<{ patient_id: string; status: string }[]>(`SELECT patient_id::text, status FROM waitlist ORDER BY id`);
      expect(entries.filter((e) => e.status === 'booked').map((e) => e.patient_id)).toEqual([booked[0].patient_id]);
      expect(entries.filter((e) => e.status === 'waiting')).toHaveLength(1);
      // the winner's link is spent too
      const winner = answers.findIndex((a) => a.status === 200);
      expect((await browsers[winner].post(links[winner], { action: 'accept' })).status).toBe(409);
    });

    it("cannot remove another patient's or another clinic's entry", async () => {
      const [entry] = await sql<{ id: string }[]>(`SELECT id::text FROM waitlist WHERE status = 'waiting' ORDER BY id LIMIT 1`);
      const carolsPortal = await createUser(t.dataSource, clinic, { role: 'patient', phone: '+201001112223', username: 'carol' });
      await sql('UPDATE patients SET user_id = $1 WHERE id = $2', [carolsPortal.id, carol.id]);
      const carolToken = await apiToken(t.url, host, carolsPortal);
      expect((await apiCall(t.url, host, carolToken, 'DELETE', `/api/v1/portal/waitlist/${entry.id}`)).status).toBe(404);
      const otherReception = await createUser(t.dataSource, other, { role: 'reception' });
      const otherToken = await apiToken(t.url, `${other.slug}.localhost`, otherReception);
      expect((await apiCall(t.url, `${other.slug}.localhost`, otherToken, 'DELETE', `/api/v1/waitlist/${entry.id}`)).status).toBe(404);
      expect(await sql('SELECT status FROM waitlist WHERE id = $1', [entry.id])).toEqual([{ status: 'waiting' }]);
      expect((await api('DELETE', `/api/v1/waitlist/${entry.id}`)).status).toBe(204);
    });
  });

  describe('the clinic’s rules for the jobs', () => {
    it('lets the owner set the grace period, the penalty and reminders, with clear refusals', async () => {
      const owner = await apiToken(t.url, host, admin);
      const patch = (body: unknown) => apiCall(t.url, host, owner, 'PATCH', '/api/v1/settings', body);
      expect(error(await patch({ noShowGraceMinutes: 2000 })).fields?.noShowGraceMinutes?.[0]).toContain('from 0 to 1440');
      expect(error(await patch({ noShowPenalty: '12.345' })).fields?.noShowPenalty?.[0]).toContain('what a no-show costs');
      expect((await patch({ remindersEnabled: 'maybe' })).status).toBe(422);
      const saved = await patch({ noShowGraceMinutes: 60, noShowPenalty: 75, remindersEnabled: false });
      expect(saved.status).toBe(200);
      expect(saved.json<{ automation: unknown }>().automation).toEqual({ noShowGraceMinutes: 60, noShowPenalty: '75.00', remindersEnabled: false });
      const [audit] = await sql<{ details: Record<string, unknown> }[]>(`SELECT details FROM audit_log WHERE action = 'settings.updated' ORDER BY id DESC LIMIT 1`);
      expect(audit.details).toEqual({ noShowGraceMinutes: 60, noShowPenalty: '75.00', remindersEnabled: false });

      // the form sends a hidden "false" before the box: unticked stays false, ticked is true
      const browser = await signedInBrowser(t.url, host, admin);
      const form = (await browser.get('/admin/settings')).body;
      expect(form).toContain('name="noShowGraceMinutes"');
      expect(form).not.toMatch(/id="remindersEnabled"[^>]* checked/);
      const fields = { maxFutureAppointments: '2', minHoursAhead: '1', maxDaysAhead: '60', cancelCutoffHours: '2', noShowGraceMinutes: '60', noShowPenalty: '75' };
      const body = new URLSearchParams({ ...fields, remindersEnabled: 'false', _csrf: browser.csrfToken });
      body.append('remindersEnabled', 'true');
      const ticked = await browser.request('POST', '/admin/settings', { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(ticked.status).toBe(303);
      expect((await sql<{ reminders_enabled: boolean }[]>('SELECT reminders_enabled FROM clinic_settings'))[0].reminders_enabled).toBe(true);
      await patch({ remindersEnabled: false });
    });

    it('follows them: no reminder while reminders are off, and a no-show only after the clinic’s grace', async () => {
      setClock(cairo('2026-12-20', '09:00'));
      const later = await book(amir, '2026-12-22', '09:00');
      const soon = await book(bob, '2026-12-20', '10:00');
      setClock(cairo('2026-12-21', '10:00'));
      await run();
      expect((await rows('reminder')).some((r) => r.dedupeKey.startsWith(`reminder:${later}:`))).toBe(false);
      expect(await statusOf(soon)).toBe('no_show');
      const [fee] = await sql<{ amount: string }[]>('SELECT amount::text FROM penalties WHERE appointment_id = $1', [soon]);
      expect(fee.amount).toBe('75.00');

      const close = await book(amir, '2026-12-21', '10:15');
      setClock(cairo('2026-12-21', '11:10')); // ended 10:30, 40 minutes ago: inside the 60-minute grace
      await run();
      expect(await statusOf(close)).toBe('scheduled');
      clock.advance(21 * 60_000);
      await run();
      expect(await statusOf(close)).toBe('no_show');
      await sql(`UPDATE clinic_settings SET no_show_grace_minutes = 30, reminders_enabled = true, no_show_penalty = 50`);
    });
  });

  describe('the outbox page and the operator', () => {
    it('lists the clinic’s notices for the owner only, and 404s another clinic’s', async () => {
      const adminBrowser = await signedInBrowser(t.url, host, admin);
      const page = await adminBrowser.get('/admin/outbox');
      expect(page.status).toBe(200);
      expect(page.body).toContain('development mailbox');
      expect(page.body).toContain('amir@example.com');
      // the newest: the other clinic's outbox has far fewer rows, so no row of its own has this id
      const [mine] = await sql<{ id: string }[]>(`SELECT id::text FROM outbox ORDER BY id DESC LIMIT 1`);
      expect((await adminBrowser.get(`/admin/outbox/${mine.id}`)).body).toContain('Dear ');
      expect((await (await signedInBrowser(t.url, host, reception)).get('/admin/outbox')).status).toBe(403);
      const otherAdmin = await createUser(t.dataSource, other, { role: 'admin' });
      const otherBrowser = await signedInBrowser(t.url, `${other.slug}.localhost`, otherAdmin);
      expect((await otherBrowser.get(`/admin/outbox/${mine.id}`)).status).toBe(404);
    });

    it('run-jobs runs every clinic and prints what it did; a failing clinic does not stop the others', async () => {
      setClock('2026-12-28T10:00:00Z');
      const cli = async (...argv: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false }, {
          DATABASE_URL: process.env.DATABASE_URL,
          NODE_ENV: 'test',
          BASE_DOMAIN: 'localhost',
          DATA_DIR: dataDir,
          JWT_SECRET: t.config.jwtSecret,
        });
        return { code, out: out.join('\n'), err: err.join('\n') };
      };
      const one = await cli('run-jobs', '--clinic', clinic.slug);
      expect(one.code).toBe(0);
      expect(one.out).toMatch(new RegExp(`^${clinic.slug}\\s+ok\\s+`, 'm'));
      expect(one.out).toContain('Ran the jobs for 1 clinic(s), 0 failed');
      const unknown = await cli('run-jobs', '--clinic', 'no-such-clinic');
      expect(unknown.code).toBe(1);
      expect(unknown.err).toContain('no active clinic "no-such-clinic"');

      // break one clinic: its outbox is gone; the rest still run
      await t.dataSource.query(`ALTER TABLE ${other.schemaName}.outbox RENAME TO outbox_broken`);
      try {
        const all = await cli('run-jobs');
        expect(all.code).toBe(1);
        expect(all.out).toMatch(new RegExp(`FAILED ${other.slug}: .*outbox`));
        expect(all.out).toMatch(new RegExp(`^${clinic.slug}\\s+ok\\s+`, 'm'));
      } finally {
        await t.dataSource.query(`ALTER TABLE ${other.schemaName}.outbox_broken RENAME TO outbox`);
      }
    });
  });
});
