import { randomBytes } from 'node:crypto';
import { Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../../src/auth/access.decorator';
import { ident, inLazyTransaction, sqlState, tenantSettings } from '../../src/database/sql';
import type { Tenant } from '../../src/platform/tenant';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { UsersRepository } from '../../src/users/users.repository';
import { send } from '../support/http';
import { addDoctor, asClinic, createClinic, startTestApp, type TestApp, uniqueSlug } from '../support/test-app';

/** Routes that exist only in this test: they read and write through the request's tenant context. */
// under /api: JSON errors, and no CSRF token needed (no cookie session)
@Controller('api/probe')
@Public()
class ProbeController {
  constructor(private readonly context: TenantContext) {}

  @Get('marker')
  async marker() {
    const rows: { full_name: string }[] = await this.context.manager.query(`SELECT full_name FROM users WHERE role = 'doctor' ORDER BY full_name`);
    const [who]: { role: string; schema: string }[] = await this.context.manager.query('SELECT current_user AS role, current_schema() AS schema');
    return { slug: this.context.tenant.slug, markers: rows.map((r) => r.full_name), role: who.role, schema: who.schema };
  }

  @Post('fail')
  async failAfterWriting() {
    await this.context.manager.query(`INSERT INTO users (username, full_name, role, password_hash) VALUES ($1, 'Half-written', 'doctor', 'x')`, [
      `hw${randomBytes(5).toString('hex')}`,
    ]);
    await this.context.manager.query('SELECT pg_sleep(0.002)');
    throw new Error('failing on purpose after a write');
  }

  /** Answers by hand (like a redirecting form handler), then keeps the transaction open a while. */
  @Post('answer-early')
  async answerEarly(@Query('name') name: string, @Res() res: Response) {
    await this.context.manager.query(`INSERT INTO users (username, full_name, role, password_hash) VALUES ($1, 'Early', 'doctor', 'x')`, [name]);
    res.status(201).json({ written: name });
    await this.context.manager.query('SELECT pg_sleep(0.3)');
  }

  @Get('cross')
  async readOtherSchema(@Query('schema') schema: string) {
    try {
      const rows: unknown[] = await this.context.manager.query(`SELECT * FROM ${ident(schema)}.users`);
      return { denied: false, rows: rows.length };
    } catch (error) {
      return { denied: true, code: sqlState(error) };
    }
  }
}

describe('tenant isolation', () => {
  let t: TestApp;
  const clinics: Tenant[] = [];

  beforeAll(async () => {
    t = await startTestApp({ controllers: [ProbeController], env: { DB_POOL_MAX: '10' } });
    for (let i = 0; i < 20; i += 1) {
      const clinic = await createClinic(t.dataSource, { slug: uniqueSlug('iso') });
      await addDoctor(t.dataSource, clinic, `Marker ${clinic.slug}`);
      clinics.push(clinic);
    }
  });

  afterAll(() => t.close());

  it('keeps 2,000 interleaved concurrent requests over 20 clinics each in its own clinic, failures rolled back', async () => {
    const jobs = Array.from({ length: 2000 }, (_, i) => ({ clinic: clinics[(i * 7) % clinics.length], fail: i % 10 === 3 }));
    const results: { clinic: Tenant; fail: boolean; status: number; body: string }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const res = await send(t.url, {
          method: job.fail ? 'POST' : 'GET',
          path: job.fail ? '/api/probe/fail' : '/api/probe/marker',
          host: `${job.clinic.slug}.localhost:3000`,
          headers: { accept: 'application/json' },
        });
        results.push({ ...job, status: res.status, body: res.body });
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));

    expect(results).toHaveLength(2000);
    for (const r of results) {
      if (r.fail) {
        expect(r.status).toBe(500);
        expect(r.body).not.toContain('failing on purpose'); // no internals leak
        continue;
      }
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toEqual({
        slug: r.clinic.slug,
        markers: [`Marker ${r.clinic.slug}`],
        role: r.clinic.roleName,
        schema: r.clinic.schemaName,
      });
    }
    for (const clinic of clinics) {
      const rows = await asClinic<{ n: number }[]>(t.dataSource, clinic, `SELECT count(*)::int AS n FROM users WHERE full_name = 'Half-written'`);
      expect(rows[0].n).toBe(0);
    }
  });

  it('returns every pooled connection to the default search_path and the login role', async () => {
    // the previous test leaves the pool warm; hold every one of its connections at once
    expect(t.pool.totalCount).toBeGreaterThan(1);
    expect(t.pool.totalCount).toBeLessThanOrEqual(10);
    const clients = await Promise.all(Array.from({ length: t.pool.totalCount }, () => t.pool.connect()));
    try {
      for (const client of clients) {
        const { rows } = await client.query(
          `SELECT current_setting('search_path') AS search_path, current_user = session_user AS own_role, current_setting('role') AS role`,
        );
        expect(rows[0]).toEqual({ search_path: 'platform', own_role: true, role: 'none' });
      }
    } finally {
      for (const client of clients) client.release();
    }
  });

  it("lets Postgres deny a raw query on another clinic's schema", async () => {
    const [mine, other] = clinics;
    const res = await send(t.url, { path: `/api/probe/cross?schema=${other.schemaName}`, host: `${mine.slug}.localhost`, headers: { accept: 'application/json' } });
    expect(res.json()).toEqual({ denied: true, code: '42501' }); // insufficient_privilege

    const own = await send(t.url, { path: `/api/probe/cross?schema=${mine.schemaName}`, host: `${mine.slug}.localhost`, headers: { accept: 'application/json' } });
    expect(own.json()).toEqual({ denied: false, rows: 1 });

    const platform = await send(t.url, { path: '/api/probe/cross?schema=platform', host: `${mine.slug}.localhost`, headers: { accept: 'application/json' } });
    expect(platform.json()).toMatchObject({ denied: true });
  });

  it('sends an answer written by hand only after COMMIT, so whoever reads next sees the write', async () => {
    const [clinic] = clinics;
    const name = `early${randomBytes(4).toString('hex')}`;
    const res = await send(t.url, { method: 'POST', path: `/api/probe/answer-early?name=${name}`, host: `${clinic.slug}.localhost`, headers: { accept: 'application/json' } });
    expect(res.status).toBe(201);
    const rows = await asClinic<unknown[]>(t.dataSource, clinic, 'SELECT 1 FROM users WHERE username = $1', [name]);
    expect(rows).toHaveLength(1);
  });

  it('sets schema, role and timeouts with START TRANSACTION, quoting names that hold quotes', async () => {
    const odd = { schemaName: `s'q"${randomBytes(3).toString('hex')}`, roleName: `r'q"${randomBytes(3).toString('hex')}` };
    await t.dataSource.query(`CREATE ROLE ${ident(odd.roleName)} NOLOGIN; CREATE SCHEMA ${ident(odd.schemaName)} AUTHORIZATION ${ident(odd.roleName)}`);
    try {
      const [row] = await inLazyTransaction(t.dataSource, tenantSettings(odd, { statementTimeoutMs: 1234, idleInTransactionTimeoutMs: 5678 }), (runner) =>
        runner.query(`SELECT current_schema() AS schema, current_user AS role, current_setting('statement_timeout') AS st,
                             current_setting('idle_in_transaction_session_timeout') AS idle, now() = statement_timestamp() AS fresh`),
      );
      // fresh = false: the statement ran inside a transaction begun before it
      expect(row).toEqual({ schema: odd.schemaName, role: odd.roleName, st: '1234ms', idle: '5678ms', fresh: false });
    } finally {
      await t.dataSource.query(`DROP SCHEMA ${ident(odd.schemaName)}; DROP ROLE ${ident(odd.roleName)}`);
    }
  });

  it('fails a tenant query made outside a request instead of returning data', async () => {
    expect(() => t.app.get(TenantContext).manager).toThrow(/outside a clinic request/);
    await expect(t.app.get(UsersRepository).activeByRole('doctor')).rejects.toThrow(/outside a clinic request/);
    // the pool itself points at `platform`, where no clinic table exists
    await expect(t.dataSource.query('SELECT * FROM users')).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '42P01' }) });
  });
});
