import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { AwsError } from '../../src/errors.js';
import { loadModel } from '../../src/protocol/model.js';
import { restJsonCodec } from '../../src/protocol/rest-json.js';
import type { WireRequest } from '../../src/protocol/wire.js';
import { withSampledEvents } from './event-streams.js';
import { CodecHarness, expectSdkError, randomBytes, readStreams } from './round-trip.js';
import { Sampler } from './samples.js';
import { deserializeResponse } from './sdk-harness.js';
import { awsErrorFrom } from './thrown.js';

const CTX = { requestId: 'req-1' };
const model = loadModel('lambda');
const operations = Object.keys(model.operations);
const errors = model.errors.filter((code) => model.shapes[code]?.traits?.error);
const harness = new CodecHarness(restJsonCodec, model);

function request(method: string, path: string, body = '', query = ''): WireRequest {
  return { method, path, query: new URLSearchParams(query), headers: {}, body: Buffer.from(body) };
}

describe('lambda (restJson1)', () => {
  test.each(operations)('request: the SDK writes %s, the codec reads it back', async (op) => {
    await harness.expectRequestRoundTrips(op);
  });

  test.each(operations)('response: the codec writes %s, the SDK reads it back', async (op) => {
    const outputId = model.operations[op]!.output;
    for (const { label, sampler, input, output } of harness.sampledCalls(op)) {
      // the status code member must be a success status, or the SDK reads an error
      for (const [name, m] of Object.entries(shapeMembers(outputId))) {
        if (m.httpResponseCode) output[name] = 202;
      }
      const events = withSampledEvents(model, sampler, outputId, output);
      const res = restJsonCodec.serializeOutput(model, op, output, CTX);
      const read = await harness.readBack(op, input, res, label, events);
      expect(read, label).toEqual(withContentType(outputId, output, res.headers['content-type']));
    }
  });

  test.each(errors)('error: %s reaches the SDK as itself', async (code) => {
    const call = { op: 'GetFunction', input: { FunctionName: 'f' } };
    const res = await harness.expectModelledError(code, CTX, call);
    expect(res.headers['x-amzn-errortype']).toBe(code);
  });

  test.each(operations)('garbage: mangled %s bodies are a SerializationException or parse', async (op) => {
    const input = new Sampler(model, { seed: 1 }).structure(model.operations[op]!.input);
    await harness.expectMangledBodies(op, input, 'SerializationException');
  });

  test('an unmodelled error code comes through by name, with its status', async () => {
    const res = restJsonCodec.serializeError(model, new AwsError('AccessDeniedException', 'nope', 403), CTX);
    expect(res.status).toBe(403);
    const { error } = await deserializeResponse('lambda', 'GetFunction', { FunctionName: 'f' }, res);
    expectSdkError(error, { name: 'AccessDeniedException', message: 'nope', status: 403 });
  });

  test('Retry-After of TooManyRequestsException travels as a header', () => {
    const res = restJsonCodec.serializeError(
      model,
      new AwsError('TooManyRequestsException', 'Rate exceeded', 429, {
        fields: { retryAfterSeconds: '3', Type: 'User' },
      }),
      CTX,
    );
    expect(res.headers['retry-after']).toBe('3');
    expect(JSON.parse(String(res.body))).toMatchObject({ Type: 'User', message: 'Rate exceeded' });
  });
});

