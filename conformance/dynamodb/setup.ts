/**
 * Shared setup for the DynamoDB conformance suites: one server per test file, real SDK v3
 * clients (the low-level client and the DocumentClient) against it, a table builder and the
 * error assertions, in the shape DynamoDB answers.
 */
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
  type Projection,
  type ScalarAttributeType,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { Config } from '../../src/index.js';
import { type Harness, useLocalAws } from '../harness.js';

export interface DynamoHarness {
  h: Harness;
  /** built on first use, once beforeAll has started the server */
  readonly ddb: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
}

export function useDynamoDB(options: Partial<Config> = {}): DynamoHarness {
  const h = useLocalAws(options);
  let ddb: DynamoDBClient | undefined;
  let doc: DynamoDBDocumentClient | undefined;
  return {
    h,
    get ddb() {
      ddb ??= new DynamoDBClient(h.clientConfig());
      return ddb;
    },
    get doc() {
      doc ??= DynamoDBDocumentClient.from(this.ddb, { marshallOptions: { removeUndefinedValues: true } });
      return doc;
    },
  };
}

let tableCounter = 0;
/** A table name no other test of the file uses. */
export function uniqueName(prefix: string): string {
  tableCounter += 1;
  return `${prefix}-${tableCounter}`;
}

export interface IndexSpec {
  name: string;
  /** [hash] or [hash, range] attribute names */
  key: string[];
  projection?: Projection;
}

export interface TableSpec {
  name: string;
  /** the type of every key attribute, of the table and of its indexes */
  attributes: Record<string, ScalarAttributeType>;
  /** [hash] or [hash, range] attribute names */
  key: string[];
  gsis?: IndexSpec[];
  lsis?: IndexSpec[];
  extra?: Partial<CreateTableCommandInput>;
}

function keySchema(names: string[]): KeySchemaElement[] {
  return names.map((AttributeName, i) => ({ AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' }));
}

/** The CreateTable input for a spec, billed per request. */
export function createTableInput(spec: TableSpec): CreateTableCommandInput {
  const definitions: AttributeDefinition[] = Object.entries(spec.attributes).map(
    ([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }),
  );
  const index = (i: IndexSpec) => ({
    IndexName: i.name,
    KeySchema: keySchema(i.key),
    Projection: i.projection ?? { ProjectionType: 'ALL' as const },
  });
  return {
    TableName: spec.name,
    AttributeDefinitions: definitions,
    KeySchema: keySchema(spec.key),
    BillingMode: 'PAY_PER_REQUEST',
    ...(spec.gsis ? { GlobalSecondaryIndexes: spec.gsis.map(index) } : {}),
    ...(spec.lsis ? { LocalSecondaryIndexes: spec.lsis.map(index) } : {}),
    ...spec.extra,
  };
}

/** Creates the table and returns its description once it is ACTIVE. */
export async function createTable(ddb: DynamoDBClient, spec: TableSpec): Promise<TableDescription> {
  await ddb.send(new CreateTableCommand(createTableInput(spec)));
  return waitForActive(ddb, spec.name);
}

export async function waitForActive(ddb: DynamoDBClient, name: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: name }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesReady) return Table;
    if (Date.now() > deadline)
      throw new Error(`table ${name} still ${Table?.TableStatus} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the SDK throws for a service error, with the fields the DynamoDB errors model. */
export interface ServiceError extends Error {
  $metadata: { httpStatusCode?: number };
  $fault?: string;
  [field: string]: unknown;
}

/**
 * Awaits a call that must fail with the named error (HTTP 400, as every DynamoDB client
 * error is) and, when given, the exact message or a pattern for it. Returns the error for
 * further checks.
 */
export async function expectError(
  call: Promise<unknown>,
  name: string,
  message?: string | RegExp,
): Promise<ServiceError> {
  const error = (await call.then(
    () => {
      throw new Error(`expected ${name}, but the call succeeded`);
    },
    (e: unknown) => e,
  )) as ServiceError;
  if (typeof message === 'string') expect(`${error.name}: ${error.message}`).toBe(`${name}: ${message}`);
  else expect(`${error.name}: ${error.message}`).toMatch(new RegExp(`^${name}: `));
  if (message instanceof RegExp) expect(error.message).toMatch(message);
  expect(error.$metadata?.httpStatusCode).toBe(400);
  return error;
}

export function expectValidation(call: Promise<unknown>, message?: string | RegExp) {
  return expectError(call, 'ValidationException', message);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A request-validation message of PutItem, UpdateItem or DeleteItem. Captures against live
 * DynamoDB from 2025 on show these operations wrapping such messages in "1 validation error
 * detected: " (floci-io/floci#2893, nubo-db/dynoxide's eu-west-2 captures), while older
 * captures and the documentation show the bare text: accept exactly those two forms.
 */
export function enveloped(message: string): RegExp {
  return new RegExp(`^(?:1 validation error detected: )?${escapeRegExp(message)}$`);
}

/** The start of a message, for messages whose tail (a parser's `near:` excerpt) is unspecified. */
export function startsWith(prefix: string, envelope = false): RegExp {
  return new RegExp(`^${envelope ? '(?:1 validation error detected: )?' : ''}${escapeRegExp(prefix)}`);
}

export const bytes = (...values: number[]) => new Uint8Array(values);
