/**
 * Garbage of every kind gets a 4xx AWS error from each protocol, and the server keeps
 * serving. Requests carry a well-formed (unverified, lenient mode) SigV4 header naming the
 * service, as a real client's would.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { rawRequest, useLocalAws } from './harness.js';

const h = useLocalAws();

const auth = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
  'x-amz-date': '20260101T000000Z',
});
const json = (target: string, body: string | Buffer) =>
  rawRequest(h.url, {
    method: 'POST',
    headers: { ...auth('dynamodb'), 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
    body,
  });
const query = (service: string, body: string | Buffer) =>
  rawRequest(h.url, {
    method: 'POST',
    headers: { ...auth(service), 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });

async function stillServing() {
  expect((await rawRequest(h.url, { path: '/_localaws/health' })).status).toBe(200);
}

describe('awsJson garbage', () => {
  it('bad JSON, wrong types and truncated bodies are SerializationException', async () => {
    for (const body of [
      '{not json',
      '{"TableName": 5}',
      '{"TableName": "t", "Item": [1]}',
      '{"TableName":',
      '[]',
    ]) {
      const res = await json('DynamoDB_20120810.PutItem', body);
      expect(res.status, body).toBe(400);
      expect(JSON.parse(res.text).__type, body).toContain('SerializationException');
    }
    const bytes = await json('DynamoDB_20120810.PutItem', Buffer.from([0xff, 0xfe, 0x00, 0x81]));
    expect(bytes.status).toBe(400);
  });

  it('an unknown operation is UnknownOperationException', async () => {
    const res = await json('DynamoDB_20120810.MakeCoffee', '{}');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).__type).toContain('UnknownOperationException');
    await stillServing();
  });
});

describe('awsQuery and ec2Query garbage', () => {
  it('an unknown action is InvalidAction', async () => {
    const res = await query('sts', 'Action=MakeCoffee&Version=2011-06-15');
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidAction</Code>');
    const ec2 = await query('ec2', 'Action=MakeCoffee&Version=2016-11-15');
    expect(ec2.status).toBe(400);
    expect(ec2.text).toContain('<Code>InvalidAction</Code>');
  });

  it('values of the wrong type and random bytes are 4xx errors', async () => {
    const bad = await query(
      'sts',
      'Action=AssumeRole&Version=2011-06-15&DurationSeconds=abc&RoleArn=x&RoleSessionName=y',
    );
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(bad.text).toContain('<Code>');
    const ec2 = await query('ec2', 'Action=DescribeInstances&Version=2016-11-15&MaxResults=lots');
    expect(ec2.status).toBeGreaterThanOrEqual(400);
    expect(ec2.status).toBeLessThan(500);
    const bytes = await query('sns', Buffer.from([0x25, 0xff, 0x26, 0x3d, 0x3d, 0x00]));
    expect(bytes.status).toBeGreaterThanOrEqual(400);
    expect(bytes.status).toBeLessThan(500);
    await stillServing();
  });
});

describe('restXml and restJson1 garbage', () => {
  it('malformed XML in an S3 body is MalformedXML', async () => {
    for (const body of [
      '<Tagging><TagSet><Tag><Key>a</Key>',
      'not xml at all',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Tagging>&a;</Tagging>',
    ]) {
      const res = await rawRequest(h.url, {
        method: 'PUT',
        path: '/some-bucket?tagging',
        headers: { ...auth('s3'), 'content-type': 'application/xml' },
        body,
      });
      expect(res.status, body).toBe(400);
      expect(res.text, body).toContain('<Code>MalformedXML</Code>');
    }
  });

  it('bad JSON in a restJson1 body is a 4xx error', async () => {
    const res = await rawRequest(h.url, {
      method: 'POST',
      path: '/2015-03-31/functions',
      headers: { ...auth('lambda'), 'content-type': 'application/json' },
      body: '{"FunctionName": ',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('x-amzn-errortype')).toBeTruthy();
    await stillServing();
  });
});

describe('HTTP-level garbage', () => {
  it('a 10 MB header is refused and the server keeps serving', async () => {
    const status = await new Promise<string>((resolve, reject) => {
      const { port } = new URL(h.url);
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(10 * 1024 * 1024)}\r\n\r\n`);
      });
      let data = '';
      socket.on('data', (d) => {
        data += d;
      });
      socket.on('error', () => resolve(data.split('\r\n')[0] ?? ''));
      socket.on('close', () => resolve(data.split('\r\n')[0] ?? ''));
      setTimeout(() => reject(new Error('no answer')), 10_000);
    });
    expect(status).toMatch(/^HTTP\/1\.1 4\d\d/);
    await stillServing();
  });

  it('a body cut short (the client goes away) leaves the server serving', async () => {
    await new Promise<void>((resolve) => {
      const { port } = new URL(h.url);
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\nContent-Length: 1000\r\n\r\n{"TableName":',
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
    });
    await stillServing();
  });

  it('a request for a service localaws does not emulate names it', async () => {
    const res = await rawRequest(h.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'Kinesis_20131202.PutRecord', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(res.status).toBe(501);
    expect(JSON.parse(res.text).message).toContain('Kinesis_20131202.PutRecord');
  });
});
