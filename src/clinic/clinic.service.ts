import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';
import { UsersRepository } from '../users/users.repository';

@Injectable()
export class ClinicService {
  constructor(
    private readonly context: TenantContext,
    private readonly users: UsersRepository,
  ) {}

  /** The clinic's public front page: its name and the doctors who work there. */
  async homePage() {
    const clinic = this.context.tenant;
    const doctors = await this.users.activeByRole('doctor');
    return { clinic: { displayName: clinic.displayName, slug: clinic.slug }, doctors };
  }
}
