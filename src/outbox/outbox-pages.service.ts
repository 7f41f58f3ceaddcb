import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { AppException } from '../common/errors/app-exception';
import { localDate, localTime } from '../common/time';
import { isId } from '../common/validation/ids';
import { t } from '../i18n/i18n';
import { TenantContext } from '../tenancy/tenant-context';
import { noticeLabel, OUTBOX_STATUSES, type OutboxRow, type OutboxStatus } from './notice';
import { OutboxRepository } from './outbox.repository';
import { OutboxSender } from './outbox-sender.service';

const PAGE_SIZE = 25;

/** A notice's status as the owner reads it. */
const statusLabel = (status: OutboxStatus): string => t(`outbox:status.${status}`);

/** The owner's view of the notices sent to patients (`/admin/outbox`), and sending one again. */
@Injectable()
export class OutboxPages {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly sender: OutboxSender,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async index(query: { status?: OutboxStatus; page?: number }) {
    const page = query.page ?? 1;
    const rows = await this.outbox.list(query.status, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE);
    const counts = await this.outbox.counts();
    const link = (p: number) => `/admin/outbox?${new URLSearchParams({ ...(query.status ? { status: query.status } : {}), page: String(p) }).toString()}`;
    return {
      title: t('outbox:title'),
      transport: this.sender.label(),
      notices: rows.slice(0, PAGE_SIZE).map((r) => this.view(r)),
      statuses: OUTBOX_STATUSES.map((s) => ({ value: s, label: statusLabel(s), count: counts[s] ?? 0, selected: s === query.status })),
      previous: page > 1 ? link(page - 1) : null,
      next: rows.length > PAGE_SIZE ? link(page + 1) : null,
      page,
    };
  }

  async notice(id: string, done?: string) {
    const row = isId(id) ? await this.outbox.find(id) : null;
    if (!row) throw notFound();
    return { title: row.subject, notice: this.view(row), done: done === 'requeued' ? t('outbox:notice.requeued') : undefined };
  }

  /** A person decided to send a failed or uncertain notice again. Audited. */
  async requeue(actor: Principal, id: string, ip: string | undefined): Promise<void> {
    const row = isId(id) ? await this.outbox.find(id) : null;
    if (!row) throw notFound();
    if (!(await this.outbox.requeue(id, this.clock.now()))) {
      throw new AppException('invalid_transition', 409, t('outbox:errors.notResendable', { status: statusLabel(row.status).toLowerCase() }));
    }
    const tenant = this.context.tenant;
    this.context.afterCommit(async () => this.sender.kick(tenant));
    await this.audit.record({ action: 'notice.requeued', actorId: actor.userId, entity: 'outbox', entityId: id, details: { kind: row.kind, was: row.status }, ip });
  }

  private view(row: OutboxRow) {
    const zone = this.context.tenant.timeZone;
    const at = (d: Date | null) => (d ? `${localDate(new Date(d), zone)} ${localTime(new Date(d), zone)}` : null);
    return {
      ...row,
      kindLabel: noticeLabel(row.kind),
      statusLabel: statusLabel(row.status),
      queuedAt: at(row.createdAt),
      sentAt: at(row.sentAt),
      nextAttemptAt: row.status === 'pending' ? at(row.nextAttemptAt) : null,
      canRequeue: row.status === 'failed' || row.status === 'uncertain',
    };
  }
}

const notFound = () => new AppException('notice_not_found', 404, t('outbox:errors.noNotice'));
