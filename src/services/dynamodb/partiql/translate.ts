/**
 * PartiQL statements turned into the requests the item operations already answer: WHERE
 * clauses become key conditions and condition/filter expressions (with their own
 * ExpressionAttributeNames/Values), SET/REMOVE an update expression, VALUE an item. The
 * expression language then validates and evaluates them as it does any request's.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { validationError } from '../expressions/validation-error.js';
import type { Item } from '../item-json.js';
import { malformed } from './lexer.js';
import type { Condition, Operand, PathNode, ValueNode } from './parser.js';

/** The expression text of a statement's parts and the placeholders it uses. */
export class ExpressionWriter {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private readonly nameIds = new Map<string, string>();
  private valueCount = 0;

  constructor(private readonly params: readonly AttributeValue[]) {}

  name(n: string): string {
    let id = this.nameIds.get(n);
    if (!id) {
      id = `#n${this.nameIds.size}`;
      this.nameIds.set(n, id);
      this.names[id] = n;
    }
    return id;
  }

  value(v: AttributeValue): string {
    const id = `:v${this.valueCount++}`;
    this.values[id] = v;
    return id;
  }

  path(p: PathNode): string {
    let out = '';
    for (const s of p.segments) {
      if (typeof s === 'number') out += `[${s}]`;
      else out += out === '' ? this.name(s) : `.${this.name(s)}`;
    }
    return out;
  }

  operand(o: Operand): string {
    switch (o.kind) {
      case 'path':
        return this.path(o);
      case 'call':
        return `${o.name}(${o.args.map((a) => this.operand(a)).join(', ')})`;
      case 'arithmetic':
        return `${this.operand(o.left)} ${o.op} ${this.operand(o.right)}`;
      default:
        return this.value(this.literal(o));
    }
  }

  /** The AttributeValue a literal (or ? parameter) stands for. */
  literal(node: Operand): AttributeValue {
    switch (node.kind) {
      case 'string':
        return { S: node.text };
      case 'number':
        return { N: node.text };
      case 'bool':
        return { BOOL: node.value };
      case 'null':
        return { NULL: true };
      case 'param':
        return this.params[node.index] as AttributeValue;
      case 'list':
        return { L: node.items.map((i) => this.literal(i)) };
      case 'map': {
        const m: Item = Object.create(null);
        for (const [k, v] of node.entries) m[k] = this.literal(v);
        return { M: m };
      }
      case 'set':
        return setOf(node.items.map((i) => this.literal(i)));
      default:
        throw malformed('Expected a value');
    }
  }

  /** A condition's text, parenthesised only where precedence needs it (DynamoDB refuses
   * redundant parentheses). */
  condition(c: Condition, min = 0): string {
    const [text, precedence] = this.conditionText(c);
    return precedence < min ? `(${text})` : text;
  }

  private conditionText(c: Condition): [string, number] {
    switch (c.kind) {
      case 'or':
        return [`${this.condition(c.left, 1)} OR ${this.condition(c.right, 2)}`, 1];
      case 'and':
        return [`${this.condition(c.left, 2)} AND ${this.condition(c.right, 3)}`, 2];
      case 'not':
        return [`NOT ${this.condition(c.operand, 3)}`, 3];
      case 'compare':
        return [`${this.operand(c.left)} ${c.op} ${this.operand(c.right)}`, 4];
      case 'between':
        return [`${this.operand(c.subject)} BETWEEN ${this.operand(c.low)} AND ${this.operand(c.high)}`, 4];
      case 'in':
        return [`${this.operand(c.subject)} IN (${c.items.map((i) => this.operand(i)).join(', ')})`, 4];
      case 'call':
        return [this.operand(c), 4];
      case 'is':
        return this.isText(c);
    }
  }

