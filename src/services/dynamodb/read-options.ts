/**
 * What Query and Scan share: the index read (if any), Select and the projection it implies,
 * the key attributes of LastEvaluatedKey, and where ExclusiveStartKey resumes.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { IndexDef, Table } from './catalog.js';
import { validationError } from './expressions/validation-error.js';
import type { Item } from './item-json.js';
import { indexKey, projectedNames, tableKey } from './item-rows.js';
import type { Resume } from './read-plans.js';
import { checkValue, typeOf } from './validation.js';

const INVALID = 'One or more parameter values were invalid: ';

export function indexOf(table: Table, name: string | undefined): IndexDef | undefined {
  if (name === undefined) return undefined;
  const index = table.indexByName.get(name);
  if (!index) throw validationError(`The table does not have the specified index: ${name}`);
  return index;
}

/** The attribute names of LastEvaluatedKey: the table's key, and the index's. */
export function keyNames(table: Table, index: IndexDef | undefined): string[] {
  const names = [table.hash.name];
  if (table.range) names.push(table.range.name);
  for (const k of index ? [index.hash, index.range] : [])
    if (k && !names.includes(k.name)) names.push(k.name);
  return names;
}

export interface SelectInput {
  Select?: string;
  ProjectionExpression?: string;
  AttributesToGet?: string[];
}

/** Select's rules; whether only a count is wanted. `envelope` wraps the message as Query does. */
export function checkSelect(input: SelectInput, index: IndexDef | undefined, envelope: boolean): boolean {
  const projection =
    input.ProjectionExpression !== undefined
      ? 'ProjectionExpression'
      : input.AttributesToGet
        ? 'AttributesToGet'
        : undefined;
  const select = input.Select;
  if (select === 'SPECIFIC_ATTRIBUTES' && !projection) {
    throw validationError(
      `${envelope ? '1 validation error detected: ' : ''}Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES`,
    );
  }
  if (select !== undefined && select !== 'SPECIFIC_ATTRIBUTES' && projection) {
    throw validationError(`Cannot specify the ${projection} when choosing to get ${select}`);
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !index) {
    throw validationError('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  }
  if (select === 'ALL_ATTRIBUTES' && index && !index.local && index.projection.ProjectionType !== 'ALL') {
    throw validationError(
      `${INVALID}Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`,
    );
  }
  return select === 'COUNT';
}

/** What an index read returns of an item before any ProjectionExpression: what the index
 * projects, unless a local index is asked for the whole item or for named attributes (it
 * fetches from the table what it does not project). */
export function indexShape(
  table: Table,
  index: IndexDef | undefined,
  select: string | undefined,
  named: boolean,
): ((item: Item) => Item) | undefined {
  if (!index || (index.local && (select === 'ALL_ATTRIBUTES' || named))) return undefined;
  const names = projectedNames(table, index);
  if (!names) return undefined;
  return (item) => {
    const out: Item = Object.create(null);
    for (const n of names) if (item[n]) out[n] = item[n] as AttributeValue;
    return out;
  };
}

/** Where an ExclusiveStartKey resumes; DynamoDB's messages for a key that cannot be one. */
export function resumeFrom(
  table: Table,
  index: IndexDef | undefined,
  start: Item | undefined,
): Resume | undefined {
  if (!start) return undefined;
  for (const name in start) {
    try {
      checkValue(start[name] as AttributeValue);
    } catch (err) {
      throw validationError(`The provided starting key is invalid: ${(err as Error).message}`);
    }
  }
  const names = keyNames(table, index);
  const mismatch = validationError(
    'The provided starting key is invalid: The provided key element does not match the schema',
  );
  if (Object.keys(start).length !== names.length) throw mismatch;
  for (const k of [table.hash, table.range, index?.hash, index?.range]) {
    if (k && (!start[k.name] || typeOf(start[k.name] as AttributeValue) !== k.type)) throw mismatch;
  }
  const at = tableKey(table, start);
  if (!index) return { at };
  return { at: indexKey(index, start) ?? at, table: at };
}
