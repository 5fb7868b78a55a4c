/**
 * A loopback stand-in for AWS End User Messaging SMS, for tests: CI cannot
 * reach AWS, so this server takes SendTextMessage as AWS documents it
 * (https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html)
 * over the AWS JSON 1.0 protocol, and recomputes the Signature Version 4 of
 * each request from its method, path, signed headers and body with the test
 * credentials (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
 * refusing any mismatch. The signing name is `sms-voice`, as the SDK's
 * httpAuthSchemeProvider gives it. Errors carry `__type` in the body and the
 * `x-amzn-ErrorType` header, as the JSON protocol does.
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {createHash, createHmac, randomUUID, timingSafeEqual} from 'node:crypto';

export type AwsFault =
  | 'none'
  | 'throttling'
  | 'internal'
  | 'html-503'
  | 'opted-out'
  | 'validation'
  | 'not-found'
  | 'access-denied'
  | 'quota'
  /** Reads the request and never answers: a slow peer. */
  | 'hang';

export interface AwsContractServer {
  endpoint: string;
  /** Accepted SendTextMessage bodies, in order. */
  received: Record<string, unknown>[];
  refused: string[];
  /** Every request as it came, so a test can tamper with one and check it again. */
  raw: {method: string; url: string; headers: IncomingMessage['headers']; body: Buffer}[];
  fault: AwsFault;
  close(): Promise<void>;
}

const SERVICE = 'sms-voice';
const TARGET = 'PinpointSMSVoiceV2.SendTextMessage';
const E164 = /^\+[1-9]\d{1,14}$/;
const FIELDS = new Set([
  'DestinationPhoneNumber',
  'OriginationIdentity',
  'MessageBody',
  'MessageType',
  'Keyword',
  'ConfigurationSetName',
  'MaxPrice',
  'TimeToLive',
  'Context',
  'DestinationCountryParameters',
  'DryRun',
  'ProtectConfigurationId',
  'MessageFeedbackEnabled',
]);

const FAULTS: Record<
  string,
  [status: number, type: string, extra: Record<string, string>]
> = {
  throttling: [400, 'ThrottlingException', {Message: 'Rate exceeded'}],
  internal: [500, 'InternalServerException', {Message: 'Internal failure'}],
  'opted-out': [
    400,
    'ConflictException',
    {
      Message: 'Destination {to} is opted out',
      Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
      ResourceType: 'opt-out-list',
      ResourceId: '{to}',
    },
  ],
  validation: [
    400,
    'ValidationException',
    {Message: 'Invalid DestinationPhoneNumber {to}', Reason: 'INVALID_PARAMETER'},
  ],
  'not-found': [
    400,
    'ResourceNotFoundException',
    {Message: 'Origination identity not found', ResourceType: 'phone-number'},
  ],
  'access-denied': [
    400,
    'AccessDeniedException',
    {Message: 'Not authorized', Reason: 'ACCOUNT_DISABLED'},
  ],
  quota: [
    400,
    'ServiceQuotaExceededException',
    {Message: 'Monthly spend limit reached', Reason: 'MONTHLY_SPEND_LIMIT_REACHED'},
  ],
};

const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data).digest();
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** SigV4 path encoding: each segment URI-encoded (RFC 3986 unreserved kept), slashes kept. */
function canonicalPath(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      encodeURIComponent(decodeURIComponent(segment)).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

function canonicalQuery(search: URLSearchParams): string {
  const encode = (s: string) =>
    encodeURIComponent(s).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  return [...search]
    .map(([k, v]) => [encode(k), encode(v)])
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Recomputes a request's SigV4 signature; returns why it is refused, or null. */
export function checkSigV4(
  request: {method: string; url: string; headers: IncomingMessage['headers']},
  body: Buffer,
  credentials: {accessKeyId: string; secretAccessKey: string},
  region: string,
  now: Date,
): string | null {
  const auth = request.headers.authorization;
  const match =
    typeof auth === 'string' &&
    /^AWS4-HMAC-SHA256 Credential=([^/,]+)\/(\d{8})\/([^/,]+)\/([^/,]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!match) return 'no SigV4 Authorization header';
  const [, keyId, date, scopeRegion, service, signedList, signature] = match;
  if (keyId !== credentials.accessKeyId) return 'unknown access key';
  if (service !== SERVICE) return `signed for service ${service}, not ${SERVICE}`;
  if (scopeRegion !== region) return `signed for region ${scopeRegion}, not ${region}`;
  const amzDate = request.headers['x-amz-date'];
  if (typeof amzDate !== 'string' || !/^\d{8}T\d{6}Z$/.test(amzDate))
    return 'no X-Amz-Date';
  if (amzDate.slice(0, 8) !== date) return 'scope date is not the X-Amz-Date';
  const at = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  if (Math.abs(now.getTime() - at) > 5 * 60_000)
    return 'X-Amz-Date more than 5 minutes off';
  const signed = signedList.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-target', 'content-type'])
    if (!signed.includes(required)) return `${required} is not signed`;
  if ([...signed].sort().join(';') !== signedList) return 'SignedHeaders not sorted';
  const headerLines: string[] = [];
  for (const name of signed) {
    const value = request.headers[name];
    if (value === undefined) return `signed header ${name} is missing`;
    const joined = Array.isArray(value) ? value.join(',') : value;
    headerLines.push(`${name}:${joined.trim().replace(/\s+/g, ' ')}\n`);
  }
  const url = new URL(request.url, 'http://placeholder');
  const payloadHash = sha256(body);
  const claimed = request.headers['x-amz-content-sha256'];
  if (claimed !== undefined && claimed !== payloadHash)
    return 'x-amz-content-sha256 is not the body';
  const canonicalRequest = [
    request.method,
    canonicalPath(url.pathname),
    canonicalQuery(url.searchParams),
    headerLines.join(''),
    signedList,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${SERVICE}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    sha256(canonicalRequest),
  ].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), SERVICE),
    'aws4_request',
  );
  const expected = hmac(key, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex')))
    return 'signature mismatch';
  return null;
}

