import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { Poller } from './poller';

function setup() {
  let visible = true;
  let onChange: () => void = () => undefined;
  const load = vi.fn(async (_signal: AbortSignal) => load.mock.calls.length);
  const poller = new Poller<number>(load, {
    visible: () => visible,
    onVisibility: (l) => {
      onChange = l;
      return () => (onChange = () => undefined);
    },
  });
  const show = (v: boolean) => {
    visible = v;
    onChange();
  };
  return { load, poller, show };
}

describe('Poller', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks at once, then at the shortest interval any watcher wants', async () => {
    const { load, poller } = setup();
    const slow = poller.watch(10_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(load).toHaveBeenCalledTimes(1);
    expect(get(poller.state).value).toBe(1);

    await vi.advanceTimersByTimeAsync(9_999);
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(load).toHaveBeenCalledTimes(2);

    const fast = poller.watch(3_000); // a faster watcher asks now
    await vi.advanceTimersByTimeAsync(0);
    expect(load).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(load).toHaveBeenCalledTimes(4);

    fast(); // back to the slow pace
    await vi.advanceTimersByTimeAsync(9_999);
    expect(load).toHaveBeenCalledTimes(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(load).toHaveBeenCalledTimes(5);
    slow();
  });

  it('stops and forgets the value when the last watcher leaves', async () => {
    const { load, poller } = setup();
    const stop = poller.watch(10_000);
    await vi.advanceTimersByTimeAsync(0);
    stop();
    expect(get(poller.state)).toEqual({ value: null, at: 0, error: null, refused: false });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not ask while the page is hidden, and catches up when it shows again', async () => {
    const { load, poller, show } = setup();
    const stop = poller.watch(10_000);
    await vi.advanceTimersByTimeAsync(0);
    show(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(load).toHaveBeenCalledTimes(1);
    show(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(load).toHaveBeenCalledTimes(2);
    stop();
  });

  it('keeps the last value on a network error and keeps trying', async () => {
    const { load, poller } = setup();
    const stop = poller.watch(10_000);
    await vi.advanceTimersByTimeAsync(0);
    load.mockRejectedValueOnce(new ApiError(0, { title: 'Network error' }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(get(poller.state).value).toBe(1);
    expect(get(poller.state).error).toBeInstanceOf(ApiError);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(get(poller.state)).toMatchObject({ value: 3, error: null });
    stop();
  });

  it('stops asking when the hub refuses (not an admin any more, or an older hub)', async () => {
    const { load, poller } = setup();
    load.mockRejectedValueOnce(new ApiError(403, { title: 'Forbidden' }));
    const stop = poller.watch(10_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(get(poller.state)).toMatchObject({ value: null, refused: true });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(load).toHaveBeenCalledTimes(1);
    stop();

    poller.watch(10_000); // a new session asks again
    await vi.advanceTimersByTimeAsync(0);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
