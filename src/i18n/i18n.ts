import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n, type TOptions } from 'i18next';
import { ClsServiceManager } from 'nestjs-cls';
import { PROJECT_ROOT } from '../config/app-config';

/*
 * Every word a person reads — pages, messages, PDFs, emails — comes from the translation files
 * `locales/<language>/<namespace>.json` (one namespace per capability), through i18next. Keys are
 * `namespace:dotted.key`; `test/unit/i18n.spec.ts` fails when a key is missing in either language.
 */

export const LANGUAGES = ['en', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language's own name, for the switch. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', ar: 'العربية' };

export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** Writing direction of a language: `rtl` for Arabic. */
export const direction = (language: Language): 'ltr' | 'rtl' => (language === 'ar' ? 'rtl' : 'ltr');

/**
 * The Intl/luxon locale of a language (plain `en`: `en-GB` would shorten September to "Sept"). Arabic shows Arabic month and day names with Latin digits
 * (`nu-latn`): phone numbers, file numbers and the times people type stay in the digits they are
 * typed in, so a page never mixes two sets of digits.
 */
export const LOCALES: Readonly<Record<Language, string>> = { en: 'en', ar: 'ar-u-nu-latn' };

export const LOCALES_DIR = join(PROJECT_ROOT, 'locales');

/** The translation files as loaded: language → namespace → nested keys. */
export type Resources = Record<string, Record<string, Record<string, unknown>>>;

export function loadResources(dir: string = LOCALES_DIR): Resources {
  const resources: Resources = {};
  for (const language of LANGUAGES) {
    resources[language] = {};
    for (const file of readdirSync(join(dir, language)).filter((f) => f.endsWith('.json')).sort()) {
      resources[language][file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, language, file), 'utf8')) as Record<string, unknown>;
    }
  }
  return resources;
}

let instance: i18n | undefined;

/** The one i18next instance, initialised synchronously from the files on first use. */
function translator(): i18n {
  if (instance) return instance;
  const resources = loadResources();
  const created = i18next.createInstance();
  void created.init({
    resources,
    initAsync: false,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources[DEFAULT_LANGUAGE]),
    defaultNS: 'common',
    // Handlebars escapes what a helper returns, the PDF and plain-text email need the raw text
    interpolation: { escapeValue: false },
    returnNull: false,
    returnEmptyString: false,
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  instance = created;
  return created;
}

/**
 * Texts without values, once looked up: most of a page's words (labels, headings) are asked for on
 * every request and every row, and i18next's lookup costs microseconds each time. The files do not
 * change while the process runs, so the memo never goes stale; it holds every key once per language
 * (bounded all the same, should a key ever be built from something unbounded).
 */
const plain = new Map<string, string>();
const PLAIN_MAX = 20_000;

/** The text of `key` in `language`, with `{{name}}` placeholders filled (and `count` choosing the plural form). */
export function translate(language: Language, key: string, values?: Record<string, unknown>): string {
  if (values === undefined || Object.keys(values).length === 0) {
    const memo = `${language}\u0000${key}`;
    let text = plain.get(memo);
    if (text === undefined) {
      text = translator().t(key, { lng: language }) as string;
      if (plain.size < PLAIN_MAX) plain.set(memo, text);
    }
    return text;
  }
  return translator().t(key, { ...(values as TOptions), lng: language }) as string;
}

/** Whether `key` exists in `language` (for tests and for messages that may or may not have a translation). */
export function hasTranslation(language: Language, key: string): boolean {
  return translator().exists(key, { lng: language });
}

const LANGUAGE_KEY = 'language';

/**
 * The language of the current request (or job): set once per request from the person's choice or
 * the clinic's default; English outside any request (the operator's CLI).
 */
export function currentLanguage(): Language {
  const cls = ClsServiceManager.getClsService();
  const language = cls.isActive() ? cls.get<Language | undefined>(LANGUAGE_KEY) : undefined;
  return language ?? DEFAULT_LANGUAGE;
}

/** Sets the current request's language (the request must run inside CLS). */
export function useLanguage(language: Language): void {
  const cls = ClsServiceManager.getClsService();
  if (cls.isActive()) cls.set(LANGUAGE_KEY, language);
}

/** Runs `task` with `language` as the current language, in its own context (jobs, notices to one patient). */
export function inLanguage<T>(language: Language, task: () => T): T {
  const cls = ClsServiceManager.getClsService();
  return cls.run({ ifNested: 'inherit' }, () => {
    cls.set(LANGUAGE_KEY, language);
    return task();
  });
}

/** `translate` in the current language: what services call for the words they hand to a person. */
export function t(key: string, values?: Record<string, unknown>): string {
  return translate(currentLanguage(), key, values);
}

/** The luxon/Intl locale of the current language. */
export const currentLocale = (): string => LOCALES[currentLanguage()];

/**
 * A class-validator `message` that reads `key` when validation runs, so a field's message is in the
 * language of the request that sent the form: `@IsNotEmpty({ message: says('<namespace>:<key>') })`.
 */
export const says =
  (key: string, values?: Record<string, unknown>) =>
  (): string =>
    t(key, values);
