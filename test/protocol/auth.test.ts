import { createHmac } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { buildQueryString } from '@smithy/core/protocols';
import { HttpRequest } from '@smithy/protocol-http';
import { getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import {
  type AuthInput,
  type AuthOptions,
  authenticate,
  credentialScope,
  type ErrorStyle,
} from '../../src/protocol/auth.js';
import { captureRequest } from './sdk-harness.js';
import { awsErrorFrom as rejection } from './thrown.js';

const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const ACCOUNT_KEY = '123456789012';
const ACCOUNT_SECRET = 'account/secret+key';
const SECRETS: Record<string, string> = { [AKID]: SECRET, [ACCOUNT_KEY]: ACCOUNT_SECRET };
const T0 = Date.UTC(2024, 0, 15, 12, 0, 0);
const MINUTE = 60_000;
const STYLES: ErrorStyle[] = ['s3', 'query', 'json', 'ec2'];

function options(overrides: Partial<AuthOptions> = {}): AuthOptions {
  return {
    strict: true,
    now: () => T0,
    secretFor: (akid) => (Object.hasOwn(SECRETS, akid) ? SECRETS[akid] : undefined),
    errorStyle: 's3',
    ...overrides,
  };
}

interface RequestSpec {
  service: string;
  region?: string;
  method?: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
  accessKeyId?: string;
  secret?: string;
  sessionToken?: string;
  at?: number;
  /** false: sign without x-amz-content-sha256, the body then hashed (JSON/query services). */
  declareHash?: boolean;
}

function signer(spec: RequestSpec): SignatureV4 {
  return new SignatureV4({
    service: spec.service,
    region: spec.region ?? 'us-east-1',
    sha256: Sha256,
    credentials: {
      accessKeyId: spec.accessKeyId ?? AKID,
      secretAccessKey: spec.secret ?? SECRET,
      sessionToken: spec.sessionToken,
    },
    uriEscapePath: spec.service !== 's3',
    applyChecksum: spec.declareHash ?? true,
  });
}

function httpRequest(spec: RequestSpec): HttpRequest {
  return new HttpRequest({
    method: spec.method ?? 'GET',
    protocol: 'http:',
    hostname: 'localhost',
    port: 4566,
    path: spec.path,
    query: spec.query ?? {},
    headers: { host: 'localhost:4566', ...spec.headers },
    body: spec.body,
  });
}

/** What the server receives for a signed request: the query goes on the wire the way the
 * SDK's HTTP handler writes it and is parsed back as the server parses it. */
function onTheWire(req: HttpRequest, body?: string): AuthInput {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  const query = new URLSearchParams(buildQueryString(req.query as Record<string, string | string[]>));
  return {
    method: req.method,
    path: req.path,
    query,
    headers,
    body: body === undefined ? undefined : Buffer.from(body),
  };
}

async function signed(spec: RequestSpec): Promise<AuthInput> {
  const request = await signer(spec).sign(httpRequest(spec), { signingDate: new Date(spec.at ?? T0) });
  return onTheWire(request as HttpRequest, spec.body);
}

/** As @aws-sdk/s3-request-presigner does for S3: the payload is declared unsigned and the
 * declaration hoisted into the query with the other x-amz-* headers. */
async function presigned(spec: RequestSpec, expiresIn = 900): Promise<AuthInput> {
  const request = httpRequest(spec);
  if (spec.service === 's3') request.headers['X-Amz-Content-Sha256'] = 'UNSIGNED-PAYLOAD';
  const url = await signer(spec).presign(request, { signingDate: new Date(spec.at ?? T0), expiresIn });
  return onTheWire(url as HttpRequest, spec.body);
}

function withQuery(req: AuthInput, name: string, value: string): AuthInput {
  const query = new URLSearchParams(req.query);
  query.set(name, value);
  return { ...req, query };
}

describe('strict mode accepts what the SDK clients sign', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['s3', 'PutObject', { Bucket: 'bucket', Key: "dir/a b+c~ü(x)!*'&=.txt", Body: 'hello' }],
    ['s3', 'ListObjectsV2', { Bucket: 'bucket', Prefix: 'a b+c~ü%', Delimiter: '/' }],
    ['dynamodb', 'PutItem', { TableName: 't', Item: { pk: { S: 'ü +' } } }],
    ['lambda', 'GetFunction', { FunctionName: 'my fn:1', Qualifier: 'a b' }],
    ['sqs', 'SendMessage', { QueueUrl: 'http://localhost:4566/123456789012/q', MessageBody: 'hi ü+' }],
    ['sns', 'Publish', { TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', Message: 'a+b c&d=e' }],
    ['sts', 'GetCallerIdentity', {}],
    ['ec2', 'DescribeInstances', { InstanceIds: ['i-1', 'i-2'] }],
  ];
  it.each(cases)('%s %s', async (service, operation, input) => {
    const credentials = { accessKeyId: ACCOUNT_KEY, secretAccessKey: ACCOUNT_SECRET };
    const wire = await captureRequest(service, operation, input, { region: 'eu-west-1', credentials });
    const caller = authenticate(wire, options({ now: () => Date.now() }));
    expect(caller).toMatchObject({
      scheme: 'sigv4',
      accessKeyId: ACCOUNT_KEY,
      accountId: ACCOUNT_KEY,
      region: 'eu-west-1',
      service,
      presigned: false,
    });
  });
});

describe('strict mode accepts tricky canonicalisation', () => {
  it('S3 signs the path as sent, sorts repeated keys by value, keeps empty values', async () => {
    const req = await signed({
      service: 's3',
      path: '/bucket/a%20b%2Bc~%C3%BC%28%29',
      query: { prefix: 'a b+c~ü', 'list-type': '2', marker: ['z', 'a', 'a b'], empty: '', 'x~y': '*' },
    });
    expect(req.query.getAll('marker')).toEqual(['z', 'a', 'a b']);
    expect(authenticate(req, options())).toMatchObject({ service: 's3', accountId: '000000000000' });
  });

  it('other services sign the path encoded again, and normalised', async () => {
    for (const path of ['/2015-03-31/functions/my%20fn%3A1/invocations', '/a//b/./c/../d/', '/']) {
      const req = await signed({ service: 'lambda', path, query: { Qualifier: 'ü +~', tag: ['b', 'a'] } });
      expect(authenticate(req, options()).service).toBe('lambda');
    }
  });

  it('folds blank runs in header values and joins repeated headers with commas', async () => {
    const req = await signed({
      service: 'sqs',
      path: '/',
      headers: { 'x-amz-meta-note': '  a   b \t c  ', 'x-amz-meta-list': 'one,two' },
    });
    expect(authenticate(req, options())).toMatchObject({ service: 'sqs' });
    const repeated = { ...req, headers: { ...req.headers, 'x-amz-meta-list': ['one', ' two '] } };
    expect(authenticate(repeated, options())).toMatchObject({ service: 'sqs' });
  });

  it('hashes the body when no x-amz-content-sha256 is declared', async () => {
    const spec = {
      service: 'dynamodb',
      method: 'POST',
      path: '/',
      body: '{"TableName":"t"}',
      declareHash: false,
    };
    const req = await signed(spec);
    expect(req.headers['x-amz-content-sha256']).toBeUndefined();
    expect(authenticate(req, options({ errorStyle: 'json' })).service).toBe('dynamodb');
    const tampered = { ...req, body: Buffer.from('{"TableName":"u"}') };
    expect(rejection(() => authenticate(tampered, options({ errorStyle: 'json' }))).code).toBe(
      'InvalidSignatureException',
    );
  });

  it('carries the session token and the temporary key account', async () => {
    const req = await signed({
      service: 'sts',
      path: '/',
      accessKeyId: ACCOUNT_KEY,
      secret: ACCOUNT_SECRET,
      sessionToken: 'tok+/=',
    });
    const caller = authenticate(
      req,
      options({ accountFor: (akid) => (akid === ACCOUNT_KEY ? '210987654321' : undefined) }),
    );
    expect(caller).toMatchObject({
      sessionToken: 'tok+/=',
      accountId: '210987654321',
      accessKeyId: ACCOUNT_KEY,
    });
  });

  it('gives what a signed aws-chunked upload needs to verify its chunks', async () => {
    const req = await signed({
      service: 's3',
      method: 'PUT',
      path: '/bucket/key',
      region: 'eu-central-1',
      headers: { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' },
    });
    const caller = authenticate(req, options({ strict: false }));
    const expected = await getSigningKey(
      Sha256,
      { accessKeyId: AKID, secretAccessKey: SECRET },
      '20240115',
      'eu-central-1',
      's3',
    );
    expect(caller.signingKey?.equals(Buffer.from(expected))).toBe(true);
    expect(caller.seedSignature).toBe(String(req.headers.authorization).split('Signature=')[1]);
    expect(caller).toMatchObject({
      scope: '20240115/eu-central-1/s3/aws4_request',
      amzDate: '20240115T120000Z',
    });
  });
});

describe('presigned URLs', () => {
  it('verifies an S3 presigned GET and an STS presigned GetCallerIdentity', async () => {
    const s3 = await presigned(
      { service: 's3', path: '/bucket/a%20b%2Bc~%C3%BC', sessionToken: 'session' },
      3600,
    );
    expect(s3.query.get('X-Amz-Content-Sha256')).toBe('UNSIGNED-PAYLOAD');
    expect(authenticate(s3, options({ now: () => T0 + 3600_000 }))).toMatchObject({
      presigned: true,
      service: 's3',
      sessionToken: 'session',
    });
    const sts = await presigned({
      service: 'sts',
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    });
    expect(authenticate(sts, options({ errorStyle: 'query' }))).toMatchObject({
      presigned: true,
      service: 'sts',
    });
  });

  it.each(STYLES)('rejects an expired, not yet valid or too long URL (%s)', async (style) => {
    const req = await presigned({ service: style === 's3' ? 's3' : 'sts', path: '/bucket/key' }, 60);
    const expired = rejection(() =>
      authenticate(req, options({ errorStyle: style, now: () => T0 + 61_000 })),
    );
    expect([expired.code, expired.status]).toEqual(EXPECTED[style].expired);
    const early = rejection(() =>
      authenticate(req, options({ errorStyle: style, now: () => T0 - 16 * MINUTE })),
    );
    expect(early.code).toBe(style === 's3' ? 'AccessDenied' : EXPECTED[style].expired[0]);
    const tooLong = withQuery(req, 'X-Amz-Expires', '604801');
    const error = rejection(() => authenticate(tooLong, options({ errorStyle: style, strict: false })));
    expect([error.code, error.status]).toEqual(EXPECTED[style].tooLong);
  });

  it('words S3 expiry the way S3 does', async () => {
    const req = await presigned({ service: 's3', path: '/bucket/key' }, 60);
    const expired = rejection(() => authenticate(req, options({ now: () => T0 + 61_000 })));
    expect(expired.message).toBe('Request has expired');
    expect(expired.fields).toEqual({
      'X-Amz-Expires': 60,
      Expires: '2024-01-15T12:01:00Z',
      ServerTime: '2024-01-15T12:01:01Z',
    });
    const early = rejection(() => authenticate(req, options({ now: () => T0 - 16 * MINUTE })));
    expect(early.message).toBe('Request is not yet valid');
    expect(authenticate(req, options({ now: () => T0 + 60_000 })).presigned).toBe(true);
  });

  it('lenient mode still expires URLs and checks signatures it can check', async () => {
    const lenient = options({ strict: false });
    const unknown = await presigned({ service: 's3', path: '/b/k', accessKeyId: 'nobody', secret: 'x' }, 60);
    expect(authenticate(unknown, lenient).accessKeyId).toBe('nobody');
    expect(authenticate(withQuery(unknown, 'X-Amz-Signature', 'garbage'), lenient).accessKeyId).toBe(
      'nobody',
    );
    expect(rejection(() => authenticate(unknown, { ...lenient, now: () => T0 + 61_000 })).code).toBe(
      'AccessDenied',
    );
    const known = await presigned({ service: 's3', path: '/b/k' }, 60);
    const tampered = { ...known, path: '/b/other' };
    expect(rejection(() => authenticate(tampered, lenient)).code).toBe('SignatureDoesNotMatch');
  });

  it('reports missing or malformed query parameters', async () => {
    const req = await presigned({ service: 's3', path: '/b/k' });
    const without = new URLSearchParams(req.query);
    without.delete('X-Amz-Date');
    const missing = rejection(() => authenticate({ ...req, query: without }, options()));
    expect(missing.code).toBe('AuthorizationQueryParametersError');
    expect(rejection(() => authenticate(withQuery(req, 'X-Amz-Expires', 'soon'), options())).message).toBe(
      'X-Amz-Expires should be a number',
    );
    expect(
      rejection(() => authenticate(withQuery(req, 'X-Amz-Credential', 'AKID/20240115'), options())).code,
    ).toBe('AuthorizationQueryParametersError');
  });
});

const EXPECTED: Record<ErrorStyle, Record<string, [string, number]>> = {
  s3: {
    unknownKey: ['InvalidAccessKeyId', 403],
    signature: ['SignatureDoesNotMatch', 403],
    body: ['XAmzContentSHA256Mismatch', 400],
    skew: ['RequestTimeTooSkewed', 403],
    expired: ['AccessDenied', 403],
    tooLong: ['AuthorizationQueryParametersError', 400],
    missing: ['AccessDenied', 403],
    sigv2: ['InvalidRequest', 400],
    malformed: ['AuthorizationHeaderMalformed', 400],
  },
  query: {
    unknownKey: ['InvalidClientTokenId', 403],
    signature: ['SignatureDoesNotMatch', 403],
    body: ['SignatureDoesNotMatch', 403],
    skew: ['SignatureDoesNotMatch', 403],
    expired: ['SignatureDoesNotMatch', 403],
    tooLong: ['IncompleteSignature', 400],
    missing: ['MissingAuthenticationToken', 403],
    sigv2: ['IncompleteSignature', 400],
    malformed: ['IncompleteSignature', 400],
  },
  json: {
    unknownKey: ['UnrecognizedClientException', 400],
    signature: ['InvalidSignatureException', 400],
    body: ['InvalidSignatureException', 400],
    skew: ['InvalidSignatureException', 400],
    expired: ['InvalidSignatureException', 400],
    tooLong: ['IncompleteSignatureException', 400],
    missing: ['MissingAuthenticationTokenException', 400],
    sigv2: ['IncompleteSignatureException', 400],
    malformed: ['IncompleteSignatureException', 400],
  },
  ec2: {
    unknownKey: ['AuthFailure', 401],
    signature: ['AuthFailure', 401],
    body: ['AuthFailure', 401],
    skew: ['RequestExpired', 400],
    expired: ['RequestExpired', 400],
    tooLong: ['IncompleteSignature', 400],
    missing: ['MissingAuthenticationToken', 401],
    sigv2: ['IncompleteSignature', 400],
    malformed: ['IncompleteSignature', 400],
  },
};

describe.each(STYLES)('strict mode rejections in the %s style', (style) => {
  const service = style === 's3' ? 's3' : 'sqs';
  const spec: RequestSpec = {
    service,
    method: 'PUT',
    path: '/bucket/a%20key',
    query: { tagging: '', v: 'a b' },
    headers: { 'x-amz-meta-colour': 'blue' },
    body: 'payload',
  };
  const opts = options({ errorStyle: style });
  const code = (req: AuthInput, o: AuthOptions = opts) => {
    const error = rejection(() => authenticate(req, o));
    return [error.code, error.status];
  };

  it('accepts the untouched request', async () => {
    expect(authenticate(await signed(spec), opts).service).toBe(service);
  });

  it('rejects an unknown key and a wrong secret', async () => {
    expect(code(await signed({ ...spec, accessKeyId: 'AKIDUNKNOWN' }))).toEqual(EXPECTED[style].unknownKey);
    expect(code(await signed({ ...spec, secret: 'not the secret' }))).toEqual(EXPECTED[style].signature);
  });

  it('rejects a tampered path, query, header or body', async () => {
    const req = await signed(spec);
    expect(code({ ...req, path: '/bucket/b%20key' })).toEqual(EXPECTED[style].signature);
    expect(code(withQuery(req, 'v', 'a+b'))).toEqual(EXPECTED[style].signature);
    expect(code({ ...req, headers: { ...req.headers, 'x-amz-meta-colour': 'red' } })).toEqual(
      EXPECTED[style].signature,
    );
    expect(code({ ...req, method: 'POST' })).toEqual(EXPECTED[style].signature);
    expect(code({ ...req, body: Buffer.from('other') })).toEqual(EXPECTED[style].body);
  });

  it('rejects a clock skewed by more than 15 minutes either way', async () => {
    const req = await signed(spec);
    expect(authenticate(req, { ...opts, now: () => T0 + 14 * MINUTE }).service).toBe(service);
    expect(code(req, { ...opts, now: () => T0 + 16 * MINUTE })).toEqual(EXPECTED[style].skew);
    expect(code(req, { ...opts, now: () => T0 - 16 * MINUTE })).toEqual(EXPECTED[style].skew);
  });

  it('rejects unsigned requests, SigV2 and malformed SigV4 headers', async () => {
    const req = await signed(spec);
    const { authorization, ...unsigned } = req.headers;
    expect(code({ ...req, headers: unsigned })).toEqual(EXPECTED[style].missing);
    expect(code({ ...req, headers: { ...unsigned, authorization: 'AWS AKIDEXAMPLE:c2lnbmF0dXJl' } })).toEqual(
      EXPECTED[style].sigv2,
    );
    const truncated = String(authorization).replace(/, Signature=.*$/, '');
    const malformed = { ...req, headers: { ...unsigned, authorization: truncated } };
    expect(code(malformed)).toEqual(EXPECTED[style].malformed);
    expect(code(malformed, { ...opts, strict: false })).toEqual(EXPECTED[style].malformed);
  });
});

describe('error details', () => {
  it('S3 shows the canonical request and string to sign it expected', async () => {
    const req = await signed({ service: 's3', path: '/b/k', secret: 'wrong' });
    const error = rejection(() => authenticate(req, options()));
    expect(error.fields.CanonicalRequest).toMatch(/^GET\n\/b\/k\n\nhost:localhost:4566\n/);
    expect(error.fields.StringToSign).toMatch(
      /^AWS4-HMAC-SHA256\n20240115T120000Z\n20240115\/us-east-1\/s3\/aws4_request\n/,
    );
    expect(error.fields.AWSAccessKeyId).toBe(AKID);
  });

  it('query services put the canonical string in the message', async () => {
    const req = await signed({ service: 'sts', path: '/', secret: 'wrong' });
    const error = rejection(() => authenticate(req, options({ errorStyle: 'query' })));
    expect(error.message).toContain("The Canonical String for this request should have been\n'GET\n/\n\n");
    expect(error.fields).toEqual({});
  });

  it('skew messages name both times', async () => {
    const req = await signed({ service: 'sts', path: '/' });
    const late = rejection(() =>
      authenticate(req, options({ errorStyle: 'query', now: () => T0 + 20 * MINUTE })),
    );
    expect(late.message).toBe(
      'Signature expired: 20240115T120000Z is now earlier than 20240115T120500Z (20240115T122000Z - 15 min.)',
    );
    const s3 = rejection(() => authenticate(req, options({ now: () => T0 + 20 * MINUTE })));
    expect(s3.fields).toMatchObject({ RequestTime: '20240115T120000Z', ServerTime: '2024-01-15T12:20:00Z' });
  });

  it('S3 names a payload hash that does not match the body', async () => {
    const req = await signed({ service: 's3', method: 'PUT', path: '/b/k', body: 'abc' });
    const error = rejection(() => authenticate({ ...req, body: Buffer.from('abd') }, options()));
    expect(error.fields.ClientComputedContentSHA256).toBe(req.headers['x-amz-content-sha256']);
  });

  it('S3 requires x-amz-content-sha256 on header-signed requests', async () => {
    const req = await signed({ service: 's3', path: '/b/k', declareHash: false });
    expect(rejection(() => authenticate(req, options())).code).toBe('InvalidRequest');
  });
});

describe('lenient mode', () => {
  const lenient = options({ strict: false });

  it('takes any well-formed credentials without checking signature or clock', async () => {
    const req = await signed({ service: 's3', path: '/b/k', accessKeyId: 'anything', secret: 'whatever' });
    const caller = authenticate(req, { ...lenient, now: () => T0 + 60 * MINUTE });
    expect(caller).toMatchObject({ accessKeyId: 'anything', accountId: '000000000000', service: 's3' });
    expect(caller.signingKey).toBeUndefined();
    const forged = {
      ...req,
      headers: {
        ...req.headers,
        authorization: String(req.headers.authorization).replace(/Signature=\w+/, 'Signature=0'),
      },
    };
    expect(authenticate(forged, lenient).accessKeyId).toBe('anything');
  });

  it('takes an unsigned request as anonymous', () => {
    const caller = authenticate(
      { method: 'GET', path: '/', query: new URLSearchParams(), headers: {} },
      lenient,
    );
    expect(caller).toEqual({
      scheme: 'anonymous',
      accessKeyId: '',
      accountId: '000000000000',
      presigned: false,
    });
  });

  it('recognises SigV2 headers and query strings', () => {
    const header = {
      method: 'GET',
      path: '/b/k',
      query: new URLSearchParams(),
      headers: { authorization: 'AWS 123456789012:sig=' },
    };
    expect(authenticate(header, lenient)).toMatchObject({
      scheme: 'sigv2',
      accessKeyId: ACCOUNT_KEY,
      accountId: ACCOUNT_KEY,
    });
    const expires = String(T0 / 1000 + 60);
    // a key whose secret is not known: the signature cannot be checked
    const query = new URLSearchParams({ AWSAccessKeyId: 'UNKNOWNKEY', Signature: 's', Expires: expires });
    const url = { method: 'GET', path: '/b/k', query, headers: {} };
    expect(authenticate(url, lenient)).toMatchObject({
      scheme: 'sigv2',
      presigned: true,
      accountId: '000000000000',
    });
    const error = rejection(() => authenticate(url, { ...lenient, now: () => T0 + 61_000 }));
    expect([error.code, error.message]).toEqual(['AccessDenied', 'Request has expired']);
  });
});

describe('S3 SigV2 presigned query strings', () => {
  const expires = String(T0 / 1000 + 300);
  /** Signed independently of src/: HMAC-SHA1 over method, MD5, type, expiry and resource. */
  function sigV2Url(resource: string, more: Record<string, string> = {}, secret = SECRET, method = 'GET') {
    const subs = Object.keys(more)
      .sort()
      .map((k) => (more[k] ? `${k}=${more[k]}` : k));
    const toSign = `${method}\n\n\n${expires}\n${resource}${subs.length ? `?${subs.join('&')}` : ''}`;
    const Signature = createHmac('sha1', secret).update(toSign).digest('base64');
    return new URLSearchParams({ ...more, AWSAccessKeyId: AKID, Expires: expires, Signature });
  }
  const request = (path: string, query: URLSearchParams, extra: Partial<AuthInput> = {}): AuthInput => ({
    method: 'GET',
    path,
    query,
    headers: {},
    ...extra,
  });

  it('accepts a correct signature in strict and lenient mode', () => {
    const req = request('/b/a%20key', sigV2Url('/b/a%20key'));
    expect(authenticate(req, options())).toMatchObject({
      scheme: 'sigv2',
      presigned: true,
      accessKeyId: AKID,
    });
    expect(authenticate(req, options({ strict: false })).scheme).toBe('sigv2');
  });

  it('signs sub-resources and the virtual-hosted bucket as S3 does', () => {
    const query = sigV2Url('/b/k', { versionId: 'v1', 'response-content-type': 'text/plain' });
    query.append('unsigned-extra', 'x');
    expect(authenticate(request('/k', query, { resource: '/b/k' }), options()).scheme).toBe('sigv2');
  });

  it('refuses a wrong secret, method or path with SignatureDoesNotMatch, whenever the secret is known', () => {
    const forged = request('/b/k', sigV2Url('/b/k', {}, 'not-the-secret'));
    for (const strict of [true, false]) {
      const error = rejection(() => authenticate(forged, options({ strict })));
      expect([error.code, error.status]).toEqual(['SignatureDoesNotMatch', 403]);
      expect(error.fields.StringToSign).toBe(`GET\n\n\n${expires}\n/b/k`);
    }
    const put = rejection(() =>
      authenticate(request('/b/k', sigV2Url('/b/k'), { method: 'PUT' }), options()),
    );
    expect(put.code).toBe('SignatureDoesNotMatch');
    const moved = rejection(() => authenticate(request('/b/other', sigV2Url('/b/k')), options()));
    expect(moved.code).toBe('SignatureDoesNotMatch');
  });

  it('refuses an unknown key in strict mode, and a query string without Signature', () => {
    const query = sigV2Url('/b/k');
    query.set('AWSAccessKeyId', 'UNKNOWNKEY');
    expect(rejection(() => authenticate(request('/b/k', query), options())).code).toBe('InvalidAccessKeyId');
    query.delete('Signature');
    const error = rejection(() => authenticate(request('/b/k', query), options({ strict: false })));
    expect([error.code, error.status]).toEqual(['AccessDenied', 403]);
  });

  it("leaves the query APIs' SigV2 unverified", () => {
    const query = new URLSearchParams({ AWSAccessKeyId: AKID, Signature: 'bogus', Expires: expires });
    const caller = authenticate(request('/', query), options({ strict: false, errorStyle: 'query' }));
    expect(caller.scheme).toBe('sigv2');
  });
});

describe('credentialScope', () => {
  it('reads the scope from the Authorization header or the presigned query', async () => {
    const header = await signed({ service: 'dynamodb', region: 'ap-south-1', path: '/' });
    expect(credentialScope(header)).toEqual({
      accessKeyId: AKID,
      date: '20240115',
      region: 'ap-south-1',
      service: 'dynamodb',
    });
    const url = await presigned({ service: 's3', region: 'eu-west-3', path: '/b/k' });
    expect(credentialScope(url)).toEqual({
      accessKeyId: AKID,
      date: '20240115',
      region: 'eu-west-3',
      service: 's3',
    });
  });

  it('has nothing to say about unsigned, SigV2 or malformed requests', () => {
    const query = new URLSearchParams();
    expect(credentialScope({ headers: {}, query })).toBeUndefined();
    expect(credentialScope({ headers: { authorization: 'AWS AKID:sig' }, query })).toBeUndefined();
    const malformed = 'AWS4-HMAC-SHA256 Credential=AKID/20240115/us-east-1, SignedHeaders=host, Signature=00';
    expect(credentialScope({ headers: { authorization: malformed }, query })).toBeUndefined();
  });
});
