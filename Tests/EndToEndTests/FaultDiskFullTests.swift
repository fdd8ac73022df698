// Contract checked here (contract.md, Guarantees; issue "Prove it", scenario 3): a full buffer
// never stops the daemon and never loses a reading silently.
// - `max_size` reached: the oldest readings are evicted first (no aggregate, no alert while
//   readings are left), every one counted (`readings.evicted`) and each burst logged; what stays
//   is exactly the newest readings; the files stay within `max_size`.
// - The filesystem full before `max_size` (data_dir on an 8 MiB tmpfs, needs root): the daemon
//   keeps running, evicts the oldest readings to make room (a fifth of the buffer a burst), counts
//   and logs them, and what stays is exactly the newest; when space returns it stores on without
//   evicting.
// `tools/faults/diskfull.sh` runs both from a shell, with a loop-mounted image or a file-size
// limit where tmpfs is not allowed.
import Foundation
import GatewayCore
import GatewayStore
import TestSupport
import Testing

@Suite("Fault injection: a full buffer", .serialized)
struct FaultDiskFullTests {
    static let packSource = """
        template = "pack/{city}/{domain}/{device}"
        sensor = "{city}/{domain}/{device}"
        metric = "{domain}"
        format = "senml"
        """

    @Test("max_size reached: the oldest readings evicted first, each counted and logged, the newest kept, the files within max_size")
    func maxSizeReached() async throws {
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(
            broker: broker, id: "fault-max-size", topics: "pack/+/+/+", extraSource: Self.packSource,
            extra: "[buffer]\nmax_size = \"16MiB\""
        )
        try await gateway.process.start()
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()
        // Packs of 100: a batch (at most 1,000 messages, 100,000 readings) holds more than the room
        // one eviction burst makes, and is stored 10,000 readings a transaction. 800,000 readings
        // are about twice what 16 MiB holds.
        let packs = 8_000
        try await Self.publishPacks(sensors, 0..<packs, records: 100)

        let total = Int64(packs * 100)
        // Progress is polled with the cheapest read there is, twice a second: a reader holds back
        // the WAL's checkpoints while it reads, and one that reads all the time (`status` in a
        // tight loop) lets the WAL outgrow its share of max_size (docs/reliability.md).
        var largest = Int64(0)
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            largest = max(largest, Self.filesSize(gateway))
            let stored = (try? BufferReader(path: gateway.databasePath).acceptedReadings()) ?? 0
            if stored >= total { break }
            guard ContinuousClock.now < deadline else { throw BrokerError(message: "timed out: \(stored) of \(total) readings stored") }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(gateway.process.isRunning)
        let status = try BufferReader(path: gateway.databasePath).status(now: Timestamp(milliseconds: 0))
        let evicted = status.counters["readings.evicted", default: 0]
        print("max_size: \(total) readings published, \(status.rows) kept, \(evicted) evicted, \(status.bytes) bytes")
        #expect(status.rows + evicted == total, "every reading kept or counted")
        #expect(evicted > 0)
        #expect(status.counters["aggregates.evicted", default: 0] == 0 && status.counters["alerts.evicted", default: 0] == 0,
                "readings go first")
        let numbers = exportedNumbers(try gateway.run(["export", "--since", "3d"]).stdout)
        #expect(numbers.count == Int(status.rows))
        #expect(Set(numbers) == Set(Int(evicted)..<Int(total)), "exactly the newest readings are left")
        #expect(gateway.process.log.contains("the buffer reached its size limit"))
        largest = max(largest, Self.filesSize(gateway))
        print("max_size: the files took at most \(largest) bytes of \(16 << 20) while it ran")
        #expect(largest <= 16 << 20, "the database, its WAL and shared memory within max_size")
        #expect(gateway.process.signal(SIGTERM) == 0)
    }

    @Test("the filesystem full before max_size: the daemon runs on, evicts the oldest readings to make room, counts every one, and stores on once space returns",
          .enabled(if: SmallFilesystem.canMount, "needs root and permission to mount a tmpfs"))
    func filesystemFull() async throws {
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(
            broker: broker, id: "fault-disk-full", topics: "pack/+/+/+", extraSource: Self.packSource,
            extra: "[buffer]\nmax_size = \"512MiB\""
        )
        let filesystem = try SmallFilesystem(at: gateway.directory.file("data"), megabytes: 8)
        defer { filesystem.unmount() }
        try await gateway.process.start()
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()
        let packs = 10_000
        let total = Int64(packs * 20)
        try await Self.publishPacks(sensors, 0..<packs, records: 20, drain: false)

        // About 100,000 readings fill 8 MiB: every reading must be kept or counted as evicted.
        // Polled twice a second: a reader holds back the WAL's checkpoints while it reads, and on a
        // full filesystem a WAL that cannot be reset has nowhere to grow.
        let deadline = ContinuousClock.now + .seconds(90)
        while true {
            let status = Self.status(gateway)
            if status.rows + status.evicted >= total { break }
            guard ContinuousClock.now < deadline else {
                throw BrokerError(message: "timed out: \(Self.status(gateway)) of \(total); log: \(gateway.process.log.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(gateway.process.isRunning)
        let full = Self.status(gateway)
        print("disk full: \(total) readings published, \(full.rows) kept, \(full.evicted) evicted")
        #expect(full.rows + full.evicted == total)
        #expect(full.evicted > 0, "the oldest readings evicted to make room")
        #expect(gateway.process.log.contains("is full below the buffer's size limit during a commit: evicted the oldest readings"))
        let numbers = exportedNumbers(try gateway.run(["export", "--since", "3d"]).stdout)
        // Maintenance may evict again meanwhile: whatever is left, it is the newest.
        #expect(Set(numbers) == Set((Int(total) - numbers.count)..<Int(total)), "exactly the newest readings are left")

        // Space returns: the next readings are all stored, and the buffer grows again.
        try filesystem.grow(toMegabytes: 64)
        try await Self.publishPacks(sensors, packs..<(packs + 500), records: 20, drain: false)
        try await sensors.drained(within: .seconds(60))
        let after = total + 10_000
        try await eventually(within: .seconds(60), "the readings after space returned") {
            let status = Self.status(gateway)
            return status.rows + status.evicted >= after
        }
        let later = Self.status(gateway)
        #expect(later.rows + later.evicted == after)
        let newest = Set(exportedNumbers(try gateway.run(["export", "--since", "3d"]).stdout))
        #expect(Set(Int(total)..<Int(after)).isSubset(of: newest), "every reading after space returned is kept")
        try await eventually(within: .seconds(30), "the budget to follow the grown filesystem") {
            gateway.process.log.contains("buffer.budget_bytes=5")  // 64 MiB less the WAL's reserve: 50–60 MB
        }
        #expect(gateway.process.signal(SIGTERM) == 0)
    }

    /// Packs of `records` SenML records numbered `pack * records + record`, a second apart per
    /// pack, a day old.
    static func publishPacks(_ sensors: SensorPublisher, _ packs: Range<Int>, records: Int, drain: Bool = true) async throws {
        let base = Int64(Date().timeIntervalSince1970) - 86_400
        for pack in packs {
            var body = ["{\"bn\":\"r\",\"bt\":\(base + Int64(pack)),\"n\":\"0\",\"v\":\(pack * records)}"]
            for record in 1..<records { body.append("{\"n\":\"\(record)\",\"v\":\(pack * records + record)}") }
            try sensors.publish("pack/fes/water/meter-1", "[" + body.joined(separator: ",") + "]")
            if drain && pack % 1_000 == 999 { try await sensors.drained() }
        }
    }

    static func status(_ gateway: GatewayUnderTest) -> (rows: Int64, evicted: Int64) {
        guard let reader = try? BufferReader(path: gateway.databasePath),
              let status = try? reader.status(now: Timestamp(milliseconds: 0)) else { return (0, 0) }
        return (status.rows, status.counters["readings.evicted", default: 0])
    }

    static func filesSize(_ gateway: GatewayUnderTest) -> Int64 {
        ["", "-wal", "-shm"].reduce(0) { total, suffix in total + fileSize(gateway.databasePath + suffix) }
    }
}

/// A tmpfs of a few MiB mounted for one test (root only).
struct SmallFilesystem {
    let path: String

    init(at path: String, megabytes: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        self.path = path
        try Self.mount(["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
    }

    func grow(toMegabytes megabytes: Int) throws {
        try Self.mount(["-o", "remount,size=\(megabytes)m", path])
    }

    func unmount() {
        // Lazy: a daemon that failed to stop may still hold files there.
        _ = try? Self.run("/bin/umount", ["-l", path])
    }

    /// Whether this process may mount a tmpfs: tried once on a scratch folder.
    static let canMount: Bool = {
        guard getuid() == 0, let scratch = try? TemporaryDirectory("streetgate-mount-probe") else { return false }
        guard (try? mount(["-t", "tmpfs", "-o", "size=1m", "tmpfs", scratch.path])) != nil else { return false }
        _ = try? run("/bin/umount", [scratch.path])
        return true
    }()

    private static func mount(_ arguments: [String]) throws {
        let status = try run("/bin/mount", arguments)
        guard status == 0 else { throw BrokerError(message: "mount \(arguments.joined(separator: " ")) exited with \(status)") }
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = try ChildProcess(executable: executable, arguments: arguments)
        return process.wait()
    }
}
