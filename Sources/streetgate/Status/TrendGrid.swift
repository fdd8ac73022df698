import GatewayCore

/// The trend's buckets: 12 of 5 minutes (the last hour), or of one window when windows are longer,
/// aligned to multiples of the bucket so that they line up with the windows; the last one holds now.
struct TrendGrid {
    static let buckets = 12
    static let minimumBucketMilliseconds: Int64 = 300_000

    var start: Timestamp
    var bucketMilliseconds: Int64
    var buckets: Int

    init(now: Timestamp, window: Duration) {
        let bucket = max(Self.minimumBucketMilliseconds, DurationText.milliseconds(of: window))
        let end = (now.milliseconds / bucket + 1) * bucket
        bucketMilliseconds = bucket
        buckets = Self.buckets
        start = Timestamp(milliseconds: end - bucket * Int64(Self.buckets))
    }
}
