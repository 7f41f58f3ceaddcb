import { Controller, Get, Render } from '@nestjs/common';
import { Roles } from '../auth/access.decorator';

/**
 * Each role's landing page. Later features replace these with the screens they stand for (the
 * dashboard, the doctor's queue, the patient's visits); the front desk's is the today board
 * (appointments/reception-board.controller.ts).
 */
@Controller()
export class RoleHomeController {
  @Get('admin')
  @Roles('admin')
  @Render('admin/home')
  admin() {
    return { title: 'Dashboard', layout: 'layouts/staff' };
  }

  @Get('doctor')
  @Roles('doctor')
  @Render('doctor/home')
  doctor() {
    return { title: 'My schedule', layout: 'layouts/staff' };
  }

  @Get('portal')
  @Roles('patient')
  @Render('portal/home')
  portal() {
    return { title: 'My visits', layout: 'layouts/portal' };
  }
}
