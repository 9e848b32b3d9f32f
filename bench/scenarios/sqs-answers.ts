/**
 * What the baseline answers in place of SQS (AWS JSON 1.0): the documents localaws sends,
 * byte for byte in shape and size (ids and receipt handles of the same length), with MD5s
 * that the SDK's checks accept for the message the scenarios send.
 */
import { createHash } from 'node:crypto';
import { type FixedResponse, jsonAnswer } from '../scenario.js';
import { MESSAGE_BODY } from './sqs-queues.js';

const MD5 = createHash('md5').update(MESSAGE_BODY).digest('hex');

/** A message id of the form SQS uses (a UUID), the nth of a fixed series. */
function messageId(n: number): string {
  return `5fea7756-0ea4-451a-a703-a558b933${String(n).padStart(4, '0')}`;
}

export const sendAnswer = jsonAnswer({ MD5OfMessageBody: MD5, MessageId: messageId(0) });

/** `count` messages, with receipt handles as long as localaws's (39 base64url characters). */
export function receiveAnswer(count: number): FixedResponse {
  const Messages = Array.from({ length: count }, (_, i) => ({
    MessageId: messageId(i),
    ReceiptHandle: `AQAAAAAAAQAAAAAAAQAAAAFO9cOwTRrZunVr${String(i).padStart(3, '0')}`,
    MD5OfBody: MD5,
    Body: MESSAGE_BODY,
  }));
  return jsonAnswer({ Messages });
}

export function deleteBatchAnswer(count: number): FixedResponse {
  return jsonAnswer({ Successful: Array.from({ length: count }, (_, i) => ({ Id: String(i) })), Failed: [] });
}

export function sendBatchAnswer(count: number): FixedResponse {
  const Successful = Array.from({ length: count }, (_, i) => ({
    Id: String(i),
    MessageId: messageId(i),
    MD5OfMessageBody: MD5,
  }));
  return jsonAnswer({ Successful, Failed: [] });
}
