/**
 * What localaws records instead of sending email and SMS (nothing leaves the machine), read
 * through its admin API. The contract these suites rely on:
 *
 *   GET /_localaws/sns/messages[?topicArn=...][&endpoint=...][&phoneNumber=...]
 *   -> 200 { "messages": [SinkMessage, ...] } in the order they were sent, filters ANDed;
 *      `phoneNumber` matches the endpoint of an SMS.
 *
 * An email/email-json subscription's confirmation request is recorded too (type
 * SubscriptionConfirmation, with its SubscribeURL and token), as AWS emails it.
 */

export interface SinkMessage {
  messageId: string;
  /** `Notification` or `SubscriptionConfirmation` */
  type: string;
  /** email, email-json or sms */
  protocol: string;
  /** the address or phone number it would have gone to */
  endpoint: string;
  /** absent (or null) for a Publish straight to a phone number */
  topicArn?: string | null;
  subscriptionArn?: string | null;
  subject?: string | null;
  /** the message SNS chose for this protocol (the `email` entry of a json structure...) */
  message: string;
  /** what the endpoint would have received: the email text, the SMS, the JSON document (email-json) */
  body: string;
  /** on a confirmation request */
  subscribeUrl?: string;
  token?: string;
  timestamp: string;
}

/** `server` is the localaws base URL, e.g. http://127.0.0.1:4566. */
export async function sinkMessages(
  server: string,
  filter: { topicArn?: string; endpoint?: string; phoneNumber?: string } = {},
): Promise<SinkMessage[]> {
  const query = new URLSearchParams(filter as Record<string, string>).toString();
  const res = await fetch(`${server}/_localaws/sns/messages${query ? `?${query}` : ''}`);
  if (res.status !== 200) throw new Error(`GET /_localaws/sns/messages answered ${res.status}`);
  const json = (await res.json()) as { messages?: SinkMessage[] };
  if (!Array.isArray(json.messages)) throw new Error('GET /_localaws/sns/messages has no messages array');
  return json.messages;
}

/** The SubscribeURL of the confirmation request recorded for an email endpoint. */
export async function emailSubscribeUrl(server: string, topicArn: string, endpoint: string): Promise<string> {
  const confirmations = (await sinkMessages(server, { topicArn, endpoint })).filter(
    (m) => m.type === 'SubscriptionConfirmation',
  );
  const url = confirmations.at(-1)?.subscribeUrl;
  if (!url) throw new Error(`no confirmation with a SubscribeURL recorded for ${endpoint}`);
  return url;
}
