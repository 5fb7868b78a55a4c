import {OTP_EVENT_TYPES, type OtpEventType} from '../events/lifecycle.js';
import {ConfigError} from './config-error.js';

/** The side service's lifecycle events and audit log, as its environment sets them. */
export interface EventsConfig {
  /** OTP_EVENTS_URL: where each event listed in `events` is posted, signed. */
  eventsUrl?: string;
  /** OTP_EVENTS: the event types sent; none when unset. */
  events: OtpEventType[];
  /** OTP_AUDIT_LOG: the file audit lines are appended to; standard output when unset. */
  auditLogPath?: string;
}

const LIST = `${OTP_EVENT_TYPES.join(', ')}, or * for all`;

/**
 * Reads OTP_EVENTS, OTP_EVENTS_URL and OTP_AUDIT_LOG. A list naming a type
 * that does not exist, a list with nowhere to go, or a URL with nothing to
 * send is a mistake made once and found at start, not by a receiver that
 * never hears from the service.
 */
export function eventsConfig(
  get: (name: string) => string | undefined,
  urlOf: (name: string, protocols: string[]) => string | undefined,
): EventsConfig {
  const listed = (get('OTP_EVENTS') ?? '')
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
  const events: OtpEventType[] =
    listed.length === 1 && listed[0] === '*' ? [...OTP_EVENT_TYPES] : [];
  if (!events.length)
    for (const type of listed) {
      if (!(OTP_EVENT_TYPES as readonly string[]).includes(type))
        throw new ConfigError(
          `OTP_EVENTS holds ${JSON.stringify(type)}, which is not an event type: list some of ${LIST} (alone)`,
        );
      if (!events.includes(type as OtpEventType)) events.push(type as OtpEventType);
    }
  const eventsUrl = urlOf('OTP_EVENTS_URL', ['http:', 'https:']);
  if (events.length && !eventsUrl)
    throw new ConfigError(
      'OTP_EVENTS is set but OTP_EVENTS_URL is not: give the URL the events are posted to',
    );
  if (eventsUrl && !events.length)
    throw new ConfigError(
      `OTP_EVENTS_URL is set but OTP_EVENTS is not: list the event types to send (${LIST})`,
    );
  return {eventsUrl, events, auditLogPath: get('OTP_AUDIT_LOG')};
}
