import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/errors.js';
import { awsQueryCodec as codec } from '../../src/protocol/aws-query.js';
import { loadModel, type ServiceModel } from '../../src/protocol/model.js';
import type { WireRequest } from '../../src/protocol/wire.js';
import { formRequest, hasBoto3, parsedFromBoto3, QueryHarness } from './query-round-trip.js';
import { expectSdkError, failuresOf, sampledErrorFields } from './round-trip.js';
import { Sampler } from './samples.js';
import { awsErrorFrom, awsErrorOutcome, thrownBy } from './thrown.js';

/** SQS's SDK client speaks JSON; its query protocol class is the one boto3's wire format
 * follows (the same serializer as STS and SNS), run over the SQS schemas. */
const SERVICES: { id: string; config: Record<string, unknown> }[] = [
  { id: 'sts', config: {} },
  { id: 'sns', config: {} },
  { id: 'sqs', config: { protocol: AwsQueryProtocol } },
];
const SAMPLINGS = [
  { seed: 1, omitRate: 0 },
  { seed: 2, omitRate: 0 },
  { seed: 3, omitRate: 0.5 },
  { seed: 4, omitRate: 0.5 },
];
const ctx = { requestId: 'req-7f3a' };

/** Whatever a codec call does with bad input, it is an AwsError with a 4xx status. */
function expectClientErrorOrValue(fn: () => unknown): void {
  const status = awsErrorOutcome(fn)?.status;
  if (status === undefined) return;
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
}

function errorShapes(model: ServiceModel): string[] {
  return model.errors.filter((e) => model.shapes[e]?.traits?.error);
}

describe.each(SERVICES)('awsQuery $id', ({ id, config }) => {
  const model = loadModel(id);
  const operations = Object.keys(model.operations);
  const harness = new QueryHarness(codec, model, 'awsQuery', config);
  const { sdk } = harness;

  it('parses the request the SDK sends for every operation back into its input', async () => {
    expect(await harness.requestFailures(SAMPLINGS)).toEqual([]);
  });

  it('writes every operation output so that the SDK reads it back, with its request id', async () => {
    expect(await harness.responseFailures(SAMPLINGS, ctx.requestId)).toEqual([]);
  });

  it('writes every modelled error so that the SDK throws it by name, status and message', async () => {
    const op = operations[0]!;
    const input = new Sampler(model, { seed: 1 }).structure(model.operations[op]!.input);
    const failures = await failuresOf(errorShapes(model), String, async (name) => {
      const shape = model.shapes[name]!;
      const fields = sampledErrorFields(model, name, 5);
      const message = `${name} happened: <&> "quoted"`;
      const wire = codec.serializeError(model, new AwsError(name, message, 400, { fields }), ctx);
      const status = shape.traits?.awsQueryError?.[1] ?? shape.traits?.httpError ?? 400;
      expect(wire.status).toBe(status);
      const { error } = await sdk.deserializeResponse(op, input, wire);
      expectSdkError(error, { name, message, status, requestId: ctx.requestId }, fields);
    });
    expect(failures).toEqual([]);
  });

  it('passes an unmodelled error code through as the SDK error name', async () => {
    const op = operations[0]!;
    const input = new Sampler(model, { seed: 1 }).structure(model.operations[op]!.input);
    const err = new AwsError('InvalidParameterValue', 'Value x for parameter y is invalid.', 400);
    const wire = codec.serializeError(model, err, ctx);
    expect(wire.status).toBe(400);
    expect(wire.body).toContain('<Type>Sender</Type>');
    const { error } = await sdk.deserializeResponse(op, input, wire);
    expectSdkError(error, {
      name: 'InvalidParameterValue',
      message: 'Value x for parameter y is invalid.',
      status: 400,
    });
  });

  it('answers garbage with 4xx AwsErrors and nothing else', async () => {
    const sampler = new Sampler(model, { seed: 9 });
    for (const op of operations) {
      const input = new Sampler(model, { seed: 9 }).structure(model.operations[op]!.input);
      const body = (await sdk.captureRequest(op, input)).body.toString();
      for (let cut = 1; cut < body.length; cut += 1 + sampler.int(7)) {
        const req = formRequest(body.slice(0, cut));
        const found = codec.resolveOperation(model, req);
        if (found) expectClientErrorOrValue(() => codec.parseInput(model, found, req));
        else expect(codec.operationNotFound(model, req).status).toBe(400);
      }
      // every value swapped for one that is no value of most types
      const bad = body.replace(/=([^&]*)/g, (m, _v, offset) => (offset < 20 ? m : '=%FF%00not-a-value!'));
      expectClientErrorOrValue(() => codec.parseInput(model, op, formRequest(bad)));
    }
    harness.expectNoOperationInNoise(sampler);
  });
});

