/**
 * PartiQL: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction. Each statement is
 * parsed (./partiql), planned as the item operation that answers it, and run through that
 * operation's handler, so validation, conditions, indexes and capacity are the same.
 */
import type {
  AttributeValue,
  BatchExecuteStatementInput,
  BatchExecuteStatementOutput,
  BatchStatementErrorCodeEnum,
  BatchStatementResponse,
  CancellationReason,
  ExecuteStatementInput,
  ExecuteStatementOutput,
  ExecuteTransactionInput,
  ExecuteTransactionOutput,
  PutItemInput,
  ReturnConsumedCapacity,
  ReturnValuesOnConditionCheckFailure,
  TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { AwsError } from '../../errors.js';
import { checkString, throwIfViolations } from '../constraints.js';
import type { RequestContext } from '../types.js';
import { validationError } from './expressions/validation-error.js';
import { decodeItem, encodeItem, type Item, readable } from './item-json.js';
import { itemHandlers } from './items.js';
import { parseStatement, type Statement } from './partiql/parser.js';
import { type Plan, planGet, planStatement } from './partiql/plans.js';
import { projectionName, valueAt } from './partiql/translate.js';
import { queryHandlers } from './query.js';
import { scanHandlers } from './scan.js';
import { transactionHandlers } from './transactions.js';

const DUPLICATE = 'Duplicate primary key exists in table';

interface Parsed {
  statement: Statement;
  params: AttributeValue[];
}

function parse(text: string | undefined, params: AttributeValue[] | undefined, at = 'statement'): Parsed {
  throwIfViolations(checkString(text, at, { min: 1, max: 8192, required: true }));
  const { statement, parameterCount } = parseStatement(text as string);
  if (parameterCount !== (params?.length ?? 0)) {
    throw validationError("Number of parameters in request and statement don't match.");
  }
  return { statement, params: params ?? [] };
}

function encodeToken(key: Item | undefined): string | undefined {
  return key && Buffer.from(encodeItem(key)).toString('base64');
}

function decodeToken(token: string | undefined): Item | undefined {
  if (token === undefined) return undefined;
  try {
    return decodeItem(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw validationError('The provided NextToken is invalid');
  }
}

/** A SELECT list names each value by its path's last attribute. */
function projected(items: Item[], projection: Extract<Statement, { kind: 'select' }>['projection']): Item[] {
  if (projection === '*') return items;
  return items.map((answered) => {
    const item = readable(answered);
    const out: Item = Object.create(null);
    for (const p of projection) {
      const v = valueAt(item, p);
      if (v) out[projectionName(p)] = v;
    }
    return out;
  });
}

interface RunOptions {
  ConsistentRead?: boolean;
  Limit?: number;
  NextToken?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnValuesOnConditionCheckFailure?: ReturnValuesOnConditionCheckFailure;
}

function read(ctx: RequestContext, plan: Extract<Plan, { kind: 'query' | 'scan' }>, opts: RunOptions) {
  if (opts.ConsistentRead && plan.global) {
    throw validationError('Strongly consistent read is not supported on Global Secondary Indexes');
  }
  const paging = {
    ReturnConsumedCapacity: opts.ReturnConsumedCapacity,
    ConsistentRead: opts.ConsistentRead,
    Limit: opts.Limit,
    ExclusiveStartKey: decodeToken(opts.NextToken),
  };
  const out =
    plan.kind === 'query'
      ? queryHandlers.Query({ ...plan.input, ...paging }, ctx)
      : scanHandlers.Scan({ ...plan.input, ...paging }, ctx);
  return {
    Items: projected(out.Items ?? [], plan.select.projection),
    NextToken: encodeToken(out.LastEvaluatedKey),
    LastEvaluatedKey: out.LastEvaluatedKey,
    ConsumedCapacity: out.ConsumedCapacity,
  };
}

function insert(ctx: RequestContext, input: PutItemInput) {
  try {
    return itemHandlers.PutItem(input, ctx);
  } catch (err) {
    if (err instanceof AwsError && err.code === 'ConditionalCheckFailedException') {
      throw new AwsError('DuplicateItemException', DUPLICATE, 400);
    }
    throw err;
  }
}

function run(ctx: RequestContext, plan: Plan, opts: RunOptions): ExecuteStatementOutput {
  const returns = {
    ReturnConsumedCapacity: opts.ReturnConsumedCapacity,
    ReturnValuesOnConditionCheckFailure: opts.ReturnValuesOnConditionCheckFailure,
  };
  switch (plan.kind) {
    case 'query':
    case 'scan':
      return read(ctx, plan, opts);
    case 'put':
      return { ConsumedCapacity: insert(ctx, { ...plan.input, ...returns }).ConsumedCapacity };
    case 'update': {
      const out = itemHandlers.UpdateItem({ ...plan.input, ...returns }, ctx);
      return {
        Items: plan.input.ReturnValues ? [out.Attributes ?? {}] : undefined,
        ConsumedCapacity: out.ConsumedCapacity,
      };
    }
    case 'delete': {
      const out = itemHandlers.DeleteItem({ ...plan.input, ...returns }, ctx);
      return {
        Items: plan.input.ReturnValues ? [out.Attributes ?? {}] : undefined,
        ConsumedCapacity: out.ConsumedCapacity,
      };
    }
    case 'check':
      throw validationError('EXISTS is only supported within ExecuteTransaction');
  }
}

function executeStatement(input: ExecuteStatementInput, ctx: RequestContext): ExecuteStatementOutput {
  const { statement, params } = parse(input.Statement, input.Parameters);
  return run(ctx, planStatement(ctx, statement, params), input);
}

const ERROR_CODES: Record<string, BatchStatementErrorCodeEnum> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  DuplicateItemException: 'DuplicateItem',
  ResourceNotFoundException: 'ResourceNotFound',
  ValidationException: 'ValidationError',
};

function batchExecuteStatement(
  input: BatchExecuteStatementInput,
  ctx: RequestContext,
): BatchExecuteStatementOutput {
  const statements = input.Statements ?? [];
  if (statements.length === 0 || statements.length > 25) {
    throwIfViolations([
      {
        value: `[${statements.map(() => 'BatchStatementRequest').join(', ')}]`,
        at: 'statements',
        constraint:
          statements.length === 0
            ? 'Member must have length greater than or equal to 1'
            : 'Member must have length less than or equal to 25',
      },
    ]);
  }
  const parsed = statements.map((s) => parse(s.Statement, s.Parameters));
  const reads = parsed.filter((p) => p.statement.kind === 'select').length;
  if (reads > 0 && reads < parsed.length) {
    throw validationError('Mixed reads and writes are not supported in BatchExecuteStatement');
  }
  const responses: BatchStatementResponse[] = parsed.map(({ statement, params }, i) => {
    const request = statements[i] as (typeof statements)[number];
    const tableName = statement.kind === 'exists' ? statement.select.source.table : statement.source.table;
    try {
      if (statement.kind === 'select') {
        const get = planGet(ctx, statement, params);
        const out = itemHandlers.GetItem({ ...get, ConsistentRead: request.ConsistentRead }, ctx);
        return { TableName: tableName, Item: out.Item && projected([out.Item], statement.projection)[0] };
      }
      run(ctx, planStatement(ctx, statement, params), request);
      return { TableName: tableName };
    } catch (err) {
      if (!(err instanceof AwsError) || err.status >= 500) throw err;
      return {
        TableName: tableName,
        Error: {
          Code: ERROR_CODES[err.code] ?? 'ValidationError',
          Message: err.message,
          Item: err.fields.Item as Record<string, AttributeValue> | undefined,
        },
      };
    }
  });
  return { Responses: responses };
}

/** Renames an INSERT's failed not-exists condition to the duplicate it means. */
function duplicateReasons(err: AwsError, inserts: Set<number>): AwsError {
  const reasons = (err.fields.CancellationReasons as CancellationReason[]).map((r, i) =>
    inserts.has(i) && r.Code === 'ConditionalCheckFailed' ? { Code: 'DuplicateItem', Message: DUPLICATE } : r,
  );
  const codes = reasons.map((r) => r.Code).join(', ');
  return new AwsError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    400,
    { fields: { CancellationReasons: reasons } },
  );
}

