import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Handlebars from 'handlebars';
import hbs from 'hbs';
import { t } from '../../i18n/i18n';
import { checkbox } from '../validation/validators';

/**
 * How every template of the app compiles. `preventIndent`: Handlebars indents every line of a partial
 * called on a line of its own by that line's indentation — inside a `<textarea>` that changes what the
 * person typed (a two-line address came back with its second line indented, and saving the form
 * stored the spaces).
 */
const COMPILE_OPTIONS: CompileOptions = { preventIndent: true };

/** hbs (layouts, the file cache) over a Handlebars environment of the app's own that compiles with COMPILE_OPTIONS. */
export const views = hbs.create(compilingWith(Handlebars.create(), COMPILE_OPTIONS));

function compilingWith(env: typeof Handlebars, defaults: CompileOptions): typeof Handlebars {
  const compile = env.compile.bind(env);
  // views, layouts and partials all compile through here (hbs's file cache, Handlebars' partial runtime, renderFragment)
  env.compile = (input, options) => compile(input, { ...defaults, ...options });
  return env;
}

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
    if (name.startsWith('partials/')) views.registerPartial(name.slice('partials/'.length), readFileSync(file, 'utf8'));
    else if (/(^|\/)_[^/]+$/.test(name)) views.registerPartial(name, readFileSync(file, 'utf8'));
  }
  /** `{{t "patients:form.title" name=patient.fullName}}`: the text of a key in the request's language (see src/i18n). */
  views.registerHelper('t', (key: string, options: { hash?: Record<string, unknown> }) => t(key, options.hash));
  views.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  /** `(concat "a" b "c")`: text joined (the last argument is Handlebars' options object). */
  views.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map((a) => String(a ?? '')).join(''));
  /** `{{#if (ticked values.x)}}`: whether a checkbox's value (as stored, or as a form sent it) means ticked. */
  views.registerHelper('ticked', (value: unknown) => checkbox({ value }) === true);
  /** `(default typed fallback)`: what was typed, else the fallback (an empty string counts as typed only when the form came back). */
  views.registerHelper('default', (value: unknown, fallback: unknown) => (value === undefined || value === null ? fallback : value));
}

const compiled = new Map<string, (model: Record<string, unknown>) => string>();

/**
 * A registered fragment rendered to HTML outside a response, with the same helpers and partials: for
 * a view whose HTML is worth caching (it must not read request locals such as the CSRF token).
 */
export function renderFragment(name: string, model: Record<string, unknown>): string {
  let template = compiled.get(name);
  if (!template) {
    const source = (views.handlebars.partials as Record<string, unknown>)[name];
    if (typeof source !== 'string' && typeof source !== 'function') throw new Error(`No fragment "${name}" is registered`);
    template = typeof source === 'string' ? views.handlebars.compile(source) : (source as (model: Record<string, unknown>) => string);
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