describe('awsQuery requests', () => {
  const sts = loadModel('sts');
  const sns = loadModel('sns');
  const sqs = loadModel('sqs');

  it('reads the Action from a GET query string', () => {
    const req: WireRequest = {
      method: 'GET',
      path: '/',
      query: new URLSearchParams('Action=GetCallerIdentity&Version=2011-06-15'),
      headers: {},
      body: Buffer.alloc(0),
    };
    expect(codec.resolveOperation(sts, req)).toBe('GetCallerIdentity');
    expect(codec.parseInput(sts, 'GetCallerIdentity', req)).toEqual({});
  });

  it('names a missing and an unknown Action the way AWS does', () => {
    const missing = codec.operationNotFound(sts, formRequest('Version=2011-06-15'));
    expect([missing.code, missing.status]).toEqual(['MissingAction', 400]);
    const unknown = codec.operationNotFound(sts, formRequest('Action=Nope&Version=2011-06-15'));
    expect([unknown.code, unknown.message]).toEqual([
      'InvalidAction',
      'Could not find operation Nope for version 2011-06-15',
    ]);
    expect(codec.resolveOperation(sts, formRequest('Action=toString'))).toBeUndefined();
  });

  it('reads SQS parameters as boto3 writes them (flattened, renamed, maps of structures)', () => {
    // the SendMessage example of the SQS API reference, with a binary and a list attribute
    const body =
      'Action=SendMessage&QueueUrl=https%3A%2F%2Fsqs.us-east-2.amazonaws.com%2F123456789012%2FMyQueue' +
      '&MessageBody=This+is+a+test+message&DelaySeconds=45' +
      '&MessageAttribute.1.Name=my_attribute_name_1&MessageAttribute.1.Value.StringValue=my_attribute_value_1' +
      '&MessageAttribute.1.Value.DataType=String' +
      '&MessageAttribute.2.Name=bin&MessageAttribute.2.Value.BinaryValue=AAEC%2F%2F8%3D' +
      '&MessageAttribute.2.Value.DataType=Binary' +
      '&MessageSystemAttribute.1.Name=AWSTraceHeader&MessageSystemAttribute.1.Value.DataType=String' +
      '&MessageSystemAttribute.1.Value.StringValue=Root%3D1-5759e988' +
      '&Expires=2020-04-18T22%3A52%3A43PST&Version=2012-11-05';
    const req = formRequest(body);
    expect(codec.resolveOperation(sqs, req)).toBe('SendMessage');
    expect(codec.parseInput(sqs, 'SendMessage', req)).toEqual({
      QueueUrl: 'https://sqs.us-east-2.amazonaws.com/123456789012/MyQueue',
      MessageBody: 'This is a test message',
      DelaySeconds: 45,
      MessageAttributes: {
        my_attribute_name_1: { StringValue: 'my_attribute_value_1', DataType: 'String' },
        bin: { BinaryValue: new Uint8Array([0, 1, 2, 255, 255]), DataType: 'Binary' },
      },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988' } },
    });
    const batch = formRequest(
      'Action=ReceiveMessage&QueueUrl=q&AttributeName.1=All&AttributeName.2=SentTimestamp' +
        '&MessageAttributeName.1=color&MaxNumberOfMessages=5&WaitTimeSeconds=20',
    );
    expect(codec.parseInput(sqs, 'ReceiveMessage', batch)).toEqual({
      QueueUrl: 'q',
      // the model gives both members the one query name AttributeName
      AttributeNames: ['All', 'SentTimestamp'],
      MessageSystemAttributeNames: ['All', 'SentTimestamp'],
      MessageAttributeNames: ['color'],
      MaxNumberOfMessages: 5,
      WaitTimeSeconds: 20,
    });
  });

  it('orders list items by their number, not by their place in the body', () => {
    const req = formRequest(
      'Action=Subscribe&TopicArn=t&Protocol=sqs&Attributes.entry.2.key=b&Attributes.entry.2.value=2' +
        '&Attributes.entry.1.key=a&Attributes.entry.1.value=1',
    );
    expect(codec.parseInput(sns, 'Subscribe', req)).toEqual({
      TopicArn: 't',
      Protocol: 'sqs',
      Attributes: { a: '1', b: '2' },
    });
    const tags = formRequest('Action=TagResource&ResourceArn=r&Tags.member.10.Key=k10&Tags.member.2.Key=k2');
    expect(codec.parseInput(sns, 'TagResource', tags)).toEqual({
      ResourceArn: 'r',
      Tags: [{ Key: 'k2' }, { Key: 'k10' }],
    });
  });

  it('keeps a map key named __proto__ as data', () => {
    const req = formRequest(
      'Action=CreateTopic&Name=t&Attributes.entry.1.key=__proto__&Attributes.entry.1.value=x',
    );
    const input = codec.parseInput(sns, 'CreateTopic', req);
    const attributes = input.Attributes as Record<string, unknown>;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toBe('x');
  });

  it('rejects values that do not parse for their type with InvalidParameterValue', () => {
    const cases: [ServiceModel, string, string][] = [
      [sts, 'AssumeRole', 'RoleArn=r&RoleSessionName=s&DurationSeconds=abc'],
      [sts, 'AssumeRole', 'RoleArn=r&RoleSessionName=s&DurationSeconds=0x10'],
      [
        sns,
        'Publish',
        'Message=m&MessageAttributes.entry.1.Name=n&MessageAttributes.entry.1.Value.BinaryValue=%%%',
      ],
      [sqs, 'SendMessage', 'QueueUrl=q&MessageBody=b&DelaySeconds='],
    ];
    for (const [model, op, params] of cases) {
      const thrown = thrownBy(() => codec.parseInput(model, op, formRequest(`Action=${op}&${params}`)));
      expect(thrown, params).toBeInstanceOf(AwsError);
      expect([(thrown as AwsError).code, (thrown as AwsError).status]).toEqual([
        'InvalidParameterValue',
        400,
      ]);
    }
    const err = awsErrorFrom(() =>
      codec.parseInput(sts, 'AssumeRole', formRequest('Action=AssumeRole&DurationSeconds=abc')),
    );
    expect(err.message).toBe('Value abc for parameter DurationSeconds is invalid. Reason: must be a number.');
  });
});

