/// What the rule engine asks its service to do: store, log and send an alert event.
public enum RuleAction: Sendable, Hashable {
    case raise(AlertEvent)
    case clear(AlertEvent)

    /// The event to store and send, whichever the action.
    public var event: AlertEvent {
        switch self {
        case .raise(let event), .clear(let event): event
        }
    }
}
