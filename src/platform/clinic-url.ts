import type { AppConfig } from '../config/app-config';

/** The address people use to reach a clinic (or the root host, without a slug). */
export function clinicUrl(config: Pick<AppConfig, 'baseDomain' | 'port' | 'isProduction'>, slug?: string): string {
  const host = slug ? `${slug}.${config.baseDomain}` : config.baseDomain;
  if (config.isProduction) return `https://${host}`;
  return `http://${host}${config.port === 80 ? '' : `:${config.port}`}`;
}
