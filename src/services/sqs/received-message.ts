/**
 * A received message as ReceiveMessage returns it: the system attributes asked for (by
 * AttributeNames or MessageSystemAttributeNames, `All` for every one) and the message
 * attributes asked for (`All`, `.*`, a `prefix.*`, or exact names), with the MD5 of exactly
 * the message attributes returned.
 */
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { sequenceNumber } from './fifo.js';
import { type AttributeValue, md5OfMessageAttributes } from './md5.js';
import type { StoredAttributes } from './message-rules.js';
import type { MessageRow } from './message-store.js';

export interface ReceiveOptions {
  systemAttributeNames: string[];
  messageAttributeNames: string[];
}

function systemAttributes(
  row: MessageRow,
  fifo: boolean,
  names: string[],
): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const all = names.includes('All');
  const want = (name: string) => all || names.includes(name);
  const out: Record<string, string> = {};
  if (want('SenderId')) out.SenderId = row.senderId;
  if (want('SentTimestamp')) out.SentTimestamp = String(row.sentAt);
  if (want('ApproximateReceiveCount')) out.ApproximateReceiveCount = String(row.receiveCount);
  if (want('ApproximateFirstReceiveTimestamp')) {
    out.ApproximateFirstReceiveTimestamp = String(row.firstReceivedAt ?? row.receivedAt ?? row.sentAt);
  }
  if (row.traceHeader !== null && want('AWSTraceHeader')) out.AWSTraceHeader = row.traceHeader;
  if (row.dlqSourceArn !== null && want('DeadLetterQueueSourceArn'))
    out.DeadLetterQueueSourceArn = row.dlqSourceArn;
  if (row.groupId !== null && want('MessageGroupId')) out.MessageGroupId = row.groupId;
  if (fifo) {
    if (want('MessageDeduplicationId') && row.dedupId !== null) out.MessageDeduplicationId = row.dedupId;
    if (want('SequenceNumber')) out.SequenceNumber = sequenceNumber(row.seq);
  }
  return Object.keys(out).length ? out : undefined;
}

function wantsAttribute(names: string[], name: string): boolean {
  for (const pattern of names) {
    if (pattern === 'All' || pattern === '.*' || pattern === name) return true;
    if (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -2))) return true;
  }
  return false;
}

function messageAttributes(row: MessageRow, names: string[]) {
  if (row.attributes === null || names.length === 0) return undefined;
  const stored = JSON.parse(row.attributes) as StoredAttributes;
  const out: Record<string, AttributeValue> = {};
  let all = true;
  for (const [name, value] of Object.entries(stored)) {
    if (!wantsAttribute(names, name)) {
      all = false;
      continue;
    }
    out[name] =
      value.BinaryValue === undefined
        ? { DataType: value.DataType, StringValue: value.StringValue }
        : { DataType: value.DataType, BinaryValue: Buffer.from(value.BinaryValue, 'base64') };
  }
  if (Object.keys(out).length === 0) return undefined;
  const md5 = all ? (row.md5Attributes as string) : md5OfMessageAttributes(out);
  return { attributes: out as Record<string, MessageAttributeValue>, md5 };
}

export function toMessage(
  row: MessageRow,
  receiptHandle: string,
  fifo: boolean,
  options: ReceiveOptions,
): Message {
  const attributes = messageAttributes(row, options.messageAttributeNames);
  return {
    MessageId: row.messageId,
    ReceiptHandle: receiptHandle,
    MD5OfBody: row.md5Body,
    Body: row.body,
    Attributes: systemAttributes(row, fifo, options.systemAttributeNames),
    MD5OfMessageAttributes: attributes?.md5,
    MessageAttributes: attributes?.attributes,
  };
}
