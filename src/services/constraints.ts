/**
 * AWS's model-constraint errors ("1 validation error detected: Value 'x' at 'name' failed
 * to satisfy constraint: ..."), written the way the real services join several of them.
 */
import { AwsError } from '../errors.js';

export interface Violation {
  value: unknown;
  /** the member name as AWS spells it here: lower camel case, e.g. roleSessionName */
  at: string;
  constraint: string;
}

export const lengthAtLeast = (n: number) => `Member must have length greater than or equal to ${n}`;
export const lengthAtMost = (n: number) => `Member must have length less than or equal to ${n}`;
export const valueAtLeast = (n: number) => `Member must have value greater than or equal to ${n}`;
export const valueAtMost = (n: number) => `Member must have value less than or equal to ${n}`;
export const matchPattern = (p: string) => `Member must satisfy regular expression pattern: ${p}`;
export const NOT_NULL = 'Member must not be null';

/** Throws the error for the violations found, if any (code differs by service). */
export function throwIfViolations(violations: Violation[], code = 'ValidationException'): void {
  if (violations.length === 0) return;
  const n = violations.length;
  const head = `${n} validation error${n > 1 ? 's' : ''} detected: `;
  const parts = violations.map((v) =>
    v.value === undefined || v.value === null
      ? `Value null at '${v.at}' failed to satisfy constraint: ${v.constraint}`
      : `Value '${String(v.value)}' at '${v.at}' failed to satisfy constraint: ${v.constraint}`,
  );
  throw new AwsError(code, head + parts.join('; '), 400);
}

/** Collects the length and pattern violations of one string member. */
export function checkString(
  value: string | undefined,
  at: string,
  rules: { min?: number; max?: number; pattern?: [RegExp, string]; required?: boolean },
): Violation[] {
  if (value === undefined) return rules.required ? [{ value, at, constraint: NOT_NULL }] : [];
  const out: Violation[] = [];
  if (rules.min !== undefined && value.length < rules.min)
    out.push({ value, at, constraint: lengthAtLeast(rules.min) });
  if (rules.max !== undefined && value.length > rules.max)
    out.push({ value, at, constraint: lengthAtMost(rules.max) });
  if (rules.pattern && !rules.pattern[0].test(value)) {
    out.push({ value, at, constraint: matchPattern(rules.pattern[1]) });
  }
  return out;
}
