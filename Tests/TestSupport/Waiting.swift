import Foundation

public struct TimedOut: Error, CustomStringConvertible {
    public var what: String
    public var description: String { "timed out waiting for \(what)" }
}

/// Waits for the first element of `stream` that satisfies `predicate`, or throws after `timeout`.
/// Tests await events this way instead of sleeping.
@discardableResult
public func firstElement<S: AsyncSequence & Sendable>(
    of stream: S,
    within timeout: Duration = .seconds(20),
    _ what: String,
    where predicate: @escaping @Sendable (S.Element) -> Bool
) async throws -> S.Element where S.Element: Sendable {
    try await withThrowingTaskGroup(of: S.Element?.self) { group in
        group.addTask {
            for try await element in stream where predicate(element) {
                return element
            }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let element = first else {
            throw TimedOut(what: what)
        }
        return element
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; for state that has no stream
/// (a file, a child process).
public func eventually(
    within timeout: Duration = .seconds(20),
    _ what: String,
    _ condition: () throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}
