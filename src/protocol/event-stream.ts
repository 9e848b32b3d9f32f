/**
 * The AWS event-stream framing (application/vnd.amazon.eventstream) that streaming outputs
 * use: Lambda's InvokeWithResponseStream, S3's SelectObjectContent. Each message is a
 * prelude (total and header lengths, their CRC32), typed headers, the payload, and a CRC32
 * of everything before it.
 */
import { Readable } from 'node:stream';
import type { BodyFormat } from './http-binding.js';
import type { MemberDef, ServiceModel } from './model.js';
import { shapeOf } from './model.js';

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** CRC-32 (IEEE), table-driven: zlib.crc32 is missing from the Node 20 releases before 20.15. */
const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}

function crc32(bytes: Uint8Array, end = bytes.length): number {
  let crc = -1;
  for (let i = 0; i < end; i++)
    crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** Header value type 7: a UTF-8 string with a 16-bit length. */
const STRING_TYPE = 7;

function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const head = Buffer.alloc(1 + n.length + 3);
    head.writeUInt8(n.length, 0);
    n.copy(head, 1);
    head.writeUInt8(STRING_TYPE, 1 + n.length);
    head.writeUInt16BE(v.length, 2 + n.length);
    parts.push(head, v);
  }
  return Buffer.concat(parts);
}

/** One event-stream message with string headers. */
function encodeEventMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const head = encodeHeaders(headers);
  const total = 12 + head.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(head.length, 4);
  message.writeUInt32BE(crc32(message, 8), 8);
  head.copy(message, 12);
  message.set(payload, 12 + head.length);
  message.writeUInt32BE(crc32(message, total - 4), total - 4);
  return message;
}

const EMPTY = Buffer.alloc(0);

type EventBody = (event: Record<string, unknown>) => Uint8Array;

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  return value === undefined || value === null ? EMPTY : Buffer.from(String(value), 'utf8');
}

/** How one event member's structure becomes a message body, and its content type. */
function eventBody(format: BodyFormat, model: ServiceModel, m: MemberDef): [EventBody, string | undefined] {
  const shape = shapeOf(model, m.target);
  const members = 'members' in shape ? shape.members : {};
  const names = Object.keys(members);
  const payload = names.find((n) => members[n]?.eventPayload);
  if (payload) {
    const pm = members[payload] as MemberDef;
    const type = shapeOf(model, pm.target).type;
    if (type === 'blob') return [(e) => toBytes(e[payload]), 'application/octet-stream'];
    if (type === 'string') return [(e) => toBytes(e[payload]), 'text/plain'];
    const write = format.payloadWriter(model, payload, pm);
    return [(e) => (e[payload] == null ? EMPTY : Buffer.from(write(e[payload]))), format.contentType];
  }
  if (!names.length) return [() => EMPTY, undefined];
  const write = format.membersWriter(model, m.target, names);
  return [(e) => Buffer.from(write(e)), format.contentType];
}

/**
 * A writer of an event-stream payload: the service's events (an iterable or async iterable
 * of union values, one member set each) as a stream of messages named by event type.
 */
export function eventStreamWriter(
  format: BodyFormat,
  model: ServiceModel,
  union: MemberDef,
): (events: unknown) => Readable {
  const shape = shapeOf(model, union.target);
  const writers = new Map<string, (value: Record<string, unknown>) => Buffer>();
  for (const [name, m] of Object.entries('members' in shape ? shape.members : {})) {
    const [body, contentType] = eventBody(format, model, m);
    const headers: Record<string, string> = { ':event-type': name, ':message-type': 'event' };
    if (contentType) headers[':content-type'] = contentType;
    writers.set(name, (value) => encodeEventMessage(headers, body(value)));
  }
  async function* messages(events: AsyncIterable<Record<string, unknown>>) {
    for await (const event of events) {
      for (const [name, value] of Object.entries(event ?? {})) {
        const write = writers.get(name);
        if (write && value !== undefined && value !== null) yield write(value as Record<string, unknown>);
      }
    }
  }
  return (events) => Readable.from(messages(events as AsyncIterable<Record<string, unknown>>));
}
