/**
 * Conditions (ConditionExpression, FilterExpression, key conditions, the legacy
 * parameters) evaluated against an item as DynamoDB evaluates them: a missing attribute
 * or a type a comparison cannot order makes it false, never an error; `<>` is true when
 * either side is missing.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { CallNode, Condition, ConditionNode, Item, Operand } from './ast.js';
import { compareBytes, compareValues, setMemberKey, typeOf, valuesEqual } from './compare.js';
import { valueAt } from './paths.js';

const NO_ITEM: Item = {};

/** The size of a value as size() reports it; undefined for types without one. */
function sizeOf(value: AttributeValue): number | undefined {
  if (value.S !== undefined) return value.S.length;
  if (value.B !== undefined) return value.B.length;
  if (value.L !== undefined) return value.L.length;
  if (value.M !== undefined) return Object.keys(value.M).length;
  if (value.SS !== undefined) return value.SS.length;
  if (value.NS !== undefined) return value.NS.length;
  if (value.BS !== undefined) return value.BS.length;
  return undefined;
}

function operandValue(operand: Operand, item: Item): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path':
      return valueAt(item, operand.resolved);
    case 'value':
      return operand.value;
    case 'call': {
      const target = operandValue(operand.args[0]!, item);
      const size = target === undefined ? undefined : sizeOf(target);
      return size === undefined ? undefined : { N: String(size) };
    }
    case 'arithmetic':
      return undefined;
  }
}

function isOrdered(value: AttributeValue): boolean {
  return value.S !== undefined || value.N !== undefined || value.B !== undefined;
}

/** a op b for <, <=, >, >=: false unless both are present, of one ordered type. */
function ordered(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  if (a === undefined || b === undefined || !isOrdered(a) || typeOf(a) !== typeOf(b)) return undefined;
  return compareValues(a, b);
}

function startsWith(a: Uint8Array, prefix: Uint8Array): boolean {
  return a.length >= prefix.length && compareBytes(a.subarray(0, prefix.length), prefix) === 0;
}

function includesBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle) !== -1;
}

/** begins_with: a string or binary value that starts with the other, of the same type. */
export function beginsWith(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a.S !== undefined) return b.S !== undefined && a.S.startsWith(b.S);
  if (a.B !== undefined) return b.B !== undefined && startsWith(a.B, b.B);
  return false;
}

function contains(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a.S !== undefined) return b.S !== undefined && a.S.includes(b.S);
  if (a.B !== undefined) return b.B !== undefined && includesBytes(a.B, b.B);
  if (a.L !== undefined) return a.L.some((element) => valuesEqual(element, b));
  if (a.SS !== undefined) return b.S !== undefined && a.SS.includes(b.S);
  if (a.NS !== undefined && b.N !== undefined) {
    const key = setMemberKey('NS', b.N);
    return a.NS.some((n) => setMemberKey('NS', n) === key);
  }
  if (a.BS !== undefined && b.B !== undefined) {
    const needle = b.B;
    return a.BS.some((element) => compareBytes(element, needle) === 0);
  }
  return false;
}

function callHolds(node: CallNode, item: Item): boolean {
  const target = operandValue(node.args[0]!, item);
  switch (node.name) {
    case 'attribute_exists':
      return target !== undefined;
    case 'attribute_not_exists':
      return target === undefined;
    case 'attribute_type': {
      const type = operandValue(node.args[1]!, item);
      return target !== undefined && type?.S !== undefined && typeOf(target) === type.S;
    }
    case 'begins_with':
      return beginsWith(target, operandValue(node.args[1]!, item));
    case 'contains':
      return contains(target, operandValue(node.args[1]!, item));
    default:
      return false;
  }
}

function holds(node: ConditionNode, item: Item): boolean {
  switch (node.kind) {
    case 'and':
      return holds(node.left, item) && holds(node.right, item);
    case 'or':
      return holds(node.left, item) || holds(node.right, item);
    case 'not':
      return !holds(node.operand, item);
    case 'compare': {
      const a = operandValue(node.left, item);
      const b = operandValue(node.right, item);
      if (node.op === '=') return a !== undefined && b !== undefined && valuesEqual(a, b);
      if (node.op === '<>') return a === undefined || b === undefined || !valuesEqual(a, b);
      const order = ordered(a, b);
      if (order === undefined) return false;
      if (node.op === '<') return order < 0;
      if (node.op === '<=') return order <= 0;
      return node.op === '>' ? order > 0 : order >= 0;
    }
    case 'between': {
      const a = operandValue(node.subject, item);
      const low = ordered(a, operandValue(node.low, item));
      const high = ordered(a, operandValue(node.high, item));
      return low !== undefined && high !== undefined && low >= 0 && high <= 0;
    }
    case 'in': {
      const a = operandValue(node.subject, item);
      if (a === undefined) return false;
      return node.list.some((operand) => {
        const candidate = operandValue(operand, item);
        return candidate !== undefined && valuesEqual(a, candidate);
      });
    }
    case 'call':
      return callHolds(node, item);
  }
}

/** Whether the condition holds for the item; a missing item has no attributes. */
export function evaluate(condition: Condition, item: Item | undefined): boolean {
  return holds(condition.root, item ?? NO_ITEM);
}
