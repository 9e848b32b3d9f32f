/**
 * EC2's tables: every row keyed by account and region first. Time-driven state (instance
 * transitions) is stored as the times things happen and derived when read against the clock.
 */
import { CATALOG_SCHEMA } from './catalog-store.js';
import { COMPUTE_SCHEMA } from './compute-store.js';
import { NETWORK_SCHEMA } from './network-store.js';
import { TAGS_SCHEMA } from './tags.js';

export const EC2_MIGRATIONS = [
  [TAGS_SCHEMA, ...NETWORK_SCHEMA, ...COMPUTE_SCHEMA, ...CATALOG_SCHEMA].join(';\n'),
];
