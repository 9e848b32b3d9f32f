/**
 * The documents S3 sends to notification destinations, as AWS writes them: an event message
 * (`{"Records":[...]}`, one record, eventVersion 2.1) and the s3:TestEvent sent when a
 * destination is first configured. Keys are URL-encoded as S3 encodes them (form encoding:
 * a space is `+`, `/` is kept), and every event gets a sequencer (hex, 18 digits, increasing)
 * consumers order events on one key by.
 */
import { createHash } from 'node:crypto';

/** What happened to an object, as a record describes it. */
export interface ObjectChange {
  /** without the `s3:` prefix, e.g. ObjectCreated:Put */
  eventName: string;
  key: string;
  /** created objects only */
  size?: number;
  /** created objects only, without quotes */
  eTag?: string;
  /** only when the bucket has versioning configured */
  versionId?: string;
}

/** Who and where: the parts of a record that do not depend on the object. */
export interface EventOrigin {
  /** the bucket's region */
  region: string;
  partition: string;
  bucket: string;
  /** the bucket owner's principal id */
  ownerId: string;
  /** the requester's principal id */
  requester: string;
  sourceIp: string;
  requestId: string;
  timeMs: number;
}

export interface EventRecord {
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: Record<string, string>;
  s3: {
    s3SchemaVersion: string;
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: Record<string, string | number>;
  };
}

/** The characters encodeURIComponent leaves or writes otherwise than S3's form encoding. */
const FORM_DIFFERENCES = /%20|%2F|[!'()~]/g;

function formEscape(match: string): string {
  if (match === '%20') return '+';
  if (match === '%2F') return '/';
  return `%${match.charCodeAt(0).toString(16).toUpperCase()}`;
}

/** A key as event records (and filter rules) spell it: "red flower.jpg" is "red+flower.jpg". */
export function eventKey(key: string): string {
  return encodeURIComponent(key).replace(FORM_DIFFERENCES, formEscape);
}

/** Sequencers for one server: seconds, then the millisecond and a counter, never repeating. */
export class Sequencer {
  private last = 0n;

  next(nowMs: number): string {
    const ms = BigInt(Math.floor(nowMs));
    const candidate = ((ms / 1000n) << 32n) | ((ms % 1000n) << 22n);
    this.last = candidate > this.last ? candidate : this.last + 1n;
    return this.last.toString(16).toUpperCase().padStart(18, '0');
  }
}

const customerIds = new Map<string, string>();

/** The Amazon customer id records name an account's principal by: stable per account. */
export function customerIdOf(accountId: string): string {
  let id = customerIds.get(accountId);
  if (!id) {
    id = `A${createHash('sha256').update(`customer:${accountId}`).digest('hex').slice(0, 13).toUpperCase()}`;
    customerIds.set(accountId, id);
  }
  return id;
}

/** The record of one change; its configurationId is set per destination (see eventMessage). */
export function eventRecord(origin: EventOrigin, change: ObjectChange, sequencer: string): EventRecord {
  const object: Record<string, string | number> = { key: eventKey(change.key) };
  if (change.size !== undefined) object.size = change.size;
  if (change.eTag !== undefined) object.eTag = change.eTag;
  if (change.versionId !== undefined) object.versionId = change.versionId;
  object.sequencer = sequencer;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: origin.region,
    eventTime: new Date(origin.timeMs).toISOString(),
    eventName: change.eventName,
    userIdentity: { principalId: origin.requester },
    requestParameters: { sourceIPAddress: origin.sourceIp },
    responseElements: { 'x-amz-request-id': origin.requestId, 'x-amz-id-2': origin.requestId },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: '',
      bucket: {
        name: origin.bucket,
        ownerIdentity: { principalId: origin.ownerId },
        arn: `arn:${origin.partition}:s3:::${origin.bucket}`,
      },
      object,
    },
  };
}

/** The message one configuration's destination receives. */
export function eventMessage(record: EventRecord, configurationId: string): string {
  record.s3.configurationId = configurationId;
  return JSON.stringify({ Records: [record] });
}

/** What S3 sends a destination when it is configured, to prove it can deliver there. */
export function testEventMessage(bucket: string, timeMs: number, requestId: string): string {
  return JSON.stringify({
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: new Date(timeMs).toISOString(),
    Bucket: bucket,
    RequestId: requestId,
    HostId: requestId,
  });
}
