/** Every scenario `--scenario` can name, in the order a plain run takes them. */
import type { Scenario } from '../scenario.js';
import { sts } from './sts.js';

export const SCENARIOS: Record<string, Scenario> = { sts };
