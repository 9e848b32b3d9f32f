/**
 * An update applied to an item as DynamoDB applies it: every value is computed from the
 * item as it was before the update; the item is rebuilt along the update's path tree, so
 * list positions refer to the list as it was (REMOVE a[1], a[2] removes two original
 * elements) and elements set past the end are appended in index order. The input item is
 * never modified; unchanged parts of it are shared with the result.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type {
  Item,
  Operand,
  PathTree,
  Projection,
  UpdateAction,
  UpdateExpression,
  ValueNode,
} from './ast.js';
import { setMemberKey, typeOf } from './compare.js';
import { addNumbers, subtractNumbers } from './numbers.js';
import { valueAt } from './paths.js';
import { validationError } from './validation-error.js';

const MISSING = 'The provided expression refers to an attribute that does not exist in the item';
const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';
const BAD_PATH = 'The document path provided in the update expression is invalid for update';
const LEGACY_WRONG_TYPE = 'Type mismatch for attribute to update';

export interface UpdateResult {
  readonly item: Item;
  /** The paths the update wrote, as a projection: applied to the old item it gives
   * ReturnValues UPDATED_OLD, applied to the new one UPDATED_NEW. */
  readonly changedPaths: Projection;
}

type AttributeMap = Record<string, AttributeValue>;

