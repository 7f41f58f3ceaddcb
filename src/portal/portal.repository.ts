import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';

/** The portal's SQL: always for the signed-in patient's own file. */
@Injectable()
export class PortalRepository {
  constructor(private readonly context: TenantContext) {}

  /** The file whose portal identity is this user, if any. */
  async patientIdOf(userId: string): Promise<string | null> {
    const rows: { id: string }[] = await this.context.manager.query('SELECT id FROM patients WHERE user_id = $1', [userId]);
    return rows[0]?.id ?? null;
  }
}
