// Shoelace's sl-dialog with an sl-input: the modal-plus-input pair otp-step replaces.
import '@shoelace-style/shoelace/dist/components/dialog/dialog.js';
import '@shoelace-style/shoelace/dist/components/input/input.js';

export async function mount(container, count) {
  const dialogs = Array.from({length: count}, () => {
    const dialog = document.createElement('sl-dialog');
    dialog.label = 'Enter the code';
    const input = document.createElement('sl-input');
    input.setAttribute('autocomplete', 'one-time-code');
    input.setAttribute('inputmode', 'numeric');
    dialog.append(input);
    return dialog;
  });
  container.append(...dialogs);
  await Promise.all(
    dialogs.flatMap((d) => [d.updateComplete, d.firstElementChild.updateComplete]),
  );
}
