/**
 * What a page gives as `humanCheck`: runs its bot check (a Turnstile, hCaptcha
 * or reCAPTCHA widget) and resolves to the provider's token. Called only when
 * the server asks for one.
 */
export type HumanCheck = () => string | Promise<string>;

/**
 * The page's token for a server that asked for a bot check, or undefined when
 * the page has no check, or its check threw or gave no token (a non-string, or
 * ''): then the server's 428 stands, and reaches the page as
 * `human-check-required`.
 */
export async function humanToken(
  check: HumanCheck | undefined,
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (typeof check !== 'function') return undefined;
  let token: unknown;
  try {
    token = await check();
  } catch {
    // The page's own check failed; the error the page gets is the server's refusal.
    token = undefined;
  }
  // A newer request, or the element leaving, ends this one: its token is of no use.
  signal?.throwIfAborted();
  return typeof token === 'string' && token ? token : undefined;
}
