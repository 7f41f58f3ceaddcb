import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/app-config';

const dataDir = () => mkdtempSync(join(tmpdir(), 'clinic-config-'));

describe('configuration', () => {
  it('has working defaults for a zero-setup development start', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({ nodeEnv: 'development', baseDomain: 'localhost', port: 3000, dbPoolMax: 10, databaseUrl: undefined, redisUrl: undefined });
    // the generated development secret is kept, so sessions survive a restart
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).jwtSecret).toBe(config.jwtSecret);
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir() })).toThrow(/JWT_SECRET is required when NODE_ENV=production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short', DATABASE_URL: 'postgres://app@db/clinic' })).toThrow(/at least 32 characters/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(/DATABASE_URL is required when NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://app@db/clinic' }).isProduction).toBe(true);
  });

  it('lists every bad value with a message a person understands', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'localhost:6379', BASE_DOMAIN: 'https://x.com', NODE_ENV: 'staging', DATA_DIR: dataDir() });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toEqual(
      expect.arrayContaining([
        'PORT must be a whole number',
        expect.stringMatching(/^DATABASE_URL must be a postgres:\/\/ URL/),
        expect.stringMatching(/^REDIS_URL must be a redis:\/\//),
        expect.stringMatching(/^BASE_DOMAIN must be a lower-case host name/),
        'NODE_ENV must be one of development, production, test',
      ]),
    );
    expect(() => loadConfig({ PORT: '70000', DATA_DIR: dataDir() })).toThrow(/PORT must be between 1 and 65535/);
  });
});
