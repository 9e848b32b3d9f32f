import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/errors.js';
import { ec2QueryCodec as codec } from '../../src/protocol/ec2-query.js';
import { loadModel } from '../../src/protocol/model.js';
import { formRequest, hasBoto3, parsedFromBoto3, QueryHarness } from './query-round-trip.js';
import { expectSdkError } from './round-trip.js';
import { Sampler } from './samples.js';
import { awsErrorOutcome, thrownBy } from './thrown.js';

const model = loadModel('ec2');
const operations = Object.keys(model.operations);
// EC2 has some 800 operations: two samplings per direction take a few seconds each
const LOOP_TIMEOUT = 30_000;
const SAMPLINGS = [
  { seed: 1, omitRate: 0 },
  { seed: 2, omitRate: 0.5 },
];
const ctx = { requestId: 'req-ec2-1' };
const harness = new QueryHarness(codec, model, 'ec2Query');

/** The SDK's CopySnapshot customisation presigns the copy when the input carries no
 * PresignedUrl: it sets PresignedUrl and DestinationRegion itself. */
function withSdkCustomisations(op: string, input: Record<string, unknown>, parsed: Record<string, unknown>) {
  if (op !== 'CopySnapshot' || input.PresignedUrl !== undefined) return input;
  return { ...input, PresignedUrl: parsed.PresignedUrl, DestinationRegion: parsed.DestinationRegion };
}

describe('ec2Query round trips through the SDK', () => {
  it(
    'parses the request the SDK sends for every operation back into its input',
    async () => {
      expect(await harness.requestFailures(SAMPLINGS, withSdkCustomisations)).toEqual([]);
    },
    LOOP_TIMEOUT,
  );

  it(
    'writes every operation output so that the SDK reads it back, with its request id',
    async () => {
      expect(await harness.responseFailures(SAMPLINGS, ctx.requestId)).toEqual([]);
    },
    LOOP_TIMEOUT,
  );

  it('writes errors so that the SDK throws them by code, status and message', async () => {
    const input = { InstanceIds: ['i-1'] };
    for (const [code, status] of [
      ['InvalidInstanceID.NotFound', 400],
      ['UnauthorizedOperation', 403],
      ['InternalError', 500],
    ] as const) {
      const message = `The instance ID 'i-1' does not exist <&>`;
      const wire = codec.serializeError(model, new AwsError(code, message, status), ctx);
      expect(wire.status).toBe(status);
      const { error } = await harness.sdk.deserializeResponse('DescribeInstances', input, wire);
      expectSdkError(error, { name: code, message, status, requestId: ctx.requestId });
    }
  });

  it('answers garbage with 4xx AwsErrors and nothing else', async () => {
    const sampler = new Sampler(model, { seed: 11 });
    for (const op of operations.filter((_, i) => i % 8 === 0)) {
      const input = new Sampler(model, { seed: 11 }).structure(model.operations[op]!.input);
      const body = (await harness.sdk.captureRequest(op, input)).body.toString();
      const cut = formRequest(body.slice(0, 1 + sampler.int(body.length)));
      const found = codec.resolveOperation(model, cut);
      const bad = formRequest(body.replace(/=([^&]*)/g, (m, _v, offset) => (offset < 20 ? m : '=maybe%FF')));
      for (const [req, operation] of [
        [cut, found],
        [bad, op],
      ] as const) {
        const outcome = operation && awsErrorOutcome(() => codec.parseInput(model, operation, req));
        if (outcome) expect(outcome.status).toBe(400);
      }
    }
    harness.expectNoOperationInNoise(sampler);
  });
});