function setOwn(target: AttributeMap, key: string, value: AttributeValue): void {
  // A plain assignment to "__proto__" would replace the prototype instead.
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function own(map: AttributeMap, key: string): AttributeValue | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

type SetType = 'SS' | 'NS' | 'BS';

function setType(value: AttributeValue): SetType | undefined {
  const type = typeOf(value);
  return type === 'SS' || type === 'NS' || type === 'BS' ? type : undefined;
}

function members(value: AttributeValue, type: SetType): Array<string | Uint8Array> {
  return (value[type] as Array<string | Uint8Array>) ?? [];
}

function makeSet(type: SetType, list: Array<string | Uint8Array>): AttributeValue {
  if (type === 'BS') return { BS: list as Uint8Array[] };
  return type === 'SS' ? { SS: list as string[] } : { NS: list as string[] };
}

function union(type: SetType, current: AttributeValue, added: AttributeValue): AttributeValue {
  const result = members(current, type).slice();
  const keys = new Set(result.map((member) => setMemberKey(type, member)));
  for (const member of members(added, type)) {
    const key = setMemberKey(type, member);
    if (!keys.has(key)) {
      keys.add(key);
      result.push(member);
    }
  }
  return makeSet(type, result);
}

function difference(
  type: SetType,
  current: AttributeValue,
  removed: AttributeValue,
): AttributeValue | undefined {
  const drop = new Set(members(removed, type).map((member) => setMemberKey(type, member)));
  const kept = members(current, type).filter((member) => !drop.has(setMemberKey(type, member)));
  return kept.length === 0 ? undefined : makeSet(type, kept);
}

class Applier {
  constructor(
    private readonly old: Item,
    private readonly legacy: boolean,
  ) {}

  map(node: PathTree<UpdateAction>, current: AttributeMap): AttributeMap {
    const result: AttributeMap = { ...current };
    for (const [element, child] of node.children!) {
      if (typeof element === 'number') throw validationError(BAD_PATH);
      const next = this.child(child, own(current, element));
      if (next === undefined) delete result[element];
      else setOwn(result, element, next);
    }
    return result;
  }

  private list(node: PathTree<UpdateAction>, current: readonly AttributeValue[]): AttributeValue[] {
    const changed = new Map<number, AttributeValue | undefined>();
    for (const [element, child] of node.children!) {
      if (typeof element === 'string') throw validationError(BAD_PATH);
      changed.set(element, this.child(child, current[element]));
    }
    const result: AttributeValue[] = [];
    for (let i = 0; i < current.length; i++) {
      const value = changed.has(i) ? changed.get(i) : current[i];
      if (value !== undefined) result.push(value);
    }
    const appended = [...changed.keys()].filter((i) => i >= current.length).sort((a, b) => a - b);
    for (const i of appended) {
      const value = changed.get(i);
      if (value !== undefined) result.push(value);
    }
    return result;
  }

  private child(
    node: PathTree<UpdateAction>,
    existing: AttributeValue | undefined,
  ): AttributeValue | undefined {
    if (node.children === undefined) return this.action(node.leaf!, existing);
    if (existing?.M !== undefined) return { M: this.map(node, existing.M) };
    if (existing?.L !== undefined) return { L: this.list(node, existing.L) };
    throw validationError(BAD_PATH);
  }

  private action(action: UpdateAction, existing: AttributeValue | undefined): AttributeValue | undefined {
    switch (action.kind) {
      case 'SET': {
        const value = this.value(action.value!);
        if (value === undefined) throw validationError(MISSING);
        return value;
      }
      case 'REMOVE':
        return undefined;
      case 'ADD':
        return this.add(existing, (action.value as ValueNode).value!);
      case 'DELETE':
        return this.delete(existing, (action.value as ValueNode).value!);
    }
  }

  private wrongType(): Error {
    return validationError(this.legacy ? LEGACY_WRONG_TYPE : WRONG_TYPE);
  }

  private add(existing: AttributeValue | undefined, added: AttributeValue): AttributeValue {
    if (existing === undefined) return added;
    if (added.N !== undefined) {
      if (existing.N === undefined) throw this.wrongType();
      return { N: addNumbers(existing.N, added.N) };
    }
    if (added.L !== undefined) {
      if (existing.L === undefined) throw this.wrongType();
      return { L: [...existing.L, ...added.L] };
    }
    const type = setType(added);
    if (type === undefined || setType(existing) !== type) throw this.wrongType();
    return union(type, existing, added);
  }

  private delete(existing: AttributeValue | undefined, removed: AttributeValue): AttributeValue | undefined {
    if (existing === undefined) return undefined;
    const type = setType(removed);
    if (type === undefined || setType(existing) !== type) throw this.wrongType();
    return difference(type, existing, removed);
  }

  /** A SET value, read from the item as it was; undefined where an attribute is missing. */
  private value(operand: Operand): AttributeValue | undefined {
    switch (operand.kind) {
      case 'path':
        return valueAt(this.old, operand.resolved);
      case 'value':
        return operand.value;
      case 'arithmetic': {
        const left = this.value(operand.left);
        const right = this.value(operand.right);
        const a = this.operandOfType(left, 'N');
        const b = this.operandOfType(right, 'N');
        return { N: operand.op === '+' ? addNumbers(a.N!, b.N!) : subtractNumbers(a.N!, b.N!) };
      }
      case 'call': {
        const first = this.value(operand.args[0]!);
        const second = this.value(operand.args[1]!);
        if (operand.name === 'if_not_exists') {
          if (second === undefined) throw validationError(MISSING);
          return first ?? second;
        }
        const a = this.operandOfType(first, 'L');
        const b = this.operandOfType(second, 'L');
        return { L: [...a.L!, ...b.L!] };
      }
    }
  }

  private operandOfType(value: AttributeValue | undefined, type: 'N' | 'L'): AttributeValue {
    if (value === undefined) throw validationError(MISSING);
    if (value[type] === undefined) throw validationError(WRONG_TYPE);
    return value;
  }
}

/**
 * Applies an update to an item: the current item, or for an item that does not exist yet
 * its key attributes. Throws DynamoDB's ValidationException when the update cannot apply
 * (a missing attribute read, a wrong type, a path that leads nowhere).
 */
export function applyUpdate(update: UpdateExpression, item: Item): UpdateResult {
  const next = new Applier(item, update.legacy).map(update.tree, item);
  return {
    item: next,
    changedPaths: { paths: update.targets, tree: update.tree, nestedRoots: update.nestedRoots },
  };
}
