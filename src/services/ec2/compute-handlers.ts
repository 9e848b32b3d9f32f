import type { Handler } from '../types.js';
import type { ResourceKinds } from './tags.js';

export const computeHandlers: Record<string, Handler> = {};
export const COMPUTE_KINDS: ResourceKinds = {};
