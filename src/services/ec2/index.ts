/**
 * EC2: a simulated compute service. No machine starts: localaws keeps the records AWS keeps
 * (instances and their timed state machine, networking, images, keys, volumes, launch
 * templates, tags) and answers as AWS does.
 */
import type { ServiceDefinition } from '../types.js';
import { CATALOG_KINDS, CATALOG_READ_ONLY, catalogHandlers } from './catalog-handlers.js';
import { COMPUTE_KINDS, COMPUTE_READ_ONLY, computeHandlers } from './compute-handlers.js';
import { NETWORK_KINDS, networkHandlers } from './network-handlers.js';
import { EC2_MIGRATIONS } from './store.js';
import { tagHandlers } from './tags.js';

export const ec2: ServiceDefinition = {
  id: 'ec2',
  migrations: EC2_MIGRATIONS,
  handlers: {
    ...networkHandlers,
    ...computeHandlers,
    ...catalogHandlers,
    ...tagHandlers({ ...NETWORK_KINDS, ...COMPUTE_KINDS, ...CATALOG_KINDS }),
  },
  readOnly: new Set([...COMPUTE_READ_ONLY, ...CATALOG_READ_ONLY, 'DescribeTags']),
};
