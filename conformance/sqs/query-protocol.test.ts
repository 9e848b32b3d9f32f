/**
 * SQS over the query protocol (boto3, the AWS CLI, older SDKs): signed form posts answered in
 * XML, errors as `<ErrorResponse>` with the query codes, and one set of queues shared with
 * the JSON clients.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../harness.js';
import { md5Hex, md5OfMessageAttributes } from './message-digest.js';
import { items, listParams, mapParams, pairs, SqsQueryClient, type XmlNode } from './query-client.js';
import { DEFAULT_ACCOUNT, queueName, sqsClient } from './queues.js';
import { signedPost } from './signed-post.js';

const h = useLocalAws();
const sqs = () => sqsClient(h);
const query = () => new SqsQueryClient(h.url);

async function createOverQuery(label: string, attributes: Record<string, string> = {}) {
  const res = await query().send('CreateQueue', {
    QueueName: queueName(label),
    ...mapParams('Attribute', attributes),
  });
  expect(res.status, res.text).toBe(200);
  return res.result.QueueUrl as string;
}

function expectQueryError(res: Awaited<ReturnType<SqsQueryClient['send']>>, code: string, status: number) {
  expect(res.status, res.text).toBe(status);
  expect(res.error).toMatchObject({ Type: 'Sender', Code: code, Message: expect.any(String) });
  expect(res.requestId).toBeTruthy();
}

describe('both protocols, one set of queues', () => {
  it('a queue created over query is used by the JSON client, and its messages come back over query', async () => {
    const url = await createOverQuery('from-query', { VisibilityTimeout: '45' });
    const name = url.slice(url.lastIndexOf('/') + 1);
    expect(url).toBe(`${h.url}/${DEFAULT_ACCOUNT}/${name}`);

    const attrs = await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(attrs.Attributes).toEqual({ VisibilityTimeout: '45' });
    const body = 'sent over JSON <&> "quoted" ✓';
    const sent = await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));

    const received = await query().send('ReceiveMessage', {
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      ...listParams('AttributeName', ['ApproximateReceiveCount', 'SentTimestamp']),
    });
    expect(received.status, received.text).toBe(200);
    const [message] = items(received.result.Message);
    expect(message).toMatchObject({ MessageId: sent.MessageId, Body: body, MD5OfBody: md5Hex(body) });
    expect(pairs(message.Attribute)).toMatchObject({
      ApproximateReceiveCount: '1',
      SentTimestamp: expect.stringMatching(/^\d{13}$/),
    });

    const deleted = await query().send('DeleteMessage', {
      QueueUrl: url,
      ReceiptHandle: message.ReceiptHandle as string,
    });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.requestId).toBeTruthy();
    const again = await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0 }));
    expect(again.Messages ?? []).toEqual([]);
  });

  it('a queue created over JSON takes messages with attributes over query, with the documented digests', async () => {
    const name = queueName('from-json');
    const url = (await sqs().send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const found = await query().send('GetQueueUrl', { QueueName: name });
    expect(found.result.QueueUrl).toBe(url);

    const sent = await query().send('SendMessage', {
      QueueUrl: url,
      MessageBody: 'with attributes',
      'MessageAttribute.1.Name': 'attribName1',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'attribValue 1',
      'MessageAttribute.2.Name': 'binaryAttribute',
      'MessageAttribute.2.Value.DataType': 'Binary',
      'MessageAttribute.2.Value.BinaryValue': Buffer.from('Hello binary world!').toString('base64'),
    });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.result).toMatchObject({
      MD5OfMessageBody: md5Hex('with attributes'),
      MD5OfMessageAttributes: md5OfMessageAttributes({
        attribName1: { DataType: 'String', StringValue: 'attribValue 1' },
        binaryAttribute: { DataType: 'Binary', BinaryValue: new TextEncoder().encode('Hello binary world!') },
      }),
      MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });

    const viaJson = await sqs().send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'] }),
    );
    const [message] = viaJson.Messages ?? [];
    expect(message.MessageId).toBe(sent.result.MessageId);
    expect(message.MessageAttributes?.attribName1).toEqual({
      DataType: 'String',
      StringValue: 'attribValue 1',
    });
    expect(Buffer.from(message.MessageAttributes?.binaryAttribute?.BinaryValue ?? []).toString()).toBe(
      'Hello binary world!',
    );
    expect(message.MD5OfMessageAttributes).toBe(sent.result.MD5OfMessageAttributes);
  });

  it('message attributes come back over query as MessageAttribute elements', async () => {
    const url = await createOverQuery('query-attributes');
    await sqs().send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'typed',
        MessageAttributes: { price: { DataType: 'Number', StringValue: '12.5' } },
      }),
    );
    const res = await query().send('ReceiveMessage', {
      QueueUrl: url,
      ...listParams('MessageAttributeName', ['All']),
    });
    const [message] = items(res.result.Message);
    expect(pairs(message.MessageAttribute)).toEqual({ price: { DataType: 'Number', StringValue: '12.5' } });
  });

  it('a request posted to the queue URL path works as one posted to the root', async () => {
    const url = await createOverQuery('by-path');
    const res = await query().send(
      'SendMessage',
      { QueueUrl: url, MessageBody: 'via path' },
      new URL(url).pathname,
    );
    expect(res.status, res.text).toBe(200);
    const got = await sqs().send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(got.Messages?.map((m) => m.Body)).toEqual(['via path']);
  });
});

describe('operations over query', () => {
  it('GetQueueAttributes returns Attribute name/value pairs; SetQueueAttributes changes them', async () => {
    const url = await createOverQuery('query-attrs');
    const set = await query().send('SetQueueAttributes', {
      QueueUrl: url,
      ...mapParams('Attribute', { DelaySeconds: '7' }),
    });
    expect(set.status, set.text).toBe(200);
    const res = await query().send('GetQueueAttributes', {
      QueueUrl: url,
      ...listParams('AttributeName', ['All']),
    });
    expect(pairs(res.result.Attribute)).toMatchObject({
      DelaySeconds: '7',
      VisibilityTimeout: '30',
      ApproximateNumberOfMessages: '0',
      QueueArn: expect.stringMatching(/^arn:aws:sqs:us-east-1:000000000000:query-attrs-\d+$/),
    });
  });

  it('ListQueues lists QueueUrl elements for a prefix', async () => {
    const prefix = queueName('query-list');
    const urls = [await createOverQuery(`${prefix}-a`), await createOverQuery(`${prefix}-b`)];
    const res = await query().send('ListQueues', { QueueNamePrefix: prefix });
    expect(items<string>(res.result.QueueUrl).sort()).toEqual(urls.sort());
    const one = await query().send('ListQueues', { QueueNamePrefix: `${prefix}-a` });
    expect(items<string>(one.result.QueueUrl)).toEqual([urls[0]]);
    const none = await query().send('ListQueues', { QueueNamePrefix: `${prefix}-none` });
    expect(none.status).toBe(200);
    expect(items(none.result.QueueUrl)).toEqual([]);
  });

  it('SendMessageBatch reports SendMessageBatchResultEntry and BatchResultErrorEntry elements', async () => {
    const url = await createOverQuery('query-batch');
    const res = await query().send('SendMessageBatch', {
      QueueUrl: url,
      'SendMessageBatchRequestEntry.1.Id': 'ok',
      'SendMessageBatchRequestEntry.1.MessageBody': 'fine',
      'SendMessageBatchRequestEntry.2.Id': 'late',
      'SendMessageBatchRequestEntry.2.MessageBody': 'too late',
      'SendMessageBatchRequestEntry.2.DelaySeconds': 901,
    });
    expect(res.status, res.text).toBe(200);
    expect(items(res.result.SendMessageBatchResultEntry)).toEqual([
      expect.objectContaining({ Id: 'ok', MD5OfMessageBody: md5Hex('fine'), MessageId: expect.any(String) }),
    ]);
    expect(items(res.result.BatchResultErrorEntry)).toEqual([
      expect.objectContaining({ Id: 'late', SenderFault: 'true', Code: 'InvalidParameterValue' }),
    ]);
  });

  it('ChangeMessageVisibility and DeleteMessageBatch take receipt handles', async () => {
    const url = await createOverQuery('query-visibility');
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'handled' }));
    const first = items((await query().send('ReceiveMessage', { QueueUrl: url })).result.Message);
    const handle = first[0].ReceiptHandle as string;
    const changed = await query().send('ChangeMessageVisibility', {
      QueueUrl: url,
      ReceiptHandle: handle,
      VisibilityTimeout: 0,
    });
    expect(changed.status, changed.text).toBe(200);
    const second = items((await query().send('ReceiveMessage', { QueueUrl: url })).result.Message);
    expect(second[0].MessageId).toBe(first[0].MessageId);
    const deleted = await query().send('DeleteMessageBatch', {
      QueueUrl: url,
      'DeleteMessageBatchRequestEntry.1.Id': 'the-one',
      'DeleteMessageBatchRequestEntry.1.ReceiptHandle': second[0].ReceiptHandle as string,
    });
    expect(items(deleted.result.DeleteMessageBatchResultEntry)).toEqual([{ Id: 'the-one' }]);
    expect(deleted.result.BatchResultErrorEntry ?? []).toEqual([]);
  });

  it('tags are set with Tag.N.Key/Value and listed as Tag elements', async () => {
    const url = await createOverQuery('query-tags');
    const tagged = await query().send('TagQueue', {
      QueueUrl: url,
      ...mapParams('Tag', { team: 'ops', env: 'ci' }, 'Key'),
    });
    expect(tagged.status, tagged.text).toBe(200);
    const listed = await query().send('ListQueueTags', { QueueUrl: url });
    expect(pairs(listed.result.Tag, 'Key')).toEqual({ team: 'ops', env: 'ci' });
    await query().send('UntagQueue', { QueueUrl: url, ...listParams('TagKey', ['env']) });
    expect((await sqs().send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: 'ops' });
  });
});

describe('errors over query', () => {
  it('over AWS JSON the same error is a __type, with the query code in x-amzn-query-error', async () => {
    const res = await signedPost(h.url, {
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.GetQueueUrl',
        'x-amzn-query-mode': 'true',
      },
      body: JSON.stringify({ QueueName: 'never-created' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    const body = (await res.json()) as { __type: string; message: string };
    expect(body.__type).toMatch(/(^|#)QueueDoesNotExist$/);
    expect(body.message).toContain('The specified queue does not exist');
  });

  it('a missing queue is AWS.SimpleQueueService.NonExistentQueue', async () => {
    const missing = await query().send('GetQueueUrl', { QueueName: 'never-created' });
    expectQueryError(missing, 'AWS.SimpleQueueService.NonExistentQueue', 400);
    expect(missing.error?.Message).toContain('The specified queue does not exist');
    const send = await query().send('SendMessage', {
      QueueUrl: `${h.url}/${DEFAULT_ACCOUNT}/never-created`,
      MessageBody: 'x',
    });
    expectQueryError(send, 'AWS.SimpleQueueService.NonExistentQueue', 400);
  });

  it('CreateQueue with a different attribute value is QueueAlreadyExists', async () => {
    const name = queueName('query-conflict');
    await query().send('CreateQueue', { QueueName: name, ...mapParams('Attribute', { DelaySeconds: '1' }) });
    const res = await query().send('CreateQueue', {
      QueueName: name,
      ...mapParams('Attribute', { DelaySeconds: '2' }),
    });
    expectQueryError(res, 'QueueAlreadyExists', 400);
  });

  it('an invalid receipt handle is ReceiptHandleIsInvalid', async () => {
    const url = await createOverQuery('query-handle');
    const res = await query().send('DeleteMessage', { QueueUrl: url, ReceiptHandle: 'not-a-receipt-handle' });
    expectQueryError(res, 'ReceiptHandleIsInvalid', 404);
  });

  it('batch, purge, attribute and parameter errors carry their query codes', async () => {
    const url = await createOverQuery('query-errors');
    const eleven: Record<string, string> = {};
    for (let i = 1; i <= 11; i++) {
      eleven[`SendMessageBatchRequestEntry.${i}.Id`] = `e${i}`;
      eleven[`SendMessageBatchRequestEntry.${i}.MessageBody`] = 'x';
    }
    expectQueryError(
      await query().send('SendMessageBatch', { QueueUrl: url, ...eleven }),
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      400,
    );
    expectQueryError(
      await query().send('SendMessageBatch', {
        QueueUrl: url,
        'SendMessageBatchRequestEntry.1.Id': 'dup',
        'SendMessageBatchRequestEntry.1.MessageBody': 'a',
        'SendMessageBatchRequestEntry.2.Id': 'dup',
        'SendMessageBatchRequestEntry.2.MessageBody': 'b',
      }),
      'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      400,
    );
    expect((await query().send('PurgeQueue', { QueueUrl: url })).status).toBe(200);
    expectQueryError(
      await query().send('PurgeQueue', { QueueUrl: url }),
      'AWS.SimpleQueueService.PurgeQueueInProgress',
      403,
    );
    expectQueryError(
      await query().send('SetQueueAttributes', {
        QueueUrl: url,
        ...mapParams('Attribute', { VisibilityTimeout: '43201' }),
      }),
      'InvalidAttributeValue',
      400,
    );
    expectQueryError(
      await query().send('SetQueueAttributes', {
        QueueUrl: url,
        ...mapParams('Attribute', { Colour: 'blue' }),
      }),
      'InvalidAttributeName',
      400,
    );
    expectQueryError(
      await query().send('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 11 }),
      'InvalidParameterValue',
      400,
    );
    expectQueryError(
      await query().send('SendMessage', { QueueUrl: url, MessageBody: 'nul\u0000' }),
      'InvalidMessageContents',
      400,
    );
  });

  it('a FIFO send without MessageGroupId is MissingParameter', async () => {
    const res = await query().send('CreateQueue', {
      QueueName: queueName('query-fifo', true),
      ...mapParams('Attribute', { FifoQueue: 'true', ContentBasedDeduplication: 'true' }),
    });
    const url = (res.result as XmlNode).QueueUrl as string;
    expectQueryError(
      await query().send('SendMessage', { QueueUrl: url, MessageBody: 'x' }),
      'MissingParameter',
      400,
    );
  });
});
