/**
 * FilterPolicy JSON to FilterPolicy, validated in the order SNS does: the JSON must parse (Jackson's
 * message after "failed to parse JSON."), then compile as event-ruler compiles it (its message and
 * Jackson's position), then keep within SNS's limits, then suit the subscription's scope.
 */
import { AwsError } from '../../../errors.js';
import { type Branch, type CompiledRules, compileRules, type FieldRule } from './compile.js';
import { JsonReader } from './json-reader.js';
import { LocatedError } from './located-error.js';
import type { FilterPolicy, FilterPolicyScope, PolicyField } from './policy.js';

/** The largest policy SNS accepts: 256 KB. */
const MAX_POLICY_BYTES = 256 * 1024;
/** At most five keys (fields with values; a nested policy's parent keys do not count). */
const MAX_KEYS = 5;
/** The "total combination of values" SNS allows. */
const MAX_COMBINATIONS = 150;

export interface ParseFilterPolicyOptions {
  /** Subscribe words its attribute errors "Attributes Reason: ..."; SetSubscriptionAttributes does not. */
  readonly operation?: 'Subscribe' | 'SetSubscriptionAttributes';
}

class PolicyRejection extends Error {
  /** Whether the message belongs to the FilterPolicy attribute ("FilterPolicy: ..."). */
  readonly ofAttribute: boolean;

  constructor(message: string, ofAttribute = true) {
    super(message);
    this.ofAttribute = ofAttribute;
  }
}

/** Reads the first JSON value to its end, as Jackson's ObjectMapper does (what follows it is ignored). */
function checkSyntax(json: string): void {
  const reader = new JsonReader(json);
  try {
    do {
      const token = reader.nextToken();
      if (token === undefined) return;
      if (token === 'string') reader.text();
    } while (!reader.finishedRoot);
  } catch (error) {
    if (error instanceof LocatedError)
      throw new PolicyRejection(`failed to parse JSON. ${error.jacksonMessage}`);
    throw error;
  }
}

function compile(json: string): CompiledRules {
  try {
    return compileRules(json);
  } catch (error) {
    if (error instanceof LocatedError) throw new PolicyRejection(error.jacksonMessage);
    throw error;
  }
}

/**
 * The total combination of values, as AWS documents it: per branch the product, over its fields,
 * of the number of values times the depth of the field; summed over the "$or" branches.
 */
function combinations(branches: readonly Branch[]): number {
  let total = 0;
  for (const branch of branches) {
    let product = 1;
    for (const rule of branch.values()) product *= rule.conditions.length * rule.depth;
    total += product;
  }
  return total;
}

function checkLimits({ branches, truncated }: CompiledRules): void {
  if (branches.some((branch) => branch.size > MAX_KEYS)) {
    throw new PolicyRejection(`Filter policy can not have more than ${MAX_KEYS} keys`);
  }
  if (truncated || combinations(branches) > MAX_COMBINATIONS) {
    throw new PolicyRejection('Filter policy is too complex');
  }
}

function checkScope(branches: readonly Branch[], scope: FilterPolicyScope): void {
  if (scope !== 'MessageAttributes') return;
  if (branches.some((branch) => [...branch.values()].some((rule) => rule.depth > 1))) {
    throw new PolicyRejection(
      'Filter policy scope MessageAttributes does not support nested filter policy',
      false,
    );
  }
}

function field(path: string, rule: FieldRule): PolicyField {
  const exists = rule.conditions.flatMap((c) => (c.kind === 'exists' ? [c.value] : []));
  return {
    path,
    conditions: rule.conditions.filter((c) => c.kind !== 'exists'),
    anyValue: exists.includes(true),
    absent: exists.includes(false),
  };
}

function build(branches: readonly Branch[], scope: FilterPolicyScope): FilterPolicy {
  return {
    scope,
    branches: branches.map((branch) => [...branch].map(([path, rule]) => field(path, rule))),
  };
}

function rejection(error: PolicyRejection, options: ParseFilterPolicyOptions): AwsError {
  const prefix =
    options.operation === 'Subscribe' ? 'Invalid parameter: Attributes Reason: ' : 'Invalid parameter: ';
  const message = error.ofAttribute ? `FilterPolicy: ${error.message}` : error.message;
  return new AwsError('InvalidParameter', `${prefix}${message}`, 400);
}

/**
 * Throws AwsError('InvalidParameter', message, 400) with SNS's message for a bad policy. An empty
 * FilterPolicy attribute removes the policy in SNS: callers handle that before calling this.
 */
export function parseFilterPolicy(
  json: string,
  scope: FilterPolicyScope,
  options: ParseFilterPolicyOptions = {},
): FilterPolicy {
  try {
    if (Buffer.byteLength(json, 'utf8') > MAX_POLICY_BYTES)
      throw new PolicyRejection('Filter policy is too long');
    checkSyntax(json);
    const rules = compile(json);
    checkLimits(rules);
    checkScope(rules.branches, scope);
    return build(rules.branches, scope);
  } catch (error) {
    if (error instanceof PolicyRejection) throw rejection(error, options);
    throw error;
  }
}
