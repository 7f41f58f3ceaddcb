import { Controller, Get, Render } from '@nestjs/common';
import { Roles } from '../auth/access.decorator';

/**
 * Each role's landing page. Later features replace these with the screens they stand for (the
 * dashboard, the doctor's queue, the front desk's today board, the patient's visits).
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

  @Get('reception')
  @Roles('reception')
  @Render('reception/home')
  reception() {
    return { title: 'Today', layout: 'layouts/staff' };
  }

  @Get('portal')
  @Roles('patient')
  @Render('portal/home')
  portal() {
    return { title: 'My visits', layout: 'layouts/portal' };
  }
}
