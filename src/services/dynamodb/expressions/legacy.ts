/**
 * The legacy parameters (Expected, QueryFilter, ScanFilter, KeyConditions,
 * ConditionalOperator, AttributeUpdates, AttributesToGet) made into the structures the
 * expressions produce, with DynamoDB's messages for their own rules. The translation is
 * the one AWS's own clients use (NULL is attribute_not_exists, NOT_CONTAINS is
 * "attribute_exists AND NOT contains", ...), so both forms evaluate alike.
 */
import type {
  AttributeValue,
  AttributeValueUpdate,
  ExpectedAttributeValue,
  Condition as FilterCondition,
} from '@aws-sdk/client-dynamodb';
import {
  attributePath,
  type CallNode,
  type Condition,
  type ConditionNode,
  type KeyCondition,
  type KeyConditionOperator,
  literal,
  type PathNode,
  type Projection,
  type UpdateAction,
  type UpdateExpression,
} from './ast.js';
import { type AttributeType, compareValues, typeOf } from './compare.js';
import { type KeyPart, type KeySchema, keyConditionOf } from './key-condition.js';
import { emptyTree, insertPath } from './paths.js';
import { validationError } from './validation-error.js';

const INVALID = 'One or more parameter values were invalid: ';
const ORDERED: readonly AttributeType[] = ['S', 'N', 'B'];

interface OperatorRule {
  /** Number of values; -1 for one or more. */
  readonly count: number;
  /** Value types accepted; undefined for any. */
  readonly types: readonly AttributeType[] | undefined;
}

const OPERATORS: Readonly<Record<string, OperatorRule>> = {
  EQ: { count: 1, types: undefined },
  NE: { count: 1, types: undefined },
  LE: { count: 1, types: ORDERED },
  LT: { count: 1, types: ORDERED },
  GE: { count: 1, types: ORDERED },
  GT: { count: 1, types: ORDERED },
  NOT_NULL: { count: 0, types: undefined },
  NULL: { count: 0, types: undefined },
  CONTAINS: { count: 1, types: ['S', 'N', 'B', 'BOOL', 'NULL'] },
  NOT_CONTAINS: { count: 1, types: ['S', 'N', 'B', 'BOOL', 'NULL'] },
  BEGINS_WITH: { count: 1, types: ['S', 'B'] },
  IN: { count: -1, types: ORDERED },
  BETWEEN: { count: 2, types: ORDERED },
};
const OPERATOR_ENUM =
  '[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]';
const COMPARATORS: Readonly<Record<string, '=' | '<>' | '<' | '<=' | '>' | '>='>> = {
  EQ: '=',
  NE: '<>',
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
};
const KEY_OPERATORS: Readonly<Record<string, KeyConditionOperator>> = {
  EQ: '=',
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
  BETWEEN: 'BETWEEN',
  BEGINS_WITH: 'begins_with',
};

export type FilterParameter = 'QueryFilter' | 'ScanFilter';

function member(parameter: string, attribute: string, field: string): string {
  return `${parameter[0]!.toLowerCase()}${parameter.slice(1)}.${attribute}.member.${field}`;
}

function enumError(value: unknown, at: string, values: string): Error {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  const constraint =
    shown === 'null' ? 'Member must not be null' : `Member must satisfy enum value set: ${values}`;
  return validationError(
    `1 validation error detected: Value ${shown} at '${at}' failed to satisfy constraint: ${constraint}`,
  );
}

