import Glibc

/// Buffered standard output for commands that print many lines (`export`): one `write` per 64 KiB
/// instead of one per line.
struct OutputBuffer: ~Copyable {
    private var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(1 << 16)
    }

    mutating func write(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        Self.writeAll(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    private static func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // A closed pipe (`| head`): nothing more to say.
                }
                offset += written
            }
        }
    }

    deinit {
        Self.writeAll(bytes)
    }
}
