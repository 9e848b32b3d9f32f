/**
 * A request's expressions (or their legacy equivalents) parsed once, in DynamoDB's order,
 * against one ExpressionScope, and made into functions of an item. The expression language
 * itself is ./expressions; this file knows which request members hold what.
 */
import type {
  AttributeValue,
  AttributeValueUpdate,
  ExpectedAttributeValue,
  Condition as LegacyCondition,
  ReturnValuesOnConditionCheckFailure,
} from '@aws-sdk/client-dynamodb';
import { AwsError } from '../../errors.js';
import type { Table } from './catalog.js';
import {
  type Condition,
  conditionFromExpected,
  conditionFromFilter,
  ExpressionScope,
  evaluate,
  type KeyCondition,
  type KeySchema,
  keyConditionFromLegacy,
  type Projection,
  project,
  projectionFromAttributesToGet,
  type UpdateExpression,
  updateFromAttributeUpdates,
} from './expressions/index.js';
import { validationError } from './expressions/validation-error.js';
import type { Item } from './item-json.js';
import { checkExpressionMix, type ExpressionParams, present } from './parameters.js';
import { checkValue } from './validation.js';

/** Which expressions an operation takes. */
export interface ExpressionKinds {
  /** Query's key condition, on these key attributes */
  key?: KeySchema;
  update?: boolean;
  condition?: boolean;
  filter?: 'ScanFilter' | 'QueryFilter';
  projection?: boolean;
}

/** Every member an expression or its legacy form can come in. */
export interface ExpressionInput extends ExpressionParams {
  KeyConditionExpression?: string;
  KeyConditions?: Record<string, LegacyCondition>;
  UpdateExpression?: string;
  AttributeUpdates?: Record<string, AttributeValueUpdate>;
  ConditionExpression?: string;
  Expected?: Record<string, ExpectedAttributeValue>;
  FilterExpression?: string;
  ScanFilter?: Record<string, LegacyCondition>;
  QueryFilter?: Record<string, LegacyCondition>;
  ProjectionExpression?: string;
  AttributesToGet?: string[];
  ConditionalOperator?: string;
}

export interface RequestExpressions {
  keyCondition?: KeyCondition;
  update?: UpdateExpression;
  /** the condition on the current item (absent item: undefined) */
  condition?: (item: Item | undefined) => boolean;
  filter?: (item: Item) => boolean;
  /** the filter's paths, for Query's rule that it may not read the key */
  filterPaths?: readonly (readonly (string | number)[])[];
  project?: (item: Item) => Item;
  /** top-level attributes some expression reads or writes through a nested path */
  nestedRoots: Set<string>;
}

function members(kinds: ExpressionKinds): { expressions: string[]; legacy: string[] } {
  const expressions: string[] = [];
  const legacy: string[] = [];
  const add = (on: unknown, expression: string, old: string) => {
    if (!on) return;
    expressions.push(expression);
    legacy.push(old);
  };
  add(kinds.key, 'KeyConditionExpression', 'KeyConditions');
  add(kinds.update, 'UpdateExpression', 'AttributeUpdates');
  add(kinds.condition, 'ConditionExpression', 'Expected');
  add(kinds.filter, 'FilterExpression', kinds.filter ?? '');
  add(kinds.projection, 'ProjectionExpression', 'AttributesToGet');
  if (kinds.condition || kinds.filter) legacy.push('ConditionalOperator');
  return { expressions, legacy };
}

/** Every AttributeValue a request's expressions or legacy members carry must be valid. */
function checkValues(input: ExpressionInput): void {
  const values = input.ExpressionAttributeValues;
  for (const key in values) {
    try {
      checkValue(values[key] as AttributeValue);
    } catch (err) {
      throw validationError(
        `ExpressionAttributeValues contains invalid value: ${(err as Error).message} for key ${key}`,
      );
    }
  }
  const lists = [input.KeyConditions, input.ScanFilter, input.QueryFilter];
  for (const map of lists) {
    for (const name in map) for (const v of map[name]?.AttributeValueList ?? []) checkValue(v);
  }
  for (const name in input.Expected) {
    const e = input.Expected[name];
    if (e?.Value) checkValue(e.Value);
    for (const v of e?.AttributeValueList ?? []) checkValue(v);
  }
  for (const name in input.AttributeUpdates) {
    const value = input.AttributeUpdates[name]?.Value;
    if (value) checkValue(value);
  }
}

