import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ClinicCache } from '../common/cache/clinic-cache.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { currentLanguage } from '../i18n/i18n';
import type { ReportFilter } from './report-filter';

const KIND = 'dashboard';
/** One generation for the whole clinic: any change may move any period's numbers. */
const SCOPE = 'all';
/** Longer variants (a long list of doctors) are hashed, so a key stays short. */
const PLAIN_KEY_MAX = 100;

/**
 * The owner's dashboard numbers, cached per clinic (`clinic:{<tenantId>}:dashboard:…`, by the tenant
 * context) and filter. Booking, completing, paying, voiding and staff changes (the filter lists the
 * doctors) call `invalidate`, which makes every cached period stale once their transaction commits.
 */
@Injectable()
export class DashboardCache {
  private readonly ttl: number;

  constructor(
    private readonly cache: ClinicCache,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttl = config.dashboardCacheSeconds;
  }

  /**
   * `view` names what is cached for the filter: the numbers (no words: one entry for every language),
   * or the page rendered, which has one entry per language.
   */
  remember<T>(filter: ReportFilter, load: () => Promise<T>, view: 'summary' | 'page' = 'summary'): Promise<T> {
    if (this.ttl === 0) return load();
    const language = view === 'page' ? currentLanguage() : null;
    // days and doctor ids are validated (digits and dashes): the plain key is unambiguous; many doctors are hashed
    const plain = `${view}:${language ?? '-'}:${filter.from}:${filter.to}:${filter.doctorIds.join(',')}`;
    const key = plain.length <= PLAIN_KEY_MAX ? plain : createHash('sha256').update(plain).digest('hex').slice(0, 32);
    return this.cache.rememberVersioned(KIND, SCOPE, this.ttl, load, key);
  }

  invalidate(): void {
    if (this.ttl > 0) this.cache.invalidateAfterCommit(KIND, SCOPE, this.ttl);
  }
}
