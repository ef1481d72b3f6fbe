import { afterEach, describe, expect, it } from 'vitest';
import type { AppNotification } from './api/alerts';
import { statusReasonText } from './errors';
import { setLocale } from './i18n';
import { noticeBody, noticeTitle } from './notices';

const firing: AppNotification = {
  id: 'n1',
  title: 'critical: Disk usage /var on web-1 is 93.2 % (> 90 %)',
  body: 'Rule “Disk full”. Top: java (12 % CPU)',
  level: 'critical',
  ts: 1_700_000_000_000,
  read: false,
  code: 'alert.firing',
  params: {
    level: 'critical',
    metric: 'disk.usage',
    mount: '/var',
    metricLabel: 'Disk usage /var',
    server: 'web-1',
    valueText: '93.2 %',
    thresholdText: '> 90 %',
    rule: 'Disk full',
    top: 'java (12 % CPU)',
  },
};

describe('server texts rendered from codes', () => {
  afterEach(() => setLocale('en'));

  it('renders an alert notification in Korean, metric and level translated', () => {
    setLocale('ko');
    expect(noticeTitle(firing)).toBe('심각: web-1의 디스크 사용률 /var 값이 93.2 %입니다(> 90 %)');
    expect(noticeBody(firing)).toBe('규칙 “Disk full”. 상위: java (12 % CPU)');
  });

  it('renders the same notification in English like the hub wrote it', () => {
    expect(noticeTitle(firing)).toBe('Critical: Disk usage /var on web-1 is 93.2 % (> 90 %)');
  });

  it('shows the hub English for a notification without a code or with an unknown one', () => {
    setLocale('ko');
    expect(noticeTitle({ ...firing, code: undefined })).toBe(firing.title);
    expect(noticeTitle({ ...firing, code: 'alert.somethingNew' })).toBe(firing.title);
    expect(noticeBody({ ...firing, code: undefined })).toBe(firing.body);
  });

  it('renders an SSH status reason in Korean with Intl numbers, else the English reason', () => {
    setLocale('ko');
    const server = {
      statusReason: 'Wrong password for root@10.0.0.5:22 (the server refused it)',
      statusReasonCode: 'ssh.password_refused',
      statusReasonParams: { where: 'root@10.0.0.5:22' },
    };
    expect(statusReasonText(server)).toBe('root@10.0.0.5:22의 비밀번호가 틀렸습니다(서버가 거부함)');
    expect(statusReasonText({ statusReason: 'No data for 1200 s', statusReasonCode: 'no_data', statusReasonParams: { seconds: 1200 } }))
      .toBe('1,200초 동안 데이터 없음');
    expect(statusReasonText({ statusReason: 'Something new' })).toBe('Something new');
  });
});
