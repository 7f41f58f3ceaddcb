import type { CookieOptions, Request, Response } from 'express';
import { DEFAULT_LANGUAGE, direction, isLanguage, type Language, LANGUAGE_NAMES, LANGUAGES, useLanguage } from './i18n';

/** The person's own choice, made with the switch at the top of every page; it outranks the clinic's default. */
export const LANGUAGE_COOKIE = 'lang';
const LANGUAGE_COOKIE_MAX_AGE_MS = 365 * 24 * 3600_000;

/** Makes `language` this browser's choice (a cookie of this host only, like the session's: `cookieOptions`). */
export function rememberLanguage(res: Response, language: Language, options: CookieOptions): void {
  res.cookie(LANGUAGE_COOKIE, language, { ...options, maxAge: LANGUAGE_COOKIE_MAX_AGE_MS });
}

/**
 * The language of a request: the person's choice (cookie), else for the JSON API the first of its
 * `Accept-Language` the platform speaks, else the clinic's default (English on the platform's own host).
 */
export function requestLanguage(req: Request, clinicDefault: Language | undefined): Language {
  const chosen: unknown = req.cookies?.[LANGUAGE_COOKIE];
  if (isLanguage(chosen)) return chosen;
  if (req.originalUrl.startsWith('/api/') && req.headers['accept-language']) {
    const accepted = req.acceptsLanguages(...LANGUAGES);
    if (isLanguage(accepted)) return accepted;
  }
  return clinicDefault ?? DEFAULT_LANGUAGE;
}

/**
 * Makes `language` the request's language: for every `t()` of the request (CLS) and for the layouts
 * (`<html lang dir>`, the switch's links back to this page).
 */
export function applyLanguage(req: Request, res: Response, language: Language): void {
  useLanguage(language);
  res.locals.lang = language;
  res.locals.dir = direction(language);
  res.locals.languageBack = req.originalUrl;
  const back = encodeURIComponent(req.originalUrl);
  res.locals.languages = LANGUAGES.map((code) => ({
    code,
    name: LANGUAGE_NAMES[code],
    current: code === language,
    href: `/language/${code}?back=${back}`,
  }));
}
