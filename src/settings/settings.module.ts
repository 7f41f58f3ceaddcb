import { Module } from '@nestjs/common';
import { SettingsApiController } from './settings.api.controller';
import { SettingsController } from './settings.controller';
import { SettingsPages } from './settings-pages.service';
import { SettingsRepository } from './settings.repository';
import { SettingsService } from './settings.service';

/** The clinic's own settings (`clinic_settings`): contact details and the patient portal's rules. */
@Module({
  controllers: [SettingsController, SettingsApiController],
  providers: [SettingsService, SettingsRepository, SettingsPages],
  exports: [SettingsService],
})
export class SettingsModule {}
