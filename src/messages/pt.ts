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
    'copy-failed':
      'Não foi possível copiar o código de teste: selecione-o e copie manualmente.',
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
  },
};
