/**
 * Message move tasks: StartMessageMoveTask moves a dead-letter queue's messages back to the
 * queues they came from (or to DestinationArn), at most MaxNumberOfMessagesPerSecond on the
 * server clock (unlimited: as fast as the background runs). Progress is derived from the
 * clock: `advanceMoveTasks` moves what the rate allows by now; the background calls it, and
 * so does ListMessageMoveTasks so a listing is current. Moved messages keep their id, body
 * and attributes and start afresh in the destination (no receives yet).
 */
import { randomUUID } from 'node:crypto';
import type {
  CancelMessageMoveTaskRequest,
  CancelMessageMoveTaskResult,
  ListMessageMoveTasksRequest,
  ListMessageMoveTasksResult,
  ListMessageMoveTasksResultEntry,
  StartMessageMoveTaskRequest,
  StartMessageMoveTaskResult,
} from '@aws-sdk/client-sqs';
import { type Db, perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { parseQueueArn } from './addressing.js';
import { invalidParameterValue, invalidValue, missingParameter, resourceNotFound } from './errors.js';
import { addToGroup } from './fifo.js';
import { longPolls } from './long-poll.js';
import { type MessageRow, removeMessage } from './message-store.js';
import { type Queue, queueByArn, queueById } from './queue-lookup.js';

/** Messages one task moves per run of the background, at most. */
const CHUNK = 1000;
const MAX_RATE = 500;

interface Task {
  handle: string;
  sourceQueueId: number;
  sourceArn: string;
  destinationArn: string | null;
  rate: number | null;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
  startedAt: number;
  moved: number;
  toMove: number;
  failureReason: string | null;
}

const TASK_COLUMNS = `handle, source_queue_id AS sourceQueueId, source_arn AS sourceArn,
  destination_arn AS destinationArn, rate, status, started_at AS startedAt, moved, to_move AS toMove,
  failure_reason AS failureReason`;

const statements = perDb((db) => ({
  insert: db.prepare<Task>(
    `INSERT INTO sqs_move_tasks (handle, source_queue_id, source_arn, destination_arn, rate, status, started_at,
       moved, to_move, failure_reason)
     VALUES (@handle, @sourceQueueId, @sourceArn, @destinationArn, @rate, @status, @startedAt, @moved, @toMove,
       @failureReason)`,
  ),
  update: db.prepare<Pick<Task, 'handle' | 'status' | 'moved' | 'failureReason'>>(
    'UPDATE sqs_move_tasks SET status = @status, moved = @moved, failure_reason = @failureReason WHERE handle = @handle',
  ),
  byHandle: db.prepare<[string], Task>(`SELECT ${TASK_COLUMNS} FROM sqs_move_tasks WHERE handle = ?`),
  ofSource: db.prepare<[number, number], Task>(
    `SELECT ${TASK_COLUMNS} FROM sqs_move_tasks WHERE source_queue_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?+0`,
  ),
  running: db.prepare<[], Task>(`SELECT ${TASK_COLUMNS} FROM sqs_move_tasks WHERE status = 'RUNNING'`),
  runningOfSource: db.prepare<[number], Task>(
    `SELECT ${TASK_COLUMNS} FROM sqs_move_tasks WHERE source_queue_id = ? AND status = 'RUNNING'`,
  ),
  isDeadLetterQueue: db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM sqs_queues WHERE dlq_arn = ? LIMIT 1',
  ),
  visibleCount: db.prepare<[number, number], { n: number }>(
    'SELECT count(*) AS n FROM sqs_messages WHERE queue_id = ? AND visible_at <= ?',
  ),
  nextVisible: db.prepare<[number, number, number], MessageRow>(
    `SELECT seq, group_id AS groupId, dlq_source_arn AS dlqSourceArn FROM sqs_messages
     WHERE queue_id = ? AND visible_at <= ? ORDER BY visible_at LIMIT ?+0`,
  ),
  copy: db.prepare<{ seq: number; dest: number; now: number; fifo: number }>(
    `INSERT INTO sqs_messages (queue_id, message_id, body, md5_body, attributes, md5_attributes, trace_header,
       sender_id, sent_at, visible_at, group_id, dedup_id)
     SELECT @dest, message_id, body, md5_body, attributes, md5_attributes, trace_header, sender_id,
       CASE WHEN @fifo THEN @now ELSE sent_at END, @now, group_id, dedup_id
     FROM sqs_messages WHERE seq = @seq`,
  ),
}));

