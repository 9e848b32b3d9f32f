/**
 * The JSON documents SNS delivers, written as AWS writes them: `"Key" : value` pairs, two
 * spaces of indentation, message attributes one per line as compact `{"Type","Value"}`
 * objects, Subject only when given, and for FIFO topics a SequenceNumber instead of the
 * signature fields. The signature covers the canonical string AWS documents: for a
 * notification Message, MessageId, Subject (when given), Timestamp, TopicArn and Type;
 * for (un)subscribe confirmations Message, MessageId, SubscribeURL, Timestamp, Token,
 * TopicArn and Type; each as "Name\nvalue\n".
 */

export type MessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** A message attribute as Publish received it. */
export interface SnsAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** The fields of one delivered document, before signing. */
export interface EnvelopeFields {
  type: MessageType;
  messageId: string;
  topicArn: string;
  message: string;
  timestamp: string;
  subject?: string;
  sequenceNumber?: string;
  token?: string;
  subscribeUrl?: string;
  unsubscribeUrl?: string;
  attributes?: Record<string, SnsAttribute>;
}

export interface Signature {
  version: string;
  signature: string;
  certificateUrl: string;
}

export function canonicalString(fields: EnvelopeFields): string {
  let text = `Message\n${fields.message}\nMessageId\n${fields.messageId}\n`;
  if (fields.type === 'Notification') {
    if (fields.subject !== undefined) text += `Subject\n${fields.subject}\n`;
    text += `Timestamp\n${fields.timestamp}\n`;
  } else {
    text += `SubscribeURL\n${fields.subscribeUrl}\nTimestamp\n${fields.timestamp}\nToken\n${fields.token}\n`;
  }
  return `${text}TopicArn\n${fields.topicArn}\nType\n${fields.type}\n`;
}

/** An attribute as envelopes show it: binary values in base64. */
export function attributeValue(attribute: SnsAttribute): string {
  return attribute.BinaryValue !== undefined
    ? Buffer.from(attribute.BinaryValue).toString('base64')
    : (attribute.StringValue ?? '');
}

/** Attributes as envelopes and Lambda events show them: {name: {Type, Value}}. */
export function shownAttributes(
  attributes: Record<string, SnsAttribute>,
): Record<string, { Type: string; Value: string }> {
  const shown: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attributes))
    shown[name] = { Type: a.DataType, Value: attributeValue(a) };
  return shown;
}

function attributesJson(attributes: Record<string, SnsAttribute>): string {
  const lines = Object.entries(attributes).map(
    ([name, a]) =>
      `    ${JSON.stringify(name)} : ${JSON.stringify({ Type: a.DataType, Value: attributeValue(a) })}`,
  );
  return `{\n${lines.join(',\n')}\n  }`;
}

const field = (name: string, value: string) => `  "${name}" : ${JSON.stringify(value)}`;

/** The JSON document, signed unless `signature` is undefined (FIFO topics do not sign). */
export function envelope(fields: EnvelopeFields, signature: Signature | undefined): string {
  const lines = [field('Type', fields.type), field('MessageId', fields.messageId)];
  if (fields.token !== undefined) lines.push(field('Token', fields.token));
  if (fields.sequenceNumber !== undefined) lines.push(field('SequenceNumber', fields.sequenceNumber));
  lines.push(field('TopicArn', fields.topicArn));
  if (fields.subject !== undefined) lines.push(field('Subject', fields.subject));
  lines.push(field('Message', fields.message));
  if (fields.subscribeUrl !== undefined) lines.push(field('SubscribeURL', fields.subscribeUrl));
  lines.push(field('Timestamp', fields.timestamp));
  if (signature) {
    lines.push(
      field('SignatureVersion', signature.version),
      field('Signature', signature.signature),
      field('SigningCertURL', signature.certificateUrl),
    );
  }
  if (fields.unsubscribeUrl !== undefined) lines.push(field('UnsubscribeURL', fields.unsubscribeUrl));
  if (fields.attributes && Object.keys(fields.attributes).length > 0) {
    lines.push(`  "MessageAttributes" : ${attributesJson(fields.attributes)}`);
  }
  return `{\n${lines.join(',\n')}\n}`;
}

/** The event a Lambda function subscribed to the topic receives. */
export function lambdaEvent(fields: EnvelopeFields, signature: Signature, subscriptionArn: string): string {
  const attributes = shownAttributes(fields.attributes ?? {});
  return JSON.stringify({
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: fields.type,
          MessageId: fields.messageId,
          TopicArn: fields.topicArn,
          Subject: fields.subject ?? null,
          Message: fields.message,
          Timestamp: fields.timestamp,
          SignatureVersion: signature.version,
          Signature: signature.signature,
          SigningCertUrl: signature.certificateUrl,
          UnsubscribeUrl: fields.unsubscribeUrl,
          MessageAttributes: attributes,
        },
      },
    ],
  });
}
