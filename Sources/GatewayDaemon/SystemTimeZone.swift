import Foundation
import GatewayCore

/// Local wall time for `during` windows, from the system's tz database (DST included), in the zone
/// of `gateway.timezone` or the system's own.
public struct SystemTimeZone: LocalTimeZone {
    private let zone: TimeZone

    /// nil when `identifier` names no zone the system knows.
    public init?(identifier: String?) {
        if let identifier {
            guard let zone = TimeZone(identifier: identifier) else { return nil }
            self.zone = zone
        } else {
            zone = TimeZone.current
        }
    }

    public func minuteOfDay(at time: Timestamp) -> Int {
        let seconds = time.milliseconds / 1000
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        let local = seconds + offset
        let secondOfDay = ((local % 86_400) + 86_400) % 86_400
        return Int(secondOfDay / 60)
    }
}
