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
  @property({reflect: true}) name = '';
  /** The owning form cannot be submitted without a value. */
  @property({type: Boolean, reflect: true}) required = false;
  /** The element cannot be used. A disabled `<fieldset>` around it does the same. */
  @property({type: Boolean, reflect: true}) disabled = false;

  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  get validity(): ValidityState {
    return this.internals.validity;
  }

  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

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
