import { describe, expect, test } from 'vitest';
import { AwsError } from '../../src/errors.js';
import { awsJsonCodec } from '../../src/protocol/aws-json.js';
import { loadModel } from '../../src/protocol/model.js';
import type { WireRequest } from '../../src/protocol/wire.js';
import { CodecHarness, expectSdkError, randomBytes } from './round-trip.js';
import { Sampler } from './samples.js';
import { deserializeResponse } from './sdk-harness.js';
import { awsErrorFrom } from './thrown.js';

const CTX = { requestId: 'req-1' };

function jsonRequest(model: ReturnType<typeof loadModel>, op: string, body: string | Buffer): WireRequest {
  return {
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: { 'x-amz-target': `${model.targetPrefix}.${op}`, 'content-type': 'application/x-amz-json-1.0' },
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
  };
}

for (const service of ['dynamodb', 'sqs']) {
  const model = loadModel(service);
  const operations = Object.keys(model.operations);
  // the SDK's synthetic base exception (e.g. SQSServiceException) is in the list, but no error
  const errors = model.errors.filter((code) => model.shapes[code]?.traits?.error);
  const harness = new CodecHarness(awsJsonCodec, model);
  /** A call to answer with an error: any operation does. */
  const errorCall = () => {
    const op = operations[0]!;
    return { op, input: new Sampler(model, { seed: 1 }).structure(model.operations[op]!.input) };
  };

  describe(`${service} (${model.protocol})`, () => {
    test.each(operations)('request: the SDK writes %s, the codec reads it back', async (op) => {
      await harness.expectRequestRoundTrips(op);
    });

    test.each(operations)('response: the codec writes %s, the SDK reads it back', async (op) => {
      for (const { label, input, output } of harness.sampledCalls(op)) {
        const res = awsJsonCodec.serializeOutput(model, op, output, CTX);
        expect(res.headers['content-type']).toBe('application/x-amz-json-1.0');
        expect(await harness.readBack(op, input, res, label), label).toEqual(output);
      }
    });

    test.each(errors)('error: %s reaches the SDK as itself', async (code) => {
      const res = await harness.expectModelledError(code, CTX, errorCall());
      expect(res.headers['x-amzn-errortype']).toBe(code);
    });

    test('an unmodelled error code comes through by name', async () => {
      const { op, input } = errorCall();
      const res = awsJsonCodec.serializeError(
        model,
        new AwsError('ValidationException', 'bad value', 400),
        CTX,
      );
      expect(JSON.parse(String(res.body)).__type).toBe('com.amazon.coral.validate#ValidationException');
      const { error } = await deserializeResponse(service, op, input, res);
      expectSdkError(error, { name: 'ValidationException', message: 'bad value', status: 400 });
    });

    test.each(operations)('garbage: mangled %s bodies are a SerializationException or parse', async (op) => {
      const input = new Sampler(model, { seed: 1 }).structure(model.operations[op]!.input);
      await harness.expectMangledBodies(op, input, 'SerializationException');
    });

    test('an unknown or foreign target resolves to no operation', () => {
      const req = jsonRequest(model, 'NoSuchOperation', '{}');
      expect(awsJsonCodec.resolveOperation(model, req)).toBeUndefined();
      req.headers['x-amz-target'] = `Other_2020.${operations[0]}`;
      expect(awsJsonCodec.resolveOperation(model, req)).toBeUndefined();
      req.headers['x-amz-target'] = undefined;
      expect(awsJsonCodec.resolveOperation(model, req)).toBeUndefined();
      req.headers['x-amz-target'] = `${model.targetPrefix}.toString`;
      expect(awsJsonCodec.resolveOperation(model, req)).toBeUndefined();
    });
  });
}

