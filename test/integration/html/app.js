/* global document -- a script of the page */
// The page's own script: what it hears from the elements, written into the page.
document.querySelector('#html-step').addEventListener('otp-confirmed', (event) => {
  document.querySelector('#html-confirmed').textContent = event.detail.user;
});
document.querySelector('#html-input').addEventListener('otp-complete', (event) => {
  document.querySelector('#input-complete').textContent = event.detail.value;
});
