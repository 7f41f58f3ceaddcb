import { Global, Module } from '@nestjs/common';
import { PageLocals } from './page-locals.service';

/** Each role's navigation and the page locals every layout reads (the role homes live with their features). */
@Global()
@Module({
  providers: [PageLocals],
  exports: [PageLocals],
})
export class NavigationModule {}
