import Logging
import MQTTClient
import ServiceLifecycle
import Synchronization

/// Runs every source connection from start to graceful shutdown.
///
/// Ready means: every source connected and its subscriptions were acknowledged. Shutdown stops the
/// connections one by one; each stores and acknowledges its last batch, then disconnects cleanly.
struct IngestService: Service {
    let sources: [SourceConnection]
    let logger: Logger
    let onReady: @Sendable () -> Void

    func run() async throws {
        for source in sources {
            source.connection.start()
        }
        let readiness = Readiness(expected: Set(sources.map(\.name)))
        let sourceCount = sources.count
        await withTaskGroup(of: Void.self) { group in
            for source in sources {
                group.addTask {
                    for await event in source.connection.events where event == .subscribed {
                        if readiness.subscribed(source.name) {
                            logger.notice("ready: every source subscribed", metadata: ["sources": "\(sourceCount)"])
                            onReady()
                        }
                    }
                }
            }
            group.addTask {
                // "Connected but silent": checked every second until shutdown.
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    for source in sources {
                        source.checkSilence()
                    }
                }
            }
            group.addTask {
                // Returns on graceful shutdown, throws on cancellation: either way, stop.
                try? await gracefulShutdown()
                for source in sources {
                    source.connection.stop()
                }
            }
        }
    }
}

/// Which sources have subscribed; says "now all" exactly once.
final class Readiness: Sendable {
    private let expected: Set<String>
    private let subscribed = Mutex(Set<String>())

    init(expected: Set<String>) {
        self.expected = expected
    }

    /// Records `source`; true only for the call that completes the set.
    func subscribed(_ source: String) -> Bool {
        subscribed.withLock { names in
            let wasComplete = names == expected
            names.insert(source)
            return !wasComplete && names == expected
        }
    }
}
