/**
 * One item write, prepared: Put, Update, Delete or ConditionCheck, shared by the item
 * operations and TransactWriteItems. Preparing checks the request (values, expressions,
 * table, key); applying computes the item's next state from its current one. Errors that
 * DynamoDB reports per item in a transaction (the item not fitting the key schema) are kept
 * as `schemaError` rather than thrown, so a transaction can cancel with them as reasons.
 */
import type {
  ConditionCheck,
  Delete,
  DeleteItemInput,
  Put,
  PutItemInput,
  Update,
  UpdateItemInput,
} from '@aws-sdk/client-dynamodb';
import type { AwsError } from '../../errors.js';
import type { RequestContext } from '../types.js';
import { itemWriteUnits, type Units } from './capacity.js';
import { requireTable, type Table } from './catalog.js';
import { applyUpdate, type Projection } from './expressions/index.js';
import { validationError } from './expressions/validation-error.js';
import type { Item } from './item-json.js';
import {
  type ItemKey,
  removeItem,
  type StoredItem,
  storeItem,
  tableKey,
  type WriteContext,
} from './item-rows.js';
import { itemSize, MAX_ITEM_SIZE } from './item-size.js';
import { NO_RANGE } from './key-encoding.js';
import { checkScalarKeys, requestExpressions } from './request-expressions.js';
import {
  checkIndexKeys,
  checkItemKeys,
  checkItemValues,
  checkKey,
  isTopLevelProblem,
  keyOf,
} from './validation.js';

export interface WriteOutcome {
  /** the item after the write; undefined when there is none (deleted, or never created) */
  next?: StoredItem;
  /** false: the write leaves the item as it is (ConditionCheck, an update of nothing) */
  writes: boolean;
  /** the paths an update wrote (ReturnValues UPDATED_OLD / UPDATED_NEW) */
  changed?: Projection;
}

export interface PreparedWrite {
  table: Table;
  key: ItemKey;
  /** the key attributes of the item */
  keyItem: Item;
  condition?: (item: Item | undefined) => boolean;
  /** the item does not fit the table's key schema: a transaction's per-item reason */
  schemaError?: AwsError;
  apply(old: StoredItem | undefined): WriteOutcome;
}

/** The key of an item that does not fit the schema: never read or written. */
const UNKEYED: ItemKey = { shard: 0, hash: NO_RANGE, range: NO_RANGE };

type PutLike = Pick<PutItemInput, 'TableName' | 'Item'> & Omit<Put, 'TableName' | 'Item'>;
type KeyedLike = Pick<DeleteItemInput, 'TableName' | 'Key'> & Omit<Delete, 'TableName' | 'Key'>;
type UpdateLike = Pick<UpdateItemInput, 'TableName' | 'Key'> &
  Omit<Update, 'TableName' | 'Key' | 'UpdateExpression'> &
  Pick<UpdateItemInput, 'UpdateExpression' | 'AttributeUpdates' | 'Expected' | 'ConditionalOperator'>;

/** Runs schema checks, keeping what a transaction reports per item and throwing the rest. */
function schemaCheck(check: () => void): AwsError | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    if (isTopLevelProblem(err)) throw err;
    return err as AwsError;
  }
}

export function preparePut(ctx: RequestContext, input: PutLike): PreparedWrite {
  const item = input.Item as Item;
  checkItemValues(item);
  const { condition, nestedRoots } = requestExpressions(input, { condition: true });
  const table = requireTable(ctx, input.TableName as string);
  checkScalarKeys(table, nestedRoots);
  let size = 0;
  const schemaError = schemaCheck(() => {
    checkItemKeys(table, item);
    size = itemSize(item);
    if (size > MAX_ITEM_SIZE) throw validationError('Item size has exceeded the maximum allowed size');
  });
  const next = { item, size };
  return {
    table,
    key: schemaError ? UNKEYED : tableKey(table, item),
    keyItem: item,
    condition,
    schemaError,
    apply: () => ({ next, writes: true }),
  };
}

function prepareKeyed(
  ctx: RequestContext,
  input: KeyedLike,
  kinds: { update?: boolean; condition: boolean },
) {
  const keyItem = input.Key as Item;
  checkItemValues(keyItem);
  const expressions = requestExpressions(input, kinds);
  const table = requireTable(ctx, input.TableName as string);
  checkScalarKeys(table, expressions.nestedRoots);
  const schemaError = schemaCheck(() => checkKey(table, keyItem));
  const key = schemaError ? UNKEYED : tableKey(table, keyItem);
  return { table, key, keyItem, expressions, schemaError };
}

/** A write that only checks its condition on one key, then does what `apply` says. */
function prepareConditioned(
  ctx: RequestContext,
  input: KeyedLike | ConditionCheck,
  apply: PreparedWrite['apply'],
): PreparedWrite {
  const { table, key, keyItem, expressions, schemaError } = prepareKeyed(ctx, input, { condition: true });
  return { table, key, keyItem, condition: expressions.condition, schemaError, apply };
}

export function prepareDelete(ctx: RequestContext, input: KeyedLike): PreparedWrite {
  return prepareConditioned(ctx, input, (old) => ({ writes: old !== undefined }));
}

export function prepareConditionCheck(ctx: RequestContext, input: ConditionCheck): PreparedWrite {
  return prepareConditioned(ctx, input, (old) => ({ next: old, writes: false }));
}

const UPDATE_EMPTY_INDEX_KEY = (word: string) =>
  `One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty ${word} value.`;

export function prepareUpdate(ctx: RequestContext, input: UpdateLike): PreparedWrite {
  const { table, key, keyItem, expressions, schemaError } = prepareKeyed(ctx, input, {
    update: true,
    condition: true,
  });
  const { update } = expressions;
  for (const target of update?.targets ?? []) {
    const name = target[0] as string;
    if (name === table.hash.name || name === table.range?.name) {
      throw validationError(
        `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`,
      );
    }
  }
  return {
    table,
    key,
    keyItem,
    condition: expressions.condition,
    schemaError,
    apply: (old) => {
      if (!update) {
        const bare = keyOf(table, keyItem);
        return { next: old ?? { item: bare, size: itemSize(bare) }, writes: true };
      }
      const result = applyUpdate(update, old?.item ?? keyOf(table, keyItem));
      // an update that only removes creates nothing
      if (!old && update.actions.every((a) => a.kind === 'REMOVE' || a.kind === 'DELETE')) {
        return { writes: false, changed: result.changedPaths };
      }
      checkIndexKeys(table, result.item, UPDATE_EMPTY_INDEX_KEY);
      const size = itemSize(result.item);
      if (size > MAX_ITEM_SIZE)
        throw validationError('Item size to update has exceeded the maximum allowed size');
      return { next: { item: result.item, size }, writes: true, changed: result.changedPaths };
    },
  };
}

/** A write's units; one that writes nothing still costs a unit. */
export function writeCost(w: PreparedWrite, old: StoredItem | undefined, outcome: WriteOutcome): Units {
  return outcome.writes ? itemWriteUnits(w.table, old, outcome.next) : { table: 1, indexes: new Map() };
}

/** Writes an applied outcome over the item as it was. */
export function commitWrite(
  ctx: WriteContext,
  w: PreparedWrite,
  old: StoredItem | undefined,
  outcome: WriteOutcome,
): void {
  if (!outcome.writes) return;
  if (outcome.next) storeItem(ctx, w.table, w.key, outcome.next, old);
  else if (old) removeItem(ctx, w.table, w.key, old);
}
