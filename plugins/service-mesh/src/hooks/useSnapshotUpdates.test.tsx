import { act, renderHook } from '@testing-library/react';
import { ReactNode } from 'react';
import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import { SNAPSHOT_SIGNAL_CHANNEL } from '@internal/plugin-service-mesh-common';
import {
  PENDING_POLL_INTERVAL_MS,
  POLL_INTERVAL_MS,
  useSnapshotUpdates,
} from './useSnapshotUpdates';

function fakeSignals() {
  const listeners = new Map<string, Array<(m: any) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      listeners.set(channel, [...(listeners.get(channel) ?? []), onMessage]);
      return { unsubscribe: () => listeners.delete(channel) };
    },
  };
  const send = (channel: string, message: any) =>
    act(() => listeners.get(channel)?.forEach(l => l(message)));
  return { api, send, listeners };
}

describe('useSnapshotUpdates', () => {
  afterEach(() => jest.useRealTimers());

  it('reloads when a new snapshot is announced, not for the one shown, and does not poll', () => {
    jest.useFakeTimers();
    const signals = fakeSignals();
    const reload = jest.fn();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[signalApiRef, signals.api]]}>
        {children}
      </TestApiProvider>
    );
    const { result } = renderHook(
      () =>
        useSnapshotUpdates({ shownGeneratedAt: 'A', pending: false, reload }),
      { wrapper },
    );
    expect(result.current.live).toBe(true);
    expect(signals.listeners.has(SNAPSHOT_SIGNAL_CHANNEL)).toBe(true);
    signals.send(SNAPSHOT_SIGNAL_CHANNEL, { generatedAt: 'A' });
    expect(reload).not.toHaveBeenCalled();
    signals.send(SNAPSHOT_SIGNAL_CHANNEL, { generatedAt: 'B' });
    expect(reload).toHaveBeenCalledTimes(1);
    act(() => jest.advanceTimersByTime(POLL_INTERVAL_MS * 3));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('polls where the app has no signals', () => {
    jest.useFakeTimers();
    const reload = jest.fn();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[]}>{children}</TestApiProvider>
    );
    const { result } = renderHook(
      () =>
        useSnapshotUpdates({ shownGeneratedAt: 'A', pending: false, reload }),
      { wrapper },
    );
    expect(result.current.live).toBe(false);
    act(() => jest.advanceTimersByTime(POLL_INTERVAL_MS - 1));
    expect(reload).not.toHaveBeenCalled();
    act(() => jest.advanceTimersByTime(1));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('polls quickly while the backend is pending, even with signals', () => {
    jest.useFakeTimers();
    const signals = fakeSignals();
    const reload = jest.fn();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[signalApiRef, signals.api]]}>
        {children}
      </TestApiProvider>
    );
    renderHook(() => useSnapshotUpdates({ pending: true, reload }), {
      wrapper,
    });
    act(() => jest.advanceTimersByTime(PENDING_POLL_INTERVAL_MS * 2));
    expect(reload).toHaveBeenCalledTimes(2);
  });
});
