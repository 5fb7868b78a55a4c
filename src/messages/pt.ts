import type {Format} from './format.js';
import {isolate} from './isolate.js';
import type {CodeShape, OtpStepMessages} from './en.js';

const attemptsLeft = (n: number, f: Format) =>
  f.plural(n) === 'one'
    ? `${isolate(f.number(n))} tentativa restante`
    : `${isolate(f.number(n))} tentativas restantes`;
const kind = ({length, numeric}: CodeShape, f: Format) =>
  `código de ${isolate(f.number(length))} ${numeric ? 'dígitos' : 'caracteres'}`;

export const pt: OtpStepMessages = {
  trigger: 'Obter código',
  title: 'Digite o código de uso único',
  description: (shape, user, f) =>
    `Digite o ${kind(shape, f)} enviado para ${isolate(user)}.`,
  inputLabel: (shape, f) => {
    const text = kind(shape, f);
    return text[0].toUpperCase() + text.slice(1);
  },
  sentTo: (shape, hint, f) => `Enviamos um ${kind(shape, f)} para ${isolate(hint)}.`,
  notSent: 'Não foi possível enviar o código. Envie um novo código.',
  sendBy: (channel) => (channel === 'sms' ? 'Enviar por SMS' : 'Enviar por e-mail'),
  testCode: 'Código de teste',
  testCodeNote: 'exibido apenas para testes',
  demoNote: 'Demonstração: os códigos são gerados e verificados neste navegador.',
  copy: 'Copiar',
  copied: 'Código de teste copiado.',
  expiresIn: (clock) => `Expira em ${isolate(clock)}`,
  timeLeft: 'Tempo restante',
  left: (duration) => `Tempo restante: ${isolate(duration)}`,
  attemptsLeft,
  resend: 'Reenviar código',
  resendIn: (seconds) => `Reenviar em ${isolate(seconds)} s`,
  confirm: 'Confirmar',
  close: 'Fechar',
  issued: 'Um novo código foi enviado.',
  confirmed: 'Código confirmado.',
  invalid: (n, f) => `Código incorreto. ${attemptsLeft(n, f)}.`,
  expired: 'Este código expirou — envie um novo código.',
  locked: 'Muitos códigos incorretos. Este código está bloqueado até expirar.',
  lockedUntil: (time) =>
    `Muitos códigos incorretos. Você pode pedir um novo código às ${isolate(time)}.`,
  triggerConfirmed: 'Código confirmado',
  used: 'Este código já foi usado.',
  canceled: 'Este código foi cancelado — peça um novo código.',
  retry: 'Tentar novamente',
  retryIn: (seconds) => `Tentar novamente em ${isolate(seconds)} s`,
  required: 'Confirme um código de uso único para continuar.',
  misconfigured: 'Esta etapa de acesso não está configurada corretamente.',
  errors: {
    'malformed-code':
      'Digite o código completo: ele tem o número errado de caracteres ou um caractere que não pode conter.',
    'no-pending-code': 'Não há código para confirmar: solicite um novo código.',
    locked:
      'Muitos códigos incorretos: um novo código pode ser solicitado quando o bloqueado expirar.',
    'resend-cooldown': 'Um novo código poderá ser enviado em breve; aguarde.',
    'resend-limit':
      'Não é possível enviar mais códigos para este acesso. Tente mais tarde.',
    'storage-unavailable':
      'O IndexedDB não está disponível: o código fica só na memória e se perde ao recarregar a página.',
    'crypto-unavailable':
      'Esta página não é um contexto seguro (https ou localhost), então nenhum código pode ser gerado aqui.',
    'copy-failed': 'Não foi possível copiar: selecione o texto e copie manualmente.',
    'network-error':
      'Não foi possível contactar o servidor. Verifique a conexão e tente novamente.',
    timeout: 'O servidor demorou demais para responder. Tente novamente.',
    'server-error': 'O servidor teve um problema. Tente novamente em instantes.',
    'bad-response': 'O servidor enviou uma resposta ilegível. Tente novamente.',
    'rate-limited': 'Solicitações demais. Tente novamente quando a espera terminar.',
    'request-failed': 'O servidor recusou a solicitação.',
    'unknown-user': 'Usuário não encontrado.',
    'unknown-request': 'O servidor não reconhece mais este código: solicite um novo.',
    unauthenticated: 'Você não está conectado ou sua sessão terminou: entre novamente.',
    forbidden: 'Esta solicitação não é permitida.',
    'human-check-required':
      'Não foi possível confirmar que você é uma pessoa. Tente de novo.',
    'source-failed': 'Não foi possível obter ou verificar o código. Tente novamente.',
    'not-enrolled':
      'Nenhum aplicativo autenticador está configurado para esta conta. Use outra forma de acesso.',
    'unknown-enrollment': 'Esta configuração expirou. Feche e comece de novo.',
  },
  appTitle: 'Digite o código do aplicativo',
  appDescription: (user, f) =>
    `Abra o seu aplicativo autenticador e digite o ${kind({length: 6, numeric: true}, f)} que ele mostra para ${isolate(user)}.`,
  recoveryDescription:
    'Perdeu o celular? Digite um dos códigos de recuperação que você guardou ao configurar o aplicativo.',
  recoveryTitle: 'Digite um código de recuperação',
  recoveryLabel: 'Código de recuperação',
  useRecoveryCode: 'Usar um código de recuperação',
  useAppCode: 'Usar o código do aplicativo',
  appCodeUsed: 'Este código já foi usado: aguarde o próximo no aplicativo.',
  recoveryCodeUsed: 'Este código de recuperação já foi usado: digite outro.',
  enrollTitle: 'Configure o seu aplicativo autenticador',
  enrollScan:
    'Leia este QR code com o seu aplicativo autenticador (Google Authenticator, Microsoft Authenticator, 1Password, Bitwarden…).',
  qrLabel: 'QR code para o seu aplicativo autenticador',
  secretNote: 'Não consegue ler? Digite esta chave no aplicativo:',
  copySecret: 'Copiar chave',
  secretCopied: 'Chave copiada.',
  next: 'Avançar',
  back: 'Voltar',
  enrollCurrent:
    'Você já tem um aplicativo autenticador. Digite um código dele para configurar um novo.',
  enrollCurrentRecovery:
    'Perdeu o celular com o aplicativo? Digite um dos seus códigos de recuperação para configurar um novo.',
  enrollCode: (f) =>
    `Digite o ${kind({length: 6, numeric: true}, f)} que o aplicativo mostra agora para concluir a configuração.`,
  recoveryCodesTitle: 'Guarde os seus códigos de recuperação',
  recoveryCodesNote:
    'O aplicativo está configurado. Se perder o celular, cada um destes códigos permite entrar uma vez. Guarde-os em um lugar seguro: eles só são mostrados agora.',
  recoveryCodesLabel: 'Códigos de recuperação',
  copyCodes: 'Copiar códigos',
  codesCopied: 'Códigos de recuperação copiados.',
  download: 'Baixar',
  done: 'Concluir',
  recoveryCodesHeading: (user) =>
    `Códigos de recuperação de ${user}. Cada um permite entrar uma vez, no lugar do código do aplicativo.`,
};
