/**
 * Bound series, one per label set, kept in a tree of Maps by label value: a
 * fact costs a few Map lookups and one call, with no label object or key
 * string built per request. The label values are bounded (labels.ts), so the
 * tree is too.
 */
export function seriesTree<T>(bind: (values: readonly string[]) => T) {
  type Node = Map<string, Node | T>;
  const root: Node = new Map();
  return (values: readonly string[]): T => {
    let node = root;
    const last = values.length - 1;
    if (last < 0) return (root.get('') ?? root.set('', bind(values)).get('')) as T;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]) as Node | undefined;
      if (!next) node.set(values[i], (next = new Map()));
      node = next;
    }
    let series = node.get(values[last]) as T | undefined;
    if (series === undefined) node.set(values[last], (series = bind(values)));
    return series;
  };
}
