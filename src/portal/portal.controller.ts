import { Controller, Get, Render } from '@nestjs/common';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { PortalService } from './portal.service';

/** The patient portal's home. */
@Controller('portal')
@Roles('patient')
export class PortalController {
  constructor(private readonly portal: PortalService) {}

  @Get()
  @Render('portal/home')
  async home(@CurrentUser() patient: Principal) {
    return { ...(await this.portal.home(patient)), layout: 'layouts/portal' };
  }
}
