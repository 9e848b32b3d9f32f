/**
 * TransactWriteItems and TransactGetItems. A transaction is all or nothing for free: the
 * dispatcher runs the handler in one SQLite transaction, and every condition is checked
 * before anything is written. A failed one cancels with a reason per action, in request
 * order. A ClientRequestToken makes a repeat within 10 minutes a no-op, and a repeat with
 * other parameters an IdempotentParameterMismatchException.
 */
import { createHash } from 'node:crypto';
import type {
  CancellationReason,
  ConsumedCapacity,
  ItemCollectionMetrics,
  ItemResponse,
  TransactGetItemsInput,
  TransactGetItemsOutput,
  TransactWriteItem,
  TransactWriteItemsInput,
  TransactWriteItemsOutput,
} from '@aws-sdk/client-dynamodb';
import { AwsError } from '../../errors.js';
import { checkString, NOT_NULL, throwIfViolations, type Violation } from '../constraints.js';
import type { RequestContext } from '../types.js';
import { addUnits, consumedCapacity, readUnits, type Units, unitsOf, wantsCapacity } from './capacity.js';
import { requireTable, type Table } from './catalog.js';
import { validationError } from './expressions/validation-error.js';
import { itemCollectionMetrics } from './item-collections.js';
import { answerItem, type Item } from './item-json.js';
import { type ItemKey, readItem, readRow, type StoredItem, tableKey } from './item-rows.js';
import {
  commitWrite,
  type PreparedWrite,
  prepareConditionCheck,
  prepareDelete,
  preparePut,
  prepareUpdate,
  type WriteOutcome,
  writeCost,
} from './item-writes.js';
import { required, requiredMembers, returnsViolations } from './parameters.js';
import { checkScalarKeys, requestExpressions } from './request-expressions.js';
import { statement } from './store.js';
import { checkItemValues, checkKey, isTopLevelProblem } from './validation.js';

const MAX_ACTIONS = 100;
const TOKEN_TTL_MS = 10 * 60 * 1000;
const CONDITION_FAILED = 'The conditional request failed';

function itemsViolations(items: unknown[] | undefined, describe: () => string): Violation[] {
  if (items === undefined) return [{ value: undefined, at: 'transactItems', constraint: NOT_NULL }];
  if (items.length === 0) {
    return [
      { value: '[]', at: 'transactItems', constraint: 'Member must have length greater than or equal to 1' },
    ];
  }
  if (items.length > MAX_ACTIONS) {
    return [
      {
        value: describe(),
        at: 'transactItems',
        constraint: `Member must have length less than or equal to ${MAX_ACTIONS}`,
      },
    ];
  }
  return [];
}

/** The Java rendering AWS echoes a too-long action list in (only its shape matters). */
function describeActions(items: TransactWriteItem[]): string {
  const one = (i: TransactWriteItem) => {
    const [kind, action] = Object.entries(i).find(([, v]) => v !== undefined) ?? ['put', {}];
    return `TransactWriteItem(${kind[0]?.toLowerCase()}${kind.slice(1)}=${kind}(tableName=${(action as { TableName?: string }).TableName}))`;
  };
  return `[${items.map(one).join(', ')}]`;
}

function prepare(ctx: RequestContext, item: TransactWriteItem): PreparedWrite {
  const actions = [item.ConditionCheck, item.Put, item.Delete, item.Update].filter((a) => a !== undefined);
  if (actions.length !== 1)
    throw validationError('TransactItems can only contain one of Check, Put, Update or Delete');
  if (item.Put) return preparePut(ctx, item.Put);
  if (item.Delete) return prepareDelete(ctx, item.Delete);
  if (item.Update) return prepareUpdate(ctx, item.Update);
  return prepareConditionCheck(ctx, item.ConditionCheck as NonNullable<TransactWriteItem['ConditionCheck']>);
}

const keyId = (table: Table, key: ItemKey) =>
  `${table.id}:${key.hash.toString('hex')}:${key.range.toString('hex')}`;

