/**
 * Whether a message passes a filter policy. A branch passes when each of its fields is satisfied:
 * by a value meeting one of the field's conditions, or by the field's absence under
 * {"exists": false}. As in AWS's event-ruler, the values chosen for the fields must come from the
 * same element of any array they share: {"a": [1], "b": [4]} does not match
 * [{"a": 1, "b": 2}, {"a": 3, "b": 4}] under one key.
 */
import { accepts } from './conditions.js';
import { attributeEvent, bodyEvent, type EventValue, type FlatEvent, type SnsAttribute } from './event.js';
import type { FilterPolicy, PolicyField } from './policy.js';

export interface FilterInput {
  /** SNS message attributes as Publish received them */
  attributes?: Record<string, SnsAttribute>;
  /**
   * the message body parsed as JSON, for scope MessageBody (undefined if it is not JSON); pass the
   * same object for every subscription of a publish (it is flattened once) and do not change it
   */
  body?: unknown;
}

const NONE: readonly EventValue[] = [];

function candidates(field: PolicyField, values: readonly EventValue[]): readonly EventValue[] {
  if (field.anyValue) return values;
  return values.filter((value) => field.conditions.some((condition) => accepts(condition, value)));
}

/** Binds the value's array elements into `bound`; returns the ids it bound, or undefined on a clash. */
function bind(value: EventValue, bound: Map<number, number>): number[] | undefined {
  const added: number[] = [];
  for (let i = 0; i < value.arrays.length; i += 2) {
    const id = value.arrays[i]!;
    const index = value.arrays[i + 1]!;
    const existing = bound.get(id);
    if (existing === undefined) {
      bound.set(id, index);
      added.push(id);
    } else if (existing !== index) {
      for (const a of added) bound.delete(a);
      return undefined;
    }
  }
  return added;
}

function choose(picks: readonly (readonly EventValue[])[], at: number, bound: Map<number, number>): boolean {
  if (at === picks.length) return true;
  for (const value of picks[at]!) {
    const added = bind(value, bound);
    if (!added) continue;
    if (choose(picks, at + 1, bound)) return true;
    for (const id of added) bound.delete(id);
  }
  return false;
}

/** Whether one value per field can be chosen with no two from different elements of one array. */
function consistent(picks: (readonly EventValue[])[]): boolean {
  if (picks.every((values) => values.some((value) => value.arrays.length === 0))) return true;
  picks.sort((a, b) => a.length - b.length);
  return choose(picks, 0, new Map());
}

function branchMatches(fields: readonly PolicyField[], event: FlatEvent): boolean {
  const picks: (readonly EventValue[])[] = [];
  for (const field of fields) {
    const values = event.get(field.path) ?? NONE;
    if (values.length === 0) {
      if (field.absent) continue;
      return false;
    }
    const found = candidates(field, values);
    if (found.length === 0) return false;
    picks.push(found);
  }
  return consistent(picks);
}

export function matchesFilterPolicy(policy: FilterPolicy, input: FilterInput): boolean {
  const event = policy.scope === 'MessageBody' ? bodyEvent(input.body) : attributeEvent(input.attributes);
  if (!event) return false;
  return policy.branches.some((fields) => branchMatches(fields, event));
}
