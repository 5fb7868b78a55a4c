import type {Format} from './format.js';
import {isolate} from './isolate.js';
import type {CodeShape, OtpStepMessages} from './en.js';

/**
 * A counted noun in Arabic: the number's form decides both whether the numeral
 * is written and the noun's number and case (one and two are said by the noun
 * alone; 3–10 take the plural, 11–99 the singular accusative, 100 and up and
 * zero the singular genitive).
 */
type Forms = {one: string; two: string; few: string; many: string; other: string};
const counted = (n: number, f: Format, forms: Forms) => {
  const form = f.plural(n);
  return form === 'one' || form === 'two'
    ? forms[form]
    : `${isolate(f.number(n))} ${forms[form === 'few' || form === 'many' ? form : 'other']}`;
};

const attemptsLeft = (n: number, f: Format) =>
  f.plural(n) === 'zero'
    ? 'لم تتبقَّ أي محاولة'
    : `تبقّت ${counted(n, f, {
        one: 'محاولة واحدة',
        two: 'محاولتان',
        few: 'محاولات',
        many: 'محاولة',
        other: 'محاولة',
      })}`;
/** "6 digits", after "من" (of), so in the genitive where the noun alone counts. */
const size = ({length, numeric}: CodeShape, f: Format) =>
  counted(
    length,
    f,
    numeric
      ? {one: 'رقم واحد', two: 'رقمين', few: 'أرقام', many: 'رقمًا', other: 'رقم'}
      : {one: 'حرف واحد', two: 'حرفين', few: 'أحرف', many: 'حرفًا', other: 'حرف'},
  );

