import { act, render, screen } from '@testing-library/react';
import { formatAge, RelativeTime } from './RelativeTime';

describe('formatAge', () => {
  const now = new Date('2025-11-21T10:00:00Z');
  const ago = (ms: number) => formatAge(new Date(now.getTime() - ms), now);
  it.each([
    [0, 'just now'],
    [-5000, 'just now'],
    [12_000, '12 s ago'],
    [59_000, '59 s ago'],
    [60_000, '1 min ago'],
    [3_599_000, '59 min ago'],
    [3_600_000, '1 h ago'],
    [47 * 3_600_000, '47 h ago'],
    [49 * 3_600_000, '2 d ago'],
  ])('%d ms → %s', (ms, text) => expect(ago(ms)).toBe(text));
});

describe('RelativeTime', () => {
  afterEach(() => jest.useRealTimers());
  it('keeps the age current and shows the exact time on hover', () => {
    jest.useFakeTimers({ now: new Date('2025-11-21T10:00:12Z') });
    render(<RelativeTime value="2025-11-21T10:00:00.000Z" prefix="updated " />);
    const time = screen.getByText('updated 12 s ago');
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('title', '2025-11-21 10:00 UTC');
    act(() => jest.advanceTimersByTime(3000));
    expect(screen.getByText('updated 15 s ago')).toBeInTheDocument();
  });
});
