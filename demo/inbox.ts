// The demo's inbox: in "reference server" mode the dev server e-mails each code
// to a real SMTP server it runs on loopback (scripts/loopback-smtp.mjs), and this
// panel shows what arrived there, so a person sees the whole flow: ask, receive
// the e-mail, type the code.

interface Mail {
  at: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/** Where the loopback inbox is read (scripts/otp-mail-middleware.mjs). */
const INBOX = '/api/mail/inbox';
/** Often enough that an e-mail shows up about when a real one would, rarely enough to stay idle. */
const EVERY_MS = 1000;

/**
 * Shows the loopback inbox in `list` while started; `empty` is shown when
 * there is nothing yet. Polls only while the page is visible.
 */
export function inboxPanel(list: HTMLOListElement, empty: HTMLElement) {
  let timer: ReturnType<typeof setInterval> | undefined;
  let shown = '';

  async function refresh() {
    if (document.hidden) return;
    let mails: Mail[];
    try {
      const answer = await fetch(INBOX, {cache: 'no-store'});
      if (!answer.ok) return;
      mails = ((await answer.json()) as {messages: Mail[]}).messages;
    } catch {
      // The dev server restarting: the next tick tries again.
      return;
    }
    const key = mails.map((m) => m.at).join();
    if (key === shown) return;
    shown = key;
    empty.hidden = mails.length > 0;
    list.replaceChildren(
      ...mails
        .slice()
        .reverse()
        .map((mail) => {
          const item = document.createElement('li');
          const head = document.createElement('p');
          head.className = 'mail-head';
          const subject = document.createElement('strong');
          subject.textContent = mail.subject;
          const meta = document.createElement('span');
          meta.textContent = `From ${mail.from} to ${mail.to.join(', ')}, ${new Date(mail.at).toLocaleTimeString()}`;
          head.append(subject, meta);
          const body = document.createElement('pre');
          body.className = 'mail-text';
          body.textContent = mail.text;
          item.append(head, body);
          return item;
        }),
    );
  }

  return {
    start() {
      if (timer) return;
      void refresh();
      timer = setInterval(() => void refresh(), EVERY_MS);
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