/** A ComparisonOperator's values checked as DynamoDB checks them. */
function checkArguments(operator: string, values: readonly AttributeValue[], at: string): void {
  const rule = Object.hasOwn(OPERATORS, operator) ? OPERATORS[operator] : undefined;
  if (rule === undefined) throw enumError(operator, at, OPERATOR_ENUM);
  if (rule.count === -1 ? values.length === 0 : values.length !== rule.count) {
    throw validationError(`${INVALID}Invalid number of argument(s) for the ${operator} ComparisonOperator`);
  }
  const first = values[0] === undefined ? undefined : typeOf(values[0]);
  for (const value of values) {
    const type = typeOf(value);
    if (type !== undefined && rule.types !== undefined && !rule.types.includes(type)) {
      throw validationError(
        `${INVALID}ComparisonOperator ${operator} is not valid for ${type} AttributeValue type`,
      );
    }
    if (type !== first)
      throw validationError(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
  }
  if (operator === 'BETWEEN' && compareValues(values[0]!, values[1]!) > 0) {
    throw validationError(
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    );
  }
}

function call(name: string, args: CallNode['args']): CallNode {
  return { kind: 'call', name, args, at: -1 };
}

function comparisonNode(
  attribute: string,
  operator: string,
  values: readonly AttributeValue[],
): ConditionNode {
  const path = attributePath(attribute);
  const operands = values.map(literal);
  const comparator = COMPARATORS[operator];
  if (comparator !== undefined) return { kind: 'compare', op: comparator, left: path, right: operands[0]! };
  switch (operator) {
    case 'NOT_NULL':
      return call('attribute_exists', [path]);
    case 'NULL':
      return call('attribute_not_exists', [path]);
    case 'CONTAINS':
      return call('contains', [path, operands[0]!]);
    case 'NOT_CONTAINS':
      return {
        kind: 'and',
        left: call('attribute_exists', [path]),
        right: { kind: 'not', operand: call('contains', [path, operands[0]!]) },
      };
    case 'BEGINS_WITH':
      return call('begins_with', [path, operands[0]!]);
    case 'IN':
      return { kind: 'in', subject: path, list: operands };
    default:
      return { kind: 'between', subject: path, low: operands[0]!, high: operands[1]! };
  }
}

function combine(nodes: ConditionNode[], attributes: string[], conditionalOperator: string | undefined) {
  if (conditionalOperator !== undefined && conditionalOperator !== 'AND' && conditionalOperator !== 'OR') {
    throw enumError(conditionalOperator, 'conditionalOperator', '[OR, AND]');
  }
  if (nodes.length === 0) return undefined;
  const kind = conditionalOperator === 'OR' ? 'or' : 'and';
  const root = nodes.reduce((left, right): ConditionNode => ({ kind, left, right }));
  const condition: Condition = { root, paths: attributes.map((a) => [a]), nestedRoots: new Set() };
  return condition;
}

function expectedNode(attribute: string, expected: ExpectedAttributeValue): ConditionNode {
  const { Value: value, Exists: exists, ComparisonOperator: operator, AttributeValueList: list } = expected;
  if (operator != null) {
    if (exists != null) {
      throw validationError(
        `${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${attribute}`,
      );
    }
    if (value != null && list != null) {
      throw validationError(
        `${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${attribute}`,
      );
    }
    const values = list ?? (value == null ? [] : [value]);
    checkArguments(operator, values, member('Expected', attribute, 'comparisonOperator'));
    return comparisonNode(attribute, operator, values);
  }
  if (list != null) {
    throw validationError(
      `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${attribute}`,
    );
  }
  if (exists === false) {
    if (value != null)
      throw validationError(
        `${INVALID}Value cannot be used when Exists is false for Attribute: ${attribute}`,
      );
    return call('attribute_not_exists', [attributePath(attribute)]);
  }
  if (value == null) {
    const shown = exists == null ? 'null' : 'true';
    throw validationError(
      `${INVALID}Value must be provided when Exists is ${shown} for Attribute: ${attribute}`,
    );
  }
  return { kind: 'compare', op: '=', left: attributePath(attribute), right: literal(value) };
}

/** The condition an Expected map states (undefined when it states none). */
export function conditionFromExpected(
  expected: Record<string, ExpectedAttributeValue>,
  conditionalOperator?: string,
): Condition | undefined {
  const nodes: ConditionNode[] = [];
  const attributes: string[] = [];
  for (const [attribute, condition] of Object.entries(expected)) {
    if (condition == null) continue;
    nodes.push(expectedNode(attribute, condition));
    attributes.push(attribute);
  }
  return combine(nodes, attributes, conditionalOperator);
}

/** The condition a QueryFilter or ScanFilter states (undefined when it states none). */
export function conditionFromFilter(
  filter: Record<string, FilterCondition>,
  conditionalOperator?: string,
  parameter: FilterParameter = 'ScanFilter',
): Condition | undefined {
  const nodes: ConditionNode[] = [];
  const attributes: string[] = [];
  for (const [attribute, condition] of Object.entries(filter)) {
    if (condition == null) continue;
    const at = member(parameter, attribute, 'comparisonOperator');
    const operator = condition.ComparisonOperator;
    if (operator == null) throw enumError(undefined, at, OPERATOR_ENUM);
    const values = condition.AttributeValueList ?? [];
    checkArguments(operator, values, at);
    nodes.push(comparisonNode(attribute, operator, values));
    attributes.push(attribute);
  }
  return combine(nodes, attributes, conditionalOperator);
}

/** The key condition a Query's KeyConditions state, checked against the key schema. */
export function keyConditionFromLegacy(
  keyConditions: Record<string, FilterCondition>,
  key: KeySchema,
): KeyCondition {
  const parts = new Map<string, KeyPart>();
  for (const [attribute, condition] of Object.entries(keyConditions)) {
    const at = member('KeyConditions', attribute, 'comparisonOperator');
    const operator = condition?.ComparisonOperator;
    if (operator == null) throw enumError(undefined, at, OPERATOR_ENUM);
    const values = condition.AttributeValueList ?? [];
    checkArguments(operator, values, at);
    const op = KEY_OPERATORS[operator];
    if (op === undefined)
      throw validationError('Attempted conditional constraint is not an indexable operation');
    parts.set(attribute, { op, values: [...values] });
  }
  if (parts.size === 0) throw validationError('Conditions can be of length 1 or 2 only');
  return keyConditionOf(parts, key);
}

const ACTION_ENUM = '[ADD, PUT, DELETE]';
const ADDABLE: readonly AttributeType[] = ['N', 'SS', 'NS', 'BS', 'L'];
const DELETABLE: readonly AttributeType[] = ['SS', 'NS', 'BS'];

function updateAction(attribute: string, update: AttributeValueUpdate): UpdateAction {
  const action = update.Action ?? 'PUT';
  if (action !== 'PUT' && action !== 'ADD' && action !== 'DELETE') {
    throw enumError(action, member('AttributeUpdates', attribute, 'action'), ACTION_ENUM);
  }
  const path: PathNode = attributePath(attribute);
  const value = update.Value;
  if (value == null) {
    if (action !== 'DELETE')
      throw validationError(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
    return { kind: 'REMOVE', path, value: undefined };
  }
  const type = typeOf(value);
  if (action === 'PUT') return { kind: 'SET', path, value: literal(value) };
  if (action === 'ADD') {
    if (type !== undefined && !ADDABLE.includes(type)) {
      throw validationError(`${INVALID}ADD action is not supported for the type ${type}`);
    }
    return { kind: 'ADD', path, value: literal(value) };
  }
  if (type !== undefined && !DELETABLE.includes(type)) {
    throw validationError(`${INVALID}DELETE action with value is not supported for the type ${type}`);
  }
  return { kind: 'DELETE', path, value: literal(value) };
}

/** The update an AttributeUpdates map states. */
export function updateFromAttributeUpdates(updates: Record<string, AttributeValueUpdate>): UpdateExpression {
  const actions: UpdateAction[] = [];
  const tree = emptyTree<UpdateAction>();
  for (const [attribute, update] of Object.entries(updates)) {
    if (update == null) continue;
    const action = updateAction(attribute, update);
    actions.push(action);
    insertPath(tree, action.path.resolved, action);
  }
  const targets = actions.map((action) => action.path.resolved);
  return { actions, tree, targets, reads: [], nestedRoots: new Set(), legacy: true };
}

/** The projection AttributesToGet names. */
export function projectionFromAttributesToGet(names: readonly string[]): Projection {
  const tree = emptyTree<true>();
  for (const name of names) {
    if (insertPath(tree, [name], true) !== undefined) {
      throw validationError(`${INVALID}Duplicate value in attribute name: ${name}`);
    }
  }
  return { paths: names.map((name) => [name]), tree, nestedRoots: new Set() };
}
