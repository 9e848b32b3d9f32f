/**
 * AttributeValue and key rules with DynamoDB's ValidationException messages: one type per
 * value, numbers of 38 significant digits within 1E-130..1E+126 (normalised in place),
 * non-empty duplicate-free sets, nesting depth, and keys matching the table's schema.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { AwsError } from '../../errors.js';
import type { KeyAttribute, Table } from './catalog.js';
import { normalizeNumber } from './expressions/index.js';
import { validationError } from './expressions/validation-error.js';
import type { Item } from './item-json.js';

const INVALID = 'One or more parameter values were invalid: ';
const NOT_VALID = 'One or more parameter values are not valid. ';
const TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'] as const;
const MAX_DEPTH = 32;
const MAX_HASH_KEY = 2048;
const MAX_RANGE_KEY = 1024;

function typesOf(v: AttributeValue): number {
  let n = 0;
  for (const t of TYPES) if ((v as unknown as Record<string, unknown>)[t] !== undefined) n++;
  return n;
}

const bytesKey = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

function checkSets(v: AttributeValue): void {
  if (v.SS !== undefined) {
    if (v.SS.length === 0) throw validationError(`${INVALID}An string set  may not be empty`);
    if (new Set(v.SS).size !== v.SS.length) {
      throw validationError(`${INVALID}Input collection [${v.SS.join(', ')}] contains duplicates.`);
    }
  }
  if (v.NS !== undefined) {
    if (v.NS.length === 0) throw validationError(`${INVALID}An number set  may not be empty`);
    const ns = v.NS.map(normalizeNumber);
    if (new Set(ns).size !== ns.length) throw validationError('Input collection contains duplicates');
    (v as { NS: string[] }).NS = ns;
  }
  if (v.BS !== undefined) {
    if (v.BS.length === 0) throw validationError(`${INVALID}Binary sets should not be empty`);
    const bs = v.BS.map(bytesKey);
    if (new Set(bs).size !== bs.length) {
      throw validationError(`${INVALID}Input collection [${bs.join(', ')}]of type BS contains duplicates.`);
    }
  }
}

/** Validates one value (and what it nests), normalising its numbers in place. */
export function checkValue(v: AttributeValue, depth = 1): void {
  if (depth > MAX_DEPTH) throw validationError('Nesting Levels have exceeded supported limits');
  const n = typesOf(v);
  if (n === 0)
    throw validationError(
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
  if (v.N !== undefined) (v as { N: string }).N = normalizeNumber(v.N);
  if (v.NULL === false)
    throw validationError(`${INVALID}Null attribute value types must have the value of true`);
  checkSets(v);
  if (v.M !== undefined) for (const k in v.M) checkValue(v.M[k] as AttributeValue, depth + 1);
  if (v.L !== undefined) for (const el of v.L) checkValue(el, depth + 1);
  if (n > 1) {
    throw validationError(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
}

export function checkItemValues(item: Record<string, AttributeValue>): void {
  for (const name in item) checkValue(item[name] as AttributeValue);
}

/** The type an AttributeValue holds (its one member's name). */
export function typeOf(v: AttributeValue): string {
  for (const t of TYPES) if ((v as unknown as Record<string, unknown>)[t] !== undefined) return t;
  return '';
}

function isEmptyKeyValue(v: AttributeValue, type: string): boolean {
  return (type === 'S' && v.S === '') || (type === 'B' && v.B?.byteLength === 0);
}

const emptyWord = (type: string) => (type === 'S' ? 'string' : 'binary');

function keySize(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S, 'utf8');
  return v.B?.byteLength ?? 0;
}

function checkKeySizes(table: Table, item: Item): void {
  if (keySize(item[table.hash.name] as AttributeValue) > MAX_HASH_KEY) {
    throw validationError(
      `${INVALID}Size of hashkey has exceeded the maximum size limit of${MAX_HASH_KEY} bytes`,
    );
  }
  if (table.range && keySize(item[table.range.name] as AttributeValue) > MAX_RANGE_KEY) {
    throw validationError(
      `${INVALID}Aggregated size of all range keys has exceeded the size limit of ${MAX_RANGE_KEY} bytes`,
    );
  }
}

function tableKeys(table: Table): KeyAttribute[] {
  return table.range ? [table.hash, table.range] : [table.hash];
}

/** A whole item (PutItem): its key attributes present and typed, index keys typed. */
export function checkItemKeys(table: Table, item: Item): void {
  for (const key of tableKeys(table)) {
    const v = item[key.name];
    if (!v) throw validationError(`${INVALID}Missing the key ${key.name} in the item`);
    const type = typeOf(v);
    if (type !== key.type) {
      throw validationError(
        `${INVALID}Type mismatch for key ${key.name} expected: ${key.type} actual: ${type}`,
      );
    }
    if (isEmptyKeyValue(v, type)) {
      throw validationError(
        `${NOT_VALID}The AttributeValue for a key attribute cannot contain an empty ${emptyWord(type)} value. Key: ${key.name}`,
      );
    }
  }
  checkKeySizes(table, item);
  checkIndexKeys(table, item);
}

/** Index key attributes an item carries must have the index's type and not be empty. */
export function checkIndexKeys(table: Table, item: Item, emptyMessage?: (word: string) => string): void {
  if (table.indexes.length === 0) return;
  for (const index of table.indexesInNameOrder) {
    for (const key of index.range ? [index.hash, index.range] : [index.hash]) {
      const v = item[key.name];
      if (!v) continue;
      const type = typeOf(v);
      if (type !== key.type) {
        throw validationError(
          `${INVALID}Type mismatch for Index Key ${key.name} Expected: ${key.type} Actual: ${type} IndexName: ${index.name}`,
        );
      }
      if (isEmptyKeyValue(v, type)) {
        throw validationError(
          emptyMessage?.(emptyWord(type)) ??
            `${NOT_VALID}A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${emptyWord(type)} value. IndexName: ${index.name}, IndexKey: ${key.name}`,
        );
      }
    }
  }
}

const SCHEMA_MISMATCH = 'The provided key element does not match the schema';

/** A Key parameter: exactly the table's key attributes, of their types, not empty. */
export function checkKey(table: Table, key: Item | undefined, schemaMessage = SCHEMA_MISMATCH): void {
  if (!key || Object.keys(key).length !== (table.range ? 2 : 1)) throw validationError(schemaMessage);
  checkKeyAttributes(table, key, schemaMessage);
}

/** The key attributes of an item or key: present, of their types, not empty, not too long. */
export function checkKeyAttributes(table: Table, item: Item, schemaMessage = SCHEMA_MISMATCH): void {
  const keys = tableKeys(table);
  for (const k of keys) {
    const v = item[k.name];
    if (!v || typeOf(v) !== k.type) throw validationError(schemaMessage);
  }
  for (const k of keys) {
    const v = item[k.name] as AttributeValue;
    if (isEmptyKeyValue(v, k.type)) {
      throw validationError(
        `${NOT_VALID}The AttributeValue for a key attribute cannot contain an empty ${emptyWord(k.type)} value. Key: ${k.name}`,
      );
    }
  }
  checkKeySizes(table, item);
}

/** Whether a key-schema problem is a request's (thrown) rather than an item's (in a
 * transaction, a cancellation reason): DynamoDB refuses empty key values up front. */
export function isTopLevelProblem(err: unknown): boolean {
  return !(err instanceof AwsError) || err.message.startsWith(NOT_VALID);
}

/** Only the key attributes of an item. */
export function keyOf(table: Table, item: Item): Item {
  const out: Item = { [table.hash.name]: item[table.hash.name] as AttributeValue };
  if (table.range) out[table.range.name] = item[table.range.name] as AttributeValue;
  return out;
}
