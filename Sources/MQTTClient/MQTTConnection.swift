import CMosquitto
import Glibc
import Logging
import Synchronization

/// What the loop thread is doing, for `onLoopActivity`.
public enum LoopActivity: Sendable {
    /// A turn of the loop: polled, read, handed over, wrote.
    case turn
    /// Sleeping on purpose until the next connection attempt (up to the backoff's maximum).
    case waitingToReconnect
}

/// One MQTT connection over libmosquitto, driven by a loop thread of its own.
///
/// The loop is ours rather than `mosquitto_loop_start`'s because of one guarantee: **a QoS 1 message
/// is acknowledged only after the handler has stored it.** In threaded mode libmosquitto queues the
/// PUBACK while reading the PUBLISH and writes it on the next `mosquitto_loop_write`. So each turn is
///
///     poll → read every packet that is ready (up to `maxBatch`) → `onMessages(batch)` → write
///
/// and the PUBACKs of a batch leave only after `onMessages` returned. If it throws, the handle is
/// destroyed with its queued PUBACKs and a new connection is made: the broker redelivers.
///
/// The connection also keeps itself up: a persistent session under a stable client id, subscriptions
/// renewed on every connect, reconnects with exponential backoff and jitter after any failure —
/// refused credentials and TLS errors included, which are logged clearly and retried, never a
/// silently dead thread. `stop()` disconnects cleanly (the will is not sent), ends the loop and only
/// then destroys the handle; no thread is ever cancelled.
///
/// `publish` may be called from any thread; libmosquitto's threaded mode makes that safe.
public final class MQTTConnection: @unchecked Sendable {
    // Invariant: `handle` is created and destroyed only by the loop thread, and only while holding
    // `handle`'s lock; `publish` uses it under the same lock. Everything else mutable is either atomic
    // or confined to the loop thread (the CallbackContext).

    public let options: MQTTClientOptions
    /// Connection events, newest kept when nobody listens.
    public let events: AsyncStream<MQTTEvent>
    private let eventSink: AsyncStream<MQTTEvent>.Continuation
    private let logger: Logger
    private let onMessages: @Sendable ([MQTTMessage]) throws -> Void
    private let onEvent: @Sendable (MQTTEvent) -> Void
    private let onLoopActivity: @Sendable (LoopActivity) -> Void
    private let resubscribeRequested = Atomic<Bool>(false)
    private let reconnectRequested = Atomic<Bool>(false)
    private let wakePipe = WakePipe()
    private let stopRequested = Atomic<Bool>(false)
    private let handle = Mutex<Handle?>(nil)
    private let loop = Mutex<LoopThread?>(nil)
    private let unacknowledgedCarry = Atomic<Int>(0)

    private struct Handle: @unchecked Sendable {
        let mosq: OpaquePointer
        let context: CallbackContext
    }

    /// - Parameters:
    ///   - onMessages: runs on the loop thread with every message read in one turn, before
    ///     their acknowledgements are written. Throw to refuse the batch: nothing is acknowledged.
    ///   - onEvent: runs on the loop thread with every event, before it goes to `events`. Unlike
    ///     the stream, it never drops one and sees it in order with the loop's work, so a sender can
    ///     count on it to track its in-flight window (`.published`) and its connections.
    ///   - onLoopActivity: runs on the loop thread at every turn (at least once a second, messages
    ///     or not) and around each wait before a reconnect: a sign of life for a watchdog.
    public init(
        options: MQTTClientOptions,
        logger: Logger,
        onMessages: @escaping @Sendable ([MQTTMessage]) throws -> Void = { _ in },
        onEvent: @escaping @Sendable (MQTTEvent) -> Void = { _ in },
        onLoopActivity: @escaping @Sendable (LoopActivity) -> Void = { _ in }
    ) {
        _ = libraryInitialised
        self.options = options
        self.logger = logger
        self.onMessages = onMessages
        self.onEvent = onEvent
        self.onLoopActivity = onLoopActivity
        (events, eventSink) = AsyncStream.makeStream(of: MQTTEvent.self, bufferingPolicy: .bufferingNewest(256))
    }

