import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { LanguageController } from './language.controller';

/** The language switch. Translation itself is `t()` from `./i18n`, usable anywhere (services, PDFs, notices). */
@Module({ imports: [UsersModule], controllers: [LanguageController] })
export class I18nModule {}
