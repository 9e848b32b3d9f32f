import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeRequest } from '../../bench/raw-request.js';
import { RequestTemplate } from '../../bench/request-template.js';

function captured(headers: Record<string, string>, body: string) {
  const bytes = encodeRequest({
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: { host: '127.0.0.1:4566', ...headers, 'content-length': String(body.length) },
    body: Buffer.from(body),
  });
  return { bytes, bodyless: false };
}

describe('RequestTemplate', () => {
  it('sends the captured head with a new body, its length and its hash', () => {
    const template = new RequestTemplate(
      captured(
        {
          'x-amz-target': 'AmazonSQS.DeleteMessageBatch',
          'x-amz-content-sha256': 'abc',
          authorization: 'AWS4 x',
        },
        '{"QueueUrl":"q","Entries":[]}',
      ),
    );
    expect(template.json).toEqual({ QueueUrl: 'q', Entries: [] });
    const body = '{"QueueUrl":"q","Entries":[{"Id":"0","ReceiptHandle":"é"}]}';
    const text = Buffer.from(template.withBody(body).bytes).toString();
    const hash = createHash('sha256').update(body).digest('hex');
    expect(text).toBe(
      'POST / HTTP/1.1\r\nhost: 127.0.0.1:4566\r\nx-amz-target: AmazonSQS.DeleteMessageBatch\r\n' +
        `authorization: AWS4 x\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-amz-content-sha256: ${hash}\r\n\r\n${body}`,
    );
  });

  it('adds no payload hash where the captured request had none', () => {
    const template = new RequestTemplate(captured({ 'x-amz-target': 'T' }, '{}'));
    const text = Buffer.from(template.withBody('{"a":1}').bytes).toString();
    expect(text).toBe(
      'POST / HTTP/1.1\r\nhost: 127.0.0.1:4566\r\nx-amz-target: T\r\ncontent-length: 7\r\n\r\n{"a":1}',
    );
  });
});
