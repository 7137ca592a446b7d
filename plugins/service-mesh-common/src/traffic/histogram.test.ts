import { histogramQuantile, mergeBuckets } from './histogram';

describe('histogramQuantile', () => {
  it('interpolates inside the bucket like Prometheus', () => {
    const buckets = [
      { le: '10', count: 50 },
      { le: '20', count: 90 },
      { le: '+Inf', count: 100 },
    ];
    // rank 50 → the end of the first bucket; rank 70 → halfway through (10, 20].
    expect(histogramQuantile(0.5, buckets)).toBe(10);
    expect(histogramQuantile(0.7, buckets)).toBe(15);
    // rank 95 falls in +Inf: the highest finite bound.
    expect(histogramQuantile(0.95, buckets)).toBe(20);
    // The first bucket starts at 0.
    expect(histogramQuantile(0.1, buckets)).toBe(2);
  });

  it('is undefined without observations, without +Inf or with a bad quantile', () => {
    expect(
      histogramQuantile(0.5, [
        { le: '10', count: 0 },
        { le: '+Inf', count: 0 },
      ]),
    ).toBeUndefined();
    expect(
      histogramQuantile(0.5, [
        { le: '10', count: 5 },
        { le: '20', count: 10 },
      ]),
    ).toBeUndefined();
    expect(histogramQuantile(1.5, [{ le: '+Inf', count: 1 }])).toBeUndefined();
    expect(histogramQuantile(0.5, [])).toBeUndefined();
  });

  it('sums series per bound, sorts, and makes counts monotonic', () => {
    expect(
      mergeBuckets([
        [
          { le: '+Inf', count: 10 },
          { le: '5', count: 4 },
          { le: 'garbage', count: 3 },
        ],
        [
          { le: '5', count: 1 },
          { le: '10', count: 3 },
          { le: '+Inf', count: 5 },
        ],
      ]),
    ).toEqual([
      { le: 5, count: 5 },
      // 3 < 5 (scraped at another time): raised to 5.
      { le: 10, count: 5 },
      { le: Number.POSITIVE_INFINITY, count: 15 },
    ]);
  });
});
