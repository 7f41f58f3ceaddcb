import { SetMetadata, type Type } from '@nestjs/common';
import type { Request } from 'express';
import type { UserRole } from '../users/user.entity';

/**
 * Every route on a clinic's host declares who may reach it: `@Public()` or `@Roles(...)`. A route
 * that declares neither is refused (fail closed), and the route table test lists it.
 */
export type AccessRule = { readonly kind: 'public' } | { readonly kind: 'roles'; readonly roles: readonly UserRole[] };

export const ACCESS_RULE = 'clinic:access-rule';

export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

export const Roles = (...roles: [UserRole, ...UserRole[]]) => SetMetadata(ACCESS_RULE, { kind: 'roles', roles } satisfies AccessRule);

/** A form route: on a refusal (422 validation, 401 sign-in, 403 CSRF, 429) the form is shown again with the message instead of an error page. */
export interface FormView {
  /** Full page view, rendered in `layout`. */
  readonly view: string;
  readonly layout: string;
  /** Fragment view for HTMX requests (defaults to the full view without layout). */
  readonly fragment?: string;
  /** Fields never echoed back into the form. */
  readonly secretFields?: readonly string[];
  /**
   * What the form needs besides what was typed (the doctors to choose from, the patient's name…):
   * read again, in a fresh read-only transaction of the clinic, when the form is shown again.
   */
  readonly model?: Type<FormModelProvider>;
}

/** Supplies a form's page model when a refusal re-renders it (`refusal` is what was thrown). */
export interface FormModelProvider {
  formModel(req: Request, refusal: unknown): Promise<Record<string, unknown>>;
}

export const FORM_VIEW = 'clinic:form-view';

export const RendersForm = (form: FormView) => SetMetadata(FORM_VIEW, form);
