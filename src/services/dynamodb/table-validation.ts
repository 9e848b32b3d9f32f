/**
 * CreateTable and UpdateTable input rules with DynamoDB's messages: first the model's
 * constraints (collected, "N validation errors detected: ..."), then the semantic rules,
 * the first broken one answering.
 */
import type {
  AttributeDefinition,
  CreateTableInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  Projection,
  ProvisionedThroughput,
  StreamSpecification,
} from '@aws-sdk/client-dynamodb';
import {
  checkString,
  lengthAtLeast,
  lengthAtMost,
  NOT_NULL,
  throwIfViolations,
  type Violation,
  valueAtLeast,
} from '../constraints.js';
import { validationError } from './expressions/validation-error.js';

export const INVALID = 'One or more parameter values were invalid: ';
const NAME_PATTERN: [RegExp, string] = [/^[a-zA-Z0-9_.-]+$/, '[a-zA-Z0-9_.-]+'];
const MAX_CAPACITY = 1_000_000_000_000;

const enumSet = (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(', ')}]`;

/** How DynamoDB (Java) prints a key schema in a constraint message. */
function keySchemaText(schema: KeySchemaElement[]): string {
  return `[${schema.map((k) => `KeySchemaElement(attributeName=${k.AttributeName}, keyType=${k.KeyType})`).join(', ')}]`;
}

export function requireTableName(name: string | undefined): void {
  if (name === undefined) {
    throw validationError("The parameter 'TableName' is required but was not present in the request");
  }
}

/** The constraints every TableName (or table ARN) parameter has. */
export function tableNameViolations(name: string | undefined, at = 'tableName'): Violation[] {
  if (name === undefined) return [{ value: name, at, constraint: NOT_NULL }];
  if (name.startsWith('arn:')) return checkString(name, at, { min: 1, max: 1024 });
  return checkString(name, at, { min: 3, max: 255, pattern: NAME_PATTERN });
}

export function enumViolation(value: string | undefined, at: string, values: readonly string[]): Violation[] {
  return value !== undefined && !values.includes(value) ? [{ value, at, constraint: enumSet(values) }] : [];
}

export function keySchemaViolations(schema: KeySchemaElement[] | undefined, at: string): Violation[] {
  if (schema === undefined) return [{ value: schema, at, constraint: NOT_NULL }];
  const out: Violation[] = [];
  if (schema.length < 1) out.push({ value: '[]', at, constraint: lengthAtLeast(1) });
  if (schema.length > 2) out.push({ value: keySchemaText(schema), at, constraint: lengthAtMost(2) });
  schema.forEach((k, i) => {
    const base = `${at}.${i + 1}.member`;
    out.push(...checkString(k.AttributeName, `${base}.attributeName`, { min: 1, max: 255, required: true }));
    if (k.KeyType === undefined) out.push({ value: undefined, at: `${base}.keyType`, constraint: NOT_NULL });
    out.push(...enumViolation(k.KeyType, `${base}.keyType`, ['HASH', 'RANGE']));
  });
  return out;
}

export function throughputViolations(t: ProvisionedThroughput | undefined, at: string): Violation[] {
  if (!t) return [];
  const out: Violation[] = [];
  for (const [member, value] of [
    ['writeCapacityUnits', t.WriteCapacityUnits],
    ['readCapacityUnits', t.ReadCapacityUnits],
  ] as const) {
    if (value === undefined) out.push({ value, at: `${at}.${member}`, constraint: NOT_NULL });
    else if (value < 1) out.push({ value, at: `${at}.${member}`, constraint: valueAtLeast(1) });
  }
  return out;
}

export function projectionViolations(p: Projection | undefined, at: string): Violation[] {
  if (!p) return [{ value: undefined, at, constraint: NOT_NULL }];
  const out = enumViolation(p.ProjectionType, `${at}.projectionType`, ['ALL', 'INCLUDE', 'KEYS_ONLY']);
  if (p.NonKeyAttributes && p.NonKeyAttributes.length < 1) {
    out.push({ value: '[]', at: `${at}.nonKeyAttributes`, constraint: lengthAtLeast(1) });
  }
  return out;
}

export function indexNameViolations(name: string | undefined, at: string): Violation[] {
  return checkString(name, at, { min: 3, max: 255, pattern: NAME_PATTERN, required: true });
}

function indexViolations(
  indexes: (LocalSecondaryIndex | GlobalSecondaryIndex)[] | undefined,
  at: string,
): Violation[] {
  const out: Violation[] = [];
  indexes?.forEach((index, i) => {
    const base = `${at}.${i + 1}.member`;
    out.push(...indexNameViolations(index.IndexName, `${base}.indexName`));
    out.push(...keySchemaViolations(index.KeySchema, `${base}.keySchema`));
    out.push(...projectionViolations(index.Projection, `${base}.projection`));
    if ('ProvisionedThroughput' in index) {
      out.push(...throughputViolations(index.ProvisionedThroughput, `${base}.provisionedThroughput`));
    }
  });
  return out;
}

export function streamViolations(s: StreamSpecification | undefined): Violation[] {
  if (!s) return [];
  const out: Violation[] = [];
  if (s.StreamEnabled === undefined) {
    out.push({ value: undefined, at: 'streamSpecification.streamEnabled', constraint: NOT_NULL });
  }
  out.push(
    ...enumViolation(s.StreamViewType, 'streamSpecification.streamViewType', [
      'NEW_IMAGE',
      'OLD_IMAGE',
      'NEW_AND_OLD_IMAGES',
      'KEYS_ONLY',
    ]),
  );
  return out;
}

/** The members of each attribute definition (CreateTable's, and UpdateTable's for new GSIs). */
export function definitionViolations(defs: AttributeDefinition[] | undefined): Violation[] {
  const out: Violation[] = [];
  defs?.forEach((d, i) => {
    const base = `attributeDefinitions.${i + 1}.member`;
    out.push(...checkString(d.AttributeName, `${base}.attributeName`, { min: 1, max: 255, required: true }));
    if (d.AttributeType === undefined)
      out.push({ value: undefined, at: `${base}.attributeType`, constraint: NOT_NULL });
    out.push(...enumViolation(d.AttributeType, `${base}.attributeType`, ['B', 'N', 'S']));
  });
  return out;
}

export const BILLING_MODES = ['PROVISIONED', 'PAY_PER_REQUEST'] as const;
export const TABLE_CLASSES = ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] as const;

function createTableViolations(input: CreateTableInput): Violation[] {
  const out = tableNameViolations(input.TableName);
  const defs = input.AttributeDefinitions;
  if (defs === undefined) out.push({ value: undefined, at: 'attributeDefinitions', constraint: NOT_NULL });
  out.push(...definitionViolations(defs));
  out.push(...keySchemaViolations(input.KeySchema, 'keySchema'));
  out.push(...enumViolation(input.BillingMode, 'billingMode', BILLING_MODES));
  out.push(...throughputViolations(input.ProvisionedThroughput, 'provisionedThroughput'));
  out.push(...indexViolations(input.LocalSecondaryIndexes, 'localSecondaryIndexes'));
  out.push(...indexViolations(input.GlobalSecondaryIndexes, 'globalSecondaryIndexes'));
  out.push(...streamViolations(input.StreamSpecification));
  out.push(...enumViolation(input.TableClass, 'tableClass', TABLE_CLASSES));
  return out.slice(0, 10);
}

/** The billing rules shared by CreateTable and UpdateTable; the message, or undefined. */
export function billingProblem(
  mode: string | undefined,
  throughput: ProvisionedThroughput | undefined,
): string | undefined {
  if (mode === 'PAY_PER_REQUEST') {
    if (throughput) {
      return `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`;
    }
    return undefined;
  }
  if (!throughput?.ReadCapacityUnits || !throughput.WriteCapacityUnits) {
    return `${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`;
  }
  return throughputBoundsProblem(throughput);
}

export function throughputBoundsProblem(t: ProvisionedThroughput): string | undefined {
  if ((t.ReadCapacityUnits ?? 0) > MAX_CAPACITY) {
    return `Given value ${t.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`;
  }
  if ((t.WriteCapacityUnits ?? 0) > MAX_CAPACITY) {
    return `Given value ${t.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`;
  }
  return undefined;
}

/** The key-schema rules a table and each index follow; the message, or undefined. */
function keySchemaProblem(schema: KeySchemaElement[], defined: string[]): string | undefined {
  const keys = schema.map((k) => k.AttributeName as string);
  if (keys.some((k) => !defined.includes(k))) {
    return `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`;
  }
  if (keys[0] === keys[1])
    return 'Both the Hash Key and the Range Key element in the KeySchema have the same name';
  if (schema[0]?.KeyType !== 'HASH')
    return 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type';
  if (schema[1] && schema[1].KeyType !== 'RANGE') {
    return 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type';
  }
  return undefined;
}

function projectionProblem(p: Projection): string | undefined {
  if (p.ProjectionType === undefined) return `${INVALID}Unknown ProjectionType: null`;
  if (p.NonKeyAttributes && p.ProjectionType !== 'INCLUDE') {
    return `${INVALID}ProjectionType is ${p.ProjectionType}, but NonKeyAttributes is specified`;
  }
  if (p.ProjectionType === 'INCLUDE' && !p.NonKeyAttributes) {
    return `${INVALID}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`;
  }
  return undefined;
}

function lsiProblem(input: CreateTableInput, defined: string[], seen: Set<string>): string | undefined {
  const lsis = input.LocalSecondaryIndexes;
  if (!lsis) return undefined;
  if (lsis.length === 0) return `${INVALID}List of LocalSecondaryIndexes is empty`;
  const schema = input.KeySchema as KeySchemaElement[];
  if (schema.length !== 2) {
    return `${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`;
  }
  const tableHash = schema[0]?.AttributeName;
  for (const lsi of lsis) {
    const keys = lsi.KeySchema as KeySchemaElement[];
    const problem = keySchemaProblem(keys, defined);
    if (problem) return problem;
    if (keys.length !== 2) {
      return `${INVALID}Index KeySchema does not have a range key for index: ${lsi.IndexName}`;
    }
    if (keys[0]?.AttributeName !== tableHash) {
      return `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${lsi.IndexName}. index hash key: ${keys[0]?.AttributeName}, table hash key: ${tableHash}`;
    }
    const projection = projectionProblem(lsi.Projection as Projection);
    if (projection) return projection;
    if (seen.has(lsi.IndexName as string)) return `${INVALID}Duplicate index name: ${lsi.IndexName}`;
    seen.add(lsi.IndexName as string);
  }
  if (lsis.length > 5) return `${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5`;
  return undefined;
}

/** One GSI's rules (CreateTable's list and UpdateTable's Create action). */
export function gsiProblem(
  gsi: GlobalSecondaryIndex,
  defined: string[],
  billingMode: string | undefined,
): string | undefined {
  const problem = keySchemaProblem(gsi.KeySchema as KeySchemaElement[], defined);
  if (problem) return problem;
  const projection = projectionProblem(gsi.Projection as Projection);
  if (projection) return projection;
  if (billingMode === 'PAY_PER_REQUEST' && gsi.ProvisionedThroughput) {
    return `${INVALID}ProvisionedThroughput should not be specified for index: ${gsi.IndexName} when BillingMode is PAY_PER_REQUEST`;
  }
  if (billingMode !== 'PAY_PER_REQUEST' && !gsi.ProvisionedThroughput) {
    return `${INVALID}ProvisionedThroughput must be specified for index: ${gsi.IndexName}`;
  }
  return gsi.ProvisionedThroughput ? throughputBoundsProblem(gsi.ProvisionedThroughput) : undefined;
}

function gsisProblem(input: CreateTableInput, defined: string[], seen: Set<string>): string | undefined {
  const gsis = input.GlobalSecondaryIndexes;
  if (!gsis) return undefined;
  if (gsis.length === 0) return `${INVALID}List of GlobalSecondaryIndexes is empty`;
  for (const gsi of gsis) {
    const problem = gsiProblem(gsi, defined, input.BillingMode);
    if (problem) return problem;
    if (seen.has(gsi.IndexName as string)) return `${INVALID}Duplicate index name: ${gsi.IndexName}`;
    seen.add(gsi.IndexName as string);
  }
  if (gsis.length > 20) return `${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of 20`;
  return undefined;
}

function streamProblem(s: StreamSpecification | undefined): string | undefined {
  if (!s) return undefined;
  if (s.StreamEnabled && !s.StreamViewType) {
    return `${INVALID}You must specify a StreamViewType when enabling a stream`;
  }
  if (!s.StreamEnabled && s.StreamViewType) {
    return `${INVALID}StreamViewType can only be specified when StreamEnabled is true`;
  }
  return undefined;
}

/** Attribute definitions every key must use, and no more. */
function definitionsProblem(input: CreateTableInput, defs: AttributeDefinition[]): string | undefined {
  const defined = defs.map((d) => d.AttributeName as string);
  const used = new Set<string>();
  for (const k of input.KeySchema ?? []) used.add(k.AttributeName as string);
  for (const index of [...(input.LocalSecondaryIndexes ?? []), ...(input.GlobalSecondaryIndexes ?? [])]) {
    for (const k of index.KeySchema ?? []) used.add(k.AttributeName as string);
  }
  if (new Set(defined).size !== defined.length) {
    return `${INVALID}Cannot have two attributes with the same name`;
  }
  const unused = defined.filter((d) => !used.has(d));
  if (unused.length === 0) return undefined;
  if (!input.LocalSecondaryIndexes && !input.GlobalSecondaryIndexes) {
    return `${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`;
  }
  return `${INVALID}Some AttributeDefinitions are not used. AttributeDefinitions: [${defined.join(', ')}], keys used: [${[...used].join(', ')}]`;
}

export function validateCreateTable(input: CreateTableInput): void {
  requireTableName(input.TableName);
  throwIfViolations(createTableViolations(input));
  const problem = createTableProblem(input);
  if (problem) throw validationError(problem);
}

function createTableProblem(input: CreateTableInput): string | undefined {
  const billing = billingProblem(input.BillingMode, input.ProvisionedThroughput);
  if (billing) return billing;
  const defs = input.AttributeDefinitions as AttributeDefinition[];
  const defined = defs.map((d) => d.AttributeName as string);
  const schema = input.KeySchema as KeySchemaElement[];
  if (schema.length > defined.length) return 'Invalid KeySchema: Some index key attribute have no definition';
  const seen = new Set<string>();
  return (
    keySchemaProblem(schema, defined) ??
    lsiProblem(input, defined, seen) ??
    gsisProblem(input, defined, seen) ??
    definitionsProblem(input, defs) ??
    streamProblem(input.StreamSpecification)
  );
}