function refuseDuplicates(writes: { table: Table; key: ItemKey; unkeyed: boolean }[]): void {
  const seen = new Set<string>();
  for (const w of writes) {
    if (w.unkeyed) continue;
    const id = keyId(w.table, w.key);
    if (seen.has(id))
      throw validationError('Transaction request cannot include multiple operations on one item');
    seen.add(id);
  }
}

/** What identifies a request for idempotency: every parameter but the token. */
function fingerprint(input: TransactWriteItemsInput): string {
  const { ClientRequestToken: _token, ...rest } = input;
  const text = JSON.stringify(rest, (_k, v) =>
    v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : v,
  );
  return createHash('sha256').update(text).digest('hex');
}

/** True when the token's request already ran (a repeat to answer without writing). */
function seenToken(ctx: RequestContext, token: string, print: string): boolean {
  const now = ctx.now();
  statement(ctx.db, 'DELETE FROM dynamodb_client_tokens WHERE created_at < ?').run(now - TOKEN_TTL_MS);
  const row = statement(
    ctx.db,
    'SELECT fingerprint FROM dynamodb_client_tokens WHERE account_id = ? AND region = ? AND token = ?',
  ).get(ctx.accountId, ctx.region, token) as { fingerprint: string } | undefined;
  if (!row) return false;
  if (row.fingerprint !== print) {
    throw new AwsError(
      'IdempotentParameterMismatchException',
      `Request parameters for token ${token} do not match those of the original request`,
      400,
    );
  }
  return true;
}

interface Evaluated {
  old?: StoredItem;
  outcome?: WriteOutcome;
  reason: CancellationReason;
}

function evaluateAction(ctx: RequestContext, w: PreparedWrite, onFailure: string | undefined): Evaluated {
  if (w.schemaError) return { reason: { Code: 'ValidationError', Message: w.schemaError.message } };
  const old = readItem(ctx.db, w.table, w.key);
  if (w.condition && !w.condition(old?.item)) {
    return {
      old,
      reason: {
        Code: 'ConditionalCheckFailed',
        Message: CONDITION_FAILED,
        Item: onFailure === 'ALL_OLD' ? old?.item : undefined,
      },
    };
  }
  try {
    return { old, outcome: w.apply(old), reason: { Code: 'None' } };
  } catch (err) {
    if (isTopLevelProblem(err)) throw err;
    return { old, reason: { Code: 'ValidationError', Message: (err as Error).message } };
  }
}

/** The members each kind of action must have (the model's required ones). */
const REQUIRED: Record<string, readonly string[]> = {
  ConditionCheck: ['Key', 'TableName', 'ConditionExpression'],
  Put: ['Item', 'TableName'],
  Delete: ['Key', 'TableName'],
  Update: ['Key', 'UpdateExpression', 'TableName'],
  Get: ['Key', 'TableName'],
};

function actionViolations(items: object[] | undefined): Violation[] {
  return (items ?? []).flatMap((item, i) =>
    Object.entries(item).flatMap(([kind, action]) =>
      action && REQUIRED[kind]
        ? requiredMembers(
            action,
            REQUIRED[kind],
            `transactItems.${i + 1}.member.${kind.charAt(0).toLowerCase()}${kind.slice(1)}`,
          )
        : [],
    ),
  );
}

