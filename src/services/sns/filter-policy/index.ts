/**
 * SNS subscription filter policies: parse a FilterPolicy attribute (with SNS's validation and
 * messages) and decide whether a published message passes it. Pure: no store, no I/O.
 */
export type { FilterInput } from './match.js';
export { matchesFilterPolicy } from './match.js';
export type { ParseFilterPolicyOptions } from './parse.js';
export { parseFilterPolicy } from './parse.js';
export type { FilterPolicy, FilterPolicyScope } from './policy.js';
