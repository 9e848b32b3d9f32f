/**
 * S3's event documents: key encoding as S3 writes it (form encoding, `/` kept: "red flower.jpg"
 * is "red+flower.jpg" in the user guide; `a@b` is `a%40b` in messages recorded from AWS), the
 * record's members and their order, sequencers, and the s3:TestEvent message.
 */
import { describe, expect, it } from 'vitest';
import {
  customerIdOf,
  eventKey,
  eventMessage,
  eventRecord,
  Sequencer,
  testEventMessage,
} from '../../src/services/s3/event-records.js';

describe('eventKey', () => {
  it.each([
    ['red flower.jpg', 'red+flower.jpg'],
    ['a@b', 'a%40b'],
    ['images/2024/cat.jpg', 'images/2024/cat.jpg'],
    ['c++ (1)!.txt', 'c%2B%2B+%281%29%21.txt'],
    ["it's~*_-.", 'it%27s%7E*_-.'],
    ['dt=2018-05-04/_SUCCESS', 'dt%3D2018-05-04/_SUCCESS'],
    ['10:47:07.log', '10%3A47%3A07.log'],
    ['naïve ☀', 'na%C3%AFve+%E2%98%80'],
  ])('%s → %s', (key, encoded) => {
    expect(eventKey(key)).toBe(encoded);
  });
});

describe('Sequencer', () => {
  it('writes 18 upper-case hex digits, the seconds first, always increasing', () => {
    const sequencer = new Sequencer();
    const at = Date.UTC(2023, 6, 22, 20, 28, 35, 500);
    const first = sequencer.next(at);
    expect(first).toMatch(/^[0-9A-F]{18}$/);
    expect(first.slice(0, 10)).toBe(
      `00${Math.floor(at / 1000)
        .toString(16)
        .toUpperCase()}`,
    );
    const same = sequencer.next(at);
    const later = sequencer.next(at + 1);
    // a clock that goes back still gives a later sequencer
    const back = sequencer.next(at - 60_000);
    expect([first, same, later, back]).toEqual([...new Set([first, same, later, back])].sort());
  });
});

describe('eventRecord', () => {
  const origin = {
    region: 'eu-west-1',
    partition: 'aws',
    bucket: 'photos',
    ownerId: 'AOWNER',
    requester: 'AWS:AIDAEXAMPLE',
    sourceIp: '127.0.0.1',
    requestId: 'req-1',
    timeMs: Date.UTC(2024, 0, 2, 3, 4, 5, 6),
  };

  it('builds the record S3 documents, members in its order', () => {
    const record = eventRecord(
      origin,
      { eventName: 'ObjectCreated:Put', key: 'my cat.jpg', size: 3, eTag: 'abc', versionId: 'v1' },
      '0065940D050180000',
    );
    const message = eventMessage(record, 'config-1');
    expect(message).toBe(
      JSON.stringify({
        Records: [
          {
            eventVersion: '2.1',
            eventSource: 'aws:s3',
            awsRegion: 'eu-west-1',
            eventTime: '2024-01-02T03:04:05.006Z',
            eventName: 'ObjectCreated:Put',
            userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
            requestParameters: { sourceIPAddress: '127.0.0.1' },
            responseElements: { 'x-amz-request-id': 'req-1', 'x-amz-id-2': 'req-1' },
            s3: {
              s3SchemaVersion: '1.0',
              configurationId: 'config-1',
              bucket: {
                name: 'photos',
                ownerIdentity: { principalId: 'AOWNER' },
                arn: 'arn:aws:s3:::photos',
              },
              object: {
                key: 'my+cat.jpg',
                size: 3,
                eTag: 'abc',
                versionId: 'v1',
                sequencer: '0065940D050180000',
              },
            },
          },
        ],
      }),
    );
  });

  it('leaves out what a removed object does not have', () => {
    const record = eventRecord(origin, { eventName: 'ObjectRemoved:Delete', key: 'k' }, '01');
    expect(record.s3.object).toEqual({ key: 'k', sequencer: '01' });
    expect(JSON.parse(eventMessage(record, 'other')).Records[0].s3.configurationId).toBe('other');
  });
});

describe('testEventMessage and customerIdOf', () => {
  it('writes the test event with S3 member names and order', () => {
    expect(JSON.parse(testEventMessage('b', Date.UTC(2014, 9, 13, 15, 57, 2, 89), 'R1'))).toEqual({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2014-10-13T15:57:02.089Z',
      Bucket: 'b',
      RequestId: 'R1',
      HostId: 'R1',
    });
    expect(Object.keys(JSON.parse(testEventMessage('b', 0, 'R')))).toEqual([
      'Service',
      'Event',
      'Time',
      'Bucket',
      'RequestId',
      'HostId',
    ]);
  });

  it('gives each account one stable customer id', () => {
    expect(customerIdOf('000000000000')).toMatch(/^A[0-9A-F]{13}$/);
    expect(customerIdOf('000000000000')).toBe(customerIdOf('000000000000'));
    expect(customerIdOf('111111111111')).not.toBe(customerIdOf('000000000000'));
  });
});
