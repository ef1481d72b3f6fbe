import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { createSnackbarQueue, MAX_DURATION_MS, MIN_DURATION_MS, type Timers } from './queue';

/** A test clock: timers fire only when the test advances time. */
function fakeTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    set(fn, ms) {
      const h = ++seq;
      pending.set(h, { at: now + ms, fn });
      return h;
    },
    clear(h) {
      pending.delete(h as number);
    },
  };
  function advance(ms: number) {
    const end = now + ms;
    for (;;) {
      const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = end;
  }
  return { timers, advance, count: () => pending.size };
}

describe('snackbar queue', () => {
  it('shows one message at a time, in order, each for its duration', () => {
    const clock = fakeTimers();
    const q = createSnackbarQueue(clock.timers);
    q.show('Saved');
    q.show('Token copied');
    expect(get(q.current)?.text).toBe('Saved');
    expect(q.pending()).toBe(1);
    clock.advance(MIN_DURATION_MS - 1);
    expect(get(q.current)?.text).toBe('Saved');
    clock.advance(1);
    expect(get(q.current)?.text).toBe('Token copied');
    clock.advance(MIN_DURATION_MS);
    expect(get(q.current)).toBeNull();
  });

  it('does not queue the same text twice', () => {
    const clock = fakeTimers();
    const q = createSnackbarQueue(clock.timers);
    const first = q.show('Saved');
    expect(q.show('Saved')).toBe(first);
    q.show('Other');
    q.show('Other');
    expect(q.pending()).toBe(1);
  });

  it('keeps durations within the M3 range of 4 to 10 seconds', () => {
    const clock = fakeTimers();
    const q = createSnackbarQueue(clock.timers);
    q.show('short', { durationMs: 500 });
    expect(get(q.current)?.durationMs).toBe(MIN_DURATION_MS);
    q.dismiss();
    q.show('long', { durationMs: 60_000 });
    expect(get(q.current)?.durationMs).toBe(MAX_DURATION_MS);
    q.dismiss();
    q.show('with action', { actionLabel: 'Undo', onAction: () => {} });
    expect(get(q.current)?.durationMs).toBeGreaterThan(MIN_DURATION_MS);
  });

  it('runs the action once, closes the message and shows the next', () => {
    const clock = fakeTimers();
    const q = createSnackbarQueue(clock.timers);
    let undone = 0;
    q.show('Deleted', { actionLabel: 'Undo', onAction: () => undone++ });
    q.show('Next');
    q.act();
    expect(undone).toBe(1);
    expect(get(q.current)?.text).toBe('Next');
    q.act();
    expect(undone).toBe(1);
    expect(get(q.current)).toBeNull();
  });

  it('dismissing early cancels the timer, so the next message gets its whole time', () => {
    const clock = fakeTimers();
    const q = createSnackbarQueue(clock.timers);
    q.show('A');
    q.show('B');
    clock.advance(3000);
    q.dismiss();
    expect(get(q.current)?.text).toBe('B');
    expect(clock.count()).toBe(1);
    clock.advance(MIN_DURATION_MS - 1);
    expect(get(q.current)?.text).toBe('B');
  });

  it('dismissing a waiting message drops it without touching the one showing', () => {
    const clock = fakeTimers();
    const q = createSnackbarQueue(clock.timers);
    q.show('A');
    const b = q.show('B');
    q.dismiss(b);
    expect(get(q.current)?.text).toBe('A');
    expect(q.pending()).toBe(0);
  });
});
