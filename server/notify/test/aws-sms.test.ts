import {after, before, beforeEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {execFile} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import {awsSmsChannel, classifyAwsError} from '../aws-sms.js';
import {
  OtpDeliveryError,
  type OtpMessageInput,
  type OtpRenderedMessage,
} from '../types.js';
import {
  checkSigV4,
  startAwsContractServer,
  type AwsContractServer,
  type AwsFault,
} from './aws-contract-server.js';

const region = 'eu-west-1';
const credentials = {
  accessKeyId: 'AKIAOTPSTEPTEST00001',
  secretAccessKey: 'otp-step/test+secret/0123456789abcdefABCD',
};
const phone = '+4915112345678';
const code = '739204';
const origination =
  'arn:aws:sms-voice:eu-west-1:111122223333:phone-number/phone-0123456789abcdef';

function notification(overrides: Partial<OtpMessageInput> = {}): OtpMessageInput {
  return {
    user: 'jonas',
    client: 'web',
    code,
    expiresAt: new Date(Date.now() + 300_000),
    requestId: 'req-2',
    channel: 'sms',
    to: {phone},
    language: 'de',
    destinationHint: '+49 ••• •••• 5678',
    ...overrides,
  };
}
const message: OtpRenderedMessage = {
  text: `${code} ist Ihr Code für Acme.\n\n@acme.example #${code}`,
};
const signal = () => AbortSignal.timeout(5000);
const run = promisify(execFile);

async function sendError(
  channel: ReturnType<typeof awsSmsChannel>,
): Promise<OtpDeliveryError> {
  const error = await channel.send(message, notification(), signal()).then(
    () => assert.fail('the send should have failed'),
    (e: unknown) => e,
  );
  assert.ok(
    error instanceof OtpDeliveryError,
    `an OtpDeliveryError, got ${String(error)}`,
  );
  assert.ok(
    !error.message.includes(phone.slice(1)),
    `no phone number in: ${error.message}`,
  );
  assert.ok(!error.message.includes(code), `no code in: ${error.message}`);
  assert.ok(
    !error.message.includes(credentials.secretAccessKey),
    `no secret in: ${error.message}`,
  );
  return error;
}

describe('awsSmsChannel against an AWS End User Messaging SMS contract server', () => {
  let aws: AwsContractServer;
  const channels: ReturnType<typeof awsSmsChannel>[] = [];
  const make = (overrides: Partial<Parameters<typeof awsSmsChannel>[0]> = {}) => {
    const channel = awsSmsChannel({
      region,
      originationIdentity: origination,
      credentials,
      endpoint: aws.endpoint,
      ...overrides,
    });
    channels.push(channel);
    return channel;
  };
  before(async () => {
    aws = await startAwsContractServer({region, credentials});
  });
  after(async () => {
    await Promise.all(channels.map((c) => c.close?.()));
    await aws.close();
  });
  beforeEach(() => {
    aws.received.length = 0;
    aws.refused.length = 0;
    aws.raw.length = 0;
    aws.fault = 'none';
  });

  it('sends SendTextMessage, SigV4-signed for sms-voice, with every documented field', async () => {
    const channel = make({configurationSetName: 'otp-codes'});
    assert.equal(channel.channel, 'sms');
    assert.equal(channel.provider, 'aws');
    await channel.send(message, notification(), signal());
    assert.deepEqual(aws.refused, []);
    assert.deepEqual(aws.received, [
      {
        DestinationPhoneNumber: phone,
        OriginationIdentity: origination,
        MessageBody: message.text,
        MessageType: 'TRANSACTIONAL',
        ConfigurationSetName: 'otp-codes',
      },
    ]);
    assert.equal(aws.raw.length, 1, 'one attempt: maxAttempts 1');
    assert.match(
      String(aws.raw[0].headers.authorization),
      /\/eu-west-1\/sms-voice\/aws4_request/,
    );
  });

  it('leaves ConfigurationSetName out when not given', async () => {
    await make().send(message, notification(), signal());
    assert.equal('ConfigurationSetName' in aws.received[0], false);
  });

  it('refuses a request whose body, target or date was changed after signing: the checker can fail', async () => {
    await make().send(message, notification(), signal());
    const [request] = aws.raw;
    const check = (r: typeof request) =>
      checkSigV4(r, r.body, credentials, region, new Date());
    assert.equal(check(request), null);
    const body = Buffer.from(
      request.body.toString('utf8').replace(phone, '+4915199999999'),
    );
    // The SDK also sends the body's hash as x-amz-content-sha256: the changed body is
    // refused for not matching it, and, with the header changed to match, by the signature.
    assert.equal(
      checkSigV4(request, body, credentials, region, new Date()),
      'x-amz-content-sha256 is not the body',
    );
    const rehashed = {
      ...request,
      headers: {
        ...request.headers,
        'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
      },
    };
    assert.equal(
      checkSigV4(rehashed, body, credentials, region, new Date()),
      'signature mismatch',
    );
    assert.equal(
      check({
        ...request,
        headers: {
          ...request.headers,
          'x-amz-target': 'PinpointSMSVoiceV2.SendVoiceMessage',
        },
      }),
      'signature mismatch',
    );
    assert.equal(check({...request, method: 'PUT'}), 'signature mismatch');
    assert.equal(check({...request, url: '/?x=1'}), 'signature mismatch');
    assert.equal(
      checkSigV4(
        request,
        request.body,
        {...credentials, secretAccessKey: 'other'},
        region,
        new Date(),
      ),
      'signature mismatch',
    );
    assert.match(
      String(checkSigV4(request, request.body, credentials, 'us-east-1', new Date())),
      /region/,
    );
    assert.match(
      String(
        checkSigV4(
          request,
          request.body,
          credentials,
          region,
          new Date(Date.now() + 600_000),
        ),
      ),
      /5 minutes/,
    );
  });

  it('the contract server refuses requests AWS would refuse', async () => {
    const sdk = await import('@aws-sdk/client-pinpoint-sms-voice-v2');
    const client = new sdk.PinpointSMSVoiceV2Client({
      region,
      credentials,
      endpoint: aws.endpoint,
      maxAttempts: 1,
    });
    try {
      const fail = (send: () => Promise<unknown>) =>
        send().then(
          () => assert.fail('should be refused'),
          (e: {name: string}) => e.name,
        );
      const input = {
        DestinationPhoneNumber: phone,
        OriginationIdentity: origination,
        MessageBody: 'hi',
      };
      const text = (fields: object) =>
        fail(() => client.send(new sdk.SendTextMessageCommand({...input, ...fields})));
      assert.equal(
        await text({DestinationPhoneNumber: '015112345678'}),
        'ValidationException',
      );
      assert.equal(await text({MessageBody: 'x'.repeat(1601)}), 'ValidationException');
      assert.equal(
        await fail(() => client.send(new sdk.SendVoiceMessageCommand(input))),
        'UnknownOperationException',
      );
      assert.deepEqual(aws.refused, [
        'DestinationPhoneNumber not E.164',
        'MessageBody',
        'target PinpointSMSVoiceV2.SendVoiceMessage',
      ]);
      assert.equal(aws.received.length, 0);
    } finally {
      client.destroy();
    }
  });

  it('is refused with a wrong secret key, as a permanent credential error', async () => {
    const error = await sendError(
      make({credentials: {...credentials, secretAccessKey: 'wrong-secret'}}),
    );
    assert.equal(error.permanent, true);
    assert.match(error.message, /InvalidSignatureException/);
    assert.deepEqual(aws.refused, ['signature mismatch']);
    assert.equal(aws.received.length, 0);
  });

  it('is refused with an unknown access key, as a permanent credential error', async () => {
    const error = await sendError(
      make({credentials: {...credentials, accessKeyId: 'AKIAOTHER00000000000'}}),
    );
    assert.equal(error.permanent, true);
    assert.match(error.message, /UnrecognizedClientException/);
  });

  for (const [fault, permanent, pattern] of [
    ['opted-out', true, /ConflictException, reason DESTINATION_PHONE_NUMBER_OPTED_OUT/],
    ['validation', true, /ValidationException/],
    ['not-found', true, /ResourceNotFoundException/],
    ['access-denied', true, /AccessDeniedException/],
    ['quota', true, /ServiceQuotaExceededException, reason MONTHLY_SPEND_LIMIT_REACHED/],
    ['throttling', false, /ThrottlingException/],
    ['internal', false, /InternalServerException, HTTP 500/],
    ['html-503', false, /HTTP 503/],
  ] as [AwsFault, boolean, RegExp][]) {
    it(`takes ${fault} as ${permanent ? 'permanent' : 'transient'}, without the service's message`, async () => {
      aws.fault = fault;
      const error = await sendError(make());
      assert.equal(error.permanent, permanent);
      assert.match(error.message, pattern);
      assert.equal(aws.raw.length, 1, 'the SDK did not retry');
    });
  }

  it('takes a refused connection as transient', async () => {
    const closed = await startAwsContractServer({region, credentials});
    const endpoint = closed.endpoint;
    await closed.close();
    const error = await sendError(make({endpoint}));
    assert.equal(error.permanent, false);
  });

  it('gives up on a peer that never answers when the signal times out, as transient', async () => {
    aws.fault = 'hang';
    const started = Date.now();
    const error = await make()
      .send(message, notification(), AbortSignal.timeout(200))
      .catch((e: unknown) => e);
    assert.ok(error instanceof OtpDeliveryError);
    assert.equal(error.permanent, false);
    assert.ok(Date.now() - started < 2000, 'stopped at the signal, not later');
  });

  it('refuses a body over 1600 characters before sending anything', async () => {
    const error = await make()
      .send({text: 'x'.repeat(1601)}, notification(), signal())
      .catch((e: unknown) => e);
    assert.ok(error instanceof OtpDeliveryError && error.permanent);
    assert.match(error.message, /1600/);
    assert.equal(aws.raw.length, 0);
  });

  it('takes an aborted send as transient', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await make()
      .send(message, notification(), controller.signal)
      .catch((e: unknown) => e);
    assert.ok(error instanceof OtpDeliveryError);
    assert.equal(error.permanent, false);
  });

  it('refuses a notification without a phone number before sending anything', async () => {
    const error = await make()
      .send(message, notification({to: {}}), signal())
      .catch((e: unknown) => e);
    assert.ok(error instanceof OtpDeliveryError && error.permanent);
    assert.equal(aws.raw.length, 0);
  });

  it('sends twenty messages at once through one client, each signed and received once', async () => {
    const channel = make();
    await Promise.all(
      Array.from({length: 20}, (_, i) =>
        channel.send({text: `m${i}`}, notification(), signal()),
      ),
    );
    assert.deepEqual(aws.refused, []);
    assert.equal(aws.received.length, 20);
    assert.equal(new Set(aws.received.map((r) => r.MessageBody)).size, 20);
  });
});

