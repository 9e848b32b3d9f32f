/**
 * A parsed PartiQL statement planned as the item operation that answers it: a SELECT is a
 * Query when its WHERE fixes the partition key (else a Scan), INSERT a conditional Put,
 * UPDATE and DELETE an UpdateItem/DeleteItem on the key their WHERE fixes, and EXISTS a
 * transaction's ConditionCheck.
 */
import type {
  AttributeValue,
  ConditionCheck,
  DeleteItemInput,
  Get,
  PutItemInput,
  QueryInput,
  ReturnValue,
  ScanInput,
  UpdateItemInput,
} from '@aws-sdk/client-dynamodb';
import type { RequestContext } from '../../types.js';
import { type KeyAttribute, requireTable, type Table } from '../catalog.js';
import { validationError } from '../expressions/validation-error.js';
import type { Item } from '../item-json.js';
import type { Condition, Operand, PathNode, Statement } from './parser.js';
import {
  conjuncts,
  ExpressionWriter,
  equalityOn,
  isRangeCondition,
  joinConditions,
  normalizedRange,
} from './translate.js';

type Select = Extract<Statement, { kind: 'select' }>;

export type Plan =
  | { kind: 'query'; input: QueryInput; select: Select; global: boolean }
  | { kind: 'scan'; input: ScanInput; select: Select; global: boolean }
  | { kind: 'put'; input: PutItemInput }
  | { kind: 'update'; input: UpdateItemInput }
  | { kind: 'delete'; input: DeleteItemInput }
  | { kind: 'check'; input: ConditionCheck };

const RETURN_VALUES: Record<string, ReturnValue> = {
  'ALL OLD': 'ALL_OLD',
  'MODIFIED OLD': 'UPDATED_OLD',
  'ALL NEW': 'ALL_NEW',
  'MODIFIED NEW': 'UPDATED_NEW',
};

const attributePath = (name: string): PathNode => ({ kind: 'path', segments: [name] });

function placeholders(w: ExpressionWriter) {
  return {
    ExpressionAttributeNames: Object.keys(w.names).length > 0 ? w.names : undefined,
    ExpressionAttributeValues: Object.keys(w.values).length > 0 ? w.values : undefined,
  };
}

/** The key a WHERE clause fixes with equalities, and the conditions left over. */
function keyOfWhere(
  table: Table,
  where: Condition | undefined,
  w: ExpressionWriter,
): { key: Item; rest: Condition[] } {
  const rest = conjuncts(where);
  const key: Item = Object.create(null);
  for (const attr of [table.hash, table.range].filter((k): k is KeyAttribute => k !== undefined)) {
    const at = rest.findIndex((c) => equalityOn(c, attr.name));
    if (at < 0)
      throw validationError('Where clause does not contain a mandatory equality on all key attributes');
    key[attr.name] = w.literal(equalityOn(rest[at] as Condition, attr.name) as Operand);
    rest.splice(at, 1);
  }
  return { key, rest };
}

function planSelect(table: Table, select: Select, w: ExpressionWriter): Plan {
  const index = select.source.index;
  if (index !== undefined && !table.indexByName.has(index)) {
    throw validationError('The table does not have the specified index');
  }
  const def = index === undefined ? undefined : table.indexByName.get(index);
  const hash = def ? def.hash : table.hash;
  const range = def ? def.range : table.range;
  const rest = conjuncts(select.where);
  const at = rest.findIndex((c) => equalityOn(c, hash.name));
  const base = { TableName: table.meta.name, IndexName: index };
  if (at < 0) {
    const filter = select.where && w.condition(select.where);
    return {
      kind: 'scan',
      input: { ...base, FilterExpression: filter, ...placeholders(w) },
      select,
      global: def?.local === false,
    };
  }
  const [hashPart] = rest.splice(at, 1) as [Condition];
  const r = range ? rest.findIndex((c) => isRangeCondition(c, range.name)) : -1;
  const rangePart = r < 0 ? undefined : normalizedRange(rest.splice(r, 1)[0] as Condition);
  const keyCondition = w.condition(
    joinConditions(rangePart ? [hashPart, rangePart] : [hashPart]) as Condition,
  );
  const filter = joinConditions(rest);
  return {
    kind: 'query',
    input: {
      ...base,
      KeyConditionExpression: keyCondition,
      FilterExpression: filter && w.condition(filter),
      ScanIndexForward: select.descending === undefined ? undefined : !select.descending,
      ...placeholders(w),
    },
    select,
    global: def?.local === false,
  };
}