describe('awsQuery responses', () => {
  const sts = loadModel('sts');
  const sns = loadModel('sns');
  const sqs = loadModel('sqs');

  it('writes the Response, Result and ResponseMetadata envelope in the model namespace', () => {
    const wire = codec.serializeOutput(
      sts,
      'GetCallerIdentity',
      { UserId: 'AIDA', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/a&b' },
      ctx,
    );
    expect(wire.body).toBe(
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
        '<GetCallerIdentityResult><UserId>AIDA</UserId><Account>123456789012</Account>' +
        '<Arn>arn:aws:iam::123456789012:user/a&amp;b</Arn></GetCallerIdentityResult>' +
        '<ResponseMetadata><RequestId>req-7f3a</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
    );
    expect(wire.headers['content-type']).toBe('text/xml');
    expect(wire.headers['x-amzn-requestid']).toBe('req-7f3a');
  });

  it('writes no Result element for an operation without output', () => {
    const wire = codec.serializeOutput(sns, 'DeleteTopic', {}, ctx);
    expect(wire.body).toBe(
      '<DeleteTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">' +
        '<ResponseMetadata><RequestId>req-7f3a</RequestId></ResponseMetadata></DeleteTopicResponse>',
    );
  });

  it('writes SQS outputs with the query names and flattened maps, in a namespace from the signing name', () => {
    const wire = codec.serializeOutput(
      sqs,
      'ReceiveMessage',
      {
        Messages: [
          {
            MessageId: 'm1',
            Body: 'line1\r\nline2 <b>',
            Attributes: { SentTimestamp: '1' },
            MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } },
          },
        ],
      },
      ctx,
    );
    expect(wire.body).toBe(
      '<ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult>' +
        '<Message><MessageId>m1</MessageId><Body>line1&#xD;\nline2 &lt;b&gt;</Body>' +
        '<Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute>' +
        '<MessageAttribute><Name>color</Name><Value><DataType>String</DataType><StringValue>red</StringValue>' +
        '</Value></MessageAttribute></Message></ReceiveMessageResult>' +
        '<ResponseMetadata><RequestId>req-7f3a</RequestId></ResponseMetadata></ReceiveMessageResponse>',
    );
  });

  it('maps a modelled error to its awsQueryError code and status', () => {
    const wire = codec.serializeError(
      sqs,
      new AwsError('QueueDoesNotExist', 'The queue does not exist.'),
      ctx,
    );
    expect(wire.status).toBe(400);
    expect(wire.body).toBe(
      '<ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>' +
        '<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The queue does not exist.</Message>' +
        '</Error><RequestId>req-7f3a</RequestId></ErrorResponse>',
    );
    const server = codec.serializeError(sns, new AwsError('InternalErrorException', 'boom', 500), ctx);
    expect(server.status).toBe(500);
    expect(server.body).toContain('<Type>Receiver</Type><Code>InternalError</Code>');
  });
});

