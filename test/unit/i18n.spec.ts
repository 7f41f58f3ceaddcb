import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { hasTranslation, inLanguage, LANGUAGES, loadResources, LOCALES_DIR, type Resources, t, translate } from '../../src/i18n/i18n';

/*
 * The translation files against each other and against the code: a key missing in either language,
 * a placeholder one language forgot, a plural form Arabic needs, or a key the code asks for that no
 * file has, fails here.
 */

const ROOT = join(__dirname, '..', '..');
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** `{ a: { b: 'x' } }` → `{ 'a.b': 'x' }` */
function flatten(tree: Record<string, unknown>, prefix = ''): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') Object.assign(flat, flatten(value as Record<string, unknown>, path));
    else flat[path] = value as string;
  }
  return flat;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]).filter((name) => name !== 'count');

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, extension);
    return entry.name.endsWith(extension) ? [path] : [];
  });
}

const resources: Resources = loadResources();
const flat = (language: string, namespace: string) => flatten(resources[language][namespace] ?? {});

describe('translation files', () => {
  it('has the same namespaces in every language', () => {
    const [first, ...others] = LANGUAGES.map((language) => readdirSync(join(LOCALES_DIR, language)).sort());
    expect(first.length).toBeGreaterThan(0);
    for (const other of others) expect(other).toEqual(first);
  });

  for (const namespace of Object.keys(resources.en)) {
    describe(namespace, () => {
      it('has every key in both languages (plural forms aside), and no empty text', () => {
        const base = (language: string) => [...new Set(Object.keys(flat(language, namespace)).map((k) => k.replace(PLURAL_SUFFIX, '')))].sort();
        const english = base('en');
        for (const language of LANGUAGES) {
          expect({ language, keys: base(language) }).toEqual({ language, keys: english });
          const empty = Object.entries(flat(language, namespace)).filter(([, text]) => typeof text !== 'string' || text.trim() === '');
          expect(empty).toEqual([]);
        }
      });

      it("has every plural form each language's grammar needs", () => {
        for (const language of LANGUAGES) {
          const keys = Object.keys(flat(language, namespace));
          const plurals = new Set(keys.filter((k) => PLURAL_SUFFIX.test(k)).map((k) => k.replace(PLURAL_SUFFIX, '')));
          const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
          for (const key of plurals) {
            const missing = categories.filter((category) => !keys.includes(`${key}_${category}`));
            expect({ language, key, missing }).toEqual({ language, key, missing: [] });
          }
        }
      });

      it('uses the same placeholders in both languages', () => {
        const byBase = (language: string) => {
          const names = new Map<string, Set<string>>();
          for (const [key, text] of Object.entries(flat(language, namespace))) {
            const base = key.replace(PLURAL_SUFFIX, '');
            const set = names.get(base) ?? new Set<string>();
            for (const name of placeholders(text)) set.add(name);
            names.set(base, set);
          }
          return names;
        };
        const english = byBase('en');
        for (const language of LANGUAGES) {
          for (const [key, names] of byBase(language)) {
            expect({ language, key, names: [...names].sort() }).toEqual({ language, key, names: [...(english.get(key) ?? [])].sort() });
          }
        }
      });
    });
  }
});

describe('keys the code asks for', () => {
  /** Every literal key: `{{t "ns:key"` (and `(t "ns:key"`) in templates, `t('ns:key'` / `translate(x, 'ns:key'` / `says('ns:key'` in code. */
  const used: { key: string; where: string }[] = [];
  for (const file of filesUnder(join(ROOT, 'views'), '.hbs')) {
    for (const match of readFileSync(file, 'utf8').matchAll(/[{(]t\s+["']([^"']+)["']/g)) used.push({ key: match[1], where: relative(ROOT, file) });
  }
  for (const file of filesUnder(join(ROOT, 'src'), '.ts')) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/\b(?:t|says|translate\([^,()]+,)\s*\(?\s*'([a-z][\w-]*:[^'$]+)'/g)) used.push({ key: match[1], where: relative(ROOT, file) });
  }

  it('finds the keys (the scan itself works)', () => {
    expect(used.length).toBeGreaterThan(20);
    expect(used.some((u) => u.where.startsWith('views/'))).toBe(true);
    expect(used.some((u) => u.where.startsWith('src/'))).toBe(true);
  });

  it('has every key used in the templates and the code, in every language', () => {
    const missing = used.flatMap(({ key, where }) =>
      LANGUAGES.filter((language) => !hasTranslation(language, key) && !hasTranslation(language, `${key}_other`)).map((language) => `${language} ${key} (${where})`),
    );
    expect(missing).toEqual([]);
  });
});

describe('translate', () => {
  it('fills placeholders and picks the language', () => {
    expect(translate('en', 'common:errors.unknownClinic', { host: 'x.example' })).toBe('There is no clinic at x.example.');
    expect(translate('ar', 'common:errors.unknownClinic', { host: 'x.example' })).toBe('لا توجد عيادة على العنوان x.example.');
  });

  it('reads the current language inside inLanguage, and English outside any request', () => {
    expect(t('common:signOut')).toBe('Sign out');
    expect(inLanguage('ar', () => t('common:signOut'))).toBe('تسجيل الخروج');
    expect(t('common:signOut')).toBe('Sign out');
  });
});
