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

  it('takes METRICS_TOKEN only when it is long enough to be a secret and fits in a Bearer header; empty means off', () => {
    const dir = dataDir();
    expect(loadConfig({ DATA_DIR: dir }).metricsToken).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dir, METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dir, METRICS_TOKEN: 'a'.repeat(16) }).metricsToken).toBe('a'.repeat(16));
    const base64 = 'q1W2e3R4t5Y6u7I8o9P0/+_-.~Zz==';
    expect(loadConfig({ DATA_DIR: dir, METRICS_TOKEN: base64 }).metricsToken).toBe(base64);
    // in every environment, not only production: the endpoint is off unless a real secret is chosen
    expect(() => loadConfig({ DATA_DIR: dir, METRICS_TOKEN: 'short-token' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://app@db/clinic', METRICS_TOKEN: 'x'.repeat(15) })).toThrow(
      /METRICS_TOKEN must be at least 16 characters/,
    );
    for (const bad of ['with spaces in the token', 'quote"d-token-0123456789', 'token=0123456789abcdef', 'naïve-token-0123456789']) {
      expect(() => loadConfig({ DATA_DIR: dir, METRICS_TOKEN: bad })).toThrow(/METRICS_TOKEN may hold only letters, digits/);
    }
  });
});
