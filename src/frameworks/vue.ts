// `otp-step/types/vue`: <otp-step> and <otp-input> in Vue 3's templates, for
// vue-tsc (with `strictTemplates` too): properties and attributes checked, and
// `@otp-confirmed="(e) => e.detail.user"` with `e` typed. The shape is the one
// Vue's guide gives for custom elements not built with Vue ("Non-Vue Web
// Components and TypeScript"): a constructor whose `$props` are what the tag
// takes and whose `$emit` carries the events, added to `GlobalComponents`.
// `import type {} from 'otp-step/types/vue';` once in an app brings them in.
// Types only, and only Vue's.
import type {EmitFn, HTMLAttributes, PublicProps} from 'vue';
import type {
  ElementTypes,
  OtpInputTypes,
  OtpStepTypes,
  TagProps,
} from './element-types.js';

/** `max-attempts` → `maxAttempts`. */
type Camelize<Name extends string> = Name extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camelize<Tail>>}`
  : Name;

/**
 * vue-tsc checks `max-attempts="3"` as the prop `maxAttempts`, the property's
 * name, while Vue sets it as the attribute (the element has no `max-attempts`
 * property), where text is right. So a property named by a hyphenated
 * attribute also takes that attribute's type. `length="6"` stays an error:
 * there Vue sets the property, to a string.
 */
type VueProps<Properties, Attributes> = Omit<
  TagProps<Properties, Attributes>,
  keyof ByAttribute<Properties, Attributes>
> &
  ByAttribute<Properties, Attributes>;

type ByAttribute<Properties, Attributes> = {
  [Name in keyof Attributes & `${string}-${string}` as Camelize<Name>]?:
    | Attributes[Name]
    | (Camelize<Name> extends keyof Properties ? Properties[Camelize<Name>] : never);
};

/** An element's events in the form Vue reads from `$emit`. */
type VueEmit<Events> = EmitFn<{
  [Name in keyof Events]: (event: Events[Name]) => void;
}>;

/** What vue-tsc sees of a custom element used as a tag. */
type VueCustomElement<Types extends ElementTypes> = new () => Types['element'] & {
  /** @deprecated Not on the element: only what its tag takes in a template, for vue-tsc. */
  $props: HTMLAttributes &
    VueProps<Types['properties'], Types['attributes']> &
    PublicProps;
  /** @deprecated Not on the element: only its events, for vue-tsc. */
  $emit: VueEmit<Types['events']>;
};

/** `<otp-step>` in Vue templates. */
export type OtpStepVueComponent = VueCustomElement<OtpStepTypes>;

/** `<otp-input>` in Vue templates. */
export type OtpInputVueComponent = VueCustomElement<OtpInputTypes>;

declare module 'vue' {
  interface GlobalComponents {
    'otp-step': OtpStepVueComponent;
    'otp-input': OtpInputVueComponent;
  }
}
