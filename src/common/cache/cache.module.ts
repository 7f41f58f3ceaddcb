import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { CACHE_STORE, type CacheStore, createCacheStore } from './cache-store';
import { ClinicCache } from './clinic-cache.service';

@Global()
@Module({
  providers: [
    { provide: CACHE_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createCacheStore(config) },
    ClinicCache,
  ],
  exports: [CACHE_STORE, ClinicCache],
})
export class CacheModule implements OnApplicationShutdown {
  constructor(@Inject(CACHE_STORE) private readonly store: CacheStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
