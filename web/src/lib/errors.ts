import { ApiError } from './api/client';
import { getLocale, renderCode, t } from './i18n';

/**
 * Codes that only name the status (or a field's generic "invalid"): the hub's own English text says more, so English
 * readers keep it and other languages get the translated generic sentence.
 */
const GENERIC = new Set(['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'invalid', 'invalid_fields']);

function say(prefix: string, code: string | undefined, params: Record<string, unknown> | undefined, english: string): string {
  if (getLocale() === 'en' && english && code && GENERIC.has(code)) return english;
  return renderCode(prefix, code, params, english);
}

export interface FormErrors {
  /** The problem's detail (or title), shown above the form. */
  message: string;
  /** Messages keyed by input field, shown under each one. */
  fields: Record<string, string>;
}

/** Why a server is not online, in the user's language when the hub sent a code it knows, else the hub's English. */
export function statusReasonText(server: {
  statusReason?: string;
  statusReasonCode?: string;
  statusReasonParams?: Record<string, unknown>;
}): string {
  return renderCode('reason.', server.statusReasonCode, server.statusReasonParams, server.statusReason ?? '');
}

/** Turns a failed call into something readable; field errors for fields the form lacks join the message. */
export function describeError(e: unknown, formFields: readonly string[] = []): FormErrors {
  if (!(e instanceof ApiError)) return { message: t('error.generic'), fields: {} };
  if (e.isNetwork) return { message: t('error.network'), fields: {} };
  const fields: Record<string, string> = {};
  const stray: string[] = [];
  for (const f of e.fieldErrors) {
    const field = f.field;
    const message = say('field.', f.code, f.params, f.message);
    if (formFields.includes(field)) fields[field] = fields[field] ? `${fields[field]}; ${message}` : message;
    else stray.push(field ? `${field}: ${message}` : message);
  }
  // The hub's code in the user's language; an unknown code falls back to the English detail it sent.
  const head = say('problem.', e.code, e.params, e.detail || e.title || t('error.generic'));
  return { message: [head, ...stray].join(' '), fields };
}
