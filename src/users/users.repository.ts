import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';
import { User } from './user.entity';

/** SQL on the clinic's `users` table, always through the request's tenant transaction. */
@Injectable()
export class UsersRepository {
  constructor(private readonly context: TenantContext) {}

  /** Uses the partial index users_active_role_name_idx. */
  async activeByRole(role: User['role'], limit = 100): Promise<Pick<User, 'id' | 'fullName'>[]> {
    return this.context.repository(User).find({
      select: { id: true, fullName: true },
      where: { role, isActive: true },
      order: { fullName: 'ASC' },
      take: limit,
    });
  }
}