export async function startAwsContractServer(options: {
  region: string;
  credentials: {accessKeyId: string; secretAccessKey: string};
  now?: () => Date;
}): Promise<AwsContractServer> {
  const state = {
    received: [] as Record<string, unknown>[],
    refused: [] as string[],
    raw: [] as AwsContractServer['raw'],
    fault: 'none' as AwsFault,
  };
  const now = options.now ?? (() => new Date());

  function error(
    response: ServerResponse,
    status: number,
    type: string,
    fields: Record<string, string>,
    why: string,
  ) {
    if (why) state.refused.push(why);
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-errortype': type,
      'x-amzn-requestid': randomUUID(),
    });
    response.end(JSON.stringify({__type: type, ...fields}));
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    state.raw.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body,
    });
    if (
      request.method !== 'POST' ||
      new URL(request.url ?? '/', 'http://x').pathname !== '/'
    )
      return error(
        response,
        404,
        'UnknownOperationException',
        {},
        `${request.method} ${request.url}`,
      );
    if (request.headers['content-type'] !== 'application/x-amz-json-1.0')
      return error(
        response,
        400,
        'SerializationException',
        {},
        `content-type ${request.headers['content-type']}`,
      );
    if (request.headers['x-amz-target'] !== TARGET)
      return error(
        response,
        400,
        'UnknownOperationException',
        {},
        `target ${request.headers['x-amz-target']}`,
      );
    const why = checkSigV4(
      {method: request.method, url: request.url ?? '/', headers: request.headers},
      body,
      options.credentials,
      options.region,
      now(),
    );
    if (why === 'unknown access key')
      return error(
        response,
        400,
        'UnrecognizedClientException',
        {message: 'The security token included in the request is invalid.'},
        why,
      );
    if (why)
      return error(
        response,
        400,
        'InvalidSignatureException',
        {
          message:
            'The request signature we calculated does not match the signature you provided.',
        },
        why,
      );
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return error(response, 400, 'SerializationException', {}, 'body is not JSON');
    }
    const invalid = (message: string) =>
      error(
        response,
        400,
        'ValidationException',
        {Message: message, Reason: 'FIELD_VALIDATION_FAILED'},
        message,
      );
    for (const key of Object.keys(input))
      if (!FIELDS.has(key)) return invalid(`unknown field ${key}`);
    const to = input.DestinationPhoneNumber;
    if (typeof to !== 'string' || !E164.test(to))
      return invalid('DestinationPhoneNumber not E.164');
    if (
      typeof input.OriginationIdentity !== 'string' ||
      !/^[A-Za-z0-9_:/+-]{1,256}$/.test(input.OriginationIdentity)
    )
      return invalid('OriginationIdentity');
    if (
      typeof input.MessageBody !== 'string' ||
      input.MessageBody.length < 1 ||
      input.MessageBody.length > 1600
    )
      return invalid('MessageBody');
    if (
      input.MessageType !== undefined &&
      input.MessageType !== 'TRANSACTIONAL' &&
      input.MessageType !== 'PROMOTIONAL'
    )
      return invalid('MessageType');
    if (
      input.ConfigurationSetName !== undefined &&
      (typeof input.ConfigurationSetName !== 'string' ||
        !/^[A-Za-z0-9_:/-]{1,256}$/.test(input.ConfigurationSetName))
    )
      return invalid('ConfigurationSetName');

    const fault = FAULTS[state.fault];
    if (fault) {
      const fields = Object.fromEntries(
        Object.entries(fault[2]).map(([k, v]) => [k, v.replace('{to}', to)]),
      );
      return error(response, fault[0], fault[1], fields, '');
    }
    if (state.fault === 'hang') return;
    if (state.fault === 'html-503') {
      response.writeHead(503, {'content-type': 'text/html'});
      return response.end('<html><body>Service Unavailable</body></html>');
    }
    state.received.push(input);
    response.writeHead(200, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
    });
    response.end(JSON.stringify({MessageId: randomUUID()}));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((e: unknown) => {
      state.refused.push(`server error: ${String(e)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    get refused() {
      return state.refused;
    },
    get raw() {
      return state.raw;
    },
    get fault() {
      return state.fault;
    },
    set fault(value: AwsFault) {
      state.fault = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
