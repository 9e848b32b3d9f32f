/**
 * SQS: standard and FIFO queues, visibility, long polling, dead-letter queues and message
 * move tasks, over AWS JSON 1.0 and the query protocol alike (the codecs turn both into the
 * SDK-shaped inputs these handlers take).
 */
import type { StartMessageMoveTaskRequest, StartMessageMoveTaskResult } from '@aws-sdk/client-sqs';
import type { RequestContext, ServiceDefinition } from '../types.js';
import { deleteMessage, deleteMessageBatch } from './deletes.js';
import { sendMessage, sendMessageBatch } from './messages.js';
import { cancelMessageMoveTask, listMessageMoveTasks, startMessageMoveTask } from './move-tasks.js';
import { addPermission, removePermission } from './permissions.js';
import { getQueueAttributes, setQueueAttributes } from './queue-attributes.js';
import { createQueue, deleteQueue, getQueueUrl, listQueues, purgeQueue } from './queues.js';
import { receiveMessage } from './receive.js';
import { listDeadLetterSourceQueues } from './redrive.js';
import { SQS_MIGRATIONS } from './store.js';
import { kickBackground, startBackground } from './sweep.js';
import { listQueueTags, tagQueue, untagQueue } from './tags.js';
import { changeMessageVisibility, changeMessageVisibilityBatch } from './visibility.js';

/** A started task moves on in the background, not only when listed. */
function startMoveTask(input: StartMessageMoveTaskRequest, ctx: RequestContext): StartMessageMoveTaskResult {
  const result = startMessageMoveTask(input, ctx);
  kickBackground(ctx.db);
  return result;
}

export const sqs: ServiceDefinition = {
  id: 'sqs',
  migrations: SQS_MIGRATIONS,
  handlers: {
    AddPermission: addPermission,
    CancelMessageMoveTask: cancelMessageMoveTask,
    ChangeMessageVisibility: changeMessageVisibility,
    ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
    CreateQueue: createQueue,
    DeleteMessage: deleteMessage,
    DeleteMessageBatch: deleteMessageBatch,
    DeleteQueue: deleteQueue,
    GetQueueAttributes: getQueueAttributes,
    GetQueueUrl: getQueueUrl,
    ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
    ListMessageMoveTasks: listMessageMoveTasks,
    ListQueueTags: listQueueTags,
    ListQueues: listQueues,
    PurgeQueue: purgeQueue,
    ReceiveMessage: receiveMessage,
    RemovePermission: removePermission,
    SendMessage: sendMessage,
    SendMessageBatch: sendMessageBatch,
    SetQueueAttributes: setQueueAttributes,
    StartMessageMoveTask: startMoveTask,
    TagQueue: tagQueue,
    UntagQueue: untagQueue,
  },
  start: startBackground,
};
