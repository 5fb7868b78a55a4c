/**
 * A loopback stand-in for Twilio's Messages resource, for tests: CI cannot
 * reach Twilio, so this server checks each request as Twilio documents it
 * (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource)
 * and answers as Twilio does, errors as `{code, message, more_info, status}`
 * (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions).
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {randomBytes} from 'node:crypto';

export type TwilioFault =
  | 'none'
  | '429'
  | '503'
  | 'invalid-to'
  | 'unsubscribed'
  | 'not-mobile'
  | 'region'
  | 'html-502'
  /** Reads the request and never answers: a slow peer. */
  | 'hang';

export interface TwilioReceived {
  fields: Record<string, string>;
  headers: IncomingMessage['headers'];
}

export interface TwilioContractServer {
  endpoint: string;
  /** Accepted messages, in order. */
  received: TwilioReceived[];
  /** Requests refused for not following the contract, with the reason. */
  refused: string[];
  fault: TwilioFault;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const ALLOWED = new Set([
  'To',
  'From',
  'MessagingServiceSid',
  'Body',
  'StatusCallback',
  'MediaUrl',
  'ContentSid',
]);

const FAULTS: Record<string, [status: number, code: number, message: string]> = {
  '429': [429, 20429, 'Too Many Requests'],
  '503': [503, 20500, 'Service Unavailable'],
  'invalid-to': [400, 21211, "The 'To' number {to} is not a valid phone number."],
  unsubscribed: [400, 21610, 'Attempt to send to unsubscribed recipient {to}'],
  'not-mobile': [400, 21614, "'To' number {to} is not a valid mobile number"],
  region: [
    400,
    21408,
    'Permission to send an SMS has not been enabled for the region indicated by the To number: {to}',
  ],
};

export async function startTwilioContractServer(credentials: {
  accountSid: string;
  authToken: string;
}): Promise<TwilioContractServer> {
  const state = {
    received: [] as TwilioReceived[],
    refused: [] as string[],
    fault: 'none' as TwilioFault,
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      state.refused.push(`server error: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  function error(
    response: ServerResponse,
    status: number,
    code: number,
    message: string,
    why: string,
  ) {
    if (why) state.refused.push(why);
    response.writeHead(status, {'content-type': 'application/json'});
    response.end(
      JSON.stringify({
        code,
        message,
        more_info: `https://www.twilio.com/docs/errors/${code}`,
        status,
      }),
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = `/2010-04-01/Accounts/${credentials.accountSid}/Messages.json`;
    const expected = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`;
    // The Account resource, which a channel's verify() fetches.
    if (
      request.url === `/2010-04-01/Accounts/${credentials.accountSid}.json` &&
      request.method === 'GET'
    ) {
      if (request.headers.authorization !== expected)
        return error(response, 401, 20003, 'Authenticate', 'authentication');
      response.writeHead(200, {'content-type': 'application/json'});
      return response.end(
        JSON.stringify({
          sid: credentials.accountSid,
          status: 'active',
          type: 'Full',
          friendly_name: 'otp-step test',
        }),
      );
    }
    if (request.url !== path)
      return error(
        response,
        404,
        20404,
        'The requested resource was not found',
        `path ${request.url}`,
      );
    if (request.method !== 'POST')
      return error(
        response,
        405,
        20004,
        'Method not allowed',
        `method ${request.method}`,
      );
    if (request.headers.authorization !== expected)
      return error(response, 401, 20003, 'Authenticate', 'authentication');
    const type = request.headers['content-type'] ?? '';
    if (type.split(';')[0].trim().toLowerCase() !== 'application/x-www-form-urlencoded')
      return error(
        response,
        400,
        20001,
        'Unsupported content type',
        `content-type ${type}`,
      );
    const params = new URLSearchParams(raw);
    const fields: Record<string, string> = {};
    for (const [name, value] of params) {
      if (name in fields)
        return error(response, 400, 21201, `Repeated ${name}`, `repeated ${name}`);
      if (!ALLOWED.has(name))
        return error(response, 400, 21201, `Unknown ${name}`, `unknown field ${name}`);
      fields[name] = value;
    }
    if (!fields.To)
      return error(response, 400, 21604, "A 'To' phone number is required.", 'no To');
    if (!E164.test(fields.To))
      return error(response, 400, 21211, "Invalid 'To' Phone Number", 'To not E.164');
    if ('From' in fields === 'MessagingServiceSid' in fields)
      return error(
        response,
        400,
        21603,
        "A 'From' or 'MessagingServiceSid' parameter is required",
        'From/MessagingServiceSid',
      );
    if (!fields.Body)
      return error(response, 400, 21602, 'Message body is required.', 'no Body');
    if (fields.Body.length > 1600)
      return error(
        response,
        400,
        21617,
        'The concatenated message body exceeds the 1600 character limit.',
        'Body too long',
      );

    const fault = FAULTS[state.fault];
    if (fault)
      return error(response, fault[0], fault[1], fault[2].replace('{to}', fields.To), '');
    if (state.fault === 'hang') return;
    if (state.fault === 'html-502') {
      response.writeHead(502, {'content-type': 'text/html'});
      return response.end('<html><body>Bad Gateway</body></html>');
    }

    state.received.push({fields, headers: request.headers});
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = new Date().toUTCString().replace('GMT', '+0000');
    response.writeHead(201, {'content-type': 'application/json'});
    response.end(
      JSON.stringify({
        account_sid: credentials.accountSid,
        api_version: '2010-04-01',
        body: fields.Body,
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: fields.From ?? null,
        messaging_service_sid: fields.MessagingServiceSid ?? null,
        num_media: '0',
        num_segments: '1',
        price: null,
        price_unit: null,
        sid,
        status: fields.MessagingServiceSid ? 'accepted' : 'queued',
        subresource_uris: {
          media: `/2010-04-01/Accounts/${credentials.accountSid}/Messages/${sid}/Media.json`,
        },
        to: fields.To,
        uri: `/2010-04-01/Accounts/${credentials.accountSid}/Messages/${sid}.json`,
      }),
    );
  }

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
    get fault() {
      return state.fault;
    },
    set fault(value: TwilioFault) {
      state.fault = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
