/**
 * A row id as it may appear in a URL or a body: a positive bigint. Anything else names no row, and is
 * answered 404 (or 422 in a form) before it can reach SQL as a failing cast.
 */
export const ID_PATTERN = /^[1-9]\d{0,17}$/;

export const isId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);
