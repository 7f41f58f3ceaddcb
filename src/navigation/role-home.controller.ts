import { Controller, Get, Render } from '@nestjs/common';
import { Roles } from '../auth/access.decorator';

/**
 * Each role's landing page. Later features replace these with the screens they stand for (the
 * dashboard, the patient's visits); the front desk's is the today board
 * (appointments/reception-board.controller.ts), the doctor's the queue (schedule/schedule.controller.ts).
 */
@Controller()
export class RoleHomeController {
  @Get('admin')
  @Roles('admin')
  @Render('admin/home')
  admin() {
    return { title: 'Dashboard', layout: 'layouts/staff' };
  }

  @Get('portal')
  @Roles('patient')
  @Render('portal/home')
  portal() {
    return { title: 'My visits', layout: 'layouts/portal' };
  }
}