export const ar: OtpStepMessages = {
  trigger: 'الحصول على الرمز',
  title: 'أدخل رمز التحقق لمرة واحدة',
  description: (shape, user, f) =>
    `أدخل الرمز المكوّن من ${size(shape, f)} الذي أُرسل إلى ${isolate(user)}.`,
  inputLabel: (shape, f) => `رمز من ${size(shape, f)}`,
  sentTo: (shape, hint, f) =>
    `أرسلنا رمزًا مكوّنًا من ${size(shape, f)} إلى ${isolate(hint)}.`,
  notSent: 'تعذّر إرسال الرمز. اطلب رمزًا جديدًا.',
  sendBy: (channel) =>
    channel === 'sms'
      ? 'الإرسال عبر رسالة نصية بدلًا من ذلك'
      : 'الإرسال عبر البريد الإلكتروني بدلًا من ذلك',
  testCode: 'رمز الاختبار',
  testCodeNote: 'يُعرض للاختبار فقط',
  demoNote: 'عرض تجريبي: تُنشأ الرموز ويُتحقَّق منها في هذا المتصفح.',
  copy: 'نسخ',
  copied: 'تم نسخ رمز الاختبار.',
  expiresIn: (clock) => `تنتهي صلاحية الرمز بعد ${isolate(clock)}`,
  timeLeft: 'الوقت المتبقي',
  left: (duration) => `الوقت المتبقي: ${isolate(duration)}`,
  attemptsLeft,
  resend: 'إعادة إرسال الرمز',
  resendIn: (seconds) => `إعادة الإرسال بعد ${isolate(seconds)} ث`,
  confirm: 'تأكيد',
  close: 'إغلاق',
  issued: 'تم إرسال رمز جديد.',
  confirmed: 'تم تأكيد الرمز.',
  invalid: (n, f) => `هذا الرمز غير صحيح. ${attemptsLeft(n, f)}.`,
  expired: 'انتهت صلاحية هذا الرمز — اطلب رمزًا جديدًا.',
  locked: 'أُدخلت رموز خاطئة كثيرة. هذا الرمز مقفل حتى تنتهي صلاحيته.',
  lockedUntil: (time) =>
    `أُدخلت رموز خاطئة كثيرة. يمكنك طلب رمز جديد عند الساعة ${isolate(time)}.`,
  triggerConfirmed: 'تم تأكيد الرمز',
  used: 'سبق استخدام هذا الرمز.',
  canceled: 'أُلغي هذا الرمز — اطلب رمزًا جديدًا.',
  retry: 'إعادة المحاولة',
  retryIn: (seconds) => `إعادة المحاولة بعد ${isolate(seconds)} ث`,
  required: 'أكّد رمز التحقق للمتابعة.',
  misconfigured: 'خطوة تسجيل الدخول هذه غير مُعدّة بشكل صحيح.',
  errors: {
    'malformed-code':
      'أدخل الرمز كاملًا: عدد أحرفه أقل أو أكثر من المطلوب، أو فيه حرف لا يمكن أن يرد فيه.',
    'no-pending-code': 'لا يوجد رمز لتأكيده: اطلب رمزًا جديدًا.',
    locked: 'أُدخلت رموز خاطئة كثيرة: اطلب رمزًا جديدًا بعد انتهاء صلاحية هذا الرمز.',
    'resend-cooldown': 'يمكن إرسال رمز جديد بعد قليل.',
    'resend-limit':
      'لا يمكن إرسال مزيد من الرموز لتسجيل الدخول هذا؛ حاول مرة أخرى لاحقًا.',
    'storage-unavailable':
      'قاعدة البيانات IndexedDB غير متاحة: يُحفظ الرمز في الذاكرة فقط ويضيع عند إعادة تحميل الصفحة.',
    'crypto-unavailable': 'لا يمكن إنشاء رمز خارج سياق آمن (https أو localhost).',
    'copy-failed': 'تعذّر النسخ: حدّد النص وانسخه يدويًا.',
    'network-error': 'تعذّر الوصول إلى الخادم: تحقّق من الاتصال وأعد المحاولة.',
    timeout: 'استغرق الخادم وقتًا طويلًا في الرد. أعد المحاولة.',
    'server-error': 'حدثت مشكلة في الخادم. أعد المحاولة بعد لحظات.',
    'bad-response': 'تعذّرت قراءة رد الخادم. أعد المحاولة.',
    'rate-limited': 'طلبات كثيرة جدًا. أعد المحاولة بعد انتهاء مدة الانتظار.',
    'request-failed': 'رفض الخادم الطلب.',
    'unknown-user': 'لا يوجد مستخدم بهذا الاسم.',
    'unknown-request': 'لم يعد الخادم يعرف هذا الرمز: اطلب رمزًا جديدًا.',
    unauthenticated: 'لم تسجّل الدخول أو انتهت جلستك: سجّل الدخول مرة أخرى.',
    forbidden: 'هذا الطلب غير مسموح به.',
    'human-check-required': 'تعذّر التحقق من أنك إنسان. حاول مرة أخرى.',
    'source-failed': 'تعذّر الحصول على الرمز أو التحقق منه. أعد المحاولة.',
    'not-enrolled':
      'لم يُعدّ أي تطبيق مصادقة لهذا الحساب. استخدم طريقة أخرى لتسجيل الدخول.',
    'unknown-enrollment': 'انتهت صلاحية هذا الإعداد. أغلقه وابدأ من جديد.',
  },
  appTitle: 'أدخل الرمز من تطبيقك',
  appDescription: (user, f) =>
    `افتح تطبيق المصادقة وأدخل الرمز المكوّن من ${size({length: 6, numeric: true}, f)} الذي يعرضه لـ ${isolate(user)}.`,
  recoveryDescription:
    'فقدت هاتفك؟ أدخل أحد رموز الاسترداد التي حفظتها عند إعداد التطبيق.',
  recoveryTitle: 'أدخل رمز استرداد',
  recoveryLabel: 'رمز الاسترداد',
  useRecoveryCode: 'استخدام رمز استرداد',
  useAppCode: 'استخدام رمز التطبيق',
  appCodeUsed: 'سبق استخدام هذا الرمز: انتظر الرمز التالي في التطبيق.',
  recoveryCodeUsed: 'سبق استخدام رمز الاسترداد هذا: أدخل رمزًا آخر.',
  enrollTitle: 'إعداد تطبيق المصادقة',
  // The apps' names are Latin: each is isolated, so the sentence reads right to left around them.
  enrollScan: `امسح رمز ${isolate('QR')} هذا بتطبيق المصادقة، مثل ${isolate('Google Authenticator')} أو ${isolate('Microsoft Authenticator')} أو ${isolate('1Password')} أو ${isolate('Bitwarden')}.`,
  qrLabel: 'رمز QR لتطبيق المصادقة',
  secretNote: 'لا يمكنك المسح؟ أدخل هذا المفتاح في التطبيق:',
  copySecret: 'نسخ المفتاح',
  secretCopied: 'تم نسخ المفتاح.',
  next: 'التالي',
  back: 'رجوع',
  enrollCurrent: 'لديك تطبيق مصادقة بالفعل. أدخل رمزًا منه لإعداد تطبيق جديد.',
  enrollCurrentRecovery:
    'فقدت الهاتف الذي عليه التطبيق؟ أدخل أحد رموز الاسترداد لإعداد تطبيق جديد.',
  enrollCode: (f) =>
    `أدخل الرمز المكوّن من ${size({length: 6, numeric: true}, f)} الذي يعرضه التطبيق الآن لإكمال الإعداد.`,
  recoveryCodesTitle: 'احفظ رموز الاسترداد',
  recoveryCodesNote:
    'تم إعداد تطبيقك. إذا فقدت هاتفك، يتيح لك كل رمز من هذه الرموز تسجيل الدخول مرة واحدة. احفظها في مكان آمن: فهي لا تُعرض إلا الآن.',
  recoveryCodesLabel: 'رموز الاسترداد',
  copyCodes: 'نسخ الرموز',
  codesCopied: 'تم نسخ رموز الاسترداد.',
  download: 'تنزيل',
  done: 'تم',
  recoveryCodesHeading: (user) =>
    `رموز الاسترداد لـ ${user}. يتيح لك كل رمز تسجيل الدخول مرة واحدة بدلًا من رمز التطبيق.`,
};
