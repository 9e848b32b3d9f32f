/**
 * What SNS would have sent where nothing leaves the machine (email, email-json, SMS,
 * Lambda, mobile and Firehose endpoints): recorded, and readable at
 * GET /_localaws/sns/messages filtered by topicArn, endpoint, phoneNumber, protocol,
 * accountId or region.
 */
import type { Db } from '../../storage/database.js';
import { perDb } from '../../storage/database.js';

export interface SentMessage {
  accountId: string;
  region: string;
  protocol: string;
  endpoint: string;
  topicArn: string | null;
  subscriptionArn: string | null;
  type: string;
  messageId: string;
  subject: string | null;
  message: string;
  /** JSON of {name: {Type, Value}} */
  messageAttributes: string | null;
  /** what the endpoint would have received */
  body: string;
  subscribeUrl: string | null;
  token: string | null;
  sentAt: number;
}

const MAX_LISTED = 10_000;

const statements = perDb((db) => ({
  insert: db.prepare<SentMessage>(
    `INSERT INTO sns_sent (account_id, region, protocol, endpoint, topic_arn, subscription_arn, type, message_id,
       subject, message, message_attributes, body, subscribe_url, token, sent_at)
     VALUES (@accountId, @region, @protocol, @endpoint, @topicArn, @subscriptionArn, @type, @messageId, @subject,
       @message, @messageAttributes, @body, @subscribeUrl, @token, @sentAt)`,
  ),
  list: db.prepare<Record<string, string | null>, SentMessage>(
    `SELECT account_id AS accountId, region, protocol, endpoint, topic_arn AS topicArn,
       subscription_arn AS subscriptionArn, type, message_id AS messageId, subject, message,
       message_attributes AS messageAttributes, body, subscribe_url AS subscribeUrl, token, sent_at AS sentAt
     FROM sns_sent
     WHERE (@topicArn IS NULL OR topic_arn = @topicArn) AND (@endpoint IS NULL OR endpoint = @endpoint)
       AND (@protocol IS NULL OR protocol = @protocol) AND (@accountId IS NULL OR account_id = @accountId)
       AND (@region IS NULL OR region = @region)
     ORDER BY id LIMIT ${MAX_LISTED}`,
  ),
}));

export function recordSent(db: Db, message: SentMessage): void {
  statements(db).insert.run(message);
}

/** The admin listing: `?topicArn=&endpoint=&phoneNumber=&protocol=&accountId=&region=`. */
export function listSent(db: Db, query: URLSearchParams) {
  const phoneNumber = query.get('phoneNumber');
  const rows = statements(db).list.all({
    topicArn: query.get('topicArn'),
    endpoint: phoneNumber ?? query.get('endpoint'),
    protocol: phoneNumber === null ? query.get('protocol') : 'sms',
    accountId: query.get('accountId'),
    region: query.get('region'),
  });
  return {
    messages: rows.map(({ messageAttributes, sentAt, subscribeUrl, token, ...row }) => ({
      ...row,
      ...(row.protocol === 'sms' ? { phoneNumber: row.endpoint } : {}),
      messageAttributes: messageAttributes === null ? {} : JSON.parse(messageAttributes),
      ...(subscribeUrl === null ? {} : { subscribeUrl, token }),
      timestamp: new Date(sentAt).toISOString(),
    })),
  };
}
