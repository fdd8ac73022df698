import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT and SIGTERM as a flag the publisher polls: the first asks to stop publishing and wait for
/// the broker's acknowledgements; a second one also cuts that wait short.
final class StopRequest: Sendable {
    private let received: Counter
    /// Held only to keep the sources alive for the whole run.
    private let sources: Mutex<[any DispatchSourceSignal]>

    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    private init(received: Counter, sources: sending [any DispatchSourceSignal]) {
        self.received = received
        self.sources = Mutex(sources)
    }

    /// Takes over SIGINT and SIGTERM from their default (which would kill the process at once).
    static func installed() -> StopRequest {
        let received = Counter()
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { received.value.add(1, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
        return StopRequest(received: received, sources: sources)
    }

    var isRequested: Bool {
        received.value.load(ordering: .relaxed) >= 1
    }

    /// A second signal: the user does not want to wait.
    var isInsistent: Bool {
        received.value.load(ordering: .relaxed) >= 2
    }
}
