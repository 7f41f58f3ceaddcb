import { Controller, Get } from '@nestjs/common';
import { Public } from '../../src/auth/access.decorator';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { send } from '../support/http';
import { createClinic, startTestApp, uniqueSlug } from '../support/test-app';

@Controller('slow')
@Public()
class SlowController {
  constructor(private readonly context: TenantContext) {}

  @Get()
  async slow() {
    await this.context.manager.query('SELECT pg_sleep(0.4)');
    return { done: true };
  }
}

describe('graceful shutdown', () => {
  it('finishes a request already in flight, then closes the pool', async () => {
    const t = await startTestApp({ controllers: [SlowController] });
    const clinic = await createClinic(t.dataSource, { slug: uniqueSlug('bye') });
    const inFlight = send(t.url, { path: '/slow', host: `${clinic.slug}.localhost`, headers: { accept: 'application/json' } });
    await new Promise((r) => setTimeout(r, 100)); // the request is now waiting on Postgres
    const closed = t.close();

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ done: true });
    await closed;
    expect(t.dataSource.isInitialized).toBe(false);
    await expect(send(t.url, { path: '/healthz', host: 'localhost' })).rejects.toThrow(/ECONNREFUSED|socket hang up|ECONNRESET/);
  });
});
