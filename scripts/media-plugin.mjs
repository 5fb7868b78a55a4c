// `executeServerCommand('otp-media', {colorScheme, reducedMotion})`: emulates the
// system's media features for the test page where the engine can, and answers
// false where it cannot, so the test skips what it cannot check (a skip the
// runner counts) and the run prints nothing. @web/test-runner-commands'
// emulateMedia throws instead, and the runner prints each throw's stack even
// when the test catches it: Firefox over WebDriver BiDi has no media emulation
// in puppeteer ("CDP support is required"), nor has WebDriver classic (our WebKit).

/** The web-test-runner plugin. */
export function mediaPlugin() {
  return {
    name: 'otp-media',
    async executeCommand({command, payload, session}) {
      if (command !== 'otp-media') return undefined;
      const {colorScheme, reducedMotion} = payload;
      const browser = session.browser;
      if (browser.type !== 'puppeteer') return false;
      const page = browser.getPage(session.id);
      // Puppeteer emulates media features over CDP only (Chromium), not over BiDi (Firefox).
      if (page.browser().protocol !== 'cdp') return false;
      const features = [];
      if (colorScheme) features.push({name: 'prefers-color-scheme', value: colorScheme});
      if (reducedMotion)
        features.push({name: 'prefers-reduced-motion', value: reducedMotion});
      await page.emulateMediaFeatures(features);
      return true;
    },
  };
}