function transactWriteItems(input: TransactWriteItemsInput, ctx: RequestContext): TransactWriteItemsOutput {
  const items = input.TransactItems;
  throwIfViolations(
    [
      ...itemsViolations(items, () => describeActions(items ?? [])),
      ...actionViolations(items),
      ...checkString(input.ClientRequestToken, 'clientRequestToken', { min: 1, max: 36 }),
      ...returnsViolations(input),
    ].slice(0, 10),
  );
  const writes = (items as TransactWriteItem[]).map((item) => prepare(ctx, item));
  refuseDuplicates(writes.map((w) => ({ table: w.table, key: w.key, unkeyed: w.schemaError !== undefined })));
  const token = input.ClientRequestToken;
  const print = token === undefined ? '' : fingerprint(input);
  if (token !== undefined && seenToken(ctx, token, print)) return {};
  const evaluated = writes.map((w, i) => {
    const item = (items as TransactWriteItem[])[i] as TransactWriteItem;
    const action = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
    return evaluateAction(ctx, w, action?.ReturnValuesOnConditionCheckFailure);
  });
  if (evaluated.some((e) => e.reason.Code !== 'None')) {
    const codes = evaluated.map((e) => e.reason.Code).join(', ');
    throw new AwsError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
      400,
      { fields: { CancellationReasons: evaluated.map((e) => e.reason) } },
    );
  }
  const byTable = new Map<Table, Units>();
  const metrics: Record<string, ItemCollectionMetrics[]> = {};
  writes.forEach((w, i) => {
    const { old, outcome } = evaluated[i] as Evaluated & { outcome: WriteOutcome };
    commitWrite(ctx, w, old, outcome);
    if (wantsCapacity(input.ReturnConsumedCapacity)) {
      // transactional writes cost twice what plain ones do
      addUnits(unitsOf(byTable, w.table), writeCost(w, old, outcome), 2);
    }
    const m = itemCollectionMetrics(ctx.db, input.ReturnItemCollectionMetrics, w.table, w.key, w.keyItem);
    if (m) metrics[w.table.meta.name] = [...(metrics[w.table.meta.name] ?? []), m];
  });
  if (token !== undefined) {
    statement(
      ctx.db,
      'INSERT OR REPLACE INTO dynamodb_client_tokens (account_id, region, token, fingerprint, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(ctx.accountId, ctx.region, token, print, ctx.now());
  }
  return {
    ConsumedCapacity: capacityList(input.ReturnConsumedCapacity, byTable, 'WriteCapacityUnits'),
    ItemCollectionMetrics: input.ReturnItemCollectionMetrics === 'SIZE' ? metrics : undefined,
  };
}

function capacityList(
  mode: string | undefined,
  byTable: Map<Table, Units>,
  kind: 'ReadCapacityUnits' | 'WriteCapacityUnits',
): ConsumedCapacity[] | undefined {
  const list = [...byTable].flatMap(([table, units]) => {
    const cc = consumedCapacity(mode, table.meta.name, units);
    return cc ? [{ ...cc, [kind]: cc.CapacityUnits }] : [];
  });
  return list.length > 0 ? list : undefined;
}

function transactGetItems(input: TransactGetItemsInput, ctx: RequestContext): TransactGetItemsOutput {
  const items = input.TransactItems;
  throwIfViolations(
    [
      ...itemsViolations(items, () => `[${(items ?? []).map(() => 'TransactGetItem').join(', ')}]`),
      ...(items ?? []).flatMap((item, i) => required(item.Get, `transactItems.${i + 1}.member.get`)),
      ...actionViolations(items),
      ...returnsViolations(input),
    ].slice(0, 10),
  );
  const gets = (items ?? []).map((item) => {
    const get = item.Get as NonNullable<typeof item.Get>;
    checkItemValues(get.Key as Item);
    const { project, nestedRoots } = requestExpressions(get, { projection: true });
    const table = requireTable(ctx, get.TableName as string);
    checkScalarKeys(table, nestedRoots);
    checkKey(table, get.Key);
    return { table, key: tableKey(table, get.Key as Item), project };
  });
  refuseDuplicates(gets.map((g) => ({ ...g, unkeyed: false })));
  const byTable = new Map<Table, Units>();
  const responses: ItemResponse[] = gets.map(({ table, key, project }) => {
    const row = readRow(ctx.db, table, key);
    // transactional reads are strongly consistent and cost twice
    unitsOf(byTable, table).table += 2 * readUnits(row?.size ?? 0, true);
    return row ? { Item: answerItem(row.item, project) } : {};
  });
  return {
    Responses: responses,
    ConsumedCapacity: capacityList(input.ReturnConsumedCapacity, byTable, 'ReadCapacityUnits'),
  };
}

export const transactionHandlers = {
  TransactWriteItems: transactWriteItems,
  TransactGetItems: transactGetItems,
};