describe('ec2Query requests', () => {
  it('reads flattened lists, ec2QueryNames and capitalised member names', () => {
    const req = formRequest(
      'Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=2&InstanceType=t3.micro' +
        '&SecurityGroupId.1=sg-1&SecurityGroupId.2=sg-2&DryRun=false' +
        '&BlockDeviceMapping.1.DeviceName=%2Fdev%2Fsda1&BlockDeviceMapping.1.Ebs.VolumeSize=8' +
        '&BlockDeviceMapping.1.Ebs.DeleteOnTermination=true' +
        '&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name' +
        '&TagSpecification.1.Tag.1.Value=web+1&ClientToken=tok',
    );
    expect(codec.resolveOperation(model, req)).toBe('RunInstances');
    expect(codec.parseInput(model, 'RunInstances', req)).toEqual({
      ImageId: 'ami-1',
      MinCount: 1,
      MaxCount: 2,
      InstanceType: 't3.micro',
      SecurityGroupIds: ['sg-1', 'sg-2'],
      DryRun: false,
      BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 8, DeleteOnTermination: true } }],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web 1' }] }],
      ClientToken: 'tok',
    });
  });

  it('names a missing and an unknown Action the way EC2 does', () => {
    expect(codec.operationNotFound(model, formRequest('Version=2016-11-15')).code).toBe('MissingAction');
    const unknown = codec.operationNotFound(model, formRequest('Action=LaunchRocket'));
    expect([unknown.code, unknown.message, unknown.status]).toEqual([
      'InvalidAction',
      'The action LaunchRocket is not valid for this web service.',
      400,
    ]);
  });

  it('rejects a bad boolean, number or timestamp with InvalidParameterValue', () => {
    for (const [op, params] of [
      ['DescribeInstances', 'DryRun=maybe'],
      ['DescribeInstances', 'MaxResults=ten'],
      ['DescribeSpotPriceHistory', 'StartTime=yesterday'],
      ['DescribeSpotPriceHistory', 'StartTime=2020-13-01T00%3A00%3A00Z'],
    ] as const) {
      const err = thrownBy(() =>
        codec.parseInput(model, op, formRequest(`Action=${op}&${params}`)),
      ) as AwsError;
      expect(err, params).toBeInstanceOf(AwsError);
      expect([err.code, err.status]).toEqual(['InvalidParameterValue', 400]);
    }
    const ok = codec.parseInput(
      model,
      'DescribeSpotPriceHistory',
      formRequest(
        'Action=DescribeSpotPriceHistory&StartTime=2020-01-02T03%3A04%3A05.678%2B01%3A00&EndTime=1577934245',
      ),
    );
    expect(ok).toEqual({
      StartTime: new Date('2020-01-02T02:04:05.678Z'),
      EndTime: new Date('2020-01-02T03:04:05Z'),
    });
  });
});

describe('ec2Query responses', () => {
  it('writes requestId and the members, lists as item, without a Result wrapper', () => {
    const wire = codec.serializeOutput(
      model,
      'DescribeInstances',
      {
        Reservations: [
          {
            ReservationId: 'r-1',
            Instances: [
              {
                InstanceId: 'i-1',
                LaunchTime: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
                State: { Code: 16, Name: 'running' },
                Tags: [{ Key: 'Name', Value: 'a<b' }],
              },
            ],
          },
        ],
      },
      ctx,
    );
    expect(wire.status).toBe(200);
    expect(wire.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
        '<requestId>req-ec2-1</requestId><reservationSet><item><reservationId>r-1</reservationId>' +
        '<instancesSet><item><tagSet><item><key>Name</key><value>a&lt;b</value></item></tagSet>' +
        '<instanceId>i-1</instanceId><instanceState><code>16</code><name>running</name></instanceState>' +
        '<launchTime>2024-01-02T03:04:05.000Z</launchTime>' +
        '</item></instancesSet></item></reservationSet></DescribeInstancesResponse>',
    );
  });

  it('writes the Response/Errors envelope', () => {
    const wire = codec.serializeError(
      model,
      new AwsError('InvalidVpcID.NotFound', "The vpc ID 'v' does not exist"),
      ctx,
    );
    expect(wire.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code>' +
        '<Message>The vpc ID &apos;v&apos; does not exist</Message></Error></Errors>' +
        '<RequestID>req-ec2-1</RequestID></Response>',
    );
  });
});

describe.skipIf(!hasBoto3)('ec2Query against boto3', () => {
  it('parses what botocore writes', () => {
    const calls = [
      [
        'ec2',
        'RunInstances',
        {
          ImageId: 'ami-1',
          MinCount: 1,
          MaxCount: 1,
          SecurityGroupIds: ['sg-1'],
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, Encrypted: true } }],
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'k', Value: 'v w' }] }],
          ClientToken: 'tok',
        },
      ],
      ['ec2', 'DescribeInstances', { Filters: [{ Name: 'tag:Name', Values: ['a', 'b'] }], MaxResults: 5 }],
      [
        'ec2',
        'AuthorizeSecurityGroupIngress',
        {
          GroupId: 'sg-1',
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          ],
        },
      ],
    ] as const;
    expect(parsedFromBoto3(codec, calls)).toEqual(calls.map(([, , params]) => params));
  });
});
