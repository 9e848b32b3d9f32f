/**
 * A subscription's filter policy as delivery uses it: parsed once per policy text (not per
 * publish) and matched against a message's attributes or, with FilterPolicyScope
 * MessageBody, its JSON body. The policy language itself is in filter-policy/.
 */
import type { SnsAttribute } from './envelope.js';
import { type FilterPolicyScope, matchesFilterPolicy, parseFilterPolicy } from './filter-policy/index.js';

export type FilterScope = FilterPolicyScope;

export interface FilterSubject {
  attributes?: Record<string, SnsAttribute>;
  /** the message parsed as JSON (undefined when it is not JSON), for scope MessageBody */
  body(): unknown;
}

export type Filter = (subject: FilterSubject) => boolean;

/** Checks a FilterPolicy for a scope; throws SNS's InvalidParameter, worded for the operation. */
export function checkFilterPolicy(policy: string, scope: FilterScope, atSubscribe: boolean): void {
  parseFilterPolicy(policy, scope, { operation: atSubscribe ? 'Subscribe' : 'SetSubscriptionAttributes' });
}

const compiled = new Map<string, Filter>();
const MAX_COMPILED = 10_000;

function compile(policy: string, scope: FilterScope): Filter {
  const parsed = parseFilterPolicy(policy, scope);
  if (scope === 'MessageBody') return (subject) => matchesFilterPolicy(parsed, { body: subject.body() });
  return (subject) => matchesFilterPolicy(parsed, { attributes: subject.attributes });
}

/** The filter of a policy and scope, made once per distinct policy. */
export function filterOf(policy: string, scope: FilterScope): Filter {
  const key = `${scope}\n${policy}`;
  let filter = compiled.get(key);
  if (!filter) {
    filter = compile(policy, scope);
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, filter);
  }
  return filter;
}