/** Task handles carry the source, as AWS's do: base64 of {"taskId", "sourceArn"}. */
function encodeTaskHandle(sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn })).toString('base64');
}

function sourceQueue(db: Db, arn: string | undefined, parameter: 'SourceArn' | 'DestinationArn'): Queue {
  if (!arn) throw missingParameter(parameter);
  if (!parseQueueArn(arn)) {
    throw invalidParameterValue(
      `You must use this format to specify the ${parameter}: arn:<partition>:<service>:<region>:<account-id>:<resource-id>`,
    );
  }
  const queue = queueByArn(db, arn);
  if (!queue)
    throw resourceNotFound(`The resource that you specified for the ${parameter} parameter doesn't exist.`);
  return queue;
}

export function startMessageMoveTask(
  input: StartMessageMoveTaskRequest,
  ctx: RequestContext,
): StartMessageMoveTaskResult {
  const s = statements(ctx.db);
  const source = sourceQueue(ctx.db, input.SourceArn, 'SourceArn');
  const sourceArn = input.SourceArn as string;
  if (!s.isDeadLetterQueue.get(sourceArn)) {
    throw invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
  }
  if (input.DestinationArn !== undefined) sourceQueue(ctx.db, input.DestinationArn, 'DestinationArn');
  const rate = input.MaxNumberOfMessagesPerSecond;
  if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE)) {
    throw invalidValue(
      'MaxNumberOfMessagesPerSecond',
      rate,
      `Must be between 1 and ${MAX_RATE}, if provided.`,
    );
  }
  if (s.runningOfSource.all(source.id).length > 0) {
    throw invalidParameterValue(
      'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    );
  }
  const now = ctx.now();
  const task: Task = {
    handle: encodeTaskHandle(sourceArn),
    sourceQueueId: source.id,
    sourceArn,
    destinationArn: input.DestinationArn ?? null,
    rate: rate ?? null,
    status: 'RUNNING',
    startedAt: now,
    moved: 0,
    toMove: (s.visibleCount.get(source.id, now) as { n: number }).n,
    failureReason: null,
  };
  s.insert.run(task);
  advanceTask(ctx.db, task, now, ctx.now);
  return { TaskHandle: task.handle };
}

function toEntry(task: Task): ListMessageMoveTasksResultEntry {
  return {
    TaskHandle: task.status === 'RUNNING' ? task.handle : undefined,
    Status: task.status,
    SourceArn: task.sourceArn,
    DestinationArn: task.destinationArn ?? undefined,
    MaxNumberOfMessagesPerSecond: task.rate ?? undefined,
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    FailureReason: task.failureReason ?? undefined,
    StartedTimestamp: task.startedAt,
  };
}

export function listMessageMoveTasks(
  input: ListMessageMoveTasksRequest,
  ctx: RequestContext,
): ListMessageMoveTasksResult {
  const source = sourceQueue(ctx.db, input.SourceArn, 'SourceArn');
  const max = input.MaxResults ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > 10) {
    throw invalidValue('MaxResults', max, 'Must be between 1 and 10, if provided.');
  }
  const s = statements(ctx.db);
  for (const task of s.runningOfSource.all(source.id)) advanceTask(ctx.db, task, ctx.now(), ctx.now);
  return { Results: s.ofSource.all(source.id, max).map(toEntry) };
}

function decodeTaskHandle(handle: string): string | undefined {
  try {
    const doc = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as { sourceArn?: unknown };
    return typeof doc.sourceArn === 'string' ? doc.sourceArn : undefined;
  } catch {
    return undefined;
  }
}

