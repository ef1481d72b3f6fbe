import { describe, expect, it } from 'vitest';
import { applicationServerKey, deviceLabel, isThisDevice, pushState, subscriptionInput } from './device';

describe('push state', () => {
  it('is unsupported without PushManager, denied when blocked, subscribed only when the hub lists this browser', () => {
    expect(pushState({ supported: false, permission: 'default', endpoint: null }, false)).toBe('unsupported');
    expect(pushState({ supported: true, permission: 'unsupported', endpoint: null }, false)).toBe('unsupported');
    expect(pushState({ supported: true, permission: 'denied', endpoint: 'https://p/x' }, true)).toBe('denied');
    expect(pushState({ supported: true, permission: 'granted', endpoint: 'https://p/x' }, true)).toBe('subscribed');
    // The browser still holds a subscription the hub removed (a 410, or removed on another device): offer it again.
    expect(pushState({ supported: true, permission: 'granted', endpoint: 'https://p/x' }, false)).toBe('available');
    expect(pushState({ supported: true, permission: 'default', endpoint: null }, false)).toBe('available');
  });
});

describe('subscription', () => {
  it('decodes the VAPID key from base64url to the 65-byte point', () => {
    const key = 'BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8';
    const bytes = applicationServerKey(key);
    expect(bytes.length).toBe(65);
    expect(bytes[0]).toBe(4);
    expect(bytes[64]).toBe(0x0f);
  });

  it('sends the browser subscription in the hub shape and refuses an incomplete one', () => {
    expect(subscriptionInput({ endpoint: 'https://push.example/a', keys: { p256dh: 'P', auth: 'A' } }, '  my phone ')).toEqual({
      endpoint: 'https://push.example/a',
      keys: { p256dh: 'P', auth: 'A' },
      name: 'my phone',
    });
    expect(subscriptionInput({ endpoint: 'https://push.example/a', keys: { p256dh: 'P', auth: 'A' } }, ' ').name).toBeUndefined();
    expect(() => subscriptionInput({ endpoint: 'https://push.example/a' }, 'x')).toThrow();
  });

  it('names devices from their user agent', () => {
    expect(deviceLabel('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36')).toBe('Chrome · Android');
    expect(deviceLabel('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toBe('Safari · iPhone');
    expect(deviceLabel('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox · Linux');
    expect(deviceLabel(undefined)).toBe('');
    expect(isThisDevice({ id: 'a', service: 's', createdAt: 1 }, 'a')).toBe(true);
    expect(isThisDevice({ id: 'a', service: 's', createdAt: 1 }, null)).toBe(false);
  });
});
