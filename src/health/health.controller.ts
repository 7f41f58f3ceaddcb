import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CACHE_STORE, type CacheStore } from '../common/cache/cache-store';
import { ServesHost } from '../tenancy/host-kind.decorator';

@Controller()
@ServesHost('any')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
  ) {}

  /** The process is up and serving. */
  @Get('healthz')
  @HttpCode(200)
  health() {
    return { status: 'ok' };
  }

  /** The process can do its work: the database and the cache answer. */
  @Get('readyz')
  async ready(@Res({ passthrough: true }) res: Response) {
    const [database, cache] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.cache.ping()),
    ]);
    const body = { status: database === 'ok' && cache === 'ok' ? 'ok' : 'unavailable', database, cache: { store: this.cache.kind, status: cache } };
    if (body.status !== 'ok') res.status(503);
    return body;
  }
}

async function check(probe: () => Promise<unknown>): Promise<string> {
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 2000).unref())]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : 'unreachable';
  }
}
