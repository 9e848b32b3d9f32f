/**
 * The checks DynamoDB makes on a parsed expression once it is known to be well formed,
 * visiting operands before their operator as DynamoDB does: placeholders defined (and
 * resolved), document path depth, then for each operator its operand count, the types of
 * operands known in advance (values, size()), distinct operands, its own rules (BETWEEN
 * bounds, IN's 100 operands, attribute_type's names), and the 300-operator limit.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AwsError } from '../../../errors.js';
import type { CallNode, ConditionNode, Operand, PathNode, UpdateActionKind, ValueNode } from './ast.js';
import { type AttributeType, compareValues, typeOf } from './compare.js';
import type { ExpressionLabel } from './parser.js';
import { formatPath } from './paths.js';
import { validationError } from './validation-error.js';

/** One request's ExpressionAttributeNames and Values, and which of them were used. */
export interface Placeholders {
  readonly names: Readonly<Record<string, string>> | undefined;
  readonly values: Readonly<Record<string, AttributeValue>> | undefined;
  readonly usedNames: Set<string>;
  readonly usedValues: Set<string>;
}

const MAX_PATH_DEPTH = 32;
const MAX_OPERATORS = 300;
const MAX_IN_OPERANDS = 100;
const ORDERED: readonly AttributeType[] = ['S', 'N', 'B'];
// How DynamoDB names "any type" when an operand's type cannot be known in advance.
const ANY_TYPE =
  '{SS,M,DECIMAL,DOUBLESET,HDS,N,B,DICT,INTSET,BOOL,HD,BS,INT,DECIMALSET,NULL,FLOAT,FS,S,L,NS,DOUBLE}';
const TYPE_NAMES = '{N,BS,L,B,NULL,M,S,SS,NS,BOOL}';
const TYPES: ReadonlySet<string> = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);
const LONG_TYPE_NAMES: Readonly<Record<AttributeType, string>> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  L: 'LIST',
  M: 'MAP',
  SS: 'STRING_SET',
  NS: 'NUMBER_SET',
  BS: 'BINARY_SET',
};
const ADD_OPERAND_TYPES: readonly AttributeType[] = ['N', 'SS', 'NS', 'BS'];
const DELETE_OPERAND_TYPES: readonly AttributeType[] = ['SS', 'NS', 'BS'];

interface FunctionSpec {
  readonly arity: number;
  /** Operand types accepted; undefined for any. */
  readonly accepts: readonly AttributeType[] | undefined;
  /** Whether the first operand, a path, may not repeat among the others. */
  readonly distinct: boolean;
  /** Result type; undefined when it depends on the item. */
  readonly returns: AttributeType | undefined;
}

const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  attribute_exists: { arity: 1, accepts: undefined, distinct: true, returns: 'BOOL' },
  attribute_not_exists: { arity: 1, accepts: undefined, distinct: true, returns: 'BOOL' },
  attribute_type: { arity: 2, accepts: undefined, distinct: true, returns: 'BOOL' },
  begins_with: { arity: 2, accepts: ['S', 'B'], distinct: true, returns: 'BOOL' },
  contains: { arity: 2, accepts: undefined, distinct: true, returns: 'BOOL' },
  size: { arity: 1, accepts: ['S', 'B', 'SS', 'NS', 'BS', 'L', 'M'], distinct: true, returns: 'N' },
  if_not_exists: { arity: 2, accepts: undefined, distinct: true, returns: undefined },
  list_append: { arity: 2, accepts: ['L'], distinct: false, returns: 'L' },
};

/** The type an operand is known to have before any item is read, if it is known. */
function staticType(node: Operand): AttributeType | undefined {
  switch (node.kind) {
    case 'value':
      return node.value === undefined ? undefined : typeOf(node.value);
    case 'arithmetic':
      return 'N';
    case 'call':
      return FUNCTIONS[node.name]?.returns;
    case 'path':
      return undefined;
  }
}

function samePath(a: PathNode, b: PathNode): boolean {
  if (a.resolved.length !== b.resolved.length) return false;
  for (let i = 0; i < a.resolved.length; i++) if (a.resolved[i] !== b.resolved[i]) return false;
  return true;
}

function describeBound(value: AttributeValue): string {
  if (value.B !== undefined) {
    const length = value.B.length;
    return `AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=${length} cap=${length}]}`;
  }
  return value.S !== undefined ? `AttributeValue: {S:${value.S}}` : `AttributeValue: {N:${value.N}}`;
}

export class Validator {
  private operators = 0;
  /** Top-level attributes the expression reaches into (a.b, a[0]). */
  readonly nestedRoots = new Set<string>();

  constructor(
    private readonly placeholders: Placeholders,
    private readonly label: ExpressionLabel,
  ) {}

  error(message: string): AwsError {
    return validationError(`Invalid ${this.label}: ${message}`);
  }

