export {
  classify,
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type OutgoingRequest,
} from './client.js';
export { type CurlCredential, type CurlHeader, curlLine, shellQuote, toCurl } from './curl.js';
export type { Exchange, ExchangeRequest, ExchangeResponse, TransportFailure } from './exchange.js';
export { REDACTED_CREDENTIAL } from './exchange.js';
export { redactHeaders, redactText, withoutUserinfo } from './redact.js';
