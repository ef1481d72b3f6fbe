import type { AccessLevel, Role } from './api/types';
import { t } from './i18n';

export const ROLES: readonly Role[] = ['admin', 'member', 'viewer'];

export function roleLabel(role: Role): string {
  switch (role) {
    case 'admin':
      return t('role.admin');
    case 'member':
      return t('role.member');
    default:
      return t('role.viewer');
  }
}

export function levelLabel(level: AccessLevel): string {
  return level === 'manage' ? t('share.level.manage') : t('share.level.view');
}
