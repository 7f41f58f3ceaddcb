import type { AddressInfo } from 'node:net';
import { Global, Module } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { JobsRunner } from '../../src/jobs/jobs-runner.service';
import { SENDER_FAULTS, type SenderFaults } from '../../src/outbox/outbox-sender.service';
import type { Tenant } from '../../src/platform/tenant';
import { ManualClock } from '../support/clinic-client';
import { createDoctor, createPatient, type TestDoctor, type TestPatient } from '../support/front-desk';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

const faults: SenderFaults = {};

@Global()
@Module({ providers: [{ provide: SENDER_FAULTS, useValue: faults }], exports: [SENDER_FAULTS] })
class FaultsModule {}

interface Received {
  readonly to: string;
  readonly subject: string;
  readonly messageId: string;
  readonly notice: string;
}

/**
 * Delivery through a real SMTP server (smtp-server, in this process): what arrives, retries with
 * backoff when the server refuses, and no second message after a crash between sending and recording.
 */
describe('notices by SMTP', () => {
  const clock = new ManualClock(Date.parse('2026-11-23T07:00:00Z'));
  const received: Received[] = [];
  let server: SMTPServer;
  let t: TestApp;
  let clinic: Tenant;
  let host: string;
  let ahmed: TestDoctor;
  let amir: TestPatient;
  let bounce: TestPatient;
  let reception: TestUser;
  let admin: TestUser;

  const run = () => t.app.get(JobsRunner).runAll({ clinic: clinic.slug });
  const sql = <T = Record<string, unknown>[]>(query: string, params: unknown[] = []) => asClinic<T>(t.dataSource, clinic, query, params);
  const outboxRow = async (key: string) =>
    (await sql<{ id: string; status: string; attempts: number; last_error: string | null; next_attempt_at: Date; delivered_to: string | null }[]>(
      'SELECT id::text, status, attempts, last_error, next_attempt_at, delivered_to FROM outbox WHERE dedupe_key LIKE $1',
      [`${key}%`],
    ))[0];

  async function book(patient: TestPatient, time: string): Promise<string> {
    const token = await apiToken(t.url, host, reception);
    const res = await apiCall(t.url, host, token, 'POST', '/api/v1/appointments', { patientId: patient.id, doctorId: ahmed.doctorId, date: '2026-11-25', time });
    if (res.status !== 201) throw new Error(`${res.status} ${res.body}`);
    return res.json<{ id: string }>().id;
  }

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('bounce@')) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        callback();
      },
      onData(stream, _session, callback) {
        simpleParser(stream).then((mail) => {
          received.push({
            to: Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? ''),
            subject: mail.subject ?? '',
            messageId: mail.messageId ?? '',
            notice: String(mail.headers.get('x-clinic-notice') ?? ''),
          });
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    t = await startTestApp({ clock, imports: [FaultsModule], env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Clinic <no-reply@clinics.test>', SIGN_IN_RATE_LIMIT: '10000' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('smtp') });
    host = `${clinic.slug}.localhost`;
    ahmed = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Ahmed Hassan' });
    amir = await createPatient(t.dataSource, clinic, { firstName: 'Amir', lastName: 'Hassan' });
    bounce = await createPatient(t.dataSource, clinic, { firstName: 'Bo', lastName: 'Unce' });
    await sql(`UPDATE patients SET email = CASE WHEN id = $1 THEN 'amir@example.com' ELSE 'bounce@example.com' END WHERE id = ANY($2)`, [amir.id, [amir.id, bounce.id]]);
    reception = await createUser(t.dataSource, clinic, { role: 'reception' });
    admin = await createUser(t.dataSource, clinic, { role: 'admin' });
  });

  afterEach(() => {
    delete faults.afterSend;
  });

  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers a booking confirmation once, with a Message-ID made from the clinic and the notice', async () => {
    const id = await book(amir, '10:00');
    await run();
    await run();
    const mine = received.filter((m) => m.notice.startsWith(`booking:${id}:`));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ to: 'amir@example.com', subject: 'Your appointment with Dr. Ahmed Hassan on Wednesday 25 November 2026 at 10:00' });
    expect(mine[0].messageId).toBe(`<booking-${id}-${Date.parse('2026-11-25T08:00:00Z') / 1000}.${clinic.id}@localhost>`);
    expect(await outboxRow(`booking:${id}:`)).toMatchObject({ status: 'sent', attempts: 1, delivered_to: mine[0].messageId });
  });

  it('retries a refused notice with growing waits, then gives up and says why', async () => {
    const id = await book(bounce, '10:15');
    const key = `booking:${id}:`;
    await run();
    let row = await outboxRow(key);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toContain('Mailbox unavailable');
    expect(new Date(row.next_attempt_at).getTime() - clock.now().getTime()).toBe(60_000);
    await run(); // not due yet
    expect((await outboxRow(key)).attempts).toBe(1);
    const waits = [60, 300, 1800, 7200, 43_200];
    for (const [i, wait] of waits.entries()) {
      clock.advance(wait * 1000);
      await run();
      row = await outboxRow(key);
      expect(row.attempts).toBe(i + 2);
    }
    expect(row.status).toBe('failed');
    expect(received.some((m) => m.notice === key)).toBe(false);
  });

  it('does not send again by itself after a crash between sending and recording; a person may', async () => {
    const id = await book(amir, '10:30');
    const key = `booking:${id}:`;
    faults.afterSend = () => {
      throw new Error('killed after sending');
    };
    await run();
    delete faults.afterSend;
    expect(received.filter((m) => m.notice.startsWith(key))).toHaveLength(1);
    clock.advance(11 * 60_000);
    await run();
    await run();
    const row = await outboxRow(key);
    expect(row.status).toBe('uncertain');
    expect(received.filter((m) => m.notice.startsWith(key))).toHaveLength(1);

    const owner = await signedInBrowser(t.url, host, admin);
    const page = await owner.get(`/admin/outbox/${row.id}`);
    expect(page.body).toContain('Uncertain');
    expect(page.body).toContain('may already have reached the patient');
    const again = await owner.post(`/admin/outbox/${row.id}/resend`);
    expect(again.status).toBe(303);
    await run();
    expect(await outboxRow(key)).toMatchObject({ status: 'sent' });
    expect(received.filter((m) => m.notice.startsWith(key))).toHaveLength(2);
    expect(await sql(`SELECT details->>'was' AS was FROM audit_log WHERE action = 'notice.requeued' AND entity_id = $1`, [row.id])).toEqual([{ was: 'uncertain' }]);
    expect((await owner.post(`/admin/outbox/${row.id}/resend`)).status).toBe(409);
  });
});
