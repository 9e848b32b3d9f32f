/**
 * SQS's tables. Queues are keyed by account, region and name; everything else hangs off a
 * queue's id, which is never reused (AUTOINCREMENT), so nothing of a deleted queue can
 * reach a new one of the same name. Time-driven state is stored as timestamps (ms on the
 * server clock) and derived when read: a message is visible when visible_at <= now, in
 * flight when received and not yet visible, delayed when never received and not yet
 * visible, expired when sent_at + retention <= now.
 */

export const SQS_MIGRATIONS = [
  `CREATE TABLE sqs_queues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    fifo INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    visibility_timeout INTEGER NOT NULL,
    delay_seconds INTEGER NOT NULL,
    max_message_size INTEGER NOT NULL,
    retention INTEGER NOT NULL,
    wait_time INTEGER NOT NULL,
    content_dedup INTEGER NOT NULL,
    dedup_by_group INTEGER NOT NULL,
    dlq_arn TEXT,
    max_receive_count INTEGER,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL,
    purged_at INTEGER,
    UNIQUE (account_id, region, name)
  )`,
  'CREATE INDEX sqs_queues_dlq ON sqs_queues (dlq_arn) WHERE dlq_arn IS NOT NULL',
  // seq orders messages and never repeats, so a receipt handle names one message forever
  `CREATE TABLE sqs_messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    queue_id INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    md5_body TEXT NOT NULL,
    attributes TEXT,
    md5_attributes TEXT,
    trace_header TEXT,
    sender_id TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    received_at INTEGER,
    first_received_at INTEGER,
    receive_count INTEGER NOT NULL DEFAULT 0,
    group_id TEXT,
    dedup_id TEXT,
    dlq_source_arn TEXT
  )`,
  // a receive range-scans the visible prefix; received_at rides along (it changes with
  // visible_at) so the in-flight and delayed counts need no row lookups
  'CREATE INDEX sqs_messages_ready ON sqs_messages (queue_id, visible_at, received_at)',
  'CREATE INDEX sqs_messages_age ON sqs_messages (queue_id, sent_at)',
  'CREATE INDEX sqs_messages_group ON sqs_messages (queue_id, group_id) WHERE group_id IS NOT NULL',
  // FIFO: one row per message group with messages, ready when its oldest message is visible
  `CREATE TABLE sqs_groups (
    queue_id INTEGER NOT NULL,
    group_id TEXT NOT NULL,
    head_seq INTEGER NOT NULL,
    ready_at INTEGER NOT NULL,
    PRIMARY KEY (queue_id, group_id)
  ) WITHOUT ROWID`,
  'CREATE INDEX sqs_groups_ready ON sqs_groups (queue_id, ready_at)',
  `CREATE TABLE sqs_dedup (
    queue_id INTEGER NOT NULL,
    scope TEXT NOT NULL,
    dedup_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (queue_id, scope, dedup_id)
  ) WITHOUT ROWID`,
  'CREATE INDEX sqs_dedup_expiry ON sqs_dedup (expires_at)',
  `CREATE TABLE sqs_receive_attempts (
    queue_id INTEGER NOT NULL,
    attempt_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    receipts TEXT NOT NULL,
    PRIMARY KEY (queue_id, attempt_id)
  ) WITHOUT ROWID`,
  'CREATE INDEX sqs_receive_attempts_expiry ON sqs_receive_attempts (expires_at)',
  `CREATE TABLE sqs_move_tasks (
    handle TEXT PRIMARY KEY,
    source_queue_id INTEGER NOT NULL,
    source_arn TEXT NOT NULL,
    destination_arn TEXT,
    rate INTEGER,
    status TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    moved INTEGER NOT NULL,
    to_move INTEGER NOT NULL,
    failure_reason TEXT
  )`,
  'CREATE INDEX sqs_move_tasks_source ON sqs_move_tasks (source_queue_id, started_at)',
];
