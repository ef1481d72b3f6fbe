import { ApiError } from './api/client';
import { t } from './i18n';

export interface FormErrors {
  /** The problem's detail (or title), shown above the form. */
  message: string;
  /** Messages keyed by input field, shown under each one. */
  fields: Record<string, string>;
}

/** Turns a failed call into something readable; field errors for fields the form lacks join the message. */
export function describeError(e: unknown, formFields: readonly string[] = []): FormErrors {
  if (!(e instanceof ApiError)) return { message: t('error.generic'), fields: {} };
  if (e.isNetwork) return { message: t('error.network'), fields: {} };
  const fields: Record<string, string> = {};
  const stray: string[] = [];
  for (const { field, message } of e.fieldErrors) {
    if (formFields.includes(field)) fields[field] = fields[field] ? `${fields[field]}; ${message}` : message;
    else stray.push(field ? `${field}: ${message}` : message);
  }
  const head = e.detail || e.title || t('error.generic');
  return { message: [head, ...stray].join(' '), fields };
}