const conditionFn = (c: Condition | undefined) => c && ((item: Item | undefined) => evaluate(c, item));

export function requestExpressions(input: ExpressionInput, kinds: ExpressionKinds): RequestExpressions {
  const all = members(kinds);
  const used = present(input, all.expressions);
  checkExpressionMix(input, used, present(input, all.legacy));
  checkValues(input);
  const scope =
    used.length > 0
      ? new ExpressionScope(input.ExpressionAttributeNames, input.ExpressionAttributeValues)
      : undefined;
  const out: RequestExpressions = { nestedRoots: new Set() };
  const nested = (roots: ReadonlySet<string>) => {
    for (const r of roots) out.nestedRoots.add(r);
  };
  const op = input.ConditionalOperator;
  if (kinds.update) {
    const u = input.UpdateExpression !== undefined ? scope?.update(input.UpdateExpression) : undefined;
    out.update =
      u ?? (input.AttributeUpdates ? updateFromAttributeUpdates(input.AttributeUpdates) : undefined);
    if (out.update) nested(out.update.nestedRoots);
  }
  if (kinds.condition) {
    const c =
      input.ConditionExpression !== undefined
        ? scope?.condition(input.ConditionExpression)
        : input.Expected && conditionFromExpected(input.Expected, op);
    if (c) nested(c.nestedRoots);
    out.condition = conditionFn(c);
  }
  if (kinds.filter) {
    const legacy = input[kinds.filter];
    const c =
      input.FilterExpression !== undefined
        ? scope?.condition(input.FilterExpression, 'FilterExpression')
        : legacy && conditionFromFilter(legacy, op, kinds.filter);
    if (c) {
      nested(c.nestedRoots);
      out.filterPaths = c.paths;
      out.filter = (item) => evaluate(c, item);
    }
  }
  if (kinds.projection) {
    const p: Projection | undefined =
      input.ProjectionExpression !== undefined
        ? scope?.projection(input.ProjectionExpression)
        : input.AttributesToGet && projectionFromAttributesToGet(input.AttributesToGet);
    if (p) {
      nested(p.nestedRoots);
      out.project = (item) => project(item, p);
    }
  }
  if (kinds.key) {
    out.keyCondition =
      input.KeyConditionExpression !== undefined
        ? scope?.keyCondition(input.KeyConditionExpression, kinds.key)
        : input.KeyConditions && keyConditionFromLegacy(input.KeyConditions, kinds.key);
  }
  scope?.assertAllUsed();
  return out;
}

const SCALAR_KEYS =
  "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: ";

/** Key attributes (the table's, then its indexes') are scalars: no expression may reach
 * into one with a nested path. */
export function checkScalarKeys(table: Table, nestedRoots: ReadonlySet<string>): void {
  if (nestedRoots.size === 0) return;
  for (const k of [table.hash, table.range]) {
    if (k && nestedRoots.has(k.name)) throw validationError(`${SCALAR_KEYS}Key: ${k.name}`);
  }
  for (const index of table.indexes) {
    for (const k of [index.hash, index.range]) {
      if (k && nestedRoots.has(k.name)) throw validationError(`${SCALAR_KEYS}IndexKey: ${k.name}`);
    }
  }
}

/** The error of a failed condition, carrying the item when the request asked for it. */
export function failCondition(
  mode: ReturnValuesOnConditionCheckFailure | string | undefined,
  item: Record<string, AttributeValue> | undefined,
): never {
  throw new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, {
    fields: mode === 'ALL_OLD' && item ? { Item: item } : {},
  });
}
