/**
 * The digests SQS returns so clients can check what it received: MD5 of the body, and of
 * the message (or system) attributes encoded as AWS documents it: for each attribute in
 * name order, the name, the data type (each as a 4-byte big-endian length and UTF-8
 * bytes), a transport byte (1 string, 2 binary, 3 string list, 4 binary list) and the
 * value(s), each length-prefixed the same way.
 */
import { createHash } from 'node:crypto';

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
  StringListValues?: string[];
  BinaryListValues?: Uint8Array[];
}

export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

function lengthPrefixed(bytes: Buffer | Uint8Array): Buffer[] {
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(bytes.length, 0);
  return [length, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
}

const TRANSPORT = [Buffer.of(1), Buffer.of(2), Buffer.of(3), Buffer.of(4)] as const;

function valueParts(value: AttributeValue): Buffer[] {
  if (value.StringValue !== undefined) {
    return [TRANSPORT[0], ...lengthPrefixed(Buffer.from(value.StringValue, 'utf8'))];
  }
  if (value.BinaryValue !== undefined) return [TRANSPORT[1], ...lengthPrefixed(value.BinaryValue)];
  if (value.StringListValues?.length) {
    return [TRANSPORT[2], ...value.StringListValues.flatMap((s) => lengthPrefixed(Buffer.from(s, 'utf8')))];
  }
  if (value.BinaryListValues?.length) {
    return [TRANSPORT[3], ...value.BinaryListValues.flatMap((b) => lengthPrefixed(b))];
  }
  return [];
}

/** MD5OfMessageAttributes (and MD5OfMessageSystemAttributes) of a non-empty attribute map. */
export function md5OfMessageAttributes(attributes: Record<string, AttributeValue>): string {
  const hash = createHash('md5');
  // code-unit order, as the AWS SDKs sort the names (Java's TreeMap) when they verify
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name] as AttributeValue;
    const parts = [
      ...lengthPrefixed(Buffer.from(name, 'utf8')),
      ...lengthPrefixed(Buffer.from(value.DataType, 'utf8')),
      ...valueParts(value),
    ];
    for (const part of parts) hash.update(part);
  }
  return hash.digest('hex');
}
