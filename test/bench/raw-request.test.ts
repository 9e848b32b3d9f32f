import { describe, expect, it } from 'vitest';
import { encodeRequest, sdkRawRequest } from '../../bench/raw-request.js';

describe('encodeRequest', () => {
  it('lays out the request line, headers and body as HTTP/1.1', () => {
    const bytes = encodeRequest({
      method: 'PUT',
      path: '/bucket/a%20key',
      query: new URLSearchParams([['x-id', "it's (1)*"]]),
      headers: { host: '127.0.0.1:4566', 'x-amz-meta-a': ['1', '2'] },
      body: Buffer.from('hello'),
    });
    expect(bytes.toString()).toBe(
      'PUT /bucket/a%20key?x-id=it%27s%20%281%29%2A HTTP/1.1\r\nhost: 127.0.0.1:4566\r\nx-amz-meta-a: 1, 2\r\ncontent-length: 5\r\n\r\nhello',
    );
  });
});

describe('sdkRawRequest', () => {
  it('is the signed request the SDK sends, for the given endpoint', async () => {
    const req = await sdkRawRequest('sts', 'GetCallerIdentity', {}, 'http://127.0.0.1:4999');
    const text = Buffer.from(req.bytes).toString();
    expect(text.startsWith('POST / HTTP/1.1\r\n')).toBe(true);
    expect(text).toMatch(/\r\nhost: 127\.0\.0\.1:4999\r\n/);
    expect(text).toMatch(
      /\r\nauthorization: AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/sts\/aws4_request/,
    );
    expect(text.endsWith('\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15')).toBe(true);
    expect(req.bodyless).toBe(false);
  });
});
