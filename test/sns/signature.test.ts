/**
 * Envelopes and their signatures, checked by a verifier written from AWS's "Verifying the
 * signatures of Amazon SNS messages": rebuild the canonical string from the message's own
 * fields (Message, MessageId, Subject when present, Timestamp, TopicArn, Type for a
 * notification; Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type for a
 * confirmation), each as "Name\nvalue\n", then verify the base64 Signature with the
 * certificate's public key, SHA1withRSA for SignatureVersion 1 and SHA256withRSA for 2.
 */
import { createVerify, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalString, type EnvelopeFields, envelope } from '../../src/services/sns/envelope.js';
import { signCanonical, signingKey } from '../../src/services/sns/signing.js';
import { SNS_MIGRATIONS } from '../../src/services/sns/store.js';
import { migrate, openDatabase } from '../../src/storage/database.js';

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
const CONFIRMATION_FIELDS = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
];

function verifySnsMessage(message: Record<string, string>, certificatePem: string): boolean {
  const names = message.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  const canonical = names
    .filter((name) => message[name] !== undefined)
    .map((name) => `${name}\n${message[name]}\n`)
    .join('');
  const algorithm = message.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1';
  const certificate = new X509Certificate(certificatePem);
  return createVerify(algorithm)
    .update(canonical, 'utf8')
    .verify(certificate.publicKey, message.Signature as string, 'base64');
}

function database() {
  const db = openDatabase();
  migrate(db, 'sns', SNS_MIGRATIONS);
  return db;
}

const notification: EnvelopeFields = {
  type: 'Notification',
  messageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  topicArn: 'arn:aws:sns:us-west-2:123456789012:MyTopic',
  subject: 'My First Message',
  message: 'Hello world! ünïcödé "quoted"\nsecond line',
  timestamp: '2012-05-02T00:54:06.655Z',
  unsubscribeUrl:
    'http://localhost:4566/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:MyTopic:c9135db0-26c4-47ec-8998-413945fb5a96',
  attributes: {
    color: { DataType: 'String', StringValue: 'blue' },
    raw: { DataType: 'Binary', BinaryValue: Uint8Array.of(2, 3, 4) },
  },
};

/** one database (one key, which takes a while to make) for the whole file */
const db = database();

function signed(fields: EnvelopeFields, version: string) {
  const signature = signCanonical(db, canonicalString(fields), version);
  const text = envelope(fields, { version, signature, certificateUrl: 'http://localhost:4566/cert.pem' });
  return {
    text,
    parsed: JSON.parse(text) as Record<string, string>,
    certificate: signingKey(db).certificate,
  };
}

describe('SNS envelopes', () => {
  it('are written as AWS writes them, fields in its order, attributes one per line', () => {
    const { text } = signed(notification, '1');
    const lines = text.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      '{',
      '  "Type" : "Notification",',
      '  "MessageId" : "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",',
      '  "TopicArn" : "arn:aws:sns:us-west-2:123456789012:MyTopic",',
      '  "Subject" : "My First Message",',
      '  "Message" : "Hello world! ünïcödé \\"quoted\\"\\nsecond line",',
      '  "Timestamp" : "2012-05-02T00:54:06.655Z",',
    ]);
    expect(lines.slice(-5)).toEqual([
      '  "MessageAttributes" : {',
      '    "color" : {"Type":"String","Value":"blue"},',
      '    "raw" : {"Type":"Binary","Value":"AgME"}',
      '  }',
      '}',
    ]);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
  });

  it('leave Subject out when none was given, and out of the canonical string', () => {
    const { subject: _s, ...fields } = notification;
    expect(canonicalString(fields)).toBe(
      `Message\n${fields.message}\nMessageId\n${fields.messageId}\nTimestamp\n${fields.timestamp}\nTopicArn\n${fields.topicArn}\nType\nNotification\n`,
    );
    expect(JSON.parse(envelope(fields, undefined))).not.toHaveProperty('Subject');
  });

  it('carry a SHA1withRSA signature that verifies with the served certificate', () => {
    const { parsed, certificate } = signed(notification, '1');
    expect(parsed.SignatureVersion).toBe('1');
    expect(verifySnsMessage(parsed, certificate)).toBe(true);
    expect(verifySnsMessage({ ...parsed, Message: 'tampered' }, certificate)).toBe(false);
    expect(verifySnsMessage({ ...parsed, SignatureVersion: '2' }, certificate)).toBe(false);
  });

  it('sign with SHA256withRSA under SignatureVersion 2', () => {
    const { parsed, certificate } = signed(notification, '2');
    expect(verifySnsMessage(parsed, certificate)).toBe(true);
    expect(verifySnsMessage({ ...parsed, SignatureVersion: '1' }, certificate)).toBe(false);
  });

  it('sign confirmations over SubscribeURL and Token, in AWS field order', () => {
    const fields: EnvelopeFields = {
      type: 'SubscriptionConfirmation',
      messageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
      topicArn: notification.topicArn,
      message: `You have chosen to subscribe to the topic ${notification.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      timestamp: '2012-04-26T20:45:04.751Z',
      token: 'abc123',
      subscribeUrl: `http://localhost:4566/?Action=ConfirmSubscription&TopicArn=${notification.topicArn}&Token=abc123`,
    };
    const { parsed, certificate } = signed(fields, '1');
    expect(Object.keys(parsed)).toEqual([
      'Type',
      'MessageId',
      'Token',
      'TopicArn',
      'Message',
      'SubscribeURL',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
    ]);
    expect(verifySnsMessage(parsed, certificate)).toBe(true);
    expect(verifySnsMessage({ ...parsed, Token: 'other' }, certificate)).toBe(false);
  });

  it('use one key per database, kept across uses, with a certificate for it', () => {
    const first = signingKey(db);
    expect(signingKey(db).certificate).toBe(first.certificate);
    const certificate = new X509Certificate(first.certificate);
    expect(certificate.checkPrivateKey(first.key)).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.subject).toContain('CN=sns.amazonaws.com');
    expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(Date.now() + 365 * 24 * 3600 * 1000);
  });
});
