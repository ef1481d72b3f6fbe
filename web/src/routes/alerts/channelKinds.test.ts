import { describe, expect, it } from 'vitest';
import type { Channel } from '../../lib/api/alerts';
import { draftOf, emptyDraft, summary, toInput, unknownPlaceholder, validate } from './channelKinds';

const stored: Channel = {
  id: 'c1',
  name: 'tg',
  type: 'telegram',
  config: { chatId: '-100', hasBotToken: true, templates: { firing: { title: 'T {{server}}' } } },
  allowPrivate: false,
  createdAt: 0,
  health: { failing: 0 },
};

describe('channel editor', () => {
  it('requires each kind’s own fields, naming them as the hub does', () => {
    const d = { ...emptyDraft('telegram'), name: 'tg' };
    expect(Object.keys(validate(d))).toEqual(['config.botToken', 'config.chatId']);
    d.values = { botToken: 't', chatId: '1', apiUrl: 'ftp://x' };
    expect(validate(d)['config.apiUrl'].key).toBe('channels.error.url');
    const m = { ...emptyDraft('matrix'), name: 'm', values: { homeserverUrl: 'https://m.org', accessToken: 'a', roomId: 'room' } };
    expect(validate(m)['config.roomId'].key).toBe('channels.error.roomId');
  });

  it('keeps a stored secret when left blank on edit, and never sends a blank one', () => {
    const d = draftOf(stored);
    expect(d.values).toEqual({ chatId: '-100' });
    expect(validate(d, stored)).toEqual({});
    const input = toInput(d);
    expect(input.config).not.toHaveProperty('botToken');
    expect(input.config.templates).toEqual({ firing: { title: 'T {{server}}' } });
  });

  it('flags unknown placeholders per field, and {{title}} inside a title', () => {
    expect(unknownPlaceholder('{{server}} {{ host }}', false)).toBe('host');
    expect(unknownPlaceholder('{{title}}', true)).toBe('title');
    expect(unknownPlaceholder('{{title}} {{processes}}', false)).toBeUndefined();
    const d = draftOf(stored);
    d.templates.resolved = { body: '{{cpu}}' };
    expect(validate(d, stored)['config.templates.resolved.body']).toEqual({ key: 'channels.error.placeholder', params: { name: 'cpu' } });
  });

  it('builds webhook headers and templates only for the custom format', () => {
    const d = { ...emptyDraft('webhook'), name: 'h', values: { url: 'https://h.example.com/x' }, headers: 'X-Key: abc\n', format: 'json' };
    d.templates = { firing: { body: '{"a":"{{value}}"}', title: ' ' } };
    expect(toInput(d).config).toEqual({ url: 'https://h.example.com/x', format: 'json', headers: { 'X-Key': 'abc' } });
    d.format = 'custom';
    expect(toInput(d).config.templates).toEqual({ firing: { body: '{"a":"{{value}}"}' } });
    expect(validate({ ...d, headers: 'bad header' })['config.headers'].key).toBe('channels.error.header');
  });

  it('summarises without secrets', () => {
    expect(summary(stored)).toBe('-100');
    expect(summary({ ...stored, type: 'ntfy', config: { url: 'https://ntfy.sh/…', hasToken: true } })).toBe('https://ntfy.sh/…');
  });
});