function executeTransaction(input: ExecuteTransactionInput, ctx: RequestContext): ExecuteTransactionOutput {
  const statements = input.TransactStatements ?? [];
  const parsed = statements.map((s, i) => {
    const p = parse(s.Statement, s.Parameters);
    const fail = (why: string) => validationError(`Validation failed in TransactStatements[${i}]: ${why}`);
    const { statement } = p;
    if ((statement.kind === 'update' || statement.kind === 'delete') && statement.returning) {
      throw fail('RETURNING clause is not supported in ExecuteTransaction.');
    }
    if (statement.kind === 'select' && statement.source.index !== undefined) {
      throw fail('Reads on indices are not supported within transactions.');
    }
    return p;
  });
  const reads = parsed.filter((p) => p.statement.kind === 'select').length;
  if (reads > 0 && reads < parsed.length) {
    throw validationError('Mixed reads and writes are not supported in ExecuteTransaction');
  }
  if (reads > 0) {
    const out = transactionHandlers.TransactGetItems(
      {
        TransactItems: parsed.map(({ statement, params }) => ({
          Get: planGet(ctx, statement as Extract<Statement, { kind: 'select' }>, params),
        })),
        ReturnConsumedCapacity: input.ReturnConsumedCapacity,
      },
      ctx,
    );
    return { Responses: out.Responses, ConsumedCapacity: out.ConsumedCapacity };
  }
  const inserts = new Set<number>();
  const items: TransactWriteItem[] = parsed.map(({ statement, params }, i) => {
    const plan = planStatement(ctx, statement, params);
    const onFailure = statements[i]?.ReturnValuesOnConditionCheckFailure;
    switch (plan.kind) {
      case 'put':
        inserts.add(i);
        return { Put: { ...plan.input, ReturnValuesOnConditionCheckFailure: onFailure } };
      case 'update': {
        const { ReturnValues: _none, ...update } = plan.input;
        return {
          Update: {
            ...update,
            UpdateExpression: update.UpdateExpression as string,
            ReturnValuesOnConditionCheckFailure: onFailure,
          },
        };
      }
      case 'delete': {
        const { ReturnValues: _none, ...del } = plan.input;
        return { Delete: { ...del, ReturnValuesOnConditionCheckFailure: onFailure } };
      }
      default:
        return {
          ConditionCheck: {
            ...(plan as Extract<Plan, { kind: 'check' }>).input,
            ReturnValuesOnConditionCheckFailure: onFailure,
          },
        };
    }
  });
  try {
    const out = transactionHandlers.TransactWriteItems(
      {
        TransactItems: items,
        ClientRequestToken: input.ClientRequestToken,
        ReturnConsumedCapacity: input.ReturnConsumedCapacity,
      },
      ctx,
    );
    return { ConsumedCapacity: out.ConsumedCapacity };
  } catch (err) {
    if (err instanceof AwsError && err.code === 'TransactionCanceledException' && inserts.size > 0) {
      throw duplicateReasons(err, inserts);
    }
    throw err;
  }
}

export const partiqlHandlers = {
  ExecuteStatement: executeStatement,
  BatchExecuteStatement: batchExecuteStatement,
  ExecuteTransaction: executeTransaction,
};
