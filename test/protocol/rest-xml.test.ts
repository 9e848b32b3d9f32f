import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { AwsError } from '../../src/errors.js';
import { loadModel } from '../../src/protocol/model.js';
import { restXmlCodec } from '../../src/protocol/rest-xml.js';
import type { WireRequest, WireResponse } from '../../src/protocol/wire.js';
import { withSampledEvents } from './event-streams.js';
import { CodecHarness, expectedInput, expectSdkError, randomBytes, variants } from './round-trip.js';
import { Sampler } from './samples.js';
import { deserializeResponse } from './sdk-harness.js';

const model = loadModel('s3');
const operations = Object.keys(model.operations);
const errors = model.errors.filter((code) => model.shapes[code]?.traits?.error);
const CTX = { requestId: 'REQ123', method: 'GET', resource: '/bucket/key' };

/** Members the SDK's middleware fills in from the body it sends (lengths, types, checksums). */
const SDK_HEADERS = [
  'ContentLength',
  'ContentType',
  'ContentMD5',
  'ChecksumAlgorithm',
  'ChecksumCRC32',
  'ChecksumCRC32C',
  'ChecksumCRC64NVME',
  'ChecksumSHA1',
  'ChecksumSHA256',
  // SSE-C keys go out base64-encoded, with an MD5 the SDK computes
  'SSECustomerKey',
  'SSECustomerKeyMD5',
  'CopySourceSSECustomerKey',
  'CopySourceSSECustomerKeyMD5',
];

/** S3 answers these with a 200 whose body may hold an error: the SDK reads an empty one as one. */
const BODY_REQUIRED: Record<string, string> = {
  CopyObject: 'CopyObjectResult',
  UploadPartCopy: 'CopyPartResult',
};

/** What the SDK reads beside what the codec wrote: the harness's Content-Length (the body's),
 * the Content-Type the codec defaults, an empty map for absent prefix headers, and
 * ExpiresString, which S3's client fills in from the Expires header. */
function sdkView(
  shapeId: string,
  output: Record<string, unknown>,
  res: WireResponse,
): Record<string, unknown> {
  const out = { ...output };
  const shape = model.shapes[shapeId];
  const members = shape && 'members' in shape ? shape.members : {};
  if (members.ContentLength)
    out.ContentLength = res.body === undefined ? 0 : Buffer.byteLength(res.body as string);
  if (members.ContentType && res.headers['content-type']) out.ContentType = res.headers['content-type'];
  for (const [name, m] of Object.entries(members)) if (m.httpPrefixHeaders !== undefined) out[name] ??= {};
  if (out.Expires instanceof Date) out.ExpiresString = out.Expires.toUTCString();
  return out;
}

/** The harness turns MD5 off to skip response checks; S3 needs one to send SSE-C keys. */
class Md5 {
  private readonly hash = createHash('md5');
  update(data: Uint8Array | string): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}
const WITH_MD5 = { md5: Md5 };

/** The SDK refuses checksum algorithms it cannot compute, which the sampler's strings are. */
function sdkAcceptable(input: Record<string, unknown>): Record<string, unknown> {
  if (input.ChecksumAlgorithm !== undefined) input.ChecksumAlgorithm = 'CRC32';
  // a host prefix: the SDK checks it is a valid DNS label
  if (input.RequestRoute !== undefined) input.RequestRoute = 'route-1';
  return input;
}

/** An empty flattened list has no XML form at all: the tests compare without empty lists. */
function withoutEmptyLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyLists);
  if (!value || typeof value !== 'object' || value instanceof Uint8Array || value instanceof Date)
    return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!(Array.isArray(v) && v.length === 0)) out[k] = withoutEmptyLists(v);
  }
  return out;
}