describe.skipIf(!hasBoto3)('awsQuery against boto3', () => {
  it('parses what botocore writes for STS and SNS', () => {
    const calls = [
      [
        'sts',
        'AssumeRole',
        {
          RoleArn: 'arn:r',
          RoleSessionName: 's',
          DurationSeconds: 900,
          Tags: [{ Key: 'k', Value: 'v' }],
          PolicyArns: [{ arn: 'arn:p' }],
          TransitiveTagKeys: ['k'],
        },
      ],
      [
        'sns',
        'Publish',
        {
          TopicArn: 't',
          Message: 'a&b c+d ✓',
          MessageAttributes: {
            s: { DataType: 'String', StringValue: 'x y' },
            b: { DataType: 'Binary', BinaryValue: 'AAEC' },
          },
        },
      ],
      [
        'sns',
        'CreateTopic',
        { Name: 'n', Attributes: { FifoTopic: 'true' }, Tags: [{ Key: 'k', Value: '' }] },
      ],
      ['sns', 'SetSubscriptionAttributes', { SubscriptionArn: 's', AttributeName: 'RawMessageDelivery' }],
    ] as const;
    expect(parsedFromBoto3(codec, calls)).toEqual([
      calls[0][2],
      {
        ...calls[1][2],
        MessageAttributes: {
          s: { DataType: 'String', StringValue: 'x y' },
          // botocore base64-encodes the bytes of a str
          b: { DataType: 'Binary', BinaryValue: new Uint8Array(Buffer.from('AAEC')) },
        },
      },
      calls[2][2],
      calls[3][2],
    ]);
  });
});
