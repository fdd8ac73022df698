/// One line of `streetgate check`: PASS or FAIL, what was checked, what was found, and after a
/// FAIL what to do next.
struct CheckResult: Sendable {
    var item: String
    var passed: Bool
    var detail: String
    /// Printed under a FAIL with `--online`, after "→".
    var nextStep: String?

    static func pass(_ item: String, _ detail: String) -> CheckResult {
        CheckResult(item: item, passed: true, detail: detail, nextStep: nil)
    }

    static func fail(_ item: String, _ detail: String, next: String?) -> CheckResult {
        CheckResult(item: item, passed: false, detail: detail, nextStep: next)
    }

    /// `PASS  config    /etc/streetgate/streetgate.toml valid`, the item padded to `itemWidth`;
    /// with `nextSteps`, a FAIL is followed by an indented `→ …` line.
    func lines(itemWidth: Int, nextSteps: Bool, style: TerminalStyle) -> [String] {
        let verdict = passed ? style.paint("PASS", .green) : style.paint("FAIL", .red)
        let padding = String(repeating: " ", count: max(0, itemWidth - item.count))
        var lines = ["\(verdict)  \(item)\(padding)  \(detail)"]
        if nextSteps, !passed, let nextStep {
            lines.append("      → \(nextStep)")
        }
        return lines
    }
}
