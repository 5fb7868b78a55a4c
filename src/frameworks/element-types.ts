// What the framework typings (jsx-react, jsx-preact, vue, svelte) know of each
// element: the properties a page may set, the attributes by their HTML names and
// the events by name. Types only: this module compiles to nothing. The names come
// from element-names.ts, which `npm run manifest` writes from the classes'
// declarations; every type comes from the classes themselves.
import type {OtpStepEventMap} from '../events.js';
import type {OtpInputEventMap} from '../input/events.js';
import type {OtpInput} from '../input/otp-input-element.js';
import type {OtpStep} from '../otp-step-element.js';
import type {
  OtpInputPropertyName,
  OtpStepPropertyName,
  otpInputAttributes,
  otpStepAttributes,
} from './element-names.js';

/**
 * What an attribute takes, from the type of the property it sets: a numeric one
 * holds its number as text (`max-attempts="3"`), and every framework also takes a
 * number and writes it as text.
 */
type AttributeValue<T> = T extends number ? `${number}` | number : T;

/** An element's attributes by HTML name, each typed from its property. */
type AttributesOf<Element, Names extends Record<string, keyof Element>> = {
  -readonly [Name in keyof Names]: AttributeValue<Element[Names[Name]]>;
};

/** The properties of `<otp-step>` a page may set. */
export type OtpStepProperties = Pick<OtpStep, OtpStepPropertyName>;

/** The attributes of `<otp-step>`, by their HTML names. */
export type OtpStepAttributes = AttributesOf<OtpStep, typeof otpStepAttributes>;

/** The events of `<otp-step>`, by name. */
export type OtpStepEvents = OtpStepEventMap;

/** The properties of `<otp-input>` a page may set. */
export type OtpInputProperties = Pick<OtpInput, OtpInputPropertyName>;

/** The attributes of `<otp-input>`, by their HTML names. */
export type OtpInputAttributes = AttributesOf<OtpInput, typeof otpInputAttributes>;

/**
 * The events of `<otp-input>` of its own, by name. Its `input` and `change` are
 * plain `Event`s that every framework's typings know already.
 */
export type OtpInputEvents = OtpInputEventMap;

/**
 * What a tag takes in a template: any of its properties, and any of its
 * attributes that is not also a property. Where a name is both, the property's
 * type wins: React, Preact, Vue and Svelte all set the property when the element
 * has one, so `length="6"` would hand the element a string.
 */
export type TagProps<Properties, Attributes> = Partial<Properties> &
  Partial<Omit<Attributes, keyof Properties>>;

/**
 * Event handlers named as React 19, Preact and Svelte 5 listen for a custom
 * element's events: `on` and the event's own name, `onotp-confirmed`. The name
 * with a capital (`onOtp-confirmed`) would listen for `Otp-confirmed`, which
 * never fires; TypeScript lets unknown hyphenated JSX attributes through, so
 * that spelling is declared here as taking no handler.
 */
export type EventProps<Events> = {
  [Name in keyof Events & string as `on${Name}`]?: (event: Events[Name]) => void;
} & {
  [Name in keyof Events & string as `on${Capitalize<Name>}`]?: never;
};

/** What a framework's typings need of one element. */
export interface ElementTypes {
  element: HTMLElement;
  properties: object;
  attributes: object;
  events: object;
}

export interface OtpStepTypes extends ElementTypes {
  element: OtpStep;
  properties: OtpStepProperties;
  attributes: OtpStepAttributes;
  events: OtpStepEvents;
}

export interface OtpInputTypes extends ElementTypes {
  element: OtpInput;
  properties: OtpInputProperties;
  attributes: OtpInputAttributes;
  events: OtpInputEvents;
}

/**
 * A tag in JSX or Svelte markup: the framework's own props of an HTML element
 * (`Own`, with `ref` to the element's class where it has one), less the names we
 * type ourselves (`autofocus`, say), and ours.
 */
export type TemplateProps<Own, Types extends ElementTypes> = Omit<
  Own,
  keyof Types['properties'] | keyof Types['attributes']
> &
  TagProps<Types['properties'], Types['attributes']> &
  EventProps<Types['events']>;
