/** What the step before hands on: either may be missing. */
export interface PreviousStepOutput {
  user?: string;
  client?: string;
}

const textOf = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * What the step before would hand on now, where that can be read without it
 * finishing: a `<form>`'s `user` and `client` fields, which the browser keeps
 * across a reload. Undefined for any other kind of step, or none.
 */
export function previousStepOutput(
  root: Node,
  id: string,
): PreviousStepOutput | undefined {
  const form = id && (root as Document | ShadowRoot).getElementById?.(id);
  if (!(form instanceof HTMLFormElement)) return undefined;
  const data = new FormData(form);
  return {user: textOf(data.get('user')), client: textOf(data.get('client'))};
}

/**
 * Watches `root` for the step whose id is `id()` finishing, and calls `onComplete`
 * with what it hands on. A step finishes when it fires `step-complete` (its
 * `detail` may carry `user` and `client`), or, for a `<form>`, when it is
 * submitted (its `user` and `client` fields). Listening on the root rather than on
 * the element means the step before may be added to the page before or after us.
 */
export function watchPreviousStep(
  root: Node,
  id: () => string,
  onComplete: (output: PreviousStepOutput) => void,
): () => void {
  const isSource = (target: EventTarget | null): target is Element =>
    target instanceof Element && !!id() && target.id === id();
  const handleComplete = (event: Event) => {
    if (!isSource(event.target)) return;
    const detail = (event as CustomEvent<unknown>).detail;
    const output = typeof detail === 'object' && detail !== null ? detail : {};
    onComplete({
      user: textOf((output as PreviousStepOutput).user),
      client: textOf((output as PreviousStepOutput).client),
    });
  };
  const handleSubmit = (event: Event) => {
    if (!isSource(event.target) || !(event.target instanceof HTMLFormElement)) return;
    // The form's job is to hand the user on, not to leave the page.
    event.preventDefault();
    const data = new FormData(event.target);
    onComplete({user: textOf(data.get('user')), client: textOf(data.get('client'))});
  };
  root.addEventListener('step-complete', handleComplete);
  root.addEventListener('submit', handleSubmit);
  return () => {
    root.removeEventListener('step-complete', handleComplete);
    root.removeEventListener('submit', handleSubmit);
  };
}
