/**
 * Defines `element` as `name` in `registry`, and returns the constructor that
 * name stands for. A name already taken, say by a second copy of the bundle on
 * the page or by a query-string URL of it, is left as it is rather than throwing.
 */
export function defineElement<T extends CustomElementConstructor>(
  element: T,
  name: string,
  registry: CustomElementRegistry,
): T {
  const taken = registry.get(name) as T | undefined;
  if (taken) return taken;
  try {
    registry.define(name, element);
    return element;
  } catch {
    // A constructor stands for one name per registry: a second name gets a
    // subclass of its own. (A name that is not valid throws again, here.)
    const named = class extends element {};
    registry.define(name, named);
    return named;
  }
}
