import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { AppException } from '../common/errors/app-exception';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { t } from '../i18n/i18n';
import { clinicUrl } from '../platform/clinic-url';
import { TenantContext } from '../tenancy/tenant-context';
import type { ActionLink, LinkOutcome, NewActionLink } from './action-link';
import { ActionLinksRepository } from './action-links.repository';

const TOKEN = /^([1-9][0-9]{0,18})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})$/;

/**
 * The single-use links that notices carry: `/l/<link id>.<expiry>.<signature>`. The signature is an
 * HMAC (a key of its own, derived from the token secret) over the clinic's id, the link's row and its
 * expiry: a link cannot be altered, outlive its expiry, or be used on another clinic's host (the
 * clinic's id is in what is signed, and the host decides the clinic). The row makes it single-use.
 */
@Injectable()
export class ActionLinks {
  private readonly key: Buffer;

  constructor(
    private readonly links: ActionLinksRepository,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = createHmac('sha256', config.jwtSecret).update('action-links').digest();
  }

  /** A new link's row and its address on the clinic's host. */
  async create(link: NewActionLink): Promise<string> {
    const id = await this.links.insert(link, this.clock.now());
    const expires = Math.floor(link.expiresAt.getTime() / 1000);
    return `${clinicUrl(this.config, this.context.tenant.slug)}/l/${id}.${expires}.${this.sign(id, expires)}`;
  }

  /**
   * The link a token names, if its signature holds for this clinic and it has not expired; with
   * `lock`, its row is locked for the decision. Refused in words otherwise (nothing says which part was wrong).
   */
  async open(token: string, options: { lock?: boolean } = {}): Promise<ActionLink> {
    const match = TOKEN.exec(token);
    if (!match) throw invalidLink();
    const [, id, expiresText, signature] = match;
    const expires = Number(expiresText);
    const expected = Buffer.from(this.sign(id, expires));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidLink();
    if (expires * 1000 <= this.clock.now().getTime()) throw expiredLink();
    const link = await this.links.find(id, options.lock);
    if (!link) throw invalidLink();
    return link;
  }

  used(id: string, outcome: LinkOutcome): Promise<void> {
    return this.links.markUsed(id, outcome, this.clock.now());
  }

  private sign(id: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${this.context.tenant.id}.${id}.${expires}`).digest('base64url');
  }
}

export const invalidLink = () => new AppException('invalid_link', 404, t('links:errors.invalid'));
export const expiredLink = () => new AppException('link_expired', 410, t('links:errors.expired'));