  private isText(c: Extract<Condition, { kind: 'is' }>): [string, number] {
    const p = this.path(c.subject);
    if (c.what === 'MISSING') return [c.negated ? `attribute_exists(${p})` : `attribute_not_exists(${p})`, 4];
    const isNull = `attribute_type(${p}, ${this.value({ S: 'NULL' })})`;
    // PartiQL's NULL includes MISSING
    return c.negated
      ? [`attribute_exists(${p}) AND NOT ${isNull}`, 2]
      : [`attribute_not_exists(${p}) OR ${isNull}`, 1];
  }
}

function setOf(members: AttributeValue[]): AttributeValue {
  const first = members[0];
  if (first?.S !== undefined && members.every((m) => m.S !== undefined))
    return { SS: members.map((m) => m.S as string) };
  if (first?.N !== undefined && members.every((m) => m.N !== undefined))
    return { NS: members.map((m) => m.N as string) };
  if (first?.B !== undefined && members.every((m) => m.B !== undefined))
    return { BS: members.map((m) => m.B as Uint8Array) };
  throw validationError('Unsupported set type: a set holds strings, numbers or binaries, all of one type');
}

/** The conjuncts of a condition's top-level ANDs, in order. */
export function conjuncts(c: Condition | undefined): Condition[] {
  if (!c) return [];
  if (c.kind === 'and') return [...conjuncts(c.left), ...conjuncts(c.right)];
  return [c];
}

export function joinConditions(parts: Condition[]): Condition | undefined {
  return parts.reduce<Condition | undefined>(
    (acc, c) => (acc ? { kind: 'and', left: acc, right: c } : c),
    undefined,
  );
}

const isValue = (o: Operand): o is ValueNode =>
  o.kind !== 'path' && o.kind !== 'call' && o.kind !== 'arithmetic';

const onAttribute = (o: Operand, name: string) =>
  o.kind === 'path' && o.segments.length === 1 && o.segments[0] === name;

/** The value an `attribute = value` conjunct (either way round) gives `name`, if it is one. */
export function equalityOn(c: Condition, name: string): Operand | undefined {
  if (c.kind !== 'compare' || c.op !== '=') return undefined;
  if (onAttribute(c.left, name) && isValue(c.right)) return c.right;
  if (onAttribute(c.right, name) && isValue(c.left)) return c.left;
  return undefined;
}

const FLIPPED: Record<string, '<' | '<=' | '>' | '>=' | '='> = {
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
  '=': '=',
};

/** Whether a conjunct is a sort-key condition DynamoDB can answer from the key. */
export function isRangeCondition(c: Condition, name: string): boolean {
  if (c.kind === 'compare' && c.op !== '<>') {
    return (onAttribute(c.left, name) && isValue(c.right)) || (onAttribute(c.right, name) && isValue(c.left));
  }
  if (c.kind === 'between') return onAttribute(c.subject, name) && isValue(c.low) && isValue(c.high);
  if (c.kind === 'call' && c.name === 'begins_with') {
    const [subject, prefix] = c.args;
    return c.args.length === 2 && onAttribute(subject as Operand, name) && isValue(prefix as Operand);
  }
  return false;
}

/** A sort-key conjunct with the attribute on the left, as key conditions want it. */
export function normalizedRange(c: Condition): Condition {
  if (c.kind === 'compare' && c.right.kind === 'path') {
    return { kind: 'compare', op: FLIPPED[c.op] as '=', left: c.right, right: c.left };
  }
  return c;
}

/** What a SELECT list names each returned value: a path's last attribute name. */
export function projectionName(p: PathNode): string {
  const names = p.segments.filter((s): s is string => typeof s === 'string');
  return names[names.length - 1] as string;
}

export function valueAt(item: Item, p: PathNode): AttributeValue | undefined {
  let v: AttributeValue | undefined = { M: item };
  for (const s of p.segments) {
    if (typeof s === 'number') v = v?.L?.[s];
    else v = v?.M && Object.hasOwn(v.M, s) ? v.M[s] : undefined;
    if (!v) return undefined;
  }
  return v;
}
