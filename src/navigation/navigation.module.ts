import { Global, Module } from '@nestjs/common';
import { PageLocals } from './page-locals.service';
import { RoleHomeController } from './role-home.controller';

@Global()
@Module({
  controllers: [RoleHomeController],
  providers: [PageLocals],
  exports: [PageLocals],
})
export class NavigationModule {}
