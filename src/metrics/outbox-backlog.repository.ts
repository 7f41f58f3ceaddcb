import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';

/** The clinic's outbox backlog for the metrics, through its tenant transaction. */
@Injectable()
export class OutboxBacklogRepository {
  constructor(private readonly context: TenantContext) {}

  /**
   * Notices waiting to be sent: read through the partial index of pending rows (`outbox_due_idx`),
   * so it costs what the backlog holds, not what the clinic ever sent.
   */
  async pending(): Promise<number> {
    const rows: { n: number }[] = await this.context.manager.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`);
    return rows[0].n;
  }
}
