/**
 * S3 over REST-XML, path style, at concurrency 16 (issue 3): PutObject and GetObject of
 * 1 KiB objects, keys in turn over a fixed set (the same for both drivers); ListObjectsV2
 * of one prefix's 100 keys on a bucket of 10k keys and (opt-in) of 100k; (opt-in) the
 * throughput of one GetObject of 1 GiB at a time; against s3rver.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { pump } from '../fill.js';
import { sdkRawRequest, sdkRawRequests } from '../raw-request.js';
import type { FixedResponse, RawCycle, RawRequest, Scenario, SdkClientConfig } from '../scenario.js';

const CONCURRENCY = 16;
const BUCKET = 'bench-objects';
const OBJECT = Buffer.alloc(1024, 'localaws bench object ');
/** S3's ETag for OBJECT (its MD5), as every server gives it. */
const ETAG = `"${createHash('md5').update(OBJECT).digest('hex')}"`;
const crc32Base64 = () => {
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(OBJECT));
  return sum.toString('base64');
};
const PUT_KEYS = 128;
const GET_KEYS = 256;
const probe = (url: string) => sdkRawRequest('s3', 'ListBuckets', {}, url);

const keyOf = (i: number) => `objects/${String(i).padStart(6, '0')}.bin`;
const putInputs = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ Bucket: BUCKET, Key: keyOf(i), Body: OBJECT }));
const getInputs = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ Bucket: BUCKET, Key: keyOf(i) }));

async function s3Client(config: SdkClientConfig) {
  const sdk = await import('@aws-sdk/client-s3');
  return { sdk, client: new sdk.S3Client(config) };
}

/** A client for a setup, which talks to the server before any driver does. */
function setupClient(url: string, more: Record<string, unknown> = {}) {
  return s3Client({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
    ...more,
  } as SdkClientConfig);
}

/** Creates the bucket and puts `objects` objects in it. */
async function createBucket(url: string, objects: number): Promise<void> {
  const { sdk, client } = await setupClient(url);
  await client.send(new sdk.CreateBucketCommand({ Bucket: BUCKET }));
  client.destroy();
  const puts = await sdkRawRequests('s3', 'PutObject', putInputs(objects), url);
  await pump(url, objects, (i) => puts[i] as RawRequest, { connections: CONCURRENCY });
}

/** Requests in turn, connection i from request i on; a GetObject answer must carry the whole object. */
function rotation(size: number) {
  return (requests: RawRequest[], connection: number): RawCycle => {
    let next = connection;
    return {
      first: () => requests[next++ % requests.length] as RawRequest,
      next(body) {
        if (body.length !== size) throw new Error(`answer of ${body.length} bytes, not ${size}`);
        return 1;
      },
    };
  };
}

const headers = (extra: Record<string, string>): Record<string, string> => ({
  etag: ETAG,
  'x-amz-server-side-encryption': 'AES256',
  'x-amz-request-id': '0c1a5e3f-6d2b-4c8e-9f71-2b3c4d5e6f70',
  'x-amz-id-2': '0c1a5e3f-6d2b-4c8e-9f71-2b3c4d5e6f70',
  ...extra,
});

/** What localaws answers the SDK's PutObject, the CRC32 the SDK sends echoed. */
const putAnswer: FixedResponse = {
  status: 200,
  headers: headers({ 'x-amz-checksum-crc32': crc32Base64(), 'x-amz-checksum-type': 'FULL_OBJECT' }),
  body: '',
};

const getAnswer: FixedResponse = {
  status: 200,
  headers: headers({
    'accept-ranges': 'bytes',
    'last-modified': 'Wed, 01 May 2024 12:00:00 GMT',
    'content-type': 'application/octet-stream',
  }),
  body: OBJECT.toString('latin1'),
};

export const s3Put: Scenario = {
  name: 's3-put',
  title: `S3 PutObject (restXml, path style), ${OBJECT.length} bytes, ${PUT_KEYS} keys in turn`,
  concurrency: CONCURRENCY,
  probe,
  setup: (url) => createBucket(url, 0),
  async sdkOperation(config) {
    const { sdk, client } = await s3Client(config);
    const commands = putInputs(PUT_KEYS).map((input) => new sdk.PutObjectCommand(input));
    let next = 0;
    return () => client.send(commands[next++ % commands.length] as InstanceType<typeof sdk.PutObjectCommand>);
  },
  rawRequests: (url) => sdkRawRequests('s3', 'PutObject', putInputs(PUT_KEYS), url),
  rawCycle: rotation(0),
  baselineResponse: putAnswer,
};

