/**
 * SNS: topics (standard and FIFO), subscriptions of every protocol, Publish and
 * PublishBatch with fan-out to SQS in the publishing transaction, HTTP/S delivery with
 * retries in the background, and what other endpoints would have received recorded for
 * tests. Admin endpoints: GET /_localaws/sns/messages (the recorded messages) and
 * GET /_localaws/sns/SimpleNotificationService.pem (the certificate messages are signed with).
 */
import { AdminDocument, type ServiceDefinition } from '../types.js';
import { startHttpWorker } from './http-worker.js';
import { publish, publishBatch } from './publish.js';
import { listSent } from './sent.js';
import { CERTIFICATE_PATH, prepareSigningKey, signingKey } from './signing.js';
import { SNS_MIGRATIONS } from './store.js';
import {
  confirmSubscription,
  getSubscriptionAttributes,
  listSubscriptions,
  listSubscriptionsByTopic,
  setSubscriptionAttributes,
  subscribe,
  unsubscribe,
} from './subscriptions.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import { createTopic, deleteTopic, getTopicAttributes, listTopics, setTopicAttributes } from './topics.js';

export const sns: ServiceDefinition = {
  id: 'sns',
  migrations: SNS_MIGRATIONS,
  // the links SNS hands to subscribers (SubscribeURL, UnsubscribeURL) carry no signature
  anonymousOperations: new Set(['ConfirmSubscription', 'Unsubscribe']),
  handlers: {
    ConfirmSubscription: confirmSubscription,
    CreateTopic: createTopic,
    DeleteTopic: deleteTopic,
    GetSubscriptionAttributes: getSubscriptionAttributes,
    GetTopicAttributes: getTopicAttributes,
    ListSubscriptions: listSubscriptions,
    ListSubscriptionsByTopic: listSubscriptionsByTopic,
    ListTagsForResource: listTagsForResource,
    ListTopics: listTopics,
    Publish: publish,
    PublishBatch: publishBatch,
    SetSubscriptionAttributes: setSubscriptionAttributes,
    SetTopicAttributes: setTopicAttributes,
    Subscribe: subscribe,
    TagResource: tagResource,
    Unsubscribe: unsubscribe,
    UntagResource: untagResource,
  },
  start(env) {
    prepareSigningKey(env.db);
    return startHttpWorker(env);
  },
  admin: {
    'GET messages': (query, env) => listSent(env.db, query),
    [`GET ${CERTIFICATE_PATH.slice(CERTIFICATE_PATH.lastIndexOf('/') + 1)}`]: (_query, env) =>
      new AdminDocument('application/x-pem-file', signingKey(env.db).certificate),
  },
};
