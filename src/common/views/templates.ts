import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import hbs from 'hbs';
import { t } from '../../i18n/i18n';
import { checkbox } from '../validation/validators';

/**
 * Registers every template that other templates include, before the first render (hbs's own
 * registerPartials reads asynchronously):
 * - `views/partials/**` by their path below `partials/` (`forms/field`, `nav/main`);
 * - every fragment `views/<feature>/_*.hbs` by its path below `views/` (`staff/_row`), so a page and
 *   the HTMX answer that swaps one of its parts render the very same template.
 * And the few helpers the templates use.
 */
export function registerTemplates(viewsDir: string): void {
  for (const file of templateFiles(viewsDir)) {
    const name = relative(viewsDir, file).replace(/\.hbs$/, '');
    if (name.startsWith('partials/')) hbs.registerPartial(name.slice('partials/'.length), readFileSync(file, 'utf8'));
    else if (/(^|\/)_[^/]+$/.test(name)) hbs.registerPartial(name, readFileSync(file, 'utf8'));
  }
  /** `{{t "patients:form.title" name=patient.fullName}}`: the text of a key in the request's language (see src/i18n). */
  hbs.registerHelper('t', (key: string, options: { hash?: Record<string, unknown> }) => t(key, options.hash));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  /** `(concat "a" b "c")`: text joined (the last argument is Handlebars' options object). */
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map((a) => String(a ?? '')).join(''));
  /** `(default typed fallback)`: what was typed, else the fallback (an empty string counts as typed only when the form came back). */
  /** `{{#if (ticked values.x)}}`: whether a checkbox's value (as stored, or as a form sent it) means ticked. */
  hbs.registerHelper('ticked', (value: unknown) => checkbox({ value }) === true);
  hbs.registerHelper('default', (value: unknown, fallback: unknown) => (value === undefined || value === null ? fallback : value));
}

const compiled = new Map<string, (model: Record<string, unknown>) => string>();

/**
 * A registered fragment rendered to HTML outside a response, with the same helpers and partials: for
 * a view whose HTML is worth caching (it must not read request locals such as the CSRF token).
 */
export function renderFragment(name: string, model: Record<string, unknown>): string {
  let template = compiled.get(name);
  if (!template) {
    const source = (hbs.handlebars.partials as Record<string, unknown>)[name];
    if (typeof source !== 'string' && typeof source !== 'function') throw new Error(`No fragment "${name}" is registered`);
    template = typeof source === 'string' ? hbs.handlebars.compile(source) : (source as (model: Record<string, unknown>) => string);
    compiled.set(name, template);
  }
  return template(model);
}

function templateFiles(dir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return templateFiles(path);
    return entry.name.endsWith('.hbs') ? [path] : [];
  });
}
