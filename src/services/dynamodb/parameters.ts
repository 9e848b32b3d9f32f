/**
 * The request-level rules item operations share, checked before the table is looked up:
 * the model's constraints (table name, enums), and which expression parameters may appear
 * together, with DynamoDB's messages.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { NOT_NULL, throwIfViolations, type Violation } from '../constraints.js';
import { validationError } from './expressions/validation-error.js';
import { enumViolation, requireTableName, tableNameViolations } from './table-validation.js';

export const RETURN_VALUES = ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] as const;
export const RETURN_CAPACITY = ['INDEXES', 'TOTAL', 'NONE'] as const;
export const RETURN_METRICS = ['SIZE', 'NONE'] as const;
const ON_CONDITION_FAILURE = ['ALL_OLD', 'NONE'] as const;
export const SELECT = ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] as const;
const CONDITIONAL_OPERATORS = ['OR', 'AND'] as const;

export interface CommonInput {
  TableName?: string;
  ReturnConsumedCapacity?: string;
  ReturnItemCollectionMetrics?: string;
  ReturnValues?: string;
  ReturnValuesOnConditionCheckFailure?: string;
  ConditionalOperator?: string;
  Select?: string;
}

/** The two enums every write (single, batch or transactional) may carry. */
export function returnsViolations(input: {
  ReturnConsumedCapacity?: string;
  ReturnItemCollectionMetrics?: string;
}): Violation[] {
  return [
    ...enumViolation(input.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CAPACITY),
    ...enumViolation(input.ReturnItemCollectionMetrics, 'returnItemCollectionMetrics', RETURN_METRICS),
  ];
}

/** The model constraints of the members most item operations have; `extra` are the
 * operation's own (e.g. a required Key), listed where the model lists them. */
export function checkCommon(input: CommonInput, extra: Violation[] = []): void {
  requireTableName(input.TableName);
  throwIfViolations(
    [
      ...tableNameViolations(input.TableName),
      ...extra,
      ...returnsViolations(input),
      ...enumViolation(input.ReturnValues, 'returnValues', RETURN_VALUES),
      ...enumViolation(
        input.ReturnValuesOnConditionCheckFailure,
        'returnValuesOnConditionCheckFailure',
        ON_CONDITION_FAILURE,
      ),
      ...enumViolation(input.ConditionalOperator, 'conditionalOperator', CONDITIONAL_OPERATORS),
      ...enumViolation(input.Select, 'select', SELECT),
    ].slice(0, 10),
  );
}

export function required(value: unknown, at: string): Violation[] {
  return value === undefined ? [{ value, at, constraint: NOT_NULL }] : [];
}

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** The model-required members missing from a nested structure, named as DynamoDB names
 * them (`transactItems.1.member.put.tableName`). */
export function requiredMembers(value: object, members: readonly string[], at: string): Violation[] {
  const record = value as Record<string, unknown>;
  return members.flatMap((m) => required(record[m], `${at}.${lowerFirst(m)}`));
}

export interface ExpressionParams {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

/**
 * Expression and legacy parameters never mix; names and values only come with an
 * expression, and never empty. `expressions` and `legacy` name the parameters present.
 */
export function checkExpressionMix(input: ExpressionParams, expressions: string[], legacy: string[]): void {
  if (expressions.length > 0 && legacy.length > 0) {
    throw validationError(
      `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${expressions.join(', ')}}`,
    );
  }
  const names = input.ExpressionAttributeNames;
  const values = input.ExpressionAttributeValues;
  if (expressions.length === 0) {
    if (names !== undefined)
      throw validationError('ExpressionAttributeNames can only be specified when using expressions');
    if (values !== undefined)
      throw validationError('ExpressionAttributeValues can only be specified when using expressions');
    return;
  }
  if (names !== undefined && Object.keys(names).length === 0) {
    throw validationError('ExpressionAttributeNames must not be empty');
  }
  if (values !== undefined && Object.keys(values).length === 0) {
    throw validationError('ExpressionAttributeValues must not be empty');
  }
}

/** The names of the members of `input` that are set, among `members`. */
export function present(input: object, members: readonly string[]): string[] {
  const record = input as Record<string, unknown>;
  return members.filter((m) => record[m] !== undefined);
}