/** The output member a raw streaming payload travels in, if the operation has one. */
function streamingPayload(shapeId: string): string | undefined {
  const shape = model.shapes[shapeId];
  if (!shape || !('members' in shape)) return undefined;
  return Object.keys(shape.members).find((name) => {
    const m = shape.members[name]!;
    return m.httpPayload && model.shapes[m.target]?.type === 'blob';
  });
}

/** What the router does before a codec sees an S3 request: the bucket out of the path. */
function pathStyle(req: WireRequest): WireRequest {
  const slash = req.path.indexOf('/', 1);
  const first = slash < 0 ? req.path.slice(1) : req.path.slice(1, slash);
  if (!first) return { ...req, path: '/' };
  return {
    ...req,
    path: slash < 0 ? '/' : req.path.slice(slash),
    boundLabels: { Bucket: decodeURIComponent(first) },
  };
}

function request(method: string, path: string, bucket?: string, query = ''): WireRequest {
  return {
    method,
    path,
    query: new URLSearchParams(query),
    headers: {},
    body: Buffer.alloc(0),
    ...(bucket ? { boundLabels: { Bucket: bucket } } : {}),
  };
}

/** S3 requests as the codec receives them: with MD5 on, and the bucket out of the path. */
const harness = new CodecHarness(restXmlCodec, model, { clientConfig: WITH_MD5, route: pathStyle });

describe('s3 (restXml)', () => {
  test.each(operations)('request: the SDK writes %s, the codec reads it back', async (op) => {
    const opDef = model.operations[op]!;
    for (const { label, sampler } of variants(model)) {
      const input = sdkAcceptable(sampler.structure(opDef.input));
      const parsed = await harness.parsed(op, input, label);
      const expected = expectedInput(model, opDef.input, input, parsed, SDK_HEADERS);
      expect(withoutEmptyLists(parsed), label).toEqual(withoutEmptyLists(expected));
    }
  });

  test.each(operations)('response: the codec writes %s, the SDK reads it back', async (op) => {
    const outputId = model.operations[op]!.output;
    for (const { label, sampler, input, output } of harness.sampledCalls(op)) {
      sdkAcceptable(input);
      const payload = streamingPayload(outputId);
      if (payload) output[payload] = new Uint8Array(Buffer.from(`${op} ${label}`));
      const events = withSampledEvents(model, sampler, outputId, output);
      const required = BODY_REQUIRED[op];
      if (required) output[required] ??= {};
      const res = restXmlCodec.serializeOutput(model, op, output, CTX);
      const read = await harness.readBack(op, input, res, label, events);
      expect(withoutEmptyLists(read), label).toEqual(withoutEmptyLists(sdkView(outputId, output, res)));
    }
  });

  test.each(errors)('error: %s reaches the SDK as itself', async (code) => {
    const call = { op: 'GetObject', input: { Bucket: 'b', Key: 'k' }, writesRequestId: true };
    await harness.expectModelledError(code, CTX, call);
  });

  test.each(operations)('garbage: mangled %s bodies are MalformedXML or parse', async (op) => {
    const input = sdkAcceptable(new Sampler(model, { seed: 1 }).structure(model.operations[op]!.input));
    await harness.expectMangledBodies(op, input, 'MalformedXML');
  });

  test('an unmodelled error comes through by name, with its fields in the body', async () => {
    const res = restXmlCodec.serializeError(
      model,
      new AwsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, {
        fields: { BucketName: 'b&b' },
      }),
      CTX,
    );
    expect(res.status).toBe(404);
    expect(res.headers['x-amz-request-id']).toBe('REQ123');
    expect(res.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucketPolicy</Code>' +
        '<Message>The bucket policy does not exist</Message><BucketName>b&amp;b</BucketName>' +
        '<Resource>/bucket/key</Resource><RequestId>REQ123</RequestId></Error>',
    );
    const { error } = await deserializeResponse('s3', 'GetBucketPolicy', { Bucket: 'b' }, res);
    expectSdkError(error, {
      name: 'NoSuchBucketPolicy',
      message: 'The bucket policy does not exist',
      status: 404,
      requestId: 'REQ123',
    });
  });

  test('HEAD errors and outputs carry no body', async () => {
    const head = { ...CTX, method: 'HEAD' };
    const res = restXmlCodec.serializeError(model, new AwsError('NoSuchKey', 'gone', 404), head);
    expect(res.body).toBeUndefined();
    expect(res.status).toBe(404);
    const { error } = await deserializeResponse('s3', 'HeadObject', { Bucket: 'b', Key: 'k' }, res);
    expect(error?.name).toBe('NotFound');
    const out = restXmlCodec.serializeOutput(model, 'HeadObject', { ContentLength: 12, ETag: '"e"' }, head);
    expect(out.body).toBeUndefined();
    expect(out.headers['content-length']).toBe('12');
  });
});