describe('restJson1 binding details', () => {
  test('Invoke: raw blob payload in, status code member and raw payload out', () => {
    const req = request('POST', '/2015-03-31/functions/my%3Afn/invocations', '{"a":1}', 'Qualifier=%241');
    req.headers['x-amz-invocation-type'] = 'Event';
    expect(restJsonCodec.resolveOperation(model, req)).toBe('Invoke');
    const input = restJsonCodec.parseInput(model, 'Invoke', req);
    expect(input).toEqual({
      FunctionName: 'my:fn',
      Qualifier: '$1',
      InvocationType: 'Event',
      Payload: new Uint8Array(Buffer.from('{"a":1}')),
    });
    const res = restJsonCodec.serializeOutput(
      model,
      'Invoke',
      { StatusCode: 202, Payload: new Uint8Array([1, 2]), ExecutedVersion: '$LATEST' },
      CTX,
    );
    expect(res.status).toBe(202);
    expect(res.headers['x-amz-executed-version']).toBe('$LATEST');
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.from(res.body as Buffer)).toEqual(Buffer.from([1, 2]));
  });

  test('the template literal segment beats a label, and the segment count must match', () => {
    const get = (path: string, query = '') =>
      restJsonCodec.resolveOperation(model, request('GET', path, '', query));
    expect(get('/2015-03-31/functions/f')).toBe('GetFunction');
    expect(get('/2015-03-31/functions/f/configuration')).toBe('GetFunctionConfiguration');
    expect(get('/2015-03-31/functions/f/versions')).toBe('ListVersionsByFunction');
    expect(get('/2015-03-31/functions')).toBe('ListFunctions');
    expect(get('/2015-03-31/functions/f/nope')).toBeUndefined();
    expect(get('/2015-03-31/functions//configuration')).toBeUndefined();
    expect(get('/2018-10-31/layers', 'find=LayerVersion&Arn=x')).toBe('GetLayerVersionByArn');
    expect(get('/2018-10-31/layers')).toBe('ListLayers');
    expect(get('/2019-09-30/functions/f/provisioned-concurrency', 'List=ALL')).toBe(
      'ListProvisionedConcurrencyConfigs',
    );
    expect(get('/2019-09-30/functions/f/provisioned-concurrency', 'Qualifier=1')).toBe(
      'GetProvisionedConcurrencyConfig',
    );
  });

  test('a streaming payload is the request stream when the server hands one over', async () => {
    const lambdaStreaming = Object.entries(model.operations).find(([op]) =>
      restJsonCodec.hasStreamingInput?.(model, op),
    );
    expect(lambdaStreaming?.[0]).toBe('InvokeAsync');
    const req = request('POST', '/2014-11-13/functions/f/invoke-async');
    req.stream = Readable.from([Buffer.from('streamed')]);
    const input = await readStreams(restJsonCodec.parseInput(model, 'InvokeAsync', req));
    expect(input).toEqual({ FunctionName: 'f', InvokeArgs: new Uint8Array(Buffer.from('streamed')) });
  });

  test('malformed bodies and values are SerializationExceptions', () => {
    const create = (body: string | Buffer) => {
      const req = request('POST', '/2015-03-31/functions');
      req.body = Buffer.isBuffer(body) ? body : Buffer.from(body);
      return awsErrorFrom(() => restJsonCodec.parseInput(model, 'CreateFunction', req));
    };
    expect(create('{"FunctionName":').code).toBe('SerializationException');
    expect(create('{"FunctionName":1}').message).toBe('NUMBER_VALUE can not be converted to a String');
    expect(create('{"Timeout":"x"}').message).toBe('STRING_VALUE can not be converted to a Number');
    expect(create('{"Layers":{}}').message).toBe('Start of structure or map found where not expected.');
    for (let seed = 1; seed <= 30; seed++) {
      const err = create(randomBytes(seed, 1 + seed));
      expect(err.status).toBe(400);
    }
    const bad = request('GET', '/2015-03-31/functions', '', 'MaxItems=ten');
    expect(awsErrorFrom(() => restJsonCodec.parseInput(model, 'ListFunctions', bad)).code).toBe(
      'SerializationException',
    );
  });
});

/** A member bound to Content-Type reads back the type the codec defaults when it is absent. */
function withContentType(shapeId: string, output: Record<string, unknown>, contentType: string | undefined) {
  const out = { ...output };
  for (const [name, m] of Object.entries(shapeMembers(shapeId))) {
    if (m.httpHeader?.toLowerCase() === 'content-type' && contentType) out[name] = contentType;
  }
  return out;
}

function shapeMembers(shapeId: string) {
  const shape = model.shapes[shapeId];
  return shape && 'members' in shape ? shape.members : {};
}