export function cancelMessageMoveTask(
  input: CancelMessageMoveTaskRequest,
  ctx: RequestContext,
): CancelMessageMoveTaskResult {
  if (!input.TaskHandle) throw missingParameter('TaskHandle');
  const sourceArn = decodeTaskHandle(input.TaskHandle);
  if (!sourceArn) throw invalidParameterValue('Value for parameter TaskHandle is invalid.');
  sourceQueue(ctx.db, sourceArn, 'SourceArn');
  const s = statements(ctx.db);
  const task = s.byHandle.get(input.TaskHandle);
  if (!task) throw resourceNotFound('Task does not exist.');
  // what the task moved up to now counts; then it stops
  if (advanceTask(ctx.db, task, ctx.now(), ctx.now) !== 'RUNNING') {
    throw invalidParameterValue('Only active tasks can be cancelled.');
  }
  s.update.run({ handle: task.handle, status: 'CANCELLED', moved: task.moved, failureReason: null });
  return { ApproximateNumberOfMessagesMoved: task.moved };
}

/** Moves one message to another queue as a new arrival there. */
function relocate(db: Db, source: Queue, row: MessageRow, destination: Queue, now: number): void {
  const s = statements(db);
  const seq = Number(
    s.copy.run({ seq: row.seq, dest: destination.id, now, fifo: destination.fifo }).lastInsertRowid,
  );
  if (destination.fifo && row.groupId !== null) addToGroup(db, destination.id, row.groupId, seq, now);
  removeMessage(db, source, row);
}

const NO_QUEUE = 'AWS.SimpleQueueService.NonExistentQueue';

/** Moves up to `budget` visible messages of the task's source; returns how many it saw, or
 * why it had to stop. Receivers waiting on a destination are woken. */
function moveMessages(db: Db, task: Task, source: Queue, budget: number, now: number, clock: () => number) {
  const fixed = task.destinationArn === null ? undefined : queueByArn(db, task.destinationArn);
  if (task.destinationArn !== null && !fixed) return { seen: 0, failure: NO_QUEUE };
  const woken = new Map<number, number>();
  const rows = statements(db).nextVisible.all(source.id, now, budget);
  let failure: string | undefined;
  for (const row of rows) {
    const destination = fixed ?? (row.dlqSourceArn === null ? undefined : queueByArn(db, row.dlqSourceArn));
    if (!destination) {
      failure = NO_QUEUE;
      break;
    }
    relocate(db, source, row, destination, now);
    task.moved++;
    woken.set(destination.id, (woken.get(destination.id) ?? 0) + 1);
  }
  for (const [queueId, count] of woken) longPolls(db, clock).notify(queueId, count);
  return { seen: rows.length, failure };
}

/** What a running task does by `now` at its rate: its new status and failure reason, or
 * undefined when it has nothing to do yet. */
function progress(
  db: Db,
  task: Task,
  now: number,
  clock: () => number,
): [Task['status'], string | null] | undefined {
  const source = queueById(db, task.sourceQueueId);
  if (!source) return ['FAILED', NO_QUEUE];
  const allowed =
    task.rate === null ? CHUNK : Math.floor((task.rate * (now - task.startedAt)) / 1000) - task.moved;
  const budget = Math.min(allowed, CHUNK, task.toMove - task.moved);
  if (budget <= 0) return task.moved >= task.toMove ? ['COMPLETED', null] : undefined;
  const { seen, failure } = moveMessages(db, task, source, budget, now, clock);
  if (failure) return ['FAILED', failure];
  return [task.moved >= task.toMove || seen < budget ? 'COMPLETED' : 'RUNNING', null];
}

/** Advances a task; returns its status after. */
function advanceTask(db: Db, task: Task, now: number, clock: () => number): Task['status'] {
  if (task.status !== 'RUNNING') return task.status;
  const outcome = progress(db, task, now, clock);
  if (!outcome) return task.status;
  const [status, failureReason] = outcome;
  statements(db).update.run({ handle: task.handle, status, moved: task.moved, failureReason });
  return status;
}

/** Advances every running task; returns whether any still runs. */
export function advanceMoveTasks(db: Db, now: number, clock: () => number): boolean {
  let running = false;
  for (const task of statements(db).running.all()) {
    if (advanceTask(db, task, now, clock) === 'RUNNING') running = true;
  }
  return running;
}
