import type { Handler } from '../types.js';
import type { ResourceKinds } from './tags.js';

export const networkHandlers: Record<string, Handler> = {};
export const NETWORK_KINDS: ResourceKinds = {};
