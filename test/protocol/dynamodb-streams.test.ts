/**
 * The DynamoDB Streams model (awsJson 1.0, target prefix DynamoDBStreams_20120810) through the
 * awsJson codec: every operation both ways against @aws-sdk/client-dynamodb-streams, and its
 * modelled errors as the SDK sees them.
 */
import { describe, expect, test } from 'vitest';
import { awsJsonCodec } from '../../src/protocol/aws-json.js';
import { loadModel } from '../../src/protocol/model.js';
import { TARGET_PREFIXES } from '../../src/services/registry.js';
import { CodecHarness } from './round-trip.js';
import { Sampler } from './samples.js';

const CTX = { requestId: 'req-streams' };
const model = loadModel('dynamodbstreams');
const operations = Object.keys(model.operations);
const errors = model.errors.filter((code) => model.shapes[code]?.traits?.error);
const harness = new CodecHarness(awsJsonCodec, model);

describe('dynamodbstreams (awsJson1_0)', () => {
  test('the model is the streams API, routed by its target prefix, signed as dynamodb', () => {
    expect(operations.sort()).toEqual(['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams']);
    expect(model.protocol).toBe('awsJson1_0');
    expect(model.signingName).toBe('dynamodb');
    expect(TARGET_PREFIXES[model.targetPrefix as string]).toBe('dynamodbstreams');
  });

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
    const input = new Sampler(model, { seed: 1 }).structure(model.operations.GetRecords!.input);
    const res = await harness.expectModelledError(code, CTX, { op: 'GetRecords', input });
    expect(res.headers['x-amzn-errortype']).toBe(code);
  });

  test.each(operations)('garbage: mangled %s bodies are a SerializationException or parse', async (op) => {
    const input = new Sampler(model, { seed: 1 }).structure(model.operations[op]!.input);
    await harness.expectMangledBodies(op, input, 'SerializationException');
  });
});
