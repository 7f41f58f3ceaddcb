import { Controller, Get, Render } from '@nestjs/common';
import { Roles } from '../auth/access.decorator';

/**
 * The clinic owner's landing page, until the dashboard replaces it. The other roles' homes live
 * with their features: the today board (appointments/reception-board.controller.ts), the doctor's
 * queue (schedule/schedule.controller.ts), the patient portal (portal/portal.controller.ts).
 */
@Controller()
export class RoleHomeController {
  @Get('admin')
  @Roles('admin')
  @Render('admin/home')
  admin() {
    return { title: 'Dashboard', layout: 'layouts/staff' };
  }
}