describe('restXml routing, as S3 needs it', () => {
  const resolve = (method: string, path: string, bucket?: string, query = '', headers = {}) =>
    restXmlCodec.resolveOperation(model, { ...request(method, path, bucket, query), headers });

  test('the bucket decides between service, bucket and object operations', () => {
    expect(resolve('GET', '/')).toBe('ListBuckets');
    expect(resolve('GET', '/', 'b')).toBe('ListObjects');
    expect(resolve('GET', '/', 'b', 'list-type=2')).toBe('ListObjectsV2');
    expect(resolve('GET', '/k', 'b')).toBe('GetObject');
    expect(resolve('GET', '/', undefined, 'x-id=ListDirectoryBuckets')).toBe('ListDirectoryBuckets');
    expect(resolve('HEAD', '/', 'b')).toBe('HeadBucket');
    expect(resolve('HEAD', '/a/b/', 'b')).toBe('HeadObject');
    expect(resolve('PUT', '/', 'b')).toBe('CreateBucket');
    expect(resolve('DELETE', '/', 'b')).toBe('DeleteBucket');
  });

  test('query literals and required headers and parameters pick the operation', () => {
    expect(resolve('PUT', '/k', 'b')).toBe('PutObject');
    expect(resolve('PUT', '/k', 'b', '', { 'x-amz-copy-source': 'src/k' })).toBe('CopyObject');
    expect(resolve('PUT', '/k', 'b', 'partNumber=1&uploadId=u')).toBe('UploadPart');
    expect(resolve('PUT', '/k', 'b', 'partNumber=1&uploadId=u', { 'x-amz-copy-source': 's/k' })).toBe(
      'UploadPartCopy',
    );
    expect(resolve('PUT', '/k', 'b', 'tagging')).toBe('PutObjectTagging');
    expect(resolve('DELETE', '/k', 'b')).toBe('DeleteObject');
    expect(resolve('DELETE', '/k', 'b', 'uploadId=u')).toBe('AbortMultipartUpload');
    expect(resolve('POST', '/k', 'b', 'uploads')).toBe('CreateMultipartUpload');
    expect(resolve('POST', '/k', 'b', 'uploadId=u')).toBe('CompleteMultipartUpload');
    expect(resolve('POST', '/', 'b', 'delete')).toBe('DeleteObjects');
    expect(resolve('GET', '/', 'b', 'analytics')).toBe('ListBucketAnalyticsConfigurations');
    expect(resolve('GET', '/', 'b', 'analytics&id=x')).toBe('GetBucketAnalyticsConfiguration');
    expect(resolve('GET', '/', 'b', 'versions')).toBe('ListObjectVersions');
    expect(resolve('GET', '/k', 'b', 'x-id=GetObject')).toBe('GetObject');
    expect(resolve('POST', '/k', 'b')).toBeUndefined();
    expect(resolve('PATCH', '/k', 'b')).toBeUndefined();
  });

  test('greedy keys keep their slashes and are percent-decoded', () => {
    const req = request('GET', '/dir/sub%2Fdir/na%20me%2Bplus.txt', 'my-bucket');
    expect(restXmlCodec.resolveOperation(model, req)).toBe('GetObject');
    expect(restXmlCodec.parseInput(model, 'GetObject', req)).toEqual({
      Bucket: 'my-bucket',
      Key: 'dir/sub/dir/na me+plus.txt',
    });
  });

  test('headers: metadata prefix, timestamps, booleans, numbers', () => {
    const req = request('PUT', '/k', 'b');
    req.headers = {
      'x-amz-meta-color': 'blue',
      'x-amz-meta-size': 'XL',
      'content-length': '5',
      expires: 'Thu, 01 Jan 2026 00:00:00 GMT',
      'x-amz-server-side-encryption-bucket-key-enabled': 'TRUE',
      'x-amz-object-lock-retain-until-date': '2030-01-02T03:04:05Z',
    };
    req.body = Buffer.from('hello');
    const input = restXmlCodec.parseInput(model, 'PutObject', req);
    expect(input).toMatchObject({
      Bucket: 'b',
      Key: 'k',
      Metadata: { color: 'blue', size: 'XL' },
      ContentLength: 5,
      Expires: new Date('2026-01-01T00:00:00Z'),
      BucketKeyEnabled: true,
      ObjectLockRetainUntilDate: new Date('2030-01-02T03:04:05Z'),
    });
    expect(input.Body).toBeInstanceOf(Readable);
  });

  test('a bad header value is InvalidArgument; malformed XML is MalformedXML', () => {
    const bad = request('PUT', '/k', 'b');
    bad.headers = { 'content-length': 'five' };
    expect(() => restXmlCodec.parseInput(model, 'PutObject', bad)).toThrow(
      expect.objectContaining({ code: 'InvalidArgument', status: 400 }),
    );
    const tagging = (body: string | Buffer) => {
      const req = request('PUT', '/', 'b', 'tagging');
      req.body = Buffer.isBuffer(body) ? body : Buffer.from(body);
      return () => restXmlCodec.parseInput(model, 'PutBucketTagging', req);
    };
    const malformed = expect.objectContaining({
      code: 'MalformedXML',
      status: 400,
      message: 'The XML you provided was not well-formed or did not validate against our published schema',
    });
    expect(tagging('<Tagging><TagSet><Tag><Key>a</Key>')).toThrow(malformed);
    expect(tagging('<Other/>')).toThrow(malformed);
    expect(tagging('<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>')()).toEqual({
      Bucket: 'b',
      Tagging: { TagSet: [{ Key: 'a' }] },
    });
    for (let seed = 1; seed <= 30; seed++) {
      expect(tagging(randomBytes(seed, 1 + seed * 3))).toThrow(expect.objectContaining({ status: 400 }));
    }
  });

  test('outputs: the root element and namespace, and raw streaming bodies', async () => {
    const list = restXmlCodec.serializeOutput(model, 'ListBuckets', { Buckets: [{ Name: 'a' }] }, CTX);
    expect(list.headers['content-type']).toBe('application/xml');
    expect(list.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Buckets><Bucket><Name>a</Name></Bucket></Buckets></ListAllMyBucketsResult>',
    );
    const location = restXmlCodec.serializeOutput(
      model,
      'GetBucketLocation',
      { LocationConstraint: 'eu-west-1' },
      CTX,
    );
    expect(location.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>',
    );
    const res = restXmlCodec.serializeOutput(
      model,
      'GetObject',
      { Body: Readable.from([Buffer.from('data')]), ContentType: 'text/plain', Metadata: { a: 'ü' } },
      CTX,
    );
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['x-amz-meta-a']).toBe('=?UTF-8?B?w7w=?=');
    const { output } = await deserializeResponse('s3', 'GetObject', { Bucket: 'b', Key: 'k' }, res);
    expect(
      await (output?.Body as { transformToString(): Promise<string> } | undefined)?.transformToString(),
    ).toBe('data');
  });
});
