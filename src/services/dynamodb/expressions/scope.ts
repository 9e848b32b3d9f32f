/**
 * One request's ExpressionAttributeNames and ExpressionAttributeValues, and the
 * expressions parsed against them. It records which placeholders the expressions used, so
 * that, once every expression of the request is parsed, unused ones are refused as
 * DynamoDB refuses them. The caller parses the request's expressions in DynamoDB's order
 * (UpdateItem: update, then condition; Query: filter, projection, then key condition).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type {
  Condition,
  KeyCondition,
  PathNode,
  Projection,
  UpdateAction,
  UpdateExpression,
  ValueNode,
} from './ast.js';
import { type KeySchema, keyConditionFromExpression } from './key-condition.js';
import { type ExpressionLabel, parseCondition, parseProjection, parseUpdate } from './parser.js';
import { emptyTree, insertPath } from './paths.js';
import { type Placeholders, Validator } from './validate.js';
import { validationError } from './validation-error.js';

const MAX_KEY_LENGTH = 255;
const NAME_KEY = /^#[A-Za-z0-9_]+$/;
const VALUE_KEY = /^:[A-Za-z0-9_]+$/;

function checkKeys(parameter: string, keys: string[], pattern: RegExp, sizeDetail: boolean): void {
  if (keys.length === 0) throw validationError(`${parameter} must not be empty`);
  const invalid = `${parameter} contains invalid key: `;
  for (const key of keys) {
    if (key.length === 0)
      throw validationError(`${invalid}The expression attribute map contains an empty key;`);
    if (key.length > MAX_KEY_LENGTH) {
      const size = sizeDetail ? ` size of key: ${key.length}` : '';
      throw validationError(`${invalid}The expression attribute map contains a key that is too long;${size}`);
    }
    if (!pattern.test(key)) throw validationError(`${invalid}Syntax error; key: "${key}"`);
  }
}

function checkNames(names: Record<string, string>): void {
  checkKeys('ExpressionAttributeNames', Object.keys(names), NAME_KEY, true);
  for (const [key, name] of Object.entries(names)) {
    if (name === '')
      throw validationError(
        `ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`,
      );
  }
}

function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * Keys in the order a java.util.HashSet built from `total` keys iterates them: the order
 * in which DynamoDB lists unused placeholders.
 */
function javaHashSetOrder(keys: string[], total: number): string[] {
  let buckets = 1;
  const wanted = Math.max(Math.floor(total / 0.75) + 1, 16);
  while (buckets < wanted) buckets *= 2;
  const bucketOf = (key: string) => {
    const hash = javaStringHash(key);
    return (hash ^ (hash >>> 16)) & (buckets - 1);
  };
  return keys
    .map((key, index) => ({ key, index, bucket: bucketOf(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.key);
}

function unusedError(parameter: string, all: string[], used: ReadonlySet<string>): Error | undefined {
  const unused = all.filter((key) => !used.has(key));
  if (unused.length === 0) return undefined;
  const keys = javaHashSetOrder(unused, all.length).join(', ');
  return validationError(`Value provided in ${parameter} unused in expressions: keys: {${keys}}`);
}

function readPaths(operand: UpdateAction['value'], into: PathNode[]): void {
  if (operand === undefined) return;
  if (operand.kind === 'path') into.push(operand);
  else if (operand.kind === 'call') for (const arg of operand.args) readPaths(arg, into);
  else if (operand.kind === 'arithmetic') {
    readPaths(operand.left, into);
    readPaths(operand.right, into);
  }
}

export class ExpressionScope {
  private readonly placeholders: Placeholders;

  /** Throws DynamoDB's ValidationException for an empty map or a malformed placeholder key. */
  constructor(names?: Record<string, string>, values?: Record<string, AttributeValue>) {
    if (names !== undefined) checkNames(names);
    if (values !== undefined) checkKeys('ExpressionAttributeValues', Object.keys(values), VALUE_KEY, false);
    this.placeholders = { names, values, usedNames: new Set(), usedValues: new Set() };
  }

  /** A ConditionExpression or FilterExpression (the label names it in error messages). */
  condition(
    text: string,
    label: 'ConditionExpression' | 'FilterExpression' = 'ConditionExpression',
  ): Condition {
    return this.parseCondition(text, label);
  }

  private parseCondition(text: string, label: ExpressionLabel): Condition {
    const { root, paths } = parseCondition(text, label);
    const validator = new Validator(this.placeholders, label);
    validator.condition(root);
    return { root, paths: paths.map((path) => path.resolved), nestedRoots: validator.nestedRoots };
  }

  update(text: string): UpdateExpression {
    const { actions } = parseUpdate(text);
    const validator = new Validator(this.placeholders, 'UpdateExpression');
    // DynamoDB checks an update's actions from the last written to the first.
    const backwards = [...actions].reverse();
    const tree = emptyTree<UpdateAction>();
    for (const action of backwards) {
      validator.path(action.path);
      const clash = insertPath(tree, action.path.resolved, action);
      if (clash !== undefined) throw validator.error(clash);
    }
    for (const action of backwards) {
      if (action.value === undefined) continue;
      validator.operand(action.value);
      if (action.kind === 'ADD' || action.kind === 'DELETE')
        validator.updateOperand(action.kind, action.value as ValueNode);
    }
    const reads: PathNode[] = [];
    for (const action of actions) readPaths(action.value, reads);
    return {
      actions,
      tree,
      targets: actions.map((action) => action.path.resolved),
      reads: reads.map((path) => path.resolved),
      nestedRoots: validator.nestedRoots,
      legacy: false,
    };
  }

  projection(text: string): Projection {
    const paths = parseProjection(text);
    const validator = new Validator(this.placeholders, 'ProjectionExpression');
    const tree = emptyTree<true>();
    // DynamoDB builds the projection from the last path written to the first.
    for (let i = paths.length - 1; i >= 0; i--) {
      const path = paths[i]!;
      validator.path(path);
      const clash = insertPath(tree, path.resolved, true);
      if (clash !== undefined) throw validator.error(clash);
    }
    return { paths: paths.map((path) => path.resolved), tree, nestedRoots: validator.nestedRoots };
  }

  /** A KeyConditionExpression, checked against the key schema of the table or index queried. */
  keyCondition(text: string, key: KeySchema): KeyCondition {
    return keyConditionFromExpression(this.parseCondition(text, 'KeyConditionExpression').root, key);
  }

  /** After every expression of the request is parsed: refuses placeholders none used. */
  assertAllUsed(): void {
    const { names, values, usedNames, usedValues } = this.placeholders;
    const error =
      (names && unusedError('ExpressionAttributeNames', Object.keys(names), usedNames)) ||
      (values && unusedError('ExpressionAttributeValues', Object.keys(values), usedValues));
    if (error) throw error;
  }
}
