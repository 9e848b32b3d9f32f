/**
 * A Query's key condition: a condition (already validated as any condition is) narrowed to
 * what DynamoDB can answer from its index, with DynamoDB's messages. First the shape, one
 * condition at a time as written: only =, <, <=, >, >=, BETWEEN and begins_with joined by
 * AND, each comparing one top-level attribute with values. Then the key schema: the
 * partition key with =, at most the sort key besides, values of the key's type.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ConditionNode, KeyCondition, KeyConditionOperator, Operand } from './ast.js';
import { compareValues, typeOf } from './compare.js';
import { beginsWith } from './evaluate.js';
import { validationError } from './validation-error.js';

/** The key attributes of the table or index queried; their types when known. */
export interface KeySchema {
  readonly hash: string;
  readonly range?: string;
  readonly hashType?: 'S' | 'N' | 'B';
  readonly rangeType?: 'S' | 'N' | 'B';
}

/** One attribute's condition within a key condition. */
export interface KeyPart {
  readonly op: KeyConditionOperator;
  readonly values: AttributeValue[];
}

const INVERSE: Readonly<Record<string, KeyConditionOperator>> = {
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};
const INVALID_OPERATOR = 'Invalid operator used in KeyConditionExpression: ';
const INVALID_CONDITION = 'Invalid condition in KeyConditionExpression: ';
const INVALID_KEY_CONDITION = 'Invalid KeyConditionExpression: ';

function operatorOf(node: ConditionNode): { op: KeyConditionOperator; operands: readonly Operand[] } {
  switch (node.kind) {
    case 'compare':
      if (node.op === '<>') throw validationError(`${INVALID_OPERATOR}<>`);
      return { op: node.op, operands: [node.left, node.right] };
    case 'between':
      return { op: 'BETWEEN', operands: [node.subject, node.low, node.high] };
    case 'call':
      if (node.name !== 'begins_with') throw validationError(INVALID_OPERATOR + node.name);
      return { op: 'begins_with', operands: node.args };
    case 'in':
      throw validationError(`${INVALID_OPERATOR}IN`);
    case 'not':
      throw validationError(`${INVALID_OPERATOR}NOT`);
    default:
      throw validationError(`${INVALID_OPERATOR}${node.kind.toUpperCase()}`);
  }
}

function extractPart(node: ConditionNode, parts: Map<string, KeyPart>): void {
  let { op, operands } = operatorOf(node);
  let name: string | undefined;
  const values: AttributeValue[] = [];
  for (const operand of operands) {
    if (operand.kind === 'path') {
      if (name !== undefined)
        throw validationError(`${INVALID_CONDITION}Multiple attribute names used in one condition`);
      if (operand.resolved.length > 1) {
        throw validationError(
          `${INVALID_KEY_CONDITION}KeyConditionExpressions cannot have conditions on nested attributes`,
        );
      }
      name = operand.resolved[0] as string;
    } else if (operand.kind === 'value') {
      if (name === undefined) {
        if (op === 'BETWEEN' || op === 'begins_with') {
          throw validationError(
            `${INVALID_CONDITION}${op} operator must have the key attribute as its first operand`,
          );
        }
        op = INVERSE[op] ?? op;
      }
      values.push(operand.value!);
    } else {
      throw validationError(
        `${INVALID_KEY_CONDITION}KeyConditionExpressions cannot contain nested operations`,
      );
    }
  }
  if (name === undefined) throw validationError(`${INVALID_CONDITION}No key attribute specified`);
  if (parts.has(name)) {
    throw validationError(
      `${INVALID_KEY_CONDITION}KeyConditionExpressions must only contain one condition per key`,
    );
  }
  parts.set(name, { op, values });
}

function extractParts(node: ConditionNode, parts: Map<string, KeyPart>): void {
  if (node.kind === 'and') {
    extractParts(node.left, parts);
    extractParts(node.right, parts);
  } else {
    extractPart(node, parts);
  }
}

function checkValues(name: string, part: KeyPart, type: 'S' | 'N' | 'B' | undefined): void {
  if (type === undefined) return;
  for (const value of part.values) {
    if (typeOf(value) !== type) {
      throw validationError(
        'One or more parameter values were invalid: Condition parameter type does not match schema type',
      );
    }
    if (value.S === '' || value.B?.length === 0) {
      const kind = value.S === '' ? 'string' : 'binary';
      throw validationError(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${name}`,
      );
    }
  }
}

/** Checks a key condition's conditions against the key schema and returns the key condition. */
export function keyConditionOf(parts: ReadonlyMap<string, KeyPart>, key: KeySchema): KeyCondition {
  const keyCount = key.range === undefined ? 1 : 2;
  if (parts.size > keyCount) {
    throw validationError(
      `The number of query conditions (${parts.size}) exceeds the number of key attributes defined in the schema (${keyCount})`,
    );
  }
  const hash = parts.get(key.hash);
  if (hash === undefined) throw validationError(`Query condition missed key schema element: ${key.hash}`);
  for (const name of parts.keys()) {
    if (name !== key.hash && name !== key.range) {
      throw validationError(
        key.range === undefined
          ? 'Query key condition not supported'
          : `Query condition missed key schema element: ${key.range}`,
      );
    }
  }
  const range = key.range === undefined ? undefined : parts.get(key.range);
  checkValues(key.hash, hash, key.hashType);
  if (range !== undefined) checkValues(key.range!, range, key.rangeType);
  if (hash.op !== '=') throw validationError('Query key condition not supported');
  if (range === undefined) return { hash: hash.values[0]! };
  return { hash: hash.values[0]!, range: { op: range.op, values: range.values } };
}

/** The key condition a validated KeyConditionExpression states. */
export function keyConditionFromExpression(root: ConditionNode, key: KeySchema): KeyCondition {
  const parts = new Map<string, KeyPart>();
  extractParts(root, parts);
  return keyConditionOf(parts, key);
}

/** Whether a sort key value satisfies the key condition's range (true without one). */
export function matchesRange(range: KeyCondition['range'], value: AttributeValue): boolean {
  if (range === undefined) return true;
  const [first, second] = range.values;
  if (range.op === 'begins_with') return beginsWith(value, first);
  if (typeOf(value) !== typeOf(first!)) return false;
  const order = compareValues(value, first!);
  switch (range.op) {
    case '=':
      return order === 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case 'BETWEEN':
      return order >= 0 && typeOf(value) === typeOf(second!) && compareValues(value, second!) <= 0;
  }
}
