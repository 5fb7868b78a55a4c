import {expect, nextFrame} from '@open-wc/testing';

/**
 * A viewport of any width, in every engine: a frame with the element loaded in
 * it. (A window would do in Chromium and Firefox, but WebKit's MiniBrowser keeps
 * its window at least 447px wide.) Its media queries, `100%` and top layer are
 * the frame's, as a phone's are its screen's.
 */
export async function viewportFrame(height = 800): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.style.cssText = `position: fixed; inset: 0 auto auto 0; border: 0; height: ${height}px`;
  const script = new URL('../src/otp-step.ts', import.meta.url).href;
  frame.srcdoc = `<!doctype html><meta charset="utf-8"><body style="margin: 8px"><script type="module" src="${script}"></script>`;
  const loaded = new Promise((resolve) =>
    frame.addEventListener('load', resolve, {once: true}),
  );
  document.body.append(frame);
  await loaded;
  await frame.contentWindow!.customElements.whenDefined('otp-step');
  return frame;
}

export async function setFrameWidth(frame: HTMLIFrameElement, width: number) {
  frame.style.width = `${width}px`;
  await nextFrame();
  expect(frame.contentWindow!.innerWidth).to.equal(width);
}