describe('awsJson garbage in', () => {
  const model = loadModel('dynamodb');
  const parse = (body: string | Buffer, op = 'PutItem') =>
    awsErrorFrom(() => awsJsonCodec.parseInput(model, op, jsonRequest(model, op, body)));

  test.each([
    ['not JSON', 'hello'],
    ['truncated', '{"TableName":"t","Item":{"a":{"S":"x"'],
    ['a JSON string', '"TableName"'],
    ['a JSON array', '[1,2]'],
    ['null', 'null'],
  ])('%s is a SerializationException', (_name, body) => {
    const err = parse(body);
    expect(err.code).toBe('SerializationException');
    expect(err.status).toBe(400);
  });

  test('random bytes are a SerializationException, never a crash', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const err = parse(randomBytes(seed, 1 + (seed % 40)));
      expect(err.code).toBe('SerializationException');
    }
  });

  test.each([
    [
      'a number where a string belongs',
      '{"TableName":5,"Item":{}}',
      'NUMBER_VALUE can not be converted to a String',
    ],
    [
      'true where a string belongs',
      '{"TableName":true,"Item":{}}',
      'TRUE_VALUE can not be converted to a String',
    ],
    [
      'an object where a string belongs',
      '{"TableName":{},"Item":{}}',
      'Start of structure or map found where not expected.',
    ],
    ['a list where a map belongs', '{"TableName":"t","Item":[]}', 'Start of list found where not expected'],
    ['a string where a map belongs', '{"TableName":"t","Item":"x"}', 'Expected map or null'],
    [
      'a string where a boolean belongs',
      '{"TableName":"t","Item":{"a":{"BOOL":"yes"}}}',
      'STRING_VALUE can not be converted to a Boolean',
    ],
    ['bad base64 in a blob', '{"TableName":"t","Item":{"a":{"B":"!!!"}}}', 'Invalid base64 value'],
  ])('%s is a SerializationException naming the token', (_name, body, message) => {
    const err = parse(body);
    expect(err.code).toBe('SerializationException');
    expect(err.message).toBe(message);
  });

  test('a string where a list belongs, and a number where a timestamp belongs', () => {
    expect(parse('{"TableName":"t","AttributesToGet":"a","Key":{}}', 'GetItem').message).toBe(
      'Expected list or null',
    );
    const sqs = loadModel('sqs');
    const err = awsErrorFrom(() =>
      awsJsonCodec.parseInput(
        sqs,
        'ReceiveMessage',
        jsonRequest(sqs, 'ReceiveMessage', '{"QueueUrl":"u","MaxNumberOfMessages":"10"}'),
      ),
    );
    expect(err.message).toBe('STRING_VALUE can not be converted to a Number');
  });

  test('nulls and unknown members are ignored; an empty body is an empty input', () => {
    const req = jsonRequest(model, 'PutItem', '{"TableName":"t","Item":null,"Bogus":[1]}');
    expect(awsJsonCodec.parseInput(model, 'PutItem', req)).toEqual({ TableName: 't' });
    expect(awsJsonCodec.parseInput(model, 'ListTables', jsonRequest(model, 'ListTables', ''))).toEqual({});
  });

  test('a map key named __proto__ is data, not a prototype', () => {
    const req = jsonRequest(model, 'PutItem', '{"TableName":"t","Item":{"__proto__":{"S":"x"}}}');
    const item = awsJsonCodec.parseInput(model, 'PutItem', req).Item as Record<string, unknown>;
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(Object.keys(item)).toEqual(['__proto__']);
  });

  test('timestamps are epoch seconds, fractional allowed, in both directions', () => {
    const req = jsonRequest(model, 'ListBackups', '{"TimeRangeLowerBound":1600000000.25}');
    expect(awsJsonCodec.parseInput(model, 'ListBackups', req)).toEqual({
      TimeRangeLowerBound: new Date(1600000000250),
    });
    const res = awsJsonCodec.serializeOutput(
      model,
      'DescribeBackup',
      { BackupDescription: { BackupDetails: { BackupCreationDateTime: new Date(1600000000500) } } },
      CTX,
    );
    expect(res.body).toBe('{"BackupDescription":{"BackupDetails":{"BackupCreationDateTime":1600000000.5}}}');
  });
});

describe('awsJson errors on the wire', () => {
  test('DynamoDB: __type with the namespace, x-amzn-ErrorType, modelled fields in the body', () => {
    const model = loadModel('dynamodb');
    const res = awsJsonCodec.serializeError(
      model,
      new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, {
        fields: { Item: { id: { S: '1' } } },
      }),
      CTX,
    );
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('ConditionalCheckFailedException');
    expect(res.headers['x-amzn-query-error']).toBeUndefined();
    expect(JSON.parse(String(res.body))).toEqual({
      __type: 'com.amazonaws.dynamodb#ConditionalCheckFailedException',
      message: 'The conditional request failed',
      Item: { id: { S: '1' } },
    });
  });

  test('SQS: x-amzn-query-error carries the query code, and the SDK sees it', async () => {
    const model = loadModel('sqs');
    const res = awsJsonCodec.serializeError(
      model,
      new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', 400),
      CTX,
    );
    expect(res.headers['x-amzn-query-error']).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    const { error } = await deserializeResponse('sqs', 'GetQueueUrl', { QueueName: 'q' }, res);
    expect(error?.name).toBe('QueueDoesNotExist');
    expect((error as unknown as { Code: string }).Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
  });

  test('SQS: a 5xx error is the receiver fault; a SerializationException is coral-namespaced', () => {
    const model = loadModel('sqs');
    const internal = awsJsonCodec.serializeError(model, new AwsError('InternalError', 'oops', 500), CTX);
    expect(internal.status).toBe(500);
    expect(internal.headers['x-amzn-query-error']).toBe('InternalError;Receiver');
    const ser = awsJsonCodec.serializeError(model, new AwsError('SerializationException', '', 400), CTX);
    expect(JSON.parse(String(ser.body))).toEqual({
      __type: 'com.amazon.coral.service#SerializationException',
    });
  });

  test('awsJson1_1 models answer in 1.1', () => {
    const model = { ...loadModel('dynamodb'), protocol: 'awsJson1_1' as const };
    expect(awsJsonCodec.serializeOutput(model, 'ListTables', {}, CTX).headers['content-type']).toBe(
      'application/x-amz-json-1.1',
    );
  });
});