export const s3Get: Scenario = {
  name: 's3-get',
  title: `S3 GetObject (restXml, path style), ${OBJECT.length} bytes, ${GET_KEYS} keys in turn`,
  concurrency: CONCURRENCY,
  probe,
  setup: (url) => createBucket(url, GET_KEYS),
  async sdkOperation(config) {
    const { sdk, client } = await s3Client(config);
    const commands = getInputs(GET_KEYS).map((input) => new sdk.GetObjectCommand(input));
    let next = 0;
    return async () => {
      const { Body } = await client.send(
        commands[next++ % commands.length] as InstanceType<typeof sdk.GetObjectCommand>,
      );
      const bytes = await Body?.transformToByteArray();
      if (bytes?.length !== OBJECT.length)
        throw new Error(`GetObject: ${bytes?.length} bytes, not ${OBJECT.length}`);
    };
  },
  rawRequests: (url) => sdkRawRequests('s3', 'GetObject', getInputs(GET_KEYS), url),
  rawCycle: rotation(OBJECT.length),
  baselineResponse: getAnswer,
};

const LIST_BUCKET = 'bench-listing';
const KEYS_PER_PREFIX = 100;
/** Prefixes listed in turn, spread over the bucket. */
const LISTED_PREFIXES = 64;
/** Objects captured and sent at once while filling: a capture costs 0.5 ms, 100k at once would sit in memory. */
const FILL_CHUNK = 5_000;
const KEY_COUNT = /<KeyCount>(\d+)<\/KeyCount>/;

const prefixOf = (p: number) => `list/p${String(p).padStart(4, '0')}/`;
const listInputs = (prefixes: number) =>
  Array.from({ length: LISTED_PREFIXES }, (_, i) => ({
    Bucket: LIST_BUCKET,
    Prefix: prefixOf(Math.floor((i * prefixes) / LISTED_PREFIXES)),
  }));

/** A bucket of `prefixes` × 100 empty objects. */
async function createListingBucket(url: string, prefixes: number): Promise<void> {
  const { sdk, client } = await setupClient(url);
  await client.send(new sdk.CreateBucketCommand({ Bucket: LIST_BUCKET }));
  const total = prefixes * KEYS_PER_PREFIX;
  for (let start = 0; start < total; start += FILL_CHUNK) {
    const inputs = Array.from({ length: Math.min(FILL_CHUNK, total - start) }, (_, i) => ({
      Bucket: LIST_BUCKET,
      Key: `${prefixOf(Math.floor((start + i) / KEYS_PER_PREFIX))}o${String((start + i) % KEYS_PER_PREFIX).padStart(4, '0')}`,
      Body: new Uint8Array(0),
    }));
    const puts = await sdkRawRequests('s3', 'PutObject', inputs, url);
    await pump(url, puts.length, (i) => puts[i] as RawRequest, { connections: CONCURRENCY });
  }
  const { KeyCount } = await client.send(
    new sdk.ListObjectsV2Command({ Bucket: LIST_BUCKET, Prefix: prefixOf(prefixes - 1) }),
  );
  if (KeyCount !== KEYS_PER_PREFIX)
    throw new Error(`last prefix holds ${KeyCount} keys, not ${KEYS_PER_PREFIX}`);
  client.destroy();
}

/** The keys in a ListObjectsV2 answer; a page short of a prefix's keys is an error. */
function countKeys(body: Buffer): number {
  const count = Number(KEY_COUNT.exec(body.toString('latin1'))?.[1]);
  if (count !== KEYS_PER_PREFIX) throw new Error(`ListObjectsV2 gave ${count} keys, not ${KEYS_PER_PREFIX}`);
  return count;
}

/** What localaws answers for a prefix of 100 empty objects, its timestamps and ETags alike. */
const listAnswer: FixedResponse = {
  status: 200,
  headers: {
    'content-type': 'application/xml',
    'x-amz-request-id': '0c1a5e3f-6d2b-4c8e-9f71-2b3c4d5e6f70',
    'x-amz-id-2': '0c1a5e3f-6d2b-4c8e-9f71-2b3c4d5e6f70',
  },
  body:
    '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    '<IsTruncated>false</IsTruncated>' +
    Array.from(
      { length: KEYS_PER_PREFIX },
      (_, i) =>
        `<Contents><Key>${prefixOf(0)}o${String(i).padStart(4, '0')}</Key>` +
        '<LastModified>2024-05-01T12:00:00.000Z</LastModified>' +
        '<ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm>' +
        '<ChecksumType>FULL_OBJECT</ChecksumType><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>',
    ).join('') +
    `<Name>${LIST_BUCKET}</Name><Prefix>${prefixOf(0)}</Prefix><MaxKeys>1000</MaxKeys>` +
    `<KeyCount>${KEYS_PER_PREFIX}</KeyCount></ListBucketResult>`,
};

