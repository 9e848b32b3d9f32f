/**
 * PutItem, UpdateItem, DeleteItem and GetItem: prepare the write (item-writes), read the
 * current item, check the condition, apply and commit, answer with the ReturnValues,
 * capacity and item collection metrics asked for.
 */
import type {
  DeleteItemInput,
  DeleteItemOutput,
  GetItemInput,
  GetItemOutput,
  PutItemInput,
  PutItemOutput,
  UpdateItemInput,
  UpdateItemOutput,
} from '@aws-sdk/client-dynamodb';
import type { RequestContext } from '../types.js';
import { consumedCapacity, noUnits, readUnits, wantsCapacity } from './capacity.js';
import { requireTable } from './catalog.js';
import { project } from './expressions/index.js';
import { validationError } from './expressions/validation-error.js';
import { itemCollectionMetrics } from './item-collections.js';
import { answerItem, type Item } from './item-json.js';
import { readItem, readRow, tableKey } from './item-rows.js';
import {
  commitWrite,
  type PreparedWrite,
  prepareDelete,
  preparePut,
  prepareUpdate,
  type WriteOutcome,
  writeCost,
} from './item-writes.js';
import { checkCommon, required } from './parameters.js';
import { checkScalarKeys, failCondition, requestExpressions } from './request-expressions.js';
import { checkItemValues, checkKey } from './validation.js';

interface WriteReturns {
  ReturnValuesOnConditionCheckFailure?: string;
  ReturnConsumedCapacity?: string;
  ReturnItemCollectionMetrics?: string;
}

/** Reads, checks the condition, applies and commits one prepared write. */
function run(ctx: RequestContext, w: PreparedWrite, input: WriteReturns) {
  if (w.schemaError) throw w.schemaError;
  const old = readItem(ctx.db, w.table, w.key);
  if (w.condition && !w.condition(old?.item))
    failCondition(input.ReturnValuesOnConditionCheckFailure, old?.item);
  const outcome = w.apply(old);
  commitWrite(ctx, w, old, outcome);
  return {
    old,
    outcome,
    ConsumedCapacity: wantsCapacity(input.ReturnConsumedCapacity)
      ? consumedCapacity(input.ReturnConsumedCapacity, w.table.meta.name, writeCost(w, old, outcome))
      : undefined,
    ItemCollectionMetrics: itemCollectionMetrics(
      ctx.db,
      input.ReturnItemCollectionMetrics,
      w.table,
      w.key,
      w.keyItem,
    ),
  };
}

function onlyAllOld(returnValues: string | undefined): void {
  if (returnValues && returnValues !== 'NONE' && returnValues !== 'ALL_OLD') {
    throw validationError('ReturnValues can only be ALL_OLD or NONE');
  }
}

function putItem(input: PutItemInput, ctx: RequestContext): PutItemOutput {
  checkCommon(input, required(input.Item, 'item'));
  onlyAllOld(input.ReturnValues);
  const { old, ConsumedCapacity, ItemCollectionMetrics } = run(ctx, preparePut(ctx, input), input);
  return {
    Attributes: input.ReturnValues === 'ALL_OLD' ? old?.item : undefined,
    ConsumedCapacity,
    ItemCollectionMetrics,
  };
}

function deleteItem(input: DeleteItemInput, ctx: RequestContext): DeleteItemOutput {
  checkCommon(input, required(input.Key, 'key'));
  onlyAllOld(input.ReturnValues);
  const { old, ConsumedCapacity, ItemCollectionMetrics } = run(ctx, prepareDelete(ctx, input), input);
  return {
    Attributes: input.ReturnValues === 'ALL_OLD' ? old?.item : undefined,
    ConsumedCapacity,
    ItemCollectionMetrics,
  };
}

/** UpdateItem's ReturnValues: whole items, or only the paths the update wrote. */
function updateReturns(
  mode: string | undefined,
  old: Item | undefined,
  outcome: WriteOutcome,
): Item | undefined {
  let out: Item | undefined;
  switch (mode) {
    case 'ALL_OLD':
      out = old;
      break;
    case 'ALL_NEW':
      out = outcome.next?.item;
      break;
    case 'UPDATED_OLD':
      out = old && outcome.changed && project(old, outcome.changed);
      break;
    case 'UPDATED_NEW':
      out = outcome.next && outcome.changed && project(outcome.next.item, outcome.changed);
      break;
  }
  return out && Object.keys(out).length > 0 ? out : undefined;
}

function updateItem(input: UpdateItemInput, ctx: RequestContext): UpdateItemOutput {
  checkCommon(input, required(input.Key, 'key'));
  const { old, outcome, ConsumedCapacity, ItemCollectionMetrics } = run(
    ctx,
    prepareUpdate(ctx, input),
    input,
  );
  return {
    Attributes: updateReturns(input.ReturnValues, old?.item, outcome),
    ConsumedCapacity,
    ItemCollectionMetrics,
  };
}

function getItem(input: GetItemInput, ctx: RequestContext): GetItemOutput {
  checkCommon(input, required(input.Key, 'key'));
  const keyItem = input.Key as Item;
  checkItemValues(keyItem);
  const { project: shape, nestedRoots } = requestExpressions(input, { projection: true });
  const table = requireTable(ctx, input.TableName as string);
  checkScalarKeys(table, nestedRoots);
  checkKey(table, keyItem);
  const row = readRow(ctx.db, table, tableKey(table, keyItem));
  const units = noUnits();
  units.table = readUnits(row?.size ?? 0, input.ConsistentRead);
  return {
    Item: row && answerItem(row.item, shape),
    ConsumedCapacity: consumedCapacity(input.ReturnConsumedCapacity, table.meta.name, units),
  };
}

export const itemHandlers = {
  PutItem: putItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  GetItem: getItem,
};
