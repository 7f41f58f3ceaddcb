import { ROLE_HOME } from '../../src/auth/principal';
import { DEMO_PATIENT, DEMO_STAFF } from '../../src/platform/demo-clinic';
import { ClinicClient } from '../support/clinic-client';
import { asClinic, provisioning, startTestApp, testConfig } from '../support/test-app';
import { prepareDatabase } from '../../src/platform/startup';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../support/test-database';

describe('start-up: migrate and seed', () => {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL!;

  it('creates the demo clinic on an empty platform once, outside production', async () => {
    const name = uniqueDatabaseName('clinic_start');
    const url = await createDatabase(adminUrl, name);
    try {
      const config = testConfig({ DATABASE_URL: url });
      const first = await prepareDatabase(config, url);
      expect(first.platformMigrations.length).toBeGreaterThan(0);
      expect(first.demoLogins?.map((l) => l.role)).toEqual(['admin', 'doctor', 'reception']);
      expect(first.clinics).toEqual([{ slug: 'demo', displayName: 'Demo Clinic', status: 'active' }]);

      const second = await prepareDatabase(config, url);
      expect(second.platformMigrations).toEqual([]);
      expect(second.demoLogins).toBeUndefined();
      expect(second.clinics).toHaveLength(1);

      // the logins printed at start work: each lands on its home
      const t = await startTestApp({ env: { DATABASE_URL: url } });
      try {
        for (const login of DEMO_STAFF) {
          const c = new ClinicClient(t.url, 'demo.localhost');
          await c.primeCsrf();
          const res = await c.post('/login', { username: login.username, password: login.password });
          expect(res.headers.location).toBe(ROLE_HOME[login.role]);
        }
        const p = new ClinicClient(t.url, 'demo.localhost');
        await p.primeCsrf('/portal/login');
        const res = await p.post('/portal/login', { phone: DEMO_PATIENT.phone, username: DEMO_PATIENT.username });
        expect(res.headers.location).toBe('/portal');
        expect((await p.get('/portal')).body).toContain(DEMO_PATIENT.fullName);

        // the front desk has a week to look at: Amir's file linked to his portal identity, appointments ahead
        const demo = (await provisioning(t.dataSource).get('demo'))!;
        const [front] = await asClinic<{ files: number; amir_linked: boolean; upcoming: number; hours: number; paid: number; gaps: number }[]>(
          t.dataSource,
          demo,
          `SELECT (SELECT count(*)::int FROM patients) AS files,
                  (SELECT p.user_id = u.id FROM patients p JOIN users u ON u.username = 'amir' WHERE p.file_number = '000001') AS amir_linked,
                  (SELECT count(*)::int FROM appointments WHERE starts_at >= now() - interval '1 day') AS upcoming,
                  (SELECT count(*)::int FROM working_hours) AS hours,
                  (SELECT count(*)::int FROM payments) AS paid,
                  (SELECT max(number) - count(*) FROM invoices)::int AS gaps`,
        );
        // and the past four weeks for the owner's dashboard: paid invoices numbered without gaps
        expect(front).toEqual({ files: 6, amir_linked: true, upcoming: expect.any(Number), hours: 12, paid: expect.any(Number), gaps: 0 });
        expect(front.paid).toBeGreaterThan(50);
        expect(front.upcoming).toBeGreaterThanOrEqual(30);
      } finally {
        await t.close();
      }
    } finally {
      await dropDatabase(adminUrl, name);
    }
  });

  it('never invents data in production', async () => {
    const name = uniqueDatabaseName('clinic_prod');
    const url = await createDatabase(adminUrl, name);
    try {
      const config = testConfig({ DATABASE_URL: url, NODE_ENV: 'production' });
      const report = await prepareDatabase(config, url);
      expect(report.demoLogins).toBeUndefined();
      expect(report.clinics).toEqual([]);
    } finally {
      await dropDatabase(adminUrl, name);
    }
  });
});
