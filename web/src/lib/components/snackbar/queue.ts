import { writable, type Readable } from 'svelte/store';

/** One message of an M3 snackbar: a short text, at most one action, shown for 4–10 s. */
export interface SnackbarMessage {
  id: number;
  text: string;
  actionLabel?: string;
  onAction?: () => void;
  durationMs: number;
}

export interface ShowOptions {
  actionLabel?: string;
  onAction?: () => void;
  durationMs?: number;
}

/** Timers are injected so the queue can be driven by a test clock. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const browserTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

// M3: snackbars stay 4–10 s; one with an action stays long enough to reach it.
export const MIN_DURATION_MS = 4000;
export const MAX_DURATION_MS = 10000;

/**
 * M3 snackbars show one at a time: later messages wait in order; the same text already showing or waiting is
 * not queued twice.
 */
export function createSnackbarQueue(timers: Timers = browserTimers) {
  const current = writable<SnackbarMessage | null>(null);
  const waiting: SnackbarMessage[] = [];
  let showing: SnackbarMessage | null = null;
  let handle: unknown = null;
  let nextId = 1;

  function present(message: SnackbarMessage | null) {
    showing = message;
    current.set(message);
    if (message) handle = timers.set(() => dismiss(message.id), message.durationMs);
  }

  function show(text: string, options: ShowOptions = {}): number {
    if (showing?.text === text || waiting.some((m) => m.text === text)) return showing?.text === text ? showing.id : waiting.find((m) => m.text === text)!.id;
    const fallback = options.actionLabel ? 8000 : MIN_DURATION_MS;
    const durationMs = Math.min(MAX_DURATION_MS, Math.max(MIN_DURATION_MS, options.durationMs ?? fallback));
    const message: SnackbarMessage = { id: nextId++, text, actionLabel: options.actionLabel, onAction: options.onAction, durationMs };
    if (showing) waiting.push(message);
    else present(message);
    return message.id;
  }

  /** Closes the message with this id (or the one showing) and shows the next. */
  function dismiss(id?: number) {
    if (!showing) return;
    if (id !== undefined && id !== showing.id) {
      const i = waiting.findIndex((m) => m.id === id);
      if (i >= 0) waiting.splice(i, 1);
      return;
    }
    if (handle !== null) timers.clear(handle);
    handle = null;
    present(waiting.shift() ?? null);
  }

  /** Runs the showing message's action, then closes it. */
  function act() {
    const message = showing;
    if (!message) return;
    dismiss(message.id);
    message.onAction?.();
  }

  return { current: current as Readable<SnackbarMessage | null>, show, dismiss, act, pending: () => waiting.length };
}

export type SnackbarQueue = ReturnType<typeof createSnackbarQueue>;

/** The app's one queue (App.svelte renders it). */
export const snackbar = createSnackbarQueue();
