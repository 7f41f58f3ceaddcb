import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { SettingsModule } from '../settings/settings.module';
import { createMailTransport, MAIL_TRANSPORT, type MailTransport } from './mail-transport';
import { OutboxPages } from './outbox-pages.service';
import { OutboxController } from './outbox.controller';
import { OutboxRepository } from './outbox.repository';
import { OutboxSender } from './outbox-sender.service';
import { OutboxService } from './outbox.service';

/** Notices to patients: queued with the change that causes them, delivered exactly once as the recipient sees it. */
@Module({
  imports: [SettingsModule],
  controllers: [OutboxController],
  providers: [
    { provide: MAIL_TRANSPORT, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createMailTransport(config) },
    OutboxRepository,
    OutboxService,
    OutboxSender,
    OutboxPages,
  ],
  exports: [OutboxService, OutboxSender, MAIL_TRANSPORT],
})
export class OutboxModule implements OnApplicationShutdown {
  constructor(@Inject(MAIL_TRANSPORT) private readonly transport: MailTransport) {}

  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }
}
