import type { Handler } from '../types.js';
import type { ResourceKinds } from './tags.js';

export const catalogHandlers: Record<string, Handler> = {};
export const CATALOG_KINDS: ResourceKinds = {};
