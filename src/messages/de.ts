import type {Format} from './format.js';
import {isolate} from './isolate.js';
import type {OtpStepMessages} from './en.js';

const attemptsLeft = (n: number, f: Format) =>
  `Noch ${isolate(f.number(n))} ${f.plural(n) === 'one' ? 'Versuch' : 'Versuche'}`;

export const de: OtpStepMessages = {
  trigger: 'Code anfordern',
  title: 'Einmalcode eingeben',
  description: ({length}, user, f) =>
    `Geben Sie den ${isolate(f.number(length))}-stelligen Code ein, der für ${isolate(user)} gesendet wurde.`,
  inputLabel: ({length}, f) => `${isolate(f.number(length))}-stelliger Code`,
  sentTo: ({length, numeric}, hint, f) =>
    `Wir haben einen ${isolate(f.number(length))}-stelligen ${numeric ? 'Zahlencode' : 'Code'} an ${isolate(hint)} gesendet.`,
  notSent: 'Der Code konnte nicht gesendet werden. Fordern Sie einen neuen Code an.',
  sendBy: (channel) =>
    channel === 'sms' ? 'Stattdessen per SMS senden' : 'Stattdessen per E-Mail senden',
  testCode: 'Testcode',
  testCodeNote: 'nur zum Testen angezeigt',
  demoNote: 'Demo: Codes werden in diesem Browser erzeugt und geprüft.',
  copy: 'Kopieren',
  copied: 'Testcode kopiert.',
  expiresIn: (clock) => `Läuft ab in ${isolate(clock)}`,
  timeLeft: 'Verbleibende Zeit',
  left: (duration) => `Noch ${isolate(duration)}`,
  attemptsLeft,
  resend: 'Code erneut senden',
  resendIn: (seconds) => `Erneut senden in ${isolate(seconds)} s`,
  confirm: 'Bestätigen',
  close: 'Schließen',
  issued: 'Ein neuer Code wurde gesendet.',
  confirmed: 'Code bestätigt.',
  invalid: (n, f) => `Dieser Code ist falsch. ${attemptsLeft(n, f)}.`,
  expired: 'Dieser Code ist abgelaufen – fordern Sie einen neuen an.',
  locked: 'Zu viele falsche Codes. Dieser Code ist gesperrt, bis er abläuft.',
  lockedUntil: (time) =>
    `Zu viele falsche Codes. Ab ${isolate(time)} Uhr können Sie einen neuen Code anfordern.`,
  triggerConfirmed: 'Code bestätigt',
  used: 'Dieser Code wurde bereits verwendet.',
  canceled: 'Dieser Code wurde widerrufen – fordern Sie einen neuen Code an.',
  retry: 'Erneut versuchen',
  retryIn: (seconds) => `Erneut versuchen in ${isolate(seconds)} s`,
  required: 'Bestätigen Sie einen Einmalcode, um fortzufahren.',
  misconfigured: 'Dieser Anmeldeschritt ist nicht richtig eingerichtet.',
  errors: {
    'malformed-code':
      'Geben Sie den ganzen Code ein: Er hat die falsche Anzahl Zeichen oder ein Zeichen, das darin nicht vorkommen kann.',
    'no-pending-code':
      'Es gibt keinen Code zu bestätigen: Fordern Sie einen neuen Code an.',
    locked:
      'Zu viele falsche Codes: Ein neuer Code kann angefordert werden, sobald der gesperrte abgelaufen ist.',
    'resend-cooldown': 'Ein neuer Code kann in Kürze gesendet werden; bitte warten.',
    'resend-limit':
      'Für diese Anmeldung können keine weiteren Codes gesendet werden. Versuchen Sie es später erneut.',
    'storage-unavailable':
      'IndexedDB ist nicht verfügbar: Der Code wird nur im Speicher gehalten und geht beim Neuladen verloren.',
    'crypto-unavailable':
      'Diese Seite ist kein sicherer Kontext (https oder localhost), daher kann hier kein Code erzeugt werden.',
    'copy-failed':
      'Das Kopieren hat nicht geklappt: Markieren und kopieren Sie den Text von Hand.',
    'network-error':
      'Der Server ist nicht erreichbar. Prüfen Sie die Verbindung und versuchen Sie es erneut.',
    timeout: 'Der Server hat zu lange nicht geantwortet. Bitte erneut versuchen.',
    'server-error': 'Der Server hatte ein Problem. Versuchen Sie es gleich noch einmal.',
    'bad-response': 'Die Antwort des Servers war nicht lesbar. Bitte erneut versuchen.',
    'rate-limited': 'Zu viele Anfragen. Versuchen Sie es nach der Wartezeit erneut.',
    'request-failed': 'Der Server hat die Anfrage abgelehnt.',
    'unknown-user': 'Diesen Benutzer gibt es nicht.',
    'unknown-request':
      'Der Server kennt diesen Code nicht mehr: Fordern Sie einen neuen an.',
    unauthenticated:
      'Sie sind nicht angemeldet oder Ihre Sitzung ist abgelaufen: Melden Sie sich erneut an.',
    forbidden: 'Diese Anfrage ist nicht erlaubt.',
    'human-check-required':
      'Wir konnten nicht prüfen, ob Sie ein Mensch sind. Bitte versuchen Sie es erneut.',
    'source-failed':
      'Der Code konnte nicht abgerufen oder geprüft werden. Bitte erneut versuchen.',
    'not-enrolled':
      'Für dieses Konto ist keine Authenticator-App eingerichtet. Melden Sie sich auf anderem Weg an.',
    'unknown-enrollment':
      'Diese Einrichtung ist abgelaufen. Schließen Sie sie und beginnen Sie neu.',
  },
  appTitle: 'Code aus Ihrer App eingeben',
  appDescription: (user, f) =>
    `Öffnen Sie Ihre Authenticator-App und geben Sie den ${isolate(f.number(6))}-stelligen Code ein, den sie für ${isolate(user)} anzeigt.`,
  recoveryDescription:
    'Handy verloren? Geben Sie einen der Wiederherstellungscodes ein, die Sie beim Einrichten der App gespeichert haben.',
  recoveryTitle: 'Wiederherstellungscode eingeben',
  recoveryLabel: 'Wiederherstellungscode',
  useRecoveryCode: 'Wiederherstellungscode verwenden',
  useAppCode: 'Code der App verwenden',
  appCodeUsed:
    'Dieser Code wurde schon verwendet: Warten Sie auf den nächsten in der App.',
  recoveryCodeUsed:
    'Dieser Wiederherstellungscode wurde schon verwendet: Geben Sie einen anderen ein.',
  enrollTitle: 'Authenticator-App einrichten',
  enrollScan:
    'Scannen Sie diesen QR-Code mit Ihrer Authenticator-App (Google Authenticator, Microsoft Authenticator, 1Password, Bitwarden …).',
  qrLabel: 'QR-Code für Ihre Authenticator-App',
  secretNote: 'Scannen klappt nicht? Geben Sie diesen Schlüssel in der App ein:',
  copySecret: 'Schlüssel kopieren',
  secretCopied: 'Schlüssel kopiert.',
  next: 'Weiter',
  back: 'Zurück',
  enrollCurrent:
    'Sie haben bereits eine Authenticator-App. Geben Sie einen Code daraus ein, um eine neue einzurichten.',
  enrollCurrentRecovery:
    'Handy mit der App verloren? Geben Sie einen Ihrer Wiederherstellungscodes ein, um eine neue einzurichten.',
  enrollCode: (f) =>
    `Geben Sie den ${isolate(f.number(6))}-stelligen Code ein, den die App jetzt anzeigt, um die Einrichtung abzuschließen.`,
  recoveryCodesTitle: 'Wiederherstellungscodes sichern',
  recoveryCodesNote:
    'Ihre App ist eingerichtet. Wenn Sie Ihr Handy verlieren, meldet Sie jeder dieser Codes einmal an. Bewahren Sie sie sicher auf: Sie werden nur jetzt angezeigt.',
  recoveryCodesLabel: 'Wiederherstellungscodes',
  copyCodes: 'Codes kopieren',
  codesCopied: 'Wiederherstellungscodes kopiert.',
  download: 'Herunterladen',
  done: 'Fertig',
  recoveryCodesHeading: (user) =>
    `Wiederherstellungscodes für ${user}. Jeder meldet Sie einmal an, anstelle des Codes der App.`,
};
