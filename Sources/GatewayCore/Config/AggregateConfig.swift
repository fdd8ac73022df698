/// The `[aggregate]` section: the tumbling windows that readings are summarised in before they go
/// to the hubs.
public struct AggregateConfig: Sendable, Equatable {
    /// The length of a window. Windows start at whole multiples of it on the UTC clock (a 15m
    /// window at :00, :15, :30 and :45), so it is at least 1s and divides 24h evenly: each day
    /// starts a window, and every gateway's windows line up with every other's.
    public var window: Duration
    /// How long after a window's end late readings still count in it; less than the window.
    public var grace: Duration

    public init(window: Duration = .seconds(60), grace: Duration = .seconds(10)) {
        self.window = window
        self.grace = grace
    }
}