describe('awsSmsChannel options and errors', () => {
  const base = {region, originationIdentity: origination};
  for (const [name, options, pattern] of [
    ['a missing region', {originationIdentity: origination}, /region/],
    ['a made-up region', {...base, region: 'europe'}, /region/],
    [
      'an empty originationIdentity',
      {...base, originationIdentity: ' '},
      /originationIdentity/,
    ],
    [
      'an empty configurationSetName',
      {...base, configurationSetName: ''},
      /configurationSetName/,
    ],
    ['an unknown messageType', {...base, messageType: 'MARKETING'}, /messageType/],
    [
      'an endpoint that is no URL',
      {...base, endpoint: 'sms-voice.eu-west-1.amazonaws.com'},
      /endpoint/,
    ],
  ] as const) {
    it(`refuses ${name}, naming the option`, () => {
      assert.throws(
        () => awsSmsChannel(options as Parameters<typeof awsSmsChannel>[0]),
        pattern,
      );
    });
  }

  it('classifies errors by name, and never repeats their message', () => {
    const named = (name: string, extra: object = {}) =>
      classifyAwsError(Object.assign(new Error(`about ${phone}`), {name, ...extra}));
    assert.equal(named('CredentialsProviderError').permanent, true);
    assert.equal(named('TimeoutError').permanent, false);
    assert.equal(named('Error', {code: 'ECONNRESET'}).permanent, false);
    assert.equal(
      named('UnknownError', {$metadata: {httpStatusCode: 403}}).permanent,
      true,
    );
    assert.ok(!named('ValidationException').message.includes(phone));
    assert.equal(classifyAwsError(undefined).permanent, false);
  });
});