function listScenario(name: string, prefixes: number, extra: Partial<Scenario>): Scenario {
  const inputs = listInputs(prefixes);
  return {
    name,
    title: `S3 ListObjectsV2 of a prefix's ${KEYS_PER_PREFIX} keys in a bucket of ${prefixes * KEYS_PER_PREFIX} keys`,
    concurrency: CONCURRENCY,
    unit: 'keys',
    probe,
    setup: (url) => createListingBucket(url, prefixes),
    async sdkOperation(config) {
      const { sdk, client } = await s3Client(config);
      const commands = inputs.map((input) => new sdk.ListObjectsV2Command(input));
      let next = 0;
      return async () => {
        const command = commands[next++ % commands.length] as InstanceType<typeof sdk.ListObjectsV2Command>;
        return (await client.send(command)).KeyCount;
      };
    },
    rawRequests: (url) => sdkRawRequests('s3', 'ListObjectsV2', inputs, url),
    rawCycle: (requests, connection) => {
      let next = connection;
      return { first: () => requests[next++ % requests.length] as RawRequest, next: countKeys };
    },
    baselineResponse: listAnswer,
    ...extra,
  };
}

export const s3List = listScenario('s3-list', 100, {});
export const s3List100k = listScenario('s3-list-100k', 1_000, { optIn: true, scaleOf: 's3-list' });

const BIG_BUCKET = 'bench-big';
const BIG_KEY = 'one.gib';
const BIG_SIZE = 1024 ** 3;
const MB = 1e6;
/** The object's bytes: every server's setup uploads this file, and the baseline streams it. */
const BIG_FILE = join(tmpdir(), 'localaws-bench-1gib.bin');

/** Writes BIG_FILE unless it is there already (1 MiB of random bytes over and over). */
async function bigFile(): Promise<string> {
  if ((await stat(BIG_FILE).catch(() => undefined))?.size === BIG_SIZE) return BIG_FILE;
  // written aside and renamed: two driver processes may make it at once
  const partial = `${BIG_FILE}.${process.pid}`;
  const block = randomBytes(1024 * 1024);
  const file = await open(partial, 'w');
  try {
    for (let written = 0; written < BIG_SIZE; written += block.length) await file.write(block);
  } finally {
    await file.close();
  }
  await rename(partial, BIG_FILE);
  return BIG_FILE;
}

/**
 * The client of the 1 GiB GET validates no response checksum: localaws returns the checksum
 * it stored and would have the client compute one over the whole GiB, which s3rver and the
 * baseline send none for, so the three would not be doing the same work.
 */
const NO_RESPONSE_CHECKSUM = { responseChecksumValidation: 'WHEN_REQUIRED' };

/** One PutObject of the 1 GiB file, streamed; plain, not aws-chunked, which s3rver would store as it came. */
async function createBigObject(url: string): Promise<void> {
  const file = await bigFile();
  const { sdk, client } = await setupClient(url, { requestChecksumCalculation: 'WHEN_REQUIRED' });
  await client.send(new sdk.CreateBucketCommand({ Bucket: BIG_BUCKET }));
  await client.send(
    new sdk.PutObjectCommand({
      Bucket: BIG_BUCKET,
      Key: BIG_KEY,
      Body: createReadStream(file),
      ContentLength: BIG_SIZE,
    }),
  );
  client.destroy();
}

export const s3Get1g: Scenario = {
  name: 's3-get-1g',
  title: 'S3 GetObject of 1 GiB, read to the end, one at a time: throughput',
  concurrency: 1,
  unit: 'MB',
  optIn: true,
  // the raw driver holds each answer whole
  drivers: ['sdk'],
  // an op takes a second or more: 5 s would count three or four
  minDurationS: 20,
  probe,
  setup: createBigObject,
  async sdkOperation(config) {
    // the baseline streams the file and gets no setup: `--server baseline` alone needs it too
    await bigFile();
    const { sdk, client } = await s3Client({ ...config, ...NO_RESPONSE_CHECKSUM } as SdkClientConfig);
    const command = new sdk.GetObjectCommand({ Bucket: BIG_BUCKET, Key: BIG_KEY });
    return async () => {
      const { Body } = await client.send(command);
      let bytes = 0;
      for await (const chunk of Body as AsyncIterable<Uint8Array>) bytes += chunk.length;
      if (bytes !== BIG_SIZE) throw new Error(`GetObject: ${bytes} bytes, not ${BIG_SIZE}`);
      return bytes / MB;
    };
  },
  rawRequests: (url) => sdkRawRequests('s3', 'GetObject', [{ Bucket: BIG_BUCKET, Key: BIG_KEY }], url),
  baselineResponse: {
    ...getAnswer,
    body: '',
    file: { path: `/${BIG_BUCKET}/${BIG_KEY}`, file: BIG_FILE },
  },
};
