/** A parsed filter policy, ready to match messages. */
import type { Condition } from './conditions.js';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export interface PolicyField {
  /** Dotted path: nested policy keys joined with '.', as event-ruler names them. */
  readonly path: string;
  /** Conditions a present value may satisfy (the field's "exists" entries are folded into the flags). */
  readonly conditions: readonly Condition[];
  /** {"exists": true}: any present value satisfies the field. */
  readonly anyValue: boolean;
  /** {"exists": false}: the field being absent satisfies it. */
  readonly absent: boolean;
}

export interface FilterPolicy {
  readonly scope: FilterPolicyScope;
  /** Alternatives ("$or" expanded); a message matches when every field of one branch is satisfied. */
  readonly branches: readonly (readonly PolicyField[])[];
}
