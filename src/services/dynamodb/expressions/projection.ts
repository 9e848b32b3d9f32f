/**
 * Projections (ProjectionExpression, AttributesToGet, and the paths an update wrote, for
 * ReturnValues UPDATED_OLD/UPDATED_NEW): the parts of an item a set of paths reaches.
 * A map keeps the keys asked for; a list keeps the elements asked for, in index order,
 * closed up; a path into a missing or scalar attribute contributes nothing.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item, PathTree, Projection } from './ast.js';

function projectMap(
  node: PathTree<unknown>,
  map: Record<string, AttributeValue>,
): Record<string, AttributeValue> {
  const result: Record<string, AttributeValue> = {};
  for (const [element, child] of node.children!) {
    if (typeof element !== 'string' || !Object.hasOwn(map, element)) continue;
    const value = projectValue(child, map[element]!);
    if (value === undefined) continue;
    if (element === '__proto__')
      Object.defineProperty(result, element, { value, enumerable: true, writable: true, configurable: true });
    else result[element] = value;
  }
  return result;
}

function projectList(node: PathTree<unknown>, list: readonly AttributeValue[]): AttributeValue[] {
  const indexes: number[] = [];
  for (const element of node.children!.keys()) {
    if (typeof element === 'number' && element < list.length) indexes.push(element);
  }
  indexes.sort((a, b) => a - b);
  const result: AttributeValue[] = [];
  for (const index of indexes) {
    const value = projectValue(node.children!.get(index)!, list[index]!);
    if (value !== undefined) result.push(value);
  }
  return result;
}

function projectValue(node: PathTree<unknown>, value: AttributeValue): AttributeValue | undefined {
  if (node.children === undefined) return value;
  if (value.M !== undefined) {
    const map = projectMap(node, value.M);
    return Object.keys(map).length === 0 ? undefined : { M: map };
  }
  if (value.L !== undefined) {
    const list = projectList(node, value.L);
    return list.length === 0 ? undefined : { L: list };
  }
  return undefined;
}

/** The parts of the item the projection names (an empty item when it names none that exist). */
export function project(item: Item, projection: Projection): Item {
  return projectMap(projection.tree, item);
}
