import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { setBounded } from '../common/bounded-map';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PlatformRepository, REGISTRY_CHANNEL } from './platform.repository';
import { normalizeHost, type Tenant } from './tenant';

export type HostResolution =
  | { readonly kind: 'root' }
  | { readonly kind: 'clinic'; readonly tenant: Tenant }
  | { readonly kind: 'unknown'; readonly host: string };

interface Entry {
  readonly tenant: Tenant | null;
  readonly expiresAt: number;
}

const FOUND_TTL_MS = 5 * 60_000;
const MISSING_TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;

/**
 * Host → clinic, cached in this process. Every change to a clinic's registry rows (CLI or app) sends a
 * Postgres NOTIFY inside its own transaction; each instance LISTENs and drops its cache the moment the
 * change commits. That works with Redis and without it (where the CLI and the app share no memory),
 * and costs no network hop per request. The TTLs are only a safety net for a dropped listener.
 */
@Injectable()
export class TenantRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TenantRegistry.name);
  private readonly cache = new Map<string, Entry>();
  private readonly platform = new PlatformRepository();
  private listener?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectDelayMs = 500;
  private closing = false;
  private readonly rootHosts: ReadonlySet<string>;
  private readonly slugSuffix: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.rootHosts = new Set([config.baseDomain, `www.${config.baseDomain}`]);
    this.slugSuffix = `.${config.baseDomain}`;
  }

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    await this.listener?.end().catch(() => undefined);
  }

  async resolve(rawHost: string | undefined): Promise<HostResolution> {
    const host = normalizeHost(rawHost);
    if (this.rootHosts.has(host)) return { kind: 'root' };
    const tenant = host ? await this.lookup(host) : null;
    return tenant ? { kind: 'clinic', tenant } : { kind: 'unknown', host: host || String(rawHost ?? '') };
  }

  /** Forget everything (a registry change was committed somewhere). */
  invalidate(): void {
    this.cache.clear();
  }

  private async lookup(host: string): Promise<Tenant | null> {
    const hit = this.cache.get(host);
    if (hit && hit.expiresAt > Date.now()) return hit.tenant;
    const tenant = await this.load(host);
    setBounded(this.cache, host, { tenant, expiresAt: Date.now() + (tenant ? FOUND_TTL_MS : MISSING_TTL_MS) }, MAX_ENTRIES);
    return tenant;
  }

  private load(host: string): Promise<Tenant | null> {
    if (host.endsWith(this.slugSuffix)) {
      const label = host.slice(0, -this.slugSuffix.length);
      return label.includes('.') ? Promise.resolve(null) : this.platform.findBySlug(this.dataSource, label);
    }
    return this.platform.findByDomain(this.dataSource, host);
  }

  private async listen(): Promise<void> {
    const options = this.dataSource.options as { url?: string };
    const client = new Client({ connectionString: options.url, application_name: 'clinic-registry-listener' });
    client.on('notification', () => this.invalidate());
    client.on('error', (error) => this.onListenerLost(client, error));
    client.on('end', () => this.onListenerLost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${REGISTRY_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.listener = client;
    this.reconnectDelayMs = 500;
    // anything could have changed while no listener was connected
    this.invalidate();
  }

  private onListenerLost(client: Client, error?: Error): void {
    if (this.closing || this.listener !== client) return;
    this.listener = undefined;
    this.invalidate();
    this.logger.warn(`Registry listener lost (${error?.message ?? 'connection ended'}); reconnecting`);
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnectTimer = setTimeout(() => {
      this.listen().catch((error: Error) => {
        this.logger.warn(`Registry listener could not reconnect: ${error.message}`);
        this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 30_000);
        if (!this.closing) this.scheduleReconnect();
      });
    }, this.reconnectDelayMs);
  }
}
