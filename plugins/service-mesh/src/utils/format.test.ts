import { formatLocality, formatPercent, formatTime } from './format';

describe('format', () => {
  it('formats times in UTC', () => {
    expect(formatTime('2025-11-21T09:42:00.000Z')).toBe('2025-11-21 09:42 UTC');
    expect(formatTime(undefined)).toBe('never');
    expect(formatTime('not a date')).toBe('not a date');
  });

  it('formats localities and percentages', () => {
    expect(formatLocality({ region: 'us-east-1', zone: 'us-east-1a' })).toBe(
      'us-east-1/us-east-1a',
    );
    expect(formatLocality({ region: '', zone: '' })).toBe('(no locality)');
    expect(formatPercent(70)).toBe('70%');
    expect(formatPercent(12.345)).toBe('12.3%');
    expect(formatPercent(0.2)).toBe('<1%');
    expect(formatPercent(0)).toBe('0%');
  });
});
