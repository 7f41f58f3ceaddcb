import { Module } from '@nestjs/common';
import { LandingService } from '../platform/landing.service';
import { ClinicService } from './clinic.service';
import { HomeController } from './home.controller';

@Module({
  controllers: [HomeController],
  providers: [ClinicService, LandingService],
})
export class ClinicModule {}
