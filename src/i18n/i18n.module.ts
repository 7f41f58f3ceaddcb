import { Module } from '@nestjs/common';
import { LanguageController } from './language.controller';

/** The language switch. Translation itself is `t()` from `./i18n`, usable anywhere (services, PDFs, notices). */
@Module({ controllers: [LanguageController] })
export class I18nModule {}
