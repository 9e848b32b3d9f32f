/**
 * Document paths (a.b[3].#c resolved to ['a', 'b', 3, 'c']): reading one in an item,
 * writing one as DynamoDB does in messages ("[a, b, [3], c]"), and the path trees that
 * projections and updates build, which refuse two paths that overlap (one is, or is
 * inside, the other) or conflict (one attribute used as a map and as a list).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DocumentPath, Item, PathElement, PathTree } from './ast.js';

/** The value at a path in an item, or undefined when any step is missing. */
export function valueAt(item: Item, path: DocumentPath): AttributeValue | undefined {
  const head = path[0] as string;
  if (!Object.hasOwn(item, head)) return undefined;
  let current: AttributeValue | undefined = item[head];
  for (let i = 1; i < path.length && current !== undefined; i++) {
    const element = path[i]!;
    if (typeof element === 'number') {
      current = current.L === undefined ? undefined : current.L[element];
    } else {
      const map: Record<string, AttributeValue> | undefined = current.M;
      current = map !== undefined && Object.hasOwn(map, element) ? map[element] : undefined;
    }
  }
  return current;
}

/** A path as DynamoDB writes it in messages: [a, b, [3]]. */
export function formatPath(path: DocumentPath): string {
  return `[${path.map((element) => (typeof element === 'number' ? `[${element}]` : element)).join(', ')}]`;
}

export function emptyTree<Leaf>(): PathTree<Leaf> {
  return { children: new Map(), leaf: undefined };
}

function chain<Leaf>(path: DocumentPath, from: number, leaf: Leaf): PathTree<Leaf> {
  if (from === path.length) return { children: undefined, leaf };
  return { children: new Map([[path[from]!, chain(path, from + 1, leaf)]]), leaf: undefined };
}

// The path DynamoDB names as the other side of a clash: the new path's first `depth`
// elements, the clashing branch, then the first branch below it down to a leaf.
function existingPath<Leaf>(path: DocumentPath, depth: number, element: PathElement, branch: PathTree<Leaf>) {
  const result = [...path.slice(0, depth), element];
  let current = branch;
  while (current.children !== undefined && current.children.size > 0) {
    const [next, below] = current.children.entries().next().value as [PathElement, PathTree<Leaf>];
    result.push(next);
    current = below;
  }
  return result;
}

function clash(kind: 'overlap' | 'conflict', one: DocumentPath, two: DocumentPath): string {
  return `Two document paths ${kind} with each other; must remove or rewrite one of these paths; path one: ${formatPath(one)}, path two: ${formatPath(two)}`;
}

/**
 * Adds a path to a tree, as DynamoDB builds its projection and update trees; returns the
 * overlap or conflict message when the path clashes with one already there.
 */
export function insertPath<Leaf>(root: PathTree<Leaf>, path: DocumentPath, leaf: Leaf): string | undefined {
  let node = root;
  for (let depth = 0; ; depth++) {
    const children = node.children!;
    const element = path[depth]!;
    const child = children.get(element);
    if (child === undefined) {
      const first = children.entries().next();
      if (!first.done && (typeof first.value[0] === 'number') !== (typeof element === 'number')) {
        return clash('conflict', path, existingPath(path, depth, first.value[0], first.value[1]));
      }
      children.set(element, chain(path, depth + 1, leaf));
      return undefined;
    }
    if (child.children === undefined || depth + 1 === path.length) {
      return clash('overlap', path, existingPath(path, depth, element, child));
    }
    node = child;
  }
}
