import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TenantRegistry } from './tenant-registry.service';

@Injectable()
export class LandingService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: TenantRegistry,
  ) {}

  page(query = '', notFound = false) {
    return { layout: 'layouts/public', baseDomain: this.config.baseDomain, query, notFound };
  }

  /**
   * "Find your clinic": the clinic's own address for what the visitor typed (its slug or its full host),
   * or null when no active clinic answers there.
   */
  async findClinic(typed: string, port: string): Promise<string | null> {
    const host = typed.includes('.') ? typed : `${typed}.${this.config.baseDomain}`;
    const found = await this.registry.resolve(host);
    if (found.kind !== 'clinic' || found.tenant.status !== 'active') return null;
    return `//${found.tenant.slug}.${this.config.baseDomain}${port ? `:${port}` : ''}/`;
  }
}
