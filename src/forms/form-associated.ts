import {LitElement} from 'lit';
import {property, state} from 'lit/decorators.js';

/**
 * What `<otp-step>` and `<otp-input>` share as form controls: they take part in
 * their owning form like an `<input>`, with `name`, `required` and `disabled`
 * attributes and the same validity API. Each sets its own value and validity
 * through `internals`.
 */
export class FormAssociatedElement extends LitElement {
  static formAssociated = true;

  protected readonly internals = this.attachInternals();

  /** Set while a disabled `<fieldset>` or form holds the element. */
  @state() protected formDisabled = false;

  /** Name under which the value is submitted with the owning form. */
  @property({reflect: true, useDefault: true}) name = '';
  /** The owning form cannot be submitted without a value. */
  @property({type: Boolean, reflect: true, useDefault: true}) required = false;
  /** The element cannot be used. A disabled `<fieldset>` around it does the same. */
  @property({type: Boolean, reflect: true, useDefault: true}) disabled = false;

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
  }

  /** Disabled by its own attribute or by a disabled fieldset around it. */
  protected get isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }
}
