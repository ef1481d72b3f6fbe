import { t, type MessageKey } from './i18n';

/** Why a social sign-in came back without a session (the hub's "#/signin?error=…"), in words. */
export function socialError(code: string | undefined): string {
  switch (code) {
    case 'email-in-use':
      return t('social.error.emailInUse');
    case 'no-account':
      return t('social.error.noAccount');
    case 'disabled':
      return t('social.error.disabled');
    case 'setup-required':
      return t('social.error.setupRequired');
    default:
      return t('social.error.failed');
  }
}

/** Why linking a provider failed (the hub's "#/profile?linkError=…"). */
export function linkError(code: string | undefined): string {
  switch (code) {
    case 'taken':
      return t('social.link.taken');
    case 'session':
      return t('social.link.session');
    default:
      return t('social.link.failed');
  }
}

/** The label of a provider's sign-in button, in the wording each provider's brand rules ask for. */
export function signInLabel(id: string, name: string): string {
  const keys: Record<string, MessageKey> = {
    google: 'social.google',
    apple: 'social.apple',
    kakao: 'social.kakao',
    facebook: 'social.facebook',
  };
  const key = keys[id];
  return key ? t(key) : t('social.other', { name });
}
