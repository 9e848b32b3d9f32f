/**
 * The digests SQS returns, computed the way AWS documents them, so the suite checks the
 * server's MD5s independently of the SDK (which verifies only the body's).
 */
import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function lengthPrefixed(bytes: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * MD5OfMessageAttributes (and MD5OfMessageSystemAttributes): for each attribute in name order,
 * the length-prefixed UTF-8 name and data type, a transport byte (1 string, 2 binary), then
 * the length-prefixed value.
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const parts: Buffer[] = [];
  for (const name of Object.keys(attributes).sort()) {
    const { DataType = '', StringValue, BinaryValue } = attributes[name];
    parts.push(lengthPrefixed(Buffer.from(name)), lengthPrefixed(Buffer.from(DataType)));
    if (BinaryValue !== undefined) parts.push(Buffer.from([2]), lengthPrefixed(BinaryValue));
    else parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(StringValue ?? '')));
  }
  return md5Hex(Buffer.concat(parts));
}
