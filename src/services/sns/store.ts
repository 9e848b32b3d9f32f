/**
 * SNS's tables. Topics are keyed by account, region and name (their ARN says the same);
 * subscriptions, deduplication ids and pending HTTP deliveries hang off a topic's or a
 * subscription's row. What email, SMS and other sinks would have sent is recorded, so
 * tests can read it. The signing key and its certificate are made once per database, so
 * signatures of messages delivered before a restart still verify after it.
 */
export const SNS_MIGRATIONS = [
  `CREATE TABLE sns_topics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    arn TEXT NOT NULL UNIQUE,
    fifo INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL,
    deleted_subscriptions INTEGER NOT NULL DEFAULT 0,
    sequence INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, region, name)
  )`,
  `CREATE TABLE sns_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    arn TEXT NOT NULL UNIQUE,
    topic_id INTEGER NOT NULL,
    topic_arn TEXT NOT NULL,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    owner TEXT NOT NULL,
    principal TEXT NOT NULL,
    protocol TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    pending INTEGER NOT NULL,
    authenticated INTEGER NOT NULL,
    token TEXT,
    attributes TEXT NOT NULL,
    created_at INTEGER NOT NULL
  )`,
  'CREATE INDEX sns_subscriptions_topic ON sns_subscriptions (topic_id, id)',
  'CREATE INDEX sns_subscriptions_account ON sns_subscriptions (account_id, region, id)',
  'CREATE INDEX sns_subscriptions_token ON sns_subscriptions (token) WHERE token IS NOT NULL',
  `CREATE TABLE sns_dedup (
    topic_id INTEGER NOT NULL,
    dedup_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    sequence_number TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (topic_id, dedup_id)
  ) WITHOUT ROWID`,
  'CREATE INDEX sns_dedup_expiry ON sns_dedup (expires_at)',
  `CREATE TABLE sns_sent (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    protocol TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    topic_arn TEXT,
    subscription_arn TEXT,
    type TEXT NOT NULL,
    message_id TEXT NOT NULL,
    subject TEXT,
    message TEXT NOT NULL,
    message_attributes TEXT,
    body TEXT NOT NULL,
    subscribe_url TEXT,
    token TEXT,
    sent_at INTEGER NOT NULL
  )`,
  'CREATE INDEX sns_sent_endpoint ON sns_sent (endpoint, id)',
  'CREATE INDEX sns_sent_topic ON sns_sent (topic_arn, id)',
  `CREATE TABLE sns_http_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_arn TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    headers TEXT NOT NULL,
    body TEXT NOT NULL,
    raw_attributes TEXT,
    retry_policy TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  )`,
  'CREATE INDEX sns_http_deliveries_due ON sns_http_deliveries (next_at)',
  `CREATE TABLE sns_signing (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    private_key TEXT NOT NULL,
    certificate TEXT NOT NULL
  )`,
];
