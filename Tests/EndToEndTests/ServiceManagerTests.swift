// Contract checked here (issue "Runs like a proper service"): on the built binary, with a real
// datagram socket as NOTIFY_SOCKET, READY=1 comes only after the sources subscribed, WATCHDOG=1
// keeps coming at half WATCHDOG_USEC, a SIGHUP with a broken file is refused (the wrong key
// logged, no RELOADING, the gateway keeps storing), a SIGHUP with a good file gives RELOADING=1
// then READY=1 and applies it without losing a reading, and SIGTERM gives STOPPING=1 and exit 0.
// With JOURNAL_STREAM naming stderr, lines carry sd-daemon priority prefixes and no timestamp.
import Foundation
import GatewayCore
import GatewayStore
import Synchronization
import TestSupport
import Testing

@Suite("systemd's side on the built binary")
struct ServiceManagerTests {
    /// Every datagram the daemon sent, collected in the background.
    final class Datagrams: Sendable {
        let listener: DatagramListener
        private let received = Mutex<[String]>([])
        private let task = Mutex<Task<Void, Never>?>(nil)

        init() throws {
            listener = try DatagramListener(notifySocket: uniqueAbstractName())
            let listener = self.listener
            let box = self
            task.withLock {
                $0 = Task {
                    while !Task.isCancelled {
                        if let datagram = await listener.receive(within: 200) {
                            box.received.withLock { $0.append(datagram) }
                        }
                    }
                }
            }
        }

        var all: [String] { received.withLock { $0 } }

        func count(_ line: String) -> Int {
            all.filter { $0.split(separator: "\n").contains(Substring(line)) }.count
        }

        deinit {
            task.withLock { $0?.cancel() }
        }
    }

    @Test("READY after subscribing, WATCHDOG at half the timeout, SIGHUP refused then applied, STOPPING on SIGTERM")
    func notifyAndReload() async throws {
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(broker: broker, id: "notify")
        let datagrams = try Datagrams()
        try await gateway.process.start(environment: [
            "NOTIFY_SOCKET": datagrams.listener.notifySocket, "WATCHDOG_USEC": "2000000",
        ])
        try await eventually("READY=1") { datagrams.count("READY=1") == 1 }
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()
        let start = Int64(Date().timeIntervalSince1970 * 1000)
        for index in 0..<20 {
            try sensors.publish("city/fes/water/meter-1/flow", "{\"value\":\(index),\"ts\":\(start + Int64(index))}")
        }
        try await sensors.drained()
        let pingsBefore = datagrams.count("WATCHDOG=1")
        try await Task.sleep(for: .seconds(3))
        #expect(datagrams.count("WATCHDOG=1") - pingsBefore >= 2, "a ping every second: \(datagrams.all)")

        // A broken file: refused, and the gateway keeps running on the old one.
        let good = try String(contentsOfFile: gateway.configPath, encoding: .utf8)
        try (good + "\n[buffer]\nmax_size = \"lots\"\n").write(toFile: gateway.configPath, atomically: true, encoding: .utf8)
        gateway.process.send(SIGHUP)
        try await eventually("the refusal logged") { gateway.process.log.contains("reload refused") }
        #expect(gateway.process.log.contains("buffer.max_size"))
        #expect(datagrams.count("RELOADING=1") == 0)
        for index in 20..<40 {
            try sensors.publish("city/fes/water/meter-1/flow", "{\"value\":\(index),\"ts\":\(start + Int64(index))}")
        }
        try await sensors.drained()
        try await eventually("still storing") { gateway.storedRows() == 40 }

        // A good file with a new rule: RELOADING, then READY again, and the rule applies.
        try (good + """

            [[rule]]
            name = "reloaded-rule"
            sensors = "+/water/+"
            metric = "flow"
            when = "above"
            threshold = 1000.0
            """).write(toFile: gateway.configPath, atomically: true, encoding: .utf8)
        gateway.process.send(SIGHUP)
        try await eventually("RELOADING=1 then READY=1") { datagrams.count("READY=1") == 2 }
        let order = datagrams.all.filter { $0.contains("RELOADING=1") || $0.contains("READY=1") }
        #expect(order.count == 3 && order[1].contains("RELOADING=1"), "\(order)")
        #expect(order[1].contains("MONOTONIC_USEC="))
        for index in 40..<60 {
            try sensors.publish("city/fes/water/meter-1/flow", "{\"value\":\(index == 59 ? 5000 : index),\"ts\":\(start + Int64(index))}")
        }
        try await sensors.drained()
        try await eventually("every reading stored across the reload") { gateway.storedRows() == 60 }
        try await eventually("the new rule raised") {
            try BufferReader(path: gateway.databasePath).alertEvents(since: 0, limit: 10).contains { $0.event.rule == "reloaded-rule" }
        }

        #expect(gateway.process.signal(SIGTERM) == 0)
        try await eventually("STOPPING=1") { datagrams.count("STOPPING=1") == 1 }
    }

    @Test("with JOURNAL_STREAM naming stderr, lines start with a priority and carry no timestamp")
    func journalPrefixes() async throws {
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(broker: broker, id: "journal")
        _ = FileManager.default.createFile(atPath: gateway.process.logPath, contents: nil)
        var info = stat()
        #expect(stat(gateway.process.logPath, &info) == 0)
        try await gateway.process.start(environment: ["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"])
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()
        try sensors.publish("city/fes/water/meter-1/flow", "not json")   // a dead letter: a warning
        try await sensors.drained()
        try await eventually("the warning logged") { gateway.process.log.contains("<4>") }
        #expect(gateway.process.signal(SIGTERM) == 0)
        let lines = gateway.process.log.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(line.range(of: #"^<[0-7]>"#, options: .regularExpression) != nil, "\(line)")
            #expect(line.range(of: #"^<[0-7]>\s*\d{4}-\d\d-\d\dT"#, options: .regularExpression) == nil, "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("<5>") && $0.contains("ready: every source subscribed") })
    }
}
