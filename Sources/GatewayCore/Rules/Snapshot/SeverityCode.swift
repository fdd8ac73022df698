/// Severities as one byte each, fixed here rather than taken from the enum's order, so that adding
/// a severity never changes what a saved byte means.
enum SeverityCode {
    static func code(of severity: AlertSeverity) -> UInt8 {
        switch severity {
        case .info: 0
        case .minor: 1
        case .major: 2
        case .critical: 3
        }
    }

    static func severity(of code: UInt8) -> AlertSeverity? {
        switch code {
        case 0: .info
        case 1: .minor
        case 2: .major
        case 3: .critical
        default: nil
        }
    }
}