/** One SET, REMOVE, ADD or DELETE clause of the update expression an UPDATE states. */
function updateExpression(s: Extract<Statement, { kind: 'update' }>, w: ExpressionWriter): string {
  const sections: Record<'SET' | 'REMOVE' | 'ADD' | 'DELETE', string[]> = {
    SET: [],
    REMOVE: [],
    ADD: [],
    DELETE: [],
  };
  for (const a of s.actions) {
    if (a.kind === 'REMOVE') {
      sections.REMOVE.push(w.path(a.path));
      continue;
    }
    const v = a.value;
    // set_add(attr, <<...>>) and set_delete(attr, <<...>>) are PartiQL's ADD and DELETE
    if (v.kind === 'call' && (v.name === 'set_add' || v.name === 'set_delete') && v.args.length === 2) {
      sections[v.name === 'set_add' ? 'ADD' : 'DELETE'].push(
        `${w.path(a.path)} ${w.operand(v.args[1] as Operand)}`,
      );
      continue;
    }
    sections.SET.push(`${w.path(a.path)} = ${w.operand(v)}`);
  }
  return Object.entries(sections)
    .filter(([, parts]) => parts.length > 0)
    .map(([kind, parts]) => `${kind} ${parts.join(', ')}`)
    .join(' ');
}

/** `<hash key> IS [NOT] MISSING`: whether the statement's item must exist or must not. */
const hashKeyMissing = (table: Table, negated: boolean): Condition => ({
  kind: 'is',
  subject: attributePath(table.hash.name),
  what: 'MISSING',
  negated,
});

function planUpdate(table: Table, s: Extract<Statement, { kind: 'update' }>, w: ExpressionWriter): Plan {
  const update = updateExpression(s, w);
  const { key, rest } = keyOfWhere(table, s.where, w);
  // an UPDATE changes an item that exists; it never creates one
  const exists = hashKeyMissing(table, true);
  return {
    kind: 'update',
    input: {
      TableName: table.meta.name,
      Key: key,
      UpdateExpression: update,
      ConditionExpression: w.condition(joinConditions([exists, ...rest]) as Condition),
      ReturnValues: s.returning ? RETURN_VALUES[s.returning] : undefined,
      ...placeholders(w),
    },
  };
}

function planDelete(table: Table, s: Extract<Statement, { kind: 'delete' }>, w: ExpressionWriter): Plan {
  if (s.returning && s.returning !== 'ALL OLD') {
    throw validationError(
      `Invalid returning clause: RETURNING ${s.returning} *. Only RETURNING ALL OLD * is allowed in DELETE statements.`,
    );
  }
  const { key, rest } = keyOfWhere(table, s.where, w);
  const condition = joinConditions(rest);
  return {
    kind: 'delete',
    input: {
      TableName: table.meta.name,
      Key: key,
      ConditionExpression: condition && w.condition(condition),
      ReturnValues: s.returning ? 'ALL_OLD' : undefined,
      ...placeholders(w),
    },
  };
}

function planInsert(table: Table, s: Extract<Statement, { kind: 'insert' }>, w: ExpressionWriter): Plan {
  const value = s.value.kind === 'map' || s.value.kind === 'param' ? w.literal(s.value) : undefined;
  if (!value?.M)
    throw validationError('Unsupported operation: INSERT expects a single item (a map) as its VALUE');
  const absent = hashKeyMissing(table, false);
  return {
    kind: 'put',
    input: {
      TableName: table.meta.name,
      Item: value.M as Item,
      ConditionExpression: w.condition(absent),
      ...placeholders(w),
    },
  };
}

function planExists(table: Table, s: Extract<Statement, { kind: 'exists' }>, w: ExpressionWriter): Plan {
  const { key, rest } = keyOfWhere(table, s.select.where, w);
  const exists = hashKeyMissing(table, true);
  return {
    kind: 'check',
    input: {
      TableName: table.meta.name,
      Key: key,
      ConditionExpression: w.condition(joinConditions([exists, ...rest]) as Condition),
      ...placeholders(w),
    },
  };
}

/** A SELECT read by its full key (BatchExecuteStatement and ExecuteTransaction reads). */
export function planGet(
  ctx: RequestContext,
  select: Extract<Statement, { kind: 'select' }>,
  params: readonly AttributeValue[],
): Get {
  const w = new ExpressionWriter(params);
  const table = requireTable(ctx, select.source.table);
  const { key } = keyOfWhere(table, select.where, w);
  return { TableName: table.meta.name, Key: key };
}

export function planStatement(
  ctx: RequestContext,
  statement: Statement,
  params: readonly AttributeValue[],
): Plan {
  const w = new ExpressionWriter(params);
  const source = statement.kind === 'exists' ? statement.select.source : statement.source;
  const table = requireTable(ctx, source.table);
  switch (statement.kind) {
    case 'select':
      return planSelect(table, statement, w);
    case 'insert':
      return planInsert(table, statement, w);
    case 'update':
      return planUpdate(table, statement, w);
    case 'delete':
      return planDelete(table, statement, w);
    case 'exists':
      return planExists(table, statement, w);
  }
}
