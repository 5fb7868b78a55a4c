// `executeServerCommand('otp-viewport', {width, height})`: sets the test page's
// viewport in all three engines. @web/test-runner-commands' setViewport knows
// puppeteer and playwright, not WebDriver (our WebKit); there the window is
// resized so that its inner size, what the page sees, is the one asked for.

/** The web-test-runner plugin. */
export function viewportPlugin() {
  return {
    name: 'otp-viewport',
    async executeCommand({command, payload, session}) {
      if (command !== 'otp-viewport') return undefined;
      const {width, height} = payload;
      const browser = session.browser;
      if (browser.type === 'puppeteer') {
        await browser.getPage(session.id).setViewport({width, height});
        return true;
      }
      if (browser.type === 'webdriver') {
        const driver = browser.driver;
        // The window's frame (title bar, toolbar) differs by engine: measure it.
        for (let i = 0; i < 3; i++) {
          const [innerWidth, innerHeight] = await driver.execute(
            'return [window.innerWidth, window.innerHeight]',
          );
          if (innerWidth === width && innerHeight === height) return true;
          const outer = await driver.getWindowSize();
          await driver.setWindowSize(
            outer.width + width - innerWidth,
            outer.height + height - innerHeight,
          );
        }
        return true;
      }
      throw new Error(`otp-viewport: not supported for ${browser.type}`);
    },
  };
}
