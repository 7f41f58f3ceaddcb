import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { type Language, LANGUAGES, says } from '../i18n';

/** The switch's form, signed in: the language chosen and the page to return to. */
export class ChooseLanguageDto {
  @IsIn(LANGUAGES, { message: says('common:language.unknown') })
  language: Language;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  back?: string;
}