    deinit {
        stop()
    }

    /// Starts the loop thread, which connects and keeps the connection up until `stop()`.
    public func start() {
        loop.withLock { thread in
            guard thread == nil else { return }
            thread = LoopThread { [self] in runLoop() }
        }
    }

    /// Disconnects cleanly, ends the loop thread and waits for it. Safe to call more than once.
    public func stop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        wakePipe.wake()
        let thread = loop.withLock { thread -> LoopThread? in
            defer { thread = nil }
            return thread
        }
        thread?.join()
    }

    /// Subscribes again to every filter on the current connection (a broker that silently lost our
    /// subscriptions starts sending again); `.subscribed` follows when granted.
    public func resubscribe() {
        resubscribeRequested.store(true, ordering: .sequentiallyConsistent)
        wakePipe.wake()
    }

    /// Drops the current connection and connects again after the shortest backoff.
    public func reconnect() {
        reconnectRequested.store(true, ordering: .sequentiallyConsistent)
        wakePipe.wake()
    }

    /// Our publishes not yet acknowledged by the broker (QoS 1) or not yet written (QoS 0).
    public var unacknowledgedPublishes: Int {
        handle.withLock { $0?.context.unacknowledged.load(ordering: .relaxed) } ?? unacknowledgedCarry.load(ordering: .relaxed)
    }

    /// Queues a message; libmosquitto sends it when connected and, for QoS 1, resends it until PUBACK.
    /// - Returns: the message id, reported again by `.published` when the broker acknowledged it.
    @discardableResult
    public func publish(topic: String, payload: [UInt8], qos: Int = 1, retain: Bool = false) throws(MosquittoError) -> Int32 {
        let result: Result<Int32, MosquittoError> = handle.withLock { handle in
            guard let handle else { return .failure(.noConnection) }
            var mid: Int32 = 0
            let code = payload.withUnsafeBytes { bytes in
                mosquitto_publish(handle.mosq, &mid, topic, Int32(bytes.count), bytes.baseAddress, Int32(qos), retain)
            }
            // For QoS 1, "not connected" means queued: libmosquitto sends it after the reconnect.
            let queued = code == MOSQ_ERR_NO_CONN.rawValue && qos > 0
            if code != MOSQ_ERR_SUCCESS.rawValue && !queued {
                return .failure(MosquittoError(code, operation: "publish \(topic)", systemErrno: errno))
            }
            handle.context.unacknowledged.add(1, ordering: .relaxed)
            return .success(mid)
        }
        wakePipe.wake()
        return try result.get()
    }

    // MARK: - The loop thread

    private enum TurnOutcome {
        case stop
        case lost(MosquittoError)
        case handlerFailed(any Error)
    }

    private func runLoop() {
        var failures = 0
        while !stopRequested.load(ordering: .relaxed) {
            let current: Handle
            do {
                current = try currentOrNewHandle()
            } catch {
                logger.error("cannot create the MQTT client", metadata: ["mqtt.error": "\(error)"])
                failures += 1
                waitBeforeRetry(failures: failures, reason: "\(error)")
                continue
            }
            let outcome: TurnOutcome
            do {
                try connect(current)
                outcome = serve(current)
            } catch {
                outcome = .lost(error)
            }
            switch outcome {
            case .stop:
                disconnectCleanly(current)
            case .lost(let error):
                // A connection that was up starts the backoff over; one that never came up grows it.
                failures = current.context.acceptedThisAttempt ? 1 : failures + 1
                let reason = current.context.refusal.map { "refused: \($0)" } ?? error.description
                current.context.connected = false
                if options.discardQueueOnDisconnect {
                    destroyHandle()
                    unacknowledgedCarry.store(0, ordering: .relaxed)
                }
                if current.context.refusal == nil, error.isConfigurationProblem {
                    logger.error("connection failed", metadata: ["mqtt.error": "\(reason)"])
                }
                waitBeforeRetry(failures: failures, reason: reason)
            case .handlerFailed(let error):
                // Drop the handle with the PUBACKs it has queued: the broker will redeliver.
                logger.error("messages could not be stored; dropping the connection so the broker redelivers", metadata: [
                    "mqtt.error": "\(error)",
                ])
                destroyHandle()
                failures += 1
                waitBeforeRetry(failures: failures, reason: "store failed: \(error)")
            }
        }
        destroyHandle()
        emit(.stopped)
        eventSink.finish()
    }

    private func emit(_ event: MQTTEvent) {
        onEvent(event)
        eventSink.yield(event)
    }

    private func waitBeforeRetry(failures: Int, reason: String) {
        guard !stopRequested.load(ordering: .relaxed) else { return }
        let delay = options.backoff.delay(afterFailures: failures, random: Double.random(in: 0..<1))
        logger.warning("disconnected; reconnecting", metadata: [
            "mqtt.reason": "\(reason)", "mqtt.retry_in": "\(delay)", "mqtt.attempt": "\(failures)",
        ])
        emit(.disconnected(reason: reason, retryIn: delay))
        onLoopActivity(.waitingToReconnect)
        wakePipe.sleep(for: delay)
        onLoopActivity(.turn)
    }

    private func connect(_ handle: Handle) throws(MosquittoError) {
        handle.context.connected = false
        handle.context.acceptedThisAttempt = false
        handle.context.refusal = nil
        let keepalive = Int32(clamping: max(options.keepalive.components.seconds, 5))
        switch options.protocolVersion {
        case .v311:
            let code = mosquitto_connect_async(handle.mosq, options.host, Int32(options.port), keepalive)
            if code == MOSQ_ERR_CONN_PENDING.rawValue { return }
            try check(code, "connect \(options.host):\(options.port)")
        case .v5:
            try connectV5(handle.mosq, keepalive: keepalive)
        }
    }

    /// Under MQTT 5 a session ends with its connection unless CONNECT asks for a Session Expiry
    /// Interval, and only libmosquitto's blocking connect sends CONNECT properties: probed first,
    /// so the blocking part is one round trip to a host that just answered.
    private func connectV5(_ mosq: OpaquePointer, keepalive: Int32) throws(MosquittoError) {
        let timeout = min(options.keepalive, .seconds(10))
        switch TCPProbe.failure(
            host: options.host, port: options.port, timeout: timeout,
            shouldGiveUp: { stopRequested.load(ordering: .relaxed) }, onWait: { onLoopActivity(.turn) }
        ) {
        case nil: break
        case .unresolved:
            throw MosquittoError(MOSQ_ERR_EAI.rawValue, operation: "resolve \(options.host)")
        case .unreachable(let code):
            throw MosquittoError(MOSQ_ERR_ERRNO.rawValue, operation: "connect \(options.host):\(options.port)", systemErrno: code)
        }
        var properties: OpaquePointer?
        defer { mosquitto_property_free_all(&properties) }
        if !options.cleanSession {
            // Never expires, as a 3.1.1 persistent session: the broker keeps queueing while we are away.
            try check(mosquitto_property_add_int32(&properties, Int32(MQTT_PROP_SESSION_EXPIRY_INTERVAL.rawValue), UInt32.max), "session expiry")
        }
        try check(mosquitto_connect_bind_v5(mosq, options.host, Int32(options.port), keepalive, nil, properties), "connect \(options.host):\(options.port)")
    }

    /// Runs loop turns until the connection is lost, the handler fails, or stop is requested.
    ///
    /// Messages read are held, unacknowledged, until `maxBatch` of them are waiting or the first has
    /// waited `maxHold` (MQTT 5 only): one commit for many. While any are held nothing is written,
    /// since libmosquitto has already queued their PUBACKs; keepalive pings wait with them.
    private func serve(_ handle: Handle) -> TurnOutcome {
        let mosq = handle.mosq
        let context = handle.context
        let maxHold = options.protocolVersion == .v5 ? options.maxHold : .zero
        var heldSince: ContinuousClock.Instant?
        while true {
            if stopRequested.load(ordering: .relaxed) {
                // Stored before the DISCONNECT writes their PUBACKs.
                if let failure = handOver(context) { return failure }
                return .stop
            }
            onLoopActivity(.turn)
            let socket = mosquitto_socket(mosq)
            guard socket >= 0 else { return .lost(.noConnection) }
            let holding = !context.pending.isEmpty
            var fds = [
                pollfd(fd: socket, events: Int16(POLLIN) | (!holding && mosquitto_want_write(mosq) ? Int16(POLLOUT) : 0), revents: 0),
                pollfd(fd: wakePipe.readFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, heldSince.map { Self.milliseconds(until: $0 + maxHold) } ?? 1000)
            if ready < 0, errno != EINTR {
                return .lost(MosquittoError(MOSQ_ERR_ERRNO.rawValue, operation: "poll", systemErrno: errno))
            }
            if fds[1].revents != 0 { wakePipe.drain() }
            if reconnectRequested.exchange(false, ordering: .sequentiallyConsistent) {
                if let failure = handOver(context) { return failure }
                disconnectCleanly(handle)
                return .lost(.reconnectRequested)
            }
            if context.connected, resubscribeRequested.exchange(false, ordering: .sequentiallyConsistent) {
                subscribeAll(mosq, context)
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                if let lost = readBurst(mosq, socket: socket) {
                    // Whatever was read before the loss was never acknowledged; storing it anyway
                    // loses nothing (redeliveries are idempotent in the store).
                    try? deliverPending(context)
                    return .lost(lost)
                }
                // Hung up or failed: what could be read was read. A TLS handshake on a socket that
                // failed reads "nothing yet, try again" forever instead of an error.
                if fds[0].revents & Int16(POLLHUP | POLLERR) != 0 {
                    if let failure = handOver(context) { return failure }
                    return .lost(Self.socketError(socket))
                }
                if heldSince == nil, !context.pending.isEmpty { heldSince = .now }
            }
            if let since = heldSince, context.pending.count >= options.maxBatch || ContinuousClock.now - since >= maxHold {
                if let failure = handOver(context) { return failure }
                heldSince = nil
            }
            if context.pending.isEmpty, mosquitto_want_write(mosq) || fds[0].revents & Int16(POLLOUT) != 0 {
                let code = mosquitto_loop_write(mosq, 1)
                if code != MOSQ_ERR_SUCCESS.rawValue {
                    return .lost(MosquittoError(code, operation: "write", systemErrno: errno))
                }
            }
            let code = mosquitto_loop_misc(mosq)
            if code != MOSQ_ERR_SUCCESS.rawValue {
                return .lost(MosquittoError(code, operation: "keepalive", systemErrno: errno))
            }
        }
    }

    /// Hands the held messages over; a handler failure ends the connection (nothing acknowledged).
    private func handOver(_ context: CallbackContext) -> TurnOutcome? {
        do {
            try deliverPending(context)
            return nil
        } catch {
            return .handlerFailed(error)
        }
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// Reads packets while the socket has data, up to `maxBatch` messages: one batch, one commit.
    private func readBurst(_ mosq: OpaquePointer, socket: Int32) -> MosquittoError? {
        let context = CallbackContext.from(mosquitto_userdata(mosq))
        var packets = 0
        repeat {
            let code = mosquitto_loop_read(mosq, 1)
            if code != MOSQ_ERR_SUCCESS.rawValue {
                return MosquittoError(code, operation: "read", systemErrno: errno)
            }
            packets += 1
        } while context.pending.count < options.maxBatch && packets < 2 * options.maxBatch && Self.isReadable(socket)
        return nil
    }

    private func deliverPending(_ context: CallbackContext) throws {
        guard !context.pending.isEmpty else { return }
        defer { context.pending.removeAll(keepingCapacity: true) }
        try onMessages(context.pending)
    }

    private static func isReadable(_ socket: Int32) -> Bool {
        var fd = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, 0) > 0 && fd.revents & Int16(POLLIN) != 0
    }

    /// The socket's pending error (`SO_ERROR`), as the reason a connection was lost.
    private static func socketError(_ socket: Int32) -> MosquittoError {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(socket, SOL_SOCKET, SO_ERROR, &code, &length)
        guard code != 0 else { return .connectionLost }
        return MosquittoError(MOSQ_ERR_ERRNO.rawValue, operation: "socket", systemErrno: code)
    }

    private func disconnectCleanly(_ handle: Handle) {
        guard handle.context.connected else { return }
        // Flush what is queued (PUBACKs of the last batch, our publishes), then DISCONNECT.
        _ = mosquitto_loop_write(handle.mosq, 1)
        _ = mosquitto_disconnect(handle.mosq)
        for _ in 0..<20 where mosquitto_want_write(handle.mosq) {
            if mosquitto_loop_write(handle.mosq, 1) != MOSQ_ERR_SUCCESS.rawValue { break }
        }
        handle.context.connected = false
        logger.info("disconnected")
    }

    // MARK: - Handle lifetime

    private func currentOrNewHandle() throws(MosquittoError) -> Handle {
        if let existing = handle.withLock({ $0 }) { return existing }
        let context = CallbackContext(
            options: options, logger: logger, events: eventSink,
            unacknowledged: unacknowledgedCarry.load(ordering: .relaxed), onEvent: onEvent
        )
        let obj = Unmanaged.passRetained(context).toOpaque()
        guard let mosq = mosquitto_new(options.clientID, options.cleanSession, obj) else {
            Unmanaged<CallbackContext>.fromOpaque(obj).release()
            throw MosquittoError(MOSQ_ERR_ERRNO.rawValue, operation: "mosquitto_new", systemErrno: errno)
        }
        do {
            try configure(mosq)
        } catch {
            mosquitto_destroy(mosq)
            Unmanaged<CallbackContext>.fromOpaque(obj).release()
            throw error
        }
        let created = Handle(mosq: mosq, context: context)
        handle.withLock { $0 = created }
        return created
    }

    private func configure(_ mosq: OpaquePointer) throws(MosquittoError) {
        try check(mosquitto_threaded_set(mosq, true), "threaded_set")
        switch options.protocolVersion {
        case .v311:
            try check(mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311), "protocol version")
        case .v5:
            try check(mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5), "protocol version")
            try check(mosquitto_int_option(mosq, MOSQ_OPT_RECEIVE_MAXIMUM, Int32(clamping: min(options.maxBatch, 65_535))), "receive maximum")
        }
        try check(mosquitto_max_inflight_messages_set(mosq, UInt32(options.maxInflight)), "max inflight")
        mosquitto_connect_with_flags_callback_set(mosq, onConnect)
        mosquitto_subscribe_callback_set(mosq, onSubscribe)
        mosquitto_message_callback_set(mosq, onMessage)
        mosquitto_publish_callback_set(mosq, onPublish)
        mosquitto_disconnect_callback_set(mosq, onDisconnect)
        mosquitto_log_callback_set(mosq, onLog)
        if options.username != nil || options.password != nil {
            try check(mosquitto_username_pw_set(mosq, options.username, options.password), "username/password")
        }
        if let tls = options.tls {
            let caPath: String? = tls.caFile == nil ? "/etc/ssl/certs" : nil
            try check(mosquitto_tls_set(mosq, tls.caFile, caPath, tls.certFile, tls.keyFile, nil), "TLS settings")
        }
        if let will = options.will {
            let code = will.payload.withUnsafeBytes { bytes in
                mosquitto_will_set(mosq, will.topic, Int32(bytes.count), bytes.baseAddress, Int32(will.qos), will.retain)
            }
            try check(code, "will")
        }
    }

    private func destroyHandle() {
        handle.withLock { current in
            guard let existing = current else { return }
            unacknowledgedCarry.store(existing.context.unacknowledged.load(ordering: .relaxed), ordering: .relaxed)
            mosquitto_destroy(existing.mosq)
            Unmanaged.passUnretained(existing.context).release()
            current = nil
        }
    }
}
