import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule, seconds } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Cluster } from 'ioredis';
import { CACHE_STORE, type CacheStore, RedisCacheStore } from '../common/cache/cache-store';
import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AuthApiController } from './auth.api.controller';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CsrfService } from './csrf.service';
import { JWT_ALGORITHM, JwtStrategy } from './jwt.strategy';
import { MemorySessionStore, RedisSessionStore, SESSION_STORE, type SessionStore } from './session-store';
import { SessionService } from './session.service';

/** The session registry lives where the cache does: Redis when configured (shared by all instances), memory otherwise. */
function createSessionStore(store: CacheStore, clock: Clock): SessionStore {
  return store instanceof RedisCacheStore ? new RedisSessionStore(store.redis) : new MemorySessionStore(clock);
}

/** Counted in Redis when there is one, so the limit holds across instances; in this process otherwise. */
function createThrottlerStorage(store: CacheStore): ThrottlerStorageRedisService | undefined {
  if (!(store instanceof RedisCacheStore)) return undefined;
  // the package takes a Redis or a Cluster (one overload each), not the union of the two
  return store.redis instanceof Cluster ? new ThrottlerStorageRedisService(store.redis) : new ThrottlerStorageRedisService(store.redis);
}

@Global()
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwtSecret, signOptions: { algorithm: JWT_ALGORITHM } }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, CACHE_STORE],
      useFactory: (config: AppConfig, store: CacheStore) => ({
        throttlers: [{ ttl: seconds(config.signInRateWindowSeconds), limit: config.signInRateLimit }],
        storage: createThrottlerStorage(store),
      }),
    }),
  ],
  controllers: [AuthController, AuthApiController],
  providers: [
    { provide: SESSION_STORE, inject: [CACHE_STORE, CLOCK], useFactory: createSessionStore },
    SessionService,
    CsrfService,
    JwtStrategy,
    AuthService,
  ],
  exports: [SessionService, CsrfService, SESSION_STORE, AuthService],
})
export class AuthModule {}
