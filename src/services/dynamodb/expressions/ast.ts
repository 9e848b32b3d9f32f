/**
 * The parsed form of every expression kind, and of the legacy parameters translated into
 * them. Placeholders are resolved while an expression is validated: a path's `resolved`
 * elements and a value node's `value` are filled in then, and read when it is evaluated.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** One step of a resolved document path: an attribute or map key, or a list index. */
export type PathElement = string | number;
export type DocumentPath = readonly PathElement[];

export type Item = Record<string, AttributeValue>;

export interface PathSegment {
  /** 'name' as written, 'placeholder' (#name), 'value' (:value, which a path cannot hold) or 'index'. */
  readonly kind: 'name' | 'placeholder' | 'value' | 'index';
  readonly text: string;
  /** Position of the segment's token, so checks made while parsing keep source order. */
  readonly at: number;
}

export interface PathNode {
  readonly kind: 'path';
  readonly segments: readonly PathSegment[];
  resolved: PathElement[];
}

export interface ValueNode {
  readonly kind: 'value';
  readonly name: string;
  value: AttributeValue | undefined;
}

export interface CallNode {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Operand[];
  /** Position of the function's name token (-1 when made from legacy parameters). */
  readonly at: number;
}

export interface ArithmeticNode {
  readonly kind: 'arithmetic';
  readonly op: '+' | '-';
  readonly left: Operand;
  readonly right: Operand;
}

export type Operand = PathNode | ValueNode | CallNode | ArithmeticNode;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export interface CompareNode {
  readonly kind: 'compare';
  readonly op: Comparator;
  readonly left: Operand;
  readonly right: Operand;
}

export interface BetweenNode {
  readonly kind: 'between';
  readonly subject: Operand;
  readonly low: Operand;
  readonly high: Operand;
}

export interface InNode {
  readonly kind: 'in';
  readonly subject: Operand;
  readonly list: readonly Operand[];
}

export interface LogicalNode {
  readonly kind: 'and' | 'or';
  readonly left: ConditionNode;
  readonly right: ConditionNode;
}

export interface NotNode {
  readonly kind: 'not';
  readonly operand: ConditionNode;
}

export type ConditionNode = CompareNode | BetweenNode | InNode | LogicalNode | NotNode | CallNode;

/** A ConditionExpression, FilterExpression or legacy Expected/QueryFilter/ScanFilter. */
export interface Condition {
  readonly root: ConditionNode;
  /** Every document path the condition reads. */
  readonly paths: readonly DocumentPath[];
  /** Top-level attributes read through a nested path (a.b, a[0]): key attributes may not be. */
  readonly nestedRoots: ReadonlySet<string>;
}

/** A tree of document paths, as projections and updates keep them: a path ends at a leaf. */
export interface PathTree<Leaf> {
  readonly children: Map<PathElement, PathTree<Leaf>> | undefined;
  readonly leaf: Leaf | undefined;
}

export type UpdateActionKind = 'SET' | 'REMOVE' | 'ADD' | 'DELETE';

export interface UpdateAction {
  readonly kind: UpdateActionKind;
  readonly path: PathNode;
  /** SET's value; ADD's and DELETE's :value; absent for REMOVE. */
  readonly value: Operand | undefined;
}

export interface UpdateExpression {
  readonly actions: readonly UpdateAction[];
  readonly tree: PathTree<UpdateAction>;
  /** The paths the update writes. */
  readonly targets: readonly DocumentPath[];
  /** The paths its SET values read. */
  readonly reads: readonly DocumentPath[];
  readonly nestedRoots: ReadonlySet<string>;
  /** Made from AttributeUpdates: ADD appends lists, and type errors use the legacy message. */
  readonly legacy: boolean;
}

export interface Projection {
  readonly paths: readonly DocumentPath[];
  readonly tree: PathTree<unknown>;
  readonly nestedRoots: ReadonlySet<string>;
}

export type KeyConditionOperator = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with';

/** A Query's key condition: equality on the partition key and at most one sort key condition. */
export interface KeyCondition {
  readonly hash: AttributeValue;
  readonly range?: { readonly op: KeyConditionOperator; readonly values: readonly AttributeValue[] };
}

/** A path resolved from plain attribute names (legacy parameters, AttributesToGet). */
export function attributePath(name: string): PathNode {
  return { kind: 'path', segments: [], resolved: [name] };
}

/** A value node holding a literal value (legacy parameters). */
export function literal(value: AttributeValue): ValueNode {
  return { kind: 'value', name: '', value };
}
