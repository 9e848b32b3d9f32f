/**
 * DynamoDB's expression language: conditions, filters, updates, projections and key
 * conditions parsed, validated and evaluated with DynamoDB's messages, the legacy
 * parameters translated into the same structures, and DynamoDB's numbers and ordering.
 */
export type {
  Condition,
  DocumentPath,
  Item,
  KeyCondition,
  KeyConditionOperator,
  PathElement,
  Projection,
  UpdateExpression,
} from './ast.js';
export { compareValues, valuesEqual } from './compare.js';
export { evaluate } from './evaluate.js';
export { type KeySchema, matchesRange } from './key-condition.js';
export {
  conditionFromExpected,
  conditionFromFilter,
  type FilterParameter,
  keyConditionFromLegacy,
  projectionFromAttributesToGet,
  updateFromAttributeUpdates,
} from './legacy.js';
export { addNumbers, compareNumbers, normalizeNumber, numberByteSize, subtractNumbers } from './numbers.js';
export { project } from './projection.js';
export { ExpressionScope } from './scope.js';
export { applyUpdate, type UpdateResult } from './update.js';
