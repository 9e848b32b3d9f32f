/**
 * Shared setup for the S3 conformance suites: one server per test file, path-style SDK v3
 * clients against it (per account: a 12-digit access key id acts in that account), uniquely
 * named buckets, bodies as bytes, and the shape of an S3 error as the SDK surfaces it.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Config } from '../../src/index.js';
import { type Harness, useLocalAws } from '../harness.js';

export const DEFAULT_ACCOUNT = '000000000000';
export const OTHER_ACCOUNT = '111111111111';

export interface S3Harness {
  h: Harness;
  /** the default account's client, built on first use once beforeAll has started the server */
  readonly s3: S3Client;
  /** a client with other settings: another account's key, region, checksum behaviour */
  client(overrides?: Record<string, unknown>): S3Client;
}

export function useS3(options: Partial<Config> = {}): S3Harness {
  const h = useLocalAws(options);
  let s3: S3Client | undefined;
  return {
    h,
    get s3() {
      s3 ??= new S3Client(h.clientConfig());
      return s3;
    },
    client: (overrides = {}) => new S3Client(h.clientConfig(overrides)),
  };
}

/** Credentials whose 12-digit key id picks the account. */
export function accountCredentials(account: string) {
  return { accessKeyId: account, secretAccessKey: 'test' };
}

let buckets = 0;

/** A valid bucket name no other test of the file uses. */
export function bucketName(label: string): string {
  buckets += 1;
  return `${label}-${buckets}`;
}

export async function newBucket(s3: S3Client, label: string): Promise<string> {
  const Bucket = bucketName(label);
  await s3.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

/** PutObject of a small body; returns the ETag. */
export async function put(
  s3: S3Client,
  Bucket: string,
  Key: string,
  Body: string | Uint8Array = `body of ${Key}`,
  more: Partial<PutObjectCommandInput> = {},
): Promise<string> {
  const out = await s3.send(new PutObjectCommand({ Bucket, Key, Body, ...more }));
  if (!out.ETag) throw new Error(`PutObject ${Key} returned no ETag`);
  return out.ETag;
}

/** The bytes of a GetObject output's streaming body. */
export async function bodyOf(output: { Body?: { transformToByteArray(): Promise<Uint8Array> } }) {
  if (!output.Body) throw new Error('the output has no Body');
  return Buffer.from(await output.Body.transformToByteArray());
}

export function md5Hex(bytes: string | Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** The ETag S3 gives an object stored in one PUT: its MD5, quoted. */
export function etagOf(bytes: string | Uint8Array): string {
  return `"${md5Hex(bytes)}"`;
}

export function randomBody(size: number): Buffer {
  return randomBytes(size);
}

export const MiB = 1024 * 1024;

/**
 * What the SDK throws for an S3 error: `name` is the XML <Code>, the status in $metadata.
 * Responses without a body (HEAD, 304) carry no code: match those with `httpStatus`.
 */
export function s3Error(
  code: string,
  status: number,
  more: { message?: unknown; fields?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    name: code,
    $metadata: { httpStatusCode: status },
    ...(more.message === undefined ? {} : { message: more.message }),
    ...more.fields,
  };
}

export function httpStatus(status: number): Record<string, unknown> {
  return { $metadata: { httpStatusCode: status } };
}

export const NO_SUCH_BUCKET = s3Error('NoSuchBucket', 404, {
  message: 'The specified bucket does not exist',
});
export const NO_SUCH_KEY = s3Error('NoSuchKey', 404, { message: 'The specified key does not exist.' });
export const PRECONDITION_FAILED = s3Error('PreconditionFailed', 412, {
  message: 'At least one of the pre-conditions you specified did not hold',
});

/** Code and Message of an S3 XML error body, for raw HTTP responses. */
export function xmlError(text: string): { code?: string; message?: string } {
  return {
    code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1],
  };
}