  /** Checks a document path and resolves its #name placeholders. */
  path(node: PathNode): void {
    const segments = node.segments;
    if (segments.length > MAX_PATH_DEPTH) {
      throw this.error(`The document path has too many nesting levels; nesting levels: ${segments.length}`);
    }
    const resolved = new Array(segments.length);
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (segment.kind === 'placeholder') resolved[i] = this.name(segment.text);
      else if (segment.kind === 'index') resolved[i] = Number(segment.text);
      else if (segment.kind === 'name') resolved[i] = segment.text;
      else
        throw this.error(
          `The document path cannot contain attribute value parameters; attribute value: ${segment.text}`,
        );
    }
    node.resolved = resolved;
    if (resolved.length > 1) this.nestedRoots.add(resolved[0]);
  }

  private name(placeholder: string): string {
    const names = this.placeholders.names;
    this.placeholders.usedNames.add(placeholder);
    if (names === undefined || !Object.hasOwn(names, placeholder)) {
      throw this.error(
        `An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`,
      );
    }
    return names[placeholder]!;
  }

  private value(node: ValueNode): void {
    const values = this.placeholders.values;
    this.placeholders.usedValues.add(node.name);
    if (values === undefined || !Object.hasOwn(values, node.name)) {
      throw this.error(
        `An expression attribute value used in expression is not defined; attribute value: ${node.name}`,
      );
    }
    node.value = values[node.name];
  }

  private countOperator(): void {
    if (++this.operators > MAX_OPERATORS) {
      throw this.error(`The expression contains too many operators; operator count: ${this.operators}`);
    }
  }

  private checkTypes(
    operator: string,
    operands: readonly Operand[],
    accepts: readonly AttributeType[] | undefined,
  ) {
    if (accepts === undefined) return;
    for (const operand of operands) {
      const type = staticType(operand);
      if (type !== undefined && !accepts.includes(type)) {
        throw this.error(
          `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`,
        );
      }
    }
  }

  private checkDistinct(operator: string, operands: readonly Operand[]): void {
    const first = operands[0];
    if (first?.kind !== 'path') return;
    for (let i = 1; i < operands.length; i++) {
      const other = operands[i]!;
      if (other.kind === 'path' && samePath(first, other)) {
        throw this.error(
          `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${formatPath(first.resolved)}`,
        );
      }
    }
  }

  operand(node: Operand): void {
    if (node.kind === 'path') this.path(node);
    else if (node.kind === 'value') this.value(node);
    else if (node.kind === 'call') this.call(node);
    else {
      this.operand(node.left);
      this.operand(node.right);
      this.checkTypes(node.op, [node.left, node.right], ['N']);
      this.countOperator();
    }
  }

  private call(node: CallNode): void {
    for (const arg of node.args) this.operand(arg);
    const spec = FUNCTIONS[node.name]!;
    if (node.args.length !== spec.arity) {
      throw this.error(
        `Incorrect number of operands for operator or function; operator or function: ${node.name}, number of operands: ${node.args.length}`,
      );
    }
    this.checkTypes(node.name, node.args, spec.accepts);
    if (spec.distinct) this.checkDistinct(node.name, node.args);
    this.checkFunctionRules(node);
    this.countOperator();
  }

  private checkFunctionRules(node: CallNode): void {
    const first = node.args[0]!;
    switch (node.name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
      case 'if_not_exists':
        if (first.kind !== 'path') {
          throw this.error(
            `Operator or function requires a document path; operator or function: ${node.name}`,
          );
        }
        return;
      case 'attribute_type':
        this.checkTypeName(node.args[1]!);
    }
  }

  private checkTypeName(operand: Operand): void {
    const wrongType = (type: string) =>
      this.error(
        `Incorrect operand type for operator or function; operator or function: attribute_type, operand type: ${type}`,
      );
    if (operand.kind !== 'value') throw wrongType(staticType(operand) ?? ANY_TYPE);
    const value = operand.value!;
    if (value.S === undefined) throw wrongType(typeOf(value) ?? ANY_TYPE);
    if (!TYPES.has(value.S))
      throw this.error(`Invalid attribute type name found; type: ${value.S}, valid types: ${TYPE_NAMES}`);
  }

  condition(node: ConditionNode): void {
    switch (node.kind) {
      case 'and':
      case 'or':
        this.condition(node.left);
        this.condition(node.right);
        break;
      case 'not':
        this.condition(node.operand);
        break;
      case 'compare':
        this.operand(node.left);
        this.operand(node.right);
        if (node.op !== '=' && node.op !== '<>') this.checkTypes(node.op, [node.left, node.right], ORDERED);
        this.checkDistinct(node.op, [node.left, node.right]);
        break;
      case 'between':
        this.between(node.subject, node.low, node.high);
        return;
      case 'in':
        this.operand(node.subject);
        for (const operand of node.list) this.operand(operand);
        this.checkDistinct('IN', [node.subject, ...node.list]);
        if (node.list.length > MAX_IN_OPERANDS) {
          throw this.error(
            `The IN operator is provided with too many operands; number of operands: ${node.list.length}`,
          );
        }
        break;
      case 'call':
        this.call(node);
        return;
    }
    this.countOperator();
  }

  private between(subject: Operand, low: Operand, high: Operand): void {
    this.operand(subject);
    this.operand(low);
    this.operand(high);
    this.checkTypes('BETWEEN', [subject, low, high], ORDERED);
    this.checkDistinct('BETWEEN', [subject, low, high]);
    if (low.kind === 'value' && high.kind === 'value') {
      const bounds = `lower bound operand: ${describeBound(low.value!)}, upper bound operand: ${describeBound(high.value!)}`;
      if (typeOf(low.value!) !== typeOf(high.value!)) {
        throw this.error(
          `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`,
        );
      }
      if (compareValues(low.value!, high.value!) > 0) {
        throw this.error(
          `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`,
        );
      }
    }
    this.countOperator();
  }

  /** ADD takes a number or a set, DELETE a set. */
  updateOperand(kind: UpdateActionKind, value: ValueNode): void {
    const type = typeOf(value.value!);
    const allowed = kind === 'ADD' ? ADD_OPERAND_TYPES : DELETE_OPERAND_TYPES;
    if (type !== undefined && !allowed.includes(type)) {
      throw this.error(
        `Incorrect operand type for operator or function; operator: ${kind}, operand type: ${LONG_TYPE_NAMES[type]}, typeSet: ALLOWED_FOR_${kind}_OPERAND`,
      );
    }
  }
}
