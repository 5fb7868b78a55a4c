import {executeServerCommand} from '@web/test-runner-commands';

/** The system's media features a test may set (scripts/media-plugin.mjs). */
export interface EmulatedMedia {
  colorScheme?: 'light' | 'dark';
  reducedMotion?: 'reduce' | 'no-preference';
}

/**
 * Sets the system's media features for this page; resolves false where the
 * engine cannot (Firefox and WebKit here), for the test to skip what it checks.
 */
export const emulateMedia = (media: EmulatedMedia) =>
  executeServerCommand<boolean, EmulatedMedia>('otp-media', media);
