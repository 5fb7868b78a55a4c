import {LitElement, type PropertyDeclarations} from 'lit';

/**
 * What `<otp-step>` and `<otp-input>` share as form controls: they take part in
 * their owning form like an `<input>`, with `name`, `required` and `disabled`
 * attributes and the same validity API. Each sets its own value and validity
 * through `internals`.
 */
export class FormAssociatedElement extends LitElement {
  static formAssociated = true;
  /**
   * The reactive properties, declared in one object rather than with a decorator
   * on each field: then `<otp-input>`, whose own are declared the same way, needs
   * no decorator code at all, which keeps dist/otp-input.js within its 9,000 B.
   */
  static override properties: PropertyDeclarations = {
    name: {reflect: true, useDefault: true},
    required: {type: Boolean, reflect: true, useDefault: true},
    disabled: {type: Boolean, reflect: true, useDefault: true},
  };

  protected readonly internals = this.attachInternals();

  /** Set while a disabled `<fieldset>` or form holds the element (drawn anew when it changes). */
  protected formDisabled = false;

  /** Name under which the value is submitted with the owning form. */
  name = '';
  /** The owning form cannot be submitted without a value. */
  required = false;
  /** The element cannot be used. A disabled `<fieldset>` around it does the same. */
  disabled = false;

  /** The form the element belongs to, as for an `<input>`. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  /** Whether the value meets the element's constraints (`valueMissing` while required and empty). */
  get validity(): ValidityState {
    return this.internals.validity;
  }

  /** What the browser would say about the value, in the element's language; '' when valid. */
  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  /** True when the value is valid; otherwise fires `invalid` on the element and returns false. */
  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  /** As `checkValidity()`, and shows the browser's message at the element when invalid. */
  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
    this.requestUpdate();
  }

  /** Disabled by its own attribute or by a disabled fieldset around it. */
  protected get isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }
}