describe('awsSmsChannel without the optional SDK installed', () => {
  it('loads otp-step/server/notify anyway, and each send fails permanently saying what to install', async () => {
    // A child Node whose resolver cannot find the SDK, as on an install without the optional peer.
    const dir = await mkdtemp(join(tmpdir(), 'otp-step-no-sdk-'));
    try {
      await writeFile(
        join(dir, 'hooks.mjs'),
        `export async function resolve(specifier, context, next) {
          if (specifier.startsWith('@aws-sdk/client-pinpoint-sms-voice-v2'))
            throw Object.assign(new Error('Cannot find package ' + specifier), {code: 'ERR_MODULE_NOT_FOUND'});
          return next(specifier, context);
        }`,
      );
      await writeFile(
        join(dir, 'register.mjs'),
        `import {register} from 'node:module'; register('./hooks.mjs', import.meta.url);`,
      );
      const index = pathToFileURL(
        fileURLToPath(new URL('../index.js', import.meta.url)),
      ).href;
      const script = `
        const {awsSmsChannel} = await import(${JSON.stringify(index)});
        const channel = awsSmsChannel({region: 'eu-west-1', originationIdentity: 'phone-1'});
        const n = {to: {phone: '+4915112345678'}, destinationHint: '+49 ••• 5678'};
        const e = await channel.send({text: 'x'}, n, AbortSignal.timeout(5000)).catch((e) => e);
        const again = await channel.send({text: 'x'}, n, AbortSignal.timeout(5000)).catch((e) => e);
        console.log(JSON.stringify({name: e.name, permanent: e.permanent, message: e.message, again: again.permanent}));`;
      const {stdout} = await run(process.execPath, [
        '--no-warnings',
        '--import',
        pathToFileURL(join(dir, 'register.mjs')).href,
        '--input-type=module',
        '-e',
        script,
      ]);
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<
        string,
        unknown
      >;
      assert.equal(result.name, 'OtpDeliveryError');
      assert.equal(result.permanent, true);
      assert.equal(result.again, true);
      assert.match(
        String(result.message),
        /npm install @aws-sdk\/client-pinpoint-sms-voice-v2/,
      );
    } finally {
      await rm(dir, {recursive: true, force: true});
    }
  });
});
